//! Reachability: can endpoint A reach endpoint B, by which path, at what bandwidth, and if not, why
//! not and what is the smallest change that fixes it (rulebook §3.5).
//!
//! A trace starts at the network hosting A, looks up B's address by longest prefix in each network's
//! table (`routes`), and follows the next hop: CEN to the origin network (checking the cross-region
//! bandwidth), a peering connection to its other end, a VPN gateway to the office behind it, or local
//! delivery. Both directions are traced. Only the tables a trace visits are built.
//!
//! The walk itself is `walk::walk`, shared with the all-pairs matrix: a trace drives it over the built
//! tables and writes each hop and reason as it goes; the matrix drives it over a shared forwarding
//! index and keeps only the outcome.

pub mod fixes;
pub(crate) mod walk;

use crate::core::catalog::Area;
use crate::core::cidr::parse_cidr;
use crate::core::dataplane::{DataPlane, Inactive, NextHop, Origin, Route, Undecided, UndecidedWhy};
use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::findings::Finding;
use crate::core::model::{EntityRef, Kind};
use crate::core::rulebook::Code;
use ipnet::Ipv4Net;
use serde::Serialize;
use std::net::Ipv4Addr;
use walk::{End, Link, Recorder, Site};

/// Something that sends or receives traffic: a network, a vSwitch, a SAG branch or an IPsec office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The id given (VPC, VBR, CCN, vSwitch, SAG, IPsec connection, customer gateway or site).
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The network (VPC, VBR or CCN) where its traffic enters and leaves routing.
    pub network: String,
    /// Its addresses.
    pub prefixes: Vec<Ipv4Net>,
    /// For an office: the IPsec connection it uses.
    pub ipsec: Option<String>,
    /// For a site: the networks of its lines (VBRs, CCNs), `network` first. Traffic delivered at any
    /// of them reaches the site, and the site reaches what any of them reaches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

impl Endpoint {
    /// Where traffic for this endpoint may arrive: its network, or any network of a site's lines.
    pub fn networks(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.network.as_str()).chain(self.lines.iter().skip(1).map(String::as_str))
    }
}

/// The outcome of one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Traffic arrives.
    Reachable,
    /// Traffic arrives only over the ~1 Kbps cross-region test link (CEN-BW-008).
    TestLinkOnly,
    /// Traffic does not arrive.
    Unreachable,
}

impl Disposition {
    /// Whether traffic arrives at all.
    pub fn is_success(self) -> bool {
        self != Disposition::Unreachable
    }
}

/// What a hop is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopKind {
    /// An office enters its VPC over its IPsec connection.
    Ipsec,
    /// A network forwards by the route it looked up.
    Route,
    /// A VPN gateway hands the traffic to an office.
    Office,
}

/// The route a hop used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RouteUsed {
    /// Its prefix.
    pub prefix: Ipv4Net,
    /// Its next hop.
    pub next_hop: NextHop,
}

/// One hop of a path: the network and the route it used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The id of the network, VPN gateway or office at this hop.
    pub at: String,
    /// What the hop is.
    pub kind: HopKind,
    /// The route used, as `prefix → next hop`, or what happened, in words.
    pub via: String,
    /// The route used (a `Route` hop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteUsed>,
    /// The CEN the traffic crosses after this hop, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cen: Option<String>,
    /// The bandwidth limit at this hop (Mbps): the CEN hop after it, or the VPN gateway of an IPsec or
    /// office hop, when one limits it. The path's bandwidth is the minimum of all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_mbps: Option<u32>,
}

/// Why traffic stops, and the smallest change that lets it through.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Blocked {
    /// Where it stops.
    pub at: String,
    /// Rulebook code.
    pub code: Code,
    /// The entity to change, when one is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
    /// What is wrong.
    pub reason: String,
    /// The smallest fix.
    pub fix: String,
    /// The fix as edits the plan can take as they are (empty when the fix is a choice the plan cannot make).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    /// The finding of the rule that decided it, when the analysis has one (`Analysis::reach`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// Why a trace's answer depends on something the plan does not decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undetermined {
    /// What is not decided.
    pub reason: String,
    /// The networks among which the service picks (ids).
    pub candidates: Vec<String>,
}

/// One direction of a reachability question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    /// Source endpoint id.
    pub from: String,
    /// Destination endpoint id.
    pub to: String,
    /// Outcome.
    pub disposition: Disposition,
    /// The path followed.
    pub hops: Vec<Hop>,
    /// The limiting bandwidth in Mbps (`None`: no cross-region hop, not limited by CEN).
    pub bandwidth_mbps: Option<u32>,
    /// Where and why it stops (or, for the test link, why it is slow).
    pub blocked: Option<Blocked>,
    /// Warnings along a working path (for example IPsec selectors that do not cover the traffic).
    pub warnings: Vec<String>,
    /// Set when the path depends on a choice the plan does not decide (two equal routes whose winner
    /// the service does not document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undetermined: Option<Undetermined>,
}

/// The answer for a pair, both directions together (the four results of GCP's Connectivity Tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Traffic arrives both ways (perhaps only over the test link: see the traces).
    Reachable,
    /// One direction arrives, the return does not.
    OneWay,
    /// Neither direction arrives.
    Unreachable,
    /// The plan lacks what decides the answer (see the traces' `undetermined`).
    Undetermined,
}

impl Verdict {
    /// The verdict of two directions.
    pub fn of(forward: &Trace, back: &Trace) -> Verdict {
        if forward.undetermined.is_some() || back.undetermined.is_some() {
            return Verdict::Undetermined;
        }
        match (forward.disposition.is_success(), back.disposition.is_success()) {
            (true, true) => Verdict::Reachable,
            (false, false) => Verdict::Unreachable,
            _ => Verdict::OneWay,
        }
    }
}

/// Both directions between two endpoints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reach {
    /// Both directions together.
    pub result: Verdict,
    /// A to B.
    pub forward: Trace,
    /// B to A.
    pub back: Trace,
}

/// Resolves an endpoint id, or says why it is not one.
pub fn endpoint(ctx: &Ctx<'_>, id: &str) -> Result<Endpoint, String> {
    let plan = ctx.plan;
    let kind = ctx.index.kind_of(id).ok_or_else(|| format!("no entity has the id \"{id}\""))?;
    let cidrs = |list: &[String]| list.iter().filter_map(|c| parse_cidr(c).ok()).collect::<Vec<_>>();
    let mut lines = Vec::new();
    let (network, prefixes, ipsec) = match kind {
        Kind::Site => {
            let i = plan.sites.iter().position(|s| s.id == id).ok_or("missing site")?;
            let site = &plan.sites[i];
            lines = ctx.site_networks(i).into_iter().map(str::to_string).collect::<Vec<_>>();
            let network = lines
                .first()
                .cloned()
                .ok_or_else(|| format!("site {} has no line (a VBR or SAG branch of the plan)", ctx.name(id)))?;
            let mut prefixes = cidrs(&site.prefixes);
            if prefixes.is_empty() {
                for line in &site.lines {
                    let own: Vec<String> = match ctx.index.kind_of(&line.via) {
                        Some(Kind::Vbr) => plan
                            .vbrs
                            .iter()
                            .filter(|v| v.id == line.via)
                            .flat_map(|v| v.idc_cidrs.clone())
                            .collect(),
                        Some(Kind::Sag) => plan
                            .sags
                            .iter()
                            .filter(|s| s.id == line.via)
                            .flat_map(|s| s.cidrs.clone())
                            .collect(),
                        _ => Vec::new(),
                    };
                    for net in cidrs(&own) {
                        if !prefixes.contains(&net) {
                            prefixes.push(net);
                        }
                    }
                }
            }
            if lines.len() == 1 {
                lines.clear();
            }
            (network, prefixes, None)
        }
        Kind::Vpc => (
            id.to_string(),
            cidrs(
                &plan
                    .vswitches
                    .iter()
                    .filter(|s| s.vpc == id)
                    .map(|s| s.cidr.clone())
                    .collect::<Vec<_>>(),
            ),
            None,
        ),
        Kind::Vbr => (
            id.to_string(),
            plan.vbrs
                .iter()
                .find(|v| v.id == id)
                .map(|v| cidrs(&v.idc_cidrs))
                .unwrap_or_default(),
            None,
        ),
        Kind::Ccn => (
            id.to_string(),
            cidrs(
                &plan
                    .sags
                    .iter()
                    .filter(|s| s.ccn == id)
                    .flat_map(|s| s.cidrs.clone())
                    .collect::<Vec<_>>(),
            ),
            None,
        ),
        Kind::VSwitch => {
            let s = plan.vswitches.iter().find(|s| s.id == id).ok_or("missing vSwitch")?;
            (s.vpc.clone(), cidrs(std::slice::from_ref(&s.cidr)), None)
        }
        Kind::Sag => {
            let s = plan.sags.iter().find(|s| s.id == id).ok_or("missing SAG")?;
            (s.ccn.clone(), cidrs(&s.cidrs), None)
        }
        Kind::IpsecConnection | Kind::CustomerGateway => {
            let c = plan
                .ipsec_connections
                .iter()
                .find(|c| c.id == id || c.customer_gateway == id)
                .ok_or_else(|| format!("{} has no IPsec connection", ctx.name(id)))?;
            let vpc = plan
                .vpn_gateways
                .iter()
                .find(|g| g.id == c.vpn_gateway)
                .map(|g| g.vpc.clone())
                .unwrap_or_default();
            (vpc, cidrs(&c.remote_cidrs), Some(c.id.clone()))
        }
        other => {
            return Err(format!(
                "{} is a {}: pick a VPC, vSwitch, VBR, CCN, SAG branch, office or site",
                ctx.name(id),
                other.label()
            ))
        }
    };
    if prefixes.is_empty() {
        return Err(format!("{} has no address (no valid CIDR) to reach", ctx.name(id)));
    }
    Ok(Endpoint {
        id: id.to_string(),
        kind,
        network,
        prefixes,
        ipsec,
        lines,
    })
}

