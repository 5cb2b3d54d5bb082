//! The checks a catalog passes when loaded: every slug well formed and unique, every date in
//! order, every reference to an entry that exists, every source naming fields its record has;
//! each failure names the file, the entry and the field.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use entity::sea_orm_active_enums::DatePrecision;

use super::catalog::{Catalog, CatalogError, EventEntry, SourceEntry};

pub(super) fn validate(file: &str, catalog: &Catalog) -> Result<(), CatalogError> {
    let fail = |entry: String, field: &str, message: String| CatalogError {
        file: file.to_owned(),
        entry,
        field: field.to_owned(),
        message,
    };
    let mut org_slugs = HashSet::new();
    for o in &catalog.organizations {
        let entry = format!("organizations[{}]", o.slug);
        unique(&mut org_slugs, &o.slug).map_err(|m| fail(entry, "slug", m))?;
    }
    let mut person_slugs = HashSet::new();
    for p in &catalog.people {
        let entry = format!("people[{}]", p.slug);
        unique(&mut person_slugs, &p.slug).map_err(|m| fail(entry.clone(), "slug", m))?;
        if let Some(c) = &p.country {
            check_country(c).map_err(|m| fail(entry.clone(), "country", m))?;
        }
    }
    let event_slugs: HashSet<&str> = catalog.events.iter().map(|e| e.slug.as_str()).collect();
    let mut seen = HashSet::new();
    for e in &catalog.events {
        let entry = format!("events[{}]", e.slug);
        unique(&mut seen, &e.slug).map_err(|m| fail(entry.clone(), "slug", m))?;
        in_order(e.starts_on, e.ends_on, "starts_on")
            .map_err(|m| fail(entry.clone(), "ends_on", m))?;
        sources_and_precision(e).map_err(|(field, m)| fail(entry.clone(), &field, m))?;
        in_order(e.cfp_opens_on, e.cfp_closes_on, "cfp_opens_on")
            .map_err(|m| fail(entry.clone(), "cfp_closes_on", m))?;
        if let Some(c) = &e.country {
            check_country(c).map_err(|m| fail(entry.clone(), "country", m))?;
        }
        if let Some(tz) = e
            .timezone
            .as_ref()
            .filter(|tz| tz.parse::<chrono_tz::Tz>().is_err())
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
            unique(&mut talk_slugs, &t.slug)
                .map_err(|m| fail(entry.clone(), &format!("talks[{i}].slug"), m))?;
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

/// An event's sources name only fields it has and quote something; a month is its first and
/// last days. The field at fault and why, otherwise.
fn sources_and_precision(e: &EventEntry) -> Result<(), (String, String)> {
    for (i, source) in e.sources.iter().enumerate() {
        let fields = source.fields();
        let known = crate::services::sources::EVENT_FIELDS;
        if let Some(field) = fields.iter().find(|f| !known.contains(&f.as_str())) {
            let why = format!("an event has no field {field:?}");
            return Err((format!("sources[{i}].fields"), why));
        }
        if let SourceEntry::Quote(q) = source
            && q.quote.trim().is_empty()
        {
            return Err((format!("sources[{i}].quote"), "is empty".into()));
        }
    }
    let month = |first: NaiveDate| {
        let last = first
            .checked_add_months(chrono::Months::new(1))?
            .pred_opt()?;
        (first.day() == 1).then_some(last)
    };
    if e.date_precision == Some(DatePrecision::Month)
        && (e.starts_on.and_then(month).is_none() || e.starts_on.and_then(month) != e.ends_on)
    {
        let why = "`month` needs starts_on on a month's first day and ends_on on its last";
        return Err(("date_precision".into(), why.into()));
    }
    Ok(())
}

/// `then` is not before `first` (named `name` in the message).
fn in_order(first: Option<NaiveDate>, then: Option<NaiveDate>, name: &str) -> Result<(), String> {
    match (first, then) {
        (Some(first), Some(then)) if then < first => {
            Err(format!("{then} is before {name} {first}"))
        }
        _ => Ok(()),
    }
}

/// `slug` is a slug, and the first of its kind in `seen`.
fn unique<'a>(seen: &mut HashSet<&'a str>, slug: &'a str) -> Result<(), String> {
    check_slug(slug)?;
    if seen.insert(slug) {
        Ok(())
    } else {
        Err("appears twice".into())
    }
}
