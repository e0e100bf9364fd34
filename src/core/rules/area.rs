//! CEN-AREA-001: every region a plan uses maps to one CEN area in the table in force on its date.

use crate::core::catalog;
use crate::core::date::Date;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::Kind;

pub(super) fn check(ctx: &super::Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    // An unparsable date is reported by the integrity checks (PLAN-VALUE-001).
    let Ok(as_of) = Date::parse(&plan.settings.as_of) else { return };
    let uses = plan
        .vpcs
        .iter()
        .map(|v| (Kind::Vpc, &v.id, &v.region, "region"))
        .chain(plan.vbrs.iter().map(|v| (Kind::Vbr, &v.id, &v.region, "region")))
        .chain(
            plan.customer_gateways
                .iter()
                .map(|g| (Kind::CustomerGateway, &g.id, &g.region, "region")),
        )
        .chain(plan.region_bandwidths.iter().flat_map(|b| {
            [
                (Kind::RegionBandwidth, &b.id, &b.region_a, "region_a"),
                (Kind::RegionBandwidth, &b.id, &b.region_b, "region_b"),
            ]
        }));
    for (kind, id, region, field) in uses {
        if region.trim().is_empty() || plan.regions.iter().any(|r| &r.id == region) {
            continue;
        }
        match catalog::find(region) {
            Some(r) if r.listing(as_of) == catalog::Listing::Listed => {}
            Some(r) => {
                let when = match r.listed_until {
                    Some(until) if until.happened(as_of) != Some(false) => {
                        format!("it was listed from {} until {until} ({})", r.listed_from, r.source)
                    }
                    _ => format!("it is listed from {} ({})", r.listed_from, r.source),
                };
                let what = if r.listing(as_of) == catalog::Listing::Unknown {
                    "may not be in the CEN area table as of"
                } else {
                    "is not in the CEN area table as of"
                };
                out.push(
                    Finding::new(
                        Code::CenArea001,
                        Severity::Warning,
                        kind,
                        id,
                        format!("{} ({region}) {what} {as_of}: {when}", r.name),
                    )
                    .field(field)
                    .fix("Check the region with DescribeGeographicRegionMembership or the console before buying a package, or change the plan's date."),
                );
            }
            None => out.push(
                Finding::new(
                    Code::CenArea001,
                    Severity::Error,
                    kind,
                    id,
                    format!("region \"{region}\" is not in the region catalog, so its CEN area is unknown"),
                )
                .field(field)
                .fix("Fix the region id, or add it under Custom regions with its CEN area."),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::catalog::Area;
    use crate::core::testing::{check_codes, plan, PlanBuilder};
    use expect_test::expect;

    fn vpc_in(region: &str, as_of: &str) -> PlanBuilder {
        plan().as_of(as_of).vpc("v", region, "10.0.0.0/16")
    }

    /// A region added to the table on a date nobody recorded (Chengdu: on the current page, not in the
    /// 2019 documents) is "may not be listed" in between, not listed before, and fine once read.
    #[test]
    fn a_region_added_on_an_unknown_date_is_unknown_in_between() {
        check_codes(
            &vpc_in("cn-chengdu", "2023-01-01").build(),
            &["CEN-AREA"],
            expect![[r#"
            warning CEN-AREA-001 v.region: China (Chengdu) (cn-chengdu) may not be in the CEN area table as of 2023-01-01: it is listed from an unknown date after 2019-09-19 (by 2026-11-01) (current help page (read 2026-11))
              fix: Check the region with DescribeGeographicRegionMembership or the console before buying a package, or change the plan's date.
        "#]],
        );
        check_codes(
            &vpc_in("cn-chengdu", "2019-09-19").build(),
            &["CEN-AREA"],
            expect![[r#"
            warning CEN-AREA-001 v.region: China (Chengdu) (cn-chengdu) is not in the CEN area table as of 2019-09-19: it is listed from an unknown date after 2019-09-19 (by 2026-11-01) (current help page (read 2026-11))
              fix: Check the region with DescribeGeographicRegionMembership or the console before buying a package, or change the plan's date.
        "#]],
        );
        check_codes(&vpc_in("cn-chengdu", "2026-11-23").build(), &["CEN-AREA"], expect![[""]]);
    }

    #[test]
    fn a_listed_region_is_fine() {
        check_codes(&vpc_in("cn-hangzhou", "2018-08-27").build(), &["CEN-AREA-001"], expect![[""]]);
    }

    #[test]
    fn london_is_not_in_the_seed_table_but_is_in_2019() {
        check_codes(
            &vpc_in("eu-west-1", "2018-08-27").build(),
            &["CEN-AREA-001"],
            expect![[r#"
                warning CEN-AREA-001 v.region: UK (London) (eu-west-1) is not in the CEN area table as of 2018-08-27: it is listed from 2018-09-01 (backbonenet history (2018-09), all 2019 docs)
                  fix: Check the region with DescribeGeographicRegionMembership or the console before buying a package, or change the plan's date.
            "#]],
        );
        check_codes(&vpc_in("eu-west-1", "2019-09-19").build(), &["CEN-AREA-001"], expect![[""]]);
    }

    #[test]
    fn an_unknown_region_is_an_error_unless_the_plan_defines_it() {
        check_codes(
            &vpc_in("mars-north-1", "2019-09-19").build(),
            &["CEN-AREA-001"],
            expect![[r#"
                error CEN-AREA-001 v.region: region "mars-north-1" is not in the region catalog, so its CEN area is unknown
                  fix: Fix the region id, or add it under Custom regions with its CEN area.
            "#]],
        );
        let p = vpc_in("mars-north-1", "2019-09-19")
            .region("mars-north-1", "Mars", Area::Europe)
            .build();
        check_codes(&p, &["CEN-AREA-001"], expect![[""]]);
    }
}
