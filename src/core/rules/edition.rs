//! Edition and date scoping, security-group and cloud-service reminders (CEN-ED-*, CEN-SG-001, CEN-SVC-001).
//!
//! The plan models the Basic edition as the 2018–2019 documents describe it. This module says when
//! the plan's date puts it outside that model (Basic no longer sold, a feature not released yet),
//! warns about NAT gateways shared through CEN (CEN-RT-009), and reminds that security groups,
//! which the plan does not model, must allow the peers (with declared flows: which peer CIDRs). Cloud
//! services are not modelled, so their rule is listed as not checked.

use crate::core::cidr::parse_cidr;
use crate::core::facts::{dates, Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::flows::Demand;
use crate::core::model::{Kind, NextHopType};

pub(super) fn check(ctx: &Ctx<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    basic_edition(ctx, out);
    dated_switches(ctx, out);
    nat_gateways(ctx, out);
    if demand.assumed() {
        security_groups(ctx, out);
    } else {
        security_groups_for_flows(ctx, demand, out);
    }
}

/// CEN-ED-001: from 2022-03-31 the Basic edition is no longer sold outside CCN areas.
fn basic_edition(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if ctx.as_of < dates::BASIC_EDITION_ENDED {
        return;
    }
    for cen in ctx.cens() {
        // An instance created while Basic was still sold keeps existing; the warning is for new ones.
        if ctx.created_on(cen).is_some_and(|d| d < dates::BASIC_EDITION_ENDED) {
            continue;
        }
        out.push(
            Finding::new(
                Code::CenEd001,
                Severity::Warning,
                Kind::Cen,
                &cen.id,
                format!(
                    "CEN {} is planned as a Basic edition instance, but as of {} (plan date {}) Basic edition is no longer sold outside CCN areas: a new instance is an Enterprise edition (transit router) one, which this planner does not model",
                    ctx.name(&cen.id),
                    dates::BASIC_EDITION_ENDED,
                    ctx.as_of
                ),
            )
            .fix(format!(
                "Check the design against the Enterprise edition documents, or set the plan date before {} to check it as a Basic edition plan.",
                dates::BASIC_EDITION_ENDED
            )),
        );
    }
}

/// CEN-ED-002: dated switches; the one a plan can get wrong by itself is overlapping routes before their release.
fn dated_switches(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if ctx.as_of >= dates::OVERLAP_RELEASED {
        return;
    }
    for cen in ctx.cens().filter(|c| c.overlapping_routes) {
        out.push(
            Finding::new(
                Code::CenEd002,
                Severity::Error,
                Kind::Cen,
                &cen.id,
                format!(
                    "CEN {} has overlapping routes on, but the plan is dated {} and overlapping routing was released on {}: the switch did not exist yet",
                    ctx.name(&cen.id),
                    ctx.as_of,
                    dates::OVERLAP_RELEASED
                ),
            )
            .field("overlapping_routes")
            .fix(format!(
                "Turn overlapping routes off, or date the plan on or after {}.",
                dates::OVERLAP_RELEASED
            )),
        );
    }
}

/// CEN-RT-009: NAT gateways could not be shared through Basic CEN (2019).
fn nat_gateways(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // The names of each CEN's networks, written once per CEN, not once per route.
    let mut names: std::collections::HashMap<&str, Vec<(&str, &str)>> = std::collections::HashMap::new();
    for r in ctx.plan.route_entries.iter().filter(|r| r.next_hop_type == NextHopType::NatGateway) {
        let Some(net) = ctx.networks.get(r.network.as_str()) else {
            continue;
        };
        if net.kind != NetKind::Vpc {
            continue;
        }
        let Some(cen) = ctx.cen_of(&r.network) else { continue };
        let all = names
            .entry(cen.id.as_str())
            .or_insert_with(|| ctx.attached_networks(&cen.id).iter().map(|n| (n.id, ctx.name(n.id))).collect());
        // The VPC is one of the CEN's attached networks.
        let others = all.len().saturating_sub(1);
        if others == 0 {
            continue;
        }
        let default_route = parse_cidr(&r.destination).is_ok_and(|d| d.prefix_len() == 0);
        let (vpc, cen_name, route) = (ctx.name(net.id), ctx.name(&cen.id), ctx.name(&r.id));
        let publishable = crate::core::dataplane::publishable(NextHopType::NatGateway, ctx.as_of);
        if r.published && publishable == Some(false) {
            out.push(
                Finding::new(
                    Code::CenRt009,
                    Severity::Warning,
                    Kind::RouteEntry,
                    &r.id,
                    format!(
                        "Route {route} ({} → NAT gateway) in VPC {vpc} is published to CEN {cen_name}: sharing a NAT gateway through Basic CEN was not supported (2019 documents), so {} cannot use it; only later documents allow NAT-gateway routes — check the edition and date",
                        r.destination.trim(),
                        if others == 1 { "the other network" } else { "the other networks" }
                    ),
                )
                .field("published")
                .fix("Give each VPC that needs Internet access its own NAT gateway (or EIP), or plan an Enterprise edition transit router.")
                .related(Kind::Cen, &cen.id),
            );
        } else if r.published && publishable.is_none() {
            out.push(
                Finding::new(
                    Code::CenRt009,
                    Severity::Warning,
                    Kind::RouteEntry,
                    &r.id,
                    format!(
                        "Route {route} ({} → NAT gateway) in VPC {vpc} is published to CEN {cen_name}: whether CEN takes NAT-gateway routes as of {} is unknown (the 2019 documents do not list them as publishable, the PublishRouteEntries reference of {} does; when that changed is not recorded), so the plan does not count on it",
                        r.destination.trim(),
                        ctx.as_of,
                        crate::core::rulebook::dates::PUBLISH_MORE_NEXT_HOPS
                    ),
                )
                .field("published")
                .fix("Give each VPC that needs Internet access its own NAT gateway (or EIP), or plan an Enterprise edition transit router.")
                .related(Kind::Cen, &cen.id),
            );
        } else if default_route && !r.published {
            out.push(
                Finding::new(
                    Code::CenRt009,
                    Severity::Info,
                    Kind::RouteEntry,
                    &r.id,
                    format!(
                        "VPC {vpc} sends 0.0.0.0/0 to a NAT gateway (route {route}); the other networks of CEN {cen_name} ({}) cannot share that NAT gateway through Basic CEN (2019 documents)",
                        super::list_of(all.iter().filter(|(id, _)| *id != net.id).map(|(_, name)| name.to_string()), others)
                    ),
                )
                .fix("If the other networks need Internet access, give them their own NAT gateway (or EIP).")
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

/// CEN-SG-001: the plan does not model security groups; remind once per plan (a fact of the plan, not
/// of each CEN), on the first CEN whose networks talk, naming the VPCs of every such CEN.
fn security_groups(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut cens: Vec<&str> = Vec::new();
    let mut vpcs: Vec<&str> = Vec::new();
    for cen in ctx.cens() {
        let nets = ctx.attached_networks(&cen.id);
        let here: Vec<&str> = nets.iter().filter(|n| n.kind == NetKind::Vpc).map(|n| n.id).collect();
        if nets.len() < 2 || here.is_empty() {
            continue;
        }
        cens.push(&cen.id);
        for v in here {
            if !vpcs.contains(&v) {
                vpcs.push(v);
            }
        }
    }
    let Some((first, others)) = cens.split_first() else { return };
    let cen_names = cens.iter().map(|c| ctx.name(c)).collect::<Vec<_>>().join(", ");
    let mut f = Finding::new(
        Code::CenSg001,
        Severity::Info,
        Kind::Cen,
        first,
        format!(
            "Routes do not open ports: the security groups of the ECS instances in {} {} must allow the CIDRs of the other networks of CEN {cen_names} (including office and data-centre CIDRs); the plan does not model security groups",
            if vpcs.len() == 1 { "VPC" } else { "VPCs" },
            super::list_of(vpcs.iter().map(|v| ctx.name(v).to_string()), vpcs.len())
        ),
    )
    .fix("Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.")
    .outside_plan();
    for c in others {
        f = f.related(Kind::Cen, c);
    }
    out.push(f);
}

/// Peer addresses one end's entry lists before "and N more".
const PEERS_SHOWN: usize = 4;

/// CEN-SG-001 with declared flows: once per plan, each end of a required flow that sits in a VPC with
/// the peer addresses its security groups must allow (short lists, "and N more"); nothing when no
/// required flow ends in a VPC (only ECS instances in VPCs have security groups).
fn security_groups_for_flows(ctx: &Ctx<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    let ends = demand.vpc_peers(ctx);
    if ends.is_empty() {
        return;
    }
    let describe = |e: &crate::core::reach::Endpoint| match e.kind {
        Kind::Vpc => format!("VPC {}", ctx.name(&e.id)),
        kind => format!("{} {} (VPC {})", kind.label(), ctx.name(&e.id), ctx.name(&e.network)),
    };
    let mut entries: Vec<String> = ends
        .iter()
        .take(super::LIST_MAX)
        .map(|(e, peers)| {
            let shown = peers.iter().take(PEERS_SHOWN).map(ToString::to_string);
            format!("{} must allow {}", describe(e), super::list_of(shown, peers.len()))
        })
        .collect();
    if ends.len() > entries.len() {
        entries.push(format!("and {} more", ends.len() - entries.len()));
    }
    let mut f = Finding::plan(
        Code::CenSg001,
        Severity::Info,
        format!(
            "Routes do not open ports, and the plan does not model security groups: for the declared flows, the security groups of the ECS instances in {}",
            entries.join("; ")
        ),
    )
    .fix("Add inbound rules for these peer CIDRs (and the ports each flow needs) to the security groups on both ends.")
    .outside_plan();
    for (e, _) in ends.iter().take(super::LIST_MAX) {
        f = f.related(e.kind, &e.id);
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use crate::core::model::NextHopType;
    use crate::core::testing::{check_codes, plan, PlanBuilder};
    use expect_test::expect;

    /// Two VPCs attached to CEN C, dated 2019-09-19.
    fn base() -> PlanBuilder {
        plan()
            .as_of("2019-09-19")
            .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
            .name("VPC1")
            .vpc("v2", "cn-hangzhou", "192.168.0.0/16")
            .name("VPC2")
            .vswitch("s1", "v1", "172.16.1.0/24")
            .vswitch("s2", "v2", "192.168.1.0/24")
            .cen("c")
            .name("C")
            .overlapping()
            .created_on("2019-04-01")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
    }

    /// The security-group reminder is one fact of the plan: one finding for two CENs.
    #[test]
    fn the_security_group_reminder_is_once_per_plan() {
        let p = plan()
            .cen("c1")
            .cen("c2")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .vpc("v4", "cn-hangzhou", "10.4.0.0/16")
            .attach("t1", "c1", "v1")
            .attach("t2", "c1", "v2")
            .attach("t3", "c2", "v3")
            .attach("t4", "c2", "v4")
            .build();
        check_codes(
            &p,
            &["CEN-SG"],
            expect![[r#"
                info CEN-SG-001 c1: Routes do not open ports: the security groups of the ECS instances in VPCs v1, v2, v3, v4 must allow the CIDRs of the other networks of CEN c1, c2 (including office and data-centre CIDRs); the plan does not model security groups
                  fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
                  related: c2
            "#]],
        );
        // One network per CEN: nothing talks, nothing to remind.
        let alone = plan().cen("c").vpc("v", "cn-hangzhou", "10.1.0.0/16").attach("t", "c", "v").build();
        check_codes(&alone, &["CEN-SG"], expect![[""]]);
    }

    /// With declared flows the reminder names, for each end of a required flow in a VPC, the peer
    /// addresses its security groups must allow (a short list); with no required flow ending in a VPC,
    /// there is nothing to remind.
    #[test]
    fn the_security_group_reminder_names_the_peer_cidrs_of_the_declared_flows() {
        let idc = [
            "10.1.0.0/24",
            "10.2.0.0/24",
            "10.3.0.0/24",
            "10.4.0.0/24",
            "10.5.0.0/24",
            "10.6.0.0/24",
        ];
        let p = base()
            .vbr("b", "cn-hangzhou", &idc)
            .attach("t3", "c", "b")
            .required("f1", "s1", "v2")
            .required("f2", "b", "v1")
            .build();
        check_codes(
            &p,
            &["CEN-SG-001"],
            expect![[r#"
                info CEN-SG-001 (plan): Routes do not open ports, and the plan does not model security groups: for the declared flows, the security groups of the ECS instances in VPC VPC2 must allow 172.16.1.0/24; vSwitch s1 (VPC VPC1) must allow 192.168.1.0/24; VPC VPC1 must allow 10.1.0.0/24, 10.2.0.0/24, 10.3.0.0/24, 10.4.0.0/24 and 2 more
                  fix: outside the plan: Add inbound rules for these peer CIDRs (and the ports each flow needs) to the security groups on both ends.
                  related: v2, s1, v1
            "#]],
        );
        let vbrs_only = base()
            .vbr("b", "cn-hangzhou", &["10.1.0.0/24"])
            .vbr("b2", "cn-hangzhou", &["10.2.0.0/24"])
            .attach("t3", "c", "b")
            .attach("t4", "c", "b2")
            .required("f1", "b", "b2")
            .build();
        check_codes(&vbrs_only, &["CEN-SG-001"], expect![[""]]);
    }

    #[test]
    fn basic_edition_warns_for_new_instances_after_it_stopped_being_sold() {
        let mut p = base().build();
        check_codes(&p, &["CEN-ED-001"], expect![[""]]);
        // An instance created in 2019 keeps existing.
        p.settings.as_of = "2023-01-01".into();
        check_codes(&p, &["CEN-ED-001"], expect![[""]]);
        p.cens[0].created_on.clear();
        check_codes(
            &p,
            &["CEN-ED-001"],
            expect![[r#"
                warning CEN-ED-001 c: CEN C is planned as a Basic edition instance, but as of 2022-03-31 (plan date 2023-01-01) Basic edition is no longer sold outside CCN areas: a new instance is an Enterprise edition (transit router) one, which this planner does not model
                  fix: Check the design against the Enterprise edition documents, or set the plan date before 2022-03-31 to check it as a Basic edition plan.
            "#]],
        );
    }

    #[test]
    fn overlapping_routes_before_their_release_is_an_error() {
        let mut p = base().build();
        check_codes(&p, &["CEN-ED-002"], expect![[""]]);
        p.settings.as_of = "2018-09-01".into();
        // A CEN created after the plan's date would carry no traffic (PLAN-DATE-001): date it earlier.
        p.cens[0].created_on = "2018-06-01".into();
        check_codes(
            &p,
            &["CEN-ED-002"],
            expect![[r#"
                error CEN-ED-002 c.overlapping_routes: CEN C has overlapping routes on, but the plan is dated 2018-09-01 and overlapping routing was released on 2018-10-12: the switch did not exist yet
                  fix: Turn overlapping routes off, or date the plan on or after 2018-10-12.
            "#]],
        );
        // The switch did not exist: overlapping prefixes are refused as with it off (CEN-CIDR-006).
        let overlap = |p: &crate::core::model::Plan| {
            let mut p = p.clone();
            p.vswitches[1].cidr = "172.16.1.0/25".into();
            p.vpcs[1].cidr = "172.16.0.0/16".into();
            crate::core::testing::codes_of(&p, "CEN-CIDR-00")
                .into_iter()
                .filter(|c| *c != "CEN-CIDR-008")
                .collect::<Vec<_>>()
        };
        assert_eq!(overlap(&p), ["CEN-CIDR-006"]);
        p.settings.as_of = "2019-09-19".into();
        assert_eq!(overlap(&p), ["CEN-CIDR-007", "CEN-CIDR-004"]);
        p.settings.as_of = "2018-09-01".into();
        p.cens[0].overlapping_routes = false;
        check_codes(&p, &["CEN-ED-002"], expect![[""]]);
    }

    /// Which next hops can be published is dated: a published NAT-gateway route is not advertised as of
    /// the 2019 documents, unknown (not counted on, warned) between them and the current reference, and
    /// advertised from the current reference on (no warning).
    #[test]
    fn a_published_nat_route_is_advertised_only_within_its_dates() {
        let at = |as_of: &str| {
            let p = base()
                .as_of(as_of)
                .route("r1", "v1", "0.0.0.0/0", NextHopType::NatGateway, "ngw-1")
                .published()
                .build();
            let a = crate::core::analysis::analyse(&p);
            let learned = a.table("v2").routes.iter().any(|r| r.prefix.prefix_len() == 0);
            let warned = a.report().findings.iter().any(|f| f.code == crate::core::findings::Code::CenRt009);
            (learned, warned)
        };
        assert_eq!(at("2019-09-19"), (false, true));
        assert_eq!(at("2023-01-01"), (false, true));
        assert_eq!(at("2025-09-01"), (true, false));
    }

    #[test]
    fn nat_gateway_routes_shared_through_cen_warn() {
        let mut p = base()
            .route("r1", "v1", "0.0.0.0/0", NextHopType::NatGateway, "ngw-1")
            .published()
            .build();
        check_codes(
            &p,
            &["CEN-RT-009"],
            expect![[r#"
                warning CEN-RT-009 r1.published: Route r1 (0.0.0.0/0 → NAT gateway) in VPC VPC1 is published to CEN C: sharing a NAT gateway through Basic CEN was not supported (2019 documents), so the other network cannot use it; only later documents allow NAT-gateway routes — check the edition and date
                  fix: Give each VPC that needs Internet access its own NAT gateway (or EIP), or plan an Enterprise edition transit router.
                  related: c
            "#]],
        );
        // Not published: a note only.
        p.route_entries[0].published = false;
        check_codes(
            &p,
            &["CEN-RT-009"],
            expect![[r#"
                info CEN-RT-009 r1: VPC VPC1 sends 0.0.0.0/0 to a NAT gateway (route r1); the other networks of CEN C (VPC2) cannot share that NAT gateway through Basic CEN (2019 documents)
                  fix: If the other networks need Internet access, give them their own NAT gateway (or EIP).
                  related: c
            "#]],
        );
        // Not attached alongside anything else, or not a NAT route: nothing.
        p.route_entries[0].published = true;
        p.attachments.truncate(1);
        check_codes(&p, &["CEN-RT-009"], expect![[""]]);
        let p = base().route("r1", "v1", "10.0.0.0/24", NextHopType::Ecs, "i-1").published().build();
        check_codes(&p, &["CEN-RT-009"], expect![[""]]);
    }

    #[test]
    fn security_group_reminder_once_per_cen_with_talking_networks() {
        let mut p = base().build();
        check_codes(
            &p,
            &["CEN-SG-001"],
            expect![[r#"
                info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs VPC1, VPC2 must allow the CIDRs of the other networks of CEN C (including office and data-centre CIDRs); the plan does not model security groups
                  fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            "#]],
        );
        p.attachments.truncate(1);
        check_codes(&p, &["CEN-SG-001"], expect![[""]]);
    }

    #[test]
    fn cloud_services_are_explained_not_checked() {
        assert!(crate::core::rulebook::NOT_CHECKED
            .iter()
            .any(|(c, why)| *c == "CEN-SVC-001" && !why.is_empty()));
    }
}
