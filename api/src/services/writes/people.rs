//! Writing people (speakers and organizers).

use entity::sea_orm_active_enums::EntityType;
use entity::{event, organizer, participation, person, talk, talk_speaker};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::input::{self, Builder, Field, Unknown};
use super::row;
use super::{Resource, claim, store_renamed};
use crate::convert::from_row;
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::text::now;
use crate::services::text::{search_text, sort_name};

/// The body of `POST /speakers` and `PATCH /speakers/{slug}`. On create `name` is required and
/// `slug` defaults to one made from it. Links are http(s) URLs.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PersonInput {
    #[schema(value_type = String, required = false, max_length = 200, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "whitney-lee")]
    #[serde(default)]
    pub slug: Field<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 200, example = "Whitney Lee")]
    #[serde(default)]
    pub name: Field<String>,
    #[schema(value_type = Option<String>, max_length = 20000)]
    #[serde(default)]
    pub bio: Field<String>,
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    #[serde(default)]
    pub company: Field<String>,
    /// ISO 3166-1 alpha-2, upper case.
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{2}$", example = "US")]
    #[serde(default)]
    pub country: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub website: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub github: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub linkedin: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub x: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub bluesky: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub mastodon: Field<String>,
    /// Recognitions, lowercase words joined by `_` (`cncf_ambassador`); replaces the list.
    #[schema(value_type = Option<Vec<String>>, example = json!(["cncf_ambassador"]))]
    #[serde(default)]
    pub badges: Field<Vec<String>>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl PersonInput {
    /// The members a create must have (the schema `NewPerson`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["name"];
}

/// A person's writable state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
pub struct PersonRecord {
    #[validate(custom(function = "input::slug"))]
    pub slug: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    #[validate(length(max = 20000, message = "must be at most 20000 characters"))]
    pub bio: Option<String>,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub company: Option<String>,
    #[validate(custom(function = "input::country"))]
    pub country: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub website: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub github: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub linkedin: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub x: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub bluesky: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub mastodon: Option<String>,
    #[validate(custom(function = "badges"))]
    pub badges: Vec<String>,
}

fn badges(list: &[String]) -> Result<(), ValidationError> {
    let ok = list.len() <= 20
        && list.iter().all(|b| {
            (1..=50).contains(&b.len())
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("badges").with_message(
            "must be at most 20 badges of 1 to 50 lowercase letters, digits or `_`".into(),
        ))
    }
}

from_row!(person::Model => PersonRecord {
    slug, name, bio, company, country, website, github, linkedin, x, bluesky, mastodon,
} |m| badges: serde_json::from_value(m.badges.clone()).unwrap_or_default());

pub struct People;

impl Resource for People {
    type Model = person::Model;
    type Record = PersonRecord;
    type Input = PersonInput;
    type View = crate::views::directory::PersonPage;
    const TYPE: EntityType = EntityType::Person;
    const WHAT: &'static str = "person";
    const COLLECTION: &'static str = "speakers";
    // Anyone with a token may add a person (a new speaker); people appear at many events,
    // so only admins change or delete them.
    const ADMIN_CHANGES: Option<&'static str> = Some("change or delete people");

    async fn build(
        _: &DatabaseTransaction,
        input: PersonInput,
        base: Option<(&person::Model, PersonRecord)>,
        _: Option<&event::Model>,
    ) -> ApiResult<PersonRecord> {
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let mut r = base.map(|(_, r)| r).unwrap_or_default();
        b.required("name", input.name, &mut r.name);
        let derived = b.slug(input.slug, &mut r.slug, &r.name);
        b.optional("bio", input.bio, &mut r.bio);
        b.optional("company", input.company, &mut r.company);
        b.optional("country", input.country, &mut r.country);
        b.url("website", input.website, &mut r.website);
        b.url("github", input.github, &mut r.github);
        b.url("linkedin", input.linkedin, &mut r.linkedin);
        b.url("x", input.x, &mut r.x);
        b.url("bluesky", input.bluesky, &mut r.bluesky);
        b.url("mastodon", input.mastodon, &mut r.mastodon);
        let mut badges = Some(std::mem::take(&mut r.badges));
        b.optional("badges", input.badges, &mut badges);
        r.badges = badges.unwrap_or_default();
        if derived {
            b.derived_slug("name", &r.name, &r.slug);
        }
        b.validated(r.validate());
        b.finish(r)
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&person::Model>,
        r: &PersonRecord,
    ) -> ApiResult<person::Model> {
        claim::<Self>(db, &r.slug, existing).await?;
        let mut am = row::start(existing, now());
        row::set!(
            am, r;
            slug, name, bio, company, country, website, github, linkedin, x, bluesky, mastodon
        );
        am.company_key = Set(r.company.as_deref().map(crate::services::text::normalize));
        am.sort_name = Set(sort_name(&r.name));
        am.badges = Set(serde_json::json!(r.badges));
        am.search_text = Set(search_text(&[
            Some(r.name.as_str()),
            r.company.as_deref(),
            r.bio.as_deref(),
        ]));
        store_renamed::<Self>(db, am, existing).await
    }

    async fn remove(db: &DatabaseTransaction, _: &Caller, model: &person::Model) -> ApiResult<()> {
        let talks = talk_speaker::Entity::find()
            .inner_join(talk::Entity)
            .filter(talk_speaker::Column::PersonId.eq(model.id))
            .filter(talk::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        let organizing = organizer::Entity::find()
            .filter(organizer::Column::PersonId.eq(model.id))
            .filter(organizer::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        let taking_part = participation::Entity::find()
            .filter(participation::Column::PersonId.eq(model.id))
            .filter(participation::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        if talks + organizing + taking_part > 0 {
            return Err(ApiError::Conflict {
                detail: format!(
                    "`{}` still speaks in {talks} talk(s), organizes {organizing} event(s) and \
                     takes part in {taking_part} other(s); remove them there first",
                    model.slug
                ),
                field: None,
            });
        }
        row::soft_delete(db, model).await
    }

    async fn view(
        db: &impl sea_orm::ConnectionTrait,
        model: &person::Model,
    ) -> ApiResult<crate::views::directory::PersonPage> {
        Ok(crate::services::directory::people::page(db, model.clone()).await?)
    }
}
