//! Route computation: the effective route table of each network (rulebook §3).
//!
//! For each CEN, the prefixes its attached networks advertise (§3.1) are collected once (§3.2:
//! identical prefixes conflict unless they are VBR redundancy; with overlapping routes off, a later
//! overlapping prefix is refused). A network's table is then its own routes plus the CEN routes it
//! installs (§3.3–3.4: the default VBR/CCN isolation, its own vSwitch ranges, peering static routes,
//! an existing route for the same prefix). Tables are built on demand and cached, so a reachability
//! query only builds the tables it visits. Forwarding is longest-prefix match over active routes.

mod advertise;
mod lpm;

pub(crate) use advertise::overlapping_pairs_sorted;
pub use advertise::{overlapping_pairs, publishable, Prefix};
pub use lpm::{Fib, Found, Probe};

use crate::core::facts::{dates, Ctx, NetKind};
use crate::core::model::{Kind, NextHopType, RouteTable as Table, VbrRouting};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, PoisonError};

/// Where a route comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A vSwitch CIDR (VPC system route).
    System,
    /// A custom route entry of the network.
    Custom,
    /// A custom route entry of the network that is published to CEN.
    Published,
    /// A peering static route (next hop: router interface).
    PeeringStatic,
    /// An on-premises prefix behind a VBR.
    Idc,
    /// A branch prefix of a SAG behind a CCN.
    Branch,
    /// Learned from CEN.
    Cen,
}

impl Origin {
    /// Lower-case name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::System => "system",
            Origin::Custom => "custom",
            Origin::Published => "published",
            Origin::PeeringStatic => "peering static",
            Origin::Idc => "on-premises",
            Origin::Branch => "branch",
            Origin::Cen => "learned from CEN",
        }
    }
}

/// Where a route sends traffic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum NextHop {
    /// Delivered inside this VPC (a vSwitch id).
    Local(String),
    /// A VPN gateway of the plan.
    VpnGateway(String),
    /// A peering connection of the plan.
    Peering(String),
    /// An ECS instance, HaVip or NAT gateway (free text): leaves the plan's model.
    Instance(String),
    /// The on-premises data centre behind this VBR.
    Idc,
    /// A SAG branch of this CCN.
    Sag(String),
    /// CEN, toward the origin network.
    Cen(String),
}

impl NextHop {
    /// The next hop for people: `local (vSwitch name)`, `CEN → VPC name`, `VPN gateway name`, ...
    pub fn describe(&self, ctx: &Ctx<'_>) -> String {
        match self {
            NextHop::Local(v) => format!("local ({})", ctx.name(v)),
            NextHop::VpnGateway(g) => format!("VPN gateway {}", ctx.name(g)),
            NextHop::Peering(p) => format!("peering {}", ctx.name(p)),
            NextHop::Instance(i) => format!("instance {i}"),
            NextHop::Idc => "on-premises".into(),
            NextHop::Sag(s) => format!("branch {}", ctx.name(s)),
            NextHop::Cen(n) => format!("CEN → {}", ctx.name(n)),
        }
    }
}

/// Why a route is in the table but not used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Inactive {
    /// Identical prefix from another network (CEN-CIDR-005).
    Conflict {
        /// The other network.
        with: String,
    },
    /// Overlapping routes are off and the prefix overlaps an earlier one (CEN-CIDR-006).
    OverlapRefused {
        /// The network advertising the earlier prefix.
        with: String,
    },
    /// Equal to or inside one of the receiving VPC's vSwitches (CEN-CIDR-007).
    InsideOwnVSwitch {
        /// The vSwitch.
        vswitch: String,
    },
    /// Equal to or inside a peering static route of the receiving network (CEN-PEER-001).
    PeeringStatic {
        /// The route entry.
        route: String,
    },
    /// VBRs and CCNs do not learn each other's routes by default (CEN-VBR-001).
    VbrCcnIsolation,
    /// The receiving network already has a route for exactly this prefix.
    ExistingRoute {
        /// The route entry.
        route: String,
    },
    /// In a custom route table, which CEN neither reads nor fills (CEN-RT-003).
    CustomTable,
    /// A standby copy (VBR redundancy).
    Standby,
}

impl Inactive {
    /// Whether this is CEN's own refusal (a conflict, a refused overlap) rather than the receiving network's.
    pub fn refused_by_cen(&self) -> bool {
        matches!(self, Inactive::Conflict { .. } | Inactive::OverlapRefused { .. })
    }

