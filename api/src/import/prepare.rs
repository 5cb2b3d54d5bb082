//! Reading one post file into what the database will hold: parsed, repaired, rendered and
//! read for what it names, without touching the database; and what the database already has.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use entity::post;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde_json::Value;

use super::mentions::{self, Matcher};
use super::post_rows::*;
use super::sync::*;
use super::{IMPORTER_VERSION, Report, frontmatter, mojibake};
use crate::services::markdown;
use crate::services::text::search_text;

/// How one file went.
pub enum Outcome {
    Created {
        mentions: usize,
        discovered: usize,
        repairs: usize,
    },
    Updated {
        mentions: usize,
        discovered: usize,
        repairs: usize,
    },
    Unchanged,
}

impl Outcome {
    pub fn add_to(self, report: &mut Report, path: &Path) {
        let (mentions, discovered, repairs) = match self {
            Outcome::Created {
                mentions,
                discovered,
                repairs,
            } => {
                report.created += 1;
                (mentions, discovered, repairs)
            }
            Outcome::Updated {
                mentions,
                discovered,
                repairs,
            } => {
                report.updated += 1;
                (mentions, discovered, repairs)
            }
            Outcome::Unchanged => {
                report.unchanged += 1;
                return;
            }
        };
        report.mentions += mentions;
        report.events_discovered += discovered;
        if repairs > 0 {
            report.repairs.push((path.to_path_buf(), repairs));
        }
    }
}

/// Repairs every string in a JSON value, counting repairs.
pub(super) fn repair_value(value: &mut Value) -> usize {
    match value {
        Value::String(s) => {
            let (fixed, n) = mojibake::repair(s);
            *s = fixed;
            n
        }
        Value::Array(items) => items.iter_mut().map(repair_value).sum(),
        Value::Object(map) => map.values_mut().map(repair_value).sum(),
        _ => 0,
    }
}

/// A post already in the database, as the importer needs to know it.
#[derive(Debug, Clone)]
pub struct KnownPost {
    pub id: i64,
    pub slug: String,
    pub source_path: String,
    pub content_hash: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// The posts already in the database, by slug and by source path.
#[derive(Debug, Default)]
pub struct Known {
    pub(super) by_slug: HashMap<String, KnownPost>,
    pub(super) hash_by_path: HashMap<String, String>,
}

impl Known {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        use sea_orm::QuerySelect as _;
        let rows: Vec<(i64, String, String, String, i32, DateTime<Utc>)> = post::Entity::find()
            .select_only()
            .columns([
                post::Column::Id,
                post::Column::Slug,
                post::Column::SourcePath,
                post::Column::ContentHash,
                post::Column::Version,
                post::Column::CreatedAt,
            ])
            .into_tuple()
            .all(db)
            .await?;
        let mut known = Known::default();
        for (id, slug, source_path, content_hash, version, created_at) in rows {
            known
                .hash_by_path
                .insert(source_path.clone(), content_hash.clone());
            known.by_slug.insert(
                slug.clone(),
                KnownPost {
                    id,
                    slug,
                    source_path,
                    content_hash,
                    version,
                    created_at,
                },
            );
        }
        Ok(known)
    }

    /// Records a post just written, so later files of the import see it.
    pub fn add(&mut self, post: KnownPost) {
        self.hash_by_path
            .insert(post.source_path.clone(), post.content_hash.clone());
        self.by_slug.insert(post.slug.clone(), post);
    }
}

/// A file read, parsed and rendered, ready to be written.
pub struct Prepared {
    pub(super) slug: String,
    pub(super) source_path: String,
    pub(super) hash: String,
    pub(super) meta: frontmatter::PostMeta,
    pub(super) format: entity::sea_orm_active_enums::FrontMatterFormat,
    pub(super) body: String,
    pub(super) html: String,
    pub(super) summary: Option<String>,
    pub(super) reading_minutes: i32,
    pub(super) search_text: String,
    /// The day the post was published, in its own time zone.
    pub(super) post_day: chrono::NaiveDate,
    pub(super) found: Vec<mentions::Found>,
    pub(super) discovered: Vec<mentions::Discovered>,
    /// People and organizations named in a context that says what they are.
    pub(super) people_orgs: Vec<super::people_orgs::NamedEntity>,
    pub(super) repairs: usize,
}

/// The file's content hash (which changes with the importer's version).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(IMPORTER_VERSION.as_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex().to_string()
}

/// Reads, parses, repairs and renders one file: everything but the database. `Ok(None)` when
/// the file is unchanged since the last import.
pub fn prepare(
    index: &CatalogIndex,
    path: &Path,
    relative: &Path,
    known_hash: Option<&str>,
) -> Result<Option<Prepared>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let hash = content_hash(&bytes);
    if known_hash == Some(hash.as_str()) {
        return Ok(None);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        format!("line {line}: not UTF-8 (invalid byte at offset {at})")
    })?;
    let source_path = relative.to_string_lossy().replace('\\', "/");
    let text = frontmatter::normalize(&text);
    let mut doc = frontmatter::parse(&text).map_err(|e| e.to_string())?;
    let mut repairs = repair_value(&mut doc.front_matter);
    let (body, body_repairs) = mojibake::repair(&doc.body);
    repairs += body_repairs;
    let meta = frontmatter::post_meta(&doc.front_matter).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = post_slug(meta.slug.as_deref().unwrap_or(&stem));
    if slug.is_empty() {
        return Err("no usable slug: set `slug` in the front matter".to_owned());
    }
    let rendered = markdown::render(&body);
    let summary = meta.summary.clone().or_else(|| {
        rendered
            .first_paragraph
            .as_deref()
            .map(|p| markdown::truncate_words(p, 300))
    });
    let plain = format!("{}\n\n{}", meta.title, rendered.text);
    let post_day = meta
        .offset_minutes
        .and_then(|m| FixedOffset::east_opt(m * 60))
        .map_or(meta.published_at.date_naive(), |o| {
            meta.published_at.with_timezone(&o).date_naive()
        });

    let tokens = mentions::tokenize(&plain);
    let mut used = vec![false; tokens.len()];
    let mut found = index.matcher.find(&plain, &tokens, &mut used);
    if let Some(local) = index.source_aliases.get(&slug) {
        let mut matcher = Matcher::default();
        for (name, target) in local {
            matcher.add(name, *target);
        }
        found.extend(matcher.find(&plain, &tokens, &mut used));
    }
    let discovered = mentions::discover(&plain, &tokens, &used, &index.gazetteer);
    let mut taken = used;
    for d in &discovered {
        taken[d.at.clone()].iter_mut().for_each(|t| *t = true);
    }
    let people_orgs =
        super::people_orgs::discover_people_and_organizations(&plain, &tokens, &taken);

    Ok(Some(Prepared {
        search_text: search_text(&[Some(&meta.title), summary.as_deref(), Some(&rendered.text)]),
        reading_minutes: markdown::reading_minutes(&rendered.text),
        html: rendered.html,
        slug,
        source_path,
        hash,
        format: doc.format,
        body,
        summary,
        post_day,
        found,
        discovered,
        people_orgs,
        repairs,
        meta,
    }))
}

impl Known {
    /// Content hash by source path, for the parsers to skip unchanged files.
    pub fn hashes(&self) -> HashMap<String, String> {
        self.hash_by_path.clone()
    }
}

impl Prepared {
    pub fn slug(&self) -> &str {
        &self.slug
    }
}
