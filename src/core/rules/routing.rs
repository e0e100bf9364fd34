//! Route publication and learning (CEN-RT-*), and the installation rules the route engine applies
//! (CEN-CIDR-007, CEN-PEER-001, CEN-VBR-001), reported from the computed route tables.

use crate::core::cidr::parse_cidr;
use crate::core::dataplane::{CenRoute, DataPlane, Inactive, Origin};
use crate::core::facts::{dates, Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::flows::Demand;
use crate::core::model::{Kind, NextHopType, RouteTable};
use crate::core::reach::{fixes, isolation_fix};
use ipnet::Ipv4Net;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::collections::BTreeSet;

/// Default route quota per CEN instance (CEN-RT-005).
const ROUTE_QUOTA: usize = 100;

pub(super) fn check(routing: &DataPlane<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    let ctx = &routing.ctx;
    publication(ctx, routing, demand, out);
    switches(ctx, out);
    for cen in ctx.cens() {
        let collected = routing.cen_routes(&cen.id);
        let index = CenIndex::new(collected, routing.cen_sorted(&cen.id));
        let attached = ctx.attached_networks(&cen.id);
        // The distinct prefixes the attached networks advertise: the collected ones when every
        // attached network's attachment is effective.
        let distinct = if attached.iter().all(|n| routing.effective_cen(n.id) == Some(cen.id.as_str())) {
            index.order.chunk_by(|a, b| a.0 == b.0).count()
        } else {
            let mut all: Vec<_> = attached
                .iter()
                .flat_map(|n| routing.advertised_by(n.id).iter().map(|p| p.net))
                .collect();
            all.sort_unstable();
            all.dedup();
            all.len()
        };
        if distinct > ROUTE_QUOTA {
            out.push(
                Finding::new(
                    Code::CenRt005,
                    Severity::Warning,
                    Kind::Cen,
                    &cen.id,
                    format!(
                        "CEN {} carries {} distinct routes; the default quota is {ROUTE_QUOTA} per instance",
                        ctx.name(&cen.id),
                        distinct
                    ),
                )
                .fix("Raise the quota by ticket before attaching, or summarise prefixes."),
            );
        }
        for net in attached {
            if routing.effective_cen(net.id) == Some(cen.id.as_str()) {
                installation(ctx, routing, demand, collected, &index, net.id, net.kind, out);
            }
        }
    }
}

/// The routes a CEN collected, indexed for containment queries.
struct CenIndex<'a> {
    /// (prefix key, position in the collected list), sorted: the order of a route table (start
    /// address, prefix length, position). Copies of one prefix are contiguous.
    order: &'a [(u64, u32)],
    /// For each value of an address's first 16 bits, the first position in `order` at or after it
    /// (65,537 entries): a search looks only at its bucket.
    buckets: Vec<u32>,
    /// Bit `n` set when some route has prefix length `n`.
    lengths: u64,
    /// Each origin network with the position of its first route that is neither a conflict nor refused.
    origins: Vec<(&'a str, usize)>,
    /// The number of each route's origin network, by collected position (see `number`).
    origin: Vec<u32>,
    numbers: HashMap<&'a str, u32>,
}

/// Buckets of `CenIndex`: one per value of an address's first 16 bits.
const BUCKETS: usize = 1 << 16;

use crate::core::dataplane::prefix_key as key;

impl<'a> CenIndex<'a> {
    fn new(collected: &[CenRoute<'a>], order: &'a [(u64, u32)]) -> CenIndex<'a> {
        let mut buckets = Vec::with_capacity(BUCKETS + 1);
        let mut at = 0;
        for b in 0..=BUCKETS as u64 {
            while at < order.len() && order[at].0 >> 24 < b {
                at += 1;
            }
            buckets.push(at as u32);
        }
        let lengths = collected.iter().fold(0u64, |m, cr| m | 1 << cr.prefix.net.prefix_len());
        let mut origins: Vec<(&'a str, usize)> = Vec::new();
        let mut seen = FxHashSet::default();
        for (i, cr) in collected.iter().enumerate() {
            if !cr.refused() && seen.insert(cr.prefix.network) {
                origins.push((cr.prefix.network, i));
            }
        }
        let mut numbers: HashMap<&'a str, u32> = HashMap::default();
        let origin = collected
            .iter()
            .map(|cr| {
                let next = numbers.len() as u32;
                *numbers.entry(cr.prefix.network).or_insert(next)
            })
            .collect();
        CenIndex {
            order,
            buckets,
            lengths,
            origins,
            origin,
            numbers,
        }
    }

    /// The number of a network among the origins (`u32::MAX` when it advertises nothing here).
    fn number(&self, network: &str) -> u32 {
        self.numbers.get(network).copied().unwrap_or(u32::MAX)
    }

    /// The first position in `order` whose key is at least `k`.
    fn lower_bound(&self, k: u64) -> usize {
        let b = (k >> 24) as usize;
        let (lo, hi) = (self.buckets[b] as usize, self.buckets[b + 1] as usize);
        lo + self.order[lo..hi].partition_point(|&(x, _)| x < k)
    }

    /// Positions of the copies of `net`, in collected order.
    fn copies(&self, net: Ipv4Net) -> impl Iterator<Item = usize> + '_ {
        let k = key(net);
        let start = self.lower_bound(k);
        self.order[start..]
            .iter()
            .take_while(move |&&(x, _)| x == k)
            .map(|&(_, i)| i as usize)
    }

    /// Prefixes of the routes equal to or inside `outer`, one per copy that `keep` keeps (given its position).
    fn inside<'s>(&'s self, outer: Ipv4Net, keep: impl Fn(usize) -> bool + 's) -> impl Iterator<Item = Ipv4Net> + 's {
        let start = self.lower_bound(key(outer));
        let last = u64::from(u32::from(outer.broadcast())) << 8 | 0xff;
        let len = outer.prefix_len();
        self.order[start..]
            .iter()
            .take_while(move |&&(x, _)| x <= last)
            .filter(move |&&(x, i)| (x & 0xff) as u8 >= len && keep(i as usize))
            .filter_map(|&(x, _)| Ipv4Net::new(std::net::Ipv4Addr::from((x >> 8) as u32), (x & 0xff) as u8).ok())
    }

    /// Prefixes of the routes equal to or containing `inner` (one per distinct prefix).
    fn containing(&self, inner: Ipv4Net) -> impl Iterator<Item = Ipv4Net> + '_ {
        (0..=inner.prefix_len())
            .filter(move |len| self.lengths & (1 << len) != 0)
            .filter_map(move |len| Ipv4Net::new(inner.network(), len).ok().map(|n| n.trunc()))
            .filter(move |n| self.copies(*n).next().is_some())
    }
}

