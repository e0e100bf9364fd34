//! Fixes a plan can express, as edits the app can apply as they are: a field set on an existing
//! entity, or a new entity built from a draft exactly as the forms build one, or as drawing on the
//! canvas builds it (`core::draw`: the same region bandwidths, packages and grants).
//! `Analysis::fix_edits` (the findings) and the traces' blocked hops read only these builders.

use crate::core::catalog::Area;
use crate::core::cidr::parse_cidr;
use crate::core::draw;
use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::fields;
use crate::core::model::{Entity, Kind, MapAction, MapDirection, NextHopType, Plan, PrefixMatch, RouteEntry, RouteMap, RouteTable};
use serde_json::Value;

/// The edit that sets these fields of entity `id` (of `kind`), or `None` when there is no such entity.
pub fn set(plan: &Plan, kind: Kind, id: &str, values: &[(&str, Value)]) -> Option<Edit> {
    let mut entity = crate::with_list!(plan, kind, |list| list
        .iter()
        .find(|e| e.id() == id)
        .and_then(|e| serde_json::to_value(e).ok()))?;
    let fields = entity.as_object_mut()?;
    for (field, value) in values {
        fields.insert((*field).to_string(), value.clone());
    }
    Some(Edit::Put {
        kind,
        entity,
        previous_id: None,
    })
}

/// The edit that adds a new entity of `kind` with these fields (the rest as a new form has them), or
/// `None` when the fields do not build one.
pub fn add(plan: &Plan, kind: Kind, values: &[(&str, &str)]) -> Option<Edit> {
    let mut draft = fields::new_draft(plan, kind);
    for (key, value) in values {
        draft.insert((*key).to_string(), (*value).to_string());
    }
    let id = fields::next_id(plan, kind);
    let entity = fields::build(plan, kind, &id, &draft).ok()?;
    Some(Edit::Put {
        kind,
        entity,
        previous_id: None,
    })
}

/// The rulebook's fix for VBR/CCN isolation between `a` and `b` on CEN `cen` (CEN-VBR-001, worked
/// example E7): two Permit route maps in the export (RegionOut) direction, one in the region of each
/// receiving side (source = the other, destination = it), priority 20 (or the next free one below
/// 5000's system map); the default map stays. Empty when a side has no region (a CCN), where a map
/// cannot be placed in the plan.
pub fn permit_maps(ctx: &Ctx<'_>, cen: &str, a: &str, b: &str) -> Vec<Edit> {
    route_maps(ctx, cen, a, b, MapAction::Permit)
}

/// The fix of a forbidden flow that is open between the networks `a` and `b` on CEN `cen`
/// (PLAN-FLOW-003): two Deny route maps in the export (RegionOut) direction, one in the region of
/// each receiving side (source = the other, destination = it), so neither learns the other's routes.
/// Empty when a side has no region (a CCN).
pub fn deny_maps(ctx: &Ctx<'_>, cen: &str, a: &str, b: &str) -> Vec<Edit> {
    route_maps(ctx, cen, a, b, MapAction::Deny)
}

/// The mirror of a one-way isolation (CEN-RMAP-003): the one Deny route map that keeps the routes of
/// `from` from `to` on CEN `cen`, in the export (RegionOut) direction of the region of `to` (source =
/// `from`, destination = `to`). `None` when `to` has no region (a CCN), where a map cannot be placed.
pub fn deny_map(ctx: &Ctx<'_>, cen: &str, from: &str, to: &str) -> Option<Edit> {
    let region = ctx.networks.get(to).and_then(|n| n.region).filter(|r| !r.is_empty())?;
    maps(ctx, cen, &[(to, from, region)], MapAction::Deny).pop()
}

fn route_maps(ctx: &Ctx<'_>, cen: &str, a: &str, b: &str, action: MapAction) -> Vec<Edit> {
    let region = |n: &str| ctx.networks.get(n).and_then(|n| n.region).filter(|r| !r.is_empty());
    let (Some(ra), Some(rb)) = (region(a), region(b)) else {
        return Vec::new();
    };
    maps(ctx, cen, &[(a, b, ra), (b, a, rb)], action)
}

/// One export route map per `(to, from, region)`: in `region`, source `from`, destination `to`, at the
/// first free priority from 20.
fn maps(ctx: &Ctx<'_>, cen: &str, each: &[(&str, &str, &str)], action: MapAction) -> Vec<Edit> {
    let plan = ctx.plan;
    let first = first_number(plan, Kind::RouteMap);
    let mut taken: Vec<(&str, u32)> = plan
        .route_maps
        .iter()
        .filter(|m| m.cen == cen && m.direction == MapDirection::RegionOut)
        .map(|m| (m.region.as_str(), m.priority))
        .collect();
    let mut edits = Vec::new();
    for (i, &(to, from, r)) in each.iter().enumerate() {
        let priority = (20..100).find(|p| !taken.contains(&(r, *p))).unwrap_or(20);
        taken.push((r, priority));
        let map = RouteMap {
            id: format!("{}-{}", Kind::RouteMap.id_prefix(), first + i as u64),
            name: format!(
                "{} {} to {}",
                if action == MapAction::Permit { "Permit" } else { "Deny" },
                ctx.name(from),
                ctx.name(to)
            ),
            cen: cen.to_string(),
            region: r.to_string(),
            direction: MapDirection::RegionOut,
            priority,
            action,
            next_priority: None,
            source_networks: vec![from.to_string()],
            source_type: None,
            source_region: String::new(),
            destination_networks: vec![to.to_string()],
            destination_type: None,
            prefixes: Vec::new(),
            prefix_match: PrefixMatch::Exact,
        };
        if let Ok(entity) = serde_json::to_value(&map) {
            edits.push(Edit::Put {
                kind: Kind::RouteMap,
                entity,
                previous_id: None,
            });
        }
    }
    edits
}

