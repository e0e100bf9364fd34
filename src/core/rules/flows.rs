//! Declared flows (PLAN-FLOW-*): the plan says once when every pair is assumed to need to talk, and
//! each declared flow that the plan does not honour is a finding on the flow, in the words of
//! `explain::flow`: a broken required flow with its blocking hop and fix, a forbidden flow that is
//! open with the hop that lets it through and what would block it, a path below the flow's minimum
//! bandwidth, an answer the plan does not decide, and an end without endpoints.

use crate::core::dataplane::DataPlane;
use crate::core::explain;
use crate::core::findings::{decided_by, Code, Finding, Severity};
use crate::core::flows::{Demand, FlowCheck, FlowState};
use crate::core::model::Kind;

/// `out` holds the findings of the other rules (this check runs last): a blocking hop is told in the
/// words of the finding of the rule that decided it, as `Analysis::reach` and the views tell it.
pub(super) fn check(dp: &DataPlane<'_>, demand: &Demand, checks: &[FlowCheck], out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    if demand.assumed() && ctx.cens().any(|c| ctx.attached_networks(&c.id).len() > 1) {
        out.push(
            Finding::plan(
                Code::PlanFlow001,
                Severity::Info,
                "No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair".into(),
            )
            .fix("Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked."),
        );
    }
    for c in checks.iter().filter(|c| c.state != FlowState::Met) {
        let mut c = c.clone();
        for t in c.deciding.iter_mut().flat_map(|r| [&mut r.forward, &mut r.back]) {
            if let Some(b) = &mut t.blocked {
                b.finding = decided_by(out, b.code, b.entity.as_ref());
            }
        }
        let c = &c;
        let text = explain::flow(ctx, c);
        let (code, severity) = match c.state {
            FlowState::Met => continue,
            FlowState::Broken => {
                // Only the 1 Kbps test link (a ping works): a warning, like CEN-BW-008.
                let test_link = c
                    .deciding
                    .as_ref()
                    .is_some_and(|r| r.forward.disposition.is_success() && r.back.disposition.is_success());
                (Code::PlanFlow002, if test_link { Severity::Warning } else { Severity::Error })
            }
            FlowState::Open => (Code::PlanFlow003, Severity::Error),
            FlowState::TooSlow => (Code::PlanFlow004, Severity::Warning),
            FlowState::Undetermined => (Code::PlanFlow005, Severity::Warning),
            FlowState::NoEndpoints => (Code::PlanFlow006, Severity::Warning),
        };
        let mut f = Finding::new(
            code,
            severity,
            Kind::Flow,
            &c.flow,
            format!("{} is {}: {}", text.title, text.state, text.detail.unwrap_or_default()),
        )
        .fix(text.fix.unwrap_or_default());
        if let (FlowState::NoEndpoints, Some(end)) = (c.state, c.empty.first()) {
            f = f.field(end);
        }
        if let Some(t) = c.deciding_trace() {
            for id in [&t.from, &t.to] {
                if let Some(kind) = ctx.index.kind_of(id) {
                    f = f.related(kind, id);
                }
            }
            if let Some(e) = t.blocked.as_ref().and_then(|b| b.entity.as_ref()) {
                if !f.related.contains(e) {
                    f = f.related(e.kind, &e.id);
                }
            }
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::catalog::Area;
    use crate::core::facts::Ctx;
    use crate::core::flows::Demand;
    use crate::core::model::{NextHopType, Plan};
    use crate::core::testing::{check_codes, codes_of, plan, PlanBuilder};
    use expect_test::expect;

    /// Three VPCs on one CEN: v1 and v2 in Hangzhou, v3 in Virginia (no package, no region bandwidth).
    fn three() -> PlanBuilder {
        plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.1.0/24")
            .vpc("v3", "us-east-1", "10.3.0.0/16")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "v3")
    }

    #[test]
    fn without_a_required_flow_the_plan_says_once_that_every_pair_must_talk() {
        check_codes(
            &three().build(),
            &["PLAN-FLOW"],
            expect![[r#"
                info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
                  fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
            "#]],
        );
        // Not when a required flow is declared, nor when no CEN joins two networks.
        assert!(codes_of(&three().required("f", "v1", "v2").build(), "PLAN-FLOW-001").is_empty());
        assert!(codes_of(
            &plan().cen("c").vpc("v", "cn-hangzhou", "10.0.0.0/16").attach("t", "c", "v").build(),
            "PLAN-FLOW"
        )
        .is_empty());
    }

    /// Every endpoint of the plan in one group, required to talk to itself: the same as no flows.
    fn all_pairs_declared(mut p: Plan) -> Plan {
        let mut members: Vec<String> = p.vpcs.iter().map(|v| v.id.clone()).collect();
        members.extend(p.vbrs.iter().map(|v| v.id.clone()));
        members.extend(p.ccns.iter().map(|v| v.id.clone()));
        members.extend(p.ipsec_connections.iter().map(|v| v.id.clone()));
        p.groups.push(crate::core::model::Group {
            id: "group-all".into(),
            members,
            ..Default::default()
        });
        p.flows.push(crate::core::model::Flow {
            id: "flow-all".into(),
            from: "group-all".into(),
            to: "group-all".into(),
            ..Default::default()
        });
        p
    }

    /// The same findings, but for the words the declared flows add: an identical-prefix conflict or
    /// refused overlap names the required flow that uses its addresses, and the security-group reminder
    /// (once per plan, set aside here) lists the peer CIDRs of the declared flows.
    #[test]
    fn declaring_every_pair_required_changes_no_finding_of_the_rules() {
        let mut plans: Vec<Plan> = crate::core::examples::EXAMPLES
            .iter()
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .filter(|p| p.flows.is_empty())
            .collect();
        plans.push(three().build());
        for p in plans {
            let not_flows = |r: crate::core::findings::Report| -> Vec<crate::core::findings::Finding> {
                r.findings
                    .into_iter()
                    .filter(|f| !f.code.as_str().starts_with("PLAN-FLOW") && f.code.as_str() != "CEN-SG-001")
                    .collect()
            };
            let before = not_flows(crate::core::rules::check(&p));
            let mut after = not_flows(crate::core::rules::check(&all_pairs_declared(p.clone())));
            for (b, a) in before.iter().zip(after.iter_mut()) {
                if matches!(a.code.as_str(), "CEN-CIDR-005" | "CEN-CIDR-006") && a.message.starts_with(&b.message) {
                    assert!(a.message.ends_with("flow-all uses these addresses"), "{}", a.message);
                    a.message.clone_from(&b.message);
                }
            }
            assert_eq!(before, after, "{}", p.name);
        }
    }

    #[test]
    fn bandwidth_is_needed_only_for_region_pairs_a_required_flow_crosses() {
        // v1 ↔ v2 stay in Hangzhou: no package, no region bandwidth needed.
        check_codes(&three().required("f", "v1", "v2").build(), &["CEN-BW", "CEN-AREA"], expect![[""]]);
        // v1 ↔ v3 crosses to Virginia: the test link and the missing package.
        check_codes(
            &three().required("f", "s1", "v3").build(),
            &["CEN-BW-008", "CEN-BWP"],
            expect![[r#"
                warning CEN-BW-008 c: CEN c has no cross-region bandwidth for China (Hangzhou) ↔ US (Virginia): v1, v2 and v3 get only the default 1 Kbps test link (a ping works, services do not)
                  fix: Set a cross-region bandwidth China (Hangzhou) ↔ US (Virginia) on the CEN from a package for the two regions' areas.
                  related: v1, v2, v3
                warning CEN-BWP-001 c: CEN c connects China (Hangzhou) ↔ US (Virginia) but has no China–North-America bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
                  fix: Buy a China–North-America package and bind it to the CEN, then set a region bandwidth for each region pair.
                  related: v1, v3
            "#]],
        );
    }

    #[test]
    fn a_local_route_to_an_appliance_is_not_asked_to_be_published_unless_a_flow_needs_it() {
        // A deliberately local default route to a firewall ECS in v1.
        let firewall = |p: PlanBuilder| p.route("r1", "v1", "0.0.0.0/0", NextHopType::Ecs, "i-firewall");
        assert_eq!(codes_of(&firewall(three()).build(), "CEN-RT-002"), ["CEN-RT-002"]);
        assert!(codes_of(&firewall(three()).required("f", "v1", "v2").build(), "CEN-RT-002").is_empty());
        // An office behind an appliance route: a required flow to it needs the route published.
        let office = |p: PlanBuilder| {
            firewall(p)
                .vpn_gateway("g1", "v1")
                .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
                .ipsec("k1", "g1", "o1", &["0.0.0.0/0"], &["192.168.50.0/24"])
        };
        assert_eq!(
            codes_of(&office(three()).required("f", "k1", "v2").build(), "CEN-RT-002"),
            ["CEN-RT-002"]
        );
        assert!(codes_of(&office(three()).required("f", "k1", "v1").build(), "CEN-RT-002").is_empty());
    }

    /// Two VBRs and a VPC on one CEN (Hangzhou).
    fn two_vbrs() -> PlanBuilder {
        plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vbr("b1", "cn-hangzhou", &["192.168.1.0/24"])
            .vbr("b2", "cn-hangzhou", &["192.168.2.0/24"])
            .attach("t1", "c", "v1")
            .attach("t2", "c", "b1")
            .attach("t3", "c", "b2")
    }

    #[test]
    fn a_flow_can_name_a_site_directly_or_through_a_labelled_group_and_every_line_of_it_must_talk() {
        // A data centre behind two leased lines (b1, b2), and a third data centre b3 on its own.
        let dc = || {
            two_vbrs()
                .vbr("b3", "cn-hangzhou", &["192.168.3.0/24"])
                .attach("t4", "c", "b3")
                .site("dc", &[], &["b1", "b2"])
                .label("dc")
        };
        let direct = dc().required("f", "v1", "dc").build();
        let grouped = dc().group("g", &[], "dc").required("f", "v1", "g").build();
        for p in [&direct, &grouped] {
            let d = Demand::new(&Ctx::new(p));
            assert_eq!(d.flows[0].to.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["dc"]);
            assert!(d.must_talk("v1", "b1") && d.must_talk("b2", "v1"), "each line of the site");
            assert!(!d.must_talk("b1", "b2") && !d.must_talk("v1", "b3"));
            // The VPC reaches the site; the lines of one site and b3 need not reach each other.
            assert!(codes_of(p, "PLAN-FLOW").is_empty(), "{:?}", codes_of(p, "PLAN"));
            assert!(codes_of(p, "CEN-VBR-001").is_empty());
        }
        // Without a declared flow, b3 and the site's lines are isolated from each other (but not b1 from b2).
        assert_eq!(codes_of(&dc().build(), "CEN-VBR-001").len(), 2); // one finding per pair
    }

    #[test]
    fn the_deny_route_maps_a_forbidden_flow_names_close_it_and_leave_the_required_one_met() {
        let open = three().required("r", "v1", "v2").forbidden("f", "v1", "v3");
        assert_eq!(codes_of(&open.clone().build(), "PLAN-FLOW"), ["PLAN-FLOW-003"]);
        // The fix of each direction in turn: RegionOut in the receiving network's region.
        let closed = open
            .route_map("m1", "c", "cn-hangzhou", 10)
            .deny()
            .matching(&["v3"], &["v1"])
            .route_map("m2", "c", "us-east-1", 10)
            .deny()
            .matching(&["v1"], &["v3"])
            .build();
        assert!(codes_of(&closed, "PLAN-FLOW").is_empty(), "{:?}", codes_of(&closed, "PLAN"));
    }

    #[test]
    fn the_open_forbidden_flows_fix_is_two_deny_maps_that_close_it_and_leave_the_required_flow_met() {
        let open = three().required("r", "v1", "v2").forbidden("f", "v1", "v3").build();
        let analysis = crate::core::analysis::Analysis::new(open.clone());
        let finding = analysis
            .report()
            .findings
            .iter()
            .find(|f| f.code.as_str() == "PLAN-FLOW-003")
            .cloned()
            .expect("the forbidden flow is open");
        let edits = analysis.fix_edits(&finding);
        assert_eq!(edits.len(), 2, "one Deny map per direction");
        let mut fixed = open.clone();
        crate::core::edit::apply_all(&mut fixed, edits).unwrap();
        assert!(fixed.route_maps.iter().all(|m| m.action == crate::core::model::MapAction::Deny));
        assert!(codes_of(&fixed, "PLAN-FLOW").is_empty(), "{:?}", codes_of(&fixed, "PLAN"));
    }

    #[test]
    fn the_hub_and_spoke_example_is_closed_by_applying_the_open_flows_fix_once_per_pair_of_spokes() {
        let example = crate::core::examples::find("hub-and-spoke-forbidden-spokes").unwrap();
        let mut plan = crate::core::format::from_json(example.json).unwrap();
        for _ in 0..3 {
            let analysis = crate::core::analysis::Analysis::new(plan.clone());
            let finding = analysis
                .report()
                .findings
                .iter()
                .find(|f| f.code.as_str() == "PLAN-FLOW-003")
                .cloned()
                .expect("a pair of spokes is still open");
            let edits = analysis.fix_edits(&finding);
            assert_eq!(edits.len(), 2, "two Deny maps for the pair the finding names");
            crate::core::edit::apply_all(&mut plan, edits).unwrap();
        }
        assert!(codes_of(&plan, "PLAN-FLOW").is_empty(), "{:?}", codes_of(&plan, "PLAN"));
        assert_eq!(plan.route_maps.len(), 6);
    }

    #[test]
    fn vbr_isolation_is_reported_only_for_a_required_flow_between_the_two_ends() {
        assert_eq!(codes_of(&two_vbrs().build(), "CEN-VBR-001"), ["CEN-VBR-001"]); // one finding per pair
        let cloud = two_vbrs().required("f1", "v1", "b1").required("f2", "v1", "b2");
        assert!(codes_of(&cloud.clone().build(), "CEN-VBR-001").is_empty());
        assert!(codes_of(&cloud.clone().build(), "PLAN-FLOW").is_empty(), "the VPC reaches both");
        // The data centres must talk: the isolation is both the rule's finding and the broken flow.
        let both = cloud.required("f3", "b1", "b2").build();
        assert_eq!(codes_of(&both, "CEN-VBR-001"), ["CEN-VBR-001"]); // one finding per pair
        check_codes(
            &both,
            &["PLAN-FLOW"],
            expect![[r#"
                error PLAN-FLOW-002 f3: f3 (required: b1 ↔ b2) is broken: b1 → b2 is not reachable: CEN-VBR-001 at b1: b1 and b2 cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
                  fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-hangzhou source b2 → destination b1, and in cn-hangzhou source b1 → destination b2 (or open a ticket).
                  related: b1, b2
            "#]],
        );
    }

    /// An office in v1 whose route is in v1's system table; published or not.
    fn office(published: bool) -> PlanBuilder {
        three()
            .vpn_gateway("g1", "v1")
            .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
            .ipsec("k1", "g1", "o1", &["10.1.0.0/16"], &["192.168.50.0/24"])
            .route("r1", "v1", "192.168.50.0/24", NextHopType::VpnGateway, "g1")
            .when(published, |p| p.published())
    }

    #[test]
    fn an_office_route_must_be_published_only_when_a_flow_joins_the_office_to_another_network() {
        assert_eq!(codes_of(&office(false).build(), "CEN-VPN-001"), ["CEN-VPN-001"]);
        assert!(codes_of(&office(false).required("f", "k1", "s1").build(), "CEN-VPN-001").is_empty());
        assert_eq!(
            codes_of(&office(false).required("f", "o1", "v2").build(), "CEN-VPN-001"),
            ["CEN-VPN-001"]
        );
    }

    #[test]
    fn a_required_flow_whose_return_path_is_broken_is_broken_at_the_return_hop() {
        // The office's route in v1 is not published: v2 cannot answer the office.
        check_codes(
            &office(false).required("f", "k1", "v2").build(),
            &["PLAN-FLOW"],
            expect![[r#"
                error PLAN-FLOW-002 f: f (required: k1 ↔ v2) is broken: k1 → v2 is not reachable: CEN-VPN-002 at k1: The local CIDRs of IPsec connection k1 (office o1) do not cover 10.2.1.0/24 (vSwitch s2 of VPC v2): traffic between the office and it does not match the phase-2 selectors
                  fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
                  related: k1, v2
            "#]],
        );
        assert!(codes_of(
            &office(true)
                .with(|p| p.ipsec_connections[0].local_cidrs = vec!["0.0.0.0/0".into()])
                .required("f", "k1", "v2")
                .build(),
            "PLAN-FLOW"
        )
        .is_empty());
    }

    #[test]
    fn office_selectors_must_cover_only_what_a_flow_joins_the_office_to() {
        // The local selectors cover v1 only.
        assert_eq!(codes_of(&office(true).build(), "CEN-VPN-002"), ["CEN-VPN-002"]);
        assert!(codes_of(&office(true).required("f", "k1", "v1").build(), "CEN-VPN-002").is_empty());
        check_codes(
            &office(true).required("f", "k1", "v2").build(),
            &["CEN-VPN-002"],
            expect![[r#"
                warning CEN-VPN-002 k1.local_cidrs: The local CIDRs of IPsec connection k1 (office o1) do not cover 10.2.1.0/24 (vSwitch s2 of VPC v2): traffic between the office and it does not match the phase-2 selectors
                  fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
                  related: g1
            "#]],
        );
    }

    #[test]
    fn overlapping_addresses_matter_only_between_networks_that_must_talk() {
        let overlap = || {
            three()
                .vpc("v4", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s4", "v4", "10.1.0.0/20")
                .attach("t4", "c", "v4")
        };
        assert_eq!(codes_of(&overlap().build(), "CEN-CIDR-004"), ["CEN-CIDR-004"]);
        assert!(codes_of(
            &overlap().required("f", "v1", "v2").required("g", "v4", "v3").build(),
            "CEN-CIDR-004"
        )
        .is_empty());
        assert_eq!(
            codes_of(&overlap().required("f", "v1", "v4").build(), "CEN-CIDR-004"),
            ["CEN-CIDR-004"]
        );
    }

    #[test]
    fn a_broken_required_flow_names_the_blocking_hop_and_its_fix() {
        // v9 is on no CEN.
        let p = three()
            .vpc("v9", "cn-hangzhou", "10.9.0.0/16")
            .vswitch("s9", "v9", "10.9.1.0/24")
            .required("f", "v1", "v9");
        check_codes(
            &p.clone().build(),
            &["PLAN-FLOW"],
            expect![[r#"
                error PLAN-FLOW-002 f: f (required: v1 ↔ v9) is broken: v1 → v9 is not reachable: CEN-ATT-001 at v1: v9 is not attached to any CEN, so v1 has no route to 10.9.1.1
                  fix: Attach v9 to CEN c.
                  related: v1, v9
            "#]],
        );
        assert!(codes_of(&p.attach("t9", "c", "v9").build(), "PLAN-FLOW").is_empty());
    }

    #[test]
    fn a_required_flow_over_the_test_link_is_broken_and_a_slow_path_is_below_its_minimum() {
        check_codes(
            &three().required("f", "v1", "v3").build(),
            &["PLAN-FLOW"],
            expect![[r#"
                warning PLAN-FLOW-002 f: f (required: v1 ↔ v3) is broken: v1 → v3 is 1 Kbps test link only: CEN-BWP-001 at v1: CEN c connects China (Hangzhou) ↔ US (Virginia) but has no China–North-America bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
                  fix: Buy a China–North-America package and bind it to the CEN, then set a region bandwidth for each region pair.
                  related: v1, v3, c
            "#]],
        );
        let funded = |min: u32| {
            three()
                .package("p", Some("c"), Area::China, Area::NorthAmerica, 100)
                .region_bandwidth("rb", "c", "cn-hangzhou", "us-east-1", 10)
                .required("f", "v1", "v3")
                .min_mbps(min)
                .build()
        };
        assert!(codes_of(&funded(10), "PLAN-FLOW").is_empty());
        check_codes(
            &funded(50),
            &["PLAN-FLOW"],
            expect![[r#"
            warning PLAN-FLOW-004 f: f (required: v1 ↔ v3) is broken: below its minimum bandwidth: v1 → v3 offers 10 Mbps (CEN c after v1), below its minimum 50 Mbps
              fix: Raise the cross-region bandwidth on the limiting hop (CEN c after v1) to at least 50 Mbps (and the package it draws from).
              related: v1, v3
        "#]],
        );
    }

    #[test]
    fn a_forbidden_flow_is_open_when_traffic_arrives_and_met_when_it_does_not() {
        check_codes(
            &three().required("r", "v1", "v2").forbidden("f", "v1", "v3").build(),
            &["PLAN-FLOW"],
            expect![[r#"
                error PLAN-FLOW-003 f: f (forbidden: v1 ↔ v3) is forbidden but open: v1 → v3 is 1 Kbps test link only: v1 learns 10.3.1.0/24 from v3 through CEN c
                  fix: Stop v1 and v3 learning each other's routes with Deny route maps on CEN c, one per direction (rulebook §2.12; RegionOut in cn-hangzhou, source v3, destination v1, and the reverse in the region of v3), or attach the two networks to different CEN instances.
                  related: v1, v3, c
            "#]],
        );
        let apart = three()
            .vpc("v9", "cn-hangzhou", "10.9.0.0/16")
            .vswitch("s9", "v9", "10.9.1.0/24")
            .forbidden("f", "v1", "v9");
        assert!(codes_of(&apart.build(), "PLAN-FLOW-003").is_empty());
    }

    #[test]
    fn a_group_by_label_joins_the_labelled_endpoints() {
        let spokes = |labelled: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vpc("hub", "cn-hangzhou", "10.0.0.0/16")
                .vswitch("s0", "hub", "10.0.1.0/24")
                .vpc("va", "cn-hangzhou", "10.1.0.0/16")
                .when(labelled, |p| p.label("spoke"))
                .vswitch("s1", "va", "10.1.1.0/24")
                .vpc("vb", "cn-hangzhou", "10.2.0.0/16")
                .label("spoke")
                .vswitch("s2", "vb", "10.2.1.0/24")
                .attach("t0", "c", "hub")
                .attach("t1", "c", "va")
                .attach("t2", "c", "vb")
                .group("g", &[], "spoke")
                .required("r", "g", "hub")
                .forbidden("f", "g", "g")
                .build()
        };
        assert_eq!(codes_of(&spokes(true), "PLAN-FLOW"), ["PLAN-FLOW-003"]);
        // With one spoke labelled, the group pairs nothing with itself.
        assert_eq!(codes_of(&spokes(false), "PLAN-FLOW"), ["PLAN-FLOW-006"]);
    }

    #[test]
    fn a_flow_whose_path_the_plan_does_not_decide_is_undetermined() {
        // Two BGP lines to one data-centre prefix: which is active the plan does not say.
        let lines = |cidr2: &str| {
            two_vbrs()
                .with(|p| {
                    p.vbrs[1].idc_cidrs = vec![cidr2.into()];
                    p.vbrs[0].idc_cidrs = vec!["192.168.1.0/24".into()];
                    for v in &mut p.vbrs {
                        v.routing = crate::core::model::VbrRouting::Bgp;
                        v.health_check = true;
                    }
                })
                .required("f", "v1", "b1")
                .build()
        };
        check_codes(
            &lines("192.168.1.0/24"),
            &["PLAN-FLOW"],
            expect![[r#"
                warning PLAN-FLOW-005 f: f (required: v1 ↔ b1) is undetermined: the plan does not decide it: v1 → b1: 192.168.1.0/24 is advertised by b1 and b2: CEN keeps one active and the others standby, and which one the plan does not decide (BGP lines without AS-path lengths, or with equal ones)
                  fix: Decide it in the plan (for BGP lines: put them on one site and record the AS-path length of each, or prepend the AS path on the standby line).
                  related: v1, b1
            "#]],
        );
        assert!(codes_of(&lines("192.168.2.0/24"), "PLAN-FLOW").is_empty());
    }

    #[test]
    fn two_ends_in_one_vpc_cannot_be_separated_by_routing() {
        let p = three().vswitch("s1b", "v1", "10.1.2.0/24").forbidden("f", "s1", "s1b").build();
        check_codes(
            &p,
            &["PLAN-FLOW-003"],
            expect![[r#"
            error PLAN-FLOW-003 f: f (forbidden: s1 ↔ s1b) is forbidden but open: s1 → s1b is reachable: v1 delivers 10.1.2.0/24 locally: both ends are in the same VPC
              fix: Routing cannot separate them: move one end to another VPC, or block the traffic with security groups or network ACLs (outside the plan).
              related: s1, s1b
        "#]],
        );
    }

    #[test]
    fn an_end_without_endpoints_is_a_warning_and_bad_references_are_integrity_errors() {
        let p = three()
            .group("g", &[], "nobody")
            .required("f", "v1", "g")
            .group("h", &["c", "nope"], "")
            .build();
        check_codes(
            &p,
            &["PLAN-FLOW", "PLAN-REF"],
            expect![[r#"
                error PLAN-REF-001 h.members: Endpoint group h: Members points at "nope", but no VPC or vSwitch or VBR or CCN or SAG branch or Customer gateway or IPsec connection or Site has that id
                  fix: Choose an existing VPC or vSwitch or VBR or CCN or SAG branch or Customer gateway or IPsec connection or Site, or add the missing one.
                error PLAN-REF-002 h.members: Endpoint group h: Members points at c, which is a CEN instance, not a VPC or vSwitch or VBR or CCN or SAG branch or Customer gateway or IPsec connection or Site
                  fix: Choose a VPC or vSwitch or VBR or CCN or SAG branch or Customer gateway or IPsec connection or Site for Members.
                warning PLAN-FLOW-006 f.to: f (required: v1 ↔ g) is without endpoints: its to end names no endpoint with an address
                  fix: Give each end an endpoint with an address (a group needs members or a label that some endpoint carries).
            "#]],
        );
    }
}
