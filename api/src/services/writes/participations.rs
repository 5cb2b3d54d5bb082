//! People taking part in an event in a role without a known talk: "Among the speakers were
//! Manuel Gil, Alvaro Soto, …". One more [`Link`] of an event to a person.

use entity::sea_orm_active_enums::{EntityType, ParticipationRole};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{Builder, Field, Unknown};
use super::links::link_kind;
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
    /// The words of the posts that name them taking part.
    pub sources: Vec<crate::views::sources::SourceView>,
}

link_kind! {
    /// A person taking part in an event in a role.
    Participations: participation -> person.person_id as person,
        role: ParticipationRole = ParticipationRole::Speaker, required,
        ParticipationInput => ParticipationView, Participation "participant" "participants",
        "this person already takes part in this event";
}
