use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::{DatePrecision, EventFormat, EventKind, EventStatus, Region};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// `name` folded to lowercase ASCII, for an order every backend agrees on.
    pub sort_name: String,
    pub kind: EventKind,
    /// The slug of the event's series.
    pub series: Option<String>,
    pub year: Option<i32>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub timezone: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    /// `city` folded to lowercase ASCII words, as city filters compare it.
    pub city_key: Option<String>,
    pub country: Option<String>,
    pub region: Option<Region>,
    pub format: Option<EventFormat>,
    pub status: EventStatus,
    /// Whether a source states `status`; otherwise it is read from the dates and the day.
    pub status_stated: bool,
    /// Whether the dates are days or stand for a month.
    pub date_precision: DatePrecision,
    pub website: Option<String>,
    pub registration_url: Option<String>,
    pub cfp_opens_on: Option<Date>,
    pub cfp_closes_on: Option<Date>,
    pub attendees: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub co_located_with_id: Option<i64>,
    pub discovered_in_post_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::CoLocatedWithId",
        to = "Column::Id",
        on_update = "Cascade",
        on_delete = "SetNull"
    )]
    CoLocatedWith,
    #[sea_orm(
        belongs_to = "super::post::Entity",
        from = "Column::DiscoveredInPostId",
        to = "super::post::Column::Id",
        on_update = "Cascade",
        on_delete = "SetNull"
    )]
    DiscoveredInPost,
    #[sea_orm(has_many = "super::talk::Entity")]
    Talk,
    #[sea_orm(has_many = "super::sponsorship::Entity")]
    Sponsorship,
    #[sea_orm(has_many = "super::organizer::Entity")]
    Organizer,
    #[sea_orm(has_many = "super::participation::Entity")]
    Participation,
    #[sea_orm(has_many = "super::mention::Entity")]
    Mention,
}

impl Related<super::talk::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Talk.def()
    }
}

impl Related<super::sponsorship::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sponsorship.def()
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

impl Related<super::mention::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mention.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        super::sponsorship::Relation::Organization.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::sponsorship::Relation::Event.def().rev())
    }
}

impl Related<super::post::Entity> for Entity {
    fn to() -> RelationDef {
        super::mention::Relation::Post.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::mention::Relation::Event.def().rev())
    }
}

/// The event another is co-located with (KubeCon for its summits, CCOSS for a KCD).
pub struct CoLocatedWithLink;

impl Linked for CoLocatedWithLink {
    type FromEntity = Entity;
    type ToEntity = Entity;

    fn link(&self) -> Vec<RelationDef> {
        vec![Relation::CoLocatedWith.def()]
    }
}

impl ActiveModelBehavior for ActiveModel {}
