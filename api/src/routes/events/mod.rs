//! `/api/v1/events`.

mod get;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub use get::get_event;
pub use list::{ListEventsQuery, list_events};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events).service(get_event);
}
