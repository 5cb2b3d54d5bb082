//! The bad-input matrix. For every operation of the OpenAPI document, malformed input in each
//! path segment, query parameter and body member — NUL and other control characters, lone
//! surrogates, broken percent-encoding, non-UTF-8 bytes, numbers out of range, duplicated
//! parameters, 1 MB strings — is answered by a 4xx problem+json, stores nothing (the data
//! version does not move), and leaves the server serving. It runs on whichever backend the
//! suite runs on, so `.ci/run` runs it on SQLite, PostgreSQL and MariaDB.

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::helpers::TestApp;
use crate::writes::admin;

/// The records the matrix aims at: an event with a talk, an organizer and a sponsorship.
struct Targets {
    event: String,
    person: String,
    organization: String,
    talk: String,
}

/// Creates the records through the API; the last segment of each `Location` is its key.
async fn targets(app: &TestApp, secret: &str) -> Targets {
    let create = |path: &'static str, body: Value| async move {
        let response = crate::writes::post(app, path, secret, body).await;
        assert_eq!(response.status(), 201, "POST {path}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        location.rsplit('/').next().unwrap().to_owned()
    };
    let event = create(
        "/api/v1/events",
        json!({"name": "Matrix Day 2026", "kind": "kcd"}),
    )
    .await;
    let person = create("/api/v1/speakers", json!({"name": "Ana Matrix"})).await;
    let organization = create("/api/v1/sponsors", json!({"name": "Matrix Org"})).await;
    let talk = {
        let path = format!("/api/v1/events/{event}/talks");
        let response =
            crate::writes::post(app, &path, secret, json!({"title": "Matrix Talk"})).await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        location.rsplit('/').next().unwrap().to_owned()
    };
    for (path, body) in [
        (
            format!("/api/v1/events/{event}/organizers"),
            json!({"person": person, "role": "lead"}),
        ),
        (
            format!("/api/v1/events/{event}/sponsors"),
            json!({"organization": organization}),
        ),
        (
            format!("/api/v1/events/{event}/participants"),
            json!({"person": person, "role": "panelist"}),
        ),
    ] {
        let response = crate::writes::post(app, &path, secret, body).await;
        assert_eq!(response.status(), 201, "POST {path}");
    }
    Targets {
        event,
        person,
        organization,
        talk,
    }
}

/// `template` with its parameters filled in from `t`; `replace` puts a bad value in one.
fn fill(template: &str, t: &Targets, replace: Option<(&str, &str)>) -> String {
    let slug = if template.starts_with("/api/v1/speakers/") {
        &t.person
    } else if template.starts_with("/api/v1/sponsors/") {
        &t.organization
    } else if template.starts_with("/api/v1/posts/") {
        "no-such-post"
    } else {
        &t.event
    };
    let mut path = template.to_owned();
    for (name, value) in [
        ("slug", slug),
        ("person", &t.person),
        ("organization", &t.organization),
        ("talk", &t.talk),
    ] {
        let value = match replace {
            Some((which, bad)) if which == name => bad,
            _ => value,
        };
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
}

/// A body that the operation accepts (checked at the end), for the bad member to spoil.
fn base_body(schema: &str) -> Value {
    match schema {
        "NewEvent" => json!({"name": "Matrix Night 2026", "kind": "meetup"}),
        "NewPerson" => json!({"name": "Bo Matrix"}),
        "NewOrganization" => json!({"name": "Matrix Two"}),
        "NewTalk" => json!({"title": "Another Matrix Talk"}),
        "NewOrganizer" => json!({"person": "bo-matrix", "role": "volunteer"}),
        "NewParticipation" => json!({"person": "bo-matrix", "role": "mc"}),
        "NewSponsorship" => json!({"organization": "matrix-two"}),
        // Merge patches: every member is optional.
        _ => json!({}),
    }
}

/// One sent request and what came back.
struct Answer {
    status: u16,
    content_type: String,
    body: Value,
}

async fn send(
    app: &TestApp,
    secret: &str,
    method: &Method,
    target: &str,
    body: Option<Vec<u8>>,
) -> Answer {
    let mut request = app
        .client
        .request(method.clone(), app.url(target))
        .bearer_auth(secret);
    if matches!(*method, Method::PATCH | Method::DELETE) {
        request = request.header("If-Match", "*");
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        body,
    }
}

async fn data_version(app: &TestApp) -> i64 {
    use sea_orm::EntityTrait;
    entity::data_version::Entity::find_by_id(1)
        .one(&app.db)
        .await
        .unwrap()
        .map_or(0, |row| row.value)
}

/// What went wrong across the matrix, reported at once.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    /// A 4xx problem+json, and nothing stored.
    fn refused(&mut self, case: &str, answer: &Answer, before: i64, after: i64) {
        if !(400..500).contains(&answer.status) {
            self.0
                .push(format!("{case}: {} {}", answer.status, answer.body));
        } else if answer.content_type != "application/problem+json" {
            self.0.push(format!(
                "{case}: {} as {}",
                answer.status, answer.content_type
            ));
        } else if answer.body["status"] != answer.status {
            self.0.push(format!("{case}: problem body {}", answer.body));
        }
        if after != before {
            self.0.push(format!("{case}: stored something"));
        }
    }
}

