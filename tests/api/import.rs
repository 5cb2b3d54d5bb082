//! Importing the blog corpus and small corpora of our own.

use std::path::{Path, PathBuf};

use api::import::{self, Progress, Report};
use entity::prelude::*;
use entity::sea_orm_active_enums::{EventStatus, FrontMatterFormat, TermKind};
use entity::{event, mention, post, post_author, term};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, ModelTrait, QueryFilter, QueryOrder};

use crate::helpers::TestDb;

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/blog")
}

async fn migrated() -> (TestDb, DatabaseConnection) {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    Migrator::up(&db, None).await.expect("migrate");
    (test_db, db)
}

async fn import(db: &DatabaseConnection, dir: &Path) -> Report {
    let catalog = import::load_catalog(None).expect("catalog");
    import::import_dir(db, dir, &catalog, Progress::Quiet)
        .await
        .expect("import")
}

async fn post_by_slug(db: &DatabaseConnection, slug: &str) -> post::Model {
    Post::find()
        .filter(post::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no post {slug}"))
}

/// Slugs of what a post mentions: (events, people, organizations).
async fn mentioned(
    db: &DatabaseConnection,
    post: &post::Model,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut events: Vec<String> = post
        .find_related(Event)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.slug)
        .collect();
    let rows = post.find_related(Mention).all(db).await.unwrap();
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    for m in rows {
        if let Some(id) = m.person_id {
            people.push(Person::find_by_id(id).one(db).await.unwrap().unwrap().slug);
        }
        if let Some(id) = m.organization_id {
            orgs.push(
                Organization::find_by_id(id)
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap()
                    .slug,
            );
        }
    }
    events.sort();
    people.sort();
    orgs.sort();
    (events, people, orgs)
}

async fn terms(db: &DatabaseConnection, post: &post::Model, kind: TermKind) -> Vec<String> {
    post.find_related(Term)
        .filter(term::Column::Kind.eq(kind))
        .order_by_asc(term::Column::Slug)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect()
}

async fn authors(db: &DatabaseConnection, post: &post::Model) -> Vec<String> {
    post.find_related(PostAuthor)
        .order_by_asc(post_author::Column::Position)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect()
}

fn written(post: &post::Model) -> String {
    match post.published_offset_minutes {
        Some(minutes) => post
            .published_at
            .with_timezone(&chrono::FixedOffset::east_opt(minutes * 60).unwrap())
            .to_rfc3339(),
        None => post.published_at.naive_utc().to_string(),
    }
}

