//! The OpenAPI document, produced from the code without a database.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{RefOr, Required};
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

/// The complete document: every route registered in `routes::configure`, with the headers
/// and statuses the middleware adds to every operation.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    add_http_behaviour(&mut api);
    api
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(Object::with_type(Type::String)))
        .description(Some(description))
        .build()
}

/// What `middleware` does for every route, stated on every operation: `X-Request-Id` on every
/// response; on GETs an `If-None-Match` parameter, `ETag` (and `Cache-Control` on API reads)
/// on 200, and 304.
fn add_http_behaviour(api: &mut utoipa::openapi::OpenApi) {
    let request_id = string_header("The request's id: the client's `X-Request-Id`, or a new UUID.");
    for (path, item) in api.paths.paths.iter_mut() {
        let public = path.starts_with("/api/");
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for (index, operation) in operations.into_iter().enumerate() {
            let Some(operation) = operation else { continue };
            let is_get = index == 0;
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .insert("X-Request-Id".to_owned(), RefOr::T(request_id.clone()));
                }
            }
            if !is_get {
                continue;
            }
            if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
                ok.headers.insert(
                    "ETag".to_owned(),
                    RefOr::T(string_header(
                        "Strong validator of the body; send it back in `If-None-Match`.",
                    )),
                );
                if public {
                    ok.headers.insert(
                        "Cache-Control".to_owned(),
                        RefOr::T(string_header(
                            "`public, max-age=N` (N set by the operator).",
                        )),
                    );
                }
            }
            let not_modified = ResponseBuilder::new()
                .description("Not modified: the `If-None-Match` tag still matches.")
                .header("ETag", string_header("The current tag."))
                .header("X-Request-Id", request_id.clone())
                .build();
            operation
                .responses
                .responses
                .insert("304".to_owned(), RefOr::T(not_modified));
            let parameter = ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "An `ETag` from an earlier response: 304 when it still matches.",
                ))
                .schema(Some(Object::with_type(Type::String)))
                .build();
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .push(RefOr::T(parameter));
        }
    }
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
