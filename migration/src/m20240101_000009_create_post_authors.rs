use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_indexes, create_table, drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Authors as the post names them, in order; linked to a person when the catalog has one.
        let table = Table::create()
            .table("post_authors")
            .col(big_integer("post_id"))
            .col(integer("position"))
            .col(string_len("name", 255))
            .col(big_integer_null("person_id"))
            .primary_key(Index::create().col("post_id").col("position"))
            .foreign_key(&mut fk(
                "post_authors",
                "post_id",
                "posts",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "post_authors",
                "person_id",
                "people",
                ForeignKeyAction::SetNull,
            ))
            .to_owned();
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                index("post_authors", &["name"]),
                index("post_authors", &["person_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["post_authors"]).await
    }
}
