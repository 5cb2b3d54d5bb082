//! Tests of `frontmatter.rs`.

use super::*;

#[test]
fn titles_are_plain_text() {
    for (title, plain) in [
        (
            "Kubecon 2023: <br> Architecting Futures",
            "Kubecon 2023: Architecting Futures",
        ),
        ("<em>KCD</em>  Lima", "KCD Lima"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
    ] {
        assert_eq!(plain_text(title), plain);
    }
}

#[test]
fn yaml_toml_and_json_front_matter_read_alike() {
    let yaml = parse("---\ntitle: \"Hello\"\ndate: 2024-02-14T23:48:08-06:00\nslug: hello/\nauthors:\n  - A\n---\nBody\n").unwrap();
    let toml = parse("+++\ntitle = \"Hello\"\ndate = 2024-02-14T23:48:08-06:00\nslug = \"hello/\"\nauthor = \"A\"\n+++\nBody\n").unwrap();
    let json = parse("{\"title\": \"Hello\", \"date\": \"2024-02-14T23:48:08-06:00\", \"slug\": \"hello/\", \"author\": [\"A\"]}\nBody\n").unwrap();
    for doc in [&yaml, &toml, &json] {
        let meta = post_meta(&doc.front_matter).unwrap();
        assert_eq!(meta.title, "Hello");
        assert_eq!(meta.slug.as_deref(), Some("hello"));
        assert_eq!(meta.authors, ["A"]);
        assert_eq!(meta.offset_minutes, Some(-360));
        assert_eq!(meta.published_at.to_rfc3339(), "2024-02-15T05:48:08+00:00");
        assert_eq!(doc.body, "Body\n");
    }
    assert_eq!(yaml.format, FrontMatterFormat::Yaml);
    assert_eq!(toml.format, FrontMatterFormat::Toml);
    assert_eq!(json.format, FrontMatterFormat::Json);
}

#[test]
fn dates_with_and_without_time_and_offset() {
    assert_eq!(parse_date("2023-05-06").unwrap().1, None);
    assert_eq!(
        parse_date("2025-12-21T10:00:00").unwrap().0.to_rfc3339(),
        "2025-12-21T10:00:00+00:00"
    );
    assert_eq!(parse_date("2024-01-01T00:00:00Z").unwrap().1, Some(0));
    assert_eq!(
        parse_date("2024-01-01 10:00:00 +02:00").unwrap().1,
        Some(120)
    );
    assert!(parse_date("yesterday").is_none());
}

#[test]
fn errors_name_line_and_column() {
    let err = parse("---\ntitle: [unclosed\n---\n").unwrap_err();
    assert!(err.message.starts_with("invalid YAML"), "{err}");
    assert!(err.line.is_some());
    let err = parse("+++\ntitle = \n+++\n").unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    let err = parse("{\"title\": }\n").unwrap_err();
    assert_eq!((err.line, err.column), (Some(1), Some(11)), "{err}");
    let err = parse("---\ntitle: x\n").unwrap_err();
    assert!(err.message.contains("unterminated"));
    assert!(post_meta(&parse("---\ndate: 2024-01-01\n---\n").unwrap().front_matter).is_err());
}

#[test]
fn bom_and_crlf_are_normalized() {
    let text = normalize("\u{FEFF}---\r\ntitle: x\r\ndate: 2024-01-01\r\n---\r\nBody\r\n");
    let doc = parse(&text).unwrap();
    assert_eq!(doc.body, "Body\n");
    assert_eq!(post_meta(&doc.front_matter).unwrap().title, "x");
}
