//! The one error type of the API, rendered as `application/problem+json` (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One wrong field or parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The parameter name, or a JSON pointer into the request body (`/ends_on`).
    #[schema(example = "limit")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must be an integer between 1 and 100")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error response (RFC 9457 problem details).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI that identifies the kind of problem.
    #[schema(example = "urn:eventdir:problem:bad-request")]
    pub r#type: String,
    /// A short summary of the kind of problem.
    #[schema(example = "Bad Request")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// What went wrong in this occurrence.
    #[schema(example = "invalid query parameter `limit`")]
    pub detail: String,
    /// The offending fields, for malformed or invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed query, path or body.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// No credentials, or credentials that are not (or no longer) valid.
    #[error("{detail}")]
    Unauthorized {
        detail: String,
        /// Whether a token was presented (and was wrong), for `WWW-Authenticate`.
        presented: bool,
    },
    /// Valid credentials without the right to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The path exists but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// A unique key is taken.
    #[error("{detail}")]
    Conflict {
        detail: String,
        field: Option<String>,
    },
    /// A write without `If-Match`.
    #[error("{0}")]
    PreconditionRequired(String),
    /// `If-Match` names a representation that is no longer current.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many writes from one token; try again after this many seconds.
    #[error("too many writes; retry after {0} s")]
    TooManyRequests(u64),
    /// Well-formed input with invalid values.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// The server is at capacity, or the request took too long.
    #[error("{0}")]
    Overloaded(String),
    /// The database cannot be reached right now.
    #[error("the database is unavailable")]
    Unavailable(#[source] DbErr),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// A 400 naming one field.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let error = FieldError::new(field, message);
        ApiError::BadRequest {
            detail: format!("invalid parameter `{}`: {}", error.field, error.message),
            errors: vec![error],
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad-request",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::PreconditionRequired(_) => "precondition-required",
            ApiError::PreconditionFailed(_) => "precondition-failed",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::TooManyRequests(_) => "too-many-requests",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::Validation(_) => "validation",
            ApiError::Overloaded(_) => "overloaded",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The body sent to the client: never a database message or a backtrace.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (detail, errors) = match self {
            ApiError::BadRequest { detail, errors } => (detail.clone(), errors.clone()),
            ApiError::Unauthorized { detail, .. }
            | ApiError::Forbidden(detail)
            | ApiError::NotFound(detail)
            | ApiError::MethodNotAllowed(detail)
            | ApiError::PreconditionRequired(detail)
            | ApiError::PreconditionFailed(detail)
            | ApiError::PayloadTooLarge(detail)
            | ApiError::UnsupportedMediaType(detail)
            | ApiError::Overloaded(detail) => (detail.clone(), Vec::new()),
            ApiError::TooManyRequests(_) => (self.to_string(), Vec::new()),
            ApiError::Conflict { detail, field } => (
                detail.clone(),
                field
                    .iter()
                    .map(|f| FieldError::new(f.clone(), "is already taken"))
                    .collect(),
            ),
            ApiError::Validation(errors) => (self.to_string(), errors.clone()),
            ApiError::Unavailable(_) => (
                "the database is unavailable; try again shortly".to_owned(),
                Vec::new(),
            ),
            ApiError::Internal(_) => ("an internal error occurred".to_owned(), Vec::new()),
        };
        Problem {
            r#type: format!("urn:eventdir:problem:{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Overloaded(_) | ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::warn!(error = %cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("2")));
            }
            ApiError::Overloaded(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
            ApiError::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            ApiError::Unauthorized { presented, .. } => {
                let challenge = if *presented {
                    r#"Bearer realm="eventdir", error="invalid_token""#
                } else {
                    r#"Bearer realm="eventdir""#
                };
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            _ => {}
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err() {
            return ApiError::Conflict {
                detail: "a record with the same unique key already exists".to_owned(),
                field: unique_field(&message),
            };
        }
        match err {
            DbErr::RecordNotFound(what) => ApiError::NotFound(what),
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => ApiError::Unavailable(err),
            err if is_connection_error(&err) => ApiError::Unavailable(err),
            err => ApiError::Internal(err.into()),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        match err.downcast::<DbErr>() {
            Ok(db) => db.into(),
            Err(err) => ApiError::Internal(err),
        }
    }
}

/// Whether a query failed because the connection did (server gone, socket closed).
fn is_connection_error(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let runtime = match err {
        DbErr::Exec(e) | DbErr::Query(e) => e,
        _ => return false,
    };
    match runtime {
        RuntimeErr::SqlxError(e) => match e.as_ref() {
            sea_orm::sqlx::Error::Io(_)
            | sea_orm::sqlx::Error::PoolTimedOut
            | sea_orm::sqlx::Error::PoolClosed
            | sea_orm::sqlx::Error::WorkerCrashed
            | sea_orm::sqlx::Error::Tls(_) => true,
            sea_orm::sqlx::Error::Database(db) => unavailable(db.as_ref()),
            _ => false,
        },
        _ => false,
    }
}

/// Database errors that mean "not now" rather than "wrong": SQLite busy, locked or read-only
/// (extended codes keep the primary one in their low byte); PostgreSQL connection exceptions,
/// shutdowns and exhausted resources; MySQL lock waits, deadlocks, too many connections and a
/// read-only server.
fn unavailable(db: &dyn sea_orm::sqlx::error::DatabaseError) -> bool {
    let Some(code) = db.code() else { return false };
    if db
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
    {
        return code
            .parse::<u32>()
            .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8));
    }
    if let Some(mysql) = db.try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>() {
        return matches!(
            mysql.number(),
            1040 | 1205 | 1213 | 1290 | 1836 | 2006 | 2013
        );
    }
    code.starts_with("08") || code.starts_with("57P") || code.starts_with("53")
}

/// The column a unique violation names, when the backend's message makes it clear:
/// SQLite says `events.slug`, PostgreSQL names the index (`events_slug_key`), MySQL the key
/// (`for key 'slug'`).
fn unique_field(message: &str) -> Option<String> {
    ["slug", "name"]
        .into_iter()
        .find(|col| {
            [format!(".{col}"), format!("_{col}_key"), format!("'{col}'")]
                .iter()
                .any(|pattern| message.contains(pattern.as_str()))
        })
        .map(str::to_owned)
}

/// The result type of handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;
