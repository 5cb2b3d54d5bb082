//! `/api/v1/speakers`: the people of the directory.

use actix_web::{delete, get, patch, post};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ApiResult, Problem};
use crate::routes::found::PersonAt;
use crate::routes::pagination::{self, paged_routes};
use crate::routes::resource::write_routes;
use crate::services::cursor::Cursor;
use crate::services::directory;
use crate::services::directory::people::{self, PeopleFilter, PersonRole};
use crate::services::writes::people::{People, PersonInput};
use crate::views::directory::{PersonPage, PersonSummary};
use crate::views::page::Page;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_speakers)
        .service(get_speaker)
        .service(create_speaker)
        .service(update_speaker)
        .service(delete_speaker);
}

/// Who `GET /api/v1/speakers` lists.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonRoleParam {
    /// People who speak at an event.
    Speaker,
    /// People organizing an event.
    Organizer,
    /// Authors of posts.
    Author,
    /// Everyone.
    Any,
}

/// Query parameters of `GET /api/v1/speakers`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListSpeakersQuery {
    /// Only people in this role (default `speaker`: people who speak at an event, with a known
    /// talk or without); `any` lists everyone, speakers, organizers and authors alike.
    #[param(inline)]
    pub role: Option<PersonRoleParam>,
    /// Words to find in the name, company or bio: each must start a word there (`kube` finds
    /// "Kubernetes"); accents and case ignored.
    #[param(max_length = 200, example = "luis")]
    pub q: Option<String>,
    /// Only people speaking at this event (slug).
    #[param(example = "kcd-mexico-2024")]
    pub event: Option<String>,
    /// Only people from this country (ISO 3166-1 alpha-2).
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub country: Option<String>,
    /// Only people of this company; case, accents and punctuation ignored.
    #[param(example = "suse")]
    pub company: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count the whole list (`page.total`, exact); it costs a read of every match, so ask
    /// once, not on every page.
    pub count: Option<bool>,
}

paged_routes! {
    /// List speakers
    ///
    /// The people who speak at events, sorted by name; with `role`, the organizers, the
    /// authors of posts or everyone.
    list_speakers "/speakers" ListSpeakersQuery, "speakers", "A page of people" PersonSummary,
        |db, query| {
            let count = query.count.unwrap_or(false);
            let (filter, limit, after) = query.into_request()?;
            let (rows, next) = directory::list_by_name(db, &filter, limit, after.as_ref()).await?;
            let total = pagination::total(count, directory::count(db, &filter)).await?;
            (rows.iter().map(PersonSummary::from).collect(), limit, next, total)
        };
}

impl ListSpeakersQuery {
    fn into_request(self) -> ApiResult<(PeopleFilter, u64, Option<Cursor>)> {
        let (limit, after) = pagination::page(
            self.limit,
            self.cursor.as_deref(),
            self.q.as_deref(),
            "name",
        )?;
        if let Some(country) = &self.country
            && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(ApiError::bad_field(
                "country",
                "must be an ISO 3166-1 alpha-2 code",
            ));
        }
        let filter = PeopleFilter {
            role: match self.role.unwrap_or(PersonRoleParam::Speaker) {
                PersonRoleParam::Speaker => Some(PersonRole::Speaker),
                PersonRoleParam::Organizer => Some(PersonRole::Organizer),
                PersonRoleParam::Author => Some(PersonRole::Author),
                PersonRoleParam::Any => None,
            },
            q: self.q,
            event: self.event,
            country: self.country,
            company: self.company,
        };
        Ok((filter, limit, after))
    }
}

write_routes! {
    People, PersonInput => PersonPage, "speakers" ("slug" = String, Path, description = "The person's slug", example = "whitney-lee"),
        "/speakers" "/speakers/{slug}",
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
    /// Get a speaker
    ///
    /// A person with their talks grouped by event, the events they organize and the posts that
    /// mention them.
    get get_speaker PersonAt, "The person", "No person has this slug",
        |db, person| people::page(db, person).await?;
}
