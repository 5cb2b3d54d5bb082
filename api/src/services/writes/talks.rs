//! Writing talks, with their speakers in billing order.

use chrono::{DateTime, Utc};
use entity::sea_orm_active_enums::{EntityType, TalkKind};
use entity::{event, person, talk, talk_speaker};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::Resource;
use super::input::{self, Builder, Field, Unknown};
use super::row;
use crate::convert::from_row;
use crate::error::{ApiError, ApiResult};
use crate::services::text::now;

/// The body of `POST /events/{slug}/talks` and `PATCH /events/{slug}/talks/{talk}`. A talk
/// has a `title`, or when its source describes the session without one, a `summary` in the
/// source's words (and then a `slug`); `slug` defaults to one made from the title, `kind` to
/// `talk`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TalkInput {
    /// Unique within the event.
    #[schema(value_type = String, required = false, max_length = 200, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "platform-engineering-at-scale")]
    #[serde(default)]
    pub slug: Field<String>,
    /// `null` when the source gives none; then `summary` says what the session was.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300, example = "Platform engineering at scale")]
    #[serde(default)]
    pub title: Field<String>,
    /// What the source says of a session it gives no title for, in its words.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    #[serde(default)]
    pub summary: Field<String>,
    #[schema(value_type = TalkKind, required = false)]
    #[serde(default)]
    pub kind: Field<TalkKind>,
    #[schema(value_type = Option<String>, max_length = 20000)]
    #[serde(default)]
    pub r#abstract: Field<String>,
    /// Between 1970-01-01T00:00:00Z and 2038-01-19T03:14:07Z.
    #[schema(value_type = Option<DateTime<Utc>>)]
    #[serde(default)]
    pub starts_at: Field<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub recording_url: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub slides_url: Field<String>,
    /// The speakers' slugs in billing order; replaces the list.
    #[schema(value_type = Option<Vec<String>>, example = json!(["whitney-lee"]))]
    #[serde(default)]
    pub speakers: Field<Vec<String>>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl TalkInput {
    /// The members a create must have (the schema `NewTalk`).
    /// A title or a summary: neither is required alone.
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &[];
}

/// A talk's writable state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
pub struct TalkRecord {
    pub event_id: i64,
    #[validate(custom(function = "input::slug"))]
    pub slug: String,
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    pub summary: Option<String>,
    pub kind: TalkKind,
    #[validate(length(max = 20000, message = "must be at most 20000 characters"))]
    pub r#abstract: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    #[validate(custom(function = "input::http_url"))]
    pub recording_url: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub slides_url: Option<String>,
    /// Speaker ids in billing order.
    pub speaker_ids: Vec<i64>,
}

// A talk's own columns; its speakers are read by `Talks`' `record`.
from_row!(talk::Model => TalkRecord {
    event_id, slug, title, summary, kind, r#abstract, starts_at, recording_url, slides_url,
} |_| speaker_ids: Vec::new());

/// The instants every backend stores (MySQL's bound `TIMESTAMP` range).
const STARTS_AT_MIN: i64 = 0;
const STARTS_AT_MAX: i64 = i32::MAX as i64;

/// A talk's live speakers in billing order.
pub async fn speakers_of(
    db: &impl sea_orm::ConnectionTrait,
    talk_id: i64,
) -> ApiResult<Vec<person::Model>> {
    Ok(talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.eq(talk_id))
        .order_by_asc(talk_speaker::Column::Position)
        .find_also_related(person::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, p)| p.filter(|p| p.deleted_at.is_none()))
        .collect())
}

pub struct Talks;

impl Resource for Talks {
    type Model = talk::Model;
    type Record = TalkRecord;
    type Input = TalkInput;
    type View = crate::views::refs::TalkView;
    const TYPE: EntityType = EntityType::Talk;
    const WHAT: &'static str = "talk";
    const COLLECTION: &'static str = "talks";
    const CHILD: bool = true;

    fn event_id(model: &talk::Model) -> Option<i64> {
        Some(model.event_id)
    }

    async fn record(db: &impl sea_orm::ConnectionTrait, m: &talk::Model) -> ApiResult<TalkRecord> {
        Ok(TalkRecord {
            speaker_ids: speakers_of(db, m.id).await?.iter().map(|p| p.id).collect(),
            ..m.into()
        })
    }

