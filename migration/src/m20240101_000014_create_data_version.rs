use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_table, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row counting committed writes. Every write transaction increments it first, which
        // takes the row's lock until commit: writes are serialized, so audit entries are
        // numbered in commit order (the change feed relies on it), and readers can tell from
        // the value alone whether anything changed.
        let table = Table::create()
            .table("data_version")
            .col(integer("id").primary_key())
            .col(big_integer("value").default(0))
            .to_owned();
        create_table(manager, table).await?;
        let insert = Query::insert()
            .into_table("data_version")
            .columns(["id", "value"])
            .values_panic([1.into(), 0i64.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["data_version"]).await
    }
}
