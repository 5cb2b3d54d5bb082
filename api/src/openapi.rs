//! The OpenAPI document, produced from the code without a database.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa_actix_web::AppExt as _;

use crate::error::{FieldError, Problem};

mod calendar;
mod creates;
mod refs;

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
        (name = "series", description = "Recurring events and their editions"),
        (name = "changes", description = "Every write, in commit order, for clients that keep a copy"),
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
    add_read_behaviour(&mut api);
    add_write_behaviour(&mut api);
    // Last: it states what every response carries, the ones added above included.
    add_http_behaviour(&mut api);
    calendar::calendar_limit(&mut api);
    creates::add_create_schemas(api)
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::ContentBuilder;
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                crate::error::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// What every authenticated operation shares, stated on each: the bearer scheme, 401, 403,
/// 429 with `Retry-After` and 503; on writes with a body 400, 413, 415 and 422; on `PATCH` and
/// `DELETE` the required `If-Match`, 412 and 428.
fn add_write_behaviour(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
    let components = api.components.get_or_insert_with(Default::default);
    let mut scheme = Http::new(HttpAuthScheme::Bearer);
    scheme.description = Some(
        "An API token made with `eventdir token create`: admins change everything, organizers \
         their events and series."
            .to_owned(),
    );
    components
        .security_schemes
        .insert("bearer".to_owned(), RefOr::T(SecurityScheme::Http(scheme)));
    // Write bodies reject members they do not know (collected, not denied by serde, so that
    // every problem is reported at once).
    for (name, schema) in components.schemas.iter_mut() {
        if name.ends_with("Input")
            && let RefOr::T(utoipa::openapi::Schema::Object(object)) = schema
        {
            object.additional_properties = Some(Box::new(
                utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
            ));
        }
    }
    for item in api.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false, false),
            (&mut item.post, true, false),
            (&mut item.patch, true, true),
            (&mut item.delete, false, true),
        ];
        for (operation, has_body, conditional) in operations {
            let Some(operation) = operation else { continue };
            let secured = operation.security.as_ref().is_some_and(|s| {
                !s.is_empty() && serde_json::to_value(s).is_ok_and(|v| v != serde_json::json!([{}]))
            });
            if !secured {
                continue;
            }
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            add(
                "401",
                "No valid token: missing, unknown or revoked (see `WWW-Authenticate`)",
            );
            add("403", "The token's scope does not include this");
            add("503", "The database is unavailable");
            if has_body || conditional {
                let mut too_many = match problem("Too many writes from this token") {
                    RefOr::T(r) => r,
                    RefOr::Ref(_) => unreachable!(),
                };
                too_many.headers.insert(
                    "Retry-After".to_owned(),
                    RefOr::T(string_header("Seconds to wait before the next write.")),
                );
                responses
                    .entry("429".to_owned())
                    .or_insert(RefOr::T(too_many));
            }
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            if has_body {
                add("400", "The body is not valid JSON");
                add("413", "The body is larger than 64 KB");
                add("415", "The body is not JSON");
                add(
                    "422",
                    "Invalid fields: `errors` lists each, `field` a JSON pointer into the body",
                );
            }
            if conditional {
                add("412", "`If-Match` does not name the current representation");
                add("428", "`If-Match` is missing");
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(header_parameter(
                        "If-Match",
                        Required::True,
                        "The resource's current `ETag` (from a GET or the last write).",
                    ));
            }
        }
    }
}

/// What every read of the API shares, stated on each (where the operation says nothing more
/// precise): 503 when the database is unavailable; with query parameters, 400 for a malformed
/// one; public reads of a record by slug, 301 for an old slug. Writes get theirs from
/// [`add_write_behaviour`].
fn add_read_behaviour(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1/") || path == "/api/v1/openapi.json" {
            continue;
        }
        let Some(operation) = &mut item.get else {
            continue;
        };
        let queried = operation
            .parameters
            .iter()
            .flatten()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
        let by_slug = path.contains('{') && operation.security.is_none();
        for parameter in operation.parameters.iter_mut().flatten() {
            if let RefOr::T(parameter) = parameter
                && parameter.parameter_in == ParameterIn::Query
            {
                forbid_control_characters(parameter);
            }
        }
        let responses = &mut operation.responses.responses;
        if by_slug {
            responses.entry("301".to_owned()).or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description("An old slug")
                        .header("Location", string_header("The current URL"))
                        .build(),
                )
            });
        }
        if queried {
            responses
                .entry("400".to_owned())
                .or_insert_with(|| problem("A malformed parameter"));
        }
        responses
            .entry("503".to_owned())
            .or_insert_with(|| problem("The database is unavailable"));
    }
}

/// No parameter may hold a control character (`admission::refuse_malformed` answers
/// 400): free-text query parameters say so with a `pattern`.
const NO_CONTROL_CHARACTERS: &str = r"^[^\u0000-\u001F\u007F]*$";

fn forbid_control_characters(parameter: &mut Parameter) {
    let Some(schema) = &parameter.schema else {
        return;
    };
    let Ok(mut value) = serde_json::to_value(schema) else {
        return;
    };
    let free_text = value["type"] == "string"
        && value.get("pattern").is_none()
        && value.get("enum").is_none()
        && value.get("format").is_none();
    if !free_text {
        return;
    }
    value["pattern"] = NO_CONTROL_CHARACTERS.into();
    if let Ok(schema) = serde_json::from_value(value) {
        parameter.schema = Some(schema);
    }
}

/// A header parameter of type string.
fn header_parameter(name: &str, required: Required, description: &str) -> RefOr<Parameter> {
    RefOr::T(
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(required)
            .description(Some(description))
            .schema(Some(Object::with_type(Type::String)))
            .build(),
    )
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(Object::with_type(Type::String)))
        .description(Some(description))
        .build()
}

/// What `middleware` does for every route, stated on every operation: `X-Request-Id` on every
/// response, `Retry-After` on every 503, 400 for a malformed query; on GETs an `If-None-Match`
/// parameter, `ETag` (and `Cache-Control` on API reads) on 200, and 304.
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
            // Refused before routing, on every path (`admission::refuse_malformed`).
            operation
                .responses
                .responses
                .entry("400".to_owned())
                .or_insert_with(|| {
                    problem("A query parameter holding a control character or a broken `%` escape")
                });
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .insert("X-Request-Id".to_owned(), RefOr::T(request_id.clone()));
                    if status == "503" {
                        response.headers.insert(
                            "Retry-After".to_owned(),
                            RefOr::T(string_header("Seconds to wait before trying again.")),
                        );
                    }
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
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .push(header_parameter(
                    "If-None-Match",
                    Required::False,
                    "An `ETag` from an earlier response: 304 when it still matches.",
                ));
        }
    }
}

/// The document as pretty JSON with a trailing newline, as committed in `openapi/openapi.json`.
pub fn spec_json() -> String {
    to_json(&spec())
}

/// A document as pretty JSON with a trailing newline.
pub fn to_json(document: &utoipa::openapi::OpenApi) -> String {
    let mut doc = serde_json::to_value(document).unwrap_or_default();
    refs::reference_components(&mut doc);
    let mut json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    json.push('\n');
    json
}
