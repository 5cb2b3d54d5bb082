//! The audit log: every write, by whom, with the fields before and after; the history and the
//! change feed read it.

use entity::audit_entry;
use entity::sea_orm_active_enums::AuditAction;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{Map, Value};

use super::row::Row;
use super::{Resource, input};
use crate::error::ApiResult;
use crate::services::caller::Caller;
use crate::services::text::now;

/// Who wrote: a token, or the importer.
#[derive(Debug, Clone)]
pub struct Actor {
    pub token_id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The corpus and catalog importer.
    pub fn import() -> Self {
        Self {
            token_id: None,
            name: "import".to_owned(),
        }
    }
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Self {
        Self {
            token_id: Some(caller.token_id),
            name: caller.name.clone(),
        }
    }
}

/// What a write did to a record's writable state.
pub enum Change {
    /// The new record.
    Create(Value),
    /// The fields that changed: before and after.
    Update(Map<String, Value>, Map<String, Value>),
    /// The record as it was.
    Delete(Value),
}

impl Change {
    /// `record` as JSON, for [`Change::Create`] and [`Change::Delete`].
    pub fn json(record: &impl serde::Serialize) -> ApiResult<Value> {
        Ok(serde_json::to_value(record).map_err(anyhow::Error::from)?)
    }

    fn parts(self) -> (AuditAction, Option<Value>, Option<Value>) {
        match self {
            Change::Create(after) => (AuditAction::Create, None, Some(after)),
            Change::Update(old, new) => (AuditAction::Update, Some(old.into()), Some(new.into())),
            Change::Delete(before) => (AuditAction::Delete, Some(before), None),
        }
    }
}

/// Records one write of `model` in the audit log.
pub async fn audit<R: Resource>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    model: &R::Model,
    change: Change,
) -> ApiResult<()> {
    let (action, before, after) = change.parts();
    let slug = R::slug(txn, model).await?;
    let changed = match action {
        AuditAction::Update => after
            .as_ref()
            .and_then(Value::as_object)
            .map(|fields| fields.keys().map(String::as_str).collect()),
        _ => None,
    };
    super::stale::note(
        R::TYPE,
        &slug,
        before.as_ref().and_then(Value::as_object),
        R::event_id(model),
        changed,
    );
    audit_entry::ActiveModel {
        token_id: Set(actor.token_id),
        token_name: Set(actor.name.clone()),
        at: Set(now()),
        action: Set(action),
        entity_type: Set(R::TYPE),
        entity_id: Set(model.id()),
        entity_slug: Set(slug),
        event_id: Set(R::event_id(model)),
        before: Set(before),
        after: Set(after),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Audits a create (`before` is `None`) or an update of `model` made outside the write API
/// (by the importer), so the change feed has it; nothing when no writable field changed.
pub async fn record_change<R: Resource>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    model: &R::Model,
    before: Option<R::Record>,
) -> ApiResult<()> {
    let after = R::record(txn, model).await?;
    let change = match before {
        None => Change::Create(Change::json(&after)?),
        Some(before) => match input::changed(&before, &after) {
            (_, new) if new.is_empty() => return Ok(()),
            (old, new) => Change::Update(old, new),
        },
    };
    audit::<R>(txn, actor, model, change).await
}

/// Soft-deletes `model` outside the write API (the importer withdrawing a record no post
/// names any longer), with its tombstone in the change feed.
pub async fn record_removal<R: Resource>(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    model: &R::Model,
) -> ApiResult<()> {
    let before = Change::json(&R::record(txn, model).await?)?;
    super::row::soft_delete(txn, model).await?;
    audit::<R>(txn, actor, model, Change::Delete(before)).await
}