/// Traces both directions between two endpoints.
pub fn reach(routing: &DataPlane<'_>, a: &Endpoint, b: &Endpoint) -> Reach {
    let (forward, back) = (trace(routing, a, b), trace(routing, b, a));
    Reach {
        result: Verdict::of(&forward, &back),
        forward,
        back,
    }
}

/// The address a trace aims at inside a prefix: its first host (the network address of a /31 or /32).
pub(crate) fn host(p: &Ipv4Net) -> Ipv4Addr {
    if p.prefix_len() >= 31 {
        p.network()
    } else {
        Ipv4Addr::from(u32::from(p.network()) + 1)
    }
}

/// Traces one direction, from the first address of `a` to every prefix of `b` (the first failure wins).
/// From a site, every line is tried and the best answer is kept (the site sends its traffic over a
/// line that works); toward a site, arriving at any of its lines is arriving.
pub fn trace(routing: &DataPlane<'_>, a: &Endpoint, b: &Endpoint) -> Trace {
    if a.lines.len() > 1 {
        let mut best: Option<Trace> = None;
        for line in &a.lines {
            let from = Endpoint {
                network: line.clone(),
                lines: Vec::new(),
                ..a.clone()
            };
            let t = trace(routing, &from, b);
            if best.as_ref().is_none_or(|x| (t.disposition as u8) < (x.disposition as u8)) {
                best = Some(t);
            }
        }
        if let Some(t) = best {
            return t;
        }
    }
    let mut result = None;
    for dst in &b.prefixes {
        let t = trace_to(routing, a, b, host(dst));
        let worse = result
            .as_ref()
            .is_none_or(|r: &Trace| (t.disposition as u8) > (r.disposition as u8));
        if worse {
            result = Some(t);
        }
    }
    result.unwrap_or_else(|| Trace {
        from: a.id.clone(),
        to: b.id.clone(),
        disposition: Disposition::Unreachable,
        hops: Vec::new(),
        bandwidth_mbps: None,
        blocked: None,
        warnings: Vec::new(),
        undetermined: None,
    })
}

fn trace_to(routing: &DataPlane<'_>, a: &Endpoint, b: &Endpoint, dst: Ipv4Addr) -> Trace {
    let ctx = &routing.ctx;
    let src = host(&a.prefixes[0]);
    let mut rec = Tracer {
        routing,
        b,
        dst,
        gateway: String::new(),
        t: Trace {
            from: a.id.clone(),
            to: b.id.clone(),
            disposition: Disposition::Reachable,
            hops: Vec::new(),
            bandwidth_mbps: None,
            blocked: None,
            warnings: Vec::new(),
            undetermined: None,
        },
    };
    // An office first crosses its IPsec connection into the VPC: its VPN gateway's bandwidth limits
    // the path, and its selectors must cover the destination, or the flow is not carried.
    if let Some(ipsec) = &a.ipsec {
        let limit = walk::gateway_mbps(ctx, ipsec);
        rec.t.hops.push(Hop {
            at: a.id.clone(),
            kind: HopKind::Ipsec,
            via: format!("IPsec {} → {}", ctx.name(ipsec), ctx.name(&a.network)),
            route: None,
            cen: None,
            limit_mbps: limit,
        });
        rec.limit(limit);
        if !walk::local_covers(ctx, ipsec, dst) {
            rec.block(&a.id, selectors_why(ctx, ipsec, dst, true));
            return rec.t;
        }
    }
    let walked = walk::walk(ctx, &Tables(routing), a.network.as_str(), dst, &mut rec);
    // A site is reached at any of its lines.
    let target = b
        .networks()
        .find(|n| walked.arrives(n, b.ipsec.as_deref()))
        .unwrap_or(b.network.as_str());
    let arrives = walked.arrives(target, b.ipsec.as_deref());
    match walked.end {
        End::Local(at) if !arrives => rec.block(
            at,
            Why::new(
                Code::CenCidr004,
                format!(
                    "{dst} is delivered inside {} because its own range covers it, not to {}",
                    ctx.name(at),
                    ctx.name(&b.id)
                ),
                "Renumber so the two ranges do not overlap.".into(),
            ),
        ),
        End::Vpn(Some(c)) if arrives => {
            let limit = walk::gateway_mbps(ctx, c);
            rec.t.hops.push(Hop {
                at: rec.gateway.clone(),
                kind: HopKind::Office,
                via: format!("IPsec {} → office", ctx.name(c)),
                route: None,
                cen: None,
                limit_mbps: limit,
            });
            rec.limit(limit);
            if !walk::local_covers(ctx, c, src) {
                let gw = rec.gateway.clone();
                rec.block(&gw, selectors_why(ctx, c, src, false));
                return rec.t;
            }
        }
        End::Vpn(_) if !arrives => {
            let gw = rec.gateway.clone();
            let why = Why::new(
                Code::CenVpn001,
                format!(
                    "VPN gateway {} has no IPsec connection whose remote network covers {dst}",
                    ctx.name(&gw)
                ),
                "Add the office CIDR to the remote network of its IPsec connection.".into(),
            );
            rec.block(&gw, why);
        }
        _ => {}
    }
    let mut t = rec.t;
    t.disposition = walked.disposition(target, b.ipsec.as_deref());
    t
}

/// The built route tables of a data plane, as a walk reads them (for `trace`).
struct Tables<'r, 'a>(&'r DataPlane<'a>);

impl<'r, 'a> walk::Fabric<'r> for Tables<'r, 'a> {
    type Node = &'r str;
    type Dst = Ipv4Addr;
    type Hit<'h>
        = Route
    where
        Self: 'h;

    fn node(&self, id: &'r str) -> &'r str {
        id
    }

    fn id(&self, node: &'r str) -> &str {
        node
    }

    fn lookup(&self, at: &'r str, dst: Ipv4Addr) -> Option<Route> {
        self.0.table(at).lookup(dst).cloned()
    }

    fn office(&self, gw: &str, dst: Ipv4Addr) -> Option<&'r str> {
        walk::office(&self.0.ctx, gw, dst)
    }

    fn cen_next(&self, hit: &Route) -> Option<&'r str> {
        let NextHop::Cen(next) = &hit.next_hop else { return None };
        self.0.ctx.networks.get_key_value(next.as_str()).map(|(k, _)| *k)
    }

    fn link(&self, from: &'r str, to: &'r str) -> Link<'r> {
        let ctx = &self.0.ctx;
        let (Some(a), Some(b)) = (ctx.networks.get(from), ctx.networks.get(to)) else {
            return Link::Free;
        };
        let Some(cen) = self.0.effective_cen(from) else { return Link::Free };
        walk::link(ctx, cen, Site::of(ctx, a), Site::of(ctx, b))
    }

    fn undecided_route(&self, at: &'r str, route: &Route) -> bool {
        self.0
            .effective_cen(at)
            .is_some_and(|c| self.0.undecided(c, route.prefix).is_some())
    }

    fn undecided_drop(&self, at: &'r str, dst: Ipv4Addr) -> bool {
        self.0.effective_cen(at).is_some_and(|c| self.0.undecided_for(c, dst).is_some())
    }
}

