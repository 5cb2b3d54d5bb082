//! Extractors whose failures are problem+json naming the offending field.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError};
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// Like `actix_web::web::Query`, but a bad value becomes a 400 that names the parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Query))
    }
}

/// Parses a query string into `T`, naming the parameter that failed.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let field = err.path().to_string();
        let message = err.into_inner().to_string();
        // serde names unknown and missing fields in the message, not the path.
        let field = if field == "." {
            backticked(&message).unwrap_or_else(|| "query".to_owned())
        } else {
            field
        };
        ApiError::bad_field(field, message)
    })
}

/// The first `` `name` `` in a serde message.
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// Extractor configuration so that actix's own JSON and path errors are problem+json too.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(64 * 1024)
            .error_handler(json_error),
    )
    .app_data(web::PathConfig::default().error_handler(path_error));
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        JsonPayloadError::ContentType => ApiError::BadRequest {
            detail: "the body must be JSON (Content-Type: application/json)".to_owned(),
            errors: vec![FieldError::new("Content-Type", "must be application/json")],
        },
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest {
            detail: format!("the body is not valid JSON: {e}"),
            errors: vec![FieldError::new("/", e.to_string())],
        },
        other => ApiError::BadRequest {
            detail: other.to_string(),
            errors: Vec::new(),
        },
    }
    .into()
}

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest {
        detail: format!("invalid path: {err}"),
        errors: Vec::new(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Q {
        limit: Option<u32>,
    }

    fn field_of(err: ApiError) -> String {
        match err {
            ApiError::BadRequest { errors, .. } => errors[0].field.clone(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_bad_value_names_its_parameter() {
        let err = parse_query::<Q>("limit=abc").unwrap_err();
        assert_eq!(field_of(err), "limit");
    }

    #[test]
    fn an_unknown_parameter_is_named() {
        let err = parse_query::<Q>("limt=5").unwrap_err();
        assert_eq!(field_of(err), "limt");
    }

    #[test]
    fn good_values_parse() {
        assert_eq!(parse_query::<Q>("limit=5").unwrap().limit, Some(5));
        assert_eq!(parse_query::<Q>("").unwrap().limit, None);
    }
}
