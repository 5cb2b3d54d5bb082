//! Tests of `catalog.rs`.

use super::*;

#[test]
fn the_embedded_catalog_is_valid() {
    let catalog = parse(EMBEDDED_NAME, EMBEDDED).unwrap();
    assert!(catalog.events.iter().any(|e| e.slug == "kcd-mexico-2024"));
}

fn error(text: &str) -> CatalogError {
    parse("test.yaml", text).unwrap_err()
}

#[test]
fn unknown_keys_are_named() {
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    colour: red\n",
    );
    assert_eq!(e.file, "test.yaml");
    assert_eq!(e.entry, "events[0]");
    assert!(e.message.contains("colour"), "{e}");
}

#[test]
fn bad_dates_are_named() {
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    starts_on: 2024-02-30\n",
    );
    assert_eq!(
        (e.entry.as_str(), e.field.as_str()),
        ("events[0]", "starts_on"),
        "{e}"
    );
}

#[test]
fn an_end_before_the_start_is_named() {
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    starts_on: 2024-02-23\n    ends_on: 2024-02-22\n",
    );
    assert_eq!(
        e.to_string(),
        "test.yaml: events[a]: ends_on: 2024-02-22 is before starts_on 2024-02-23"
    );
}

#[test]
fn dangling_references_are_named() {
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    co_located_with: b\n",
    );
    assert_eq!(e.field, "co_located_with");
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    talks:\n      - slug: t\n        title: T\n        kind: talk\n        speakers: [nobody]\n",
    );
    assert_eq!(e.field, "talks[0].speakers[0]");
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n    sponsors:\n      - organization: acme\n        tier: gold\n",
    );
    assert_eq!(e.field, "sponsors[0].organization");
}

#[test]
fn coordinates_come_in_range_and_together() {
    let event = "events:\n  - slug: a\n    name: A\n    kind: kcd\n    status: scheduled\n";
    for (extra, message) in [
        ("    latitude: 20.6\n", "go together"),
        ("    latitude: 95\n    longitude: 0\n", "within ±90"),
    ] {
        let e = error(&format!("{event}{extra}"));
        assert_eq!(e.field, "latitude");
        assert!(e.message.contains(message), "{e}");
    }
    let e = error(&format!("{event}    image_url: ftp://a.example/x.png\n"));
    assert_eq!(e.field, "image_url");
    assert!(
        parse(
            "t.yaml",
            &format!("{event}    latitude: 20.6\n    longitude: -103.4\n")
        )
        .is_ok()
    );
}

#[test]
fn a_source_names_fields_an_event_has_and_a_month_its_first_and_last_days() {
    let event = "events:\n  - slug: a\n    name: A\n    kind: kcd\n";
    let e = error(&format!(
        "{event}    sources:\n      - post: p\n        quote: \"in March\"\n        fields: [colour]\n"
    ));
    assert_eq!(e.field, "sources[0].fields", "{e}");
    assert!(e.message.contains("colour"), "{e}");
    let e = error(&format!(
        "{event}    starts_on: 2024-01-02\n    ends_on: 2024-01-31\n    date_precision: month\n"
    ));
    assert_eq!(e.field, "date_precision", "{e}");
    let month = format!(
        "{event}    starts_on: 2024-02-01\n    ends_on: 2024-02-29\n    date_precision: month\n"
    );
    assert!(parse("test.yaml", &month).is_ok());
}

#[test]
fn a_talk_has_a_title_or_its_posts_words() {
    let e = error(
        "events:\n  - slug: a\n    name: A\n    kind: kcd\n    talks:\n      - slug: t\n        kind: talk\n",
    );
    assert_eq!(e.field, "talks[0].title", "{e}");
}
