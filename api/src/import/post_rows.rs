//! The rows that hang off a post: authors, tags and categories, aliases, and mentions (with
//! the events a post discovers).

use entity::sea_orm_active_enums::{EntityType, TermKind};
use entity::{mention, post_author, post_term, slug_alias, term};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::sync::*;
use super::write::*;
use crate::services::text::normalize;
use crate::services::writes::slugs::add_alias;

pub(super) async fn clear_children(db: &impl ConnectionTrait, post_id: i64) -> Result<(), DbErr> {
    post_author::Entity::delete_many()
        .filter(post_author::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    post_term::Entity::delete_many()
        .filter(post_term::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    mention::Entity::delete_many()
        .filter(mention::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A post slug as written (Hugo keeps case), trailing slashes gone; anything not URL-safe
/// is slugified.
pub(super) fn post_slug(raw: &str) -> String {
    let trimmed = raw.trim().trim_matches('/');
    let safe = !trimmed.is_empty()
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if safe {
        trimmed.to_owned()
    } else {
        slug::slugify(trimmed)
    }
}

/// The post's authors: its front matter's, or else the person who signed it — the body's last
/// line, when it names a person the catalog knows ("— Teyza Ponce").
pub(super) fn authors_of(index: &CatalogIndex, p: &super::prepare::Prepared) -> Vec<String> {
    if !p.meta.authors.is_empty() {
        return p.meta.authors.clone();
    }
    signature(&p.body)
        .filter(|name| index.people_by_name.contains_key(&normalize(name)))
        .into_iter()
        .collect()
}

/// The last non-empty line of `body`, without markup, dashes or emphasis.
fn signature(body: &str) -> Option<String> {
    let last = body.lines().rev().find(|l| !l.trim().is_empty())?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in last.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let name = text
        .trim()
        .trim_start_matches(['—', '–', '-', '~', ' '])
        .trim_matches(['*', '_', ' ']);
    (2..=60)
        .contains(&name.chars().count())
        .then(|| name.to_owned())
}

pub(super) fn author_rows(
    index: &CatalogIndex,
    post_id: i64,
    authors: &[String],
) -> Vec<post_author::ActiveModel> {
    authors
        .iter()
        .enumerate()
        .map(|(position, name)| {
            let key = normalize(name);
            let person = index.people_by_name.get(&key).copied();
            post_author::ActiveModel {
                post_id: Set(post_id),
                position: Set(position as i32),
                name: Set(name.clone()),
                person_id: Set(person),
                // A person first: an organization writes only where no person has the name.
                organization_id: Set(person
                    .is_none()
                    .then(|| index.organizations_by_name.get(&key).copied())
                    .flatten()),
            }
        })
        .collect()
}

pub(super) async fn insert_authors(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    post_id: i64,
    authors: &[String],
) -> Result<(), DbErr> {
    insert_all(db, author_rows(index, post_id, authors)).await
}

/// Inserts `rows` in one statement; none, when there are none.
pub(super) async fn insert_all<A>(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_some() {
        A::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The ids of a post's tags and categories, creating the terms that do not exist yet.
pub(super) async fn term_ids(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    tags: &[String],
    categories: &[String],
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::new();
    for (kind, names) in [(TermKind::Tag, tags), (TermKind::Category, categories)] {
        for name in names {
            let slug = slug::slugify(name);
            if slug.is_empty() {
                continue;
            }
            let id = match caches.terms.get(&(kind, slug.clone())) {
                Some(id) => *id,
                None => {
                    let existing = term::Entity::find()
                        .filter(term::Column::Kind.eq(kind))
                        .filter(term::Column::Slug.eq(&slug))
                        .one(db)
                        .await?;
                    let id = match existing {
                        Some(t) => t.id,
                        None => {
                            let am = term::ActiveModel {
                                kind: Set(kind),
                                slug: Set(slug.clone()),
                                name: Set(name.clone()),
                                ..Default::default()
                            };
                            term::Entity::insert(am).exec(db).await?.last_insert_id
                        }
                    };
                    caches.terms.insert((kind, slug), id);
                    id
                }
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

pub(super) async fn insert_terms(
    db: &impl ConnectionTrait,
    caches: &mut Caches,
    post_id: i64,
    tags: &[String],
    categories: &[String],
) -> Result<(), DbErr> {
    let ids = term_ids(db, caches, tags, categories).await?;
    let rows = ids.into_iter().map(|term_id| post_term::ActiveModel {
        post_id: Set(post_id),
        term_id: Set(term_id),
    });
    insert_all(db, rows).await
}

/// Hugo `aliases` (old paths) and a lowercase form of a mixed-case slug redirect to the post.
pub(super) async fn replace_aliases(
    db: &impl ConnectionTrait,
    post_id: i64,
    slug: &str,
    aliases: &[String],
    existed: bool,
) -> Result<(), DbErr> {
    let mut wanted: Vec<String> = aliases
        .iter()
        .filter_map(|a| a.trim().trim_matches('/').rsplit('/').next().map(post_slug))
        .filter(|a| !a.is_empty() && a != slug)
        .collect();
    if slug.to_lowercase() != slug {
        wanted.push(slug.to_lowercase());
    }
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() && !existed {
        return Ok(());
    }
    let current: Vec<slug_alias::Model> = slug_alias::Entity::find()
        .filter(slug_alias::Column::EntityType.eq(EntityType::Post))
        .filter(slug_alias::Column::TargetId.eq(post_id))
        .all(db)
        .await?;
    for alias in &current {
        if !wanted.contains(&alias.slug) {
            slug_alias::Entity::delete_by_id(alias.id).exec(db).await?;
        }
    }
    for alias in wanted {
        if current.iter().any(|c| c.slug == alias) {
            continue;
        }
        let taken = slug_alias::Entity::find()
            .filter(slug_alias::Column::EntityType.eq(EntityType::Post))
            .filter(slug_alias::Column::Slug.eq(&alias))
            .one(db)
            .await?;
        if taken.is_none() {
            add_alias(db, EntityType::Post, &alias, post_id).await?;
        }
    }
    Ok(())
}
