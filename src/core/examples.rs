//! The example plans of the seed scenarios, listed for the app's menu.
//!
//! The files live in `examples/` at the top of the repository, where the CLI and people can read
//! them too; tests check that each one loads and gives the verdict its seed describes. Native builds
//! (the CLI, the tests) embed their text; the wasm app does not (it would weigh on the first load):
//! Trunk copies `examples/` next to the app, which fetches a file when it is chosen.

/// One example plan: a stable key, a title for the menu, and the plan-file text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// File stem in `examples/` and key in the menu.
    pub key: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// The plan file (native builds only: the app fetches `examples/KEY.json`).
    #[cfg(not(target_arch = "wasm32"))]
    pub json: &'static str,
}

macro_rules! example {
    ($key:literal, $title:literal) => {
        Example {
            key: $key,
            title: $title,
            #[cfg(not(target_arch = "wasm32"))]
            json: include_str!(concat!("../../examples/", $key, ".json")),
        }
    };
}

/// Every example, in menu order.
pub const EXAMPLES: &[Example] = &[
    example!("seed-000-same-account-same-region", "Seed 000 — same account, same region"),
    example!("seed-000-same-account-cross-region", "Seed 000 — same account, different regions"),
    example!("seed-000-cross-account-same-region", "Seed 000 — different accounts, same region"),
    example!(
        "seed-000-cross-account-cross-region",
        "Seed 000 — different accounts, different regions"
    ),
    example!("seed-001-bandwidth-packages", "Seed 001 — bandwidth packages by area pair"),
    example!("seed-002-ccn-branch", "Seed 002 — a Mainland CCN branch bound to the CEN"),
    example!("seed-003-vpn-global-network", "Seed 003 — global network with VPN Gateway and CEN"),
    example!("seed-004-peering-migration", "Seed 004 — migrating a peered VPC to CEN"),
    example!(
        "hybrid-cloud-two-vbrs-sag-backup",
        "Hybrid cloud — a data centre behind two leased lines and a SAG backup"
    ),
    example!(
        "hub-and-spoke-forbidden-spokes",
        "Hub and spoke — declared flows, spokes forbidden to talk"
    ),
];

/// The example with this key.
pub fn find(key: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.key == key)
}
