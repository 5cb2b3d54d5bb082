//! Finding the events, people and organizations a post names: whole words, case-, accent- and
//! punctuation-insensitive; and discovering event names the catalog lacks.

use std::collections::HashMap;

use crate::services::text::normalize;

#[path = "lists.rs"]
mod lists;

/// A word of the text with its byte span.
#[derive(Debug, Clone)]
pub struct Token {
    /// Lowercase ASCII folding of the word (`Bogotá` → `bogota`).
    pub norm: String,
    pub start: usize,
    pub end: usize,
    /// Whether the word starts with an uppercase letter as written.
    pub capitalized: bool,
}

/// Splits text into alphanumeric words.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word = c.is_alphanumeric();
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let raw = &text[s..i];
                tokens.push(Token {
                    norm: normalize_word(raw),
                    start: s,
                    end: i,
                    capitalized: raw.chars().next().is_some_and(char::is_uppercase),
                });
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

/// [`normalize`] for one word, without the folding step when it is ASCII already.
fn normalize_word(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        normalize(word)
    }
}

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Event(i64),
    Person(i64),
    Organization(i64),
    /// A series named without one of its editions.
    Series(i64),
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub target: Target,
    /// The text as written.
    pub matched: String,
}

/// Names to look for, each a sequence of normalized words.
#[derive(Debug, Default)]
pub struct Matcher {
    by_first: HashMap<String, Vec<(Vec<String>, Target)>>,
}

