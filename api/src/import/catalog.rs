//! The curated catalog of events, people and organizations (`data/catalog.yaml`), loaded and
//! validated: an unknown key, a bad date, an end before a start or a reference to an entry that
//! does not exist is an error naming the file, the entry and the field.

use std::path::Path;

use chrono::NaiveDate;
use entity::sea_orm_active_enums::{
    DatePrecision, EventFormat, EventKind, EventStatus, OrganizerRole, Region, SponsorTier,
    TalkKind,
};
use serde::Deserialize;

/// The catalog shipped with the binary.
pub const EMBEDDED: &str = include_str!("../../../data/catalog.yaml");
/// The name the embedded catalog is reported under.
pub const EMBEDDED_NAME: &str = "data/catalog.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(default)]
    pub organizations: Vec<OrganizationEntry>,
    #[serde(default)]
    pub people: Vec<PersonEntry>,
    #[serde(default)]
    pub events: Vec<EventEntry>,
    /// Other names of the places events are held in ("París" for Paris).
    #[serde(default)]
    pub places: Vec<PlaceEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceEntry {
    /// As events' `city` gives it.
    pub name: String,
    /// As posts in other languages, or locally, write it.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub description: Option<String>,
    /// Where the entry's facts come from.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
}

/// Where facts of an entry come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SourceEntry {
    /// A post (by slug) that names the entry: the record itself.
    Post(String),
    /// Words of a post that state some of the entry's fields.
    Quote(QuoteEntry),
    /// A public record: its URL and, once checked against it, the day it was read.
    Record(RecordEntry),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteEntry {
    pub post: String,
    /// As the post writes it (after mojibake repair).
    pub quote: String,
    /// The fields the words state; none: the record itself.
    #[serde(default)]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordEntry {
    pub url: String,
    /// The day the facts were last checked against the record; none while they have not been.
    pub retrieved_on: Option<NaiveDate>,
    #[serde(default)]
    pub fields: Vec<String>,
}

impl SourceEntry {
    /// The post it cites, if it cites one.
    pub fn post(&self) -> Option<&str> {
        match self {
            SourceEntry::Post(slug) => Some(slug),
            SourceEntry::Quote(q) => Some(&q.post),
            SourceEntry::Record(_) => None,
        }
    }

    /// The fields it backs; none: the record itself.
    pub fn fields(&self) -> &[String] {
        match self {
            SourceEntry::Post(_) => &[],
            SourceEntry::Quote(q) => &q.fields,
            SourceEntry::Record(r) => &r.fields,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub bio: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub github: Option<String>,
    pub linkedin: Option<String>,
    pub x: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
    #[serde(default)]
    pub badges: Vec<String>,
    /// Where the entry's facts come from.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    pub slug: String,
    pub name: String,
    pub kind: EventKind,
    pub series: Option<String>,
    pub year: Option<i32>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub timezone: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub region: Option<Region>,
    pub format: Option<EventFormat>,
    /// Only where a source states it (a post reporting how the event went); otherwise the
    /// dates and the day give it.
    pub status: Option<EventStatus>,
    /// `month` for a month named without days; the dates are then its first and last days.
    /// Days when absent.
    pub date_precision: Option<DatePrecision>,
    pub website: Option<String>,
    pub registration_url: Option<String>,
    pub cfp_opens_on: Option<NaiveDate>,
    pub cfp_closes_on: Option<NaiveDate>,
    pub attendees: Option<i32>,
    pub description: Option<String>,
    /// An image of the event: an http(s) URL.
    pub image_url: Option<String>,
    /// The venue's coordinates (WGS 84), given together.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Slug of the event this one is co-located with.
    pub co_located_with: Option<String>,
    /// Names that refer to this event in any post.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Names that refer to this event only in its source posts (a bare city, say).
    #[serde(default)]
    pub source_aliases: Vec<String>,
    /// Where the entry's facts come from.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
    #[serde(default)]
    pub talks: Vec<TalkEntry>,
    #[serde(default)]
    pub sponsors: Vec<SponsorEntry>,
    #[serde(default)]
    pub organizers: Vec<OrganizerEntry>,
    /// People taking part without a known talk.
    #[serde(default)]
    pub participants: Vec<ParticipantEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkEntry {
    pub slug: String,
    /// As the post gives it; none when the post describes the session without a title.
    pub title: Option<String>,
    /// The post's words for a session it gives no title for.
    pub summary: Option<String>,
    pub kind: TalkKind,
    pub r#abstract: Option<String>,
    /// Person slugs, in billing order.
    #[serde(default)]
    pub speakers: Vec<String>,
    pub recording_url: Option<String>,
    pub slides_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SponsorEntry {
    pub organization: String,
    /// `None` when the tier is not known.
    pub tier: Option<SponsorTier>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizerEntry {
    pub person: String,
    pub role: OrganizerRole,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantEntry {
    pub person: String,
    pub role: entity::sea_orm_active_enums::ParticipationRole,
}

/// A catalog that failed to load.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {entry}: {field}: {message}")]
pub struct CatalogError {
    pub file: String,
    /// `events[kcd-mexico-2024]`, or the path serde reports.
    pub entry: String,
    pub field: String,
    pub message: String,
}

/// Loads a catalog file.
pub fn load_file(path: &Path) -> Result<Catalog, CatalogError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CatalogError {
        file: name.clone(),
        entry: "-".into(),
        field: "-".into(),
        message: e.to_string(),
    })?;
    parse(&name, &text)
}

/// Parses and validates catalog text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Catalog, CatalogError> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    let catalog: Catalog = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let (entry, field) = split_path(&path);
        CatalogError {
            file: file.to_owned(),
            entry: entry.unwrap_or_else(|| path.clone()),
            field,
            message: inner.to_string(),
        }
    })?;
    super::catalog_check::validate(file, &catalog)?;
    Ok(catalog)
}

/// `events[3].starts_on` → (`events[3]`, `starts_on`).
fn split_path(path: &str) -> (Option<String>, String) {
    match path.find("].") {
        Some(i) => (Some(path[..=i].to_owned()), path[i + 2..].to_owned()),
        None => (None, path.to_owned()),
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
