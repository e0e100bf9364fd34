//! VPN gateways, IPsec connections and offices published into CEN (CEN-VPN-*).
//!
//! An office is an IPsec connection: its VPN gateway sits in a VPC, its customer gateway is the
//! office device, its `remote_cidrs` are the office's CIDRs and its `local_cidrs` the Alibaba-side
//! selectors. The chain an office needs (rulebook CEN-VPN-001): a route for each office CIDR to the
//! VPN gateway in the VPC's system table, published to CEN when the VPC is attached; selectors that
//! cover everything the office must reach (002, with IKEv2 for several CIDRs: 003); CPE routes on
//! the office side (004, a reminder: the plan does not model them); and the VPN quotas (005).
//! With no required flow declared, an office must reach its own VPC and, when that VPC is attached to
//! a CEN, every network and every other office of that CEN; with declared flows, only the addresses
//! of the endpoints a required flow joins it to (`flows::Demand`).

use crate::core::cidr::{parse_cidr, parse_ip};
use crate::core::facts::{Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::flows::Demand;
use crate::core::model::{IkeVersion, IpsecConnection, Kind, NextHopType, RouteEntry, RouteTable, VpnGateway};
use ipnet::Ipv4Net;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashSet};

/// At most this many local and this many remote CIDRs per IPsec connection (CEN-VPN-003).
const MAX_CIDRS_PER_SIDE: usize = 5;
/// IPsec connections per VPN gateway (CEN-VPN-005).
const MAX_CONNECTIONS_PER_GATEWAY: usize = 10;
/// Destination-based routes per VPN gateway (CEN-VPN-005); as many policy-based routes again.
const MAX_DESTINATION_ROUTES: usize = 20;
/// Customer gateways per region (per account; CEN-VPN-005).
const MAX_CUSTOMER_GATEWAYS_PER_REGION: usize = 100;
/// VPN gateways per account (CEN-VPN-005).
const MAX_VPN_GATEWAYS_PER_ACCOUNT: usize = 30;

/// A destination an office must reach, with what it is.
#[derive(Clone, Copy)]
struct Dest<'a> {
    net: Ipv4Net,
    /// The block's number among the distinct blocks of the plan (`Holdings::ids`), for deduplication.
    id: u32,
    what: What<'a>,
}

/// What a destination is; its text is written only when a message needs it.
#[derive(Clone, Copy)]
enum What<'a> {
    VSwitch { vswitch: &'a str, vpc: &'a str },
    Vbr(&'a str),
    Sag { sag: &'a str, ccn: &'a str },
    Office(&'a IpsecConnection),
}

impl Dest<'_> {
    /// `block (what it is)`.
    fn text(&self, ctx: &Ctx<'_>) -> String {
        let what = match &self.what {
            What::VSwitch { vswitch, vpc } => format!("vSwitch {} of VPC {}", ctx.name(vswitch), ctx.name(vpc)),
            What::Vbr(vbr) => format!("data centre behind VBR {}", ctx.name(vbr)),
            What::Sag { sag, ccn } => format!("SAG branch {} of CCN {}", ctx.name(sag), ctx.name(ccn)),
            What::Office(conn) => format!("office {}", office(ctx, conn)),
        };
        format!("{} ({what})", self.net)
    }
}

/// An IPsec connection, the VPC of its gateway, and its remote blocks with their numbers.
type Office<'a> = (&'a IpsecConnection, &'a str, Vec<(Ipv4Net, u32)>);

/// The destinations each network offers, parsed once per check, by network id, in plan order:
/// vSwitches of a VPC, on-premises CIDRs of a VBR, SAG CIDRs of a CCN; and every office.
#[derive(Default)]
struct Holdings<'a> {
    vswitches: FxHashMap<&'a str, Vec<Dest<'a>>>,
    vbrs: FxHashMap<&'a str, Vec<Dest<'a>>>,
    sags: FxHashMap<&'a str, Vec<Dest<'a>>>,
    /// Every IPsec connection with the VPC of its gateway and its parsed remote CIDRs, in plan order.
    offices: Vec<Office<'a>>,
    /// A number for each distinct block of the plan that an office may have to reach.
    ids: FxHashMap<Ipv4Net, u32>,
    /// The networks attached to each CEN, as a set.
    attached: FxHashMap<&'a str, FxHashSet<&'a str>>,
    /// The CENs each network is attached to, each once, in plan order.
    cens: FxHashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Holdings<'a> {
    /// The CENs (ids) a network is attached to, each once, in plan order.
    fn cens_of(&self, network: &str) -> &[&'a str] {
        self.cens.get(network).map_or(&[], Vec::as_slice)
    }

    /// The destinations a network of this kind holds.
    fn held(&self, kind: NetKind, id: &str) -> &[Dest<'a>] {
        let map = match kind {
            NetKind::Vpc => &self.vswitches,
            NetKind::Vbr => &self.vbrs,
            NetKind::Ccn => &self.sags,
        };
        map.get(id).map_or(&[], Vec::as_slice)
    }

    fn new(ctx: &Ctx<'a>) -> Holdings<'a> {
        let mut h = Holdings {
            cens: cens_by_network(ctx),
            ..Holdings::default()
        };
        let id = |ids: &mut FxHashMap<Ipv4Net, u32>, net: Ipv4Net| {
            let next = ids.len() as u32;
            *ids.entry(net).or_insert(next)
        };
        for (s, &parsed) in ctx.plan.vswitches.iter().zip(&ctx.cidrs.vswitches) {
            if let Some(net) = parsed {
                let what = What::VSwitch {
                    vswitch: &s.id,
                    vpc: &s.vpc,
                };
                let id = id(&mut h.ids, net);
                h.vswitches.entry(s.vpc.as_str()).or_default().push(Dest { net, id, what });
            }
        }
        for (v, nets) in ctx.plan.vbrs.iter().zip(&ctx.cidrs.vbrs) {
            for &net in nets.iter().flatten() {
                let id = id(&mut h.ids, net);
                h.vbrs.entry(v.id.as_str()).or_default().push(Dest {
                    net,
                    id,
                    what: What::Vbr(&v.id),
                });
            }
        }
        for (s, nets) in ctx.plan.sags.iter().zip(&ctx.cidrs.sags) {
            let what = What::Sag { sag: &s.id, ccn: &s.ccn };
            for &net in nets.iter().flatten() {
                let id = id(&mut h.ids, net);
                h.sags.entry(s.ccn.as_str()).or_default().push(Dest { net, id, what });
            }
        }
        for c in &ctx.plan.ipsec_connections {
            if let Some(g) = gateway(ctx, &c.vpn_gateway) {
                let nets = c
                    .remote_cidrs
                    .iter()
                    .filter_map(|r| parse_cidr(r).ok())
                    .map(|net| (net, id(&mut h.ids, net)))
                    .collect();
                h.offices.push((c, &g.vpc, nets));
            }
        }
        for cen in ctx.cens() {
            h.attached
                .insert(&cen.id, ctx.attached_networks(&cen.id).iter().map(|n| n.id).collect());
        }
        h
    }
}

