//! The absolute links of feeds and JSON-LD: chosen by configuration, never by a client's
//! `Host` / `Forwarded` / `X-Forwarded-*` headers, and cached per origin.

use crate::helpers::TestApp;
use crate::import::corpus_dir;

const EVENT: &str = "/api/v1/events/kcd-mexico-2024";

async fn feed(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(app.url("/api/v1/posts.atom"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn json_ld_id(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app
        .client
        .get(app.url(EVENT))
        .header("Accept", "application/ld+json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    doc["@id"].as_str().unwrap().to_owned()
}

const FORGED: [(&str, &str); 3] = [
    ("X-Forwarded-Host", "attacker.example"),
    ("X-Forwarded-Proto", "javascript"),
    ("Forwarded", "host=attacker.example;proto=https"),
];

/// The first request after a write fills the shared cache: what it sends must not reach
/// anyone's links, its own included.
#[tokio::test]
async fn client_headers_do_not_choose_the_links() {
    let app = TestApp::spawn_with(|s| s.corpus = Some(corpus_dir())).await;
    let poisoned = feed(&app, &FORGED).await;
    let host = feed(&app, &[("Host", "attacker.example")]).await;
    let later = feed(&app, &[]).await;
    for text in [&poisoned, &host, &later] {
        assert!(!text.contains("attacker"), "{text}");
        assert!(!text.contains("javascript"), "{text}");
        assert!(
            text.contains("href=\"/api/v1/posts.atom\""),
            "links are root-relative without a public URL: {text}"
        );
    }
    assert_eq!(json_ld_id(&app, &FORGED).await, EVENT);
    assert_eq!(json_ld_id(&app, &[]).await, EVENT);
}

#[tokio::test]
async fn the_public_url_is_the_origin_of_every_link() {
    let app = TestApp::spawn_with(|s| {
        s.corpus = Some(corpus_dir());
        s.public_url = Some(api::origin::public_url("https://events.example/dir/").unwrap());
        s.trusted_proxies = vec![api::origin::proxy("127.0.0.1").unwrap()];
    })
    .await;
    let text = feed(&app, &FORGED).await;
    assert!(
        text.contains("href=\"https://events.example/dir/api/v1/posts.atom\""),
        "{text}"
    );
    assert!(!text.contains("attacker"));
    assert_eq!(
        json_ld_id(&app, &FORGED).await,
        format!("https://events.example/dir{EVENT}")
    );
}

/// Behind a configured proxy its forwarding headers name the origin; a scheme other than
/// http(s) or a host that is not plain is ignored; each origin has its own cached response.
#[tokio::test]
async fn a_trusted_proxy_names_the_origin() {
    let app = TestApp::spawn_with(|s| {
        s.corpus = Some(corpus_dir());
        s.trusted_proxies = vec![api::origin::proxy("127.0.0.0/8").unwrap()];
    })
    .await;
    let a = [
        ("X-Forwarded-Host", "a.example"),
        ("X-Forwarded-Proto", "https"),
    ];
    let b = [("Forwarded", "host=b.example;proto=http")];
    assert!(
        feed(&app, &a)
            .await
            .contains("href=\"https://a.example/api/v1/posts.atom\"")
    );
    assert!(
        feed(&app, &b)
            .await
            .contains("href=\"http://b.example/api/v1/posts.atom\"")
    );
    assert!(
        feed(&app, &a)
            .await
            .contains("href=\"https://a.example/api/v1/posts.atom\"")
    );
    assert_eq!(
        json_ld_id(&app, &a).await,
        format!("https://a.example{EVENT}")
    );
    assert_eq!(
        json_ld_id(&app, &b).await,
        format!("http://b.example{EVENT}")
    );

    let bad_scheme = [
        ("X-Forwarded-Host", "a.example"),
        ("X-Forwarded-Proto", "javascript"),
    ];
    assert_eq!(json_ld_id(&app, &bad_scheme).await, EVENT);
    let bad_host = [("X-Forwarded-Host", "a.example\"><x")];
    let text = feed(&app, &bad_host).await;
    assert!(text.contains("href=\"/api/v1/posts.atom\""), "{text}");
}
