//! Attaching networks and cross-account grants (CEN-ATT-*, CEN-XACC-*).
//!
//! Attachments are read in plan order: a network is "attached" when an attachment names it, the
//! attachment date is its `attached_on` or, when that is empty, the plan's "as of" date.

use crate::core::catalog::DOCS_2019_DATE;
use crate::core::cidr::{overlaps, parse_cidr};
use crate::core::date::Date;
use crate::core::facts::{dates, Ctx, Net, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Attachment, Cen, Kind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::collections::BTreeMap;

/// Networks per region per CEN before / from `dates::TEN_NETWORKS_PER_REGION`.
const NETWORKS_PER_REGION_2018: usize = 5;
const NETWORKS_PER_REGION_2019: usize = 10;
/// CEN instances per account.
const CENS_PER_ACCOUNT: usize = 5;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    unsupported_kinds(ctx, out);
    one_cen_per_network(ctx, out);
    networks_per_region(ctx, out);
    cens_per_account(ctx, out);
    peered_networks(ctx, out);
    classiclink(ctx, out);
    vbr_switch_model(ctx, out);
    vpc_without_vswitch(ctx, out);
    cross_account(ctx, out);
    grants(ctx, out);
    dated_after_as_of(ctx, out);
}

// PLAN-DATE-001: a CEN created, or an attachment made, after the plan's "rules as of" date does not
// exist on that date; the facts (`Ctx::not_yet`) leave it out of the routes, and this says so once per entity.
fn dated_after_as_of(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for d in ctx.dated_after_as_of() {
        let (message, fix) = ctx.not_yet_text(&d);
        out.push(
            Finding::new(Code::PlanDate001, Severity::Warning, d.kind, d.id, message)
                .field(d.field)
                .fix(fix),
        );
    }
}

/// The date an attachment takes effect: its own date, or the plan's "as of" date.
fn attached_date(ctx: &Ctx<'_>, a: &Attachment) -> Date {
    Date::parse(&a.attached_on).unwrap_or(ctx.as_of)
}

/// "VPC web", "VBR idc", "CCN branches".
fn describe(ctx: &Ctx<'_>, net: &Net<'_>) -> String {
    format!("{} {}", net.kind.kind().label(), ctx.name(net.id))
}

// CEN-ATT-001: an attachment naming something that lives inside a network (PLAN-REF-002 reports the
// wrong kind in general; this says which network to attach instead).
fn unsupported_kinds(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan;
    let vpc_of_gateway = |gw: &str| plan.vpn_gateways.iter().find(|g| g.id == gw).map(|g| g.vpc.as_str());
    for a in &plan.attachments {
        let Some(kind) = ctx.index.kind_of(&a.network) else { continue };
        let host: Option<&str> = match kind {
            Kind::VpnGateway => vpc_of_gateway(&a.network),
            Kind::VSwitch => plan.vswitches.iter().find(|s| s.id == a.network).map(|s| s.vpc.as_str()),
            Kind::Sag => plan.sags.iter().find(|s| s.id == a.network).map(|s| s.ccn.as_str()),
            Kind::RouteEntry => plan.route_entries.iter().find(|r| r.id == a.network).map(|r| r.network.as_str()),
            Kind::IpsecConnection => plan
                .ipsec_connections
                .iter()
                .find(|c| c.id == a.network)
                .and_then(|c| vpc_of_gateway(&c.vpn_gateway)),
            Kind::CustomerGateway => plan
                .ipsec_connections
                .iter()
                .filter(|c| c.customer_gateway == a.network)
                .find_map(|c| vpc_of_gateway(&c.vpn_gateway)),
            _ => continue,
        };
        let host = host.and_then(|h| ctx.networks.get(h));
        let (through, fix) = match host {
            Some(h) => (
                format!("it is reached through {}", describe(ctx, h)),
                format!("Attach {} to the CEN instead.", describe(ctx, h)),
            ),
            None => (
                "it is reached through the VPC (or, for a branch, the CCN) that hosts it".to_string(),
                "Attach the VPC that hosts it (the CCN for a SAG branch) instead.".to_string(),
            ),
        };
        let mut f = Finding::new(
            Code::CenAtt001,
            Severity::Error,
            Kind::Attachment,
            &a.id,
            format!(
                "CEN {} cannot attach {} {}: only VPCs, VBRs and CCNs are attached, and {through}",
                ctx.name(&a.cen),
                kind.label(),
                ctx.name(&a.network)
            ),
        )
        .field("network")
        .fix(fix)
        .related(kind, &a.network);
        if let Some(h) = host {
            f = f.related(h.kind.kind(), h.id);
        }
        out.push(f);
    }
}

