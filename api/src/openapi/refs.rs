//! One schema for each thing: utoipa writes a generic's argument (the items of
//! `Page<EventSummary>`) and a query parameter's enum (`kind`) inline, where generated clients
//! then make a type of their own (`PageEventSummaryDataItem`, `ListEventsKind`). Every schema
//! equal to a named component is replaced by a `$ref` to it.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// Replaces every inline copy of a component schema in `doc` by a reference to it, and gives
/// each nullable reference (`oneOf: [$ref, null]`) the example of the component it names.
pub(super) fn reference_components(doc: &mut Value) {
    exemplify_nullable_references(doc);
    let named: HashMap<String, String> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| (canonical(schema), name.clone()))
        .collect();
    refer(&mut doc["paths"], &named);
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            // A component's own body stays; what is inside it may be a copy of another.
            match schema {
                Value::Object(members) => members.values_mut().for_each(|v| refer(v, &named)),
                other => refer(other, &named),
            }
        }
    }
}

fn refer(node: &mut Value, named: &HashMap<String, String>) {
    if node.is_object()
        && let Some(name) = named.get(&canonical(node))
    {
        *node = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        return;
    }
    match node {
        Value::Object(members) => members.values_mut().for_each(|v| refer(v, named)),
        Value::Array(items) => items.iter_mut().for_each(|v| refer(v, named)),
        _ => {}
    }
}

/// `value` as JSON with every object's members in key order, to compare schemas.
fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(members) => {
                let members: BTreeMap<&String, Value> =
                    members.iter().map(|(k, v)| (k, sorted(v))).collect();
                serde_json::to_value(members).unwrap_or_default()
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// utoipa leaves a nullable reference without an example (it drops the one given on the
/// field), so generators and test tools fill the member with `null`, never with an object:
/// the referenced component's example is given to the reference.
fn exemplify_nullable_references(doc: &mut Value) {
    let examples: HashMap<String, Value> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let example = schema.get("example")?;
            Some((format!("#/components/schemas/{name}"), example.clone()))
        })
        .collect();
    fn visit(node: &mut Value, examples: &HashMap<String, Value>) {
        if let Some(members) = node.as_object_mut() {
            let target = members
                .get("oneOf")
                .and_then(Value::as_array)
                .and_then(|options| {
                    let nullable = options.iter().any(|o| o["type"] == "null");
                    let reference = options.iter().find_map(|o| o["$ref"].as_str());
                    reference.filter(|_| nullable && options.len() == 2)
                });
            if let Some(example) = target.and_then(|r| examples.get(r))
                && !members.contains_key("example")
            {
                members.insert("example".to_owned(), example.clone());
            }
        }
        match node {
            Value::Object(members) => members.values_mut().for_each(|v| visit(v, examples)),
            Value::Array(items) => items.iter_mut().for_each(|v| visit(v, examples)),
            _ => {}
        }
    }
    visit(doc, &examples);
}
