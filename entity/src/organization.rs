use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// `name` folded to lowercase ASCII, for an order every backend agrees on.
    pub sort_name: String,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// The post it was found in, when a post named it and the catalog did not.
    pub discovered_in_post_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::sponsorship::Entity")]
    Sponsorship,
    #[sea_orm(has_many = "super::mention::Entity")]
    Mention,
}

impl Related<super::sponsorship::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sponsorship.def()
    }
}

impl Related<super::mention::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mention.def()
    }
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        super::sponsorship::Relation::Event.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::sponsorship::Relation::Organization.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
