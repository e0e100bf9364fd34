//! Addressing rules on single networks (CEN-CIDR-001..003, 008, 009).
//!
//! Forbidden and platform ranges (001, 009), VPC and vSwitch sizes and containment (002), the four
//! addresses every vSwitch loses (003), and VPC blocks that overlap between networks of one CEN
//! while their vSwitches do not (008). Overlaps between advertised prefixes (004..007) belong to the
//! route engine (`overlap.rs`).

use crate::core::cidr::{overlaps, parse_cidr};
use crate::core::dataplane::{overlapping_pairs, Prefix};
use crate::core::facts::{Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Kind, Vpc};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// Ranges a VPC block may not be or be inside (CEN-CIDR-001).
const FORBIDDEN: [(Ipv4Addr, u8, &str); 4] = [
    (Ipv4Addr::new(100, 64, 0, 0), 10, "used by the platform for cloud services"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local"),
];

/// The console's standard private blocks, accepted whatever their mask (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16).
const STANDARD_BLOCKS: [(Ipv4Addr, u8); 3] = [
    (Ipv4Addr::new(10, 0, 0, 0), 8),
    (Ipv4Addr::new(172, 16, 0, 0), 12),
    (Ipv4Addr::new(192, 168, 0, 0), 16),
];

fn forbidden_container(net: &Ipv4Net) -> Option<(Ipv4Net, &'static str)> {
    FORBIDDEN.iter().find_map(|&(addr, len, why)| {
        let range = Ipv4Net::new(addr, len).ok()?;
        range.contains(net).then_some((range, why))
    })
}

fn platform_range() -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::new(100, 64, 0, 0), 10).unwrap_or_default()
}

