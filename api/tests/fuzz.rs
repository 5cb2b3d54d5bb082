//! Property-based fuzzing of what reads untrusted text: front matter (and the post metadata and
//! dates in it), mojibake repair, Markdown rendering and the cursor decoder. Each must answer
//! every input without panicking. `bench/fuzz.sh` runs these with many more cases; failing
//! inputs proptest finds are kept in `proptest-regressions/` and replayed by every run.

use api::import::{frontmatter, mojibake};
use api::services::cursor::Cursor;
use api::services::markdown;
use proptest::prelude::*;

/// Text shaped like a Hugo file: delimiters, keys, quotes, brackets, dates, BOM and CRLF.
fn hugo_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        Just("{\n".to_owned()),
        Just("}\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\r\n".to_owned()),
        Just("title: ".to_owned()),
        Just("date = ".to_owned()),
        Just("\"tags\": [".to_owned()),
        Just("2024-02-30T25:61:00+14:00".to_owned()),
        Just("draft: true\n".to_owned()),
        Just("aliases: [\"/a\", ".to_owned()),
        Just("{{< figure src=\"x\" >}}".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,8}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn front_matter_parsing_never_panics(text in hugo_like()) {
        if let Ok(doc) = frontmatter::parse(&text) {
            let _ = frontmatter::post_meta(&doc.front_matter);
        }
        let _ = frontmatter::normalize(&text);
    }

    #[test]
    fn arbitrary_text_never_panics_the_parsers(text in "\\PC*") {
        let _ = frontmatter::parse(&text);
        let _ = frontmatter::parse_date(&text);
        let _ = markdown::render(&text);
    }

    #[test]
    fn mojibake_repair_never_panics_and_keeps_natural_text(text in "\\PC{0,200}") {
        let (repaired, _) = mojibake::repair(&text);
        let (garbled_back, _) = mojibake::repair(&mojibake::garble(&repaired));
        prop_assert!(garbled_back.chars().count() <= repaired.chars().count() * 4 + 4);
    }

    #[test]
    fn the_cursor_decoder_rejects_garbage_without_panicking(text in "\\PC{0,120}") {
        let _ = Cursor::decode(&text);
    }

    #[test]
    fn cursors_round_trip(sort in "[a-z_-]{1,12}", key in proptest::option::of("\\PC{0,40}"), id in any::<i64>()) {
        let cursor = Cursor { sort, key, id };
        prop_assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
    }
}
