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
use crate::core::findings::{Finding, Report, Severity};
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

    /// The fix of a finding as edits the app can apply as they are, when the plan can express it and
    /// one list of edits is the fix (`docs/rules.md`, "Fixes", says for which rules; e.g. the E7 route
    /// maps of CEN-VBR-001, the mirror Deny map of a one-way isolation, CEN-RMAP-003); empty otherwise:
    /// a fix outside the plan (`Finding::outside_plan`), or a choice the user has to make. The edits
    /// come from `reach::fixes`, the builders the traces' blocked hops use too.
    pub fn fix_edits(&self, finding: &Finding) -> Vec<Edit> {
        use crate::core::catalog::Area;
        use reach::fixes;
        use serde_json::Value;
        // A step outside the plan is never offered as edits.
        if finding.outside_plan {
            return Vec::new();
        }
        let dp = self.dataplane();
        let ctx = &dp.ctx;
        let plan = ctx.plan;
        let entity = finding.entity.as_ref();
        let id = entity.map_or("", |e| e.id.as_str());
        let related = |kind: Kind| finding.related.iter().find(|r| r.kind == kind).map(|r| r.id.as_str());
        // The CEN the finding is about, or names.
        let cen = match entity {
            Some(e) if e.kind == Kind::Cen => Some(id),
            _ => related(Kind::Cen),
        };
        let set = |kind: Kind, values: &[(&str, Value)]| fixes::set(plan, kind, id, values).into_iter().collect::<Vec<_>>();
        // The regions of the networks the finding names, each once, in the finding's order.
        let regions = || {
            let mut out: Vec<&str> = Vec::new();
            for r in &finding.related {
                if let Some(region) = ctx.networks.get(r.id.as_str()).and_then(|n| n.region) {
                    if !region.trim().is_empty() && !out.contains(&region) {
                        out.push(region);
                    }
                }
            }
            out
        };
        let areas_of = |a: &str, b: &str| ctx.region_area(a).zip(ctx.region_area(b));
        match (finding.code, finding.severity) {
            (Code::CenVbr001, _) => match (entity, finding.related.first()) {
                (Some(at), Some(other)) => dp
                    .effective_cen(&at.id)
                    .map(|cen| fixes::permit_maps(ctx, cen, &at.id, &other.id))
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            // A one-way isolation: the mirror Deny map, keeping the second network's routes from the
            // first (the one that still learns them), on the CEN the finding names.
            (Code::CenRmap003, _) => match finding.related.as_slice() {
                [learns, kept, cen, ..] if cen.kind == Kind::Cen => {
                    fixes::deny_map(ctx, &cen.id, &kept.id, &learns.id).into_iter().collect()
                }
                _ => Vec::new(),
            },
            // A forbidden flow that is open between two networks of one CEN: Deny maps both ways.
            (Code::PlanFlow003, _) => {
                let networks: Vec<&str> = finding
                    .related
                    .iter()
                    .filter(|r| matches!(r.kind, Kind::Vpc | Kind::Vbr | Kind::Ccn))
                    .map(|r| r.id.as_str())
                    .collect();
                // The CEN the finding names, else the one both networks are on.
                let cen = cen.or_else(|| match networks.as_slice() {
                    [a, b] => dp.effective_cen(a).filter(|c| dp.effective_cen(b) == Some(*c)),
                    _ => None,
                });
                match (networks.as_slice(), cen) {
                    ([a, b], Some(cen)) if a != b => fixes::deny_maps(ctx, cen, a, b),
                    _ => Vec::new(),
                }
            }
            // A broken required flow: the fix of the hop that blocks it, as the flows view gives it.
            (Code::PlanFlow002, _) => self
                .flows()
                .iter()
                .find(|c| c.flow == id)
                .and_then(|c| c.deciding_trace())
                .and_then(|t| t.blocked.as_ref())
                .map(|b| b.edits.clone())
                .unwrap_or_default(),
            // A region pair on the test link: its region bandwidth (and the package to carry it).
            (Code::CenBw005 | Code::CenBw008, _) => match (cen, regions().as_slice()) {
                (Some(cen), [a, b]) => fixes::region_bandwidth(ctx, cen, a, b),
                _ => Vec::new(),
            },
            // No package for an area pair some region pair needs (the "not needed" info is a choice).
            (Code::CenBwp001, Severity::Warning) | (Code::CenBwp003, _) => {
                let mut areas: Vec<Area> = regions().iter().filter_map(|r| ctx.region_area(r)).collect();
                areas.sort();
                areas.dedup();
                match (cen, areas.as_slice()) {
                    (Some(cen), [x]) => fixes::package(ctx, cen, *x, *x),
                    (Some(cen), [x, y]) => fixes::package(ctx, cen, *x, *y),
                    _ => Vec::new(),
                }
            }
            // A region bandwidth with no package of its area pair on its CEN.
            (Code::CenBwp002, _) => match plan.region_bandwidths.iter().find(|b| b.id == id) {
                Some(b) => areas_of(&b.region_a, &b.region_b)
                    .map(|(x, y)| fixes::package(ctx, &b.cen, x, y))
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            // Mainland China ↔ Hong Kong on a China–China package: the China–Asia-Pacific package.
            (Code::CenArea003, _) => cen
                .map(|cen| fixes::package(ctx, cen, Area::China, Area::AsiaPacific))
                .unwrap_or_default(),
            // An unbound package a CEN's region bandwidths draw on: bind it (one bound to another CEN
            // is a choice between the two CENs).
            (Code::CenBwp007, Severity::Error) => match (plan.bandwidth_packages.iter().find(|p| p.id == id), cen) {
                (Some(p), Some(cen)) if p.cen.as_deref().is_none_or(|c| c.trim().is_empty()) => {
                    fixes::package(ctx, cen, p.area_a, p.area_b)
                }
                _ => Vec::new(),
            },
            // A package size out of range: the nearest size sold.
            (Code::CenBwp005, _) => match plan.bandwidth_packages.iter().find(|p| p.id == id) {
                Some(p) => {
                    let min = if ctx.as_of < crate::core::rulebook::dates::PACKAGE_MIN_2_MBPS {
                        1
                    } else {
                        2
                    };
                    set(Kind::BandwidthPackage, &[("mbps", Value::from(p.mbps.clamp(min, 10_000)))])
                }
                None => Vec::new(),
            },
            // A cross-account attachment without its grant.
            (Code::CenXacc001, _) => match plan.attachments.iter().find(|a| a.id == id) {
                Some(a) => fixes::grant(ctx, &a.network, &a.cen),
                None => Vec::new(),
            },
            // A route that must be published (the local default route, an info, is left alone).
            (Code::CenRt002, Severity::Error) => fixes::publish(ctx, id),
            (Code::CenVpn001, _) if entity.is_some_and(|e| e.kind == Kind::RouteEntry) => fixes::publish(ctx, id),
            // A published route in a custom table (an unpublished one there is a choice).
            (Code::CenRt003, Severity::Error) => fixes::to_system_table(ctx, id),
            // An office without a system route to its VPN gateway: the routes, published when the VPC is attached.
            (Code::CenVpn001, _) => {
                let attached = related(Kind::Vpc).is_some_and(|vpc| dp.effective_cen(vpc).is_some());
                fixes::office_routes(ctx, id, attached)
            }
            // Local selectors that miss destinations: 0.0.0.0/0 (seed 003), which covers every one.
            (Code::CenVpn002, _) => fixes::open_selectors(ctx, id),
            // The overlapping-routes switch is on in the console (or must be, first).
            (Code::CenRt008, _) => fixes::overlapping_on(ctx, id),
            // Overlapping prefixes with the switch off: the switch on, as the trace's blocked hop offers.
            (Code::CenCidr006, _) => cen.map(|cen| fixes::overlapping_on(ctx, cen)).unwrap_or_default(),
            // A SAG announcing a leased line's block unpaired: the SAG as that VBR's standby (when it
            // backs up no other line, else a choice).
            (Code::CenCcn006, Severity::Error) => match (plan.sags.iter().find(|s| s.id == id), related(Kind::Vbr)) {
                (Some(s), Some(vbr)) if s.backup_for_vbr.as_deref().is_none_or(|b| b.trim().is_empty()) => {
                    set(Kind::Sag, &[("backup_for_vbr", Value::from(vbr))])
                }
                _ => Vec::new(),
            },
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

/// Each fix the plan can express (`Analysis::fix_edits`), applied as the app applies it: the finding
/// is gone, and no error or warning appears (`testing::fix`).
#[cfg(test)]
mod fix_tests {
    use super::*;
    use crate::core::catalog::{Area, CcnArea};
    use crate::core::findings::Severity;
    use crate::core::model::NextHopType;
    use crate::core::rulebook::FixKind;
    use crate::core::testing::{fix, plan, PlanBuilder};
    use expect_test::expect;

    /// CEN c (overlapping routes on) with VPC v1 in Hangzhou and v2 in `region`, both attached.
    fn two_regions(region: &str) -> PlanBuilder {
        plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", region, "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
    }

    /// The fix of `code` (any severity), as `testing::fix` shows it.
    fn fixes(p: &Plan, code: &str, expect: expect_test::Expect) -> Plan {
        fix(p, code, None, expect)
    }

    fn no_fix(p: &Plan, code: &str, severity: Severity) {
        let a = Analysis::new(p.clone());
        let f = a
            .report()
            .findings
            .iter()
            .find(|f| f.code == code && f.severity == severity)
            .cloned();
        let f = f.unwrap_or_else(|| panic!("no {code} in {:#?}", a.report().findings));
        assert!(a.fix_edits(&f).is_empty(), "{f:?}");
    }

    #[test]
    fn a_region_pair_on_the_test_link_gets_its_region_bandwidth_and_the_package_of_its_areas() {
        fixes(
            &two_regions("us-west-1").build(),
            "CEN-BW-008",
            expect![[r#"
                put region_bandwidths {"cen":"c","id":"rbw-1","mbps":10,"region_a":"cn-hangzhou","region_b":"us-west-1"}
                put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"cenbwp-1","mbps":10,"name":"Mainland China–North America"}
                gone: warning CEN-BW-008 c
                gone: warning CEN-BWP-001 c
                new: info CEN-BWP-008 cenbwp-1.mbps: bandwidth package Mainland China–North America (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
    }

    #[test]
    fn a_region_bandwidth_added_to_a_full_package_raises_the_package() {
        // Hangzhou ↔ Beijing draws the whole package; Hangzhou ↔ Shanghai has none (CEN-BW-005).
        let p = two_regions("cn-beijing")
            .vpc("v3", "cn-shanghai", "10.3.0.0/16")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t3", "c", "v3")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("b1", "c", "cn-hangzhou", "cn-beijing", 10)
            .region_bandwidth("b2", "c", "cn-beijing", "cn-shanghai", 10)
            .build();
        fixes(
            &p,
            "CEN-BW-005",
            expect![[r#"
                put region_bandwidths {"cen":"c","id":"rbw-1","mbps":10,"region_a":"cn-hangzhou","region_b":"cn-shanghai"}
                put bandwidth_packages {"area_a":"China","area_b":"China","cen":"c","id":"p","mbps":30,"name":""}
                gone: error CEN-BW-002 p
                gone: warning CEN-BW-005 c
            "#]],
        );
    }

    #[test]
    fn a_missing_package_for_an_area_pair_is_bought_and_bound() {
        fixes(
            &two_regions("us-west-1").build(),
            "CEN-BWP-001",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"cenbwp-1","mbps":10,"name":"Mainland China–North America"}
                gone: warning CEN-BWP-001 c
                new: info CEN-BWP-008 cenbwp-1.mbps: bandwidth package Mainland China–North America (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
        fixes(
            &two_regions("cn-shanghai").build(),
            "CEN-BWP-003",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"China","cen":"c","id":"cenbwp-1","mbps":10,"name":"Mainland China (within)"}
                gone: warning CEN-BWP-003 c
            "#]],
        );
        // An unbound package of the pair is bound rather than a second one bought.
        let spare = two_regions("us-west-1")
            .package("p", None, Area::NorthAmerica, Area::China, 20)
            .build();
        fixes(
            &spare,
            "CEN-BWP-001",
            expect![[r#"
                put bandwidth_packages {"area_a":"North-America","area_b":"China","cen":"c","id":"p","mbps":20,"name":""}
                gone: warning CEN-BWP-001 c
                gone: info CEN-BWP-007 p
            "#]],
        );
    }

    #[test]
    fn a_package_no_flow_needs_is_left_to_the_user() {
        let p = two_regions("cn-hangzhou")
            .package("p", Some("c"), Area::China, Area::Europe, 10)
            .build();
        no_fix(&p, "CEN-BWP-001", Severity::Info);
    }

    #[test]
    fn a_region_bandwidth_without_its_package_gets_one_large_enough() {
        let p = two_regions("us-west-1")
            .region_bandwidth("b", "c", "cn-hangzhou", "us-west-1", 50)
            .build();
        fixes(
            &p,
            "CEN-BWP-002",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"cenbwp-1","mbps":50,"name":"Mainland China–North America"}
                gone: error CEN-BWP-002 b
                new: info CEN-BWP-008 cenbwp-1.mbps: bandwidth package Mainland China–North America (China–North-America, 50 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
    }

    #[test]
    fn an_unbound_package_region_bandwidths_draw_on_is_bound() {
        let p = two_regions("us-west-1")
            .package("p", None, Area::China, Area::NorthAmerica, 10)
            .region_bandwidth("b", "c", "cn-hangzhou", "us-west-1", 10)
            .build();
        fixes(
            &p,
            "CEN-BWP-007",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"p","mbps":10,"name":""}
                gone: error CEN-BWP-007 p
            "#]],
        );
    }

    #[test]
    fn hong_kong_on_a_china_china_package_gets_a_china_asia_pacific_package() {
        let p = two_regions("cn-hongkong")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("b", "c", "cn-hangzhou", "cn-hongkong", 10)
            .build();
        fixes(
            &p,
            "CEN-AREA-003",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"Asia-Pacific","cen":"c","id":"cenbwp-1","mbps":10,"name":"Mainland China–Asia Pacific"}
                gone: error CEN-AREA-003 b
                new: info CEN-BWP-001 p.cen: bandwidth package p (China–China, 10 Mbps) on CEN c is unused: no two regions of the CEN's networks are in the China–China pair
                  fix: Keep it only if networks in those areas will be attached; an unneeded package is still billed.
                  related: c
                new: info CEN-BWP-008 cenbwp-1.mbps: bandwidth package Mainland China–Asia Pacific (China–Asia-Pacific, 10 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
    }

    #[test]
    fn a_package_size_out_of_range_becomes_the_nearest_size_sold() {
        let p = two_regions("us-west-1")
            .package("p", Some("c"), Area::China, Area::NorthAmerica, 20_000)
            .region_bandwidth("b", "c", "cn-hangzhou", "us-west-1", 10)
            .build();
        fixes(
            &p,
            "CEN-BWP-005",
            expect![[r#"
                put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"p","mbps":10000,"name":""}
                gone: error CEN-BWP-005 p
                gone: info CEN-BWP-008 p
                new: info CEN-BWP-008 p.mbps: bandwidth package p (China–North-America, 10000 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
    }

    #[test]
    fn a_cross_account_attachment_gets_its_grant_or_the_grants_uid_corrected() {
        let other = |p: PlanBuilder| p.account("b", "2").vpc("v3", "cn-hangzhou", "10.3.0.0/16").owner("b");
        let p = other(two_regions("cn-hangzhou"))
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t3", "c", "v3")
            .build();
        fixes(
            &p,
            "CEN-XACC-001",
            expect![[r#"
                put grants {"cen":"c","cen_owner_uid":"1","id":"grant-1","network":"v3"}
                gone: error CEN-XACC-001 t3
                new: info CEN-XACC-003 grant-1.cen: grant grant-1: account b lets CEN c (owner UID 1) attach v3 and reach its addresses (attachment t3 uses it)
                  fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
                  related: c, v3
            "#]],
        );
        let wrong = other(two_regions("cn-hangzhou"))
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t3", "c", "v3")
            .grant("g", "v3", "c", "9")
            .build();
        fixes(
            &wrong,
            "CEN-XACC-001",
            expect![[r#"
                put grants {"cen":"c","cen_owner_uid":"1","id":"g","network":"v3"}
                gone: error CEN-XACC-001 t3
                gone: info CEN-XACC-003 g
                new: info CEN-XACC-003 g.cen: grant g: account b lets CEN c (owner UID 1) attach v3 and reach its addresses (attachment t3 uses it)
                  fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
                  related: c, v3
            "#]],
        );
    }

    #[test]
    fn a_route_to_an_instance_is_published_but_a_local_default_route_is_not() {
        let p = two_regions("cn-hangzhou")
            .route("r", "v1", "192.168.0.0/24", NextHopType::Ecs, "i-firewall")
            .build();
        fixes(
            &p,
            "CEN-RT-002",
            expect![[r#"
                put route_entries {"destination":"192.168.0.0/24","id":"r","name":"","network":"v1","next_hop":"i-firewall","next_hop_type":"ecs","published":true,"table":"system"}
                gone: error CEN-RT-002 r
            "#]],
        );
        let local = two_regions("cn-hangzhou")
            .route("r", "v1", "0.0.0.0/0", NextHopType::Ecs, "i-firewall")
            .build();
        no_fix(&local, "CEN-RT-002", Severity::Info);
    }

    #[test]
    fn a_published_route_in_a_custom_table_moves_to_the_system_table_but_an_unpublished_one_is_a_choice() {
        let p = two_regions("cn-hangzhou")
            .route("r", "v1", "192.168.0.0/24", NextHopType::Ecs, "i-firewall")
            .published()
            .custom_table()
            .build();
        fixes(
            &p,
            "CEN-RT-003",
            expect![[r#"
                put route_entries {"destination":"192.168.0.0/24","id":"r","name":"","network":"v1","next_hop":"i-firewall","next_hop_type":"ecs","published":true,"table":"system"}
                gone: error CEN-RT-003 r
            "#]],
        );
        let unpublished = two_regions("cn-hangzhou")
            .route("r", "v1", "192.168.0.0/24", NextHopType::Ecs, "i-firewall")
            .custom_table()
            .build();
        no_fix(&unpublished, "CEN-RT-003", Severity::Warning);
    }

    #[test]
    fn overlapping_routes_are_turned_on_where_the_console_has_them_on() {
        let mut p = two_regions("cn-hangzhou").build();
        p.cens[0].overlapping_routes = false;
        p.cens[0].created_on = "2019-05-01".into();
        fixes(
            &p,
            "CEN-RT-008",
            expect![[r#"
                put cens {"created_on":"2019-05-01","id":"c","name":"","overlapping_routes":true,"owner":"a"}
                gone: error CEN-RT-008 c
            "#]],
        );
    }

    #[test]
    fn overlapping_prefixes_with_the_switch_off_get_the_switch_on() {
        let mut p = two_regions("cn-hangzhou").build();
        p.cens[0].overlapping_routes = false;
        p.vpcs[1].cidr = "10.1.0.0/16".into();
        p.vswitches[1].cidr = "10.1.0.0/20".into();
        fixes(
            &p,
            "CEN-CIDR-006",
            expect![[r#"
                put cens {"id":"c","name":"","overlapping_routes":true,"owner":"a"}
                gone: error CEN-CIDR-006 s2
                new: warning CEN-CIDR-004 s2.cidr: 10.1.1.0/24 (vSwitch s1 of v1) overlaps 10.1.0.0/20 (vSwitch s2 of v2) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
                  fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
                  related: s1, c
            "#]],
        );
    }

    #[test]
    fn every_fix_offered_on_the_examples_applies_and_clears_its_finding_without_a_new_error() {
        let mut offered = 0;
        for example in crate::core::examples::EXAMPLES {
            let p = crate::core::format::from_json(example.json).unwrap();
            let analysis = Analysis::new(p.clone());
            for f in &analysis.report().findings {
                let edits = analysis.fix_edits(f);
                assert!(edits.is_empty() || !f.outside_plan, "{f:?}");
                // The rulebook's fix table says the same (docs/rules.md, "Fixes").
                let row = crate::core::rulebook::FIXES
                    .iter()
                    .find(|(c, _, _)| *c == f.code.as_str())
                    .map(|r| r.1);
                if f.outside_plan {
                    assert_eq!(row, Some(FixKind::Outside), "{f:?}");
                }
                if !edits.is_empty() {
                    assert_eq!(row, Some(FixKind::Edits), "{f:?}");
                }
                if edits.is_empty() {
                    continue;
                }
                offered += 1;
                let mut fixed = p.clone();
                crate::core::edit::apply_all(&mut fixed, edits).unwrap();
                let after = rules::check(&fixed).findings;
                let key = |x: &Finding| (x.code, x.entity.clone(), x.message.clone());
                assert!(!after.iter().any(|a| key(a) == key(f)), "{}: {f:?} stays", example.key);
                // (A flow's finding between a group's members names the pairs still open: told again, not new.)
                for a in after.iter().filter(|a| a.severity == Severity::Error) {
                    let before = analysis
                        .report()
                        .findings
                        .iter()
                        .any(|b| (a.code, &a.entity) == (b.code, &b.entity));
                    assert!(before, "{}: fixing {} breaks {a:?}", example.key, f.code);
                }
            }
        }
        assert!(offered > 0);
    }

    /// VPC v1 with VPN gateway g1 and office o1 (10.10.10.0/24), v2 beside it, both attached to c.
    fn office() -> PlanBuilder {
        two_regions("cn-hangzhou")
            .vpn_gateway("g1", "v1")
            .mbps(10)
            .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
            .name("Office 1")
            .ipsec("k1", "g1", "o1", &["0.0.0.0/0"], &["10.10.10.0/24", "10.10.20.0/24"])
    }

    #[test]
    fn an_office_without_a_route_gets_published_routes_to_its_vpn_gateway() {
        fixes(
            &office().build(),
            "CEN-VPN-001",
            expect![[r#"
                put route_entries {"destination":"10.10.10.0/24","id":"rte-1","name":"To Office 1","network":"v1","next_hop":"g1","next_hop_type":"vpn_gateway","published":true,"table":"system"}
                put route_entries {"destination":"10.10.20.0/24","id":"rte-2","name":"To Office 1","network":"v1","next_hop":"g1","next_hop_type":"vpn_gateway","published":true,"table":"system"}
                gone: error CEN-VPN-001 k1
                gone: error CEN-VPN-001 k1
            "#]],
        );
        let unpublished = office().route("r1", "v1", "10.10.0.0/16", NextHopType::VpnGateway, "g1").build();
        fixes(
            &unpublished,
            "CEN-VPN-001",
            expect![[r#"
                put route_entries {"destination":"10.10.0.0/16","id":"r1","name":"","network":"v1","next_hop":"g1","next_hop_type":"vpn_gateway","published":true,"table":"system"}
                gone: error CEN-VPN-001 r1
                gone: error CEN-VPN-001 r1
            "#]],
        );
    }

    #[test]
    fn narrow_local_selectors_become_0_0_0_0_0() {
        let mut p = office()
            .route("r1", "v1", "10.10.0.0/16", NextHopType::VpnGateway, "g1")
            .published()
            .build();
        p.ipsec_connections[0].local_cidrs = vec!["10.1.0.0/16".into()];
        fixes(
            &p,
            "CEN-VPN-002",
            expect![[r#"
                put ipsec_connections {"customer_gateway":"o1","id":"k1","ike_version":"v2","local_cidrs":["0.0.0.0/0"],"name":"","remote_cidrs":["10.10.10.0/24","10.10.20.0/24"],"vpn_gateway":"g1"}
                gone: warning CEN-VPN-002 k1
            "#]],
        );
    }

    #[test]
    fn a_blocked_hop_offers_the_fix_of_the_finding_that_decided_it() {
        let cross_account = two_regions("cn-hangzhou")
            .account("b", "2")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .owner("b")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t3", "c", "v3")
            .build();
        let mut narrow = office()
            .route("r1", "v1", "10.10.0.0/16", NextHopType::VpnGateway, "g1")
            .published()
            .build();
        narrow.ipsec_connections[0].local_cidrs = vec!["10.1.0.0/16".into()];
        let unpublished = office().route("r1", "v1", "10.10.0.0/16", NextHopType::VpnGateway, "g1").build();
        for (p, a, b, code) in [
            (office().build(), "v2", "o1", "CEN-VPN-001"),
            (unpublished, "v2", "o1", "CEN-VPN-001"),
            (narrow, "v2", "o1", "CEN-VPN-002"),
            (cross_account, "v1", "v3", "CEN-XACC-001"),
        ] {
            let analysis = Analysis::new(p);
            let r = analysis.reach(a, b).unwrap();
            let blocked = r.forward.blocked.or(r.back.blocked).expect("blocked");
            let finding = blocked.finding.expect("decided by a finding");
            assert_eq!(finding.code, code);
            assert!(!blocked.edits.is_empty());
            assert_eq!(analysis.fix_edits(&finding), blocked.edits, "{code}");
        }
    }

    #[test]
    fn a_broken_required_flow_gets_the_fix_of_its_blocking_hop() {
        let p = two_regions("cn-hangzhou")
            .account("b", "2")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .owner("b")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t3", "c", "v3")
            .required("f", "v1", "v3")
            .build();
        fixes(
            &p,
            "PLAN-FLOW-002",
            expect![[r#"
                put grants {"cen":"c","cen_owner_uid":"1","id":"grant-1","network":"v3"}
                gone: error CEN-XACC-001 t3
                gone: error PLAN-FLOW-002 f
                new: info CEN-XACC-003 grant-1.cen: grant grant-1: account b lets CEN c (owner UID 1) attach v3 and reach its addresses (attachment t3 uses it)
                  fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
                  related: c, v3
            "#]],
        );
    }

    #[test]
    fn a_sag_with_a_leased_lines_block_becomes_its_standby_unless_it_backs_up_another_line() {
        let p = |backup: Option<&str>| {
            plan()
                .cen("c")
                .vbr("r", "cn-beijing", &["10.1.1.0/24"])
                .vbr("r2", "cn-beijing", &["10.1.2.0/24"])
                .ccn("n", CcnArea::MainlandChina)
                .sag("g", "n", &["10.1.1.0/24"])
                .when(backup.is_some(), |p| p.backup_for(backup.unwrap_or_default()))
                // The leased line and the SAG are two lines of one data centre (they need not talk).
                .site("dc", &["10.1.1.0/24"], &["r", "g"])
                .attach("t1", "c", "n")
                .attach("t2", "c", "r")
                .attach("t3", "c", "r2")
                .build()
        };
        fixes(
            &p(None),
            "CEN-CCN-006",
            expect![[r#"
                put sags {"backup_for_vbr":"r","ccn":"n","cidrs":["10.1.1.0/24"],"id":"g","name":""}
                gone: error CEN-CCN-006 g
                new: info CEN-CCN-006 g.cidrs: 10.1.1.0/24 reaches CEN c both from VBR r (leased line) and from SAG branch g, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
                  fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
                  related: r, c
            "#]],
        );
        no_fix(&p(Some("r2")), "CEN-CCN-006", Severity::Error);
    }
}
