//! Views of people, organizations, posts and tags.

use entity::sea_orm_active_enums::{OrganizerRole, ParticipationRole, SponsorTier, TermKind};
use entity::{organization, person, post, term};
use serde::Serialize;
use utoipa::ToSchema;

use super::refs::{EventRef, OrganizationRef, PersonRef, SeriesRef, TalkRef};
use crate::convert::from_row;

/// A person as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSummary {
    #[schema(example = "whitney-lee")]
    pub slug: String,
    #[schema(example = "Whitney Lee")]
    pub name: String,
    pub company: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Recognitions such as `cncf_ambassador`.
    pub badges: Vec<String>,
    /// Found in a post that names them, not yet confirmed by anyone: the record holds only
    /// the name, and its `sources` the words that named them.
    pub unverified: bool,
}

from_row!(person::Model => PersonSummary {
    slug, name, company, country,
} |p| badges: serde_json::from_value(p.badges.clone()).unwrap_or_default(),
    unverified: unverified(p.discovered_in_post_id, p.version));

/// Whether a record found in a post is still as the post gave it (nobody has edited it).
fn unverified(discovered_in_post_id: Option<i64>, version: i32) -> bool {
    discovered_in_post_id.is_some() && version == 1
}

/// Where to find a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonLinks {
    pub website: Option<String>,
    pub github: Option<String>,
    pub linkedin: Option<String>,
    pub x: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
}

/// A person's talks at one event.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalksAtEvent {
    pub event: EventRef,
    pub talks: Vec<TalkRef>,
}

/// Declares what a person's page lists for each event they have a role at: the event and the
/// role, made from the link and its event.
macro_rules! event_roles {
    ($($(#[$doc:meta])* $name:ident $link:ident $Role:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub event: EventRef,
            pub role: $Role,
        }

        impl From<&(entity::$link::Model, entity::event::Model)> for $name {
            fn from((link, event): &(entity::$link::Model, entity::event::Model)) -> Self {
                Self {
                    event: event.into(),
                    role: link.role,
                }
            }
        }
    )*};
}

event_roles! {
    /// An event a person organizes.
    OrganizedEvent organizer OrganizerRole;
    /// An event a person takes part in without a known talk.
    ParticipatingEvent participation ParticipationRole;
}

/// A person's page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonPage {
    #[serde(flatten)]
    pub person: PersonSummary,
    pub bio: Option<String>,
    pub links: PersonLinks,
    /// Talks grouped by event, newest event first.
    pub talks: Vec<TalksAtEvent>,
    /// Events they organize.
    pub organizes: Vec<OrganizedEvent>,
    /// Events they take part in without a known talk (a speaker the post names with no
    /// session, a keynote, a panelist, a workshop host, an MC), newest first.
    pub takes_part_in: Vec<ParticipatingEvent>,
    /// Published posts that mention them, newest first.
    pub posts: Vec<super::refs::PostRef>,
    /// Where its facts come from: posts that name it, a post's words, public records.
    pub sources: Vec<super::sources::SourceView>,
}

impl PersonLinks {
    pub fn of(p: &person::Model) -> Self {
        Self {
            website: p.website.clone(),
            github: p.github.clone(),
            linkedin: p.linkedin.clone(),
            x: p.x.clone(),
            bluesky: p.bluesky.clone(),
            mastodon: p.mastodon.clone(),
        }
    }
}

/// An organization as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationSummary {
    #[serde(flatten)]
    pub organization: OrganizationRef,
    pub description: Option<String>,
    /// Found in a post that names it, not yet confirmed by anyone (see its `sources`).
    pub unverified: bool,
}

impl From<&organization::Model> for OrganizationSummary {
    fn from(o: &organization::Model) -> Self {
        Self {
            organization: o.into(),
            description: o.description.clone(),
            unverified: unverified(o.discovered_in_post_id, o.version),
        }
    }
}

/// One sponsorship of an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct SponsorshipView {
    pub event: EventRef,
    /// `null` when the tier is not known.
    pub tier: Option<SponsorTier>,
}

impl From<&(entity::sponsorship::Model, entity::event::Model)> for SponsorshipView {
    fn from((sponsorship, event): &(entity::sponsorship::Model, entity::event::Model)) -> Self {
        Self {
            event: event.into(),
            tier: sponsorship.tier,
        }
    }
}

/// An organization's page.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPage {
    #[serde(flatten)]
    pub organization: OrganizationSummary,
    /// Sponsorships, newest event first.
    pub sponsorships: Vec<SponsorshipView>,
    /// Published posts that mention it, newest first.
    pub posts: Vec<super::refs::PostRef>,
    /// Where its facts come from: posts that name it, a post's words, public records.
    pub sources: Vec<super::sources::SourceView>,
}

/// A post as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostSummary {
    #[serde(flatten)]
    pub post: super::refs::PostRef,
    pub reading_minutes: i32,
}

impl From<&post::Model> for PostSummary {
    fn from(p: &post::Model) -> Self {
        Self {
            post: p.into(),
            reading_minutes: p.reading_minutes,
        }
    }
}

/// A post's author as written, with their person when the directory has one.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorView {
    #[schema(example = "Teyza Ponce")]
    pub name: String,
    /// The person the name is, when the directory knows them.
    pub person: Option<PersonRef>,
    /// The organization the name is, when an organization wrote the post (`oss.lat`).
    pub organization: Option<OrganizationRef>,
}

/// A tag or category.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    #[schema(example = "kcd")]
    pub slug: String,
    #[schema(example = "KCD")]
    pub name: String,
}

from_row!(term::Model => TermView { slug, name });

/// What a post mentions.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentionsView {
    /// Series named without one of their editions ("the KCD Mexico organizers").
    pub series: Vec<SeriesRef>,
    pub events: Vec<EventRef>,
    pub people: Vec<PersonRef>,
    pub organizations: Vec<OrganizationRef>,
}

/// A post with its bodies.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostPage {
    #[serde(flatten)]
    pub post: PostSummary,
    pub authors: Vec<AuthorView>,
    pub tags: Vec<TermView>,
    pub categories: Vec<TermView>,
    /// The post's images, as its source names them: paths on the blog's own site
    /// (`/images/…`, or relative to the post), not absolute URLs.
    pub images: Vec<String>,
    /// Rendered and sanitized HTML; image and link paths stay as the source writes them
    /// (on the blog's own site).
    pub body_html: String,
    /// The Markdown source (shortcodes as written).
    pub body_markdown: String,
    pub mentions: MentionsView,
}

impl PostPage {
    pub fn terms(terms: &[term::Model], kind: TermKind) -> Vec<TermView> {
        terms
            .iter()
            .filter(|t| t.kind == kind)
            .map(TermView::from)
            .collect()
    }
}

/// A tag and how many published posts carry it.
#[derive(Debug, Serialize, ToSchema, sea_orm::FromQueryResult)]
pub struct TagView {
    #[schema(example = "kcd")]
    pub slug: String,
    #[schema(example = "KCD")]
    pub name: String,
    #[schema(example = 2)]
    pub post_count: i64,
}
