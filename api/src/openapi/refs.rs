//! One schema for each thing: utoipa writes a generic's argument (the items of
//! `Page<EventSummary>`) and a query parameter's enum (`kind`) inline, where generated clients
//! then make a type of their own (`PageEventSummaryDataItem`, `ListEventsKind`). Every schema
//! equal to a named component is replaced by a `$ref` to it.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// Replaces every inline copy of a component schema in `doc` by a reference to it.
pub(super) fn reference_components(doc: &mut Value) {
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
