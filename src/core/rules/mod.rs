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
mod edition;
mod flows;
mod integrity;
mod overlap;
mod peering;
mod routemap;
mod routing;
mod vbr;
mod vpn;
mod worked;

use crate::core::dataplane::DataPlane;
use crate::core::facts::Ctx;
use crate::core::flows::{evaluate, Demand, FlowCheck};

use super::findings::{Finding, Report};
use super::model::Plan;
use super::rulebook::{FIXES, NOT_CHECKED, RULES};

/// What every check reads: the data plane, which pairs must talk, and the declared flows' checks.
struct Input<'r, 'a> {
    dp: &'r DataPlane<'a>,
    demand: &'r Demand,
    flows: &'r [FlowCheck],
}

/// One concern: its name (the `module` of its rows in `rulebook::RULES`) and its check.
#[cfg_attr(not(test), allow(dead_code))] // the name is read by the agreement test
struct Module(&'static str, fn(&Input<'_, '_>, &mut Vec<Finding>));

const MODULES: &[Module] = &[
    Module("integrity", |i, out| integrity::check(i.dp, out)),
    Module("area", |i, out| area::check(i.dp, out)),
    Module("bandwidth", |i, out| bandwidth::check(i.dp, i.demand, out)),
    Module("attach", |i, out| attach::check(i.dp, out)),
    Module("ccn", |i, out| {
        ccn::check(i.dp, out);
        vbr::line_roles(i.dp, true, out);
    }),
    Module("addressing", |i, out| addressing::check(i.dp, out)),
    Module("overlap", |i, out| overlap::check(i.dp, i.demand, out)),
    Module("routing", |i, out| routing::check(i.dp, i.demand, out)),
    Module("routemap", |i, out| routemap::check(i.dp, out)),
    Module("peering", |i, out| peering::check(i.dp, out)),
    Module("vbr", |i, out| vbr::check(i.dp, out)),
    Module("vpn", |i, out| vpn::check(i.dp, i.demand, out)),
    Module("edition", |i, out| edition::check(i.dp, i.demand, out)),
    // Last: a flow's blocking hop is told in the words of the finding of the rule that decided it.
    Module("flows", |i, out| flows::check(i.dp, i.demand, i.flows, out)),
];

/// Items a message lists before it says "and N more".
const LIST_MAX: usize = 8;

/// Up to `LIST_MAX` items, then "and N more"; only the items shown are written.
fn list<T>(items: &[T], text: impl Fn(&T) -> String) -> String {
    list_of(items.iter().map(text), items.len())
}

/// `list` of `total` items of which `shown` yields the first (only `LIST_MAX` are taken).
fn list_of(shown: impl Iterator<Item = String>, total: usize) -> String {
    let shown: Vec<String> = shown.take(LIST_MAX).collect();
    let mut s = shown.join(", ");
    if total > shown.len() {
        s.push_str(&format!(" and {} more", total - shown.len()));
    }
    s
}

/// Runs every rule on `plan` (a whole analysis; `analysis::Analysis` keeps the data plane too).
///
/// ```
/// use cen_planner::core::{model::Plan, rules::check};
/// assert!(check(&Plan::new("Empty", "2019-09-19")).findings.is_empty());
/// ```
pub fn check(plan: &Plan) -> Report {
    findings(&DataPlane::new(Ctx::new(plan)))
}

/// Runs every rule over a computed data plane: the findings, sorted, with the plan's waivers applied.
pub fn findings(dp: &DataPlane<'_>) -> Report {
    findings_and_flows(dp).0
}

/// `findings`, with the check of every declared flow (in plan order) that the flow findings read.
pub fn findings_and_flows(dp: &DataPlane<'_>) -> (Report, Vec<FlowCheck>) {
    let demand = Demand::new(&dp.ctx);
    let checks = evaluate(dp, &demand);
    let input = Input {
        dp,
        demand: &demand,
        flows: &checks,
    };
    let mut findings = Vec::new();
    for Module(module, run) in MODULES {
        let start = findings.len();
        run(&input, &mut findings);
        // Every test that runs the rules checks that each finding agrees with its row of the table.
        debug_assert!(
            findings[start..].iter().all(|f| agrees(f, module)),
            "a finding of rules/{module}.rs disagrees with its row in the rulebook table: {:?}",
            findings[start..].iter().find(|f| !agrees(f, module))
        );
    }
    let mut report = Report::new(findings);
    report.apply_waivers(
        dp.plan
            .waivers
            .iter()
            .map(|w| (w.code.as_str(), w.entity.as_str(), w.id.as_str(), w.reason.as_str())),
    );
    (report, checks)
}

/// Whether a finding emitted by `module` agrees with its code's row of the rulebook table: the module
/// the table names, never worse than the table's severity, and never an error for an [INF] rule.
fn agrees(f: &Finding, module: &str) -> bool {
    let row = f.code.meta();
    row.module == module
        && f.severity >= row.severity
        && !(row.confidence == super::rulebook::Confidence::Inferred && f.severity == super::findings::Severity::Error)
}

/// How declared flows change what the rules report (a section of `docs/rules.md`).
const FLOWS_NOTE: &str = "
## With declared flows

With no required flow declared, every pair of networks on a CEN is assumed to need to talk (PLAN-FLOW-001) and the rules read every pair. Once a required flow is declared, the rules that speak of networks that must talk read only the declared pairs (`flows::Demand`):

- CEN-CIDR-004: an overlap learned with the switch on is reported only between networks a required flow joins (or inside one network).
- CEN-CIDR-005 and CEN-CIDR-006: an identical-prefix conflict, or an overlap refused with the switch off, is still a fact of the data plane (a route is refused), so it is always reported; it stays an error naming the required flows that use the addresses of either prefix (an end of the flow in that network whose addresses overlap it, the other end elsewhere), and becomes an info saying that no required flow uses them when none does. Two prefixes of one network are reported as before.
- CEN-SG-001: the reminder (once per plan) names, for each end of a required flow in a VPC, the peer CIDRs its security groups must allow.
";

/// `docs/rules.md`, generated from the rulebook table.
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `core::rulebook` (`UPDATE_EXPECT=1 cargo test rules_doc` rewrites it; a test fails when it is out of date).\nCodes come from the rulebook (`../shared/cen-rules.md`); `PLAN-*` codes check the plan's own integrity.\nRules the rulebook marks [INF] are warnings at most.\n\n## Checked\n\n| code | rule | worst severity | confidence | module |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        s.push_str(&format!(
            "| {} | {} | {} | {} | `rules/{}.rs` |\n",
            r.code,
            r.title,
            r.severity.as_str(),
            r.confidence.tag(),
            r.module
        ));
    }
    s.push_str(FLOWS_NOTE);
    s.push_str("\n## Not checked, and why\n\n| code | reason |\n|---|---|\n");
    for (code, why) in NOT_CHECKED {
        s.push_str(&format!("| {code} | {why} |\n"));
    }
    s.push_str("\n## Fixes\n\nHow each rule's fix reaches the plan (`rulebook::FIXES`): **edits** the app applies (\"Apply this fix\", `Analysis::fix_edits`, one undo step; the CLI's `check --format json` lists them under `fixes`), a step **outside the plan** (the finding says so and offers nothing to apply), **a choice** the user makes among several changes (the fix is text), or **a note** with nothing to change.\n\n| code | fix | which findings, and what |\n|---|---|---|\n");
    for r in RULES {
        if let Some((_, kind, what)) = FIXES.iter().find(|(c, _, _)| *c == r.code.as_str()) {
            s.push_str(&format!("| {} | {} | {what} |\n", r.code, kind.as_str()));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::findings::Severity;
    use crate::core::rulebook::meta;

    /// Every finding the rules emit on the examples and on a generated plan agrees with the table
    /// (and, through the `debug_assert!` in `findings`, in every other test that runs the rules).
    #[test]
    fn every_emitted_finding_agrees_with_the_rulebook_table() {
        let mut plans: Vec<Plan> = crate::core::examples::EXAMPLES
            .iter()
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .collect();
        plans.push(crate::core::generate::generate(&crate::core::generate::GenOptions::typical()));
        let mut seen = std::collections::BTreeSet::new();
        for plan in &plans {
            let dp = DataPlane::new(Ctx::new(plan));
            let demand = Demand::new(&dp.ctx);
            let flows = evaluate(&dp, &demand);
            let input = Input {
                dp: &dp,
                demand: &demand,
                flows: &flows,
            };
            for Module(module, run) in MODULES {
                let mut out = Vec::new();
                run(&input, &mut out);
                for f in out {
                    assert!(
                        agrees(&f, module),
                        "{f:?} from rules/{module}.rs disagrees with {:?}",
                        f.code.meta()
                    );
                    seen.insert(f.code);
                }
            }
        }
        assert!(seen.len() >= 15, "the plans exercise only {} codes", seen.len());
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
        expect_test::expect_file!["../../../docs/rules.md"].assert_eq(&rules_markdown());
    }

    /// The rulebook beside the project (`../shared/cen-rules.md`) is required: without it this fails.
    #[test]
    fn every_rulebook_code_is_checked_or_explained() {
        // The project's directory when the test runs (not when it was built: a build may be reused from elsewhere).
        let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
        let path = format!("{root}/../shared/cen-rules.md");
        let book = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("the rulebook {path} cannot be read ({e}): put ../shared beside the project"));
        let mut missing = Vec::new();
        let mut codes = 0;
        for line in book.lines().filter(|l| l.starts_with("**CEN-")) {
            let code = line.trim_start_matches("**").split(' ').next().unwrap_or("").trim_end_matches("**");
            codes += 1;
            if meta(code).is_none() && NOT_CHECKED.iter().all(|(c, _)| *c != code) {
                missing.push(code.to_string());
            }
        }
        assert!(codes > 50, "the rulebook at {path} lists only {codes} codes");
        assert!(missing.is_empty(), "rulebook codes neither checked nor explained: {missing:?}");
    }
}