fn publication(ctx: &Ctx<'_>, routing: &DataPlane<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    let mut attached_count: HashMap<&str, usize> = HashMap::default();
    for r in &ctx.plan.route_entries {
        let Some(cen) = routing.effective_cen(&r.network) else { continue };
        let others = *attached_count.entry(cen).or_insert_with(|| ctx.attached_networks(cen).len()) > 1;
        if r.table == RouteTable::Custom {
            let name = ctx.name(&r.id);
            let (sev, msg, fix) = if r.published {
                (
                    Severity::Error,
                    format!("route entry {name} is published but sits in a custom route table: CEN only reads the system table"),
                    "Move the route to the system route table, then publish it.",
                )
            } else {
                (Severity::Warning, format!("route entry {name} is in a custom route table: vSwitches bound to that table get no CEN routes unless you add them by hand"), "Add the CEN destinations to the custom table by hand, or bind the vSwitches to the system table.")
            };
            out.push(
                Finding::new(Code::CenRt003, sev, Kind::RouteEntry, &r.id, msg)
                    .field("table")
                    .fix(fix),
            );
            continue;
        }
        // Office routes (next hop VPN gateway) are CEN-VPN-001's; ECS and HaVip routes are ours.
        if matches!(r.next_hop_type, NextHopType::Ecs | NextHopType::HaVip) && !r.published && others && needed(ctx, demand, r) {
            let name = ctx.name(&r.id);
            let default_route = parse_cidr(&r.destination).is_ok_and(|n| n.prefix_len() == 0);
            if default_route {
                // A local default route (for example through a firewall instance) is a design, not a
                // missing publication: publishing it would push a default route into every network.
                out.push(
                    Finding::new(
                        Code::CenRt002,
                        Severity::Info,
                        Kind::RouteEntry,
                        &r.id,
                        format!(
                            "route entry {name} ({} → {}) in {} is a default route kept local (not published): the other networks of the CEN do not send their traffic through {}",
                            r.destination,
                            r.next_hop,
                            ctx.name(&r.network),
                            r.next_hop
                        ),
                    )
                    .field("published")
                    .fix("Nothing to do if it is local on purpose; publishing it would push a default route into every network of the CEN."),
                );
                continue;
            }
            out.push(
                Finding::new(
                    Code::CenRt002,
                    Severity::Error,
                    Kind::RouteEntry,
                    &r.id,
                    format!(
                        "route entry {name} ({} → {}) in {} is not published: the other networks of the CEN cannot reach {}",
                        r.destination,
                        r.next_hop,
                        ctx.name(&r.network),
                        r.destination
                    ),
                )
                .field("published")
                .fix(format!("Publish route entry {name} to CEN.")),
            );
        }
    }
    for (cen, nets) in &ctx.attachments {
        for a in nets {
            let Some(net) = ctx.networks.get(a.network.as_str()) else {
                continue;
            };
            if net.kind != NetKind::Vpc && routing.advertised_by(net.id).is_empty() && routing.effective_cen(net.id) == Some(*cen) {
                let what = if net.kind == NetKind::Vbr {
                    "on-premises CIDRs"
                } else {
                    "SAG branches with private CIDRs"
                };
                out.push(
                    Finding::new(
                        Code::CenRt001,
                        Severity::Warning,
                        net.kind.kind(),
                        net.id,
                        format!("{} is attached but advertises nothing to CEN: it has no {what}", ctx.name(net.id)),
                    )
                    .fix(format!("Add the {what} it should advertise.")),
                );
            }
        }
    }
}

