//! CEN Planner: plan Alibaba Cloud Cloud Enterprise Network topologies and check them against the
//! rulebook.
//!
//! `core` is the pure topology core shared by the browser app, the CLI and the tests; `ui` is the
//! Leptos app (feature `ui`, built for wasm32 by Trunk).

pub mod core;

#[cfg(feature = "ui")]
pub mod ui;