    /// Why the route is not used, for people, with its rule code.
    pub fn describe(&self, ctx: &Ctx<'_>) -> String {
        match self {
            Inactive::Conflict { with } => format!("conflict with {} (CEN-CIDR-005)", ctx.name(with)),
            Inactive::OverlapRefused { with } => format!("refused: overlaps {} (CEN-CIDR-006)", ctx.name(with)),
            Inactive::InsideOwnVSwitch { vswitch } => format!("not learned: inside own vSwitch {} (CEN-CIDR-007)", ctx.name(vswitch)),
            Inactive::PeeringStatic { route } => format!("not learned: peering route {} wins (CEN-PEER-001)", ctx.name(route)),
            Inactive::VbrCcnIsolation => "not learned: VBR/CCN isolation (CEN-VBR-001)".into(),
            Inactive::ExistingRoute { route } => format!("not learned: own route {} kept", ctx.name(route)),
            Inactive::CustomTable => "custom table: not in CEN (CEN-RT-003)".into(),
            Inactive::Standby => "standby".into(),
        }
    }
}

/// One route of a network's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// Destination.
    pub prefix: Ipv4Net,
    /// Next hop.
    pub next_hop: NextHop,
    /// Origin.
    pub origin: Origin,
    /// `None` when active; the reason otherwise.
    pub inactive: Option<Inactive>,
    /// The entity holding the prefix (vSwitch, route entry, VBR, SAG).
    pub source: (Kind, String),
}

/// A network's effective route table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RouteTable {
    /// The network.
    pub network: String,
    /// The CEN it is attached to, if any.
    pub cen: Option<String>,
    /// Routes, sorted by prefix.
    pub routes: Vec<Route>,
}

impl RouteTable {
    /// The active route with the longest prefix containing `addr`.
    pub fn lookup(&self, addr: Ipv4Addr) -> Option<&Route> {
        self.routes
            .iter()
            .filter(|r| r.inactive.is_none() && r.prefix.contains(&addr))
            .max_by_key(|r| r.prefix.prefix_len())
    }
}

/// What CEN makes of one prefix advertised by several networks (§3.2 step 2): decided here only,
/// for the route tables and for the overlap rules (CEN-CIDR-005, CEN-VBR-003/004, CEN-CCN-006).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identical {
    /// Every copy comes from one network: nothing to decide.
    SameNetwork,
    /// Leased lines with static routing: all copies active (ECMP, CEN-VBR-003).
    Ecmp,
    /// Leased lines with BGP: the first copy active, the others standby (CEN-VBR-004).
    FirstActive,
    /// A VBR and SAG branches configured as its backup: the VBR's copy (`active`) wins (CEN-CCN-006).
    ActiveStandby {
        /// Position in the group of the VBR's copy.
        active: usize,
    },
    /// Anything else: a conflict, no copy is used (CEN-CIDR-005).
    Conflict,
}

/// Decides what CEN makes of `group`, copies of one prefix in advertisement order.
pub fn identical(ctx: &Ctx<'_>, group: &[&Prefix<'_>]) -> Identical {
    let Some(first) = group.first() else {
        return Identical::SameNetwork;
    };
    if group.iter().all(|p| p.network == first.network) {
        return Identical::SameNetwork;
    }
    let kind = |p: &Prefix<'_>| ctx.networks.get(p.network).map(|x| x.kind);
    if group.iter().all(|p| kind(p) == Some(NetKind::Vbr)) {
        let vbr = |n: &str| ctx.plan.vbrs.iter().find(|v| v.id == n);
        let all_static = group
            .iter()
            .all(|p| vbr(p.network).is_some_and(|v| v.routing == VbrRouting::Static));
        return if all_static { Identical::Ecmp } else { Identical::FirstActive };
    }
    let standby_for = |p: &Prefix<'_>, vbr_id: &str| {
        p.holder.0 == Kind::Sag
            && ctx
                .plan
                .sags
                .iter()
                .any(|s| s.id == p.holder.1 && s.backup_for_vbr.as_deref() == Some(vbr_id))
    };
    let active = group.iter().position(|p| kind(p) == Some(NetKind::Vbr)).filter(|&v| {
        let vbr_id = group[v].network;
        group.iter().all(|p| p.network == vbr_id || standby_for(p, vbr_id))
    });
    match active {
        Some(active) => Identical::ActiveStandby { active },
        None => Identical::Conflict,
    }
}

/// Of two networks whose prefixes overlap on a CEN with overlapping routes off, whether the first
/// (`Some(true)`) or the second (`Some(false)`) was attached first and so keeps its route (§3.2 step 3,
/// CEN-CIDR-006); `None` when the plan does not say (equal or unknown attachment dates, or one network).
pub fn first_attached(ctx: &Ctx<'_>, a: &str, b: &str) -> Option<bool> {
    match (ctx.attached_on(a), ctx.attached_on(b)) {
        (Some(x), Some(y)) if x != y && a != b => Some(x < y),
        _ => None,
    }
}

