//! Coordinated names that share one prefix: "KCD Texas and Miami", "KCD Guatemala, Costa Rica
//! and Panama", "KCDs in Medellín, Guatemala and San Salvador". Each member is a KCD of its
//! own. A list ends with "and <place>" followed by a year, punctuation or the end of the
//! text, so that "KCD Texas and Microsoft sponsored…" names no "KCD Microsoft".

use super::{Discovered, DiscoveredKind, Form, NOT_PLACES, Token, adjacent, year_at};

/// A text's words and which of them another name already took.
#[derive(Clone, Copy)]
pub(super) struct Words<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub used: &'a [bool],
}

/// The place words right after the word before `at` ("KCD Texas"): up to three capitalized
/// words, not taken by another name, joined, and the index after them.
pub(super) fn place_at(w: &Words, at: usize) -> Option<(String, usize)> {
    let Words { text, tokens, .. } = *w;
    let follows = at > 0 && at < tokens.len() && adjacent(text, &tokens[at - 1], &tokens[at]);
    follows.then(|| place(w, at)).flatten()
}

/// The place words starting at `at`, wherever they stand (a list member after a comma).
fn place(w: &Words, at: usize) -> Option<(String, usize)> {
    let Words { text, tokens, used } = *w;
    let mut j = at;
    let mut place = Vec::new();
    while j < tokens.len()
        && place.len() < 4
        && !used[j]
        && (tokens[j].capitalized
            || (j > at
                && matches!(
                    tokens[j].norm.as_str(),
                    "de" | "del" | "da" | "do" | "dos" | "los" | "las"
                )
                && tokens
                    .get(j + 1)
                    .is_some_and(|t| t.capitalized && adjacent(text, &tokens[j], t))))
        && tokens[j].norm.chars().all(|c| c.is_ascii_alphabetic())
        && !NOT_PLACES.contains(&tokens[j].norm.as_str())
        && (j > at || super::month_number(&tokens[j].norm).is_none())
        && (j == at || adjacent(text, &tokens[j - 1], &tokens[j]))
    {
        place.push(&text[tokens[j].start..tokens[j].end]);
        j += 1;
    }
    // "Central America", "South Africa"'s first word alone is no place.
    let region_follows = tokens.get(j).is_some_and(|t| {
        t.capitalized
            && matches!(
                t.norm.as_str(),
                "america" | "americas" | "europe" | "asia" | "africa"
            )
            && adjacent(text, &tokens[j - 1], t)
    });
    (!place.is_empty() && !region_follows).then(|| (place.join(" "), j))
}

/// The text between two words.
fn between<'a>(text: &'a str, tokens: &[Token], a: usize, b: usize) -> &'a str {
    &text[tokens[a].end..tokens[b].start]
}

/// Whether the word before `end` closes a clause: punctuation or the end of the text follows.
fn closes(text: &str, tokens: &[Token], end: usize) -> bool {
    match tokens.get(end) {
        None => true,
        Some(_) => between(text, tokens, end - 1, end)
            .chars()
            .any(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '\n')),
    }
}

/// The members of a list that continues at `j` (after its first member), each as (place,
/// year, text as written), and the index after the list; none unless the list ends properly.
fn members(w: &Words, mut j: usize) -> (Vec<Member>, usize) {
    let Words { text, tokens, .. } = *w;
    let mut found = Vec::new();
    while j < tokens.len() && j > 0 {
        let gap = between(text, tokens, j - 1, j).trim();
        let (at, last) = if gap == "," {
            (j, false)
        } else if gap.is_empty() && matches!(tokens[j].norm.as_str(), "and" | "y") {
            (j + 1, true)
        } else if gap == "&" || gap == ", and" || gap == ", y" {
            (j, true)
        } else {
            break;
        };
        // ", and Miami": the comma, then the word.
        let (at, last) = if !last && matches!(tokens[at].norm.as_str(), "and" | "y") {
            (at + 1, true)
        } else {
            (at, last)
        };
        let Some((place, k)) = place(w, at) else {
            break;
        };
        let (year, end) = year_at(text, tokens, k);
        found.push((
            place,
            year,
            text[tokens[at].start..tokens[end - 1].end].to_owned(),
            at..end,
        ));
        j = end;
        if last {
            // A year says it is an edition, whatever follows.
            return if year.is_some() || closes(text, tokens, end) {
                (found, end)
            } else {
                (Vec::new(), end)
            };
        }
    }
    (Vec::new(), j)
}

/// A list member: its place, year, words as written and their indices.
type Member = (String, Option<i32>, String, std::ops::Range<usize>);

fn push_all(out: &mut Vec<Discovered>, members: Vec<Member>) {
    out.extend(
        members
            .into_iter()
            .map(|(place, year, matched, at)| Discovered {
                kind: DiscoveredKind::Kcd,
                series: format!("KCD {place}"),
                city: None,
                year,
                relative: None,
                matched,
                at,
                generic: false,
                form: Form::List,
            }),
    );
}

/// After "KCD <place> [year]" ends at `end`: the other members of its list. Returns where
/// discovery goes on.
pub(super) fn more_kcds(w: &Words, end: usize, out: &mut Vec<Discovered>) -> usize {
    let (found, after) = members(w, end);
    if found.is_empty() {
        return end;
    }
    push_all(out, found);
    after
}

/// At a word another name took (`i`): when that name is a KCD the catalog knows ("KCD Texas"),
/// the members of a list it opens. Returns where discovery goes on.
pub(super) fn after_known(w: &Words, i: usize, out: &mut Vec<Discovered>) -> usize {
    let Words { text, tokens, used } = *w;
    let mut end = i;
    while end < tokens.len() && used[end] {
        end += 1;
    }
    if &text[tokens[i].start..tokens[i].end] != "KCD" {
        return i + 1;
    }
    more_kcds(w, end, out).max(i + 1)
}

/// At "KCDs" (`i`): "KCDs in A, B and C" names a KCD in each place. Returns where discovery
/// goes on.
pub(super) fn kcds_in(w: &Words, i: usize, out: &mut Vec<Discovered>) -> usize {
    let Words { text, tokens, .. } = *w;
    let opens = tokens
        .get(i + 1)
        .is_some_and(|t| t.norm == "in" && adjacent(text, &tokens[i], t));
    if !opens {
        return i + 1;
    }
    let Some((first, k)) = place_at(w, i + 2) else {
        return i + 1;
    };
    let (year, end) = year_at(text, tokens, k);
    let (rest, after) = members(w, end);
    if rest.is_empty() {
        return i + 1;
    }
    let matched = text[tokens[i + 2].start..tokens[end - 1].end].to_owned();
    push_all(out, vec![(first, year, matched, i + 2..end)]);
    push_all(out, rest);
    after
}
