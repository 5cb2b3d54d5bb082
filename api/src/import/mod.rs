//! The corpus importer: Hugo posts from a directory, the curated catalog, mentions and
//! discovered events. Each file is imported in a transaction of its own; a bad file is
//! reported and the others still import; an unchanged file (same content hash) is skipped.

pub mod catalog;
pub mod frontmatter;
pub mod markdown;
pub mod mentions;
pub mod mojibake;
mod store;

use std::path::{Path, PathBuf};

use sea_orm::DatabaseConnection;

pub use catalog::Catalog;
pub use store::CatalogIndex;

/// Bumped when the importer's output for the same file changes, so posts are re-imported.
pub const IMPORTER_VERSION: &str = "1";

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
            "files read {}, posts created {}, updated {}, unchanged {}, failed {}, mentions {}, events discovered {}, repairs {}",
            self.files_read,
            self.created,
            self.updated,
            self.unchanged,
            self.failed(),
            self.mentions,
            self.events_discovered,
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

/// Imports the catalog, then every post under `dir`.
pub async fn import_dir(
    db: &DatabaseConnection,
    dir: &Path,
    catalog: &Catalog,
    progress: Progress,
) -> anyhow::Result<Report> {
    use anyhow::Context as _;
    let files = content_files(dir)
        .with_context(|| format!("cannot read the corpus at {}", dir.display()))?;
    let index = store::sync_catalog(db, catalog)
        .await
        .context("importing the catalog")?;
    let bar = progress_bar(progress, files.len());
    let mut report = Report::default();
    for (n, path) in files.iter().enumerate() {
        report.files_read += 1;
        let relative = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
        match store::import_file(db, &index, path, &relative).await {
            Ok(outcome) => outcome.add_to(&mut report, &relative),
            Err(reason) => {
                let failure = Failure {
                    path: path.clone(),
                    reason,
                };
                match &bar {
                    Some(bar) => {
                        bar.println(format!("{}: {}", failure.path.display(), failure.reason))
                    }
                    None if progress == Progress::Auto => {
                        eprintln!("{}: {}", failure.path.display(), failure.reason)
                    }
                    None => {}
                }
                report.failures.push(failure);
            }
        }
        match &bar {
            Some(bar) => bar.inc(1),
            None if progress == Progress::Auto && (n + 1) % 1000 == 0 => {
                eprintln!("imported {}/{} files", n + 1, files.len())
            }
            None => {}
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
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