pub(super) fn check(ctx: &Ctx<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    let holdings = Holdings::new(ctx);
    // What each office must reach, computed once and read by CEN-VPN-002 and CEN-VPN-004.
    let mut dests_of: FxHashMap<&str, Reached<'_>> = FxHashMap::default();
    let mut seen = Seen::new(holdings.ids.len());
    let mut marks = (Seen::new(holdings.ids.len()), Seen::new(holdings.ids.len()));
    let cen_dests: FxHashMap<&str, CenDests<'_>> = if holdings.offices.is_empty() {
        FxHashMap::default()
    } else {
        ctx.plan
            .cens
            .iter()
            .map(|c| (c.id.as_str(), CenDests::new(ctx, &holdings, &c.id)))
            .collect()
    };
    // Route entries toward a VPN gateway, by network, in plan order.
    let mut to_gateways: FxHashMap<&str, Vec<&RouteEntry>> = FxHashMap::default();
    for r in ctx.plan.route_entries.iter().filter(|r| r.next_hop_type == NextHopType::VpnGateway) {
        to_gateways.entry(r.network.as_str()).or_default().push(r);
    }
    for conn in &ctx.plan.ipsec_connections {
        let Some(gw) = gateway(ctx, &conn.vpn_gateway) else { continue };
        if !is_vpc(ctx, &gw.vpc) {
            continue;
        }
        let dests = dests_of.entry(&conn.id).or_insert_with(|| {
            if demand.assumed() {
                reached(ctx, &holdings, &cen_dests, conn, gw, &mut seen, &mut marks)
            } else {
                let keep = |d: &Dest<'_>| demand.office_must_reach(&conn.id, d.net);
                reached_by_visiting(ctx, &holdings, conn, gw, &mut seen, &keep)
            }
        });
        let routes = to_gateways.get(gw.vpc.as_str()).map_or(&[][..], Vec::as_slice);
        office_routes(ctx, demand, &holdings, routes, conn, gw, out);
        selectors(ctx, dests, conn, gw, out);
        ike(ctx, conn, out);
    }
    cpe_reminders(ctx, &dests_of, out);
    limits(ctx, out);
}

/// Whether a VPC of the plan has this id.
fn is_vpc(ctx: &Ctx<'_>, id: &str) -> bool {
    ctx.networks.get(id).is_some_and(|n| n.kind == NetKind::Vpc)
}

fn gateway<'a>(ctx: &Ctx<'a>, id: &str) -> Option<&'a VpnGateway> {
    ctx.plan.vpn_gateways.iter().find(|g| g.id == id)
}

/// The CENs (ids) each network is attached to on the plan's date, each once, in plan order.
fn cens_by_network<'a>(ctx: &Ctx<'a>) -> FxHashMap<&'a str, Vec<&'a str>> {
    let mut out: FxHashMap<&'a str, Vec<&'a str>> = FxHashMap::default();
    for a in ctx.attachments() {
        let cens = out.entry(a.network.as_str()).or_default();
        if ctx.cen(&a.cen).is_some() && !cens.contains(&a.cen.as_str()) {
            cens.push(&a.cen);
        }
    }
    out
}

/// The office's name: its customer gateway's name, or the connection's.
fn office(ctx: &Ctx<'_>, conn: &IpsecConnection) -> String {
    if ctx.index.kind_of(&conn.customer_gateway) == Some(Kind::CustomerGateway) {
        ctx.name(&conn.customer_gateway).to_string()
    } else {
        ctx.name(&conn.id).to_string()
    }
}

/// Entity names, as `rules::list` writes them.
fn list_names(ctx: &Ctx<'_>, ids: &[&str]) -> String {
    super::list(ids, |id| ctx.name(id).to_string())
}

