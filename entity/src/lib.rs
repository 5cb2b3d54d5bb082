//! SeaORM entities: one module a table, no business logic.

pub mod prelude;

pub mod api_token;
pub mod audit_entry;
pub mod cache_invalidation;
pub mod data_version;
pub mod event;
pub mod mention;
pub mod organization;
pub mod organizer;
pub mod participation;
pub mod person;
pub mod post;
pub mod post_author;
pub mod post_term;
pub mod sea_orm_active_enums;
pub mod series;
pub mod slug_alias;
pub mod source;
pub mod sponsorship;
pub mod talk;
pub mod talk_speaker;
pub mod term;
