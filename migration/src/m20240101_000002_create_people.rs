use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{SLUG_LEN, create_indexes, create_table, drop_tables, index, record_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create()
            .table("people")
            .col(big_pk_auto("id"))
            .col(string_len_uniq("slug", SLUG_LEN))
            .col(string_len("name", 255))
            // The name folded to lowercase ASCII: sorts the same on every backend.
            .col(string_len("sort_name", 255))
            .col(text_null("bio"))
            .col(string_len_null("company", 255))
            .col(string_len_null("country", 2))
            .col(string_len_null("website", 2048))
            .col(string_len_null("github", 2048))
            .col(string_len_null("linkedin", 2048))
            .col(string_len_null("x", 2048))
            .col(string_len_null("bluesky", 2048))
            .col(string_len_null("mastodon", 2048))
            .col(json("badges"))
            .col(text("search_text"))
            .to_owned();
        record_columns(backend, &mut table);
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                index("people", &["sort_name", "id"]),
                index("people", &["company"]),
                index("people", &["country"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["people"]).await
    }
}