/// CEN-VPN-001: each office CIDR needs a system-table route to the VPN gateway, published when the VPC is attached.
/// `routes`: the VPC's route entries toward a VPN gateway, in plan order.
fn office_routes(
    ctx: &Ctx<'_>,
    demand: &Demand,
    holdings: &Holdings<'_>,
    routes: &[&RouteEntry],
    conn: &IpsecConnection,
    gw: &VpnGateway,
    out: &mut Vec<Finding>,
) {
    let vpc = gw.vpc.as_str();
    let (vpc_name, gw_name, office) = (ctx.name(vpc), ctx.name(&gw.id), office(ctx, conn));
    let to_gw: Vec<(&RouteEntry, Ipv4Net)> = routes
        .iter()
        .copied()
        .filter(|r| r.next_hop == gw.id)
        .filter_map(|r| parse_cidr(&r.destination).ok().map(|d| (r, d)))
        .collect();
    for cidr in conn.remote_cidrs.iter().filter_map(|c| parse_cidr(c).ok()) {
        let covering = |table: RouteTable| -> Vec<&RouteEntry> {
            let mut v: Vec<(&RouteEntry, Ipv4Net)> = to_gw
                .iter()
                .filter(|(r, d)| r.table == table && d.contains(&cidr))
                .copied()
                .collect();
            // Most specific first (the route that forwards), then plan order.
            v.sort_by_key(|(_, d)| std::cmp::Reverse(d.prefix_len()));
            v.into_iter().map(|(r, _)| r).collect()
        };
        let system = covering(RouteTable::System);
        let Some(best) = system.first() else {
            let custom = covering(RouteTable::Custom);
            let note = match custom.first() {
                Some(r) => format!(
                    " (route {} is in a custom route table: the office must be routed in the system table, the only one CEN reads)",
                    ctx.name(&r.id)
                ),
                None => String::new(),
            };
            let mut f = Finding::new(
                Code::CenVpn001,
                Severity::Error,
                Kind::IpsecConnection,
                &conn.id,
                format!(
                    "VPC {vpc_name} has no route for office {office} ({cidr}) to VPN gateway {gw_name} in its system route table{note}: VPC {vpc_name} cannot reach the office"
                ),
            )
            .field("remote_cidrs")
            .fix(format!(
                "Add a route entry {cidr} → VPN gateway {gw_name} to the system route table of VPC {vpc_name} (outside the plan, a destination route {cidr} → this IPsec connection with \"publish to VPC\" on adds the same route from the VPN console)."
            ))
            .related(Kind::Vpc, vpc)
            .related(Kind::VpnGateway, &gw.id);
            if let Some(r) = custom.first() {
                f = f.related(Kind::RouteEntry, &r.id);
            }
            out.push(f);
            continue;
        };
        if system.iter().any(|r| r.published) {
            continue;
        }
        for &cen in holdings.cens_of(vpc) {
            let others: Vec<&str> = ctx
                .attached_networks(cen)
                .iter()
                .filter(|n| n.id != vpc && demand.office_talks_with(&conn.id, n.id))
                .map(|n| n.id)
                .collect();
            if others.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    Code::CenVpn001,
                    Severity::Error,
                    Kind::RouteEntry,
                    &best.id,
                    format!(
                        "Route {} ({} → VPN gateway {gw_name}) in VPC {vpc_name} is not published to CEN {}: the other networks of the CEN ({}) cannot reach office {office} ({cidr})",
                        ctx.name(&best.id),
                        best.destination.trim(),
                        ctx.name(cen),
                        list_names(ctx, &others)
                    ),
                )
                .field("published")
                .fix(format!("Publish route {} to CEN (VPC route table, \"Publish\"; or PublishRouteEntries).", ctx.name(&best.id)))
                .related(Kind::IpsecConnection, &conn.id)
                .related(Kind::Cen, cen),
            );
        }
    }
}

/// What the office behind `conn` must reach, as the messages need it: everything (minus its own
/// CIDRs, each block once, in plan order) counted, the first few listed, and the same for what its
/// local selectors leave out (CEN-VPN-002). The destinations are visited once and never collected.
struct Reached<'a> {
    count: usize,
    first: Vec<Dest<'a>>,
    /// `None` when the local selectors are empty or do not parse (the integrity rules say so).
    missing: Option<(usize, Vec<Dest<'a>>)>,
}

impl<'a> Reached<'a> {
    /// The office's own CIDRs, its local selectors, and nothing reached yet (selectors that are empty or
    /// do not parse are the plan-integrity rules' to report: then nothing is checked against them).
    fn start(conn: &IpsecConnection) -> (Vec<Ipv4Net>, Vec<Ipv4Net>, Reached<'a>) {
        let own: Vec<Ipv4Net> = conn.remote_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).collect();
        let locals: Vec<Ipv4Net> = conn.local_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).collect();
        let check_locals = !locals.is_empty() && locals.len() == conn.local_cidrs.len();
        let r = Reached {
            count: 0,
            first: Vec::new(),
            missing: check_locals.then(|| (0, Vec::new())),
        };
        (own, locals, r)
    }

    /// Counts a destination (`uncovered`: outside the local selectors) and lists it if there is room.
    fn add(&mut self, d: &Dest<'a>, uncovered: bool) {
        self.count += 1;
        if self.first.len() < super::LIST_MAX {
            self.first.push(*d);
        }
        if let Some((n, first)) = &mut self.missing {
            if uncovered {
                *n += 1;
                if first.len() < super::LIST_MAX {
                    first.push(*d);
                }
            }
        }
    }
}

/// Which block numbers one office has met, cleared in O(1) per office.
struct Seen {
    stamp: Vec<u32>,
    epoch: u32,
}

impl Seen {
    fn new(len: usize) -> Seen {
        Seen {
            stamp: vec![0; len],
            epoch: 0,
        }
    }

    fn clear(&mut self) {
        self.epoch += 1;
    }

    /// Whether `id` was met since `clear`.
    fn has(&self, id: u32) -> bool {
        self.stamp[id as usize] == self.epoch
    }

    /// Whether `id` is met for the first time since `clear`.
    fn first(&mut self, id: u32) -> bool {
        let slot = &mut self.stamp[id as usize];
        let new = *slot != self.epoch;
        *slot = self.epoch;
        new
    }
}

/// "No position".
const NONE: u32 = u32::MAX;

/// The destinations every office on one CEN must reach through it: the blocks of the CEN's attached
/// networks in attachment order, each once, findable by block number and by address.
struct CenDests<'a> {
    dests: Vec<Dest<'a>>,
    /// By block number: its position in `dests`, or `NONE`.
    position: Vec<u32>,
    /// (start address and length, position), sorted.
    by_address: Vec<(u64, u32)>,
}

impl<'a> CenDests<'a> {
    fn new(ctx: &Ctx<'a>, holdings: &Holdings<'a>, cen: &str) -> CenDests<'a> {
        let mut dests = Vec::new();
        let mut position = vec![NONE; holdings.ids.len()];
        for n in ctx.attached_networks(cen) {
            for d in holdings.held(n.kind, n.id) {
                if position[d.id as usize] == NONE {
                    position[d.id as usize] = dests.len() as u32;
                    dests.push(*d);
                }
            }
        }
        let mut by_address: Vec<(u64, u32)> = dests.iter().zip(0..).map(|(d, i)| (address_key(d.net), i)).collect();
        by_address.sort_unstable();
        CenDests {
            dests,
            position,
            by_address,
        }
    }

    /// The positions of the destinations inside `outer`.
    fn inside(&self, outer: Ipv4Net) -> impl Iterator<Item = u32> + '_ {
        let start = self.by_address.partition_point(|&(k, _)| k < address_key(outer));
        let last = u64::from(u32::from(outer.broadcast())) << 8 | 0xff;
        self.by_address[start..]
            .iter()
            .take_while(move |&&(k, _)| k <= last)
            .filter(move |&&(k, _)| (k & 0xff) as u8 >= outer.prefix_len())
            .map(|&(_, p)| p)
    }
}

