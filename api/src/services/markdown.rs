//! Markdown to sanitized HTML, with Hugo shortcodes rendered or removed, and the plain text
//! used for summaries, reading time, mentions and search.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Visible text (no URLs, no image alt text), paragraphs separated by blank lines.
    pub text: String,
    /// The first paragraph as plain text.
    pub first_paragraph: Option<String>,
}

const TOC_MARKER: &str = "EVENTDIRTABLEOFCONTENTSMARKER";

/// Renders Markdown (with inline HTML and Hugo shortcodes) to safe HTML.
pub fn render(markdown: &str) -> Rendered {
    let (source, wants_toc) = expand_shortcodes(markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(&source, options).collect();

    // Give every heading an id (for anchors and the table of contents), collect plain text.
    let mut toc: Vec<(HeadingLevel, String, String)> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut first_paragraph: Option<String> = None;
    let mut paragraph = String::new();
    let mut in_paragraph = false;
    let mut image_depth = 0;
    let mut heading_start = None;
    let mut heading_text = String::new();
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(i);
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                let level = *level;
                if let Some(start) = heading_start.take() {
                    let title = heading_text.trim().to_owned();
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let anchor = match id {
                            Some(existing) => existing.to_string(),
                            None => unique_id(&slug::slugify(&title), &mut used_ids),
                        };
                        *id = Some(CowStr::from(anchor.clone()));
                        toc.push((level, anchor, title));
                    }
                }
                text.push_str("\n\n");
            }
            Event::Start(Tag::Paragraph) => {
                in_paragraph = true;
                paragraph.clear();
            }
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                let p = collapse_whitespace(&paragraph);
                if first_paragraph.is_none() && !p.is_empty() && p != TOC_MARKER {
                    first_paragraph = Some(p);
                }
                text.push_str("\n\n");
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth -= 1,
            Event::Text(t) | Event::Code(t) if image_depth == 0 && t.as_ref() != TOC_MARKER => {
                text.push_str(t);
                if heading_start.is_some() {
                    heading_text.push_str(t);
                }
                if in_paragraph {
                    paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                if in_paragraph {
                    paragraph.push(' ');
                }
            }
            Event::End(
                TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => text.push_str("\n\n"),
            // A table's cells are words apart, as the page shows them.
            Event::End(TagEnd::TableCell) => text.push_str(" | "),
            _ => {}
        }
    }

    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if wants_toc {
        html = html.replace(&format!("<p>{TOC_MARKER}</p>"), &toc_html(&toc));
    }
    html = html.replace(TOC_MARKER, "");
    Rendered {
        html: sanitize(&html),
        text: text.trim().to_owned(),
        first_paragraph,
    }
}

fn unique_id(base: &str, used: &mut Vec<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_owned();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}

fn toc_html(toc: &[(HeadingLevel, String, String)]) -> String {
    let mut out = String::from("<nav class=\"toc\"><ul>");
    for (level, id, title) in toc.iter().filter(|(l, ..)| *l <= HeadingLevel::H3) {
        let class = if *level == HeadingLevel::H3 {
            " class=\"toc-sub\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<li{class}><a href=\"#{}\">{}</a></li>",
            ammonia::clean_text(id),
            ammonia::clean_text(title)
        ));
    }
    out.push_str("</ul></nav>");
    out
}

/// Replaces Hugo shortcodes: `table_of_contents`/`toc` become a marker, `figure` an image,
/// paired shortcodes keep their inner text, anything else is removed.
fn expand_shortcodes(markdown: &str) -> (String, bool) {
    let mut out = String::with_capacity(markdown.len());
    let mut wants_toc = false;
    let mut rest = markdown;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let (open, close) = match after.chars().next() {
            Some('<') => ("<", ">}}"),
            Some('%') => ("%", "%}}"),
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
                continue;
            }
        };
        let Some(end) = after.find(close) else {
            // An unterminated shortcode: drop the opening so no raw `{{<` survives.
            out.push_str(&rest[..start]);
            rest = &after[open.len()..];
            continue;
        };
        out.push_str(&rest[..start]);
        let inner = after[open.len()..end].trim();
        let inner = inner.trim_start_matches("/*").trim_end_matches("*/").trim();
        let name = inner.split_whitespace().next().unwrap_or_default();
        match name {
            "table_of_contents" | "toc" | "TableOfContents" => {
                wants_toc = true;
                out.push_str(&format!("\n\n{TOC_MARKER}\n\n"));
            }
            "figure" => {
                let src = attribute(inner, "src").unwrap_or_default();
                let alt = attribute(inner, "alt")
                    .or_else(|| attribute(inner, "caption"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "\n\n<figure><img src=\"{}\" alt=\"{}\"></figure>\n\n",
                    ammonia::clean_text(&src),
                    ammonia::clean_text(&alt)
                ));
            }
            _ => {}
        }
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    (out, wants_toc)
}

/// The value of `key="value"` in a shortcode's arguments.
fn attribute(args: &str, key: &str) -> Option<String> {
    let start = args.find(&format!("{key}=\""))? + key.len() + 2;
    let len = args[start..].find('"')?;
    Some(args[start..start + len].to_owned())
}

/// Strips scripts, event handlers and unsafe URLs; keeps layout classes and heading ids.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class", "id", "width", "height"])
        .add_tags(["figure", "figcaption", "nav"])
        .clean(html)
        .to_string()
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Minutes to read `text` at 200 words a minute, at least one.
pub fn reading_minutes(text: &str) -> i32 {
    let words = text.split_whitespace().count();
    words.div_ceil(200).max(1) as i32
}

/// The first `max` characters of `text`, cut at a word boundary, with an ellipsis when cut.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_never_show_raw() {
        let r = render(
            "Intro.\n\n{{< table_of_contents >}}\n\n## First\n\ntext {{< unknown x=\"1\" >}} more\n\n### Sub\n\n{{% note %}}kept{{% /note %}}\n",
        );
        assert!(!r.html.contains("{{"), "{}", r.html);
        assert!(r.html.contains("<nav class=\"toc\">"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#first\""), "{}", r.html);
        assert!(r.html.contains("id=\"first\""), "{}", r.html);
        assert!(r.html.contains("kept"));
        assert_eq!(r.first_paragraph.as_deref(), Some("Intro."));
    }

    #[test]
    fn a_tables_cells_stay_words_apart_in_the_text() {
        let r = render("| Event | Date |\n| --- | --- |\n| KCD Warsaw 2025 | June 2 |\n");
        assert!(r.text.contains("KCD Warsaw 2025 | June 2"), "{:?}", r.text);
        assert!(!r.text.contains("2025June"), "{:?}", r.text);
    }

    #[test]
    fn html_is_sanitized() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(1)\">\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn plain_text_skips_urls_and_alt_text() {
        let r =
            render("![a banner](x.png)\n\nSee [KubeCon](https://example.com/kcd-norway) now.\n");
        assert_eq!(r.text, "See KubeCon now.");
        assert_eq!(r.first_paragraph.as_deref(), Some("See KubeCon now."));
    }

    #[test]
    fn reading_time_and_truncation() {
        assert_eq!(reading_minutes("word"), 1);
        assert_eq!(reading_minutes(&"w ".repeat(401)), 3);
        assert_eq!(truncate_words("one two three", 7), "one…");
    }
}
