//! The lists under an event, each on its own: what the event page embeds, one part at a time.

use actix_web::get;
use entity::{person, talk};

use crate::error::Problem;
use crate::routes::found::{EventAt, found_routes};
use crate::services::event_page;
use crate::services::writes::links::{Link, Organizers};
use crate::views::refs::{
    List, OrganizerView, PersonRef, PostRef, SponsorTierGroup, TalkView, group_by_tier,
};

found_routes! {
    /// List an event's talks
    ///
    /// Talks in schedule order, each with its speakers in billing order.
    list_event_talks "/events/{slug}/talks" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "The talks" List<TalkView>, "No event has this slug", |db, event| List {
            data: event_page::talks(db, event.id).await?.iter().map(|(t, s)| TalkView::new(t, s)).collect(),
        };
    /// List an event's speakers
    ///
    /// Everyone who speaks at the event, once each, in order of their first talk.
    list_event_speakers "/events/{slug}/speakers" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "The speakers" List<PersonRef>, "No event has this slug", |db, event| List {
            data: speakers(&event_page::talks(db, event.id).await?),
        };
    /// List an event's sponsors
    ///
    /// Sponsors grouped by tier, highest first; sponsors whose tier is not known come last.
    list_event_sponsors "/events/{slug}/sponsors" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "The sponsors by tier" List<SponsorTierGroup>, "No event has this slug", |db, event| List {
            data: group_by_tier(&event_page::sponsors(db, event.id).await?),
        };
    /// List the posts about an event
    ///
    /// Published posts that mention the event, newest first.
    list_event_posts "/events/{slug}/posts" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "The posts" List<PostRef>, "No event has this slug", |db, event| List {
            data: event_page::posts(db, event.id).await?.iter().map(PostRef::from).collect(),
        };
    /// List an event's organizers
    ///
    /// The people organizing the event, by name, with their roles.
    list_event_organizers "/events/{slug}/organizers" EventAt, "events" ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        "The organizers" List<OrganizerView>, "No event has this slug", |db, event| List {
            data: event_page::organizers(db, event.id).await?.iter().map(|(o, p)| Organizers::view(o, p)).collect(),
        };
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
