//! Links of an event to a party: organizers (a person, in a role) and sponsorships (an
//! organization, at a tier). Both have one shape — one row per event and party, the party
//! fixed once linked, one attribute that changes — written once here; a [`Link`] says what
//! differs.

use chrono::{DateTime, Utc};
use entity::sea_orm_active_enums::{EntityType, OrganizerRole, SponsorTier};
use entity::{event, organization, organizer, person, sponsorship};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Related, Value,
};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;

use super::Resource;
use super::input::{Builder, Field, Unknown};
use super::row::{self, Row, column};
use crate::error::{ApiError, ApiResult};
use crate::services::text::now;
use crate::views::refs::{EventSponsorView, OrganizerView};

/// What one kind of link says of itself.
pub trait Link: Send + Sync + 'static {
    /// The link's row.
    type Model: Row<Table: Related<<Self::Party as Row>::Table> + Related<event::Entity>>;
    /// What the event is linked to.
    type Party: Row;
    /// What changes: a role, a tier.
    type Attr: Clone + PartialEq + Serialize + Into<Value> + Send + Sync;
    /// A request body.
    type Input;
    /// What `GET` serves for one link.
    type View: Serialize;
    const TYPE: EntityType;
    /// Its name in messages.
    const WHAT: &'static str;
    const COLLECTION: &'static str;
    /// The party's member in a body (`person`).
    const PARTY: &'static str;
    /// The party's column and member in the record (`person_id`).
    const PARTY_ID: &'static str;
    /// The attribute's column and member (`role`).
    const ATTR: &'static str;
    /// The conflict when the party is already linked.
    const TAKEN: &'static str;

    fn record(model: &Self::Model) -> LinkRecord<Self>
    where
        Self: Sized;
    /// The attribute of a new link before the body is applied.
    fn initial() -> Self::Attr;
    /// The body's party member, taken out of it, and its unknown members.
    fn party(input: &mut Self::Input) -> (Field<String>, &Unknown);
    /// Applies the body's attribute member.
    fn apply(b: &mut Builder, input: Self::Input, attr: &mut Self::Attr);
    fn view(model: &Self::Model, party: &Self::Party) -> Self::View;
}

/// The body of `POST /events/{slug}/organizers` and `PATCH /events/{slug}/organizers/{person}`.
/// `person` (a speaker's slug) and `role` are required on create; `person` cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OrganizerInput {
    #[schema(value_type = String, required = false, example = "whitney-lee")]
    #[serde(default)]
    pub person: Field<String>,
    #[schema(value_type = OrganizerRole, required = false)]
    #[serde(default)]
    pub role: Field<OrganizerRole>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl OrganizerInput {
    /// The members a create must have (the schema `NewOrganizer`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["person", "role"];
}

/// The body of `POST /events/{slug}/sponsors` and `PATCH /events/{slug}/sponsors/{organization}`.
/// `organization` (a sponsor's slug) is required on create and cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SponsorshipInput {
    #[schema(value_type = String, required = false, example = "suse")]
    #[serde(default)]
    pub organization: Field<String>,
    /// `null` when the tier is not known.
    #[schema(value_type = Option<SponsorTier>)]
    #[serde(default)]
    pub tier: Field<SponsorTier>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl SponsorshipInput {
    /// The members a create must have (the schema `NewSponsorship`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["organization"];
}

/// A person organizing an event, in a role.
pub struct Organizers;

impl Link for Organizers {
    type Model = organizer::Model;
    type Party = person::Model;
    type Attr = OrganizerRole;
    type Input = OrganizerInput;
    type View = OrganizerView;
    const TYPE: EntityType = EntityType::Organizer;
    const WHAT: &'static str = "organizer";
    const COLLECTION: &'static str = "organizers";
    const PARTY: &'static str = "person";
    const PARTY_ID: &'static str = "person_id";
    const ATTR: &'static str = "role";
    const TAKEN: &'static str = "this person already organizes this event";

