//! Every fact the directory serves comes from the posts: a talk has the title its post gives or
//! none, and then the post's own words for it; what the post gives for a joint day belongs to
//! both of its events.

use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{TestApp, assert_problem, problem_fields};
use crate::import::corpus_dir;
use crate::writes::{admin, patch, post};

async fn corpus_app() -> TestApp {
    TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await
}

/// Text compared as a reader would: case, curly quotes and runs of white space aside.
fn fold(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn data(body: &Value) -> &Vec<Value> {
    body["data"].as_array().expect("data")
}

/// The Markdown of every post that mentions the event, folded.
async fn posts_about(app: &TestApp, event: &str) -> Vec<String> {
    let posts = app
        .get_json(&format!("/api/v1/events/{event}/posts?limit=100"), 200)
        .await;
    let mut texts = Vec::new();
    for p in data(&posts) {
        let slug = p["slug"].as_str().unwrap();
        let page = app.get_json(&format!("/api/v1/posts/{slug}"), 200).await;
        texts.push(fold(page["body_markdown"].as_str().unwrap()));
    }
    texts
}

#[tokio::test]
async fn a_talk_has_the_title_its_post_gives_or_the_posts_words() {
    let app = corpus_app().await;
    let events = app.get_json("/api/v1/events?limit=100", 200).await;
    let mut untitled = Vec::new();
    let mut checked = 0;
    for event in data(&events) {
        let slug = event["slug"].as_str().unwrap();
        let talks = app
            .get_json(&format!("/api/v1/events/{slug}/talks?limit=100"), 200)
            .await;
        if data(&talks).is_empty() {
            continue;
        }
        let texts = posts_about(&app, slug).await;
        for talk in data(&talks) {
            let said = match (talk["title"].as_str(), talk["summary"].as_str()) {
                (Some(title), _) => title,
                (None, Some(summary)) => {
                    untitled.push(format!("{slug}/{}", talk["slug"].as_str().unwrap()));
                    summary
                }
                (None, None) => panic!("{slug}: a talk with neither title nor summary: {talk}"),
            };
            assert!(
                texts.iter().any(|t| t.contains(&fold(said))),
                "{slug}: no post about the event says {said:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
    // The Guadalajara post and the KubeCon NA 2025 post describe sessions without titles.
    for talk in [
        "kcd-mexico-2024/cloud-native-security",
        "kcd-mexico-2024/a-syntax-for-sql",
        "ccoss-2024/cloud-native-security",
        "kubecon-cloudnativecon-north-america-2025/observability-panel",
    ] {
        assert!(untitled.contains(&talk.to_owned()), "{untitled:?}");
    }
    let page = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;
    let first = &page["talks"][0];
    assert_eq!(first["title"], Value::Null, "{first}");
    assert!(first.as_object().unwrap().contains_key("title"));
}

#[tokio::test]
async fn the_joint_day_is_both_events() {
    let app = corpus_app().await;
    let mut seen = Vec::new();
    for event in ["ccoss-2024", "kcd-mexico-2024"] {
        let page = app.get_json(&format!("/api/v1/events/{event}"), 200).await;
        let talks: Vec<&str> = page["talks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap())
            .collect();
        let sponsors = app
            .get_json(&format!("/api/v1/events/{event}/sponsors?limit=100"), 200)
            .await;
        let mut sponsors: Vec<String> = data(&sponsors)
            .iter()
            .map(|s| s["organization"]["slug"].as_str().unwrap().to_owned())
            .collect();
        sponsors.sort();
        assert_eq!(talks.len(), 11, "{event}: {talks:?}");
        assert_eq!(sponsors.len(), 4, "{event}: {sponsors:?}");
        // "The audience of more than 300 attendees" was the joint day's.
        assert_eq!(page["attendees"], Value::Null, "{event}");
        seen.push((
            talks.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            sponsors,
        ));
    }
    assert_eq!(seen[0], seen[1]);
    let ccoss = app.get_json("/api/v1/events/ccoss-2024", 200).await;
    assert_eq!(ccoss["kind"], "summit");
}

#[tokio::test]
async fn a_talk_without_a_title_says_what_it_was() {
    let app = TestApp::spawn().await;
    fixtures::insert_event(&app.db, "kcd-lima-2024", Some("2024-06-01")).await;
    let s = admin(&app).await;
    let path = "/api/v1/events/kcd-lima-2024/talks";
    let said = "Rich Bowen captured in a presentation the different steps to get involved";

    // Neither a title nor a summary: nothing says what the talk was.
    let bare = post(&app, path, &s, json!({"slug": "untold", "kind": "keynote"})).await;
    assert_eq!(
        problem_fields(&assert_problem(bare, 422).await),
        vec!["/title"]
    );
    // A summary without a slug: there is no title to make one from.
    let no_slug = post(&app, path, &s, json!({"summary": said})).await;
    assert_eq!(
        problem_fields(&assert_problem(no_slug, 422).await),
        vec!["/slug"]
    );

    let created = post(
        &app,
        path,
        &s,
        json!({"slug": "getting-involved", "summary": said}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let talk: Value = created.json().await.unwrap();
    assert_eq!(talk["title"], Value::Null);
    assert_eq!(talk["summary"], said);
    let read = app.get_json(&format!("{path}/getting-involved"), 200).await;
    assert_eq!(read, talk);

    // A title given later stays; taking both away is refused and changes nothing.
    let item = format!("{path}/getting-involved");
    let titled = patch(&app, &item, &s, json!({"title": "Getting involved"})).await;
    assert_eq!(titled.status(), 200);
    let emptied = patch(&app, &item, &s, json!({"title": null, "summary": null})).await;
    assert_eq!(
        problem_fields(&assert_problem(emptied, 422).await),
        vec!["/title"]
    );
    let kept = app.get_json(&item, 200).await;
    assert_eq!(kept["title"], "Getting involved");
    assert_eq!(kept["summary"], said);
}

#[tokio::test]
async fn a_person_page_shows_where_they_take_part_without_a_talk() {
    let app = corpus_app().await;
    let page = app.get_json("/api/v1/speakers/manuel-gil", 200).await;
    let mut parts: Vec<(&str, &str)> = page["takes_part_in"]
        .as_array()
        .expect("takes_part_in")
        .iter()
        .map(|p| {
            (
                p["event"]["slug"].as_str().unwrap(),
                p["role"].as_str().unwrap(),
            )
        })
        .collect();
    parts.sort();
    assert_eq!(
        parts,
        [("ccoss-2024", "speaker"), ("kcd-mexico-2024", "speaker")]
    );
    assert_eq!(page["talks"], json!([]));
    // The post that names them is where they come from.
    assert_eq!(
        page["sources"][0]["post"]["slug"], "ccoss-kcd-gdl-2024",
        "{page}"
    );
}

#[tokio::test]
async fn an_organization_that_writes_a_post_is_its_author() {
    let app = corpus_app().await;
    let post = app.get_json("/api/v1/posts/kcd-colombia-2025", 200).await;
    let author = &post["authors"][0];
    assert_eq!(author["name"], "oss.lat");
    assert_eq!(author["person"], Value::Null);
    assert_eq!(author["organization"]["slug"], "oss-lat", "{author}");
    // A person's stays a person's.
    let signed = app.get_json("/api/v1/posts/ccoss-kcd-gdl-2024", 200).await;
    assert_eq!(signed["authors"][0]["person"]["slug"], "teyza-ponce");
    assert_eq!(signed["authors"][0]["organization"], Value::Null);
    let by = app.get_json("/api/v1/posts?author=oss-lat", 200).await;
    let slugs: Vec<&str> = data(&by)
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["kcd-colombia-2025"]);
    let org = app.get_json("/api/v1/sponsors/oss-lat", 200).await;
    assert_eq!(
        org["sources"][0]["post"]["slug"], "kcd-colombia-2025",
        "{org}"
    );
}

#[tokio::test]
async fn a_status_no_source_states_is_read_from_the_dates() {
    let app = corpus_app().await;
    let status = |e: &Value| {
        (
            e["status"].as_str().unwrap().to_owned(),
            e["status_basis"].as_str().unwrap().to_owned(),
        )
    };
    // "The 2024 roadmap also includes the KCD Costa Rica that will take place on March 1st and
    // 2nd": announced, no outcome; past its dates, so completed by them.
    let costa_rica = app
        .get_json("/api/v1/events/kcd-costa-rica-2024", 200)
        .await;
    assert_eq!(status(&costa_rica), ("completed".into(), "dates".into()));
    // The Guadalajara post reports how the day went.
    let mexico = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;
    assert_eq!(status(&mexico), ("completed".into(), "stated".into()));
    // "KCD Norway in January 2024": the month, as a month.
    let norway = app.get_json("/api/v1/events/kcd-norway-2024", 200).await;
    assert_eq!(norway["date_precision"], "month");
    assert_eq!(norway["starts_on"], "2024-01-01");
    assert_eq!(norway["ends_on"], "2024-01-31");
    assert_eq!(status(&norway), ("completed".into(), "dates".into()));
    assert_eq!(mexico["date_precision"], "day");
    // "I was part of the KCD Texas and KCD Mexico organizers" names a series, no edition.
    assert_problem(app.get("/api/v1/events/kcd-texas-2025").await, 404).await;
    app.get_json("/api/v1/series/kcd-texas", 200).await;

    // The status filter reads statuses as they are served.
    let completed = app
        .get_json("/api/v1/events?status=completed&limit=100", 200)
        .await;
    let slugs: Vec<&str> = data(&completed)
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    for slug in ["kcd-costa-rica-2024", "kcd-norway-2024", "kcd-mexico-2024"] {
        assert!(slugs.contains(&slug), "{slugs:?}");
    }
    assert!(data(&completed).iter().all(|e| e["status"] == "completed"));
    let scheduled = app.get_json("/api/v1/events?status=scheduled", 200).await;
    assert!(data(&scheduled).is_empty(), "{scheduled}");
}

#[tokio::test]
async fn an_organizer_states_a_status_or_leaves_it_to_the_dates() {
    let app = TestApp::spawn().await;
    let s = admin(&app).await;
    let future = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
    let created = post(
        &app,
        "/api/v1/events",
        &s,
        json!({"name": "KCD Atlantis", "kind": "kcd", "starts_on": future.to_string()}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let event: Value = created.json().await.unwrap();
    assert_eq!(
        (&event["status"], &event["status_basis"]),
        (&json!("scheduled"), &json!("dates"))
    );
    let path = "/api/v1/events/kcd-atlantis";
    let cancelled = patch(&app, path, &s, json!({"status": "cancelled"})).await;
    let cancelled: Value = cancelled.json().await.unwrap();
    assert_eq!(
        (&cancelled["status"], &cancelled["status_basis"]),
        (&json!("cancelled"), &json!("stated"))
    );
    let cleared = patch(&app, path, &s, json!({"status": null})).await;
    let cleared: Value = cleared.json().await.unwrap();
    assert_eq!(cleared["status_basis"], "dates");

    // A month is given as its first and last days.
    let bad = patch(
        &app,
        path,
        &s,
        json!({"date_precision": "month", "starts_on": "2031-01-02", "ends_on": "2031-01-31"}),
    )
    .await;
    assert_eq!(
        problem_fields(&assert_problem(bad, 422).await),
        vec!["/date_precision"]
    );
    let month = patch(
        &app,
        path,
        &s,
        json!({"date_precision": "month", "starts_on": "2031-02-01", "ends_on": "2031-02-28",
            "year": 2031}),
    )
    .await;
    let month: Value = month.json().await.unwrap();
    assert_eq!(month["date_precision"], "month", "{month}");
}

#[tokio::test]
async fn every_event_fact_comes_from_a_post_or_a_public_record() {
    let app = corpus_app().await;
    // Every fact of every event, and every part of it, a post or a public record backs.
    let gaps = api::services::sources::unsourced_events(&app.db)
        .await
        .unwrap();
    assert_eq!(gaps, Vec::<(String, Vec<String>)>::new());

    // Field by field: the words of the post, or what the fact follows from.
    let costa_rica = app
        .get_json("/api/v1/events/kcd-costa-rica-2024/sources", 200)
        .await;
    let field = |name: &str| {
        costa_rica["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}: {costa_rica}"))
    };
    assert_eq!(
        field("starts_on")["sources"][0]["post"]["quote"],
        "The 2024 roadmap also includes the KCD Costa Rica that will take place on March 1st \
         and 2nd"
    );
    assert_eq!(field("year")["follows_from"], json!(["starts_on"]));
    assert_eq!(field("region")["follows_from"], json!(["country"]));
    assert_eq!(costa_rica["unsourced"], json!([]));
    let page = app
        .get_json("/api/v1/events/kcd-costa-rica-2024", 200)
        .await;
    assert!(!page["sources"].as_array().unwrap().is_empty());

    // Every quote is the post's own words.
    let events = app.get_json("/api/v1/events?limit=100", 200).await;
    let mut quotes = 0;
    for event in data(&events) {
        let slug = event["slug"].as_str().unwrap();
        let view = app
            .get_json(&format!("/api/v1/events/{slug}/sources"), 200)
            .await;
        let mut all: Vec<&Value> = view["record"].as_array().unwrap().iter().collect();
        for f in view["fields"].as_array().unwrap() {
            all.extend(f["sources"].as_array().unwrap());
        }
        for source in all {
            let (Some(post), Some(quote)) = (
                source["post"]["slug"].as_str(),
                source["post"]["quote"].as_str(),
            ) else {
                continue;
            };
            let page = app.get_json(&format!("/api/v1/posts/{post}"), 200).await;
            assert!(
                fold(page["body_markdown"].as_str().unwrap()).contains(&fold(quote)),
                "{slug}: {post} does not say {quote:?}"
            );
            quotes += 1;
        }
    }
    assert!(quotes > 20, "{quotes}");
}

/// The mention benchmark (`tests/mentions`): posts written with varied phrasings and
/// distractors, and what each names. `eventdir mentions tests/mentions/posts --expect
/// tests/mentions/expected.yaml` prints the same figures per class.
#[tokio::test]
async fn the_mention_benchmark_is_read_with_high_precision_and_recall() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mentions");
    let catalog = api::import::load_catalog(None).unwrap();
    let found = api::import::named::names_in_dir(&root.join("posts"), &catalog)
        .await
        .unwrap();
    assert!(found.len() >= 40, "{} posts", found.len());
    let expected = api::cli::mentions::load_expected(&root.join("expected.yaml")).unwrap();
    // Every post in the expectations is read (a post read but not listed names nothing).
    for file in expected.keys() {
        assert!(found.iter().any(|p| &p.file == file), "{file} not read");
    }
    let score = api::cli::mentions::score(&found, &expected);
    let all = score.editions();
    assert!(
        all.precision() >= 0.95 && all.recall() >= 0.95,
        "precision {:.3}, recall {:.3}:\n{}",
        all.precision(),
        all.recall(),
        score.errors.join("\n")
    );
}

#[tokio::test]
async fn organizations_the_posts_name_but_the_catalog_lacks_are_served_unverified() {
    let app = corpus_app().await;
    // "Bianca Lewis, leader of the Open Search Software Foundation"; "gathered at the CUCEA of
    // the University of Guadalajara".
    for (slug, quote) in [
        (
            "open-search-software-foundation",
            "Bianca Lewis, leader of the Open Search Software Foundation",
        ),
        (
            "university-of-guadalajara",
            "gathered at the CUCEA of the University of Guadalajara",
        ),
        ("cucea", "gathered at the CUCEA"),
    ] {
        let org = app.get_json(&format!("/api/v1/sponsors/{slug}"), 200).await;
        assert_eq!(org["unverified"], true, "{org}");
        assert_eq!(org["sources"][0]["post"]["quote"], quote, "{org}");
    }
    // The catalog's own records are not.
    let cncf = app.get_json("/api/v1/sponsors/cncf", 200).await;
    assert_eq!(cncf["unverified"], false, "{cncf}");
    let whitney = app.get_json("/api/v1/speakers/whitney-lee", 200).await;
    assert_eq!(whitney["unverified"], false, "{whitney}");
}

#[tokio::test]
async fn every_talk_sponsor_organizer_and_participant_cites_the_sentence_that_names_it() {
    let app = corpus_app().await;
    let sources = app
        .get_json("/api/v1/events/kcd-mexico-2024/sources", 200)
        .await;
    let parts = data_of(&sources, "parts");
    assert!(parts.len() >= 15, "{sources}");
    let part = |kind: &str, slug: &str| -> Value {
        parts
            .iter()
            .find(|p| p["part"] == kind && p["slug"] == slug)
            .cloned()
            .unwrap_or_else(|| panic!("{kind}/{slug}: {sources}"))
    };
    let quote = |p: &Value| {
        p["sources"][0]["post"]["quote"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // A talk without a title: the post's sentence that describes it.
    assert!(
        quote(&part("talks", "cloud-native-security"))
            .starts_with("Whitney Lee and Lewis Denham-Parry"),
        "{sources}"
    );
    assert_eq!(
        part("talks", "cloud-native-security")["sources"][0]["post"]["slug"],
        "ccoss-kcd-gdl-2024"
    );
    // A speaker without a talk, and a sponsor: the sentence that names them.
    assert!(quote(&part("participants", "casey-wylie")).contains("Casey Wylie"));
    assert!(
        quote(&part("sponsors", "suse")).contains("SUSE"),
        "{sources}"
    );
    // Nothing the event serves goes unbacked.
    assert_eq!(sources["unsourced"], json!([]));
}

fn data_of<'a>(body: &'a Value, key: &str) -> &'a Vec<Value> {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key}: {body}"))
}

#[tokio::test]
async fn a_talk_sponsor_or_participant_shows_its_sources_where_it_is_served() {
    let app = corpus_app().await;
    let page = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;
    let talk = data(&json!({"data": page["talks"]}))
        .iter()
        .find(|t| t["slug"] == "cloud-native-security")
        .cloned()
        .unwrap();
    assert_eq!(
        talk["sources"][0]["post"]["slug"], "ccoss-kcd-gdl-2024",
        "{talk}"
    );
    let one = app
        .get_json(
            "/api/v1/events/kcd-mexico-2024/talks/cloud-native-security",
            200,
        )
        .await;
    assert_eq!(one["sources"], talk["sources"]);
    let sponsors = app
        .get_json("/api/v1/events/kcd-mexico-2024/sponsors", 200)
        .await;
    for s in data(&sponsors) {
        assert!(!s["sources"].as_array().unwrap().is_empty(), "{s}");
    }
    let suse = app
        .get_json("/api/v1/events/kcd-mexico-2024/sponsors/suse", 200)
        .await;
    assert!(
        suse["sources"][0]["post"]["quote"]
            .as_str()
            .unwrap()
            .contains("SUSE"),
        "{suse}"
    );
    let participants = app
        .get_json("/api/v1/events/kcd-mexico-2024/participants", 200)
        .await;
    assert!(
        data(&participants)
            .iter()
            .all(|p| p["sources"][0]["post"]["quote"].is_string()),
        "{participants}"
    );
}
