//! The public events API over the imported corpus and generated data.

use chrono::{Days, NaiveDate};
use entity::sea_orm_active_enums::{EntityType, EventFormat, EventKind, Region};
use entity::slug_alias;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::Value;

use crate::fixtures;
use crate::helpers::{TestApp, assert_problem, problem_fields};
use crate::import::corpus_dir;

async fn corpus_app() -> TestApp {
    TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await
}

fn slugs(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_owned())
        .collect()
}

async fn list(app: &TestApp, query: &str) -> Vec<String> {
    slugs(
        &app.get_json(&format!("/api/v1/events?limit=100&{query}"), 200)
            .await,
    )
}

#[tokio::test]
async fn every_filter_narrows_the_corpus_list() {
    let app = corpus_app().await;

    assert_eq!(
        list(&app, "kind=kcd&upcoming=true&as_of=2024-02-01").await[..2],
        ["kcd-mexico-2024", "kcd-costa-rica-2024"],
        "upcoming KCDs as of 2024-02-01 (after KCD Norway's January) start with the 2024 KCDs \
         in start order"
    );
    let kubecons = list(&app, "kind=kubecon&year=2023").await;
    assert_eq!(
        kubecons,
        [
            "kubecon-cloudnativecon-north-america-2023",
            "kubecon-cloudnativecon-china-2023",
            "kubecon-cloudnativecon-europe-2023"
        ]
    );
    // "the KCD Texas and KCD Mexico organizers" names series, not 2025 editions.
    assert!(list(&app, "status=unverified").await.is_empty());
    assert_eq!(list(&app, "series=kcd-mexico").await, ["kcd-mexico-2024"]);
    assert_eq!(
        list(&app, "year=2025&kind=kcd").await,
        // "the KCD Texas and KCD Mexico organizers" names the series: no 2025 edition of either.
        ["kcd-colombia-2025"]
    );
    assert_eq!(
        list(&app, "country=nl&sort=name").await,
        [
            "azure-day-with-kubernetes-2023",
            "kubecon-cloudnativecon-europe-2023",
            "kubecon-cloudnativecon-europe-2026"
        ]
    );
    assert_eq!(
        list(&app, "region=europe&kind=kcd").await,
        ["kcd-norway-2024"]
    );
    assert_eq!(
        list(&app, "city=Guadalajara&sort=name").await,
        ["ccoss-2024", "kcd-mexico-2024"]
    );
    assert_eq!(
        list(&app, "format=hybrid").await,
        [
            "kubecon-cloudnativecon-north-america-2023",
            "kubecon-cloudnativecon-europe-2023"
        ]
    );
    // Same start date: the later id first when newest come first.
    assert_eq!(
        list(&app, "from=2024-02-01&to=2024-02-29").await,
        ["kcd-mexico-2024", "ccoss-2024"]
    );
    assert_eq!(
        list(&app, "past=true&as_of=2023-06-01&kind=kubecon").await[..2],
        [
            "kubecon-cloudnativecon-europe-2023",
            "kubecon-cloudnativecon-north-america-2022"
        ]
    );
    assert_eq!(
        list(&app, "q=Bogota").await,
        ["kcd-colombia-2025"],
        "accent-insensitive"
    );
    assert_eq!(list(&app, "q=BOGOTÁ").await, ["kcd-colombia-2025"]);
    assert_eq!(
        list(&app, "q=guadalajara%20mexico%20community").await,
        ["kcd-mexico-2024"]
    );
    assert_eq!(
        list(&app, "q=netherlands&kind=kubecon").await,
        [
            "kubecon-cloudnativecon-europe-2026",
            "kubecon-cloudnativecon-europe-2023"
        ],
        "country names are searched"
    );
    // The joint CCOSS-KCD day's keynote is both events'.
    assert_eq!(
        list(&app, "speaker=whitney-lee").await,
        ["kcd-mexico-2024", "ccoss-2024"]
    );
    assert_eq!(
        list(&app, "speaker=liz-rice").await,
        ["kubecon-cloudnativecon-europe-2023"]
    );
    assert_eq!(
        list(&app, "sponsor=suse").await,
        ["kcd-mexico-2024", "ccoss-2024"]
    );
    assert_eq!(
        list(&app, "sponsor=edera").await,
        ["kubecon-cloudnativecon-north-america-2025"]
    );
    assert!(list(&app, "speaker=nobody").await.is_empty());
    assert_eq!(
        list(&app, "upcoming=true&past=true").await,
        list(&app, "").await,
        "both: no time filter"
    );
    assert_eq!(
        list(&app, "cursor=").await,
        list(&app, "").await,
        "an empty cursor is the first page"
    );
}

