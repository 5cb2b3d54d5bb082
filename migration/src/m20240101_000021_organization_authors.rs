//! An organization can write a post (`author: oss.lat`): its author row links to the
//! organization, as a person's links to the person.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_indexes, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("post_authors")
                    .add_column(big_integer_null("organization_id"))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, vec![index("post_authors", &["organization_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_post_authors_organization_id")
                    .table("post_authors")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("post_authors")
                    .drop_column("organization_id")
                    .to_owned(),
            )
            .await
    }
}
