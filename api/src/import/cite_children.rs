//! What belongs to a catalog event — its talks, sponsorships, organizers and participants —
//! cites the sentence of the event's posts that names it: the talk's title (or the post's
//! words for a session without one), the sponsor's, organizer's or participant's name. A part
//! no post names stays without a source, and `eventdir audit` lists it.

use std::collections::HashMap;

use entity::sea_orm_active_enums::EntityType;
use entity::{event, post, talk};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::catalog::{Catalog, EventEntry};
use super::post_people::id_where;
use crate::services::text::normalize;
use crate::services::writes::links::{self, Link, Organizers, Sponsorships};
use crate::services::writes::participations::Participations;
use crate::services::writes::row::Row;

/// Cites, for every catalog event, the parts its posts name. Runs after the posts are stored.
pub(super) async fn cite_children(
    db: &impl ConnectionTrait,
    catalog: &Catalog,
) -> Result<(), DbErr> {
    let names = |aliases: &[String], name: &str| -> Vec<String> {
        std::iter::once(name.to_owned())
            .chain(aliases.iter().cloned())
            .collect()
    };
    let people: HashMap<&str, Vec<String>> = catalog
        .people
        .iter()
        .map(|p| (p.slug.as_str(), names(&p.aliases, &p.name)))
        .collect();
    let orgs: HashMap<&str, Vec<String>> = catalog
        .organizations
        .iter()
        .map(|o| (o.slug.as_str(), names(&o.aliases, &o.name)))
        .collect();
    for entry in &catalog.events {
        if entry.talks.is_empty()
            && entry.sponsors.is_empty()
            && entry.organizers.is_empty()
            && entry.participants.is_empty()
        {
            continue;
        }
        let Some(e) = event::Entity::find()
            .filter(event::Column::Slug.eq(&entry.slug))
            .one(db)
            .await?
        else {
            continue;
        };
        let posts = posts_of(db, entry).await?;
        if posts.is_empty() {
            continue;
        }
        for t in &entry.talks {
            let Some(row) = talk::Entity::find()
                .filter(talk::Column::EventId.eq(e.id))
                .filter(talk::Column::Slug.eq(&t.slug))
                .one(db)
                .await?
            else {
                continue;
            };
            let words: Vec<String> = t.title.iter().chain(&t.summary).cloned().collect();
            cite(db, EntityType::Talk, row.id, &posts, &words).await?;
        }
        let sponsors = entry.sponsors.iter().map(|s| s.organization.as_str());
        cite_links::<Sponsorships>(db, e.id, sponsors, &orgs, &posts).await?;
        let organizers = entry.organizers.iter().map(|o| o.person.as_str());
        cite_links::<Organizers>(db, e.id, organizers, &people, &posts).await?;
        let participants = entry.participants.iter().map(|p| p.person.as_str());
        cite_links::<Participations>(db, e.id, participants, &people, &posts).await?;
    }
    Ok(())
}

/// Cites each link of kind `L` of the event to the party with a slug of `parties`, by the
/// party's names (`names`, by slug).
async fn cite_links<'a, L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
    parties: impl Iterator<Item = &'a str>,
    names: &HashMap<&str, Vec<String>>,
    posts: &[(String, String)],
) -> Result<(), DbErr> {
    for slug in parties {
        let Some(party) = id_where::<<L::Party as Row>::Table>(db, "slug", slug).await? else {
            continue;
        };
        if let Some(row) = links::row_of::<L>(db, event_id, party).await? {
            let words = names.get(slug).cloned().unwrap_or_default();
            cite(db, L::TYPE, row.id(), posts, &words).await?;
        }
    }
    Ok(())
}

/// The posts an event's catalog entry cites, as (slug, Markdown body).
async fn posts_of(
    db: &impl ConnectionTrait,
    entry: &EventEntry,
) -> Result<Vec<(String, String)>, DbErr> {
    let mut slugs: Vec<&str> = entry.sources.iter().filter_map(|s| s.post()).collect();
    slugs.dedup();
    Ok(post::Entity::find()
        .filter(post::Column::Slug.is_in(slugs))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.body_markdown))
        .collect())
}

/// Writes the first sentence of `posts` that holds any of `words` as the record's source.
async fn cite(
    db: &impl ConnectionTrait,
    entity: EntityType,
    id: i64,
    posts: &[(String, String)],
    words: &[String],
) -> Result<(), DbErr> {
    let found = posts.iter().find_map(|(slug, body)| {
        words
            .iter()
            .find_map(|w| quote_in(body, w))
            .map(|quote| (slug.clone(), quote))
    });
    let cited = found
        .map(|(slug, quote)| super::post_people::named_by(&slug, &quote, &[]))
        .into_iter()
        .collect();
    crate::services::sources::replace(db, entity, id, cited).await
}

/// The sentence of a Markdown `body` that holds `words` (whole words; case, accents and
/// punctuation aside), as the post writes it without its Markdown; the words themselves when
/// they run over several sentences (a post's own description of a session).
pub(super) fn quote_in(body: &str, words: &str) -> Option<String> {
    let target = format!(" {} ", normalize(words));
    if target.trim().is_empty() {
        return None;
    }
    let holds = |text: &str| format!(" {} ", normalize(text)).contains(&target);
    for line in body.lines() {
        let line = plain(line);
        for sentence in sentences(&line) {
            if holds(sentence) {
                return Some(sentence.trim().to_owned());
            }
        }
        if holds(&line) {
            return Some(words.trim().to_owned());
        }
    }
    holds(&plain(body)).then(|| words.trim().to_owned())
}

/// A line without Markdown: links as their text, no emphasis, headings or list marks.
fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line.trim_start_matches(['#', '>', '*', '-', ' ']);
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) if after[close + 2..].contains(')') => {
                out.push_str(&after[..close]);
                let tail = &after[close + 2..];
                rest = &tail[tail.find(')').map_or(tail.len(), |i| i + 1)..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace("__", "")
}

/// The sentences of a line: split after ". ", "! " and "? ".
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if matches!(bytes[i], b'.' | b'!' | b'?') && bytes[i + 1] == b' ' {
            out.push(&line[start..=i]);
            start = i + 2;
        }
    }
    out.push(&line[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::quote_in;

    #[test]
    fn a_quote_is_the_sentence_that_names_it_as_the_post_writes_it() {
        let body = "# Day one\n\nWe thank **SUSE** and [Civo](https://civo.com). The keynote by Whitney Lee was next! Then lunch.\n";
        assert_eq!(
            quote_in(body, "Whitney Lee").as_deref(),
            Some("The keynote by Whitney Lee was next!")
        );
        assert_eq!(
            quote_in(body, "Civo").as_deref(),
            Some("We thank SUSE and Civo.")
        );
        // Whole words only.
        assert_eq!(
            quote_in(body, "Lee was"),
            Some("The keynote by Whitney Lee was next!".into())
        );
        assert_eq!(quote_in(body, "Whit"), None);
        // Words over two sentences: the words themselves.
        assert_eq!(
            quote_in(body, "was next! Then lunch").as_deref(),
            Some("was next! Then lunch")
        );
    }
}
