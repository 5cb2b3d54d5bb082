//! The editions the catalog knows (series, year, host city, dates) and the places they are held
//! in, against which a mention's host city, abbreviation or relative year resolves to exactly
//! one edition, or to none when it cannot be pinned.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use entity::sea_orm_active_enums::EventKind;

use super::catalog::Catalog;
use super::mentions::{Discovered, DiscoveredKind, Relative};
use crate::services::text::normalize;

/// The series KubeCon editions without a named region belong to, as discovery writes it.
pub const KUBECON: &str = "KubeCon + CloudNativeCon";

/// How far from an edition a post may be written and still be about it, in days.
pub const AROUND_DAYS: i64 = 45;

/// How far from a post "the next" or "the last" edition may be, in days.
const NEXT_OR_LAST_DAYS: i64 = 400;

/// One edition of a KCD or KubeCon series.
#[derive(Debug, Clone)]
pub struct Edition {
    pub series: String,
    pub year: i32,
    pub kind: DiscoveredKind,
    /// Normalized host city.
    pub city: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl Edition {
    /// Whether `day` is within [`AROUND_DAYS`] of the edition's days.
    fn around(&self, day: NaiveDate) -> bool {
        let window = Duration::days(AROUND_DAYS);
        match (self.starts_on, self.ends_on.or(self.starts_on)) {
            (Some(start), Some(end)) => start - window <= day && day <= end + window,
            _ => false,
        }
    }
}

/// What a mention names once resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resolved {
    Edition { series: String, year: i32 },
    Series(String),
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    editions: Vec<Edition>,
    /// Normalized place name (any spelling) → normalized city as events give it.
    places: HashMap<String, String>,
    /// The same, by the name without its spaces ("saltlakecity").
    unspaced: HashMap<String, String>,
    /// Normalized series name → as written.
    series: HashMap<String, String>,
    /// The most words a place name has.
    longest_place: usize,
}

impl Gazetteer {
    pub fn from_catalog(catalog: &Catalog) -> Self {
        let mut g = Gazetteer::default();
        for e in &catalog.events {
            let kind = match e.kind {
                EventKind::Kcd => DiscoveredKind::Kcd,
                EventKind::Kubecon => DiscoveredKind::Kubecon,
                _ => continue,
            };
            let (Some(series), Some(year)) = (&e.series, e.year) else {
                continue;
            };
            let city = e.city.as_deref().map(normalize);
            if let Some(city) = &city {
                g.add_place(city, city.clone());
            }
            g.series.insert(normalize(series), series.clone());
            g.editions.push(Edition {
                series: series.clone(),
                year,
                kind,
                city,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
            });
        }
        for p in &catalog.places {
            let city = normalize(&p.name);
            for name in std::iter::once(&p.name).chain(&p.names) {
                g.add_place(&normalize(name), city.clone());
            }
        }
        g.editions.sort_by_key(|e| (e.starts_on, e.year));
        g
    }

    fn add_place(&mut self, name: &str, city: String) {
        self.longest_place = self.longest_place.max(name.split(' ').count());
        self.unspaced.insert(name.replace(' ', ""), city.clone());
        self.places.insert(name.to_owned(), city);
    }

    /// The city a place name (normalized words, or one word without its spaces, as hashtags
    /// write it) stands for.
    pub fn place(&self, words: &str) -> Option<&str> {
        match self.places.get(words) {
            Some(city) => Some(city),
            None if !words.contains(' ') => self.place_unspaced(words),
            None => None,
        }
    }

    /// The city named by one word written without spaces ("saltlakecity", in a hashtag).
    fn place_unspaced(&self, word: &str) -> Option<&str> {
        self.unspaced.get(word).map(String::as_str)
    }

    pub fn longest_place(&self) -> usize {
        self.longest_place.max(1)
    }

    /// Whether the catalog has a KCD series named after the place (normalized words).
    pub fn knows_kcd(&self, place: &str) -> bool {
        self.series.contains_key(&format!("kcd {place}"))
    }

    /// Whether an edition of the KubeCon `series` (any, when none) was held in the city.
    pub fn hosted(&self, city: &str, series: Option<&str>) -> bool {
        self.editions.iter().any(|e| {
            e.kind == DiscoveredKind::Kubecon
                && e.city.as_deref() == Some(city)
                && series.is_none_or(|s| e.series == s)
        })
    }

