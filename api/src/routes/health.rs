//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// A probe's answer.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness probe
///
/// Answers 200 while the process runs; it does not touch the database.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_health",
    responses((status = 200, description = "The process is alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness probe
///
/// Answers 200 when the database answers a query, 503 otherwise.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_readiness",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
#[tracing::instrument(skip_all)]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => Ok(HttpResponse::Ok().json(Health { status: "ok" })),
        Ok(Err(err)) => Err(ApiError::Unavailable(err)),
        Err(_) => Err(ApiError::Unavailable(sea_orm::DbErr::Custom(
            "the database did not answer within 2 s".to_owned(),
        ))),
    }
}

/// Metrics
///
/// Counters, gauges and histograms in the Prometheus text format: requests by route template,
/// method and status; their latency; the database pool; the response cache; the start-up
/// import. When the server has a separate metrics address (`--metrics-bind`), they are
/// served there, and this path answers 404 on the API's address.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_metrics",
    responses(
        (status = 200, description = "Prometheus text exposition (version 0.0.4)",
            content_type = "text/plain; version=0.0.4", body = String),
        (status = 404, description = "Metrics are served on a separate address", body = crate::error::Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    metrics: web::Data<crate::metrics::Metrics>,
    cache: web::Data<crate::cache::ResponseCache>,
    version: web::Data<crate::cache::DataVersion>,
) -> HttpResponse {
    let body = metrics.render(&state.db, cache.bytes(), version.last());
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(body)
}