/// Sorts like (start address, prefix length).
fn address_key(net: Ipv4Net) -> u64 {
    u64::from(u32::from(net.network())) << 8 | u64::from(net.prefix_len())
}

/// What the office behind `conn` must reach (see `Reached`): its own VPC, then, for its one CEN,
/// that CEN's destinations (counted from `CenDests` without visiting them: only the few a message
/// lists are looked at) and the other offices on the CEN. An office whose VPC is on several CENs
/// visits every destination (`reached_by_visiting`), which is what this must equal.
fn reached<'a>(
    ctx: &Ctx<'a>,
    holdings: &'a Holdings<'a>,
    cen_dests: &FxHashMap<&str, CenDests<'a>>,
    conn: &'a IpsecConnection,
    gw: &'a VpnGateway,
    seen: &mut Seen,
    marks: &mut (Seen, Seen),
) -> Reached<'a> {
    let vpc = gw.vpc.as_str();
    let cens = holdings.cens_of(vpc);
    let (Some(cd), [cen]) = (cens.first().and_then(|c| cen_dests.get(c)), cens) else {
        return reached_by_visiting(ctx, holdings, conn, gw, seen, &|_| true);
    };
    let (own, locals, mut r) = Reached::start(conn);
    let outside_own = |d: &Dest<'_>| !own.iter().any(|o| o.contains(&d.net));
    let uncovered = |d: &Dest<'_>| !locals.iter().any(|l| l.contains(&d.net));
    seen.clear();
    // Its own VPC. `excluded`: the positions in `cd` met already or inside the office's own CIDRs.
    let (excluded, covered) = marks;
    excluded.clear();
    let mut excluded_count = 0;
    for d in holdings.held(NetKind::Vpc, vpc) {
        if seen.first(d.id) && outside_own(d) {
            r.add(d, uncovered(d));
        }
        if cd.position[d.id as usize] != NONE {
            excluded_count += usize::from(excluded.first(cd.position[d.id as usize]));
        }
    }
    // The CEN's networks: everything not already met and not inside the office's own CIDRs.
    for o in &own {
        for p in cd.inside(*o) {
            excluded_count += usize::from(excluded.first(p));
        }
    }
    let count = cd.dests.len() - excluded_count;
    let excluded = &*excluded;
    let listed = |p: &usize| !excluded.has(*p as u32);
    let first = r.first.len();
    r.first.extend(
        (0..cd.dests.len())
            .filter(listed)
            .map(|p| cd.dests[p])
            .take(super::LIST_MAX - first),
    );
    r.count += count;
    if let Some((n, first_missing)) = &mut r.missing {
        let missing = if locals.iter().any(|l| l.prefix_len() == 0) {
            0
        } else {
            covered.clear();
            let mut covered_count = 0;
            for l in &locals {
                for p in cd.inside(*l).filter(|p| !excluded.has(*p)) {
                    covered_count += usize::from(covered.first(p));
                }
            }
            count - covered_count
        };
        if missing > 0 {
            let room = super::LIST_MAX - first_missing.len();
            first_missing.extend(
                (0..cd.dests.len())
                    .filter(listed)
                    .map(|p| cd.dests[p])
                    .filter(|d| uncovered(d))
                    .take(room),
            );
        }
        *n += missing;
    }
    // The other offices on the CEN (a block the CEN's networks have is met already).
    let attached = holdings.attached.get(cen);
    for (other, other_vpc, cidrs) in holdings.offices.iter().filter(|(c, _, _)| c.id != conn.id) {
        if attached.is_some_and(|a| a.contains(other_vpc)) {
            for &(net, id) in cidrs {
                let d = Dest {
                    net,
                    id,
                    what: What::Office(other),
                };
                if cd.position[id as usize] == NONE && seen.first(id) && outside_own(&d) {
                    r.add(&d, uncovered(&d));
                }
            }
        }
    }
    r
}

/// `reached`, by visiting every destination in order; only those `keep` keeps count (with declared
/// flows: the ones a required flow joins the office to).
fn reached_by_visiting<'a>(
    ctx: &Ctx<'a>,
    holdings: &'a Holdings<'a>,
    conn: &'a IpsecConnection,
    gw: &'a VpnGateway,
    seen: &mut Seen,
    keep: &dyn Fn(&Dest<'a>) -> bool,
) -> Reached<'a> {
    let vpc = gw.vpc.as_str();
    let (own, locals, mut r) = Reached::start(conn);
    seen.clear();
    let mut visit = |d: &Dest<'a>| {
        if keep(d) && seen.first(d.id) && !own.iter().any(|o| o.contains(&d.net)) {
            r.add(d, !locals.iter().any(|l| l.contains(&d.net)));
        }
    };
    let held = |map: &'a FxHashMap<&'a str, Vec<Dest<'a>>>, net: &str| map.get(net).map_or(&[][..], Vec::as_slice);
    held(&holdings.vswitches, vpc).iter().for_each(&mut visit);
    for &cen in holdings.cens_of(vpc) {
        for n in ctx.attached_networks(cen).iter().filter(|n| n.id != vpc) {
            let map = match n.kind {
                NetKind::Vpc => &holdings.vswitches,
                NetKind::Vbr => &holdings.vbrs,
                NetKind::Ccn => &holdings.sags,
            };
            held(map, n.id).iter().for_each(&mut visit);
        }
        let Some(attached) = holdings.attached.get(cen) else { continue };
        for (other, other_vpc, cidrs) in holdings.offices.iter().filter(|(c, _, _)| c.id != conn.id) {
            if attached.contains(other_vpc) {
                for &(net, id) in cidrs {
                    visit(&Dest {
                        net,
                        id,
                        what: What::Office(other),
                    });
                }
            }
        }
    }
    r
}

/// Up to `LIST_MAX` destinations of `count`, then "and N more" (as `rules::list` writes a list).
fn list_first(ctx: &Ctx<'_>, first: &[Dest<'_>], count: usize) -> String {
    super::list_of(first.iter().map(|d| d.text(ctx)), count)
}

