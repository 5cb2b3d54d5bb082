//! Cross-cutting HTTP behaviour: request ids, conditional GETs and caching headers, HEAD.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use tracing::Instrument as _;

use crate::cache::{Cached, DataVersion, ResponseCache};

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served: the client's `X-Request-Id` when it sent a sensible
/// one, else a new one (see [`new_request_id`]).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn acceptable_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| text.to_owned())
}

/// A new request id: a random prefix per process and a counter, unique across replicas without
/// a random number per request.
fn new_request_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<String> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
    format!("{prefix}-{:x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Gives every request an id, echoed in `X-Request-Id`; serves it inside a log span carrying
/// that id (so every line logged meanwhile has it) and its status once known, with a warning
/// for a 5xx; and sets the security headers of every response (a restrictive CSP on the docs
/// UI).
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(X_REQUEST_ID)
        .and_then(acceptable_id)
        .unwrap_or_else(new_request_id);
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.path(),
        request_id = %id,
        status = tracing::field::Empty,
    );
    req.extensions_mut().insert(RequestId(id.clone()));
    let docs = req.path().starts_with("/docs");
    let outcome = span
        .in_scope(|| next.call(req))
        .instrument(span.clone())
        .await;
    let status = match &outcome {
        Ok(res) => res.status(),
        Err(err) => err.as_response_error().status_code(),
    };
    span.record("status", status.as_u16());
    if status.is_server_error() {
        tracing::warn!(parent: &span, status = status.as_u16(), "request failed");
    } else {
        tracing::debug!(parent: &span, status = status.as_u16(), "request served");
    }
    match outcome {
        Ok(mut res) => {
            stamp(res.headers_mut(), &id, docs);
            Ok(res)
        }
        // A middleware failed (a panic, a timeout): its response gets the headers too.
        Err(err) => {
            let mut response = err.error_response();
            stamp(response.headers_mut(), &id, docs);
            Err(actix_web::error::InternalError::from_response(err.to_string(), response).into())
        }
    }
}

/// The headers of every response: the request id and the security headers.
fn stamp(headers: &mut actix_web::http::header::HeaderMap, id: &str, docs: bool) {
    if let Ok(value) = HeaderValue::from_str(id) {
        headers.insert(X_REQUEST_ID, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if docs {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::routes::docs::DOCS_CSP),
        );
    }
}

/// Settings of [`conditional_get`].
#[derive(Debug, Clone, Copy)]
pub struct CachePolicy {
    /// `max-age` of public API reads, in seconds.
    pub max_age: u32,
}

