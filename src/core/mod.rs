//! The topology core: the plan model, the region catalog, the plan file format, edits and the rules.
//!
//! Pure Rust: no UI, no browser API, no I/O, no clock, no randomness. It compiles natively (tests,
//! benchmarks, the CLI) and to wasm (the app), and is the only place where CEN rules live. The UI and
//! the CLI use what this module exports; data flows one way: plan → `rules::check` → view.

pub mod analysis;
pub mod answers;
pub mod catalog;
pub mod cidr;
pub mod condense;
pub mod dataplane;
pub mod date;
pub mod diagram;
pub mod diff;
pub mod draw;
pub mod edit;
pub mod examples;
pub mod explain;
pub mod facts;
pub mod fields;
pub mod findings;
pub mod flows;
pub mod format;
pub mod generate;
pub mod matrix;
pub mod model;
pub mod png;
pub mod reach;
pub mod report;
pub mod rulebook;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod stored;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod worked_examples;
