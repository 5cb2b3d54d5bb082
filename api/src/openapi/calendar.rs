//! The calendar's parameters in the document.

use utoipa::openapi::RefOr;

/// The calendar shares the list's parameters, but not its default page size: without `limit`
/// it holds every matching event.
pub(super) fn calendar_limit(api: &mut utoipa::openapi::OpenApi) {
    let calendar = api.paths.paths.get_mut("/api/v1/events.ics");
    let get = calendar.and_then(|item| item.get.as_mut());
    let params = get
        .and_then(|op| op.parameters.as_mut())
        .into_iter()
        .flatten();
    for param in params.filter_map(|p| match p {
        RefOr::T(param) => Some(param),
        RefOr::Ref(_) => None,
    }) {
        if param.name == "limit" {
            param.description = Some(
                "Most events in the calendar, 1 to 100; without it, every matching event (at most 2000)."
                    .to_owned(),
            );
            if let Some(RefOr::T(utoipa::openapi::Schema::Object(schema))) = param.schema.as_mut() {
                schema.default = None;
            }
        }
    }
}
