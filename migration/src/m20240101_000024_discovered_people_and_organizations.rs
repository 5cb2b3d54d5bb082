//! People and organizations a post names that the catalog lacks are discovered, as events are:
//! each keeps the post it was found in, and is `unverified` until someone edits it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_indexes, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["people", "organizations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer_null("discovered_in_post_id"))
                        .to_owned(),
                )
                .await?;
        }
        create_indexes(
            manager,
            TABLES
                .iter()
                .map(|t| index(t, &["discovered_in_post_id"]))
                .collect(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_discovered_in_post_id"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("discovered_in_post_id")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