/// CEN-VPN-002: the local selectors cover every destination of the office.
fn selectors(ctx: &Ctx<'_>, dests: &Reached<'_>, conn: &IpsecConnection, gw: &VpnGateway, out: &mut Vec<Finding>) {
    let Some((count, missing)) = &dests.missing else { return };
    if *count == 0 {
        return;
    }
    out.push(
        Finding::new(
            Code::CenVpn002,
            Severity::Warning,
            Kind::IpsecConnection,
            &conn.id,
            format!(
                "The local CIDRs of IPsec connection {} (office {}) do not cover {}: traffic between the office and {} does not match the phase-2 selectors",
                ctx.name(&conn.id),
                office(ctx, conn),
                list_first(ctx, missing, *count),
                if *count == 1 { "it" } else { "them" }
            ),
        )
        .field("local_cidrs")
        .fix("Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).")
        .related(Kind::VpnGateway, &gw.id),
    );
}

/// CEN-VPN-003: more than one CIDR on a side needs IKEv2; at most five per side.
fn ike(ctx: &Ctx<'_>, conn: &IpsecConnection, out: &mut Vec<Finding>) {
    let count = |v: &[String]| v.iter().filter(|c| !c.trim().is_empty()).count();
    let (local, remote) = (count(&conn.local_cidrs), count(&conn.remote_cidrs));
    let name = ctx.name(&conn.id);
    for (n, field, side) in [(local, "local_cidrs", "local"), (remote, "remote_cidrs", "remote")] {
        if n > MAX_CIDRS_PER_SIDE {
            out.push(
                Finding::new(
                    Code::CenVpn003,
                    Severity::Error,
                    Kind::IpsecConnection,
                    &conn.id,
                    format!("IPsec connection {name} has {n} {side} CIDRs: at most {MAX_CIDRS_PER_SIDE} are allowed per side"),
                )
                .field(field)
                .fix(format!(
                    "Summarise the {side} CIDRs into at most {MAX_CIDRS_PER_SIDE} blocks (or 0.0.0.0/0 for the local side), or split the office over several connections."
                )),
            );
        }
    }
    if conn.ike_version == IkeVersion::V1 && (local > 1 || remote > 1) {
        out.push(
            Finding::new(
                Code::CenVpn003,
                Severity::Error,
                Kind::IpsecConnection,
                &conn.id,
                format!("IPsec connection {name} uses IKEv1 with {local} local and {remote} remote CIDRs: more than one CIDR on a side needs IKEv2"),
            )
            .field("ike_version")
            .fix("Use IKEv2 (the office device must support it), or reduce each side to one CIDR (for example local 0.0.0.0/0)."),
        );
    }
}

/// CEN-VPN-004: a reminder per office of the CPE routes it needs, and one static public IP per office.
fn cpe_reminders(ctx: &Ctx<'_>, dests_of: &FxHashMap<&str, Reached<'_>>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    for cgw in &plan.customer_gateways {
        let mut parts = Vec::new();
        let mut related = Vec::new();
        for conn in plan.ipsec_connections.iter().filter(|c| c.customer_gateway == cgw.id) {
            let Some(gw) = gateway(ctx, &conn.vpn_gateway) else { continue };
            if !is_vpc(ctx, &gw.vpc) {
                continue;
            }
            let what = match dests_of.get(conn.id.as_str()) {
                Some(d) if d.count > 0 => list_first(ctx, &d.first, d.count),
                _ => format!("the addresses of VPC {}", ctx.name(&gw.vpc)),
            };
            parts.push(format!(
                "to VPN gateway {} (IPsec connection {}): {what}",
                ctx.name(&gw.id),
                ctx.name(&conn.id)
            ));
            related.push((Kind::IpsecConnection, conn.id.as_str()));
            related.push((Kind::VpnGateway, gw.id.as_str()));
        }
        if parts.is_empty() {
            continue;
        }
        let mut f = Finding::new(
            Code::CenVpn004,
            Severity::Info,
            Kind::CustomerGateway,
            &cgw.id,
            format!(
                "The office device of {} must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: {}",
                ctx.name(&cgw.id),
                parts.join("; ")
            ),
        )
        .fix("On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).")
        .outside_plan();
        let mut seen = HashSet::new();
        for (k, id) in related {
            if seen.insert(id) {
                f = f.related(k, id);
            }
        }
        out.push(f);
    }
    // One static public IP per office: the same address registered twice in a region is a duplicate
    // registration or a typo (an inference: the rulebook asks for one customer gateway per office).
    let mut first: BTreeMap<(&str, std::net::Ipv4Addr), &str> = BTreeMap::new();
    for cgw in &plan.customer_gateways {
        let Ok(ip) = parse_ip(&cgw.public_ip) else { continue };
        match first.get(&(cgw.region.as_str(), ip)) {
            Some(other) => out.push(
                Finding::new(
                    Code::CenVpn004,
                    Severity::Warning,
                    Kind::CustomerGateway,
                    &cgw.id,
                    format!(
                        "Customer gateways {} and {} in region {} have the same public IP {ip}: each office needs its own static public IP registered once as a customer gateway",
                        ctx.name(other),
                        ctx.name(&cgw.id),
                        cgw.region
                    ),
                )
                .field("public_ip")
                .fix("Correct the public IP, or use one customer gateway for both IPsec connections of that office.")
                .related(Kind::CustomerGateway, other),
            ),
            None => {
                first.insert((cgw.region.as_str(), ip), &cgw.id);
            }
        }
    }
}