/// The number of the next id of `kind` (`fields::next_id`): several new entities of one fix take
/// this one and the following ones.
fn first_number(plan: &Plan, kind: Kind) -> u64 {
    fields::next_id(plan, kind)
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// A region pair with no cross-region bandwidth on CEN `cen` (CEN-BW-005, CEN-BW-008): the region
/// bandwidth a line drawn between the two regions makes, with the package of their area pair bound
/// (or raised) to carry it.
pub fn region_bandwidth(ctx: &Ctx<'_>, cen: &str, a: &str, b: &str) -> Vec<Edit> {
    draw::region_bandwidth(ctx.plan, cen, a, b)
}

/// A missing or unbound package of the area pair `x`–`y` on CEN `cen` (CEN-BWP-001/002/003/007,
/// CEN-AREA-003): the package bound to the CEN, large enough for its region bandwidths of the pair.
pub fn package(ctx: &Ctx<'_>, cen: &str, x: Area, y: Area) -> Vec<Edit> {
    draw::package_for(ctx.plan, cen, x, y, 0)
}

/// A cross-account attachment without a matching grant (CEN-XACC-001): the grant of `network` to
/// CEN `cen` with the CEN owner's UID (the network's grant for that CEN corrected, when it has one),
/// as drawing the attachment makes it.
pub fn grant(ctx: &Ctx<'_>, network: &str, cen: &str) -> Vec<Edit> {
    vec![draw::grant(ctx.plan, network, cen)]
}

/// A route entry that must be published to CEN (CEN-RT-002, CEN-VPN-001).
pub fn publish(ctx: &Ctx<'_>, route: &str) -> Vec<Edit> {
    set(ctx.plan, Kind::RouteEntry, route, &[("published", true.into())])
        .into_iter()
        .collect()
}

/// A route entry in a custom route table that CEN must read (CEN-RT-003): moved to the system
/// table, and published.
pub fn to_system_table(ctx: &Ctx<'_>, route: &str) -> Vec<Edit> {
    set(
        ctx.plan,
        Kind::RouteEntry,
        route,
        &[("table", "system".into()), ("published", true.into())],
    )
    .into_iter()
    .collect()
}

/// Local IPsec selectors that miss destinations (CEN-VPN-002): 0.0.0.0/0, which covers every one
/// (seed 003: new VPCs and offices then need no change).
pub fn open_selectors(ctx: &Ctx<'_>, ipsec: &str) -> Vec<Edit> {
    set(
        ctx.plan,
        Kind::IpsecConnection,
        ipsec,
        &[("local_cidrs", serde_json::json!(["0.0.0.0/0"]))],
    )
    .into_iter()
    .collect()
}

/// The overlapping-routes switch of CEN `cen` on (CEN-RT-008: how the console has it, or what
/// migrating peered networks needs first).
pub fn overlapping_on(ctx: &Ctx<'_>, cen: &str) -> Vec<Edit> {
    set(ctx.plan, Kind::Cen, cen, &[("overlapping_routes", true.into())])
        .into_iter()
        .collect()
}

/// An office no system route of its VPN gateway's VPC leads to (CEN-VPN-001): a route entry
/// `CIDR → VPN gateway` in the system table for each office CIDR of connection `conn` no such route
/// covers, published to CEN when `publish` (the VPC is attached), named "To <office>" as drawing
/// names it.
pub fn office_routes(ctx: &Ctx<'_>, conn: &str, publish: bool) -> Vec<Edit> {
    let plan = ctx.plan;
    let Some(c) = plan.ipsec_connections.iter().find(|c| c.id == conn) else {
        return Vec::new();
    };
    let Some(gw) = plan.vpn_gateways.iter().find(|g| g.id == c.vpn_gateway) else {
        return Vec::new();
    };
    let routed: Vec<_> = plan
        .route_entries
        .iter()
        .filter(|r| r.network == gw.vpc && r.next_hop == gw.id && r.table == RouteTable::System)
        .filter_map(|r| parse_cidr(&r.destination).ok())
        .collect();
    let first = first_number(plan, Kind::RouteEntry);
    let mut edits = Vec::new();
    for (text, cidr) in c.remote_cidrs.iter().filter_map(|t| parse_cidr(t).ok().map(|n| (t, n))) {
        if routed.iter().any(|r| r.contains(&cidr)) {
            continue;
        }
        let route = RouteEntry {
            id: format!("{}-{}", Kind::RouteEntry.id_prefix(), first + edits.len() as u64),
            name: format!("To {}", ctx.name(&c.customer_gateway)),
            network: gw.vpc.clone(),
            destination: text.trim().to_string(),
            next_hop_type: NextHopType::VpnGateway,
            next_hop: gw.id.clone(),
            table: RouteTable::System,
            published: publish,
        };
        if let Ok(entity) = serde_json::to_value(&route) {
            edits.push(Edit::Put {
                kind: Kind::RouteEntry,
                entity,
                previous_id: None,
            });
        }
    }
    edits
}
