//! People taking part in an event in a role without a known talk: "Among the speakers were
//! Manuel Gil, Alvaro Soto, …". One more [`Link`] of an event to a person.

use entity::sea_orm_active_enums::{EntityType, ParticipationRole};
use entity::{participation, person};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{Builder, Field, Unknown};
use super::links::{Link, LinkRecord};
use crate::views::refs::PersonRef;

/// The body of `POST /events/{slug}/participants` and
/// `PATCH /events/{slug}/participants/{person}`. `person` (a speaker's slug) and `role` are
/// required on create; `person` cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ParticipationInput {
    #[schema(value_type = String, required = false, example = "manuel-gil")]
    #[serde(default)]
    pub person: Field<String>,
    #[schema(value_type = ParticipationRole, required = false)]
    #[serde(default)]
    pub role: Field<ParticipationRole>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Unknown,
}

impl ParticipationInput {
    /// The members a create must have (the schema `NewParticipation`).
    pub const REQUIRED_ON_CREATE: &'static [&'static str] = &["person", "role"];
}

/// A person's part in an event, without a known talk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipationView {
    pub person: PersonRef,
    pub role: ParticipationRole,
}

/// A person taking part in an event in a role.
pub struct Participations;

impl Link for Participations {
    type Model = participation::Model;
    type Party = person::Model;
    type Attr = ParticipationRole;
    type Input = ParticipationInput;
    type View = ParticipationView;
    const TYPE: EntityType = EntityType::Participation;
    const WHAT: &'static str = "participant";
    const COLLECTION: &'static str = "participants";
    const PARTY: &'static str = "person";
    const PARTY_ID: &'static str = "person_id";
    const ATTR: &'static str = "role";
    const TAKEN: &'static str = "this person already takes part in this event";

    fn record(model: &participation::Model) -> LinkRecord<Self> {
        LinkRecord {
            event_id: model.event_id,
            party_id: model.person_id,
            attr: model.role,
        }
    }
    fn initial() -> ParticipationRole {
        ParticipationRole::Speaker
    }
    fn party(input: &mut ParticipationInput) -> (Field<String>, &Unknown) {
        (std::mem::take(&mut input.person), &input.unknown)
    }
    fn apply(b: &mut Builder, input: ParticipationInput, role: &mut ParticipationRole) {
        b.required("role", input.role, role);
    }
    fn view(model: &participation::Model, person: &person::Model) -> ParticipationView {
        ParticipationView {
            person: person.into(),
            role: model.role,
        }
    }
}
