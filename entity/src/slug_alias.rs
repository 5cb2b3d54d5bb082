use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::EntityType;

/// An old slug that redirects to the record now at `target_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slug_aliases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity_type: EntityType,
    pub slug: String,
    pub target_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