/// Writes a trace as the walk goes: its hops, and where, why and how to fix when it stops or slows.
struct Tracer<'r, 'a> {
    routing: &'r DataPlane<'a>,
    b: &'r Endpoint,
    dst: Ipv4Addr,
    /// The VPN gateway the walk ended at, if any.
    gateway: String,
    t: Trace,
}

/// What stops (or slows) traffic, as the trace decides it: the rule, the entity to change, the words
/// and the fix as edits when the plan can express it.
struct Why {
    code: Code,
    entity: Option<EntityRef>,
    reason: String,
    fix: String,
    edits: Vec<Edit>,
}

impl Why {
    fn new(code: Code, reason: String, fix: String) -> Why {
        Why {
            code,
            entity: None,
            reason,
            fix,
            edits: Vec::new(),
        }
    }

    /// The entity at fault.
    fn about(mut self, kind: Kind, id: &str) -> Why {
        self.entity = Some(EntityRef { kind, id: id.to_string() });
        self
    }

    /// The fix as an edit, when one could be built.
    fn edit(mut self, edit: Option<Edit>) -> Why {
        self.edits.extend(edit);
        self
    }

    /// The fix as edits (`reach::fixes`, the builders the findings' fixes use too).
    fn edits(mut self, edits: Vec<Edit>) -> Why {
        self.edits.extend(edits);
        self
    }

    fn blocked(self, at: &str) -> Blocked {
        Blocked {
            at: at.to_string(),
            code: self.code,
            entity: self.entity,
            reason: self.reason,
            fix: self.fix,
            edits: self.edits,
            finding: None,
        }
    }
}

impl Tracer<'_, '_> {
    fn block(&mut self, at: &str, why: Why) {
        self.t.disposition = Disposition::Unreachable;
        self.t.blocked = Some(why.blocked(at));
    }

    /// A limit on the path (a VPN gateway's bandwidth): the path's bandwidth is the minimum of all.
    fn limit(&mut self, mbps: Option<u32>) {
        if let Some(m) = mbps {
            if self.t.bandwidth_mbps != Some(0) {
                self.t.bandwidth_mbps = Some(self.t.bandwidth_mbps.map_or(m, |b| b.min(m)));
            }
        }
    }

    fn test_link(&mut self, at: &str, why: Why) {
        if self.t.disposition == Disposition::Reachable {
            self.t.disposition = Disposition::TestLinkOnly;
            self.t.bandwidth_mbps = Some(0);
            self.t.blocked = Some(why.blocked(at));
        }
    }
}

impl Recorder for Tracer<'_, '_> {
    fn hop(&mut self, at: &str, route: &Route) {
        let ctx = &self.routing.ctx;
        let via = format!("{} → {}", route.prefix, route.next_hop.describe(ctx));
        let cen = matches!(route.next_hop, NextHop::Cen(_))
            .then(|| self.routing.effective_cen(at).map(str::to_string))
            .flatten();
        if let (Some(c), NextHop::Cen(_)) = (&cen, &route.next_hop) {
            if let Some(u) = self.routing.undecided(c, route.prefix) {
                self.t.undetermined = Some(undetermined(ctx, route.prefix, u));
            }
        }
        let mut via = via;
        if let NextHop::Cen(origin) = &route.next_hop {
            // Equal-cost copies of the prefix (leased lines with static routes): the traffic is shared.
            let table = self.routing.table(at);
            let mut others: Vec<&str> = table
                .routes
                .iter()
                .filter(|r| r.prefix == route.prefix && r.inactive.is_none() && r.origin == Origin::Cen)
                .filter_map(|r| match &r.next_hop {
                    NextHop::Cen(n) if n != origin => Some(ctx.name(n)),
                    _ => None,
                })
                .collect();
            others.dedup();
            if !others.is_empty() {
                via.push_str(&format!(" (ECMP with {})", others.join(", ")));
            }
        }
        if let (Some(c), NextHop::Cen(origin)) = (&cen, &route.next_hop) {
            if let Some(m) = self.routing.permitted_by(c, at, origin, route) {
                via.push_str(&format!(" (permitted by route map {}, priority {})", ctx.name(&m.id), m.priority));
            }
        }
        self.t.hops.push(Hop {
            at: at.to_string(),
            kind: HopKind::Route,
            via,
            route: Some(RouteUsed {
                prefix: route.prefix,
                next_hop: route.next_hop.clone(),
            }),
            cen,
            limit_mbps: None,
        });
    }

    fn looped(&mut self, at: &str) {
        let reason = format!("routing loop through {}", self.routing.ctx.name(at));
        self.block(
            at,
            Why::new(Code::CenRt006, reason, "Remove the route that sends traffic back.".into()),
        );
    }

    fn no_route(&mut self, at: &str) {
        let why = explain_no_route(self.routing, at, self.b, self.dst);
        self.block(at, why);
        // A route refused because of an order the plan does not give: the answer is undetermined.
        if let Some(cen) = self.routing.effective_cen(at) {
            if let Some((prefix, u)) = self.routing.undecided_for(cen, self.dst) {
                self.t.undetermined = Some(undetermined(&self.routing.ctx, prefix, u));
            }
        }
    }

    fn missing_network(&mut self, at: &str, id: &str) {
        let reason = format!("the route points at a missing network {id}");
        self.block(at, Why::new(Code::PlanRef001, reason, "Fix the route entry.".into()));
    }

    fn gateway(&mut self, gw: &str) {
        self.gateway = gw.to_string();
    }

    fn missing_peering(&mut self, at: &str, pcc: &str) {
        let reason = format!("the route points at a missing peering connection {pcc}");
        self.block(at, Why::new(Code::PlanRef001, reason, "Fix the route entry.".into()));
    }

    fn instance(&mut self, at: &str, name: &str) {
        let reason = format!(
            "{} is routed to instance {name} in {}, which the plan does not model further",
            self.dst,
            self.routing.ctx.name(at)
        );
        let fix = "Model the appliance's network, or route the prefix elsewhere.".into();
        self.block(at, Why::new(Code::CenRt002, reason, fix));
    }

    fn link(&mut self, at: &str, link: &Link<'_>) {
        let ctx = &self.routing.ctx;
        match *link {
            Link::Free => {}
            Link::Mbps(limit) => {
                self.limit(Some(limit));
                if let Some(h) = self.t.hops.last_mut() {
                    h.limit_mbps = Some(limit);
                }
            }
            Link::CcnOwnArea { from, to } => self.block(
                at,
                Why::new(
                    Code::CenCcn003,
                    format!(
                        "a CCN only reaches networks in its own area ({} and {} differ) as of {}",
                        from.label(),
                        to.label(),
                        ctx.as_of
                    ),
                    "Use a CCN in the target's area, or check the plan as of 2021 or later (cross-area CCN with a package).".into(),
                ),
            ),
            Link::CcnNoPackage { cen, from, to } => self.test_link(
                at,
                Why::new(
                    Code::CenCcn003,
                    format!("no bandwidth package covers {}–{}", from.label(), to.label()),
                    buy(ctx, cen, from, to),
                )
                .about(Kind::Cen, cen),
            ),
            Link::NoPackage { cen, from, to } => self.test_link(
                at,
                Why::new(
                    // The bandwidth rule's code: one area needs a same-area package (CEN-BWP-003).
                    if from.0 == to.0 { Code::CenBwp003 } else { Code::CenBwp001 },
                    format!(
                        "no bandwidth package for {}–{} is bound to CEN {}: only the 1 Kbps test link joins {} and {}",
                        from.0.label(),
                        to.0.label(),
                        ctx.name(cen),
                        from.1,
                        to.1
                    ),
                    buy(ctx, cen, from.0, to.0),
                )
                .about(Kind::Cen, cen),
            ),
            Link::NoRegionBandwidth { cen, from, to, package } => {
                // The same code as the bandwidth rule's one finding for the pair; no entity, so the
                // trace keeps its own words, which name this pair.
                let code = if ctx.neighbour_region_bandwidth(cen, from, to).is_some() {
                    Code::CenBw005
                } else {
                    Code::CenBw008
                };
                self.test_link(
                    at,
                    Why::new(
                        code,
                        format!(
                            "no cross-region bandwidth is set between {from} and {to} on CEN {}: only the 1 Kbps test link",
                            ctx.name(cen)
                        ),
                        format!(
                            "Set a cross-region bandwidth {from}–{to} on CEN {} (up to {package} Mbps from the package).",
                            ctx.name(cen)
                        ),
                    ),
                )
            }
        }
    }