#[tokio::test]
async fn the_blog_corpus_imports_with_exact_metadata() {
    let (_test_db, db) = migrated().await;
    let report = import(&db, &corpus_dir()).await;

    assert_eq!(
        (report.files_read, report.created, report.failed()),
        (5, 5, 0),
        "{report:?}"
    );
    let expected = [
        (
            "ccoss-kcd-gdl-2024",
            "The fifth edition of CCOSS and the first KCD in Mexico",
            "2024-02-14T23:48:08-06:00",
            FrontMatterFormat::Yaml,
        ),
        (
            "kcd-colombia-2025",
            "KCD Colombia 2025: Bogotá to Host Major Cloud-Native, OpenInfra, and OSPO Gathering",
            "2025-08-29T09:00:00-05:00",
            FrontMatterFormat::Yaml,
        ),
        (
            "kubecon-2023-Architecting-Futures",
            "Kubecon 2023: Architecting Futures",
            "2023-11-22T15:06:15-06:00",
            FrontMatterFormat::Yaml,
        ),
        (
            "kubecon-cloudnativecon-eu-2023-takeaways",
            "Takeaways from attending KubeCon+CloudNativeCon Europe 2023, wearing many hats",
            "2023-05-06 00:00:00",
            FrontMatterFormat::Toml,
        ),
        (
            "kubecon-na-2025",
            "Being part of KubeCon + CloudNativeCon NA 2025",
            "2025-12-21 10:00:00",
            FrontMatterFormat::Yaml,
        ),
    ];
    for (slug, title, published, format) in expected {
        let post = post_by_slug(&db, slug).await;
        assert_eq!(post.title, title);
        assert_eq!(written(&post), published, "{slug}");
        assert_eq!(post.front_matter_format, format, "{slug}");
        assert!(
            !post.body_html.contains("{{<"),
            "{slug} shows a raw shortcode"
        );
        assert!(!post.body_html.contains("<script"), "{slug}");
        assert!(!post.draft);
        assert!(post.reading_minutes >= 1);
        assert_eq!(post.content_hash.len(), 64);
        assert!(
            post.summary.as_deref().is_some_and(|s| !s.is_empty()),
            "{slug}"
        );
    }

    let colombia = post_by_slug(&db, "kcd-colombia-2025").await;
    assert_eq!(
        terms(&db, &colombia, TermKind::Tag).await,
        [
            "Bogota",
            "CloudNative",
            "Colombia",
            "DevOps",
            "KCD",
            "Kubernetes",
            "OpenInfra",
            "OSPO"
        ]
    );
    assert_eq!(terms(&db, &colombia, TermKind::Category).await, ["blog"]);
    assert_eq!(authors(&db, &colombia).await, ["oss.lat"]);
    assert!(colombia.body_markdown.contains("Get ready, Bogotá!"));
    assert!(!colombia.body_markdown.contains('√'));

    let futures = post_by_slug(&db, "kubecon-2023-Architecting-Futures").await;
    assert_eq!(authors(&db, &futures).await, ["Teyza Ponce"]);
    assert!(futures.body_markdown.contains("Medellín"));
    assert_eq!(
        futures.images,
        serde_json::json!(["images/blog/kubecon-2023-Architecting-Futures.jpg"])
    );

    let takeaways = post_by_slug(&db, "kubecon-cloudnativecon-eu-2023-takeaways").await;
    assert_eq!(authors(&db, &takeaways).await, ["Kristina D."]);
    assert!(takeaways.body_markdown.contains("with the community😺"));
    assert!(!takeaways.body_markdown.contains('\u{F8FF}'));
    assert!(
        takeaways.body_html.contains("<nav class=\"toc\">"),
        "the table of contents shortcode is rendered"
    );
    assert_eq!(
        takeaways.summary.as_deref(),
        Some(
            "In this blog post I will share my reflections and takeaways from attending KubeCon+CloudNativeCon Europe 2023 wearing multiple hats: speaker, CNCF ambassador, KCD organizer and attendee."
        )
    );
    assert!(
        terms(&db, &takeaways, TermKind::Tag)
            .await
            .contains(&"platformengineering".to_owned())
    );
    let repaired: Vec<_> = report
        .repairs
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        repaired.contains(&"kcd-colombia-2025.md".to_owned()),
        "{repaired:?}"
    );
    assert!(repaired.contains(&"kubecon-cloudnativecon-eu-2023-takeaways.md".to_owned()));

    let na = post_by_slug(&db, "kubecon-na-2025").await;
    assert!(authors(&db, &na).await.is_empty());
}

