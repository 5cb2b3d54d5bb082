//! Splitting a Hugo content file into front matter and body, and reading the front matter
//! (YAML `---`, TOML `+++` or JSON `{ … }`) into one shape.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use entity::sea_orm_active_enums::FrontMatterFormat;
use serde_json::Value;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column in the file, when the parser gives them.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl ParseError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    fn at(message: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            message: message.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// A content file split in two: front matter as JSON, and the Markdown body.
#[derive(Debug, Clone)]
pub struct Document {
    pub format: FrontMatterFormat,
    pub front_matter: Value,
    pub body: String,
}

/// Splits and parses `text` (BOM and CRLF already removed, see [`normalize`]).
pub fn parse(text: &str) -> Result<Document, ParseError> {
    if let Some(rest) = strip_fence(text, "---") {
        let (raw, body) = split_closing(rest, &["---", "..."]).ok_or_else(|| {
            ParseError::at("unterminated YAML front matter: no closing `---`", 1, 1)
        })?;
        let value: Value = serde_norway::from_str(raw).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line() + 1, l.column()));
            ParseError::at(
                format!("invalid YAML front matter: {}", yaml_message(&e)),
                line,
                column,
            )
        })?;
        Ok(Document {
            format: FrontMatterFormat::Yaml,
            front_matter: value,
            body: body.to_owned(),
        })
    } else if let Some(rest) = strip_fence(text, "+++") {
        let (raw, body) = split_closing(rest, &["+++"]).ok_or_else(|| {
            ParseError::at("unterminated TOML front matter: no closing `+++`", 1, 1)
        })?;
        let table: toml::Table = toml::from_str(raw).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_column(raw, span.start));
            ParseError::at(
                format!("invalid TOML front matter: {}", e.message()),
                line + 1,
                column,
            )
        })?;
        Ok(Document {
            format: FrontMatterFormat::Toml,
            front_matter: toml_to_json(toml::Value::Table(table)),
            body: body.to_owned(),
        })
    } else if text.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        let value = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                return Err(ParseError::at(
                    format!("invalid JSON front matter: {e}"),
                    e.line(),
                    e.column(),
                ));
            }
            None => return Err(ParseError::new("empty JSON front matter")),
        };
        let body = &text[stream.byte_offset()..];
        Ok(Document {
            format: FrontMatterFormat::Json,
            front_matter: value,
            body: body.strip_prefix('\n').unwrap_or(body).to_owned(),
        })
    } else {
        Err(ParseError::at(
            "no front matter: the file must start with `---`, `+++` or `{`",
            1,
            1,
        ))
    }
}

/// Removes a UTF-8 BOM and turns CRLF (and lone CR) line ends into LF.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// The text after an opening fence line, if `text` starts with one.
fn strip_fence<'a>(text: &'a str, fence: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(fence)?;
    let (line, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    line.trim().is_empty().then_some(rest)
}

/// Splits at the first line that is exactly one of `fences`: (front matter, body).
fn split_closing<'a>(text: &'a str, fences: &[&str]) -> Option<(&'a str, &'a str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if fences.contains(&line.trim_end()) {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn yaml_message(e: &serde_norway::Error) -> String {
    // The location is reported separately; keep the message short.
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The post fields the directory keeps, read from any front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct PostMeta {
    pub title: String,
    pub published_at: DateTime<Utc>,
    /// Minutes east of UTC as written; `None` for a time without an offset.
    pub offset_minutes: Option<i32>,
    pub slug: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub images: Vec<String>,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
}

/// Reads the fields Hugo defines; other keys are ignored as Hugo does.
pub fn post_meta(fm: &Value) -> Result<PostMeta, ParseError> {
    let Value::Object(map) = fm else {
        return Err(ParseError::new("the front matter is not a table of keys"));
    };
    let get = |key: &str| {
        map.get(key)
            .or_else(|| map.get(&key.to_lowercase()))
            .filter(|v| !v.is_null())
    };
    let title = get("title")
        .and_then(scalar_string)
        .map(|t| plain_text(&t))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ParseError::new("no title in the front matter"))?;
    let date_value = ["date", "publishDate", "pubDate", "published", "lastmod"]
        .iter()
        .find_map(|k| get(k))
        .ok_or_else(|| ParseError::new("no date in the front matter"))?;
    let date_text =
        scalar_string(date_value).ok_or_else(|| ParseError::new("`date` is not a date"))?;
    let (published_at, offset_minutes) = parse_date(&date_text)
        .ok_or_else(|| ParseError::new(format!("`date` is not a date: {date_text:?}")))?;
    let mut authors = string_list(get("authors"));
    authors.extend(string_list(get("author")));
    Ok(PostMeta {
        title,
        published_at,
        offset_minutes,
        slug: get("slug")
            .and_then(scalar_string)
            .map(|s| s.trim().trim_matches('/').to_owned())
            .filter(|s| !s.is_empty()),
        authors,
        tags: string_list(get("tags")),
        categories: string_list(get("categories")),
        images: string_list(get("images")),
        aliases: string_list(get("aliases")),
        summary: ["summary", "description"].iter().find_map(|k| {
            get(k)
                .and_then(scalar_string)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        }),
        draft: get("draft").is_some_and(|v| match v {
            Value::Bool(b) => *b,
            Value::String(s) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }),
    })
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string or a list of strings; empty entries dropped.
fn string_list(v: Option<&Value>) -> Vec<String> {
    let items: Vec<String> = match v {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_string).collect(),
        Some(v) => scalar_string(v).into_iter().collect(),
        None => Vec::new(),
    };
    items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// RFC 3339 with or without offset or fractions, `T` or space, or a bare date.
pub fn parse_date(text: &str) -> Option<(DateTime<Utc>, Option<i32>)> {
    let text = text.trim();
    if let Ok(dt) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
        return Some((dt.to_utc(), Some(dt.offset().local_minus_utc() / 60)));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::<FixedOffset>::parse_from_str(text, format) {
            return Some((dt.to_utc(), Some(dt.offset().local_minus_utc() / 60)));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some((dt.and_utc(), None));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| (dt.and_utc(), None))
}

/// A title as plain text: HTML tags some posts put in theirs (`Kubecon 2023: <br> Architecting
/// Futures`) left out, white space collapsed. A `<` that does not start a tag stays.
fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>').filter(|_| tag) {
            Some(end) => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[path = "frontmatter_tests.rs"]
mod tests;