    fn too_long(&mut self, at: &str) {
        let reason = "the path is longer than 8 hops".into();
        self.block(at, Why::new(Code::CenRt006, reason, "Simplify the routing.".into()));
    }
}

/// Why the IPsec selectors of `ipsec` do not carry a flow: its local network does not cover `addr`
/// (the destination when the traffic leaves the office, `outbound`; the source when it arrives).
fn selectors_why(ctx: &Ctx<'_>, ipsec: &str, addr: Ipv4Addr, outbound: bool) -> Why {
    let dir = if outbound { "to" } else { "from" };
    Why::new(
        Code::CenVpn002,
        format!(
            "the local network of IPsec {} does not cover {addr} (traffic {dir} the office): the phase-2 selectors do not match, so the tunnel does not carry it",
            ctx.name(ipsec)
        ),
        format!(
            "Set the local network of IPsec {} to 0.0.0.0/0 (seed 003), or add the missing CIDR (at most 5, with IKEv2).",
            ctx.name(ipsec)
        ),
    )
    .about(Kind::IpsecConnection, ipsec)
    .edits(fixes::open_selectors(ctx, ipsec))
}

/// Says what the plan does not decide about `prefix` (`DataPlane::undecided`).
fn undetermined(ctx: &Ctx<'_>, prefix: Ipv4Net, u: &Undecided<'_>) -> Undetermined {
    let names = u.candidates.iter().map(|n| ctx.name(n)).collect::<Vec<_>>().join(" and ");
    let reason = match u.why {
        UndecidedWhy::Bgp => format!(
            "{prefix} is advertised by {names}: CEN keeps one active and the others standby, and which one the plan does not decide (BGP lines without AS-path lengths, or with equal ones)"
        ),
        UndecidedWhy::OverlapDates => format!(
            "{prefix} overlaps a route of {names} with overlapping routes off: CEN keeps the route attached first, and the plan does not say which came first (equal or unknown attachment dates)"
        ),
    };
    Undetermined {
        reason,
        candidates: u.candidates.iter().map(|n| n.to_string()).collect(),
    }
}

fn buy(ctx: &Ctx<'_>, cen: &str, a: Area, b: Area) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!(
        "Buy a bandwidth package covering {}–{}, bind it to CEN {} and set the cross-region bandwidth.",
        x.label(),
        y.label(),
        ctx.name(cen)
    )
}

/// Why `at` has no route to `dst`, and the smallest change that adds one.
fn explain_no_route(routing: &DataPlane<'_>, at: &str, b: &Endpoint, dst: Ipv4Addr) -> Why {
    let ctx = &routing.ctx;
    let here = ctx.name(at);
    let there = ctx.name(&b.network);
    let Some(cen) = routing.effective_cen(at) else {
        return not_in_cen(routing, at, None);
    };
    if routing.effective_cen(&b.network) != Some(cen) {
        let mut why = not_in_cen(routing, &b.network, Some(cen));
        why.reason = format!("{}, so {here} has no route to {dst}", why.reason);
        return why;
    }
    // The destination's network is in the same CEN: find the prefix that should carry dst.
    let table = routing.table(at);
    if let Some(r) = table
        .routes
        .iter()
        .filter(|r| r.origin == Origin::Cen && r.prefix.contains(&dst) && !r.inactive.as_ref().is_some_and(Inactive::refused_by_cen))
        .max_by_key(|r| r.prefix.prefix_len())
    {
        if let Some(why) = &r.inactive {
            let origin = match &r.next_hop {
                NextHop::Cen(n) => n.as_str(),
                _ => "",
            };
            return inactive_reason(ctx, cen, at, origin, r.prefix, why);
        }
    }
    for cr in routing.cen_routes(cen).iter().filter(|cr| cr.prefix.net.contains(&dst)) {
        let (kind, holder) = cr.prefix.holder;
        match &cr.state {
            Some(Inactive::Conflict { with }) => {
                return Why::new(
                    Code::CenCidr005,
                    format!(
                        "{} is advertised by both {} and {}: a conflict, learned by neither",
                        cr.prefix.net,
                        ctx.name(cr.prefix.network),
                        ctx.name(with)
                    ),
                    "Renumber one of the two, or withdraw one advertisement.".into(),
                )
                .about(kind, holder)
            }
            Some(Inactive::OverlapRefused { with }) => {
                return Why::new(
                    Code::CenCidr006,
                    format!(
                        "{} overlaps a route of {} and CEN {} has overlapping routes off",
                        cr.prefix.net,
                        ctx.name(with),
                        ctx.name(cen)
                    ),
                    format!("Enable overlapping routes on CEN {} (one-way), or renumber.", ctx.name(cen)),
                )
                .about(kind, holder)
                .edits(fixes::overlapping_on(ctx, cen))
            }
            _ => {}
        }
    }
    // Not advertised: an office behind a VPN gateway, or a custom route that is not published.
    if let Some(ipsec) = &b.ipsec {
        let gw = ctx
            .plan
            .ipsec_connections
            .iter()
            .find(|c| c.id == *ipsec)
            .map(|c| c.vpn_gateway.clone())
            .unwrap_or_default();
        let entry = ctx
            .plan
            .route_entries
            .iter()
            .find(|r| r.network == b.network && r.next_hop == gw && parse_cidr(&r.destination).is_ok_and(|n| n.contains(&dst)));
        return match entry {
            Some(e) if !e.published => Why::new(
                Code::CenVpn001,
                format!(
                    "the route {} → VPN gateway {} in {there} is not published to CEN",
                    e.destination,
                    ctx.name(&gw)
                ),
                format!("Publish route entry {} of {there} to CEN.", ctx.name(&e.id)),
            )
            .about(Kind::RouteEntry, &e.id)
            .edits(fixes::publish(ctx, &e.id)),
            Some(e) => {
                let moved = fixes::to_system_table(ctx, &e.id);
                Why::new(
                    Code::CenRt003,
                    format!(
                        "the route {} in {there} is in a custom route table, which CEN does not read",
                        e.destination
                    ),
                    "Move the route to the system route table and publish it.".into(),
                )
                .about(Kind::RouteEntry, &e.id)
                .edits(moved)
            }
            None => {
                // The office CIDR that holds the destination: the route the plan can add.
                let office = ctx
                    .plan
                    .ipsec_connections
                    .iter()
                    .find(|c| c.id == *ipsec)
                    .and_then(|c| c.remote_cidrs.iter().find(|r| parse_cidr(r).is_ok_and(|n| n.contains(&dst))))
                    .cloned()
                    .unwrap_or_default();
                // The routes of the connection's office CIDRs (CEN-VPN-001's fix), published.
                let add = fixes::office_routes(ctx, ipsec, true);
                Why::new(
                    Code::CenVpn001,
                    format!("{there} has no route for the office ({dst}) toward VPN gateway {}", ctx.name(&gw)),
                    format!(
                        "Add a route entry {office} → VPN gateway {} in {there}'s system table and publish it to CEN (outside the plan, a VPN destination route with \"publish to VPC\" on adds the same route).",
                        ctx.name(&gw)
                    ),
                )
                .about(Kind::IpsecConnection, ipsec)
                .edits(add)
            }
        };
    }
    Why::new(
        Code::CenRt001,
        format!("no network of CEN {} advertises a route for {dst}", ctx.name(cen)),
        format!("Check that {there} advertises the prefix (a vSwitch CIDR, or a published route)."),
    )
}

/// The rulebook's E7 fix for the isolation of `a` and `b`, in words (`fixes::permit_maps` gives the edits).
pub fn isolation_fix(ctx: &Ctx<'_>, a: &str, b: &str) -> String {
    let region = |n: &str| ctx.networks.get(n).and_then(|n| n.region).unwrap_or("?");
    format!(
        "Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in {} source {} → destination {}, and in {} source {} → destination {} (or open a ticket).",
        region(a),
        ctx.name(b),
        ctx.name(a),
        region(b),
        ctx.name(a),
        ctx.name(b)
    )
}

