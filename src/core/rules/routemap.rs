//! Route maps (CEN-RMAP-001, CEN-RMAP-002): their priorities are unique per CEN, region and direction
//! and within the API's range, and a next priority lies after the map's own. How they act on routes is
//! the data plane's (`DataPlane::route_maps`); here only what the console would refuse.

use crate::core::dataplane::DataPlane;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, MapDirection};
use std::collections::BTreeMap;

/// Highest user priority (the system map uses 5000).
const MAX_PRIORITY: u32 = 100;
/// Route maps per direction per region (not raisable).
const MAX_MAPS: usize = 100;

pub(super) fn check(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
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
    use crate::core::testing::{check_codes, plan};
    use expect_test::expect;

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
