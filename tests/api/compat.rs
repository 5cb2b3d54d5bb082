//! Additions only inside `/api/v1`: the committed document keeps every operation, property and
//! enum value of the last released one (`openapi/released-v1.json`).

use std::collections::BTreeSet;

use serde_json::Value;

const RELEASED: &str = include_str!("../../openapi/released-v1.json");
const CURRENT: &str = include_str!("../../openapi/openapi.json");

/// Everything a client may rely on, as comparable strings.
fn surface(spec: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            out.insert(format!("operation {method} {path}"));
            for param in op["parameters"].as_array().into_iter().flatten() {
                out.insert(format!("parameter {method} {path} {}", param["name"]));
                collect_enums(
                    spec,
                    &format!("parameter {method} {path} {}", param["name"]),
                    &param["schema"],
                    &mut out,
                );
            }
            for (status, _) in op["responses"].as_object().into_iter().flatten() {
                out.insert(format!("response {method} {path} {status}"));
            }
        }
    }
    for (name, schema) in spec["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        collect(spec, &format!("schema {name}"), schema, &mut out);
    }
    out
}

fn collect(spec: &Value, at: &str, schema: &Value, out: &mut BTreeSet<String>) {
    for (prop, sub) in schema["properties"].as_object().into_iter().flatten() {
        out.insert(format!("{at}.{prop}"));
        collect(spec, &format!("{at}.{prop}"), sub, out);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for sub in schema[key].as_array().into_iter().flatten() {
            collect(spec, at, sub, out);
        }
    }
    // A schema made of another (`allOf: [{$ref}]`) has that one's properties: moving a property
    // into the referenced schema keeps the promise.
    for sub in schema["allOf"].as_array().into_iter().flatten() {
        if let Some(name) = sub["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            collect(spec, at, &spec["components"]["schemas"][name], out);
        }
    }
    collect_enums(spec, at, schema, out);
}

/// The enum values `schema` allows, through a `$ref` to a component too (a parameter's enum
/// may be written inline or referenced: the same promise).
fn collect_enums(spec: &Value, at: &str, schema: &Value, out: &mut BTreeSet<String>) {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        collect_enums(spec, at, &spec["components"]["schemas"][name], out);
    }
    for value in schema["enum"].as_array().into_iter().flatten() {
        out.insert(format!("{at} = {value}"));
    }
    for key in ["oneOf", "anyOf"] {
        for sub in schema[key].as_array().into_iter().flatten() {
            collect_enums(spec, at, sub, out);
        }
    }
}

/// What `current` removed from `released`.
fn removed(released: &Value, current: &Value) -> Vec<String> {
    surface(released)
        .difference(&surface(current))
        .cloned()
        .collect()
}

#[test]
fn nothing_released_in_v1_was_removed() {
    let released: Value = serde_json::from_str(RELEASED).unwrap();
    let current: Value = serde_json::from_str(CURRENT).unwrap();
    let gone = removed(&released, &current);
    assert!(
        gone.is_empty(),
        "openapi/openapi.json removes what /api/v1 promised (a breaking change belongs in /api/v2; \
         deprecate with Deprecation/Sunset headers instead):\n  {}",
        gone.join("\n  ")
    );
}

#[test]
fn the_check_catches_removed_operations_fields_and_enum_values() {
    let released: Value = serde_json::from_str(RELEASED).unwrap();
    let mut current = released.clone();
    current["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/api/v1/tags");
    current["components"]["schemas"]["EventSummary"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("city");
    let kinds = current["components"]["schemas"]["EventKind"]["enum"]
        .as_array_mut()
        .unwrap();
    kinds.retain(|k| k != "meetup");
    let gone = removed(&released, &current);
    assert!(
        gone.iter().any(|g| g == "operation get /api/v1/tags"),
        "{gone:?}"
    );
    assert!(
        gone.iter().any(|g| g == "schema EventSummary.city"),
        "{gone:?}"
    );
    assert!(
        gone.iter()
            .any(|g| g.starts_with("schema EventKind") && g.contains("meetup")),
        "{gone:?}"
    );
    // Additions are fine.
    let mut added = released.clone();
    added["components"]["schemas"]["EventSummary"]["properties"]["new_field"] =
        serde_json::json!({"type": "string"});
    assert!(removed(&released, &added).is_empty());
}
