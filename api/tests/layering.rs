//! The layers of `api/src` and the one direction their dependencies take (README, Layout):
//!
//! routes, startup, state, auth, extract (HTTP) → services → entity, with views shaping what
//! they are handed and the importer and seed on top of services.
//!
//! This test reads every source file of a layer and fails, naming the file, the line and the
//! rule, when one names a module its layer must not depend on: `crate::…` paths (also grouped
//! in `use crate::{…}`), `super::…` paths that climb out of the layer, and outside crates.

use std::path::{Path, PathBuf};

/// A layer, the modules it must not name and why.
struct Rule {
    /// The folder under `api/src` the rule covers.
    layer: &'static str,
    /// Top-level modules of the crate it must not name.
    modules: &'static [&'static str],
    /// Outside crates it must not name.
    crates: &'static [&'static str],
    why: &'static str,
}

/// The HTTP layer's modules: nothing below it may name them.
const HTTP: &[&str] = &[
    "routes",
    "startup",
    "state",
    "auth",
    "extract",
    "middleware",
    "openapi",
];
const ACTIX: &[&str] = &["actix_web", "actix_cors", "actix_http", "utoipa_actix_web"];

const RULES: &[Rule] = &[
    Rule {
        layer: "services",
        modules: &[
            "routes",
            "startup",
            "state",
            "auth",
            "extract",
            "middleware",
            "openapi",
            "import",
            "seed",
            "cli",
        ],
        crates: ACTIX,
        why: "services sit below HTTP and below the importer: they run from the importer, the CLI \
              and tests without actix, and the importer calls them, not the reverse",
    },
    Rule {
        layer: "views",
        modules: &[
            "routes", "startup", "state", "auth", "extract", "services", "import", "seed", "cli",
        ],
        crates: ACTIX,
        why: "views shape what they are handed; they fetch nothing and know no HTTP",
    },
    Rule {
        layer: "import",
        modules: HTTP,
        crates: ACTIX,
        why: "the importer runs without a server: it calls services, never the HTTP layer",
    },
    Rule {
        layer: "seed",
        modules: HTTP,
        crates: ACTIX,
        why: "the seeder runs without a server: it writes through services and entities",
    },
];

/// One forbidden name found in a file.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    line: usize,
    name: String,
}

/// The `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The module path of a file below `src` (`services/writes/mod.rs` → `["services", "writes"]`).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of `text` with comments and string literals blanked (line numbers kept).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_string, mut block) = (false, 0usize);
    while let Some(c) = chars.next() {
        if block > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block += 1;
            }
            out.push(if c == '\n' { '\n' } else { ' ' });
        } else if in_string {
            if c == '\\' {
                chars.next();
            } else if c == '"' {
                in_string = false;
            }
            out.push(if c == '\n' { '\n' } else { ' ' });
        } else if c == '/' && chars.peek() == Some(&'/') {
            for rest in chars.by_ref() {
                if rest == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            block = 1;
            out.push(' ');
        } else if c == '"' {
            in_string = true;
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Every path in `code` that starts at the crate root (`crate::x`, `use crate::{x, y::z}`, or
/// `super::` climbing to the root from `module`), or names an outside crate, as the first
/// segment it names, with its line.
fn named_roots(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let bytes: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            if !is_ident(bytes[i]) || (i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == ':')) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word: String = bytes[start..i].iter().collect();
            // Segments of this path.
            let mut segments = vec![word];
            let mut j = i;
            while j + 1 < bytes.len() && bytes[j] == ':' && bytes[j + 1] == ':' {
                j += 2;
                let s = j;
                while j < bytes.len() && is_ident(bytes[j]) {
                    j += 1;
                }
                if s == j {
                    break;
                }
                segments.push(bytes[s..j].iter().collect());
            }
            let grouped = j + 1 < bytes.len() && bytes[j - 1] == ':' && bytes[j] == '{';
            i = j.max(i);
            let mut depth = module.len();
            let mut rest = &segments[..];
            match rest.first().map(String::as_str) {
                Some("crate") => depth = 0,
                Some("super") => {
                    while rest.first().is_some_and(|s| s == "super") {
                        depth = depth.saturating_sub(1);
                        rest = &rest[1..];
                    }
                    // `super::` inside `mod.rs` or a file: one level up from the module.
                    if depth == 0 {
                        found.extend(rest.first().map(|s| (n + 1, s.clone())));
                    }
                    continue;
                }
                Some(name) if ACTIX.contains(&name) => {
                    found.push((n + 1, name.to_owned()));
                    continue;
                }
                _ => continue,
            }
            if depth == 0 {
                rest = &rest[1..];
                if let Some(first) = rest.first() {
                    found.push((n + 1, first.clone()));
                } else if grouped {
                    // `crate::{a, b::c}`: the first segment of each member at the top level.
                    let mut k = j + 1;
                    let mut level = 0;
                    let mut expect = true;
                    while k < bytes.len() {
                        match bytes[k] {
                            '{' => level += 1,
                            '}' if level == 0 => break,
                            '}' => level -= 1,
                            ',' if level == 0 => expect = true,
                            c if expect && is_ident(c) => {
                                let s = k;
                                while k < bytes.len() && is_ident(bytes[k]) {
                                    k += 1;
                                }
                                found.push((n + 1, bytes[s..k].iter().collect()));
                                expect = false;
                                continue;
                            }
                            _ => {}
                        }
                        k += 1;
                    }
                }
            }
        }
    }
    found
}

