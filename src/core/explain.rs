//! The words of reachability answers, written once for the CLI, the app and the report: a
//! disposition, a verdict with its bandwidth, and a trace with the names of the entities it crosses.

use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::flows::{FlowCheck, FlowState};
use crate::core::matrix::Cell;
use crate::core::model::FlowRule;
use crate::core::reach::{Disposition, Reach, Trace, Verdict};

/// What a disposition is called: `reachable`, `1 Kbps test link only`, `not reachable`.
pub fn disposition(d: Disposition) -> &'static str {
    match d {
        Disposition::Reachable => "reachable",
        Disposition::TestLinkOnly => "1 Kbps test link only",
        Disposition::Unreachable => "not reachable",
    }
}

/// A cell of the reachability matrix in words (the CLI's diff, the app's cell titles).
pub fn cell(c: Cell) -> &'static str {
    match c {
        Cell::Reachable => "reachable",
        Cell::TestLinkOnly => "1 Kbps test link only",
        Cell::Unreachable => "not reachable",
        Cell::Undetermined => "undetermined (the plan does not make the choice that decides it)",
    }
}

/// The mark of a matrix cell, as the CLI, the report and the app show it.
pub fn cell_mark(c: Cell) -> &'static str {
    match c {
        Cell::Reachable => "✓",
        Cell::TestLinkOnly => "~",
        Cell::Unreachable => "✗",
        Cell::Undetermined => "?",
    }
}

/// What the marks of the matrix mean (the CLI's and the report's legend; the app says the same).
pub const MATRIX_LEGEND: &str = "rows reach columns, replies included: ✓ reachable both ways, ~ 1 Kbps test link only, ✗ not reachable (or one-way), ? undetermined (the plan does not make the choice that decides it: BGP lines without AS paths, overlapping routes attached on the same date)";

/// The verdict of one direction: the disposition, with the limiting bandwidth when one applies.
pub fn verdict(t: &Trace) -> String {
    match (t.disposition, t.bandwidth_mbps) {
        (Disposition::Reachable, Some(m)) if m > 0 => format!("reachable, up to {m} Mbps"),
        (d, _) => disposition(d).to_string(),
    }
}

/// What both directions together are called: `reachable both ways`, `one-way`, ...
pub fn result(r: &Reach) -> &'static str {
    match r.result {
        Verdict::Reachable => "reachable both ways",
        Verdict::OneWay => "one-way: the return does not arrive",
        Verdict::Unreachable => "not reachable either way",
        Verdict::Undetermined => "undetermined: the plan does not decide it",
    }
}

/// A blocked hop, in words.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlockedText {
    /// Rule code.
    pub code: String,
    /// Where traffic stops (a name).
    pub at: String,
    /// What is wrong.
    pub reason: String,
    /// The smallest fix.
    pub fix: String,
    /// The fix as edits the app can apply (empty when the plan cannot express it).
    pub edits: Vec<Edit>,
}

/// One direction of a trace, with names resolved: what the app renders and the CLI prints (the app
/// gets it from the analysis worker as JSON).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TraceText {
    /// `A → B`.
    pub title: String,
    /// See [`verdict`].
    pub verdict: String,
    /// The disposition (for styling).
    pub disposition: Disposition,
    /// Each hop: where, and the route used or what happened.
    pub hops: Vec<(String, String)>,
    /// Where and why it stops.
    pub blocked: Option<BlockedText>,
    /// Warnings along a working path.
    pub warnings: Vec<String>,
    /// What the plan does not decide on this path, if anything.
    pub undetermined: Option<String>,
}

