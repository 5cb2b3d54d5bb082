//! Reading write bodies so that every wrong field is reported at once.
//!
//! Each field of an input struct is a [`Field`], which accepts any JSON value and remembers
//! whether it was absent, `null`, a good value or a bad one; unknown members are collected by a
//! flattened map. Nothing fails while deserializing, so [`Builder`] can then walk all fields,
//! apply them to the current record (JSON Merge Patch: absent keeps, `null` clears) and list
//! every problem with its JSON pointer.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ApiError, FieldError};

/// One member of a write body.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    /// Not in the body: keep the current value.
    #[default]
    Absent,
    /// `null`: clear it.
    Null,
    Value(T),
    /// Present with a value of the wrong type or form; the message says why.
    Invalid(String),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Field::Null);
        }
        if holds_control_character(&value) {
            return Ok(Field::Invalid(
                "must not contain NUL or other control characters (line breaks and tabs aside)"
                    .to_owned(),
            ));
        }
        let shown = value.to_string();
        Ok(match serde_json::from_value::<T>(value) {
            Ok(v) => Field::Value(v),
            Err(e) => Field::Invalid(describe(&e.to_string(), &shown)),
        })
    }
}

/// Whether a string in `value` holds a control character other than a tab or a line break:
/// NUL cannot be stored on PostgreSQL, and none of them belongs in a record.
fn holds_control_character(value: &Value) -> bool {
    match value {
        Value::String(s) => s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
        Value::Array(items) => items.iter().any(holds_control_character),
        Value::Object(members) => members.values().any(holds_control_character),
        _ => false,
    }
}

/// serde's message, made readable for API clients.
fn describe(message: &str, shown: &str) -> String {
    let shown: String = shown.chars().take(60).collect();
    if message.contains("premature end of input")
        || message.contains("input contains invalid characters")
        || message.contains("input is out of range")
        || message.contains("input is not enough for unique date")
        || message.contains("trailing input")
    {
        return format!("{shown} is not a valid date or time (use YYYY-MM-DD or RFC 3339)");
    }
    message.to_owned()
}

/// Unknown members of a body.
pub type Unknown = BTreeMap<String, Value>;

/// Collects the errors of one write while applying its fields.
#[derive(Debug)]
pub struct Builder {
    creating: bool,
    errors: Vec<FieldError>,
    /// Fields whose problems only follow from another's (a slug made from a bad name).
    quiet: Vec<String>,
}

impl Builder {
    /// `creating`: required fields must be present.
    pub fn new(creating: bool, unknown: &Unknown) -> Self {
        let errors = unknown
            .keys()
            .map(|k| FieldError::new(pointer(k), "is not a field of this resource"))
            .collect();
        Self {
            creating,
            errors,
            quiet: Vec::new(),
        }
    }

    pub fn creating(&self) -> bool {
        self.creating
    }

