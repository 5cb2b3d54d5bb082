use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_table, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // What each write of the API made stale, under the data version it committed as: the
        // records it changed (by slug) and the lists that could show them. A replica that
        // finds every version since its last one here drops only the cached responses those
        // touch; a version missing here (the importer's) drops everything.
        let table = Table::create()
            .table("cache_invalidations")
            .col(big_integer("version").primary_key())
            .col(text("tags"))
            .to_owned();
        create_table(manager, table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["cache_invalidations"]).await
    }
}
