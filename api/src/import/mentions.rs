//! Finding the events, people and organizations a post names: whole words, case-, accent- and
//! punctuation-insensitive; and discovering event names the catalog lacks.

use std::collections::HashMap;

use crate::services::text::normalize;

#[path = "grammar.rs"]
mod grammar;
#[path = "lists.rs"]
pub(super) mod lists;

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

/// An event name the grammar recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    pub kind: DiscoveredKind,
    /// "KCD Guatemala", "KubeCon + CloudNativeCon Japan"; [`KUBECON`] when no region is named.
    pub series: String,
    /// The host city as written, when the mention names one ("the Paris KubeCon").
    pub city: Option<String>,
    /// The year written with the name, if any ("2024", "'24", "#KubeConEU24").
    pub year: Option<i32>,
    /// A year or edition given relative to the post ("last year's", "the upcoming").
    pub relative: Option<Relative>,
    /// The text as written.
    pub matched: String,
    /// Its words' indices.
    pub at: std::ops::Range<usize>,
    /// Written of every edition ("every KubeCon EU"): the series at most.
    pub generic: bool,
    /// How it was written.
    pub form: Form,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscoveredKind {
    Kcd,
    Kubecon,
}

/// A time given relative to the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// This year (0), last year (-1), next year (1).
    Years(i32),
    /// The next edition after the post.
    Upcoming,
    /// The last edition before the post.
    Previous,
    /// This (0), next (1) or last (-1) season starting in month `starts`.
    Season { offset: i32, starts: u32 },
    /// A day this many days from the post ("last week": -7).
    Days(i32),
    /// A month named without a year: its nearest occurrence to the post.
    Month(u32),
}

/// The form of a mention, as the mention benchmark classes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// The series' name, with or without a year: "KCD Guatemala 2024", "KubeCon Europe".
    Name,
    /// "KubeCon NA", "KubeCon EU '24".
    Abbreviation,
    /// By the host city: "the Paris KubeCon", "KubeCon in Paris".
    City,
    /// "#KCDGuatemala2024", "#KubeConEU".
    Hashtag,
    /// Another language's words or order: "Kubernetes Community Days de Guatemala".
    Language,
    /// "the 2024 edition of Kubernetes Community Days Guatemala".
    Edition,
    /// "last year's KubeCon EU", "the upcoming KCD Guatemala".
    Relative,
    /// A member of a list sharing one prefix: "KCD Texas and Miami".
    List,
}

impl Form {
    pub fn label(self) -> &'static str {
        match self {
            Form::Name => "name",
            Form::Abbreviation => "abbreviation",
            Form::City => "city",
            Form::Hashtag => "hashtag",
            Form::Language => "language",
            Form::Edition => "edition",
            Form::Relative => "relative",
            Form::List => "list",
        }
    }
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
    "kcds",
    "europe",
    "asia",
    "africa",
    "america",
    "americas",
    "latin",
    "oceania",
    "emea",
    "apac",
    "i",
    "we",
    "my",
    "our",
    "this",
    "that",
    "it",
    "was",
    "were",
    "has",
    "had",
    "will",
    "committee",
    "attendees",
    "volunteers",
    "talk",
    "talks",
    "keynote",
    "slack",
    "channel",
    "recap",
    "photos",
    "videos",
];

/// A month's number from its name in English, Spanish, Portuguese or French.
pub(super) fn month_number(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "enero" | "janeiro" | "janvier" | "januar" => 1,
        "february" | "febrero" | "fevereiro" | "fevrier" | "februar" => 2,
        "march" | "marzo" | "marco" | "mars" | "marz" => 3,
        "april" | "abril" | "avril" => 4,
        "may" | "mayo" | "maio" | "mai" => 5,
        "june" | "junio" | "junho" | "juin" | "juni" => 6,
        "july" | "julio" | "julho" | "juillet" | "juli" => 7,
        "august" | "agosto" | "aout" => 8,
        "september" | "septiembre" | "setembro" | "septembre" => 9,
        "october" | "octubre" | "outubro" | "octobre" | "oktober" => 10,
        "november" | "noviembre" | "novembro" | "novembre" => 11,
        "december" | "diciembre" | "dezembro" | "decembre" | "dezember" => 12,
        _ => return None,
    })
}

pub use grammar::discover;

/// Whether two words are separated only by spaces, parentheses or an apostrophe (not a
/// sentence or clause break): "Kubernetes Community Days (KCD) Colombia", "KubeCon EU '24".
pub(super) fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| matches!(c, ' ' | '\u{A0}' | '(' | ')' | '\'' | '’'))
}

/// A year at `j` (2000–2099, or two digits after an apostrophe: "'24"), and the index after
/// the pattern.
pub(super) fn year_at(text: &str, tokens: &[Token], j: usize) -> (Option<i32>, usize) {
    let Some(t) = tokens.get(j) else {
        return (None, j);
    };
    if j == 0 || !adjacent(text, &tokens[j - 1], t) || !t.norm.bytes().all(|b| b.is_ascii_digit()) {
        return (None, j);
    }
    let gap = &text[tokens[j - 1].end..t.start];
    let year = match t.norm.len() {
        4 => t
            .norm
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..2100).contains(y)),
        2 if gap.ends_with(['\'', '’']) => t.norm.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    };
    match year {
        Some(y) => (Some(y), j + 1),
        None => (None, j),
    }
}

#[cfg(test)]
#[path = "mentions_tests.rs"]
mod tests;
