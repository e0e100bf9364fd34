//! Overlapping prefixes between networks attached to the same CEN (CEN-CIDR-004, -005, -006).
//!
//! Each attached network advertises prefixes (rulebook §3.1): a VPC its vSwitch CIDRs and its
//! published system-table routes to an ECS, VPN gateway or HaVip; a VBR its on-premises CIDRs; a CCN
//! the private CIDRs of its SAG branches. Two prefixes from different networks of one CEN that are
//! identical conflict (005); that overlap conflict when overlapping routes are off (006); and that
//! overlap with the switch on are learned and forwarded by longest prefix, which is worth a warning
//! (004). Pairs are found with one sort and a sweep: O(n log n + pairs).

use crate::core::dataplane::{
    first_attached, identical, overlap_exempt, overlapping_pairs, overlapping_pairs_sorted, DataPlane, Identical, Prefix,
};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::Kind;

pub(super) fn check(dp: &DataPlane<'_>, demand: &crate::core::flows::Demand, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    let (plan, index) = (ctx.plan, &ctx.index);
    for cen in ctx.cens() {
        let mut prefixes: Vec<Prefix> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for a in ctx.attachments_of(&cen.id) {
            if seen.insert(a.network.as_str()) {
                prefixes.extend(dp.advertised_by(&a.network).iter().cloned());
            }
        }
        let cen_name = plan.display_name(index, &cen.id);
        // The data plane has sorted the same prefixes when every attached network's are collected.
        let collected = dp.cen_routes(&cen.id);
        // (The same entity's copy of the same text: compared by address, both borrow the plan.)
        let same = collected.len() == prefixes.len()
            && collected
                .iter()
                .zip(&prefixes)
                .all(|(c, p)| c.prefix.net == p.net && std::ptr::eq(c.prefix.holder.1, p.holder.1) && c.prefix.field == p.field);
        let pairs = if same {
            overlapping_pairs_sorted(&prefixes, dp.cen_sorted(&cen.id))
        } else {
            overlapping_pairs(&prefixes)
        };
        for (i, j) in pairs {
            let (mut a, mut b) = (&prefixes[i], &prefixes[j]);
            if a.net != b.net && overlap_exempt(ctx, a, b) {
                // A data centre's default route is intended, not an address clash.
                continue;
            }
            // With overlapping routes off the later attached prefix is refused (the data plane's order):
            // the finding is about it.
            let order = first_attached(ctx, a.network, b.network);
            if order == Some(false) {
                std::mem::swap(&mut a, &mut b);
            }
            // Identical prefixes: the data plane's decision (`dataplane::identical`), pair by pair.
            if a.net == b.net && identical(ctx, &[a, b]) != Identical::Conflict {
                // Documented redundancy, not a conflict: leased lines (CEN-VBR-003/004) or a SAG
                // paired as standby for the VBR (CEN-CCN-006).
                continue;
            }
            // Lines of one site never need to reach each other: with overlapping routes on, their
            // overlapping prefixes are the site's own traffic engineering (longest prefix wins).
            if a.net != b.net && cen.overlapping_routes && ctx.same_site(a.network, b.network) {
                continue;
            }
            let describe = |p: &Prefix| {
                let net = plan.display_name(index, p.network);
                let holder = plan.display_name(index, p.holder.1);
                if p.holder.1 == p.network {
                    format!("{} ({} {net})", p.net, index.kind_of(p.network).map_or("network", |k| k.label()))
                } else {
                    format!("{} ({} {holder} of {net})", p.net, p.holder.0.label())
                }
            };
            let (code, severity, message, fix) = if a.net == b.net {
                (
                    Code::CenCidr005,
                    Severity::Error,
                    format!(
                        "{} and {} are identical routes in CEN {cen_name}: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy",
                        describe(a),
                        describe(b)
                    ),
                    "Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.".to_string(),
                )
            } else if !ctx.overlapping_on(cen) {
                (
                    Code::CenCidr006,
                    Severity::Error,
                    match order {
                        Some(_) => format!(
                            "{} overlaps {} in CEN {cen_name}, whose overlapping-routes switch is off: CEN refuses the overlapping route of {}, attached later",
                            describe(a),
                            describe(b),
                            plan.display_name(index, b.network)
                        ),
                        None if a.network == b.network => format!(
                            "{} overlaps {} in CEN {cen_name}, whose overlapping-routes switch is off: CEN refuses the overlapping route",
                            describe(a),
                            describe(b)
                        ),
                        None => format!(
                            "{} overlaps {} in CEN {cen_name}, whose overlapping-routes switch is off: CEN keeps the route attached first and refuses the other; the plan does not say which came first (equal or unknown attachment dates), so which one is undetermined",
                            describe(a),
                            describe(b)
                        ),
                    },
                    format!(
                        "Enable overlapping routes on CEN {cen_name} (this cannot be undone), or renumber so the blocks do not overlap."
                    ),
                )
            } else if a.network != b.network && !demand.must_talk(a.network, b.network) {
                // Both are learned and no required flow joins the two networks: nothing must talk.
                // (Two prefixes of one network shadow part of it for everyone: still reported.)
                continue;
            } else {
                (
                    Code::CenCidr004,
                    Severity::Warning,
                    format!(
                        "{} overlaps {} in CEN {cen_name}: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner",
                        describe(a),
                        describe(b)
                    ),
                    "Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.".to_string(),
                )
            };
            // With declared flows, an identical-prefix conflict or a refused overlap matters only to the
            // required flows that use those addresses (`Demand::flows_using`): named when some do, an
            // info when none does (the refusal is real, but nothing the plan needs crosses it; like
            // CEN-CIDR-004, which is not reported then). Two prefixes of one network stay as they are.
            let (severity, message, fix) = if code != Code::CenCidr004 && a.network != b.network && !demand.assumed() {
                let mut using = demand.flows_using(a.network, a.net);
                for f in demand.flows_using(b.network, b.net) {
                    if !using.contains(&f) {
                        using.push(f);
                    }
                }
                if using.is_empty() {
                    (
                        Severity::Info,
                        format!("{message}; no required flow uses these addresses, so nothing the declared flows need is lost"),
                        format!(
                            "Nothing to do for the declared flows; before a flow needs these addresses: {}",
                            lower_first(&fix)
                        ),
                    )
                } else {
                    let flows = super::list_of(using.iter().map(|f| ctx.name(f).to_string()), using.len());
                    let (noun, verb) = if using.len() == 1 { ("flow", "uses") } else { ("flows", "use") };
                    (
                        severity,
                        format!("{message}; the required {noun} {flows} {verb} these addresses"),
                        fix,
                    )
                }
            } else {
                (severity, message, fix)
            };
            out.push(
                Finding::new(code, severity, b.holder.0, b.holder.1, message)
                    .field(b.field)
                    .fix(fix)
                    .related(a.holder.0, a.holder.1)
                    .related(Kind::Cen, &cen.id),
            );
        }
    }
}

