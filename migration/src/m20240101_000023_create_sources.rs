//! Where each fact comes from: a post and the words in it that state the fact, or a public
//! record (its URL and the day it was read). A source names the fields of its record it backs;
//! none means the record itself (that it exists, under its name).

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("sources")
            .col(big_pk_auto("id"))
            .col(string_len("entity_type", ENUM_LEN))
            .col(big_integer("entity_id"))
            // A JSON array of field names.
            .col(text("fields"))
            // Posts are named by slug: the catalog cites posts before they are imported.
            .col(string_len_null("post_slug", SLUG_LEN))
            .col(text_null("quote"))
            .col(string_len_null("url", 2048))
            .col(date_null("retrieved_on"))
            .to_owned();
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![index("sources", &["entity_type", "entity_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["sources"]).await
    }
}
