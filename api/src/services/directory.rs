//! Reading people, organizations, posts and tags.

use chrono::{DateTime, NaiveDate, Utc};
use entity::sea_orm_active_enums::{EntityType, SponsorTier, TermKind};
use entity::{
    event, mention, organization, organizer, person, post, post_author, post_term, slug_alias,
    sponsorship, talk, talk_speaker, term,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};

use super::cursor::Cursor;
use super::events::Lookup;

/// Keeps the records whose text matches `q` (see [`super::text`]).
fn search<E: EntityTrait>(select: Select<E>, backend: DbBackend, q: Option<&str>) -> Select<E> {
    match q.and_then(|q| super::text::matching::<E>(backend, q)) {
        Some(matching) => select.filter(matching),
        None => select,
    }
}

/// Keyset on (`sort_name`, `id`), ascending.
fn after_name<E: EntityTrait>(
    select: Select<E>,
    name: impl ColumnTrait + Copy,
    id: impl ColumnTrait + Copy,
    after: Option<&Cursor>,
) -> Select<E> {
    match after {
        Some(c) => {
            let key = c.key.clone().unwrap_or_default();
            select.filter(
                Condition::any()
                    .add(name.gt(key.as_str()))
                    .add(Condition::all().add(name.eq(key.as_str())).add(id.gt(c.id))),
            )
        }
        None => select,
    }
}

fn next_cursor<T>(
    rows: &mut Vec<T>,
    limit: u64,
    sort: &str,
    key: impl Fn(&T) -> (Option<String>, i64),
) -> Option<Cursor> {
    if rows.len() as u64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|last| {
        let (key, id) = key(last);
        Cursor {
            sort: sort.to_owned(),
            key,
            id,
        }
    })
}

/// Filters of the people list.
#[derive(Debug, Default, Clone)]
pub struct PeopleFilter {
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
    let mut select = person::Entity::find().filter(person::Column::DeletedAt.is_null());
    select = search(select, db.get_database_backend(), filter.q.as_deref());
    if let Some(country) = &filter.country {
        select = select.filter(person::Column::Country.eq(country.to_ascii_uppercase()));
    }
    if let Some(company) = &filter.company {
        select = select.filter(person::Column::Company.eq(company.as_str()));
    }
    if let Some(event_slug) = &filter.event {
        select = select.filter(
            person::Column::Id.in_subquery(
                Query::select()
                    .column((talk_speaker::Entity, talk_speaker::Column::PersonId))
                    .from(talk_speaker::Entity)
                    .inner_join(
                        talk::Entity,
                        Expr::col((talk::Entity, talk::Column::Id))
                            .equals((talk_speaker::Entity, talk_speaker::Column::TalkId)),
                    )
                    .inner_join(
                        event::Entity,
                        Expr::col((event::Entity, event::Column::Id))
                            .equals((talk::Entity, talk::Column::EventId)),
                    )
                    .and_where(
                        Expr::col((event::Entity, event::Column::Slug)).eq(event_slug.as_str()),
                    )
                    .and_where(Expr::col((talk::Entity, talk::Column::DeletedAt)).is_null())
                    .to_owned(),
            ),
        );
    }
    let mut rows = after_name(select, person::Column::SortName, person::Column::Id, after)
        .order_by_asc(person::Column::SortName)
        .order_by_asc(person::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = next_cursor(&mut rows, limit, "name", |p| {
        (Some(p.sort_name.clone()), p.id)
    });
    Ok((rows, next))
}

/// Filters of the organizations list.
#[derive(Debug, Default, Clone)]
pub struct SponsorFilter {
    pub q: Option<String>,
    /// Slug of an event they sponsor.
    pub event: Option<String>,
    /// Only those with a sponsorship of this tier.
    pub tier: Option<SponsorTier>,
}

/// Organizations by name, a page at a time.
pub async fn list_organizations(
    db: &impl ConnectionTrait,
    filter: &SponsorFilter,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<organization::Model>, Option<Cursor>), DbErr> {
    let mut select = organization::Entity::find().filter(organization::Column::DeletedAt.is_null());
    select = search(select, db.get_database_backend(), filter.q.as_deref());
    if filter.event.is_some() || filter.tier.is_some() {
        let mut sub = Query::select()
            .column((sponsorship::Entity, sponsorship::Column::OrganizationId))
            .from(sponsorship::Entity)
            .inner_join(
                event::Entity,
                Expr::col((event::Entity, event::Column::Id))
                    .equals((sponsorship::Entity, sponsorship::Column::EventId)),
            )
            .and_where(Expr::col((sponsorship::Entity, sponsorship::Column::DeletedAt)).is_null())
            .to_owned();
        if let Some(slug) = &filter.event {
            sub.and_where(Expr::col((event::Entity, event::Column::Slug)).eq(slug.as_str()));
        }
        if let Some(tier) = filter.tier {
            sub.and_where(
                Expr::col((sponsorship::Entity, sponsorship::Column::Tier)).eq(tier.as_str()),
            );
        }
        select = select.filter(organization::Column::Id.in_subquery(sub));
    }
    let mut rows = after_name(
        select,
        organization::Column::SortName,
        organization::Column::Id,
        after,
    )
    .order_by_asc(organization::Column::SortName)
    .order_by_asc(organization::Column::Id)
    .limit(limit + 1)
    .all(db)
    .await?;
    let next = next_cursor(&mut rows, limit, "name", |o| {
        (Some(o.sort_name.clone()), o.id)
    });
    Ok((rows, next))
}

/// The record with this slug, or where an old slug points.
async fn by_slug<E>(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    slug: &str,
    slug_col: E::Column,
    deleted_col: E::Column,
) -> Result<Lookup<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    if let Some(found) = E::find()
        .filter(slug_col.eq(slug))
        .filter(deleted_col.is_null())
        .one(db)
        .await?
    {
        return Ok(Lookup::Found(found));
    }
    let alias = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(entity_type))
        .filter(slug_alias::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if let Some(alias) = alias {
        let target: Option<(String,)> = E::find()
            .select_only()
            .column(slug_col)
            .filter(Expr::col(E::default().into_iden_id()).eq(alias.target_id))
            .filter(deleted_col.is_null())
            .into_tuple()
            .one(db)
            .await?;
        if let Some((slug,)) = target {
            return Ok(Lookup::Moved(slug));
        }
    }
    Ok(Lookup::Missing)
}