    async fn build(
        db: &DatabaseTransaction,
        input: TalkInput,
        base: Option<(&talk::Model, TalkRecord)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<TalkRecord> {
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let mut r = base.map(|(_, r)| r).unwrap_or_else(|| TalkRecord {
            event_id: parent.map_or(0, |p| p.id),
            slug: String::new(),
            title: None,
            summary: None,
            kind: TalkKind::Talk,
            r#abstract: None,
            starts_at: None,
            recording_url: None,
            slides_url: None,
            speaker_ids: Vec::new(),
        });
        b.optional("title", input.title, &mut r.title);
        b.optional("summary", input.summary, &mut r.summary);
        if r.title.is_none() && r.summary.is_none() {
            b.error(
                "title",
                "is required unless a `summary` says what the session was",
            );
        }
        let title = r.title.clone().unwrap_or_default();
        let derived = b.slug(input.slug, &mut r.slug, &title);
        b.defaulted("kind", input.kind, &mut r.kind);
        b.optional("abstract", input.r#abstract, &mut r.r#abstract);
        b.optional("starts_at", input.starts_at.map_time(), &mut r.starts_at);
        if r.starts_at
            .is_some_and(|t| !(STARTS_AT_MIN..=STARTS_AT_MAX).contains(&t.timestamp()))
        {
            b.error(
                "starts_at",
                "must be between 1970-01-01T00:00:00Z and 2038-01-19T03:14:07Z",
            );
        }
        b.url("recording_url", input.recording_url, &mut r.recording_url);
        b.url("slides_url", input.slides_url, &mut r.slides_url);
        match input.speakers {
            Field::Absent => {}
            Field::Null => r.speaker_ids.clear(),
            Field::Invalid(message) => b.error("speakers", message),
            Field::Value(slugs) => {
                r.speaker_ids.clear();
                if slugs.len() > 50 {
                    b.error("speakers", "at most 50 speakers");
                }
                for (i, slug) in slugs.iter().enumerate() {
                    let found = person::Entity::find()
                        .filter(person::Column::Slug.eq(slug.as_str()))
                        .filter(person::Column::DeletedAt.is_null())
                        .one(db)
                        .await?;
                    match found {
                        Some(p) if r.speaker_ids.contains(&p.id) => {
                            b.error(&format!("/speakers/{i}"), "is listed twice")
                        }
                        Some(p) => r.speaker_ids.push(p.id),
                        None => b.error(
                            &format!("/speakers/{i}"),
                            format!("no person has the slug `{slug}`"),
                        ),
                    }
                }
            }
        }
        if derived && r.title.is_none() && r.summary.is_some() {
            b.error("slug", "is required for a talk without a title");
        } else if derived {
            b.derived_slug("title", &title, &r.slug);
        }
        b.validated(r.validate());
        b.finish(r)
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&talk::Model>,
        r: &TalkRecord,
    ) -> ApiResult<talk::Model> {
        if row::slug_held(db, &r.slug, existing, Some(r.event_id)).await? {
            return Err(ApiError::Conflict {
                detail: format!("another talk of this event has the slug `{}`", r.slug),
                field: Some("/slug".to_owned()),
            });
        }
        let mut am = row::start(existing, now());
        row::set!(
            am, r;
            event_id, slug, title, summary, kind, r#abstract, starts_at, recording_url, slides_url
        );
        let model = row::store(db, am, existing).await?;
        talk_speaker::Entity::delete_many()
            .filter(talk_speaker::Column::TalkId.eq(model.id))
            .exec(db)
            .await?;
        if !r.speaker_ids.is_empty() {
            talk_speaker::Entity::insert_many(r.speaker_ids.iter().enumerate().map(|(i, id)| {
                talk_speaker::ActiveModel {
                    talk_id: Set(model.id),
                    person_id: Set(*id),
                    position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                }
            }))
            .exec(db)
            .await?;
        }
        Ok(model)
    }

    async fn view(
        db: &impl sea_orm::ConnectionTrait,
        model: &talk::Model,
    ) -> ApiResult<crate::views::refs::TalkView> {
        let speakers = speakers_of(db, model.id).await?;
        let sources = crate::services::sources::of(db, EntityType::Talk, model.id).await?;
        Ok(crate::views::refs::TalkView::new(model, &speakers, sources))
    }
}

/// Instants are stored with microseconds; finer input is truncated so it reads back equal.
trait MapTime {
    fn map_time(self) -> Self;
}

impl MapTime for Field<DateTime<Utc>> {
    fn map_time(self) -> Self {
        use chrono::SubsecRound;
        match self {
            Field::Value(t) => Field::Value(t.trunc_subsecs(6)),
            other => other,
        }
    }
}
