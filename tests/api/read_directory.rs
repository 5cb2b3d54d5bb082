//! Speakers, sponsors, posts and tags over the imported corpus.

use serde_json::Value;

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

async fn list(app: &TestApp, path: &str) -> Vec<String> {
    slugs(&app.get_json(path, 200).await)
}

/// Every slug of a list, following cursors.
async fn walk(app: &TestApp, path: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut next = path.to_owned();
    loop {
        let body = app.get_json(&next, 200).await;
        all.extend(slugs(&body));
        match body["page"]["next_cursor"].as_str() {
            Some(c) => next = format!("{path}&cursor={c}"),
            None => return all,
        }
    }
}

#[tokio::test]
async fn speakers_are_listed_by_name_and_filtered() {
    let app = corpus_app().await;
    let everyone = walk(&app, "/api/v1/speakers?limit=7").await;
    assert_eq!(everyone, list(&app, "/api/v1/speakers?limit=100").await);
    assert_eq!(
        everyone.first().map(String::as_str),
        Some("adlair-cerecedo-mendez")
    );
    // Sorted by the folded name: "Adolfo García" before "Akihiro Suda", "Max Körbächer" with the m's.
    let at = |slug: &str| everyone.iter().position(|s| s == slug).unwrap();
    assert!(at("adolfo-garcia") < at("akihiro-suda"));
    assert!(
        at("matt-jarvis") < at("max-korbacher") && at("max-korbacher") < at("maxime-chambreuil")
    );

    let mexico = list(&app, "/api/v1/speakers?event=kcd-mexico-2024&limit=100").await;
    assert!(
        mexico.contains(&"whitney-lee".to_owned()) && mexico.contains(&"rich-bowen".to_owned())
    );
    assert!(!mexico.contains(&"liz-rice".to_owned()));
    assert_eq!(
        list(&app, "/api/v1/speakers?role=any&country=co").await,
        ["manuel-gil"]
    );
    assert_eq!(
        list(&app, "/api/v1/speakers?company=Isovalent").await,
        ["liz-rice", "raymond-de-jong"]
    );
    assert_eq!(
        list(&app, "/api/v1/speakers?q=korbacher").await,
        ["max-korbacher"],
        "accent-insensitive"
    );
}

#[tokio::test]
async fn a_speaker_page_has_talks_by_event_organizing_and_posts() {
    let app = corpus_app().await;
    let max = app.get_json("/api/v1/speakers/max-korbacher", 200).await;
    assert_eq!(max["name"], "Max Körbächer");
    assert_eq!(max["company"], "Liquid Reply");
    let talks = max["talks"].as_array().unwrap();
    assert_eq!(talks.len(), 1, "two talks at one event are one group");
    assert_eq!(
        talks[0]["event"]["slug"],
        "kubecon-cloudnativecon-europe-2023"
    );
    assert_eq!(talks[0]["talks"].as_array().unwrap().len(), 2);

    let kristina = app
        .get_json("/api/v1/speakers/kristina-devochko", 200)
        .await;
    assert_eq!(kristina["badges"], serde_json::json!(["cncf_ambassador"]));
    assert_eq!(kristina["organizes"][0]["event"]["slug"], "kcd-norway-2024");
    assert_eq!(
        kristina["posts"][0]["slug"],
        "kubecon-cloudnativecon-eu-2023-takeaways"
    );
    assert_problem(app.get("/api/v1/speakers/nobody").await, 404).await;
}

#[tokio::test]
async fn sponsors_are_listed_filtered_and_paged() {
    let app = corpus_app().await;
    assert_eq!(
        list(&app, "/api/v1/sponsors?event=kcd-mexico-2024").await,
        ["civo", "digital-challengers", "oracle", "suse"]
    );
    assert_eq!(
        list(&app, "/api/v1/sponsors?tier=exhibitor").await,
        ["edera", "google", "solo-io"]
    );
    assert_eq!(
        list(&app, "/api/v1/sponsors?all=true&q=liquid").await,
        ["liquid-reply"]
    );
    let all = walk(&app, "/api/v1/sponsors?limit=4").await;
    assert_eq!(all, list(&app, "/api/v1/sponsors?limit=100").await);

    let google = app.get_json("/api/v1/sponsors/google", 200).await;
    assert_eq!(
        google["sponsorships"][0]["event"]["slug"],
        "kubecon-cloudnativecon-north-america-2025"
    );
    assert_eq!(google["sponsorships"][0]["tier"], "exhibitor");
    let body = assert_problem(app.get("/api/v1/sponsors?tier=titanium").await, 400).await;
    assert_eq!(problem_fields(&body), ["tier"]);
}

