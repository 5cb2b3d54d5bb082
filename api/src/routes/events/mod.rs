//! `/api/v1/events`.

mod children;
mod get;
mod json_ld;
mod list;
mod related;
mod write;

use utoipa_actix_web::service_config::ServiceConfig;

pub use get::{get_event, get_event_sources};
pub use list::{ListEventsQuery, list_events};
pub use related::{
    list_event_organizers, list_event_participants, list_event_posts, list_event_speakers,
    list_event_sponsors, list_event_talks,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events)
        .service(get_event)
        .service(get_event_sources)
        .service(list_event_talks)
        .service(list_event_speakers)
        .service(list_event_sponsors)
        .service(list_event_posts)
        .service(write::create_event)
        .service(write::update_event)
        .service(write::delete_event)
        .service(write::get_event_history)
        .service(children::get_event_talk)
        .service(children::create_event_talk)
        .service(children::update_event_talk)
        .service(children::delete_event_talk)
        .service(children::get_event_sponsor)
        .service(children::create_event_sponsor)
        .service(children::update_event_sponsor)
        .service(children::delete_event_sponsor)
        .service(list_event_organizers)
        .service(children::get_event_organizer)
        .service(children::create_event_organizer)
        .service(children::update_event_organizer)
        .service(children::delete_event_organizer)
        .service(list_event_participants)
        .service(children::get_event_participant)
        .service(children::create_event_participant)
        .service(children::update_event_participant)
        .service(children::delete_event_participant);
}