/// Puts a trace into words. A blocked hop that carries the finding of its rule is told in the rule's
/// words (the same as the findings panel and `check`).
pub fn trace(ctx: &Ctx<'_>, t: &Trace) -> TraceText {
    TraceText {
        title: format!("{} → {}", ctx.name(&t.from), ctx.name(&t.to)),
        verdict: verdict(t),
        disposition: t.disposition,
        hops: t.hops.iter().map(|h| (ctx.name(&h.at).to_string(), h.via.clone())).collect(),
        blocked: t.blocked.as_ref().map(|b| BlockedText {
            code: b.code.to_string(),
            at: ctx.name(&b.at).to_string(),
            reason: b.finding.as_ref().map_or_else(|| b.reason.clone(), |f| f.message.clone()),
            fix: b
                .finding
                .as_ref()
                .filter(|f| !f.fix.is_empty())
                .map_or_else(|| b.fix.clone(), |f| f.fix_text()),
            edits: b.edits.clone(),
        }),
        warnings: t.warnings.clone(),
        undetermined: t.undetermined.as_ref().map(|u| u.reason.clone()),
    }
}

impl TraceText {
    /// Plain text, as the CLI prints it: the title and verdict, then one indented line per hop,
    /// the blocking hop with its fix, and the warnings.
    pub fn to_text(&self) -> String {
        let mut s = format!("{}: {}\n", self.title, self.verdict);
        for (at, via) in &self.hops {
            s.push_str(&format!("  at {at}: {via}\n"));
        }
        if let Some(b) = &self.blocked {
            s.push_str(&format!("  {} at {}: {}\n  fix: {}\n", b.code, b.at, b.reason, b.fix));
        }
        for w in &self.warnings {
            s.push_str(&format!("  warning: {w}\n"));
        }
        if let Some(u) = &self.undetermined {
            s.push_str(&format!("  undetermined: {u}\n"));
        }
        s
    }
}

/// What a declared flow's state is called: `met`, `broken`, `forbidden but open`, ...
pub fn flow_state(rule: FlowRule, state: FlowState) -> &'static str {
    match (rule, state) {
        (FlowRule::Required, FlowState::Met) => "met",
        (FlowRule::Forbidden, FlowState::Met) => "met (blocked both ways)",
        (_, FlowState::Broken) => "broken",
        (_, FlowState::TooSlow) => "broken: below its minimum bandwidth",
        (_, FlowState::Open) => "forbidden but open",
        (_, FlowState::Undetermined) => "undetermined: the plan does not decide it",
        (_, FlowState::NoEndpoints) => "without endpoints",
    }
}

/// A declared flow's rule and ends: `required: Hub ↔ Spokes` (names of the endpoints or groups).
pub fn flow_title(ctx: &Ctx<'_>, flow_id: &str) -> String {
    let Some(f) = ctx.plan.flows.iter().find(|f| f.id == flow_id) else {
        return flow_id.to_string();
    };
    let rule = match f.rule {
        FlowRule::Required => "required",
        FlowRule::Forbidden => "forbidden",
    };
    format!("{} ({rule}: {} ↔ {})", ctx.name(&f.id), ctx.name(&f.from), ctx.name(&f.to))
}

/// A declared flow's check, in words: what the app's flows list, the report and `check` show.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FlowText {
    /// The flow's id.
    pub id: String,
    /// See [`flow_title`].
    pub title: String,
    /// See [`flow_state`].
    pub state: String,
    /// The state (for styling).
    pub kind: FlowState,
    /// The pair and direction that decide it, what happens there and the fix, when not met.
    pub detail: Option<String>,
    /// The fix, when not met.
    pub fix: Option<String>,
    /// The deciding direction, traced.
    pub trace: Option<TraceText>,
}

