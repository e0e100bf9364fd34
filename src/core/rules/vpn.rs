//! VPN gateways, IPsec connections and offices published into CEN (CEN-VPN-*).
//!
//! An office is an IPsec connection: its VPN gateway sits in a VPC, its customer gateway is the
//! office device, its `remote_cidrs` are the office's CIDRs and its `local_cidrs` the Alibaba-side
//! selectors. The chain an office needs (rulebook CEN-VPN-001): a route for each office CIDR to the
//! VPN gateway in the VPC's system table, published to CEN when the VPC is attached; selectors that
//! cover everything the office must reach (002, with IKEv2 for several CIDRs: 003); CPE routes on
//! the office side (004, a reminder: the plan does not model them); and the VPN quotas (005).
//! With no explicit flows in the plan, an office must reach its own VPC and, when that VPC is
//! attached to a CEN, every network and every other office of that CEN.

use crate::core::cidr::{parse_cidr, parse_ip};
use crate::core::facts::{Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
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
/// Items listed in a message before "and N more".
const LIST_MAX: usize = 8;

/// A destination an office must reach, with what it is.
#[derive(Clone, Copy)]
struct Dest<'a> {
    net: Ipv4Net,
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

/// The destinations each network offers, parsed once per check, by network id, in plan order:
/// vSwitches of a VPC, on-premises CIDRs of a VBR, SAG CIDRs of a CCN; and every office.
#[derive(Default)]
struct Holdings<'a> {
    vswitches: FxHashMap<&'a str, Vec<Dest<'a>>>,
    vbrs: FxHashMap<&'a str, Vec<Dest<'a>>>,
    sags: FxHashMap<&'a str, Vec<Dest<'a>>>,
    /// Every IPsec connection with the VPC of its gateway and its parsed remote CIDRs, in plan order.
    offices: Vec<(&'a IpsecConnection, &'a str, Vec<Ipv4Net>)>,
    /// The networks attached to each CEN, as a set.
    attached: FxHashMap<&'a str, FxHashSet<&'a str>>,
}

impl<'a> Holdings<'a> {
    fn new(ctx: &Ctx<'a>) -> Holdings<'a> {
        let mut h = Holdings::default();
        for s in &ctx.plan.vswitches {
            if let Ok(net) = parse_cidr(&s.cidr) {
                let what = What::VSwitch {
                    vswitch: &s.id,
                    vpc: &s.vpc,
                };
                h.vswitches.entry(s.vpc.as_str()).or_default().push(Dest { net, what });
            }
        }
        for v in &ctx.plan.vbrs {
            let list = h.vbrs.entry(v.id.as_str()).or_default();
            list.extend(v.idc_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).map(|net| Dest {
                net,
                what: What::Vbr(&v.id),
            }));
        }
        for s in &ctx.plan.sags {
            let list = h.sags.entry(s.ccn.as_str()).or_default();
            let what = What::Sag { sag: &s.id, ccn: &s.ccn };
            list.extend(s.cidrs.iter().filter_map(|c| parse_cidr(c).ok()).map(|net| Dest { net, what }));
        }
        for c in &ctx.plan.ipsec_connections {
            if let Some(g) = gateway(ctx, &c.vpn_gateway) {
                h.offices
                    .push((c, &g.vpc, c.remote_cidrs.iter().filter_map(|r| parse_cidr(r).ok()).collect()));
            }
        }
        for cen in &ctx.plan.cens {
            h.attached
                .insert(&cen.id, ctx.attached_networks(&cen.id).iter().map(|n| n.id).collect());
        }
        h
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let holdings = Holdings::new(ctx);
    // What each office must reach, computed once and read by CEN-VPN-002 and CEN-VPN-004.
    let mut dests_of: FxHashMap<&str, Vec<Dest<'_>>> = FxHashMap::default();
    for conn in &ctx.plan.ipsec_connections {
        let Some(gw) = gateway(ctx, &conn.vpn_gateway) else { continue };
        if !ctx.plan.vpcs.iter().any(|v| v.id == gw.vpc) {
            continue;
        }
        let dests = dests_of.entry(&conn.id).or_insert_with(|| destinations(ctx, &holdings, conn, gw));
        office_routes(ctx, conn, gw, out);
        selectors(ctx, dests, conn, gw, out);
        ike(ctx, conn, out);
    }
    cpe_reminders(ctx, &dests_of, out);
    limits(ctx, out);
}

fn gateway<'a>(ctx: &Ctx<'a>, id: &str) -> Option<&'a VpnGateway> {
    ctx.plan.vpn_gateways.iter().find(|g| g.id == id)
}

