//! Reading people: the list, one person by slug, their talks and what they organize.

use entity::sea_orm_active_enums::EntityType;
use entity::sea_orm_active_enums::ParticipationRole;
use entity::{event, organizer, participation, person, post_author, talk, talk_speaker};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, RelationTrait,
};

use super::posts::{Mentioned, posts_mentioning};
use super::{by_slug, page_by_name, search};
use crate::services::cursor::Cursor;
use crate::services::events::Lookup;
use crate::services::text::normalize;
use crate::services::writes::links::{self, Organizers};
use crate::views::directory::{
    OrganizedEvent, PersonLinks, PersonPage, PersonSummary, TalksAtEvent,
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

/// People by name, a page at a time.
pub async fn list_people(
    db: &impl ConnectionTrait,
    filter: &PeopleFilter,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<person::Model>, Option<Cursor>), DbErr> {
    let select = matching(db.get_database_backend(), filter);
    page_by_name(db, select, limit, after).await
}

/// How many people `filter` matches.
pub async fn count_people(db: &impl ConnectionTrait, filter: &PeopleFilter) -> Result<u64, DbErr> {
    matching(db.get_database_backend(), filter).count(db).await
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
    match filter.role {
        None => {}
        Some(PersonRole::Speaker) => {
            let speakers = talk_speaker::Entity::find()
                .select_only()
                .column(talk_speaker::Column::PersonId)
                .inner_join(talk::Entity)
                .filter(talk::Column::DeletedAt.is_null())
                .into_query();
            // And those who speak without a known talk.
            let speaking = participation::Entity::find()
                .select_only()
                .column(participation::Column::PersonId)
                .filter(participation::Column::DeletedAt.is_null())
                .filter(participation::Column::Role.ne(ParticipationRole::Mc))
                .into_query();
            select = select.filter(
                Condition::any()
                    .add(person::Column::Id.in_subquery(speakers))
                    .add(person::Column::Id.in_subquery(speaking)),
            );
        }
        Some(PersonRole::Organizer) => {
            let organizers = organizer::Entity::find()
                .select_only()
                .column(organizer::Column::PersonId)
                .filter(organizer::Column::DeletedAt.is_null())
                .into_query();
            select = select.filter(person::Column::Id.in_subquery(organizers));
        }
        Some(PersonRole::Author) => {
            let authors = post_author::Entity::find()
                .select_only()
                .column(post_author::Column::PersonId)
                .filter(post_author::Column::PersonId.is_not_null())
                .into_query();
            select = select.filter(person::Column::Id.in_subquery(authors));
        }
    }
    if let Some(event_slug) = &filter.event {
        let speakers = talk_speaker::Entity::find()
            .select_only()
            .column(talk_speaker::Column::PersonId)
            .inner_join(talk::Entity)
            .join(JoinType::InnerJoin, talk::Relation::Event.def())
            .filter(event::Column::Slug.eq(event_slug.as_str()))
            .filter(talk::Column::DeletedAt.is_null())
            .into_query();
        select = select.filter(person::Column::Id.in_subquery(speakers));
    }
    select
}

pub async fn person_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<person::Model>, DbErr> {
    by_slug::<person::Entity>(db, EntityType::Person, slug).await
}

/// A person's talks with their events, newest event first.
pub async fn talks_of(
    db: &impl ConnectionTrait,
    person_id: i64,
) -> Result<Vec<(talk::Model, event::Model)>, DbErr> {
    let rows = talk::Entity::find()
        .join(JoinType::InnerJoin, talk::Relation::TalkSpeaker.def())
        .filter(talk_speaker::Column::PersonId.eq(person_id))
        .filter(talk::Column::DeletedAt.is_null())
        .find_also_related(event::Entity)
        .filter(event::Column::DeletedAt.is_null())
        .order_by_desc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .order_by_asc(talk::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(t, e)| e.map(|e| (t, e)))
        .collect())
}

/// A person's page, as `GET /speakers/{slug}` serves it.
pub async fn page(db: &impl ConnectionTrait, person: person::Model) -> Result<PersonPage, DbErr> {
    let talks = talks_of(db, person.id).await?;
    let organizing = links::of_party::<Organizers>(db, person.id).await?;
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
        organizes: organizing
            .iter()
            .map(|(o, e)| OrganizedEvent {
                event: e.into(),
                role: o.role,
            })
            .collect(),
        posts: posts.iter().map(PostRef::from).collect(),
    })
}
