//! Declared flows (PLAN-FLOW-*): the plan says once when every pair is assumed to need to talk, and
//! each declared flow that the plan does not honour is a finding on the flow, in the words of
//! `explain::flow`: a broken required flow with its blocking hop and fix, a forbidden flow that is
//! open with the hop that lets it through and what would block it, a path below the flow's minimum
//! bandwidth, an answer the plan does not decide, and an end without endpoints.

use crate::core::dataplane::DataPlane;
use crate::core::explain;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::flows::{Demand, FlowCheck, FlowState};
use crate::core::model::Kind;
use crate::core::reach::Disposition;

pub(super) fn check(dp: &DataPlane<'_>, demand: &Demand, checks: &[FlowCheck], out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    if demand.assumed() && ctx.plan.cens.iter().any(|c| ctx.attached_networks(&c.id).len() > 1) {
        out.push(
            Finding::plan(
                Code::PlanFlow001,
                Severity::Info,
                "No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair".into(),
            )
            .fix("Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked."),
        );
    }
    for c in checks {
        let text = explain::flow(ctx, c);
        let (code, severity) = match c.state {
            FlowState::Met => continue,
            FlowState::Broken => {
                let test_link = c.deciding_trace().is_some_and(|t| t.disposition == Disposition::TestLinkOnly);
                (Code::PlanFlow002, if test_link { Severity::Warning } else { Severity::Error })
            }
            FlowState::Open => (Code::PlanFlow003, Severity::Error),
            FlowState::TooSlow => (Code::PlanFlow004, Severity::Warning),
            FlowState::Undetermined => (Code::PlanFlow005, Severity::Warning),
            FlowState::NoEndpoints => (Code::PlanFlow006, Severity::Warning),
        };
        let mut f = Finding::new(
            code,
            severity,
            Kind::Flow,
            &c.flow,
            format!("{} is {}: {}", text.title, text.state, text.detail.unwrap_or_default()),
        )
        .fix(text.fix.unwrap_or_default());
        if c.state == FlowState::NoEndpoints {
            f = f.field(if c.unresolved.is_empty() { "to" } else { "from" });
        }
        if let Some(t) = c.deciding_trace() {
            for id in [&t.from, &t.to] {
                if let Some(kind) = ctx.index.kind_of(id) {
                    f = f.related(kind, id);
                }
            }
            if let Some(e) = t.blocked.as_ref().and_then(|b| b.entity.as_ref()) {
                if !f.related.contains(e) {
                    f = f.related(e.kind, &e.id);
                }
            }
        }
        out.push(f);
    }
}
