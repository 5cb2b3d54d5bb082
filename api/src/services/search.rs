//! Search across events, people, organizations, posts and series: candidates from each backend's
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
    /// A recurring event (`KCD Miami`), named in posts even before an edition is known.
    Series,
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

/// An event held in the city the query names ranks with the events whose name holds it
/// (a search for "bogota" finds the KCD held in Bogotá among the "… Bogota" events).
fn held_in(query: &str, city: Option<&str>) -> u32 {
    match city {
        Some(city) if normalize(city) == query => 60,
        _ => 0,
    }
}

/// The first candidates of `live` whose text holds every word, by name then id.
async fn candidates<E>(
    db: &impl ConnectionTrait,
    words: &[String],
    live: sea_orm::Select<E>,
    (name, id): (E::Column, E::Column),
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait + Default,
{
    let mut select = live;
    if let Some(matching) = fulltext::matching_words::<E>(db.get_database_backend(), words) {
        select = select.filter(matching);
    }
    select
        .order_by_asc(name)
        .order_by_asc(id)
        .limit(CANDIDATES)
        .all(db)
        .await
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
    let hit = |kind: HitKind, slug: String, title: String, summary: Option<String>| Hit {
        kind,
        score: score(&query, &words, &title),
        slug,
        title,
        summary,
    };
    let mut hits = Vec::new();
    if wants(HitKind::Event) {
        let live = event::Entity::find()
            .filter(event::Column::DeletedAt.is_null())
            .filter(event::Column::Status.ne(EventStatus::Unverified));
        let order = (event::Column::SortName, event::Column::Id);
        for e in candidates(db, &words, live, order).await? {
            let held_there = held_in(&query, e.city.as_deref());
            let mut event = hit(HitKind::Event, e.slug, e.name, e.description);
            event.score = event.score.max(held_there);
            hits.push(event);
        }
    }
    if wants(HitKind::Speaker) {
        let live = person::Entity::find().filter(person::Column::DeletedAt.is_null());
        let order = (person::Column::SortName, person::Column::Id);
        for p in candidates(db, &words, live, order).await? {
            hits.push(hit(HitKind::Speaker, p.slug, p.name, p.company));
        }
    }
    if wants(HitKind::Sponsor) {
        let live = organization::Entity::find().filter(organization::Column::DeletedAt.is_null());
        let order = (organization::Column::SortName, organization::Column::Id);
        for o in candidates(db, &words, live, order).await? {
            hits.push(hit(HitKind::Sponsor, o.slug, o.name, o.description));
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
            let mut post = hit(HitKind::Post, slug, title, summary);
            // Posts rank a step below records of the same strength: they are about them.
            post.score = post.score.saturating_sub(5);
            hits.push(post);
        }
    }
    if wants(HitKind::Series) {
        // A handful of rows: matched here, each word the start of a word of the name.
        for s in entity::series::Entity::find().all(db).await? {
            let name = normalize(&s.name);
            let name_words: Vec<&str> = name.split(' ').collect();
            if words
                .iter()
                .all(|w| name_words.iter().any(|n| n.starts_with(w.as_str())))
            {
                hits.push(hit(HitKind::Series, s.slug, s.name, None));
            }
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

    #[test]
    fn an_event_in_the_city_searched_ranks_with_names_that_hold_it() {
        let q = "bogota";
        assert_eq!(
            held_in(q, Some("Bogotá")),
            score(q, &[q], "KCD Bogota 2030")
        );
        assert_eq!(held_in(q, Some("Lima")), 0);
        assert_eq!(held_in(q, None), 0);
    }
}
