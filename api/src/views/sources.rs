//! Where facts come from, as the API shows it.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A source: a post and the words in it that state some of a record's fields, or a public
/// record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct SourceView {
    /// The fields it backs; none: the record itself (that it exists, under its name).
    #[schema(example = json!(["starts_on", "ends_on"]))]
    pub fields: Vec<String>,
    pub post: Option<PostSource>,
    pub record: Option<PublicRecord>,
}

/// A post, and the words in it that state the facts.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PostSource {
    /// `GET /api/v1/posts/{slug}`.
    #[schema(example = "ccoss-kcd-gdl-2024")]
    pub slug: String,
    /// As the post writes them; none when the post only names the record.
    #[schema(example = "the first Kubernetes Community Day (KCD) in Mexico")]
    pub quote: Option<String>,
}

/// A public record, for facts no post states.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicRecord {
    pub url: String,
    /// The day it was read.
    pub retrieved_on: Option<NaiveDate>,
}

/// One fact of a record and what backs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldSources {
    #[schema(example = "starts_on")]
    pub field: String,
    /// The sources that state it.
    pub sources: Vec<SourceView>,
    /// The facts it follows from when no source states it itself: the year from `starts_on`,
    /// the region from `country`, the name from the `record`'s sources.
    pub follows_from: Vec<String>,
}

/// Every fact an event serves and where it comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventSources {
    /// The sources of the record itself: posts that name it.
    pub record: Vec<SourceView>,
    /// Each field the event serves with a value.
    pub fields: Vec<FieldSources>,
    /// The event's talks, sponsorships, organizers and participants, each with what backs it.
    pub parts: Vec<PartSources>,
    /// The fields nothing backs yet, and the parts (`talks/{slug}`, `sponsors/{slug}`,
    /// `organizers/{slug}`, `participants/{slug}`).
    pub unsourced: Vec<String>,
}

/// A part of an event and what backs it: the sentence of a post that names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartSources {
    /// `talks`, `sponsors`, `organizers` or `participants`.
    #[schema(example = "talks")]
    pub part: String,
    /// The talk's slug, or the sponsor's or person's.
    #[schema(example = "cloud-native-security")]
    pub slug: String,
    pub sources: Vec<SourceView>,
}
