//! `/api/v1/events`.

mod get;
mod json_ld;
mod list;
mod related;

use utoipa_actix_web::service_config::ServiceConfig;

pub use get::{get_event, resolve};
pub use list::{ListEventsQuery, list_events};
pub use related::{list_event_posts, list_event_speakers, list_event_sponsors, list_event_talks};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events)
        .service(get_event)
        .service(list_event_talks)
        .service(list_event_speakers)
        .service(list_event_sponsors)
        .service(list_event_posts);
}
