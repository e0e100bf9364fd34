//! CCN instances and Smart Access Gateway branches (CEN-CCN-*).
//!
//! Two dated models (`dates::CCN_2021`): the 2018 seed (SAG only in Mainland China, a CCN reaches only
//! networks of its matching CEN area) and the 2021 Smart Access Gateway documents (more CCN areas,
//! cross-area traffic with a bandwidth package).

use crate::core::catalog::Area;
use crate::core::cidr::parse_cidr;
use crate::core::facts::{dates, Ctx, Net, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Ccn, Kind};
use std::collections::{BTreeMap, BTreeSet};

const CIDRS_PER_SAG: usize = 5;
const CCNS_PER_ACCOUNT: usize = 10;
const SAGS_PER_ACCOUNT: usize = 500;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    areas(ctx, out);
    cross_area(ctx, out);
    counts(ctx, out);
    leased_line_and_sag(ctx, out);
}

/// "China–Asia Pacific".
fn pair_label(a: Area, b: Area) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("{}–{}", x.label(), y.label())
}

// CEN-CCN-001 and -002: the CCN area must be offered on the plan's date.
fn areas(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let before_2021 = ctx.as_of < dates::CCN_2021;
    for c in &ctx.plan.ccns {
        let area = c.area;
        let not_offered = ctx.ccn_area_not_offered(area);
        let (code, message, fix) = if before_2021 && not_offered == Some(Code::CenCcn001) {
            (
                Code::CenCcn001,
                format!(
                    "CCN {} is in the CCN area {}, which the CCN area table as of {} (seed 002, 2018) does not list; it appears in the {} documents",
                    ctx.name(&c.id),
                    area.label(),
                    ctx.as_of,
                    dates::CCN_2021
                ),
                "Choose a CCN area of the table in force, or set the plan's date to when the area is offered.".to_string(),
            )
        } else if before_2021 && not_offered == Some(Code::CenCcn002) {
            (
                Code::CenCcn002,
                format!(
                    "CCN {} is in the CCN area {}, but as of {} Smart Access Gateway (and so CCN) is offered only in Mainland China; other areas come with the {} documents",
                    ctx.name(&c.id),
                    area.label(),
                    ctx.as_of,
                    dates::CCN_2021
                ),
                "Use a Mainland China CCN, reach the site another way (VPN gateway, Express Connect), or plan for a date when the area is offered.".to_string(),
            )
        } else if !before_2021 && not_offered == Some(Code::CenCcn001) {
            (
                Code::CenCcn001,
                format!(
                    "CCN {} is in the CCN area {}, which the {} CCN area table no longer lists (it was in the 2018 table)",
                    ctx.name(&c.id),
                    area.label(),
                    dates::CCN_2021
                ),
                "Choose a CCN area offered today (e.g. Mainland China, Hong Kong, Singapore, Frankfurt, Sydney), or reach the site another way."
                    .to_string(),
            )
        } else {
            continue;
        };
        out.push(
            Finding::new(code, Severity::Error, Kind::Ccn, &c.id, message)
                .field("area")
                .fix(fix),
        );
    }
}

