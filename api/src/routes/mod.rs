//! HTTP routes. Every API route is registered through `utoipa_actix_web`, so none can be
//! missing from the OpenAPI document.

pub mod changes;
pub mod docs;
pub mod events;
pub mod feeds;
pub mod found;
pub mod health;
pub mod pagination;
pub mod posts;
pub mod resource;
pub mod search;
pub mod series;
pub mod speakers;
pub mod sponsors;

use actix_web::HttpResponse;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Registers every route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .configure(docs::configure)
                // Before the events: `/events/{slug}.ics` would otherwise be read as a slug.
                .configure(feeds::configure)
                .configure(events::configure)
                .configure(speakers::configure)
                .configure(sponsors::configure)
                .configure(posts::configure)
                .configure(series::configure)
                .configure(search::configure)
                .configure(changes::configure),
        );
}

/// 301 to the same path with the current slug in place of the old one.
pub fn moved(req: &actix_web::HttpRequest, old: &str, current: &str) -> HttpResponse {
    let path = req
        .path()
        .replacen(&format!("/{old}"), &format!("/{current}"), 1);
    let location = match req.query_string() {
        "" => path,
        q => format!("{path}?{q}"),
    };
    HttpResponse::MovedPermanently()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// The documented paths and the methods each answers, for telling 405 from 404.
pub struct RouteTable(Vec<(actix_web::dev::ResourceDef, Vec<String>)>);

impl RouteTable {
    /// Every path of the OpenAPI document, with GET routes also answering HEAD and OPTIONS.
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let mut table = Vec::new();
        for (path, item) in &spec.paths.paths {
            let json = serde_json::to_value(item).unwrap_or_default();
            let mut methods: Vec<String> = json
                .as_object()
                .map(|o| {
                    o.keys()
                        .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                        .map(|k| k.to_uppercase())
                        .collect()
                })
                .unwrap_or_default();
            methods.sort_unstable();
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".to_owned());
            }
            methods.push("OPTIONS".to_owned());
            table.push((actix_web::dev::ResourceDef::new(path.as_str()), methods));
        }
        RouteTable(table)
    }

    /// The methods `path` answers, if it is a documented path. When several documented paths
    /// match (`/events/{slug}` and `/events/{slug}.ics`), the most specific one — with the most
    /// literal characters — is the resource.
    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let literal = |def: &actix_web::dev::ResourceDef| {
            let pattern = def.pattern().unwrap_or_default();
            let mut depth = 0usize;
            pattern
                .chars()
                .filter(|c| match c {
                    '{' => {
                        depth += 1;
                        false
                    }
                    '}' => {
                        depth = depth.saturating_sub(1);
                        false
                    }
                    _ => depth == 0,
                })
                .count()
        };
        self.0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .max_by_key(|(def, _)| literal(def))
            .map(|(_, methods)| methods.clone())
    }
}

/// Anything no route matched: 405 with `Allow` on a known path, else 404.
pub async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    unmatched(&req)
}

/// The answer to a request no route takes: 405 with `Allow` on a known path, else 404.
pub fn unmatched(req: &actix_web::HttpRequest) -> HttpResponse {
    let table = req.app_data::<actix_web::web::Data<RouteTable>>();
    if let Some(allowed) = table.and_then(|t| t.allowed(req.path())) {
        let list = allowed.join(", ");
        let mut response = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed(
            format!("{} is not allowed here; use {list}", req.method()),
        ));
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&list) {
            response
                .headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        return response;
    }
    actix_web::ResponseError::error_response(&ApiError::NotFound("no such resource".to_owned()))
}

/// 201 with `Location`, `ETag` and the new representation.
pub fn created(written: crate::services::writes::Written) -> HttpResponse {
    use actix_web::http::header;
    HttpResponse::Created()
        .insert_header((header::LOCATION, written.location))
        .insert_header((header::ETAG, written.etag))
        .content_type(mime_json())
        .body(written.body)
}

/// 200 with the new `ETag` and representation.
pub fn updated(written: crate::services::writes::Written) -> HttpResponse {
    use actix_web::http::header;
    HttpResponse::Ok()
        .insert_header((header::ETAG, written.etag))
        .content_type(mime_json())
        .body(written.body)
}

fn mime_json() -> &'static str {
    "application/json"
}