// CEN-ATT-002: a network attached to two CEN instances.
fn one_cen_per_network(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, &Attachment> = HashMap::default();
    for a in ctx.attachments() {
        let Some(net) = ctx.networks.get(a.network.as_str()) else {
            continue;
        };
        let Some(&prev) = first.get(net.id) else {
            first.insert(net.id, a);
            continue;
        };
        if prev.cen == a.cen || ctx.cen(&a.cen).is_none() || ctx.cen(&prev.cen).is_none() {
            continue;
        }
        out.push(
            Finding::new(
                Code::CenAtt002,
                Severity::Error,
                Kind::Attachment,
                &a.id,
                format!(
                    "{} is attached to CEN {} and to CEN {}: a network can be attached to only one CEN instance at a time",
                    describe(ctx, net),
                    ctx.name(&prev.cen),
                    ctx.name(&a.cen)
                ),
            )
            .field("cen")
            .fix(format!(
                "Use one CEN for {}: detach it from CEN {} first (its traffic over that CEN stops), or attach everything to one CEN.",
                ctx.name(net.id),
                ctx.name(&prev.cen)
            ))
            .related(Kind::Attachment, &prev.id)
            .related(Kind::Cen, &prev.cen)
            .related(Kind::Cen, &a.cen)
            .related(net.kind.kind(), net.id),
        );
    }
}

