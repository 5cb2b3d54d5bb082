//! The curated catalog of events, people and organizations (`data/catalog.yaml`), loaded and
//! validated: an unknown key, a bad date, an end before a start or a reference to an entry that
//! does not exist is an error naming the file, the entry and the field.

use std::collections::HashSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
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
    /// A public record: its URL and the day it was read.
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
    pub retrieved_on: NaiveDate,
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
    validate(file, &catalog)?;
    Ok(catalog)
}

/// `events[3].starts_on` → (`events[3]`, `starts_on`).
fn split_path(path: &str) -> (Option<String>, String) {
    match path.find("].") {
        Some(i) => (Some(path[..=i].to_owned()), path[i + 2..].to_owned()),
        None => (None, path.to_owned()),
    }
}

fn validate(file: &str, catalog: &Catalog) -> Result<(), CatalogError> {
    let fail = |entry: String, field: &str, message: String| CatalogError {
        file: file.to_owned(),
        entry,
        field: field.to_owned(),
        message,
    };
    let mut org_slugs = HashSet::new();
    for o in &catalog.organizations {
        let entry = format!("organizations[{}]", o.slug);
        check_slug(&o.slug).map_err(|m| fail(entry.clone(), "slug", m))?;
        if !org_slugs.insert(o.slug.as_str()) {
            return Err(fail(entry, "slug", "appears twice".into()));
        }
    }
    let mut person_slugs = HashSet::new();
    for p in &catalog.people {
        let entry = format!("people[{}]", p.slug);
        check_slug(&p.slug).map_err(|m| fail(entry.clone(), "slug", m))?;
        if !person_slugs.insert(p.slug.as_str()) {
            return Err(fail(entry, "slug", "appears twice".into()));
        }
        if let Some(c) = &p.country {
            check_country(c).map_err(|m| fail(entry.clone(), "country", m))?;
        }
    }
    let event_slugs: HashSet<&str> = catalog.events.iter().map(|e| e.slug.as_str()).collect();
    let mut seen = HashSet::new();
    for e in &catalog.events {
        let entry = format!("events[{}]", e.slug);
        check_slug(&e.slug).map_err(|m| fail(entry.clone(), "slug", m))?;
        if !seen.insert(e.slug.as_str()) {
            return Err(fail(entry, "slug", "appears twice".into()));
        }
        if let (Some(start), Some(end)) = (e.starts_on, e.ends_on)
            && end < start
        {
            return Err(fail(
                entry,
                "ends_on",
                format!("{end} is before starts_on {start}"),
            ));
        }
        for (i, source) in e.sources.iter().enumerate() {
            if let Some(field) = source
                .fields()
                .iter()
                .find(|f| !crate::services::sources::EVENT_FIELDS.contains(&f.as_str()))
            {
                return Err(fail(
                    entry,
                    &format!("sources[{i}].fields"),
                    format!("an event has no field {field:?}"),
                ));
            }
            if let SourceEntry::Quote(q) = source
                && q.quote.trim().is_empty()
            {
                return Err(fail(
                    entry,
                    &format!("sources[{i}].quote"),
                    "is empty".into(),
                ));
            }
        }
        if e.date_precision == Some(DatePrecision::Month)
            && !e.starts_on.is_some_and(|first| {
                first.day() == 1
                    && first
                        .checked_add_months(chrono::Months::new(1))
                        .and_then(|next| next.pred_opt())
                        == e.ends_on
            })
        {
            return Err(fail(
                entry,
                "date_precision",
                "`month` needs starts_on on a month's first day and ends_on on its last".into(),
            ));
        }
        if let (Some(open), Some(close)) = (e.cfp_opens_on, e.cfp_closes_on)
            && close < open
        {
            return Err(fail(
                entry,
                "cfp_closes_on",
                format!("{close} is before cfp_opens_on {open}"),
            ));
        }
        if let Some(c) = &e.country {
            check_country(c).map_err(|m| fail(entry.clone(), "country", m))?;
        }
        if let Some(tz) = &e.timezone
            && tz.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(fail(
                entry,
                "timezone",
                format!("{tz:?} is not an IANA time zone"),
            ));
        }
        if e.attendees.is_some_and(|a| a < 0) {
            return Err(fail(entry, "attendees", "must not be negative".into()));
        }
        let coordinates = match (e.latitude, e.longitude) {
            (None, None) => Ok(()),
            (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Ok(()),
            (Some(_), Some(_)) => Err("latitude must be within ±90 and longitude within ±180"),
            _ => Err("latitude and longitude go together"),
        };
        coordinates.map_err(|m| fail(entry.clone(), "latitude", m.into()))?;
        if let Some(url) = &e.image_url {
            crate::services::writes::input::http_url(url).map_err(|_| {
                fail(
                    entry.clone(),
                    "image_url",
                    format!("{url:?} is not http(s)"),
                )
            })?;
        }
        if let Some(other) = &e.co_located_with
            && (!event_slugs.contains(other.as_str()) || other == &e.slug)
        {
            return Err(fail(
                entry,
                "co_located_with",
                format!("no other event has the slug {other:?}"),
            ));
        }
        let mut talk_slugs = HashSet::new();
        for (i, t) in e.talks.iter().enumerate() {
            check_slug(&t.slug).map_err(|m| fail(entry.clone(), &format!("talks[{i}].slug"), m))?;
            if !talk_slugs.insert(t.slug.as_str()) {
                return Err(fail(
                    entry,
                    &format!("talks[{i}].slug"),
                    "appears twice".into(),
                ));
            }
            if t.title.is_none() && t.summary.is_none() {
                return Err(fail(
                    entry,
                    &format!("talks[{i}].title"),
                    "a talk needs the title its post gives, or the post's words in `summary`"
                        .into(),
                ));
            }
            for (j, s) in t.speakers.iter().enumerate() {
                if !person_slugs.contains(s.as_str()) {
                    return Err(fail(
                        entry,
                        &format!("talks[{i}].speakers[{j}]"),
                        format!("no person has the slug {s:?}"),
                    ));
                }
            }
        }
        for (i, s) in e.sponsors.iter().enumerate() {
            if !org_slugs.contains(s.organization.as_str()) {
                return Err(fail(
                    entry,
                    &format!("sponsors[{i}].organization"),
                    format!("no organization has the slug {:?}", s.organization),
                ));
            }
        }
        let people = e.organizers.iter().map(|o| ("organizers", &o.person));
        let people = people.chain(e.participants.iter().map(|p| ("participants", &p.person)));
        for (i, (list, person)) in people.enumerate() {
            if !person_slugs.contains(person.as_str()) {
                let i = if list == "organizers" {
                    i
                } else {
                    i - e.organizers.len()
                };
                return Err(fail(
                    entry,
                    &format!("{list}[{i}].person"),
                    format!("no person has the slug {person:?}"),
                ));
            }
        }
    }
    Ok(())
}

/// Slugs are lowercase ASCII letters, digits and single hyphens.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{slug:?} is not a slug (lowercase letters, digits, single hyphens)"
        ))
    }
}

fn check_country(code: &str) -> Result<(), String> {
    let ok = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(format!("{code:?} is not an ISO 3166-1 alpha-2 code"))
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
