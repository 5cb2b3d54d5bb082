//! What a post names, before the database is asked: records of the catalog by id, editions by
//! series and year, series by name. The importer links them; the mention benchmark scores them.

use std::collections::HashSet;

use super::gazetteer::{KUBECON, Resolved};
use super::mentions::{DiscoveredKind, Form, Target};
use super::prepare::Prepared;
use super::sync::CatalogIndex;

/// One thing a post names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Named {
    /// A record the catalog's names matched.
    Known(Target),
    Edition {
        series: String,
        year: i32,
        kind: DiscoveredKind,
    },
    /// A series named without one of its editions.
    Series {
        series: String,
        kind: DiscoveredKind,
    },
}

/// A thing named and the first words that named it.
#[derive(Debug, Clone)]
pub struct Link {
    pub named: Named,
    pub matched: String,
    /// How the grammar read it; none for a catalog name.
    pub form: Option<Form>,
}

/// Everything the post names, each once. A series named without a year is the series, unless
/// the post also names one of its editions (the one it is about).
pub fn named_in(index: &CatalogIndex, p: &Prepared) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |links: &mut Vec<Link>, named: Named, matched: &str, form| {
        if seen.insert(named.clone()) {
            links.push(Link {
                named,
                matched: matched.to_owned(),
                form,
            });
        }
    };
    for f in &p.found {
        push(&mut links, Named::Known(f.target), &f.matched, None);
    }
    let resolved: Vec<_> = p
        .discovered
        .iter()
        .filter_map(|d| Some((d, index.gazetteer.resolve(d, p.post_day)?)))
        .collect();
    let mut with_edition: HashSet<String> = p
        .found
        .iter()
        .filter_map(|f| match f.target {
            Target::Event(id) => index.events.get(&id).and_then(|e| e.series.clone()),
            _ => None,
        })
        .collect();
    // Editions the catalog's names already found, by series and year.
    let known: HashSet<(String, i32)> = p
        .found
        .iter()
        .filter_map(|f| match f.target {
            Target::Event(id) => index
                .events
                .get(&id)
                .and_then(|e| Some((e.series.clone()?, e.year?))),
            _ => None,
        })
        .collect();
    // "The next KubeCon" gives way to the edition the post names with its region or city.
    let specific = resolved.iter().any(|(d, r)| {
        d.kind == DiscoveredKind::Kubecon
            && (d.series != KUBECON || d.city.is_some())
            && matches!(r, Resolved::Edition { .. })
    });
    for (d, r) in &resolved {
        if specific && d.kind == DiscoveredKind::Kubecon && d.series == KUBECON && d.city.is_none()
        {
            continue;
        }
        if let Resolved::Edition { series, year } = r {
            with_edition.insert(series.clone());
            if known.contains(&(series.clone(), *year)) {
                continue;
            }
            let named = Named::Edition {
                series: series.clone(),
                year: *year,
                kind: d.kind,
            };
            push(&mut links, named, &d.matched, Some(d.form));
        }
    }
    for (d, r) in resolved {
        if let Resolved::Series(series) = r
            && !with_edition.contains(&series)
        {
            let named = Named::Series {
                series,
                kind: d.kind,
            };
            push(&mut links, named, &d.matched, Some(d.form));
        }
    }
    links
}

/// What one post names, as names a reader can compare: editions ("KubeCon + CloudNativeCon
/// Europe 2024") and series named without one.
#[derive(Debug, Clone)]
pub struct PostNames {
    /// The file, relative to the directory read.
    pub file: String,
    pub editions: Vec<NameFound>,
    pub series: Vec<NameFound>,
}

#[derive(Debug, Clone)]
pub struct NameFound {
    pub name: String,
    /// The grammar's form, or `catalog` for a name the catalog lists.
    pub form: &'static str,
    pub matched: String,
}

/// Reads every post under `dir` as the importer does, against `catalog`, without writing the
/// posts anywhere (the catalog goes to a database in memory, for its ids).
pub async fn names_in_dir(
    dir: &std::path::Path,
    catalog: &super::Catalog,
) -> anyhow::Result<Vec<PostNames>> {
    use anyhow::Context as _;
    let mut options = sea_orm::ConnectOptions::new("sqlite::memory:");
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let db = sea_orm::Database::connect(options).await?;
    crate::db::migrate(&db).await?;
    let index = super::sync::sync_catalog(&db, catalog).await?;
    let mut out = Vec::new();
    for path in super::content_files(dir)? {
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        let p = super::prepare::prepare(&index, &path, relative, None)
            .map_err(|e| anyhow::anyhow!(e))
            .with_context(|| format!("reading {}", path.display()))?
            .context("unchanged")?;
        let mut names = PostNames {
            file: relative.to_string_lossy().replace('\\', "/"),
            editions: Vec::new(),
            series: Vec::new(),
        };
        for link in named_in(&index, &p) {
            let form = link.form.map_or("catalog", Form::label);
            let (name, list) = match link.named {
                Named::Known(Target::Event(id)) => match index.events.get(&id) {
                    Some(e) => (e.edition_name(), &mut names.editions),
                    None => continue,
                },
                Named::Known(_) => continue,
                Named::Edition { series, year, .. } => {
                    (format!("{series} {year}"), &mut names.editions)
                }
                Named::Series { series, .. } => (series, &mut names.series),
            };
            list.push(NameFound {
                name,
                form,
                matched: link.matched,
            });
        }
        out.push(names);
    }
    Ok(out)
}
