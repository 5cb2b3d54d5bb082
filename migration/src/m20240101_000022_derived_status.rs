//! An event's status is stated by a source (a post that reports the outcome, an organizer) or
//! derived from its dates and the day: `status_stated` tells which. `date_precision` says
//! whether its dates are days or stand for a month ("KCD Norway in January 2024").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One connection for every statement: MySQL's stop-word setting is per session.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::m20240101_000017_contract_v1::keep_stop_words(manager).await?;
        // Every status so far was written by the catalog or an organizer: stated.
        for column in [
            boolean("status_stated").default(true).to_owned(),
            string_len("date_precision", 32).default("day").to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table("events").add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::m20240101_000017_contract_v1::keep_stop_words(manager).await?;
        for column in ["status_stated", "date_precision"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("events")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
