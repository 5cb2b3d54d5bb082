//! An event's talks, speakers, sponsors and posts on their own.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::get::resolve;
use crate::error::{ApiResult, Problem};
use crate::services::event_page;
use crate::state::AppState;
use crate::views::refs::{List, PersonRef, PostRef, SponsorTierGroup, TalkView, group_by_tier};

macro_rules! event_or_return {
    ($state:expr, $slug:expr, $req:expr) => {
        match resolve(&$state, &$slug, &$req).await? {
            Ok(event) => event,
            Err(redirect) => return Ok(redirect),
        }
    };
}

/// List an event's talks
///
/// Talks in schedule order, each with its speakers in billing order.
#[utoipa::path(
    tag = "events",
    operation_id = "list_event_talks",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The talks", body = List<TalkView>),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/talks")]
pub async fn list_event_talks(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = event_or_return!(state, slug, req);
    let talks = event_page::talks(&state.db, event.id).await?;
    Ok(HttpResponse::Ok().json(List {
        data: talks
            .iter()
            .map(|(t, s)| TalkView::new(t, s))
            .collect::<Vec<_>>(),
    }))
}

/// List an event's speakers
///
/// Everyone who speaks at the event, once each, in order of their first talk.
#[utoipa::path(
    tag = "events",
    operation_id = "list_event_speakers",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The speakers", body = List<PersonRef>),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/speakers")]
pub async fn list_event_speakers(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = event_or_return!(state, slug, req);
    let talks = event_page::talks(&state.db, event.id).await?;
    let mut speakers: Vec<PersonRef> = Vec::new();
    for person in talks.iter().flat_map(|(_, s)| s) {
        if !speakers.iter().any(|p| p.slug == person.slug) {
            speakers.push(person.into());
        }
    }
    Ok(HttpResponse::Ok().json(List { data: speakers }))
}

/// List an event's sponsors
///
/// Sponsors grouped by tier, highest first; sponsors whose tier is not known come last.
#[utoipa::path(
    tag = "events",
    operation_id = "list_event_sponsors",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The sponsors by tier", body = List<SponsorTierGroup>),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/sponsors")]
pub async fn list_event_sponsors(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = event_or_return!(state, slug, req);
    let sponsors = event_page::sponsors(&state.db, event.id).await?;
    Ok(HttpResponse::Ok().json(List {
        data: group_by_tier(&sponsors),
    }))
}

/// List the posts about an event
///
/// Published posts that mention the event, newest first.
#[utoipa::path(
    tag = "events",
    operation_id = "list_event_posts",
    params(("slug" = String, Path, description = "The event's slug", example = "kcd-mexico-2024")),
    responses(
        (status = 200, description = "The posts", body = List<PostRef>),
        (status = 301, description = "An old slug", headers(("Location" = String, description = "The current URL"))),
        (status = 404, description = "No event has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{slug}/posts")]
pub async fn list_event_posts(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let event = event_or_return!(state, slug, req);
    let posts = event_page::posts(&state.db, event.id).await?;
    Ok(HttpResponse::Ok().json(List {
        data: posts.iter().map(PostRef::from).collect::<Vec<_>>(),
    }))
}
