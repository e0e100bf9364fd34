//! Whole-plan tests for the rulebook's worked examples (`../shared/cen-rules.md` §4): each plan is
//! built with the shared builder and checked for its documented findings, route tables and
//! reachability. Where the rulebook marks a documented table as inconsistent (E8's VBR table), the
//! test follows the rules, and says so.

use crate::core::analysis::analyse;
use crate::core::catalog::{Area, CcnArea};
use crate::core::model::{NextHopType, Plan};
use crate::core::testing::{check, plan};
use expect_test::{expect, Expect};

/// The route table of `network` as text: one line a route, `prefix → next hop (origin)`, and the
/// reason when it is not used.
fn routes(plan: &Plan, network: &str, expect: Expect) {
    let a = analyse(plan);
    let ctx = a.facts();
    let mut s = String::new();
    for r in &a.table(network).routes {
        s.push_str(&format!("{} → {} ({})", r.prefix, r.next_hop.describe(ctx), r.origin.as_str()));
        if let Some(why) = &r.inactive {
            s.push_str(&format!(" [{}]", why.describe(ctx)));
        }
        s.push('\n');
    }
    expect.assert_eq(&s);
}

/// The reachability of each pair as text: `a ↔ b: result (forward; back)`, with the blocking rule.
/// The matrix agrees with each answer: its fast cells equal one trace per pair, a pair's cell is
/// undetermined exactly when `reach` says so, and otherwise reachable exactly when `reach` says both ways.
fn reach(plan: &Plan, pairs: &[(&str, &str)], expect: Expect) {
    let a = analyse(plan);
    let m = crate::core::matrix::Matrix::new(a.dataplane());
    assert_eq!(m.cells, crate::core::matrix::cells(a.dataplane(), &m.endpoints));
    let at = |id: &str| m.endpoints.iter().position(|e| e.id == id);
    let mut s = String::new();
    for (x, y) in pairs {
        let r = a.reach(x, y).unwrap();
        if let (Some(i), Some(j)) = (at(x), at(y)) {
            let undetermined = r.result == crate::core::reach::Verdict::Undetermined;
            let cell_undetermined = |c: crate::core::matrix::Cell| c == crate::core::matrix::Cell::Undetermined;
            assert_eq!(cell_undetermined(m.cells[i][j]), undetermined, "{x} -> {y}: matrix vs reach");
            assert_eq!(cell_undetermined(m.cells[j][i]), undetermined, "{y} -> {x}: matrix vs reach");
            if !undetermined {
                let both = r.result == crate::core::reach::Verdict::Reachable;
                assert_eq!(m.cells[i][j].is_success(), both, "{x} -> {y}: matrix vs reach");
                assert_eq!(m.cells[j][i].is_success(), both, "{y} -> {x}: matrix vs reach");
            }
        }
        let dir = |t: &crate::core::reach::Trace| {
            let mut d = crate::core::explain::verdict(t);
            if let Some(b) = &t.blocked {
                d.push_str(&format!(" [{} at {}]", b.code, b.at));
            }
            if t.undetermined.is_some() {
                d.push_str(" [undetermined]");
            }
            d
        };
        s.push_str(&format!(
            "{x} ↔ {y}: {} ({}; {})\n",
            crate::core::explain::result(&r),
            dir(&r.forward),
            dir(&r.back)
        ));
    }
    expect.assert_eq(&s);
}

