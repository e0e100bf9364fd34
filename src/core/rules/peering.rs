//! Express Connect peering coexistence and migration (CEN-PEER-003, -004).
//!
//! The plan records peering connections but no history, so the migration advice is informational:
//! keep same-region peering in Hangzhou and Shanghai (003), and the extra steps for a VBR that is an
//! end of a peering connection and is attached to a CEN (004). The route effects of peering static
//! routes (PEER-001/002) belong to the route engine.

use crate::core::facts::{Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, VbrRouting};

/// Regions where same-region peering must be kept after migrating to CEN (CEN-PEER-003).
const KEEP_REGIONS: [&str; 2] = ["cn-hangzhou", "cn-shanghai"];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.plan.peerings {
        let (Some(a), Some(b)) = (ctx.networks.get(p.a.as_str()), ctx.networks.get(p.b.as_str())) else {
            continue;
        };
        if a.id == b.id {
            continue;
        }
        let name = ctx.name(&p.id);
        // CEN-PEER-003
        if a.kind == NetKind::Vpc && b.kind == NetKind::Vpc && a.region == b.region {
            let region = a.region.unwrap_or_default();
            let cen = ctx.cen_of(a.id).or_else(|| ctx.cen_of(b.id));
            if let (true, Some(cen)) = (KEEP_REGIONS.contains(&region), cen) {
                out.push(
                    Finding::new(
                        Code::CenPeer003,
                        Severity::Info,
                        Kind::Peering,
                        &p.id,
                        format!(
                            "peering connection {name} joins VPCs {} and {} in the same region {region}, and CEN {} carries their traffic: keep this peering connection, do not freeze or delete it after migration",
                            ctx.name(a.id),
                            ctx.name(b.id),
                            ctx.name(&cen.id)
                        ),
                    )
                    .fix("After moving the routes to CEN, delete only the peering static routes; leave the same-region peering connection in place (Hangzhou and Shanghai).")
                    .related(Kind::Vpc, a.id)
                    .related(Kind::Vpc, b.id)
                    .related(Kind::Cen, &cen.id),
                );
            }
        }
        // CEN-PEER-004
        for end in [a, b] {
            if end.kind != NetKind::Vbr {
                continue;
            }
            let Some(cen) = ctx.cen_of(end.id) else { continue };
            let Some(vbr) = ctx.plan.vbrs.iter().find(|v| v.id == end.id) else {
                continue;
            };
            let vbr_name = ctx.name(&vbr.id);
            let mut steps = vec![
                "before migrating, turn off the VBR health check of the peering connection".to_string(),
                if vbr.health_check {
                    "after migrating, keep the CEN health check (the plan has one)".to_string()
                } else {
                    "after migrating, configure the CEN health check (the plan has none yet)".to_string()
                },
            ];
            if vbr.routing == VbrRouting::Bgp {
                steps.push(
                    "with BGP, advertise the split (more specific) prefixes from the data centre during the move and withdraw them afterwards"
                        .to_string(),
                );
            }
            steps.push("if the data centre uses cloud services (OSS, PrivateZone), set up that access through CEN".to_string());
            out.push(
                Finding::new(
                    Code::CenPeer004,
                    Severity::Info,
                    Kind::Vbr,
                    &vbr.id,
                    format!(
                        "VBR {vbr_name} is an end of peering connection {name} and is attached to CEN {}: migrating it has extra steps",
                        ctx.name(&cen.id)
                    ),
                )
                .field("health_check")
                .fix(format!("Migration steps: {}.", steps.join("; ")))
                .related(Kind::Peering, &p.id)
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan};
    use expect_test::expect;

    /// VPC `x` (cn-hangzhou) peered with `b`, a VPC or a VBR (10.9.0.0/16) in `region_b`; both attached
    /// to CEN `c` (overlapping routes on) if `attach`.
    fn peered(region_b: &str, b_is_vbr: bool, attach: bool, routing: &str) -> Plan {
        plan()
            .when(b_is_vbr, |p| {
                p.vbr("b", region_b, &["10.9.0.0/16"]).when(routing == "bgp", |p| p.bgp())
            })
            .vpc("x", "cn-hangzhou", "192.168.0.0/16")
            .when(!b_is_vbr, |p| p.vpc("b", region_b, "172.16.0.0/16"))
            .peering("p", "x", "b")
            .cen("c")
            .overlapping()
            .when(attach, |p| p.attach("t1", "c", "x").attach("t2", "c", "b"))
            .build()
    }

    #[test]
    fn peer_003_same_region_peering_in_hangzhou_is_kept() {
        check_codes(
            &peered("cn-hangzhou", false, true, "static"),
            &["CEN-PEER-003"],
            expect![[r#"
                info CEN-PEER-003 p: peering connection p joins VPCs x and b in the same region cn-hangzhou, and CEN c carries their traffic: keep this peering connection, do not freeze or delete it after migration
                  fix: After moving the routes to CEN, delete only the peering static routes; leave the same-region peering connection in place (Hangzhou and Shanghai).
                  related: x, b, c
            "#]],
        );
    }

    #[test]
    fn peer_003_does_not_fire_across_regions_elsewhere_or_without_cen() {
        check_codes(&peered("cn-shanghai", false, true, "static"), &["CEN-PEER-003"], expect![[""]]);
        check_codes(&peered("cn-hangzhou", false, false, "static"), &["CEN-PEER-003"], expect![[""]]);
        check_codes(&peered("cn-hangzhou", true, true, "static"), &["CEN-PEER-003"], expect![[""]]);
    }

    #[test]
    fn peer_004_attached_vbr_in_a_peering() {
        // With BGP the fix also says to split the prefixes.
        check_codes(
            &peered("cn-hangzhou", true, true, "bgp"),
            &["CEN-PEER-004"],
            expect![[r#"
                info CEN-PEER-004 b.health_check: VBR b is an end of peering connection p and is attached to CEN c: migrating it has extra steps
                  fix: Migration steps: before migrating, turn off the VBR health check of the peering connection; after migrating, configure the CEN health check (the plan has none yet); with BGP, advertise the split (more specific) prefixes from the data centre during the move and withdraw them afterwards; if the data centre uses cloud services (OSS, PrivateZone), set up that access through CEN.
                  related: p, c
            "#]],
        );
        check_codes(
            &peered("cn-hangzhou", true, true, "static"),
            &["CEN-PEER-004"],
            expect![[r#"
                info CEN-PEER-004 b.health_check: VBR b is an end of peering connection p and is attached to CEN c: migrating it has extra steps
                  fix: Migration steps: before migrating, turn off the VBR health check of the peering connection; after migrating, configure the CEN health check (the plan has none yet); if the data centre uses cloud services (OSS, PrivateZone), set up that access through CEN.
                  related: p, c
            "#]],
        );
    }

    #[test]
    fn peer_004_does_not_fire_for_unattached_vbrs_or_vpc_peering() {
        check_codes(&peered("cn-hangzhou", true, false, "bgp"), &["CEN-PEER-004"], expect![[""]]);
        check_codes(&peered("cn-hangzhou", false, true, "bgp"), &["CEN-PEER-004"], expect![[""]]);
    }
}
