//! Slugs of written records: one record a slug, and old slugs kept as aliases that redirect.

use entity::sea_orm_active_enums::EntityType;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use super::Resource;
use super::row::{self, Row};
use crate::error::{ApiError, ApiResult};

/// 409 when another record of `R` holds `slug`, live or deleted, or still redirects from it
/// (an old slug of theirs): taking it would take over their old URLs.
pub async fn claim<R: Resource>(
    db: &DatabaseTransaction,
    slug: &str,
    existing: Option<&R::Model>,
) -> ApiResult<()> {
    use entity::slug_alias;
    let what = R::WHAT;
    if row::slug_held(db, slug, existing, None).await? {
        return Err(slug_taken(what, slug));
    }
    let redirecting = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(R::TYPE))
        .filter(slug_alias::Column::Slug.eq(slug))
        .filter(slug_alias::Column::TargetId.ne(existing.map_or(0, Row::id)))
        .one(db)
        .await?;
    match redirecting {
        Some(_) => Err(ApiError::Conflict {
            detail: format!("`{slug}` is an old slug of another {what} and still redirects there"),
            field: Some("/slug".to_owned()),
        }),
        None => Ok(()),
    }
}

/// Writes what [`row::start`] began for a record of `R` with a slug, keeping its old slug as an
/// alias when the slug changed.
pub async fn store_renamed<R: Resource>(
    db: &DatabaseTransaction,
    am: <R::Model as Row>::Active,
    existing: Option<&R::Model>,
) -> ApiResult<R::Model> {
    let model = row::store(db, am, existing).await?;
    if let (Some(old), Some(new)) = (existing.and_then(Row::slug), model.slug()) {
        keep_alias(db, R::TYPE, old, new, model.id()).await?;
    }
    Ok(model)
}

/// 409 naming the slug when another live or deleted record of this kind holds it.
pub fn slug_taken(what: &str, slug: &str) -> ApiError {
    ApiError::Conflict {
        detail: format!("another {what} already has the slug `{slug}`"),
        field: Some("/slug".to_owned()),
    }
}

/// Keeps `old` as an alias of the record `id` after a slug change.
pub async fn keep_alias(
    txn: &DatabaseTransaction,
    entity_type: EntityType,
    old: &str,
    new: &str,
    id: i64,
) -> ApiResult<()> {
    use entity::slug_alias;
    if old == new {
        return Ok(());
    }
    // The new slug is now a record's own; an alias with it would only shadow nothing.
    slug_alias::Entity::delete_many()
        .filter(slug_alias::Column::EntityType.eq(entity_type))
        .filter(slug_alias::Column::Slug.is_in([old, new]))
        .exec(txn)
        .await?;
    Ok(add_alias(txn, entity_type, old, id).await?)
}

/// Makes `slug` lead to the record `target_id` of this kind.
pub async fn add_alias(
    db: &impl sea_orm::ConnectionTrait,
    entity_type: EntityType,
    slug: &str,
    target_id: i64,
) -> Result<(), sea_orm::DbErr> {
    entity::slug_alias::ActiveModel {
        entity_type: Set(entity_type),
        slug: Set(slug.to_owned()),
        target_id: Set(target_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