/// Lets [`by_slug`] name the `id` column of any entity.
trait IdColumn {
    fn into_iden_id(self) -> sea_orm::sea_query::ColumnRef;
}

impl<E: EntityTrait> IdColumn for E {
    fn into_iden_id(self) -> sea_orm::sea_query::ColumnRef {
        use sea_orm::sea_query::IntoColumnRef;
        (self, sea_orm::sea_query::Alias::new("id")).into_column_ref()
    }
}

pub async fn person_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<person::Model>, DbErr> {
    by_slug::<person::Entity>(
        db,
        EntityType::Person,
        slug,
        person::Column::Slug,
        person::Column::DeletedAt,
    )
    .await
}

pub async fn organization_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<organization::Model>, DbErr> {
    by_slug::<organization::Entity>(
        db,
        EntityType::Organization,
        slug,
        organization::Column::Slug,
        organization::Column::DeletedAt,
    )
    .await
}

pub async fn post_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<post::Model>, DbErr> {
    match by_slug::<post::Entity>(
        db,
        EntityType::Post,
        slug,
        post::Column::Slug,
        post::Column::DeletedAt,
    )
    .await?
    {
        Lookup::Found(p) if p.draft => Ok(Lookup::Missing),
        other => Ok(other),
    }
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

/// The events a person organizes, with their role.
pub async fn organizing_of(
    db: &impl ConnectionTrait,
    person_id: i64,
) -> Result<Vec<(organizer::Model, event::Model)>, DbErr> {
    let rows = organizer::Entity::find()
        .filter(organizer::Column::PersonId.eq(person_id))
        .filter(organizer::Column::DeletedAt.is_null())
        .find_also_related(event::Entity)
        .filter(event::Column::DeletedAt.is_null())
        .order_by_desc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, e)| e.map(|e| (o, e)))
        .collect())
}

/// An organization's sponsorships with their events, newest event first.
pub async fn sponsorships_of(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> Result<Vec<(sponsorship::Model, event::Model)>, DbErr> {
    let rows = sponsorship::Entity::find()
        .filter(sponsorship::Column::OrganizationId.eq(organization_id))
        .filter(sponsorship::Column::DeletedAt.is_null())
        .find_also_related(event::Entity)
        .filter(event::Column::DeletedAt.is_null())
        .order_by_desc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, e)| e.map(|e| (s, e)))
        .collect())
}

