//! A talk whose title the posts do not give has none: `title` may be null, and `summary` holds
//! what the post says of the session, in its words ("Rich Bowen captured in a presentation …
//! the different steps to get involved in an Open Source project").

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One connection for every statement: SQLite makes the column again in steps that must
    /// see each other.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("talks")
                    .add_column(text_null("summary"))
                    .to_owned(),
            )
            .await?;
        title_null(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE talks SET title = slug WHERE title IS NULL")
            .await?;
        title_null(manager, false).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("talks")
                    .drop_column("summary")
                    .to_owned(),
            )
            .await
    }
}

/// Lets `talks.title` hold null, or not. SQLite cannot change a column's constraint: the column
/// is made again under the same name (last among the columns, which nothing depends on).
/// Every backend but PostgreSQL and MySQL is SQLite.
async fn title_null(manager: &SchemaManager<'_>, nullable: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let statements: Vec<String> = match manager.get_database_backend() {
        DbBackend::Postgres => vec![format!(
            "ALTER TABLE talks ALTER COLUMN title {} NOT NULL",
            if nullable { "DROP" } else { "SET" }
        )],
        DbBackend::MySql => vec![format!(
            "ALTER TABLE talks MODIFY title VARCHAR(500) {}",
            if nullable { "NULL" } else { "NOT NULL" }
        )],
        _ => vec![
            format!(
                "ALTER TABLE talks ADD COLUMN title_again VARCHAR(500) {}",
                if nullable {
                    "NULL"
                } else {
                    "NOT NULL DEFAULT ''"
                }
            ),
            "UPDATE talks SET title_again = title".to_owned(),
            "ALTER TABLE talks DROP COLUMN title".to_owned(),
            "ALTER TABLE talks RENAME COLUMN title_again TO title".to_owned(),
        ],
    };
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}
