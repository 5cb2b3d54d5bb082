//! Times a sentence gives for the names in it: "In 2023 I attended KubeCon Europe in
//! Amsterdam", "El pasado fin de semana estuvimos en el KCD de Medellín", "The Guatemala edition
//! of Kubernetes Community Days is back on September 7". A name without a time of its own takes
//! the time its sentence gives before it, or its clause after it, when that time is one.

use std::ops::Range;

use super::words::{RELATIVE_AFTER, phrase_at};

use super::{Discovered, Relative, month_number};
use crate::import::gazetteer::{Gazetteer, KUBECON};
use crate::import::mentions::lists::Words;

#[path = "grammar_time_context.rs"]
mod context;
#[path = "grammar_time_words.rs"]
mod time_words;
use context::*;
use time_words::*;

/// A time: a year, or one relative to the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Year(i32),
    Relative(Relative),
}

impl When {
    fn year(&self) -> Option<i32> {
        match self {
            When::Year(y) => Some(*y),
            When::Relative(_) => None,
        }
    }

    fn relative(&self) -> Option<Relative> {
        match self {
            When::Relative(r) => Some(*r),
            When::Year(_) => None,
        }
    }
}

/// The values in order, each once.
fn distinct<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The edition the tense of words `range` points to: the next one, the last one, or none when
/// the words say neither or both, or speak of every edition.
fn tense(w: &Words, range: Range<usize>, taken: &[bool]) -> Option<Relative> {
    let says = |table: &[&[&str]]| {
        range.clone().any(|k| {
            !taken[k]
                && table
                    .iter()
                    .any(|words| k + words.len() <= range.end && w.words_at(k, words))
        })
    };
    if says(HABITUAL) {
        return None;
    }
    if says(PROPOSALS) {
        return Some(Relative::Upcoming);
    }
    match (says(FUTURE), says(PAST)) {
        (true, false) => Some(Relative::Upcoming),
        (false, true) => Some(Relative::Previous),
        _ => None,
    }
}

/// "KubeCon" alone: no region, place or time of its own.
fn is_bare(d: &Discovered) -> bool {
    d.kind == super::DiscoveredKind::Kubecon
        && d.series == KUBECON
        && d.city.is_none()
        && d.year.is_none()
        && d.relative.is_none()
}

/// Whether the text between words `a` and `a + 1` ends a sentence (or, with `clause`, a
/// clause).
fn breaks(w: &Words, a: usize, clause: bool) -> bool {
    let gap = &w.text[w.tokens[a].end..w.tokens[a + 1].start];
    // "(my first KubeCon!)": a parenthesis' own end is no sentence's.
    let aside = gap.trim_start().starts_with(['!', '?', '.']) && gap.contains(')');
    !aside
        && gap.chars().any(|c| {
            matches!(c, '.' | '!' | '?' | ';' | '\n') || (clause && matches!(c, ',' | ':'))
        })
}

/// The times written in words `range` that no name took.
fn times(w: &Words, range: Range<usize>, sentence_start: usize, taken: &[bool]) -> Vec<When> {
    let mut out = Vec::new();
    let mut k = range.start;
    while k < range.end {
        if taken[k] {
            k += 1;
            continue;
        }
        let fits = |n: usize| k + n <= range.end && (k..k + n).all(|t| !taken[t]);
        if let Some((relative, n)) =
            phrase_at(w, k, DAYS, false).or_else(|| phrase_at(w, k, RELATIVE_AFTER, false))
            && fits(n)
        {
            out.push(When::Relative(relative));
            k += n;
            continue;
        }
        if let Some((days, n)) = duration_at(w, k)
            && fits(n)
        {
            // "six months after KubeCon Amsterdam", "two weeks until KubeCon".
            out.push(When::Relative(Relative::Days(days)));
            k += n;
            continue;
        }
        if WEEKDAYS.contains(&w.norm(k)) {
            // "last Saturday", "el sábado", "neste sábado": the post's week.
            out.push(When::Relative(Relative::Days(0)));
            k += 1;
            continue;
        }
        // A month opening the sentence ("September is KCD season"), after a preposition, or
        // before a day.
        if let Some(month) = month_number(w.norm(k))
            && (k == sentence_start && w.tokens[k].capitalized
                || k > range.start && BEFORE_MONTH.contains(&w.norm(k - 1))
                || w.norm(k + 1).starts_with(|c: char| c.is_ascii_digit()))
        {
            // "March 1st, 2024", "marzo de 2024": the year after the month, if any.
            let mut j = k + 1;
            while j < range.end.min(k + 4)
                && w.year(j).is_none()
                && !w.norm(j).is_empty()
                && w.norm(j).len() <= 4
            {
                j += 1;
            }
            match w.year(j).filter(|_| j < range.end) {
                Some(year) => {
                    out.push(When::Year(year));
                    k = j + 1;
                }
                None => {
                    out.push(When::Relative(Relative::Month(month)));
                    k += 1;
                }
            }
            continue;
        }
        // A bare year counts where a preposition makes it a time ("in 2023", "for 2024") or it
        // opens the sentence; not "since 2019" or "a 2023 survey".
        if let Some(year) = w.year(k)
            && (k < sentence_start + 3 || YEAR_AFTER.contains(&w.norm(k - 1)))
        {
            out.push(When::Year(year));
        }
        k += 1;
    }
    out
}