/// Query values no parameter accepts, by the parameter's type.
fn bad_query_values(kind: &str) -> Vec<String> {
    let mut values: Vec<String> = ["%00", "a%01b", "%7F", "%ED%A0%80", "%FF", "%zz", "%", "a%4"]
        .map(String::from)
        .to_vec();
    match kind {
        "integer" => values.extend(
            [
                "99999999999999999999",
                "-99999999999999999999",
                "1e400",
                "NaN",
            ]
            .map(String::from),
        ),
        "boolean" => values.push("maybe".to_owned()),
        _ => {}
    }
    values
}

/// A value of the parameter's type that it accepts alone (to send it twice).
fn plain_value(kind: &str) -> &'static str {
    match kind {
        "integer" => "1",
        "boolean" => "true",
        _ => "a",
    }
}

/// Body members no field accepts, as JSON text, by the member's type.
fn bad_members(types: &[String]) -> Vec<String> {
    let mut values: Vec<String> = [
        r#""\u0000""#,
        r#""a\u0007b""#,
        r#""\ud800""#,
        r#""x\udc00""#,
        r#""\u001b[31m""#,
    ]
    .map(String::from)
    .to_vec();
    if types.iter().any(|t| t == "integer") {
        values.extend(
            [
                "1e400",
                "99999999999999999999",
                "-99999999999999999999",
                "1.5",
            ]
            .map(String::from),
        );
    }
    if types.iter().any(|t| t == "array") {
        values.extend([r#"["\u0000"]"#, r#"["\ud800"]"#].map(String::from));
    }
    values
}

/// The JSON types a schema property may take (`oneOf` and `$ref` followed one level).
fn types_of(property: &Value, schemas: &Map<String, Value>) -> Vec<String> {
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => schemas[r.rsplit('/').next().unwrap()].clone(),
            None => v.clone(),
        }
    };
    let mut out = Vec::new();
    let mut add = |v: &Value| match &resolve(v)["type"] {
        Value::String(t) => out.push(t.clone()),
        Value::Array(ts) => out.extend(ts.iter().filter_map(Value::as_str).map(String::from)),
        _ => {}
    };
    match property.get("oneOf").and_then(Value::as_array) {
        Some(options) => options.iter().for_each(&mut add),
        None => add(property),
    }
    out
}