#[tokio::test]
async fn posts_are_linked_to_what_they_name() {
    let (_test_db, db) = migrated().await;
    import(&db, &corpus_dir()).await;

    let ccoss = post_by_slug(&db, "ccoss-kcd-gdl-2024").await;
    let (events, people, orgs) = mentioned(&db, &ccoss).await;
    assert!(events.contains(&"kcd-mexico-2024".to_owned()), "{events:?}");
    assert!(events.contains(&"ccoss-2024".to_owned()), "{events:?}");
    for speaker in [
        "whitney-lee",
        "lewis-denham-parry",
        "rich-bowen",
        "ramiro-berrelleza",
        "audra-montenegro",
        "kai-hoffman",
        "andres-almiray",
    ] {
        assert!(
            people.contains(&speaker.to_owned()),
            "{speaker} missing from {people:?}"
        );
    }
    for sponsor in ["digital-challengers", "suse", "civo", "oracle"] {
        assert!(
            orgs.contains(&sponsor.to_owned()),
            "{sponsor} missing from {orgs:?}"
        );
    }

    let takeaways = post_by_slug(&db, "kubecon-cloudnativecon-eu-2023-takeaways").await;
    let (events, people, _) = mentioned(&db, &takeaways).await;
    assert!(
        events.contains(&"kubecon-cloudnativecon-europe-2023".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"kcd-norway-2024".to_owned()), "{events:?}");
    assert!(people.contains(&"liz-rice".to_owned()));
    // "Max Korbacher" in one link and "Max Körbächer" in another are one person.
    assert!(people.contains(&"max-korbacher".to_owned()));

    let futures = post_by_slug(&db, "kubecon-2023-Architecting-Futures").await;
    let (events, ..) = mentioned(&db, &futures).await;
    for slug in [
        "kubecon-cloudnativecon-north-america-2023",
        "kcd-mexico-2024",
        "kcd-costa-rica-2024",
        "kcd-medellin-2023",
        "kcd-guatemala-2023",
        "kcd-san-salvador-2023",
    ] {
        assert!(
            events.contains(&slug.to_owned()),
            "{slug} missing from {events:?}"
        );
    }

    // The matched text is stored as written.
    let m = Mention::find()
        .filter(mention::Column::PostId.eq(futures.id))
        .filter(mention::Column::EventId.is_not_null())
        .all(&db)
        .await
        .unwrap();
    assert!(m.iter().any(|m| m.matched_text == "Medellín"), "{m:?}");

    // Catalog facts.
    let kcd = Event::find()
        .filter(event::Column::Slug.eq("kcd-mexico-2024"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    // "more than 300 attendees" is the joint CCOSS-KCD day's figure: neither event's own.
    assert_eq!(kcd.attendees, None);
    assert!(kcd.description.as_deref().unwrap().contains("joint day"));
    assert_eq!(kcd.city.as_deref(), Some("Guadalajara"));
    let co = kcd
        .find_linked(event::CoLocatedWithLink)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(co.slug, "ccoss-2024");
}

/// Every row of the tables an import writes, as comparable text.
async fn snapshot(db: &DatabaseConnection) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    rows.extend(
        Post::find()
            .order_by_asc(post::Column::Id)
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Event::find()
            .order_by_asc(event::Column::Id)
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Person::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Organization::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Mention::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Talk::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        TalkSpeaker::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Sponsorship::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Organizer::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        PostAuthor::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        PostTerm::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        Term::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows.extend(
        SlugAlias::find()
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| format!("{r:?}")),
    );
    rows
}

#[tokio::test]
async fn a_second_import_changes_nothing() {
    let (_test_db, db) = migrated().await;
    import(&db, &corpus_dir()).await;
    let before = snapshot(&db).await;

    let report = import(&db, &corpus_dir()).await;

    assert_eq!(
        (report.unchanged, report.created, report.updated),
        (5, 0, 0)
    );
    assert_eq!(snapshot(&db).await, before);
}

/// A directory of posts written by the test.
struct Corpus(tempfile::TempDir);

impl Corpus {
    fn new(files: &[(&str, &[u8])]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        Corpus(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

#[tokio::test]
async fn every_front_matter_format_bom_crlf_and_drafts_import() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        ("yaml.md", b"---\ntitle: YAML post\ndate: 2024-03-01\nauthor: Ana\ntags: [one, two]\n---\nFirst paragraph.\n"),
        ("toml.md", b"+++\ntitle = \"TOML post\"\ndate = 2024-03-02T10:00:00+02:00\nauthors = [\"Ana\", \"Bo\"]\ncategories = [\"news\"]\n+++\nBody.\n"),
        ("json.md", b"{\n  \"title\": \"JSON post\",\n  \"date\": \"2024-03-03T08:00:00Z\",\n  \"slug\": \"json-post/\",\n  \"summary\": \"Given.\"\n}\nBody.\n"),
        ("nested/bom.md", b"\xEF\xBB\xBF---\r\ntitle: BOM post\r\ndate: 2024-03-04\r\n---\r\nLine one\r\nline two.\r\n"),
        ("draft.md", b"---\ntitle: Draft post\ndate: 2024-03-05\ndraft: true\n---\nNot yet.\n"),
    ]);

    let report = import(&db, corpus.path()).await;

    assert_eq!((report.created, report.failed()), (5, 0), "{report:?}");
    let yaml = post_by_slug(&db, "yaml").await;
    assert_eq!(yaml.front_matter_format, FrontMatterFormat::Yaml);
    assert_eq!(yaml.summary.as_deref(), Some("First paragraph."));
    assert_eq!(terms(&db, &yaml, TermKind::Tag).await, ["one", "two"]);
    let toml = post_by_slug(&db, "toml").await;
    assert_eq!(toml.front_matter_format, FrontMatterFormat::Toml);
    assert_eq!(written(&toml), "2024-03-02T10:00:00+02:00");
    assert_eq!(authors(&db, &toml).await, ["Ana", "Bo"]);
    let json = post_by_slug(&db, "json-post").await;
    assert_eq!(json.front_matter_format, FrontMatterFormat::Json);
    assert_eq!(json.summary.as_deref(), Some("Given."));
    let bom = post_by_slug(&db, "bom").await;
    assert_eq!(bom.title, "BOM post");
    assert!(!bom.body_markdown.contains('\r'));
    assert_eq!(bom.source_path, "nested/bom.md");
    assert!(post_by_slug(&db, "draft").await.draft);
}

#[tokio::test]
async fn bad_files_are_reported_and_the_rest_import() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        (
            "good.md",
            b"---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n",
        ),
        (
            "unterminated.md",
            b"---\ntitle: Never closed\ndate: 2024-01-01\n",
        ),
        (
            "bad-yaml.md",
            b"---\ntitle: [unclosed\ndate: 2024-01-01\n---\n",
        ),
        ("bad-toml.md", b"+++\ntitle = \"x\"\ndate = \n+++\n"),
        ("bad-json.md", b"{\"title\": \"x\",, }\n"),
        (
            "latin1.md",
            b"---\ntitle: Bogot\xE1\ndate: 2024-01-01\n---\n",
        ),
        ("untitled.md", b"---\ndate: 2024-01-01\n---\nNo title.\n"),
    ]);

    let report = import(&db, corpus.path()).await;

    assert_eq!(
        (report.files_read, report.created, report.failed()),
        (7, 1, 6),
        "{report:?}"
    );
    let reason = |name: &str| {
        report
            .failures
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported"))
            .reason
            .clone()
    };
    assert!(reason("unterminated.md").contains("unterminated"));
    assert!(
        reason("bad-yaml.md").contains("invalid YAML") && reason("bad-yaml.md").contains("line"),
        "{}",
        reason("bad-yaml.md")
    );
    assert!(
        reason("bad-toml.md").starts_with("line 3"),
        "{}",
        reason("bad-toml.md")
    );
    assert!(
        reason("bad-json.md").contains("line 1, column"),
        "{}",
        reason("bad-json.md")
    );
    assert!(reason("latin1.md").contains("not UTF-8"));
    assert!(reason("untitled.md").contains("no title"));
    assert_eq!(Post::find().all(&db).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_kcd_the_catalog_lacks_is_discovered_once() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        ("a.md", b"---\ntitle: Off to KCD Atlantis 2031\ndate: 2031-01-10\n---\nSee you at KCD Atlantis.\n"),
        ("b.md", b"---\ntitle: Recap\ndate: 2031-05-01\n---\nKCD Atlantis was great, and so was Kubernetes Community Days Atlantis.\n"),
    ]);

    let report = import(&db, corpus.path()).await;

    assert_eq!(report.events_discovered, 1, "{report:?}");
    let found = Event::find()
        .filter(event::Column::Series.eq("kcd-atlantis"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let atlantis = &found[0];
    assert_eq!(atlantis.status, EventStatus::Unverified);
    assert_eq!(atlantis.slug, "kcd-atlantis-2031");
    assert_eq!(atlantis.year, Some(2031));
    let first = post_by_slug(&db, "a").await;
    assert_eq!(atlantis.discovered_in_post_id, Some(first.id));
    // The words that made it back its name and year.
    let sources = api::services::sources::of(
        &db,
        entity::sea_orm_active_enums::EntityType::Event,
        atlantis.id,
    )
    .await
    .unwrap();
    assert_eq!(sources.len(), 1, "{sources:?}");
    let post = sources[0].post.as_ref().expect("a post");
    assert_eq!(post.slug, "a");
    assert_eq!(post.quote.as_deref(), Some("KCD Atlantis 2031"));
    assert_eq!(sources[0].fields, ["name", "year"]);
    // The post names the 2031 edition; "KCD Atlantis" there is that edition.
    let (events, ..) = mentioned(&db, &first).await;
    assert_eq!(events, ["kcd-atlantis-2031"]);
    // A post naming the series without a year names the series: no edition is made up from
    // the post's date.
    let recap = post_by_slug(&db, "b").await;
    let (events, ..) = mentioned(&db, &recap).await;
    assert!(events.is_empty(), "{events:?}");
    let series = entity::series::Entity::find()
        .filter(entity::series::Column::Slug.eq("kcd-atlantis"))
        .one(&db)
        .await
        .unwrap()
        .expect("the series");
    let rows = entity::mention::Entity::find()
        .filter(entity::mention::Column::PostId.eq(recap.id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].series_id, Some(series.id));
}

#[tokio::test]
async fn a_series_named_without_a_year_is_no_edition() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[(
        "na.md",
        b"---
title: Being at KubeCon
date: 2035-11-20
---
I was part of the KCD Lyonesse and KCD Avalon organizers. The day we presented, together with KCD Ys and Camelot, the kiosk was full.
",
    )]);

    let report = import(&db, corpus.path()).await;

    assert_eq!(report.events_discovered, 0, "{report:?}");
    let mut named: Vec<String> = entity::series::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .filter(|s| ["kcd-lyonesse", "kcd-avalon", "kcd-ys", "kcd-camelot"].contains(&s.as_str()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        ["kcd-avalon", "kcd-camelot", "kcd-lyonesse", "kcd-ys"]
    );
    let post = post_by_slug(&db, "na").await;
    let series_mentions = entity::mention::Entity::find()
        .filter(entity::mention::Column::PostId.eq(post.id))
        .filter(entity::mention::Column::SeriesId.is_not_null())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(series_mentions.len(), 4);
}

