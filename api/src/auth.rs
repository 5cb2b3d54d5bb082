//! Bearer tokens: who is calling, what they may change, and how often they may write.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{SubsecRound, Utc};
use entity::api_token;
use entity::event;
use entity::sea_orm_active_enums::TokenRole;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::error::{ApiError, ApiResult};
use crate::services::tokens::hash_secret;
use crate::startup::AppState;

/// How often `last_used_at` is written for a busy token.
const LAST_USED_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// An authenticated token and its scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub name: String,
    pub role: TokenRole,
    /// Events an organizer may edit.
    pub event_ids: Vec<i64>,
    /// Series an organizer may create (and edit) events in.
    pub series: Vec<String>,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.role == TokenRole::Admin
    }

    /// Whether this token may change `event` and what belongs to it.
    pub fn may_edit(&self, event: &event::Model) -> bool {
        self.is_admin()
            || self.event_ids.contains(&event.id)
            || event
                .series
                .as_ref()
                .is_some_and(|s| self.series.iter().any(|mine| mine == s))
    }

    /// Whether this token may create an event in `series`.
    pub fn may_create_in(&self, series: Option<&str>) -> bool {
        self.is_admin() || series.is_some_and(|s| self.series.iter().any(|mine| mine == s))
    }

    /// 403 unless this token may change `event`.
    pub fn check_event(&self, event: &event::Model) -> ApiResult<()> {
        if self.may_edit(event) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the token `{}` may not change the event `{}`",
                self.name, event.slug
            )))
        }
    }

    /// 403 unless this is an admin token.
    pub fn check_admin(&self, what: &str) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "only admin tokens may {what}; `{}` is an organizer token",
                self.name
            )))
        }
    }
}

/// Equality that takes the same time wherever the strings differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

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

/// Looks the token up by the hash of its secret.
pub async fn authenticate(state: &AppState, req: &HttpRequest) -> ApiResult<Caller> {
    let secret = bearer(req)?;
    let hash = hash_secret(secret);
    let invalid = || ApiError::Unauthorized {
        detail: "the token is unknown or revoked".to_owned(),
        presented: true,
    };
    let token = api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(hash.as_str()))
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    if !constant_time_eq(token.secret_hash.as_bytes(), hash.as_bytes())
        || token.revoked_at.is_some()
    {
        return Err(invalid());
    }
    let now = Utc::now().trunc_subsecs(6);
    if token
        .last_used_at
        .is_none_or(|at| now - at >= LAST_USED_RESOLUTION)
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .exec(&state.db)
            .await?;
    }
    Ok(Caller {
        token_id: token.id,
        name: token.name,
        role: token.role,
        event_ids: serde_json::from_value(token.event_ids).unwrap_or_default(),
        series: serde_json::from_value(token.series).unwrap_or_default(),
    })
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
            authenticate(&state, &req).await
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
    fn comparison_is_exact() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

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
