//! One analysis of a plan: its facts, its data plane and its findings, computed once and read by
//! every view (the CLI's commands, the app's panels, the report, the diagram, the diff).
//!
//! `Analysis` is an owned value: it holds its own copy of the plan, and the facts and data plane that
//! borrow from it (`self_cell`), so the app can keep one in a memo and hand it to every panel. Route
//! tables are computed on demand and cached inside the data plane; traces are computed on demand.
//!
//! What invalidates an analysis is decided by [`Analysis::inputs_equal`]: diagram positions and review
//! comments do not change any answer, so an edit that only moves a node keeps the analysis.

use crate::core::dataplane::{DataPlane, RouteTable};
use crate::core::facts::Ctx;
use crate::core::findings::{Finding, Report};
use crate::core::flows::FlowCheck;
use crate::core::model::EntityRef;
use crate::core::model::Plan;
use crate::core::reach::{self, Endpoint, Reach};
use crate::core::rulebook::Code;
use crate::core::rules;
use std::sync::Arc;

/// What the analysis derives from its plan.
struct Derived<'a> {
    dataplane: DataPlane<'a>,
    report: Report,
    flows: Vec<FlowCheck>,
}

self_cell::self_cell!(
    struct Cell {
        owner: Plan,
        #[covariant]
        dependent: Derived,
    }
);

/// The analysis of one plan (see the module documentation).
pub struct Analysis(Cell);

impl Analysis {
    /// Analyses `plan`: facts, data plane and every rule.
    pub fn new(plan: Plan) -> Analysis {
        Analysis(Cell::new(plan, |plan| {
            let dataplane = DataPlane::new(Ctx::new(plan));
            let (report, mut flows) = rules::findings_and_flows(&dataplane);
            // A flow's blocking hop carries its rule's finding, as `reach` gives it.
            for r in flows.iter_mut().filter_map(|c| c.deciding.as_mut()) {
                for t in [&mut r.forward, &mut r.back] {
                    if let Some(b) = &mut t.blocked {
                        b.finding = finding_for(&report, b.code, b.entity.as_ref());
                    }
                }
            }
            Derived { dataplane, report, flows }
        }))
    }

    /// The plan analysed.
    pub fn plan(&self) -> &Plan {
        self.0.borrow_owner()
    }

    /// The facts about the plan (indexes, areas, dates).
    pub fn facts(&self) -> &Ctx<'_> {
        &self.0.borrow_dependent().dataplane.ctx
    }

    /// The data plane: what each network advertises, what each CEN collects, each network's table.
    pub fn dataplane(&self) -> &DataPlane<'_> {
        &self.0.borrow_dependent().dataplane
    }

    /// The findings, sorted, waivers applied.
    pub fn report(&self) -> &Report {
        &self.0.borrow_dependent().report
    }

    /// The check of every declared flow, in plan order (met, broken, forbidden but open, ...).
    pub fn flows(&self) -> &[FlowCheck] {
        &self.0.borrow_dependent().flows
    }

    /// The effective route table of a network (computed on first use, then cached).
    pub fn table(&self, network: &str) -> Arc<RouteTable> {
        self.dataplane().table(network)
    }

    /// Resolves an endpoint id (a VPC, vSwitch, VBR, CCN, SAG branch or office), or says why it is not one.
    pub fn endpoint(&self, id: &str) -> Result<Endpoint, String> {
        reach::endpoint(self.facts(), id)
    }

    /// Both directions between two endpoints, by id. A blocked hop carries the finding of the rule
    /// that decided it (same code, about the same entity), when the rules report one: its words are
    /// the rule's.
    pub fn reach(&self, a: &str, b: &str) -> Result<Reach, String> {
        let (a, b) = (self.endpoint(a)?, self.endpoint(b)?);
        let mut r = reach::reach(self.dataplane(), &a, &b);
        for t in [&mut r.forward, &mut r.back] {
            if let Some(blocked) = &mut t.blocked {
                blocked.finding = self.finding_for(blocked.code, blocked.entity.as_ref());
            }
        }
        Ok(r)
    }

    /// The finding with this code about this entity (or naming it as related).
    fn finding_for(&self, code: Code, entity: Option<&EntityRef>) -> Option<Finding> {
        finding_for(self.report(), code, entity)
    }

    /// Whether an analysis of `a` answers every question exactly as one of `b` does: the plans differ
    /// at most in name, notes, diagram positions and review comments (findings name
    /// entities, never the plan).
    pub fn inputs_equal(a: &Plan, b: &Plan) -> bool {
        // Exhaustive, so a new field of the plan must be placed on one side or the other.
        let Plan {
            name: _,
            notes: _,
            comments: _,
            layout: _,
            settings,
            accounts,
            regions,
            vpcs,
            vswitches,
            route_entries,
            vbrs,
            ccns,
            sags,
            vpn_gateways,
            customer_gateways,
            ipsec_connections,
            peerings,
            cens,
            attachments,
            grants,
            bandwidth_packages,
            region_bandwidths,
            groups,
            flows,
            waivers,
        } = a;
        *settings == b.settings
            && *accounts == b.accounts
            && *regions == b.regions
            && *vpcs == b.vpcs
            && *vswitches == b.vswitches
            && *route_entries == b.route_entries
            && *vbrs == b.vbrs
            && *ccns == b.ccns
            && *sags == b.sags
            && *vpn_gateways == b.vpn_gateways
            && *customer_gateways == b.customer_gateways
            && *ipsec_connections == b.ipsec_connections
            && *peerings == b.peerings
            && *cens == b.cens
            && *attachments == b.attachments
            && *grants == b.grants
            && *bandwidth_packages == b.bandwidth_packages
            && *region_bandwidths == b.region_bandwidths
            && *groups == b.groups
            && *flows == b.flows
            && *waivers == b.waivers
    }
}

/// The finding of `report` with this code about this entity (or naming it as related).
fn finding_for(report: &Report, code: Code, entity: Option<&EntityRef>) -> Option<Finding> {
    crate::core::findings::decided_by(&report.findings, code, entity)
}

/// Analyses a copy of `plan`.
///
/// ```
/// use cen_planner::core::{analysis::analyse, model::Plan};
/// assert!(analyse(&Plan::new("Empty", "2019-09-19")).report().findings.is_empty());
/// ```
pub fn analyse(plan: &Plan) -> Analysis {
    Analysis::new(plan.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples;
    use crate::core::format::from_json;

    #[test]
    fn an_analysis_can_be_shared_by_the_apps_memo() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Analysis>();
    }

    #[test]
    fn the_analysis_gives_the_findings_of_the_rules_and_the_tables_of_the_data_plane() {
        let plan = from_json(examples::find("seed-004-peering-migration").unwrap().json).unwrap();
        let a = analyse(&plan);
        assert_eq!(a.report(), &rules::check(&plan));
        let dp = DataPlane::new(Ctx::new(&plan));
        assert_eq!(*a.table("vpc-1"), *dp.table("vpc-1"));
        assert_eq!(a.plan(), &plan);
    }

    #[test]
    fn moving_a_node_or_commenting_keeps_the_analysis_and_renaming_a_route_does_not() {
        let plan = from_json(examples::find("seed-004-peering-migration").unwrap().json).unwrap();
        let mut moved = plan.clone();
        moved.layout.insert("vpc-1".into(), crate::core::model::Pos { x: 10.0, y: 20.0 });
        assert!(Analysis::inputs_equal(&plan, &moved));
        let mut edited = plan.clone();
        edited.route_entries[0].destination = "172.16.0.0/17".into();
        assert!(!Analysis::inputs_equal(&plan, &edited));
    }
}
