use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, fk, index, record_columns,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create()
            .table("events")
            .col(big_pk_auto("id"))
            .col(string_len_uniq("slug", SLUG_LEN))
            .col(string_len("name", 255))
            // The name folded to lowercase ASCII: sorts the same on every backend.
            .col(string_len("sort_name", 255))
            .col(string_len("kind", ENUM_LEN))
            .col(string_len_null("series", 255))
            .col(integer_null("year"))
            .col(date_null("starts_on"))
            .col(date_null("ends_on"))
            .col(string_len_null("timezone", 64))
            .col(string_len_null("venue", 255))
            .col(string_len_null("city", 255))
            .col(string_len_null("country", 2))
            .col(string_len_null("region", ENUM_LEN))
            .col(string_len_null("format", ENUM_LEN))
            .col(string_len("status", ENUM_LEN))
            .col(string_len_null("website", 2048))
            .col(string_len_null("registration_url", 2048))
            .col(date_null("cfp_opens_on"))
            .col(date_null("cfp_closes_on"))
            .col(integer_null("attendees"))
            .col(text_null("description"))
            .col(big_integer_null("co_located_with_id"))
            // The post an `unverified` event was discovered in.
            .col(big_integer_null("discovered_in_post_id"))
            .col(text("search_text"))
            .foreign_key(&mut fk(
                "events",
                "co_located_with_id",
                "events",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                "events",
                "discovered_in_post_id",
                "posts",
                ForeignKeyAction::SetNull,
            ))
            .to_owned();
        record_columns(backend, &mut table);
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                index("events", &["kind", "starts_on", "id"]),
                index("events", &["sort_name", "id"]),
                index("events", &["starts_on", "id"]),
                index("events", &["ends_on"]),
                index("events", &["country"]),
                index("events", &["region"]),
                index("events", &["series"]),
                index("events", &["year"]),
                index("events", &["status"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["events"]).await
    }
}
