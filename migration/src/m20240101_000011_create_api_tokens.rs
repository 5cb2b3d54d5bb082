use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{ENUM_LEN, create_table, drop_tables, instant, instant_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let table = Table::create()
            .table("api_tokens")
            .col(big_pk_auto("id"))
            .col(string_len_uniq("name", 100))
            // SHA-256 of the secret, hex; the secret itself is never stored.
            .col(string_len_uniq("secret_hash", 64))
            .col(string_len("role", ENUM_LEN))
            // Ids of the events an organizer may edit, and the series they may create in.
            .col(json("event_ids"))
            .col(json("series"))
            .col(instant(backend, "created_at"))
            .col(instant_null(backend, "last_used_at"))
            .col(instant_null(backend, "revoked_at"))
            .to_owned();
        create_table(manager, table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["api_tokens"]).await
    }
}