/// Why a network does not use the CEN route for `prefix` it was offered.
fn inactive_reason(ctx: &Ctx<'_>, cen: &str, at: &str, origin: &str, prefix: Ipv4Net, why: &Inactive) -> Why {
    let here = ctx.name(at);
    match why {
        Inactive::InsideOwnVSwitch { vswitch } => Why::new(
            Code::CenCidr007,
            format!("{here} refuses {prefix}: it is inside its own vSwitch {}", ctx.name(vswitch)),
            "Renumber one side: a VPC never installs routes inside its own vSwitches.".into(),
        )
        .about(Kind::VSwitch, vswitch),
        Inactive::PeeringStatic { route } => Why::new(
            Code::CenPeer001,
            format!(
                "{here} does not learn {prefix} from CEN: its peering static route {} covers it and takes precedence",
                ctx.name(route)
            ),
            format!(
                "Add two routes more specific than {prefix} toward the peering, delete {}, wait for the CEN route, then delete the two (seed 004).",
                ctx.name(route)
            ),
        )
        .about(Kind::RouteEntry, route),
        Inactive::VbrCcnIsolation => {
            let edits = fixes::permit_maps(ctx, cen, at, origin);
            let fix = if edits.is_empty() {
                "Add Permit route maps (export direction, priority below 5000) in the regions of both ends, or open a ticket (a CCN has no region in the plan to place a map in).".to_string()
            } else {
                isolation_fix(ctx, at, origin)
            };
            let mut why = Why::new(
                Code::CenVbr001,
                format!(
                    "{here} does not learn {prefix} from {}: VBRs and CCNs do not learn each other's routes by default (the system route map, priority 5000, Deny, in the export direction)",
                    ctx.name(origin)
                ),
                fix,
            )
            .about(ctx.networks.get(at).map_or(Kind::Vbr, |n| n.kind.kind()), at);
            why.edits = edits;
            why
        }
        Inactive::RouteMapDenied { map, priority } => Why::new(
            Code::CenRmap001,
            format!("{here} does not learn {prefix}: route map {} (priority {priority}) denies it", ctx.name(map)),
            format!("Change or delete route map {} if {here} should learn {prefix}.", ctx.name(map)),
        )
        .about(Kind::RouteMap, map)
        .edit(Some(Edit::Delete {
            kind: Kind::RouteMap,
            id: map.clone(),
        })),
        Inactive::ExistingRoute { route } => Why::new(
            Code::CenRt006,
            format!("{here} keeps its own route {} for {prefix} instead of the CEN route", ctx.name(route)),
            format!("Delete route entry {} if CEN should carry the traffic.", ctx.name(route)),
        )
        .about(Kind::RouteEntry, route)
        .edit(Some(Edit::Delete {
            kind: Kind::RouteEntry,
            id: route.clone(),
        })),
        Inactive::Conflict { with } => Why::new(
            Code::CenCidr005,
            format!("{prefix} conflicts with {}", ctx.name(with)),
            "Renumber one side.".into(),
        ),
        Inactive::OverlapRefused { with } => Why::new(
            Code::CenCidr006,
            format!("{prefix} overlaps a route of {}", ctx.name(with)),
            "Enable overlapping routes, or renumber.".into(),
        ),
        Inactive::CustomTable => Why::new(
            Code::CenRt003,
            format!("{prefix} is in a custom route table"),
            "Use the system route table.".into(),
        ),
        Inactive::Standby => Why::new(
            Code::CenVbr004,
            format!("{prefix} is a standby route"),
            "None needed: the active copy carries traffic.".into(),
        ),
    }
}

