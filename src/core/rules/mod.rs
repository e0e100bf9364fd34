//! The rules: each check that turns a plan into findings, one module per concern.
//!
//! `check` runs them all and returns a sorted `Report`. Every rule has an entry in `RULES` with its
//! rulebook code (`../shared/cen-rules.md`) or, for plan-integrity checks the rulebook does not cover,
//! a `PLAN-*` code. A rule never returns `Err`: a problem is a finding.

mod area;
mod integrity;
mod overlap;

pub use overlap::{overlapping_pairs, Prefix};

use super::findings::{Report, Severity};
use super::model::{Index, Plan};

/// How sure the rulebook is of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// Stated in a source.
    Doc,
    /// Stated, but dated: the plan's `as_of` setting selects the value.
    DocDated,
    /// Inferred by the rulebook: never worse than a warning.
    Inferred,
    /// A check of the plan's own integrity (not a CEN rule).
    Plan,
}

/// What the app knows about one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code.
    pub code: &'static str,
    /// Short title.
    pub title: &'static str,
    /// Worst severity it reports.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
}

/// Every rule implemented so far.
pub const RULES: &[RuleMeta] = &[
    RuleMeta {
        code: "PLAN-CIDR-001",
        title: "CIDR blocks must parse",
        severity: Severity::Error,
        confidence: Confidence::Plan,
    },
    RuleMeta {
        code: "PLAN-VALUE-001",
        title: "Addresses, dates and UIDs must parse",
        severity: Severity::Error,
        confidence: Confidence::Plan,
    },
    RuleMeta {
        code: "PLAN-REQ-001",
        title: "Required fields are filled in",
        severity: Severity::Error,
        confidence: Confidence::Plan,
    },
    RuleMeta {
        code: "PLAN-REF-001",
        title: "References point at existing entities",
        severity: Severity::Error,
        confidence: Confidence::Plan,
    },
    RuleMeta {
        code: "PLAN-REF-002",
        title: "References point at the right kind of entity",
        severity: Severity::Error,
        confidence: Confidence::Plan,
    },
    RuleMeta {
        code: "CEN-AREA-001",
        title: "Region→area table (date-versioned)",
        severity: Severity::Error,
        confidence: Confidence::DocDated,
    },
    RuleMeta {
        code: "CEN-CIDR-004",
        title: "Everything that must talk must be uniquely addressed",
        severity: Severity::Warning,
        confidence: Confidence::Doc,
    },
    RuleMeta {
        code: "CEN-CIDR-005",
        title: "Identical prefixes from two networks conflict",
        severity: Severity::Error,
        confidence: Confidence::Doc,
    },
    RuleMeta {
        code: "CEN-CIDR-006",
        title: "Overlapping prefixes need the overlapping-routes switch",
        severity: Severity::Error,
        confidence: Confidence::Doc,
    },
];

/// Runs every rule on `plan`.
///
/// ```
/// use cen_planner::core::{model::Plan, rules::check};
/// assert!(check(&Plan::new("Empty", "2019-09-19")).findings.is_empty());
/// ```
pub fn check(plan: &Plan) -> Report {
    let index = Index::new(plan);
    let mut findings = Vec::new();
    integrity::check(plan, &index, &mut findings);
    area::check(plan, &mut findings);
    overlap::check(plan, &index, &mut findings);
    Report::new(findings)
}

/// The metadata of a rule by code.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_inferred_rules_are_never_errors() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(RULES[i + 1..].iter().all(|o| o.code != r.code), "{} twice", r.code);
            if r.confidence == Confidence::Inferred {
                assert_ne!(r.severity, Severity::Error, "{}", r.code);
            }
        }
    }
}
