//! Column and table helpers that hide the few places where the backends differ.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Longest slug we store. Unique keys on MySQL must stay within 255 characters.
pub const SLUG_LEN: u32 = 200;
/// Length of the short enum-like string columns (kind, status, role, …).
pub const ENUM_LEN: u32 = 32;

/// Creates a table; on MySQL/MariaDB it is `utf8mb4` with a binary collation, so that
/// comparisons are exact and case-sensitive there as they are on SQLite and PostgreSQL.
pub async fn create_table(
    manager: &SchemaManager<'_>,
    mut stmt: TableCreateStatement,
) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::MySql {
        stmt.engine("InnoDB")
            .character_set("utf8mb4")
            .collate("utf8mb4_bin");
    }
    manager.create_table(stmt).await
}

/// Drops the given tables, in order.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new(*table))
                    .if_exists()
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// An instant with microseconds. MySQL's `timestamp` drops fractions and ends in 2038,
/// so it gets `datetime(6)` (always written in UTC by the application).
pub fn instant<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    match backend {
        DbBackend::MySql => def.custom(Alias::new("datetime(6)")),
        _ => def.timestamp_with_time_zone(),
    };
    def.not_null().take()
}

/// A nullable [`instant`].
pub fn instant_null<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    let mut def = instant(backend, col);
    def.null().take()
}

/// Text that may be long (post bodies). MySQL's `text` stops at 64 KB.
pub fn long_text<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    match backend {
        DbBackend::MySql => def.custom(Alias::new("mediumtext")),
        _ => def.text(),
    };
    def.not_null().take()
}

/// A nullable [`long_text`].
pub fn long_text_null<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    let mut def = long_text(backend, col);
    def.null().take()
}

/// A plain index on `cols` named `idx_<table>_<cols…>`.
pub fn index(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("idx_{table}_{}", cols.join("_")))
        .table(Alias::new(table));
    for col in cols {
        idx.col(Alias::new(*col));
    }
    idx.to_owned()
}

/// A unique index on `cols` named `uq_<table>_<cols…>`.
pub fn unique(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = index(table, cols);
    idx.name(format!("uq_{table}_{}", cols.join("_"))).unique();
    idx
}

/// A foreign key from `table.col` to `target.id`.
pub fn fk(
    table: &'static str,
    col: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(target), Alias::new("id"))
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Creates each index in turn.
pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for idx in indexes {
        manager.create_index(idx).await?;
    }
    Ok(())
}

/// The columns every editable record carries: `created_at`, `updated_at`, `version`
/// (bumped on every write, the source of the ETag) and `deleted_at` (soft delete).
pub fn record_columns(backend: DbBackend, stmt: &mut TableCreateStatement) {
    stmt.col(instant(backend, "created_at"))
        .col(instant(backend, "updated_at"))
        .col(ColumnDef::new("version").integer().not_null().default(1))
        .col(instant_null(backend, "deleted_at"));
}