#[tokio::test]
async fn a_changed_post_is_updated_in_place() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[(
        "p.md",
        b"---\ntitle: Before\ndate: 2024-01-01\n---\nKCD Mexico 2024 was fun.\n",
    )]);
    import(&db, corpus.path()).await;
    let before = post_by_slug(&db, "p").await;

    std::fs::write(
        corpus.path().join("p.md"),
        b"---\ntitle: After\ndate: 2024-01-01\n---\nCCOSS was fun.\n",
    )
    .unwrap();
    let report = import(&db, corpus.path()).await;

    assert_eq!(report.updated, 1);
    let after = post_by_slug(&db, "p").await;
    assert_eq!(after.id, before.id);
    assert_eq!(after.title, "After");
    assert_eq!(after.version, before.version + 1);
    let (events, ..) = mentioned(&db, &after).await;
    assert_eq!(events, ["ccoss-2024"]);
}

#[tokio::test]
async fn serve_imports_the_corpus_into_an_empty_database_before_answering() {
    let app = crate::helpers::TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await;

    let body = app.get_json("/api/v1/events?limit=100", 200).await;

    let slugs: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"kcd-mexico-2024"), "{slugs:?}");
    assert_eq!(Post::find().all(&app.db).await.unwrap().len(), 5);
}

