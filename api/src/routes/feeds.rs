//! Calendars (iCalendar, RFC 5545) and the Atom feed of posts.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Days, Utc};
use entity::event;
use entity::sea_orm_active_enums::{EventFormat, EventStatus};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::routes::events::ListEventsQuery;
use crate::routes::found::{EventAt, Found};
use crate::services::directory::posts::{self, PostFilter};
use crate::services::events;
use crate::services::text::country_name;
use crate::services::writes::input;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_events_calendar)
        .service(get_event_calendar)
        .service(get_posts_feed);
}

const CALENDAR: &str = "text/calendar; charset=utf-8";
const ATOM: &str = "application/atom+xml; charset=utf-8";
/// Most events one calendar holds.
const CALENDAR_MAX: usize = 2000;

/// Calendar of events
///
/// Every event matching the filters of `list_events` as an all-day VEVENT (RFC 5545), for
/// calendar subscriptions: all of them (at most 2000) unless `limit` is given. A calendar cut
/// short says so (`X-WR-CALDESC`) and links to the rest (`Link: <…cursor=…>; rel="next"`).
/// `cursor` starts after a page of the list. Events without a start date are left out. Each
/// VEVENT's `UID` is the event's own (it stays when the slug changes), its `SEQUENCE` the
/// record's revision.
#[utoipa::path(
    tag = "events",
    params(ListEventsQuery),
    responses(
        (status = 200, description = "An iCalendar document", body = String, content_type = "text/calendar",
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when the calendar was cut short"))),
    )
)]
#[get("/events.ics")]
pub async fn get_events_calendar(
    state: web::Data<AppState>,
    Query(query): Query<ListEventsQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let cap = query.limit.map_or(CALENDAR_MAX, |l| l as usize);
    let (filter, mut page) = query.into_request()?;
    let mut all = Vec::new();
    let rest = loop {
        page.limit = (cap - all.len()).min(100) as u64;
        let (rows, next) = events::list(&state.db, &filter, &page).await?;
        all.extend(rows);
        match next {
            Some(cursor) if all.len() < cap => page.after = Some(cursor),
            next => break next,
        }
    };
    let title = format!("eventdir: {}", calendar_name(req.query_string()));
    let mut response = HttpResponse::Ok();
    response.content_type(CALENDAR);
    let cut = rest.map(|cursor| {
        let link = crate::routes::pagination::next_link(&req, &cursor.encode());
        response.insert_header((actix_web::http::header::LINK, link));
        format!(
            "The first {} matching events; the Link header names the rest.",
            all.len()
        )
    });
    Ok(response.body(calendar(&all, &title, cut.as_deref())))
}

/// What a calendar of the list holds, in words, from its query (`kind=kcd&upcoming=true` is
/// `kcd, upcoming`); `events` without filters.
fn calendar_name(query: &str) -> String {
    let words: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| !matches!(key.as_ref(), "limit" | "cursor" | "sort"))
        .map(|(key, value)| match value.as_ref() {
            "true" => key.into_owned(),
            _ if key == "as_of" => format!("as of {value}"),
            _ if matches!(key.as_ref(), "from" | "to") => format!("{key} {value}"),
            _ => value.into_owned(),
        })
        .collect();
    if words.is_empty() {
        "events".to_owned()
    } else {
        format!("events: {}", words.join(", "))
    }
}

/// Calendar of one event
///
/// The event as an all-day VEVENT (RFC 5545). An old slug answers 301.
#[utoipa::path(
    tag = "events",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "An iCalendar document", body = String, content_type = "text/calendar"),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}.ics")]
pub async fn get_event_calendar(event: Found<EventAt>) -> ApiResult<HttpResponse> {
    let title = format!("eventdir: {}", event.record.name);
    Ok(HttpResponse::Ok().content_type(CALENDAR).body(calendar(
        std::slice::from_ref(&event.record),
        &title,
        None,
    )))
}

/// RFC 5545 text: escapes `\`, `;`, `,` and line breaks.
fn ics_text(text: &str) -> String {
    escape(
        text,
        &[
            ('\\', "\\\\"),
            (';', "\\;"),
            (',', "\\,"),
            ('\n', "\\n"),
            ('\r', ""),
        ],
    )
}

