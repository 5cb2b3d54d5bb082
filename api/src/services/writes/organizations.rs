//! Writing organizations (sponsors).

use entity::sea_orm_active_enums::EntityType;
use entity::{event, organization, sponsorship};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::input::{self, Builder, Field, Unknown};
use super::row;
use super::{Resource, claim, store_renamed};
use crate::convert::from_row;
use crate::error::{ApiError, ApiResult};
use crate::services::caller::Caller;
use crate::services::text::now;
use crate::services::text::{search_text, sort_name};

/// The body of `POST /sponsors` and `PATCH /sponsors/{slug}`. On create `name` is required and
/// `slug` defaults to one made from it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OrganizationInput {
    #[schema(value_type = String, required = false, max_length = 200, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", example = "suse")]
    #[serde(default)]
    pub slug: Field<String>,
    #[schema(value_type = String, required = false, min_length = 1, max_length = 200, example = "SUSE")]
    #[serde(default)]
    pub name: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub website: Field<String>,
    #[schema(value_type = Option<String>, format = "uri", pattern = "^https?://[^\\s/?#]+([/?#][^\\s]*)?$")]
    #[serde(default)]
    pub logo_url: Field<String>,
    #[schema(value_type = Option<String>, max_length = 20000)]
    #[serde(default)]
    pub description: Field<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl OrganizationInput {
    /// The members a create must have (the schema `NewOrganization`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["name"];
}

/// An organization's writable state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
pub struct OrganizationRecord {
    #[validate(custom(function = "input::slug"))]
    pub slug: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    #[validate(custom(function = "input::http_url"))]
    pub website: Option<String>,
    #[validate(custom(function = "input::http_url"))]
    pub logo_url: Option<String>,
    #[validate(length(max = 20000, message = "must be at most 20000 characters"))]
    pub description: Option<String>,
}

from_row!(organization::Model => OrganizationRecord { slug, name, website, logo_url, description });

pub struct Organizations;

impl Resource for Organizations {
    type Model = organization::Model;
    type Record = OrganizationRecord;
    type Input = OrganizationInput;
    type View = crate::views::directory::OrganizationPage;
    const TYPE: EntityType = EntityType::Organization;
    const WHAT: &'static str = "organization";
    const COLLECTION: &'static str = "sponsors";
    // Anyone with a token may add a sponsor; organizations sponsor many events, so only
    // admins change or delete them.
    const ADMIN_CHANGES: Option<&'static str> = Some("change or delete organizations");

    async fn build(
        _: &DatabaseTransaction,
        input: OrganizationInput,
        base: Option<(&organization::Model, OrganizationRecord)>,
        _: Option<&event::Model>,
    ) -> ApiResult<OrganizationRecord> {
        let mut b = Builder::new(base.is_none(), &input.unknown);
        let mut r = base.map(|(_, r)| r).unwrap_or_default();
        b.required("name", input.name, &mut r.name);
        let derived = b.slug(input.slug, &mut r.slug, &r.name);
        b.url("website", input.website, &mut r.website);
        b.url("logo_url", input.logo_url, &mut r.logo_url);
        b.optional("description", input.description, &mut r.description);
        if derived {
            b.derived_slug("name", &r.name, &r.slug);
        }
        b.validated(r.validate());
        b.finish(r)
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&organization::Model>,
        r: &OrganizationRecord,
    ) -> ApiResult<organization::Model> {
        claim::<Self>(db, &r.slug, existing).await?;
        let mut am = row::start(existing, now());
        row::set!(am, r; slug, name, website, logo_url, description);
        am.sort_name = Set(sort_name(&r.name));
        am.search_text = Set(search_text(&[
            Some(r.name.as_str()),
            r.description.as_deref(),
        ]));
        store_renamed::<Self>(db, am, existing).await
    }

    async fn remove(
        db: &DatabaseTransaction,
        _: &Caller,
        model: &organization::Model,
    ) -> ApiResult<()> {
        let sponsoring = sponsorship::Entity::find()
            .filter(sponsorship::Column::OrganizationId.eq(model.id))
            .filter(sponsorship::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        if sponsoring > 0 {
            return Err(ApiError::Conflict {
                detail: format!(
                    "`{}` still sponsors {sponsoring} event(s); remove those sponsorships first",
                    model.slug
                ),
                field: None,
            });
        }
        row::soft_delete(db, model).await
    }

    async fn view(
        db: &impl sea_orm::ConnectionTrait,
        model: &organization::Model,
    ) -> ApiResult<crate::views::directory::OrganizationPage> {
        Ok(crate::services::directory::organizations::page(db, model.clone()).await?)
    }
}
