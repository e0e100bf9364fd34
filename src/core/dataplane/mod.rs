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
use crate::core::model::{Kind, MapAction, MapDirection, NetworkType, NextHopType, PrefixMatch, RouteMap, RouteTable as Table, VbrRouting};
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
    /// VBRs and CCNs do not learn each other's routes by default (CEN-VBR-001): the system route map
    /// (priority 5000, Deny) in the receiving region's export direction.
    VbrCcnIsolation,
    /// Dropped by a Deny route map (CEN-RMAP-001).
    RouteMapDenied {
        /// The route map.
        map: String,
        /// Its priority.
        priority: u32,
    },
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
            Inactive::VbrCcnIsolation => "not learned: VBR/CCN isolation, system route map priority 5000 (CEN-VBR-001)".into(),
            Inactive::RouteMapDenied { map, priority } => {
                format!("denied by route map {} (priority {priority}, CEN-RMAP-001)", ctx.name(map))
            }
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
    /// Static leased lines of one site with SAG lines of that site: the leased lines share the traffic
    /// (ECMP), the SAG copies are standby.
    EcmpStandbyBranches,
    /// Leased lines with BGP whose AS paths the plan does not give (or gives equal): CEN keeps one
    /// active and the others standby (CEN-VBR-004), but which one is undetermined. The table shows
    /// the first as active, and every answer that uses the prefix says it is undetermined.
    Undecided,
    /// One copy wins: the VBR with the shortest AS path (CEN-VBR-004), or a VBR over the SAG branches
    /// configured as its backup or that are lines of its site (CEN-CCN-006). `active` is its position
    /// in the group; copies from other networks are standby.
    ActiveStandby {
        /// Position in the group of the winning copy.
        active: usize,
    },
    /// Anything else: a conflict, no copy is used (CEN-CIDR-005).
    Conflict,
}

/// Decides what CEN makes of `group`, copies of one prefix in advertisement order. Lines of one site
/// (`Plan::sites`) never conflict with each other.
pub fn identical(ctx: &Ctx<'_>, group: &[&Prefix<'_>]) -> Identical {
    let Some(first) = group.first() else {
        return Identical::SameNetwork;
    };
    if group.iter().all(|p| p.network == first.network) {
        return Identical::SameNetwork;
    }
    let kind = |p: &Prefix<'_>| ctx.networks.get(p.network).map(|x| x.kind);
    let vbrs: Vec<usize> = (0..group.len()).filter(|&i| kind(group[i]) == Some(NetKind::Vbr)).collect();
    let site = |p: &Prefix<'_>| ctx.line(p.holder.1).map(|(s, _)| s);
    let one_site = site(first).is_some() && group.iter().all(|p| site(p) == site(first));
    if vbrs.len() == group.len() {
        return leased_lines(ctx, group, &vbrs);
    }
    if one_site {
        // Lines of one site: the leased lines win over the SAG lines (CEN-CCN-006).
        return match leased_lines(ctx, group, &vbrs) {
            _ if vbrs.is_empty() => Identical::Undecided,
            Identical::SameNetwork => Identical::ActiveStandby { active: vbrs[0] },
            Identical::Ecmp => Identical::EcmpStandbyBranches,
            other => other,
        };
    }
    let standby_for = |p: &Prefix<'_>, vbr_id: &str| p.holder.0 == Kind::Sag && ctx.is_standby(p.holder.1, vbr_id);
    let active = vbrs.first().copied().filter(|&v| {
        let vbr_id = group[v].network;
        group.iter().all(|p| p.network == vbr_id || standby_for(p, vbr_id))
    });
    match active {
        Some(active) => Identical::ActiveStandby { active },
        None => Identical::Conflict,
    }
}

