//! The audit log: every write, by whom, with the fields before and after; the history and the
//! change feed read it.

use entity::audit_entry;
use entity::sea_orm_active_enums::AuditAction;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

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

/// Records one write of `model` in the audit log.
pub async fn audit<R: Resource>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    action: AuditAction,
    model: &R::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    audit_entry::ActiveModel {
        token_id: Set(actor.token_id),
        token_name: Set(actor.name.clone()),
        at: Set(now()),
        action: Set(action),
        entity_type: Set(R::TYPE),
        entity_id: Set(model.id()),
        entity_slug: Set(R::slug(txn, model).await?),
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
    let to_json = |r: &R::Record| serde_json::to_value(r).map_err(anyhow::Error::from);
    match before {
        None => {
            audit::<R>(
                txn,
                actor,
                AuditAction::Create,
                model,
                None,
                Some(to_json(&after)?),
            )
            .await
        }
        Some(before) => {
            let (old, new) = input::changed(&before, &after);
            if new.is_empty() {
                return Ok(());
            }
            let action = AuditAction::Update;
            audit::<R>(
                txn,
                actor,
                action,
                model,
                Some(old.into()),
                Some(new.into()),
            )
            .await
        }
    }
}
