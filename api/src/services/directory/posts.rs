//! Reading posts: the list, one by slug, what they mention and who wrote them.

use chrono::{DateTime, NaiveDate, Utc};
use entity::sea_orm_active_enums::TermKind;
use entity::{event, mention, organization, person, post, post_author, post_term, term};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use super::{Filter, among, by_slug, search};
use crate::services::cursor::Cursor;
use crate::services::cursor::page_of;
use crate::services::events::Lookup;
use crate::views::directory::{AuthorView, MentionsView, PostPage, PostSummary};
use crate::views::refs::{EventRef, OrganizationRef, PersonRef, SeriesRef};

pub async fn post_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Lookup<post::Model>, DbErr> {
    match by_slug::<post::Model>(db, slug).await? {
        Lookup::Found(p) if p.draft => Ok(Lookup::Missing),
        other => Ok(other),
    }
}

/// Which side of a mention to follow.
#[derive(Debug, Clone, Copy)]
pub enum Mentioned {
    Event(i64),
    Person(i64),
    Organization(i64),
    /// A series, named without one of its editions.
    Series(i64),
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
        Mentioned::Series(id) => mention::Column::SeriesId.eq(id),
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
    /// Author name, as written, or the slug of the person or organization that wrote it.
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
    let mut select = matching(db.get_database_backend(), filter);
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
    let select = select
        .order_by_desc(post::Column::PublishedAt)
        .order_by_desc(post::Column::Id);
    page_of(db, select, limit, "-published_at", |p| {
        let at = p.published_at;
        (
            Some(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
            p.id,
        )
    })
    .await
}

impl Filter for PostFilter {
    type Table = post::Entity;
    fn matching(&self, backend: sea_orm::DbBackend) -> sea_orm::Select<post::Entity> {
        matching(backend, self)
    }
}

/// The published posts `filter` matches.
fn matching(backend: sea_orm::DbBackend, filter: &PostFilter) -> sea_orm::Select<post::Entity> {
    let mut select = post::Entity::find()
        .filter(post::Column::Draft.eq(false))
        .filter(post::Column::DeletedAt.is_null());
    select = search(select, backend, filter.q.as_deref());
    let id = post::Column::Id;
    for (kind, slug) in [
        (TermKind::Tag, &filter.tag),
        (TermKind::Category, &filter.category),
    ] {
        if let Some(slug) = slug {
            let tagged = post_term::Entity::find()
                .inner_join(term::Entity)
                .filter(Expr::col((term::Entity, term::Column::Kind)).eq(kind.as_str()))
                .filter(term::Column::Slug.eq(slug.to_lowercase()));
            select = select.filter(among(id, post_term::Column::PostId, tagged));
        }
    }
    if let Some(author) = &filter.author {
        let by = post_author::Entity::find()
            .left_join(person::Entity)
            .left_join(organization::Entity)
            .filter(
                Condition::any()
                    .add(post_author::Column::Name.eq(author.as_str()))
                    .add(person::Column::Slug.eq(author.as_str()))
                    .add(organization::Column::Slug.eq(author.as_str())),
            );
        select = select.filter(among(id, post_author::Column::PostId, by));
    }
    if let Some(event_slug) = &filter.event {
        let mentioning = mention::Entity::find()
            .inner_join(event::Entity)
            .filter(event::Column::Slug.eq(event_slug.as_str()));
        select = select.filter(among(id, mention::Column::PostId, mentioning));
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
    select
}

/// An author as the post names them, and the person or organization the name is.
pub type Author = (
    post_author::Model,
    Option<person::Model>,
    Option<organization::Model>,
);

/// A post's authors (in order), tags and categories.
pub async fn post_meta(
    db: &impl ConnectionTrait,
    post_id: i64,
) -> Result<(Vec<Author>, Vec<term::Model>), DbErr> {
    let rows = post_author::Entity::find()
        .filter(post_author::Column::PostId.eq(post_id))
        .order_by_asc(post_author::Column::Position)
        .find_also_related(person::Entity)
        .all(db)
        .await?;
    // Organizations write rarely: read them only for a post that has one.
    let org_ids: Vec<i64> = rows.iter().filter_map(|(a, _)| a.organization_id).collect();
    let orgs: std::collections::HashMap<i64, organization::Model> = if org_ids.is_empty() {
        Default::default()
    } else {
        organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids))
            .filter(organization::Column::DeletedAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect()
    };
    let authors = rows
        .into_iter()
        .map(|(a, p)| {
            let org = a.organization_id.and_then(|id| orgs.get(&id).cloned());
            (a, p, org)
        })
        .collect();
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
    let events = mentioned::<event::Entity>(db, post_id, event::Relation::Mention);
    let people = mentioned::<person::Entity>(db, post_id, person::Relation::Mention);
    let organizations =
        mentioned::<organization::Entity>(db, post_id, organization::Relation::Mention);
    Ok((events.await?, people.await?, organizations.await?))
}

/// The live records of one kind (events, people, organizations) that the post mentions, by
/// name.
async fn mentioned<E: EntityTrait>(
    db: &impl ConnectionTrait,
    post_id: i64,
    mentions: E::Relation,
) -> Result<Vec<E::Model>, DbErr> {
    use std::str::FromStr as _;
    let column = |name: &str| {
        E::Column::from_str(name).unwrap_or_else(|_| panic!("mentionable tables have `{name}`"))
    };
    E::find()
        .join(JoinType::InnerJoin, mentions.def())
        .filter(mention::Column::PostId.eq(post_id))
        .filter(column("deleted_at").is_null())
        .order_by_asc(column("sort_name"))
        .all(db)
        .await
}

/// The series a post names without naming one of their editions, by slug.
async fn series_mentioned(
    db: &impl ConnectionTrait,
    post_id: i64,
) -> Result<Vec<SeriesRef>, DbErr> {
    let named = mention::Entity::find()
        .filter(mention::Column::PostId.eq(post_id))
        .filter(mention::Column::SeriesId.is_not_null());
    let id = entity::series::Column::Id;
    Ok(entity::series::Entity::find()
        .filter(among(id, mention::Column::SeriesId, named))
        .order_by_asc(entity::series::Column::Slug)
        .all(db)
        .await?
        .iter()
        .map(SeriesRef::from)
        .collect())
}

/// A post's page, as `GET /posts/{slug}` serves it.
pub async fn page(db: &impl ConnectionTrait, post: post::Model) -> Result<PostPage, DbErr> {
    let (authors, terms) = post_meta(db, post.id).await?;
    let (events, people, organizations) = post_mentions(db, post.id).await?;
    Ok(PostPage {
        post: PostSummary::from(&post),
        authors: authors
            .iter()
            .map(|(a, p, o)| AuthorView {
                name: a.name.clone(),
                person: p.as_ref().map(PersonRef::from),
                organization: o.as_ref().map(OrganizationRef::from),
            })
            .collect(),
        tags: PostPage::terms(&terms, TermKind::Tag),
        categories: PostPage::terms(&terms, TermKind::Category),
        images: serde_json::from_value(post.images.clone()).unwrap_or_default(),
        body_html: post.body_html.clone(),
        body_markdown: post.body_markdown.clone(),
        mentions: MentionsView {
            series: series_mentioned(db, post.id).await?,
            events: events.iter().map(EventRef::from).collect(),
            people: people.iter().map(PersonRef::from).collect(),
            organizations: organizations.iter().map(OrganizationRef::from).collect(),
        },
    })
}
