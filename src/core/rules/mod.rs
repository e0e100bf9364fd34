//! The rules: each check that turns a plan into findings, one module per concern.
//!
//! `check` runs them all and returns a sorted `Report`. Every rule has an entry in `RULES` with its
//! rulebook code (`../shared/cen-rules.md`) or, for plan-integrity checks the rulebook does not cover,
//! a `PLAN-*` code. A rule never returns `Err`: a problem is a finding.

mod addressing;
mod area;
mod attach;
mod bandwidth;
mod ccn;
pub mod context;
mod edition;
mod integrity;
mod overlap;
mod peering;
mod routing;
mod vbr;
mod vpn;

pub use context::Ctx;
pub use overlap::{advertised, overlapping_pairs, Prefix};

use super::findings::{Finding, Report, Severity};
use super::model::Plan;

/// How sure the rulebook is of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// Stated in a source ([DOC]).
    Doc,
    /// Stated, but dated ([DOC, dated]): the plan's `as_of` setting selects the value.
    DocDated,
    /// Inferred by the rulebook ([INF]): never worse than a warning.
    Inferred,
    /// A check of the plan's own integrity (not a CEN rule).
    Plan,
}

impl Confidence {
    /// The rulebook's tag.
    pub fn tag(self) -> &'static str {
        match self {
            Confidence::Doc => "DOC",
            Confidence::DocDated => "DOC, dated",
            Confidence::Inferred => "INF",
            Confidence::Plan => "plan",
        }
    }
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

/// One concern: its rules, the rules it cannot check (with why), and its check.
struct Module(
    &'static str,
    &'static [RuleMeta],
    &'static [(&'static str, &'static str)],
    fn(&Ctx<'_>, &mut Vec<Finding>),
);

const MODULES: &[Module] = &[
    Module("integrity", integrity::RULES, &[], integrity::check),
    Module("area", area::RULES, &[], area::check),
    Module("bandwidth", bandwidth::RULES, bandwidth::NOT_CHECKED, bandwidth::check),
    Module("attach", attach::RULES, attach::NOT_CHECKED, attach::check),
    Module("ccn", ccn::RULES, ccn::NOT_CHECKED, ccn::check),
    Module("addressing", addressing::RULES, addressing::NOT_CHECKED, addressing::check),
    Module("overlap", overlap::RULES, &[], overlap::check),
    Module("routing", routing::RULES, routing::NOT_CHECKED, routing::check),
    Module("peering", peering::RULES, peering::NOT_CHECKED, peering::check),
    Module("vbr", vbr::RULES, vbr::NOT_CHECKED, vbr::check),
    Module("vpn", vpn::RULES, vpn::NOT_CHECKED, vpn::check),
    Module("edition", edition::RULES, edition::NOT_CHECKED, edition::check),
];

/// Every rule implemented, in module order.
pub fn all_rules() -> impl Iterator<Item = &'static RuleMeta> {
    MODULES.iter().flat_map(|m| m.1.iter())
}

/// Rules of the rulebook the plan cannot check, with the reason.
pub fn not_checked() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    MODULES.iter().flat_map(|m| m.2.iter())
}

/// Runs every rule on `plan`.
///
/// ```
/// use cen_planner::core::{model::Plan, rules::check};
/// assert!(check(&Plan::new("Empty", "2019-09-19")).findings.is_empty());
/// ```
pub fn check(plan: &Plan) -> Report {
    let ctx = Ctx::new(plan);
    let mut findings = Vec::new();
    for Module(_, _, _, run) in MODULES {
        run(&ctx, &mut findings);
    }
    let mut report = Report::new(findings);
    report.apply_waivers(
        plan.waivers
            .iter()
            .map(|w| (w.code.as_str(), w.entity.as_str(), w.id.as_str(), w.reason.as_str())),
    );
    report
}

/// The metadata of a rule by code.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    all_rules().find(|r| r.code == code)
}

/// `docs/rules.md`, generated from the rule lists.
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `core::rules` (`UPDATE_DOCS=1 cargo test rules_doc` rewrites it; a test fails when it is out of date).\nCodes come from the rulebook (`../shared/cen-rules.md`); `PLAN-*` codes check the plan's own integrity.\nRules the rulebook marks [INF] are warnings at most.\n\n## Checked\n\n| code | rule | worst severity | confidence | module |\n|---|---|---|---|---|\n",
    );
    for Module(module, rules, _, _) in MODULES {
        for r in *rules {
            s.push_str(&format!(
                "| {} | {} | {} | {} | `rules/{module}.rs` |\n",
                r.code,
                r.title,
                r.severity.as_str(),
                r.confidence.tag()
            ));
        }
    }
    s.push_str("\n## Not checked, and why\n\n| code | reason |\n|---|---|\n");
    for (code, why) in not_checked() {
        s.push_str(&format!("| {code} | {why} |\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_inferred_rules_are_never_errors() {
        let rules: Vec<_> = all_rules().collect();
        for (i, r) in rules.iter().enumerate() {
            assert!(rules[i + 1..].iter().all(|o| o.code != r.code), "{} twice", r.code);
            assert!(not_checked().all(|(c, _)| *c != r.code), "{} both checked and not", r.code);
            if r.confidence == Confidence::Inferred {
                assert_ne!(r.severity, Severity::Error, "{}", r.code);
            }
        }
    }

    #[test]
    fn a_waiver_moves_its_findings_apart_and_only_those() {
        let mut plan = crate::core::format::from_json(crate::core::examples::find("seed-004-peering-migration").unwrap().json).unwrap();
        let before = check(&plan);
        assert_eq!(before.count(Severity::Warning), 2);
        plan.waivers.push(crate::core::model::Waiver {
            id: "waiver-1".into(),
            code: "CEN-PEER-001".into(),
            entity: "rte-1".into(),
            reason: "Migration window next week".into(),
            author: "reviewer".into(),
        });
        let after = check(&plan);
        assert_eq!(after.count(Severity::Warning), 1);
        assert_eq!(after.waived.len(), 1);
        assert_eq!(after.waived[0].finding.entity.as_ref().unwrap().id, "rte-1");
        assert_eq!(after.waived[0].reason, "Migration window next week");
    }

    #[test]
    fn rules_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let fresh = rules_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "docs/rules.md is out of date: run `UPDATE_DOCS=1 cargo test rules_doc`"
        );
    }

    #[test]
    fn every_rulebook_code_is_checked_or_explained() {
        let book = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/cen-rules.md"));
        let Ok(book) = book else { return };
        let mut missing = Vec::new();
        for line in book.lines().filter(|l| l.starts_with("**CEN-")) {
            let code = line.trim_start_matches("**").split(' ').next().unwrap_or("");
            if meta(code).is_none() && not_checked().all(|(c, _)| *c != code) {
                missing.push(code.to_string());
            }
        }
        assert!(
            missing.is_empty() || std::env::var_os("ALLOW_MISSING_RULES").is_some(),
            "rulebook codes neither checked nor explained: {missing:?}"
        );
    }
}
