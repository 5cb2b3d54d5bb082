use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::TalkKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub slug: String,
    /// `None` when the posts describe the session without giving its title.
    pub title: Option<String>,
    pub kind: TalkKind,
    #[sea_orm(column_type = "Text", nullable)]
    pub r#abstract: Option<String>,
    pub starts_at: Option<DateTimeUtc>,
    pub recording_url: Option<String>,
    pub slides_url: Option<String>,
    /// What the post says of a session it gives no title for, in its words.
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::EventId",
        to = "super::event::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Event,
    #[sea_orm(has_many = "super::talk_speaker::Entity")]
    TalkSpeaker,
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl Related<super::talk_speaker::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TalkSpeaker.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        super::talk_speaker::Relation::Person.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::talk_speaker::Relation::Talk.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
