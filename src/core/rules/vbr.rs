//! VBR behaviour, IDC redundancy and health checks (CEN-VBR-002..004).
//!
//! Static VBRs need matching routes on the data-centre device (002); the same static prefix on two
//! VBRs is ECMP and needs health checks (003); the same prefix on two BGP VBRs is active/standby by
//! AS-path length (004). VBR-to-VBR isolation (001) belongs to the route engine.

use crate::core::cidr::parse_cidr;
use crate::core::dataplane::{DataPlane, LineState};
use crate::core::facts::NetKind;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, LineRole, Vbr, VbrRouting};
use ipnet::Ipv4Net;
use std::collections::{BTreeMap, BTreeSet};

/// Prefixes, as `rules::list` writes them.
fn list<T: std::fmt::Display>(items: &[T]) -> String {
    super::list(items, T::to_string)
}

pub(super) fn check(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    line_roles(dp, false, out);
    let ctx = &dp.ctx;
    let plan = ctx.plan;
    for cen in ctx.cens() {
        let attached = ctx.attached_networks(&cen.id);
        let vbrs: Vec<&Vbr> = attached
            .iter()
            .filter(|n| n.kind == NetKind::Vbr)
            .filter_map(|n| plan.vbrs.iter().find(|v| v.id == n.id))
            .collect();
        if vbrs.is_empty() {
            continue;
        }
        let cen_name = ctx.name(&cen.id);

        // CEN-VBR-002: what a static VBR's data-centre device must route toward the VBR.
        let mut vpc_prefixes: Vec<Ipv4Net> = attached
            .iter()
            .filter(|n| n.kind == NetKind::Vpc)
            .flat_map(|n| dp.advertised_by(n.id))
            .map(|p| p.net)
            .collect();
        vpc_prefixes.sort();
        vpc_prefixes.dedup();
        for v in vbrs.iter().filter(|v| v.routing == VbrRouting::Static) {
            if vpc_prefixes.is_empty() {
                continue;
            }
            let name = ctx.name(&v.id);
            out.push(
                Finding::new(
                    Code::CenVbr002,
                    Severity::Info,
                    Kind::Vbr,
                    &v.id,
                    format!(
                        "VBR {name} uses static routing, so the data centre does not learn the CEN routes: its device needs static routes toward the VBR for {} (the VPC prefixes of CEN {cen_name})",
                        list(&vpc_prefixes)
                    ),
                )
                .field("routing")
                .fix("Switch the VBR to BGP so it receives them, or, outside the plan, add static routes for these prefixes on the data-centre device with the VBR interface as next hop."),
            );
        }

        // Group the attached VBRs by identical prefix, per routing kind.
        let mut by_prefix: BTreeMap<(bool, Ipv4Net), Vec<usize>> = BTreeMap::new();
        for (i, v) in vbrs.iter().enumerate() {
            let bgp = v.routing == VbrRouting::Bgp;
            let mut seen = BTreeSet::new();
            for net in v.idc_cidrs.iter().filter_map(|c| parse_cidr(c).ok()) {
                if seen.insert(net) {
                    by_prefix.entry((bgp, net)).or_default().push(i);
                }
            }
        }
        // Then by the set of VBRs sharing prefixes, so one finding lists every shared prefix.
        let mut by_group: BTreeMap<(bool, Vec<usize>), Vec<String>> = BTreeMap::new();
        for ((bgp, net), group) in by_prefix {
            if group.len() >= 2 {
                by_group.entry((bgp, group)).or_default().push(net.to_string());
            }
        }
        for ((bgp, group), prefixes) in by_group {
            let names: Vec<&str> = group.iter().map(|&i| ctx.name(&vbrs[i].id)).collect();
            let prefixes = list(&prefixes);
            let first = vbrs[group[0]];
            if bgp {
                // CEN-VBR-004: the shortest AS path wins, when the sites' lines give every length.
                let lengths: Option<Vec<u32>> = group
                    .iter()
                    .map(|&i| ctx.line(&vbrs[i].id).and_then(|(_, l)| l.as_path_length))
                    .collect();
                let shortest = lengths.as_ref().and_then(|l| {
                    let min = l.iter().min()?;
                    let at: Vec<usize> = (0..l.len()).filter(|&k| l[k] == *min).collect();
                    (at.len() == 1).then(|| (group[at[0]], *min))
                });
                let message = match (shortest, &lengths) {
                    (Some((active, n)), _) => format!(
                        "VBRs {} in CEN {cen_name} all learn {prefixes} over BGP: CEN prefers the shortest AS path, so VBR {} (AS path {n}) is active and pushed to the VPCs, the others standby",
                        names.join(", "),
                        ctx.name(&vbrs[active].id)
                    ),
                    (None, Some(_)) => format!(
                        "VBRs {} in CEN {cen_name} all learn {prefixes} over BGP with equally short AS paths: CEN keeps one active and the others standby, and which one is undetermined",
                        names.join(", ")
                    ),
                    (None, None) => format!(
                        "VBRs {} in CEN {cen_name} all learn {prefixes} over BGP: CEN prefers the shortest AS path and pushes that VBR to the VPCs as active, the others as standby; the plan has no AS paths, so which one is active is undetermined",
                        names.join(", ")
                    ),
                };
                let fix = if shortest.is_some() {
                    "Nothing to change if intended; the longer AS paths are the standby lines."
                } else {
                    "Decide the active line: prepend the AS path on the standby line's BGP advertisements from the data centre, and record the AS-path lengths on the site's lines."
                };
                let mut f = Finding::new(Code::CenVbr004, Severity::Info, Kind::Vbr, &first.id, message)
                    .field("idc_cidrs")
                    .fix(fix);
                for &i in &group[1..] {
                    f = f.related(Kind::Vbr, &vbrs[i].id);
                }
                out.push(f.related(Kind::Cen, &cen.id));
                continue;
            }
            // CEN-VBR-003: ECMP over static routes needs a health check on every line.
            for &i in &group {
                let v = vbrs[i];
                if v.health_check {
                    continue;
                }
                let mut f = Finding::new(
                    Code::CenVbr003,
                    Severity::Warning,
                    Kind::Vbr,
                    &v.id,
                    format!(
                        "VBRs {} in CEN {cen_name} carry the same static prefix {prefixes}, so CEN load-balances over them (ECMP), but VBR {} has no health check: if its line fails, traffic keeps going to it",
                        names.join(", "),
                        ctx.name(&v.id)
                    ),
                )
                .field("health_check")
                .fix("Configure a CEN health check on every VBR that carries the shared prefix.");
                for &j in group.iter().filter(|&&j| j != i) {
                    f = f.related(Kind::Vbr, &vbrs[j].id);
                }
                out.push(f.related(Kind::Cen, &cen.id));
            }
            let regions: BTreeSet<&str> = group.iter().map(|&i| vbrs[i].region.as_str()).collect();
            if regions.len() > 1 {
                let list: Vec<&str> = regions.into_iter().collect();
                let mut f = Finding::new(
                    Code::CenVbr003,
                    Severity::Warning,
                    Kind::Vbr,
                    &first.id,
                    format!(
                        "VBRs {} in CEN {cen_name} carry the same static prefix {prefixes} from different regions ({}): equal-cost paths are documented only for VBRs in one region, so how CEN splits the traffic is not known",
                        names.join(", "),
                        list.join(", ")
                    ),
                )
                .field("region")
                .fix("Test the failover, or use BGP with AS-path prepending to make one line the standby.");
                for &i in &group[1..] {
                    f = f.related(Kind::Vbr, &vbrs[i].id);
                }
                out.push(f.related(Kind::Cen, &cen.id));
            }
        }
    }
}

