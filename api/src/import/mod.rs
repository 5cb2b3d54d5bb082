//! The corpus importer: Hugo posts from a directory, the curated catalog, mentions and
//! discovered events. Each file is imported in a transaction of its own; a bad file is
//! reported and the others still import; an unchanged file (same content hash) is skipped.

pub mod catalog;
mod catalog_check;
mod cite_children;
pub mod frontmatter;
pub mod gazetteer;
pub mod mentions;
pub mod mojibake;
pub mod named;
pub mod people_orgs;
mod post_mentions;
mod post_people;
mod post_rows;
mod prepare;
mod prune;
mod sync;
mod sync_children;
mod write;

use std::path::{Path, PathBuf};

use sea_orm::DatabaseConnection;

pub use catalog::Catalog;
pub use sync::CatalogIndex;

/// Bumped when the importer's output for the same file changes, so posts are re-imported.
pub const IMPORTER_VERSION: &str = "4";

/// One file that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: PathBuf,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub files_read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failures: Vec<Failure>,
    pub mentions: usize,
    pub events_discovered: usize,
    /// Discovered records no post names any more, withdrawn.
    pub withdrawn: usize,
    /// Mojibake repairs per file, for files that had any.
    pub repairs: Vec<(PathBuf, usize)>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// The summary printed after an import.
    pub fn summary(&self) -> String {
        format!(
            "files read {}, posts created {}, updated {}, unchanged {}, failed {}, mentions {}, events discovered {}, withdrawn {}, repairs {}",
            self.files_read,
            self.created,
            self.updated,
            self.unchanged,
            self.failed(),
            self.mentions,
            self.events_discovered,
            self.withdrawn,
            self.repairs.iter().map(|(_, n)| n).sum::<usize>()
        )
    }
}

/// The Markdown files under `dir`, sorted, Hugo's `_index.md` list pages left out.
pub fn content_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
                && path.file_name().is_some_and(|n| n != "_index.md")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The catalog at `path`, or the one shipped with the binary.
pub fn load_catalog(path: Option<&Path>) -> Result<Catalog, catalog::CatalogError> {
    match path {
        Some(path) => catalog::load_file(path),
        None => catalog::parse(catalog::EMBEDDED_NAME, catalog::EMBEDDED),
    }
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nothing (tests, start-up).
    Quiet,
    /// A bar on a terminal, plain lines otherwise.
    Auto,
}

/// Files parsed and rendered ahead of the writer, and written per transaction.
const BATCH: usize = 256;