/// Whether an overlap of two prefixes is intended rather than an address clash: a default route
/// (0.0.0.0/0) from a data centre (VBR) is how an on-premises site offers its internet exit or its
/// catch-all, and longest-prefix match keeps every more specific route (CEN-CIDR-004/006 do not apply).
pub fn overlap_exempt(ctx: &Ctx<'_>, a: &Prefix<'_>, b: &Prefix<'_>) -> bool {
    let dc_default = |p: &Prefix<'_>| p.net.prefix_len() == 0 && ctx.networks.get(p.network).is_some_and(|n| n.kind == NetKind::Vbr);
    dc_default(a) || dc_default(b)
}

/// A prefix as a number that sorts like (start address, prefix length).
pub(crate) fn prefix_key(net: Ipv4Net) -> u64 {
    u64::from(u32::from(net.network())) << 8 | u64::from(net.prefix_len())
}

/// The positions of the collected routes (`sorted`: their prefix keys and positions, sorted) that share a prefix, each group in collected order, groups
/// in the order of their first route.
fn identical_groups(sorted: &[(u64, u32)]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = sorted
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .map(|run| run.iter().map(|&(_, i)| i as usize).collect())
        .collect();
    groups.sort_unstable();
    groups
}

/// Why CEN's choice between copies of a prefix is not decided by the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UndecidedWhy {
    /// One prefix from BGP leased lines: CEN keeps one active, the plan does not say which (CEN-VBR-004).
    Bgp,
    /// Overlapping routes off and two overlapping prefixes attached on the same or unknown dates: the
    /// one that came first stays, and the plan does not say which came first (CEN-CIDR-006).
    OverlapDates,
}

/// A choice the plan does not decide: why, and the candidate networks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecided<'a> {
    /// Why.
    pub why: UndecidedWhy,
    /// The networks among which the service picks.
    pub candidates: Vec<&'a str>,
}

/// A route as CEN collected it, before installation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CenRoute<'a> {
    /// The advertised prefix.
    pub prefix: Prefix<'a>,
    /// `None` when distributed; why not (or standby) otherwise.
    pub state: Option<Inactive>,
    /// The kind of the network advertising it.
    pub origin_kind: NetKind,
}

impl CenRoute<'_> {
    /// Whether CEN itself refused the route (a conflict or a refused overlap): no network installs it.
    pub fn refused(&self) -> bool {
        self.state.as_ref().is_some_and(Inactive::refused_by_cen)
    }
}

/// Route computation over one plan, with tables built on demand.
pub struct DataPlane<'a> {
    /// The facts about the plan.
    pub ctx: Ctx<'a>,
    advertised: HashMap<&'a str, Vec<Prefix<'a>>>,
    /// The effective CEN of every network (see `effective_cen`), computed once.
    effective: HashMap<&'a str, &'a str>,
    /// What each network holds, by list position: vSwitches, VBRs, SAGs and route entries.
    holds: HashMap<&'a str, Holds>,
    // Caches filled on demand; a `Mutex` (never contended) keeps the analysis `Send + Sync` for the app's memo.
    /// The routes each CEN collects (§3.2), computed for every CEN up front.
    cen_routes: HashMap<&'a str, Vec<CenRoute<'a>>>,
    /// Per CEN, (prefix key, position) of every collected route, sorted (`cen_sorted`).
    cen_sorted: HashMap<&'a str, Vec<(u64, u32)>>,
    /// Per CEN, the prefixes whose active copy the plan does not decide (BGP leased lines advertising
    /// one prefix: CEN keeps one active, CEN-VBR-004), with the candidate networks.
    undecided: HashMap<&'a str, HashMap<Ipv4Net, Undecided<'a>>>,
    tables: Mutex<HashMap<String, Arc<RouteTable>>>,
}

impl<'a> std::ops::Deref for DataPlane<'a> {
    type Target = Ctx<'a>;
    /// The facts the data plane was computed from.
    fn deref(&self) -> &Ctx<'a> {
        &self.ctx
    }
}

/// Positions in the plan's lists of what one network holds, in list order.
#[derive(Default)]
struct Holds {
    vswitches: Vec<usize>,
    vbrs: Vec<usize>,
    sags: Vec<usize>,
    route_entries: Vec<usize>,
}

