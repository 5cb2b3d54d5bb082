//! The OpenAPI document is the contract: committed, served, and browsable offline.

use crate::helpers::TestApp;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_document_matches_the_code() {
    let generated = api::openapi::spec_json();
    assert!(
        generated == COMMITTED,
        "openapi/openapi.json differs from what the code generates.\n\
         Regenerate it with `cargo run -- openapi > openapi/openapi.json` and commit it."
    );
}

#[test]
fn every_operation_has_an_id_a_tag_and_a_summary() {
    let spec: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["info"]["license"]["name"], "Apache-2.0");
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(
                id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{id}: verb_noun"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id}: no tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{id}: no summary"
            );
        }
    }
}

#[tokio::test]
async fn the_server_serves_the_same_document() {
    let app = TestApp::spawn().await;
    let served = app.get("/api/v1/openapi.json").await.text().await.unwrap();
    assert_eq!(served, COMMITTED);
}

#[tokio::test]
async fn the_docs_ui_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/docs/");
    let page = app.get("/docs/").await.text().await.unwrap();
    assert!(page.contains("swagger-ui"));
    // Every script and stylesheet is a relative URL this server answers: nothing leaves it.
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for part in page.split(attr).skip(1) {
            assets.push(part.split('"').next().unwrap().to_owned());
        }
    }
    assert!(assets.len() >= 4, "{assets:?}");
    for asset in assets {
        assert!(
            !asset.contains("://") && !asset.starts_with("//"),
            "{asset} would leave the machine"
        );
        let path = format!("/docs/{}", asset.trim_start_matches("./"));
        assert_eq!(app.get(&path).await.status(), 200, "{path}");
    }
    let init = app
        .get("/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"));
}

/// Generated clients make a type of every inline schema: a list's items and a parameter's enum
/// refer to the named component (`EventSummary`, `EventKind`) instead of repeating it.
#[test]
fn named_schemas_are_referenced_not_repeated() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let reference =
        |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
    assert_eq!(
        doc["components"]["schemas"]["Page_EventSummary"]["properties"]["data"]["items"],
        reference("EventSummary")
    );
    let kind = doc["paths"]["/api/v1/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "kind")
        .unwrap();
    assert_eq!(kind["schema"], reference("EventKind"));

    // Nowhere else is a component written out again.
    fn copies(
        node: &serde_json::Value,
        schemas: &serde_json::Map<String, serde_json::Value>,
        at: String,
        out: &mut Vec<String>,
    ) {
        if node.is_object()
            && let Some((name, _)) = schemas.iter().find(|(_, s)| *s == node)
        {
            out.push(format!("{at} repeats {name}"));
            return;
        }
        match node {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    copies(v, schemas, format!("{at}/{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    copies(v, schemas, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    copies(&doc["paths"], schemas, "paths".into(), &mut found);
    for (name, schema) in schemas {
        for (k, v) in schema.as_object().unwrap() {
            copies(v, schemas, format!("{name}/{k}"), &mut found);
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Generated clients expose the headers the document states: `X-Request-Id` on every
/// response, `Retry-After` on every 429 and 503, `ETag` on every 200 of a GET and of a PATCH,
/// `ETag` and `Location` on every 201, and a 304 for every GET.
#[test]
fn every_response_states_the_headers_it_carries() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let mut want = |status: &str, header: &str| {
                if responses.contains_key(status)
                    && responses[status]["headers"].get(header).is_none()
                {
                    missing.push(format!("{method} {path} {status} {header}"));
                }
            };
            for status in responses.keys() {
                want(status, "X-Request-Id");
            }
            want("429", "Retry-After");
            want("503", "Retry-After");
            want("201", "ETag");
            want("201", "Location");
            if method == "get" || method == "patch" {
                want("200", "ETag");
            }
            if method == "get" && !responses.contains_key("304") {
                missing.push(format!("{method} {path} 304"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// "Try it out" fills in every example at once: on the corpus, the examples of each read work
/// together — a list finds something, a record is there.
#[tokio::test]
async fn the_examples_of_each_read_work_together() {
    let app = TestApp::spawn_with(|s| s.corpus = Some(crate::import::corpus_dir())).await;
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let mut empty = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        if get["security"].as_array().is_some_and(|s| {
            s.iter()
                .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
        }) {
            continue; // needs a token
        }
        let mut path = template.clone();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut complete = true;
        for param in get["parameters"].as_array().into_iter().flatten() {
            let example = param
                .get("example")
                .or_else(|| param["schema"].get("example"));
            let value = match example {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => {
                    complete &= param["in"] != "path";
                    continue;
                }
            };
            match param["in"].as_str() {
                Some("path") => {
                    path = path.replace(&format!("{{{}}}", param["name"].as_str().unwrap()), &value)
                }
                Some("query") => query.push((param["name"].as_str().unwrap().to_owned(), value)),
                _ => {}
            }
        }
        if !complete {
            continue;
        }
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        let pairs: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let url = format!("{path}?{}", pairs.join("&"));
        let response = app.get(&url).await;
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        // A filter's examples must find something; an unfiltered list may be empty.
        let filtered = query
            .iter()
            .any(|(name, _)| !matches!(name.as_str(), "limit" | "cursor"));
        let nothing = filtered && body["data"].as_array().is_some_and(|d| d.is_empty());
        if status != 200 || nothing {
            empty.push(format!(
                "{url}: {status}{}",
                if nothing { " with no data" } else { "" }
            ));
        }
    }
    assert!(empty.is_empty(), "{empty:#?}");
}
