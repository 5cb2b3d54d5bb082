use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{create_indexes, create_table, drop_tables, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A post naming an event, a person or an organization: exactly one target is set.
        // NULLs are distinct in unique indexes on all three backends, so each pair is unique.
        let table = Table::create()
            .table("mentions")
            .col(big_pk_auto("id"))
            .col(big_integer("post_id"))
            .col(big_integer_null("event_id"))
            .col(big_integer_null("person_id"))
            .col(big_integer_null("organization_id"))
            .col(string_len("matched_text", 255))
            .foreign_key(&mut fk(
                "mentions",
                "post_id",
                "posts",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "mentions",
                "event_id",
                "events",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "mentions",
                "person_id",
                "people",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "mentions",
                "organization_id",
                "organizations",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create_table(manager, table).await?;
        create_indexes(
            manager,
            vec![
                unique("mentions", &["post_id", "event_id"]),
                unique("mentions", &["post_id", "person_id"]),
                unique("mentions", &["post_id", "organization_id"]),
                index("mentions", &["event_id"]),
                index("mentions", &["person_id"]),
                index("mentions", &["organization_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["mentions"]).await
    }
}
