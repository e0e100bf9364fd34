//! Whole-plan tests of the rulebook's worked examples E7 and E10 (`../shared/cen-rules.md` §4) and of
//! issue 11's redundancy designs: documented findings, route tables and reachability.

#[cfg(test)]
mod tests {
    use crate::core::analysis::Analysis;
    use crate::core::catalog::{Area, CcnArea};
    use crate::core::dataplane::{NextHop, Origin};
    use crate::core::edit::apply_all;
    use crate::core::model::Plan;
    use crate::core::reach::{Disposition, Verdict};
    use crate::core::testing::{check_codes, ids, plan, PlanBuilder};
    use expect_test::{expect, Expect};

    /// The CEN routes of `network` for `prefix`, one a line: `prefix → origin: state`.
    fn routes(a: &Analysis, network: &str, prefix: &str) -> String {
        let t = a.table(network);
        let mut s = String::new();
        for r in t
            .routes
            .iter()
            .filter(|r| r.origin == Origin::Cen && r.prefix.to_string() == prefix)
        {
            let NextHop::Cen(origin) = &r.next_hop else { continue };
            let state = r.inactive.as_ref().map_or("active".to_string(), |i| i.describe(a.facts()));
            s.push_str(&format!("{prefix} → {origin}: {state}\n"));
        }
        s
    }

    /// Both directions between `x` and `y`: the verdict, then each trace's disposition, hops and what
    /// stopped it (or why the answer is undetermined).
    fn reach(a: &Analysis, x: &str, y: &str, expect: Expect) {
        let r = a.reach(x, y).unwrap();
        let mut s = format!("{:?}\n", r.result);
        for t in [&r.forward, &r.back] {
            s.push_str(&format!("{} → {}: {:?}\n", t.from, t.to, t.disposition));
            for h in &t.hops {
                s.push_str(&format!("  {}: {}\n", h.at, h.via));
            }
            if let Some(b) = &t.blocked {
                s.push_str(&format!(
                    "  blocked {} at {}: {}\n  fix: {} ({} edits)\n",
                    b.code,
                    b.at,
                    b.reason,
                    b.fix,
                    b.edits.len()
                ));
            }
            if let Some(u) = &t.undetermined {
                s.push_str(&format!("  undetermined between {}: {}\n", u.candidates.join(", "), u.reason));
            }
        }
        expect.assert_eq(&s);
    }

    /// E7: IDC1 behind VBR1 in cn-beijing, IDC2 behind VBR2 in cn-hangzhou (BGP), with a VPC; a
    /// China–China package and a Beijing–Hangzhou connection.
    fn e7() -> Plan {
        plan()
            .cen("c")
            .overlapping()
            .vpc("vpc", "cn-beijing", "192.168.0.0/16")
            .vswitch("s", "vpc", "192.168.1.0/24")
            .vbr("vbr1", "cn-beijing", &["10.1.3.0/24"])
            .bgp()
            .vbr("vbr2", "cn-hangzhou", &["10.1.4.0/24"])
            .bgp()
            .attach("t0", "c", "vpc")
            .attach("t1", "c", "vbr1")
            .attach("t2", "c", "vbr2")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("r", "c", "cn-beijing", "cn-hangzhou", 10)
            .build()
    }

