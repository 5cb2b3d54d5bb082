use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::EntityType;

/// Where facts of a record come from: a post's words, or a public record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity_type: EntityType,
    pub entity_id: i64,
    /// The fields it backs, a JSON array; empty: the record itself.
    #[sea_orm(column_type = "Text")]
    pub fields: String,
    pub post_slug: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub quote: Option<String>,
    pub url: Option<String>,
    pub retrieved_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
