//! `eventdir mentions`: what each post of a directory names, and, against a file of what they
//! do name, precision and recall per form of mention.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::ExitCode;

use serde::Deserialize;

use super::MentionsArgs;
use crate::import::named::{PostNames, names_in_dir};
use crate::services::text::normalize;

/// What a post names, as a reader marked it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Edition ("KubeCon + CloudNativeCon Europe 2024") → the class of the words naming it.
    #[serde(default)]
    pub editions: BTreeMap<String, String>,
    /// Series named without an edition.
    #[serde(default)]
    pub series: Vec<String>,
}

/// Found right and wrongly, and missed, in one class.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub right: usize,
    pub wrong: usize,
    pub missed: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.right, self.right + self.missed)
    }
    fn add(&mut self, other: Tally) {
        self.right += other.right;
        self.wrong += other.wrong;
        self.missed += other.missed;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The scores of a run: editions by class, and series.
#[derive(Debug, Default)]
pub struct Score {
    pub by_class: BTreeMap<String, Tally>,
    pub series: Tally,
    /// One line per miss or wrong link.
    pub errors: Vec<String>,
}

impl Score {
    pub fn editions(&self) -> Tally {
        let mut all = Tally::default();
        self.by_class.values().for_each(|t| all.add(*t));
        all
    }
}

/// Scores what was found against what the posts name. A post missing from `expected` names
/// nothing.
pub fn score(found: &[PostNames], expected: &BTreeMap<String, Expected>) -> Score {
    let mut s = Score::default();
    let none = Expected::default();
    for post in found {
        let want = expected.get(&post.file).unwrap_or(&none);
        let want_editions: HashMap<String, &String> = want
            .editions
            .iter()
            .map(|(name, class)| (normalize(name), class))
            .collect();
        let got: HashMap<String, (&str, &str)> = post
            .editions
            .iter()
            .map(|n| (normalize(&n.name), (n.form, n.matched.as_str())))
            .collect();
        for (name, class) in &want.editions {
            let tally = s.by_class.entry(class.clone()).or_default();
            if got.contains_key(&normalize(name)) {
                tally.right += 1;
            } else {
                tally.missed += 1;
                s.errors
                    .push(format!("{}: missed {name} ({class})", post.file));
            }
        }
        for n in &post.editions {
            if !want_editions.contains_key(&normalize(&n.name)) {
                s.by_class.entry(n.form.to_owned()).or_default().wrong += 1;
                s.errors.push(format!(
                    "{}: wrong {} ({}) from {:?}",
                    post.file, n.name, n.form, n.matched
                ));
            }
        }
        let want_series: Vec<String> = want.series.iter().map(|n| normalize(n)).collect();
        let got_series: Vec<String> = post.series.iter().map(|n| normalize(&n.name)).collect();
        for (name, norm) in want.series.iter().zip(&want_series) {
            if got_series.contains(norm) {
                s.series.right += 1;
            } else {
                s.series.missed += 1;
                s.errors
                    .push(format!("{}: missed series {name}", post.file));
            }
        }
        for (n, norm) in post.series.iter().zip(&got_series) {
            if !want_series.contains(norm) {
                s.series.wrong += 1;
                s.errors.push(format!(
                    "{}: wrong series {} from {:?}",
                    post.file, n.name, n.matched
                ));
            }
        }
    }
    s
}

/// Reads an expectations file: post file → what it names.
pub fn load_expected(path: &Path) -> anyhow::Result<BTreeMap<String, Expected>> {
    use anyhow::Context as _;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_norway::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

pub(super) async fn run(args: MentionsArgs) -> anyhow::Result<ExitCode> {
    let catalog = crate::import::load_catalog(args.catalog.as_deref())?;
    let found = names_in_dir(&args.dir, &catalog).await?;
    let Some(expect) = args.expect else {
        for post in &found {
            println!("{}", post.file);
            for n in &post.editions {
                println!("  edition {} ({}) from {:?}", n.name, n.form, n.matched);
            }
            for n in &post.series {
                println!("  series {} from {:?}", n.name, n.matched);
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let expected = load_expected(&expect)?;
    let s = score(&found, &expected);
    for line in &s.errors {
        println!("{line}");
    }
    println!(
        "{:<14} {:>6} {:>6} {:>6} {:>9} {:>7}",
        "class", "right", "wrong", "missed", "precision", "recall"
    );
    let row = |name: &str, t: &Tally| {
        println!(
            "{name:<14} {:>6} {:>6} {:>6} {:>9.3} {:>7.3}",
            t.right,
            t.wrong,
            t.missed,
            t.precision(),
            t.recall()
        );
    };
    for (class, t) in &s.by_class {
        row(class, t);
    }
    let all = s.editions();
    row("editions", &all);
    row("series", &s.series);
    println!("{} posts", found.len());
    let low = args
        .min
        .is_some_and(|min| all.precision() < min || all.recall() < min);
    Ok(if low {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