/// Gives each name without a time of its own the one time its sentence gives before it or its
/// clause after it.
pub(super) fn from_sentences(w: &Words, places: &Gazetteer, found: &mut Vec<Discovered>) {
    let n = w.tokens.len();
    let mut taken: Vec<bool> = w.used.to_vec();
    for d in found.iter() {
        for t in d.at.clone() {
            taken[t] = true;
        }
    }
    let mut more = Vec::new();
    // The tense of each name's sentence, applied once listed names have shared their times.
    let mut tenses: Vec<(usize, Relative)> = Vec::new();
    for (index, d) in found.iter_mut().enumerate() {
        if d.generic
            || d.at.is_empty()
            || (d.year.is_some() || d.relative.is_some()) && d.city.is_some()
        {
            continue;
        }
        let mut start = d.at.start;
        while start > 0 && !breaks(w, start - 1, false) {
            start -= 1;
        }
        let mut end = d.at.end;
        while end < n && end > 0 && !breaks(w, end - 1, true) {
            end += 1;
        }
        let mut sentence_end = d.at.end;
        while sentence_end < n && sentence_end > 0 && !breaks(w, sentence_end - 1, false) {
            sentence_end += 1;
        }
        if is_bare(d) {
            let cities = cities_in(w, places, None, d.at.end..sentence_end, &taken);
            if cities.len() > 1 {
                // "two KubeCons: the one in Valencia in May and the one in Detroit in
                // October": a KubeCon in each city, at the time written after it.
                // The sentence's own year or time, for a city written without one.
                let opening = times(w, start..d.at.start, start, &taken);
                let shared = match distinct(opening.iter().copied()).as_slice() {
                    [one] => Some(*one),
                    _ => None,
                };
                for (i, (written, at)) in cities.iter().enumerate() {
                    let until = cities
                        .get(i + 1)
                        .map_or(sentence_end, |(_, next)| next.start);
                    let when = times(w, at.end..until, start, &taken)
                        .into_iter()
                        .next()
                        .or(shared);
                    more.push(Discovered {
                        city: Some(written.clone()),
                        year: when.and_then(|t| t.year()),
                        relative: when.and_then(|t| t.relative()),
                        matched: w.span(at.start, at.end),
                        at: at.clone(),
                        form: super::Form::City,
                        ..d.clone()
                    });
                }
                continue;
            }
        }
        let before = times(w, start..d.at.start, start, &taken);
        let after = times(w, d.at.end..end, start, &taken);
        if d.kind == super::DiscoveredKind::Kubecon && d.city.is_none() {
            let series = (d.series != KUBECON).then_some(d.series.as_str());
            // "Post-KubeCon blues: Chicago was great": the sentence's city, past its colon.
            d.city = city_in(w, places, series, start..sentence_end, &taken);
        }
        if d.year.is_some() || d.relative.is_some() {
            continue;
        }
        // A year written out wins over a month or a relative time that refines it; then the
        // nearest time of the clause after the name, then the one time of the sentence before.
        let years = distinct(before.iter().chain(&after).filter_map(When::year));
        let relatives = |t: &[When]| distinct(t.iter().filter_map(When::relative));
        let (after, before) = (relatives(&after), relatives(&before));
        // A month is more precise than the weekday or week around it ("el sábado 22 de junio").
        let months_first = |list: Vec<Relative>| -> Vec<Relative> {
            let months: Vec<Relative> = list
                .iter()
                .copied()
                .filter(|r| matches!(r, Relative::Month(_)))
                .collect();
            if months.len() == 1 { months } else { list }
        };
        let (after, before) = (months_first(after), months_first(before));
        if let Some(listed) = year_list(w, d.at.end..end, &taken) {
            // "KCD Porto twice (2023 and 2024)": an edition each year.
            for year in &listed[1..] {
                more.push(Discovered {
                    year: Some(*year),
                    ..d.clone()
                });
            }
            d.year = listed.first().copied();
            continue;
        }
        match (years.as_slice(), after.as_slice(), before.as_slice()) {
            ([year], ..) => d.year = Some(*year),
            ([], [relative, ..], _) | ([], [], [relative]) => d.relative = Some(*relative),
            ([], [], []) if d.series != KUBECON || d.city.is_some() => {
                // No time written: the tense tells the next edition from the last one.
                if let Some(relative) = tense(w, start..end, &taken) {
                    tenses.push((index, relative));
                }
            }
            _ => {}
        }
    }
    found.extend(more);
    share_times(w, found);
    from_next_sentence(w, found, &taken);
    for (index, relative) in tenses {
        let d = &mut found[index];
        if d.year.is_none() && d.relative.is_none() {
            d.relative = Some(relative);
        }
    }
    // "Merci Paris! What a KubeCon.": a KubeCon no sentence places is in the one host city
    // the post's title names, if it names one.
    let mut title_end = 1.min(n);
    while title_end < n
        && !w.text[w.tokens[title_end - 1].end..w.tokens[title_end].start].contains('\n')
    {
        title_end += 1;
    }
    if found.iter().any(is_bare)
        && let Some(city) = city_in(w, places, None, 0..title_end, &taken)
    {
        for d in found.iter_mut().filter(|d| is_bare(d)) {
            d.city = Some(city.clone());
        }
    }
}