#[tokio::test]
async fn serve_does_not_reimport_a_database_that_has_posts_unless_asked() {
    let test_db = TestDb::new().await;
    let corpus = Corpus::new(&[("one.md", b"---\ntitle: One\ndate: 2024-01-01\n---\nx\n")]);
    let start = |reimport: bool| {
        let mut settings = api::Settings::new(test_db.url.clone());
        settings.bind = "127.0.0.1:0".into();
        settings.workers = Some(1);
        settings.handle_signals = false;
        settings.corpus = Some(corpus.path().to_path_buf());
        settings.reimport = reimport;
        api::Application::build(settings)
    };
    let db = test_db.connect().await;

    drop(start(false).await.unwrap());
    assert_eq!(Post::find().all(&db).await.unwrap().len(), 1);
    std::fs::write(
        corpus.path().join("two.md"),
        b"---\ntitle: Two\ndate: 2024-01-02\n---\ny\n",
    )
    .unwrap();
    drop(start(false).await.unwrap());
    assert_eq!(
        Post::find().all(&db).await.unwrap().len(),
        1,
        "not re-imported"
    );
    drop(start(true).await.unwrap());
    assert_eq!(
        Post::find().all(&db).await.unwrap().len(),
        2,
        "re-imported when asked"
    );
}

