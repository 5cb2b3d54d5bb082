//! API tokens: only a hash of the secret is stored; the secret is shown once, at creation.

use chrono::{SubsecRound, Utc};
use entity::api_token;
use entity::event;
use entity::sea_orm_active_enums::TokenRole;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;

/// How often `last_used_at` is written for a busy token.
const LAST_USED_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
use sha2::{Digest, Sha256};

/// Why a token could not be made or changed.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("a token named {0:?} already exists")]
    NameTaken(String),
    #[error("no event has the slug {0:?}")]
    UnknownEvent(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

/// Hex SHA-256 of a secret: what the database keeps.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality that takes the same time wherever the strings differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The live token whose secret is `secret`, as a [`Caller`]; 401 when there is none.
pub async fn authenticate(db: &impl ConnectionTrait, secret: &str) -> ApiResult<Caller> {
    let hash = hash_secret(secret);
    let invalid = || ApiError::Unauthorized {
        detail: "the token is unknown or revoked".to_owned(),
        presented: true,
    };
    let token = api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(hash.as_str()))
        .one(db)
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
            .exec(db)
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

/// A new random secret: `edt_` and 64 hex digits (244 random bits).
fn new_secret() -> String {
    format!(
        "edt_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Creates a token; returns it with its secret, which is never stored.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    role: TokenRole,
    event_slugs: &[String],
    series: &[String],
) -> Result<(api_token::Model, String), TokenError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(TokenError::Invalid(
            "the name must be 1 to 100 characters".into(),
        ));
    }
    if role == TokenRole::Organizer && event_slugs.is_empty() && series.is_empty() {
        return Err(TokenError::Invalid(
            "an organizer token needs at least one --event or --series".into(),
        ));
    }
    // A series is named by its slug, as events and `?series=` name it; a name would match
    // nothing.
    if let Some(bad) = series
        .iter()
        .find(|s| super::writes::input::slug(s).is_err())
    {
        return Err(TokenError::Invalid(format!(
            "--series {bad:?} is not a series slug; use the slug `GET /api/v1/series` lists (`{}`)",
            super::text::slug_from(bad)
        )));
    }
    if api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(TokenError::NameTaken(name.to_owned()));
    }
    let mut event_ids = Vec::new();
    for slug in event_slugs {
        let found = event::Entity::find()
            .filter(event::Column::Slug.eq(slug.as_str()))
            .filter(event::Column::DeletedAt.is_null())
            .one(db)
            .await?
            .ok_or_else(|| TokenError::UnknownEvent(slug.clone()))?;
        event_ids.push(found.id);
    }
    let secret = new_secret();
    let token = api_token::ActiveModel {
        name: Set(name.to_owned()),
        secret_hash: Set(hash_secret(&secret)),
        role: Set(role),
        event_ids: Set(json!(event_ids)),
        series: Set(json!(series)),
        created_at: Set(Utc::now().trunc_subsecs(6)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, secret))
}

/// Every token, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_token::Model>, sea_orm::DbErr> {
    api_token::Entity::find()
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await
}

/// Revokes a token by name; `false` when there is no such token.
pub async fn revoke(db: &impl ConnectionTrait, name: &str) -> Result<bool, sea_orm::DbErr> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    if token.revoked_at.is_none() {
        let mut am: api_token::ActiveModel = token.into();
        am.revoked_at = Set(Some(Utc::now().trunc_subsecs(6)));
        am.update(db).await?;
    }
    Ok(true)
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
    fn secrets_are_long_random_and_hashed() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(hash_secret(&a).len(), 64);
        assert_ne!(hash_secret(&a), hash_secret(&b));
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
