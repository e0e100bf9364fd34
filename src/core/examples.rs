//! The example plans of the seed scenarios, embedded so the app can open them from a menu.
//!
//! The files live in `examples/` at the top of the repository, where the CLI and people can read
//! them too; tests check that each one loads and gives the verdict its seed describes.

/// One example plan: a stable key, a title for the menu, and the plan-file text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// File stem in `examples/` and key in the menu.
    pub key: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// The plan file.
    pub json: &'static str,
}

macro_rules! example {
    ($key:literal, $title:literal) => {
        Example {
            key: $key,
            title: $title,
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
    example!("seed-003-vpn-global-network", "Seed 003 — global network with VPN Gateway and CEN"),
    example!("seed-004-peering-migration", "Seed 004 — migrating a peered VPC to CEN"),
    example!(
        "hub-and-spoke-forbidden-spokes",
        "Hub and spoke — declared flows, spokes forbidden to talk"
    ),
];

/// The example with this key.
pub fn find(key: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.key == key)
}