    /// The edition or series a mention names, given the day of the post it is in.
    pub fn resolve(&self, d: &Discovered, day: NaiveDate) -> Option<Resolved> {
        let (series, candidates) = self.candidates(d)?;
        if d.generic {
            return series.filter(|s| s != KUBECON).map(Resolved::Series);
        }
        let edition = |e: &Edition| Resolved::Edition {
            series: e.series.clone(),
            year: e.year,
        };
        let only = |list: Vec<&Edition>| match list.as_slice() {
            [one] => Some(edition(one)),
            _ => None,
        };
        if let (None, Some(Relative::Month(month))) = (d.year, d.relative) {
            // "the KubeCon in Paris in March": the one edition held there that month, in
            // whichever year.
            let in_month: Vec<&Edition> = candidates
                .iter()
                .copied()
                .filter(|e| e.starts_on.is_some_and(|s| s.month() == month))
                .collect();
            if d.city.is_some()
                && let Some(one) = only(in_month)
            {
                return Some(one);
            }
        }
        let year = d.year.or_else(|| d.relative.and_then(|r| r.year(day)));
        if let Some(year) = year {
            let mut of_year: Vec<&Edition> = candidates
                .iter()
                .copied()
                .filter(|e| e.year == year)
                .collect();
            if let Some(Relative::Month(month)) = d.relative
                && of_year.len() > 1
            {
                // "KubeCon in May": the one held that month.
                of_year.retain(|e| e.starts_on.is_some_and(|s| s.month() == month));
            }
            return match of_year.len() {
                // An edition the catalog lacks, discovered with its year; a city the
                // catalog places no edition of that year in pins none.
                0 => series
                    .filter(|_| d.city.is_none())
                    .map(|series| Resolved::Edition { series, year }),
                1 => Some(edition(of_year[0])),
                _ => nearest(of_year, day).map(edition),
            };
        }
        // The next or last edition, within about a year of the post.
        let near = |e: &&Edition| {
            e.starts_on
                .is_some_and(|s| (s - day).num_days().abs() <= NEXT_OR_LAST_DAYS)
        };
        let dated = candidates.iter().copied().filter(near);
        let pinned = match d.relative {
            Some(Relative::Upcoming) => dated
                .filter(|e| e.starts_on.is_some_and(|s| s > day))
                .min_by_key(|e| e.starts_on)
                .map(edition),
            Some(Relative::Previous) => dated
                .filter(|e| e.ends_on.or(e.starts_on).is_some_and(|s| s < day))
                .max_by_key(|e| e.starts_on)
                .map(edition),
            _ => None,
        }
        .or_else(|| nearest(candidates.clone(), day).map(edition))
        // A host city names the one edition held there.
        .or_else(|| d.city.as_ref().and_then(|_| only(candidates.clone())));
        if pinned.is_some() {
            return pinned;
        }
        // The series, when the mention names one.
        series
            .or_else(|| {
                let first = candidates.first()?;
                candidates
                    .iter()
                    .all(|e| e.series == first.series)
                    .then(|| first.series.clone())
            })
            .filter(|s| s != KUBECON)
            .map(Resolved::Series)
    }

    /// The series the mention names, if it names one, and the editions it could mean.
    fn candidates(&self, d: &Discovered) -> Option<(Option<String>, Vec<&Edition>)> {
        let known = self.series.get(&normalize(&d.series)).cloned();
        let city = d.city.as_deref().map(normalize);
        let city = city
            .as_deref()
            .map(|c| self.place(c).unwrap_or(c).to_owned());
        let of_kind = self.editions.iter().filter(|e| e.kind == d.kind);
        match d.kind {
            DiscoveredKind::Kcd => {
                if let Some(series) = known {
                    let list = of_kind.filter(|e| e.series == series).collect();
                    return Some((Some(series), list));
                }
                // "KCD Guadalajara": the KCD held in that city, when the catalog has one.
                let place = normalize(d.series.trim_start_matches("KCD "));
                let place = self.place(&place).unwrap_or(&place).to_owned();
                let list: Vec<&Edition> = of_kind
                    .filter(|e| e.city.as_deref() == Some(place.as_str()))
                    .collect();
                if list.is_empty() {
                    Some((Some(d.series.clone()), list))
                } else {
                    Some((None, list))
                }
            }
            DiscoveredKind::Kubecon => {
                let named =
                    (d.series != KUBECON).then(|| known.unwrap_or_else(|| d.series.clone()));
                let list: Vec<&Edition> = of_kind
                    .filter(|e| named.as_ref().is_none_or(|s| e.series == *s))
                    .filter(|e| city.is_none() || e.city == city)
                    .collect();
                if named.is_none() && city.is_some() && list.is_empty() {
                    return None;
                }
                Some((named, list))
            }
        }
    }
}

/// Of the editions held around `day`, the one nearest it; none on a tie.
fn nearest(editions: Vec<&Edition>, day: NaiveDate) -> Option<&Edition> {
    let distance = |e: &Edition| {
        let start = e.starts_on?;
        let end = e.ends_on.unwrap_or(start);
        Some(if day < start {
            (start - day).num_days()
        } else {
            (day - end).num_days().max(0)
        })
    };
    let mut near: Vec<(i64, &Edition)> = editions
        .into_iter()
        .filter(|e| e.around(day))
        .filter_map(|e| Some((distance(e)?, e)))
        .collect();
    near.sort_by_key(|(d, _)| *d);
    match near.as_slice() {
        [(_, one)] => Some(one),
        [(a, one), (b, _), ..] if a < b => Some(one),
        _ => None,
    }
}

impl Relative {
    /// The year it names, relative to the post's day; none for the next or previous edition.
    pub fn year(self, day: NaiveDate) -> Option<i32> {
        let year = day.year();
        match self {
            Relative::Years(n) => Some(year + n),
            Relative::Upcoming | Relative::Previous => None,
            Relative::Days(n) => Some((day + Duration::days(i64::from(n))).year()),
            Relative::Month(m) => {
                // The occurrence of the month nearest the post.
                let month = i64::from(day.month());
                let m = i64::from(m);
                Some(if m - month > 6 {
                    year - 1
                } else if month - m > 6 {
                    year + 1
                } else {
                    year
                })
            }
            Relative::Season { offset, starts } => {
                let month = day.month();
                Some(match offset {
                    0 => year,
                    1 if month < starts => year,
                    1 => year + 1,
                    _ if month > starts + 2 => year,
                    _ => year - 1,
                })
            }
        }
    }
}

#[cfg(test)]
#[path = "gazetteer_tests.rs"]
mod tests;
