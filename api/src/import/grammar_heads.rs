//! The heads of a mention — "KCD", "Kubernetes Community Days", "KubeCon [+ CloudNativeCon]",
//! a hashtag — with the region or place that follows them.

use super::words::*;
use super::{Discovered, DiscoveredKind, Form, NOT_PLACES, Words, lists, year_at};
use super::{after, before};
use crate::import::gazetteer::{Gazetteer, KUBECON};

/// "KCD Guatemala 2024", "Kubernetes Community Days (KCD) de Guatemala", "the 2024 edition of
/// KCD Guatemala", "the Guatemala KCD", "last year's KCD Guatemala".
pub(super) fn kcd(w: &Words, places: &Gazetteer, i: usize) -> Option<(Discovered, usize)> {
    let mut j = if w.raw(i) == "KCD" {
        i + 1
    } else if w.norm(i) == "kubernetes"
        && w.is(i + 1, "community")
        && (w.is(i + 2, "days") || w.is(i + 2, "day"))
        && w.adjacent(i, i + 1)
        && w.adjacent(i + 1, i + 2)
    {
        // "Kubernetes Community Days (KCD) Colombia": skip the abbreviation.
        if w.tokens.get(i + 3).is_some_and(|_| w.raw(i + 3) == "KCD") && w.adjacent(i + 2, i + 3) {
            i + 4
        } else {
            i + 3
        }
    } else {
        return None;
    };
    let (mut foreign, mut english_in) = (false, false);
    if j + 1 < w.tokens.len()
        && CONNECTORS.contains(&w.norm(j))
        && w.adjacent(j - 1, j)
        && w.tokens[j + 1].capitalized
    {
        english_in = w.is(j, "in");
        foreign = !english_in;
        j += 1;
    }
    let mut around = before(w, places, i, false);
    if around.generic && english_in {
        // "the largest KCD in India": a place KCDs are held in, not a KCD's name.
        return None;
    }
    let (place, end) = match lists::place_at(w, j) {
        Some((place, end)) => (place, end),
        None => (around.place.take()?, j),
    };
    after(w, places, end, false, &mut around);
    around.foreign |= foreign;
    let series = format!("KCD {place}");
    Some(around.discovered(w, DiscoveredKind::Kcd, series, false, Form::Name))
}

/// "KubeCon + CloudNativeCon Europe 2024", "KubeCon EU '24", "KubeCon in Paris", "the Paris
/// KubeCon", "la KubeCon de París", "KubeCon Europa", "this year's KubeCon NA".
pub(super) fn kubecon(w: &Words, places: &Gazetteer, i: usize) -> Option<(Discovered, usize)> {
    let mut j = match w.norm(i) {
        // "3 KubeCons (Paris, Hong Kong, Salt Lake City)": the cities name them.
        "kubecon" | "cloudnativecon" | "kubecons" => i + 1,
        "kube" if w.is(i + 1, "con") && w.adjacent(i, i + 1) => i + 2,
        _ => return None,
    };
    // "KubeCon + CloudNativeCon", "KubeCon and CloudNativeCon".
    if w.is(j, "cloudnativecon") && w.joined(j - 1, j) {
        j += 1;
    } else if w.is(j, "and") && w.is(j + 1, "cloudnativecon") {
        j += 2;
    }
    // "KubeCon + CloudNativeCon + Open Source Summit China".
    if w.is(j, "open") && w.is(j + 1, "source") && w.is(j + 2, "summit") && w.joined(j - 1, j) {
        j += 3;
    }
    let mut region = region_at(w, j);
    if region.is_none()
        && matches!(w.norm(j), "de" | "en" | "em" | "do" | "da")
        && let Some(r) = region_at(w, j + 1)
    {
        // "KubeCon de Norteamérica".
        region = Some((r.0, Form::Language, r.2));
    }
    let mut packed_year = None;
    if region.is_none()
        && let Some((name, form, year)) = region_with_year(w, j)
    {
        // "KubeCon EU24".
        region = Some((name, form, j + 1));
        packed_year = Some(year);
    }
    let mut base = Form::Name;
    if let Some((_, form, next)) = region {
        base = form;
        j = next;
    }
    let mut around = before(w, places, i, true);
    if region.is_none()
        && let Some(name) = around.region
    {
        region = Some((name, Form::Name, j));
    }
    around.year = around.year.or(packed_year);
    if w.is(i, "kubecons") {
        // Several: the cities its sentence lists name one each.
        around.end = j;
    } else {
        after(w, places, j, true, &mut around);
    }
    if region.is_none() && around.place.is_some() && base == Form::Name {
        base = Form::City;
    }
    let series = match region {
        Some((name, _, _)) => format!("{KUBECON} {name}"),
        None => KUBECON.to_owned(),
    };
    Some(around.discovered(w, DiscoveredKind::Kubecon, series, true, base))
}

