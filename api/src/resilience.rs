//! Keeping the server up under abuse: a panic in a handler becomes a 500, and each worker
//! serves a bounded number of requests at once, each for a bounded time, answering 503 with
//! `Retry-After` beyond either bound instead of queueing without end.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use futures_util::FutureExt as _;

use crate::error::ApiError;

/// Turns a panic while serving a request into a logged 500 problem; the worker keeps serving.
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // (The request cannot be cloned before routing: the error carries the response.)
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            tracing::error!(panic = %message, "a handler panicked");
            Err(ApiError::Internal(anyhow::anyhow!("panic: {message}")).into())
        }
    }
}

/// The bounds of one worker.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Requests a worker serves at once; more get 503.
    pub max_in_flight: usize,
    /// How long a request may take; longer ones are cancelled with a 503.
    pub request_timeout: Duration,
}

/// One worker's count of requests in flight (a worker is one thread: no atomics needed).
#[derive(Debug, Default)]
pub struct InFlight(Rc<Cell<usize>>);

struct Slot(Rc<Cell<usize>>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// Applies [`Bounds`]: 503 with `Retry-After` when the worker is full or the request too slow.
pub async fn bound(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (Some(bounds), Some(in_flight)) = (
        req.app_data::<web::Data<Bounds>>().map(|b| *b.get_ref()),
        req.app_data::<web::Data<InFlight>>().map(|c| c.0.clone()),
    ) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if in_flight.get() >= bounds.max_in_flight {
        return Ok(req.into_response(
            ApiError::Overloaded("the server is at capacity; try again shortly".to_owned())
                .error_response(),
        ));
    }
    in_flight.set(in_flight.get() + 1);
    let _slot = Slot(in_flight);
    match tokio::time::timeout(bounds.request_timeout, next.call(req)).await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(_) => {
            tracing::warn!(
                timeout_ms = bounds.request_timeout.as_millis() as u64,
                "request cancelled: it took too long"
            );
            Err(
                ApiError::Overloaded("the request took too long and was cancelled".to_owned())
                    .into(),
            )
        }
    }
}
