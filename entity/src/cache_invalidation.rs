use sea_orm::entity::prelude::*;

/// What one write of the API made stale, under the data version it committed as (see the
/// migration that creates it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cache_invalidations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i64,
    /// Space-separated tags (see `api::cache::Tags`).
    #[sea_orm(column_type = "Text")]
    pub tags: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