/// "#KCDGuatemala2024", "#KubeConEU24", "#KubeConParis", "#KubeCon2024".
pub(super) fn hashtag(w: &Words, places: &Gazetteer, i: usize) -> Option<(Discovered, usize)> {
    let raw = w.raw(i);
    let tagged = w.text[..w.tokens[i].start].ends_with('#');
    let letters = raw.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &raw[letters.len()..];
    let year = match digits.len() {
        0 => None,
        2 => Some(2000 + digits.parse::<i32>().ok()?),
        4 => Some(digits.parse::<i32>().ok())
            .flatten()
            .filter(|y| (2000..2100).contains(y)),
        _ => return None,
    };
    let lower = letters.to_ascii_lowercase();
    let (kind, series, city) = if let Some(rest) = letters.strip_prefix("KCD") {
        let place = camel_words(rest)?;
        if NOT_PLACES.contains(&place.to_ascii_lowercase().as_str()) {
            return None;
        }
        (DiscoveredKind::Kcd, format!("KCD {place}"), None)
    } else if let Some(rest) = lower.strip_prefix("kubecon") {
        let rest = rest.strip_prefix("cloudnativecon").unwrap_or(rest);
        if rest.is_empty() {
            // "#KubeCon" alone names no edition.
            year?;
            (DiscoveredKind::Kubecon, KUBECON.to_owned(), None)
        } else if let Some((name, _)) = region_word(rest) {
            (DiscoveredKind::Kubecon, format!("{KUBECON} {name}"), None)
        } else {
            let city = places.place(rest).filter(|c| places.hosted(c, None))?;
            (
                DiscoveredKind::Kubecon,
                KUBECON.to_owned(),
                Some(city.to_owned()),
            )
        }
    } else {
        return None;
    };
    if !tagged && letters.len() == raw.len() && city.is_none() && kind == DiscoveredKind::Kcd {
        // "KCDGuatemala" written as a word, not a tag: still a name, but rare enough to
        // require the tag or digits.
        return None;
    }
    let d = Discovered {
        kind,
        series,
        city,
        year,
        relative: None,
        matched: w.span(i, i + 1),
        at: i..i + 1,
        generic: false,
        form: Form::Hashtag,
    };
    Some((d, i + 1))
}

/// After a KubeCon named with a region, ending at `end`: more regions joined to it by "and",
/// "&", "/" or ",", each with its own year or the one they share.
pub(super) fn more_regions(
    w: &Words,
    first: &mut Discovered,
    end: usize,
) -> (Vec<Discovered>, usize) {
    let mut more = Vec::new();
    if first.series == KUBECON || first.city.is_some() {
        return (more, end);
    }
    let mut j = end;
    while j < w.tokens.len() && j > 0 {
        let gap = w.text[w.tokens[j - 1].end..w.tokens[j].start].trim();
        let at = if gap.is_empty() && matches!(w.norm(j), "and" | "y" | "e" | "et") {
            j + 1
        } else if matches!(gap, "&" | "/" | ",") {
            j
        } else {
            break;
        };
        let Some((name, form, next)) = region_at_any(w, at) else {
            break;
        };
        let (year, next) = year_at(w.text, w.tokens, next);
        more.push(Discovered {
            series: format!("{KUBECON} {name}"),
            year,
            matched: w.span(at, next),
            at: at..next,
            form: if form == Form::Name { Form::List } else { form },
            ..first.clone()
        });
        j = next;
    }
    // A year after the last region is every region's: "KubeCon EU and NA 2024".
    if let Some(year) = more.last().and_then(|d| d.year) {
        for d in &mut more {
            d.year.get_or_insert(year);
        }
        if first.relative.is_none() {
            first.year.get_or_insert(year);
        }
    }
    (more, j)
}

/// [`region_at`] wherever the word stands (after a list's comma).
fn region_at_any(w: &Words, j: usize) -> Option<(&'static str, Form, usize)> {
    REGIONS
        .iter()
        .find(|(words, _, _)| w.words_at(j, words))
        .map(|(words, name, form)| (*name, *form, j + words.len()))
}

/// A region and a year packed in one word at `j`: "EU24", "NA2023".
fn region_with_year(w: &Words, j: usize) -> Option<(&'static str, Form, i32)> {
    if j == 0 || j >= w.tokens.len() || !w.adjacent(j - 1, j) || w.used[j] {
        return None;
    }
    let word = w.norm(j);
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &word[letters.len()..];
    let year = match digits.len() {
        2 => 2000 + digits.parse::<i32>().ok()?,
        4 => digits
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..2100).contains(y))?,
        _ => return None,
    };
    let (name, _) = region_word(letters)?;
    Some((name, Form::Abbreviation, year))
}

/// A region written as an adjective right before `k` ("the European KubeCon"): its name and
/// how many words it takes.
pub(super) fn region_before(w: &Words, k: usize) -> Option<(&'static str, usize)> {
    REGION_ADJECTIVES.iter().find_map(|(words, name)| {
        let at = k.checked_sub(words.len())?;
        (w.words_at(at, words) && w.adjacent(k - 1, k)).then_some((*name, words.len()))
    })
}

/// A KubeCon region at `j` (as written in any language): its name, form and the index after.
fn region_at(w: &Words, j: usize) -> Option<(&'static str, Form, usize)> {
    if j == 0 || j >= w.tokens.len() || !w.adjacent(j - 1, j) {
        return None;
    }
    if w.is(j, "us") && w.raw(j) != "US" {
        // "KubeCon gave us": the pronoun, not the country.
        return None;
    }
    region_at_any(w, j)
}
