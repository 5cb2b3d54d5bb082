//! The words that say what a name is: the phrases before speakers, sponsors and venues, the
//! roles that tie a person to an employer, and the countries that are no employer.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::services::text::normalize;

/// Phrases after which a list of people follows.
pub(super) const PEOPLE_AFTER: &[&[&str]] = &[
    &["talk", "by"],
    &["talks", "by"],
    &["keynote", "by"],
    &["presented", "by"],
    &["led", "by"],
    &["moderated", "by"],
    &["given", "by"],
    &["speakers", "were"],
    &["speakers", "included"],
    &["speakers"],
    &["panelists"],
    &["panel", "with"],
    &["thanks", "to"],
    &["thank", "you", "to"],
    &["participation", "of"],
    &["congratulations", "to"],
    &["felicidades", "a"],
    &["organizers"],
    &["organized", "by"],
    &["gracias", "a"],
    &["charla", "de"],
    &["a", "cargo", "de"],
    &["ponentes"],
    &["organizadores"],
    &["organizado", "por"],
    &["palestra", "de"],
    &["obrigado", "a"],
];

/// Phrases after which a list of organizations follows.
pub(super) const ORGANIZATIONS_AFTER: &[&[&str]] = &[
    &["sponsored", "by"],
    &["sponsors", "were"],
    &["sponsors", "included"],
    &["our", "sponsors"],
    &["sponsors"],
    &["supported", "by"],
    &["patrocinado", "por"],
    &["patrocinadores"],
    &["patrocinada", "por"],
    &["patrocinio", "de"],
];

/// Phrases after which a venue follows.
pub(super) const VENUE_AFTER: &[&[&str]] = &[
    &["held", "at", "the"],
    &["held", "at"],
    &["gathered", "at", "the"],
    &["gathered", "at"],
    &["hosted", "at", "the"],
    &["hosted", "at"],
    &["took", "place", "at", "the"],
    &["took", "place", "at"],
    &["venue", "was", "the"],
    &["en", "el"],
    &["en", "la"],
];

/// Words that name what a person does for an organization: "Jane Doe, CTO of Acme".
pub(super) const ROLES: &[&str] = &[
    "leader",
    "lead",
    "founder",
    "cofounder",
    "co",
    "ceo",
    "cto",
    "coo",
    "cio",
    "vp",
    "director",
    "head",
    "engineer",
    "manager",
    "maintainer",
    "member",
    "chair",
    "president",
    "advocate",
    "architect",
    "developer",
    "evangelist",
    "principal",
    "staff",
    "senior",
];

/// Words that end or make an organization's name.
pub(super) const ORGANIZATION_WORDS: &[&str] = &[
    "foundation",
    "university",
    "universidad",
    "universidade",
    "institute",
    "instituto",
    "college",
    "labs",
    "inc",
    "corp",
    "corporation",
    "gmbh",
    "ltd",
    "llc",
    "technologies",
    "systems",
    "software",
    "group",
    "company",
    "fundacion",
    "tecnologico",
];

/// Capitalized words that open sentences or name things, never a person's first name.
pub(super) const NOT_FIRST_NAMES: &[&str] = &[
    "the",
    "this",
    "that",
    "our",
    "we",
    "i",
    "my",
    "a",
    "an",
    "and",
    "thanks",
    "thank",
    "day",
    "days",
    "community",
    "kubernetes",
    "cloud",
    "native",
    "open",
    "source",
    "summit",
    "kubecon",
    "cloudnativecon",
    "kcd",
    "cncf",
    "linux",
    "google",
    "microsoft",
    "amazon",
    "red",
    "hat",
    "platform",
    "engineering",
    "special",
    "all",
    "every",
    "with",
    "from",
    "also",
    "then",
    "finally",
    "first",
    "last",
    "next",
    "in",
    "on",
    "at",
    "for",
    "to",
    "of",
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "gracias",
];

/// Lowercase words that join the words of a name: "Rio de Janeiro", "University of
/// Guadalajara", "Ludwig van Beethoven".
pub(super) const JOINERS: &[&str] = &[
    "de", "del", "da", "do", "dos", "van", "von", "der", "di", "la", "le",
];

/// Whether a name is a country's (in English or as the country calls itself).
pub(super) fn is_country(name: &str) -> bool {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut names: HashSet<String> = isocountry::CountryCode::iter()
            .map(|c| normalize(c.name()))
            .collect();
        names.extend(
            [
                "united states",
                "usa",
                "us",
                "uk",
                "united kingdom",
                "mexico",
                "mexico city",
                "brasil",
                "espana",
                "russia",
                "south korea",
                "korea",
                "vietnam",
                "bolivia",
                "venezuela",
                "iran",
                "taiwan",
                "the netherlands",
                "holland",
                "latin america",
                "europe",
                "africa",
                "asia",
                "north america",
                "south america",
                "central america",
            ]
            .map(str::to_owned),
        );
        names
    });
    names.contains(&normalize(name))
}
