//! An event page as a schema.org `Event` (JSON-LD), for search engines and calendars.

use entity::sea_orm_active_enums::{EventFormat, EventStatus};
use serde_json::{Value, json};

use crate::views::event::EventPage;

fn status(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Cancelled => "https://schema.org/EventCancelled",
        EventStatus::Postponed => "https://schema.org/EventPostponed",
        _ => "https://schema.org/EventScheduled",
    }
}

fn attendance(format: Option<EventFormat>) -> Option<&'static str> {
    format.map(|f| match f {
        EventFormat::InPerson => "https://schema.org/OfflineEventAttendanceMode",
        EventFormat::Virtual => "https://schema.org/OnlineEventAttendanceMode",
        EventFormat::Hybrid => "https://schema.org/MixedEventAttendanceMode",
    })
}

/// An event page as a schema.org `Event` in JSON-LD: what `Accept: application/ld+json` gets.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the `Value` that `event` builds; never built itself.
pub struct EventJsonLd {
    #[serde(rename = "@context")]
    #[schema(example = "https://schema.org")]
    context: String,
    #[serde(rename = "@type")]
    #[schema(example = "Event")]
    r#type: String,
    /// The event's URL in this API.
    #[serde(rename = "@id")]
    #[schema(example = "https://events.example/api/v1/events/kcd-mexico-2024")]
    id: String,
    name: String,
    /// A schema.org `EventStatusType` URL.
    #[serde(rename = "eventStatus")]
    event_status: String,
    #[serde(rename = "startDate")]
    start_date: Option<chrono::NaiveDate>,
    #[serde(rename = "endDate")]
    end_date: Option<chrono::NaiveDate>,
    url: Option<String>,
    description: Option<String>,
    /// A schema.org `EventAttendanceModeEnumeration` URL.
    #[serde(rename = "eventAttendanceMode")]
    event_attendance_mode: Option<String>,
    #[serde(rename = "maximumAttendeeCapacity")]
    maximum_attendee_capacity: Option<i32>,
    /// A `Place` with a `PostalAddress`, or a `VirtualLocation` with a `url`.
    #[schema(value_type = Option<Object>)]
    location: Option<serde_json::Value>,
    /// The event this one is co-located with.
    #[serde(rename = "superEvent")]
    super_event: Option<JsonLdThing>,
    /// The events co-located with this one.
    #[serde(rename = "subEvent")]
    sub_event: Option<Vec<JsonLdThing>>,
    /// The speakers (`Person`).
    performer: Option<Vec<JsonLdThing>>,
    /// The sponsors (`Organization`).
    sponsor: Option<Vec<JsonLdThing>>,
    /// The organizers (`Person`).
    organizer: Option<Vec<JsonLdThing>>,
}

/// A schema.org thing named in an event's JSON-LD: an `Event`, `Person` or `Organization`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct JsonLdThing {
    #[serde(rename = "@type")]
    #[schema(example = "Person")]
    r#type: String,
    #[serde(rename = "@id")]
    id: Option<String>,
    name: String,
    url: Option<String>,
}

/// The JSON-LD document of an event page.
/// `doc` as JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&` (which occur
/// only inside strings) written as `\u003c`, `\u003e` and `\u0026`.
pub fn embeddable(doc: &Value) -> String {
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `origin` is what goes before `/api/v1` in its ids (see [`crate::origin::Origin::base`]).
pub fn event(page: &EventPage, origin: &str) -> Value {
    let base = format!("{origin}/api/v1/events");
    let e = &page.event.summary;
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": format!("{base}/{}", e.slug),
        "name": e.name,
        "eventStatus": status(e.status),
    });
    let set = |doc: &mut Value, key: &str, value: Value| {
        if !value.is_null() {
            doc[key] = value;
        }
    };
    set(&mut doc, "startDate", json!(e.starts_on));
    set(&mut doc, "endDate", json!(e.ends_on));
    set(&mut doc, "url", json!(e.website));
    set(&mut doc, "description", json!(page.event.description));
    set(&mut doc, "eventAttendanceMode", json!(attendance(e.format)));
    set(
        &mut doc,
        "maximumAttendeeCapacity",
        json!(page.event.attendees),
    );
    if e.format == Some(EventFormat::Virtual) {
        doc["location"] = json!({"@type": "VirtualLocation", "url": e.website});
    } else if e.city.is_some() || e.venue.is_some() || e.country.is_some() {
        let mut address = json!({"@type": "PostalAddress"});
        set(&mut address, "addressLocality", json!(e.city));
        set(&mut address, "addressCountry", json!(e.country));
        let mut place = json!({"@type": "Place", "address": address});
        set(
            &mut place,
            "name",
            json!(e.venue.as_ref().or(e.city.as_ref())),
        );
        doc["location"] = place;
    }
    if let Some(parent) = &page.co_located_with {
        doc["superEvent"] = json!({"@type": "Event", "@id": format!("{base}/{}", parent.slug), "name": parent.name});
    }
    if !page.co_located_events.is_empty() {
        doc["subEvent"] = page
            .co_located_events
            .iter()
            .map(|c| json!({"@type": "Event", "@id": format!("{base}/{}", c.slug), "name": c.name}))
            .collect();
    }
    let mut performers: Vec<Value> = Vec::new();
    for talk in &page.talks {
        for s in &talk.speakers {
            let p = json!({"@type": "Person", "name": s.name});
            if !performers.contains(&p) {
                performers.push(p);
            }
        }
    }
    if !performers.is_empty() {
        doc["performer"] = Value::Array(performers);
    }
    let sponsors: Vec<Value> = page
        .sponsors
        .iter()
        .flat_map(|g| &g.sponsors)
        .map(|o| json!({"@type": "Organization", "name": o.name, "url": o.website}))
        .collect();
    if !sponsors.is_empty() {
        doc["sponsor"] = Value::Array(sponsors);
    }
    if !page.organizers.is_empty() {
        doc["organizer"] = page
            .organizers
            .iter()
            .map(|o| json!({"@type": "Person", "name": o.person.name}))
            .collect();
    }
    doc
}
