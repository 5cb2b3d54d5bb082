//! String-backed enums shared by the entities and the API. They are stored as short strings
//! (not database enum types) so that the same schema works on every backend.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a string enum with its stored/API spelling, `ALL`, `as_str`, `parse` and `Display`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $(
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The value as stored and as written in the API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// Parses the API spelling.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What sort of event it is.
    EventKind { Kcd = "kcd", Kubecon = "kubecon", Summit = "summit", Meetup = "meetup", Other = "other" }
}

string_enum! {
    /// Where an event stands. `unverified` events were discovered in posts and await an organizer.
    EventStatus {
        Announced = "announced",
        Scheduled = "scheduled",
        Completed = "completed",
        Cancelled = "cancelled",
        Postponed = "postponed",
        Unverified = "unverified",
    }
}

string_enum! {
    /// What an event's dates stand for: the days themselves, or (from its first to its last
    /// day) a month a source names without days.
    DatePrecision { Day = "day", Month = "month" }
}

string_enum! {
    /// The part of the world an event is held in (`online` for virtual events).
    Region {
        Africa = "africa",
        AsiaPacific = "asia_pacific",
        Europe = "europe",
        Latam = "latam",
        MiddleEast = "middle_east",
        NorthAmerica = "north_america",
        Online = "online",
    }
}

string_enum! {
    /// How people attend.
    EventFormat { InPerson = "in_person", Virtual = "virtual", Hybrid = "hybrid" }
}

string_enum! {
    /// The kind of session.
    TalkKind {
        Keynote = "keynote",
        Talk = "talk",
        Panel = "panel",
        Workshop = "workshop",
        Lightning = "lightning",
    }
}

string_enum! {
    /// A sponsorship's tier.
    SponsorTier {
        Diamond = "diamond",
        Platinum = "platinum",
        Gold = "gold",
        Silver = "silver",
        Bronze = "bronze",
        Community = "community",
        Media = "media",
        InKind = "in_kind",
        Exhibitor = "exhibitor",
    }
}

string_enum! {
    /// A person's role in organizing an event.
    OrganizerRole { Lead = "lead", CoOrganizer = "co_organizer", Volunteer = "volunteer" }
}

string_enum! {
    /// What an API token may do: admins edit everything, organizers their events and series.
    TokenRole { Admin = "admin", Organizer = "organizer" }
}

string_enum! {
    /// How a person takes part in an event without a known talk.
    ParticipationRole {
        Speaker = "speaker",
        Keynote = "keynote",
        Panelist = "panelist",
        WorkshopHost = "workshop_host",
        Mc = "mc",
    }
}

string_enum! {
    /// Tags and categories share one table.
    TermKind { Tag = "tag", Category = "category" }
}

string_enum! {
    /// The front-matter format a post was written in.
    FrontMatterFormat { Yaml = "yaml", Toml = "toml", Json = "json" }
}

string_enum! {
    /// What a write did.
    AuditAction { Create = "create", Update = "update", Delete = "delete" }
}

string_enum! {
    /// The kinds of record that slug aliases, audit entries and changes refer to.
    EntityType {
        Event = "event",
        Person = "person",
        Organization = "organization",
        Talk = "talk",
        Sponsorship = "sponsorship",
        Organizer = "organizer",
        Participation = "participation",
        Post = "post",
    }
}
