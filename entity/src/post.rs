use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::FrontMatterFormat;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub published_at: DateTimeUtc,
    /// The offset the publication time was written with, in minutes east of UTC;
    /// `None` when the source gave a local time without an offset.
    pub published_offset_minutes: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body_markdown: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// A JSON array of image paths.
    pub images: Json,
    pub draft: bool,
    pub source_path: String,
    pub front_matter_format: FrontMatterFormat,
    pub content_hash: String,
    pub reading_minutes: i32,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::post_author::Entity")]
    PostAuthor,
    #[sea_orm(has_many = "super::post_term::Entity")]
    PostTerm,
    #[sea_orm(has_many = "super::mention::Entity")]
    Mention,
}

impl Related<super::post_author::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PostAuthor.def()
    }
}

impl Related<super::post_term::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PostTerm.def()
    }
}

impl Related<super::mention::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mention.def()
    }
}

impl Related<super::term::Entity> for Entity {
    fn to() -> RelationDef {
        super::post_term::Relation::Term.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::post_term::Relation::Post.def().rev())
    }
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        super::mention::Relation::Event.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::mention::Relation::Post.def().rev())
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        super::mention::Relation::Person.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::mention::Relation::Post.def().rev())
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        super::mention::Relation::Organization.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::mention::Relation::Post.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
