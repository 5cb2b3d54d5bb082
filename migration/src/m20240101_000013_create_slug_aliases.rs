use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Old slugs (renamed records, Hugo `aliases`) that redirect to the current record.
        let table = Table::create()
            .table("slug_aliases")
            .col(big_pk_auto("id"))
            .col(string_len("entity_type", ENUM_LEN))
            .col(string_len("slug", SLUG_LEN))
            .col(big_integer("target_id"))
            .to_owned();
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                unique("slug_aliases", &["entity_type", "slug"]),
                index("slug_aliases", &["entity_type", "target_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["slug_aliases"]).await
    }
}