/// Why `network` is not in CEN `wanted` (the CEN of the other end, when known): not attached,
/// attached across accounts without a grant (the same test as CEN-XACC-001, `DataPlane::effective_cen`),
/// or attached to another CEN instance, which does not exchange routes with this one.
fn not_in_cen(routing: &DataPlane<'_>, network: &str, wanted: Option<&str>) -> Why {
    let ctx = &routing.ctx;
    let name = ctx.name(network);
    let Some(attachment) = ctx.attachment_of.get(network).copied().or_else(|| ctx.later_attachment_of(network)) else {
        let kind = ctx.networks.get(network).map_or(Kind::Vpc, |n| n.kind.kind());
        let (fix, edit) = match wanted {
            Some(w) => (
                format!("Attach {name} to CEN {}.", ctx.name(w)),
                fixes::add(ctx.plan, Kind::Attachment, &[("cen", w), ("network", network)]),
            ),
            None => (format!("Attach {name} to the CEN."), None),
        };
        return Why::new(Code::CenAtt001, format!("{name} is not attached to any CEN"), fix)
            .about(kind, network)
            .edit(edit);
    };
    let Some(cen) = ctx.cen(&attachment.cen) else {
        return Why::new(
            Code::PlanRef001,
            format!("{name} is attached to a CEN that is not in the plan ({})", attachment.cen),
            "Attach it to a CEN of the plan.".into(),
        )
        .about(Kind::Attachment, &attachment.id);
    };
    if let Some(d) = ctx.not_yet(attachment) {
        let (message, fix) = ctx.not_yet_text(&d);
        return Why::new(Code::PlanDate001, message, fix.into()).about(d.kind, d.id);
    }
    if let Some(code) = ctx
        .networks
        .get(network)
        .and_then(|n| n.ccn_area)
        .and_then(|a| ctx.ccn_area_not_offered(a).map(|c| (c, a)))
    {
        let (code, area) = code;
        return Why::new(
            code,
            format!(
                "{name} is in the CCN area {}, which is not offered as of {}: it cannot exist then and carries no traffic",
                area.label(),
                ctx.as_of
            ),
            "Use a CCN area offered on the plan's date, or check the plan as of a date when the area is offered.".into(),
        )
        .about(Kind::Ccn, network);
    }
    match (routing.effective_cen(network), wanted) {
        (Some(own), Some(w)) if own != w => Why::new(
            Code::CenAtt002,
            format!(
                "{name} is attached to CEN {}, not to CEN {}: two CEN instances do not exchange routes",
                ctx.name(own),
                ctx.name(w)
            ),
            format!(
                "Attach both networks to one CEN instance: detach {name} from CEN {} and attach it to CEN {} (a network is in one CEN at a time), or move the other network.",
                ctx.name(own),
                ctx.name(w)
            ),
        )
        .about(Kind::Attachment, &attachment.id),
        _ => {
            let uid = ctx.uid(&cen.owner).unwrap_or("?");
            let grant = fixes::grant(ctx, network, &cen.id);
            Why::new(
                Code::CenXacc001,
                format!(
                    "{name} belongs to another account than CEN {} and has no grant for it",
                    ctx.name(&cen.id)
                ),
                format!("In the owner account of {name}, grant it to CEN {} (owner UID {uid}).", cen.id),
            )
            .about(Kind::Attachment, &attachment.id)
            .edits(grant)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples;
    use crate::core::format::from_json;
    use crate::core::model::Plan;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    fn run(plan: &Plan, a: &str, b: &str) -> Reach {
        let routing = DataPlane::new(Ctx::new(plan));
        let ctx = &routing.ctx;
        reach(&routing, &endpoint(ctx, a).unwrap(), &endpoint(ctx, b).unwrap())
    }

    /// Two networks of one account on two CEN instances: the answer is "different CEN instances", not a grant.
    #[test]
    fn networks_of_one_account_on_two_cens_are_told_apart_from_a_missing_grant() {
        let plan = from_json(
            r#"{"format":"cen-planner-plan","version":2,"plan":{
            "accounts":[{"id":"a","uid":"1"}],
            "cens":[{"id":"c1","owner":"a","name":"One"},{"id":"c2","owner":"a","name":"Two"}],
            "vpcs":[{"id":"v1","owner":"a","region":"cn-hangzhou","cidr":"10.1.0.0/16"},{"id":"v2","owner":"a","region":"cn-hangzhou","cidr":"10.2.0.0/16"}],
            "vswitches":[{"id":"s1","vpc":"v1","cidr":"10.1.0.0/24"},{"id":"s2","vpc":"v2","cidr":"10.2.0.0/24"}],
            "attachments":[{"id":"t1","cen":"c1","network":"v1"},{"id":"t2","cen":"c2","network":"v2"}]}}"#,
        )
        .unwrap();
        let r = run(&plan, "v1", "v2");
        let blocked = r.forward.blocked.as_ref().unwrap();
        assert_eq!(blocked.code, "CEN-ATT-002", "{blocked:?}");
        assert!(
            blocked.reason.contains("is attached to CEN Two, not to CEN One"),
            "{}",
            blocked.reason
        );
        assert!(!blocked.fix.contains("grant"), "{}", blocked.fix);
        assert_eq!(r.back.blocked.as_ref().unwrap().code, "CEN-ATT-002");
    }

    #[test]
    fn seed_003_offices_reach_the_other_regions_vpc_both_ways_at_the_region_bandwidth() {
        let plan = example("seed-003-vpn-global-network");
        let r = run(&plan, "vco-1", "vpc-2");
        assert_eq!(r.forward.disposition, Disposition::Reachable, "{:?}", r.forward);
        assert_eq!(r.back.disposition, Disposition::Reachable, "{:?}", r.back);
        assert_eq!(r.forward.bandwidth_mbps, Some(10));
        assert_eq!(run(&plan, "vco-1", "vco-3").forward.disposition, Disposition::Reachable);
    }

    /// Unpublished office routes: the office still reaches the other region, the return does not
    /// (one-way); the blocked hop carries the rule's finding (CEN-VPN-001 on the route entry) and a fix
    /// that, applied as it is, makes both directions work.
    #[test]
    fn seed_003_unpublished_office_routes_are_one_way_with_the_rules_finding_and_a_fix_that_applies() {
        let mut plan = example("seed-003-vpn-global-network");
        plan.route_entries.iter_mut().for_each(|r| r.published = false);
        let a = crate::core::analysis::analyse(&plan);
        let r = a.reach("vpc-2", "vco-1").unwrap();
        assert_eq!(r.forward.disposition, Disposition::Unreachable);
        assert_eq!(r.back.disposition, Disposition::Reachable);
        assert_eq!(r.result, Verdict::OneWay);
        let b = r.forward.blocked.clone().unwrap();
        assert_eq!(b.code, Code::CenVpn001);
        assert!(b.fix.contains("Publish route entry To Office 1"), "{}", b.fix);
        let entity = b.entity.clone().unwrap();
        assert_eq!(entity.kind, Kind::RouteEntry);
        let finding = b.finding.clone().expect("the rule's finding");
        assert_eq!((finding.code, finding.entity.as_ref()), (Code::CenVpn001, Some(&entity)));
        assert_eq!(b.edits.len(), 1);
        for e in b.edits {
            crate::core::edit::apply(&mut plan, e).unwrap();
        }
        let fixed = crate::core::analysis::analyse(&plan).reach("vpc-2", "vco-1").unwrap();
        assert_eq!(fixed.result, Verdict::Reachable, "{:?}", fixed.forward.blocked);
        // The office still reaches its own VPC.
        assert_eq!(run(&plan, "vco-1", "vpc-1").forward.disposition, Disposition::Reachable);
    }

    /// Two BGP leased lines advertise one prefix: CEN keeps one active, and the plan does not say
    /// which, so the answer is undetermined with both candidates, never decided by list order.
    /// With static routing both lines are active (ECMP) and the answer is decided.
    #[test]
    fn bgp_lines_with_one_prefix_are_undetermined_and_static_ones_are_not() {
        let build = |bgp: bool| {
            crate::core::testing::plan()
                .cen("c")
                .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s1", "v1", "10.1.0.0/24")
                .vbr("b1", "cn-hangzhou", &["10.9.0.0/24"])
                .when(bgp, |p| p.bgp())
                .vbr("b2", "cn-hangzhou", &["10.9.0.0/24"])
                .when(bgp, |p| p.bgp())
                .attach("t1", "c", "v1")
                .attach("t2", "c", "b1")
                .attach("t3", "c", "b2")
                .build()
        };
        let a = crate::core::analysis::analyse(&build(true));
        for to in ["b1", "b2"] {
            let r = a.reach("v1", to).unwrap();
            assert_eq!(r.result, Verdict::Undetermined, "{to}");
            let u = r.forward.undetermined.as_ref().unwrap();
            assert_eq!(u.candidates, vec!["b1".to_string(), "b2".to_string()]);
        }
        let a = crate::core::analysis::analyse(&build(false));
        assert!(a.reach("v1", "b1").unwrap().forward.undetermined.is_none());
    }

    /// The fixes the plan can express are edits that apply as they are: attach, grant, overlap switch.
    #[test]
    fn attach_grant_and_overlap_fixes_apply_and_let_the_traffic_through() {
        let base = crate::core::testing::plan()
            .account("b", "2")
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.0.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.0.0/24")
            .attach("t1", "c", "v1");
        // Not attached: CEN-ATT-001 with an attachment to add.
        let unattached = base.clone().build();
        // Another account without a grant: CEN-XACC-001 with the grant to add.
        let ungranted = base.clone().attach("t2", "c", "v2").with(|p| p.vpcs[1].owner = "b".into()).build();
        for (plan, code) in [(unattached, Code::CenAtt001), (ungranted, Code::CenXacc001)] {
            let r = crate::core::analysis::analyse(&plan).reach("v1", "v2").unwrap();
            let b = r.forward.blocked.clone().unwrap();
            assert_eq!(b.code, code, "{b:?}");
            assert_eq!(b.edits.len(), 1, "{b:?}");
            let mut fixed = plan.clone();
            for e in b.edits {
                crate::core::edit::apply(&mut fixed, e).unwrap();
            }
            let after = crate::core::analysis::analyse(&fixed).reach("v1", "v2").unwrap();
            assert_eq!(after.result, Verdict::Reachable, "{code}: {:?}", after.forward.blocked);
        }
    }

    #[test]
    fn without_a_package_only_the_test_link_joins_regions() {
        let mut plan = example("seed-003-vpn-global-network");
        plan.bandwidth_packages.clear();
        let t = run(&plan, "vpc-1", "vpc-2").forward;
        assert_eq!(t.disposition, Disposition::TestLinkOnly);
        let b = t.blocked.unwrap();
        assert_eq!(b.code, "CEN-BWP-001");
        assert!(b.fix.contains("Mainland China–North America"), "{}", b.fix);
    }

    #[test]
    fn seed_004_peered_vpc_uses_the_peering_not_cen() {
        let plan = example("seed-004-peering-migration");
        let t = run(&plan, "vpc-1", "vpc-2").forward;
        assert_eq!(t.disposition, Disposition::Reachable);
        assert!(t.hops[0].via.contains("peering"), "{:?}", t.hops);
    }

    #[test]
    fn an_unattached_network_is_explained_with_the_attach_fix() {
        let mut plan = example("seed-000-same-account-same-region");
        plan.attachments.retain(|a| a.network != "vpc-2");
        let t = run(&plan, "vpc-1", "vpc-2").forward;
        let b = t.blocked.unwrap();
        assert_eq!(b.code, "CEN-ATT-001");
        assert!(b.fix.contains("Attach VPC-B"));
    }

    /// Independent of `trace`: a breadth-first search over the networks, where a network's
    /// successors for `dst` are the next hops of its active routes containing `dst` with the longest
    /// prefix; success when a network delivers `dst` locally and is the destination network.
    fn bfs(routing: &DataPlane<'_>, from: &str, to: &str, dst: Ipv4Addr) -> bool {
        let mut queue = std::collections::VecDeque::from([from.to_string()]);
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = queue.pop_front() {
            if !seen.insert(n.clone()) {
                continue;
            }
            let table = routing.table(&n);
            let best = table
                .routes
                .iter()
                .filter(|r| r.inactive.is_none() && r.prefix.contains(&dst))
                .map(|r| r.prefix.prefix_len())
                .max();
            for r in table
                .routes
                .iter()
                .filter(|r| r.inactive.is_none() && r.prefix.contains(&dst) && Some(r.prefix.prefix_len()) == best)
            {
                match &r.next_hop {
                    NextHop::Local(_) if n == to => return true,
                    NextHop::Cen(m) => queue.push_back(m.clone()),
                    _ => {}
                }
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn reachability_equals_a_breadth_first_search_over_the_routes(
            vswitches in proptest::collection::vec((0usize..5, 0usize..6), 1..10),
            attached in proptest::collection::vec(proptest::bool::ANY, 5),
            overlapping in proptest::bool::ANY,
        ) {
            const POOL: [&str; 6] = ["10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "10.1.0.0/24", "10.0.1.0/25", "10.2.0.0/24"];
            let mut plan = Plan::new("p", "2019-09-19");
            plan.accounts.push(crate::core::model::Account { id: "a".into(), name: String::new(), uid: "1".into() });
            plan.cens.push(crate::core::model::Cen { id: "c".into(), owner: "a".into(), overlapping_routes: overlapping, ..Default::default() });
            for (v, &is_attached) in attached.iter().enumerate() {
                plan.vpcs.push(crate::core::model::Vpc { id: format!("v{v}"), owner: "a".into(), region: "cn-hangzhou".into(), cidr: "10.0.0.0/8".into(), ..Default::default() });
                if is_attached {
                    plan.attachments.push(crate::core::model::Attachment { id: format!("t{v}"), cen: "c".into(), network: format!("v{v}"), attached_on: String::new() });
                }
            }
            for (i, (v, p)) in vswitches.iter().enumerate() {
                plan.vswitches.push(crate::core::model::VSwitch { id: format!("s{i}"), vpc: format!("v{v}"), cidr: POOL[*p].into(), ..Default::default() });
            }
            let routing = DataPlane::new(Ctx::new(&plan));
            let ctx = &routing.ctx;
            let eps = crate::core::matrix::endpoints(ctx);
            for a in &eps {
                for b in &eps {
                    if a.id == b.id { continue; }
                    for p in &b.prefixes {
                        let dst = host(p);
                        let traced = trace_to(&routing, a, b, dst).disposition.is_success();
                        proptest::prop_assert_eq!(traced, bfs(&routing, &a.network, &b.network, dst), "{} -> {} ({})", a.id, b.id, dst);
                    }
                }
            }
        }
    }

    /// An office behind a VPN gateway reaching a VPC in another region (region bandwidth 50 Mbps),
    /// with the gateway's bandwidth and the IPsec local network given.
    fn office_plan(gateway_mbps: u32, local: &str) -> Plan {
        crate::core::testing::plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.0.0/24")
            .vpc("v2", "cn-shanghai", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.0.0/24")
            .vpn_gateway("g", "v1")
            .mbps(gateway_mbps)
            .customer_gateway("cgw", "cn-hangzhou", "203.0.113.1")
            .ipsec("k", "g", "cgw", &[local], &["192.168.9.0/24"])
            .route("r", "v1", "192.168.9.0/24", crate::core::model::NextHopType::VpnGateway, "g")
            .published()
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .package(
                "p",
                Some("c"),
                crate::core::catalog::Area::China,
                crate::core::catalog::Area::China,
                100,
            )
            .region_bandwidth("rb", "c", "cn-hangzhou", "cn-shanghai", 50)
            .build()
    }

    /// The bandwidth of a path is the minimum of every limit on it: a 5 Mbps VPN gateway behind a
    /// 50 Mbps region bandwidth gives 5 both ways; a 100 Mbps gateway leaves the 50.
    #[test]
    fn a_path_through_a_vpn_gateway_is_limited_by_the_gateway_as_well_as_the_region_bandwidth() {
        let a = crate::core::analysis::analyse(&office_plan(5, "0.0.0.0/0"));
        let r = a.reach("k", "v2").unwrap();
        assert_eq!((r.forward.bandwidth_mbps, r.back.bandwidth_mbps), (Some(5), Some(5)));
        let text = crate::core::explain::trace(a.facts(), &r.forward).to_text();
        assert!(text.contains("reachable, up to 5 Mbps"), "{text}");
        let a = crate::core::analysis::analyse(&office_plan(100, "0.0.0.0/0"));
        let r = a.reach("k", "v2").unwrap();
        assert_eq!((r.forward.bandwidth_mbps, r.back.bandwidth_mbps), (Some(50), Some(50)));
    }

    /// A flow outside the IPsec selectors is not carried: both directions stop at the tunnel with
    /// CEN-VPN-002, the rule's finding and a fix that applies; the matrix says the same. Inside them
    /// (the office's own VPC) the flow works.
    #[test]
    fn a_flow_outside_the_ipsec_selectors_is_not_carried_in_traces_and_in_the_matrix() {
        let mut plan = office_plan(100, "10.1.0.0/16");
        let a = crate::core::analysis::analyse(&plan);
        let r = a.reach("k", "v2").unwrap();
        assert_eq!(r.result, Verdict::Unreachable);
        let b = r.forward.blocked.clone().unwrap();
        assert_eq!((b.code, b.at.as_str()), (Code::CenVpn002, "k"));
        assert_eq!(b.finding.as_ref().map(|f| f.code), Some(Code::CenVpn002));
        assert_eq!(r.back.blocked.as_ref().unwrap().code, Code::CenVpn002);
        assert_eq!(a.reach("k", "v1").unwrap().result, Verdict::Reachable);
        let m = crate::core::matrix::Matrix::new(a.dataplane());
        let at = |id: &str| m.endpoints.iter().position(|e| e.id == id).unwrap();
        assert_eq!(m.cells[at("k")][at("v2")], crate::core::matrix::Cell::Unreachable);
        assert_eq!(m.cells[at("v2")][at("k")], crate::core::matrix::Cell::Unreachable);
        assert_eq!(m.cells[at("k")][at("v1")], crate::core::matrix::Cell::Reachable);
        for e in b.edits {
            crate::core::edit::apply(&mut plan, e).unwrap();
        }
        assert_eq!(
            crate::core::analysis::analyse(&plan).reach("k", "v2").unwrap().result,
            Verdict::Reachable
        );
    }

    /// A broken return path: the matrix shows neither direction as reachable, as `reach` says one-way.
    #[test]
    fn the_matrix_does_not_show_a_pair_reachable_when_the_return_path_is_broken() {
        let mut plan = office_plan(100, "0.0.0.0/0");
        plan.route_entries[0].published = false;
        let a = crate::core::analysis::analyse(&plan);
        assert_eq!(a.reach("k", "v2").unwrap().result, Verdict::OneWay);
        let m = crate::core::matrix::Matrix::new(a.dataplane());
        let at = |id: &str| m.endpoints.iter().position(|e| e.id == id).unwrap();
        assert_eq!(m.cells[at("k")][at("v2")], crate::core::matrix::Cell::Unreachable);
        assert_eq!(m.cells[at("v2")][at("k")], crate::core::matrix::Cell::Unreachable);
        assert_eq!(m.cells, crate::core::matrix::cells(a.dataplane(), &m.endpoints));
        // Published: both ways, and the matrix shows it.
        plan.route_entries[0].published = true;
        let a = crate::core::analysis::analyse(&plan);
        let m = crate::core::matrix::Matrix::new(a.dataplane());
        assert_eq!(m.cells[at("k")][at("v2")], crate::core::matrix::Cell::Reachable);
    }

    /// A CCN in an area not offered on the plan's date (Singapore before 2021, CEN-CCN-002) cannot
    /// exist then and carries no traffic; from 2021 it does.
    #[test]
    fn a_ccn_that_cannot_exist_at_the_plans_date_carries_no_traffic() {
        let build = |as_of: &str| {
            crate::core::testing::plan()
                .as_of(as_of)
                .cen("c")
                .vpc("v", "ap-southeast-1", "10.1.0.0/16")
                .vswitch("s", "v", "10.1.0.0/24")
                .ccn("n", crate::core::catalog::CcnArea::Singapore)
                .sag("g", "n", &["10.9.0.0/24"])
                .attach("t1", "c", "v")
                .attach("t2", "c", "n")
                .build()
        };
        let plan = build("2019-09-19");
        let a = crate::core::analysis::analyse(&plan);
        let r = a.reach("g", "v").unwrap();
        assert_eq!(r.result, Verdict::Unreachable);
        assert_eq!(r.forward.blocked.as_ref().unwrap().code, Code::CenCcn002, "{:?}", r.forward.blocked);
        assert!(a.table("v").routes.iter().all(|r| r.prefix.to_string() != "10.9.0.0/24"));
        let plan = build("2021-08-01");
        assert_eq!(
            crate::core::analysis::analyse(&plan).reach("g", "v").unwrap().result,
            Verdict::Reachable
        );
    }

    /// Two VPCs on one CEN as of 2019-09-19, the second attached on `attached_on` ("" for no date).
    fn dated(attached_on: &str, cen_created_on: &str) -> Plan {
        crate::core::testing::plan()
            .as_of("2019-09-19")
            .cen("c")
            .with(|p| p.cens[0].created_on = cen_created_on.into())
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.0.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.0.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .with(|p| p.attachments[1].attached_on = attached_on.into())
            .build()
    }

    /// An attachment dated after the plan's "rules as of" date does not exist then: the VPC learns
    /// nothing, nobody learns it, the matrix and reach say unreachable, and the reason is PLAN-DATE-001.
    #[test]
    fn a_vpc_attached_after_the_plans_date_learns_nothing_and_is_unreachable() {
        let plan = dated("2019-09-20", "");
        let a = crate::core::analysis::analyse(&plan);
        assert!(a.table("v2").routes.iter().all(|r| r.prefix.to_string() != "10.1.0.0/24"));
        assert!(a.table("v1").routes.iter().all(|r| r.prefix.to_string() != "10.2.0.0/24"));
        assert_eq!(a.dataplane().effective_cen("v2"), None);
        let r = a.reach("v1", "v2").unwrap();
        assert_eq!(r.result, Verdict::Unreachable);
        let why = r.forward.blocked.as_ref().or(r.back.blocked.as_ref()).unwrap();
        assert_eq!(why.code, Code::PlanDate001, "{why:?}");
        assert!(why.reason.contains("dated 2019-09-20"), "{}", why.reason);
        let m = crate::core::matrix::Matrix::new(a.dataplane());
        let at = |id: &str| m.endpoints.iter().position(|e| e.id == id).unwrap();
        assert_ne!(m.cells[at("v1")][at("v2")], crate::core::matrix::Cell::Reachable);
    }

    /// A CEN created after the plan's date carries none of its attachments.
    #[test]
    fn a_cen_created_after_the_plans_date_carries_no_traffic() {
        let a = crate::core::analysis::analyse(&dated("", "2019-10-01"));
        assert_eq!(a.dataplane().effective_cen("v1"), None);
        assert_eq!(a.reach("v1", "v2").unwrap().result, Verdict::Unreachable);
    }

    /// Attached on the plan's date, before it, or with no date (and a CEN created on or before it, or
    /// undated): the attachment exists and carries traffic.
    #[test]
    fn an_attachment_on_or_before_the_plans_date_or_undated_carries_traffic() {
        for (attached, created) in [("2019-09-19", ""), ("2019-01-01", "2019-09-19"), ("", ""), ("", "2018-01-01")] {
            let a = crate::core::analysis::analyse(&dated(attached, created));
            assert_eq!(a.reach("v1", "v2").unwrap().result, Verdict::Reachable, "{attached} {created}");
        }
    }

    /// Overlapping routes off: the route attached first stays, whatever the list order; with equal
    /// (or unknown) dates the answer is undetermined, with both candidates.
    #[test]
    fn with_overlapping_routes_off_the_first_attached_route_stays_and_equal_dates_are_undetermined() {
        let build = |first: &str, second: &str| {
            crate::core::testing::plan()
                .cen("c")
                .vpc("big", "cn-hangzhou", "10.0.0.0/8")
                .vswitch("sb", "big", "10.0.0.0/16")
                .vpc("small", "cn-hangzhou", "10.0.0.0/8")
                .vswitch("ss", "small", "10.0.1.0/24")
                .vpc("third", "cn-hangzhou", "172.16.0.0/16")
                .vswitch("st", "third", "172.16.0.0/24")
                .attach("t1", "c", "big")
                .attached_on(first)
                .attach("t2", "c", "small")
                .attached_on(second)
                .attach("t3", "c", "third")
                .attached_on("2019-01-01")
                .build()
        };
        // The small one came first, though listed second: the big one is refused.
        let a = crate::core::analysis::analyse(&build("2019-06-01", "2019-05-01"));
        let refused = |a: &crate::core::analysis::Analysis, prefix: &str| {
            a.table("third")
                .routes
                .iter()
                .find(|r| r.prefix.to_string() == prefix)
                .map(|r| matches!(r.inactive, Some(Inactive::OverlapRefused { .. })))
        };
        assert_eq!(refused(&a, "10.0.0.0/16"), Some(true));
        assert_eq!(refused(&a, "10.0.1.0/24"), Some(false));
        let r = a.reach("third", "small").unwrap();
        assert_eq!(r.result, Verdict::Reachable);
        assert!(a
            .report()
            .findings
            .iter()
            .any(|f| f.code == Code::CenCidr006 && f.entity.as_ref().is_some_and(|e| e.id == "sb")));
        // The other order.
        let a = crate::core::analysis::analyse(&build("2019-05-01", "2019-06-01"));
        assert_eq!(refused(&a, "10.0.1.0/24"), Some(true));
        assert_eq!(a.reach("third", "big").unwrap().result, Verdict::Reachable);
        // Equal dates: undetermined, never list order.
        let a = crate::core::analysis::analyse(&build("2019-05-01", "2019-05-01"));
        for to in ["big", "small"] {
            let r = a.reach("third", to).unwrap();
            assert_eq!(r.result, Verdict::Undetermined, "{to}: {:?}", r.forward);
            assert_eq!(
                r.forward.undetermined.as_ref().unwrap().candidates,
                vec!["big".to_string(), "small".to_string()]
            );
        }
        // Overlapping routes on: nothing to decide.
        let mut plan = build("2019-05-01", "2019-05-01");
        plan.cens[0].overlapping_routes = true;
        let a = crate::core::analysis::analyse(&plan);
        assert_eq!(a.reach("third", "big").unwrap().result, Verdict::Reachable);
    }

    /// Every cross-region path, CCN included, needs its region bandwidth: a cross-area CCN with the
    /// package but no region bandwidth gets only the test link; with one it is limited by it.
    #[test]
    fn a_cross_area_ccn_path_needs_its_region_bandwidth() {
        let build = |rb: bool| {
            crate::core::testing::plan()
                .as_of("2021-08-01")
                .cen("c")
                .vpc("v", "ap-southeast-1", "10.1.0.0/16")
                .vswitch("s", "v", "10.1.0.0/24")
                .ccn("n", crate::core::catalog::CcnArea::MainlandChina)
                .sag("g", "n", &["10.9.0.0/24"])
                .attach("t1", "c", "v")
                .attach("t2", "c", "n")
                .package(
                    "p",
                    Some("c"),
                    crate::core::catalog::Area::China,
                    crate::core::catalog::Area::AsiaPacific,
                    20,
                )
                .when(rb, |p| p.region_bandwidth("rb", "c", "cn-shanghai", "ap-southeast-1", 8))
                .build()
        };
        let r = crate::core::analysis::analyse(&build(false)).reach("g", "v").unwrap();
        assert_eq!(r.forward.disposition, Disposition::TestLinkOnly, "{:?}", r.forward);
        let r = crate::core::analysis::analyse(&build(true)).reach("g", "v").unwrap();
        assert_eq!((r.forward.disposition, r.forward.bandwidth_mbps), (Disposition::Reachable, Some(8)));
    }

    /// A fix the plan can express is an edit: an office with no route in its VPC gets the route entry
    /// (published) as an edit that, applied, lets the traffic through. A fix the plan cannot express
    /// (the office CPE's routes) is labelled outside the plan wherever a finding's fix is shown.
    #[test]
    fn a_missing_office_route_is_an_edit_and_cpe_routes_are_outside_the_plan() {
        let mut plan = office_plan(100, "0.0.0.0/0");
        plan.route_entries.clear();
        let a = crate::core::analysis::analyse(&plan);
        let r = a.reach("v2", "k").unwrap();
        let b = r.forward.blocked.clone().unwrap();
        assert_eq!(b.code, Code::CenVpn001, "{b:?}");
        assert_eq!(b.edits.len(), 1, "{b:?}");
        let cpe = a.report().findings.iter().find(|f| f.code == Code::CenVpn004).unwrap();
        assert!(cpe.outside_plan && cpe.fix_text().starts_with("outside the plan: "), "{cpe:?}");
        let vpn = a.report().findings.iter().find(|f| f.code == Code::CenVpn001).unwrap();
        assert!(!vpn.outside_plan && !vpn.fix_text().starts_with("outside the plan"), "{vpn:?}");
        for e in b.edits {
            crate::core::edit::apply(&mut plan, e).unwrap();
        }
        let fixed = crate::core::analysis::analyse(&plan).reach("v2", "k").unwrap();
        assert_eq!(fixed.result, Verdict::Reachable, "{:?}", fixed.forward.blocked);
    }

    #[test]
    fn the_matrix_is_square_and_matches_single_traces() {
        let plan = example("seed-003-vpn-global-network");
        let routing = DataPlane::new(Ctx::new(&plan));
        let ctx = &routing.ctx;
        let eps = crate::core::matrix::endpoints(ctx);
        assert_eq!(eps.len(), 6);
        let m = crate::core::matrix::cells(&routing, &eps);
        assert!(m.iter().flatten().all(|d| *d == crate::core::matrix::Cell::Reachable));
    }
}