#[tokio::test]
async fn no_bad_input_is_a_server_error_or_a_partial_write() {
    // Well over a thousand writes from one token: the rate limit is not what is tested here.
    let app = TestApp::spawn_with(|s| s.write_rate_limit = 0).await;
    let secret = admin(&app).await;
    let t = targets(&app, &secret).await;
    let document: Value = serde_json::to_value(api::openapi::spec()).unwrap();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut findings = Findings::default();
    let mut cases = 0usize;
    let mut accepted_bodies = Vec::new();

    for (template, item) in document["paths"].as_object().unwrap() {
        for (method_name, operation) in item.as_object().unwrap() {
            let Ok(method) = method_name.to_uppercase().parse::<Method>() else {
                continue;
            };
            if !matches!(
                method,
                Method::GET | Method::POST | Method::PATCH | Method::DELETE
            ) {
                continue;
            }
            let parameters: Vec<&Value> = operation["parameters"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let body_schema =
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .map(|r| r.rsplit('/').next().unwrap().to_owned());
            let base = body_schema.as_deref().map(base_body);
            let base_bytes = base.as_ref().map(|b| b.to_string().into_bytes());
            let op = format!("{} {template}", method.as_str());

            // Path segments.
            for p in parameters.iter().filter(|p| p["in"] == "path") {
                let name = p["name"].as_str().unwrap();
                for bad in ["%00", "a%00b", "%1F", "%ED%A0%80", "%FF", "%zz", "%"] {
                    let target = fill(template, &t, Some((name, bad)));
                    let before = data_version(&app).await;
                    let answer = send(&app, &secret, &method, &target, base_bytes.clone()).await;
                    let after = data_version(&app).await;
                    findings.refused(&format!("{op} with {name}={bad}"), &answer, before, after);
                    cases += 1;
                }
            }

            // Query parameters: bad values, and each one given twice.
            let path = fill(template, &t, None);
            for p in parameters.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().unwrap();
                let kind = p["schema"]["type"].as_str().unwrap_or("string");
                let mut queries: Vec<String> = bad_query_values(kind)
                    .into_iter()
                    .map(|v| format!("{name}={v}"))
                    .collect();
                let plain = plain_value(kind);
                queries.push(format!("{name}={plain}&{name}={plain}"));
                for query in queries {
                    let target = format!("{path}?{query}");
                    let before = data_version(&app).await;
                    let answer = send(&app, &secret, &method, &target, base_bytes.clone()).await;
                    let after = data_version(&app).await;
                    findings.refused(&format!("{op} with ?{query}"), &answer, before, after);
                    cases += 1;
                }
            }

            // Body members, one at a time, in an otherwise acceptable body.
            if let (Some(schema), Some(base)) = (&body_schema, &base) {
                let properties = schemas[schema]["properties"].as_object().unwrap();
                for (member, property) in properties {
                    let types = types_of(property, schemas);
                    for bad in bad_members(&types) {
                        let mut text = base.to_string();
                        text.pop(); // the closing brace
                        if text.len() > 1 {
                            text.push(',');
                        }
                        text.push_str(&format!("\"{member}\":{bad}}}"));
                        let before = data_version(&app).await;
                        let answer =
                            send(&app, &secret, &method, &path, Some(text.into_bytes())).await;
                        let after = data_version(&app).await;
                        let case = format!("{op} with {member}: {bad}");
                        findings.refused(&case, &answer, before, after);
                        let named = answer.body["errors"].as_array().is_some_and(|e| {
                            e.iter().any(|e| {
                                e["field"].as_str().is_some_and(|f| {
                                    f == format!("/{member}")
                                        || f.starts_with(&format!("/{member}/"))
                                })
                            })
                        });
                        if !named {
                            findings.0.push(format!(
                                "{case}: the problem does not name it: {}",
                                answer.body
                            ));
                        }
                        cases += 1;
                    }
                }
                // Whole bodies: a 1 MB string, broken JSON, bytes that are not UTF-8.
                let huge = format!(r#"{{"name":"{}"}}"#, "a".repeat(1 << 20));
                for (what, bytes) in [
                    ("a 1 MB string", huge.into_bytes()),
                    ("broken JSON", b"{\"name\": \"a".to_vec()),
                    ("non-UTF-8 bytes", b"{\"name\": \"\xff\xfe\"}".to_vec()),
                    ("NUL bytes", b"{\"name\": \"a\0b\"}".to_vec()),
                ] {
                    let before = data_version(&app).await;
                    let answer = send(&app, &secret, &method, &path, Some(bytes)).await;
                    let after = data_version(&app).await;
                    findings.refused(&format!("{op} with {what}"), &answer, before, after);
                    cases += 1;
                }
                if method == Method::POST {
                    accepted_bodies.push((path.clone(), base.clone()));
                }
            }
        }
    }

    assert!(
        cases > 1000,
        "only {cases} cases: the document was not walked"
    );
    assert!(
        findings.0.is_empty(),
        "{} of {cases} cases went wrong:\n{}",
        findings.0.len(),
        findings.0.join("\n")
    );
    // Still serving; and each body the matrix spoiled was acceptable by itself, so the bad
    // member alone was refused.
    assert_eq!(app.get("/healthz").await.status(), 200);
    // People and organizations before the links to them.
    accepted_bodies.sort_by_key(|(path, _)| path.matches('/').count());
    for (path, body) in accepted_bodies {
        let response = crate::writes::post(&app, &path, &secret, body.clone()).await;
        assert_eq!(response.status(), 201, "POST {path} {body}");
    }
}