/// Whether some required flow needs the route published: always with no declared flow; otherwise
/// when a required flow's addresses in the route's network are carried only by this route.
fn needed(ctx: &Ctx<'_>, demand: &Demand, r: &crate::core::model::RouteEntry) -> bool {
    if demand.assumed() {
        return true;
    }
    let Ok(dest) = crate::core::cidr::parse_cidr(&r.destination) else {
        return false;
    };
    let local: Vec<Ipv4Net> = ctx
        .plan
        .vswitches
        .iter()
        .zip(&ctx.cidrs.vswitches)
        .filter(|(s, _)| s.vpc == r.network)
        .filter_map(|(_, c)| *c)
        .collect();
    demand.carries(&r.network, dest, &local)
}

fn switches(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for cen in ctx.cens() {
        let name = ctx.name(&cen.id);
        if !cen.overlapping_routes && ctx.created_on(cen).is_some_and(|d| d >= dates::OVERLAP_DEFAULT) {
            out.push(
                Finding::new(
                    Code::CenRt008,
                    Severity::Error,
                    Kind::Cen,
                    &cen.id,
                    format!(
                        "CEN {name} was created on or after {} so overlapping routes are on, and they cannot be turned off",
                        dates::OVERLAP_DEFAULT
                    ),
                )
                .field("overlapping_routes")
                .fix("Turn overlapping routes on in the plan (that is how the instance is)."),
            );
        }
        if !cen.overlapping_routes {
            let peered = ctx
                .attached_networks(&cen.id)
                .iter()
                .filter(|n| ctx.plan.peerings.iter().any(|p| p.a == n.id || p.b == n.id))
                .map(|n| n.id)
                .collect::<Vec<_>>();
            if let Some(first) = peered.first() {
                out.push(
                    Finding::new(Code::CenRt008, Severity::Error, Kind::Cen, &cen.id, format!("CEN {name} has overlapping routes off, but {} still uses Express Connect peering: migrating peered networks needs overlapping routes on", ctx.name(first)))
                        .field("overlapping_routes")
                        .fix(format!("Enable overlapping routes on CEN {name} first (one-way)."))
                        .related(Kind::Vpc, first),
                );
            }
        }
    }
}

/// A collected route as `installation` reports it: its prefix and the entity holding it.
struct CenCopy<'a> {
    prefix: Ipv4Net,
    source: (Kind, &'a str),
}

