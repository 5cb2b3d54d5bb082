//! Response types ("views"): what the API sends, built from entity models with `From`.

pub mod directory;
pub mod event;
pub mod page;
pub mod refs;
pub mod sources;