/// What CEN makes of the copies at `vbrs` (positions in `group`, all from VBRs): one network, ECMP
/// when every line is static, the shortest AS path when every line is BGP and the plan gives one
/// shortest (`SiteLine::as_path_length`), undecided otherwise.
fn leased_lines(ctx: &Ctx<'_>, group: &[&Prefix<'_>], vbrs: &[usize]) -> Identical {
    let Some(&first) = vbrs.first() else {
        return Identical::Conflict;
    };
    if vbrs.iter().all(|&i| group[i].network == group[first].network) {
        return Identical::SameNetwork;
    }
    let routing = |i: usize| ctx.plan.vbrs.iter().find(|v| v.id == group[i].network).map(|v| v.routing);
    if vbrs.iter().all(|&i| routing(i) == Some(VbrRouting::Static)) {
        return Identical::Ecmp;
    }
    if vbrs.iter().all(|&i| routing(i) == Some(VbrRouting::Bgp)) {
        let length = |i: usize| ctx.line(group[i].network).and_then(|(_, l)| l.as_path_length);
        let lengths: Option<Vec<(u32, usize)>> = vbrs.iter().map(|&i| length(i).map(|n| (n, i))).collect();
        if let Some(lengths) = lengths {
            let shortest = lengths.iter().map(|&(n, _)| n).min().unwrap_or(0);
            let mut winners: Vec<&str> = lengths
                .iter()
                .filter(|(n, _)| *n == shortest)
                .map(|&(_, i)| group[i].network)
                .collect();
            winners.dedup();
            if let ([_], Some(&(_, i))) = (winners.as_slice(), lengths.iter().find(|(n, _)| *n == shortest)) {
                return Identical::ActiveStandby { active: i };
            }
        }
    }
    Identical::Undecided
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
    /// Route maps by (CEN, region, direction), in evaluation order (priority, then plan order).
    maps: HashMap<(&'a str, &'a str, MapDirection), Vec<Map<'a>>>,
    /// The CENs that have route maps.
    map_cens: rustc_hash::FxHashSet<&'a str>,
    tables: Mutex<HashMap<String, Arc<RouteTable>>>,
}

/// A route map with its prefixes parsed.
struct Map<'a> {
    map: &'a RouteMap,
    prefixes: Vec<Ipv4Net>,
}