// CEN-CCN-003 and -004: a CCN and the VPCs/VBRs of its CEN in other / the same CEN areas.
fn cross_area(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let before_2021 = ctx.as_of < dates::CCN_2021;
    for cen in ctx.cens() {
        let nets = ctx.attached_networks(&cen.id);
        let ccns: Vec<&Ccn> = nets
            .iter()
            .filter(|n| n.kind == NetKind::Ccn)
            .filter_map(|n| ctx.plan.ccns.iter().find(|c| c.id == n.id))
            .collect();
        if ccns.is_empty() {
            continue;
        }
        // CEN area → the VPCs/VBRs attached there.
        let mut by_area: BTreeMap<Area, Vec<&Net<'_>>> = BTreeMap::new();
        for n in nets.iter().filter(|n| n.kind != NetKind::Ccn) {
            if let Some(area) = ctx.net_area(n) {
                by_area.entry(area).or_default().push(n);
            }
        }
        for c in &ccns {
            let home = c.area.cen_area();
            for (&area, targets) in &by_area {
                if area == home {
                    continue;
                }
                let names = targets
                    .iter()
                    .map(|n| format!("{} {}", n.kind.kind().label(), ctx.name(n.id)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let packages: Vec<_> = ctx.package(&cen.id, home, area).into_iter().collect();
                let (severity, message, fix) = if before_2021 {
                    (
                        Severity::Error,
                        format!(
                            "CCN {} ({}, CEN area {}) cannot reach {names} in {} through CEN {}: as of {} a CCN reaches only networks of its matching CEN area",
                            ctx.name(&c.id),
                            c.area.label(),
                            home.label(),
                            area.label(),
                            ctx.name(&cen.id),
                            ctx.as_of
                        ),
                        format!(
                            "Reach those networks another way (VPN gateway, Express Connect), or plan for {} or later, when cross-area CCN traffic works with a bandwidth package.",
                            dates::CCN_2021
                        ),
                    )
                } else if packages.is_empty() {
                    (
                        Severity::Warning,
                        format!(
                            "CCN {} ({}, CEN area {}) must reach {names} in {} through CEN {}, which has no {} bandwidth package for this cross-area traffic",
                            ctx.name(&c.id),
                            c.area.label(),
                            home.label(),
                            area.label(),
                            ctx.name(&cen.id),
                            pair_label(home, area)
                        ),
                        format!(
                            "Buy a {} bandwidth package, bind it to CEN {} and set the cross-region bandwidth.",
                            pair_label(home, area),
                            ctx.name(&cen.id)
                        ),
                    )
                } else {
                    // With the package, each target region still needs its region bandwidth.
                    let missing: BTreeSet<&str> = targets
                        .iter()
                        .filter_map(|n| n.region)
                        .filter(|r| ctx.ccn_region_bandwidth(&cen.id, home, r).is_none())
                        .collect();
                    if missing.is_empty() {
                        continue;
                    }
                    let regions = missing.iter().copied().collect::<Vec<_>>().join(", ");
                    (
                        Severity::Warning,
                        format!(
                            "CCN {} ({}, CEN area {}) must reach {names} in {} through CEN {}, which has the {} package but no cross-region bandwidth between {} and {regions}: only the 1 Kbps test link",
                            ctx.name(&c.id),
                            c.area.label(),
                            home.label(),
                            area.label(),
                            ctx.name(&cen.id),
                            pair_label(home, area),
                            home.label()
                        ),
                        format!(
                            "Set a cross-region bandwidth on CEN {} between a region of {} and {regions}, drawn from the package.",
                            ctx.name(&cen.id),
                            home.label()
                        ),
                    )
                };
                let mut f = Finding::new(Code::CenCcn003, severity, Kind::Ccn, &c.id, message)
                    .field("area")
                    .fix(fix)
                    .related(Kind::Cen, &cen.id);
                for n in targets {
                    f = f.related(n.kind.kind(), n.id);
                }
                out.push(f);
            }
        }
        // CEN-CCN-004: a same-area package bought although only CCN traffic crosses regions of that area.
        for p in ctx
            .plan
            .bandwidth_packages
            .iter()
            .filter(|p| p.cen.as_deref() == Some(cen.id.as_str()))
        {
            if p.area_a != p.area_b {
                continue;
            }
            let area = p.area_a;
            let Some(ccn) = ccns.iter().find(|c| c.area.cen_area() == area) else {
                continue;
            };
            let regions: BTreeSet<&str> = by_area.get(&area).into_iter().flatten().filter_map(|n| n.region).collect();
            if regions.len() > 1 {
                continue;
            }
            out.push(
                Finding::new(
                    Code::CenCcn004,
                    Severity::Info,
                    Kind::BandwidthPackage,
                    &p.id,
                    format!(
                        "bandwidth package {} ({}) on CEN {} is not needed for CCN {}: a CCN reaches every region of its own CEN area without a package, and no other pair of networks crosses regions of {}",
                        ctx.name(&p.id),
                        pair_label(area, area),
                        ctx.name(&cen.id),
                        ctx.name(&ccn.id),
                        area.label()
                    ),
                )
                .field("area_a")
                .fix("Drop the package unless other traffic will need it.")
                .related(Kind::Ccn, &ccn.id)
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

// CEN-CCN-005: CIDRs per SAG, CCNs and SAGs per account.
fn counts(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &ctx.plan.sags {
        if s.cidrs.len() > CIDRS_PER_SAG {
            out.push(
                Finding::new(
                    Code::CenCcn005,
                    Severity::Warning,
                    Kind::Sag,
                    &s.id,
                    format!(
                        "SAG branch {} has {} private CIDRs; a SAG has at most {CIDRS_PER_SAG} unless raised by ticket",
                        ctx.name(&s.id),
                        s.cidrs.len()
                    ),
                )
                .field("cidrs")
                .fix("Summarise the branch CIDRs into at most 5 blocks, or raise the quota by ticket."),
            );
        }
    }
    let mut ccns: BTreeMap<&str, Vec<&Ccn>> = BTreeMap::new();
    for c in ctx.plan.ccns.iter().filter(|c| !c.owner.trim().is_empty()) {
        ccns.entry(c.owner.as_str()).or_default().push(c);
    }
    for (owner, list) in &ccns {
        if list.len() > CCNS_PER_ACCOUNT {
            let over = list[CCNS_PER_ACCOUNT];
            out.push(
                Finding::new(
                    Code::CenCcn005,
                    Severity::Warning,
                    Kind::Ccn,
                    &over.id,
                    format!(
                        "account {} owns {} CCN instances; the default quota is {CCNS_PER_ACCOUNT} per account",
                        ctx.name(owner),
                        list.len()
                    ),
                )
                .field("owner")
                .fix("Group branches into fewer CCNs, or raise the quota by ticket.")
                .related(Kind::Account, owner),
            );
        }
        let sags: Vec<_> = ctx.plan.sags.iter().filter(|s| list.iter().any(|c| c.id == s.ccn)).collect();
        if sags.len() > SAGS_PER_ACCOUNT {
            out.push(
                Finding::new(
                    Code::CenCcn005,
                    Severity::Warning,
                    Kind::Sag,
                    &sags[SAGS_PER_ACCOUNT].id,
                    format!(
                        "the CCNs of account {} hold {} SAG branches; the default quota is {SAGS_PER_ACCOUNT} SAGs per account",
                        ctx.name(owner),
                        sags.len()
                    ),
                )
                .field("ccn")
                .fix("Raise the SAG quota by ticket, or move branches to another account.")
                .related(Kind::Account, owner),
            );
        }
    }
}

// CEN-CCN-006: a SAG prefix identical to an IDC prefix of a VBR in the same CEN (nothing more for a
// VBR of the SAG's site when the SAG is paired with another of the site's VBRs carrying the prefix).
fn leased_line_and_sag(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for cen in ctx.cens() {
        let nets = ctx.attached_networks(&cen.id);
        let vbrs: Vec<_> = ctx
            .plan
            .vbrs
            .iter()
            .filter(|v| nets.iter().any(|n| n.kind == NetKind::Vbr && n.id == v.id))
            .collect();
        if vbrs.is_empty() {
            continue;
        }
        let sags = ctx
            .plan
            .sags
            .iter()
            .filter(|s| nets.iter().any(|n| n.kind == NetKind::Ccn && n.id == s.ccn));
        for s in sags {
            let mut seen = BTreeSet::new();
            for text in &s.cidrs {
                let Ok(block) = parse_cidr(text) else { continue };
                for v in &vbrs {
                    let same = v.idc_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).any(|c| c == block);
                    if !same || !seen.insert((block, v.id.as_str())) {
                        continue;
                    }
                    let paired = s.backup_for_vbr.as_deref() == Some(v.id.as_str());
                    // A SAG paired with another leased line of its site that carries the block: the
                    // pairing is configured (that line's finding says so), and the two lines of one
                    // site are not a conflict.
                    let paired_elsewhere = !paired
                        && ctx.same_site(&v.id, &s.ccn)
                        && s.backup_for_vbr.as_deref().is_some_and(|b| {
                            vbrs.iter()
                                .any(|w| w.id == b && w.idc_cidrs.iter().filter_map(|c| parse_cidr(c).ok()).any(|c| c == block))
                        });
                    if paired_elsewhere {
                        continue;
                    }
                    let f = if paired {
                        Finding::new(
                            Code::CenCcn006,
                            Severity::Info,
                            Kind::Sag,
                            &s.id,
                            format!(
                                "{block} reaches CEN {} both from VBR {} (leased line) and from SAG branch {}, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails",
                                ctx.name(&cen.id),
                                ctx.name(&v.id),
                                ctx.name(&s.id)
                            ),
                        )
                        .fix("Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.")
                    } else {
                        Finding::new(
                            Code::CenCcn006,
                            Severity::Error,
                            Kind::Sag,
                            &s.id,
                            format!(
                                "{block} reaches CEN {} both from VBR {} (leased line) and from SAG branch {}, which is not paired with it as standby: adding the CIDR to the SAG fails as an address conflict",
                                ctx.name(&cen.id),
                                ctx.name(&v.id),
                                ctx.name(&s.id)
                            ),
                        )
                        .fix(format!(
                            "Configure SAG {} as standby for VBR {} (Standby for VBR) before adding {block}, or remove the CIDR from one side.",
                            ctx.name(&s.id),
                            ctx.name(&v.id)
                        ))
                    };
                    out.push(f.field("cidrs").related(Kind::Vbr, &v.id).related(Kind::Cen, &cen.id));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::catalog::{Area, CcnArea};
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan, PlanBuilder};
    use expect_test::expect;

    fn ccn(area: CcnArea, as_of: &str) -> Plan {
        plan().as_of(as_of).ccn("n", area).build()
    }

    #[test]
    fn ccn_001_area_table_per_date() {
        check_codes(
            &ccn(CcnArea::Jakarta, "2019-09-19"),
            &["CEN-CCN-001"],
            expect![[r#"
                error CEN-CCN-001 n.area: CCN n is in the CCN area Indonesia (Jakarta), which the CCN area table as of 2019-09-19 (seed 002, 2018) does not list; it appears in the 2021-07-14 documents
                  fix: Choose a CCN area of the table in force, or set the plan's date to when the area is offered.
            "#]],
        );
        check_codes(&ccn(CcnArea::Jakarta, "2021-08-01"), &["CEN-CCN-001"], expect![[""]]);
        check_codes(
            &ccn(CcnArea::Mumbai, "2021-08-01"),
            &["CEN-CCN-001"],
            expect![[r#"
                error CEN-CCN-001 n.area: CCN n is in the CCN area India (Mumbai), which the 2021-07-14 CCN area table no longer lists (it was in the 2018 table)
                  fix: Choose a CCN area offered today (e.g. Mainland China, Hong Kong, Singapore, Frankfurt, Sydney), or reach the site another way.
            "#]],
        );
        check_codes(
            &ccn(CcnArea::NorthAmerica, "2022-01-01"),
            &["CEN-CCN-001"],
            expect![[r#"
                error CEN-CCN-001 n.area: CCN n is in the CCN area North America, which the 2021-07-14 CCN area table no longer lists (it was in the 2018 table)
                  fix: Choose a CCN area offered today (e.g. Mainland China, Hong Kong, Singapore, Frankfurt, Sydney), or reach the site another way.
            "#]],
        );
        check_codes(&ccn(CcnArea::Mumbai, "2019-09-19"), &["CEN-CCN-001"], expect![[""]]);
        check_codes(&ccn(CcnArea::MainlandChina, "2019-09-19"), &["CEN-CCN-001"], expect![[""]]);
    }

    #[test]
    fn ccn_002_sag_only_in_mainland_before_2021() {
        check_codes(
            &ccn(CcnArea::HongKong, "2019-09-19"),
            &["CEN-CCN-002"],
            expect![[r#"
                error CEN-CCN-002 n.area: CCN n is in the CCN area Hong Kong, but as of 2019-09-19 Smart Access Gateway (and so CCN) is offered only in Mainland China; other areas come with the 2021-07-14 documents
                  fix: Use a Mainland China CCN, reach the site another way (VPN gateway, Express Connect), or plan for a date when the area is offered.
            "#]],
        );
        check_codes(&ccn(CcnArea::HongKong, "2021-08-01"), &["CEN-CCN-002"], expect![[""]]);
        check_codes(&ccn(CcnArea::MainlandChina, "2019-09-19"), &["CEN-CCN-002"], expect![[""]]);
        // Jakarta before 2021 is CCN-001 only.
        check_codes(&ccn(CcnArea::Jakarta, "2019-09-19"), &["CEN-CCN-002"], expect![[""]]);
    }

    /// E11: a Mainland China branch with VPCs in Shanghai and Singapore.
    fn e11(as_of: &str) -> PlanBuilder {
        plan()
            .as_of(as_of)
            .cen("c")
            .ccn("n", CcnArea::MainlandChina)
            .sag("g", "n", &["10.9.0.0/24"])
            .vpc("sh", "cn-shanghai", "192.168.0.0/16")
            .vpc("sg", "ap-southeast-1", "172.16.0.0/16")
            .vswitch("s1", "sh", "192.168.1.0/24")
            .vswitch("s2", "sg", "172.16.1.0/24")
            .attach("t1", "c", "n")
            .attach("t2", "c", "sh")
            .attach("t3", "c", "sg")
    }

    #[test]
    fn ccn_003_cross_area_is_an_error_in_2018_and_needs_a_package_and_region_bandwidth_in_2021() {
        // Only the Singapore VPC is across the area border.
        check_codes(
            &e11("2019-09-19").build(),
            &["CEN-CCN-003"],
            expect![[r#"
                error CEN-CCN-003 n.area: CCN n (Mainland China, CEN area Mainland China) cannot reach VPC sg in Asia Pacific through CEN c: as of 2019-09-19 a CCN reaches only networks of its matching CEN area
                  fix: Reach those networks another way (VPN gateway, Express Connect), or plan for 2021-07-14 or later, when cross-area CCN traffic works with a bandwidth package.
                  related: c, sg
            "#]],
        );
        check_codes(
            &e11("2021-08-01").build(),
            &["CEN-CCN-003"],
            expect![[r#"
                warning CEN-CCN-003 n.area: CCN n (Mainland China, CEN area Mainland China) must reach VPC sg in Asia Pacific through CEN c, which has no Mainland China–Asia Pacific bandwidth package for this cross-area traffic
                  fix: Buy a Mainland China–Asia Pacific bandwidth package, bind it to CEN c and set the cross-region bandwidth.
                  related: c, sg
            "#]],
        );
        let p = e11("2021-08-01")
            .package("p", Some("c"), Area::AsiaPacific, Area::China, 10)
            .build();
        check_codes(
            &p,
            &["CEN-CCN-003"],
            expect![[r#"
            warning CEN-CCN-003 n.area: CCN n (Mainland China, CEN area Mainland China) must reach VPC sg in Asia Pacific through CEN c, which has the Mainland China–Asia Pacific package but no cross-region bandwidth between Mainland China and ap-southeast-1: only the 1 Kbps test link
              fix: Set a cross-region bandwidth on CEN c between a region of Mainland China and ap-southeast-1, drawn from the package.
              related: c, sg
        "#]],
        );
        // With the package and a region bandwidth from a Mainland region to Singapore: nothing to say.
        let p = e11("2021-08-01")
            .package("p", Some("c"), Area::AsiaPacific, Area::China, 10)
            .region_bandwidth("rb", "c", "cn-shanghai", "ap-southeast-1", 5)
            .build();
        check_codes(&p, &["CEN-CCN-003"], expect![[""]]);
        // An unbound package does not count.
        let p = e11("2021-08-01").package("p", None, Area::AsiaPacific, Area::China, 10).build();
        check_codes(
            &p,
            &["CEN-CCN-003"],
            expect![[r#"
                warning CEN-CCN-003 n.area: CCN n (Mainland China, CEN area Mainland China) must reach VPC sg in Asia Pacific through CEN c, which has no Mainland China–Asia Pacific bandwidth package for this cross-area traffic
                  fix: Buy a Mainland China–Asia Pacific bandwidth package, bind it to CEN c and set the cross-region bandwidth.
                  related: c, sg
            "#]],
        );
    }

    fn same_area(second_region: &str) -> Plan {
        plan()
            .cen("c")
            .ccn("n", CcnArea::MainlandChina)
            .vpc("v1", "cn-shanghai", "192.168.0.0/16")
            .vpc("v2", second_region, "172.16.0.0/16")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .attach("t1", "c", "n")
            .attach("t2", "c", "v1")
            .attach("t3", "c", "v2")
            .build()
    }

    #[test]
    fn ccn_004_same_area_package_only_for_ccn_traffic() {
        check_codes(
            &same_area("cn-shanghai"),
            &["CEN-CCN-004"],
            expect![[r#"
                info CEN-CCN-004 p.area_a: bandwidth package p (Mainland China–Mainland China) on CEN c is not needed for CCN n: a CCN reaches every region of its own CEN area without a package, and no other pair of networks crosses regions of Mainland China
                  fix: Drop the package unless other traffic will need it.
                  related: n, c
            "#]],
        );
        // Shanghai ↔ Beijing VPCs need the China–China package: no finding.
        check_codes(&same_area("cn-beijing"), &["CEN-CCN-004"], expect![[""]]);
    }

    #[test]
    fn ccn_005_too_many_cidrs_on_a_sag() {
        let sag = |n: usize| {
            let cidrs: Vec<String> = (0..n).map(|i| format!("10.{i}.0.0/24")).collect();
            let cidrs: Vec<&str> = cidrs.iter().map(String::as_str).collect();
            plan().ccn("n", CcnArea::MainlandChina).sag("g", "n", &cidrs).build()
        };
        check_codes(
            &sag(6),
            &["CEN-CCN-005"],
            expect![[r#"
                warning CEN-CCN-005 g.cidrs: SAG branch g has 6 private CIDRs; a SAG has at most 5 unless raised by ticket
                  fix: Summarise the branch CIDRs into at most 5 blocks, or raise the quota by ticket.
            "#]],
        );
        check_codes(&sag(5), &["CEN-CCN-005"], expect![[""]]);
    }

    fn backup(paired: bool, sag_cidr: &str) -> Plan {
        plan()
            .cen("c")
            .vbr("r", "cn-beijing", &["10.1.1.0/24"])
            .ccn("n", CcnArea::MainlandChina)
            .sag("g", "n", &[sag_cidr])
            .when(paired, |p| p.backup_for("r"))
            .attach("t1", "c", "n")
            .attach("t2", "c", "r")
            .build()
    }

    #[test]
    fn ccn_006_same_prefix_on_vbr_and_sag() {
        check_codes(
            &backup(false, "10.1.1.0/24"),
            &["CEN-CCN-006"],
            expect![[r#"
                error CEN-CCN-006 g.cidrs: 10.1.1.0/24 reaches CEN c both from VBR r (leased line) and from SAG branch g, which is not paired with it as standby: adding the CIDR to the SAG fails as an address conflict
                  fix: Configure SAG g as standby for VBR r (Standby for VBR) before adding 10.1.1.0/24, or remove the CIDR from one side.
                  related: r, c
            "#]],
        );
        check_codes(
            &backup(true, "10.1.1.0/24"),
            &["CEN-CCN-006"],
            expect![[r#"
                info CEN-CCN-006 g.cidrs: 10.1.1.0/24 reaches CEN c both from VBR r (leased line) and from SAG branch g, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
                  fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
                  related: r, c
            "#]],
        );
        check_codes(&backup(false, "10.2.1.0/24"), &["CEN-CCN-006"], expect![[""]]);
    }

    #[test]
    fn ccn_006_a_sag_paired_with_one_leased_line_of_its_site_is_fine_for_the_others() {
        let p = |site: bool| {
            plan()
                .cen("c")
                .overlapping()
                .vbr("r1", "cn-hangzhou", &["10.1.1.0/24"])
                .vbr("r2", "cn-shanghai", &["10.1.1.0/24"])
                .ccn("n", CcnArea::MainlandChina)
                .sag("g", "n", &["10.1.1.0/24"])
                .backup_for("r1")
                .attach("t1", "c", "r1")
                .attach("t2", "c", "r2")
                .attach("t3", "c", "n")
                .when(site, |p| p.site("dc", &["10.1.1.0/24"], &["r1", "r2", "g"]))
                .build()
        };
        check_codes(
            &p(true),
            &["CEN-CCN-006"],
            expect![[r#"
                info CEN-CCN-006 g.cidrs: 10.1.1.0/24 reaches CEN c both from VBR r1 (leased line) and from SAG branch g, which is its standby: CEN uses the VBR and the SAG takes over only when the line fails
                  fix: Nothing to change; configure the active/standby pairing on the SAG before adding the CIDR.
                  related: r1, c
            "#]],
        );
        assert_eq!(crate::core::testing::ids(&p(false), "CEN-CCN-006"), ["g", "g"]);
    }
}