/// The expected role of each line of a site against what the data plane makes of it: a VBR line is
/// reported as CEN-VBR-003 (static) or CEN-VBR-004 (BGP) here, a SAG line as CEN-CCN-006 (`sags`).
pub(super) fn line_roles(dp: &DataPlane<'_>, sags: bool, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    let plan = ctx.plan;
    for (i, site) in plan.sites.iter().enumerate() {
        for (j, line) in site.lines.iter().enumerate() {
            let Some(expected) = line.role else { continue };
            let vbr = plan.vbrs.iter().find(|v| v.id == line.via);
            let code = match (vbr, ctx.index.kind_of(&line.via)) {
                (Some(v), _) if !sags => {
                    if v.routing == VbrRouting::Static {
                        Code::CenVbr003
                    } else {
                        Code::CenVbr004
                    }
                }
                (None, Some(Kind::Sag)) if sags => Code::CenCcn006,
                _ => continue,
            };
            let actual = dp.line_role(i, j);
            let (word, matches) = match actual {
                LineState::Ecmp => ("shares the traffic with another line (ECMP)", expected == LineRole::Ecmp),
                LineState::Active => ("is the active line", expected == LineRole::Active),
                LineState::Standby => ("is a standby line", expected == LineRole::Standby),
                LineState::Undetermined => (
                    "is active or standby as CEN picks, which the plan does not decide (no AS-path lengths, or equal ones)",
                    false,
                ),
                LineState::Unused => ("carries none of the site's prefixes through CEN", false),
            };
            if matches {
                continue;
            }
            let role = match expected {
                LineRole::Ecmp => "ECMP",
                LineRole::Active => "active",
                LineRole::Standby => "standby",
            };
            let severity = if code == Code::CenVbr004 {
                Severity::Info
            } else {
                Severity::Warning
            };
            out.push(
                Finding::new(
                    code,
                    severity,
                    Kind::Site,
                    &site.id,
                    format!(
                        "line {} of site {} is meant to be {role}, but {}",
                        ctx.name(&line.via),
                        ctx.name(&site.id),
                        word
                    ),
                )
                .field("lines")
                .fix("Make the plan give the intended role: the same static prefix on leased lines for ECMP, shorter AS paths on the active BGP line, the SAG configured as the VBR's backup; or correct the expected role.")
                .related(ctx.index.kind_of(&line.via).unwrap_or(Kind::Vbr), &line.via),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan};
    use expect_test::expect;

    /// Two VBRs (r1 in cn-hangzhou, r2 in `region2`) attached with one VPC.
    fn two_vbrs(routing: &str, hc1: bool, hc2: bool, cidr2: &str, region2: &str) -> Plan {
        let bgp = routing == "bgp";
        plan()
            .vpc("v", "cn-hangzhou", "192.168.0.0/16")
            .vswitch("s", "v", "192.168.1.0/24")
            .vbr("r1", "cn-hangzhou", &["10.1.0.0/16"])
            .when(bgp, |p| p.bgp())
            .when(hc1, |p| p.health_check())
            .vbr("r2", region2, &[cidr2])
            .when(bgp, |p| p.bgp())
            .when(hc2, |p| p.health_check())
            .cen("c")
            .overlapping()
            .attach("t0", "c", "v")
            .attach("t1", "c", "r1")
            .attach("t2", "c", "r2")
            .build()
    }

    #[test]
    fn vbr_002_static_vbrs_need_routes_on_the_idc_device() {
        // The message names the VPC's vSwitch the IDC device needs a route to.
        check_codes(
            &two_vbrs("static", true, true, "10.2.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-002"],
            expect![[r#"
                info CEN-VBR-002 r1.routing: VBR r1 uses static routing, so the data centre does not learn the CEN routes: its device needs static routes toward the VBR for 192.168.1.0/24 (the VPC prefixes of CEN c)
                  fix: Switch the VBR to BGP so it receives them, or, outside the plan, add static routes for these prefixes on the data-centre device with the VBR interface as next hop.
                info CEN-VBR-002 r2.routing: VBR r2 uses static routing, so the data centre does not learn the CEN routes: its device needs static routes toward the VBR for 192.168.1.0/24 (the VPC prefixes of CEN c)
                  fix: Switch the VBR to BGP so it receives them, or, outside the plan, add static routes for these prefixes on the data-centre device with the VBR interface as next hop.
            "#]],
        );
        check_codes(
            &two_vbrs("bgp", true, true, "10.2.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-002"],
            expect![[""]],
        );
    }

    #[test]
    fn vbr_003_ecmp_needs_health_checks() {
        check_codes(
            &two_vbrs("static", true, false, "10.1.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-003"],
            expect![[r#"
                warning CEN-VBR-003 r2.health_check: VBRs r1, r2 in CEN c carry the same static prefix 10.1.0.0/16, so CEN load-balances over them (ECMP), but VBR r2 has no health check: if its line fails, traffic keeps going to it
                  fix: Configure a CEN health check on every VBR that carries the shared prefix.
                  related: r1, c
            "#]],
        );
        check_codes(
            &two_vbrs("static", true, true, "10.1.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-003"],
            expect![[""]],
        );
        check_codes(
            &two_vbrs("static", false, false, "10.2.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-003"],
            expect![[""]],
        );
        check_codes(
            &two_vbrs("bgp", false, false, "10.1.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-003"],
            expect![[""]],
        );
    }

    #[test]
    fn vbr_003_ecmp_across_regions_is_undocumented() {
        check_codes(
            &two_vbrs("static", true, true, "10.1.0.0/16", "cn-shanghai"),
            &["CEN-VBR-003"],
            expect![[r#"
                warning CEN-VBR-003 r1.region: VBRs r1, r2 in CEN c carry the same static prefix 10.1.0.0/16 from different regions (cn-hangzhou, cn-shanghai): equal-cost paths are documented only for VBRs in one region, so how CEN splits the traffic is not known
                  fix: Test the failover, or use BGP with AS-path prepending to make one line the standby.
                  related: r2, c
            "#]],
        );
    }

    #[test]
    fn vbr_004_bgp_active_standby_is_undetermined() {
        check_codes(
            &two_vbrs("bgp", true, true, "10.1.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-004"],
            expect![[r#"
                info CEN-VBR-004 r1.idc_cidrs: VBRs r1, r2 in CEN c all learn 10.1.0.0/16 over BGP: CEN prefers the shortest AS path and pushes that VBR to the VPCs as active, the others as standby; the plan has no AS paths, so which one is active is undetermined
                  fix: Decide the active line: prepend the AS path on the standby line's BGP advertisements from the data centre, and record the AS-path lengths on the site's lines.
                  related: r2, c
            "#]],
        );
        check_codes(
            &two_vbrs("bgp", true, true, "10.2.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-004"],
            expect![[""]],
        );
        check_codes(
            &two_vbrs("static", true, true, "10.1.0.0/16", "cn-hangzhou"),
            &["CEN-VBR-004"],
            expect![[""]],
        );
    }
}
