//! Database migrations for eventdir.
//!
//! One set of migrations runs forward and backward on SQLite, PostgreSQL and MySQL/MariaDB.
//! Backend differences (timestamp precision, long text, table collation) live in [`util`].

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod m20240101_000001_create_organizations;
mod m20240101_000002_create_people;
mod m20240101_000003_create_posts;
mod m20240101_000004_create_terms;
mod m20240101_000005_create_events;
mod m20240101_000006_create_talks;
mod m20240101_000007_create_sponsorships;
mod m20240101_000008_create_organizers;
mod m20240101_000009_create_post_authors;
mod m20240101_000010_create_mentions;
mod m20240101_000011_create_api_tokens;
mod m20240101_000012_create_audit_entries;
mod m20240101_000013_create_slug_aliases;
mod m20240101_000014_create_data_version;
mod m20240101_000015_index_co_located;
mod m20240101_000016_full_text_search;
mod m20240101_000017_contract_v1;
mod m20240101_000018_series_mentions;
mod m20240101_000019_create_participations;
mod m20240101_000020_talks_without_titles;
mod m20240101_000021_organization_authors;
mod m20240101_000022_derived_status;
mod m20240101_000023_create_sources;
mod m20240101_000024_discovered_people_and_organizations;
mod m20240101_000025_create_cache_invalidations;
pub mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20240101_000001_create_organizations::Migration),
            Box::new(m20240101_000002_create_people::Migration),
            Box::new(m20240101_000003_create_posts::Migration),
            Box::new(m20240101_000004_create_terms::Migration),
            Box::new(m20240101_000005_create_events::Migration),
            Box::new(m20240101_000006_create_talks::Migration),
            Box::new(m20240101_000007_create_sponsorships::Migration),
            Box::new(m20240101_000008_create_organizers::Migration),
            Box::new(m20240101_000009_create_post_authors::Migration),
            Box::new(m20240101_000010_create_mentions::Migration),
            Box::new(m20240101_000011_create_api_tokens::Migration),
            Box::new(m20240101_000012_create_audit_entries::Migration),
            Box::new(m20240101_000013_create_slug_aliases::Migration),
            Box::new(m20240101_000014_create_data_version::Migration),
            Box::new(m20240101_000015_index_co_located::Migration),
            Box::new(m20240101_000016_full_text_search::Migration),
            Box::new(m20240101_000017_contract_v1::Migration),
            Box::new(m20240101_000018_series_mentions::Migration),
            Box::new(m20240101_000019_create_participations::Migration),
            Box::new(m20240101_000020_talks_without_titles::Migration),
            Box::new(m20240101_000021_organization_authors::Migration),
            Box::new(m20240101_000022_derived_status::Migration),
            Box::new(m20240101_000023_create_sources::Migration),
            Box::new(m20240101_000024_discovered_people_and_organizations::Migration),
            Box::new(m20240101_000025_create_cache_invalidations::Migration),
        ]
    }
}
