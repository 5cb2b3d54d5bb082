//! Domain logic. Each function works on any connection or transaction.

pub mod cursor;
pub mod directory;
pub mod event_page;
pub mod events;
pub mod search;
pub mod text;
pub mod tokens;
pub mod writes;
