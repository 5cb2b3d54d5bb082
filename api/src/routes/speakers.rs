//! `/api/v1/speakers`: the people of the directory.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::routes::resource::write_routes;
use crate::routes::{found_or_moved, pagination};
use crate::services::cursor::Cursor;
use crate::services::directory::people::{self, PeopleFilter};
use crate::services::writes::people::{People, PersonInput};
use crate::state::AppState;
use crate::views::directory::{PersonPage, PersonSummary};
use crate::views::page::Page;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_speakers)
        .service(get_speaker)
        .service(create_speaker)
        .service(update_speaker)
        .service(delete_speaker);
}

/// Query parameters of `GET /api/v1/speakers`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSpeakersQuery {
    /// Words to find in the name, company or bio: each must start a word there (`kube` finds
    /// "Kubernetes"); accents and case ignored.
    #[param(max_length = 200, example = "whitney")]
    pub q: Option<String>,
    /// Only people speaking at this event (slug).
    #[param(example = "kcd-mexico-2024")]
    pub event: Option<String>,
    /// Only people from this country (ISO 3166-1 alpha-2).
    #[param(pattern = "^[A-Za-z]{2}$", example = "CO")]
    pub country: Option<String>,
    /// Only people of this company, exactly as named.
    #[param(example = "Isovalent")]
    pub company: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List speakers
///
/// The people of the directory — speakers, organizers and authors — sorted by name.
#[utoipa::path(
    tag = "speakers",
    operation_id = "list_speakers",
    params(ListSpeakersQuery),
    responses(
        (status = 200, description = "A page of people", body = Page<PersonSummary>,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 400, description = "A malformed parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/speakers")]
pub async fn list_speakers(
    state: web::Data<AppState>,
    query: Query<ListSpeakersQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let after = Cursor::parse(query.cursor.as_deref(), "name")?;
    pagination::check_q(query.q.as_deref())?;
    if let Some(country) = &query.country
        && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ApiError::bad_field(
            "country",
            "must be an ISO 3166-1 alpha-2 code",
        ));
    }
    let filter = PeopleFilter {
        q: query.q,
        event: query.event,
        country: query.country,
        company: query.company,
    };
    let (rows, next) = people::list_people(&state.db, &filter, limit, after.as_ref()).await?;
    Ok(pagination::page_response(
        &req,
        rows.iter().map(PersonSummary::from).collect::<Vec<_>>(),
        limit,
        next,
    ))
}

/// Get a speaker
///
/// A person with their talks grouped by event, the events they organize and the posts that
/// mention them.
#[utoipa::path(
    tag = "speakers",
    operation_id = "get_speaker",
    params(("slug" = String, Path, description = "The person's slug", example = "whitney-lee")),
    responses(
        (status = 200, description = "The person", body = PersonPage),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No person has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/speakers/{slug}")]
pub async fn get_speaker(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let person = match found_or_moved(
        people::person_by_slug(&state.db, &slug).await?,
        &req,
        &slug,
        "person",
    )? {
        Ok(record) => record,
        Err(redirect) => return Ok(redirect),
    };
    Ok(HttpResponse::Ok().json(people::page(&state.db, person).await?))
}

write_routes! {
    People,
    PersonInput,
    PersonPage,
    "speakers",
    ("slug" = String, Path, description = "The person's slug", example = "whitney-lee"),
    "/speakers",
    "/speakers/{slug}",
    /// Add a speaker
    ///
    /// Any token may add a person; the slug is made from the name unless given.
    create create_speaker "The new URL", "The new representation's tag", "Another person has this slug";
    /// Change a speaker
    ///
    /// A JSON Merge Patch, for admin tokens. Needs `If-Match`; a new slug keeps the old one as a
    /// redirect.
    update update_speaker "The changed person", "No person has this slug", "Another person has the new slug";
    /// Delete a speaker
    ///
    /// A soft delete, for admin tokens; refused (409) while the person is still referenced by an
    /// event. Needs `If-Match`.
    delete delete_speaker "Still referenced by an event";
}