    #[test]
    fn e7_two_data_centres_are_isolated_until_the_two_export_permit_maps_are_added() {
        let before = e7();
        check_codes(
            &before,
            &["CEN-VBR-001", "CEN-RMAP"],
            expect![[r#"
                error CEN-VBR-001 vbr1: vbr1 and vbr2 cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
                  fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-beijing source vbr2 → destination vbr1, and in cn-hangzhou source vbr1 → destination vbr2 (or open a ticket).
                  related: vbr2
            "#]],
        );
        let a = Analysis::new(before.clone());
        expect![[r#"
            10.1.4.0/24 → vbr2: not learned: VBR/CCN isolation, system route map priority 5000 (CEN-VBR-001)
            10.1.3.0/24 → vbr1: not learned: VBR/CCN isolation, system route map priority 5000 (CEN-VBR-001)
        "#]]
        .assert_eq(&(routes(&a, "vbr1", "10.1.4.0/24") + &routes(&a, "vbr2", "10.1.3.0/24")));
        // Both still reach the VPC.
        assert_eq!(a.reach("vbr1", "vpc").unwrap().result, Verdict::Reachable);
        assert_eq!(a.reach("vbr2", "vpc").unwrap().result, Verdict::Reachable);
        reach(
            &a,
            "vbr1",
            "vbr2",
            expect![[r#"
            Unreachable
            vbr1 → vbr2: Unreachable
              blocked CEN-VBR-001 at vbr1: vbr1 does not learn 10.1.4.0/24 from vbr2: VBRs and CCNs do not learn each other's routes by default (the system route map, priority 5000, Deny, in the export direction)
              fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-beijing source vbr2 → destination vbr1, and in cn-hangzhou source vbr1 → destination vbr2 (or open a ticket). (2 edits)
            vbr2 → vbr1: Unreachable
              blocked CEN-VBR-001 at vbr2: vbr2 does not learn 10.1.3.0/24 from vbr1: VBRs and CCNs do not learn each other's routes by default (the system route map, priority 5000, Deny, in the export direction)
              fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-hangzhou source vbr1 → destination vbr2, and in cn-beijing source vbr2 → destination vbr1 (or open a ticket). (2 edits)
        "#]],
        );
        // The fix offered by the blocked hop is the one offered by the finding; applying it fixes both.
        let blocked = a.reach("vbr1", "vbr2").unwrap().forward.blocked.unwrap();
        let finding = a.report().findings.iter().find(|f| f.code == "CEN-VBR-001").unwrap();
        assert_eq!(blocked.finding.as_ref().map(|f| f.code), Some(finding.code));
        let mut after = before.clone();
        apply_all(&mut after, blocked.edits.clone()).unwrap();
        let mut also = before.clone();
        apply_all(&mut also, a.fix_edits(finding)).unwrap();
        assert_eq!(after.route_maps, also.route_maps);
        check_codes(&after, &["CEN-VBR-001", "CEN-RMAP"], expect![[""]]);
        let a = Analysis::new(after);
        expect![[r#"
            10.1.4.0/24 → vbr2: active
            10.1.3.0/24 → vbr1: active
        "#]]
        .assert_eq(&(routes(&a, "vbr1", "10.1.4.0/24") + &routes(&a, "vbr2", "10.1.3.0/24")));
        reach(
            &a,
            "vbr1",
            "vbr2",
            expect![[r#"
            Reachable
            vbr1 → vbr2: Reachable
              vbr1: 10.1.4.0/24 → CEN → vbr2 (permitted by route map Permit vbr2 to vbr1, priority 20)
              vbr2: 10.1.4.0/24 → on-premises
            vbr2 → vbr1: Reachable
              vbr2: 10.1.3.0/24 → CEN → vbr1 (permitted by route map Permit vbr1 to vbr2, priority 20)
              vbr1: 10.1.3.0/24 → on-premises
        "#]],
        );
    }

    /// E10: IDC 10.1.1.0/24 through a BGP VBR in cn-beijing (active) and a SAG of a Mainland-China CCN
    /// (standby), one site with two lines; VPCs in Beijing, Hong Kong and Shanghai with the packages and
    /// connections they need.
    fn e10(paired: bool) -> PlanBuilder {
        plan()
            .cen("c")
            .overlapping()
            .vpc("bj", "cn-beijing", "192.168.1.0/24")
            .vswitch("s1", "bj", "192.168.1.0/24")
            .vpc("hk", "cn-hongkong", "192.168.2.0/24")
            .vswitch("s2", "hk", "192.168.2.0/24")
            .vpc("sh", "cn-shanghai", "192.168.3.0/24")
            .vswitch("s3", "sh", "192.168.3.0/24")
            .vbr("vbr", "cn-beijing", &["10.1.1.0/24"])
            .bgp()
            .health_check()
            .ccn("ccn", CcnArea::MainlandChina)
            .sag("sag", "ccn", &["10.1.1.0/24"])
            .when(paired, |p| p.backup_for("vbr"))
            .attach("t1", "c", "bj")
            .attach("t2", "c", "hk")
            .attach("t3", "c", "sh")
            .attach("t4", "c", "vbr")
            .attach("t5", "c", "ccn")
            .package("p1", Some("c"), Area::China, Area::China, 10)
            .package("p2", Some("c"), Area::China, Area::AsiaPacific, 10)
            .region_bandwidth("r1", "c", "cn-beijing", "cn-shanghai", 2)
            .region_bandwidth("r2", "c", "cn-beijing", "cn-hongkong", 2)
            .region_bandwidth("r3", "c", "cn-shanghai", "cn-hongkong", 2)
            .site("idc", &["10.1.1.0/24"], &["vbr", "sag"])
    }

    #[test]
    fn e10_leased_line_with_a_sag_backup() {
        let p = e10(true).build();
        check_codes(
            &p,
            &[
                "CEN-CCN-003",
                "CEN-CCN-006",
                "CEN-CIDR-005",
                "CEN-VBR-001",
                "CEN-BWP",
                "CEN-AREA",
                "CEN-BW-0",
            ],
            expect![[r#"
            error CEN-CCN-003 ccn.area: CCN ccn (Mainland China, CEN area Mainland China) cannot reach VPC hk in Asia Pacific through CEN c: as of 2019-09-19 a CCN reaches only networks of its matching CEN area
              fix: Reach those networks another way (VPN gateway, Express Connect), or plan for 2021-07-14 or later, when cross-area CCN traffic works with a bandwidth package.
              related: c, hk
            info CEN-BW-006 r1.mbps: cross-region bandwidth China (Beijing) ↔ China (Shanghai) on CEN c: its 2 Mbps is shared by all 3 networks in the two regions (bj, vbr, sh), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, bj, vbr, sh
            info CEN-BW-006 r2.mbps: cross-region bandwidth China (Beijing) ↔ China (Hong Kong) on CEN c: its 2 Mbps is shared by all 3 networks in the two regions (bj, vbr, hk), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, bj, vbr, hk
            info CEN-BWP-008 p2.mbps: bandwidth package p2 (China–Asia-Pacific, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-CCN-006 sag.cidrs: 10.1.1.0/24 reaches CEN c both from VBR vbr (leased line) and from SAG branch sag, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
              fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
              related: vbr, c
        "#]],
        );
        let a = Analysis::new(p);
        expect![[r#"
            10.1.1.0/24 → vbr: active
            10.1.1.0/24 → ccn: standby
            10.1.1.0/24 → vbr: active
            10.1.1.0/24 → ccn: standby
            10.1.1.0/24 → vbr: active
            10.1.1.0/24 → ccn: standby
        "#]]
        .assert_eq(&(routes(&a, "bj", "10.1.1.0/24") + &routes(&a, "hk", "10.1.1.0/24") + &routes(&a, "sh", "10.1.1.0/24")));
        for vpc in ["bj", "hk", "sh"] {
            assert_eq!(a.reach(vpc, "idc").unwrap().result, Verdict::Reachable, "{vpc}");
        }
        reach(
            &a,
            "hk",
            "idc",
            expect![[r#"
            Reachable
            hk → idc: Reachable
              hk: 10.1.1.0/24 → CEN → vbr
              vbr: 10.1.1.0/24 → on-premises
            idc → hk: Reachable
              vbr: 192.168.2.0/24 → CEN → hk
              hk: 192.168.2.0/24 → local (s2)
        "#]],
        );
        // Without the China–Asia-Pacific package Hong Kong is cut off from the Mainland VPCs (Hong Kong
        // is Asia Pacific, CEN-AREA-003); without the China–China package the Beijing–Shanghai
        // bandwidth has no package for its pair (CEN-BWP-002).
        let codes = |p: Plan| {
            let mut c = crate::core::testing::codes(&p);
            c.retain(|c| c.starts_with("CEN-AREA") || c.starts_with("CEN-BWP-00") && *c != "CEN-BWP-008");
            c.dedup();
            c
        };
        expect![[r#"
            [
                "CEN-AREA-003",
            ]
        "#]]
        .assert_debug_eq(&codes(e10(true).with(|p| p.bandwidth_packages.retain(|b| b.id != "p2")).build()));
        expect![[r#"
            [
                "CEN-BWP-002",
            ]
        "#]]
        .assert_debug_eq(&codes(e10(true).with(|p| p.bandwidth_packages.retain(|b| b.id != "p1")).build()));
        // Without the pairing the console refuses the SAG's CIDR (CEN-CCN-006 error); the two lines of
        // one site are still not an identical-prefix conflict (CEN-CIDR-005), which they are without it.
        assert!(ids(&e10(false).build(), "CEN-CIDR-005").is_empty());
        assert!(!ids(&e10(false).with(|p| p.sites.clear()).build(), "CEN-CIDR-005").is_empty());
        check_codes(
            &e10(false).build(),
            &["CEN-CCN-006"],
            expect![[r#"
            error CEN-CCN-006 sag.cidrs: 10.1.1.0/24 reaches CEN c both from VBR vbr (leased line) and from SAG branch sag, which is not paired with it as standby: adding the CIDR to the SAG fails as an address conflict
              fix: Configure SAG sag as standby for VBR vbr (Standby for VBR) before adding 10.1.1.0/24, or remove the CIDR from one side.
              related: vbr, c
        "#]],
        );
    }

    /// A VPC in cn-hangzhou and a data centre `dc` (10.1.1.0/24) behind `lines`.
    fn dc(lines: impl FnOnce(PlanBuilder) -> PlanBuilder, site: &[&str]) -> PlanBuilder {
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("vpc", "cn-hangzhou", "192.168.0.0/16")
            .vswitch("s", "vpc", "192.168.1.0/24")
            .attach("t0", "c", "vpc");
        let p = lines(p);
        if site.is_empty() {
            p
        } else {
            p.site("dc", &["10.1.1.0/24"], site)
        }
    }

    fn two_static_lines(p: PlanBuilder) -> PlanBuilder {
        p.vbr("vbr1", "cn-hangzhou", &["10.1.1.0/24"])
            .health_check()
            .vbr("vbr2", "cn-hangzhou", &["10.1.1.0/24"])
            .health_check()
            .attach("t1", "c", "vbr1")
            .attach("t2", "c", "vbr2")
    }

    #[test]
    fn two_leased_lines_into_one_data_centre_are_ecmp_and_reach_the_vpc() {
        // Without the site the two lines are two networks that cannot talk.
        assert_eq!(ids(&dc(two_static_lines, &[]).build(), "CEN-VBR-001"), ["vbr1"]); // one finding per pair
        let p = dc(two_static_lines, &["vbr1", "vbr2"]).build();
        check_codes(&p, &["CEN-VBR-001", "CEN-CIDR-005", "CEN-VBR-003"], expect![[""]]);
        assert!(!crate::core::rules::check(&p).has_errors());
        let a = Analysis::new(p);
        expect![[r#"
            10.1.1.0/24 → vbr1: active
            10.1.1.0/24 → vbr2: active
        "#]]
        .assert_eq(&routes(&a, "vpc", "10.1.1.0/24"));
        reach(
            &a,
            "vpc",
            "dc",
            expect![[r#"
                Reachable
                vpc → dc: Reachable
                  vpc: 10.1.1.0/24 → CEN → vbr2 (ECMP with vbr1)
                  vbr2: 10.1.1.0/24 → on-premises
                dc → vpc: Reachable
                  vbr1: 192.168.1.0/24 → CEN → vpc
                  vpc: 192.168.1.0/24 → local (s)
            "#]],
        );
    }

    #[test]
    fn a_leased_line_with_a_sag_backup_reaches_the_vpc_without_isolation_errors() {
        let lines = |p: PlanBuilder| {
            p.vbr("vbr", "cn-hangzhou", &["10.1.1.0/24"])
                .bgp()
                .ccn("ccn", CcnArea::MainlandChina)
                .sag("sag", "ccn", &["10.1.1.0/24"])
                .backup_for("vbr")
                .attach("t1", "c", "vbr")
                .attach("t2", "c", "ccn")
        };
        // The SAG is the VBR's standby: both reach one data centre, so they need not reach each other,
        // whether or not the site is declared.
        assert!(ids(&dc(lines, &[]).build(), "CEN-VBR-001").is_empty());
        let p = dc(lines, &["vbr", "sag"]).build();
        check_codes(
            &p,
            &["CEN-VBR-001", "CEN-CIDR-005", "CEN-CCN-006"],
            expect![[r#"
            info CEN-CCN-006 sag.cidrs: 10.1.1.0/24 reaches CEN c both from VBR vbr (leased line) and from SAG branch sag, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
              fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
              related: vbr, c
        "#]],
        );
        assert!(!crate::core::rules::check(&p).has_errors());
        let a = Analysis::new(p);
        expect![[r#"
            10.1.1.0/24 → vbr: active
            10.1.1.0/24 → ccn: standby
        "#]]
        .assert_eq(&routes(&a, "vpc", "10.1.1.0/24"));
        reach(
            &a,
            "vpc",
            "dc",
            expect![[r#"
            Reachable
            vpc → dc: Reachable
              vpc: 10.1.1.0/24 → CEN → vbr
              vbr: 10.1.1.0/24 → on-premises
            dc → vpc: Reachable
              vbr: 192.168.1.0/24 → CEN → vpc
              vpc: 192.168.1.0/24 → local (s)
        "#]],
        );
    }

    fn bgp_in_two_regions(p: PlanBuilder) -> PlanBuilder {
        p.vbr("vbr1", "cn-hangzhou", &["10.1.1.0/24"])
            .bgp()
            .vbr("vbr2", "cn-shanghai", &["10.1.1.0/24"])
            .bgp()
            .attach("t1", "c", "vbr1")
            .attach("t2", "c", "vbr2")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("r", "c", "cn-hangzhou", "cn-shanghai", 5)
    }

    #[test]
    fn bgp_lines_in_two_regions_without_as_paths_are_undetermined_and_the_shorter_path_wins_when_known() {
        let p = dc(bgp_in_two_regions, &["vbr1", "vbr2"]).build();
        check_codes(
            &p,
            &["CEN-VBR-001", "CEN-VBR-004", "CEN-CIDR-005"],
            expect![[r#"
            info CEN-VBR-004 vbr1.idc_cidrs: VBRs vbr1, vbr2 in CEN c all learn 10.1.1.0/24 over BGP: CEN prefers the shortest AS path and pushes that VBR to the VPCs as active, the others as standby; the plan has no AS paths, so which one is active is undetermined
              fix: Decide the active line: prepend the AS path on the standby line's BGP advertisements from the data centre, and record the AS-path lengths on the site's lines.
              related: vbr2, c
        "#]],
        );
        let a = Analysis::new(p);
        reach(
            &a,
            "vpc",
            "dc",
            expect![[r#"
                Undetermined
                vpc → dc: Reachable
                  vpc: 10.1.1.0/24 → CEN → vbr1
                  vbr1: 10.1.1.0/24 → on-premises
                  undetermined between vbr1, vbr2: 10.1.1.0/24 is advertised by vbr1 and vbr2: CEN keeps one active and the others standby, and which one the plan does not decide (BGP lines without AS-path lengths, or with equal ones)
                dc → vpc: Reachable
                  vbr1: 192.168.1.0/24 → CEN → vpc
                  vpc: 192.168.1.0/24 → local (s)
            "#]],
        );
        // Equal AS paths decide nothing either.
        let equal = dc(bgp_in_two_regions, &["vbr1", "vbr2"]).path_lengths(&[Some(2), Some(2)]).build();
        assert_eq!(Analysis::new(equal).reach("vpc", "dc").unwrap().result, Verdict::Undetermined);
        // The shorter AS path (vbr2) is active: the VPC goes through Shanghai, at the region bandwidth.
        let known = dc(bgp_in_two_regions, &["vbr1", "vbr2"]).path_lengths(&[Some(4), Some(1)]).build();
        check_codes(
            &known,
            &["CEN-VBR-004"],
            expect![[r#"
            info CEN-VBR-004 vbr1.idc_cidrs: VBRs vbr1, vbr2 in CEN c all learn 10.1.1.0/24 over BGP: CEN prefers the shortest AS path, so VBR vbr2 (AS path 1) is active and pushed to the VPCs, the others standby
              fix: Nothing to change if intended; the longer AS paths are the standby lines.
              related: vbr2, c
        "#]],
        );
        let a = Analysis::new(known);
        expect![[r#"
            10.1.1.0/24 → vbr1: standby
            10.1.1.0/24 → vbr2: active
        "#]]
        .assert_eq(&routes(&a, "vpc", "10.1.1.0/24"));
        reach(
            &a,
            "vpc",
            "dc",
            expect![[r#"
            Reachable
            vpc → dc: Reachable
              vpc: 10.1.1.0/24 → CEN → vbr2
              vbr2: 10.1.1.0/24 → on-premises
            dc → vpc: Reachable
              vbr1: 192.168.1.0/24 → CEN → vpc
              vpc: 192.168.1.0/24 → local (s)
        "#]],
        );
        assert_eq!(a.reach("vpc", "dc").unwrap().forward.disposition, Disposition::Reachable);
    }

    #[test]
    fn the_matrix_treats_a_site_as_one_endpoint_and_agrees_with_the_traces() {
        let p = dc(two_static_lines, &["vbr1", "vbr2"]).build();
        let a = Analysis::new(p);
        let m = crate::core::matrix::Matrix::new(a.dataplane());
        let ids: Vec<&str> = m.endpoints.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["vpc", "vbr1", "vbr2", "dc"]);
        assert_eq!(m.cells, crate::core::matrix::cells(a.dataplane(), &m.endpoints));
        assert_eq!(m.cells[0][3], crate::core::matrix::Cell::Reachable);
        assert_eq!(m.cells[3][0], crate::core::matrix::Cell::Reachable);
    }

    #[test]
    fn a_line_whose_expected_role_the_plan_does_not_give_is_reported() {
        use crate::core::model::LineRole;
        let roles = |p: PlanBuilder, roles: [Option<LineRole>; 2]| {
            p.with(move |plan| {
                for (line, role) in plan.sites[0].lines.iter_mut().zip(roles) {
                    line.role = role;
                }
            })
        };
        let intended = [Some(LineRole::Active), Some(LineRole::Standby)];
        // BGP lines without AS paths: neither role is given by the plan.
        let p = roles(dc(bgp_in_two_regions, &["vbr1", "vbr2"]), intended).build();
        check_codes(
            &p,
            &["CEN-VBR-004"],
            expect![[r#"
            info CEN-VBR-004 vbr1.idc_cidrs: VBRs vbr1, vbr2 in CEN c all learn 10.1.1.0/24 over BGP: CEN prefers the shortest AS path and pushes that VBR to the VPCs as active, the others as standby; the plan has no AS paths, so which one is active is undetermined
              fix: Decide the active line: prepend the AS path on the standby line's BGP advertisements from the data centre, and record the AS-path lengths on the site's lines.
              related: vbr2, c
            info CEN-VBR-004 dc.lines: line vbr1 of site dc is meant to be active, but is active or standby as CEN picks, which the plan does not decide (no AS-path lengths, or equal ones)
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: vbr1
            info CEN-VBR-004 dc.lines: line vbr2 of site dc is meant to be standby, but is active or standby as CEN picks, which the plan does not decide (no AS-path lengths, or equal ones)
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: vbr2
        "#]],
        );
        // With AS paths that make vbr1 active, the roles hold and nothing is said about them.
        let p = roles(
            dc(bgp_in_two_regions, &["vbr1", "vbr2"]).path_lengths(&[Some(1), Some(3)]),
            intended,
        )
        .build();
        assert_eq!(ids(&p, "CEN-VBR-004"), ["vbr1"]);
        // Static lines are ECMP, not active/standby.
        let p = roles(dc(two_static_lines, &["vbr1", "vbr2"]), intended).build();
        check_codes(
            &p,
            &["CEN-VBR-003"],
            expect![[r#"
            warning CEN-VBR-003 dc.lines: line vbr1 of site dc is meant to be active, but shares the traffic with another line (ECMP)
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: vbr1
            warning CEN-VBR-003 dc.lines: line vbr2 of site dc is meant to be standby, but shares the traffic with another line (ECMP)
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: vbr2
        "#]],
        );
        let p = roles(
            dc(two_static_lines, &["vbr1", "vbr2"]),
            [Some(LineRole::Ecmp), Some(LineRole::Ecmp)],
        )
        .build();
        check_codes(&p, &["CEN-VBR-003"], expect![[""]]);
        // A SAG line meant to be active behind a leased line is standby.
        let lines = |p: PlanBuilder| {
            p.vbr("vbr", "cn-hangzhou", &["10.1.1.0/24"])
                .bgp()
                .ccn("ccn", CcnArea::MainlandChina)
                .sag("sag", "ccn", &["10.1.1.0/24"])
                .backup_for("vbr")
                .attach("t1", "c", "vbr")
                .attach("t2", "c", "ccn")
        };
        let p = roles(dc(lines, &["vbr", "sag"]), [Some(LineRole::Standby), Some(LineRole::Active)]).build();
        check_codes(
            &p,
            &["CEN-CCN-006", "CEN-VBR-004"],
            expect![[r#"
            warning CEN-CCN-006 dc.lines: line sag of site dc is meant to be active, but is a standby line
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: sag
            info CEN-CCN-006 sag.cidrs: 10.1.1.0/24 reaches CEN c both from VBR vbr (leased line) and from SAG branch sag, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
              fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
              related: vbr, c
            info CEN-VBR-004 dc.lines: line vbr of site dc is meant to be standby, but is the active line
              fix: Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.
              related: vbr
        "#]],
        );
    }

    #[test]
    fn a_trace_stopped_by_a_deny_route_map_names_the_map_and_its_priority() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .vswitch("s1", "v1", "10.0.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s2", "v2", "10.1.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .route_map("m", "c", "cn-hangzhou", 10)
            .deny()
            .matching(&["v2"], &["v1"])
            .build();
        let a = Analysis::new(p);
        reach(
            &a,
            "v1",
            "v2",
            expect![[r#"
            OneWay
            v1 → v2: Unreachable
              blocked CEN-RMAP-001 at v1: v1 does not learn 10.1.1.0/24: route map m (priority 10) denies it
              fix: Change or delete route map m if v1 should learn 10.1.1.0/24. (1 edits)
            v2 → v1: Reachable
              v2: 10.0.1.0/24 → CEN → v1
              v1: 10.0.1.0/24 → local (s1)
        "#]],
        );
    }

    #[test]
    fn two_regions_holding_only_lines_of_one_site_need_no_bandwidth_between_them() {
        // The VPC talks to both lines (Hangzhou–Shanghai, Hangzhou–Beijing); the lines do not talk.
        let p = |site: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vpc("vpc", "cn-hangzhou", "192.168.0.0/16")
                .vswitch("s", "vpc", "192.168.1.0/24")
                .vbr("vbr1", "cn-shanghai", &["10.1.1.0/24"])
                .health_check()
                .vbr("vbr2", "cn-beijing", &["10.1.1.0/24"])
                .health_check()
                .attach("t0", "c", "vpc")
                .attach("t1", "c", "vbr1")
                .attach("t2", "c", "vbr2")
                .package("p", Some("c"), Area::China, Area::China, 10)
                .region_bandwidth("r1", "c", "cn-hangzhou", "cn-shanghai", 5)
                .region_bandwidth("r2", "c", "cn-hangzhou", "cn-beijing", 5)
                .when(site, |p| p.site("dc", &["10.1.1.0/24"], &["vbr1", "vbr2"]))
                .build()
        };
        assert!(!ids(&p(false), "CEN-BW-00").is_empty());
        check_codes(&p(true), &["CEN-BW-005", "CEN-BW-008", "CEN-BWP"], expect![[""]]);
    }
}