/// Which side of a mention to follow.
#[derive(Debug, Clone, Copy)]
pub enum Mentioned {
    Event(i64),
    Person(i64),
    Organization(i64),
}

/// Published posts that mention an event, a person or an organization, newest first.
pub async fn posts_mentioning(
    db: &impl ConnectionTrait,
    who: Mentioned,
) -> Result<Vec<post::Model>, DbErr> {
    let filter = match who {
        Mentioned::Event(id) => mention::Column::EventId.eq(id),
        Mentioned::Person(id) => mention::Column::PersonId.eq(id),
        Mentioned::Organization(id) => mention::Column::OrganizationId.eq(id),
    };
    post::Entity::find()
        .join(JoinType::InnerJoin, post::Relation::Mention.def())
        .filter(filter)
        .filter(post::Column::Draft.eq(false))
        .filter(post::Column::DeletedAt.is_null())
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .all(db)
        .await
}

/// Filters of the posts list.
#[derive(Debug, Default, Clone)]
pub struct PostFilter {
    /// Tag slug.
    pub tag: Option<String>,
    /// Category slug.
    pub category: Option<String>,
    /// Author name, as written, or the slug of the author's person.
    pub author: Option<String>,
    /// Slug of an event the post mentions.
    pub event: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
}

/// Published posts, newest first, a page at a time.
pub async fn list_posts(
    db: &impl ConnectionTrait,
    filter: &PostFilter,
    limit: u64,
    after: Option<&Cursor>,
) -> Result<(Vec<post::Model>, Option<Cursor>), DbErr> {
    let mut select = post::Entity::find()
        .filter(post::Column::Draft.eq(false))
        .filter(post::Column::DeletedAt.is_null());
    select = search(select, db.get_database_backend(), filter.q.as_deref());
    for (kind, slug) in [
        (TermKind::Tag, &filter.tag),
        (TermKind::Category, &filter.category),
    ] {
        if let Some(slug) = slug {
            select = select.filter(
                post::Column::Id.in_subquery(
                    Query::select()
                        .column((post_term::Entity, post_term::Column::PostId))
                        .from(post_term::Entity)
                        .inner_join(
                            term::Entity,
                            Expr::col((term::Entity, term::Column::Id))
                                .equals((post_term::Entity, post_term::Column::TermId)),
                        )
                        .and_where(Expr::col((term::Entity, term::Column::Kind)).eq(kind.as_str()))
                        .and_where(
                            Expr::col((term::Entity, term::Column::Slug)).eq(slug.to_lowercase()),
                        )
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(author) = &filter.author {
        select = select.filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column((post_author::Entity, post_author::Column::PostId))
                    .from(post_author::Entity)
                    .left_join(
                        person::Entity,
                        Expr::col((person::Entity, person::Column::Id))
                            .equals((post_author::Entity, post_author::Column::PersonId)),
                    )
                    .cond_where(
                        Condition::any()
                            .add(
                                Expr::col((post_author::Entity, post_author::Column::Name))
                                    .eq(author.as_str()),
                            )
                            .add(
                                Expr::col((person::Entity, person::Column::Slug))
                                    .eq(author.as_str()),
                            ),
                    )
                    .to_owned(),
            ),
        );
    }
    if let Some(event_slug) = &filter.event {
        select = select.filter(
            post::Column::Id.in_subquery(
                Query::select()
                    .column((mention::Entity, mention::Column::PostId))
                    .from(mention::Entity)
                    .inner_join(
                        event::Entity,
                        Expr::col((event::Entity, event::Column::Id))
                            .equals((mention::Entity, mention::Column::EventId)),
                    )
                    .and_where(
                        Expr::col((event::Entity, event::Column::Slug)).eq(event_slug.as_str()),
                    )
                    .to_owned(),
            ),
        );
    }
    if let Some(from) = filter.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        select = select.filter(post::Column::PublishedAt.gte(from.and_utc()));
    }
    if let Some(to) = filter
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        select = select.filter(post::Column::PublishedAt.lt(to.and_utc()));
    }
    if let Some(c) = after {
        let at = c
            .key
            .as_deref()
            .and_then(|k| DateTime::parse_from_rfc3339(k).ok())
            .map(|d| d.to_utc())
            .unwrap_or_else(Utc::now);
        select = select.filter(
            Condition::any().add(post::Column::PublishedAt.lt(at)).add(
                Condition::all()
                    .add(post::Column::PublishedAt.eq(at))
                    .add(post::Column::Id.lt(c.id)),
            ),
        );
    }
    let mut rows = select
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let next = next_cursor(&mut rows, limit, "-published_at", |p| {
        (
            Some(
                p.published_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            ),
            p.id,
        )
    });
    Ok((rows, next))
}

