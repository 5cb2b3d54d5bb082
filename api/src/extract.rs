//! Extractors whose failures are problem+json naming the offending field.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError};
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::services::writes::IfMatch;

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

/// The `If-Match` header, which `PATCH` and `DELETE` require. Extracting it never fails, so a
/// request without a valid token or body is refused for that first; the handler then asks for
/// it with [`Precondition::required`] (428 when it is missing).
#[derive(Debug)]
pub struct Precondition(Option<IfMatch>);

impl Precondition {
    /// The parsed header; 428 when the request has none.
    pub fn required(self) -> Result<IfMatch, ApiError> {
        self.0.ok_or_else(|| {
            ApiError::PreconditionRequired(
                "this write needs `If-Match` with the resource's current ETag (GET it first)"
                    .to_owned(),
            )
        })
    }
}

impl FromRequest for Precondition {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req.headers().get(actix_web::http::header::IF_MATCH);
        ready(Ok(Precondition(
            value.map(|v| IfMatch::parse(v.to_str().unwrap_or_default())),
        )))
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

/// Parses a body as JSON; a member that breaks it (a lone surrogate, a number out of range) is
/// named by its JSON pointer.
fn json_value(body: &[u8]) -> Result<serde_json::Value, ApiError> {
    let invalid = |pointer: String, e: serde_json::Error| ApiError::BadRequest {
        detail: format!("the body is not valid JSON: {e}"),
        errors: vec![FieldError::new(pointer, e.to_string())],
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let pointer: String = err
            .path()
            .iter()
            .map(|segment| {
                let name = match segment {
                    serde_path_to_error::Segment::Seq { index } => index.to_string(),
                    serde_path_to_error::Segment::Map { key } => key.clone(),
                    serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                    serde_path_to_error::Segment::Unknown => "?".to_owned(),
                };
                format!("/{}", name.replace('~', "~0").replace('/', "~1"))
            })
            .collect();
        invalid(pointer, err.into_inner())
    })?;
    deserializer.end().map_err(|e| invalid(String::new(), e))?;
    Ok(value)
}

/// The first `` `name` `` in a serde message.
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// The media types a write body may have.
pub const JSON_TYPES: [&str; 2] = ["application/json", "application/merge-patch+json"];

/// A JSON object request body, read into `T`. Not JSON (by `Content-Type`) → 415; larger than
/// 64 KB → 413; malformed → 400; valid JSON that is not an object → 422. `T` is meant to accept
/// every object (its fields collect their own errors) so that one response can list them all.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            });
        let declared_length = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type
                .as_deref()
                .is_some_and(|t| JSON_TYPES.contains(&t))
            {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "the body must be JSON: send `Content-Type: {}` (or `{}` for PATCH)",
                    JSON_TYPES[0], JSON_TYPES[1]
                )));
            }
            let too_large = || {
                ApiError::PayloadTooLarge(format!("the body is larger than {} KB", MAX_BODY / 1024))
            };
            if declared_length.is_some_and(|n| n > MAX_BODY) {
                return Err(too_large());
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
                let chunk = chunk.map_err(|e| ApiError::bad_field("body", e.to_string()))?;
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            let value = json_value(&body)?;
            if !value.is_object() {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "",
                    "must be a JSON object",
                )]));
            }
            serde_json::from_value(value)
                .map(JsonBody)
                .map_err(|e| ApiError::Validation(vec![FieldError::new("", e.to_string())]))
        })
    }
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

/// Whether an `Accept` header prefers JSON-LD (`application/ld+json`) to JSON, q-values
/// honoured: JSON-LD only when it is named and weighs more than what JSON matches
/// (`application/json`, `application/*`, `*/*`); a tie is JSON. The response cache and the
/// handler both ask here, so they never disagree on the variant.
pub fn prefers_json_ld(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    let (mut ld, mut json) = (0.0_f32, 0.0_f32);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        let is = |name: &str| media.eq_ignore_ascii_case(name);
        if is("application/ld+json") {
            ld = ld.max(q);
        } else if is("application/json") || is("application/*") || media == "*/*" {
            json = json.max(q);
        }
    }
    ld > 0.0 && ld > json
}

#[cfg(test)]
mod negotiation_tests {
    use super::prefers_json_ld;

    #[test]
    fn json_ld_only_when_it_weighs_more() {
        for (accept, ld) in [
            (Some("application/ld+json"), true),
            (Some("application/ld+json, */*;q=0.1"), true),
            (Some("application/json;q=0.5, application/ld+json"), true),
            (Some("application/ld+json;q=0.5, application/json"), false),
            (Some("application/ld+json;q=0"), false),
            (Some("foo/application/ld+json"), false),
            (Some("application/ld+json-ish"), false),
            (Some("*/*"), false),
            (Some("application/ld+json, application/json"), false),
            (None, false),
        ] {
            assert_eq!(prefers_json_ld(accept), ld, "{accept:?}");
        }
    }
}