#[tokio::test]
async fn sorts_order_the_list() {
    let app = corpus_app().await;
    let by_name = list(&app, "sort=name").await;
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name[0], "azure-day-with-kubernetes-2023");
    assert_eq!(by_name.len(), sorted.len());

    let ascending = app
        .get_json("/api/v1/events?limit=100&sort=starts_on", 200)
        .await;
    let dates: Vec<Option<String>> = ascending["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["starts_on"].as_str().map(str::to_owned))
        .collect();
    let dated: Vec<&String> = dates.iter().flatten().collect();
    assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let first_undated = dates.iter().position(Option::is_none).unwrap();
    assert!(
        dates[first_undated..].iter().all(Option::is_none),
        "undated events come last"
    );

    let descending = app.get_json("/api/v1/events?limit=100", 200).await;
    let dates: Vec<String> = descending["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["starts_on"].as_str().map(str::to_owned))
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first by default: {dates:?}"
    );
}

/// Follows `next_cursor` to the end, inserting an event after each page.
async fn walk(app: &TestApp, query: &str, insert_between: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for n in 0..500 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/events?limit=1&{query}&cursor={c}"),
            None => format!("/api/v1/events?limit=1&{query}"),
        };
        let body = app.get_json(&path, 200).await;
        seen.extend(slugs(&body));
        if insert_between {
            let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(n * 37 % 2000);
            fixtures::insert_event(&app.db, &format!("inserted-{n}"), Some(&day.to_string())).await;
        }
        match body["page"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return seen,
        }
    }
    panic!("more pages than events");
}

#[tokio::test]
async fn walking_every_page_returns_every_event_exactly_once() {
    let app = corpus_app().await;
    // A generated dataset on top of the corpus: shared dates and names to exercise ties.
    for i in 0..30 {
        let mut e = fixtures::event(
            &format!("gen-{i:02}"),
            (i % 4 != 0)
                .then(|| format!("2024-0{}-1{}", 1 + i % 9, i % 3))
                .as_deref(),
        );
        e.name = Set(format!("Generated {}", i % 5));
        e.sort_name = Set(format!("generated {}", i % 5));
        e.kind = Set([EventKind::Kcd, EventKind::Meetup, EventKind::Summit][i % 3]);
        e.region = Set(Some([Region::Europe, Region::Latam][i % 2]));
        e.format = Set(Some(EventFormat::InPerson));
        e.insert(&app.db).await.unwrap();
    }
    for query in [
        "",
        "sort=starts_on",
        "sort=name",
        "kind=kcd",
        "upcoming=true&as_of=2024-03-01",
        "region=latam&sort=name",
    ] {
        let all = list(&app, query).await;
        let walked = walk(&app, query, false).await;
        assert_eq!(walked, all, "{query}");
    }
    // Rows inserted while a client pages neither repeat nor hide the rows it has not seen yet.
    let before = list(&app, "sort=name").await;
    let walked = walk(&app, "sort=name", true).await;
    let original: Vec<&String> = walked
        .iter()
        .filter(|s| !s.starts_with("inserted-"))
        .collect();
    assert_eq!(original.len(), before.len());
    assert_eq!(original, before.iter().collect::<Vec<_>>());
    let mut unique = walked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), walked.len(), "no event twice");
}

