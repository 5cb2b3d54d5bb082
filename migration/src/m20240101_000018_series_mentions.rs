//! A post can name a series without naming one of its editions ("I was part of the KCD Mexico
//! organizers"): such a mention links the post to the series, not to an edition made up from
//! the post's year.

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
                    .table("mentions")
                    .add_column(big_integer_null("series_id"))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, vec![index("mentions", &["series_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mentions_series_id")
                    .table("mentions")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("mentions")
                    .drop_column("series_id")
                    .to_owned(),
            )
            .await
    }
}