/// What `text`, the file at `module`, names that `rule` forbids.
fn violations(text: &str, module: &[String], rule: &Rule) -> Vec<Violation> {
    named_roots(&code_only(text), module)
        .into_iter()
        .filter(|(_, name)| {
            rule.modules.contains(&name.as_str()) || rule.crates.contains(&name.as_str())
        })
        .map(|(line, name)| Violation { line, name })
        .collect()
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut report = Vec::new();
    let mut files = 0;
    for rule in RULES {
        for path in rust_files(&src.join(rule.layer)) {
            files += 1;
            let relative = path.strip_prefix(&src).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            for v in violations(&text, &module_path(relative), rule) {
                report.push(format!(
                    "api/src/{}:{} names `{}`, which the {} layer must not: {}",
                    relative.display(),
                    v.line,
                    v.name,
                    rule.layer,
                    rule.why
                ));
            }
        }
    }
    assert!(
        files > 30,
        "only {files} files read: is the layout still api/src/<layer>?"
    );
    assert!(report.is_empty(), "layering broken:\n{}", report.join("\n"));
}

#[test]
fn the_check_sees_every_way_of_naming_a_module() {
    let services = &RULES[0];
    let module = module_path(Path::new("services/writes/events.rs"));
    let names = |text: &str| -> Vec<String> {
        violations(text, &module, services)
            .into_iter()
            .map(|v| v.name)
            .collect()
    };
    assert_eq!(names("use crate::routes::events::page;"), ["routes"]);
    assert_eq!(
        names("let p = crate::routes::speakers::page(db).await?;"),
        ["routes"]
    );
    assert_eq!(
        names("use crate::{error::ApiError, import::store, auth::Caller};"),
        ["import", "auth"]
    );
    assert_eq!(
        names("use super::super::super::startup::AppState;"),
        ["startup"]
    );
    assert_eq!(names("use actix_web::HttpRequest;"), ["actix_web"]);
    assert_eq!(names("fn f(r: &actix_web::HttpRequest) {}"), ["actix_web"]);
    // Allowed: what is below, what is in the layer, and text that only mentions a module.
    assert!(names("use crate::services::text::now;\nuse super::input::Field;").is_empty());
    assert!(names("use super::super::events::Lookup;").is_empty());
    assert!(
        names("// crate::routes::x\n/// see crate::import\nlet s = \"crate::routes\";").is_empty()
    );
    assert_eq!(
        violations(
            "use crate::services::directory::TagCount;",
            &module_path(Path::new("views/directory.rs")),
            &RULES[1]
        )
        .into_iter()
        .map(|v| v.line)
        .collect::<Vec<_>>(),
        [1]
    );
}
