//! Fixes a plan can express, as edits the app can apply as they are: a field set on an existing
//! entity, or a new entity built from a draft exactly as the forms build one.

use crate::core::edit::Edit;
use crate::core::facts::Ctx;
use crate::core::fields;
use crate::core::model::{Entity, Kind, MapAction, MapDirection, Plan, PrefixMatch, RouteMap};
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
    let first: u64 = fields::next_id(plan, Kind::RouteMap)
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
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
