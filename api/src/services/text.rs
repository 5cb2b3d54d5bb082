//! Text helpers shared by the importer, the writes and search: the folded form names are
//! compared, sorted and searched in, country names, slugs and the clock as stored.

use chrono::{DateTime, SubsecRound, Utc};

/// Lowercase ASCII folding, punctuation dropped: the form names are compared in.
pub fn normalize(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for b in folded.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            pending_space = true;
        }
    }
    out
}

/// A name folded for sorting: lowercase ASCII, the same order on every backend.
pub fn sort_name(name: &str) -> String {
    normalize(name).chars().take(255).collect()
}

/// Text folded for portable, accent-insensitive search.
pub fn search_text(parts: &[Option<&str>]) -> String {
    normalize(
        &parts
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The English name of an ISO 3166-1 alpha-2 country, for search.
pub fn country_name(code: &str) -> Option<&'static str> {
    isocountry::CountryCode::for_alpha2(code)
        .ok()
        .map(|c| c.name())
}

/// The slug made from a name (`KCD México 2025` → `kcd-mexico-2025`).
pub fn slug_from(name: &str) -> String {
    let mut slug = slug::slugify(name);
    slug.truncate(200);
    slug.trim_end_matches('-').to_owned()
}

/// The current time as stored (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
