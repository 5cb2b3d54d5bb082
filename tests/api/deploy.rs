//! The deployment files agree with the binary: probe paths, ports and variable names.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn manifests() -> BTreeMap<String, Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kubernetes");
    let mut by_kind = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_norway::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        let kind = doc["kind"].as_str().unwrap().to_owned();
        assert!(by_kind.insert(kind.clone(), doc).is_none(), "two {kind}s");
    }
    by_kind
}

#[test]
fn the_kubernetes_manifests_match_the_binary() {
    let m = manifests();
    for kind in [
        "Deployment",
        "Service",
        "ConfigMap",
        "Secret",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "Kustomization",
    ] {
        assert!(m.contains_key(kind), "no {kind}");
    }
    let deployment = &m["Deployment"];
    assert_eq!(deployment["spec"]["replicas"], 3);
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    assert_eq!(&deployment["spec"]["selector"]["matchLabels"], labels);
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];

    // The documented probe paths, on the container's port.
    let spec = api::openapi::spec();
    let port_name = container["ports"][0]["name"].as_str().unwrap();
    let port = container["ports"][0]["containerPort"].as_u64().unwrap();
    for (probe, path) in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}");
        assert_eq!(get["port"], port_name, "{probe}");
        assert!(spec.paths.paths.contains_key(path), "{path} is not served");
    }
    for resources in ["requests", "limits"] {
        assert!(container["resources"][resources]["cpu"].is_string());
        assert!(container["resources"][resources]["memory"].is_string());
    }

    // The ConfigMap's and Secret's variables are ones the binary reads; it listens on the port.
    let known = api::cli::environment_variables();
    let config = m["ConfigMap"]["data"].as_object().unwrap();
    let secret = m["Secret"]["stringData"].as_object().unwrap();
    for name in config.keys().chain(secret.keys()) {
        assert!(
            known.contains(name),
            "{name} is not read by eventdir ({known:?})"
        );
    }
    assert!(secret.contains_key("DATABASE_URL"));
    let bind = config["EVENTDIR_BIND"].as_str().unwrap();
    assert_eq!(bind.rsplit(':').next().unwrap(), port.to_string());
    let refs: Vec<&str> = container["envFrom"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            r.get("configMapRef")
                .or_else(|| r.get("secretRef"))
                .and_then(|r| r["name"].as_str())
        })
        .collect();
    assert!(refs.contains(&m["ConfigMap"]["metadata"]["name"].as_str().unwrap()));
    assert!(refs.contains(&m["Secret"]["metadata"]["name"].as_str().unwrap()));

    // Shutdown grace fits in the pod's termination grace.
    let grace: u64 = config["EVENTDIR_SHUTDOWN_GRACE"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let termination = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        .as_u64()
        .unwrap();
    assert!(grace < termination);

    // The Service, the budget and the autoscaler point at these pods.
    let service = &m["Service"]["spec"];
    assert_eq!(&service["selector"], labels);
    assert_eq!(service["ports"][0]["targetPort"], port_name);
    assert_eq!(
        &m["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
        labels
    );
    let hpa = &m["HorizontalPodAutoscaler"]["spec"];
    assert_eq!(
        hpa["scaleTargetRef"]["name"],
        deployment["metadata"]["name"]
    );
    assert!(hpa["minReplicas"].as_u64().unwrap() >= 2);
    let listed: Vec<&str> = m["Kustomization"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        listed.len(),
        m.len() - 1,
        "every manifest is in the kustomization"
    );
}

#[test]
fn the_dockerfile_runs_the_binary_as_documented() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Dockerfile")).unwrap();
    let known = api::cli::environment_variables();
    for line in text
        .lines()
        .filter(|l| l.contains('=') && l.trim_start().starts_with("ENV"))
    {
        let name = line
            .trim_start()
            .trim_start_matches("ENV")
            .trim()
            .split('=')
            .next()
            .unwrap();
        assert!(
            known.iter().any(|k| k == name),
            "ENV {name} is not read by eventdir"
        );
    }
    assert!(
        text.contains("COPY data data"),
        "the catalog is compiled in from data/"
    );
    assert!(text.contains("EXPOSE 8080"));
    assert!(text.contains("http://127.0.0.1:8080/healthz"));
    assert!(text.contains("USER eventdir"), "not root");
    assert!(text.contains("ENTRYPOINT [\"eventdir\"]") && text.contains("CMD [\"serve\"]"));
    for member in ["api", "entity", "migration", "bench/limit"] {
        assert!(
            text.contains(&format!("COPY {member}/Cargo.toml")),
            "{member} manifest"
        );
    }
}
