//! Search across events, people, organizations and posts: candidates from each backend's
//! full-text index (the same matches everywhere, see [`super::text`]), ranked in Rust so the
//! backends agree on the order.

use entity::sea_orm_active_enums::EventStatus;
use entity::{event, organization, person, post};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::fulltext;
use crate::services::text::normalize;

/// What a hit is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Event,
    Speaker,
    Sponsor,
    Post,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: HitKind,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub score: u32,
}

/// Candidates read per kind before ranking.
const CANDIDATES: u64 = 200;

/// How well a hit's name matches: the whole query as the name, as a phrase in it, all its
/// words in it, or only in the rest of the text.
fn score<W: AsRef<str>>(query: &str, words: &[W], name: &str) -> u32 {
    let name = normalize(name);
    let name_words: Vec<&str> = name.split(' ').collect();
    if name == query {
        100
    } else if name.starts_with(query) && name[query.len()..].starts_with(' ') {
        80
    } else if format!(" {name} ").contains(&format!(" {query} ")) {
        60
    } else if words.iter().all(|w| name_words.contains(&w.as_ref())) {
        40
    } else if words.iter().all(|w| name.contains(w.as_ref())) {
        20
    } else {
        10
    }
}

/// Ranked hits for `q` (best first), at most `limit`, optionally of one kind.
pub async fn search(
    db: &impl ConnectionTrait,
    q: &str,
    kind: Option<HitKind>,
    limit: usize,
) -> Result<Vec<Hit>, DbErr> {
    let query = normalize(q);
    let words = fulltext::distinct_words(&query);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let wants = |k: HitKind| kind.is_none_or(|only| only == k);
    let mut hits = Vec::new();
    if wants(HitKind::Event) {
        let mut select = event::Entity::find()
            .filter(event::Column::DeletedAt.is_null())
            .filter(event::Column::Status.ne(EventStatus::Unverified));
        if let Some(matching) = fulltext::matching_words::<event::Entity>(backend, &words) {
            select = select.filter(matching);
        }
        for e in select
            .order_by_asc(event::Column::SortName)
            .order_by_asc(event::Column::Id)
            .limit(CANDIDATES)
            .all(db)
            .await?
        {
            hits.push(Hit {
                kind: HitKind::Event,
                score: score(&query, &words, &e.name),
                slug: e.slug,
                title: e.name,
                summary: e.description,
            });
        }
    }
    if wants(HitKind::Speaker) {
        let mut select = person::Entity::find().filter(person::Column::DeletedAt.is_null());
        if let Some(matching) = fulltext::matching_words::<person::Entity>(backend, &words) {
            select = select.filter(matching);
        }
        for p in select
            .order_by_asc(person::Column::SortName)
            .order_by_asc(person::Column::Id)
            .limit(CANDIDATES)
            .all(db)
            .await?
        {
            hits.push(Hit {
                kind: HitKind::Speaker,
                score: score(&query, &words, &p.name),
                slug: p.slug,
                title: p.name,
                summary: p.company,
            });
        }
    }
    if wants(HitKind::Sponsor) {
        let mut select =
            organization::Entity::find().filter(organization::Column::DeletedAt.is_null());
        if let Some(matching) = fulltext::matching_words::<organization::Entity>(backend, &words) {
            select = select.filter(matching);
        }
        for o in select
            .order_by_asc(organization::Column::SortName)
            .order_by_asc(organization::Column::Id)
            .limit(CANDIDATES)
            .all(db)
            .await?
        {
            hits.push(Hit {
                kind: HitKind::Sponsor,
                score: score(&query, &words, &o.name),
                slug: o.slug,
                title: o.name,
                summary: o.description,
            });
        }
    }
    if wants(HitKind::Post) {
        let mut select = post::Entity::find()
            .select_only()
            .columns([
                post::Column::Slug,
                post::Column::Title,
                post::Column::Summary,
            ])
            .filter(post::Column::Draft.eq(false))
            .filter(post::Column::DeletedAt.is_null());
        if let Some(matching) = fulltext::matching_words::<post::Entity>(backend, &words) {
            select = select.filter(matching);
        }
        let rows: Vec<(String, String, Option<String>)> = select
            .order_by_desc(post::Column::PublishedAt)
            .order_by_desc(post::Column::Id)
            .limit(CANDIDATES)
            .into_tuple()
            .all(db)
            .await?;
        for (slug, title, summary) in rows {
            // Posts rank a step below records of the same strength: they are about them.
            let s = score(&query, &words, &title).saturating_sub(5);
            hits.push(Hit {
                kind: HitKind::Post,
                score: s,
                slug,
                title,
                summary,
            });
        }
    }
    // Best first; ties by kind, then title, then slug: the same order on every backend.
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| normalize(&a.title).cmp(&normalize(&b.title)))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    hits.truncate(limit);
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_outrank_phrases_and_words() {
        let q = "kcd mexico";
        let words = ["kcd", "mexico"];
        assert!(score(q, &words, "KCD Mexico") > score(q, &words, "KCD Mexico 2024"));
        assert!(score(q, &words, "KCD Mexico 2024") > score(q, &words, "The first KCD in Mexico"));
        assert!(score(q, &words, "The first KCD in Mexico") > score(q, &words, "Something else"));
    }
}