impl Matcher {
    pub fn add(&mut self, name: &str, target: Target) {
        let words: Vec<String> = normalize(name)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let Some(first) = words.first().cloned() else {
            return;
        };
        let entry = self.by_first.entry(first).or_default();
        if !entry.iter().any(|(w, t)| *w == words && *t == target) {
            entry.push((words, target));
            // Longest names first, so "KubeCon EU 2023" wins over "KubeCon EU".
            entry.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
    }

    /// Every match, longest first at each position; matched words are marked in `used`.
    pub fn find(&self, text: &str, tokens: &[Token], used: &mut [bool]) -> Vec<Found> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let hit = self.by_first.get(&tokens[i].norm).and_then(|candidates| {
                candidates.iter().find(|(words, _)| {
                    i + words.len() <= tokens.len()
                        && !used[i..i + words.len()].iter().any(|u| *u)
                        && words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm)
                })
            });
            match hit {
                Some((words, target)) => {
                    let end = i + words.len();
                    found.push(Found {
                        target: *target,
                        matched: text[tokens[i].start..tokens[end - 1].end].to_owned(),
                    });
                    used[i..end].iter_mut().for_each(|u| *u = true);
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// An event name the patterns recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    pub kind: DiscoveredKind,
    /// "KCD Guatemala", "KubeCon + CloudNativeCon Japan".
    pub series: String,
    /// The year written after the name, if any.
    pub year: Option<i32>,
    /// The text as written.
    pub matched: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveredKind {
    Kcd,
    Kubecon,
}

/// Words that follow "KCD" without naming a place.
pub(super) const NOT_PLACES: &[&str] = &[
    "organizer",
    "organizers",
    "organizing",
    "organization",
    "program",
    "programs",
    "kiosk",
    "booth",
    "event",
    "events",
    "team",
    "teams",
    "community",
    "communities",
    "across",
    "and",
    "in",
    "is",
    "the",
    "of",
    "for",
    "at",
    "logo",
    "banner",
    "playbook",
    "guide",
    "meetup",
    "conference",
    "days",
    "day",
    "edition",
    "website",
    "call",
    "cfp",
    "sponsors",
    "speakers",
    "latam",
    "global",
    "kcd",
];

/// KubeCon regions as written → the name used in the series.
const KUBECON_REGIONS: &[(&[&str], &str)] = &[
    (&["north", "america"], "North America"),
    (&["na"], "North America"),
    (&["europe"], "Europe"),
    (&["eu"], "Europe"),
    (&["latin", "america"], "Latin America"),
    (&["latam"], "Latin America"),
    (&["china"], "China"),
    (&["india"], "India"),
    (&["japan"], "Japan"),
    (&["hong", "kong"], "Hong Kong"),
];

/// Finds `KCD <Place> [year]`, `Kubernetes Community Days <Place> [year]` and
/// `KubeCon [+ CloudNativeCon] <Region> [year]` among the words not already matched.
pub fn discover(text: &str, tokens: &[Token], used: &[bool]) -> Vec<Discovered> {
    let words = lists::Words { text, tokens, used };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if used[i] {
            // A name the catalog knows may open a list: "KCD Texas and Miami".
            i = lists::after_known(&words, i, &mut out);
            continue;
        }
        let norm = tokens[i].norm.as_str();
        let raw = &text[tokens[i].start..tokens[i].end];
        // Where the place or region starts, if this word opens a pattern.
        let kcd_at = if raw == "KCD" {
            Some(i + 1)
        } else if norm == "kubernetes"
            && tokens.get(i + 1).is_some_and(|t| t.norm == "community")
            && tokens
                .get(i + 2)
                .is_some_and(|t| t.norm == "days" || t.norm == "day")
        {
            // "Kubernetes Community Days (KCD) Colombia": skip the abbreviation.
            let next = i + 3;
            Some(
                if tokens
                    .get(next)
                    .is_some_and(|t| &text[t.start..t.end] == "KCD")
                {
                    next + 1
                } else {
                    next
                },
            )
        } else {
            None
        };
        if let Some(at) = kcd_at
            && let Some((place, j)) = lists::place_at(&words, at)
        {
            let (year, end) = year_at(text, tokens, j);
            out.push(Discovered {
                kind: DiscoveredKind::Kcd,
                series: format!("KCD {place}"),
                year,
                matched: text[tokens[i].start..tokens[end - 1].end].to_owned(),
            });
            // "KCD Texas and Miami": the prefix carries to each member.
            i = lists::more_kcds(&words, end, &mut out);
            continue;
        }
        if raw == "KCDs" {
            i = lists::kcds_in(&words, i, &mut out);
            continue;
        }
        let kubecon_at = if norm == "kubecon" {
            Some(i + 1)
        } else if norm == "kube" && tokens.get(i + 1).is_some_and(|t| t.norm == "con") {
            Some(i + 2)
        } else {
            None
        };
        if let Some(mut at) = kubecon_at {
            if tokens.get(at).is_some_and(|t| t.norm == "cloudnativecon") {
                at += 1;
            }
            let region = KUBECON_REGIONS.iter().find(|(words, _)| {
                words.iter().enumerate().all(|(k, w)| {
                    tokens
                        .get(at + k)
                        .is_some_and(|t| t.norm == *w && !used[at + k])
                })
            });
            if let Some((words, name)) = region {
                let (year, end) = year_at(text, tokens, at + words.len());
                out.push(Discovered {
                    kind: DiscoveredKind::Kubecon,
                    series: format!("KubeCon + CloudNativeCon {name}"),
                    year,
                    matched: text[tokens[i].start..tokens[end - 1].end].to_owned(),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether two words are separated only by spaces or parentheses (not a sentence or clause
/// break): "Kubernetes Community Days (KCD) Colombia".
pub(super) fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| matches!(c, ' ' | '\u{A0}' | '(' | ')'))
}

/// A year (2000–2099) at `j`, and the index after the pattern.
pub(super) fn year_at(text: &str, tokens: &[Token], j: usize) -> (Option<i32>, usize) {
    match tokens.get(j) {
        Some(t) if adjacent(text, &tokens[j - 1], t) && t.norm.len() == 4 => {
            match t.norm.parse::<i32>() {
                Ok(y) if (2000..2100).contains(&y) => (Some(y), j + 1),
                _ => (None, j),
            }
        }
        _ => (None, j),
    }
}

#[cfg(test)]
#[path = "mentions_tests.rs"]
mod tests;