#[tokio::test]
async fn the_kcd_mexico_page_has_its_keynotes_sponsors_and_post() {
    let app = corpus_app().await;

    let page = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;

    assert_eq!(page["name"], "KCD Mexico 2024");
    assert_eq!(page["co_located_with"]["slug"], "ccoss-2024");
    let keynotes: Vec<(String, Vec<String>)> = page["talks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "keynote")
        .map(|t| {
            // The post gives no session's title: the slug names it.
            assert_eq!(t["title"], Value::Null);
            (
                t["slug"].as_str().unwrap().to_owned(),
                t["speakers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["name"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert!(
        keynotes.contains(&(
            "cloud-native-security".to_owned(),
            vec!["Whitney Lee".to_owned(), "Lewis Denham-Parry".to_owned()]
        )),
        "{keynotes:?}"
    );
    assert!(keynotes.iter().any(|(_, s)| s == &["Rich Bowen"]));
    assert!(keynotes.iter().any(|(_, s)| s == &["Ramiro Berrelleza"]));
    let sponsors: Vec<&str> = page["sponsors"][0]["sponsors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap())
        .collect();
    assert_eq!(page["sponsors"][0]["tier"], Value::Null);
    assert_eq!(sponsors, ["civo", "digital-challengers", "oracle", "suse"]);
    let posts: Vec<&str> = page["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert!(posts.contains(&"ccoss-kcd-gdl-2024"), "{posts:?}");
    assert_eq!(
        page["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == "ccoss-kcd-gdl-2024")
            .unwrap()["published_at"],
        "2024-02-14T23:48:08-06:00"
    );

    let ccoss = app.get_json("/api/v1/events/ccoss-2024", 200).await;
    assert_eq!(ccoss["co_located_events"][0]["slug"], "kcd-mexico-2024");
    let norway = app.get_json("/api/v1/events/kcd-norway-2024", 200).await;
    assert_eq!(
        norway["organizers"][0]["person"]["slug"],
        "kristina-devochko"
    );
    assert_eq!(norway["organizers"][0]["role"], "co_organizer");
    let na = app
        .get_json(
            "/api/v1/events/kubecon-cloudnativecon-north-america-2025",
            200,
        )
        .await;
    assert_eq!(na["sponsors"][0]["tier"], "exhibitor");
}

#[tokio::test]
async fn an_events_related_lists_stand_alone() {
    let app = corpus_app().await;
    let talks = app
        .get_json("/api/v1/events/kcd-mexico-2024/talks", 200)
        .await;
    assert_eq!(talks["data"][0]["speakers"][0]["slug"], "whitney-lee");
    // A list like every other: the page object, and pages that walk it all once.
    assert_eq!(talks["page"]["limit"], 20);
    assert!(talks["page"]["next_cursor"].is_null());
    let mut walked = Vec::new();
    let mut path = "/api/v1/events/kcd-mexico-2024/talks?limit=2".to_owned();
    loop {
        let page = app.get_json(&path, 200).await;
        assert!(page["data"].as_array().unwrap().len() <= 2);
        walked.extend(slugs(&page));
        match page["page"]["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/events/kcd-mexico-2024/talks?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(walked, slugs(&talks));
    assert!(walked.len() > 2);
    let speakers = slugs(
        &app.get_json("/api/v1/events/kcd-mexico-2024/speakers", 200)
            .await,
    );
    assert_eq!(
        speakers[..3],
        ["whitney-lee", "lewis-denham-parry", "rich-bowen"]
    );
    assert_eq!(
        speakers
            .iter()
            .filter(|s| *s == "ramiro-berrelleza")
            .count(),
        1,
        "a speaker of two talks once"
    );
    let sponsors = app
        .get_json("/api/v1/events/kcd-mexico-2024/sponsors", 200)
        .await;
    let sponsors: Vec<(&str, &str)> = sponsors["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["organization"]["slug"].as_str().unwrap(),
                s["tier"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(sponsors.len(), 4, "{sponsors:?}");
    let posts = slugs(
        &app.get_json("/api/v1/events/kcd-norway-2024/posts", 200)
            .await,
    );
    assert_eq!(posts, ["kubecon-cloudnativecon-eu-2023-takeaways"]);
    assert_problem(app.get("/api/v1/events/no-such-event/talks").await, 404).await;
}

#[tokio::test]
async fn an_old_slug_redirects_to_the_current_one() {
    let app = corpus_app().await;
    let event = crate::helpers::event_id(&app.db, "kcd-mexico-2024").await;
    slug_alias::ActiveModel {
        entity_type: Set(EntityType::Event),
        slug: Set("kcd-guadalajara-2024".into()),
        target_id: Set(event),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    for (old, new) in [
        (
            "/api/v1/events/kcd-guadalajara-2024",
            "/api/v1/events/kcd-mexico-2024",
        ),
        (
            "/api/v1/events/kcd-guadalajara-2024/talks?limit=5",
            "/api/v1/events/kcd-mexico-2024/talks?limit=5",
        ),
    ] {
        let response = app.get(old).await;
        assert_eq!(response.status(), 301, "{old}");
        assert_eq!(response.headers()["location"], new);
    }
}

#[tokio::test]
async fn bad_list_parameters_are_400_problems_naming_them() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("kind=conference", "kind"),
        ("status=maybe", "status"),
        ("region=mars", "region"),
        ("format=paper", "format"),
        ("from=2024-13-01", "from"),
        ("to=yesterday", "to"),
        ("as_of=2024-02-30", "as_of"),
        ("from=2024-05-01&to=2024-04-01", "from"),
        ("upcoming=yes", "upcoming"),
        ("year=twenty", "year"),
        ("year=1899", "year"),
        ("country=Mexico", "country"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("cursor=%%%", "cursor"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("cursor=eyJzIjoibmFtZSIsImsiOiJhIiwiaSI6MX0", "cursor"),
        ("sort=attendees", "sort"),
        ("sort=-name", "sort"),
    ] {
        let body = assert_problem(app.get(&format!("/api/v1/events?{query}")).await, 400).await;
        assert_eq!(problem_fields(&body), [field], "{query}: {body}");
    }
    let long = "a".repeat(10 * 1024);
    let body = assert_problem(app.get(&format!("/api/v1/events?q={long}")).await, 400).await;
    assert_eq!(problem_fields(&body), ["q"]);
}

#[tokio::test]
async fn odd_search_text_is_answered_normally() {
    let app = corpus_app().await;
    for q in [
        "%22quoted%22",
        "'%20OR%201=1%20--",
        "%25",
        "_",
        "%F0%9F%98%BA",
        "Robert');DROP%20TABLE%20events;--",
        "%5C",
    ] {
        let response = app.get(&format!("/api/v1/events?q={q}")).await;
        assert_eq!(response.status(), 200, "q={q}");
    }
    assert_eq!(
        list(&app, "").await.len(),
        list(&app, "q=%25%25").await.len(),
        "punctuation alone filters nothing"
    );
    assert!(list(&app, "q=_").await.len() > 1);
}

/// Every word of `q` must start a word of the record, on every backend alike — including words
/// shorter than MySQL's full-text token size and words that are stop words elsewhere.
#[tokio::test]
async fn q_words_match_the_start_of_words() {
    let app = corpus_app().await;
    let kubecons = list(&app, "kind=kubecon").await;
    assert!(kubecons.len() >= 3, "{kubecons:?}");
    assert_eq!(
        list(&app, "kind=kubecon&q=kube").await,
        kubecons,
        "a prefix"
    );
    assert_eq!(
        list(&app, "q=netes").await,
        Vec::<String>::new(),
        "the middle of a word is not a match"
    );
    assert_eq!(
        list(&app, "q=co%20located&sort=name").await,
        [
            "azure-day-with-kubernetes-2023",
            "ccoss-2024",
            "kcd-mexico-2024"
        ],
        "a two-letter word"
    );
    assert_eq!(
        list(&app, "q=the%20fifth").await,
        ["ccoss-2024"],
        "a stop word"
    );
    assert_eq!(list(&app, "q=ccoss%20the%20of%20in").await, ["ccoss-2024"]);

    let sponsors = app.get_json("/api/v1/sponsors?q=io", 200).await;
    assert_eq!(slugs(&sponsors), ["solo-io"]);
    let hits = app
        .get_json("/api/v1/search?q=solo%20i&type=sponsor", 200)
        .await;
    assert_eq!(hits["data"][0]["slug"], "solo-io");
}

/// A list item carries what a card shows, so a listing needs no request per event.
#[tokio::test]
async fn list_items_carry_what_a_card_shows() {
    let app = corpus_app().await;
    let page = app
        .get_json(
            "/api/v1/events?kind=kcd&upcoming=true&as_of=2024-02-01&limit=1",
            200,
        )
        .await;
    let card = &page["data"][0];
    assert_eq!(card["slug"], "kcd-mexico-2024");
    assert_eq!(card["timezone"], "America/Mexico_City");
    assert_eq!(card["venue"], "CUCEA, Universidad de Guadalajara");
    assert_eq!(card["website"], "https://community.cncf.io/kcd-mexico/");
    for member in ["registration_url", "cfp_opens_on", "cfp_closes_on"] {
        assert!(
            card.get(member).is_some(),
            "{member} is listed (null when unknown)"
        );
    }
}

/// An event's description comes as its Markdown and as sanitized HTML, as post bodies do.
#[tokio::test]
async fn descriptions_come_as_markdown_and_sanitized_html() {
    let app = corpus_app().await;
    let secret = crate::writes::admin(&app).await;
    let markdown = "**300** attendees <script>alert(1)</script>\n\n- CCOSS";
    let path = "/api/v1/events/kcd-mexico-2024";
    let changed = crate::writes::patch(
        &app,
        path,
        &secret,
        serde_json::json!({"description": markdown}),
    );
    assert_eq!(changed.await.status(), 200);
    let page = app.get_json(path, 200).await;
    assert_eq!(page["description"], markdown);
    let html = page["description_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>300</strong>") && html.contains("<li>CCOSS</li>"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
}
