//! One analysis of a plan: its facts, its data plane and its findings, computed once and read by
//! every view (the CLI's commands, the app's panels, the report, the diagram, the diff).
//!
//! `Analysis` is an owned value: it holds its own copy of the plan, and the facts and data plane that
//! borrow from it (`self_cell`), so the app can keep one in a memo and hand it to every panel. Route
//! tables are computed on demand and cached inside the data plane; traces are computed on demand.
//!
//! What invalidates an analysis is decided by [`Analysis::inputs_equal`]: diagram positions and review
//! comments do not change any answer, so an edit that only moves a node keeps the analysis.
//!
//! The findings can be computed elsewhere: [`Analysis::deferred`] builds the facts and the data plane and
//! leaves the rules for the first call of [`Analysis::report`], unless [`Analysis::supply_report`] hands
//! it the report of the same plan first (the app's analysis worker runs the rules off the page's thread,
//! with this same code, and sends back the [`Summary`]).

use crate::core::dataplane::{DataPlane, RouteTable};
use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::findings::{Finding, Report};
use crate::core::flows::FlowCheck;
use crate::core::model::EntityRef;
use crate::core::model::{Kind, Plan};
use crate::core::reach::{self, Endpoint, Reach};
use crate::core::rulebook::Code;
use crate::core::rules;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// What the analysis derives from its plan.
struct Derived<'a> {
    dataplane: DataPlane<'a>,
    /// Computed by the rules on first use, or supplied (see [`Analysis::supply_report`]).
    report: OnceLock<Arc<Report>>,
    /// The check of every declared flow: computed with the report when the rules run here, else on first use.
    flows: OnceLock<Vec<FlowCheck>>,
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
        let a = Analysis::deferred(plan);
        a.report();
        a
    }

    /// The facts and the data plane of `plan`; the rules run on the first call of [`Analysis::report`]
    /// (or never, when the report of the same plan is supplied first).
    pub fn deferred(plan: Plan) -> Analysis {
        Analysis(Cell::new(plan, |plan| Derived {
            dataplane: DataPlane::new(Ctx::new(plan)),
            report: OnceLock::new(),
            flows: OnceLock::new(),
        }))
    }

    /// Hands the analysis the report of its plan, computed elsewhere by the same rules (the app's
    /// analysis worker). Returns `false`, and keeps its own, when the report was already computed.
    pub fn supply_report(&self, report: Arc<Report>) -> bool {
        self.0.borrow_dependent().report.set(report).is_ok()
    }

    /// Whether the findings are known (computed or supplied) without running the rules.
    pub fn has_report(&self) -> bool {
        self.0.borrow_dependent().report.get().is_some()
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

    /// The findings, sorted, waivers applied (the rules run on the first call of a deferred analysis).
    pub fn report(&self) -> &Report {
        self.shared_report_ref()
    }

    /// The findings, shareable.
    pub fn shared_report(&self) -> Arc<Report> {
        self.shared_report_ref().clone()
    }

    fn shared_report_ref(&self) -> &Arc<Report> {
        let d = self.0.borrow_dependent();
        d.report.get_or_init(|| {
            // The flow rules need the flows' checks: keep them rather than trace them again.
            let (report, flows) = rules::findings_and_flows(&d.dataplane);
            let _ = d.flows.set(with_findings(flows, &report));
            Arc::new(report)
        })
    }

    /// What the always-shown views of the app read: the findings and the endpoints (id, name) a
    /// reachability question can name. Small enough to send from the analysis worker to the page: the
    /// findings come without their related entities, which no view shows (the report and the CLI have
    /// them); on the largest generated plan that is 1 MB of its 2.5 MB.
    pub fn summary(&self) -> Summary {
        let ctx = self.facts();
        let eps = crate::core::matrix::endpoints(ctx);
        let labels = crate::core::matrix::labels(ctx, &eps);
        let endpoints = eps
            .into_iter()
            .zip(labels)
            .map(|(e, l)| (e.id, format!("{} · {}", l.name, l.what)))
            .collect();
        let mut report = self.report().clone();
        let fixes = report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| (i, self.fix_edits(f)))
            .filter(|(_, edits)| !edits.is_empty())
            .collect();
        for f in report.findings.iter_mut().chain(report.waived.iter_mut().map(|w| &mut w.finding)) {
            f.related = Vec::new();
        }
        Summary { report, endpoints, fixes }
    }

    /// The check of every declared flow, in plan order (met, broken, forbidden but open, ...).
    ///
    /// Each blocked hop of a deciding trace carries the finding of the rule that decided it (as
    /// [`Analysis::reach`] gives it), so the flows read the findings: a deferred analysis runs the
    /// rules first unless its report was supplied, then traces the flows.
    pub fn flows(&self) -> &[FlowCheck] {
        let report = self.report();
        let d = self.0.borrow_dependent();
        d.flows.get_or_init(|| {
            let demand = crate::core::flows::Demand::new(&d.dataplane.ctx);
            with_findings(crate::core::flows::evaluate(&d.dataplane, &demand), report)
        })
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

    /// The fix of a finding as edits the app can apply as they are, when the plan can express it
    /// (the E7 route maps of CEN-VBR-001, the Deny maps of an open forbidden flow, the mirror Deny map
    /// of a one-way isolation, CEN-RMAP-003); empty otherwise.
    pub fn fix_edits(&self, finding: &Finding) -> Vec<crate::core::edit::Edit> {
        let dp = self.dataplane();
        match (finding.code, &finding.entity, finding.related.first()) {
            (Code::CenVbr001, Some(at), Some(other)) => dp
                .effective_cen(&at.id)
                .map(|cen| reach::fixes::permit_maps(&dp.ctx, cen, &at.id, &other.id))
                .unwrap_or_default(),
            // A one-way isolation: the mirror Deny map, keeping the second network's routes from the
            // first (the one that still learns them), on the CEN the finding names.
            (Code::CenRmap003, _, _) => match finding.related.as_slice() {
                [learns, kept, cen, ..] if cen.kind == Kind::Cen => {
                    reach::fixes::deny_map(&dp.ctx, &cen.id, &kept.id, &learns.id).into_iter().collect()
                }
                _ => Vec::new(),
            },
            // A forbidden flow that is open between two networks of one CEN: Deny maps both ways.
            (Code::PlanFlow003, _, _) => {
                let networks: Vec<&str> = finding
                    .related
                    .iter()
                    .filter(|r| matches!(r.kind, Kind::Vpc | Kind::Vbr | Kind::Ccn))
                    .map(|r| r.id.as_str())
                    .collect();
                // The CEN the finding names, else the one both networks are on.
                let cen = finding
                    .related
                    .iter()
                    .find(|r| r.kind == Kind::Cen)
                    .map(|r| r.id.as_str())
                    .or_else(|| match networks.as_slice() {
                        [a, b] => dp.effective_cen(a).filter(|c| dp.effective_cen(b) == Some(*c)),
                        _ => None,
                    });
                match (networks.as_slice(), cen) {
                    ([a, b], Some(cen)) if a != b => reach::fixes::deny_maps(&dp.ctx, cen, a, b),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// The finding with this code about this entity (or naming it as related).
    fn finding_for(&self, code: Code, entity: Option<&EntityRef>) -> Option<Finding> {
        finding_for(self.report(), code, entity)
    }

    /// Whether an edit keeps every answer of the analysis, whatever the plan: moving a node, renaming
    /// the plan, or adding, changing or removing a review comment (see [`Analysis::inputs_equal`]).
    pub fn edit_keeps(edit: &Edit) -> bool {
        matches!(
            edit,
            Edit::Move { .. }
                | Edit::Unplace { .. }
                | Edit::SetName(_)
                | Edit::Put { kind: Kind::Comment, .. }
                | Edit::Delete { kind: Kind::Comment, .. }
                | Edit::Restore { kind: Kind::Comment, .. }
        )
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
            sites,
            route_maps,
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
            && *sites == b.sites
            && *route_maps == b.route_maps
            && *groups == b.groups
            && *flows == b.flows
            && *waivers == b.waivers
    }
}

/// The part of an analysis the app's always-shown views read (see [`Analysis::summary`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The findings (without their related entities).
    pub report: Report,
    /// Every endpoint of a reachability question: id and "name · kind" (`matrix::labels`), in `matrix::endpoints` order.
    pub endpoints: Vec<(String, String)>,
    /// The fixes the plan can express as edits (`Analysis::fix_edits`), by the finding's index in `report.findings`.
    #[serde(default)]
    pub fixes: Vec<(usize, Vec<Edit>)>,
}

impl Summary {
    /// The summary cut into JSON parts that are each quick to read: the first holds everything but
    /// the findings, each other one `per_part` findings. The app's analysis worker sends these, and the
    /// page reads one part per task (`SummaryReader`), so no task is long on a big plan.
    pub fn to_parts(&self, per_part: usize) -> Result<Vec<String>, serde_json::Error> {
        let head = Summary {
            report: Report {
                findings: Vec::new(),
                waived: self.report.waived.clone(),
            },
            endpoints: self.endpoints.clone(),
            fixes: self.fixes.clone(),
        };
        let mut parts = vec![serde_json::to_string(&head)?];
        for chunk in self.report.findings.chunks(per_part.max(1)) {
            parts.push(serde_json::to_string(chunk)?);
        }
        Ok(parts)
    }
}

/// Reads a summary from the parts of [`Summary::to_parts`], one at a time.
#[derive(Debug, Default)]
pub struct SummaryReader {
    summary: Option<Summary>,
}

impl SummaryReader {
    /// Reads the next part (the first one first).
    pub fn read(&mut self, part: &str) -> Result<(), String> {
        match &mut self.summary {
            None => self.summary = Some(serde_json::from_str(part).map_err(|e| e.to_string())?),
            Some(s) => s
                .report
                .findings
                .extend(serde_json::from_str::<Vec<Finding>>(part).map_err(|e| e.to_string())?),
        }
        Ok(())
    }

    /// The summary read (empty when no part was read).
    pub fn finish(self) -> Summary {
        self.summary.unwrap_or_default()
    }
}

/// The flows' checks with each blocked hop of a deciding trace carrying its rule's finding.
fn with_findings(mut flows: Vec<FlowCheck>, report: &Report) -> Vec<FlowCheck> {
    for r in flows.iter_mut().filter_map(|c| c.deciding.as_mut()) {
        for t in [&mut r.forward, &mut r.back] {
            if let Some(b) = &mut t.blocked {
                b.finding = finding_for(report, b.code, b.entity.as_ref());
            }
        }
    }
    flows
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
    fn a_deferred_analysis_takes_a_supplied_report_or_computes_the_same_one() {
        let plan = crate::core::generate::generate(&crate::core::generate::GenOptions::typical());
        let full = analyse(&plan);
        let summary = full.summary();
        // What the worker sends and the page reads back is the same summary.
        let back: Summary = serde_json::from_str(&serde_json::to_string(&summary).unwrap()).unwrap();
        assert_eq!(back, summary);
        assert!(!back.report.findings.is_empty() && !back.endpoints.is_empty());
        assert_eq!(back.report.findings.len(), full.report().findings.len());
        assert!(back.report.findings.iter().all(|f| f.related.is_empty()));
        let deferred = Analysis::deferred(plan.clone());
        assert!(!deferred.has_report());
        assert!(deferred.supply_report(full.shared_report()));
        assert_eq!(deferred.report(), full.report());
        assert!(!deferred.supply_report(Arc::new(Report::default())), "a known report is kept");
        let computed = Analysis::deferred(plan);
        assert_eq!(computed.report(), full.report());
    }

    #[test]
    fn the_flows_checks_are_the_same_whether_the_rules_ran_here_or_the_report_was_supplied() {
        let plan = crate::core::format::from_json(crate::core::examples::find("hub-and-spoke-forbidden-spokes").unwrap().json).unwrap();
        let full = analyse(&plan);
        assert!(!full.flows().is_empty());
        assert!(full.flows().iter().any(|c| c.deciding.is_some()));
        let supplied = Analysis::deferred(plan.clone());
        assert!(supplied.supply_report(full.shared_report()));
        assert_eq!(supplied.flows(), full.flows());
        // Asking for the flows first runs the rules once and keeps both.
        let first = Analysis::deferred(plan);
        assert_eq!(first.flows(), full.flows());
        assert!(first.has_report());
        assert_eq!(first.report(), full.report());
    }

    #[test]
    fn an_edit_said_to_keep_the_analysis_keeps_its_inputs_equal() {
        use crate::core::edit::apply;
        let plan = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        let mut draft = crate::core::fields::new_draft(&plan, Kind::Comment);
        draft.insert("entity".into(), "vpc-1".into());
        draft.insert("text".into(), "why?".into());
        let id = crate::core::fields::next_id(&plan, Kind::Comment);
        let comment = crate::core::fields::build(&plan, Kind::Comment, &id, &draft).unwrap();
        let keeping = [
            Edit::Move {
                id: "vpc-1".into(),
                pos: crate::core::model::Pos { x: 1.0, y: 2.0 },
            },
            Edit::SetName("renamed".into()),
            Edit::Put {
                kind: Kind::Comment,
                entity: comment,
                previous_id: None,
            },
        ];
        for edit in keeping {
            assert!(Analysis::edit_keeps(&edit));
            let mut after = plan.clone();
            apply(&mut after, edit.clone()).unwrap();
            assert!(Analysis::inputs_equal(&plan, &after), "{edit:?}");
        }
        assert!(!Analysis::edit_keeps(&Edit::Delete {
            kind: Kind::Vpc,
            id: "vpc-1".into()
        }));
        assert!(!Analysis::edit_keeps(&Edit::SetAsOf("2019-01-01".into())));
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

    #[test]
    fn a_summary_read_back_from_its_parts_is_the_same() {
        let plan = crate::core::generate::generate(&crate::core::generate::GenOptions::typical());
        let summary = Analysis::new(plan).summary();
        assert!(summary.report.findings.len() > 10);
        let parts = summary.to_parts(7).unwrap();
        assert_eq!(parts.len(), 1 + summary.report.findings.len().div_ceil(7));
        let mut reader = SummaryReader::default();
        for p in &parts {
            reader.read(p).unwrap();
        }
        assert_eq!(reader.finish(), summary);
        assert!(SummaryReader::default().read("not json").is_err());
    }
}