#[tokio::test]
async fn two_files_with_one_slug_import_one_and_report_the_other() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        (
            "a.md",
            b"---\ntitle: First\ndate: 2024-01-01\nslug: same\n---\nx\n",
        ),
        (
            "b.md",
            b"---\ntitle: Second\ndate: 2024-01-02\nslug: same/\n---\ny\n",
        ),
    ]);

    let report = import(&db, corpus.path()).await;

    assert_eq!((report.created, report.failed()), (1, 1), "{report:?}");
    assert!(report.failures[0].path.ends_with("b.md"));
    assert!(
        report.failures[0].reason.contains("already used by a.md"),
        "{}",
        report.failures[0].reason
    );
    assert_eq!(post_by_slug(&db, "same").await.title, "First");
}

/// A post with no author in its front matter but signed on its last line is the signer's, when
/// the signature names a person the catalog knows; anything else is no author.
#[tokio::test]
async fn a_signed_post_is_its_signers() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        ("signed.md", b"---\ntitle: Notes\ndate: 2031-01-10\n---\nA day to remember.\n\n<strong><p class=\"right\">Whitney Lee</p></strong>\n"),
        ("dashed.md", b"---\ntitle: More\ndate: 2031-01-11\n---\nSee you there.\n\n\xe2\x80\x94 *Whitney Lee*\n"),
        ("stranger.md", b"---\ntitle: Other\ndate: 2031-01-12\n---\nFine.\n\n\xe2\x80\x94 Somebody Unknown\n"),
        ("prose.md", b"---\ntitle: Prose\ndate: 2031-01-13\n---\nThe day ended with Whitney Lee on stage.\n"),
        ("given.md", b"---\ntitle: Given\ndate: 2031-01-14\nauthor: Liz Rice\n---\nHi.\n\nWhitney Lee\n"),
    ]);
    import(&db, corpus.path()).await;
    let authors = |slug: &'static str| {
        let db = &db;
        async move {
            let post = post_by_slug(db, slug).await;
            entity::post_author::Entity::find()
                .filter(entity::post_author::Column::PostId.eq(post.id))
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .map(|a| (a.name, a.person_id.is_some()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(authors("signed").await, [("Whitney Lee".to_owned(), true)]);
    assert_eq!(authors("dashed").await, [("Whitney Lee".to_owned(), true)]);
    assert!(authors("stranger").await.is_empty());
    assert!(authors("prose").await.is_empty());
    assert_eq!(authors("given").await, [("Liz Rice".to_owned(), true)]);
}

#[tokio::test]
async fn editions_named_by_city_abbreviation_or_relative_year_link_to_the_gazetteer() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        ("paris.md", "---\ntitle: Back home\ndate: 2025-03-01\n---\nLast year's KubeCon in Paris changed how I think.\n".as_bytes()),
        ("eu24.md", b"---\ntitle: Booth plans\ndate: 2024-02-10\n---\nKubeCon EU '24 is six weeks away. #KubeConNA2022 was fun too.\n"),
        ("future.md", b"---\ntitle: Far ahead\ndate: 2030-01-10\n---\nWe will sponsor KubeCon Europe 2031.\n"),
        ("bare.md", b"---\ntitle: Why I go\ndate: 2024-03-21\n---\nPeople ask why I go to KubeCon. Every KCD I have attended was different.\n"),
    ]);

    let report = import(&db, corpus.path()).await;
    assert_eq!(report.failed(), 0, "{report:?}");

    let events = |slug: &'static str| {
        let db = db.clone();
        async move { mentioned(&db, &post_by_slug(&db, slug).await).await.0 }
    };
    // A host city and a year relative to the post pin one edition of the catalog.
    assert_eq!(
        events("paris").await,
        ["kubecon-cloudnativecon-europe-2024"]
    );
    assert_eq!(
        events("eu24").await,
        [
            "kubecon-cloudnativecon-europe-2024",
            "kubecon-cloudnativecon-north-america-2022"
        ]
    );
    // An edition the catalog lacks, named with its year, is discovered.
    assert_eq!(
        events("future").await,
        ["kubecon-cloudnativecon-europe-2031"]
    );
    assert_eq!(report.events_discovered, 1, "{report:?}");
    // "KubeCon" alone and "Every KCD" name no edition.
    assert!(events("bare").await.is_empty());
}

