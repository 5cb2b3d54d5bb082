//! Domain logic. Each function works on any connection or transaction.

pub mod caller;
pub mod cursor;
pub mod directory;
pub mod event_page;
pub mod events;
pub mod fulltext;
pub mod markdown;
pub mod regions;
pub mod search;
pub mod series;
pub mod sources;
pub mod text;
pub mod tokens;
pub mod writes;
