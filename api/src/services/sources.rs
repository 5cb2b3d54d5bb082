//! Where the directory's facts come from. A source is a post and the words in it that state
//! some of a record's fields, or a public record (its URL and the day it was read); a source
//! that names no field backs the record itself (that it exists, under its name). The catalog
//! writes the sources of its entries; the importer, the words that made a discovered event.

use entity::event;
use entity::sea_orm_active_enums::{DatePrecision, EntityType};
use entity::source;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::views::sources::{
    EventSources, FieldSources, PartSources, PostSource, PublicRecord, SourceView,
};

/// Makes `cited` the sources of the record `id` of `entity_type`, in order; writes nothing when
/// they are those already stored (a catalog imported again).
pub async fn replace(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    id: i64,
    cited: Vec<SourceView>,
) -> Result<(), DbErr> {
    if of(db, entity_type, id).await? == cited {
        return Ok(());
    }
    source::Entity::delete_many()
        .filter(source::Column::EntityType.eq(entity_type))
        .filter(source::Column::EntityId.eq(id))
        .exec(db)
        .await?;
    if cited.is_empty() {
        return Ok(());
    }
    source::Entity::insert_many(cited.into_iter().map(|c| source::ActiveModel {
        entity_type: Set(entity_type),
        entity_id: Set(id),
        fields: Set(serde_json::json!(c.fields).to_string()),
        quote: Set(c.post.as_ref().and_then(|p| p.quote.clone())),
        post_slug: Set(c.post.map(|p| p.slug)),
        url: Set(c.record.as_ref().map(|r| r.url.clone())),
        retrieved_on: Set(c.record.and_then(|r| r.retrieved_on)),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The sources of the record `id` of `entity_type`, in the order they were written.
pub async fn of(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    id: i64,
) -> Result<Vec<SourceView>, DbErr> {
    Ok(source::Entity::find()
        .filter(source::Column::EntityType.eq(entity_type))
        .filter(source::Column::EntityId.eq(id))
        .order_by_asc(source::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(view)
        .collect())
}

/// The sources of each of the records `ids` of `entity_type`, in one read.
pub async fn of_each(
    db: &impl ConnectionTrait,
    entity_type: EntityType,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<SourceView>>, DbErr> {
    let mut by_id: std::collections::HashMap<i64, Vec<SourceView>> = Default::default();
    if ids.is_empty() {
        return Ok(by_id);
    }
    for s in source::Entity::find()
        .filter(source::Column::EntityType.eq(entity_type))
        .filter(source::Column::EntityId.is_in(ids.iter().copied()))
        .order_by_asc(source::Column::Id)
        .all(db)
        .await?
    {
        by_id.entry(s.entity_id).or_default().push(view(&s));
    }
    Ok(by_id)
}

fn view(s: &source::Model) -> SourceView {
    SourceView {
        fields: serde_json::from_str(&s.fields).unwrap_or_default(),
        post: s.post_slug.clone().map(|slug| PostSource {
            slug,
            quote: s.quote.clone(),
        }),
        record: s.url.clone().map(|url| PublicRecord {
            url,
            retrieved_on: s.retrieved_on,
        }),
    }
}

/// The fields of an event a source can back.
pub const EVENT_FIELDS: &[&str] = &[
    "name",
    "kind",
    "series",
    "year",
    "starts_on",
    "ends_on",
    "date_precision",
    "timezone",
    "venue",
    "city",
    "country",
    "region",
    "format",
    "status",
    "website",
    "registration_url",
    "cfp_opens_on",
    "cfp_closes_on",
    "attendees",
    "description",
    "image_url",
    "latitude",
    "longitude",
    "co_located_with",
];

/// The fields an event serves with a value, each a fact that needs a source. A status no source
/// states is read from the dates, and so is no fact of its own; nor is a precision of days.
pub fn event_facts(e: &event::Model) -> Vec<&'static str> {
    EVENT_FIELDS
        .iter()
        .copied()
        .filter(|field| match *field {
            "name" | "kind" => true,
            "series" => e.series.is_some(),
            "year" => e.year.is_some(),
            "starts_on" => e.starts_on.is_some(),
            "ends_on" => e.ends_on.is_some(),
            "date_precision" => e.date_precision == DatePrecision::Month,
            "timezone" => e.timezone.is_some(),
            "venue" => e.venue.is_some(),
            "city" => e.city.is_some(),
            "country" => e.country.is_some(),
            "region" => e.region.is_some(),
            "format" => e.format.is_some(),
            "status" => e.status_stated,
            "website" => e.website.is_some(),
            "registration_url" => e.registration_url.is_some(),
            "cfp_opens_on" => e.cfp_opens_on.is_some(),
            "cfp_closes_on" => e.cfp_closes_on.is_some(),
            "attendees" => e.attendees.is_some(),
            "description" => e.description.is_some(),
            "image_url" => e.image_url.is_some(),
            "latitude" => e.latitude.is_some(),
            "longitude" => e.longitude.is_some(),
            "co_located_with" => e.co_located_with_id.is_some(),
            _ => false,
        })
        .collect()
}

/// What backs `field` besides its own sources: the record itself for its name, kind and
/// series; the start date for the year; the country for the region (a UN M49 table); the
/// city for its time zone (the IANA zone of the place).
fn follows_from(field: &str) -> &'static [&'static str] {
    match field {
        "name" | "kind" | "series" => &[""],
        "year" => &["starts_on"],
        "region" => &["country"],
        "timezone" => &["city"],
        _ => &[],
    }
}

/// Every fact of the event with the sources that back it, its parts with theirs, and what
/// nothing backs.
pub async fn of_event(db: &impl ConnectionTrait, e: &event::Model) -> Result<EventSources, DbErr> {
    let sources = of(db, EntityType::Event, e.id).await?;
    let mut view = event_sources(e, sources);
    view.parts = parts_of(db, e.id).await?;
    view.unsourced.extend(
        view.parts
            .iter()
            .filter(|p| p.sources.is_empty())
            .map(|p| format!("{}/{}", p.part, p.slug)),
    );
    Ok(view)
}

/// The live parts of the event `event_id` — talks, sponsorships, organizers, participants —
/// each with its sources.
async fn parts_of(db: &impl ConnectionTrait, event_id: i64) -> Result<Vec<PartSources>, DbErr> {
    use crate::services::writes::links::{self, Link, Organizers, Sponsorships};
    use crate::services::writes::participations::Participations;
    use crate::services::writes::row::Row as _;
    fn of_links<L: Link>(
        part: &str,
        rows: Vec<(L::Model, L::Party)>,
    ) -> Vec<(EntityType, i64, String, String)>
    where
        L::Model: crate::services::writes::row::Row,
    {
        rows.iter()
            .map(|(link, party)| {
                let slug = party.slug().unwrap_or_default().to_owned();
                (L::TYPE, link.id(), part.to_owned(), slug)
            })
            .collect()
    }
    let talks = entity::talk::Entity::find()
        .filter(entity::talk::Column::EventId.eq(event_id))
        .filter(entity::talk::Column::DeletedAt.is_null())
        .order_by_asc(entity::talk::Column::Slug)
        .all(db)
        .await?;
    let mut parts: Vec<(EntityType, i64, String, String)> = talks
        .into_iter()
        .map(|t| (EntityType::Talk, t.id, "talks".to_owned(), t.slug))
        .collect();
    parts.extend(of_links::<Sponsorships>(
        "sponsors",
        links::of_event::<Sponsorships>(db, event_id).await?,
    ));
    parts.extend(of_links::<Organizers>(
        "organizers",
        links::of_event::<Organizers>(db, event_id).await?,
    ));
    parts.extend(of_links::<Participations>(
        "participants",
        links::of_event::<Participations>(db, event_id).await?,
    ));
    // Every part's sources in one read.
    let mut by_part: std::collections::HashMap<(EntityType, i64), Vec<SourceView>> =
        Default::default();
    if !parts.is_empty() {
        let mut any = sea_orm::Condition::any();
        for (kind, id, ..) in &parts {
            any = any.add(
                sea_orm::Condition::all()
                    .add(source::Column::EntityType.eq(*kind))
                    .add(source::Column::EntityId.eq(*id)),
            );
        }
        for s in source::Entity::find()
            .filter(any)
            .order_by_asc(source::Column::Id)
            .all(db)
            .await?
        {
            by_part
                .entry((s.entity_type, s.entity_id))
                .or_default()
                .push(view(&s));
        }
    }
    Ok(parts
        .into_iter()
        .map(|(kind, id, part, slug)| PartSources {
            sources: by_part.remove(&(kind, id)).unwrap_or_default(),
            part,
            slug,
        })
        .collect())
}

/// [`of_event`] over sources already read.
fn event_sources(e: &event::Model, sources: Vec<SourceView>) -> EventSources {
    let backs = |s: &SourceView, field: &str| {
        if field.is_empty() {
            s.fields.is_empty()
        } else {
            s.fields.iter().any(|f| f == field)
        }
    };
    let mut fields = Vec::new();
    let mut unsourced = Vec::new();
    for field in event_facts(e) {
        let own: Vec<SourceView> = sources
            .iter()
            .filter(|s| backs(s, field))
            .cloned()
            .collect();
        let through: Vec<&'static str> = follows_from(field)
            .iter()
            .copied()
            .filter(|base| sources.iter().any(|s| backs(s, base)))
            .collect();
        if own.is_empty() && through.is_empty() {
            unsourced.push(field.to_owned());
        }
        fields.push(FieldSources {
            field: field.to_owned(),
            sources: own,
            follows_from: through
                .into_iter()
                .map(|b| if b.is_empty() { "record" } else { b }.to_owned())
                .collect(),
        });
    }
    EventSources {
        record: sources
            .into_iter()
            .filter(|s| s.fields.is_empty())
            .collect(),
        fields,
        parts: Vec::new(),
        unsourced,
    }
}

/// Every live event with the facts it serves that nothing backs, by slug.
pub async fn unsourced_events(
    db: &impl ConnectionTrait,
) -> Result<Vec<(String, Vec<String>)>, DbErr> {
    let events = event::Entity::find()
        .filter(event::Column::DeletedAt.is_null())
        .order_by_asc(event::Column::Slug)
        .all(db)
        .await?;
    // Every event's sources in one read.
    let mut by_event: std::collections::HashMap<i64, Vec<SourceView>> = Default::default();
    for s in source::Entity::find()
        .filter(source::Column::EntityType.eq(EntityType::Event))
        .order_by_asc(source::Column::Id)
        .all(db)
        .await?
    {
        by_event.entry(s.entity_id).or_default().push(view(&s));
    }
    let mut gaps = Vec::new();
    for e in &events {
        let sources = by_event.remove(&e.id).unwrap_or_default();
        let mut unsourced = event_sources(e, sources).unsourced;
        unsourced.extend(
            parts_of(db, e.id)
                .await?
                .into_iter()
                .filter(|p| p.sources.is_empty())
                .map(|p| format!("{}/{}", p.part, p.slug)),
        );
        if !unsourced.is_empty() {
            gaps.push((e.slug.clone(), unsourced));
        }
    }
    Ok(gaps)
}
