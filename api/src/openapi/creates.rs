//! The create bodies (`NewEvent`, …): each input schema with the members a create needs.

use utoipa::openapi::RefOr;

/// `POST` bodies: the input schema with the members a create needs marked required, as
/// `New…`, so that generated clients and checkers know them.
pub(super) fn add_create_schemas(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use crate::services::writes::{events, links, organizations, participations, people, talks};
    // `NewEvent` for `EventInput`.
    let creates: [(&str, &[&str]); 7] = [
        ("EventInput", events::EventInput::REQUIRED_ON_CREATE),
        ("TalkInput", talks::TalkInput::REQUIRED_ON_CREATE),
        ("PersonInput", people::PersonInput::REQUIRED_ON_CREATE),
        (
            "OrganizationInput",
            organizations::OrganizationInput::REQUIRED_ON_CREATE,
        ),
        (
            "SponsorshipInput",
            links::SponsorshipInput::REQUIRED_ON_CREATE,
        ),
        ("OrganizerInput", links::OrganizerInput::REQUIRED_ON_CREATE),
        (
            "ParticipationInput",
            participations::ParticipationInput::REQUIRED_ON_CREATE,
        ),
    ];
    let mut api = api;
    for (input, required) in creates {
        let new = format!("New{}", input.trim_end_matches("Input"));
        let Some(components) = api.components.as_mut() else {
            break;
        };
        let Some(RefOr::T(utoipa::openapi::Schema::Object(object))) =
            components.schemas.get(input).cloned()
        else {
            continue;
        };
        let mut object = object;
        object.required = required.iter().map(|r| (*r).to_owned()).collect();
        components.schemas.insert(
            new.clone(),
            RefOr::T(utoipa::openapi::Schema::Object(object)),
        );
        let from = format!("#/components/schemas/{input}");
        for item in api.paths.paths.values_mut() {
            let Some(RefOr::T(body)) = item.post.as_mut().and_then(|op| op.request_body.as_mut())
            else {
                continue;
            };
            for media in body.content.values_mut() {
                let RefOr::T(media) = media else { continue };
                if matches!(&media.schema, Some(RefOr::Ref(r)) if r.ref_location == from) {
                    media.schema = Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(&new)));
                }
            }
        }
    }
    api
}
