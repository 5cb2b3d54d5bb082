//! People taking part in an event in a role without a known talk: "Among the speakers were
//! Manuel Gil, Alvaro Soto, …".

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
            .table("participations")
            .col(big_pk_auto("id"))
            .col(big_integer("event_id"))
            .col(big_integer("person_id"))
            .col(string_len("role", ENUM_LEN))
            .foreign_key(&mut fk(
                "participations",
                "event_id",
                "events",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "participations",
                "person_id",
                "people",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        record_columns(backend, &mut table);
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                unique("participations", &["event_id", "person_id"]),
                index("participations", &["person_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["participations"]).await
    }
}
