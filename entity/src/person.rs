use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// `name` folded to lowercase ASCII, for an order every backend agrees on.
    pub sort_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub bio: Option<String>,
    pub company: Option<String>,
    /// `company` folded to lowercase ASCII words, as company filters compare it.
    pub company_key: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub github: Option<String>,
    pub linkedin: Option<String>,
    pub x: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
    /// A JSON array of badge names (`cncf_ambassador`, …).
    pub badges: Json,
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
    #[sea_orm(has_many = "super::talk_speaker::Entity")]
    TalkSpeaker,
    #[sea_orm(has_many = "super::organizer::Entity")]
    Organizer,
    #[sea_orm(has_many = "super::participation::Entity")]
    Participation,
    #[sea_orm(has_many = "super::post_author::Entity")]
    PostAuthor,
    #[sea_orm(has_many = "super::mention::Entity")]
    Mention,
}

impl Related<super::talk_speaker::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TalkSpeaker.def()
    }
}

impl Related<super::organizer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizer.def()
    }
}

impl Related<super::participation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participation.def()
    }
}

impl Related<super::post_author::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PostAuthor.def()
    }
}

impl Related<super::mention::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mention.def()
    }
}

impl Related<super::talk::Entity> for Entity {
    fn to() -> RelationDef {
        super::talk_speaker::Relation::Talk.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::talk_speaker::Relation::Person.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