/// `text` with each character of `table` replaced by its string.
fn escape(text: &str, table: &[(char, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match table.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets, ended by CRLF. Control characters are left
/// out, so that no value can end the line or start another (text values arrive escaped).
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars().filter(|c| !c.is_control()) {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// `events` as a calendar named `title`; `cut` says why some are missing.
fn calendar(events: &[event::Model], title: &str, cut: Option<&str>) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//eventdir//eventdir//EN");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(title)));
    if let Some(cut) = cut {
        push_line(&mut out, &format!("X-WR-CALDESC:{}", ics_text(cut)));
    }
    for e in events {
        let Some(start) = e.starts_on else { continue };
        let end = e.ends_on.unwrap_or(start).max(start) + Days::new(1);
        push_line(&mut out, "BEGIN:VEVENT");
        // The record's id, not its slug: a renamed event stays the same calendar entry.
        push_line(&mut out, &format!("UID:event-{}@eventdir", e.id));
        push_line(&mut out, &format!("SEQUENCE:{}", (e.version - 1).max(0)));
        // Without METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2), which
        // also keeps the document, and its ETag, the same until the data changes.
        let revised = e.updated_at.format("%Y%m%dT%H%M%SZ");
        push_line(&mut out, &format!("DTSTAMP:{revised}"));
        push_line(&mut out, &format!("LAST-MODIFIED:{revised}"));
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")),
        );
        // DTEND of an all-day event is the day after the last day.
        push_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        push_line(&mut out, &format!("SUMMARY:{}", ics_text(&e.name)));
        // Words a person reads: the country's name, not its code; "Online" for a virtual one.
        let country = e.country.as_deref().map(|c| country_name(c).unwrap_or(c));
        let online = (e.format == Some(EventFormat::Virtual)).then_some("Online");
        let location: Vec<&str> = [e.venue.as_deref(), e.city.as_deref(), country, online]
            .into_iter()
            .flatten()
            .collect();
        if !location.is_empty() {
            push_line(
                &mut out,
                &format!("LOCATION:{}", ics_text(&location.join(", "))),
            );
        }
        // A URI value: written only when it is one.
        if let Some(url) = e.website.as_deref().filter(|u| input::http_url(u).is_ok()) {
            push_line(&mut out, &format!("URL:{url}"));
        }
        if let Some(description) = &e.description {
            push_line(&mut out, &format!("DESCRIPTION:{}", ics_text(description)));
        }
        let status = match e.status {
            EventStatus::Cancelled => "CANCELLED",
            EventStatus::Postponed | EventStatus::Unverified | EventStatus::Announced => {
                "TENTATIVE"
            }
            EventStatus::Scheduled | EventStatus::Completed => "CONFIRMED",
        };
        push_line(&mut out, &format!("STATUS:{status}"));
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// XML text and attribute escaping.
fn xml(text: &str) -> String {
    let table = [
        ('&', "&amp;"),
        ('<', "&lt;"),
        ('>', "&gt;"),
        ('"', "&quot;"),
        ('\'', "&apos;"),
    ];
    let text: String = text
        .chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\n' | '\r' | '\t'))
        .collect();
    escape(&text, &table)
}

/// Feed of posts
///
/// The 50 newest published posts as an Atom 1.0 feed, with their HTML bodies.
#[utoipa::path(
    tag = "posts",
    responses(
        (status = 200, description = "An Atom feed", body = String, content_type = "application/atom+xml"),
    )
)]
#[get("/posts.atom")]
pub async fn get_posts_feed(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (posts, _) = posts::list_posts(&state.db, &PostFilter::default(), 50, None).await?;
    let base = state.origin.base(&req);
    // The posts' own dates: when a post was imported says nothing to a reader.
    let updated = posts
        .iter()
        .map(|p| p.published_at)
        .max()
        .unwrap_or_else(Utc::now);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str("  <id>urn:eventdir:posts</id>\n  <title>eventdir posts</title>\n");
    out.push_str(&format!("  <updated>{}</updated>\n", updated.to_rfc3339()));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&format!("{base}/api/v1/posts.atom"))
    ));
    out.push_str("  <author><name>eventdir</name></author>\n  <generator>eventdir</generator>\n");
    let authors = posts::author_names(&state.db, posts.iter().map(|p| p.id)).await?;
    for p in &posts {
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <id>urn:eventdir:post:{}</id>\n",
            xml(&p.slug)
        ));
        out.push_str(&format!("    <title>{}</title>\n", xml(&p.title)));
        // The post's page on the site it was published on, where one is configured; its
        // record in the API in any case (Atom allows one alternate per media type).
        if let Some(site) = &state.corpus_site {
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml(&format!("{site}/{}/", p.slug))
            ));
        }
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"application/json\" href=\"{}\"/>\n",
            xml(&format!("{base}/api/v1/posts/{}", p.slug))
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            crate::views::refs::published_at(p)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            crate::views::refs::published_at(p)
        ));
        for name in authors.get(&p.id).into_iter().flatten() {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml(name)
            ));
        }
        if let Some(summary) = &p.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", xml(summary)));
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml(&p.body_html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    Ok(HttpResponse::Ok().content_type(ATOM).body(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_are_escaped_and_folded() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(100));
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1].starts_with(' '));
    }
}
