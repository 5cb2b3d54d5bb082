//! The OpenAPI document, produced from the code without a database.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt as _;

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "eventdir",
        description = "The directory of cloud-native community events: Kubernetes Community Days, KubeCon + CloudNativeCon and their co-located summits, with their speakers, sponsors and the posts that report on them.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "eventdir maintainers", url = "https://github.com/eventdir/eventdir"),
    ),
    servers((url = "/", description = "This server")),
    // Reads need no credentials; operations that do declare their own requirement.
    security(()),
    tags(
        (name = "events", description = "KCDs, KubeCons, summits and meetups"),
        (name = "operations", description = "Probes for operators and orchestrators"),
    ),
    components(schemas(Problem, FieldError)),
)]
pub struct ApiDoc;

/// The complete document: every route registered in `routes::configure`.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    api
}

/// The document as pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn spec_json() -> String {
    to_json(&spec())
}

/// A document as pretty JSON with a trailing newline.
pub fn to_json(document: &utoipa::openapi::OpenApi) -> String {
    let mut json = document.to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
