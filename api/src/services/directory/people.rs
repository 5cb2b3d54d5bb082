//! Reading people: the list, one person by slug, their talks and what they organize.

use entity::sea_orm_active_enums::{EntityType, ParticipationRole};
use entity::{event, organizer, participation, person, post_author, talk, talk_speaker};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use super::posts::{Mentioned, posts_mentioning};
use super::{Filter, among, search};
use crate::services::events::{at_live_events, paired};
use crate::services::sources;
use crate::services::text::normalize;
use crate::services::writes::links::{self, Organizers};
use crate::services::writes::participations::Participations;
use crate::views::directory::{
    OrganizedEvent, ParticipatingEvent, PersonLinks, PersonPage, PersonSummary, TalksAtEvent,
};
use crate::views::refs::{EventRef, PostRef, TalkRef};

/// What a person does in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Speaks at an event, with a known talk or without.
    Speaker,
    /// Organizes an event.
    Organizer,
    /// Wrote a post.
    Author,
}

/// Filters of the people list.
#[derive(Debug, Default, Clone)]
pub struct PeopleFilter {
    /// What they do; `None`: anyone.
    pub role: Option<PersonRole>,
    pub q: Option<String>,
    /// Slug of an event they speak at.
    pub event: Option<String>,
    pub country: Option<String>,
    pub company: Option<String>,
}

/// Who speaks in which talk, for the talks not deleted.
fn talks_given() -> sea_orm::Select<talk_speaker::Entity> {
    talk_speaker::Entity::find()
        .inner_join(talk::Entity)
        .filter(talk::Column::DeletedAt.is_null())
}

impl Filter for PeopleFilter {
    type Table = person::Entity;
    fn matching(&self, backend: sea_orm::DbBackend) -> sea_orm::Select<person::Entity> {
        matching(backend, self)
    }
}

/// The people `filter` matches.
fn matching(backend: sea_orm::DbBackend, filter: &PeopleFilter) -> sea_orm::Select<person::Entity> {
    let mut select = person::Entity::find().filter(person::Column::DeletedAt.is_null());
    select = search(select, backend, filter.q.as_deref());
    if let Some(country) = &filter.country {
        select = select.filter(person::Column::Country.eq(country.to_ascii_uppercase()));
    }
    if let Some(company) = &filter.company {
        select = select.filter(person::Column::CompanyKey.eq(normalize(company)));
    }
    let id = person::Column::Id;
    select = match filter.role {
        None => select,
        Some(PersonRole::Speaker) => select.filter(
            Condition::any()
                .add(among(id, talk_speaker::Column::PersonId, talks_given()))
                // And those who speak without a known talk.
                .add(among(
                    id,
                    participation::Column::PersonId,
                    participation::Entity::find()
                        .filter(participation::Column::DeletedAt.is_null())
                        .filter(participation::Column::Role.ne(ParticipationRole::Mc)),
                )),
        ),
        Some(PersonRole::Organizer) => select.filter(among(
            id,
            organizer::Column::PersonId,
            organizer::Entity::find().filter(organizer::Column::DeletedAt.is_null()),
        )),
        Some(PersonRole::Author) => select.filter(among(
            id,
            post_author::Column::PersonId,
            post_author::Entity::find().filter(post_author::Column::PersonId.is_not_null()),
        )),
    };
    if let Some(event_slug) = &filter.event {
        let at_event = talks_given()
            .join(JoinType::InnerJoin, talk::Relation::Event.def())
            .filter(event::Column::Slug.eq(event_slug.as_str()));
        select = select.filter(among(id, talk_speaker::Column::PersonId, at_event));
    }
    select
}

/// A person's talks with their events, newest event first.
pub async fn talks_of(
    db: &impl ConnectionTrait,
    person_id: i64,
) -> Result<Vec<(talk::Model, event::Model)>, DbErr> {
    let talks = talk::Entity::find()
        .join(JoinType::InnerJoin, talk::Relation::TalkSpeaker.def())
        .filter(talk_speaker::Column::PersonId.eq(person_id))
        .filter(talk::Column::DeletedAt.is_null())
        .find_also_related(event::Entity);
    let rows = at_live_events(talks)
        .order_by_asc(talk::Column::Id)
        .all(db)
        .await?;
    Ok(paired(rows))
}

/// A person's page, as `GET /speakers/{slug}` serves it.
pub async fn page(db: &impl ConnectionTrait, person: person::Model) -> Result<PersonPage, DbErr> {
    let talks = talks_of(db, person.id).await?;
    let organizing = links::of_party::<Organizers>(db, person.id).await?;
    let taking_part = links::of_party::<Participations>(db, person.id).await?;
    let posts = posts_mentioning(db, Mentioned::Person(person.id)).await?;
    let mut grouped: Vec<TalksAtEvent> = Vec::new();
    for (talk, event) in &talks {
        match grouped.last_mut() {
            Some(g) if g.event.slug == event.slug => g.talks.push(talk.into()),
            _ => grouped.push(TalksAtEvent {
                event: EventRef::from(event),
                talks: vec![TalkRef::from(talk)],
            }),
        }
    }
    Ok(PersonPage {
        person: PersonSummary::from(&person),
        bio: person.bio.clone(),
        links: PersonLinks::of(&person),
        talks: grouped,
        organizes: organizing.iter().map(OrganizedEvent::from).collect(),
        takes_part_in: taking_part.iter().map(ParticipatingEvent::from).collect(),
        posts: posts.iter().map(PostRef::from).collect(),
        sources: sources::of(db, EntityType::Person, person.id).await?,
    })
}