    fn record(model: &organizer::Model) -> LinkRecord<Self> {
        LinkRecord {
            event_id: model.event_id,
            party_id: model.person_id,
            attr: model.role,
        }
    }
    fn initial() -> OrganizerRole {
        OrganizerRole::CoOrganizer
    }
    fn party(input: &mut OrganizerInput) -> (Field<String>, &Unknown) {
        (std::mem::take(&mut input.person), &input.unknown)
    }
    fn apply(b: &mut Builder, input: OrganizerInput, role: &mut OrganizerRole) {
        b.required("role", input.role, role);
    }
    fn view(model: &organizer::Model, person: &person::Model) -> OrganizerView {
        OrganizerView {
            person: person.into(),
            role: model.role,
        }
    }
}

/// An organization sponsoring an event, at a tier (`None` when not known).
pub struct Sponsorships;

impl Link for Sponsorships {
    type Model = sponsorship::Model;
    type Party = organization::Model;
    type Attr = Option<SponsorTier>;
    type Input = SponsorshipInput;
    type View = EventSponsorView;
    const TYPE: EntityType = EntityType::Sponsorship;
    const WHAT: &'static str = "sponsor";
    const COLLECTION: &'static str = "sponsors";
    const PARTY: &'static str = "organization";
    const PARTY_ID: &'static str = "organization_id";
    const ATTR: &'static str = "tier";
    const TAKEN: &'static str = "this organization already sponsors this event";

    fn record(model: &sponsorship::Model) -> LinkRecord<Self> {
        LinkRecord {
            event_id: model.event_id,
            party_id: model.organization_id,
            attr: model.tier,
        }
    }
    fn initial() -> Option<SponsorTier> {
        None
    }
    fn party(input: &mut SponsorshipInput) -> (Field<String>, &Unknown) {
        (std::mem::take(&mut input.organization), &input.unknown)
    }
    fn apply(b: &mut Builder, input: SponsorshipInput, tier: &mut Option<SponsorTier>) {
        b.optional("tier", input.tier, tier);
    }
    fn view(model: &sponsorship::Model, org: &organization::Model) -> EventSponsorView {
        EventSponsorView {
            organization: org.into(),
            tier: model.tier,
        }
    }
}

/// A link's writable state; its members are named by the kind (`person_id` and `role` for an
/// organizer).
pub struct LinkRecord<L: Link> {
    pub event_id: i64,
    pub party_id: i64,
    pub attr: L::Attr,
}

impl<L: Link> Clone for LinkRecord<L> {
    fn clone(&self) -> Self {
        Self {
            attr: self.attr.clone(),
            ..*self
        }
    }
}

impl<L: Link> From<&L::Model> for LinkRecord<L> {
    fn from(model: &L::Model) -> Self {
        L::record(model)
    }
}

impl<L: Link> Serialize for LinkRecord<L> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("LinkRecord", 3)?;
        s.serialize_field("event_id", &self.event_id)?;
        s.serialize_field(L::PARTY_ID, &self.party_id)?;
        s.serialize_field(L::ATTR, &self.attr)?;
        s.end()
    }
}

/// The party `model` links its event to.
pub async fn party_of<L: Link>(db: &impl ConnectionTrait, model: &L::Model) -> ApiResult<L::Party> {
    <L::Party as Row>::Table::find()
        .filter(column::<<L::Party as Row>::Table>("id").eq(L::record(model).party_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{} without {}", L::WHAT, L::PARTY)))
}

/// The live links of the event `event_id` with their live parties, by the party's name.
pub async fn of_event<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<(L::Model, L::Party)>, DbErr> {
    let col = column::<<L::Model as Row>::Table>;
    let rows = <L::Model as Row>::Table::find()
        .filter(col("event_id").eq(event_id))
        .filter(col("deleted_at").is_null())
        .find_also_related(<L::Party as Row>::Table::default())
        .order_by_asc(column::<<L::Party as Row>::Table>("sort_name"))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(link, party)| party.filter(|p| !p.deleted()).map(|p| (link, p)))
        .collect())
}

/// The live links of the party `party_id` with their live events, newest event first.
pub async fn of_party<L: Link>(
    db: &impl ConnectionTrait,
    party_id: i64,
) -> Result<Vec<(L::Model, event::Model)>, DbErr> {
    let col = column::<<L::Model as Row>::Table>;
    let rows = <L::Model as Row>::Table::find()
        .filter(col(L::PARTY_ID).eq(party_id))
        .filter(col("deleted_at").is_null())
        .find_also_related(event::Entity)
        .filter(event::Column::DeletedAt.is_null())
        .order_by_desc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(link, event)| event.map(|e| (link, e)))
        .collect())
}