/// A VPC's parsed blocks, each with its field, primary first.
type Blocks = [(Ipv4Net, &'static str)];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    vpc_ranges(ctx, out);
    vswitches(ctx, out);
    vpc_blocks_across_networks(ctx, out);
    platform_range_on_premises(ctx, out);
}

/// Each VPC by id, with its parsed blocks.
fn vpcs_by_id<'a>(ctx: &'a Ctx<'_>) -> HashMap<&'a str, (&'a Vpc, &'a Blocks)> {
    ctx.plan
        .vpcs
        .iter()
        .zip(&ctx.cidrs.vpcs)
        .map(|(v, b)| (v.id.as_str(), (v, b.as_slice())))
        .collect()
}

// CEN-CIDR-001 and the VPC half of CEN-CIDR-002.
fn vpc_ranges(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (vpc, blocks) in ctx.plan.vpcs.iter().zip(&ctx.cidrs.vpcs) {
        let name = ctx.name(&vpc.id);
        for &(net, field) in blocks {
            if let Some((range, why)) = forbidden_container(&net) {
                out.push(
                    Finding::new(
                        Code::CenCidr001,
                        Severity::Error,
                        Kind::Vpc,
                        &vpc.id,
                        format!("VPC {name} uses {net}, which lies in {range} ({why}): a VPC block may not be in that range"),
                    )
                    .field(field)
                    .fix("Use a private block (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) or another block outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16."),
                );
            }
            let len = net.prefix_len();
            if !(8..=28).contains(&len) {
                out.push(
                    Finding::new(
                        Code::CenCidr002,
                        Severity::Error,
                        Kind::Vpc,
                        &vpc.id,
                        format!("VPC {name} block {net} has a /{len} mask: a VPC block must be /8 to /28"),
                    )
                    .field(field)
                    .fix("Choose a VPC block with a mask from /16 to /28 (/8 to /15 only where the older limits apply)."),
                );
            } else if len < 16 && !STANDARD_BLOCKS.contains(&(net.network(), len)) {
                out.push(
                    Finding::new(
                        Code::CenCidr002,
                        Severity::Warning,
                        Kind::Vpc,
                        &vpc.id,
                        format!(
                            "VPC {name} block {net} has a /{len} mask: older documents accept /8 to /24, but the current console advises the standard private blocks or a /16 to /28 block"
                        ),
                    )
                    .field(field)
                    .fix("Use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a block with a mask from /16 to /28, or confirm the console accepts this size."),
                );
            }
        }
    }
}

// The vSwitch half of CEN-CIDR-002, the vSwitch part of CEN-CIDR-001, and CEN-CIDR-003.
fn vswitches(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    // Each VPC with its parsed blocks, once.
    let vpcs = vpcs_by_id(ctx);
    // Per VPC, the parsed vSwitch blocks, for the overlap sweep (each vSwitch is its own "network").
    let mut per_vpc: HashMap<&str, Vec<Prefix>> = HashMap::default();
    for (s, net) in plan.vswitches.iter().zip(&ctx.cidrs.vswitches) {
        let Some(net) = *net else { continue };
        let name = || ctx.name(&s.id);
        let len = net.prefix_len();
        if !(16..=29).contains(&len) {
            out.push(
                Finding::new(
                    Code::CenCidr002,
                    Severity::Error,
                    Kind::VSwitch,
                    &s.id,
                    format!(
                        "vSwitch {} block {net} has a /{len} mask: a vSwitch block must be /16 to /29",
                        name()
                    ),
                )
                .field("cidr")
                .fix("Give the vSwitch a block with a mask from /16 to /29."),
            );
        } else if len == 29 {
            out.push(
                Finding::new(
                    Code::CenCidr003,
                    Severity::Info,
                    Kind::VSwitch,
                    &s.id,
                    format!(
                        "vSwitch {} ({net}) has 8 addresses, of which the system reserves 4 (usually the first and the last three): only 4 are usable",
                        name()
                    ),
                )
                .field("cidr")
                .fix("Make sure 4 addresses are enough for the instances in this vSwitch, or use a larger block (/28 gives 12)."),
            );
        }
        if let Some((vpc, blocks)) = vpcs.get(s.vpc.as_str()) {
            if !blocks.is_empty() && !blocks.iter().any(|(b, _)| b.contains(&net)) {
                let list: Vec<String> = blocks.iter().map(|(b, _)| b.to_string()).collect();
                out.push(
                    Finding::new(
                        Code::CenCidr002,
                        Severity::Error,
                        Kind::VSwitch,
                        &s.id,
                        format!(
                            "vSwitch {} block {net} is not inside its VPC {} ({})",
                            name(),
                            ctx.name(&vpc.id),
                            list.join(", ")
                        ),
                    )
                    .field("cidr")
                    .fix("Choose a vSwitch block inside the VPC block, or add a secondary block to the VPC that contains it.")
                    .related(Kind::Vpc, &vpc.id),
                );
            }
            // A vSwitch in a forbidden range when the VPC block itself is not (the VPC finding covers that).
            if let Some((range, why)) = forbidden_container(&net) {
                if !blocks.iter().any(|(b, _)| forbidden_container(b).is_some()) {
                    out.push(
                        Finding::new(
                            Code::CenCidr001,
                            Severity::Error,
                            Kind::VSwitch,
                            &s.id,
                            format!(
                                "vSwitch {} uses {net}, which lies in {range} ({why}): these addresses cannot be used in a VPC",
                                name()
                            ),
                        )
                        .field("cidr")
                        .fix("Move the vSwitch to a block outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16.")
                        .related(Kind::Vpc, &vpc.id),
                    );
                }
            }
        }
        per_vpc.entry(s.vpc.as_str()).or_default().push(Prefix {
            net,
            network: &s.id,
            holder: (Kind::VSwitch, &s.id),
            field: "cidr",
        });
    }
    for (vpc, prefixes) in &per_vpc {
        for (i, j) in overlapping_pairs(prefixes) {
            let (a, b) = (&prefixes[i], &prefixes[j]);
            let what = if a.net == b.net { "is the same block as" } else { "overlaps" };
            out.push(
                Finding::new(
                    Code::CenCidr002,
                    Severity::Error,
                    Kind::VSwitch,
                    b.holder.1,
                    format!(
                        "vSwitch {} ({}) {what} vSwitch {} ({}) of the same VPC {}: vSwitches of one VPC may not overlap",
                        ctx.name(b.holder.1),
                        b.net,
                        ctx.name(a.holder.1),
                        a.net,
                        ctx.name(vpc)
                    ),
                )
                .field("cidr")
                .fix("Give each vSwitch of the VPC its own, non-overlapping block.")
                .related(Kind::VSwitch, a.holder.1),
            );
        }
    }
}

// CEN-CIDR-008: attached VPCs whose VPC blocks overlap although their vSwitches do not.
fn vpc_blocks_across_networks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    let vpcs = vpcs_by_id(ctx);
    for cen in ctx.cens() {
        let attached: Vec<(&Vpc, &Blocks)> = ctx
            .attached_networks(&cen.id)
            .iter()
            .filter(|n| n.kind == NetKind::Vpc)
            .filter_map(|n| vpcs.get(n.id).copied())
            .collect();
        if attached.len() < 2 {
            continue;
        }
        let order: HashMap<&str, usize> = attached.iter().enumerate().map(|(i, (v, _))| (v.id.as_str(), i)).collect();
        let mut blocks = Vec::new();
        for (v, vb) in &attached {
            for &(net, field) in vb.iter() {
                blocks.push(Prefix {
                    net,
                    network: &v.id,
                    holder: (Kind::Vpc, &v.id),
                    field,
                });
            }
        }
        let mut switches = Vec::new();
        for (s, net) in plan.vswitches.iter().zip(&ctx.cidrs.vswitches) {
            if let Some(net) = net.filter(|_| order.contains_key(s.vpc.as_str())) {
                switches.push(Prefix {
                    net,
                    network: &s.vpc,
                    holder: (Kind::VSwitch, &s.id),
                    field: "cidr",
                });
            }
        }
        let pair_key = |a: &str, b: &str| {
            let (x, y) = (order.get(a).copied().unwrap_or(0), order.get(b).copied().unwrap_or(0));
            (x.min(y), x.max(y))
        };
        let switch_pairs: BTreeSet<(usize, usize)> = overlapping_pairs(&switches)
            .into_iter()
            .map(|(i, j)| pair_key(switches[i].network, switches[j].network))
            .collect();
        let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (i, j) in overlapping_pairs(&blocks) {
            let key = pair_key(blocks[i].network, blocks[j].network);
            if !reported.insert(key) {
                continue;
            }
            // Identical VPC blocks whose vSwitches already collide: the collision is the route rules'
            // finding; the shared block is still a fact of its own (rulebook E9: CEN-CIDR-008 for growth).
            let today = if switch_pairs.contains(&key) {
                "some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too"
            } else {
                "theirs do not overlap today, but a vSwitch added later in the shared range will conflict"
            };
            // The finding is about the VPC attached later; `first` is the earlier one.
            let (first, second) = if order.get(blocks[i].network) <= order.get(blocks[j].network) {
                (&blocks[i], &blocks[j])
            } else {
                (&blocks[j], &blocks[i])
            };
            out.push(
                Finding::new(
                    Code::CenCidr008,
                    Severity::Warning,
                    Kind::Vpc,
                    second.network,
                    format!(
                        "VPCs {} ({}) and {} ({}) in CEN {} have overlapping VPC blocks; only vSwitch blocks are advertised and {today}",
                        ctx.name(second.network),
                        second.net,
                        ctx.name(first.network),
                        first.net,
                        ctx.name(&cen.id)
                    ),
                )
                .field(second.field)
                .fix("Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.")
                .related(Kind::Vpc, first.network)
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

// CEN-CIDR-009: on-premises and branch prefixes in 100.64.0.0/10.
fn platform_range_on_premises(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    let mut candidates: Vec<(Kind, &str, &'static str, &str, &str)> = Vec::new();
    for v in &plan.vbrs {
        for c in &v.idc_cidrs {
            candidates.push((Kind::Vbr, &v.id, "idc_cidrs", c, "on-premises prefix behind VBR"));
        }
    }
    for s in &plan.sags {
        for c in &s.cidrs {
            candidates.push((Kind::Sag, &s.id, "cidrs", c, "branch prefix of SAG"));
        }
    }
    for i in &plan.ipsec_connections {
        for c in &i.remote_cidrs {
            candidates.push((Kind::IpsecConnection, &i.id, "remote_cidrs", c, "office prefix of IPsec connection"));
        }
    }
    let platform = platform_range();
    for (kind, id, field, text, what) in candidates {
        let Ok(net) = parse_cidr(text) else { continue };
        // Broad summaries (a default route, /1../7) are not address use; skip them.
        if net.prefix_len() < 8 || !overlaps(&net, &platform) {
            continue;
        }
        out.push(
            Finding::new(
                Code::CenCidr009,
                Severity::Warning,
                kind,
                id,
                format!(
                    "{net}, the {what} {}, overlaps {platform}: VPCs use that range to reach cloud services, so it should not be used on premises",
                    ctx.name(id)
                ),
            )
            .field(field)
            .fix("Renumber the on-premises network out of 100.64.0.0/10, or NAT it to another block before it reaches Alibaba Cloud."),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan};
    use expect_test::expect;

    /// VPC `v` (secondary block 192.168.0.0/24) with vSwitches `s0`, `s1`, ...
    fn vpc(cidr: &str, vswitches: &[&str]) -> Plan {
        let mut p = plan().vpc("v", "cn-hangzhou", cidr).secondary("192.168.0.0/24");
        for (i, c) in vswitches.iter().enumerate() {
            p = p.vswitch(&format!("s{i}"), "v", c);
        }
        p.build()
    }

    #[test]
    fn cidr_001_forbidden_ranges() {
        check_codes(
            &vpc("100.64.0.0/16", &[]),
            &["CEN-CIDR-001"],
            expect![[r#"
                error CEN-CIDR-001 v.cidr: VPC v uses 100.64.0.0/16, which lies in 100.64.0.0/10 (used by the platform for cloud services): a VPC block may not be in that range
                  fix: Use a private block (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) or another block outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16.
            "#]],
        );
        check_codes(
            &vpc("169.254.0.0/16", &[]),
            &["CEN-CIDR-001"],
            expect![[r#"
                error CEN-CIDR-001 v.cidr: VPC v uses 169.254.0.0/16, which lies in 169.254.0.0/16 (link-local): a VPC block may not be in that range
                  fix: Use a private block (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) or another block outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16.
            "#]],
        );
        check_codes(&vpc("10.0.0.0/16", &["10.0.1.0/24"]), &["CEN-CIDR-001"], expect![[""]]);
        check_codes(&vpc("100.128.0.0/16", &[]), &["CEN-CIDR-001"], expect![[""]]);
        // A vSwitch in the forbidden part of a larger block.
        check_codes(
            &vpc("100.0.0.0/8", &["100.64.1.0/24"]),
            &["CEN-CIDR-001"],
            expect![[r#"
                error CEN-CIDR-001 s0.cidr: vSwitch s0 uses 100.64.1.0/24, which lies in 100.64.0.0/10 (used by the platform for cloud services): these addresses cannot be used in a VPC
                  fix: Move the vSwitch to a block outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16.
                  related: v
            "#]],
        );
    }

    #[test]
    fn cidr_002_vpc_masks() {
        check_codes(
            &vpc("10.0.0.0/7", &[]),
            &["CEN-CIDR-002"],
            expect![[r#"
                error CEN-CIDR-002 v.cidr: VPC v block 10.0.0.0/7 has a /7 mask: a VPC block must be /8 to /28
                  fix: Choose a VPC block with a mask from /16 to /28 (/8 to /15 only where the older limits apply).
            "#]],
        );
        check_codes(
            &vpc("10.0.0.0/29", &[]),
            &["CEN-CIDR-002"],
            expect![[r#"
                error CEN-CIDR-002 v.cidr: VPC v block 10.0.0.0/29 has a /29 mask: a VPC block must be /8 to /28
                  fix: Choose a VPC block with a mask from /16 to /28 (/8 to /15 only where the older limits apply).
            "#]],
        );
        check_codes(
            &vpc("11.0.0.0/8", &[]),
            &["CEN-CIDR-002"],
            expect![[r#"
                warning CEN-CIDR-002 v.cidr: VPC v block 11.0.0.0/8 has a /8 mask: older documents accept /8 to /24, but the current console advises the standard private blocks or a /16 to /28 block
                  fix: Use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a block with a mask from /16 to /28, or confirm the console accepts this size.
            "#]],
        );
        check_codes(
            &vpc("10.0.0.0/12", &[]),
            &["CEN-CIDR-002"],
            expect![[r#"
                warning CEN-CIDR-002 v.cidr: VPC v block 10.0.0.0/12 has a /12 mask: older documents accept /8 to /24, but the current console advises the standard private blocks or a /16 to /28 block
                  fix: Use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a block with a mask from /16 to /28, or confirm the console accepts this size.
            "#]],
        );
        // The console's standard blocks are accepted as they are.
        check_codes(&vpc("10.0.0.0/8", &[]), &["CEN-CIDR-002"], expect![[""]]);
        check_codes(&vpc("172.16.0.0/12", &[]), &["CEN-CIDR-002"], expect![[""]]);
        check_codes(&vpc("10.0.0.0/16", &[]), &["CEN-CIDR-002"], expect![[""]]);
        check_codes(&vpc("10.0.0.0/28", &[]), &["CEN-CIDR-002"], expect![[""]]);
    }

    #[test]
    fn cidr_002_vswitch_mask_containment_and_overlap() {
        let p = vpc("10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/29", "192.168.0.0/25"]);
        check_codes(&p, &["CEN-CIDR-002"], expect![[""]]);
        check_codes(
            &vpc("10.0.0.0/16", &["10.0.1.0/30"]),
            &["CEN-CIDR-002"],
            expect![[r#"
                error CEN-CIDR-002 s0.cidr: vSwitch s0 block 10.0.1.0/30 has a /30 mask: a vSwitch block must be /16 to /29
                  fix: Give the vSwitch a block with a mask from /16 to /29.
            "#]],
        );
        check_codes(
            &vpc("10.0.0.0/16", &["10.1.1.0/24"]),
            &["CEN-CIDR-002"],
            expect![[r#"
                error CEN-CIDR-002 s0.cidr: vSwitch s0 block 10.1.1.0/24 is not inside its VPC v (10.0.0.0/16, 192.168.0.0/24)
                  fix: Choose a vSwitch block inside the VPC block, or add a secondary block to the VPC that contains it.
                  related: v
            "#]],
        );
        check_codes(
            &vpc("10.0.0.0/16", &["10.0.0.0/20", "10.0.1.0/24"]),
            &["CEN-CIDR-002"],
            expect![[r#"
                error CEN-CIDR-002 s1.cidr: vSwitch s1 (10.0.1.0/24) overlaps vSwitch s0 (10.0.0.0/20) of the same VPC v: vSwitches of one VPC may not overlap
                  fix: Give each vSwitch of the VPC its own, non-overlapping block.
                  related: s0
            "#]],
        );
    }

    #[test]
    fn cidr_003_small_vswitches() {
        check_codes(
            &vpc("10.0.0.0/16", &["10.0.0.0/29"]),
            &["CEN-CIDR-003"],
            expect![[r#"
                info CEN-CIDR-003 s0.cidr: vSwitch s0 (10.0.0.0/29) has 8 addresses, of which the system reserves 4 (usually the first and the last three): only 4 are usable
                  fix: Make sure 4 addresses are enough for the instances in this vSwitch, or use a larger block (/28 gives 12).
            "#]],
        );
        check_codes(&vpc("10.0.0.0/16", &["10.0.0.0/28"]), &["CEN-CIDR-003"], expect![[""]]);
    }

    fn two_vpcs(cidr_b: &str, sw_b: &str, attach_b: bool) -> Plan {
        plan()
            .cen("c")
            .overlapping()
            .vpc("va", "cn-hangzhou", "172.16.0.0/16")
            .vpc("vb", "cn-hangzhou", cidr_b)
            .vswitch("sa", "va", "172.16.1.0/24")
            .vswitch("sb", "vb", sw_b)
            .attach("t1", "c", "va")
            .when(attach_b, |p| p.attach("t2", "c", "vb"))
            .build()
    }

    #[test]
    fn cidr_008_overlapping_vpc_blocks_with_disjoint_vswitches() {
        check_codes(
            &two_vpcs("172.16.0.0/16", "172.16.2.0/24", true),
            &["CEN-CIDR-008"],
            expect![[r#"
                warning CEN-CIDR-008 vb.cidr: VPCs vb (172.16.0.0/16) and va (172.16.0.0/16) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and theirs do not overlap today, but a vSwitch added later in the shared range will conflict
                  fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
                  related: va, c
            "#]],
        );
        // vSwitches overlap too: the route rules report the collision, 008 the shared block (E9).
        check_codes(
            &two_vpcs("172.16.0.0/16", "172.16.1.0/24", true),
            &["CEN-CIDR-008"],
            expect![[r#"
            warning CEN-CIDR-008 vb.cidr: VPCs vb (172.16.0.0/16) and va (172.16.0.0/16) in CEN c have overlapping VPC blocks; only vSwitch blocks are advertised and some of their vSwitches already collide (see the CEN-CIDR findings on them), and any vSwitch added later in the shared range will too
              fix: Keep future vSwitches of the two VPCs in disjoint ranges (plan the split now), or renumber one VPC so the blocks do not overlap.
              related: va, c
        "#]],
        );
        // Disjoint VPC blocks, or the second VPC not attached.
        check_codes(&two_vpcs("10.0.0.0/16", "10.0.1.0/24", true), &["CEN-CIDR-008"], expect![[""]]);
        check_codes(&two_vpcs("172.16.0.0/16", "172.16.2.0/24", false), &["CEN-CIDR-008"], expect![[""]]);
    }

    #[test]
    fn cidr_009_platform_range_on_premises() {
        let p = |idc: &str, remote: &str| plan().vbr("r", "cn-hangzhou", &[idc]).ipsec("i", "", "", &[], &[remote]).build();
        check_codes(
            &p("100.100.0.0/16", "10.0.0.0/24"),
            &["CEN-CIDR-009"],
            expect![[r#"
                warning CEN-CIDR-009 r.idc_cidrs: 100.100.0.0/16, the on-premises prefix behind VBR r, overlaps 100.64.0.0/10: VPCs use that range to reach cloud services, so it should not be used on premises
                  fix: Renumber the on-premises network out of 100.64.0.0/10, or NAT it to another block before it reaches Alibaba Cloud.
            "#]],
        );
        check_codes(
            &p("10.0.0.0/24", "100.0.0.0/8"),
            &["CEN-CIDR-009"],
            expect![[r#"
                warning CEN-CIDR-009 i.remote_cidrs: 100.0.0.0/8, the office prefix of IPsec connection i, overlaps 100.64.0.0/10: VPCs use that range to reach cloud services, so it should not be used on premises
                  fix: Renumber the on-premises network out of 100.64.0.0/10, or NAT it to another block before it reaches Alibaba Cloud.
            "#]],
        );
        check_codes(&p("10.0.0.0/24", "0.0.0.0/0"), &["CEN-CIDR-009"], expect![[""]]);
        check_codes(&p("100.128.0.0/16", "10.0.0.0/24"), &["CEN-CIDR-009"], expect![[""]]);
    }
}