/// The CENs (ids) a network is attached to, each once, in plan order.
fn cens_of<'a>(ctx: &Ctx<'a>, network: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for a in ctx.plan.attachments.iter().filter(|a| a.network == network) {
        if ctx.cen(&a.cen).is_some() && !out.contains(&a.cen.as_str()) {
            out.push(&a.cen);
        }
    }
    out
}

/// The office's name: its customer gateway's name, or the connection's.
fn office(ctx: &Ctx<'_>, conn: &IpsecConnection) -> String {
    if ctx.index.kind_of(&conn.customer_gateway) == Some(Kind::CustomerGateway) {
        ctx.name(&conn.customer_gateway)
    } else {
        ctx.name(&conn.id)
    }
}

fn list(items: &[String]) -> String {
    let mut s = items.iter().take(LIST_MAX).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > LIST_MAX {
        s.push_str(&format!(" and {} more", items.len() - LIST_MAX));
    }
    s
}

/// CEN-VPN-001: each office CIDR needs a system-table route to the VPN gateway, published when the VPC is attached.
fn office_routes(ctx: &Ctx<'_>, conn: &IpsecConnection, gw: &VpnGateway, out: &mut Vec<Finding>) {
    let vpc = gw.vpc.as_str();
    let (vpc_name, gw_name, office) = (ctx.name(vpc), ctx.name(&gw.id), office(ctx, conn));
    let to_gw: Vec<(&RouteEntry, Ipv4Net)> = ctx
        .plan
        .route_entries
        .iter()
        .filter(|r| r.network == vpc && r.next_hop_type == NextHopType::VpnGateway && r.next_hop == gw.id)
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
                "Add a destination route {cidr} → this IPsec connection on VPN gateway {gw_name} with \"publish to VPC\" on, or add a route entry {cidr} → VPN gateway {gw_name} to the system route table of VPC {vpc_name}."
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
        for cen in cens_of(ctx, vpc) {
            let others: Vec<String> = ctx
                .attached_networks(cen)
                .iter()
                .filter(|n| n.id != vpc)
                .map(|n| ctx.name(n.id))
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
                        list(&others)
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

/// Everything the office behind `conn` must reach, minus its own CIDRs, each block once (plan order).
fn destinations<'a>(ctx: &Ctx<'a>, holdings: &Holdings<'a>, conn: &IpsecConnection, gw: &'a VpnGateway) -> Vec<Dest<'a>> {
    let vpc = gw.vpc.as_str();
    let held = |map: &FxHashMap<&'a str, Vec<Dest<'a>>>, net: &str| map.get(net).map_or(&[][..], Vec::as_slice).to_vec();
    let mut dests: Vec<Dest<'a>> = held(&holdings.vswitches, vpc);
    for cen in cens_of(ctx, vpc) {
        for n in ctx.attached_networks(cen).iter().filter(|n| n.id != vpc) {
            let map = match n.kind {
                NetKind::Vpc => &holdings.vswitches,
                NetKind::Vbr => &holdings.vbrs,
                NetKind::Ccn => &holdings.sags,
            };
            dests.extend_from_slice(map.get(n.id).map_or(&[][..], Vec::as_slice));
        }
        let Some(attached) = holdings.attached.get(cen) else { continue };
        for (other, other_vpc, cidrs) in holdings.offices.iter().filter(|(c, _, _)| c.id != conn.id) {
            if attached.contains(other_vpc) {
                dests.extend(cidrs.iter().map(|&net| Dest {
                    net,
                    what: What::Office(other),
                }));
            }
        }
    }
    let own: Vec<Ipv4Net> = conn.remote_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).collect();
    let mut seen = FxHashSet::default();
    dests.retain(|d| !own.iter().any(|o| o.contains(&d.net)) && seen.insert(d.net));
    dests
}

