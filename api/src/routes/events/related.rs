//! The lists under an event, each on its own: what the event page embeds, one part at a time,
//! in pages like every other list.

use actix_web::{HttpRequest, HttpResponse, get};
use entity::{person, talk};

use crate::error::{ApiResult, Problem};
use crate::routes::found::{EventAt, Found};
use crate::routes::pagination::{self, PageQuery};
use crate::services::cursor::Cursor;
use crate::services::event_page;
use crate::services::writes::links::{self, Organizers, Sponsorships};
use crate::services::writes::participations::{ParticipationView, Participations};
use crate::views::page::Page;
use crate::views::refs::{EventSponsorView, OrganizerView, PersonRef, PostRef, TalkView};

/// The sort an event's lists keep: their own order, by position.
const POSITION: &str = "position";

/// The page of `items` (the whole list, in order) that `query` asks for.
fn page_of<T: serde::Serialize>(
    req: &HttpRequest,
    items: Vec<T>,
    query: PageQuery,
) -> ApiResult<HttpResponse> {
    let limit = pagination::limit(query.limit)?;
    let skip = Cursor::parse(query.cursor.as_deref(), POSITION)?.map_or(0, |c| c.id.max(0));
    // The whole list is at hand: its length is free.
    let total = query.count.unwrap_or(false).then_some(items.len() as u64);
    let mut data: Vec<T> = items
        .into_iter()
        .skip(skip as usize)
        .take(limit as usize + 1)
        .collect();
    let next = crate::services::cursor::trim(&mut data, limit).then(|| Cursor {
        sort: POSITION.to_owned(),
        key: None,
        id: skip + limit as i64,
    });
    Ok(pagination::counted_page_response(
        req, data, limit, next, total,
    ))
}

/// Declares the `GET` handlers of an event's lists: for each, its documentation, name, path,
/// the 200's sentence and item type, and the expression that reads the whole list (with the
/// database and the event bound to the names given). 301, 304, 400 and 503 are stated by
/// `openapi::add_read_behaviour`.
macro_rules! event_lists {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $path:literal, $what:literal $Item:ty, |$db:ident, $event:ident| $read:expr;
    )*) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "events",
            params(
                ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
                PageQuery,
            ),
            responses(
                (status = 200, description = $what, body = Page<$Item>,
                    headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
                (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            found: Found<EventAt>,
            query: crate::extract::Query<PageQuery>,
            req: HttpRequest,
        ) -> ApiResult<HttpResponse> {
            let Found { record: $event, state, .. } = found;
            let $db = &state.db;
            let items: Vec<$Item> = $read;
            page_of(&req, items, query.into_inner())
        }
    )*};
}

event_lists! {
    /// List an event's talks
    ///
    /// Talks in schedule order, each with its speakers in billing order.
    list_event_talks "/events/{slug}/talks", "The talks" TalkView, |db, event|
        event_page::talk_views(db, event.id).await?;
    /// List an event's speakers
    ///
    /// Everyone who speaks at the event, once each: in order of their first talk, then those
    /// who speak without a known talk (keynotes, panelists, workshop hosts), by name.
    list_event_speakers "/events/{slug}/speakers", "The speakers" PersonRef, |db, event|
        speakers(
            &event_page::talks(db, event.id).await?,
            &links::of_event::<Participations>(db, event.id).await?,
        );
    /// List an event's sponsors
    ///
    /// Each sponsorship with its organization and tier: highest tier first, sponsors whose tier
    /// is not known last, by name within a tier (the event page groups them by tier).
    list_event_sponsors "/events/{slug}/sponsors", "The sponsorships" EventSponsorView, |db, event|
        by_tier(db, links::of_event::<Sponsorships>(db, event.id).await?).await?;
    /// List the posts about an event
    ///
    /// Published posts that mention the event, newest first.
    list_event_posts "/events/{slug}/posts", "The posts" PostRef, |db, event|
        event_page::posts(db, event.id).await?.iter().map(PostRef::from).collect();
    /// List an event's participants
    ///
    /// People taking part without a known talk (a speaker the post names with no session
    /// title, an MC), by name, with their roles.
    list_event_participants "/events/{slug}/participants", "The participants" ParticipationView, |db, event|
        links::views_of_event::<Participations>(db, event.id).await?;
    /// List an event's organizers
    ///
    /// The people organizing the event, by name, with their roles.
    list_event_organizers "/events/{slug}/organizers", "The organizers" OrganizerView, |db, event|
        links::views_of_event::<Organizers>(db, event.id).await?;
}

/// The speakers of `talks`, once each, in order of their first talk, then the participants who
/// speak.
fn speakers(
    talks: &[(talk::Model, Vec<person::Model>)],
    participants: &[(entity::participation::Model, person::Model)],
) -> Vec<PersonRef> {
    let mut speakers: Vec<PersonRef> = Vec::new();
    let speaking = participants
        .iter()
        .filter(|(p, _)| p.role != entity::sea_orm_active_enums::ParticipationRole::Mc)
        .map(|(_, person)| person);
    for person in talks.iter().flat_map(|(_, s)| s).chain(speaking) {
        if !speakers.iter().any(|p| p.slug == person.slug) {
            speakers.push(person.into());
        }
    }
    speakers
}

/// Sponsorships in the event page's tier order, flat.
async fn by_tier(
    db: &impl sea_orm::ConnectionTrait,
    mut rows: Vec<(entity::sponsorship::Model, entity::organization::Model)>,
) -> Result<Vec<EventSponsorView>, sea_orm::DbErr> {
    rows.sort_by_key(|(s, _)| crate::views::refs::tier_rank(s.tier));
    let ids: Vec<i64> = rows.iter().map(|(s, _)| s.id).collect();
    let mut sources = crate::services::sources::of_each(
        db,
        entity::sea_orm_active_enums::EntityType::Sponsorship,
        &ids,
    )
    .await?;
    Ok(rows
        .iter()
        .map(|(s, o)| EventSponsorView {
            organization: o.into(),
            tier: s.tier,
            sources: sources.remove(&s.id).unwrap_or_default(),
        })
        .collect())
}
