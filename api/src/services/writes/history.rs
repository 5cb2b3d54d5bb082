//! Reading the audit log: an event's history, and the change feed of every write.

use chrono::{DateTime, Utc};
use entity::audit_entry;
use entity::sea_orm_active_enums::{AuditAction, EntityType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::services::cursor::{Cursor, page_of, trim};

const HISTORY: &str = "history";
const CHANGES: &str = "changes";

/// One write, as an event's history shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub at: DateTime<Utc>,
    /// The name of the token that wrote.
    #[schema(example = "kcd-mexico-team")]
    pub token: String,
    pub action: AuditAction,
    pub entity_type: EntityType,
    pub entity_id: i64,
    /// The record's slug (for sponsorships and organizers, the organization's or person's).
    pub entity_slug: String,
    /// The changed fields before the write (`null` on create).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The changed fields after the write (`null` on delete).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<audit_entry::Model> for AuditView {
    fn from(e: audit_entry::Model) -> Self {
        Self {
            at: e.at,
            token: e.token_name,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            entity_slug: e.entity_slug,
            before: e.before,
            after: e.after,
        }
    }
}

/// Decodes a history cursor.
pub fn decode_cursor(text: Option<&str>) -> ApiResult<Option<i64>> {
    Ok(Cursor::parse(text, HISTORY)?.map(|c| c.id))
}

/// One page of an event's history, newest first, and the cursor of the next.
pub async fn of_event(
    db: &impl ConnectionTrait,
    event_id: i64,
    limit: u64,
    before_id: Option<i64>,
) -> Result<(Vec<AuditView>, Option<Cursor>), DbErr> {
    let mut query = audit_entry::Entity::find().filter(audit_entry::Column::EventId.eq(event_id));
    if let Some(id) = before_id {
        query = query.filter(audit_entry::Column::Id.lt(id));
    }
    let query = query.order_by_desc(audit_entry::Column::Id);
    let (rows, next) = page_of(db, query, limit, HISTORY, |r| (None, r.id)).await?;
    Ok((rows.into_iter().map(AuditView::from).collect(), next))
}

/// One change in the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// Increases with every change, in commit order.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    pub entity_type: EntityType,
    /// The record's id: the key to keep a copy by (slugs can change).
    pub entity_id: i64,
    pub entity_slug: String,
    /// On `create`, every writable field; on `update`, the fields that changed (merge them);
    /// on `delete`, `null` (a tombstone: drop the record). References are ids.
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

/// A page of the change feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    /// Changes after `since`, oldest first.
    pub data: Vec<ChangeView>,
    /// Pass as `since` to continue after these changes (also when there were none).
    #[schema(example = "eyJzIjoiY2hhbmdlcyIsImsiOm51bGwsImkiOjQyfQ")]
    pub next_since: String,
    /// Whether more changes are waiting now (ask again at once) or not (poll later).
    pub more: bool,
}

/// Decodes a `since` cursor.
pub fn decode_since(text: Option<&str>) -> ApiResult<i64> {
    // `0` is the start, as omitting it is: clients that keep a number start from it.
    let text = text.filter(|t| *t != "0");
    Ok(Cursor::parse(text, CHANGES)
        .map_err(|_| ApiError::bad_field("since", "is not a cursor this feed issued"))?
        .map_or(0, |c| c.id))
}

/// The changes after `since`, oldest first.
pub async fn changes(
    db: &impl ConnectionTrait,
    since: i64,
    limit: u64,
) -> Result<ChangesPage, DbErr> {
    let mut rows = audit_entry::Entity::find()
        .filter(audit_entry::Column::Id.gt(since))
        .order_by_asc(audit_entry::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = trim(&mut rows, limit);
    let last = rows.last().map_or(since, |r| r.id);
    Ok(ChangesPage {
        data: rows
            .into_iter()
            .map(|e| ChangeView {
                seq: e.id,
                at: e.at,
                action: e.action,
                entity_type: e.entity_type,
                entity_id: e.entity_id,
                entity_slug: e.entity_slug,
                data: e.after,
            })
            .collect(),
        next_since: Cursor {
            sort: CHANGES.to_owned(),
            key: None,
            id: last,
        }
        .encode(),
        more,
    })
}