impl<'a> DataPlane<'a> {
    /// Prepares route computation for the plan of `ctx`.
    pub fn new(ctx: Ctx<'a>) -> DataPlane<'a> {
        let plan = ctx.plan;
        let mut effective = HashMap::default();
        for (&network, net) in &ctx.networks {
            let Some(att) = ctx.attachment_of.get(network) else { continue };
            let Some(cen) = ctx.cen(&att.cen) else { continue };
            // An attachment across accounts without a matching grant is refused (CEN-XACC-001).
            if ctx.cross_account(net.owner, &cen.owner) && !ctx.granted(network, cen) {
                continue;
            }
            // A CCN in an area not offered on the plan's date cannot exist then: it carries no traffic
            // (CEN-CCN-001/002).
            if net.ccn_area.is_some_and(|a| ctx.ccn_area_not_offered(a).is_some()) {
                continue;
            }
            effective.insert(network, cen.id.as_str());
        }
        let mut holds: HashMap<&'a str, Holds> = HashMap::default();
        for (i, s) in plan.vswitches.iter().enumerate() {
            holds.entry(s.vpc.as_str()).or_default().vswitches.push(i);
        }
        for (i, v) in plan.vbrs.iter().enumerate() {
            holds.entry(v.id.as_str()).or_default().vbrs.push(i);
        }
        for (i, s) in plan.sags.iter().enumerate() {
            holds.entry(s.ccn.as_str()).or_default().sags.push(i);
        }
        for (i, r) in plan.route_entries.iter().enumerate() {
            holds.entry(r.network.as_str()).or_default().route_entries.push(i);
        }
        let advertised = advertise::advertised(plan, &ctx.cidrs, &holds);
        let mut dp = DataPlane {
            ctx,
            advertised,
            effective,
            holds,
            cen_routes: HashMap::default(),
            cen_sorted: HashMap::default(),
            undecided: HashMap::default(),
            tables: Mutex::default(),
        };
        for cen in &plan.cens {
            let (routes, undecided, sorted) = dp.collect(&cen.id);
            dp.cen_sorted.insert(&cen.id, sorted);
            if !undecided.is_empty() {
                dp.undecided.insert(&cen.id, undecided);
            }
            dp.cen_routes.insert(&cen.id, routes);
        }
        dp
    }

    /// What a network advertises into CEN (§3.1).
    pub fn advertised_by(&self, network: &str) -> &[Prefix<'a>] {
        self.advertised.get(network).map_or(&[], Vec::as_slice)
    }

    /// Whether a network's attachment is effective: attached, and granted when the CEN has another owner.
    pub fn effective_cen(&self, network: &str) -> Option<&'a str> {
        self.effective.get(network).copied()
    }