/// CEN-VPN-005: connections and routes per VPN gateway, customer gateways per region, VPN gateways per account.
fn limits(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    for gw in &plan.vpn_gateways {
        let conns: Vec<&IpsecConnection> = plan.ipsec_connections.iter().filter(|c| c.vpn_gateway == gw.id).collect();
        let name = ctx.name(&gw.id);
        if conns.len() > MAX_CONNECTIONS_PER_GATEWAY {
            let mut f = Finding::new(
                Code::CenVpn005,
                Severity::Error,
                Kind::VpnGateway,
                &gw.id,
                format!(
                    "VPN gateway {name} has {} IPsec connections: at most {MAX_CONNECTIONS_PER_GATEWAY} are allowed per VPN gateway",
                    conns.len()
                ),
            )
            .fix("Move some offices to another VPN gateway (in another VPC attached to the CEN).");
            for c in &conns[MAX_CONNECTIONS_PER_GATEWAY..] {
                f = f.related(Kind::IpsecConnection, &c.id);
            }
            out.push(f);
        }
        let mut office_cidrs: Vec<Ipv4Net> = conns
            .iter()
            .flat_map(|c| c.remote_cidrs.iter())
            .filter_map(|c| parse_cidr(c).ok())
            .collect();
        office_cidrs.sort_unstable();
        office_cidrs.dedup();
        if office_cidrs.len() > MAX_DESTINATION_ROUTES {
            out.push(
                Finding::new(
                    Code::CenVpn005,
                    Severity::Warning,
                    Kind::VpnGateway,
                    &gw.id,
                    format!(
                        "VPN gateway {name} serves {} office CIDRs: it holds at most {MAX_DESTINATION_ROUTES} destination-based routes (and {MAX_DESTINATION_ROUTES} policy-based routes, which win over destination routes)",
                        office_cidrs.len()
                    ),
                )
                .fix("Summarise office CIDRs, use policy-based routes for the rest, or spread the offices over several VPN gateways."),
            );
        }
    }
    let mut per_region: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for g in &plan.customer_gateways {
        if !g.region.trim().is_empty() {
            per_region.entry(g.region.as_str()).or_default().push(&g.id);
        }
    }
    for (region, ids) in per_region {
        if let Some(extra) = ids.get(MAX_CUSTOMER_GATEWAYS_PER_REGION) {
            out.push(
                Finding::new(
                    Code::CenVpn005,
                    Severity::Warning,
                    Kind::CustomerGateway,
                    extra,
                    format!(
                        "Region {region} has {} customer gateways: the default quota is {MAX_CUSTOMER_GATEWAYS_PER_REGION} per account per region",
                        ids.len()
                    ),
                )
                .fix("Request a quota increase, or share customer gateways between connections of the same office."),
            );
        }
    }
    let mut per_account: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for g in &plan.vpn_gateways {
        if let Some(v) = plan.vpcs.iter().find(|v| v.id == g.vpc) {
            if !v.owner.trim().is_empty() {
                per_account.entry(v.owner.as_str()).or_default().push(&g.id);
            }
        }
    }
    for (owner, ids) in per_account {
        if let Some(extra) = ids.get(MAX_VPN_GATEWAYS_PER_ACCOUNT) {
            out.push(
                Finding::new(
                    Code::CenVpn005,
                    Severity::Warning,
                    Kind::VpnGateway,
                    extra,
                    format!(
                        "Account {} owns {} VPN gateways (through its VPCs): the default quota is {MAX_VPN_GATEWAYS_PER_ACCOUNT} per account",
                        ctx.name(owner),
                        ids.len()
                    ),
                )
                .fix("Request a quota increase, or serve several offices from one VPN gateway (up to 10 connections each).")
                .related(Kind::Account, owner),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{gateway, is_vpc, reached, reached_by_visiting, CenDests, Holdings, Reached, Seen};
    use crate::core::catalog::CcnArea;
    use crate::core::dataplane::DataPlane;
    use crate::core::facts::Ctx;
    use crate::core::findings::{Finding, Severity};
    use crate::core::model::Plan;
    use crate::core::model::{IkeVersion, NextHopType};
    use crate::core::testing::{check_codes, check_where, plan, PlanBuilder};
    use expect_test::expect;
    use rustc_hash::FxHashMap;

    /// VPC1 (172.16.1.0/24) with VPN gateway G1 and office O1 (10.10.10.0/24, local 0.0.0.0/0),
    /// VPC2 (192.168.1.0/24), both attached to CEN C; no route to the office yet.
    fn office() -> PlanBuilder {
        plan()
            .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
            .name("VPC1")
            .vpc("v2", "cn-hangzhou", "192.168.0.0/16")
            .name("VPC2")
            .vswitch("s1", "v1", "172.16.1.0/24")
            .vswitch("s2", "v2", "192.168.1.0/24")
            .vpn_gateway("g1", "v1")
            .name("G1")
            .mbps(10)
            .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
            .name("Office 1")
            .ipsec("k1", "g1", "o1", &["0.0.0.0/0"], &["10.10.10.0/24"])
            .cen("c")
            .name("C")
            .overlapping()
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
    }

    /// The office with its route in VPC1's system table, published.
    fn base() -> PlanBuilder {
        office()
            .route("r1", "v1", "10.10.10.0/24", NextHopType::VpnGateway, "g1")
            .published()
    }

    /// The VPN findings that are not notes.
    fn not_info(f: &Finding) -> bool {
        f.code.as_str().starts_with("CEN-VPN") && f.severity != Severity::Info
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_complete_office_has_only_the_cpe_reminder() {
        check_codes(
            &base().build(),
            &["CEN-VPN"],
            expect![[r#"
                info CEN-VPN-004 o1: The office device of Office 1 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway G1 (IPsec connection k1): 172.16.1.0/24 (vSwitch s1 of VPC VPC1), 192.168.1.0/24 (vSwitch s2 of VPC VPC2)
                  fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
                  related: k1, g1
            "#]],
        );
    }

    #[test]
    fn a_missing_office_route_is_an_error_on_the_connection() {
        check_where(
            &office().build(),
            not_info,
            expect![[r#"
                error CEN-VPN-001 k1.remote_cidrs: VPC VPC1 has no route for office Office 1 (10.10.10.0/24) to VPN gateway G1 in its system route table: VPC VPC1 cannot reach the office
                  fix: Add a route entry 10.10.10.0/24 → VPN gateway G1 to the system route table of VPC VPC1 (outside the plan, a destination route 10.10.10.0/24 → this IPsec connection with "publish to VPC" on adds the same route from the VPN console).
                  related: v1, g1
            "#]],
        );
        // A route in a custom table does not count, and the message says so.
        let p = office()
            .route("r1", "v1", "10.10.0.0/16", NextHopType::VpnGateway, "g1")
            .custom_table()
            .build();
        check_codes(
            &p,
            &["CEN-VPN-001"],
            expect![[r#"
                error CEN-VPN-001 k1.remote_cidrs: VPC VPC1 has no route for office Office 1 (10.10.10.0/24) to VPN gateway G1 in its system route table (route r1 is in a custom route table: the office must be routed in the system table, the only one CEN reads): VPC VPC1 cannot reach the office
                  fix: Add a route entry 10.10.10.0/24 → VPN gateway G1 to the system route table of VPC VPC1 (outside the plan, a destination route 10.10.10.0/24 → this IPsec connection with "publish to VPC" on adds the same route from the VPN console).
                  related: v1, g1, r1
            "#]],
        );
    }

    #[test]
    fn a_covering_route_counts() {
        let mut p = base().build();
        p.route_entries[0].destination = "10.10.0.0/16".into();
        check_where(&p, not_info, expect![[""]]);
    }

    #[test]
    fn an_unpublished_office_route_is_an_error_only_when_other_networks_are_attached() {
        let mut p = base().build();
        p.route_entries[0].published = false;
        check_where(
            &p,
            not_info,
            expect![[r#"
                error CEN-VPN-001 r1.published: Route r1 (10.10.10.0/24 → VPN gateway G1) in VPC VPC1 is not published to CEN C: the other networks of the CEN (VPC2) cannot reach office Office 1 (10.10.10.0/24)
                  fix: Publish route r1 to CEN (VPC route table, "Publish"; or PublishRouteEntries).
                  related: k1, c
            "#]],
        );
        // VPC1 alone in the CEN: nobody else needs the route.
        p.attachments.truncate(1);
        check_where(&p, not_info, expect![[""]]);
    }

    #[test]
    fn narrow_selectors_warn_with_what_is_missing() {
        let mut p = base().build();
        p.ipsec_connections[0].local_cidrs = strings(&["172.16.0.0/16"]);
        check_codes(
            &p,
            &["CEN-VPN-002"],
            expect![[r#"
                warning CEN-VPN-002 k1.local_cidrs: The local CIDRs of IPsec connection k1 (office Office 1) do not cover 192.168.1.0/24 (vSwitch s2 of VPC VPC2): traffic between the office and it does not match the phase-2 selectors
                  fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
                  related: g1
            "#]],
        );
        // Not attached: only its own VPC must be covered.
        p.attachments.clear();
        check_where(&p, not_info, expect![[""]]);
    }

    #[test]
    fn selectors_must_cover_other_offices_vbrs_and_branches_of_the_cen() {
        let mut p = base()
            .vbr("b1", "cn-hangzhou", &["10.1.0.0/24"])
            .ccn("n1", CcnArea::MainlandChina)
            .sag("sg1", "n1", &["10.2.0.0/24"])
            .vpn_gateway("g2", "v2")
            .customer_gateway("o2", "cn-hangzhou", "203.0.113.2")
            .ipsec("k2", "g2", "o2", &["0.0.0.0/0"], &["10.20.0.0/24"])
            .route("r2", "v2", "10.20.0.0/24", NextHopType::VpnGateway, "g2")
            .published()
            .attach("t3", "c", "b1")
            .attach("t4", "c", "n1")
            .build();
        p.ipsec_connections[0].local_cidrs = strings(&["172.16.0.0/16", "192.168.0.0/16"]);
        // Its own CIDR (10.10.10.0/24) is not a destination.
        check_codes(
            &p,
            &["CEN-VPN-002"],
            expect![[r#"
                warning CEN-VPN-002 k1.local_cidrs: The local CIDRs of IPsec connection k1 (office Office 1) do not cover 10.1.0.0/24 (data centre behind VBR b1), 10.2.0.0/24 (SAG branch sg1 of CCN n1), 10.20.0.0/24 (office o2): traffic between the office and them does not match the phase-2 selectors
                  fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
                  related: g1
            "#]],
        );
    }

    #[test]
    fn several_cidrs_need_ikev2_and_at_most_five_per_side() {
        let mut p = base().build();
        p.ipsec_connections[0].ike_version = IkeVersion::V1;
        // One CIDR per side is fine with IKEv1.
        check_where(&p, not_info, expect![[""]]);
        p.ipsec_connections[0].remote_cidrs = strings(&["10.10.10.0/24", "10.10.11.0/24"]);
        p.route_entries[0].destination = "10.10.0.0/16".into();
        check_codes(
            &p,
            &["CEN-VPN-003"],
            expect![[r#"
                error CEN-VPN-003 k1.ike_version: IPsec connection k1 uses IKEv1 with 1 local and 2 remote CIDRs: more than one CIDR on a side needs IKEv2
                  fix: Use IKEv2 (the office device must support it), or reduce each side to one CIDR (for example local 0.0.0.0/0).
            "#]],
        );
        p.ipsec_connections[0].ike_version = IkeVersion::V2;
        p.ipsec_connections[0].remote_cidrs = (0..6).map(|i| format!("10.10.{i}.0/24")).collect();
        check_codes(
            &p,
            &["CEN-VPN-003"],
            expect![[r#"
                error CEN-VPN-003 k1.remote_cidrs: IPsec connection k1 has 6 remote CIDRs: at most 5 are allowed per side
                  fix: Summarise the remote CIDRs into at most 5 blocks (or 0.0.0.0/0 for the local side), or split the office over several connections.
            "#]],
        );
    }

    #[test]
    fn cpe_reminder_only_for_customer_gateways_with_connections_and_duplicate_ips_warn() {
        let mut p = base().customer_gateway("o2", "cn-hangzhou", "203.0.113.9").build();
        check_codes(
            &p,
            &["CEN-VPN-004"],
            expect![[r#"
                info CEN-VPN-004 o1: The office device of Office 1 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway G1 (IPsec connection k1): 172.16.1.0/24 (vSwitch s1 of VPC VPC1), 192.168.1.0/24 (vSwitch s2 of VPC VPC2)
                  fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
                  related: k1, g1
            "#]],
        );
        p.customer_gateways[1].public_ip = "203.0.113.1".into();
        check_where(
            &p,
            not_info,
            expect![[r#"
                warning CEN-VPN-004 o2.public_ip: Customer gateways Office 1 and o2 in region cn-hangzhou have the same public IP 203.0.113.1: each office needs its own static public IP registered once as a customer gateway
                  fix: Correct the public IP, or use one customer gateway for both IPsec connections of that office.
                  related: o1
            "#]],
        );
        // The same office may register its address in another region.
        p.customer_gateways[1].region = "cn-shanghai".into();
        check_where(&p, not_info, expect![[""]]);
    }

    #[test]
    fn vpn_limits() {
        // Eleven offices on one VPN gateway.
        let mut b = base().with(|p| {
            p.customer_gateways.clear();
            p.ipsec_connections.clear();
            p.route_entries[0].destination = "10.10.0.0/16".into();
        });
        for i in 0..11 {
            let (o, k) = (format!("o{i}"), format!("k{i}"));
            b = b.customer_gateway(&o, "cn-hangzhou", &format!("203.0.113.{}", i + 1)).ipsec(
                &k,
                "g1",
                &o,
                &["0.0.0.0/0"],
                &[&format!("10.10.{i}.0/24")],
            );
        }
        let mut p = b.build();
        check_where(
            &p,
            not_info,
            expect![[r#"
                error CEN-VPN-005 g1: VPN gateway G1 has 11 IPsec connections: at most 10 are allowed per VPN gateway
                  fix: Move some offices to another VPN gateway (in another VPC attached to the CEN).
                  related: k10
            "#]],
        );
        // Ten connections are fine.
        p.ipsec_connections.pop();
        check_where(&p, not_info, expect![[""]]);
        // Five connections with five office CIDRs each: 25 routes on one VPN gateway.
        let mut b = base().with(|p| {
            p.ipsec_connections.clear();
            p.route_entries[0].destination = "10.10.0.0/16".into();
        });
        for i in 0..5 {
            let remote: Vec<String> = (0..5).map(|j| format!("10.10.{}.0/24", i * 5 + j)).collect();
            let remote: Vec<&str> = remote.iter().map(String::as_str).collect();
            b = b.ipsec(&format!("k{i}"), "g1", "o1", &["0.0.0.0/0"], &remote);
        }
        check_where(
            &b.build(),
            not_info,
            expect![[r#"
                warning CEN-VPN-005 g1: VPN gateway G1 serves 25 office CIDRs: it holds at most 20 destination-based routes (and 20 policy-based routes, which win over destination routes)
                  fix: Summarise office CIDRs, use policy-based routes for the rest, or spread the offices over several VPN gateways.
            "#]],
        );
        // 31 VPN gateways in VPCs of one account.
        let p = (0..31).fold(base(), |b, i| b.vpn_gateway(&format!("gw{i}"), "v2")).build();
        check_where(
            &p,
            not_info,
            expect![[r#"
                warning CEN-VPN-005 gw29: Account a owns 32 VPN gateways (through its VPCs): the default quota is 30 per account
                  fix: Request a quota increase, or serve several offices from one VPN gateway (up to 10 connections each).
                  related: a
            "#]],
        );
        // 101 customer gateways in a region.
        let p = (0..100)
            .fold(base(), |b, i| {
                b.customer_gateway(&format!("x{i}"), "cn-hangzhou", &format!("198.51.{}.{}", i / 200, i % 200 + 1))
            })
            .build();
        check_where(
            &p,
            not_info,
            expect![[r#"
                warning CEN-VPN-005 x99: Region cn-hangzhou has 101 customer gateways: the default quota is 100 per account per region
                  fix: Request a quota increase, or share customer gateways between connections of the same office.
            "#]],
        );
    }

    /// What `reached` answers, comparable.
    type Summary = (usize, Vec<u32>, Option<(usize, Vec<u32>)>);
    fn summary(r: &Reached<'_>) -> Summary {
        let ids = |v: &[super::Dest<'_>]| v.iter().map(|d| d.id).collect::<Vec<_>>();
        (r.count, ids(&r.first), r.missing.as_ref().map(|(n, f)| (*n, ids(f))))
    }

    /// Counting each CEN's destinations once gives what visiting every destination gives, on the
    /// examples and on generated plans, with selectors that cover everything, some or nothing.
    #[test]
    fn counting_per_cen_equals_visiting_every_destination() {
        let mut plans: Vec<Plan> = crate::core::examples::EXAMPLES
            .iter()
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .collect();
        let typical = crate::core::generate::generate(&crate::core::generate::GenOptions::typical());
        for locals in [
            None,
            Some(vec!["10.0.0.0/9".to_string(), "172.16.0.0/12".into()]),
            Some(vec!["10.0.0.0/11".to_string(), "172.20.0.0/14".into()]),
            Some(vec!["192.0.2.0/24".into()]),
        ] {
            let mut p = typical.clone();
            if let Some(l) = &locals {
                for c in &mut p.ipsec_connections {
                    c.local_cidrs = l.clone();
                    // An office whose own CIDRs cover part of the plan.
                    c.remote_cidrs.push("10.64.0.0/10".into());
                }
            }
            plans.push(p);
        }
        let (mut offices, mut partly_covered) = (0, 0);
        for plan in &plans {
            let dp = DataPlane::new(Ctx::new(plan));
            let ctx = &dp.ctx;
            let holdings = Holdings::new(ctx);
            let cen_dests: FxHashMap<&str, CenDests<'_>> = plan
                .cens
                .iter()
                .map(|c| (c.id.as_str(), CenDests::new(ctx, &holdings, &c.id)))
                .collect();
            let mut seen = Seen::new(holdings.ids.len());
            let mut marks = (Seen::new(holdings.ids.len()), Seen::new(holdings.ids.len()));
            for conn in &plan.ipsec_connections {
                let Some(gw) = gateway(ctx, &conn.vpn_gateway).filter(|g| is_vpc(ctx, &g.vpc)) else {
                    continue;
                };
                let fast = reached(ctx, &holdings, &cen_dests, conn, gw, &mut seen, &mut marks);
                let slow = reached_by_visiting(ctx, &holdings, conn, gw, &mut seen, &|_| true);
                assert_eq!(summary(&fast), summary(&slow), "{} in {}", conn.id, plan.name);
                offices += usize::from(holdings.cens_of(&gw.vpc).len() == 1);
                partly_covered += usize::from(fast.missing.as_ref().is_some_and(|(n, _)| *n > 0 && *n < fast.count));
            }
        }
        assert!(offices > 20, "only {offices} offices on one CEN");
        assert!(
            partly_covered > 5,
            "only {partly_covered} offices with selectors covering part of what they reach"
        );
    }
}
