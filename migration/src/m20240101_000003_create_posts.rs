use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    SLUG_LEN, create_indexes, create_table, drop_tables, index, instant, long_text, record_columns,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create()
            .table("posts")
            .col(big_pk_auto("id"))
            .col(string_len_uniq("slug", SLUG_LEN))
            .col(string_len("title", 500))
            .col(instant(backend, "published_at"))
            // Offset of the publication time as written, in minutes; NULL when the source
            // gave no offset (a floating local time, read as UTC).
            .col(integer_null("published_offset_minutes"))
            .col(text_null("summary"))
            .col(long_text(backend, "body_markdown"))
            .col(long_text(backend, "body_html"))
            .col(json("images"))
            .col(boolean("draft"))
            .col(string_len("source_path", 1024))
            .col(string_len("front_matter_format", 8))
            .col(string_len("content_hash", 64))
            .col(integer("reading_minutes"))
            .col(long_text(backend, "search_text"))
            .to_owned();
        record_columns(backend, &mut table);
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                index("posts", &["published_at"]),
                index("posts", &["draft", "published_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["posts"]).await
    }
}