/// Puts a flow's check into words (the findings of `rules` say the same: PLAN-FLOW-002..006).
pub fn flow(ctx: &Ctx<'_>, c: &FlowCheck) -> FlowText {
    let t = c.deciding_trace();
    let pair = t.map(|t| format!("{} → {}", ctx.name(&t.from), ctx.name(&t.to)));
    let (detail, fix) = match (c.state, t) {
        (FlowState::Met, _) => (None, None),
        (FlowState::NoEndpoints, _) => (
            Some(
                c.empty
                    .iter()
                    .map(|end| format!("its {end} end names no endpoint with an address"))
                    .chain(c.unresolved.iter().map(|(_, why)| why.clone()))
                    .chain(
                        (c.empty.is_empty() && c.unresolved.is_empty())
                            .then(|| "its ends name one endpoint, which pairs with nothing".to_string()),
                    )
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Some("Give each end an endpoint with an address (a group needs members or a label that some endpoint carries).".into()),
        ),
        (FlowState::Broken, Some(t)) => {
            // The blocked hop as `trace` tells it: in the words of its rule's finding when it has one.
            let blocked = trace(ctx, t).blocked;
            let why = blocked
                .as_ref()
                .map_or_else(|| verdict(t), |b| format!("{} at {}: {}", b.code, b.at, b.reason));
            (
                Some(format!("{} is {}: {why}", pair.unwrap_or_default(), verdict(t))),
                blocked.map(|b| b.fix),
            )
        }
        (FlowState::TooSlow, Some(t)) => {
            let at = t
                .hops
                .iter()
                .filter_map(|h| h.limit_mbps.map(|m| (m, h)))
                .min_by_key(|(m, _)| *m)
                .map(|(_, h)| {
                    h.cen.as_deref().map_or_else(
                        || ctx.name(&h.at).to_string(),
                        |c| format!("CEN {} after {}", ctx.name(c), ctx.name(&h.at)),
                    )
                })
                .unwrap_or_default();
            (
                Some(format!(
                    "{} offers {} Mbps ({at}), below its minimum {} Mbps",
                    pair.unwrap_or_default(),
                    t.bandwidth_mbps.unwrap_or(0),
                    c.min_mbps.unwrap_or(0)
                )),
                Some(format!(
                    "Raise the cross-region bandwidth on the limiting hop ({at}) to at least {} Mbps (and the package it draws from).",
                    c.min_mbps.unwrap_or(0)
                )),
            )
        }
        (FlowState::Open, Some(t)) => {
            let (hop, block) = crate::core::flows::leak(ctx, t).unwrap_or_default();
            (Some(format!("{} is {}: {hop}", pair.unwrap_or_default(), verdict(t))), Some(block))
        }
        (FlowState::Undetermined, Some(t)) => (
            Some(format!(
                "{}: {}",
                pair.unwrap_or_default(),
                t.undetermined.as_ref().map_or("", |u| u.reason.as_str())
            )),
            Some("Decide it in the plan (for BGP lines: put them on one site and record the AS-path length of each, or prepend the AS path on the standby line).".into()),
        ),
        (_, None) => (None, None),
    };
    // The other pairs in the same state, after the one described.
    let others: Vec<String> = c
        .each
        .iter()
        .filter(|p| p.state == c.state && c.state != FlowState::Met)
        .skip(1)
        .map(|p| format!("{} ↔ {}", ctx.name(&p.a.id), ctx.name(&p.b.id)))
        .collect();
    let detail = detail.map(|d| match others.len() {
        0 => d,
        n => {
            let shown = others.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
            let more = if n > 8 { format!(" and {} more", n - 8) } else { String::new() };
            format!("{d} (so are {shown}{more})")
        }
    });
    FlowText {
        id: c.flow.clone(),
        title: flow_title(ctx, &c.flow),
        state: flow_state(c.rule, c.state).to_string(),
        kind: c.state,
        detail,
        fix,
        trace: t.filter(|_| c.state != FlowState::Met).map(|t| trace(ctx, t)),
    }
}

impl FlowText {
    /// One line, then the detail and the fix indented: as `check` and `flows` print it.
    pub fn to_text(&self) -> String {
        let mut s = format!("{}: {}\n", self.title, self.state);
        if let Some(d) = &self.detail {
            s.push_str(&format!("  {d}\n"));
        }
        if let Some(f) = &self.fix {
            s.push_str(&format!("  fix: {f}\n"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::examples;
    use crate::core::format::from_json;

    #[test]
    fn a_working_path_names_its_hops_and_its_bandwidth() {
        let plan = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        let a = analyse(&plan);
        let r = a.reach("vco-1", "vpc-2").unwrap();
        let text = trace(a.facts(), &r.forward).to_text();
        assert!(
            text.starts_with("Office 1 IPsec → VPC2 (Shanghai): reachable, up to 10 Mbps\n"),
            "{text}"
        );
        assert!(text.contains("  at "), "{text}");
    }
}
