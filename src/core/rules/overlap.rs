//! Overlapping prefixes between networks attached to the same CEN (CEN-CIDR-004, -005, -006).
//!
//! Each attached network advertises prefixes (rulebook §3.1): a VPC its vSwitch CIDRs and its
//! published system-table routes to an ECS, VPN gateway or HaVip; a VBR its on-premises CIDRs; a CCN
//! the private CIDRs of its SAG branches. Two prefixes from different networks of one CEN that are
//! identical conflict (005); that overlap conflict when overlapping routes are off (006); and that
//! overlap with the switch on are learned and forwarded by longest prefix, which is worth a warning
//! (004). Pairs are found with one sort and a sweep: O(n log n + pairs).

use crate::core::dataplane::{overlapping_pairs, DataPlane, Prefix};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::Kind;

pub(super) fn check(dp: &DataPlane<'_>, out: &mut Vec<Finding>) {
    let ctx = &dp.ctx;
    let (plan, index) = (ctx.plan, &ctx.index);
    for cen in &plan.cens {
        let mut prefixes: Vec<Prefix> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for a in plan.attachments.iter().filter(|a| a.cen == cen.id) {
            if seen.insert(a.network.as_str()) {
                prefixes.extend(dp.advertised_by(&a.network).iter().cloned());
            }
        }
        let cen_name = plan.display_name(index, &cen.id);
        for (i, j) in overlapping_pairs(&prefixes) {
            let (a, b) = (&prefixes[i], &prefixes[j]);
            if a.net == b.net && redundancy(ctx, a, b) {
                // Documented redundancy, not a conflict: two leased lines (CEN-VBR-003/004) or a SAG
                // paired as standby for the VBR (CEN-CCN-006).
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
            } else if !cen.overlapping_routes {
                (
                    Code::CenCidr006,
                    Severity::Error,
                    format!(
                        "{} overlaps {} in CEN {cen_name}, whose overlapping-routes switch is off: CEN refuses the overlapping route",
                        describe(a),
                        describe(b)
                    ),
                    format!(
                        "Enable overlapping routes on CEN {cen_name} (this cannot be undone), or renumber so the blocks do not overlap."
                    ),
                )
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

/// Whether two identical prefixes are a documented redundancy: both from VBRs, or a VBR and a SAG
/// configured as its standby.
fn redundancy(ctx: &super::Ctx<'_>, a: &Prefix, b: &Prefix) -> bool {
    let kind = |p: &Prefix| ctx.networks.get(p.network).map(|n| n.kind);
    let vbr = Some(crate::core::facts::NetKind::Vbr);
    let standby = |sag: &Prefix, vbr_net: &Prefix| {
        sag.holder.0 == Kind::Sag
            && ctx
                .plan
                .sags
                .iter()
                .any(|s| s.id == sag.holder.1 && s.backup_for_vbr.as_deref() == Some(vbr_net.network))
    };
    (kind(a) == vbr && kind(b) == vbr) || (kind(a) == vbr && standby(b, a)) || (kind(b) == vbr && standby(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::format::from_json;
    use crate::core::model::Plan;
    use crate::core::rules::check;
    use ipnet::Ipv4Net;
    use proptest::prelude::*;

    fn plan(overlapping: bool, cidr_a: &str, cidr_b: &str, attach_b: bool) -> Plan {
        let b_att = if attach_b { r#",{"id":"t2","cen":"c","network":"vb"}"# } else { "" };
        from_json(&format!(
            r#"{{"format":"cen-planner-plan","version":1,"plan":{{
            "accounts":[{{"id":"a","uid":"1"}}],
            "cens":[{{"id":"c","owner":"a","overlapping_routes":{overlapping}}}],
            "vpcs":[{{"id":"va","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.0/8"}},{{"id":"vb","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.0/8"}}],
            "vswitches":[{{"id":"sa","vpc":"va","cidr":"{cidr_a}"}},{{"id":"sb","vpc":"vb","cidr":"{cidr_b}"}}],
            "attachments":[{{"id":"t1","cen":"c","network":"va"}}{b_att}]}}}}"#
        ))
        .unwrap()
    }

    fn codes(p: &Plan) -> Vec<&'static str> {
        let mine = ["CEN-CIDR-004", "CEN-CIDR-005", "CEN-CIDR-006", "CEN-CIDR-007"];
        check(p)
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .filter(|c| mine.contains(c))
            .collect()
    }

    #[test]
    fn identical_vswitches_conflict_even_with_overlapping_routes_on() {
        let r = check(&plan(true, "10.1.0.0/24", "10.1.0.0/24", true));
        let found: Vec<_> = r.findings.iter().filter(|f| f.code.as_str().starts_with("CEN-CIDR-00")).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let f = found[0];
        assert_eq!((f.code.as_str(), f.severity), ("CEN-CIDR-005", Severity::Error));
        assert_eq!(f.entity.as_ref().unwrap().id, "sb");
        assert_eq!(f.related[0].id, "sa");
    }

    #[test]
    fn overlap_is_an_error_with_the_switch_off_and_a_warning_with_it_on() {
        assert_eq!(codes(&plan(false, "10.1.0.0/16", "10.1.2.0/24", true)), vec!["CEN-CIDR-006"]);
        // With the switch on, the /24 is also inside the other VPC's own vSwitch (CEN-CIDR-007).
        assert_eq!(
            codes(&plan(true, "10.1.0.0/16", "10.1.2.0/24", true)),
            vec!["CEN-CIDR-007", "CEN-CIDR-004"]
        );
    }

    #[test]
    fn disjoint_blocks_and_unattached_networks_do_not_fire() {
        assert!(codes(&plan(false, "10.1.0.0/24", "10.2.0.0/24", true)).is_empty());
        assert!(codes(&plan(false, "10.1.0.0/24", "10.1.0.0/24", false)).is_empty());
    }

    #[test]
    fn two_vbrs_or_a_paired_sag_with_the_same_prefix_are_redundancy_not_conflict() {
        let json = |backup: &str| {
            format!(
                r#"{{"format":"cen-planner-plan","version":1,"plan":{{
            "accounts":[{{"id":"a","uid":"1"}}],"cens":[{{"id":"c","owner":"a","overlapping_routes":true}}],
            "vbrs":[{{"id":"b1","owner":"a","region":"cn-beijing","idc_cidrs":["10.1.1.0/24"]}},{{"id":"b2","owner":"a","region":"cn-beijing","idc_cidrs":["10.1.1.0/24"]}}],
            "ccns":[{{"id":"n","owner":"a"}}],"sags":[{{"id":"s","ccn":"n","cidrs":["10.1.1.0/24"]{backup}}}],
            "attachments":[{{"id":"t1","cen":"c","network":"b1"}},{{"id":"t2","cen":"c","network":"b2"}},{{"id":"t3","cen":"c","network":"n"}}]}}}}"#
            )
        };
        let unpaired = codes(&from_json(&json("")).unwrap());
        assert_eq!(
            unpaired,
            vec!["CEN-CIDR-005", "CEN-CIDR-005"],
            "the SAG conflicts with each VBR, the VBRs not with each other"
        );
        // Paired as standby for b1, the SAG no longer conflicts with b1, only with b2.
        assert_eq!(codes(&from_json(&json(r#","backup_for_vbr":"b1""#)).unwrap()), vec!["CEN-CIDR-005"]);
    }

    #[test]
    fn identical_vpc_blocks_alone_do_not_conflict() {
        // Both VPCs use 10.0.0.0/8 (CEN-CIDR-008): only vSwitch blocks are advertised.
        assert!(codes(&plan(false, "10.1.0.0/24", "10.2.0.0/24", true)).is_empty());
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
