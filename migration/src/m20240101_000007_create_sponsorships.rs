use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    ENUM_LEN, create_indexes, create_table, drop_tables, fk, index, record_columns, unique,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create()
            .table("sponsorships")
            .col(big_pk_auto("id"))
            .col(big_integer("event_id"))
            .col(big_integer("organization_id"))
            // NULL when the tier is not known.
            .col(string_len_null("tier", ENUM_LEN))
            .foreign_key(&mut fk(
                "sponsorships",
                "event_id",
                "events",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "sponsorships",
                "organization_id",
                "organizations",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        record_columns(backend, &mut table);
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                unique("sponsorships", &["event_id", "organization_id"]),
                index("sponsorships", &["organization_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["sponsorships"]).await
    }
}
