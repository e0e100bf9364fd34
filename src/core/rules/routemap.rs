//! Route maps (CEN-RMAP-001, -002, -003): their priorities are unique per CEN, region and direction
//! and within the API's range, and a next priority lies after the map's own; and an isolation by Deny
//! maps covers both directions (003). How they act on routes is the data plane's
//! (`DataPlane::route_maps`): the one-way check reads its route tables.

use crate::core::dataplane::{DataPlane, Inactive, NextHop};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, MapAction, MapDirection};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// Highest user priority (the system map uses 5000).
const MAX_PRIORITY: u32 = 100;
/// Route maps per direction per region (not raisable).
const MAX_MAPS: usize = 100;

pub(super) fn check(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    limits(dp, out);
    one_way(dp, out);
}

// CEN-RMAP-003: isolating two networks needs two Deny maps (rulebook §2.12). When route maps keep every
// route of `from` from `to` (read in `to`'s route table) while `from` still installs a route of `to`,
// the traffic is one-way: `from`'s packets reach `to`, whose replies cannot come back. One finding per
// pair (only one direction can be the open one), on the map present, with the missing mirror map as
// its fix (`Analysis::fix_edits`). Lines of one site never need to reach each other, and a VBR/CCN
// pair is kept apart the other way by the system map already (the reverse is then not installed):
// neither fires.
fn one_way(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    for cen in ctx.cens().filter(|c| dp.has_route_maps(&c.id)) {
        let cen_id = cen.id.as_str();
        let nets: Vec<&str> = ctx
            .attached_networks(cen_id)
            .iter()
            .map(|n| n.id)
            .filter(|n| dp.effective_cen(n) == Some(cen_id))
            .collect();
        let members: FxHashMap<&str, &str> = nets.iter().map(|n| (*n, *n)).collect();
        // The networks a Deny map of the CEN may keep routes from: the map's destinations, else the
        // networks of its region (RegionOut), else all. Only their route tables are read.
        let (mut receivers, mut chosen): (Vec<&str>, FxHashSet<&str>) = (Vec::new(), FxHashSet::default());
        for m in ctx
            .plan
            .route_maps
            .iter()
            .filter(|m| m.cen == cen_id && m.action == MapAction::Deny)
        {
            for &n in &nets {
                let region = ctx.networks.get(n).and_then(|x| x.region);
                let may = if !m.destination_networks.is_empty() {
                    m.destination_networks.iter().any(|d| d == n)
                } else {
                    m.direction == MapDirection::RegionIn || region == Some(m.region.as_str())
                };
                if may && chosen.insert(n) {
                    receivers.push(n);
                }
            }
        }
        // Per network read: the origins it has an active route of, and those whose every route offered
        // to it is refused, one at least by a route map (that map).
        let mut active: FxHashMap<&str, FxHashSet<String>> = FxHashMap::default();
        let active_of = |n: &str| -> FxHashSet<String> {
            let table = dp.table(n);
            table
                .routes
                .iter()
                .filter(|r| r.inactive.is_none())
                .filter_map(|r| match &r.next_hop {
                    NextHop::Cen(o) => Some(o.clone()),
                    _ => None,
                })
                .collect()
        };
        for to in receivers {
            let table = dp.table(to);
            let learns = active.entry(to).or_insert_with(|| active_of(to));
            let mut seen = FxHashSet::default();
            let mut denied: Vec<(&str, &str)> = Vec::new();
            for r in &table.routes {
                if let (NextHop::Cen(o), Some(Inactive::RouteMapDenied { map, .. })) = (&r.next_hop, &r.inactive) {
                    // Some route of `o` still installed in `to` means not kept apart (a prefix filter).
                    if seen.insert(o.as_str()) && !learns.contains(o) && !ctx.same_site(to, o) {
                        if let Some(&from) = members.get(o.as_str()) {
                            denied.push((from, map));
                        }
                    }
                }
            }
            for (from, map_id) in denied {
                // ... while `from` installs a route of `to`: its packets go, the replies cannot come back.
                if !active.entry(from).or_insert_with(|| active_of(from)).contains(to) {
                    continue;
                }
                let back = dp.table(from);
                let Some(kept) = back
                    .routes
                    .iter()
                    .find(|r| r.inactive.is_none() && matches!(&r.next_hop, NextHop::Cen(o) if o == to))
                else {
                    continue;
                };
                let Some(m) = ctx.plan.route_maps.iter().find(|m| m.id == map_id) else {
                    continue;
                };
                let (to_name, from_name, cen_name) = (ctx.name(to), ctx.name(from), ctx.name(cen_id));
                let direction = match m.direction {
                    MapDirection::RegionIn => "RegionIn",
                    MapDirection::RegionOut => "RegionOut",
                };
                let region = ctx.networks.get(from).and_then(|n| n.region).filter(|r| !r.is_empty());
                let fix = match region {
                Some(r) => format!(
                    "Add the mirror Deny route map on CEN {cen_name}: RegionOut in {r}, source {to_name}, destination {from_name}, so {from_name} no longer learns {to_name}'s routes; or, if the two must talk, remove route map {}.",
                    ctx.name(&m.id)
                ),
                None => format!(
                    "Keep {to_name}'s routes from {from_name} too (a Deny route map toward {from_name}; it has no region in the plan to place one in: outside the plan), or, if the two must talk, remove route map {}.",
                    ctx.name(&m.id)
                ),
            };
                let kinds = |n: &str| ctx.networks.get(n).map_or(Kind::Vpc, |n| n.kind.kind());
                out.push(
                Finding::new(
                    Code::CenRmap003,
                    Severity::Error,
                    Kind::RouteMap,
                    &m.id,
                    format!(
                        "route map {} (CEN {cen_name}, {} {direction}, priority {}) keeps the routes of {from_name} from {to_name}, but no route map keeps {to_name}'s routes from {from_name} ({from_name} installs {} toward {to_name}): the traffic is one-way, {from_name}'s packets reach {to_name} and {to_name}'s replies cannot come back. Isolating two networks needs two Deny maps, one per direction",
                        ctx.name(&m.id),
                        m.region,
                        m.priority,
                        kept.prefix
                    ),
                )
                .fix(fix)
                .related(kinds(from), from)
                .related(kinds(to), to)
                .related(Kind::Cen, cen_id),
            );
            }
        }
    }
}

