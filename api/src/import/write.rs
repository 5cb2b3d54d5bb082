//! Writing prepared posts: one at a time in a savepoint, or new ones in a batch of
//! multi-row statements.

use std::collections::HashMap;

use entity::sea_orm_active_enums::TermKind;
use entity::{mention, post, post_author, post_term};
use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::post_mentions::*;
use super::post_rows::*;
use super::prepare::*;
use super::sync::*;
use crate::services::text::now;

/// Ids looked up or created during one import, so each is looked up once. Cleared whenever
/// a savepoint rolls back, since what it created is gone.
#[derive(Debug, Default)]
pub struct Caches {
    /// Term ids by (kind, slug).
    pub(super) terms: HashMap<(TermKind, String), i64>,
    /// Event ids by (series, year), for discovered event names.
    pub(super) events: HashMap<(String, i32), i64>,
}

impl Caches {
    pub fn clear(&mut self) {
        self.terms.clear();
        self.events.clear();
    }
}

/// Writes one prepared file inside `db` (a savepoint of the batch's transaction).
pub async fn write(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    known: &Known,
    caches: &mut Caches,
    p: &Prepared,
) -> Result<(Outcome, KnownPost), WriteError> {
    let existing = known.by_slug.get(&p.slug);
    if let Some(existing) = existing
        && existing.source_path != p.source_path
    {
        return Err(WriteError::Invalid(format!(
            "the slug {:?} is already used by {}",
            p.slug, existing.source_path
        )));
    }
    let now = now();
    let am = p.row(existing, now);
    let post_id = match existing {
        Some(m) => {
            post::Entity::update(am).exec(db).await?;
            clear_children(db, m.id).await?;
            m.id
        }
        None => post::Entity::insert(am).exec(db).await?.last_insert_id,
    };
    insert_authors(db, index, post_id, &authors_of(index, p)).await?;
    insert_terms(db, caches, post_id, &p.meta.tags, &p.meta.categories).await?;
    replace_aliases(db, post_id, &p.slug, &p.meta.aliases, existing.is_some()).await?;
    let (mentions, discovered) = insert_mentions(db, index, caches, post_id, p).await?;
    let outcome = if existing.is_some() {
        Outcome::Updated {
            mentions,
            discovered,
            repairs: p.repairs,
        }
    } else {
        Outcome::Created {
            mentions,
            discovered,
            repairs: p.repairs,
        }
    };
    let known_post = KnownPost {
        id: post_id,
        slug: p.slug.clone(),
        source_path: p.source_path.clone(),
        content_hash: p.hash.clone(),
        version: existing.map_or(1, |m| m.version + 1),
        created_at: existing.map_or(now, |m| m.created_at),
    };
    Ok((outcome, known_post))
}

/// Whether `p` is a post the database does not have yet (the batch path's only case).
pub fn is_new(known: &Known, p: &Prepared) -> bool {
    !known.by_slug.contains_key(&p.slug)
}

/// Writes new posts with a few multi-row statements for the whole batch. All or nothing: the
/// caller runs it in a savepoint and, on error, writes the files one by one instead.
pub async fn write_new_batch(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    caches: &mut Caches,
    batch: &[&Prepared],
) -> Result<Vec<(Outcome, KnownPost)>, DbErr> {
    use sea_orm::QuerySelect as _;
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let now = now();
    // Keep each statement well within every backend's limit on bound parameters.
    for chunk in batch.chunks(64) {
        let rows = chunk.iter().map(|p| p.row(None, now));
        post::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for chunk in batch.chunks(500) {
        let rows: Vec<(i64, String)> = post::Entity::find()
            .select_only()
            .columns([post::Column::Id, post::Column::Slug])
            .filter(post::Column::Slug.is_in(chunk.iter().map(|p| p.slug.clone())))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(rows.into_iter().map(|(id, slug)| (slug, id)));
    }

    let mut authors = Vec::new();
    let mut post_terms = Vec::new();
    let mut mention_rows = Vec::new();
    let mut results = Vec::with_capacity(batch.len());
    for p in batch {
        let post_id = *ids
            .get(&p.slug)
            .ok_or_else(|| DbErr::RecordNotFound(format!("post {} after insert", p.slug)))?;
        authors.extend(author_rows(index, post_id, &authors_of(index, p)));
        for term_id in term_ids(db, caches, &p.meta.tags, &p.meta.categories).await? {
            post_terms.push(post_term::ActiveModel {
                post_id: Set(post_id),
                term_id: Set(term_id),
            });
        }
        replace_aliases(db, post_id, &p.slug, &p.meta.aliases, false).await?;
        let (targets, discovered) = resolve_mentions(db, index, caches, post_id, p).await?;
        let mentions = targets.len();
        mention_rows.extend(
            targets
                .into_iter()
                .map(|(target, matched)| mention_row(post_id, target, matched)),
        );
        results.push((
            Outcome::Created {
                mentions,
                discovered,
                repairs: p.repairs,
            },
            KnownPost {
                id: post_id,
                slug: p.slug.clone(),
                source_path: p.source_path.clone(),
                content_hash: p.hash.clone(),
                version: 1,
                created_at: now,
            },
        ));
    }
    for chunk in authors.chunks(1000) {
        post_author::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in post_terms.chunks(1000) {
        post_term::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in mention_rows.chunks(1000) {
        mention::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(results)
}

/// Why a prepared file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl Prepared {
    /// The post's row: new (version 1, created `now`), or `existing` at its next version.
    fn row(
        &self,
        existing: Option<&KnownPost>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> post::ActiveModel {
        post::ActiveModel {
            id: existing.map_or(ActiveValue::NotSet, |m| ActiveValue::Unchanged(m.id)),
            slug: Set(self.slug.clone()),
            title: Set(self.meta.title.clone()),
            published_at: Set(self.meta.published_at),
            published_offset_minutes: Set(self.meta.offset_minutes),
            summary: Set(self.summary.clone()),
            body_markdown: Set(self.body.clone()),
            body_html: Set(self.html.clone()),
            images: Set(json!(self.meta.images)),
            draft: Set(self.meta.draft),
            source_path: Set(self.source_path.clone()),
            front_matter_format: Set(self.format),
            content_hash: Set(self.hash.clone()),
            reading_minutes: Set(self.reading_minutes),
            search_text: Set(self.search_text.clone()),
            created_at: Set(existing.map_or(now, |m| m.created_at)),
            updated_at: Set(now),
            version: Set(existing.map_or(1, |m| m.version + 1)),
            deleted_at: Set(None),
        }
    }
}