/// A post's authors (in order), tags and categories.
pub async fn post_meta(
    db: &impl ConnectionTrait,
    post_id: i64,
) -> Result<
    (
        Vec<(post_author::Model, Option<person::Model>)>,
        Vec<term::Model>,
    ),
    DbErr,
> {
    let authors = post_author::Entity::find()
        .filter(post_author::Column::PostId.eq(post_id))
        .order_by_asc(post_author::Column::Position)
        .find_also_related(person::Entity)
        .all(db)
        .await?;
    let terms = term::Entity::find()
        .join(JoinType::InnerJoin, term::Relation::PostTerm.def())
        .filter(post_term::Column::PostId.eq(post_id))
        .order_by_asc(term::Column::Kind)
        .order_by_asc(term::Column::Slug)
        .all(db)
        .await?;
    Ok((authors, terms))
}

/// The authors' names of several posts, in order, by post id (one query).
pub async fn author_names(
    db: &impl ConnectionTrait,
    post_ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, Vec<String>>, DbErr> {
    let ids: Vec<i64> = post_ids.into_iter().collect();
    let mut names: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(names);
    }
    let rows = post_author::Entity::find()
        .filter(post_author::Column::PostId.is_in(ids))
        .order_by_asc(post_author::Column::PostId)
        .order_by_asc(post_author::Column::Position)
        .all(db)
        .await?;
    for row in rows {
        names.entry(row.post_id).or_default().push(row.name);
    }
    Ok(names)
}

/// What a post mentions: events, people and organizations, each by name.
pub async fn post_mentions(
    db: &impl ConnectionTrait,
    post_id: i64,
) -> Result<
    (
        Vec<event::Model>,
        Vec<person::Model>,
        Vec<organization::Model>,
    ),
    DbErr,
> {
    let events = event::Entity::find()
        .join(JoinType::InnerJoin, event::Relation::Mention.def())
        .filter(mention::Column::PostId.eq(post_id))
        .filter(event::Column::DeletedAt.is_null())
        .order_by_asc(event::Column::SortName)
        .all(db)
        .await?;
    let people = person::Entity::find()
        .join(JoinType::InnerJoin, person::Relation::Mention.def())
        .filter(mention::Column::PostId.eq(post_id))
        .filter(person::Column::DeletedAt.is_null())
        .order_by_asc(person::Column::SortName)
        .all(db)
        .await?;
    let organizations = organization::Entity::find()
        .join(JoinType::InnerJoin, organization::Relation::Mention.def())
        .filter(mention::Column::PostId.eq(post_id))
        .filter(organization::Column::DeletedAt.is_null())
        .order_by_asc(organization::Column::SortName)
        .all(db)
        .await?;
    Ok((events, people, organizations))
}

/// A tag and how many published posts carry it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct TagCount {
    pub slug: String,
    pub name: String,
    pub post_count: i64,
}

/// Every tag with its published post count, most used first.
pub async fn tags(db: &impl ConnectionTrait) -> Result<Vec<TagCount>, DbErr> {
    term::Entity::find()
        .select_only()
        .column(term::Column::Slug)
        .column(term::Column::Name)
        .column_as(
            Expr::col((post::Entity, post::Column::Id)).count(),
            "post_count",
        )
        .join(JoinType::InnerJoin, term::Relation::PostTerm.def())
        .join(JoinType::InnerJoin, post_term::Relation::Post.def())
        .filter(term::Column::Kind.eq(TermKind::Tag))
        .filter(post::Column::Draft.eq(false))
        .filter(post::Column::DeletedAt.is_null())
        .group_by(term::Column::Id)
        .group_by(term::Column::Slug)
        .group_by(term::Column::Name)
        .order_by_desc(Expr::col((post::Entity, post::Column::Id)).count())
        .order_by_asc(term::Column::Slug)
        .into_model::<TagCount>()
        .all(db)
        .await
}
