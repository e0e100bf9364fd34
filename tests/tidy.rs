//! Invariants of the source tree: the core stays pure, and nothing is left as a stub.

use std::path::Path;

/// The project's directory when the test runs, not when it was built (cargo reuses a build made in
/// another checkout of the project, whose `env!("CARGO_MANIFEST_DIR")` is that checkout).
fn root() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_uses_no_ui_browser_io_clock_or_randomness() {
    let mut files = Vec::new();
    rust_files(&Path::new(&root()).join("src/core"), &mut files);
    assert!(!files.is_empty());
    let forbidden = [
        "leptos",
        "web_sys",
        "js_sys",
        "wasm_bindgen",
        "gloo",
        "SystemTime",
        "Instant::",
        "rand::",
        "println!",
        "eprintln!",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Tests may read committed files (the schema check); production code may not.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for word in forbidden.iter().chain(["std::fs", "std::env"].iter()) {
            assert!(!code.contains(word), "{} mentions {word}", file.display());
        }
    }
}

#[test]
fn no_stubs_and_no_ignored_or_should_panic_tests() {
    let mut files = Vec::new();
    rust_files(&Path::new(&root()).join("src"), &mut files);
    rust_files(&Path::new(&root()).join("tests"), &mut files);
    let me = file!().rsplit('/').next().unwrap();
    for file in files.iter().filter(|f| !f.ends_with(me)) {
        let text = std::fs::read_to_string(file).unwrap();
        for word in ["todo!(", "unimplemented!(", "#[ignore]", "#[should_panic]"] {
            assert!(!text.contains(word), "{} contains {word}", file.display());
        }
    }
}

/// The core's layers, lowest first: a module may use its own layer and the layers below it, never one
/// above (`docs/architecture.md`). Every module of `src/core` must be placed here.
const LAYERS: &[&[&str]] = &[
    &["cidr", "date", "catalog", "rulebook"],
    &[
        "model", "format", "stored", "edit", "fields", "draw", "examples", "generate", "schema",
    ],
    &["findings"],
    &["facts"],
    &["dataplane"],
    &["rules", "reach", "matrix", "flows", "explain"],
    &["analysis"],
    &[
        "diagram",
        "condense",
        "png",
        "report",
        "diff",
        "answers",
        "testing",
        "worked_examples",
    ],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

#[test]
fn core_modules_import_only_from_their_layer_or_below() {
    let core = Path::new(&root()).join("src/core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&core).unwrap();
        let module = rel.iter().next().unwrap().to_str().unwrap().trim_end_matches(".rs");
        if module == "mod" {
            continue;
        }
        let Some(mine) = layer_of(module) else {
            wrong.push(format!("src/core/{module} has no layer in tests/tidy.rs LAYERS"));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let top_level = rel.components().count() == 1;
        let mut uses: Vec<&str> = code.split("crate::core::").skip(1).collect();
        if top_level {
            uses.extend(code.split("super::").skip(1));
        }
        for rest in uses {
            let dep: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            match layer_of(&dep) {
                Some(l) if l > mine => wrong.push(format!("src/core/{} uses core::{dep}, a layer above it", rel.display())),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
