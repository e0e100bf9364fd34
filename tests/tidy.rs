//! Invariants of the source tree: the core stays pure, and nothing is left as a stub.

use std::path::Path;

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
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
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
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"), &mut files);
    let me = file!().rsplit('/').next().unwrap();
    for file in files.iter().filter(|f| !f.ends_with(me)) {
        let text = std::fs::read_to_string(file).unwrap();
        for word in ["todo!(", "unimplemented!(", "#[ignore]", "#[should_panic]"] {
            assert!(!text.contains(word), "{} contains {word}", file.display());
        }
    }
}
