//! An event's talks, sponsorships and organizers, one at a time: read, create, change, delete.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};

use crate::auth::Writer;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{JsonBody, Precondition};
use crate::services::writes::organizers::{self, OrganizerInput, Organizers};
use crate::services::writes::sponsorships::{self, SponsorshipInput, Sponsorships};
use crate::services::writes::talks::{self, TalkInput, Talks};
use crate::services::writes::{self, Resource};
use crate::state::AppState;
use crate::views::refs::{EventSponsorView, List, OrganizerView, TalkView};

use super::resolve;

/// The live child at `key` of the event at `slug`, or the response for a moved event.
async fn child<R: Resource>(
    state: &AppState,
    req: &HttpRequest,
    slug: &str,
    key: &str,
) -> ApiResult<Result<(entity::event::Model, R::Model), HttpResponse>> {
    let event = match resolve(state, slug, req).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(Err(redirect)),
    };
    match R::find(&state.db, Some(&event), key).await? {
        Some(found) => Ok(Ok((event, found))),
        None => Err(ApiError::NotFound(format!(
            "the event `{slug}` has no {} `{key}`",
            R::WHAT
        ))),
    }
}

/// Get one talk
///
/// A talk of the event with its speakers in billing order.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event_talk",
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("talk" = String, Path, description = "The talk's slug within the event"),
    ),
    responses(
        (status = 200, description = "The talk", body = TalkView),
        (status = 301, description = "An old event slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No such event or talk", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/talks/{talk}")]
pub async fn get_event_talk(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let (_, talk) = match child::<Talks>(&state, &req, &slug, &key).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let speakers = talks::speakers_of(&state.db, talk.id).await?;
    Ok(HttpResponse::Ok().json(TalkView::new(&talk, &speakers)))
}

/// Add a talk
///
/// For admins and the event's organizers. `speakers` lists people's slugs in billing order.
#[utoipa::path(
    tag = "events",
    operation_id = "create_event_talk",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    request_body(content = TalkInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = TalkView,
            headers(("Location" = String, description = "The talk's URL"),
                    ("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another talk of the event has this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/events/{slug}/talks")]
pub async fn create_event_talk(
    state: web::Data<AppState>,
    caller: Writer,
    slug: web::Path<String>,
    body: JsonBody<TalkInput>,
) -> ApiResult<HttpResponse> {
    let written = writes::create::<Talks>(&state.db, &caller, Some(&slug), body.0).await?;
    Ok(crate::routes::created(written))
}

/// Change a talk
///
/// A JSON Merge Patch; `speakers`, when given, replaces the list. Needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "update_event_talk",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("talk" = String, Path, description = "The talk's slug within the event"),
    ),
    request_body(content((TalkInput = "application/merge-patch+json"), (TalkInput = "application/json"))),
    responses(
        (status = 200, description = "The changed talk", body = TalkView,
            headers(("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No such event or talk", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another talk of the event has the new slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/events/{slug}/talks/{talk}")]
pub async fn update_event_talk(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
    body: JsonBody<TalkInput>,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    let written =
        writes::update::<Talks>(&state.db, &caller, Some(&slug), &key, &if_match, body.0).await?;
    Ok(crate::routes::updated(written))
}

/// Delete a talk
///
/// A soft delete; needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_event_talk",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("talk" = String, Path, description = "The talk's slug within the event"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such event or talk", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/events/{slug}/talks/{talk}")]
pub async fn delete_event_talk(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    writes::delete::<Talks>(&state.db, &caller, Some(&slug), &key, &if_match).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get one sponsorship
///
/// One organization's sponsorship of the event, with its tier.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event_sponsor",
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("organization" = String, Path, description = "The sponsor's slug", example = "suse"),
    ),
    responses(
        (status = 200, description = "The sponsorship", body = EventSponsorView),
        (status = 301, description = "An old event slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No such event or sponsorship", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/sponsors/{organization}")]
pub async fn get_event_sponsor(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let (_, s) = match child::<Sponsorships>(&state, &req, &slug, &key).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let org = sponsorships::organization_of(&state.db, &s).await?;
    Ok(HttpResponse::Ok().json(sponsorships::view(&s, &org)))
}

/// Add a sponsor
///
/// An organization (by slug) sponsoring the event, at a tier (`null` when unknown). For admins
/// and the event's organizers.
#[utoipa::path(
    tag = "events",
    operation_id = "create_event_sponsor",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    request_body(content = SponsorshipInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = EventSponsorView,
            headers(("Location" = String, description = "The sponsorship's URL"),
                    ("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organization already sponsors the event", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/events/{slug}/sponsors")]
pub async fn create_event_sponsor(
    state: web::Data<AppState>,
    caller: Writer,
    slug: web::Path<String>,
    body: JsonBody<SponsorshipInput>,
) -> ApiResult<HttpResponse> {
    let written = writes::create::<Sponsorships>(&state.db, &caller, Some(&slug), body.0).await?;
    Ok(crate::routes::created(written))
}

/// Change a sponsorship
///
/// Only the tier changes; needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "update_event_sponsor",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("organization" = String, Path, description = "The sponsor's slug", example = "suse"),
    ),
    request_body(content((SponsorshipInput = "application/merge-patch+json"), (SponsorshipInput = "application/json"))),
    responses(
        (status = 200, description = "The changed sponsorship", body = EventSponsorView,
            headers(("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No such event or sponsorship", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/events/{slug}/sponsors/{organization}")]
pub async fn update_event_sponsor(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
    body: JsonBody<SponsorshipInput>,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    let written =
        writes::update::<Sponsorships>(&state.db, &caller, Some(&slug), &key, &if_match, body.0)
            .await?;
    Ok(crate::routes::updated(written))
}

/// Remove a sponsor
///
/// A soft delete of the sponsorship (the organization stays); needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_event_sponsor",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("organization" = String, Path, description = "The sponsor's slug", example = "suse"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such event or sponsorship", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/events/{slug}/sponsors/{organization}")]
pub async fn delete_event_sponsor(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    writes::delete::<Sponsorships>(&state.db, &caller, Some(&slug), &key, &if_match).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List an event's organizers
///
/// The people organizing the event, by name, with their roles.
#[utoipa::path(
    tag = "events",
    operation_id = "list_event_organizers",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The organizers", body = List<OrganizerView>),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/organizers")]
pub async fn list_event_organizers(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = match resolve(&state, &slug, &req).await? {
        Ok(event) => event,
        Err(redirect) => return Ok(redirect),
    };
    let rows = crate::services::event_page::organizers(&state.db, event.id).await?;
    Ok(HttpResponse::Ok().json(List {
        data: rows
            .iter()
            .map(|(o, p)| organizers::view(o, p))
            .collect::<Vec<_>>(),
    }))
}

/// Get one organizer
///
/// One person's role in organizing the event.
#[utoipa::path(
    tag = "events",
    operation_id = "get_event_organizer",
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("person" = String, Path, description = "The person's slug"),
    ),
    responses(
        (status = 200, description = "The organizer", body = OrganizerView),
        (status = 301, description = "An old event slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No such event or organizer", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/organizers/{person}")]
pub async fn get_event_organizer(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let (_, o) = match child::<Organizers>(&state, &req, &slug, &key).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let person = organizers::person_of(&state.db, &o).await?;
    Ok(HttpResponse::Ok().json(organizers::view(&o, &person)))
}

/// Add an organizer
///
/// A person (by slug) organizing the event, in a role. For admins and the event's organizers.
#[utoipa::path(
    tag = "events",
    operation_id = "create_event_organizer",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    request_body(content = OrganizerInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = OrganizerView,
            headers(("Location" = String, description = "The organizer's URL"),
                    ("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person already organizes the event", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/events/{slug}/organizers")]
pub async fn create_event_organizer(
    state: web::Data<AppState>,
    caller: Writer,
    slug: web::Path<String>,
    body: JsonBody<OrganizerInput>,
) -> ApiResult<HttpResponse> {
    let written = writes::create::<Organizers>(&state.db, &caller, Some(&slug), body.0).await?;
    Ok(crate::routes::created(written))
}

/// Change an organizer
///
/// Only the role changes; needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "update_event_organizer",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("person" = String, Path, description = "The person's slug"),
    ),
    request_body(content((OrganizerInput = "application/merge-patch+json"), (OrganizerInput = "application/json"))),
    responses(
        (status = 200, description = "The changed organizer", body = OrganizerView,
            headers(("ETag" = String, description = "The new representation's tag"))),
        (status = 404, description = "No such event or organizer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/events/{slug}/organizers/{person}")]
pub async fn update_event_organizer(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
    body: JsonBody<OrganizerInput>,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    let written =
        writes::update::<Organizers>(&state.db, &caller, Some(&slug), &key, &if_match, body.0)
            .await?;
    Ok(crate::routes::updated(written))
}

/// Remove an organizer
///
/// A soft delete of the role (the person stays); needs `If-Match`.
#[utoipa::path(
    tag = "events",
    operation_id = "delete_event_organizer",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024"),
        ("person" = String, Path, description = "The person's slug"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such event or organizer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/events/{slug}/organizers/{person}")]
pub async fn delete_event_organizer(
    state: web::Data<AppState>,
    caller: Writer,
    path: web::Path<(String, String)>,
    precondition: Precondition,
) -> ApiResult<HttpResponse> {
    let (slug, key) = path.into_inner();
    let if_match = precondition.required()?;
    writes::delete::<Organizers>(&state.db, &caller, Some(&slug), &key, &if_match).await?;
    Ok(HttpResponse::NoContent().finish())
}
