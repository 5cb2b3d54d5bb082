use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::TokenRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    /// Hex SHA-256 of the secret; the secret itself is never stored.
    #[sea_orm(unique)]
    pub secret_hash: String,
    pub role: TokenRole,
    /// A JSON array of the ids of the events an organizer may edit.
    pub event_ids: Json,
    /// A JSON array of the series an organizer may create events in.
    pub series: Json,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::audit_entry::Entity")]
    AuditEntry,
}

impl Related<super::audit_entry::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditEntry.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