/// CEN-VPN-002: the local selectors cover every destination of the office.
fn selectors(ctx: &Ctx<'_>, dests: &[Dest<'_>], conn: &IpsecConnection, gw: &VpnGateway, out: &mut Vec<Finding>) {
    let locals: Vec<Ipv4Net> = conn.local_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).collect();
    // Empty or unparsable selectors are reported by the plan-integrity rules.
    if locals.is_empty() || locals.len() != conn.local_cidrs.len() {
        return;
    }
    let missing: Vec<String> = dests
        .iter()
        .filter(|d| !locals.iter().any(|l| l.contains(&d.net)))
        .map(|d| d.text(ctx))
        .collect();
    if missing.is_empty() {
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
                list(&missing),
                if missing.len() == 1 { "it" } else { "them" }
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
fn cpe_reminders(ctx: &Ctx<'_>, dests_of: &FxHashMap<&str, Vec<Dest<'_>>>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    for cgw in &plan.customer_gateways {
        let mut parts = Vec::new();
        let mut related = Vec::new();
        for conn in plan.ipsec_connections.iter().filter(|c| c.customer_gateway == cgw.id) {
            let Some(gw) = gateway(ctx, &conn.vpn_gateway) else { continue };
            if !plan.vpcs.iter().any(|v| v.id == gw.vpc) {
                continue;
            }
            let dests = dests_of.get(conn.id.as_str()).map_or(&[][..], Vec::as_slice);
            let what = if dests.is_empty() {
                format!("the addresses of VPC {}", ctx.name(&gw.vpc))
            } else {
                // As `list`, writing only the items shown.
                let shown: Vec<String> = dests.iter().take(LIST_MAX).map(|d| d.text(ctx)).collect();
                let mut s = shown.join(", ");
                if dests.len() > LIST_MAX {
                    s.push_str(&format!(" and {} more", dests.len() - LIST_MAX));
                }
                s
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
        .fix("On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).");
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
    use crate::core::findings::{Finding, Severity};
    use crate::core::format::from_json;
    use crate::core::rules::check;
    use serde_json::{json, Value};

    /// VPC1 (172.16.1.0/24) with VPN gateway G1 and office O1 (10.10.10.0/24, local 0.0.0.0/0, route published),
    /// VPC2 (192.168.1.0/24), both attached to CEN C.
    fn base() -> Value {
        json!({
            "accounts": [{"id": "a", "uid": "1"}],
            "vpcs": [
                {"id": "v1", "name": "VPC1", "owner": "a", "region": "cn-hangzhou", "cidr": "172.16.0.0/16"},
                {"id": "v2", "name": "VPC2", "owner": "a", "region": "cn-hangzhou", "cidr": "192.168.0.0/16"}
            ],
            "vswitches": [
                {"id": "s1", "vpc": "v1", "cidr": "172.16.1.0/24"},
                {"id": "s2", "vpc": "v2", "cidr": "192.168.1.0/24"}
            ],
            "vpn_gateways": [{"id": "g1", "name": "G1", "vpc": "v1", "bandwidth_mbps": 10}],
            "customer_gateways": [{"id": "o1", "name": "Office 1", "region": "cn-hangzhou", "public_ip": "203.0.113.1"}],
            "ipsec_connections": [{"id": "k1", "vpn_gateway": "g1", "customer_gateway": "o1",
                "local_cidrs": ["0.0.0.0/0"], "remote_cidrs": ["10.10.10.0/24"], "ike_version": "v2"}],
            "route_entries": [{"id": "r1", "network": "v1", "destination": "10.10.10.0/24",
                "next_hop_type": "vpn_gateway", "next_hop": "g1", "table": "system", "published": true}],
            "cens": [{"id": "c", "name": "C", "owner": "a", "overlapping_routes": true}],
            "attachments": [{"id": "t1", "cen": "c", "network": "v1"}, {"id": "t2", "cen": "c", "network": "v2"}]
        })
    }

    fn run(plan: &Value) -> Vec<Finding> {
        let text = json!({"format": "cen-planner-plan", "version": 1, "plan": plan}).to_string();
        check(&from_json(&text).unwrap())
            .findings
            .into_iter()
            .filter(|f| f.code.as_str().starts_with("CEN-VPN"))
            .collect()
    }

    fn codes(plan: &Value) -> Vec<(&'static str, Severity, String)> {
        run(plan)
            .into_iter()
            .map(|f| (f.code.as_str(), f.severity, f.entity.map(|e| e.id).unwrap_or_default()))
            .collect()
    }

    fn without_info(plan: &Value) -> Vec<(&'static str, Severity, String)> {
        codes(plan).into_iter().filter(|c| c.1 != Severity::Info).collect()
    }

    #[test]
    fn a_complete_office_has_only_the_cpe_reminder() {
        let f = run(&base());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].code.as_str(), f[0].severity), ("CEN-VPN-004", Severity::Info));
        assert_eq!(f[0].entity.as_ref().unwrap().id, "o1");
        assert!(
            f[0].message.contains("192.168.1.0/24") && f[0].message.contains("172.16.1.0/24"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_missing_office_route_is_an_error_on_the_connection() {
        let mut p = base();
        p["route_entries"] = json!([]);
        assert_eq!(without_info(&p), vec![("CEN-VPN-001", Severity::Error, "k1".into())]);
        // A route in a custom table does not count, and the message says so.
        p["route_entries"] = json!([{"id": "r1", "network": "v1", "destination": "10.10.0.0/16",
            "next_hop_type": "vpn_gateway", "next_hop": "g1", "table": "custom", "published": false}]);
        let f = run(&p);
        let f = f.iter().find(|f| f.code == "CEN-VPN-001").unwrap();
        assert!(f.message.contains("custom route table"), "{}", f.message);
        assert_eq!(f.field, Some("remote_cidrs"));
    }

    #[test]
    fn a_covering_route_counts() {
        let mut p = base();
        p["route_entries"][0]["destination"] = json!("10.10.0.0/16");
        assert!(without_info(&p).is_empty());
    }

    #[test]
    fn an_unpublished_office_route_is_an_error_only_when_other_networks_are_attached() {
        let mut p = base();
        p["route_entries"][0]["published"] = json!(false);
        let f: Vec<_> = run(&p).into_iter().filter(|f| f.severity != Severity::Info).collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].code.as_str(), f[0].entity.as_ref().unwrap().id.as_str(), f[0].field),
            ("CEN-VPN-001", "r1", Some("published"))
        );
        assert!(f[0].message.contains("VPC2"), "{}", f[0].message);
        // VPC1 alone in the CEN: nobody else needs the route.
        p["attachments"] = json!([{"id": "t1", "cen": "c", "network": "v1"}]);
        assert!(without_info(&p).is_empty());
    }

    #[test]
    fn narrow_selectors_warn_with_what_is_missing() {
        let mut p = base();
        p["ipsec_connections"][0]["local_cidrs"] = json!(["172.16.0.0/16"]);
        let f = run(&p);
        let w: Vec<_> = f.iter().filter(|f| f.code == "CEN-VPN-002").collect();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].severity, w[0].field), (Severity::Warning, Some("local_cidrs")));
        assert!(
            w[0].message.contains("192.168.1.0/24") && !w[0].message.contains("172.16.1.0/24"),
            "{}",
            w[0].message
        );
        // Not attached: only its own VPC must be covered.
        p["attachments"] = json!([]);
        assert!(without_info(&p).is_empty());
    }

    #[test]
    fn selectors_must_cover_other_offices_vbrs_and_branches_of_the_cen() {
        let mut p = base();
        p["ipsec_connections"][0]["local_cidrs"] = json!(["172.16.0.0/16", "192.168.0.0/16"]);
        p["vbrs"] = json!([{"id": "b1", "owner": "a", "region": "cn-hangzhou", "idc_cidrs": ["10.1.0.0/24"]}]);
        p["ccns"] = json!([{"id": "n1", "owner": "a", "area": "mainland-china"}]);
        p["sags"] = json!([{"id": "sg1", "ccn": "n1", "cidrs": ["10.2.0.0/24"]}]);
        p["vpn_gateways"].as_array_mut().unwrap().push(json!({"id": "g2", "vpc": "v2"}));
        p["customer_gateways"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "o2", "region": "cn-hangzhou", "public_ip": "203.0.113.2"}));
        p["ipsec_connections"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "k2", "vpn_gateway": "g2", "customer_gateway": "o2",
            "local_cidrs": ["0.0.0.0/0"], "remote_cidrs": ["10.20.0.0/24"]}));
        p["route_entries"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "r2", "network": "v2", "destination": "10.20.0.0/24",
            "next_hop_type": "vpn_gateway", "next_hop": "g2", "published": true}));
        for (id, net) in [("t3", "b1"), ("t4", "n1")] {
            p["attachments"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": id, "cen": "c", "network": net}));
        }
        let f = run(&p);
        let w: Vec<_> = f.iter().filter(|f| f.code == "CEN-VPN-002").collect();
        assert_eq!(w.len(), 1, "{f:?}");
        assert_eq!(w[0].entity.as_ref().unwrap().id, "k1");
        for cidr in ["10.1.0.0/24", "10.2.0.0/24", "10.20.0.0/24"] {
            assert!(w[0].message.contains(cidr), "{cidr}: {}", w[0].message);
        }
        assert!(!w[0].message.contains("10.10.10.0/24"), "its own CIDR is not a destination");
    }

    #[test]
    fn several_cidrs_need_ikev2_and_at_most_five_per_side() {
        let mut p = base();
        p["ipsec_connections"][0]["ike_version"] = json!("v1");
        assert!(without_info(&p).is_empty(), "one CIDR per side is fine with IKEv1");
        p["ipsec_connections"][0]["remote_cidrs"] = json!(["10.10.10.0/24", "10.10.11.0/24"]);
        p["route_entries"][0]["destination"] = json!("10.10.0.0/16");
        let f = run(&p);
        let e: Vec<_> = f.iter().filter(|f| f.code == "CEN-VPN-003").collect();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].severity, e[0].field), (Severity::Error, Some("ike_version")));
        p["ipsec_connections"][0]["ike_version"] = json!("v2");
        p["ipsec_connections"][0]["remote_cidrs"] = json!((0..6).map(|i| format!("10.10.{i}.0/24")).collect::<Vec<_>>());
        let f = run(&p);
        let e: Vec<_> = f.iter().filter(|f| f.code == "CEN-VPN-003").collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, Some("remote_cidrs"));
    }

    #[test]
    fn cpe_reminder_only_for_customer_gateways_with_connections_and_duplicate_ips_warn() {
        let mut p = base();
        p["customer_gateways"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "o2", "region": "cn-hangzhou", "public_ip": "203.0.113.9"}));
        let infos: Vec<_> = codes(&p).into_iter().filter(|c| c.0 == "CEN-VPN-004").collect();
        assert_eq!(infos, vec![("CEN-VPN-004", Severity::Info, "o1".into())]);
        p["customer_gateways"][1]["public_ip"] = json!("203.0.113.1");
        assert_eq!(without_info(&p), vec![("CEN-VPN-004", Severity::Warning, "o2".into())]);
        // The same office may register its address in another region.
        p["customer_gateways"][1]["region"] = json!("cn-shanghai");
        assert!(without_info(&p).is_empty());
    }

    #[test]
    fn vpn_limits() {
        let mut p = base();
        let mut conns = Vec::new();
        let mut cgws = Vec::new();
        for i in 0..11 {
            cgws.push(json!({"id": format!("o{i}"), "region": "cn-hangzhou", "public_ip": format!("203.0.113.{}", i + 1)}));
            conns.push(
                json!({"id": format!("k{i}"), "vpn_gateway": "g1", "customer_gateway": format!("o{i}"),
                "local_cidrs": ["0.0.0.0/0"], "remote_cidrs": [format!("10.10.{i}.0/24")]}),
            );
        }
        p["customer_gateways"] = json!(cgws);
        p["ipsec_connections"] = json!(conns);
        p["route_entries"][0]["destination"] = json!("10.10.0.0/16");
        assert_eq!(without_info(&p), vec![("CEN-VPN-005", Severity::Error, "g1".into())]);
        // Ten connections are fine.
        p["ipsec_connections"].as_array_mut().unwrap().pop();
        assert!(without_info(&p).is_empty());
        // Five connections with five office CIDRs each: 25 routes on one VPN gateway.
        let mut p = base();
        let conns: Vec<Value> = (0..5)
            .map(|i| {
                json!({"id": format!("k{i}"), "vpn_gateway": "g1", "customer_gateway": "o1", "local_cidrs": ["0.0.0.0/0"],
                "remote_cidrs": (0..5).map(|j| format!("10.10.{}.0/24", i * 5 + j)).collect::<Vec<_>>()})
            })
            .collect();
        p["ipsec_connections"] = json!(conns);
        p["route_entries"][0]["destination"] = json!("10.10.0.0/16");
        assert_eq!(without_info(&p), vec![("CEN-VPN-005", Severity::Warning, "g1".into())]);
        // 31 VPN gateways in VPCs of one account.
        let mut p = base();
        let gws: Vec<Value> = (0..31).map(|i| json!({"id": format!("gw{i}"), "vpc": "v2"})).collect();
        p["vpn_gateways"].as_array_mut().unwrap().extend(gws);
        assert_eq!(without_info(&p), vec![("CEN-VPN-005", Severity::Warning, "gw29".into())]);
        // 101 customer gateways in a region.
        let mut p = base();
        let cgws: Vec<Value> = (0..100)
            .map(|i| json!({"id": format!("x{i}"), "region": "cn-hangzhou", "public_ip": format!("198.51.{}.{}", i / 200, i % 200 + 1)}))
            .collect();
        p["customer_gateways"].as_array_mut().unwrap().extend(cgws);
        assert_eq!(without_info(&p), vec![("CEN-VPN-005", Severity::Warning, "x99".into())]);
    }
}