#[tokio::test]
async fn posts_are_newest_first_filtered_and_never_drafts() {
    let app = corpus_app().await;
    let all = list(&app, "/api/v1/posts?limit=100").await;
    assert_eq!(
        all,
        [
            "kubecon-na-2025",
            "kcd-colombia-2025",
            "ccoss-kcd-gdl-2024",
            "kubecon-2023-Architecting-Futures",
            "kubecon-cloudnativecon-eu-2023-takeaways"
        ]
    );
    assert_eq!(walk(&app, "/api/v1/posts?limit=2").await, all);
    assert_eq!(
        list(&app, "/api/v1/posts?tag=kcd").await,
        ["kcd-colombia-2025"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?tag=KCD").await,
        ["kcd-colombia-2025"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?category=blog").await,
        ["kcd-colombia-2025"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?author=Teyza%20Ponce").await,
        // The Guadalajara post has no author field; it is signed.
        ["ccoss-kcd-gdl-2024", "kubecon-2023-Architecting-Futures"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?author=kristina-devochko").await,
        ["kubecon-cloudnativecon-eu-2023-takeaways"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?event=kcd-norway-2024").await,
        ["kubecon-cloudnativecon-eu-2023-takeaways"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?from=2025-01-01").await,
        ["kubecon-na-2025", "kcd-colombia-2025"]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?to=2023-12-31").await,
        [
            "kubecon-2023-Architecting-Futures",
            "kubecon-cloudnativecon-eu-2023-takeaways"
        ]
    );
    assert_eq!(
        list(&app, "/api/v1/posts?q=bogota").await,
        ["kcd-colombia-2025"]
    );
    let body = assert_problem(
        app.get("/api/v1/posts?from=2025-01-01&to=2024-01-01").await,
        400,
    )
    .await;
    assert_eq!(problem_fields(&body), ["from"]);

    // A draft is stored but never served.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2030-01-01\ndraft: true\n---\nNot yet.\n",
    )
    .unwrap();
    let catalog = api::import::load_catalog(None).unwrap();
    api::import::import_dir(&app.db, dir.path(), &catalog, api::import::Progress::Quiet)
        .await
        .unwrap();
    assert!(
        !list(&app, "/api/v1/posts?limit=100")
            .await
            .contains(&"secret".to_owned())
    );
    assert_problem(app.get("/api/v1/posts/secret").await, 404).await;
}

#[tokio::test]
async fn a_post_page_has_bodies_authors_terms_and_mentions() {
    let app = corpus_app().await;
    let post = app.get_json("/api/v1/posts/ccoss-kcd-gdl-2024", 200).await;
    assert_eq!(
        post["title"],
        "The fifth edition of CCOSS and the first KCD in Mexico"
    );
    assert_eq!(post["published_at"], "2024-02-14T23:48:08-06:00");
    assert!(post["body_html"].as_str().unwrap().contains("<h3"));
    assert!(
        post["body_markdown"]
            .as_str()
            .unwrap()
            .starts_with("\nThe Open Source Contributors Summit")
    );
    let events: Vec<&str> = post["mentions"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"kcd-mexico-2024") && events.contains(&"ccoss-2024"));
    let people: Vec<&str> = post["mentions"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert!(people.contains(&"whitney-lee"));

    let takeaways = app
        .get_json(
            "/api/v1/posts/kubecon-cloudnativecon-eu-2023-takeaways",
            200,
        )
        .await;
    assert_eq!(takeaways["authors"][0]["name"], "Kristina D.");
    assert_eq!(
        takeaways["authors"][0]["person"]["slug"],
        "kristina-devochko"
    );
    assert!(
        takeaways["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["slug"] == "kubecon")
    );
    assert!(!takeaways["body_html"].as_str().unwrap().contains("{{<"));

    // Hugo aliases redirect.
    let old = app
        .get("/api/v1/posts/kubecon_cloudnativecon_eu_2023")
        .await;
    assert_eq!(old.status(), 301);
    assert_eq!(
        old.headers()["location"],
        "/api/v1/posts/kubecon-cloudnativecon-eu-2023-takeaways"
    );
}

#[tokio::test]
async fn tags_come_with_post_counts() {
    let app = corpus_app().await;
    let tags = app.get_json("/api/v1/tags", 200).await;
    let counts: Vec<(String, i64)> = tags["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["slug"].as_str().unwrap().to_owned(),
                t["post_count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(counts.contains(&("kubernetes".to_owned(), 2)), "{counts:?}");
    assert!(counts.contains(&("kcd".to_owned(), 1)));
    assert!(
        counts.windows(2).all(|w| w[0].1 >= w[1].1),
        "most used first"
    );
}