/// HEAD is served as GET without a body; every successful GET gets a strong `ETag` (a hash of
/// the body) and answers `304 Not Modified` when `If-None-Match` has it; public API reads get
/// `Cache-Control: public, max-age=N` and are served from the [`ResponseCache`] until a write
/// touches what they show (see [`crate::cache`]). A successful write makes the next read check
/// the data version.
pub async fn conditional_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The connection already knows this is a HEAD and will send no body.
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    if req.method() != Method::GET {
        let res = next.call(req).await?;
        if res.status().is_success()
            && let Some(version) = res.request().app_data::<web::Data<DataVersion>>()
        {
            version.invalidate();
        }
        return Ok(res.map_into_boxed_body());
    }
    let policy = req
        .app_data::<web::Data<CachePolicy>>()
        .map(|p| *p.get_ref());
    let public = req.path().starts_with("/api/");
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut slot = match cache_slot(&req, public).await {
        Ok(slot) => slot,
        Err(hit) => {
            if let Some(route) = &hit.route {
                req.extensions_mut()
                    .insert(crate::metrics::Route(route.clone()));
            }
            return Ok(req.into_response(cached_response(&hit, if_none_match.as_ref())));
        }
    };
    // One request makes a missing response; the same requests arriving meanwhile wait for it.
    let mut _maker = None;
    let mut keep = true;
    if let Some((cache, key, version)) = &slot {
        match cache.clone().into_inner().turn(key, *version) {
            crate::cache::Turn::Make(maker) => _maker = Some(maker),
            crate::cache::Turn::Wait(mut done) => {
                let made = tokio::time::timeout(
                    std::time::Duration::from_secs(30),
                    done.wait_for(Option::is_some),
                )
                .await;
                if let Ok(Ok(made)) = made
                    && let Some(hit) = made.clone()
                {
                    if let Some(route) = &hit.route {
                        req.extensions_mut()
                            .insert(crate::metrics::Route(route.clone()));
                    }
                    return Ok(req.into_response(cached_response(&hit, if_none_match.as_ref())));
                }
                // The maker failed or made something not to keep: make it here, uncached.
                keep = false;
            }
        }
    }
    if !keep {
        slot = None;
    }
    let res = next.call(req).await?;
    if res.status() != StatusCode::OK {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.into().to_string()))?;
    let etag = format!("\"{}\"", &blake3::hash(&bytes).to_hex()[..32]);
    let etag_value =
        HeaderValue::from_str(&etag).map_err(actix_web::error::ErrorInternalServerError)?;
    head.headers_mut().insert(header::ETAG, etag_value.clone());
    if public
        && let Some(policy) = policy
        && !head.headers().contains_key(header::CACHE_CONTROL)
        && let Ok(value) = HeaderValue::from_str(&format!("public, max-age={}", policy.max_age))
    {
        head.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    if let Some((cache, key, version)) = slot
        && shareable(head.headers())
    {
        let made = std::sync::Arc::new(Cached {
            route: req.match_pattern().map(std::sync::Arc::from),
            body: bytes.clone(),
            headers: head
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect(),
        });
        let ld = key.contains("#ld@");
        let tags = crate::cache::response_tags(
            req.match_pattern().as_deref(),
            req.path(),
            req.query_string(),
            ld,
            &bytes,
        );
        cache.put_shared(key, version, tags, made.clone());
        if let Some(maker) = _maker.take() {
            maker.finish(made);
        }
    }
    if if_none_match.is_some_and(|inm| matches_etag(&inm, &etag)) {
        return Ok(ServiceResponse::new(
            req,
            not_modified(head.headers().iter()),
        ));
    }
    Ok(ServiceResponse::new(
        req,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}

/// Where a public read's response would be cached (`Ok`), or the cached response (`Err`).
async fn cache_slot(
    req: &ServiceRequest,
    public: bool,
) -> Result<Option<(web::Data<ResponseCache>, String, i64)>, std::sync::Arc<Cached>> {
    if !public || req.headers().contains_key(header::AUTHORIZATION) {
        return Ok(None);
    }
    let (Some(cache), Some(version), Some(state)) = (
        req.app_data::<web::Data<ResponseCache>>(),
        req.app_data::<web::Data<DataVersion>>(),
        req.app_data::<web::Data<crate::state::AppState>>(),
    ) else {
        return Ok(None);
    };
    if !cache.enabled() {
        return Ok(None);
    }
    // Without the version (database down) the handler answers, with its own error.
    let Ok(version) = version.current(&state.db, cache).await else {
        return Ok(None);
    };
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let origin = state.origin.base(req.request());
    let key = crate::cache::key(&origin, req.path(), req.query_string(), accept);
    let metrics = req.app_data::<web::Data<crate::metrics::Metrics>>();
    let counter = |hit: bool| {
        if let Some(m) = metrics {
            let c = if hit { &m.cache_hits } else { &m.cache_misses };
            c.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    match cache.get(&key) {
        Some(hit) => {
            counter(true);
            Err(hit)
        }
        None => {
            counter(false);
            Ok(Some((cache.clone(), key, version)))
        }
    }
}

/// Whether a response may be kept for everyone (not `private` or `no-cache`).
fn shareable(headers: &actix_web::http::header::HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| {
            !v.contains("private") && !v.contains("no-cache") && !v.contains("no-store")
        })
}

fn cached_response(hit: &Cached, if_none_match: Option<&HeaderValue>) -> HttpResponse {
    let headers = hit.headers.iter().map(|(n, v)| (n, v));
    let etag = hit
        .headers
        .iter()
        .find(|(name, _)| name == header::ETAG)
        .and_then(|(_, v)| v.to_str().ok())
        .unwrap_or_default();
    if if_none_match.is_some_and(|inm| matches_etag(inm, etag)) {
        return not_modified(headers);
    }
    let mut response = HttpResponse::with_body(StatusCode::OK, hit.body.clone());
    for (name, value) in headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response.map_into_boxed_body()
}

/// A `304` with the headers of the response it stands for that a cache needs to update its
/// copy: the validator, the freshness and the variants.
fn not_modified<'h>(
    headers: impl Iterator<Item = (&'h HeaderName, &'h HeaderValue)>,
) -> HttpResponse {
    let mut response = HttpResponse::new(StatusCode::NOT_MODIFIED);
    for (name, value) in headers {
        if name == header::ETAG || name == header::CACHE_CONTROL || name == header::VARY {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

/// Whether an `If-None-Match` value lists `etag` (or is `*`); weak tags compare by their value.
fn matches_etag(header: &HeaderValue, etag: &str) -> bool {
    header.to_str().is_ok_and(|list| {
        list.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_understood() {
        let tag = "\"abc\"";
        assert!(matches_etag(&HeaderValue::from_static("\"abc\""), tag));
        assert!(matches_etag(
            &HeaderValue::from_static("\"x\", W/\"abc\""),
            tag
        ));
        assert!(matches_etag(&HeaderValue::from_static("*"), tag));
        assert!(!matches_etag(&HeaderValue::from_static("\"abd\""), tag));
    }

    #[test]
    fn only_sensible_request_ids_are_echoed() {
        assert_eq!(
            acceptable_id(&HeaderValue::from_static("abc-123")).as_deref(),
            Some("abc-123")
        );
        assert_eq!(acceptable_id(&HeaderValue::from_static("a b")), None);
        assert_eq!(
            acceptable_id(&HeaderValue::from_str(&"x".repeat(200)).unwrap()),
            None
        );
    }
}
