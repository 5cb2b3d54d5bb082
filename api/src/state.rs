//! What every handler can reach, owned by the HTTP layer.

use sea_orm::DatabaseConnection;

/// The application state handed to every request.
pub struct AppState {
    pub db: DatabaseConnection,
    /// The base of the absolute URLs responses carry.
    pub origin: crate::origin::Origin,
    /// Where the corpus' posts are published (a post's page is `<URL>/<slug>/`).
    pub corpus_site: Option<String>,
}
