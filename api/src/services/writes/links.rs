//! Links of an event to a party: organizers (a person, in a role) and sponsorships (an
//! organization, at a tier). Both have one shape — one row per event and party, the party
//! fixed once linked, one attribute that changes — written once here; a [`Link`] says what
//! differs.

use chrono::{DateTime, Utc};
use entity::event;
use entity::sea_orm_active_enums::{EntityType, OrganizerRole, SponsorTier};
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
use crate::services::events::{at_live_events, paired};
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
    fn view(
        model: &Self::Model,
        party: &Self::Party,
        sources: Vec<crate::views::sources::SourceView>,
    ) -> Self::View;
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

/// Declares a [`Link`] from what sets it apart: its name, table, party (table, id column and
/// member), attribute (member, type, initial value and whether a create must give it), input,
/// view, kind, names and conflict message. The party's member names it in bodies and views,
/// the attribute's in rows, bodies and views alike.
macro_rules! link_kind {
    ($(#[$doc:meta])* $name:ident: $table:ident -> $party:ident . $party_id:ident as $member:ident,
        $attr:ident: $Attr:ty = $initial:expr, $apply:ident,
        $Input:ident => $View:ident, $kind:ident $what:literal $collection:literal, $taken:literal;
    ) => {
        $(#[$doc])*
        pub struct $name;

        impl $crate::services::writes::links::Link for $name {
            type Model = entity::$table::Model;
            type Party = entity::$party::Model;
            type Attr = $Attr;
            type Input = $Input;
            type View = $View;
            const TYPE: EntityType = EntityType::$kind;
            const WHAT: &'static str = $what;
            const COLLECTION: &'static str = $collection;
            const PARTY: &'static str = stringify!($member);
            const PARTY_ID: &'static str = stringify!($party_id);
            const ATTR: &'static str = stringify!($attr);
            const TAKEN: &'static str = $taken;

            fn record(model: &Self::Model) -> $crate::services::writes::links::LinkRecord<Self> {
                $crate::services::writes::links::LinkRecord {
                    event_id: model.event_id,
                    party_id: model.$party_id,
                    attr: model.$attr,
                }
            }
            fn initial() -> $Attr {
                $initial
            }
            fn party(input: &mut $Input) -> (Field<String>, &Unknown) {
                (std::mem::take(&mut input.$member), &input.unknown)
            }
            fn apply(b: &mut Builder, input: $Input, attr: &mut $Attr) {
                b.$apply(stringify!($attr), input.$attr, attr);
            }
            fn view(
                model: &Self::Model,
                party: &Self::Party,
                sources: Vec<$crate::views::sources::SourceView>,
            ) -> $View {
                $View {
                    $member: party.into(),
                    $attr: model.$attr,
                    sources,
                }
            }
        }
    };
}
pub(crate) use link_kind;

link_kind! {
    /// A person organizing an event, in a role.
    Organizers: organizer -> person.person_id as person,
        role: OrganizerRole = OrganizerRole::CoOrganizer, required,
        OrganizerInput => OrganizerView, Organizer "organizer" "organizers",
        "this person already organizes this event";
}

link_kind! {
    /// An organization sponsoring an event, at a tier (`None` when not known).
    Sponsorships: sponsorship -> organization.organization_id as organization,
        tier: Option<SponsorTier> = None, optional,
        SponsorshipInput => EventSponsorView, Sponsorship "sponsor" "sponsors",
        "this organization already sponsors this event";
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

/// The live links whose column `key` is `id`.
fn live<L: Link>(key: &str, id: i64) -> sea_orm::Select<<L::Model as Row>::Table> {
    let col = column::<<L::Model as Row>::Table>;
    <L::Model as Row>::Table::find()
        .filter(col(key).eq(id))
        .filter(col("deleted_at").is_null())
}

/// The live links of the event `event_id` with their live parties, by the party's name.
pub async fn of_event<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<(L::Model, L::Party)>, DbErr> {
    let rows = live::<L>("event_id", event_id)
        .find_also_related(<L::Party as Row>::Table::default())
        .order_by_asc(column::<<L::Party as Row>::Table>("sort_name"))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(link, party)| party.filter(|p| !p.deleted()).map(|p| (link, p)))
        .collect())
}

/// The live links of the event `event_id`, as the API shows them, by the party's name.
pub async fn views_of_event<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<L::View>, DbErr> {
    let links = of_event::<L>(db, event_id).await?;
    let ids: Vec<i64> = links.iter().map(|(link, _)| link.id()).collect();
    let mut sources = crate::services::sources::of_each(db, L::TYPE, &ids).await?;
    Ok(links
        .iter()
        .map(|(link, party)| L::view(link, party, sources.remove(&link.id()).unwrap_or_default()))
        .collect())
}

/// The live links of the party `party_id` with their live events, newest event first.
pub async fn of_party<L: Link>(
    db: &impl ConnectionTrait,
    party_id: i64,
) -> Result<Vec<(L::Model, event::Model)>, DbErr> {
    let links = live::<L>(L::PARTY_ID, party_id).find_also_related(event::Entity);
    Ok(paired(at_live_events(links).all(db).await?))
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
        let sources = crate::services::sources::of(db, L::TYPE, model.id()).await?;
        Ok(L::view(model, &party_of::<L>(db, model).await?, sources))
    }
}
