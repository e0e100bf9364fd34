//! The words of reachability answers, written once for the CLI, the app and the report: a
//! disposition, a verdict with its bandwidth, and a trace with the names of the entities it crosses.

use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::reach::{Disposition, Reach, Trace, Verdict};

/// What a disposition is called: `reachable`, `1 Kbps test link only`, `not reachable`.
pub fn disposition(d: Disposition) -> &'static str {
    match d {
        Disposition::Reachable => "reachable",
        Disposition::TestLinkOnly => "1 Kbps test link only",
        Disposition::Unreachable => "not reachable",
    }
}

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
                .map_or_else(|| b.fix.clone(), |f| f.fix.clone()),
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
