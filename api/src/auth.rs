//! Bearer tokens on requests: the `Authorization` header read into a [`Caller`], and how often
//! each token may write.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::state::AppState;

/// The secret of `Authorization: Bearer <secret>`.
fn bearer(req: &HttpRequest) -> ApiResult<&str> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized {
            detail: "this request needs `Authorization: Bearer <token>`".to_owned(),
            presented: false,
        });
    };
    let value = value.to_str().unwrap_or_default().trim();
    match value.split_once(' ') {
        Some((scheme, secret)) if scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty() => {
            Ok(secret.trim())
        }
        _ => Err(ApiError::Unauthorized {
            detail: "the Authorization header must be `Bearer <token>`".to_owned(),
            presented: true,
        }),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = ApiResult<Self>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no application state")))?
                .clone();
            let secret = bearer(&req)?;
            crate::services::tokens::authenticate(&state.db, secret).await
        })
    }
}

/// A [`Caller`] that is allowed one more write by the rate limit.
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

impl std::ops::Deref for Writer {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl FromRequest for Writer {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = ApiResult<Self>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        let limiter = req.app_data::<web::Data<WriteLimiter>>().cloned();
        Box::pin(async move {
            let caller = caller.await?;
            if let Some(limiter) = limiter {
                limiter.check(caller.token_id)?;
            }
            Ok(Writer(caller))
        })
    }
}

/// Per-token token buckets, in this process.
#[derive(Debug)]
pub struct WriteLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl WriteLimiter {
    /// `per_minute` writes a minute per token, in bursts of up to as many; 0: unlimited.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one write from the token's bucket, or says how long to wait for one.
    pub fn check(&self, token_id: i64) -> ApiResult<()> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(token_id).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = refilled.min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = Duration::from_secs_f64((1.0 - bucket.tokens) / per_second);
            Err(ApiError::TooManyRequests(wait.as_secs().max(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_empties_and_says_when_to_retry() {
        let limiter = WriteLimiter::new(3);
        for _ in 0..3 {
            limiter.check(1).unwrap();
        }
        match limiter.check(1) {
            Err(ApiError::TooManyRequests(seconds)) => assert!((1..=20).contains(&seconds)),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another token has its own bucket.
        limiter.check(2).unwrap();
        // Off means off.
        let off = WriteLimiter::new(0);
        for _ in 0..1000 {
            off.check(1).unwrap();
        }
    }
}