// Reports how the CEN routes install into one network. Equivalent to walking the network's whole
// route table (`DataPlane::table`), but only the CEN routes that can yield a finding are looked at: those
// inside one of its own routes (CEN-CIDR-007, CEN-PEER-001), those containing one of its own routes
// (CEN-RT-006), and, for a VBR or CCN, one route per isolated origin (CEN-VBR-001). The findings are
// pushed in route-table order, as the walk would.
#[allow(clippy::too_many_arguments)]
fn installation(
    ctx: &Ctx<'_>,
    routing: &DataPlane<'_>,
    demand: &Demand,
    collected: &[CenRoute],
    index: &CenIndex<'_>,
    network: &str,
    kind: NetKind,
    out: &mut Vec<Finding>,
) {
    let here = ctx.name(network);
    let own = routing.own_of(network);
    // The table's order of the own routes (a stable sort, as the table's), made when first needed.
    let sorted_own = std::cell::OnceCell::new();
    let sorted_own = || {
        sorted_own.get_or_init(|| {
            let mut sorted: Vec<usize> = (0..own.len()).collect();
            sorted.sort_by_key(|&i| (own[i].prefix.network(), own[i].prefix.prefix_len(), own[i].origin as u8));
            sorted
        })
    };
    let peering_rule = routing.peering_rule(network);
    let me = index.number(network);
    let eligible = |i: usize| index.origin[i] != me && !collected[i].refused();
    // Candidate prefixes: inside an own system or peering route, or containing an own route.
    let mut candidates: Vec<Ipv4Net> = Vec::new();
    for o in &own {
        if o.origin == Origin::System || o.origin == Origin::PeeringStatic {
            candidates.extend(index.inside(o.prefix, eligible));
        }
        if o.origin != Origin::System && !o.custom_table {
            candidates.extend(index.containing(o.prefix));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    // (table position key, finding)
    let mut found: Vec<((std::net::Ipv4Addr, u8, usize), Finding)> = Vec::new();
    for net in candidates {
        // Install the group of this prefix in collected order: an earlier active copy from a route entry
        // keeps a later one out (ExistingRoute), as in the table.
        let mut existing: Option<&str> = None;
        for i in index.copies(net) {
            if !eligible(i) {
                continue;
            }
            let cr = &collected[i];
            let inactive = routing.installed_state(network, kind, peering_rule, cr, &own, existing);
            if inactive.is_none() && cr.prefix.holder.0 == Kind::RouteEntry && existing.is_none() {
                existing = Some(cr.prefix.holder.1);
            }
            let key = (cr.prefix.net.network(), cr.prefix.net.prefix_len(), i);
            let origin = cr.prefix.network;
            let r = CenCopy {
                prefix: cr.prefix.net,
                source: cr.prefix.holder,
            };
            match &inactive {
                Some(Inactive::InsideOwnVSwitch { vswitch }) => found.push((key, Finding::new(
                    Code::CenCidr007,
                    Severity::Error,
                    Kind::VSwitch,
                    vswitch,
                    format!("{here} cannot reach {} of {}: the prefix is inside its own vSwitch {}, and a VPC never installs such a route", r.prefix, ctx.name(origin), ctx.name(vswitch)),
                )
                .field("cidr")
                .fix("Renumber one side so the prefix is outside the vSwitch (a larger prefix would be accepted).")
                .related(r.source.0, r.source.1))),
                Some(Inactive::PeeringStatic { route }) => found.push((key, Finding::new(
                    Code::CenPeer001,
                    Severity::Warning,
                    Kind::RouteEntry,
                    route,
                    format!("peering static route {} in {here} blocks the CEN route {} from {}: traffic keeps using the peering connection", ctx.name(route), r.prefix, ctx.name(origin)),
                )
                .field("destination")
                .fix(format!("Smooth migration: add two routes more specific than {} toward the peering, delete {}, wait for the CEN route to be active, then delete the two.", r.prefix, ctx.name(route)))
                .related(r.source.0, r.source.1))),
                None => {
                    // Longest-prefix match splits traffic when a more specific own route sits inside a learned one.
                    let inner = sorted_own().iter().map(|&j| &own[j]).find(|o| o.origin != Origin::Cen && o.origin != Origin::System && !o.custom_table && o.prefix != r.prefix && r.prefix.contains(&o.prefix));
                    if let Some(o) = inner {
                        found.push((key, Finding::new(
                            Code::CenRt006,
                            Severity::Info,
                            o.source.0,
                            o.source.1,
                            format!("in {here}, {} stays on its own route while the rest of {} goes through CEN to {} (longest prefix wins)", o.prefix, r.prefix, ctx.name(origin)),
                        )
                        .fix("Nothing to do if intended.")));
                    }
                }
                _ => {}
            }
        }
    }
    found.sort_by_key(|(key, _)| *key);
    out.extend(found.into_iter().map(|(_, f)| f));
    // VBRs and CCNs: every other VBR or CCN with a route in the CEN is isolated, unless both are VBRs
    // attached before the isolation date, both are lines of one site (they never need to reach each
    // other), or route maps let its routes through.
    let mut isolated_from: BTreeSet<&str> = BTreeSet::new();
    // Without route maps isolation is mutual; a map may open one direction only.
    let mut mutual = true;
    if matches!(kind, NetKind::Vbr | NetKind::Ccn) {
        let cen = routing.effective_cen(network);
        let maps = cen.is_some_and(|c| routing.has_route_maps(c));
        mutual = !maps;
        for (origin, i) in &index.origins {
            if *origin == network || ctx.same_site(network, origin) || !demand.must_talk(network, origin) {
                continue;
            }
            let isolated =
                |cr: &CenRoute| routing.installed_state(network, kind, peering_rule, cr, &[], None) == Some(Inactive::VbrCcnIsolation);
            // Without route maps isolation depends only on the two networks: one route per origin
            // decides. With them, the origin is isolated when none of its routes gets through.
            let cut_off = if maps {
                let mut routes = collected.iter().filter(|cr| cr.prefix.network == *origin && !cr.refused());
                let mut any = false;
                let all = routes.all(|cr| {
                    any = true;
                    isolated(cr)
                });
                any && all
            } else {
                isolated(&collected[*i])
            };
            if cut_off {
                isolated_from.insert(origin);
            }
        }
    }
    // One finding per pair: mutual isolation is told once, by the network whose id sorts first, unless
    // the other one advertises nothing (then only this side sees the pair). With route maps each side
    // that is cut off says so (a map may open one direction only).
    let self_advertises = index.origins.iter().any(|(o, _)| *o == network);
    for origin in isolated_from.into_iter().filter(|o| !mutual || !self_advertises || network < *o) {
        let other_kind = ctx.networks.get(origin).map_or(Kind::Vbr, |n| n.kind.kind());
        let cen = routing.effective_cen(network).unwrap_or_default();
        let fix = if fixes::permit_maps(ctx, cen, network, origin).is_empty() {
            format!("Add Permit route maps (export direction, priority below 5000) in the regions of {here} and {} — one per direction — or open a ticket (a CCN has no region in the plan to place a map in).", ctx.name(origin))
        } else {
            isolation_fix(ctx, network, origin)
        };
        out.push(
            Finding::new(
                Code::CenVbr001,
                Severity::Error,
                kind.kind(),
                network,
                format!("{here} and {} cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since {}; the system route map, priority 5000, Deny)", ctx.name(origin), dates::VBR_ISOLATION),
            )
            .fix(fix)
            .related(other_kind, origin),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::core::examples;
    use crate::core::format::from_json;
    use crate::core::model::{NextHopType, Plan};
    use crate::core::testing::{check_codes, ids, plan};
    use expect_test::expect;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    /// A local default route through a firewall instance is a design: an info, never an error whose
    /// fix is publishing it (which would push a default route into every network); a more specific
    /// unpublished appliance route is still CEN-RT-002's error.
    #[test]
    fn a_local_default_route_to_a_firewall_is_an_info_and_an_appliance_subnet_route_is_an_error() {
        let build = |destination: &str| {
            plan()
                .cen("c")
                .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s1", "v1", "10.1.0.0/24")
                .route("fw", "v1", destination, NextHopType::Ecs, "i-firewall")
                .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
                .vswitch("s2", "v2", "10.2.0.0/24")
                .attach("t1", "c", "v1")
                .attach("t2", "c", "v2")
                .build()
        };
        check_codes(
            &build("0.0.0.0/0"),
            &["CEN-RT-002"],
            expect![[r#"
                info CEN-RT-002 fw.published: route entry fw (0.0.0.0/0 → i-firewall) in v1 is a default route kept local (not published): the other networks of the CEN do not send their traffic through i-firewall
                  fix: Nothing to do if it is local on purpose; publishing it would push a default route into every network of the CEN.
            "#]],
        );
        check_codes(
            &build("10.50.0.0/16"),
            &["CEN-RT-002"],
            expect![[r#"
                error CEN-RT-002 fw.published: route entry fw (10.50.0.0/16 → i-firewall) in v1 is not published: the other networks of the CEN cannot reach 10.50.0.0/16
                  fix: Publish route entry fw to CEN.
            "#]],
        );
    }

    #[test]
    fn seed_004_reports_the_blocking_peering_route_and_not_after_removal() {
        let mut plan = example("seed-004-peering-migration");
        assert_eq!(ids(&plan, "CEN-PEER-001"), vec!["rte-1", "rte-2"]);
        plan.route_entries.clear();
        assert!(ids(&plan, "CEN-PEER-001").is_empty());
    }

    #[test]
    fn unpublished_ecs_route_is_an_error_and_published_is_not() {
        let p = |published: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
                .vpc("v2", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s1", "v1", "10.0.1.0/24")
                .vswitch("s2", "v2", "10.1.1.0/24")
                .route("r", "v1", "192.168.9.0/24", NextHopType::Ecs, "i-1")
                .when(published, |p| p.published())
                .attach("t1", "c", "v1")
                .attach("t2", "c", "v2")
                .build()
        };
        check_codes(
            &p(false),
            &["CEN-RT-002"],
            expect![[r#"
                error CEN-RT-002 r.published: route entry r (192.168.9.0/24 → i-1) in v1 is not published: the other networks of the CEN cannot reach 192.168.9.0/24
                  fix: Publish route entry r to CEN.
            "#]],
        );
        check_codes(&p(true), &["CEN-RT-002"], expect![[""]]);
    }

    #[test]
    fn two_idcs_do_not_learn_each_other_by_default() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vbr("b1", "cn-beijing", &["10.1.3.0/24"])
            .vbr("b2", "cn-hangzhou", &["10.1.4.0/24"])
            .attach("t1", "c", "b1")
            .attach("t2", "c", "b2")
            .build();
        check_codes(
            &p,
            &["CEN-VBR-001"],
            expect![[r#"
                error CEN-VBR-001 b1: b1 and b2 cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
                  fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-beijing source b2 → destination b1, and in cn-hangzhou source b1 → destination b2 (or open a ticket).
                  related: b2
            "#]],
        );
        assert!(ids(&example("seed-000-same-account-same-region"), "CEN-VBR-001").is_empty());
    }

    #[test]
    fn the_e7_route_maps_offered_as_the_fix_make_the_isolation_finding_go_away() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vbr("b1", "cn-beijing", &["10.1.3.0/24"])
            .vbr("b2", "cn-hangzhou", &["10.1.4.0/24"])
            .attach("t1", "c", "b1")
            .attach("t2", "c", "b2")
            .build();
        let analysis = crate::core::analysis::Analysis::new(p.clone());
        let finding = analysis.report().findings.iter().find(|f| f.code == "CEN-VBR-001").unwrap().clone();
        let edits = analysis.fix_edits(&finding);
        assert_eq!(edits.len(), 2);
        let mut fixed = p.clone();
        crate::core::edit::apply_all(&mut fixed, edits).unwrap();
        let maps: Vec<String> = fixed
            .route_maps
            .iter()
            .map(|m| {
                format!(
                    "{} {} {:?} {} {:?} {:?} -> {:?}",
                    m.id, m.region, m.direction, m.priority, m.action, m.source_networks, m.destination_networks
                )
            })
            .collect();
        assert_eq!(
            maps,
            [
                "rmap-1 cn-beijing RegionOut 20 Permit [\"b2\"] -> [\"b1\"]",
                "rmap-2 cn-hangzhou RegionOut 20 Permit [\"b1\"] -> [\"b2\"]"
            ]
        );
        assert!(ids(&fixed, "CEN-VBR-001").is_empty());
        assert!(ids(&fixed, "CEN-RMAP").is_empty());
        // One direction only: the other side still cannot learn.
        let mut half = fixed.clone();
        half.route_maps.pop();
        assert_eq!(ids(&half, "CEN-VBR-001"), vec!["b2"]);
    }

    #[test]
    fn overlapping_off_on_a_2019_instance_is_impossible() {
        let mut plan = example("seed-000-same-account-same-region");
        plan.cens[0].overlapping_routes = false;
        assert_eq!(ids(&plan, "CEN-RT-008"), vec!["cen-1"]);
        plan.cens[0].created_on = "2018-12-01".into();
        assert!(ids(&plan, "CEN-RT-008").is_empty());
    }

    #[test]
    fn a_learned_route_inside_an_own_vswitch_is_an_error() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("s1", "v1", "10.0.0.0/16")
            .vbr("b", "cn-hangzhou", &["10.0.5.0/24"])
            .attach("t1", "c", "v1")
            .attach("t3", "c", "b")
            .build();
        check_codes(
            &p,
            &["CEN-CIDR-007"],
            expect![[r#"
                error CEN-CIDR-007 s1.cidr: v1 cannot reach 10.0.5.0/24 of b: the prefix is inside its own vSwitch s1, and a VPC never installs such a route
                  fix: Renumber one side so the prefix is outside the vSwitch (a larger prefix would be accepted).
                  related: b
            "#]],
        );
        assert!(ids(&example("seed-003-vpn-global-network"), "CEN-CIDR-007").is_empty());
    }

    #[test]
    fn custom_table_routes_and_empty_vbrs_are_reported() {
        let mut plan = example("seed-003-vpn-global-network");
        plan.route_entries[0].table = crate::core::model::RouteTable::Custom;
        assert_eq!(ids(&plan, "CEN-RT-003"), vec!["rte-1"]);
        assert!(ids(&example("seed-003-vpn-global-network"), "CEN-RT-003").is_empty());
        let p = self::plan()
            .cen("c")
            .overlapping()
            .vbr("b", "cn-hangzhou", &[])
            .attach("t", "c", "b")
            .build();
        check_codes(
            &p,
            &["CEN-RT-001"],
            expect![[r#"
                warning CEN-RT-001 b: b is attached but advertises nothing to CEN: it has no on-premises CIDRs
                  fix: Add the on-premises CIDRs it should advertise.
            "#]],
        );
    }

    #[test]
    fn a_more_specific_own_route_inside_a_learned_one_is_noted_and_not_otherwise() {
        let p = |dest: &str| {
            plan()
                .cen("c")
                .overlapping()
                .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
                .vswitch("s1", "v1", "10.0.1.0/24")
                .route("r", "v1", dest, NextHopType::Ecs, "i-1")
                .published()
                .vbr("b", "cn-hangzhou", &["192.168.0.0/16"])
                .attach("t1", "c", "v1")
                .attach("t2", "c", "b")
                .build()
        };
        // E6: 192.168.1.0/24 stays on ECS1, the rest of 192.168.0.0/16 goes through CEN.
        check_codes(
            &p("192.168.1.0/24"),
            &["CEN-RT-006"],
            expect![[r#"
                info CEN-RT-006 r: in v1, 192.168.1.0/24 stays on its own route while the rest of 192.168.0.0/16 goes through CEN to b (longest prefix wins)
                  fix: Nothing to do if intended.
            "#]],
        );
        check_codes(&p("172.31.0.0/24"), &["CEN-RT-006"], expect![[""]]);
    }

    #[test]
    fn an_attached_vbr_with_prefixes_advertises_them() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vbr("b", "cn-hangzhou", &["10.9.0.0/16"])
            .attach("t", "c", "b")
            .build();
        check_codes(&p, &["CEN-RT-001"], expect![[""]]);
    }

    #[test]
    fn more_than_100_routes_warns() {
        let mut plan = example("seed-000-same-account-same-region");
        assert!(ids(&plan, "CEN-RT-005").is_empty());
        for i in 0..120 {
            plan.vswitches.push(crate::core::model::VSwitch {
                id: format!("x{i}"),
                vpc: "vpc-1".into(),
                cidr: format!("192.168.{}.0/28", i + 2),
                ..Default::default()
            });
        }
        assert_eq!(ids(&plan, "CEN-RT-005"), vec!["cen-1"]);
    }
}
