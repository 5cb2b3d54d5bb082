//! The forms an edition of a KCD or a KubeCon is named in: a head ("KCD", "Kubernetes Community
//! Days", "KubeCon [+ CloudNativeCon]"), a place or region, and a time, each of which may stand
//! before or after the head in several languages' word orders, or be packed into a hashtag.
//! What a form names is left to the gazetteer, which knows the editions.

use super::lists::{self, Words};
use super::{
    Discovered, DiscoveredKind, Form, NOT_PLACES, Relative, adjacent, month_number, year_at,
};
use crate::import::gazetteer::{Gazetteer, KUBECON};

#[path = "grammar_heads.rs"]
mod heads;
#[path = "grammar_time.rs"]
mod time;
#[path = "grammar_words.rs"]
mod words;
use heads::{hashtag, kcd, kubecon, more_regions, region_before};
use words::*;

/// Finds every edition or series of a KCD or KubeCon named among the words not already
/// matched.
pub fn discover(
    text: &str,
    tokens: &[super::Token],
    used: &[bool],
    places: &Gazetteer,
) -> Vec<Discovered> {
    let w = Words { text, tokens, used };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if used[i] {
            // A name the catalog knows may open a list: "KCD Texas and Miami".
            i = lists::after_known(&w, i, &mut out);
            continue;
        }
        if let Some((d, end)) = hashtag(&w, places, i) {
            out.push(d);
            i = end;
            continue;
        }
        if let Some((d, end)) = kcd(&w, places, i) {
            out.push(d);
            // "KCD Texas and Miami": the prefix carries to each member.
            i = lists::more_kcds(&w, end, &mut out);
            continue;
        }
        if w.raw(i) == "KCDs" {
            i = lists::kcds_in(&w, i, &mut out);
            continue;
        }
        if let Some((mut d, end)) = kubecon(&w, places, i) {
            // "KubeCon EU and NA 2024": each region an edition of its own.
            let (more, end) = more_regions(&w, &mut d, end);
            out.push(d);
            out.extend(more);
            i = end;
            continue;
        }
        i += 1;
    }
    time::from_sentences(&w, places, &mut out);
    // "KubeCon" alone, which neither its words nor its sentence pin, names no edition.
    out.retain(|d| {
        d.kind == DiscoveredKind::Kcd
            || d.series != KUBECON
            || d.city.is_some()
            || d.year.is_some()
            || d.relative.is_some()
    });
    out
}

/// What stands around a head, and how far it reaches.
#[derive(Debug, Default)]
struct Around {
    /// First and one-past-last word of the whole mention.
    start: usize,
    end: usize,
    year: Option<i32>,
    /// Whether the year was written short ("'24").
    short_year: bool,
    relative: Option<Relative>,
    /// A host city or KCD place as written.
    place: Option<String>,
    /// The word joining a place to the head in another language ("de", "en").
    foreign: bool,
    /// "the … edition of".
    edition: bool,
    /// "every KubeCon", "cada KCD": no one edition.
    generic: bool,
    /// A region written before the head ("the European KubeCon").
    region: Option<&'static str>,
}

impl Around {
    fn form(&self, base: Form) -> Form {
        if self.edition {
            Form::Edition
        } else if self.relative.is_some() {
            Form::Relative
        } else if self.foreign || base == Form::Language {
            Form::Language
        } else if self.short_year && base == Form::Name {
            Form::Abbreviation
        } else {
            base
        }
    }

    fn discovered(
        self,
        w: &Words,
        kind: DiscoveredKind,
        series: String,
        city: bool,
        base: Form,
    ) -> (Discovered, usize) {
        let form = self.form(base);
        let end = self.end;
        let d = Discovered {
            kind,
            series,
            city: if city { self.place.clone() } else { None },
            year: self.year,
            relative: self.relative,
            matched: w.span(self.start, end),
            at: self.start..end,
            generic: self.generic,
            form,
        };
        (d, end)
    }
}

/// What stands before the head at `s`: "the 2024 edition of", "the Paris", "last year's".
fn before(w: &Words, places: &Gazetteer, s: usize, kubecon: bool) -> Around {
    let mut a = Around {
        start: s,
        end: s,
        ..Default::default()
    };
    let mut k = s;
    // "the … edition of", "la edición … de", "l'édition … de".
    if k >= 2
        && EDITION_OF.contains(&w.norm(k - 1))
        && EDITION.contains(&w.norm(k - 2))
        && w.adjacent(k - 2, k - 1)
        && w.adjacent(k - 1, k)
    {
        a.edition = true;
        k -= 2;
    }
    if let Some((place, at)) = place_before(w, places, k, kubecon, a.edition) {
        a.place = Some(place);
        k = at;
    } else if k >= 2
        && w.is(k - 1, "s")
        && w.adjacent(k - 1, k)
        && let Some((place, at)) = place_before(w, places, k - 1, kubecon, a.edition)
    {
        // "Lima's KCD", "Paris's KubeCon".
        a.place = Some(place);
        k = at;
    }
    if k >= 1
        && w.adjacent(k - 1, k)
        && let Some(y) = w.year(k - 1)
    {
        a.year = Some(y);
        k -= 1;
    } else if k >= 2
        && w.is(k - 1, "s")
        && w.adjacent(k - 1, k)
        && let Some(y) = w.year(k - 2)
    {
        a.year = Some(y);
        k -= 2;
    }
    if a.year.is_none()
        && let Some((relative, n)) = phrase_before(w, k, RELATIVE_BEFORE)
    {
        a.relative = Some(relative);
        k -= n;
    }
    if kubecon
        && a.place.is_none()
        && let Some((name, n)) = region_before(w, k)
    {
        a.region = Some(name);
        k -= n;
    }
    if a.year.is_none() && a.relative.is_none() && k >= 1 && w.adjacent(k - 1, k) {
        let word = w.norm(k - 1);
        // "every KubeCon", "the largest KCD": no one edition.
        if GENERIC.contains(&word)
            || matches!(word, "best" | "worst")
            || (word.len() > 5 && word.ends_with("est"))
        {
            a.generic = true;
        } else if w.is(k - 1, "this") || w.is(k - 1, "esta") || w.is(k - 1, "este") {
            // "this KubeCon": the one the post is written at.
            a.relative = Some(Relative::Days(0));
            k -= 1;
        }
    }
    if a.edition && a.year.is_none() && a.relative.is_none() && a.place.is_none() {
        // "the third edition of": an edition the words do not pin.
        a.edition = false;
        k = s;
    }
    a.start = k;
    a
}

