//! What a name's neighbours give it: the host cities of its sentence, the time that opens the
//! next sentence, the time shared by names listed together.

use std::ops::Range;

use super::{Discovered, breaks, distinct, times};
use crate::import::gazetteer::Gazetteer;
use crate::import::mentions::lists::Words;

/// The sentence around word `at`.
pub(super) fn sentence_of(w: &Words, at: usize) -> Range<usize> {
    let n = w.tokens.len();
    let mut start = at;
    while start > 0 && !breaks(w, start - 1, false) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < n && !breaks(w, end - 1, false) {
        end += 1;
    }
    start..end
}

/// "Otra vez en el KCD Colombia. Este año en Medellín…": a name without a time takes the
/// time that opens the next sentence of its paragraph, when that sentence names nothing.
pub(super) fn from_next_sentence(w: &Words, found: &mut [Discovered], taken: &[bool]) {
    let n = w.tokens.len();
    for d in found.iter_mut() {
        if d.year.is_some() || d.relative.is_some() || d.generic || d.at.is_empty() {
            continue;
        }
        let own = sentence_of(w, d.at.start);
        if own.end >= n || w.text[w.tokens[own.end - 1].end..w.tokens[own.end].start].contains('\n')
        {
            continue;
        }
        let next = sentence_of(w, own.end);
        if next.clone().any(|t| taken[t]) {
            continue;
        }
        let opening = next.start..next.end.min(next.start + 3);
        let when = match distinct(times(w, opening, next.start, taken).into_iter()).as_slice() {
            [one] => *one,
            _ => continue,
        };
        d.year = when.year();
        d.relative = when.relative();
    }
}

/// Names listed together share the time written after the last of them: "KCD Austria, KCD
/// Czech and KCD Guatemala this year".
pub(super) fn share_times(w: &Words, found: &mut [Discovered]) {
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| found[i].at.start);
    for pair in order.windows(2).rev() {
        let (a, b) = (pair[0], pair[1]);
        let (first, next) = (&found[a], &found[b]);
        if first.kind != next.kind
            || first.year.is_some()
            || first.relative.is_some()
            || first.generic
            || first.at.end == 0
            || first.at.end > next.at.start
        {
            continue;
        }
        // Only a comma, "and" or "&" between them.
        let between = &w.text[w.tokens[first.at.end - 1].end..w.tokens[next.at.start].start];
        let joined = between
            .split(|c: char| c.is_whitespace() || c == ',' || c == '&')
            .all(|word| word.is_empty() || matches!(word, "and" | "y" | "e" | "et" | "und"));
        if joined && (next.year.is_some() || next.relative.is_some()) {
            let (year, relative) = (next.year, next.relative);
            found[a].year = year;
            found[a].relative = relative;
        }
    }
}

/// The one KubeCon host city named in words `range` that no name took ("Valencia will host
/// KubeCon in May").
pub(super) fn city_in(
    w: &Words,
    places: &Gazetteer,
    series: Option<&str>,
    range: Range<usize>,
    taken: &[bool],
) -> Option<String> {
    match cities_in(w, places, series, range, taken).as_slice() {
        [(written, _)] => Some(written.clone()),
        _ => None,
    }
}

/// The KubeCon host cities named in words `range` that no name took, each once, as written
/// with their words' indices.
pub(super) fn cities_in(
    w: &Words,
    places: &Gazetteer,
    series: Option<&str>,
    range: Range<usize>,
    taken: &[bool],
) -> Vec<(String, Range<usize>)> {
    let mut cities = Vec::new();
    let mut k = range.start;
    while k < range.end {
        let found = (1..=places.longest_place()).rev().find_map(|len| {
            let end = k + len;
            if end > range.end || (k..end).any(|t| taken[t]) || !w.tokens[k].capitalized {
                return None;
            }
            let city = places.place(&w.norms(k, end))?;
            places
                .hosted(city, series)
                .then(|| (w.span(k, end), city.to_owned(), end))
        });
        match found {
            Some((written, city, end)) => {
                if !cities.iter().any(|(_, c, _)| *c == city) {
                    cities.push((written, city, k..end));
                }
                k = end;
            }
            None => k += 1,
        }
    }
    cities
        .into_iter()
        .map(|(written, _, at)| (written, at))
        .collect()
}

/// The years listed together in words `range` ("2023 and 2024", "2022, 2023 y 2024"), when
/// there are at least two.
pub(super) fn year_list(w: &Words, range: Range<usize>, taken: &[bool]) -> Option<Vec<i32>> {
    let first = range.clone().find(|&k| !taken[k] && w.year(k).is_some())?;
    let mut years = vec![w.year(first)?];
    let mut k = first;
    loop {
        let gap = |a: usize, b: usize| w.text[w.tokens[a].end..w.tokens[b].start].trim().to_owned();
        let next = if k + 1 < range.end && matches!(gap(k, k + 1).as_str(), "," | "&" | "/") {
            k + 1
        } else if k + 2 < range.end
            && gap(k, k + 1).is_empty()
            && matches!(w.norm(k + 1), "and" | "y" | "e" | "et" | "und")
        {
            k + 2
        } else {
            break;
        };
        match w.year(next) {
            Some(year) if !taken[next] => {
                years.push(year);
                k = next;
            }
            _ => break,
        }
    }
    (years.len() > 1).then_some(years)
}