/// The link of `event_id` to `party_id`, live or deleted: one row per event and party.
pub async fn row_of<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
    party_id: i64,
) -> Result<Option<L::Model>, DbErr> {
    let col = column::<<L::Model as Row>::Table>;
    <L::Model as Row>::Table::find()
        .filter(col("event_id").eq(event_id))
        .filter(col(L::PARTY_ID).eq(party_id))
        .one(db)
        .await
}

impl<L: Link> Resource for L {
    type Model = L::Model;
    type Record = LinkRecord<L>;
    type Input = L::Input;
    type View = L::View;
    const TYPE: EntityType = L::TYPE;
    const WHAT: &'static str = L::WHAT;
    const COLLECTION: &'static str = L::COLLECTION;
    const CHILD: bool = true;

    async fn slug(db: &impl ConnectionTrait, model: &L::Model) -> ApiResult<String> {
        Ok(party_of::<L>(db, model)
            .await?
            .slug()
            .unwrap_or_default()
            .to_owned())
    }

    fn event_id(model: &L::Model) -> Option<i64> {
        Some(L::record(model).event_id)
    }

    async fn find(
        db: &impl ConnectionTrait,
        parent: Option<&event::Model>,
        key: &str,
    ) -> ApiResult<Option<L::Model>> {
        let Some(parent) = parent else {
            return Ok(None);
        };
        let col = column::<<L::Model as Row>::Table>;
        Ok(<L::Model as Row>::Table::find()
            .inner_join(<L::Party as Row>::Table::default())
            .filter(col("event_id").eq(parent.id))
            .filter(column::<<L::Party as Row>::Table>("slug").eq(key))
            .filter(col("deleted_at").is_null())
            .one(db)
            .await?)
    }

    async fn build(
        db: &DatabaseTransaction,
        mut input: L::Input,
        base: Option<(&L::Model, LinkRecord<L>)>,
        parent: Option<&event::Model>,
    ) -> ApiResult<LinkRecord<L>> {
        let (party, unknown) = L::party(&mut input);
        let mut b = Builder::new(base.is_none(), unknown);
        let creating = b.creating();
        let mut r = base.map(|(_, r)| r).unwrap_or(LinkRecord {
            event_id: parent.map_or(0, |p| p.id),
            party_id: 0,
            attr: L::initial(),
        });
        match party {
            Field::Value(slug) => match row::live::<L::Party>(db, &slug, None).await? {
                Some(found) if creating => r.party_id = found.id(),
                // Naming the current one again changes nothing (merge patch).
                Some(found) if found.id() == r.party_id => {}
                Some(_) => b.error(L::PARTY, "cannot be changed; delete and create instead"),
                None => b.error(L::PARTY, format!("no {} has the slug `{slug}`", L::PARTY)),
            },
            other => {
                b.fixed(L::PARTY, other);
            }
        }
        L::apply(&mut b, input, &mut r.attr);
        b.finish(r)
    }

    async fn save(
        db: &DatabaseTransaction,
        existing: Option<&L::Model>,
        r: &LinkRecord<L>,
    ) -> ApiResult<L::Model> {
        let existing = match existing {
            Some(e) => Some(e.clone()),
            // One row per event and party: a deleted one comes back to life.
            None => match row_of::<L>(db, r.event_id, r.party_id).await? {
                Some(live) if !live.deleted() => {
                    return Err(ApiError::Conflict {
                        detail: L::TAKEN.to_owned(),
                        field: Some(format!("/{}", L::PARTY)),
                    });
                }
                row => row,
            },
        };
        let col = column::<<L::Model as Row>::Table>;
        let mut am = row::start(existing.as_ref(), now());
        match &existing {
            Some(_) => am.set(col("deleted_at"), Option::<DateTime<Utc>>::None.into()),
            None => {
                am.set(col("event_id"), r.event_id.into());
                am.set(col(L::PARTY_ID), r.party_id.into());
            }
        }
        am.set(col(L::ATTR), r.attr.clone().into());
        row::store(db, am, existing.as_ref()).await
    }

    async fn view(db: &impl ConnectionTrait, model: &L::Model) -> ApiResult<L::View> {
        Ok(L::view(model, &party_of::<L>(db, model).await?))
    }
}
