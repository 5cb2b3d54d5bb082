//! The shape v1 is released with: series as records of their own (events keep the series'
//! slug), region values in snake_case like every other enum, the folded city and company that
//! filters compare, and an event's image and coordinates.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, TryGetable};
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{SLUG_LEN, create_indexes, create_table, drop_tables, index, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Region values before and after.
const REGIONS: [(&str, &str); 3] = [
    ("asia-pacific", "asia_pacific"),
    ("middle-east", "middle_east"),
    ("north-america", "north_america"),
];

/// The slug of a series name, as the application makes slugs.
fn slug_of(name: &str) -> String {
    let mut slug = slug::slugify(name);
    slug.truncate(SLUG_LEN as usize);
    slug.trim_end_matches('-').to_owned()
}

/// A city folded as filters fold it: lowercase ASCII words.
fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn rows<T: TryGetable>(
    manager: &SchemaManager<'_>,
    query: &SelectStatement,
    columns: &[&str],
) -> Result<Vec<Vec<T>>, DbErr> {
    let db = manager.get_connection();
    let mut out = Vec::new();
    for row in db.query_all(query).await? {
        let mut values = Vec::new();
        for c in columns {
            values.push(row.try_get::<T>("", c)?);
        }
        out.push(values);
    }
    Ok(out)
}

async fn exec(
    manager: &SchemaManager<'_>,
    stmt: impl sea_orm_migration::sea_orm::StatementBuilder,
) -> Result<(), DbErr> {
    manager.get_connection().execute(&stmt).await.map(|_| ())
}

fn add_column(table: &'static str, col: ColumnDef) -> TableAlterStatement {
    Table::alter().table(table).add_column(col).to_owned()
}

/// Fills `key` with the folded `column` of every row of `table`.
async fn fold_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
    key: &'static str,
) -> Result<(), DbErr> {
    let values = Query::select()
        .distinct()
        .column(column)
        .from(table)
        .and_where(Expr::col(column).is_not_null())
        .to_owned();
    for row in rows::<String>(manager, &values, &[column]).await? {
        exec(
            manager,
            Query::update()
                .table(table)
                .value(key, fold(&row[0]))
                .and_where(Expr::col(column).eq(row[0].as_str()))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// MySQL/MariaDB rebuild a table's FULLTEXT index when a column is added or dropped, with the
/// session's stop-word setting: keep it off, as the index was made (see the full-text
/// migration), so that search still finds "the" and "of".
pub(crate) async fn keep_stop_words(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::MySql {
        manager
            .get_connection()
            .execute_unprepared("SET SESSION innodb_ft_enable_stopword = OFF")
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One connection for every statement: MySQL's stop-word setting is per session.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        keep_stop_words(manager).await?;
        let backend = manager.get_database_backend();
        let mut table = Table::create()
            .table("series")
            .col(big_pk_auto("id"))
            .col(string_len_uniq("slug", SLUG_LEN))
            .col(string_len("name", 255))
            .col(instant(backend, "created_at"))
            .col(instant(backend, "updated_at"))
            .to_owned();
        table.if_not_exists();
        create_table(manager, table).await?;

        // Events named their series; now they hold its slug.
        let now = chrono::Utc::now();
        for name in rows::<String>(
            manager,
            &Query::select()
                .distinct()
                .column("series")
                .from("events")
                .and_where(Expr::col("series").is_not_null())
                .to_owned(),
            &["series"],
        )
        .await?
        .into_iter()
        .flatten()
        {
            let slug = slug_of(&name);
            let known = rows::<i64>(
                manager,
                &Query::select()
                    .column("id")
                    .from("series")
                    .and_where(Expr::col("slug").eq(slug.as_str()))
                    .to_owned(),
                &["id"],
            )
            .await?;
            if known.is_empty() {
                exec(
                    manager,
                    Query::insert()
                        .into_table("series")
                        .columns(["slug", "name", "created_at", "updated_at"])
                        .values_panic([
                            slug.as_str().into(),
                            name.as_str().into(),
                            now.into(),
                            now.into(),
                        ])
                        .to_owned(),
                )
                .await?;
            }
            exec(
                manager,
                Query::update()
                    .table("events")
                    .value("series", slug.as_str())
                    .and_where(Expr::col("series").eq(name.as_str()))
                    .to_owned(),
            )
            .await?;
        }
        // Tokens scoped to series named them too.
        let db = manager.get_connection();
        let select = Query::select()
            .columns(["id", "series"])
            .from("api_tokens")
            .to_owned();
        for row in db.query_all(&select).await? {
            let id: i64 = row.try_get("", "id")?;
            let names: Vec<String> =
                serde_json::from_value(row.try_get::<serde_json::Value>("", "series")?)
                    .unwrap_or_default();
            let slugs: Vec<String> = names.iter().map(|n| slug_of(n)).collect();
            if slugs != names {
                exec(
                    manager,
                    Query::update()
                        .table("api_tokens")
                        .value("series", serde_json::json!(slugs))
                        .and_where(Expr::col("id").eq(id))
                        .to_owned(),
                )
                .await?;
            }
        }

        for (old, new) in REGIONS {
            exec(
                manager,
                Query::update()
                    .table("events")
                    .value("region", new)
                    .and_where(Expr::col("region").eq(old))
                    .to_owned(),
            )
            .await?;
        }

        for (table, col) in [
            ("events", string_len_null("city_key", 255)),
            ("events", string_len_null("image_url", 2048)),
            ("events", double_null("latitude")),
            ("events", double_null("longitude")),
            ("people", string_len_null("company_key", 255)),
        ] {
            manager.alter_table(add_column(table, col)).await?;
        }
        fold_column(manager, "events", "city", "city_key").await?;
        fold_column(manager, "people", "company", "company_key").await?;
        create_indexes(
            manager,
            vec![
                index("events", &["city_key"]),
                index("people", &["company_key"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        keep_stop_words(manager).await?;
        for (table, index) in [("events", "city_key"), ("people", "company_key")] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{index}"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
        }
        for (table, col) in [
            ("events", "longitude"),
            ("events", "latitude"),
            ("events", "image_url"),
            ("events", "city_key"),
            ("people", "company_key"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        for (old, new) in REGIONS {
            exec(
                manager,
                Query::update()
                    .table("events")
                    .value("region", old)
                    .and_where(Expr::col("region").eq(new))
                    .to_owned(),
            )
            .await?;
        }
        for row in rows::<String>(
            manager,
            &Query::select()
                .columns(["slug", "name"])
                .from("series")
                .to_owned(),
            &["slug", "name"],
        )
        .await?
        {
            exec(
                manager,
                Query::update()
                    .table("events")
                    .value("series", row[1].as_str())
                    .and_where(Expr::col("series").eq(row[0].as_str()))
                    .to_owned(),
            )
            .await?;
        }
        drop_tables(manager, &["series"]).await
    }
}
