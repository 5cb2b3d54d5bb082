use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, fk, index, unique,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Tags and categories, told apart by `kind`.
        let terms = Table::create()
            .table("terms")
            .col(big_pk_auto("id"))
            .col(string_len("kind", ENUM_LEN))
            .col(string_len("slug", SLUG_LEN))
            .col(string_len("name", 255))
            .to_owned();
        create_table(manager, terms).await?;
        let post_terms = Table::create()
            .table("post_terms")
            .col(big_integer("post_id"))
            .col(big_integer("term_id"))
            .primary_key(Index::create().col("post_id").col("term_id"))
            .foreign_key(&mut fk(
                "post_terms",
                "post_id",
                "posts",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "post_terms",
                "term_id",
                "terms",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create_table(manager, post_terms).await?;
        create_indexes(
            manager,
            vec![
                unique("terms", &["kind", "slug"]),
                index("post_terms", &["term_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["post_terms", "terms"]).await
    }
}