/// Imports the catalog, then every post under `dir`.
///
/// Files are read, parsed and rendered on blocking threads in parallel; the writer stores them
/// in batches, each file inside a savepoint of its own, so a file is imported whole or not at
/// all and a bad one never takes its neighbours with it.
pub async fn import_dir(
    db: &DatabaseConnection,
    dir: &Path,
    catalog: &Catalog,
    progress: Progress,
) -> anyhow::Result<Report> {
    use anyhow::Context as _;
    use futures_util::StreamExt as _;
    use sea_orm::TransactionTrait as _;

    let files = content_files(dir)
        .with_context(|| format!("cannot read the corpus at {}", dir.display()))?;
    let index = std::sync::Arc::new(
        sync::sync_catalog(db, catalog)
            .await
            .context("importing the catalog")?,
    );
    let mut known = prepare::Known::load(db).await?;
    let known_hashes = std::sync::Arc::new(known.hashes());
    let mut caches = write::Caches::default();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let bar = progress_bar(progress, files.len());
    let mut report = Report::default();
    let total = files.len();

    // Parsers run ahead of the writer, in file order, on blocking threads.
    let (tx, mut rx) = tokio::sync::mpsc::channel(BATCH);
    let producer = {
        let index = index.clone();
        let dir = dir.to_path_buf();
        tokio::spawn(async move {
            // A few files per blocking task: fewer thread hand-offs than one task a file.
            let chunks: Vec<Vec<PathBuf>> = files.chunks(16).map(<[PathBuf]>::to_vec).collect();
            let mut results = futures_util::stream::iter(chunks)
                .map(|chunk| {
                    let index = index.clone();
                    let known_hashes = known_hashes.clone();
                    let dir = dir.clone();
                    tokio::task::spawn_blocking(move || {
                        chunk
                            .into_iter()
                            .map(|path| {
                                let relative =
                                    path.strip_prefix(&dir).unwrap_or(&path).to_path_buf();
                                let key = relative.to_string_lossy().replace('\\', "/");
                                let known_hash = known_hashes.get(&key).map(String::as_str);
                                let result = prepare::prepare(&index, &path, &relative, known_hash);
                                (path, relative, result)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .buffered(workers * 2);
            while let Some(joined) = results.next().await {
                let Ok(prepared) = joined else {
                    break;
                };
                for item in prepared {
                    if tx.send(item).await.is_err() {
                        return;
                    }
                }
            }
        })
    };

    let mut done = 0;
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        if rx.recv_many(&mut batch, BATCH).await == 0 {
            break;
        }
        // Like every write, a batch holds the data version: readers see the change, and the
        // events it discovers enter the change feed in commit order.
        let txn = crate::services::writes::begin(db).await?;
        let mut outcomes = Vec::new();
        let mut failures = Vec::new();
        let mut prepared = Vec::new();
        for joined in batch.drain(..) {
            let (path, relative, result) = joined;
            match result {
                Ok(Some(p)) => prepared.push((path, relative, p)),
                Ok(None) => outcomes.push((relative, prepare::Outcome::Unchanged)),
                Err(reason) => failures.push(Failure { path, reason }),
            }
        }
        // New posts with distinct slugs go in together; the rest, and the whole batch if that
        // fails, one file at a time.
        let mut slugs = std::collections::HashSet::new();
        let (fresh, single): (Vec<_>, Vec<_>) = prepared
            .into_iter()
            .partition(|(_, _, p)| write::is_new(&known, p) && slugs.insert(p.slug().to_owned()));
        let mut single = single;
        if !fresh.is_empty() {
            let savepoint = txn.begin().await?;
            let posts: Vec<&prepare::Prepared> = fresh.iter().map(|(_, _, p)| p).collect();
            match write::write_new_batch(&savepoint, &index, &mut caches, &posts).await {
                Ok(written) => {
                    savepoint.commit().await?;
                    for ((_, relative, _), (outcome, post)) in fresh.into_iter().zip(written) {
                        known.add(post);
                        outcomes.push((relative, outcome));
                    }
                }
                Err(_) => {
                    savepoint.rollback().await?;
                    caches.clear();
                    single.splice(0..0, fresh);
                }
            }
        }
        for (path, relative, prepared) in single {
            let savepoint = txn.begin().await?;
            match write::write(&savepoint, &index, &known, &mut caches, &prepared).await {
                Ok((outcome, post)) => {
                    savepoint.commit().await?;
                    known.add(post);
                    outcomes.push((relative, outcome));
                }
                Err(err) => {
                    savepoint.rollback().await?;
                    caches.clear();
                    failures.push(Failure {
                        path,
                        reason: err.to_string(),
                    });
                }
            }
        }
        if let Err(err) = txn.commit().await {
            // Nothing of this batch was stored: report every file of it.
            known = prepare::Known::load(db).await?;
            caches.clear();
            for (relative, _) in outcomes.drain(..) {
                failures.push(Failure {
                    path: dir.join(relative),
                    reason: format!("database error: {err}"),
                });
            }
        }
        done += outcomes.len() + failures.len();
        report.files_read += outcomes.len() + failures.len();
        for (relative, outcome) in outcomes {
            outcome.add_to(&mut report, &relative);
        }
        for failure in failures {
            match &bar {
                Some(bar) => bar.println(format!("{}: {}", failure.path.display(), failure.reason)),
                None if progress == Progress::Auto => {
                    eprintln!("{}: {}", failure.path.display(), failure.reason)
                }
                None => {}
            }
            report.failures.push(failure);
        }
        match &bar {
            Some(bar) => bar.set_position(done as u64),
            None if progress == Progress::Auto && total > BATCH => {
                eprintln!("imported {done}/{total} files")
            }
            None => {}
        }
    }
    producer.await.context("the parser task failed")?;
    anyhow::ensure!(
        done == total,
        "a parser thread failed after {done} of {total} files"
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report.failures.sort_by(|a, b| a.path.cmp(&b.path));
    report.repairs.sort();
    cite_children::cite_children(db, catalog)
        .await
        .context("citing the catalog's talks, sponsors and people")?;
    report.withdrawn = prune::prune_discovered(db)
        .await
        .context("withdrawing discovered records no post names")?;
    if report.created + report.updated > 0 {
        crate::db::analyze(db).await?;
    }
    Ok(report)
}

fn progress_bar(progress: Progress, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if progress != Progress::Auto || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} posts {per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