// CEN-ATT-003: attached networks in one region of one CEN above the limit in force.
fn networks_per_region(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (limit, when) = if ctx.as_of < dates::TEN_NETWORKS_PER_REGION {
        (
            NETWORKS_PER_REGION_2018,
            format!(
                "before {} the limit is 5 (8 on request from 2019-01)",
                dates::TEN_NETWORKS_PER_REGION
            ),
        )
    } else {
        (
            NETWORKS_PER_REGION_2019,
            format!("from {} the limit is 10 (15 on request)", dates::TEN_NETWORKS_PER_REGION),
        )
    };
    for cen in ctx.cens() {
        // region → (attachments, in order, one per network)
        let mut per_region: BTreeMap<&str, Vec<(&Attachment, &Net<'_>)>> = BTreeMap::new();
        let mut seen = FxHashSet::default();
        for a in ctx.attachments_of(&cen.id) {
            let Some(net) = ctx.networks.get(a.network.as_str()) else {
                continue;
            };
            let Some(region) = net.region.filter(|r| !r.trim().is_empty()) else {
                continue;
            };
            if seen.insert(net.id) {
                per_region.entry(region).or_default().push((a, net));
            }
        }
        for (region, nets) in per_region {
            if nets.len() <= limit {
                continue;
            }
            let (over, _) = nets[limit];
            let mut f = Finding::new(
                Code::CenAtt003,
                Severity::Warning,
                Kind::Attachment,
                &over.id,
                format!(
                    "CEN {} has {} networks attached in {region}, more than the {limit} allowed per region as of {}: {when}",
                    ctx.name(&cen.id),
                    nets.len(),
                    ctx.as_of
                ),
            )
            .field("cen")
            .fix("Ask for a higher quota by ticket before attaching, spread the networks over fewer VPCs, or use a second CEN.")
            .related(Kind::Cen, &cen.id);
            for (_, n) in &nets {
                f = f.related(n.kind.kind(), n.id);
            }
            out.push(f);
        }
    }
}

// CEN-ATT-004: more CEN instances in one account than the default quota.
fn cens_per_account(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut per_owner: BTreeMap<&str, Vec<&Cen>> = BTreeMap::new();
    for c in ctx.cens() {
        if !c.owner.trim().is_empty() {
            per_owner.entry(c.owner.as_str()).or_default().push(c);
        }
    }
    for (owner, cens) in per_owner {
        if cens.len() <= CENS_PER_ACCOUNT {
            continue;
        }
        let over = cens[CENS_PER_ACCOUNT];
        out.push(
            Finding::new(
                Code::CenAtt004,
                Severity::Warning,
                Kind::Cen,
                &over.id,
                format!(
                    "account {} owns {} CEN instances; the default quota is {CENS_PER_ACCOUNT} per account",
                    ctx.name(owner),
                    cens.len()
                ),
            )
            .field("owner")
            .fix("Raise the CEN quota by ticket, or combine networks into fewer CEN instances.")
            .related(Kind::Account, owner),
        );
    }
}

// CEN-ATT-005: a VPC/VBR with an Express Connect peering attached before peering coexistence.
fn peered_networks(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // The first peering (plan order) of each network.
    let mut first_peering: rustc_hash::FxHashMap<&str, &crate::core::model::Peering> = rustc_hash::FxHashMap::default();
    for p in &ctx.plan.peerings {
        first_peering.entry(p.a.as_str()).or_insert(p);
        first_peering.entry(p.b.as_str()).or_insert(p);
    }
    for a in ctx.attachments() {
        let Some(net) = ctx.networks.get(a.network.as_str()) else {
            continue;
        };
        if net.kind == NetKind::Ccn {
            continue;
        }
        let Some(&peering) = first_peering.get(net.id) else {
            continue;
        };
        let on = attached_date(ctx, a);
        if on >= dates::PEERING_COEXISTENCE {
            continue;
        }
        let date_source = if Date::parse(&a.attached_on).is_ok() {
            format!("attached on {on}")
        } else {
            format!("attached as of the plan date {on}")
        };
        out.push(
            Finding::new(
                Code::CenAtt005,
                Severity::Error,
                Kind::Attachment,
                &a.id,
                format!(
                    "{} has the Express Connect peering connection {} and is {date_source}: before {} a network with a peering connection cannot be attached to CEN {}",
                    describe(ctx, net),
                    ctx.name(&peering.id),
                    dates::PEERING_COEXISTENCE,
                    ctx.name(&a.cen)
                ),
            )
            .field("attached_on")
            .fix(format!(
                "Remove the peering connection (migrate its routes, seed 004) before attaching, or attach on or after {} when peering and CEN may coexist.",
                dates::PEERING_COEXISTENCE
            ))
            .related(Kind::Peering, &peering.id)
            .related(net.kind.kind(), net.id)
            .related(Kind::Cen, &a.cen),
        );
    }
}

// CEN-ATT-006: an attached ClassicLink VPC using 10.0.0.0/8.
fn classiclink(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Ok(ten) = parse_cidr("10.0.0.0/8") else { return };
    for v in ctx.plan.vpcs.iter().filter(|v| v.classiclink) {
        let Some(cen) = ctx.cen_of(&v.id) else { continue };
        let blocks = std::iter::once((&v.cidr, "cidr")).chain(v.secondary_cidrs.iter().map(|c| (c, "secondary_cidrs")));
        for (text, field) in blocks {
            let Ok(net) = parse_cidr(text) else { continue };
            if !overlaps(&net, &ten) {
                continue;
            }
            out.push(
                Finding::new(
                    Code::CenAtt006,
                    Severity::Error,
                    Kind::Vpc,
                    &v.id,
                    format!(
                        "VPC {} has ClassicLink enabled and uses {net}, inside 10.0.0.0/8: a ClassicLink VPC attached to CEN {} must not use 10.0.0.0/8",
                        ctx.name(&v.id),
                        ctx.name(&cen.id)
                    ),
                )
                .field(field)
                .fix("Disable ClassicLink on the VPC, or use a VPC in 172.16.0.0/12 or 192.168.0.0/16.")
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

// CEN-ATT-007: every attached VBR (from 2018-08-01) may be refused because of its switch model.
fn vbr_switch_model(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen = FxHashSet::default();
    for a in ctx.attachments() {
        let Some(net) = ctx.networks.get(a.network.as_str()) else {
            continue;
        };
        if net.kind != NetKind::Vbr || attached_date(ctx, a) < dates::VBR_ISOLATION || !seen.insert(net.id) {
            continue;
        }
        out.push(
            Finding::new(
                Code::CenAtt007,
                Severity::Info,
                Kind::Attachment,
                &a.id,
                format!(
                    "{} is attached to CEN {}: since {} VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell",
                    describe(ctx, net),
                    ctx.name(&a.cen),
                    dates::VBR_ISOLATION
                ),
            )
            .field("network")
            .fix("If the console refuses the VBR, open a ticket to have it enabled.")
            .outside_plan()
            .related(Kind::Vbr, net.id),
        );
    }
}

// CEN-ATT-008: an attached VPC without vSwitches advertises nothing.
fn vpc_without_vswitch(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let with_vswitch: rustc_hash::FxHashSet<&str> = ctx.plan.vswitches.iter().map(|s| s.vpc.as_str()).collect();
    for v in &ctx.plan.vpcs {
        let Some(cen) = ctx.cen_of(&v.id) else { continue };
        if with_vswitch.contains(v.id.as_str()) {
            continue;
        }
        out.push(
            Finding::new(
                Code::CenAtt008,
                Severity::Warning,
                Kind::Vpc,
                &v.id,
                format!(
                    "VPC {} is attached to CEN {} but has no vSwitch: it advertises no route, and the attachment may be refused until the VPC is ready",
                    ctx.name(&v.id),
                    ctx.name(&cen.id)
                ),
            )
            .fix("Create the VPC's vSwitches before attaching it (make the attachment depend on them).")
            .related(Kind::Cen, &cen.id),
        );
    }
}

// CEN-XACC-001 and -002: networks of another account.
fn cross_account(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for a in ctx.attachments() {
        let Some(net) = ctx.networks.get(a.network.as_str()) else {
            continue;
        };
        let Some(cen) = ctx.cen(&a.cen) else { continue };
        if !ctx.cross_account(net.owner, &cen.owner) {
            continue;
        }
        let uid = ctx.uid(&cen.owner).map(str::trim).filter(|u| !u.is_empty());
        let grants = ctx.grants_of(net.id);
        if !ctx.granted(net.id, cen) {
            let mut why = Vec::new();
            for g in grants {
                if g.cen != cen.id {
                    why.push(format!(
                        "grant {} authorises CEN {}, not {}",
                        g.id,
                        ctx.name(&g.cen),
                        ctx.name(&cen.id)
                    ));
                } else {
                    why.push(format!(
                        "grant {} gives the CEN owner UID \"{}\", but CEN {} belongs to account {} with UID {}",
                        g.id,
                        g.cen_owner_uid,
                        ctx.name(&cen.id),
                        ctx.name(&cen.owner),
                        uid.unwrap_or("?")
                    ));
                }
            }
            let why = if why.is_empty() {
                "there is no grant for it".to_string()
            } else {
                why.join("; ")
            };
            let api = if net.kind == NetKind::Ccn {
                "GrantInstanceToCbn, SAG console"
            } else {
                "GrantInstanceToCen, VPC/VBR console \"CEN Cross Account Authorization\""
            };
            let mut f = Finding::new(
                Code::CenXacc001,
                Severity::Error,
                Kind::Attachment,
                &a.id,
                format!(
                    "{} of account {} is attached to CEN {} of account {} without a matching grant: {why}",
                    describe(ctx, net),
                    ctx.name(net.owner),
                    ctx.name(&cen.id),
                    ctx.name(&cen.owner)
                ),
            )
            .field("network")
            .fix(format!(
                "In account {}, grant {} to CEN {} with CEN owner UID {} ({api}), or correct the grant.",
                ctx.name(net.owner),
                net.id,
                cen.id,
                uid.unwrap_or("(the CEN owner's UID)")
            ))
            .related(net.kind.kind(), net.id)
            .related(Kind::Cen, &cen.id);
            for g in grants {
                f = f.related(Kind::Grant, &g.id);
            }
            out.push(f);
        }
        if net.kind == NetKind::Vbr {
            let (severity, when) = if ctx.as_of > DOCS_2019_DATE {
                (
                    Severity::Warning,
                    "on the current platform granting a VBR to a CEN of another account is off by default".to_string(),
                )
            } else {
                (
                    Severity::Info,
                    format!("the {DOCS_2019_DATE} documents allow it, but the current platform turns it off by default"),
                )
            };
            out.push(
                Finding::new(
                    Code::CenXacc002,
                    severity,
                    Kind::Attachment,
                    &a.id,
                    format!(
                        "{} of account {} is attached to CEN {} of account {}: {when}",
                        describe(ctx, net),
                        ctx.name(net.owner),
                        ctx.name(&cen.id),
                        ctx.name(&cen.owner)
                    ),
                )
                .field("network")
                .fix("Attach the VBR to a CEN of its own account, or, outside the plan, ask the account manager to enable cross-account VBR attachment.")
                .related(Kind::Vbr, net.id)
                .related(Kind::Cen, &cen.id),
            );
        }
    }
}

// CEN-XACC-003: every grant, as a security-relevant item.
fn grants(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // The first attachment (plan order) of each network to each CEN.
    let mut first: rustc_hash::FxHashMap<(&str, &str), &crate::core::model::Attachment> = rustc_hash::FxHashMap::default();
    if !ctx.plan.grants.is_empty() {
        for a in ctx.attachments() {
            first.entry((a.network.as_str(), a.cen.as_str())).or_insert(a);
        }
    }
    for g in &ctx.plan.grants {
        let owner = ctx.networks.get(g.network.as_str()).map(|n| n.owner).unwrap_or("");
        let used = first.get(&(g.network.as_str(), g.cen.as_str())).copied();
        let use_note = match used {
            Some(a) => format!("(attachment {} uses it)", a.id),
            None => "although no attachment uses it on the plan's date".to_string(),
        };
        let mut f = Finding::new(
            Code::CenXacc003,
            Severity::Info,
            Kind::Grant,
            &g.id,
            format!(
                "grant {}: account {} lets CEN {} (owner UID {}) attach {} and reach its addresses {use_note}",
                g.id,
                if owner.is_empty() { "?" } else { ctx.name(owner) },
                ctx.name(&g.cen),
                if g.cen_owner_uid.trim().is_empty() { "?" } else { &g.cen_owner_uid },
                ctx.name(&g.network)
            ),
        )
        .field("cen")
        .fix(if used.is_some() {
            "Keep grants only for the CENs meant to reach the network; review them with the security owner."
        } else {
            "Revoke the grant (RevokeInstanceFromCen) if the CEN is not meant to attach the network."
        })
        .related(Kind::Cen, &g.cen);
        if let Some(kind) = ctx.index.kind_of(&g.network) {
            f = f.related(kind, &g.network);
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, codes_of, plan, PlanBuilder};
    use expect_test::expect;

    /// A CEN created on `created` with VPC v1 attached on `attached`, checked as of 2019-09-19.
    fn dated(created: &str, attached: &str) -> Plan {
        plan()
            .as_of("2019-09-19")
            .cen("c")
            .with(|p| p.cens[0].created_on = created.into())
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.0.0/24")
            .attach("t", "c", "v1")
            .with(|p| p.attachments[0].attached_on = attached.into())
            .build()
    }

    #[test]
    fn an_attachment_dated_after_the_plans_date_is_left_out_of_the_routes() {
        check_codes(
            &dated("", "2019-09-20"),
            &["PLAN-DATE-001"],
            expect![[r#"
            warning PLAN-DATE-001 t.attached_on: The attachment of VPC v1 to CEN c is dated 2019-09-20, after the date the plan is checked as of (2019-09-19): it is left out of the routes until then
              fix: Change its date or the plan's 'rules as of' date.
        "#]],
        );
    }

    #[test]
    fn a_cen_created_after_the_plans_date_is_one_finding_and_so_is_each_later_attachment() {
        check_codes(
            &dated("2019-10-01", ""),
            &["PLAN-DATE-001"],
            expect![[r#"
            warning PLAN-DATE-001 c.created_on: CEN instance c is dated 2019-10-01, after the date the plan is checked as of (2019-09-19): it is left out of the routes until then
              fix: Change its date or the plan's 'rules as of' date.
        "#]],
        );
        check_codes(
            &dated("2019-10-01", "2019-10-02"),
            &["PLAN-DATE-001"],
            expect![[r#"
            warning PLAN-DATE-001 c.created_on: CEN instance c is dated 2019-10-01, after the date the plan is checked as of (2019-09-19): it is left out of the routes until then
              fix: Change its date or the plan's 'rules as of' date.
            warning PLAN-DATE-001 t.attached_on: The attachment of VPC v1 to CEN c is dated 2019-10-02, after the date the plan is checked as of (2019-09-19): it is left out of the routes until then
              fix: Change its date or the plan's 'rules as of' date.
        "#]],
        );
    }

    #[test]
    fn entities_dated_on_or_before_the_plans_date_or_undated_are_not_dated_after_it() {
        for (created, attached) in [
            ("2019-09-19", "2019-09-19"),
            ("2019-01-01", "2019-02-01"),
            ("", ""),
            ("", "not a date"),
        ] {
            check_codes(&dated(created, attached), &["PLAN-DATE-001"], expect![[""]]);
        }
    }

    /// The codes of every finding except PLAN-DATE-001 and the plan-wide reminders (PLAN-FLOW-001, CEN-SG-001).
    fn other_codes(p: &Plan) -> Vec<&'static str> {
        crate::core::testing::codes(p)
            .into_iter()
            .filter(|c| !matches!(*c, "PLAN-DATE-001" | "PLAN-FLOW-001" | "CEN-SG-001"))
            .collect()
    }

    /// One rule of each family that reads "the CEN of a network" (`Ctx::cen_of`) or the attachments
    /// (`Ctx::attachments`): an attachment dated after the plan's date is not there for them, so only
    /// PLAN-DATE-001 speaks of it; dated on the plan's date, the rule fires.
    #[test]
    fn an_attachment_dated_after_the_plans_date_is_reported_by_plan_date_001_only() {
        // ClassicLink (CEN-ATT-006) and peering (CEN-PEER-003): VPC v1 in 10.0.0.0/8, peered with v2.
        let classic = |attached: &str| {
            plan()
                .as_of("2019-09-19")
                .cen("c")
                .overlapping()
                .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
                .classiclink()
                .vswitch("s1", "v1", "10.1.0.0/24")
                .vpc("v2", "cn-hangzhou", "172.16.0.0/16")
                .vswitch("s2", "v2", "172.16.0.0/24")
                .peering("pc", "v1", "v2")
                .attach("t", "c", "v1")
                .attached_on(attached)
                .build()
        };
        assert_eq!(other_codes(&classic("2019-09-19")), ["CEN-ATT-006", "CEN-PEER-003"]);
        assert_eq!(other_codes(&classic("2019-09-20")), Vec::<&str>::new());
        assert_eq!(codes_of(&classic("2019-09-20"), "PLAN-DATE-001"), ["PLAN-DATE-001"]);
        // One CEN per network (CEN-ATT-002): v1 attached to c, and to c2 later.
        let two = |second: &str| {
            plan()
                .as_of("2019-09-19")
                .cen("c")
                .cen("c2")
                .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
                .vswitch("s1", "v1", "172.16.0.0/24")
                .attach("t1", "c", "v1")
                .attach("t2", "c2", "v1")
                .attached_on(second)
                .build()
        };
        assert_eq!(other_codes(&two("2019-09-01")), ["CEN-ATT-002"]);
        assert_eq!(other_codes(&two("2019-10-01")), Vec::<&str>::new());
        // The CEN of the network is the one it is attached to on the plan's date, even when a later
        // attachment comes first in the plan.
        let later_first = plan()
            .as_of("2019-09-19")
            .cen("c")
            .cen("c2")
            .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
            .attach("t2", "c2", "v1")
            .attached_on("2019-10-01")
            .attach("t1", "c", "v1")
            .build();
        check_codes(
            &later_first,
            &["CEN-ATT-008"],
            expect![[r#"
                warning CEN-ATT-008 v1: VPC v1 is attached to CEN c but has no vSwitch: it advertises no route, and the attachment may be refused until the VPC is ready
                  fix: Create the VPC's vSwitches before attaching it (make the attachment depend on them).
                  related: c
            "#]],
        );
    }

    /// A CEN created after the plan's date is not there for the rules about CENs (edition: CEN-ED-002,
    /// the overlapping-routes switch before its release); created on the plan's date, they speak of it.
    #[test]
    fn a_cen_created_after_the_plans_date_is_reported_by_plan_date_001_only() {
        let cen = |created: &str| {
            plan()
                .as_of("2018-09-01")
                .cen("c")
                .overlapping()
                .created_on(created)
                .vpc("v1", "cn-hangzhou", "172.16.0.0/16")
                .vswitch("s1", "v1", "172.16.0.0/24")
                .attach("t", "c", "v1")
                .build()
        };
        assert_eq!(other_codes(&cen("2018-09-01")), ["CEN-ED-002"]);
        assert_eq!(other_codes(&cen("2018-09-02")), Vec::<&str>::new());
        assert_eq!(codes_of(&cen("2018-09-02"), "PLAN-DATE-001"), ["PLAN-DATE-001"]);
    }

    /// Accounts `a` (UID 111) and `b` (UID 222), CENs `c` and `c2` of `a`, VPC `v1` with vSwitch `s1`.
    fn base() -> PlanBuilder {
        plan()
            .as_of("2019-09-19")
            .account("a", "111")
            .account("b", "222")
            .cen("c")
            .cen("c2")
            .vpc("v1", "cn-hangzhou", "192.168.0.0/16")
            .vswitch("s1", "v1", "192.168.1.0/24")
    }

    #[test]
    fn att_001_vpn_gateway_attached_names_its_vpc() {
        let p = base().vpn_gateway("gw", "v1").attach("t", "c", "gw").build();
        check_codes(
            &p,
            &["CEN-ATT-001"],
            expect![[r#"
                error CEN-ATT-001 t.network: CEN c cannot attach VPN gateway gw: only VPCs, VBRs and CCNs are attached, and it is reached through VPC v1
                  fix: Attach VPC v1 to the CEN instead.
                  related: gw, v1
            "#]],
        );
        let ok = base().attach("t", "c", "v1").build();
        check_codes(&ok, &["CEN-ATT-001"], expect![[""]]);
        // A reference to a CEN is plain PLAN-REF-002, not ATT-001.
        let cen = base().attach("t", "c", "c2").build();
        check_codes(&cen, &["CEN-ATT-001"], expect![[""]]);
    }

    #[test]
    fn att_002_network_in_two_cens() {
        let p = base().attach("t1", "c", "v1").attach("t2", "c2", "v1").build();
        check_codes(
            &p,
            &["CEN-ATT-002"],
            expect![[r#"
                error CEN-ATT-002 t2.cen: VPC v1 is attached to CEN c and to CEN c2: a network can be attached to only one CEN instance at a time
                  fix: Use one CEN for v1: detach it from CEN c first (its traffic over that CEN stops), or attach everything to one CEN.
                  related: t1, c, c2, v1
            "#]],
        );
        let ok = base().attach("t1", "c", "v1").build();
        check_codes(&ok, &["CEN-ATT-002"], expect![[""]]);
    }

    fn many_vpcs(n: usize, as_of: &str) -> Plan {
        let mut p = plan().as_of(as_of).cen("c");
        for i in 0..n {
            p = p.vpc(&format!("v{i}"), "cn-hangzhou", &format!("10.{i}.0.0/16"));
        }
        for i in 0..n {
            p = p.attach(&format!("t{i}"), "c", &format!("v{i}"));
        }
        p.build()
    }

    #[test]
    fn att_003_limit_depends_on_the_date() {
        check_codes(
            &many_vpcs(6, "2018-12-01"),
            &["CEN-ATT-003"],
            expect![[r#"
                warning CEN-ATT-003 t5.cen: CEN c has 6 networks attached in cn-hangzhou, more than the 5 allowed per region as of 2018-12-01: before 2019-04-01 the limit is 5 (8 on request from 2019-01)
                  fix: Ask for a higher quota by ticket before attaching, spread the networks over fewer VPCs, or use a second CEN.
                  related: c, v0, v1, v2, v3, v4, v5
            "#]],
        );
        check_codes(&many_vpcs(6, "2019-09-19"), &["CEN-ATT-003"], expect![[""]]);
        check_codes(
            &many_vpcs(11, "2019-09-19"),
            &["CEN-ATT-003"],
            expect![[r#"
                warning CEN-ATT-003 t10.cen: CEN c has 11 networks attached in cn-hangzhou, more than the 10 allowed per region as of 2019-09-19: from 2019-04-01 the limit is 10 (15 on request)
                  fix: Ask for a higher quota by ticket before attaching, spread the networks over fewer VPCs, or use a second CEN.
                  related: c, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10
            "#]],
        );
        check_codes(&many_vpcs(5, "2018-12-01"), &["CEN-ATT-003"], expect![[""]]);
    }

    #[test]
    fn att_004_six_cens_in_one_account() {
        let cens = |n: usize| (0..n).fold(plan(), |p, i| p.cen(&format!("c{i}"))).build();
        check_codes(
            &cens(6),
            &["CEN-ATT-004"],
            expect![[r#"
                warning CEN-ATT-004 c5.owner: account a owns 6 CEN instances; the default quota is 5 per account
                  fix: Raise the CEN quota by ticket, or combine networks into fewer CEN instances.
                  related: a
            "#]],
        );
        check_codes(&cens(5), &["CEN-ATT-004"], expect![[""]]);
    }

    fn peered(as_of: &str, attached_on: &str) -> Plan {
        plan()
            .as_of(as_of)
            .cen("c")
            .vpc("v1", "cn-hangzhou", "192.168.0.0/16")
            .vpc("v2", "cn-shanghai", "172.16.0.0/16")
            .peering("p", "v1", "v2")
            .attach("t", "c", "v1")
            .attached_on(attached_on)
            .build()
    }

    #[test]
    fn att_005_peered_network_before_coexistence() {
        check_codes(
            &peered("2019-09-19", "2019-06-01"),
            &["CEN-ATT-005"],
            expect![[r#"
                error CEN-ATT-005 t.attached_on: VPC v1 has the Express Connect peering connection p and is attached on 2019-06-01: before 2019-06-25 a network with a peering connection cannot be attached to CEN c
                  fix: Remove the peering connection (migrate its routes, seed 004) before attaching, or attach on or after 2019-06-25 when peering and CEN may coexist.
                  related: p, v1, c
            "#]],
        );
        check_codes(
            &peered("2019-01-01", ""),
            &["CEN-ATT-005"],
            expect![[r#"
                error CEN-ATT-005 t.attached_on: VPC v1 has the Express Connect peering connection p and is attached as of the plan date 2019-01-01: before 2019-06-25 a network with a peering connection cannot be attached to CEN c
                  fix: Remove the peering connection (migrate its routes, seed 004) before attaching, or attach on or after 2019-06-25 when peering and CEN may coexist.
                  related: p, v1, c
            "#]],
        );
        check_codes(&peered("2019-09-19", "2019-07-01"), &["CEN-ATT-005"], expect![[""]]);
        check_codes(&peered("2019-09-19", ""), &["CEN-ATT-005"], expect![[""]]);
    }

    fn classic(cidr: &str, classiclink: bool) -> Plan {
        plan()
            .cen("c")
            .vpc("v", "cn-hangzhou", cidr)
            .when(classiclink, |p| p.classiclink())
            .vswitch("s", "v", cidr)
            .attach("t", "c", "v")
            .build()
    }

    #[test]
    fn att_006_classiclink_in_ten_slash_eight() {
        check_codes(
            &classic("10.1.0.0/16", true),
            &["CEN-ATT-006"],
            expect![[r#"
                error CEN-ATT-006 v.cidr: VPC v has ClassicLink enabled and uses 10.1.0.0/16, inside 10.0.0.0/8: a ClassicLink VPC attached to CEN c must not use 10.0.0.0/8
                  fix: Disable ClassicLink on the VPC, or use a VPC in 172.16.0.0/12 or 192.168.0.0/16.
                  related: c
            "#]],
        );
        check_codes(&classic("172.16.0.0/16", true), &["CEN-ATT-006"], expect![[""]]);
        check_codes(&classic("10.1.0.0/16", false), &["CEN-ATT-006"], expect![[""]]);
    }

    #[test]
    fn att_007_attached_vbr_is_info() {
        let p = plan()
            .cen("c")
            .vbr("r", "cn-hangzhou", &[])
            .vbr("r2", "cn-hangzhou", &[])
            .attach("t", "c", "r")
            .build();
        check_codes(
            &p,
            &["CEN-ATT-007"],
            expect![[r#"
                info CEN-ATT-007 t.network: VBR r is attached to CEN c: since 2018-08-01 VBRs on some Alibaba-side switch models are refused by default, which the plan cannot tell
                  fix: outside the plan: If the console refuses the VBR, open a ticket to have it enabled.
                  related: r
            "#]],
        );
        check_codes(&classic("172.16.0.0/16", false), &["CEN-ATT-007"], expect![[""]]);
    }

    #[test]
    fn att_008_vpc_without_vswitch() {
        let p = plan()
            .cen("c")
            .vpc("v", "cn-hangzhou", "192.168.0.0/16")
            .attach("t", "c", "v")
            .build();
        check_codes(
            &p,
            &["CEN-ATT-008"],
            expect![[r#"
                warning CEN-ATT-008 v: VPC v is attached to CEN c but has no vSwitch: it advertises no route, and the attachment may be refused until the VPC is ready
                  fix: Create the VPC's vSwitches before attaching it (make the attachment depend on them).
                  related: c
            "#]],
        );
        check_codes(&classic("172.16.0.0/16", false), &["CEN-ATT-008"], expect![[""]]);
    }

    /// VPC `v` and VBR `r` of account `b` (UID 222); CENs `c` and `c2` of account `a` (UID 111); `network` attached to `c`.
    fn xacc(network: &str) -> PlanBuilder {
        plan()
            .account("a", "111")
            .account("b", "222")
            .cen("c")
            .cen("c2")
            .vpc("v", "cn-hangzhou", "192.168.0.0/16")
            .owner("b")
            .vswitch("s", "v", "192.168.1.0/24")
            .vbr("r", "cn-hangzhou", &[])
            .owner("b")
            .attach("t", "c", network)
    }

    #[test]
    fn xacc_001_needs_a_grant_for_this_cen_and_uid() {
        check_codes(
            &xacc("v").build(),
            &["CEN-XACC-001"],
            expect![[r#"
                error CEN-XACC-001 t.network: VPC v of account b is attached to CEN c of account a without a matching grant: there is no grant for it
                  fix: In account b, grant v to CEN c with CEN owner UID 111 (GrantInstanceToCen, VPC/VBR console "CEN Cross Account Authorization"), or correct the grant.
                  related: v, c
            "#]],
        );
        let other_cen = xacc("v").grant("g", "v", "c2", "111").build();
        check_codes(
            &other_cen,
            &["CEN-XACC-001"],
            expect![[r#"
                error CEN-XACC-001 t.network: VPC v of account b is attached to CEN c of account a without a matching grant: grant g authorises CEN c2, not c
                  fix: In account b, grant v to CEN c with CEN owner UID 111 (GrantInstanceToCen, VPC/VBR console "CEN Cross Account Authorization"), or correct the grant.
                  related: v, c, g
            "#]],
        );
        let wrong_uid = xacc("v").grant("g", "v", "c", "222").build();
        check_codes(
            &wrong_uid,
            &["CEN-XACC-001"],
            expect![[r#"
                error CEN-XACC-001 t.network: VPC v of account b is attached to CEN c of account a without a matching grant: grant g gives the CEN owner UID "222", but CEN c belongs to account a with UID 111
                  fix: In account b, grant v to CEN c with CEN owner UID 111 (GrantInstanceToCen, VPC/VBR console "CEN Cross Account Authorization"), or correct the grant.
                  related: v, c, g
            "#]],
        );
        let granted = xacc("v").grant("g", "v", "c", "111").build();
        check_codes(&granted, &["CEN-XACC-001"], expect![[""]]);
        // Same account: no grant needed.
        check_codes(&classic("172.16.0.0/16", false), &["CEN-XACC-001"], expect![[""]]);
    }

    #[test]
    fn xacc_002_cross_account_vbr() {
        let p = xacc("r").grant("g", "r", "c", "111").build();
        check_codes(
            &p,
            &["CEN-XACC-002"],
            expect![[r#"
                info CEN-XACC-002 t.network: VBR r of account b is attached to CEN c of account a: the 2019-09-19 documents allow it, but the current platform turns it off by default
                  fix: Attach the VBR to a CEN of its own account, or, outside the plan, ask the account manager to enable cross-account VBR attachment.
                  related: r, c
            "#]],
        );
        let later = xacc("r").grant("g", "r", "c", "111").as_of("2023-01-01").build();
        check_codes(
            &later,
            &["CEN-XACC-002"],
            expect![[r#"
                warning CEN-XACC-002 t.network: VBR r of account b is attached to CEN c of account a: on the current platform granting a VBR to a CEN of another account is off by default
                  fix: Attach the VBR to a CEN of its own account, or, outside the plan, ask the account manager to enable cross-account VBR attachment.
                  related: r, c
            "#]],
        );
        let vpc = xacc("v").grant("g", "r", "c", "111").build();
        check_codes(&vpc, &["CEN-XACC-002"], expect![[""]]);
    }

    #[test]
    fn xacc_003_every_grant_is_listed() {
        let p = xacc("v").grant("g", "v", "c", "111").build();
        check_codes(
            &p,
            &["CEN-XACC-003"],
            expect![[r#"
                info CEN-XACC-003 g.cen: grant g: account b lets CEN c (owner UID 111) attach v and reach its addresses (attachment t uses it)
                  fix: Keep grants only for the CENs meant to reach the network; review them with the security owner.
                  related: c, v
            "#]],
        );
        check_codes(&xacc("v").build(), &["CEN-XACC-003"], expect![[""]]);
    }
}
