use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{
    ENUM_LEN, SLUG_LEN, create_indexes, create_table, drop_tables, fk, index, instant_null,
    record_columns, unique,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut talks = Table::create()
            .table("talks")
            .col(big_pk_auto("id"))
            .col(big_integer("event_id"))
            .col(string_len("slug", SLUG_LEN))
            .col(string_len("title", 500))
            .col(string_len("kind", ENUM_LEN))
            .col(text_null("abstract"))
            .col(instant_null(backend, "starts_at"))
            .col(string_len_null("recording_url", 2048))
            .col(string_len_null("slides_url", 2048))
            .foreign_key(&mut fk(
                "talks",
                "event_id",
                "events",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        record_columns(backend, &mut talks);
        create_table(manager, talks).await?;
        // A talk's speakers, in the order they are billed.
        let speakers = Table::create()
            .table("talk_speakers")
            .col(big_integer("talk_id"))
            .col(big_integer("person_id"))
            .col(integer("position"))
            .primary_key(Index::create().col("talk_id").col("person_id"))
            .foreign_key(&mut fk(
                "talk_speakers",
                "talk_id",
                "talks",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "talk_speakers",
                "person_id",
                "people",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create_table(manager, speakers).await?;
        create_indexes(
            manager,
            vec![
                unique("talks", &["event_id", "slug"]),
                index("talk_speakers", &["person_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["talk_speakers", "talks"]).await
    }
}
