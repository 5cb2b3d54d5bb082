//! What is refused before routing: requests nothing here can serve, and, with a separate
//! metrics address, what belongs on the other listener.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};

/// Refuses, before any routing, handler or query, what nothing here can serve: a method that
/// is not one of HTTP's standard ones (405 with `Allow` on a known path, else 404; no state is
/// kept for it); a path or query parameter holding a control character once percent-decoded
/// (NUL, which PostgreSQL cannot store in text, and the rest of C0 and DEL); a query parameter
/// that is not UTF-8 or holds a broken `%` escape. 400 naming the parameter; 404 for a path,
/// where no record can be.
pub async fn refuse_malformed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !crate::metrics::is_standard(req.method()) {
        let response = crate::routes::unmatched(req.request());
        return Ok(req.into_response(response));
    }
    if let Some((field, reason)) = malformed(req.path(), req.query_string()) {
        let problem = match field.as_str() {
            "path" => crate::error::ApiError::NotFound(
                "nothing is at a path holding a control character (such as NUL)".to_owned(),
            ),
            _ => crate::error::ApiError::bad_field(field, reason),
        };
        return Ok(req.error_response(problem));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The address of the separate metrics listener (`--metrics-bind`), when there is one.
#[derive(Clone, Copy, Debug)]
pub struct MetricsListener(pub std::net::SocketAddr);

/// With a separate metrics listener, `/metrics` is served there alone: the API's listener
/// answers 404 for it, and the metrics listener 404 for everything else.
pub async fn separate_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(listener) = req.app_data::<web::Data<MetricsListener>>() {
        let on_metrics_listener = req.app_config().local_addr() == listener.0;
        if on_metrics_listener != (req.path() == "/metrics") {
            return Ok(req.error_response(crate::error::ApiError::NotFound(
                "nothing is here".to_owned(),
            )));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// What is wrong with the request line, if anything: where (`path`, a query parameter's name,
/// or `query` when the name itself is bad) and why. A path or parameter may not hold a control
/// character once percent-decoded; a parameter must be UTF-8 with well-formed `%XX` escapes
/// (a lenient decoder would turn `%FF` or a lone `%` into something no client sent).
fn malformed(path: &str, query: &str) -> Option<(String, &'static str)> {
    const CONTROL: &str = "must not contain control characters (such as NUL)";
    const ENCODING: &str = "must be UTF-8 text, percent-encoded as %XX";
    let control = |bytes: &[u8]| bytes.iter().any(|&b| b < 0x20 || b == 0x7f);
    if control(&percent_decoded(path).0) {
        return Some(("path".to_owned(), CONTROL));
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, key_ok) = percent_decoded(key);
        let name = match String::from_utf8(key) {
            Ok(name) if key_ok && !control(name.as_bytes()) => name,
            Ok(name) if control(name.as_bytes()) => return Some(("query".to_owned(), CONTROL)),
            _ => return Some(("query".to_owned(), ENCODING)),
        };
        let (value, value_ok) = percent_decoded(value);
        if control(&value) {
            return Some((name, CONTROL));
        }
        if !value_ok || std::str::from_utf8(&value).is_err() {
            return Some((name, ENCODING));
        }
    }
    None
}

/// `text` with `%XX` escapes decoded (others left as they are), and whether every `%` began
/// such an escape.
fn percent_decoded(text: &str) -> (Vec<u8>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut well_formed = true;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            well_formed &= bytes[i] != b'%';
            out.push(bytes[i]);
            i += 1;
        }
    }
    (out, well_formed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_request_lines_name_the_place() {
        let at = |path: &str, query: &str| malformed(path, query).map(|(field, _)| field);
        assert_eq!(at("/e", "city=Lima&q=K%C3%B6ln+2024&x="), None);
        assert_eq!(at("/e%00", ""), Some("path".to_owned()));
        for bad in ["%00", "a%07", "%7F", "%FF", "%ED%A0%80", "%zz", "%", "a%2"] {
            assert_eq!(
                at("/e", &format!("limit=1&city={bad}")),
                Some("city".to_owned()),
                "{bad}"
            );
        }
        assert_eq!(at("/e", "ci%FFty=a"), Some("query".to_owned()));
        assert_eq!(at("/e", "ci%00ty=a"), Some("query".to_owned()));
    }
}
