use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, fk, index, instant,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let table = Table::create()
            .table("audit_entries")
            .col(big_pk_auto("id"))
            .col(big_integer_null("token_id"))
            .col(string_len("token_name", 100))
            .col(instant(backend, "at"))
            .col(string_len("action", ENUM_LEN))
            .col(string_len("entity_type", ENUM_LEN))
            .col(big_integer("entity_id"))
            .col(string_len("entity_slug", SLUG_LEN))
            // The event the record belongs to, for an event's history.
            .col(big_integer_null("event_id"))
            .col(json_null("before"))
            .col(json_null("after"))
            .foreign_key(&mut fk(
                "audit_entries",
                "token_id",
                "api_tokens",
                ForeignKeyAction::SetNull,
            ))
            .to_owned();
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                index("audit_entries", &["event_id", "id"]),
                index("audit_entries", &["entity_type", "entity_id", "id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["audit_entries"]).await
    }
}