// CEN-RMAP-001 and -002: what the console would refuse.
fn limits(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    let direction = |d: MapDirection| match d {
        MapDirection::RegionIn => "RegionIn",
        MapDirection::RegionOut => "RegionOut",
    };
    let mut chains: BTreeMap<(&str, &str, &str), Vec<usize>> = BTreeMap::new();
    for (i, m) in ctx.plan.route_maps.iter().enumerate() {
        chains
            .entry((m.cen.as_str(), m.region.as_str(), direction(m.direction)))
            .or_default()
            .push(i);
        let name = ctx.name(&m.id);
        if !(1..=MAX_PRIORITY).contains(&m.priority) {
            out.push(
                Finding::new(
                    Code::CenRmap002,
                    Severity::Error,
                    Kind::RouteMap,
                    &m.id,
                    format!(
                        "route map {name} has priority {}: user route maps take priorities 1 to {MAX_PRIORITY}",
                        m.priority
                    ),
                )
                .field("priority")
                .fix(format!("Choose a priority from 1 to {MAX_PRIORITY} (lower runs first).")),
            );
        }
        if let Some(next) = m.next_priority.filter(|n| *n <= m.priority) {
            out.push(
                Finding::new(
                    Code::CenRmap001,
                    Severity::Error,
                    Kind::RouteMap,
                    &m.id,
                    format!(
                        "route map {name} continues at priority {next}, which is not after its own priority {}: evaluation only moves forward",
                        m.priority
                    ),
                )
                .field("next_priority")
                .fix("Set a next priority larger than the map's own, or clear it."),
            );
        }
    }
    for ((cen, region, dir), maps) in chains {
        let mut by_priority: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for &i in &maps {
            by_priority.entry(ctx.plan.route_maps[i].priority).or_default().push(i);
        }
        for (priority, same) in by_priority.iter().filter(|(_, v)| v.len() > 1) {
            for &i in &same[1..] {
                let m = &ctx.plan.route_maps[i];
                let first = &ctx.plan.route_maps[same[0]];
                out.push(
                    Finding::new(
                        Code::CenRmap001,
                        Severity::Error,
                        Kind::RouteMap,
                        &m.id,
                        format!(
                            "route maps {} and {} of CEN {} both have priority {priority} in {region} ({dir}): priorities must be unique per region and direction",
                            ctx.name(&first.id),
                            ctx.name(&m.id),
                            ctx.name(cen)
                        ),
                    )
                    .field("priority")
                    .fix("Give each route map of the region and direction its own priority.")
                    .related(Kind::RouteMap, &first.id),
                );
            }
        }
        if maps.len() > MAX_MAPS {
            let first = &ctx.plan.route_maps[maps[0]];
            out.push(
                Finding::new(
                    Code::CenRmap002,
                    Severity::Error,
                    Kind::RouteMap,
                    &first.id,
                    format!(
                        "CEN {} has {} route maps in {region} ({dir}); at most {MAX_MAPS} per direction per region",
                        ctx.name(cen),
                        maps.len()
                    ),
                )
                .fix("Merge route maps (a map matches up to 32 entries per list)."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, codes_of, plan, PlanBuilder};
    use expect_test::expect;

    /// VPCs `v1` and `v2` in Hangzhou on CEN `c`, and the Deny map `m1` keeping `v2`'s routes from `v1`.
    fn one_map() -> PlanBuilder {
        plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.0.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.0.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .route_map("m1", "c", "cn-hangzhou", 20)
            .deny()
            .matching(&["v2"], &["v1"])
    }

    /// One Deny map: v1 does not learn v2, v2 still learns v1; one finding on the map, whose fix is the
    /// mirror map, and once it is applied both directions are kept apart and nothing fires.
    #[test]
    fn one_deny_map_between_two_networks_is_a_one_way_isolation_fixed_by_its_mirror() {
        let p = one_map().build();
        check_codes(
            &p,
            &["CEN-RMAP"],
            expect![[r#"
                error CEN-RMAP-003 m1: route map m1 (CEN c, cn-hangzhou RegionOut, priority 20) keeps the routes of v2 from v1, but no route map keeps v1's routes from v2 (v2 installs 10.1.0.0/24 toward v1): the traffic is one-way, v2's packets reach v1 and v1's replies cannot come back. Isolating two networks needs two Deny maps, one per direction
                  fix: Add the mirror Deny route map on CEN c: RegionOut in cn-hangzhou, source v1, destination v2, so v2 no longer learns v1's routes; or, if the two must talk, remove route map m1.
                  related: v2, v1, c
            "#]],
        );
        let a = crate::core::analysis::analyse(&p);
        let finding = a
            .report()
            .findings
            .iter()
            .find(|f| f.code.as_str() == "CEN-RMAP-003")
            .cloned()
            .unwrap();
        let edits = a.fix_edits(&finding);
        assert_eq!(edits.len(), 1, "{edits:?}");
        let mut fixed = p.clone();
        for e in edits {
            crate::core::edit::apply(&mut fixed, e).unwrap();
        }
        let m = fixed.route_maps.last().unwrap();
        assert_eq!(
            (m.region.as_str(), m.source_networks.as_slice(), m.destination_networks.as_slice()),
            ("cn-hangzhou", &["v1".to_string()][..], &["v2".to_string()][..])
        );
        assert_eq!(m.action, crate::core::model::MapAction::Deny);
        assert!(codes_of(&fixed, "CEN-RMAP").is_empty(), "{:?}", codes_of(&fixed, "CEN-RMAP"));
        let fixed = crate::core::analysis::analyse(&fixed);
        assert_eq!(fixed.reach("v1", "v2").unwrap().result, crate::core::reach::Verdict::Unreachable);
    }

    #[test]
    fn two_deny_maps_isolate_both_ways_and_do_not_fire() {
        let p = one_map()
            .route_map("m2", "c", "cn-hangzhou", 30)
            .deny()
            .matching(&["v1"], &["v2"])
            .build();
        check_codes(&p, &["CEN-RMAP"], expect![[""]]);
        // A Deny map on one prefix of v2 while v1 still learns its other one is a prefix filter, not
        // an isolation.
        let p = one_map()
            .vswitch("s2b", "v2", "10.2.1.0/24")
            .with(|p| p.route_maps[0].prefixes = vec!["10.2.0.0/24".into()])
            .build();
        let a = crate::core::analysis::analyse(&p);
        assert!(a
            .table("v1")
            .routes
            .iter()
            .any(|r| matches!(r.inactive, Some(crate::core::dataplane::Inactive::RouteMapDenied { .. }))));
        check_codes(&p, &["CEN-RMAP"], expect![[""]]);
        // A Deny map that matches nothing these networks advertise keeps nothing apart.
        let p = one_map()
            .with(|p| p.route_maps[0].source_networks = vec!["elsewhere".into()])
            .build();
        check_codes(&p, &["CEN-RMAP"], expect![[""]]);
    }

    /// Two VBRs attached before VBR isolation (both learn each other) with a Deny map one way: one-way
    /// between two data centres, but not between two lines of one site (they never need to talk).
    fn legacy_vbrs(site: bool) -> Plan {
        plan()
            .cen("c")
            .overlapping()
            .vbr("b1", "cn-hangzhou", &["192.168.1.0/24"])
            .vbr("b2", "cn-hangzhou", &["192.168.2.0/24"])
            .attach("t1", "c", "b1")
            .attached_on("2018-07-01")
            .attach("t2", "c", "b2")
            .attached_on("2018-07-01")
            .route_map("m1", "c", "cn-hangzhou", 20)
            .deny()
            .matching(&["b2"], &["b1"])
            .when(site, |p| p.site("dc", &["192.168.0.0/16"], &["b1", "b2"]))
            .build()
    }

    #[test]
    fn a_one_way_map_between_lines_of_one_site_does_not_fire() {
        assert_eq!(codes_of(&legacy_vbrs(false), "CEN-RMAP"), ["CEN-RMAP-003"]);
        assert!(codes_of(&legacy_vbrs(true), "CEN-RMAP").is_empty());
    }

    /// Two VBRs attached today are isolated both ways by the system: a Deny map one way completes
    /// nothing and breaks nothing.
    #[test]
    fn a_deny_map_between_vbrs_isolated_by_default_does_not_fire() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vbr("b1", "cn-hangzhou", &["192.168.1.0/24"])
            .vbr("b2", "cn-hangzhou", &["192.168.2.0/24"])
            .attach("t1", "c", "b1")
            .attach("t2", "c", "b2")
            .route_map("m1", "c", "cn-hangzhou", 20)
            .deny()
            .matching(&["b2"], &["b1"])
            .build();
        assert!(codes_of(&p, "CEN-RMAP").is_empty());
    }

    #[test]
    fn route_map_priorities_are_unique_per_region_and_direction_and_within_range() {
        let p = plan()
            .cen("c")
            .route_map("m1", "c", "cn-hangzhou", 20)
            .route_map("m2", "c", "cn-hangzhou", 20)
            .route_map("m3", "c", "cn-hangzhou", 20)
            .region_in()
            .route_map("m4", "c", "cn-shanghai", 20)
            .route_map("m5", "c", "cn-shanghai", 200)
            .route_map("m6", "c", "cn-shanghai", 30)
            .next_priority(30)
            .build();
        check_codes(
            &p,
            &["CEN-RMAP"],
            expect![[r#"
                error CEN-RMAP-001 m2.priority: route maps m1 and m2 of CEN c both have priority 20 in cn-hangzhou (RegionOut): priorities must be unique per region and direction
                  fix: Give each route map of the region and direction its own priority.
                  related: m1
                error CEN-RMAP-001 m6.next_priority: route map m6 continues at priority 30, which is not after its own priority 30: evaluation only moves forward
                  fix: Set a next priority larger than the map's own, or clear it.
                error CEN-RMAP-002 m5.priority: route map m5 has priority 200: user route maps take priorities 1 to 100
                  fix: Choose a priority from 1 to 100 (lower runs first).
            "#]],
        );
    }

    #[test]
    fn distinct_priorities_in_range_are_fine() {
        let p = plan()
            .cen("c")
            .route_map("m1", "c", "cn-hangzhou", 20)
            .next_priority(40)
            .route_map("m2", "c", "cn-hangzhou", 40)
            .build();
        check_codes(&p, &["CEN-RMAP"], expect![[""]]);
    }
}
