//! One name for each thing: series as records named by slug, references as objects with a
//! slug in reads, writes and the change feed, enum values in snake_case, text filters that
//! ignore case and accents, the region a country implies, and the directory's lists saying
//! what they hold.

use entity::sea_orm_active_enums::TokenRole;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, problem_fields};
use crate::import::corpus_dir;
use crate::writes::{admin, etag, patch, post, token};

async fn corpus_app() -> TestApp {
    TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await
}

fn slugs(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|e| {
            e["slug"]
                .as_str()
                .or(e["organization"]["slug"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn list(app: &TestApp, path: &str) -> Vec<String> {
    slugs(&app.get_json(path, 200).await)
}

async fn ok(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn series_are_records_named_by_slug() {
    let app = corpus_app().await;
    let series = app.get_json("/api/v1/series?limit=100", 200).await;
    let mexico = series["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "kcd-mexico")
        .expect("KCD Mexico is a series");
    assert_eq!(mexico["name"], "KCD Mexico");
    assert!(series["page"].is_object());

    let page = app.get_json("/api/v1/series/kcd-mexico", 200).await;
    assert_eq!(page["name"], "KCD Mexico");
    let editions = list_of(&page["events"]);
    assert!(
        editions.contains(&"kcd-mexico-2024".to_owned()),
        "{editions:?}"
    );
    assert!(
        !editions.contains(&"kcd-mexico-2025".to_owned()),
        "unverified editions are left out as lists leave them out"
    );
    assert_problem(app.get("/api/v1/series/kcd-atlantis").await, 404).await;

    // Events carry the series as {slug, name}; the filter takes the slug.
    let event = app.get_json("/api/v1/events/kcd-mexico-2024", 200).await;
    assert_eq!(
        event["series"],
        json!({"slug": "kcd-mexico", "name": "KCD Mexico"})
    );
    let listed = app.get_json("/api/v1/events?series=kcd-mexico", 200).await;
    assert_eq!(listed["data"][0]["series"]["name"], "KCD Mexico");
    assert_eq!(slugs(&listed), ["kcd-mexico-2024"]);

    // A token scoped to the series by its slug edits the series' events.
    let team = token(&app, "mexico", TokenRole::Organizer, &[], &["kcd-mexico"]).await;
    ok(
        patch(
            &app,
            "/api/v1/events/kcd-mexico-2024",
            &team,
            json!({"attendees": 320}),
        )
        .await,
        200,
    )
    .await;
}

fn list_of(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn references_are_objects_with_a_slug_in_writes_reads_and_the_feed() {
    let app = TestApp::spawn().await;
    let s = admin(&app).await;

    // A series that does not exist needs its name; then it exists for everyone.
    let nameless = post(
        &app,
        "/api/v1/events",
        &s,
        json!({"name": "KCD Lima 2025", "kind": "kcd", "series": {"slug": "kcd-lima"}}),
    )
    .await;
    let problem = assert_problem(nameless, 422).await;
    assert_eq!(problem_fields(&problem), ["/series/name"]);
    ok(
        post(
            &app,
            "/api/v1/events",
            &s,
            json!({"name": "KCD Lima 2025", "kind": "kcd",
                "series": {"slug": "kcd-lima", "name": "KCD Lima"}}),
        )
        .await,
        201,
    )
    .await;
    // The object an event reads with is one a write takes back as it is.
    let lima = app.get_json("/api/v1/events/kcd-lima-2025", 200).await;
    let created = ok(
        post(
            &app,
            "/api/v1/events",
            &s,
            json!({"name": "KCD Lima 2026", "kind": "kcd", "series": lima["series"],
                "co_located_with": {"slug": "kcd-lima-2025"}}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        created["series"],
        json!({"slug": "kcd-lima", "name": "KCD Lima"})
    );
    assert_eq!(created["co_located_with"]["slug"], "kcd-lima-2025");
    assert_eq!(
        list_of(&app.get_json("/api/v1/series/kcd-lima", 200).await["events"]),
        ["kcd-lima-2026", "kcd-lima-2025"]
    );
    // A string where the object goes is refused, naming the member.
    let string = patch(
        &app,
        "/api/v1/events/kcd-lima-2026",
        &s,
        json!({"co_located_with": "kcd-lima-2025"}),
    )
    .await;
    assert_eq!(
        problem_fields(&assert_problem(string, 422).await),
        ["/co_located_with"]
    );

    // The change feed carries the same names and shapes, with the id to key a copy by.
    let feed = app.get_json("/api/v1/changes?limit=100", 200).await;
    let create = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["entity_slug"] == "kcd-lima-2026")
        .unwrap();
    let data = &create["data"];
    assert_eq!(
        data["series"],
        json!({"slug": "kcd-lima", "name": "KCD Lima"})
    );
    assert_eq!(data["co_located_with"]["slug"], "kcd-lima-2025");
    assert!(data["co_located_with"]["id"].is_i64());
    assert!(data.get("co_located_with_id").is_none());
}

#[tokio::test]
async fn text_filters_ignore_case_and_accents() {
    let app = corpus_app().await;
    assert_eq!(
        list(&app, "/api/v1/events?city=guadalajara").await,
        ["kcd-mexico-2024", "ccoss-2024"]
    );
    assert_eq!(
        list(&app, "/api/v1/events?city=Bogota").await,
        list(&app, "/api/v1/events?city=BOGOT%C3%81").await
    );
    assert!(!list(&app, "/api/v1/events?city=bogota").await.is_empty());
    assert_eq!(
        list(&app, "/api/v1/speakers?role=any&company=suse").await,
        list(&app, "/api/v1/speakers?role=any&company=SUSE").await
    );
    assert!(
        !list(&app, "/api/v1/speakers?role=any&company=suse")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_region_follows_the_country_in_snake_case() {
    let app = TestApp::spawn().await;
    let s = admin(&app).await;
    let created = ok(
        post(
            &app,
            "/api/v1/events",
            &s,
            json!({"name": "KCD Lima 2025", "kind": "kcd", "country": "PE"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["region"], "latam");
    assert_eq!(
        list(&app, "/api/v1/events?region=latam").await,
        ["kcd-lima-2025"]
    );
    // A new country brings its region; one given with it wins.
    let moved = ok(
        patch(
            &app,
            "/api/v1/events/kcd-lima-2025",
            &s,
            json!({"country": "US"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["region"], "north_america");
    assert_eq!(
        list(&app, "/api/v1/events?region=north_america").await,
        ["kcd-lima-2025"]
    );
    let online = ok(
        patch(
            &app,
            "/api/v1/events/kcd-lima-2025",
            &s,
            json!({"country": "PE", "region": "online"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(online["region"], "online");
    // The old spelling is no value of the enum.
    assert_problem(app.get("/api/v1/events?region=north-america").await, 400).await;
}

#[tokio::test]
async fn coordinates_and_an_image_are_validated_and_listed() {
    let app = TestApp::spawn().await;
    let s = admin(&app).await;
    ok(
        post(
            &app,
            "/api/v1/events",
            &s,
            json!({"name": "KCD Mexico 2026", "kind": "kcd"}),
        )
        .await,
        201,
    )
    .await;
    let path = "/api/v1/events/kcd-mexico-2026";
    for (body, field) in [
        (json!({"latitude": 20.67}), "/longitude"),
        (json!({"latitude": 91.0, "longitude": 0.0}), "/latitude"),
        (json!({"latitude": 0.0, "longitude": -181.0}), "/longitude"),
        (json!({"image_url": "ftp://x.example/a.png"}), "/image_url"),
    ] {
        let refused = patch(&app, path, &s, body.clone()).await;
        assert_eq!(
            problem_fields(&assert_problem(refused, 422).await),
            [field],
            "{body}"
        );
    }
    let tag = etag(&app, path).await;
    ok(
        patch(
            &app,
            path,
            &s,
            json!({"latitude": 20.6736, "longitude": -103.3927,
                "image_url": "https://community.cncf.io/logo.png"}),
        )
        .await,
        200,
    )
    .await;
    assert_ne!(etag(&app, path).await, tag);
    let card = &app.get_json("/api/v1/events", 200).await["data"][0];
    assert_eq!(card["latitude"], 20.6736);
    assert_eq!(card["longitude"], -103.3927);
    assert_eq!(card["image_url"], "https://community.cncf.io/logo.png");
}

#[tokio::test]
async fn speakers_and_sponsors_list_what_their_names_say() {
    let app = corpus_app().await;
    let walk = |role: &'static str| {
        let app = &app;
        async move {
            let mut all = Vec::new();
            let mut path = format!("/api/v1/speakers?limit=100{role}");
            loop {
                let body = app.get_json(&path, 200).await;
                all.extend(slugs(&body));
                match body["page"]["next_cursor"].as_str() {
                    Some(c) => path = format!("/api/v1/speakers?limit=100{role}&cursor={c}"),
                    None => return all,
                }
            }
        }
    };
    let speakers = walk("").await;
    let everyone = walk("&role=any").await;
    let organizers = walk("&role=organizer").await;
    // Manuel Gil speaks without a known talk: a speaker too.
    assert!(speakers.contains(&"manuel-gil".to_owned()));
    assert!(speakers.contains(&"whitney-lee".to_owned()));
    assert!(organizers.contains(&"kristina-devochko".to_owned()));
    assert!(!organizers.contains(&"whitney-lee".to_owned()));
    assert!(speakers.len() < everyone.len());

    let sponsors = list(&app, "/api/v1/sponsors?limit=100").await;
    let all = list(&app, "/api/v1/sponsors?limit=100&all=true").await;
    assert!(sponsors.contains(&"suse".to_owned()));
    assert!(!sponsors.contains(&"liquid-reply".to_owned()));
    assert!(all.contains(&"liquid-reply".to_owned()));
}

#[tokio::test]
async fn a_page_counts_the_list_only_when_asked() {
    let app = corpus_app().await;
    let plain = app.get_json("/api/v1/events?kind=kcd&limit=1", 200).await;
    assert!(plain["page"].get("total").is_none(), "{}", plain["page"]);
    let counted = app
        .get_json("/api/v1/events?kind=kcd&limit=1&count=true", 200)
        .await;
    let all = app.get_json("/api/v1/events?kind=kcd&limit=100", 200).await;
    let n = all["data"].as_array().unwrap().len();
    assert!(n > 1);
    assert_eq!(counted["page"]["total"], n);
    assert_eq!(counted["data"].as_array().unwrap().len(), 1);
    let none = app
        .get_json("/api/v1/events?kind=kcd&year=1999&count=true", 200)
        .await;
    assert_eq!(none["page"]["total"], 0);
    // Every list counts the same way.
    for list in [
        "/api/v1/speakers?role=any",
        "/api/v1/sponsors?all=true",
        "/api/v1/posts?q=kubecon",
        "/api/v1/series?",
        "/api/v1/events/kcd-mexico-2024/speakers?",
    ] {
        let all = app.get_json(&format!("{list}&limit=100"), 200).await;
        let n = all["data"].as_array().unwrap().len();
        assert!(
            all["page"]["next_cursor"].is_null(),
            "{list}: one page holds it"
        );
        let counted = app
            .get_json(&format!("{list}&limit=1&count=true"), 200)
            .await;
        assert_eq!(counted["page"]["total"], n, "{list}");
    }
}

#[tokio::test]
async fn the_corpus_names_series_without_inventing_editions() {
    let app = corpus_app().await;
    assert_problem(app.get("/api/v1/events/kcd-mexico-2025").await, 404).await;
    let post = app.get_json("/api/v1/posts/kubecon-na-2025", 200).await;
    let series = list_of(&post["mentions"]["series"]);
    for named in ["kcd-mexico", "kcd-miami"] {
        assert!(series.contains(&named.to_owned()), "{series:?}");
    }
    let miami = app.get_json("/api/v1/series/kcd-miami", 200).await;
    assert_eq!(miami["name"], "KCD Miami");
    assert_eq!(list_of(&miami["posts"]), ["kubecon-na-2025"]);
    assert!(list_of(&miami["events"]).is_empty());
    let mexico = app.get_json("/api/v1/series/kcd-mexico", 200).await;
    assert!(list_of(&mexico["posts"]).contains(&"kubecon-na-2025".to_owned()));
    // Found by search, as the post that names it is.
    let found = app.get_json("/api/v1/search?q=miami", 200).await;
    let hits: Vec<(&str, &str, &str)> = found["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["type"].as_str().unwrap(),
                h["slug"].as_str().unwrap(),
                h["url"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        hits.contains(&("series", "kcd-miami", "/api/v1/series/kcd-miami")),
        "{hits:?}"
    );
    assert!(hits.iter().any(|h| h.1 == "kubecon-na-2025"), "{hits:?}");
}

#[tokio::test]
async fn speakers_without_a_known_talk_take_part() {
    let app = corpus_app().await;
    // "Among the list were, for example, Manuel Gil from Colombia, Alvaro Soto from Chile,
    // Daniel Minor from Canada, from the United States, Casey Wylie": the joint day's.
    let four = ["manuel-gil", "alvaro-soto", "daniel-minor", "casey-wylie"];
    for event in ["kcd-mexico-2024", "ccoss-2024"] {
        let speakers = list(&app, &format!("/api/v1/events/{event}/speakers?limit=100")).await;
        for person in four {
            assert!(
                speakers.contains(&person.to_owned()),
                "{event}: {speakers:?}"
            );
        }
        let participants = app
            .get_json(&format!("/api/v1/events/{event}/participants"), 200)
            .await;
        let roles: Vec<(&str, &str)> = participants["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["person"]["slug"].as_str().unwrap(),
                    p["role"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(roles.len(), 4, "{roles:?}");
        assert!(roles.iter().all(|(_, role)| *role == "speaker"));
    }

    // Written like organizers: a role, one per person and event, the person kept while linked.
    let s = admin(&app).await;
    let path = "/api/v1/events/kcd-mexico-2024/participants";
    let created = post(
        &app,
        path,
        &s,
        json!({"person": "whitney-lee", "role": "mc"}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let again = post(
        &app,
        path,
        &s,
        json!({"person": "whitney-lee", "role": "mc"}),
    )
    .await;
    assert_problem(again, 409).await;
    let bad = post(
        &app,
        path,
        &s,
        json!({"person": "nobody-at-all", "role": "host"}),
    )
    .await;
    let fields = problem_fields(&assert_problem(bad, 422).await);
    assert!(fields.contains(&"/role".to_owned()), "{fields:?}");
    let one = format!("{path}/whitney-lee");
    let changed = ok(
        patch(&app, &one, &s, json!({"role": "panelist"})).await,
        200,
    )
    .await;
    assert_eq!(changed["role"], "panelist");
    let tag = etag(&app, "/api/v1/speakers/manuel-gil").await;
    let gone = crate::writes::send(
        &app,
        reqwest::Method::DELETE,
        "/api/v1/speakers/manuel-gil",
        Some(&s),
        Some(&tag),
        None,
    )
    .await;
    let problem = assert_problem(gone, 409).await;
    assert!(problem["detail"].as_str().unwrap().contains("takes part"));
}

#[tokio::test]
async fn the_guadalajara_post_is_its_signers() {
    let app = corpus_app().await;
    let post = app.get_json("/api/v1/posts/ccoss-kcd-gdl-2024", 200).await;
    assert_eq!(post["authors"][0]["name"], "Teyza Ponce");
    assert_eq!(post["authors"][0]["person"]["slug"], "teyza-ponce");
}
