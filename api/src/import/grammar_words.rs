//! The words of the mention grammar: connectors, regions in several languages, times relative
//! to the post, and reading helpers over a text's words.

use super::{Form, Relative};
use crate::import::mentions::lists::Words;

impl Words<'_> {
    /// Word `i` as written.
    pub(super) fn raw(&self, i: usize) -> &str {
        &self.text[self.tokens[i].start..self.tokens[i].end]
    }

    /// Word `i` normalized; empty past the end.
    pub(super) fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    pub(super) fn is(&self, i: usize, word: &str) -> bool {
        self.norm(i) == word
    }

    /// Whether only characters `allowed` separate words `a` and `b`.
    fn gap_only(&self, a: usize, b: usize, allowed: fn(char) -> bool) -> bool {
        b < self.tokens.len()
            && self.text[self.tokens[a].end..self.tokens[b].start]
                .chars()
                .all(allowed)
    }

    /// Whether only spaces, parentheses or an apostrophe separate words `a` and `b`.
    pub(super) fn adjacent(&self, a: usize, b: usize) -> bool {
        b < self.tokens.len() && super::adjacent(self.text, &self.tokens[a], &self.tokens[b])
    }

    /// [`Self::adjacent`], or a comma between ("March 1st, 2024").
    pub(super) fn near(&self, a: usize, b: usize) -> bool {
        self.adjacent(a, b) || self.gap_only(a, b, |c| matches!(c, ' ' | ','))
    }

    /// Whether words `a` and `b` are joined by spaces, "+", "&" or "/": "KubeCon+CloudNativeCon".
    pub(super) fn joined(&self, a: usize, b: usize) -> bool {
        self.gap_only(a, b, |c| {
            matches!(c, ' ' | '\u{A0}' | '+' | '&' | '/' | '#')
        })
    }

    /// Whether `words` (normalized) stand at `j`, one after the other and free.
    pub(super) fn words_at(&self, j: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, word)| {
            self.is(j + k, word) && !self.used[j + k] && (k == 0 || self.adjacent(j + k - 1, j + k))
        })
    }

    /// Word `i` as a four-digit year (2000–2099).
    pub(super) fn year(&self, i: usize) -> Option<i32> {
        let t = self.tokens.get(i)?;
        (t.norm.len() == 4)
            .then(|| t.norm.parse::<i32>().ok())
            .flatten()
            .filter(|y| (2000..2100).contains(y))
    }

    /// The text from word `a` to word `b` (exclusive), as written.
    pub(super) fn span(&self, a: usize, b: usize) -> String {
        self.text[self.tokens[a].start..self.tokens[b - 1].end].to_owned()
    }

    /// Words `a..b` normalized and joined by spaces.
    pub(super) fn norms(&self, a: usize, b: usize) -> String {
        self.tokens[a..b]
            .iter()
            .map(|t| t.norm.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Words that join a head to its place in other languages' order ("de Guatemala", "en Lima",
/// "em São Paulo", "à Paris") or in English ("in Lima").
pub(super) const CONNECTORS: &[&str] = &["de", "del", "en", "em", "do", "da", "a", "in"];

/// "edition" in the languages posts are written in, and the word after it.
pub(super) const EDITION: &[&str] = &["edition", "edicion", "edicao", "edizione", "ausgabe"];
pub(super) const EDITION_OF: &[&str] = &["of", "de", "del", "do", "da", "di", "der"];

/// KubeCon regions as written (normalized words) → the region's name in the series.
pub(super) const REGIONS: &[(&[&str], &str, Form)] = &[
    (&["north", "america"], "North America", Form::Name),
    (&["na"], "North America", Form::Abbreviation),
    (&["northamerica"], "North America", Form::Abbreviation),
    (&["europe"], "Europe", Form::Name),
    (&["eu"], "Europe", Form::Abbreviation),
    (&["latin", "america"], "Latin America", Form::Name),
    (&["latam"], "Latin America", Form::Abbreviation),
    (&["china"], "China", Form::Name),
    (&["india"], "India", Form::Name),
    (&["japan"], "Japan", Form::Name),
    (&["us"], "North America", Form::Abbreviation),
    (&["usa"], "North America", Form::Abbreviation),
    (&["europa"], "Europe", Form::Language),
    (&["norteamerica"], "North America", Form::Language),
    (
        &["america", "del", "norte"],
        "North America",
        Form::Language,
    ),
    (&["america", "do", "norte"], "North America", Form::Language),
    (&["amerique", "du", "nord"], "North America", Form::Language),
    (&["nordamerika"], "North America", Form::Language),
    (&["america", "latina"], "Latin America", Form::Language),
    (&["latinoamerica"], "Latin America", Form::Language),
    (&["japon"], "Japan", Form::Language),
    (&["japao"], "Japan", Form::Language),
    (&["giappone"], "Japan", Form::Language),
    (&["chine"], "China", Form::Language),
    (&["inde"], "India", Form::Language),
];

/// Regions written as adjectives before "KubeCon": "the European KubeCon".
pub(super) const REGION_ADJECTIVES: &[(&[&str], &str)] = &[
    (&["north", "american"], "North America"),
    (&["latin", "american"], "Latin America"),
    (&["european"], "Europe"),
    (&["chinese"], "China"),
    (&["indian"], "India"),
    (&["japanese"], "Japan"),
    (&["american"], "North America"),
    (&["europea"], "Europe"),
    (&["europeia"], "Europe"),
    (&["europeenne"], "Europe"),
    (&["europaische"], "Europe"),
    (&["europaischen"], "Europe"),
];

/// Words before a head that make it every edition, not one: "every KubeCon EU".
pub(super) const GENERIC: &[&str] = &[
    "every",
    "each",
    "all",
    "any",
    "many",
    "several",
    "cada",
    "todas",
    "todos",
    "cualquier",
    "chaque",
    "jede",
    "jeder",
    "jedes",
];

/// A region written as one word (in a hashtag): "eu", "northamerica".
pub(super) fn region_word(word: &str) -> Option<(&'static str, Form)> {
    REGIONS
        .iter()
        .find(|(words, _, _)| words.concat() == word)
        .map(|(_, name, form)| (*name, *form))
}

/// "CostaRica" → "Costa Rica"; none unless it has a lowercase letter and only letters.
pub(super) fn camel_words(word: &str) -> Option<String> {
    if word.is_empty()
        || !word.chars().all(char::is_alphabetic)
        || !word.chars().any(char::is_lowercase)
        || !word.chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    let mut out = String::new();
    for (i, c) in word.char_indices() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    Some(out)
}

const SPRING: u32 = 3;
const SUMMER: u32 = 6;
const FALL: u32 = 9;
const WINTER: u32 = 12;

const fn season(offset: i32, starts: u32) -> Relative {
    Relative::Season { offset, starts }
}

/// Times relative to the post written after a name: "KubeCon EU last year".
pub(super) const RELATIVE_AFTER: &[(&[&str], Relative)] = &[
    (&["earlier", "this", "year"], Relative::Years(0)),
    (&["later", "this", "year"], Relative::Years(0)),
    (&["this", "past", "year"], Relative::Years(0)),
    (&["this", "year"], Relative::Years(0)),
    (&["last", "year"], Relative::Years(-1)),
    (&["next", "year"], Relative::Years(1)),
    (&["this", "spring"], season(0, SPRING)),
    (&["this", "summer"], season(0, SUMMER)),
    (&["this", "fall"], season(0, FALL)),
    (&["this", "autumn"], season(0, FALL)),
    (&["next", "spring"], season(1, SPRING)),
    (&["next", "summer"], season(1, SUMMER)),
    (&["next", "fall"], season(1, FALL)),
    (&["next", "autumn"], season(1, FALL)),
    (&["next", "winter"], season(1, WINTER)),
    (&["last", "spring"], season(-1, SPRING)),
    (&["last", "summer"], season(-1, SUMMER)),
    (&["last", "fall"], season(-1, FALL)),
    (&["last", "autumn"], season(-1, FALL)),
    (&["last", "winter"], season(-1, WINTER)),
    (&["del", "ano", "pasado"], Relative::Years(-1)),
    (&["el", "ano", "pasado"], Relative::Years(-1)),
    (&["de", "este", "ano"], Relative::Years(0)),
    (&["este", "ano"], Relative::Years(0)),
    (&["del", "proximo", "ano"], Relative::Years(1)),
    (&["el", "proximo", "ano"], Relative::Years(1)),
    (&["do", "ano", "passado"], Relative::Years(-1)),
    (&["no", "ano", "passado"], Relative::Years(-1)),
    (&["deste", "ano"], Relative::Years(0)),
    (&["do", "proximo", "ano"], Relative::Years(1)),
    (&["de", "l", "annee", "derniere"], Relative::Years(-1)),
    (&["l", "annee", "derniere"], Relative::Years(-1)),
    (&["l", "an", "dernier"], Relative::Years(-1)),
    (&["de", "cette", "annee"], Relative::Years(0)),
    (&["cette", "annee"], Relative::Years(0)),
    (&["de", "l", "annee", "prochaine"], Relative::Years(1)),
    (&["l", "annee", "prochaine"], Relative::Years(1)),
    (&["letztes", "jahr"], Relative::Years(-1)),
    (&["dieses", "jahr"], Relative::Years(0)),
    (&["nachstes", "jahr"], Relative::Years(1)),
];

/// Times relative to the post written before a name: "last year's KubeCon EU".
pub(super) const RELATIVE_BEFORE: &[(&[&str], Relative)] = &[
    (&["this", "year", "s"], Relative::Years(0)),
    (&["last", "year", "s"], Relative::Years(-1)),
    (&["next", "year", "s"], Relative::Years(1)),
    (&["this", "spring", "s"], season(0, SPRING)),
    (&["this", "summer", "s"], season(0, SUMMER)),
    (&["this", "fall", "s"], season(0, FALL)),
    (&["this", "autumn", "s"], season(0, FALL)),
    (&["next", "spring", "s"], season(1, SPRING)),
    (&["next", "summer", "s"], season(1, SUMMER)),
    (&["next", "fall", "s"], season(1, FALL)),
    (&["next", "autumn", "s"], season(1, FALL)),
    (&["last", "spring", "s"], season(-1, SPRING)),
    (&["last", "summer", "s"], season(-1, SUMMER)),
    (&["last", "fall", "s"], season(-1, FALL)),
    (&["last", "autumn", "s"], season(-1, FALL)),
    (&["most", "recent"], Relative::Previous),
    (&["upcoming"], Relative::Upcoming),
    (&["forthcoming"], Relative::Upcoming),
    (&["next"], Relative::Upcoming),
    (&["last"], Relative::Previous),
    (&["previous"], Relative::Previous),
    (&["proxima"], Relative::Upcoming),
    (&["proximo"], Relative::Upcoming),
    (&["prochaine"], Relative::Upcoming),
    (&["prochain"], Relative::Upcoming),
    (&["pasada"], Relative::Previous),
    (&["pasado"], Relative::Previous),
    (&["ultima"], Relative::Previous),
    (&["ultimo"], Relative::Previous),
    (&["derniere"], Relative::Previous),
    (&["dernier"], Relative::Previous),
];

/// A phrase of `table` starting at `j` (right after the word before, with `follows`): what
/// it means and its length.
pub(super) fn phrase_at(
    w: &Words,
    j: usize,
    table: &[(&[&str], Relative)],
    follows: bool,
) -> Option<(Relative, usize)> {
    if follows && (j == 0 || !w.adjacent(j - 1, j)) {
        return None;
    }
    table
        .iter()
        .find(|(words, _)| w.words_at(j, words))
        .map(|(words, relative)| (*relative, words.len()))
}

/// A phrase of `table` ending right before `k`, adjacent to it.
pub(super) fn phrase_before(
    w: &Words,
    k: usize,
    table: &[(&[&str], Relative)],
) -> Option<(Relative, usize)> {
    table.iter().find_map(|(words, relative)| {
        let at = k.checked_sub(words.len())?;
        (w.words_at(at, words) && w.adjacent(k - 1, k)).then_some((*relative, words.len()))
    })
}
