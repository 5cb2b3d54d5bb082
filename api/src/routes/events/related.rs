//! The lists under an event, each on its own: what the event page embeds, one part at a time.
//! They have one shape — the event at `{slug}` (or its 301 or 404), then one read — so each
//! is declared by what differs: its path, what it answers and how it is read.

use actix_web::{HttpRequest, HttpResponse, get, web};
use entity::{person, talk};

use super::get::resolve;
use crate::error::{ApiResult, Problem};
use crate::services::event_page;
use crate::services::writes::links::{Link, Organizers};
use crate::state::AppState;
use crate::views::refs::{
    List, OrganizerView, PersonRef, PostRef, SponsorTierGroup, TalkView, group_by_tier,
};

/// Declares `GET` handlers answering `List<item>`: for each, its doc comment, name, path,
/// what its 200 is, the item type and the expression (with the database and the event bound
/// to the two names given) that reads the list.
macro_rules! event_lists {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $path:literal, $what:literal, $item:ty, |$db:ident, $event:ident| $data:expr;
    )*) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "events",
            params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
            responses(
                (status = 200, description = $what, body = List<$item>),
                (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
                (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
                (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            slug: web::Path<String>,
            req: HttpRequest,
        ) -> ApiResult<HttpResponse> {
            let $event = match resolve(&state, &slug, &req).await? {
                Ok(event) => event,
                Err(redirect) => return Ok(redirect),
            };
            let $db = &state.db;
            Ok(HttpResponse::Ok().json(List { data: $data }))
        }
    )*};
}

event_lists! {
    /// List an event's talks
    ///
    /// Talks in schedule order, each with its speakers in billing order.
    list_event_talks "/events/{slug}/talks", "The talks", TalkView, |db, event|
        event_page::talks(db, event.id)
            .await?
            .iter()
            .map(|(t, s)| TalkView::new(t, s))
            .collect::<Vec<_>>();

    /// List an event's speakers
    ///
    /// Everyone who speaks at the event, once each, in order of their first talk.
    list_event_speakers "/events/{slug}/speakers", "The speakers", PersonRef, |db, event|
        speakers(&event_page::talks(db, event.id).await?);

    /// List an event's sponsors
    ///
    /// Sponsors grouped by tier, highest first; sponsors whose tier is not known come last.
    list_event_sponsors "/events/{slug}/sponsors", "The sponsors by tier", SponsorTierGroup, |db, event|
        group_by_tier(&event_page::sponsors(db, event.id).await?);

    /// List the posts about an event
    ///
    /// Published posts that mention the event, newest first.
    list_event_posts "/events/{slug}/posts", "The posts", PostRef, |db, event|
        event_page::posts(db, event.id)
            .await?
            .iter()
            .map(PostRef::from)
            .collect::<Vec<_>>();

    /// List an event's organizers
    ///
    /// The people organizing the event, by name, with their roles.
    list_event_organizers "/events/{slug}/organizers", "The organizers", OrganizerView, |db, event|
        event_page::organizers(db, event.id)
            .await?
            .iter()
            .map(|(o, p)| Organizers::view(o, p))
            .collect::<Vec<_>>();
}

/// The speakers of `talks`, once each, in order of their first talk.
fn speakers(talks: &[(talk::Model, Vec<person::Model>)]) -> Vec<PersonRef> {
    let mut speakers: Vec<PersonRef> = Vec::new();
    for person in talks.iter().flat_map(|(_, s)| s) {
        if !speakers.iter().any(|p| p.slug == person.slug) {
            speakers.push(person.into());
        }
    }
    speakers
}