/// What the route maps of one chain (a region and direction) do with a route (CEN-RMAP-001).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapVerdict<'a> {
    /// No map matches: the route goes on.
    NoMatch,
    /// A Permit map matches and stops the chain: the route is accepted (the system map is not reached).
    Permit(&'a RouteMap),
    /// Permit maps match and name a next priority, and nothing after them stops the chain: the route
    /// goes on to the maps after them (the system map included).
    Continued(&'a RouteMap),
    /// A Deny map matches: the route is dropped.
    Deny(&'a RouteMap),
}

/// What the data plane makes of one line of a site (`DataPlane::line_role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// Carries the site's prefixes, sharing them with another active line (ECMP).
    Ecmp,
    /// Carries the site's prefixes alone.
    Active,
    /// Standby for another line.
    Standby,
    /// Active or standby, the plan does not decide (BGP lines without AS paths).
    Undetermined,
    /// The line advertises none of the site's prefixes into a CEN (not attached, or refused).
    Unused,
}

/// The type of a network as route maps match it.
fn network_type(kind: NetKind) -> NetworkType {
    match kind {
        NetKind::Vpc => NetworkType::Vpc,
        NetKind::Vbr => NetworkType::Vbr,
        NetKind::Ccn => NetworkType::Ccn,
    }
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
            // An attachment (or its CEN) dated after the plan's date does not exist then (PLAN-DATE-001).
            if ctx.not_yet(att).is_some() {
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
            maps: HashMap::default(),
            map_cens: Default::default(),
            tables: Mutex::default(),
        };
        for m in &plan.route_maps {
            let prefixes = m.prefixes.iter().filter_map(|p| crate::core::cidr::parse_cidr(p).ok()).collect();
            dp.maps
                .entry((m.cen.as_str(), m.region.as_str(), m.direction))
                .or_default()
                .push(Map { map: m, prefixes });
            dp.map_cens.insert(m.cen.as_str());
        }
        for chain in dp.maps.values_mut() {
            chain.sort_by_key(|m| m.map.priority);
        }
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

    /// Whether some CEN of the plan has a choice the plan does not decide (see `undecided`).
    pub fn any_undecided(&self) -> bool {
        !self.undecided.is_empty()
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
                Identical::EcmpStandbyBranches => {
                    for &i in &group {
                        if routes[i].origin_kind != NetKind::Vbr {
                            routes[i].state = Some(Inactive::Standby);
                        }
                    }
                    continue;
                }
                Identical::Undecided => {
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

    /// The route map of CEN `cen` that let `route` (a CEN route of `network`'s table, from `origin`)
    /// through: the Permit map that decided it (a `Permit`, or the last `Continued` one), if any.
    pub fn permitted_by(&self, cen: &str, network: &str, origin: &str, route: &Route) -> Option<&'a RouteMap> {
        if !self.has_route_maps(cen) {
            return None;
        }
        let kind = self.ctx.networks.get(network)?.kind;
        let cr = self
            .cen_routes(cen)
            .iter()
            .find(|cr| cr.prefix.network == origin && cr.prefix.net == route.prefix && cr.prefix.holder.1 == route.source.1)?;
        match self.route_maps(network, kind, cr) {
            MapVerdict::Permit(m) | MapVerdict::Continued(m) => Some(m),
            MapVerdict::NoMatch | MapVerdict::Deny(_) => None,
        }
    }

    /// What line `line` (a position in its `lines`) of site `site` (a position in `plan.sites`) is in
    /// the data plane, judged on the copies of the site's prefixes it advertises (its own prefixes when
    /// the site lists none): ECMP, active, standby, undetermined or unused.
    pub fn line_role(&self, site: usize, line: usize) -> LineState {
        let plan = self.ctx.plan;
        let Some(s) = plan.sites.get(site) else { return LineState::Unused };
        let Some(l) = s.lines.get(line) else { return LineState::Unused };
        let network = plan.sags.iter().find(|g| g.id == l.via).map_or(l.via.as_str(), |g| g.ccn.as_str());
        let Some(cen) = self.effective_cen(network) else {
            return LineState::Unused;
        };
        let wanted: Vec<Ipv4Net> = s.prefixes.iter().filter_map(|p| crate::core::cidr::parse_cidr(p).ok()).collect();
        let routes = self.cen_routes(cen);
        let mine = routes
            .iter()
            .filter(|cr| cr.prefix.holder.1 == l.via && (wanted.is_empty() || wanted.contains(&cr.prefix.net)));
        let mut state = LineState::Unused;
        for cr in mine {
            let here = match &cr.state {
                _ if self.undecided(cen, cr.prefix.net).is_some_and(|c| c.candidates.contains(&network)) => LineState::Undetermined,
                None => {
                    let shared = routes
                        .iter()
                        .any(|o| o.prefix.net == cr.prefix.net && o.prefix.network != network && o.state.is_none());
                    if shared {
                        LineState::Ecmp
                    } else {
                        LineState::Active
                    }
                }
                Some(Inactive::Standby) => LineState::Standby,
                Some(_) => LineState::Unused,
            };
            // The line's strongest role over the site's prefixes.
            let rank = |s: LineState| match s {
                LineState::Undetermined => 4,
                LineState::Active => 3,
                LineState::Ecmp => 2,
                LineState::Standby => 1,
                LineState::Unused => 0,
            };
            if rank(here) > rank(state) {
                state = here;
            }
        }
        state
    }

    /// Whether any route map is set on CEN `cen`.
    pub fn has_route_maps(&self, cen: &str) -> bool {
        !self.map_cens.is_empty() && self.map_cens.contains(cen)
    }

    /// What the route maps of CEN `cen` in `region` and `direction` do with route `cr` toward
    /// `network` (of kind `kind`): maps in ascending priority, the first match decides; a Permit with a
    /// next priority goes on with the maps of that priority and above (CEN-RMAP-001).
    pub fn chain(&self, cen: &str, region: &str, direction: MapDirection, cr: &CenRoute, network: &str, kind: NetKind) -> MapVerdict<'a> {
        let Some(maps) = self.maps.get(&(cen, region, direction)) else {
            return MapVerdict::NoMatch;
        };
        let mut floor = 0;
        let mut continued = None;
        for m in maps {
            if m.map.priority < floor || !self.matches(m, cr, network, kind) {
                continue;
            }
            match (m.map.action, m.map.next_priority) {
                (MapAction::Deny, _) => return MapVerdict::Deny(m.map),
                (MapAction::Permit, Some(next)) if next > m.map.priority => {
                    floor = next;
                    continued = Some(m.map);
                }
                (MapAction::Permit, _) => return MapVerdict::Permit(m.map),
            }
        }
        continued.map_or(MapVerdict::NoMatch, MapVerdict::Continued)
    }

    fn matches(&self, m: &Map<'_>, cr: &CenRoute, network: &str, kind: NetKind) -> bool {
        let map = m.map;
        let source = cr.prefix.network;
        let net = cr.prefix.net;
        (map.source_networks.is_empty() || map.source_networks.iter().any(|n| n == source))
            && map.source_type.is_none_or(|t| t == network_type(cr.origin_kind))
            && (map.source_region.is_empty() || self.ctx.networks.get(source).and_then(|n| n.region) == Some(map.source_region.as_str()))
            && (map.destination_networks.is_empty() || map.destination_networks.iter().any(|n| n == network))
            && map.destination_type.is_none_or(|t| t == network_type(kind))
            && (map.prefixes.is_empty()
                || match map.prefix_match {
                    PrefixMatch::Exact => m.prefixes.contains(&net),
                    PrefixMatch::Contains => m.prefixes.iter().any(|p| p.contains(&net)),
                })
    }

    /// What the route maps do with route `cr` toward `network` (§3.3): the RegionIn chain of the
    /// source's region, then the RegionOut chain of the receiving region. `Deny` when either drops it;
    /// otherwise the export verdict (a `Permit` there stops before the system map of priority 5000).
    pub fn route_maps(&self, network: &str, kind: NetKind, cr: &CenRoute) -> MapVerdict<'a> {
        let Some(cen) = self.effective_cen(network).filter(|c| self.has_route_maps(c)) else {
            return MapVerdict::NoMatch;
        };
        let region = |n: &str| self.ctx.networks.get(n).and_then(|n| n.region);
        if let Some(r) = region(cr.prefix.network) {
            if let v @ MapVerdict::Deny(_) = self.chain(cen, r, MapDirection::RegionIn, cr, network, kind) {
                return v;
            }
        }
        match region(network) {
            Some(r) => self.chain(cen, r, MapDirection::RegionOut, cr, network, kind),
            None => MapVerdict::NoMatch,
        }
    }

    /// The state of a collected CEN route once installed into `network` of kind `kind`: the route's own
    /// state, a Deny route map, VBR/CCN isolation (the system map, unless an export Permit map stopped
    /// before it), or what blocks it: the network's own routes (`own`), then `existing`,
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
        let mut permitted = false;
        if inactive.is_none() && !self.maps.is_empty() {
            match self.route_maps(network, kind, cr) {
                MapVerdict::Deny(m) => {
                    return Some(Inactive::RouteMapDenied {
                        map: m.id.clone(),
                        priority: m.priority,
                    })
                }
                MapVerdict::Permit(_) => permitted = true,
                MapVerdict::NoMatch | MapVerdict::Continued(_) => {}
            }
        }
        let edge = |k: Option<NetKind>| matches!(k, Some(NetKind::Vbr) | Some(NetKind::Ccn));
        if edge(src_kind) && edge(Some(kind)) && !permitted {
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

    /// Two VPCs and two VBRs in cn-hangzhou on CEN `c`, with `maps` applied.
    fn mapped(maps: impl FnOnce(crate::core::testing::PlanBuilder) -> crate::core::testing::PlanBuilder) -> Plan {
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .vswitch("s1", "v1", "10.0.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s2", "v2", "10.1.1.0/24")
            .vswitch("s3", "v2", "10.1.2.0/24")
            .vbr("b1", "cn-hangzhou", &["172.16.0.0/16"])
            .vbr("b2", "cn-hangzhou", &["172.17.0.0/16"])
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "b1")
            .attach("t4", "c", "b2");
        maps(p).build()
    }

    #[test]
    fn a_deny_route_map_drops_the_route_toward_its_destination_only() {
        let plan = mapped(|p| p.route_map("m", "c", "cn-hangzhou", 10).deny().matching(&["v2"], &["v1"]));
        let dp = DataPlane::new(Ctx::new(&plan));
        let denied = Some(Some(Inactive::RouteMapDenied {
            map: "m".into(),
            priority: 10,
        }));
        assert_eq!(learned(&dp.table("v1"), "10.1.1.0/24"), denied);
        assert_eq!(learned(&dp.table("v2"), "10.0.1.0/24"), Some(None));
        assert_eq!(learned(&dp.table("b1"), "10.1.1.0/24"), Some(None));
        assert_eq!(
            dp.table("v1")
                .routes
                .iter()
                .find(|r| r.prefix.to_string() == "10.1.1.0/24")
                .map(|r| r.inactive.as_ref().unwrap().describe(&dp)),
            Some("denied by route map m (priority 10, CEN-RMAP-001)".to_string())
        );
        // Without the map the route is learned.
        let plan = mapped(|p| p);
        assert_eq!(learned(&DataPlane::new(Ctx::new(&plan)).table("v1"), "10.1.1.0/24"), Some(None));
    }

    #[test]
    fn route_maps_run_by_priority_and_the_first_match_decides_unless_it_continues() {
        // A Permit at 10 stops before the Deny at 50.
        let stops = mapped(|p| {
            p.route_map("deny", "c", "cn-hangzhou", 50)
                .deny()
                .matching(&["v2"], &[])
                .route_map("permit", "c", "cn-hangzhou", 10)
                .matching(&["v2"], &[])
        });
        assert_eq!(learned(&DataPlane::new(Ctx::new(&stops)).table("v1"), "10.1.1.0/24"), Some(None));
        // A Permit at 10 that continues at 50 meets the Deny.
        let continues = mapped(|p| {
            p.route_map("deny", "c", "cn-hangzhou", 50)
                .deny()
                .matching(&["v2"], &[])
                .route_map("permit", "c", "cn-hangzhou", 10)
                .matching(&["v2"], &[])
                .next_priority(50)
        });
        assert_eq!(
            learned(&DataPlane::new(Ctx::new(&continues)).table("v1"), "10.1.1.0/24"),
            Some(Some(Inactive::RouteMapDenied {
                map: "deny".into(),
                priority: 50
            }))
        );
    }

    #[test]
    fn prefixes_match_exactly_or_by_containment() {
        let exact = |list: &[&str], mode: PrefixMatch| {
            let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
            let plan = mapped(|p| {
                p.route_map("m", "c", "cn-hangzhou", 10).deny().with(|plan| {
                    let m = plan.route_maps.last_mut().unwrap();
                    m.prefixes = list;
                    m.prefix_match = mode;
                })
            });
            let t = DataPlane::new(Ctx::new(&plan)).table("v1");
            (
                learned(&t, "10.1.1.0/24").unwrap().is_some(),
                learned(&t, "10.1.2.0/24").unwrap().is_some(),
            )
        };
        assert_eq!(exact(&["10.1.1.0/24"], PrefixMatch::Exact), (true, false));
        assert_eq!(exact(&["10.1.0.0/16"], PrefixMatch::Exact), (false, false));
        assert_eq!(exact(&["10.1.0.0/16"], PrefixMatch::Contains), (true, true));
    }

    #[test]
    fn a_region_in_map_sees_routes_in_the_source_region_and_a_region_out_map_in_the_receiving_one() {
        let plan = mapped(|p| p.route_map("in", "c", "cn-hangzhou", 10).deny().region_in().matching(&["v2"], &[]));
        let dp = DataPlane::new(Ctx::new(&plan));
        assert!(learned(&dp.table("v1"), "10.1.1.0/24").unwrap().is_some());
        assert!(learned(&dp.table("b1"), "10.1.1.0/24").unwrap().is_some());
        // A map of another region does nothing here.
        let plan = mapped(|p| p.route_map("out", "c", "cn-shanghai", 10).deny().matching(&["v2"], &[]));
        assert_eq!(learned(&DataPlane::new(Ctx::new(&plan)).table("v1"), "10.1.1.0/24"), Some(None));
    }

    #[test]
    fn an_export_permit_map_lets_vbrs_learn_each_other_but_one_that_continues_does_not() {
        let permit = mapped(|p| p.route_map("m", "c", "cn-hangzhou", 20).matching(&["b2"], &["b1"]));
        let dp = DataPlane::new(Ctx::new(&permit));
        assert_eq!(learned(&dp.table("b1"), "172.17.0.0/16"), Some(None));
        // Only the direction the map names.
        assert_eq!(learned(&dp.table("b2"), "172.16.0.0/16"), Some(Some(Inactive::VbrCcnIsolation)));
        let continues = mapped(|p| {
            p.route_map("m", "c", "cn-hangzhou", 20)
                .matching(&["b2"], &["b1"])
                .next_priority(30)
        });
        assert_eq!(
            learned(&DataPlane::new(Ctx::new(&continues)).table("b1"), "172.17.0.0/16"),
            Some(Some(Inactive::VbrCcnIsolation))
        );
        // An import permit does not lift the system map, which sits in the export direction.
        let import = mapped(|p| p.route_map("m", "c", "cn-hangzhou", 20).region_in().matching(&["b2"], &["b1"]));
        assert_eq!(
            learned(&DataPlane::new(Ctx::new(&import)).table("b1"), "172.17.0.0/16"),
            Some(Some(Inactive::VbrCcnIsolation))
        );
    }

    #[test]
    fn the_forwarding_index_agrees_with_the_tables_under_route_maps() {
        let plan = mapped(|p| {
            p.route_map("m", "c", "cn-hangzhou", 20)
                .matching(&["b2"], &["b1"])
                .route_map("d", "c", "cn-hangzhou", 10)
                .deny()
                .matching(&["v2"], &["v1"])
        });
        let dp = DataPlane::new(Ctx::new(&plan));
        let fib = Fib::new(&dp);
        for n in ["v1", "v2", "b1", "b2"] {
            for addr in ["10.0.1.1", "10.1.1.1", "10.1.2.1", "172.16.0.1", "172.17.0.1"] {
                let addr: Ipv4Addr = addr.parse().unwrap();
                let table = dp.table(n);
                let expected = table.lookup(addr);
                let found = fib.lookup(fib.node(n), &fib.probe(addr));
                assert_eq!(found.map(|f| f.route.clone()), expected.cloned(), "{n} {addr}");
            }
        }
    }
}
