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
        "Namespace",
        "NetworkPolicy",
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

    // The ConfigMap's variables are ones the binary reads; it listens on the ports.
    let known = api::cli::environment_variables();
    let config = m["ConfigMap"]["data"].as_object().unwrap();
    for name in config.keys() {
        assert!(
            known.contains(name),
            "{name} is not read by eventdir ({known:?})"
        );
    }
    let port_of = |var: &str| {
        config[var]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(port_of("EVENTDIR_BIND"), port.to_string());
    assert_eq!(container["ports"][1]["name"], "metrics");
    let metrics_port = container["ports"][1]["containerPort"].as_u64().unwrap();
    assert_eq!(port_of("EVENTDIR_METRICS_BIND"), metrics_port.to_string());
    assert!(
        api::origin::public_url(config["EVENTDIR_PUBLIC_URL"].as_str().unwrap()).is_ok(),
        "links are not built from client headers"
    );
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
    // The database URL comes from a Secret the operator creates: none is committed.
    assert!(refs.contains(&"eventdir-database"));

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

    // The Service, the budget and the autoscaler point at these pods; the Service exposes the
    // API and not the metrics.
    let service = &m["Service"]["spec"];
    assert_eq!(&service["selector"], labels);
    assert_eq!(service["ports"][0]["targetPort"], port_name);
    assert_eq!(service["ports"].as_array().unwrap().len(), 1);
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

/// What a cluster needs to run it safely: a pinned image, no service account token, seccomp,
/// every resource in the namespace, and a NetworkPolicy that lets the API port in from
/// anywhere, the metrics port from monitoring only, and out only DNS and the database.
#[test]
fn the_kubernetes_manifests_are_locked_down() {
    let m = manifests();
    let pod = &m["Deployment"]["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    let image = container["image"].as_str().unwrap();
    assert_eq!(
        image.rsplit_once(':').unwrap().1,
        env!("CARGO_PKG_VERSION"),
        "{image}: the released version, not a moving tag"
    );
    assert_eq!(pod["automountServiceAccountToken"], false);
    assert_eq!(
        pod["securityContext"]["seccompProfile"]["type"],
        "RuntimeDefault"
    );
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    let security = &container["securityContext"];
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["capabilities"]["drop"][0], "ALL");

    let namespace = m["Namespace"]["metadata"]["name"].as_str().unwrap();
    for (kind, doc) in &m {
        if !matches!(kind.as_str(), "Namespace" | "Kustomization") {
            assert_eq!(doc["metadata"]["namespace"], namespace, "{kind}");
        }
    }
    assert_eq!(
        m["Namespace"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
        "restricted"
    );

    let policy = &m["NetworkPolicy"]["spec"];
    assert_eq!(
        &policy["podSelector"]["matchLabels"],
        &m["Deployment"]["spec"]["template"]["metadata"]["labels"]
    );
    assert_eq!(
        policy["policyTypes"],
        serde_json::json!(["Ingress", "Egress"])
    );
    let port = |rule: &Value| rule["ports"][0]["port"].as_u64().unwrap();
    let api_port = container["ports"][0]["containerPort"].as_u64().unwrap();
    let metrics_port = container["ports"][1]["containerPort"].as_u64().unwrap();
    let ingress = policy["ingress"].as_array().unwrap();
    let api = ingress.iter().find(|r| port(r) == api_port).unwrap();
    assert!(api.get("from").is_none(), "the API is open to every client");
    let metrics = ingress.iter().find(|r| port(r) == metrics_port).unwrap();
    assert_eq!(
        metrics["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
        "monitoring"
    );
    assert_eq!(ingress.len(), 2);
    let egress: Vec<u64> = policy["egress"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["ports"].as_array().unwrap().iter())
        .map(|p| p["port"].as_u64().unwrap())
        .collect();
    assert_eq!(egress, [53, 53, 5432], "DNS and the database only");
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