    /// The networks among which CEN picks for `prefix`, when the plan does not decide it: BGP leased
    /// lines (the first in the plan is shown active, which the service does not promise) or, with
    /// overlapping routes off, overlapping prefixes whose attachment order the plan does not give.
    pub fn undecided(&self, cen: &str, prefix: Ipv4Net) -> Option<&Undecided<'a>> {
        self.undecided.get(cen).and_then(|m| m.get(&prefix))
    }

    /// The undecided choice of `cen` whose prefix contains `addr` (the longest such prefix).
    pub fn undecided_for(&self, cen: &str, addr: Ipv4Addr) -> Option<(Ipv4Net, &Undecided<'a>)> {
        self.undecided
            .get(cen)?
            .iter()
            .filter(|(p, _)| p.contains(&addr))
            .max_by_key(|(p, _)| (p.prefix_len(), u32::from(p.network())))
            .map(|(p, u)| (*p, u))
    }

    /// The routes a CEN collects from its attached networks (§3.2), computed once per CEN when the data plane is built.
    pub fn cen_routes(&self, cen: &str) -> &[CenRoute<'a>] {
        self.cen_routes.get(cen).map_or(&[], Vec::as_slice)
    }

    /// The collected routes of a CEN in route-table order: (`prefix_key`, position in `cen_routes`),
    /// sorted, so the copies of one prefix are adjacent.
    pub(crate) fn cen_sorted(&self, cen: &str) -> &[(u64, u32)] {
        self.cen_sorted.get(cen).map_or(&[], Vec::as_slice)
    }

    /// The routes `cen_id` collects, and the prefixes whose active copy the plan leaves undecided.
    #[allow(clippy::type_complexity)]
    fn collect(&self, cen_id: &str) -> (Vec<CenRoute<'a>>, HashMap<Ipv4Net, Undecided<'a>>, Vec<(u64, u32)>) {
        let ctx = &self.ctx;
        let overlapping = ctx.cen(cen_id).is_some_and(|c| ctx.overlapping_on(c));
        let mut routes: Vec<CenRoute<'a>> = Vec::new();
        for net in ctx.attached_networks(cen_id) {
            if self.effective_cen(net.id) != Some(cen_id) {
                continue;
            }
            routes.extend(self.advertised_by(net.id).iter().map(|p| CenRoute {
                prefix: p.clone(),
                state: None,
                origin_kind: net.kind,
            }));
        }
        // Identical prefixes from different networks (§3.2 step 2).
        let mut undecided: HashMap<Ipv4Net, Undecided<'a>> = HashMap::default();
        let mut sorted: Vec<(u64, u32)> = routes.iter().zip(0..).map(|(r, i)| (prefix_key(r.prefix.net), i)).collect();
        sorted.sort_unstable();
        for group in identical_groups(&sorted) {
            let members: Vec<&Prefix<'a>> = group.iter().map(|&i| &routes[i].prefix).collect();
            match identical(ctx, &members) {
                Identical::SameNetwork | Identical::Ecmp => continue,
                Identical::FirstActive => {
                    let mut nets: Vec<&'a str> = members.iter().map(|p| p.network).collect();
                    nets.dedup();
                    undecided.insert(
                        members[0].net,
                        Undecided {
                            why: UndecidedWhy::Bgp,
                            candidates: nets,
                        },
                    );
                    for &i in &group[1..] {
                        routes[i].state = Some(Inactive::Standby);
                    }
                    continue;
                }
                Identical::ActiveStandby { active } => {
                    let vbr_id = routes[group[active]].prefix.network;
                    for &i in &group {
                        if routes[i].prefix.network != vbr_id {
                            routes[i].state = Some(Inactive::Standby);
                        }
                    }
                    continue;
                }
                Identical::Conflict => {}
            }
            for &i in &group {
                let other = group
                    .iter()
                    .map(|&j| &routes[j].prefix.network)
                    .find(|n| **n != routes[i].prefix.network)
                    .cloned()
                    .unwrap_or_default();
                routes[i].state = Some(Inactive::Conflict { with: other.to_string() });
            }
        }
        // Overlapping routes off: of two overlapping prefixes the one that came first (by attachment
        // date) stays and the later one is refused (§3.2 step 3). With equal or unknown dates the plan
        // does not say which came first: the later in the plan is shown refused, and both prefixes are
        // undecided, never decided by list order.
        if !overlapping {
            let prefixes: Vec<Prefix> = routes.iter().map(|r| r.prefix.clone()).collect();
            let date = |n: &str| ctx.attached_on(n);
            let mut pairs: Vec<(usize, usize, bool)> = advertise::overlapping_pairs(&prefixes)
                .into_iter()
                .filter(|&(i, j)| prefixes[i].net != prefixes[j].net && !overlap_exempt(ctx, &prefixes[i], &prefixes[j]))
                .map(|(i, j)| match first_attached(ctx, prefixes[i].network, prefixes[j].network) {
                    Some(true) => (i, j, true),
                    Some(false) => (j, i, true),
                    None => (i, j, prefixes[i].network == prefixes[j].network),
                })
                .collect();
            // Decide the earliest first: a prefix refused by an earlier one refuses nothing itself.
            pairs.sort_by_key(|&(i, j, _)| (date(prefixes[i].network), date(prefixes[j].network), i, j));
            for (i, j, decided) in pairs {
                if routes[i].state.is_some() || routes[j].state.is_some() {
                    continue;
                }
                let with = routes[i].prefix.network;
                routes[j].state = Some(Inactive::OverlapRefused { with: with.to_string() });
                if !decided {
                    let candidates = vec![prefixes[i].network, prefixes[j].network];
                    for p in [prefixes[i].net, prefixes[j].net] {
                        undecided.entry(p).or_insert_with(|| Undecided {
                            why: UndecidedWhy::OverlapDates,
                            candidates: candidates.clone(),
                        });
                    }
                }
            }
        }
        (routes, undecided, sorted)
    }

    /// The effective route table of a network (VPC, VBR or CCN), computed once.
    pub fn table(&self, network: &str) -> Arc<RouteTable> {
        if let Some(t) = self.tables.lock().unwrap_or_else(PoisonError::into_inner).get(network) {
            return t.clone();
        }
        let table = Arc::new(self.build(network));
        self.tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(network.to_string(), table.clone());
        table
    }

    /// The network's own routes (vSwitches, on-premises and branch CIDRs, custom route entries), in
    /// the order the table is built: vSwitches, VBR CIDRs, SAG CIDRs, route entries, each in plan
    /// order; borrowed from the plan (`OwnRoute::route` gives the table's row).
    pub(crate) fn own_of(&self, network: &str) -> Vec<OwnRoute<'a>> {
        let plan = self.ctx.plan;
        let mut routes = Vec::new();
        let Some(holds) = self.holds.get(network) else { return routes };
        let cidrs = &self.ctx.cidrs;
        let own = |prefix, hop, origin, source| OwnRoute {
            prefix,
            origin,
            custom_table: false,
            source,
            hop,
        };
        for &i in &holds.vswitches {
            let s = &plan.vswitches[i];
            if let Some(net) = cidrs.vswitches[i] {
                routes.push(own(net, Hop::Local(&s.id), Origin::System, (Kind::VSwitch, s.id.as_str())));
            }
        }
        for &i in &holds.vbrs {
            let v = &plan.vbrs[i];
            for net in cidrs.vbrs[i].iter().flatten() {
                routes.push(own(*net, Hop::Idc, Origin::Idc, (Kind::Vbr, v.id.as_str())));
            }
        }
        for &i in &holds.sags {
            let s = &plan.sags[i];
            for net in cidrs.sags[i].iter().flatten() {
                routes.push(own(*net, Hop::Sag(&s.id), Origin::Branch, (Kind::Sag, s.id.as_str())));
            }
        }
        for &i in &holds.route_entries {
            let r = &plan.route_entries[i];
            let Some(net) = cidrs.route_entries[i] else { continue };
            let (hop, origin) = match r.next_hop_type {
                NextHopType::VpnGateway => (Hop::VpnGateway(&r.next_hop), Origin::Custom),
                NextHopType::Peering => (Hop::Peering(&r.next_hop), Origin::PeeringStatic),
                NextHopType::Idc => (Hop::Idc, Origin::Custom),
                NextHopType::Ecs | NextHopType::HaVip | NextHopType::NatGateway => (Hop::Instance(&r.next_hop), Origin::Custom),
            };
            let origin = if r.published && origin == Origin::Custom {
                Origin::Published
            } else {
                origin
            };
            let mut route = own(net, hop, origin, (Kind::RouteEntry, r.id.as_str()));
            route.custom_table = r.table == Table::Custom;
            routes.push(route);
        }
        routes
    }

    /// Whether the peering precedence rule (CEN-PEER-001) applies to a network.
    pub(crate) fn peering_rule(&self, network: &str) -> bool {
        let ctx = &self.ctx;
        ctx.attached_on(network)
            .map_or(ctx.as_of >= dates::PEERING_COEXISTENCE, |d| d >= dates::PEERING_COEXISTENCE)
    }

    /// The state of a collected CEN route once installed into `network` of kind `kind`: the route's own
    /// state, VBR/CCN isolation, or what blocks it: the network's own routes (`own`), then `existing`,
    /// the first CEN route with the same prefix installed before it, active and held by a route entry.
    pub(crate) fn installed_state(
        &self,
        network: &str,
        kind: NetKind,
        peering_rule: bool,
        cr: &CenRoute,
        own: &[OwnRoute<'_>],
        existing: Option<&str>,
    ) -> Option<Inactive> {
        let ctx = &self.ctx;
        let p = &cr.prefix;
        let src_kind = Some(cr.origin_kind);
        let mut inactive = cr.state.clone();
        let edge = |k: Option<NetKind>| matches!(k, Some(NetKind::Vbr) | Some(NetKind::Ccn));
        if edge(src_kind) && edge(Some(kind)) {
            let legacy = |n: &str| ctx.attached_on(n).is_some_and(|d| d < dates::VBR_ISOLATION);
            let both_old_vbrs = src_kind == Some(NetKind::Vbr) && kind == NetKind::Vbr && legacy(network) && legacy(p.network);
            if !both_old_vbrs {
                inactive = Some(Inactive::VbrCcnIsolation);
            }
        }
        if inactive.is_none() {
            inactive = self
                .install_blocker(kind, p.net, peering_rule, own)
                .or_else(|| existing.map(|route| Inactive::ExistingRoute { route: route.to_string() }));
        }
        inactive
    }

    fn build(&self, network: &str) -> RouteTable {
        let ctx = &self.ctx;
        let kind = ctx.networks.get(network).map(|n| n.kind);
        let own = self.own_of(network);
        let mut routes: Vec<Route> = own.iter().map(OwnRoute::route).collect();
        // Routes learned from CEN.
        let cen = self.effective_cen(network).map(str::to_string);
        if let (Some(cen_id), Some(kind)) = (&cen, kind) {
            let collected = self.cen_routes(cen_id);
            let peering_rule = self.peering_rule(network);
            // The first active CEN route held by a route entry, per prefix (it keeps later copies out).
            let mut existing: HashMap<Ipv4Net, usize> = HashMap::default();
            for cr in collected.iter().filter(|cr| cr.prefix.network != network) {
                // A route CEN refused (conflict, overlap) is shown with its reason, never installed.
                let refused = cr.refused();
                let earlier = existing.get(&cr.prefix.net).map(|&i| routes[i].source.1.as_str());
                let inactive = if refused {
                    cr.state.clone()
                } else {
                    self.installed_state(network, kind, peering_rule, cr, &own, earlier)
                };
                if inactive.is_none() && cr.prefix.holder.0 == Kind::RouteEntry {
                    existing.entry(cr.prefix.net).or_insert(routes.len());
                }
                let p = &cr.prefix;
                routes.push(Route {
                    prefix: p.net,
                    next_hop: NextHop::Cen(p.network.to_string()),
                    origin: Origin::Cen,
                    inactive,
                    source: (p.holder.0, p.holder.1.to_string()),
                });
            }
        }
        routes.sort_by(|a, b| {
            (a.prefix.network(), a.prefix.prefix_len(), a.origin as u8).cmp(&(b.prefix.network(), b.prefix.prefix_len(), b.origin as u8))
        });
        RouteTable {
            network: network.to_string(),
            cen,
            routes,
        }
    }

    /// Why a CEN route would not be installed into a network (§3.4), or `None`.
    fn install_blocker(&self, kind: NetKind, net: Ipv4Net, peering_rule: bool, own: &[OwnRoute<'_>]) -> Option<Inactive> {
        if kind == NetKind::Vpc {
            for r in own.iter().filter(|r| r.origin == Origin::System) {
                if r.prefix.contains(&net) {
                    return Some(Inactive::InsideOwnVSwitch {
                        vswitch: r.source.1.to_string(),
                    });
                }
            }
        }
        if peering_rule {
            for r in own.iter().filter(|r| r.origin == Origin::PeeringStatic && !r.custom_table) {
                if r.prefix.contains(&net) {
                    return Some(Inactive::PeeringStatic {
                        route: r.source.1.to_string(),
                    });
                }
            }
        }
        own.iter()
            .find(|r| r.prefix == net && !r.custom_table && r.source.0 == Kind::RouteEntry)
            .map(|r| Inactive::ExistingRoute {
                route: r.source.1.to_string(),
            })
    }
}

/// One of a network's own routes, borrowed from the plan (`DataPlane::own_of`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct OwnRoute<'a> {
    /// Destination.
    pub prefix: Ipv4Net,
    /// Origin.
    pub origin: Origin,
    /// In a custom route table, so inactive (CEN-RT-003).
    pub custom_table: bool,
    /// The entity holding the prefix.
    pub source: (Kind, &'a str),
    hop: Hop<'a>,
}

/// `NextHop`, borrowed.
#[derive(Clone, Copy, Debug)]
enum Hop<'a> {
    Local(&'a str),
    VpnGateway(&'a str),
    Peering(&'a str),
    Instance(&'a str),
    Idc,
    Sag(&'a str),
}

impl OwnRoute<'_> {
    /// The route as a table shows it.
    pub fn route(&self) -> Route {
        let next_hop = match self.hop {
            Hop::Local(v) => NextHop::Local(v.to_string()),
            Hop::VpnGateway(g) => NextHop::VpnGateway(g.to_string()),
            Hop::Peering(p) => NextHop::Peering(p.to_string()),
            Hop::Instance(i) => NextHop::Instance(i.to_string()),
            Hop::Idc => NextHop::Idc,
            Hop::Sag(s) => NextHop::Sag(s.to_string()),
        };
        Route {
            prefix: self.prefix,
            next_hop,
            origin: self.origin,
            inactive: self.custom_table.then_some(Inactive::CustomTable),
            source: (self.source.0, self.source.1.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples;
    use crate::core::format::from_json;
    use crate::core::model::Plan;
    use crate::core::testing::plan;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    fn learned(t: &RouteTable, prefix: &str) -> Option<Option<Inactive>> {
        let p: Ipv4Net = prefix.parse().unwrap();
        t.routes
            .iter()
            .find(|r| r.origin == Origin::Cen && r.prefix == p)
            .map(|r| r.inactive.clone())
    }

    #[test]
    fn same_region_vpcs_learn_each_others_vswitches() {
        let plan = example("seed-000-same-account-same-region");
        let routing = DataPlane::new(Ctx::new(&plan));
        let a = routing.table("vpc-1");
        assert_eq!(learned(&a, "172.16.1.0/24"), Some(None));
        assert_eq!(
            a.lookup("172.16.1.10".parse().unwrap()).unwrap().next_hop,
            NextHop::Cen("vpc-2".into())
        );
        assert_eq!(
            a.lookup("192.168.1.10".parse().unwrap()).unwrap().next_hop,
            NextHop::Local("vsw-1".into())
        );
    }

    #[test]
    fn seed_004_peering_static_route_blocks_the_24_cen_route() {
        let plan = example("seed-004-peering-migration");
        let x = DataPlane::new(Ctx::new(&plan)).table("vpc-1");
        assert_eq!(
            learned(&x, "172.16.1.0/24"),
            Some(Some(Inactive::PeeringStatic { route: "rte-1".into() }))
        );
        assert_eq!(
            x.lookup("172.16.1.5".parse().unwrap()).unwrap().next_hop,
            NextHop::Peering("pcc-1".into())
        );
    }

    #[test]
    fn seed_004_two_25s_then_removing_the_16_restores_the_cen_route() {
        let mut plan = example("seed-004-peering-migration");
        let mut half = plan.route_entries[0].clone();
        half.id = "rte-9".into();
        half.destination = "172.16.1.0/25".into();
        let mut other = half.clone();
        other.id = "rte-10".into();
        other.destination = "172.16.1.128/25".into();
        plan.route_entries.push(half);
        plan.route_entries.push(other);
        // Step 1: the /25s are more specific than the /24, so traffic still uses the peering.
        {
            let x = DataPlane::new(Ctx::new(&plan)).table("vpc-1");
            assert_eq!(
                x.lookup("172.16.1.200".parse().unwrap()).unwrap().next_hop,
                NextHop::Peering("pcc-1".into())
            );
        }
        // Step 2: delete the /16: the /24 CEN route is learned; the /25s still win.
        plan.route_entries.retain(|r| r.id != "rte-1");
        {
            let x = DataPlane::new(Ctx::new(&plan)).table("vpc-1");
            assert_eq!(learned(&x, "172.16.1.0/24"), Some(None));
            assert_eq!(
                x.lookup("172.16.1.200".parse().unwrap()).unwrap().next_hop,
                NextHop::Peering("pcc-1".into())
            );
        }
        // Step 3: delete the /25s: CEN carries the traffic.
        plan.route_entries.retain(|r| r.id != "rte-9" && r.id != "rte-10");
        let x = DataPlane::new(Ctx::new(&plan)).table("vpc-1");
        assert_eq!(
            x.lookup("172.16.1.200".parse().unwrap()).unwrap().next_hop,
            NextHop::Cen("vpc-2".into())
        );
    }

    #[test]
    fn a_vpc_refuses_routes_inside_its_own_vswitch_but_takes_larger_ones() {
        let plan = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/8")
            .vpc("v2", "cn-hangzhou", "10.0.0.0/8")
            .vpc("v3", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("s1", "v1", "10.0.0.0/16")
            .vswitch("s2", "v2", "10.0.0.0/24")
            .vbr("b", "cn-hangzhou", &["10.0.0.0/8"])
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "b")
            .build();
        let t = DataPlane::new(Ctx::new(&plan)).table("v1");
        assert_eq!(
            learned(&t, "10.0.0.0/24"),
            Some(Some(Inactive::InsideOwnVSwitch { vswitch: "s1".into() }))
        );
        assert_eq!(learned(&t, "10.0.0.0/8"), Some(None));
    }

    #[test]
    fn vbrs_do_not_learn_each_other_unless_both_attached_before_2018_08_01() {
        let vbrs = |d: &str| {
            plan()
                .cen("c")
                .overlapping()
                .vbr("b1", "cn-beijing", &["10.1.3.0/24"])
                .vbr("b2", "cn-hangzhou", &["10.1.4.0/24"])
                .attach("t1", "c", "b1")
                .attached_on(d)
                .attach("t2", "c", "b2")
                .attached_on(d)
                .build()
        };
        let plan = vbrs("2019-01-01");
        assert_eq!(
            learned(&DataPlane::new(Ctx::new(&plan)).table("b1"), "10.1.4.0/24"),
            Some(Some(Inactive::VbrCcnIsolation))
        );
        let plan = vbrs("2018-05-01");
        assert_eq!(learned(&DataPlane::new(Ctx::new(&plan)).table("b1"), "10.1.4.0/24"), Some(None));
    }

    #[test]
    fn identical_prefixes_conflict_and_are_not_installed_elsewhere() {
        let plan = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
            .vpc("v2", "cn-hangzhou", "172.16.0.0/16")
            .vpc("v3", "cn-hangzhou", "192.168.0.0/16")
            .vswitch("s1", "v1", "172.16.0.0/24")
            .vswitch("s2", "v2", "172.16.0.0/24")
            .vswitch("s3", "v3", "192.168.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "v3")
            .build();
        let r = DataPlane::new(Ctx::new(&plan));
        // Both copies are in v3's table, refused with the conflict as the reason (rulebook E9), and unused.
        assert_eq!(
            learned(&r.table("v3"), "172.16.0.0/24"),
            Some(Some(Inactive::Conflict { with: "v2".into() }))
        );
        assert!(r.table("v3").lookup("172.16.0.1".parse().unwrap()).is_none());
        assert!(r
            .cen_routes("c")
            .iter()
            .any(|cr| matches!(&cr.state, Some(Inactive::Conflict { with }) if with == "v2")));
    }

    #[test]
    fn an_ungranted_cross_account_network_is_not_in_cen() {
        let mut plan = example("seed-000-cross-account-same-region");
        assert_eq!(
            learned(&DataPlane::new(Ctx::new(&plan)).table("vpc-1"), "172.16.1.0/24"),
            Some(None)
        );
        plan.grants.clear();
        let r = DataPlane::new(Ctx::new(&plan));
        assert_eq!(r.effective_cen("vpc-2"), None);
        assert_eq!(learned(&r.table("vpc-1"), "172.16.1.0/24"), None);
    }
}
