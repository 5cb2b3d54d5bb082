use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::{AuditAction, EntityType};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_id: Option<i64>,
    pub token_name: String,
    pub at: DateTimeUtc,
    pub action: AuditAction,
    pub entity_type: EntityType,
    pub entity_id: i64,
    pub entity_slug: String,
    pub event_id: Option<i64>,
    /// The changed fields before the write (`None` on create).
    pub before: Option<Json>,
    /// The changed fields after the write (`None` on delete).
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::api_token::Entity",
        from = "Column::TokenId",
        to = "super::api_token::Column::Id",
        on_update = "Cascade",
        on_delete = "SetNull"
    )]
    ApiToken,
}

impl Related<super::api_token::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiToken.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