/// E1: same account, same region: no finding but the reminders; each VPC learns the other's vSwitch.
#[test]
fn e1_same_account_same_region_needs_no_package_and_learns_both_ways() {
    let p = plan()
        .cen("cen-1")
        .vpc("vpc-a", "cn-hangzhou", "192.168.0.0/16")
        .vswitch("vsw-a", "vpc-a", "192.168.1.0/24")
        .vpc("vpc-b", "cn-hangzhou", "172.16.0.0/16")
        .vswitch("vsw-b", "vpc-b", "172.16.1.0/24")
        .attach("t-a", "cen-1", "vpc-a")
        .attach("t-b", "cen-1", "vpc-b")
        .build();
    check(
        &p,
        expect![[r#"
            info CEN-SG-001 cen-1: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-a, vpc-b must allow the CIDRs of the other networks of CEN cen-1 (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc-a",
        expect![[r#"
        172.16.1.0/24 → CEN → vpc-b (learned from CEN)
        192.168.1.0/24 → local (vsw-a) (system)
    "#]],
    );
    routes(
        &p,
        "vpc-b",
        expect![[r#"
        172.16.1.0/24 → local (vsw-b) (system)
        192.168.1.0/24 → CEN → vpc-a (learned from CEN)
    "#]],
    );
    reach(
        &p,
        &[("vpc-a", "vpc-b")],
        expect![[r#"
        vpc-a ↔ vpc-b: reachable both ways (reachable; reachable)
    "#]],
    );
}

/// E2's plan: account A owns the CEN and a Qingdao VPC, account B a Beijing VPC granted to it; a
/// China–China package of 8 Mbps and a 5 Mbps Qingdao–Beijing bandwidth.
fn e2(grant: bool, package: bool, bandwidth: bool) -> Plan {
    plan()
        .account("b", "2")
        .cen("cbn-4l7")
        .vpc("vpc-qd", "cn-qingdao", "192.168.0.0/16")
        .vswitch("vsw-qd", "vpc-qd", "192.168.1.0/24")
        .vpc("vpc-bj", "cn-beijing", "172.16.0.0/16")
        .owner("b")
        .vswitch("vsw-bj", "vpc-bj", "172.16.1.0/24")
        .attach("t-qd", "cbn-4l7", "vpc-qd")
        .attach("t-bj", "cbn-4l7", "vpc-bj")
        .when(grant, |p| p.grant("g-bj", "vpc-bj", "cbn-4l7", "1"))
        .when(package, |p| p.package("bwp", Some("cbn-4l7"), Area::China, Area::China, 8))
        .when(bandwidth, |p| p.region_bandwidth("rb", "cbn-4l7", "cn-qingdao", "cn-beijing", 5))
        .build()
}

/// E2: different accounts, different regions: the grant, the China–China package and the region
/// bandwidth are each needed; with all three, 5 Mbps both ways.
#[test]
fn e2_cross_account_cross_region_needs_the_grant_a_china_china_package_and_the_region_bandwidth() {
    let p = e2(true, true, true);
    check(
        &p,
        expect![[r#"
            info CEN-BWP-009 bwp.cen: bandwidth package bwp serves CEN cbn-4l7 across accounts: it is bought and bound by the CEN owner a, not by the network owners (b)
              fix: outside the plan: Buy the package and set the region bandwidths with account a; the network owners only grant the attachment.
              related: cbn-4l7
            info CEN-SG-001 cbn-4l7: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-qd, vpc-bj must allow the CIDRs of the other networks of CEN cbn-4l7 (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-XACC-003 g-bj.cen: grant g-bj: account b lets CEN cbn-4l7 (owner UID 1) attach vpc-bj and reach its addresses (attachment t-bj uses it)
              fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
              related: cbn-4l7, vpc-bj
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc-qd",
        expect![[r#"
        172.16.1.0/24 → CEN → vpc-bj (learned from CEN)
        192.168.1.0/24 → local (vsw-qd) (system)
    "#]],
    );
    reach(
        &p,
        &[("vpc-qd", "vpc-bj")],
        expect![[r#"
        vpc-qd ↔ vpc-bj: reachable both ways (reachable, up to 5 Mbps; reachable, up to 5 Mbps)
    "#]],
    );
    let ungranted = e2(false, true, true);
    check(
        &ungranted,
        expect![[r#"
            error CEN-XACC-001 t-bj.network: VPC vpc-bj of account b is attached to CEN cbn-4l7 of account a without a matching grant: there is no grant for it
              fix: In account b, grant vpc-bj to CEN cbn-4l7 with CEN owner UID 1 (GrantInstanceToCen, VPC/VBR console "CEN Cross Account Authorization"), or correct the grant.
              related: vpc-bj, cbn-4l7
            info CEN-BWP-009 bwp.cen: bandwidth package bwp serves CEN cbn-4l7 across accounts: it is bought and bound by the CEN owner a, not by the network owners (b)
              fix: outside the plan: Buy the package and set the region bandwidths with account a; the network owners only grant the attachment.
              related: cbn-4l7
            info CEN-SG-001 cbn-4l7: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-qd, vpc-bj must allow the CIDRs of the other networks of CEN cbn-4l7 (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &ungranted,
        &[("vpc-qd", "vpc-bj")],
        expect![[r#"
        vpc-qd ↔ vpc-bj: not reachable either way (not reachable [CEN-XACC-001 at vpc-qd]; not reachable [CEN-XACC-001 at vpc-bj])
    "#]],
    );
    let no_package = e2(true, false, false);
    check(
        &no_package,
        expect![[r#"
            warning CEN-BW-008 cbn-4l7: CEN cbn-4l7 has no cross-region bandwidth for China (Beijing) ↔ China (Qingdao): vpc-bj and vpc-qd get only the default 1 Kbps test link (a ping works, services do not)
              fix: Set a cross-region bandwidth China (Beijing) ↔ China (Qingdao) on the CEN from a package for the two regions' areas.
              related: vpc-bj, vpc-qd
            warning CEN-BWP-003 cbn-4l7: CEN cbn-4l7 connects China (Beijing) ↔ China (Qingdao) but has no China–China bandwidth package bound: regions in one area (Mainland China) still need a same-area package, so only the 1 Kbps test link exists
              fix: Buy a China–China package and bind it to the CEN, then set a region bandwidth for each region pair.
              related: vpc-bj, vpc-qd
            info CEN-SG-001 cbn-4l7: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-qd, vpc-bj must allow the CIDRs of the other networks of CEN cbn-4l7 (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-XACC-003 g-bj.cen: grant g-bj: account b lets CEN cbn-4l7 (owner UID 1) attach vpc-bj and reach its addresses (attachment t-bj uses it)
              fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
              related: cbn-4l7, vpc-bj
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &no_package,
        &[("vpc-qd", "vpc-bj")],
        expect![[r#"
            vpc-qd ↔ vpc-bj: reachable both ways (1 Kbps test link only [CEN-BWP-003 at vpc-qd]; 1 Kbps test link only [CEN-BWP-003 at vpc-bj])
        "#]],
    );
    let no_bandwidth = e2(true, true, false);
    check(
        &no_bandwidth,
        expect![[r#"
            warning CEN-BW-008 cbn-4l7: CEN cbn-4l7 has no cross-region bandwidth for China (Beijing) ↔ China (Qingdao): vpc-bj and vpc-qd get only the default 1 Kbps test link (a ping works, services do not)
              fix: Set a cross-region bandwidth China (Beijing) ↔ China (Qingdao) on the CEN from a package for the two regions' areas.
              related: vpc-bj, vpc-qd
            info CEN-BWP-009 bwp.cen: bandwidth package bwp serves CEN cbn-4l7 across accounts: it is bought and bound by the CEN owner a, not by the network owners (b)
              fix: outside the plan: Buy the package and set the region bandwidths with account a; the network owners only grant the attachment.
              related: cbn-4l7
            info CEN-SG-001 cbn-4l7: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-qd, vpc-bj must allow the CIDRs of the other networks of CEN cbn-4l7 (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-XACC-003 g-bj.cen: grant g-bj: account b lets CEN cbn-4l7 (owner UID 1) attach vpc-bj and reach its addresses (attachment t-bj uses it)
              fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
              related: cbn-4l7, vpc-bj
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &no_bandwidth,
        &[("vpc-qd", "vpc-bj")],
        expect![[r#"
            vpc-qd ↔ vpc-bj: reachable both ways (1 Kbps test link only [CEN-BW-008 at vpc-qd]; 1 Kbps test link only [CEN-BW-008 at vpc-bj])
        "#]],
    );
}

/// E3: bandwidth budgeting: 10 + 8 + 5 > 20 on the China–North America package; Silicon Valley and
/// Hong Kong need their own area pairs; a second China–North America package cannot be bound.
#[test]
fn e3_region_bandwidths_over_the_package_and_the_area_pairs_of_silicon_valley_and_hong_kong() {
    let p = plan()
        .cen("c")
        .overlapping()
        .vpc("v-va", "us-east-1", "10.1.0.0/16")
        .vswitch("s-va", "v-va", "10.1.0.0/24")
        .vpc("v-hz", "cn-hangzhou", "10.2.0.0/16")
        .vswitch("s-hz", "v-hz", "10.2.0.0/24")
        .vpc("v-sh", "cn-shanghai", "10.3.0.0/16")
        .vswitch("s-sh", "v-sh", "10.3.0.0/24")
        .vpc("v-sz", "cn-shenzhen", "10.4.0.0/16")
        .vswitch("s-sz", "v-sz", "10.4.0.0/24")
        .vpc("v-sv", "us-west-1", "10.5.0.0/16")
        .vswitch("s-sv", "v-sv", "10.5.0.0/24")
        .vpc("v-hk", "cn-hongkong", "10.6.0.0/16")
        .vswitch("s-hk", "v-hk", "10.6.0.0/24")
        .attach("t-va", "c", "v-va")
        .attach("t-hz", "c", "v-hz")
        .attach("t-sh", "c", "v-sh")
        .attach("t-sz", "c", "v-sz")
        .attach("t-sv", "c", "v-sv")
        .attach("t-hk", "c", "v-hk")
        .package("p-cn-na", Some("c"), Area::China, Area::NorthAmerica, 20)
        .package("p-cn-na-2", Some("c"), Area::NorthAmerica, Area::China, 10)
        .region_bandwidth("rb-hz", "c", "us-east-1", "cn-hangzhou", 10)
        .region_bandwidth("rb-sh", "c", "us-east-1", "cn-shanghai", 8)
        .region_bandwidth("rb-sz", "c", "us-east-1", "cn-shenzhen", 5)
        .build();
    check(
        &p,
        expect![[r#"
            error CEN-BW-002 p-cn-na.mbps: the region bandwidths drawn from package p-cn-na on CEN c add up to 23 Mbps (US (Virginia) ↔ China (Hangzhou) 10 Mbps, US (Virginia) ↔ China (Shanghai) 8 Mbps, US (Virginia) ↔ China (Shenzhen) 5 Mbps), more than its 20 Mbps
              fix: Lower the region bandwidths or upgrade the package (it is cross-border: it can never be downgraded again).
              related: rb-hz, rb-sh, rb-sz
            error CEN-BWP-004 p-cn-na-2.cen: bandwidth package p-cn-na-2 is a second China–North-America package bound to CEN c (after p-cn-na); a CEN holds one package per area pair
              fix: Upgrade p-cn-na instead of binding a second package for the same pair.
              related: p-cn-na, c
            warning CEN-AREA-002 p-cn-na-2.area_a: bandwidth package p-cn-na-2 (North-America–China) and p-cn-na (China–North-America) are the same area pair written in the other order: the pair is unordered
              fix: Treat A–B and B–A as one package: keep one and size it for both directions' needs.
              related: p-cn-na
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hangzhou) ↔ China (Hong Kong): v-hz and v-hk get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hangzhou) ↔ China (Hong Kong) on the CEN from a package for the two regions' areas.
              related: v-hz, v-hk, rb-hz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hangzhou) ↔ China (Shanghai): v-hz and v-sh get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hangzhou) ↔ China (Shanghai) on the CEN from a package for the two regions' areas.
              related: v-hz, v-sh, rb-hz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hangzhou) ↔ China (Shenzhen): v-hz and v-sz get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hangzhou) ↔ China (Shenzhen) on the CEN from a package for the two regions' areas.
              related: v-hz, v-sz, rb-hz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hangzhou) ↔ US (Silicon Valley): v-hz and v-sv get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hangzhou) ↔ US (Silicon Valley) on the CEN from a package for the two regions' areas.
              related: v-hz, v-sv, rb-hz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hong Kong) ↔ China (Shanghai): v-hk and v-sh get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Shanghai) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hong Kong) ↔ China (Shanghai) on the CEN from a package for the two regions' areas.
              related: v-hk, v-sh, rb-sh
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hong Kong) ↔ China (Shenzhen): v-hk and v-sz get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Shenzhen) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hong Kong) ↔ China (Shenzhen) on the CEN from a package for the two regions' areas.
              related: v-hk, v-sz, rb-sz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Hong Kong) ↔ US (Virginia): v-hk and v-va get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Hong Kong) ↔ US (Virginia) on the CEN from a package for the two regions' areas.
              related: v-hk, v-va, rb-hz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Shanghai) ↔ China (Shenzhen): v-sh and v-sz get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Shanghai) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Shanghai) ↔ China (Shenzhen) on the CEN from a package for the two regions' areas.
              related: v-sh, v-sz, rb-sh
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Shanghai) ↔ US (Silicon Valley): v-sh and v-sv get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Shanghai) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Shanghai) ↔ US (Silicon Valley) on the CEN from a package for the two regions' areas.
              related: v-sh, v-sv, rb-sh
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Shenzhen) ↔ US (Silicon Valley): v-sz and v-sv get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Shenzhen) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Shenzhen) ↔ US (Silicon Valley) on the CEN from a package for the two regions' areas.
              related: v-sz, v-sv, rb-sz
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for US (Virginia) ↔ US (Silicon Valley): v-va and v-sv get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth US (Virginia) ↔ China (Hangzhou) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth US (Virginia) ↔ US (Silicon Valley) on the CEN from a package for the two regions' areas.
              related: v-va, v-sv, rb-hz
            warning CEN-BW-007 c: CEN c has networks in 6 regions (China (Hangzhou), China (Hong Kong), China (Shanghai), China (Shenzhen), US (Virginia), US (Silicon Valley)); the default quota is 5 regions per CEN instance
              fix: Ask for a quota increase by ticket before attaching, or split the regions over CEN instances.
            warning CEN-BW-008 c: CEN c has no cross-region bandwidth for China (Hong Kong) ↔ US (Silicon Valley): v-hk and v-sv get only the default 1 Kbps test link (a ping works, services do not)
              fix: Set a cross-region bandwidth China (Hong Kong) ↔ US (Silicon Valley) on the CEN from a package for the two regions' areas.
              related: v-hk, v-sv
            warning CEN-BWP-001 c: CEN c connects China (Hangzhou) ↔ China (Hong Kong), China (Hong Kong) ↔ China (Shanghai), China (Hong Kong) ↔ China (Shenzhen) but has no China–Asia-Pacific bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
              fix: Buy a China–Asia-Pacific package and bind it to the CEN, then set a region bandwidth for each region pair.
              related: v-hz, v-hk, v-sh, v-sz
            warning CEN-BWP-001 c: CEN c connects China (Hong Kong) ↔ US (Virginia), China (Hong Kong) ↔ US (Silicon Valley) but has no Asia-Pacific–North-America bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
              fix: Buy a Asia-Pacific–North-America package and bind it to the CEN, then set a region bandwidth for each region pair.
              related: v-hk, v-va, v-sv
            warning CEN-BWP-003 c: CEN c connects China (Hangzhou) ↔ China (Shanghai), China (Hangzhou) ↔ China (Shenzhen), China (Shanghai) ↔ China (Shenzhen) but has no China–China bandwidth package bound: regions in one area (Mainland China) still need a same-area package, so only the 1 Kbps test link exists
              fix: Buy a China–China package and bind it to the CEN, then set a region bandwidth for each region pair.
              related: v-hz, v-sh, v-sz
            warning CEN-BWP-003 c: CEN c connects US (Virginia) ↔ US (Silicon Valley) but has no North-America–North-America bandwidth package bound: regions in one area (North America) still need a same-area package, so only the 1 Kbps test link exists
              fix: Buy a North-America–North-America package and bind it to the CEN, then set a region bandwidth for each region pair.
              related: v-va, v-sv
            info CEN-BWP-008 p-cn-na.mbps: bandwidth package p-cn-na (China–North-America, 20 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-BWP-008 p-cn-na-2.mbps: bandwidth package p-cn-na-2 (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs v-va, v-hz, v-sh, v-sz, v-sv, v-hk must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &p,
        &[("v-va", "v-hz"), ("v-sv", "v-va"), ("v-hk", "v-va")],
        expect![[r#"
            v-va ↔ v-hz: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
            v-sv ↔ v-va: reachable both ways (1 Kbps test link only [CEN-BWP-003 at v-sv]; 1 Kbps test link only [CEN-BWP-003 at v-va])
            v-hk ↔ v-va: reachable both ways (1 Kbps test link only [CEN-BWP-001 at v-hk]; 1 Kbps test link only [CEN-BWP-001 at v-va])
        "#]],
    );
}

/// E4's plan (seed 003): two VPCs in two areas, each with a VPN gateway and two offices whose routes
/// are published to CEN; `local` is the local network of every IPsec connection.
fn e4(local: &str, published: bool) -> Plan {
    let mut p = plan()
        .cen("c")
        .vpc("vpc1", "us-east-1", "172.16.0.0/16")
        .vswitch("vsw1", "vpc1", "172.16.1.0/24")
        .vpc("vpc2", "cn-shanghai", "192.168.0.0/16")
        .vswitch("vsw2", "vpc2", "192.168.1.0/24")
        .vpn_gateway("gw1", "vpc1")
        .mbps(100)
        .vpn_gateway("gw2", "vpc2")
        .mbps(100);
    let offices = [
        ("o1", "gw1", "vpc1", "10.10.10.0/24", "203.0.113.1", "us-east-1"),
        ("o2", "gw1", "vpc1", "10.10.20.0/24", "203.0.113.2", "us-east-1"),
        ("o3", "gw2", "vpc2", "10.20.10.0/24", "203.0.113.3", "cn-shanghai"),
        ("o4", "gw2", "vpc2", "10.20.20.0/24", "203.0.113.4", "cn-shanghai"),
    ];
    for (o, gw, vpc, cidr, ip, region) in offices {
        p = p
            .customer_gateway(&format!("cgw-{o}"), region, ip)
            .ipsec(o, gw, &format!("cgw-{o}"), &[local], &[cidr])
            .route(&format!("r-{o}"), vpc, cidr, NextHopType::VpnGateway, gw)
            .when(published, |p| p.published());
    }
    p.attach("t1", "c", "vpc1")
        .attach("t2", "c", "vpc2")
        .package("bwp", Some("c"), Area::China, Area::NorthAmerica, 10)
        .region_bandwidth("rb", "c", "cn-shanghai", "us-east-1", 10)
        .build()
}

/// E4: global offices through VPN gateways and CEN: with 0.0.0.0/0 selectors and published office
/// routes every office reaches the far VPC and the far offices; with the VPC block as the only local
/// network, a flow outside the selectors is not carried (CEN-VPN-002); unpublished routes are CEN-VPN-001.
#[test]
fn e4_offices_behind_vpn_gateways_reach_everything_when_selectors_and_publication_allow() {
    let p = e4("0.0.0.0/0", true);
    check(
        &p,
        expect![[r#"
            info CEN-BWP-008 bwp.mbps: bandwidth package bwp (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc1, vpc2 must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VPN-004 cgw-o1: The office device of cgw-o1 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o1): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o1, gw1
            info CEN-VPN-004 cgw-o2: The office device of cgw-o2 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o2): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o2, gw1
            info CEN-VPN-004 cgw-o3: The office device of cgw-o3 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o3): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o3, gw2
            info CEN-VPN-004 cgw-o4: The office device of cgw-o4 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o4): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o4, gw2
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc2",
        expect![[r#"
        10.10.10.0/24 → CEN → vpc1 (learned from CEN)
        10.10.20.0/24 → CEN → vpc1 (learned from CEN)
        10.20.10.0/24 → VPN gateway gw2 (published)
        10.20.20.0/24 → VPN gateway gw2 (published)
        172.16.1.0/24 → CEN → vpc1 (learned from CEN)
        192.168.1.0/24 → local (vsw2) (system)
    "#]],
    );
    reach(
        &p,
        &[("o1", "vpc2"), ("o1", "o3"), ("o1", "o2")],
        expect![[r#"
        o1 ↔ vpc2: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
        o1 ↔ o3: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
        o1 ↔ o2: reachable both ways (reachable, up to 100 Mbps; reachable, up to 100 Mbps)
    "#]],
    );
    let narrow = e4("172.16.0.0/16", true);
    check(
        &narrow,
        expect![[r#"
            warning CEN-VPN-002 o1.local_cidrs: The local CIDRs of IPsec connection o1 (office cgw-o1) do not cover 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4): traffic between the office and them does not match the phase-2 selectors
              fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
              related: gw1
            warning CEN-VPN-002 o2.local_cidrs: The local CIDRs of IPsec connection o2 (office cgw-o2) do not cover 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4): traffic between the office and them does not match the phase-2 selectors
              fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
              related: gw1
            warning CEN-VPN-002 o3.local_cidrs: The local CIDRs of IPsec connection o3 (office cgw-o3) do not cover 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.20.0/24 (office cgw-o4): traffic between the office and them does not match the phase-2 selectors
              fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
              related: gw2
            warning CEN-VPN-002 o4.local_cidrs: The local CIDRs of IPsec connection o4 (office cgw-o4) do not cover 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3): traffic between the office and them does not match the phase-2 selectors
              fix: Set the local network to 0.0.0.0/0 (seed 003: new VPCs and offices then need no change), or add the missing CIDRs (at most 5, with IKEv2).
              related: gw2
            info CEN-BWP-008 bwp.mbps: bandwidth package bwp (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc1, vpc2 must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VPN-004 cgw-o1: The office device of cgw-o1 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o1): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o1, gw1
            info CEN-VPN-004 cgw-o2: The office device of cgw-o2 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o2): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o2, gw1
            info CEN-VPN-004 cgw-o3: The office device of cgw-o3 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o3): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o3, gw2
            info CEN-VPN-004 cgw-o4: The office device of cgw-o4 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o4): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o4, gw2
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &narrow,
        &[("o1", "vpc1"), ("o1", "vpc2"), ("o1", "o3")],
        expect![[r#"
        o1 ↔ vpc1: reachable both ways (reachable, up to 100 Mbps; reachable, up to 100 Mbps)
        o1 ↔ vpc2: not reachable either way (not reachable [CEN-VPN-002 at o1]; not reachable [CEN-VPN-002 at gw1])
        o1 ↔ o3: not reachable either way (not reachable [CEN-VPN-002 at o1]; not reachable [CEN-VPN-002 at o3])
    "#]],
    );
    let unpublished = e4("0.0.0.0/0", false);
    check(
        &unpublished,
        expect![[r#"
            error CEN-VPN-001 r-o1.published: Route r-o1 (10.10.10.0/24 → VPN gateway gw1) in VPC vpc1 is not published to CEN c: the other networks of the CEN (vpc2) cannot reach office cgw-o1 (10.10.10.0/24)
              fix: Publish route r-o1 to CEN (VPC route table, "Publish"; or PublishRouteEntries).
              related: o1, c
            error CEN-VPN-001 r-o2.published: Route r-o2 (10.10.20.0/24 → VPN gateway gw1) in VPC vpc1 is not published to CEN c: the other networks of the CEN (vpc2) cannot reach office cgw-o2 (10.10.20.0/24)
              fix: Publish route r-o2 to CEN (VPC route table, "Publish"; or PublishRouteEntries).
              related: o2, c
            error CEN-VPN-001 r-o3.published: Route r-o3 (10.20.10.0/24 → VPN gateway gw2) in VPC vpc2 is not published to CEN c: the other networks of the CEN (vpc1) cannot reach office cgw-o3 (10.20.10.0/24)
              fix: Publish route r-o3 to CEN (VPC route table, "Publish"; or PublishRouteEntries).
              related: o3, c
            error CEN-VPN-001 r-o4.published: Route r-o4 (10.20.20.0/24 → VPN gateway gw2) in VPC vpc2 is not published to CEN c: the other networks of the CEN (vpc1) cannot reach office cgw-o4 (10.20.20.0/24)
              fix: Publish route r-o4 to CEN (VPC route table, "Publish"; or PublishRouteEntries).
              related: o4, c
            info CEN-BWP-008 bwp.mbps: bandwidth package bwp (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc1, vpc2 must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VPN-004 cgw-o1: The office device of cgw-o1 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o1): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o1, gw1
            info CEN-VPN-004 cgw-o2: The office device of cgw-o2 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw1 (IPsec connection o2): 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 10.10.10.0/24 (office cgw-o1), 10.20.10.0/24 (office cgw-o3), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o2, gw1
            info CEN-VPN-004 cgw-o3: The office device of cgw-o3 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o3): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.20.0/24 (office cgw-o4)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o3, gw2
            info CEN-VPN-004 cgw-o4: The office device of cgw-o4 must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw2 (IPsec connection o4): 192.168.1.0/24 (vSwitch vsw2 of VPC vpc2), 172.16.1.0/24 (vSwitch vsw1 of VPC vpc1), 10.10.10.0/24 (office cgw-o1), 10.10.20.0/24 (office cgw-o2), 10.20.10.0/24 (office cgw-o3)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: o4, gw2
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    reach(
        &unpublished,
        &[("o1", "vpc2"), ("o1", "vpc1")],
        expect![[r#"
        o1 ↔ vpc2: one-way: the return does not arrive (reachable, up to 10 Mbps; not reachable [CEN-VPN-001 at vpc2])
        o1 ↔ vpc1: reachable both ways (reachable, up to 100 Mbps; reachable, up to 100 Mbps)
    "#]],
    );
}

/// E5's plan (seed 004): VPC-X, attached after 2019-06-25, keeps a peering static route over
/// 172.16.0.0/16; VPC-Y advertises 172.16.1.0/24.
fn e5(overlapping: bool) -> Plan {
    plan()
        .cen("c")
        .when(overlapping, |p| p.overlapping())
        .vpc("vpc-x", "cn-hangzhou", "192.168.0.0/16")
        .vswitch("vsw-x", "vpc-x", "192.168.1.0/24")
        .vpc("vpc-y", "cn-hangzhou", "172.16.0.0/16")
        .vswitch("vsw-y", "vpc-y", "172.16.1.0/24")
        .peering("pcc", "vpc-x", "vpc-y")
        .route("r-peer", "vpc-x", "172.16.0.0/16", NextHopType::Peering, "pcc")
        .route("r-back", "vpc-y", "192.168.0.0/16", NextHopType::Peering, "pcc")
        .attach("t-x", "c", "vpc-x")
        .attached_on("2019-08-01")
        .attach("t-y", "c", "vpc-y")
        .attached_on("2019-08-01")
        .build()
}

/// E5: migrating a peered VPC: the peering route keeps 172.16.1.0/24 out of VPC-X (CEN-PEER-001), and
/// traffic still uses the peering; with overlapping routes off, CEN-RT-008 comes first.
#[test]
fn e5_a_peering_static_route_keeps_the_cen_route_out_and_full_protection_is_refused() {
    let p = e5(true);
    check(
        &p,
        expect![[r#"
            warning CEN-PEER-001 r-back.destination: peering static route r-back in vpc-y blocks the CEN route 192.168.1.0/24 from vpc-x: traffic keeps using the peering connection
              fix: Smooth migration: add two routes more specific than 192.168.1.0/24 toward the peering, delete r-back, wait for the CEN route to be active, then delete the two.
              related: vsw-x
            warning CEN-PEER-001 r-peer.destination: peering static route r-peer in vpc-x blocks the CEN route 172.16.1.0/24 from vpc-y: traffic keeps using the peering connection
              fix: Smooth migration: add two routes more specific than 172.16.1.0/24 toward the peering, delete r-peer, wait for the CEN route to be active, then delete the two.
              related: vsw-y
            info CEN-PEER-003 pcc: peering connection pcc joins VPCs vpc-x and vpc-y in the same region cn-hangzhou, and CEN c carries their traffic: keep this peering connection, do not freeze or delete it after migration
              fix: After moving the routes to CEN, delete only the peering static routes; leave the same-region peering connection in place (Hangzhou and Shanghai).
              related: vpc-x, vpc-y, c
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-x, vpc-y must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc-x",
        expect![[r#"
        172.16.0.0/16 → peering pcc (peering static)
        172.16.1.0/24 → CEN → vpc-y (learned from CEN) [not learned: peering route r-peer wins (CEN-PEER-001)]
        192.168.1.0/24 → local (vsw-x) (system)
    "#]],
    );
    reach(
        &p,
        &[("vpc-x", "vpc-y")],
        expect![[r#"
        vpc-x ↔ vpc-y: reachable both ways (reachable; reachable)
    "#]],
    );
    let full = e5(false);
    check(
        &full,
        expect![[r#"
            error CEN-RT-008 c.overlapping_routes: CEN c has overlapping routes off, but vpc-x still uses Express Connect peering: migrating peered networks needs overlapping routes on
              fix: Enable overlapping routes on CEN c first (one-way).
              related: vpc-x
            warning CEN-PEER-001 r-back.destination: peering static route r-back in vpc-y blocks the CEN route 192.168.1.0/24 from vpc-x: traffic keeps using the peering connection
              fix: Smooth migration: add two routes more specific than 192.168.1.0/24 toward the peering, delete r-back, wait for the CEN route to be active, then delete the two.
              related: vsw-x
            warning CEN-PEER-001 r-peer.destination: peering static route r-peer in vpc-x blocks the CEN route 172.16.1.0/24 from vpc-y: traffic keeps using the peering connection
              fix: Smooth migration: add two routes more specific than 172.16.1.0/24 toward the peering, delete r-peer, wait for the CEN route to be active, then delete the two.
              related: vsw-y
            info CEN-PEER-003 pcc: peering connection pcc joins VPCs vpc-x and vpc-y in the same region cn-hangzhou, and CEN c carries their traffic: keep this peering connection, do not freeze or delete it after migration
              fix: After moving the routes to CEN, delete only the peering static routes; leave the same-region peering connection in place (Hangzhou and Shanghai).
              related: vpc-x, vpc-y, c
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-x, vpc-y must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
}

/// E6's plan: VPC-A holds a published custom route 192.168.1.0/24 → ECS1 and a vSwitch 10.0.0.0/16;
/// a VBR, attached later, advertises 192.168.0.0/16 and 10.0.0.0/8; VPC-D advertises 10.0.0.0/24.
fn e6(overlapping: bool) -> Plan {
    plan()
        .cen("c")
        .when(overlapping, |p| p.overlapping())
        .vpc("vpc-a", "cn-hangzhou", "10.0.0.0/8")
        .vswitch("vsw-a", "vpc-a", "10.0.0.0/16")
        .route("r-ecs", "vpc-a", "192.168.1.0/24", NextHopType::Ecs, "i-ecs1")
        .published()
        .vbr("vbr", "cn-hangzhou", &["192.168.0.0/16", "10.0.0.0/8"])
        .vpc("vpc-d", "cn-hangzhou", "10.0.0.0/16")
        .vswitch("vsw-d", "vpc-d", "10.0.0.0/24")
        .attach("t-a", "c", "vpc-a")
        .attached_on("2019-05-01")
        .attach("t-b", "c", "vbr")
        .attached_on("2019-06-01")
        .attach("t-d", "c", "vpc-d")
        .attached_on("2019-06-01")
        .build()
}

/// E6: overlapping routes: with the switch off the later 192.168.0.0/16 is refused (CEN-CIDR-006);
/// with it on, VPC-A installs the /16 and longest-prefix match sends 192.168.1.x to ECS1; a VPC
/// refuses a learned route inside its own vSwitch (CEN-CIDR-007).
#[test]
fn e6_overlapping_routes_off_refuses_the_later_prefix_and_on_installs_it_with_longest_match() {
    let full = e6(false);
    check(
        &full,
        expect![[r#"
            error CEN-CIDR-006 vsw-d.cidr: 10.0.0.0/16 (vSwitch vsw-a of vpc-a) overlaps 10.0.0.0/24 (vSwitch vsw-d of vpc-d) in CEN c, whose overlapping-routes switch is off: CEN refuses the overlapping route of vpc-d, attached later
              fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
              related: vsw-a, c
            error CEN-CIDR-006 vsw-d.cidr: 10.0.0.0/8 (VBR vbr) overlaps 10.0.0.0/24 (vSwitch vsw-d of vpc-d) in CEN c, whose overlapping-routes switch is off: CEN keeps the route attached first and refuses the other; the plan does not say which came first (equal or unknown attachment dates), so which one is undetermined
              fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
              related: vbr, c
            error CEN-CIDR-006 vbr.idc_cidrs: 10.0.0.0/16 (vSwitch vsw-a of vpc-a) overlaps 10.0.0.0/8 (VBR vbr) in CEN c, whose overlapping-routes switch is off: CEN refuses the overlapping route of vbr, attached later
              fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
              related: vsw-a, c
            error CEN-CIDR-006 vbr.idc_cidrs: 192.168.1.0/24 (Route entry r-ecs of vpc-a) overlaps 192.168.0.0/16 (VBR vbr) in CEN c, whose overlapping-routes switch is off: CEN refuses the overlapping route of vbr, attached later
              fix: Enable overlapping routes on CEN c (this cannot be undone), or renumber so the blocks do not overlap.
              related: r-ecs, c
            warning CEN-CIDR-008 vpc-d.cidr: VPCs vpc-d (10.0.0.0/16) and vpc-a (10.0.0.0/8) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too
              fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
              related: vpc-a, c
            info CEN-ATT-007 t-b.network: VBR vbr is attached to CEN c: since 2018-08-01 VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell
              fix: outside the plan: If the console refuses the VBR, open a ticket to have it enabled.
              related: vbr
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-a, vpc-d must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VBR-002 vbr.routing: VBR vbr uses static routing, so the data centre does not learn the CEN routes: its device needs static routes toward the VBR for 10.0.0.0/16, 10.0.0.0/24, 192.168.1.0/24 (the VPC prefixes of CEN c)
              fix: Switch the VBR to BGP so it receives them, or, outside the plan, add static routes for these prefixes on the data-centre device with the VBR interface as next hop.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &full,
        "vpc-d",
        expect![[r#"
        10.0.0.0/8 → CEN → vbr (learned from CEN) [refused: overlaps vpc-a (CEN-CIDR-006)]
        10.0.0.0/16 → CEN → vpc-a (learned from CEN)
        10.0.0.0/24 → local (vsw-d) (system)
        192.168.0.0/16 → CEN → vbr (learned from CEN) [refused: overlaps vpc-a (CEN-CIDR-006)]
        192.168.1.0/24 → CEN → vpc-a (learned from CEN)
    "#]],
    );
    let reduced = e6(true);
    check(
        &reduced,
        expect![[r#"
            error CEN-CIDR-007 vsw-a.cidr: vpc-a cannot reach 10.0.0.0/24 of vpc-d: the prefix is inside its own vSwitch vsw-a, and a VPC never installs such a route
              fix: Renumber one side so the prefix is outside the vSwitch (a larger prefix would be accepted).
              related: vsw-d
            warning CEN-CIDR-004 vsw-d.cidr: 10.0.0.0/16 (vSwitch vsw-a of vpc-a) overlaps 10.0.0.0/24 (vSwitch vsw-d of vpc-d) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
              fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
              related: vsw-a, c
            warning CEN-CIDR-004 vsw-d.cidr: 10.0.0.0/8 (VBR vbr) overlaps 10.0.0.0/24 (vSwitch vsw-d of vpc-d) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
              fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
              related: vbr, c
            warning CEN-CIDR-004 vbr.idc_cidrs: 10.0.0.0/16 (vSwitch vsw-a of vpc-a) overlaps 10.0.0.0/8 (VBR vbr) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
              fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
              related: vsw-a, c
            warning CEN-CIDR-004 vbr.idc_cidrs: 192.168.1.0/24 (Route entry r-ecs of vpc-a) overlaps 192.168.0.0/16 (VBR vbr) in CEN c: with overlapping routes on both are learned and traffic follows the longest prefix, so part of the larger block is not reachable at its owner
              fix: Renumber so every network that must talk has unique addresses, or confirm the overlap is intended.
              related: r-ecs, c
            warning CEN-CIDR-008 vpc-d.cidr: VPCs vpc-d (10.0.0.0/16) and vpc-a (10.0.0.0/8) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too
              fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
              related: vpc-a, c
            info CEN-ATT-007 t-b.network: VBR vbr is attached to CEN c: since 2018-08-01 VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell
              fix: outside the plan: If the console refuses the VBR, open a ticket to have it enabled.
              related: vbr
            info CEN-RT-006 r-ecs: in vpc-a, 192.168.1.0/24 stays on its own route while the rest of 192.168.0.0/16 goes through CEN to vbr (longest prefix wins)
              fix: Nothing to do if intended.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-a, vpc-d must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VBR-002 vbr.routing: VBR vbr uses static routing, so the data centre does not learn the CEN routes: its device needs static routes toward the VBR for 10.0.0.0/16, 10.0.0.0/24, 192.168.1.0/24 (the VPC prefixes of CEN c)
              fix: Switch the VBR to BGP so it receives them, or, outside the plan, add static routes for these prefixes on the data-centre device with the VBR interface as next hop.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &reduced,
        "vpc-a",
        expect![[r#"
        10.0.0.0/8 → CEN → vbr (learned from CEN)
        10.0.0.0/16 → local (vsw-a) (system)
        10.0.0.0/24 → CEN → vpc-d (learned from CEN) [not learned: inside own vSwitch vsw-a (CEN-CIDR-007)]
        192.168.0.0/16 → CEN → vbr (learned from CEN)
        192.168.1.0/24 → instance i-ecs1 (published)
    "#]],
    );
    routes(
        &reduced,
        "vbr",
        expect![[r#"
        10.0.0.0/8 → on-premises (on-premises)
        10.0.0.0/16 → CEN → vpc-a (learned from CEN)
        10.0.0.0/24 → CEN → vpc-d (learned from CEN)
        192.168.0.0/16 → on-premises (on-premises)
        192.168.1.0/24 → CEN → vpc-a (learned from CEN)
    "#]],
    );
}

/// E8's plan: four Mainland VPCs, two data centres behind BGP VBRs (Beijing, Shanghai), one behind a
/// VPN gateway in the Hangzhou VPC (published route), and a Guangzhou branch on a Mainland CCN.
fn e8(published: bool) -> Plan {
    plan()
        .cen("c")
        .overlapping()
        .vpc("vpc-bj", "cn-beijing", "192.168.1.0/24")
        .vswitch("vsw-bj", "vpc-bj", "192.168.1.0/24")
        .vpc("vpc-sz", "cn-shenzhen", "192.168.2.0/24")
        .vswitch("vsw-sz", "vpc-sz", "192.168.2.0/24")
        .vpc("vpc-sh", "cn-shanghai", "192.168.3.0/24")
        .vswitch("vsw-sh", "vpc-sh", "192.168.3.0/24")
        .vpc("vpc-hz", "cn-hangzhou", "192.168.4.0/24")
        .vswitch("vsw-hz", "vpc-hz", "192.168.4.0/24")
        .vbr("vbr-bj", "cn-beijing", &["10.1.3.0/24"])
        .bgp()
        .vbr("vbr-sh", "cn-shanghai", &["10.1.4.0/24"])
        .bgp()
        .vpn_gateway("gw-hz", "vpc-hz")
        .mbps(100)
        .customer_gateway("cgw-idc-hz", "cn-hangzhou", "203.0.113.9")
        .ipsec("ipsec-hz", "gw-hz", "cgw-idc-hz", &["0.0.0.0/0"], &["10.1.1.0/24"])
        .route("r-idc-hz", "vpc-hz", "10.1.1.0/24", NextHopType::VpnGateway, "gw-hz")
        .when(published, |p| p.published())
        .ccn("ccn", CcnArea::MainlandChina)
        .sag("sag-gz", "ccn", &["10.1.2.0/24"])
        .attach("t-bj", "c", "vpc-bj")
        .attach("t-sz", "c", "vpc-sz")
        .attach("t-sh", "c", "vpc-sh")
        .attach("t-hz", "c", "vpc-hz")
        .attach("t-vbr-bj", "c", "vbr-bj")
        .attach("t-vbr-sh", "c", "vbr-sh")
        .attach("t-ccn", "c", "ccn")
        .package("bwp", Some("c"), Area::China, Area::China, 100)
        .region_bandwidth("rb1", "c", "cn-beijing", "cn-shenzhen", 10)
        .region_bandwidth("rb2", "c", "cn-beijing", "cn-shanghai", 10)
        .region_bandwidth("rb3", "c", "cn-beijing", "cn-hangzhou", 10)
        .region_bandwidth("rb4", "c", "cn-shenzhen", "cn-shanghai", 10)
        .region_bandwidth("rb5", "c", "cn-shenzhen", "cn-hangzhou", 10)
        .region_bandwidth("rb6", "c", "cn-shanghai", "cn-hangzhou", 10)
        .build()
}

/// E8: hybrid cloud with three access methods. The Shenzhen VPC learns every documented route; the
/// Beijing VBR does *not* learn the branch (CCN) or the other data centre (VBR): the documented table
/// lists them, which the rulebook marks inconsistent with the default VBR/CCN isolation (CEN-VBR-001),
/// so the test follows the rule. Unpublished, the Hangzhou data centre is CEN-VPN-001/CEN-RT-002.
#[test]
fn e8_hybrid_cloud_shenzhen_learns_every_site_and_the_vbr_does_not_learn_the_branch_or_other_idc() {
    let p = e8(true);
    check(
        &p,
        expect![[r#"
            error CEN-VBR-001 vbr-bj: vbr-bj and vbr-sh cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
              fix: Add two Permit route maps in the export direction (RegionOut), priority 20, keeping the default map: in cn-beijing source vbr-sh → destination vbr-bj, and in cn-shanghai source vbr-bj → destination vbr-sh (or open a ticket).
              related: vbr-sh
            error CEN-VBR-001 ccn: ccn and vbr-bj cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
              fix: Add Permit route maps (export direction, priority below 5000) in the regions of ccn and vbr-bj — one per direction — or open a ticket (a CCN has no region in the plan to place a map in).
              related: vbr-bj
            error CEN-VBR-001 ccn: ccn and vbr-sh cannot reach each other through CEN: VBRs and CCNs do not learn each other's routes by default (since 2018-08-01; the system route map, priority 5000, Deny)
              fix: Add Permit route maps (export direction, priority below 5000) in the regions of ccn and vbr-sh — one per direction — or open a ticket (a CCN has no region in the plan to place a map in).
              related: vbr-sh
            info CEN-ATT-007 t-vbr-bj.network: VBR vbr-bj is attached to CEN c: since 2018-08-01 VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell
              fix: outside the plan: If the console refuses the VBR, open a ticket to have it enabled.
              related: vbr-bj
            info CEN-ATT-007 t-vbr-sh.network: VBR vbr-sh is attached to CEN c: since 2018-08-01 VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell
              fix: outside the plan: If the console refuses the VBR, open a ticket to have it enabled.
              related: vbr-sh
            info CEN-BW-006 rb1.mbps: cross-region bandwidth China (Beijing) ↔ China (Shenzhen) on CEN c: its 10 Mbps is shared by all 3 networks in the two regions (vpc-bj, vbr-bj, vpc-sz), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, vpc-bj, vbr-bj, vpc-sz
            info CEN-BW-006 rb2.mbps: cross-region bandwidth China (Beijing) ↔ China (Shanghai) on CEN c: its 10 Mbps is shared by all 4 networks in the two regions (vpc-bj, vbr-bj, vpc-sh, vbr-sh), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, vpc-bj, vbr-bj, vpc-sh, vbr-sh
            info CEN-BW-006 rb3.mbps: cross-region bandwidth China (Beijing) ↔ China (Hangzhou) on CEN c: its 10 Mbps is shared by all 3 networks in the two regions (vpc-bj, vbr-bj, vpc-hz), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, vpc-bj, vbr-bj, vpc-hz
            info CEN-BW-006 rb4.mbps: cross-region bandwidth China (Shenzhen) ↔ China (Shanghai) on CEN c: its 10 Mbps is shared by all 3 networks in the two regions (vpc-sz, vpc-sh, vbr-sh), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, vpc-sz, vpc-sh, vbr-sh
            info CEN-BW-006 rb6.mbps: cross-region bandwidth China (Shanghai) ↔ China (Hangzhou) on CEN c: its 10 Mbps is shared by all 3 networks in the two regions (vpc-sh, vbr-sh, vpc-hz), not given to each
              fix: Size the bandwidth for the combined traffic of every network in the two regions.
              related: c, vpc-sh, vbr-sh, vpc-hz
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-bj, vpc-sz, vpc-sh, vpc-hz must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info CEN-VPN-004 cgw-idc-hz: The office device of cgw-idc-hz must route every remote destination into its tunnel, toward the VPN gateway's public IP; the plan does not model CPE routes, so check them: to VPN gateway gw-hz (IPsec connection ipsec-hz): 192.168.4.0/24 (vSwitch vsw-hz of VPC vpc-hz), 192.168.1.0/24 (vSwitch vsw-bj of VPC vpc-bj), 192.168.2.0/24 (vSwitch vsw-sz of VPC vpc-sz), 192.168.3.0/24 (vSwitch vsw-sh of VPC vpc-sh), 10.1.3.0/24 (data centre behind VBR vbr-bj), 10.1.4.0/24 (data centre behind VBR vbr-sh), 10.1.2.0/24 (SAG branch sag-gz of CCN ccn)
              fix: outside the plan: On the office CPE, add routes for these CIDRs through the IPsec tunnel to the VPN gateway's public IP (or use 0.0.0.0/0 selectors and a summary route).
              related: ipsec-hz, gw-hz
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc-sz",
        expect![[r#"
        10.1.1.0/24 → CEN → vpc-hz (learned from CEN)
        10.1.2.0/24 → CEN → ccn (learned from CEN)
        10.1.3.0/24 → CEN → vbr-bj (learned from CEN)
        10.1.4.0/24 → CEN → vbr-sh (learned from CEN)
        192.168.1.0/24 → CEN → vpc-bj (learned from CEN)
        192.168.2.0/24 → local (vsw-sz) (system)
        192.168.3.0/24 → CEN → vpc-sh (learned from CEN)
        192.168.4.0/24 → CEN → vpc-hz (learned from CEN)
    "#]],
    );
    routes(
        &p,
        "vbr-bj",
        expect![[r#"
            10.1.1.0/24 → CEN → vpc-hz (learned from CEN)
            10.1.2.0/24 → CEN → ccn (learned from CEN) [not learned: VBR/CCN isolation, system route map priority 5000 (CEN-VBR-001)]
            10.1.3.0/24 → on-premises (on-premises)
            10.1.4.0/24 → CEN → vbr-sh (learned from CEN) [not learned: VBR/CCN isolation, system route map priority 5000 (CEN-VBR-001)]
            192.168.1.0/24 → CEN → vpc-bj (learned from CEN)
            192.168.2.0/24 → CEN → vpc-sz (learned from CEN)
            192.168.3.0/24 → CEN → vpc-sh (learned from CEN)
            192.168.4.0/24 → CEN → vpc-hz (learned from CEN)
        "#]],
    );
    reach(
        &p,
        &[
            ("vpc-sz", "ipsec-hz"),
            ("vpc-sz", "sag-gz"),
            ("vpc-sz", "vbr-bj"),
            ("vbr-bj", "vbr-sh"),
            ("vbr-bj", "sag-gz"),
        ],
        expect![[r#"
            vpc-sz ↔ ipsec-hz: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
            vpc-sz ↔ sag-gz: reachable both ways (reachable; reachable)
            vpc-sz ↔ vbr-bj: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
            vbr-bj ↔ vbr-sh: not reachable either way (not reachable [CEN-VBR-001 at vbr-bj]; not reachable [CEN-VBR-001 at vbr-sh])
            vbr-bj ↔ sag-gz: not reachable either way (not reachable [CEN-VBR-001 at vbr-bj]; not reachable [CEN-VBR-001 at ccn])
        "#]],
    );
    let unpublished = e8(false);
    reach(
        &unpublished,
        &[("vpc-sz", "ipsec-hz")],
        expect![[r#"
        vpc-sz ↔ ipsec-hz: one-way: the return does not arrive (not reachable [CEN-VPN-001 at vpc-sz]; reachable, up to 10 Mbps)
    "#]],
    );
}

/// E9: two VPCs with the same block and partly identical vSwitches: the identical ones conflict
/// (CEN-CIDR-005), the others are learned; the identical VPC blocks alone are a warning (CEN-CIDR-008).
#[test]
fn e9_identical_vswitches_conflict_and_the_others_are_learned() {
    let p = plan()
        .cen("c")
        .overlapping()
        .vpc("vpc1", "cn-hangzhou", "172.16.0.0/16")
        .vswitch("v1-a", "vpc1", "172.16.0.0/24")
        .vswitch("v1-b", "vpc1", "172.16.1.0/29")
        .vswitch("v1-c", "vpc1", "172.16.102.40/29")
        .vswitch("v1-d", "vpc1", "172.16.100.0/24")
        .vpc("vpc2", "cn-hangzhou", "172.16.0.0/16")
        .vswitch("v2-a", "vpc2", "172.16.0.0/24")
        .vswitch("v2-b", "vpc2", "172.16.1.0/29")
        .vswitch("v2-c", "vpc2", "172.16.10.0/24")
        .vswitch("v2-d", "vpc2", "172.16.2.0/24")
        .attach("t1", "c", "vpc1")
        .attach("t2", "c", "vpc2")
        .build();
    check(
        &p,
        expect![[r#"
            error CEN-CIDR-005 v2-a.cidr: 172.16.0.0/24 (vSwitch v1-a of vpc1) and 172.16.0.0/24 (vSwitch v2-a of vpc2) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
              fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
              related: v1-a, c
            error CEN-CIDR-005 v2-b.cidr: 172.16.1.0/29 (vSwitch v1-b of vpc1) and 172.16.1.0/29 (vSwitch v2-b of vpc2) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
              fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
              related: v1-b, c
            warning CEN-CIDR-008 vpc2.cidr: VPCs vpc2 (172.16.0.0/16) and vpc1 (172.16.0.0/16) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too
              fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
              related: vpc1, c
            info CEN-CIDR-003 v1-b.cidr: vSwitch v1-b (172.16.1.0/29) has 8 addresses, of which the system reserves 4 (usually the first and the last three): only 4 are usable
              fix: Make sure 4 addresses are enough for the instances in this vSwitch, or use a larger block (/28 gives 12).
            info CEN-CIDR-003 v1-c.cidr: vSwitch v1-c (172.16.102.40/29) has 8 addresses, of which the system reserves 4 (usually the first and the last three): only 4 are usable
              fix: Make sure 4 addresses are enough for the instances in this vSwitch, or use a larger block (/28 gives 12).
            info CEN-CIDR-003 v2-b.cidr: vSwitch v2-b (172.16.1.0/29) has 8 addresses, of which the system reserves 4 (usually the first and the last three): only 4 are usable
              fix: Make sure 4 addresses are enough for the instances in this vSwitch, or use a larger block (/28 gives 12).
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc1, vpc2 must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc1",
        expect![[r#"
        172.16.0.0/24 → local (v1-a) (system)
        172.16.0.0/24 → CEN → vpc2 (learned from CEN) [conflict with vpc1 (CEN-CIDR-005)]
        172.16.1.0/29 → local (v1-b) (system)
        172.16.1.0/29 → CEN → vpc2 (learned from CEN) [conflict with vpc1 (CEN-CIDR-005)]
        172.16.2.0/24 → CEN → vpc2 (learned from CEN)
        172.16.10.0/24 → CEN → vpc2 (learned from CEN)
        172.16.100.0/24 → local (v1-d) (system)
        172.16.102.40/29 → local (v1-c) (system)
    "#]],
    );
    routes(
        &p,
        "vpc2",
        expect![[r#"
        172.16.0.0/24 → local (v2-a) (system)
        172.16.0.0/24 → CEN → vpc1 (learned from CEN) [conflict with vpc2 (CEN-CIDR-005)]
        172.16.1.0/29 → local (v2-b) (system)
        172.16.1.0/29 → CEN → vpc1 (learned from CEN) [conflict with vpc2 (CEN-CIDR-005)]
        172.16.2.0/24 → local (v2-d) (system)
        172.16.10.0/24 → local (v2-c) (system)
        172.16.100.0/24 → CEN → vpc1 (learned from CEN)
        172.16.102.40/29 → CEN → vpc1 (learned from CEN)
    "#]],
    );
    reach(
        &p,
        &[("v1-d", "v2-c"), ("v1-a", "v2-a")],
        expect![[r#"
        v1-d ↔ v2-c: reachable both ways (reachable; reachable)
        v1-a ↔ v2-a: not reachable either way (not reachable [CEN-CIDR-004 at vpc1]; not reachable [CEN-CIDR-004 at vpc2])
    "#]],
    );
}

/// E11's plan: a Hangzhou branch on a Mainland China CCN bound to the CEN, a Shanghai VPC and a
/// Singapore VPC, checked as of `as_of`.
fn e11(as_of: &str, package: bool) -> Plan {
    plan()
        .as_of(as_of)
        .cen("c")
        .vpc("vpc-sh", "cn-shanghai", "192.168.0.0/16")
        .vswitch("vsw-sh", "vpc-sh", "192.168.1.0/24")
        .vpc("vpc-sg", "ap-southeast-1", "172.16.0.0/16")
        .vswitch("vsw-sg", "vpc-sg", "172.16.1.0/24")
        .ccn("ccn", CcnArea::MainlandChina)
        .sag("sag-hz", "ccn", &["10.8.0.0/24"])
        .attach("t-sh", "c", "vpc-sh")
        .attach("t-sg", "c", "vpc-sg")
        .attach("t-ccn", "c", "ccn")
        .when(package, |p| {
            p.package("bwp", Some("c"), Area::China, Area::AsiaPacific, 10)
                .region_bandwidth("rb", "c", "cn-shanghai", "ap-southeast-1", 10)
        })
        .build()
}

/// E11: a branch through a CCN: to the Shanghai VPC with no package (same area, CEN-CCN-004); to
/// Singapore not at all in the 2018 model (CEN-CCN-003) and through a China–Asia Pacific package in 2021.
#[test]
fn e11_a_mainland_branch_reaches_shanghai_without_a_package_and_singapore_only_in_2021_with_one() {
    let p = e11("2019-09-19", true);
    check(
        &p,
        expect![[r#"
            error CEN-CCN-003 ccn.area: CCN ccn (Mainland China, CEN area Mainland China) cannot reach VPC vpc-sg in Asia Pacific through CEN c: as of 2019-09-19 a CCN reaches only networks of its matching CEN area
              fix: Reach those networks another way (VPN gateway, Express Connect), or plan for 2021-07-14 or later, when cross-area CCN traffic works with a bandwidth package.
              related: c, vpc-sg
            info CEN-BWP-008 bwp.mbps: bandwidth package bwp (China–Asia-Pacific, 10 Mbps) is cross-border: it can be upgraded but never downgraded
              fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs vpc-sh, vpc-sg must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
              fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
              fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
        "#]],
    );
    routes(
        &p,
        "vpc-sh",
        expect![[r#"
        10.8.0.0/24 → CEN → ccn (learned from CEN)
        172.16.1.0/24 → CEN → vpc-sg (learned from CEN)
        192.168.1.0/24 → local (vsw-sh) (system)
    "#]],
    );
    routes(
        &p,
        "ccn",
        expect![[r#"
        10.8.0.0/24 → branch sag-hz (branch)
        172.16.1.0/24 → CEN → vpc-sg (learned from CEN)
        192.168.1.0/24 → CEN → vpc-sh (learned from CEN)
    "#]],
    );
    reach(
        &p,
        &[("sag-hz", "vpc-sh"), ("sag-hz", "vpc-sg")],
        expect![[r#"
        sag-hz ↔ vpc-sh: reachable both ways (reachable; reachable)
        sag-hz ↔ vpc-sg: not reachable either way (not reachable [CEN-CCN-003 at ccn]; not reachable [CEN-CCN-003 at vpc-sg])
    "#]],
    );
    let later = e11("2021-08-01", true);
    reach(
        &later,
        &[("sag-hz", "vpc-sg")],
        expect![[r#"
        sag-hz ↔ vpc-sg: reachable both ways (reachable, up to 10 Mbps; reachable, up to 10 Mbps)
    "#]],
    );
    let later_no_package = e11("2021-08-01", false);
    reach(
        &later_no_package,
        &[("sag-hz", "vpc-sg")],
        expect![[r#"
        sag-hz ↔ vpc-sg: reachable both ways (1 Kbps test link only [CEN-CCN-003 at ccn]; 1 Kbps test link only [CEN-CCN-003 at vpc-sg])
    "#]],
    );
}
