//! Links the page's wasm (the `web` binary) with its relocations, which `wasm-split-cli` needs to
//! split it into the parts that load apart (`scripts/build-web.sh`). Nothing else is affected.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("TARGET").is_ok_and(|t| t.starts_with("wasm32")) {
        println!("cargo:rustc-link-arg-bin=web=--emit-relocs");
    }
}
