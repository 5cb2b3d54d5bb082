//! An event page and the related records it embeds: one query per relation, whatever their
//! number.

use std::collections::HashMap;

use entity::sea_orm_active_enums::EntityType;
use entity::{event, person, post, talk, talk_speaker};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::services::writes::links::{self, Organizers, Sponsorships};
use crate::views::event::{EventDetail, EventPage};
use crate::views::refs::{EventRef, PostRef, TalkView, group_by_tier};

/// Talks in schedule order (then creation order), each with its speakers in billing order.
pub async fn talks(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<(talk::Model, Vec<person::Model>)>, DbErr> {
    let talks = talk::Entity::find()
        .filter(talk::Column::EventId.eq(event_id))
        .filter(talk::Column::DeletedAt.is_null())
        .order_by_asc(talk::Column::StartsAt)
        .order_by_asc(talk::Column::Id)
        .all(db)
        .await?;
    if talks.is_empty() {
        return Ok(Vec::new());
    }
    let rows = talk_speaker::Entity::find()
        .filter(talk_speaker::Column::TalkId.is_in(talks.iter().map(|t| t.id)))
        .order_by_asc(talk_speaker::Column::TalkId)
        .order_by_asc(talk_speaker::Column::Position)
        .find_also_related(person::Entity)
        .all(db)
        .await?;
    let mut speakers: HashMap<i64, Vec<person::Model>> = HashMap::new();
    for (link, person) in rows {
        if let Some(person) = person.filter(|p| p.deleted_at.is_none()) {
            speakers.entry(link.talk_id).or_default().push(person);
        }
    }
    Ok(talks
        .into_iter()
        .map(|t| {
            let s = speakers.remove(&t.id).unwrap_or_default();
            (t, s)
        })
        .collect())
}

/// The event this one is co-located with, and the events co-located with this one.
pub async fn co_located(
    db: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<(Option<event::Model>, Vec<event::Model>), DbErr> {
    let mut condition = Condition::any().add(event::Column::CoLocatedWithId.eq(event.id));
    if let Some(parent) = event.co_located_with_id {
        condition = condition.add(event::Column::Id.eq(parent));
    }
    let rows = event::Entity::find()
        .filter(condition)
        .filter(event::Column::DeletedAt.is_null())
        .filter(event::Column::Status.ne(entity::sea_orm_active_enums::EventStatus::Unverified))
        .order_by_asc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    let (parent, children): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|e| Some(e.id) == event.co_located_with_id);
    Ok((parent.into_iter().next(), children))
}

/// Published posts that mention the event, newest first.
pub async fn posts(db: &impl ConnectionTrait, event_id: i64) -> Result<Vec<post::Model>, DbErr> {
    super::directory::posts::posts_mentioning(
        db,
        super::directory::posts::Mentioned::Event(event_id),
    )
    .await
}

/// The event's talks as the API shows them, each with its speakers and sources.
pub async fn talk_views(db: &impl ConnectionTrait, event_id: i64) -> Result<Vec<TalkView>, DbErr> {
    let talks = talks(db, event_id).await?;
    let ids: Vec<i64> = talks.iter().map(|(t, _)| t.id).collect();
    let mut sources = super::sources::of_each(db, EntityType::Talk, &ids).await?;
    Ok(talks
        .iter()
        .map(|(t, s)| TalkView::new(t, s, sources.remove(&t.id).unwrap_or_default()))
        .collect())
}

/// The event page, as `GET /events/{slug}` serves it: one query per relation.
pub async fn page(db: &impl ConnectionTrait, event: event::Model) -> Result<EventPage, DbErr> {
    let talks = talk_views(db, event.id).await?;
    let sponsors = links::of_event::<Sponsorships>(db, event.id).await?;
    let organizers = links::views_of_event::<Organizers>(db, event.id).await?;
    let (parent, children) = co_located(db, &event).await?;
    let posts = posts(db, event.id).await?;
    let series = super::series::of_events(db, [&event]).await?;
    let sources = super::sources::of(db, EntityType::Event, event.id).await?;
    Ok(EventPage {
        co_located_with: parent.as_ref().map(EventRef::from),
        co_located_events: children.iter().map(EventRef::from).collect(),
        talks,
        sponsors: group_by_tier(&sponsors),
        organizers,
        posts: posts.iter().map(PostRef::from).collect(),
        sources,
        event: EventDetail {
            // The Markdown rendered as the posts are: sanitized HTML.
            description_html: event
                .description
                .as_deref()
                .map(|d| super::markdown::render(d).html),
            ..EventDetail::new(event, &series)
        },
    })
}