    /// Records a problem with `field` (a member name or a pointer).
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        let field = pointer(field);
        if !self.quiet.contains(&field) && !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError::new(field, message));
        }
    }

    /// The slug member: given, or on create without one made from `source` (the name or the
    /// title). Says whether it was made, for [`Builder::derived_slug`] once every field is
    /// applied.
    pub fn slug(&mut self, field: Field<String>, slug: &mut String, source: &str) -> bool {
        match field {
            Field::Absent if self.creating => {
                *slug = crate::services::text::slug_from(source);
                true
            }
            field => {
                self.required("slug", field, slug);
                false
            }
        }
    }

    /// After a slug was made from `source` (a name or title): when `source` is wrong the
    /// slug's problems are its consequence and go unreported; an empty slug is reported.
    pub fn derived_slug(&mut self, source: &str, source_value: &str, slug: &str) {
        if self.has_error(source) || source_value.trim().is_empty() {
            self.quiet.push(pointer("slug"));
        } else if slug.is_empty() {
            self.error(
                "slug",
                format!("cannot be made from this {source}; give one"),
            );
        }
    }

    pub fn has_error(&self, field: &str) -> bool {
        let field = pointer(field);
        self.errors.iter().any(|e| e.field == field)
    }

    /// A field that must always have a value.
    pub fn required<T>(&mut self, name: &str, field: Field<T>, current: &mut T) {
        match field {
            Field::Value(v) => *current = v,
            Field::Absent if !self.creating => {}
            Field::Absent | Field::Null => self.error(name, "is required"),
            Field::Invalid(message) => self.error(name, message),
        }
    }

    /// A field that always has a value but has a default on create.
    pub fn defaulted<T>(&mut self, name: &str, field: Field<T>, current: &mut T) {
        match field {
            Field::Value(v) => *current = v,
            Field::Absent => {}
            Field::Null => self.error(name, "cannot be null"),
            Field::Invalid(message) => self.error(name, message),
        }
    }

    /// A field that may be empty (`null` clears it).
    pub fn optional<T>(&mut self, name: &str, field: Field<T>, current: &mut Option<T>) {
        match field {
            Field::Value(v) => *current = Some(v),
            Field::Null => *current = None,
            Field::Absent => {}
            Field::Invalid(message) => self.error(name, message),
        }
    }

    /// An optional URL: stored as the URL parser writes it (`HTTPS://Kcd.Example` becomes
    /// `https://kcd.example/`), so the text kept is the URL that was checked. One that does
    /// not parse is kept as given, for validation to report.
    pub fn url(&mut self, name: &str, field: Field<String>, current: &mut Option<String>) {
        let field = match field {
            Field::Value(text) if http_url(&text).is_ok() => {
                Field::Value(url::Url::parse(&text).map_or(text, String::from))
            }
            other => other,
        };
        self.optional(name, field, current);
    }

    /// A field whose value is only accepted on create (it names the resource).
    pub fn fixed<T>(&mut self, name: &str, field: Field<T>) -> Option<T> {
        match field {
            Field::Value(v) if self.creating => Some(v),
            Field::Absent if !self.creating => None,
            Field::Absent | Field::Null if self.creating => {
                self.error(name, "is required");
                None
            }
            Field::Invalid(message) => {
                self.error(name, message);
                None
            }
            _ => {
                self.error(name, "cannot be changed; delete and create instead");
                None
            }
        }
    }

    /// Adds the errors `validator` found, except on fields already reported.
    pub fn validated(&mut self, result: Result<(), validator::ValidationErrors>) {
        let Err(errors) = result else { return };
        let mut fields: Vec<_> = errors.field_errors().into_iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, list) in fields {
            let name = name.trim_start_matches("r#");
            if let Some(first) = list.first() {
                let message = first
                    .message
                    .as_ref()
                    .map_or_else(|| first.code.to_string(), ToString::to_string);
                self.error(name, message);
            }
        }
    }

    /// 422 listing every problem, or `value`.
    pub fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

/// `name` as a JSON pointer (RFC 6901).
fn pointer(name: &str) -> String {
    if name.starts_with('/') || name.is_empty() {
        name.to_owned()
    } else {
        format!("/{}", name.replace('~', "~0").replace('/', "~1"))
    }
}

/// The members whose values differ between two records: `(before, after)`.
pub fn changed<T: Serialize>(
    before: &T,
    after: &T,
) -> (
    serde_json::Map<String, Value>,
    serde_json::Map<String, Value>,
) {
    let before = serde_json::to_value(before).unwrap_or_default();
    let after = serde_json::to_value(after).unwrap_or_default();
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return Default::default();
    };
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    for (key, value) in &after {
        let previous = before.get(key).cloned().unwrap_or(Value::Null);
        if previous != *value {
            old.insert(key.clone(), previous);
            new.insert(key.clone(), value.clone());
        }
    }
    (old, new)
}

// Rules shared by the resources, for `#[validate(custom(function = "input::…"))]`.
pub use super::rules::{country, http_url, slug, timezone};

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Input {
        name: Field<String>,
        count: Field<i32>,
        #[serde(flatten)]
        unknown: Unknown,
    }

    #[test]
    fn fields_remember_absent_null_value_and_invalid() {
        let input: Input =
            serde_json::from_str(r#"{"name": null, "count": "x", "extra": 1}"#).unwrap();
        assert_eq!(input.name, Field::Null);
        assert!(matches!(input.count, Field::Invalid(_)));
        assert_eq!(input.unknown.keys().collect::<Vec<_>>(), ["extra"]);
        let input: Input = serde_json::from_str(r#"{"count": 3}"#).unwrap();
        assert_eq!(input.name, Field::Absent);
        assert_eq!(input.count, Field::Value(3));
    }

    #[test]
    fn the_builder_reports_every_field() {
        let input: Input = serde_json::from_str(r#"{"count": "x", "extra": 1}"#).unwrap();
        let mut b = Builder::new(true, &input.unknown);
        let mut name = String::new();
        let mut count = Some(0);
        b.required("name", input.name, &mut name);
        b.optional("count", input.count, &mut count);
        let Err(ApiError::Validation(errors)) = b.finish(()) else {
            panic!("expected errors")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["/extra", "/name", "/count"]);
    }

    #[test]
    fn changed_lists_only_differences() {
        let (old, new) = changed(
            &serde_json::json!({"a": 1, "b": 2}),
            &serde_json::json!({"a": 1, "b": 3}),
        );
        assert_eq!(Value::Object(old), serde_json::json!({"b": 2}));
        assert_eq!(Value::Object(new), serde_json::json!({"b": 3}));
    }
}
