//! VBR behaviour, IDC redundancy and health checks (CEN-VBR-002..004).
//!
//! Static VBRs need matching routes on the data-centre device (002); the same static prefix on two
//! VBRs is ECMP and needs health checks (003); the same prefix on two BGP VBRs is active/standby by
//! AS-path length (004). VBR-to-VBR isolation (001) belongs to the route engine.

use crate::core::cidr::parse_cidr;
use crate::core::dataplane::DataPlane;
use crate::core::facts::NetKind;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, Vbr, VbrRouting};
use ipnet::Ipv4Net;
use std::collections::{BTreeMap, BTreeSet};

/// How many prefixes a message lists before it says "and N more".
const LIST_MAX: usize = 8;

fn list(items: &[String]) -> String {
    if items.len() <= LIST_MAX {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..LIST_MAX].join(", "), items.len() - LIST_MAX)
    }
}

pub(super) fn check(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    let plan = ctx.plan;
    for cen in &plan.cens {
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
        let vpc_prefixes: Vec<String> = vpc_prefixes.iter().map(Ipv4Net::to_string).collect();
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
                .fix("Add static routes for these prefixes on the data-centre device with the VBR interface as next hop, or switch the VBR to BGP so it receives them."),
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
            let names: Vec<String> = group.iter().map(|&i| ctx.name(&vbrs[i].id)).collect();
            let prefixes = list(&prefixes);
            let first = vbrs[group[0]];
            if bgp {
                // CEN-VBR-004
                let mut f = Finding::new(
                    Code::CenVbr004,
                    Severity::Info,
                    Kind::Vbr,
                    &first.id,
                    format!(
                        "VBRs {} in CEN {cen_name} all learn {prefixes} over BGP: CEN prefers the shortest AS path and pushes that VBR to the VPCs as active, the others as standby; the plan has no AS paths, so which one is active is undetermined",
                        names.join(", ")
                    ),
                )
                .field("idc_cidrs")
                .fix("Decide the active line and prepend the AS path on the standby line's BGP advertisements from the data centre.");
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

#[cfg(test)]
mod tests {
    use crate::core::findings::Severity;
    use crate::core::format::from_json;
    use crate::core::model::Plan;
    use crate::core::rules::check;

    /// Two VBRs (r1 in cn-hangzhou, r2 in `region2`) attached with one VPC.
    fn plan(routing: &str, hc1: bool, hc2: bool, cidr2: &str, region2: &str) -> Plan {
        from_json(&format!(
            r#"{{"format":"cen-planner-plan","version":1,"plan":{{"accounts":[{{"id":"a","uid":"1"}}],
            "vpcs":[{{"id":"v","owner":"a","region":"cn-hangzhou","cidr":"192.168.0.0/16"}}],
            "vswitches":[{{"id":"s","vpc":"v","cidr":"192.168.1.0/24"}}],
            "vbrs":[{{"id":"r1","owner":"a","region":"cn-hangzhou","routing":"{routing}","health_check":{hc1},"idc_cidrs":["10.1.0.0/16"]}},
                    {{"id":"r2","owner":"a","region":"{region2}","routing":"{routing}","health_check":{hc2},"idc_cidrs":["{cidr2}"]}}],
            "cens":[{{"id":"c","owner":"a","overlapping_routes":true}}],
            "attachments":[{{"id":"t0","cen":"c","network":"v"}},{{"id":"t1","cen":"c","network":"r1"}},{{"id":"t2","cen":"c","network":"r2"}}]}}}}"#
        ))
        .unwrap()
    }

    fn found(p: &Plan, code: &str) -> Vec<(Severity, String, Option<&'static str>)> {
        check(p)
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .map(|f| (f.severity, f.entity.map(|e| e.id).unwrap_or_default(), f.field))
            .collect()
    }

    #[test]
    fn vbr_002_static_vbrs_need_routes_on_the_idc_device() {
        let p = plan("static", true, true, "10.2.0.0/16", "cn-hangzhou");
        let f = found(&p, "CEN-VBR-002");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0], (Severity::Info, "r1".into(), Some("routing")));
        let r = check(&p);
        assert!(r
            .findings
            .iter()
            .any(|f| f.code == "CEN-VBR-002" && f.message.contains("192.168.1.0/24")));
        assert!(found(&plan("bgp", true, true, "10.2.0.0/16", "cn-hangzhou"), "CEN-VBR-002").is_empty());
    }

    #[test]
    fn vbr_003_ecmp_needs_health_checks() {
        assert_eq!(
            found(&plan("static", true, false, "10.1.0.0/16", "cn-hangzhou"), "CEN-VBR-003"),
            vec![(Severity::Warning, "r2".into(), Some("health_check"))]
        );
        assert!(found(&plan("static", true, true, "10.1.0.0/16", "cn-hangzhou"), "CEN-VBR-003").is_empty());
        assert!(found(&plan("static", false, false, "10.2.0.0/16", "cn-hangzhou"), "CEN-VBR-003").is_empty());
        assert!(found(&plan("bgp", false, false, "10.1.0.0/16", "cn-hangzhou"), "CEN-VBR-003").is_empty());
    }

    #[test]
    fn vbr_003_ecmp_across_regions_is_undocumented() {
        assert_eq!(
            found(&plan("static", true, true, "10.1.0.0/16", "cn-shanghai"), "CEN-VBR-003"),
            vec![(Severity::Warning, "r1".into(), Some("region"))]
        );
    }

    #[test]
    fn vbr_004_bgp_active_standby_is_undetermined() {
        assert_eq!(
            found(&plan("bgp", true, true, "10.1.0.0/16", "cn-hangzhou"), "CEN-VBR-004"),
            vec![(Severity::Info, "r1".into(), Some("idc_cidrs"))]
        );
        assert!(found(&plan("bgp", true, true, "10.2.0.0/16", "cn-hangzhou"), "CEN-VBR-004").is_empty());
        assert!(found(&plan("static", true, true, "10.1.0.0/16", "cn-hangzhou"), "CEN-VBR-004").is_empty());
    }
}
