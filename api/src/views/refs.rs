//! Small references to related records, embedded in pages.

use chrono::{DateTime, NaiveDate, Utc};
use entity::sea_orm_active_enums::{EventKind, EventStatus, OrganizerRole, SponsorTier, TalkKind};
use entity::{event, organization, person, post, series, talk};
use serde::Serialize;
use utoipa::ToSchema;

use crate::convert::from_row;

/// A person, in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    #[schema(example = "whitney-lee")]
    pub slug: String,
    #[schema(example = "Whitney Lee")]
    pub name: String,
    pub company: Option<String>,
}

from_row!(person::Model => PersonRef { slug, name, company });

/// An organization, in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationRef {
    #[schema(example = "suse")]
    pub slug: String,
    #[schema(example = "SUSE")]
    pub name: String,
    pub website: Option<String>,
    pub logo_url: Option<String>,
}

from_row!(organization::Model => OrganizationRef { slug, name, website, logo_url });

/// A series: the recurring event its editions belong to.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SeriesRef {
    #[schema(example = "kcd-mexico")]
    pub slug: String,
    #[schema(example = "KCD Mexico")]
    pub name: String,
}

from_row!(series::Model => SeriesRef { slug, name });

/// An event, in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventRef {
    #[schema(example = "ccoss-2024")]
    pub slug: String,
    #[schema(example = "CCOSS 2024")]
    pub name: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

from_row!(event::Model => EventRef { slug, name, kind, starts_on, ends_on }
    |e| status: super::event::served_status(e, chrono::Utc::now().date_naive()).0);

/// A post, in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostRef {
    #[schema(example = "ccoss-kcd-gdl-2024")]
    pub slug: String,
    #[schema(example = "The fifth edition of CCOSS and the first KCD in Mexico")]
    pub title: String,
    /// RFC 3339, with the offset the post was written with.
    #[schema(value_type = String, format = DateTime, example = "2024-02-14T23:48:08-06:00")]
    pub published_at: String,
    pub summary: Option<String>,
}

from_row!(post::Model => PostRef { slug, title, summary } |p| published_at: published_at(p));

/// A post's publication time as written: with its offset, or in UTC when it had none.
pub fn published_at(p: &post::Model) -> String {
    match p
        .published_offset_minutes
        .and_then(|m| chrono::FixedOffset::east_opt(m * 60))
    {
        Some(offset) => p.published_at.with_timezone(&offset).to_rfc3339(),
        None => p
            .published_at
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    }
}

/// A talk, in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TalkRef {
    #[schema(example = "cloud-native-security")]
    pub slug: String,
    /// `null` when the posts describe the session without giving its title.
    #[schema(required = true, example = "Cloud Native Security")]
    pub title: Option<String>,
    pub kind: TalkKind,
    pub recording_url: Option<String>,
}

from_row!(talk::Model => TalkRef { slug, title, kind, recording_url });

/// A talk with its speakers in billing order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TalkView {
    #[schema(example = "cloud-native-security")]
    pub slug: String,
    /// `null` when the posts describe the session without giving its title; `summary` then
    /// says what it was.
    #[schema(required = true, example = "Cloud Native Security")]
    pub title: Option<String>,
    /// What the post says of a session it gives no title for, in its words.
    pub summary: Option<String>,
    pub kind: TalkKind,
    pub r#abstract: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub recording_url: Option<String>,
    pub slides_url: Option<String>,
    pub speakers: Vec<PersonRef>,
    /// The words of the posts that name the session.
    pub sources: Vec<super::sources::SourceView>,
}

impl TalkView {
    pub fn new(
        t: &talk::Model,
        speakers: &[person::Model],
        sources: Vec<super::sources::SourceView>,
    ) -> Self {
        Self {
            slug: t.slug.clone(),
            title: t.title.clone(),
            summary: t.summary.clone(),
            kind: t.kind,
            r#abstract: t.r#abstract.clone(),
            starts_at: t.starts_at,
            recording_url: t.recording_url.clone(),
            slides_url: t.slides_url.clone(),
            speakers: speakers.iter().map(PersonRef::from).collect(),
            sources,
        }
    }
}

/// The sponsors of one tier (`null`: tier not known).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SponsorTierGroup {
    pub tier: Option<SponsorTier>,
    pub sponsors: Vec<OrganizationRef>,
}

/// One organization's sponsorship of an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventSponsorView {
    pub organization: OrganizationRef,
    /// `null` when the tier is not known.
    pub tier: Option<SponsorTier>,
    /// The words of the posts that name the sponsorship.
    pub sources: Vec<super::sources::SourceView>,
}

/// Where a tier sorts: highest first, unknown last.
pub fn tier_rank(tier: Option<SponsorTier>) -> usize {
    tier.map_or(usize::MAX, |t| {
        SponsorTier::ALL
            .iter()
            .position(|x| *x == t)
            .unwrap_or(usize::MAX - 1)
    })
}

/// Groups sponsors by tier, highest tier first, unknown tier last.
pub fn group_by_tier(
    rows: &[(entity::sponsorship::Model, organization::Model)],
) -> Vec<SponsorTierGroup> {
    let mut groups: Vec<SponsorTierGroup> = Vec::new();
    let mut sorted: Vec<_> = rows.iter().collect();
    sorted.sort_by_key(|(s, _)| tier_rank(s.tier));
    for (s, o) in sorted {
        match groups.last_mut() {
            Some(g) if g.tier == s.tier => g.sponsors.push(o.into()),
            _ => groups.push(SponsorTierGroup {
                tier: s.tier,
                sponsors: vec![o.into()],
            }),
        }
    }
    groups
}

/// A person's role in organizing an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizerView {
    pub person: PersonRef,
    pub role: OrganizerRole,
    /// The words of the posts that name them as an organizer.
    pub sources: Vec<super::sources::SourceView>,
}

/// Items of a bounded collection (an event's talks, speakers, sponsors, posts).
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub data: Vec<T>,
}
