//! Records the importer discovered in posts — events, people, organizations — exist because a
//! post names them. When no post names one any more (a post changed, or a later importer reads
//! the words as a series rather than an edition), and nobody has edited it, it is withdrawn:
//! soft-deleted, with its tombstone in the change feed.

use entity::{event, mention, organization, person};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, QueryTrait as _,
    TransactionTrait,
};

use crate::services::writes::events::Events;
use crate::services::writes::organizations::Organizations;
use crate::services::writes::people::People;
use crate::services::writes::{Actor, record_removal};

/// Withdraws the discovered, unedited records no post names. Returns how many.
pub(super) async fn prune_discovered(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let named = |column: mention::Column| {
        mention::Entity::find()
            .select_only()
            .column(column)
            .filter(column.is_not_null())
            .into_query()
    };
    let txn = db.begin().await?;
    let events = orphans::<event::Entity>(&txn, named(mention::Column::EventId)).await?;
    let people = orphans::<person::Entity>(&txn, named(mention::Column::PersonId)).await?;
    let orgs =
        orphans::<organization::Entity>(&txn, named(mention::Column::OrganizationId)).await?;
    let count = events.len() + people.len() + orgs.len();
    let fail = |e: crate::error::ApiError| DbErr::Custom(format!("withdrawing a record: {e}"));
    let actor = Actor::import();
    for e in &events {
        record_removal::<Events>(&txn, &actor, e)
            .await
            .map_err(fail)?;
    }
    for p in &people {
        record_removal::<People>(&txn, &actor, p)
            .await
            .map_err(fail)?;
    }
    for o in &orgs {
        record_removal::<Organizations>(&txn, &actor, o)
            .await
            .map_err(fail)?;
    }
    txn.commit().await?;
    Ok(count)
}

/// The live, unedited records of table `E` that a post discovered and none of `named` is.
async fn orphans<E: EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    named: sea_orm::sea_query::SelectStatement,
) -> Result<Vec<E::Model>, DbErr> {
    let col = crate::services::writes::row::column::<E>;
    E::find()
        .filter(col("discovered_in_post_id").is_not_null())
        .filter(col("version").eq(1))
        .filter(col("deleted_at").is_null())
        .filter(col("id").not_in_subquery(named))
        .all(db)
        .await
}
