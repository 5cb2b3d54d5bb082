//! An event's talks, sponsorships and organizers, one at a time: read, create, change, delete.
//! Each is declared once, from what it says of itself (see [`crate::routes::resource`]).

use actix_web::{delete, get, patch, post};

use crate::error::Problem;
use crate::routes::resource::child_routes;
use crate::services::writes::links::{OrganizerInput, Organizers, SponsorshipInput, Sponsorships};
use crate::services::writes::participations::{
    ParticipationInput, ParticipationView, Participations,
};
use crate::services::writes::talks::{TalkInput, Talks};
use crate::views::refs::{EventSponsorView, OrganizerView, TalkView};

child_routes! {
    Talks,
    TalkInput,
    TalkView,
    ("talk" = String, Path, description = "The talk's slug within the event"),
    "/events/{slug}/talks",
    "/events/{slug}/talks/{talk}",
    /// Get one talk
    ///
    /// A talk of the event with its speakers in billing order.
    get get_event_talk "The talk", "No such event or talk";
    /// Add a talk
    ///
    /// For admins and the event's organizers. `speakers` lists people's slugs in billing order.
    create create_event_talk "The talk's URL", "Another talk of the event has this slug";
    /// Change a talk
    ///
    /// A JSON Merge Patch; `speakers`, when given, replaces the list. Needs `If-Match`.
    update update_event_talk "The changed talk",
        (status = 409, description = "Another talk of the event has the new slug", body = Problem, content_type = "application/problem+json");
    /// Delete a talk
    ///
    /// A soft delete; needs `If-Match`.
    delete delete_event_talk;
}

child_routes! {
    Sponsorships,
    SponsorshipInput,
    EventSponsorView,
    ("organization" = String, Path, description = "The sponsor's slug", example = "suse"),
    "/events/{slug}/sponsors",
    "/events/{slug}/sponsors/{organization}",
    /// Get one sponsorship
    ///
    /// One organization's sponsorship of the event, with its tier.
    get get_event_sponsor "The sponsorship", "No such event or sponsorship";
    /// Add a sponsor
    ///
    /// An organization (by slug) sponsoring the event, at a tier (`null` when unknown). For admins
    /// and the event's organizers.
    create create_event_sponsor "The sponsorship's URL", "The organization already sponsors the event";
    /// Change a sponsorship
    ///
    /// Only the tier changes; needs `If-Match`.
    update update_event_sponsor "The changed sponsorship";
    /// Remove a sponsor
    ///
    /// A soft delete of the sponsorship (the organization stays); needs `If-Match`.
    delete delete_event_sponsor;
}

child_routes! {
    Organizers,
    OrganizerInput,
    OrganizerView,
    ("person" = String, Path, description = "The person's slug"),
    "/events/{slug}/organizers",
    "/events/{slug}/organizers/{person}",
    /// Get one organizer
    ///
    /// One person's role in organizing the event.
    get get_event_organizer "The organizer", "No such event or organizer";
    /// Add an organizer
    ///
    /// A person (by slug) organizing the event, in a role. For admins and the event's organizers.
    create create_event_organizer "The organizer's URL", "The person already organizes the event";
    /// Change an organizer
    ///
    /// Only the role changes; needs `If-Match`.
    update update_event_organizer "The changed organizer";
    /// Remove an organizer
    ///
    /// A soft delete of the role (the person stays); needs `If-Match`.
    delete delete_event_organizer;
}

child_routes! {
    Participations,
    ParticipationInput,
    ParticipationView,
    ("person" = String, Path, description = "The person's slug", example = "manuel-gil"),
    "/events/{slug}/participants",
    "/events/{slug}/participants/{person}",
    /// Get one participant
    ///
    /// One person's part in the event (speaker, keynote, panelist, workshop host, MC) where no
    /// talk of theirs is known.
    get get_event_participant "The participant", "No such event or participant";
    /// Add a participant
    ///
    /// A person (by slug) taking part in the event in a role, with no known talk. For admins and
    /// the event's organizers.
    create create_event_participant "The participant's URL", "The person already takes part in the event";
    /// Change a participant
    ///
    /// Only the role changes; needs `If-Match`.
    update update_event_participant "The changed participant";
    /// Remove a participant
    ///
    /// A soft delete of the part (the person stays); needs `If-Match`.
    delete delete_event_participant;
}