#[tokio::test]
async fn people_and_organizations_named_in_context_are_discovered_unverified() {
    let (_test_db, db) = migrated().await;
    let corpus = Corpus::new(&[
        ("a.md", b"---\ntitle: Recap\ndate: 2031-03-01\n---\nThe keynote by Jane Qwerty was great. Thanks to Lionel and Ravi Asdf from Zyx Labs! It was sponsored by Globex Corporation and held at the University of Atlantis.\n"),
        ("b.md", b"---\ntitle: Again\ndate: 2031-04-01\n---\nA talk by Jane Qwerty, CTO of Globex Corporation.\n"),
    ]);

    let report = import(&db, corpus.path()).await;
    assert_eq!(report.failed(), 0, "{report:?}");

    let mut people: Vec<(String, Option<i64>)> = Person::find()
        .filter(entity::person::Column::DiscoveredInPostId.is_not_null())
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.slug, p.discovered_in_post_id))
        .collect();
    people.sort();
    let first = post_by_slug(&db, "a").await;
    // "Lionel" alone is no one; each person once, found in the first post that named them.
    assert_eq!(
        people,
        [
            ("jane-qwerty".to_owned(), Some(first.id)),
            ("ravi-asdf".to_owned(), Some(first.id))
        ]
    );
    let mut orgs: Vec<String> = Organization::find()
        .filter(entity::organization::Column::DiscoveredInPostId.is_not_null())
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.slug)
        .collect();
    orgs.sort();
    assert_eq!(
        orgs,
        ["globex-corporation", "university-of-atlantis", "zyx-labs"]
    );
    // Both posts link to what they name; the words that named each back its name.
    let (_, people_b, orgs_b) = mentioned(&db, &post_by_slug(&db, "b").await).await;
    assert_eq!(people_b, ["jane-qwerty"]);
    assert_eq!(orgs_b, ["globex-corporation"]);
    let jane = Person::find()
        .filter(entity::person::Column::Slug.eq("jane-qwerty"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let sources = api::services::sources::of(
        &db,
        entity::sea_orm_active_enums::EntityType::Person,
        jane.id,
    )
    .await
    .unwrap();
    assert_eq!(sources.len(), 1, "{sources:?}");
    let post = sources[0].post.as_ref().expect("a post");
    assert_eq!(post.slug, "a");
    assert_eq!(post.quote.as_deref(), Some("Jane Qwerty"));
}

#[tokio::test]
async fn a_discovered_record_no_post_names_any_more_is_withdrawn() {
    let (_test_db, db) = migrated().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("a.md"), text).unwrap();
    write(
        "---\ntitle: Plans\ndate: 2031-01-10\n---\nSee you at KCD Atlantis 2031. The keynote by Jane Qwerty.\n",
    );
    let first = import(&db, dir.path()).await;
    assert_eq!(first.events_discovered, 1, "{first:?}");
    assert_eq!(first.withdrawn, 0, "{first:?}");

    // The post no longer names them: both go, with tombstones in the change feed.
    write("---\ntitle: Plans\ndate: 2031-01-10\n---\nSee you at a community day.\n");
    let second = import(&db, dir.path()).await;
    assert_eq!(second.withdrawn, 2, "{second:?}");
    let atlantis = Event::find()
        .filter(event::Column::Slug.eq("kcd-atlantis-2031"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(atlantis.deleted_at.is_some());
    let jane = Person::find()
        .filter(entity::person::Column::Slug.eq("jane-qwerty"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(jane.deleted_at.is_some());
    let tombstones = entity::audit_entry::Entity::find()
        .filter(
            entity::audit_entry::Column::Action
                .eq(entity::sea_orm_active_enums::AuditAction::Delete),
        )
        .all(&db)
        .await
        .unwrap();
    assert_eq!(tombstones.len(), 2, "{tombstones:?}");
}