/// `text` with its first letter in lower case (a fix continued after a colon).
fn lower_first(text: &str) -> String {
    let mut c = text.chars();
    c.next().map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::CcnArea;
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan};
    use expect_test::expect;
    use ipnet::Ipv4Net;
    use proptest::prelude::*;

    /// A VPC attached after the plan's date does not exist then: its block overlaps nothing on the CEN,
    /// as the data plane leaves it out; attached by then, the overlap is reported.
    #[test]
    fn a_vpc_attached_after_the_plans_date_overlaps_nothing_yet() {
        let build = |second: &str| {
            plan()
                .as_of("2019-09-19")
                .cen("c")
                .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s1", "v1", "10.1.0.0/24")
                .vpc("v2", "cn-shanghai", "10.1.0.0/16")
                .vswitch("s2", "v2", "10.1.0.0/24")
                .attach("t1", "c", "v1")
                .attach("t2", "c", "v2")
                .attached_on(second)
                .build()
        };
        assert!(crate::core::testing::codes_of(&build("2019-09-20"), "CEN-CIDR").is_empty());
        assert!(!crate::core::testing::codes_of(&build("2019-09-19"), "CEN-CIDR").is_empty());
    }

    /// The codes of this module.
    const MINE: &[&str] = &["CEN-CIDR-004", "CEN-CIDR-005", "CEN-CIDR-006", "CEN-CIDR-007"];

    /// VPCs `va` and `vb` (both 10.0.0.0/8) with vSwitches `sa` and `sb`; `va` attached to CEN `c`, `vb` too if `attach_b`.
    fn two_vpcs(overlapping: bool, cidr_a: &str, cidr_b: &str, attach_b: bool) -> Plan {
        plan()
            .cen("c")
            .when(overlapping, |p| p.overlapping())
            .vpc("va", "cn-hangzhou", "10.0.0.0/8")
            .vpc("vb", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("sa", "va", cidr_a)
            .vswitch("sb", "vb", cidr_b)
            .attach("t1", "c", "va")
            .when(attach_b, |p| p.attach("t2", "c", "vb"))
            .build()
    }

    /// A default route from a data centre (VBR) is an intended route, not an address overlap, with
    /// the switch off or on; a VBR's more specific block overlapping a vSwitch still is one.
    #[test]
    fn a_data_centre_default_route_is_not_an_overlap_but_a_specific_block_is() {
        let build = |overlapping: bool, idc: &str| {
            plan()
                .cen("c")
                .when(overlapping, |p| p.overlapping())
                .vpc("v", "cn-hangzhou", "10.0.0.0/8")
                .vswitch("s", "v", "10.1.0.0/24")
                .vbr("b", "cn-hangzhou", &[idc])
                .attach("t1", "c", "v")
                .attach("t2", "c", "b")
                .build()
        };
        for overlapping in [false, true] {
            check_codes(&build(overlapping, "0.0.0.0/0"), MINE, expect![[""]]);
        }
        check_codes(
            &build(true, "10.0.0.0/8"),
            MINE,
            expect![[r#"
            warning CEN-CIDR-004 b.idc_cidrs: 10.1.0.0/24 (vSwitch s of v) overlaps 10.0.0.0/8 (VBR b) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
              fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
              related: s, c
        "#]],
        );
        // The default route is installed, and longest-prefix match keeps the vSwitch local.
        let p = build(false, "0.0.0.0/0");
        let a = crate::core::analysis::analyse(&p);
        let t = a.table("v");
        assert!(t.routes.iter().any(|r| r.prefix.prefix_len() == 0 && r.inactive.is_none()), "{t:?}");
    }

    #[test]
    fn identical_vswitches_conflict_even_with_overlapping_routes_on() {
        check_codes(
            &two_vpcs(true, "10.1.0.0/24", "10.1.0.0/24", true),
            &["CEN-CIDR-00"],
            expect![[r#"
                error CEN-CIDR-005 sb.cidr: 10.1.0.0/24 (vSwitch sa of va) and 10.1.0.0/24 (vSwitch sb of vb) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
                  fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: sa, c
                warning CEN-CIDR-008 vb.cidr: VPCs vb (10.0.0.0/8) and va (10.0.0.0/8) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too
                  fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
                  related: va, c
            "#]],
        );
    }

    #[test]
    fn overlap_is_an_error_with_the_switch_off_and_a_warning_with_it_on() {
        check_codes(
            &two_vpcs(false, "10.1.0.0/16", "10.1.2.0/24", true),
            MINE,
            expect![[r#"
                error CEN-CIDR-006 sb.cidr: 10.1.0.0/16 (vSwitch sa of va) overlaps 10.1.2.0/24 (vSwitch sb of vb) in CEN c, whose overlapping-routes switch is off: CEN keeps the route attached first and refuses the other; the plan does not say which came first (equal or unknown attachment dates), so which one is undetermined
                  fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
                  related: sa, c
            "#]],
        );
        // With the switch on, the /24 is also inside the other VPC's own vSwitch (CEN-CIDR-007).
        check_codes(
            &two_vpcs(true, "10.1.0.0/16", "10.1.2.0/24", true),
            MINE,
            expect![[r#"
                error CEN-CIDR-007 sa.cidr: va cannot reach 10.1.2.0/24 of vb: the prefix is inside its own vSwitch sa, and a VPC never installs such a route
                  fix: Renumber one side so the prefix is outside the vSwitch (a larger prefix would be accepted).
                  related: sb
                warning CEN-CIDR-004 sb.cidr: 10.1.0.0/16 (vSwitch sa of va) overlaps 10.1.2.0/24 (vSwitch sb of vb) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
                  fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
                  related: sa, c
            "#]],
        );
    }

    /// `va` (vSwitches `sa` at `cidr_a` and `sa2` at 10.9.0.0/24) and `vb` (vSwitch `sb` at `cidr_b`)
    /// on CEN `c` with VPC `vc` (vSwitch `sc`), and the required flow `flow` from `sc` to `to` if given.
    fn with_flow(overlapping: bool, cidr_a: &str, cidr_b: &str, to: Option<&str>) -> Plan {
        plan()
            .cen("c")
            .when(overlapping, |p| p.overlapping())
            .vpc("va", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("sa", "va", cidr_a)
            .vswitch("sa2", "va", "10.9.0.0/24")
            .vpc("vb", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("sb", "vb", cidr_b)
            .vpc("vc", "cn-hangzhou", "172.16.0.0/16")
            .vswitch("sc", "vc", "172.16.0.0/24")
            .attach("t1", "c", "va")
            .attach("t2", "c", "vb")
            .attach("t3", "c", "vc")
            .when(to.is_some(), |p| p.required("flow", "sc", to.unwrap_or_default()))
            .build()
    }

    /// With declared flows, an identical-prefix conflict no required flow uses is an info saying so;
    /// one a required flow uses (to either copy) stays an error naming the flow.
    #[test]
    fn an_identical_prefix_conflict_follows_the_declared_flows() {
        check_codes(
            &with_flow(true, "10.1.0.0/24", "10.1.0.0/24", Some("sa2")),
            &["CEN-CIDR-005"],
            expect![[r#"
                info CEN-CIDR-005 sb.cidr: 10.1.0.0/24 (vSwitch sa of va) and 10.1.0.0/24 (vSwitch sb of vb) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy; no required flow uses these addresses, so nothing the declared flows need is lost
                  fix: Nothing to do for the declared flows; before a flow needs these addresses: renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: sa, c
            "#]],
        );
        for to in ["sb", "sa", "va"] {
            let found = crate::core::testing::findings(&with_flow(true, "10.1.0.0/24", "10.1.0.0/24", Some(to)), "CEN-CIDR-005");
            assert_eq!(found.len(), 1, "{to}: {found:?}");
            assert_eq!(found[0].severity, Severity::Error, "{to}");
            assert!(
                found[0].message.ends_with("; the required flow flow uses these addresses"),
                "{to}: {}",
                found[0].message
            );
        }
        // No required flow declared: every pair is assumed to talk, as before.
        let found = crate::core::testing::findings(&with_flow(true, "10.1.0.0/24", "10.1.0.0/24", None), "CEN-CIDR-005");
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.ends_with("the other's copy"), "{}", found[0].message);
    }

    /// With declared flows, an overlap refused with the switch off is an info when no required flow
    /// uses its addresses, and an error naming the flow when one does.
    #[test]
    fn a_refused_overlap_follows_the_declared_flows() {
        check_codes(
            &with_flow(false, "10.1.0.0/16", "10.1.2.0/24", Some("sa2")),
            &["CEN-CIDR-006"],
            expect![[r#"
                info CEN-CIDR-006 sb.cidr: 10.1.0.0/16 (vSwitch sa of va) overlaps 10.1.2.0/24 (vSwitch sb of vb) in CEN c, whose overlapping-routes switch is off: CEN keeps the route attached first and refuses the other; the plan does not say which came first (equal or unknown attachment dates), so which one is undetermined; no required flow uses these addresses, so nothing the declared flows need is lost
                  fix: Nothing to do for the declared flows; before a flow needs these addresses: enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
                  related: sa, c
            "#]],
        );
        check_codes(
            &with_flow(false, "10.1.0.0/16", "10.1.2.0/24", Some("sb")),
            &["CEN-CIDR-006"],
            expect![[r#"
                error CEN-CIDR-006 sb.cidr: 10.1.0.0/16 (vSwitch sa of va) overlaps 10.1.2.0/24 (vSwitch sb of vb) in CEN c, whose overlapping-routes switch is off: CEN keeps the route attached first and refuses the other; the plan does not say which came first (equal or unknown attachment dates), so which one is undetermined; the required flow flow uses these addresses
                  fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
                  related: sa, c
            "#]],
        );
    }

    #[test]
    fn disjoint_blocks_and_unattached_networks_do_not_fire() {
        check_codes(&two_vpcs(false, "10.1.0.0/24", "10.2.0.0/24", true), MINE, expect![[""]]);
        check_codes(&two_vpcs(false, "10.1.0.0/24", "10.1.0.0/24", false), MINE, expect![[""]]);
    }

    #[test]
    fn two_vbrs_or_a_paired_sag_with_the_same_prefix_are_redundancy_not_conflict() {
        let p = |backup: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vbr("b1", "cn-beijing", &["10.1.1.0/24"])
                .vbr("b2", "cn-beijing", &["10.1.1.0/24"])
                .ccn("n", CcnArea::MainlandChina)
                .sag("s", "n", &["10.1.1.0/24"])
                .when(backup, |p| p.backup_for("b1"))
                .attach("t1", "c", "b1")
                .attach("t2", "c", "b2")
                .attach("t3", "c", "n")
                .build()
        };
        // The SAG conflicts with each VBR, the VBRs not with each other.
        check_codes(
            &p(false),
            MINE,
            expect![[r#"
                error CEN-CIDR-005 s.cidrs: 10.1.1.0/24 (VBR b1) and 10.1.1.0/24 (SAG branch s of n) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
                  fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: b1, c
                error CEN-CIDR-005 s.cidrs: 10.1.1.0/24 (VBR b2) and 10.1.1.0/24 (SAG branch s of n) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
                  fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: b2, c
            "#]],
        );
        // Paired as standby for b1, the SAG no longer conflicts with b1, only with b2.
        check_codes(
            &p(true),
            MINE,
            expect![[r#"
                error CEN-CIDR-005 s.cidrs: 10.1.1.0/24 (VBR b2) and 10.1.1.0/24 (SAG branch s of n) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
                  fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: b2, c
            "#]],
        );
    }

    #[test]
    fn overlapping_prefixes_of_two_lines_of_one_site_are_not_an_addressing_warning() {
        let p = |site: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vbr("b1", "cn-hangzhou", &["10.1.0.0/16"])
                .vbr("b2", "cn-hangzhou", &["10.1.1.0/24"])
                .attach("t1", "c", "b1")
                .attach("t2", "c", "b2")
                .when(site, |p| p.site("dc", &[], &["b1", "b2"]))
                .build()
        };
        assert_eq!(crate::core::testing::ids(&p(false), "CEN-CIDR-004"), ["b2"]);
        check_codes(&p(true), &["CEN-CIDR"], expect![[""]]);
    }

    #[test]
    fn identical_vpc_blocks_alone_do_not_conflict() {
        // Both VPCs use 10.0.0.0/8 (CEN-CIDR-008): only vSwitch blocks are advertised.
        check_codes(&two_vpcs(false, "10.1.0.0/24", "10.2.0.0/24", true), MINE, expect![[""]]);
    }

    fn brute_force(prefixes: &[Prefix]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..prefixes.len() {
            for j in i + 1..prefixes.len() {
                if prefixes[i].network != prefixes[j].network && crate::core::cidr::overlaps(&prefixes[i].net, &prefixes[j].net) {
                    out.push((i, j));
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn sweep_finds_exactly_the_pairs_brute_force_finds(
            items in prop::collection::vec((0u32..64, 0u8..8, 0usize..4), 0..60)
        ) {
            // Small address space (10.0.0.0/26 .. /32) so overlaps are frequent.
            let prefixes: Vec<Prefix> = items.iter().map(|&(host, extra, net)| {
                let len = 26 + extra.min(6);
                let addr = std::net::Ipv4Addr::from(0x0a00_0000u32 + host);
                Prefix {
                    net: Ipv4Net::new(addr, len).unwrap().trunc(),
                    network: ["n0", "n1", "n2", "n3"][net],
                    holder: (Kind::VSwitch, ""),
                    field: "cidr",
                }
            }).collect();
            prop_assert_eq!(overlapping_pairs(&prefixes), brute_force(&prefixes));
        }
    }
}