/// A place right before `k`: a known KubeCon host city ("the Paris KubeCon"), or for a KCD a
/// place the catalog knows or that an edition phrase introduces ("the Guatemala edition of").
fn place_before(
    w: &Words,
    places: &Gazetteer,
    k: usize,
    kubecon: bool,
    edition: bool,
) -> Option<(String, usize)> {
    for len in (1..=places.longest_place().max(3)).rev() {
        if len > k {
            continue;
        }
        let at = k - len;
        let all = (at..k).all(|t| {
            !w.used[t]
                && w.tokens[t].capitalized
                && !NOT_PLACES.contains(&w.norm(t))
                && month_number(w.norm(t)).is_none()
                && (t == at || w.adjacent(t - 1, t))
        });
        if !all || !w.adjacent(k - 1, k) {
            continue;
        }
        let words = w.norms(at, k);
        let city = places.place(&words);
        let fits = if kubecon {
            city.is_some_and(|c| places.hosted(c, None))
        } else {
            edition || city.is_some() || places.knows_kcd(&words)
        };
        if fits {
            return Some((w.span(at, k), at));
        }
    }
    None
}

/// What follows the head's last word (`j`): a host city, a year, a relative time. Fills
/// `a` and sets where the mention ends.
fn after(w: &Words, places: &Gazetteer, mut j: usize, kubecon: bool, a: &mut Around) {
    loop {
        if kubecon
            && a.place.is_none()
            && let Some((city, foreign, next)) = city_at(w, places, j)
        {
            a.place = Some(city);
            a.foreign |= foreign;
            j = next;
            continue;
        }
        if a.year.is_some() || a.relative.is_some() {
            break;
        }
        if j > 0 && j < w.tokens.len() && w.adjacent(j - 1, j) {
            let (year, next) = year_at(w.text, w.tokens, j);
            if let Some(year) = year {
                a.short_year = w.tokens[j].norm.len() == 2;
                a.year = Some(year);
                j = next;
                continue;
            }
            // "in 2024", "back in 2023", "en 2024", "'s 2024 edition", "in January 2024",
            // "on March 1st, 2024", "en marzo de 2024".
            let mut skip = match (w.norm(j), w.tokens.get(j + 1).map(|t| t.norm.as_str())) {
                ("back", Some("in")) => 2,
                ("in" | "en" | "em" | "of" | "de" | "del" | "s" | "on", _) => 1,
                _ => 0,
            };
            if skip > 0
                && month_number(w.norm(j + skip)).is_some()
                && w.adjacent(j + skip - 1, j + skip)
            {
                skip += 1;
                if w.norm(j + skip)
                    .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
                    .len()
                    <= 2
                    && w.norm(j + skip).starts_with(|c: char| c.is_ascii_digit())
                {
                    skip += 1;
                }
                if matches!(w.norm(j + skip), "de" | "of") {
                    skip += 1;
                }
            }
            if skip > 0
                && w.near(j + skip - 1, j + skip)
                && let Some(year) = w.year(j + skip)
            {
                a.year = Some(year);
                j += skip + 1;
                if w.is(j, "edition") && w.adjacent(j - 1, j) {
                    j += 1;
                }
                continue;
            }
            if let Some((relative, n)) = phrase_at(w, j, RELATIVE_AFTER, true) {
                a.relative = Some(relative);
                j += n;
                continue;
            }
        }
        break;
    }
    a.end = j.max(a.start + 1);
}

/// A KubeCon host city at `j`, maybe after a connector ("in Paris", "de París"): the city as
/// written, whether the connector is another language's, and the index after it.
fn city_at(w: &Words, places: &Gazetteer, j: usize) -> Option<(String, bool, usize)> {
    if j == 0 || j >= w.tokens.len() || !w.adjacent(j - 1, j) {
        return None;
    }
    let (at, foreign) = if CONNECTORS.contains(&w.norm(j)) || w.is(j, "at") {
        (j + 1, !matches!(w.norm(j), "in" | "at"))
    } else {
        (j, false)
    };
    if at >= w.tokens.len() || !w.adjacent(at - 1, at) || !w.tokens[at].capitalized {
        return None;
    }
    for len in (1..=places.longest_place()).rev() {
        let end = at + len;
        if end > w.tokens.len() || (at..end).any(|t| w.used[t] || (t > at && !w.adjacent(t - 1, t)))
        {
            continue;
        }
        if let Some(city) = places.place(&w.norms(at, end))
            && places.hosted(city, None)
        {
            return Some((w.span(at, end), foreign, end));
        }
    }
    None
}
