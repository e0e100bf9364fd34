//! Plan integrity: every field parses and every reference points at an entity of the right kind.
//!
//! Uses the same parsers as the forms (`fields::parse_field`), so what a form refuses is exactly what
//! is reported here for a plan that came from a file.

use crate::core::cidr::parse_cidr;
use crate::core::fields::{self as specs, FieldType};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Entity, Index, Kind, Plan};
use fields::{Reader, Val};
use serde_json::Value;

mod fields;

pub(super) fn check(ctx: &super::Ctx<'_>, out: &mut Vec<Finding>) {
    if crate::core::date::Date::parse(&ctx.plan.settings.as_of).is_err() {
        out.push(
            Finding::plan(
                Code::PlanValue001,
                Severity::Error,
                format!("the plan's \"as of\" date is not a date: {}", ctx.plan.settings.as_of),
            )
            .fix(format!(
                "Set the plan date as YYYY-MM-DD (the seeds' documents are as of {}).",
                crate::core::catalog::DOCS_2019_DATE
            )),
        );
    }
    let (plan, index) = (ctx.plan, &ctx.index);
    let mut reader = Reader::default();
    for &kind in Kind::ALL {
        crate::with_list!(plan, kind, |list| {
            for e in list.iter() {
                // Read without a JSON value; an entity with a nested field goes through JSON.
                if reader.read(e) || from_json(kind, e, &mut reader) {
                    check_entity(plan, index, kind, e.id(), &reader, out);
                }
            }
        });
    }
    uid_needed(plan, index, out);
    // The lines of a site name VBRs or SAG branches; a site needs at least one.
    if let Some(lines) = specs::spec(Kind::Site, "lines") {
        for site in &plan.sites {
            let describe = || format!("{} {}", Kind::Site.label(), plan.display_name(index, &site.id));
            if site.lines.is_empty() {
                out.push(required(Kind::Site, &site.id, lines.key, &describe(), lines.label));
            }
            for line in &site.lines {
                out.extend(reference(
                    index,
                    Kind::Site,
                    &site.id,
                    lines,
                    specs::LINE_KINDS,
                    &line.via,
                    &describe,
                ));
            }
        }
    }
    // A next hop that names an entity (a VPN gateway, a peering connection) is a reference too.
    for r in &plan.route_entries {
        if let Some((code, message, fix)) = next_hop_fit(plan, index, r) {
            out.push(
                Finding::new(
                    code,
                    Severity::Error,
                    Kind::RouteEntry,
                    &r.id,
                    format!("Route entry {}: Next hop: {message}", plan.display_name(index, &r.id)),
                )
                .field("next_hop")
                .fix(fix),
            );
            continue;
        }
        let Err(e) = specs::check_next_hop(plan, index, &r.network, r.next_hop_type, &r.next_hop) else {
            continue;
        };
        let code = match e {
            specs::NextHopError::Missing(_) => Code::PlanRef001,
            specs::NextHopError::Mismatch(_) => Code::PlanRef002,
        };
        let plural = specs::next_hop_kind(r.next_hop_type).map_or("", |k| k.plural());
        out.push(
            Finding::new(
                code,
                Severity::Error,
                Kind::RouteEntry,
                &r.id,
                format!("Route entry {}: Next hop: {}", plan.display_name(index, &r.id), e.message()),
            )
            .field("next_hop")
            .fix(format!(
                "Pick the next hop among {}'s {plural}, or change the next hop type.",
                plan.display_name(index, &r.network)
            )),
        );
    }
}

/// An account's UID is asked for only where a rule reads it: a grant names a CEN of the account, and
/// CEN-XACC-001 compares the grant's CEN owner UID with it.
fn uid_needed(plan: &Plan, index: &Index, out: &mut Vec<Finding>) {
    let mut asked: Vec<&str> = Vec::new();
    for g in &plan.grants {
        let Some(cen) = plan.cens.iter().find(|c| c.id == g.cen) else {
            continue;
        };
        let Some(account) = plan.accounts.iter().find(|a| a.id == cen.owner) else {
            continue;
        };
        if !account.uid.trim().is_empty() || asked.contains(&account.id.as_str()) {
            continue;
        }
        asked.push(&account.id);
        let name = plan.display_name(index, &account.id);
        out.push(
            Finding::new(
                Code::PlanReq001,
                Severity::Warning,
                Kind::Account,
                &account.id,
                format!(
                    "Account {name}: Account UID is empty, but grant {} authorises CEN {} of this account: \
                     the grant's CEN owner UID cannot be checked",
                    g.id,
                    plan.display_name(index, &cen.id)
                ),
            )
            .field("uid")
            .fix(format!("Fill in the numeric account UID of {name}."))
            .related(Kind::Grant, &g.id)
            .related(Kind::Cen, &cen.id),
        );
    }
}

/// Whether a route entry's next hop fits its network (the references themselves are `check_next_hop`'s):
/// a next hop that is not a gateway, peering or instance of that network is an error. An on-premises
/// next hop belongs to a VBR; a VBR has no VPN gateway or instances; an instance next hop must not name
/// an entity of the plan that is not one; a next hop that needs a name must have one.
fn next_hop_fit(plan: &Plan, index: &Index, r: &crate::core::model::RouteEntry) -> Option<(Code, String, String)> {
    use crate::core::model::NextHopType as T;
    let network = index.kind_of(&r.network)?;
    let net_name = plan.display_name(index, &r.network);
    let hop = r.next_hop.trim();
    let instance = matches!(r.next_hop_type, T::Ecs | T::HaVip | T::NatGateway);
    match (network, r.next_hop_type) {
        (Kind::Vpc, T::Idc) => Some((
            Code::PlanRef002,
            format!("{net_name} is a VPC: a route toward the on-premises data centre belongs to a VBR's table"),
            format!("In {net_name}, send the prefix to a VPN gateway, peering connection or instance, or move the route to the VBR."),
        )),
        (Kind::Vbr, T::VpnGateway) | (Kind::Vbr, T::Ecs) | (Kind::Vbr, T::HaVip) | (Kind::Vbr, T::NatGateway) => Some((
            Code::PlanRef002,
            format!("{net_name} is a VBR, which has no VPN gateways or instances: its routes go to the data centre or over a peering connection"),
            "Change the next hop type to on-premises or peering, or move the route to the VPC that holds the gateway or instance.".into(),
        )),
        _ if hop.is_empty() && r.next_hop_type != T::Idc => Some((
            Code::PlanReq001,
            format!("the next hop is empty: a route of this type names its {}", if instance { "instance" } else { "gateway or peering connection" }),
            "Fill in the next hop.".into(),
        )),
        _ if instance => index.kind_of(hop).map(|k| {
            (
                Code::PlanRef002,
                format!("{} is a {} of the plan, not an instance of {net_name}", plan.display_name(index, hop), k.label()),
                "Name the instance (its instance id), or choose the next hop type of that entity.".into(),
            )
        }),
        _ => None,
    }
}

/// Reads the fields the checks read from an entity's JSON; `false` when it is not a JSON object.
fn from_json<T: serde::Serialize>(kind: Kind, entity: &T, reader: &mut Reader) -> bool {
    let Ok(Value::Object(obj)) = serde_json::to_value(entity) else {
        return false;
    };
    reader.read_json(&obj, specs::specs(kind).iter().map(|s| s.key));
    true
}

fn check_entity(plan: &Plan, index: &Index, kind: Kind, id: &str, values: &Reader, out: &mut Vec<Finding>) {
    // The entity's description is written only when a finding needs it.
    let describe = || format!("{} {}", kind.label(), plan.display_name(index, id));
    for spec in specs::specs(kind) {
        let value = values.get(spec.key);
        match (spec.ty, value.as_ref()) {
            (FieldType::Cidr, Some(Val::Str(t))) if !t.trim().is_empty() => {
                if let Err(e) = parse_cidr(t) {
                    out.push(cidr_finding(kind, id, spec.key, &describe(), spec.label, &e));
                }
            }
            (FieldType::CidrList, Some(Val::List(items))) => {
                for &t in items.iter().flatten() {
                    if let Err(e) = parse_cidr(t) {
                        out.push(cidr_finding(kind, id, spec.key, &describe(), spec.label, &e));
                    }
                }
                if items.is_empty() && spec.required {
                    out.push(required(kind, id, spec.key, &describe(), spec.label));
                }
            }
            (FieldType::Ref(kinds) | FieldType::OptRef(kinds), Some(Val::Str(t))) if !t.trim().is_empty() => {
                out.extend(reference(index, kind, id, spec, kinds, t, &describe));
            }
            (FieldType::RefList(kinds), Some(Val::List(items))) => {
                for &t in items.iter().flatten() {
                    out.extend(reference(index, kind, id, spec, kinds, t, &describe));
                }
            }
            (FieldType::Ip | FieldType::Date | FieldType::Uid | FieldType::Region, Some(Val::Str(t))) if !t.trim().is_empty() => {
                // Regions unknown to the catalog are CEN-AREA-001 (see `area`), not a syntax error.
                if spec.ty == FieldType::Region {
                    continue;
                }
                if let Err(e) = specs::parse_field(plan, index, spec, t) {
                    out.push(
                        Finding::new(
                            Code::PlanValue001,
                            Severity::Error,
                            kind,
                            id,
                            format!("{}: {} {e}", describe(), spec.label),
                        )
                        .field(spec.key)
                        .fix(format!("Correct {}.", spec.label)),
                    );
                }
            }
            (
                FieldType::Text
                | FieldType::Bool
                | FieldType::Mbps
                | FieldType::TextList
                | FieldType::Area
                | FieldType::CcnArea
                | FieldType::Choice(_)
                | FieldType::RegionId
                | FieldType::Number
                | FieldType::OptNumber
                | FieldType::RefList(_)
                | FieldType::SiteLines,
                _,
            ) => {}
            (_, v) => {
                let empty = match v {
                    None | Some(Val::Null) => true,
                    Some(Val::Str(s)) => s.trim().is_empty(),
                    _ => false,
                };
                if empty && spec.required {
                    out.push(required(kind, id, spec.key, &describe(), spec.label));
                }
            }
        }
    }
}

/// The finding of a reference `t` in field `spec` that names no entity, or one of another kind.
fn reference(
    index: &Index,
    kind: Kind,
    id: &str,
    spec: &specs::FieldSpec,
    kinds: &[Kind],
    t: &str,
    describe: &dyn Fn() -> String,
) -> Option<Finding> {
    let wanted = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
    match index.kind_of(t) {
        Some(actual) if kinds.contains(&actual) => None,
        Some(actual) => Some(
            Finding::new(
                Code::PlanRef002,
                Severity::Error,
                kind,
                id,
                format!(
                    "{}: {} points at {t}, which is a {}, not a {wanted}",
                    describe(),
                    spec.label,
                    actual.label()
                ),
            )
            .field(spec.key)
            .fix(format!("Choose a {wanted} for {}.", spec.label)),
        ),
        None => Some(
            Finding::new(
                Code::PlanRef001,
                Severity::Error,
                kind,
                id,
                format!("{}: {} points at \"{t}\", but no {wanted} has that id", describe(), spec.label),
            )
            .field(spec.key)
            .fix(format!("Choose an existing {wanted}, or add the missing one.")),
        ),
    }
}

fn cidr_finding(kind: Kind, id: &str, key: &'static str, what: &str, label: &str, error: &str) -> Finding {
    Finding::new(
        Code::PlanCidr001,
        Severity::Error,
        kind,
        id,
        format!("{what}: {label} is not a valid CIDR block: {error}"),
    )
    .field(key)
    .fix(format!("Correct {label} (address/length, for example 192.168.1.0/24)."))
}

fn required(kind: Kind, id: &str, key: &'static str, what: &str, label: &str) -> Finding {
    Finding::new(Code::PlanReq001, Severity::Error, kind, id, format!("{what}: {label} is empty"))
        .field(key)
        .fix(format!("Fill in {label}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{check, check_codes, plan};

    /// The field reader sees every field the checks read exactly as the entity's JSON has it.
    #[test]
    fn the_field_reader_agrees_with_the_json_of_every_entity() {
        let mut plans: Vec<Plan> = crate::core::examples::EXAMPLES
            .iter()
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .collect();
        plans.push(crate::core::generate::generate(&crate::core::generate::GenOptions::typical()));
        let mut seen = 0;
        for plan in &plans {
            for &kind in Kind::ALL {
                crate::with_list!(plan, kind, |list| {
                    for e in list.iter() {
                        let mut read = Reader::default();
                        // A site's lines are nested: the checks read a site through JSON.
                        let flat = read.read(e);
                        if kind == Kind::Site && !flat {
                            continue;
                        }
                        assert!(flat, "no nested field");
                        let mut expected = Reader::default();
                        assert!(from_json(kind, e, &mut expected));
                        for key in expected.keys() {
                            assert_eq!(read.get(key), expected.get(key), "{} {} {key}", kind.label(), e.id());
                        }
                        seen += 1;
                    }
                });
            }
        }
        assert!(seen > 800, "{seen}");
    }
    use expect_test::expect;

    #[test]
    fn site_lines_and_route_map_references_must_name_entities_of_the_right_kind() {
        let p = plan()
            .cen("c")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .vbr("b", "cn-hangzhou", &["10.1.0.0/16"])
            .site("dc", &["10.1.0.0/16"], &["b", "v", "gone"])
            .site("empty", &[], &[])
            .route_map("m", "c", "cn-hangzhou", 10)
            .matching(&["b", "nope"], &["c"])
            .build();
        check_codes(
            &p,
            &["PLAN-"],
            expect![[r#"
            error PLAN-REF-001 dc.lines: Site dc: Lines points at "gone", but no VBR or SAG branch has that id
              fix: Choose an existing VBR or SAG branch, or add the missing one.
            error PLAN-REF-001 m.source_networks: Route map m: Source networks points at "nope", but no VPC or VBR or CCN has that id
              fix: Choose an existing VPC or VBR or CCN, or add the missing one.
            error PLAN-REF-002 dc.lines: Site dc: Lines points at v, which is a VPC, not a VBR or SAG branch
              fix: Choose a VBR or SAG branch for Lines.
            error PLAN-REF-002 m.destination_networks: Route map m: Destination networks points at c, which is a CEN instance, not a VPC or VBR or CCN
              fix: Choose a VPC or VBR or CCN for Destination networks.
            error PLAN-REQ-001 empty.lines: Site empty: Lines is empty
              fix: Fill in Lines.
        "#]],
        );
        let fine = plan()
            .cen("c")
            .vbr("b", "cn-hangzhou", &["10.1.0.0/16"])
            .site("dc", &["10.1.0.0/16"], &["b"])
            .route_map("m", "c", "cn-hangzhou", 10)
            .matching(&["b"], &[])
            .build();
        check_codes(&fine, &["PLAN-"], expect![[""]]);
    }

    #[test]
    fn a_bad_cidr_is_reported_on_its_field() {
        let p = plan().vpc("v", "cn-hangzhou", "10.0.0.1/8").build();
        check(
            &p,
            expect![[r#"
                error PLAN-CIDR-001 v.cidr: VPC v: IPv4 CIDR block is not a valid CIDR block: "10.0.0.1/8" has host bits set: the block starting at that address is 10.0.0.0/8
                  fix: Correct IPv4 CIDR block (address/length, for example 192.168.1.0/24).
            "#]],
        );
    }

    #[test]
    fn a_good_plan_has_no_integrity_findings() {
        let p = plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/8")
            .vswitch("s", "v", "10.0.0.0/24")
            .build();
        check(&p, expect![[""]]);
    }

    #[test]
    fn dangling_and_mistyped_references_are_findings() {
        let p = plan().cen("c").attach("t1", "c", "vpc-404").attach("t2", "a", "c").build();
        check(
            &p,
            expect![[r#"
                error PLAN-REF-001 t1.network: Attachment t1: Network points at "vpc-404", but no VPC or VBR or CCN has that id
                  fix: Choose an existing VPC or VBR or CCN, or add the missing one.
                error PLAN-REF-002 t2.cen: Attachment t2: CEN instance points at a, which is a Account, not a CEN instance
                  fix: Choose a CEN instance for CEN instance.
                error PLAN-REF-002 t2.network: Attachment t2: Network points at c, which is a CEN instance, not a VPC or VBR or CCN
                  fix: Choose a VPC or VBR or CCN for Network.
            "#]],
        );
    }

    #[test]
    fn a_next_hop_must_be_a_gateway_or_peering_of_the_network() {
        use crate::core::model::NextHopType;
        let p = plan()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.1.0.0/16")
            .vpn_gateway("g2", "v2")
            .route("r1", "v1", "192.168.0.0/24", NextHopType::VpnGateway, "g2")
            .route("r2", "v1", "192.168.1.0/24", NextHopType::VpnGateway, "gone")
            .route("r3", "v2", "192.168.2.0/24", NextHopType::VpnGateway, "g2")
            .route("r4", "v1", "192.168.3.0/24", NextHopType::Ecs, "i-123")
            .build();
        crate::core::testing::check_codes(
            &p,
            &["PLAN-"],
            expect![[r#"
            error PLAN-REF-001 r2.next_hop: Route entry r2: Next hop: no VPN gateway has the id "gone"
              fix: Pick the next hop among v1's VPN gateways, or change the next hop type.
            error PLAN-REF-002 r1.next_hop: Route entry r1: Next hop: g2 is a VPN gateway of v2, not of v1: choose one of v1's VPN gateways
              fix: Pick the next hop among v1's VPN gateways, or change the next hop type.
        "#]],
        );
    }

    /// Every next hop is checked against its network: an on-premises next hop only in a VBR; no VPN
    /// gateway, instance, HaVip or NAT gateway in a VBR; an instance next hop that names an entity of
    /// the plan of another kind; an empty next hop where one is needed. Good next hops say nothing.
    #[test]
    fn a_next_hop_of_the_wrong_type_for_its_network_or_naming_a_non_instance_is_an_error() {
        use crate::core::model::NextHopType;
        let p = plan()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .vpn_gateway("g1", "v1")
            .vbr("b", "cn-hangzhou", &["172.16.0.0/24"])
            .peering("pcc", "v1", "b")
            .route("ok1", "v1", "192.168.0.0/24", NextHopType::VpnGateway, "g1")
            .route("ok2", "v1", "192.168.1.0/24", NextHopType::Ecs, "i-123")
            .route("ok3", "b", "172.16.1.0/24", NextHopType::Idc, "")
            .route("ok4", "b", "10.0.0.0/16", NextHopType::Peering, "pcc")
            .route("bad1", "v1", "192.168.2.0/24", NextHopType::Idc, "")
            .route("bad2", "b", "192.168.3.0/24", NextHopType::Ecs, "i-9")
            .route("bad3", "v1", "192.168.4.0/24", NextHopType::Ecs, "b")
            .route("bad4", "v1", "192.168.5.0/24", NextHopType::HaVip, "")
            .route("bad5", "v1", "192.168.6.0/24", NextHopType::VpnGateway, "")
            .build();
        crate::core::testing::check_codes(
            &p,
            &["PLAN-"],
            expect![[r#"
            error PLAN-REF-002 bad1.next_hop: Route entry bad1: Next hop: v1 is a VPC: a route toward the on-premises data centre belongs to a VBR's table
              fix: In v1, send the prefix to a VPN gateway, peering connection or instance, or move the route to the VBR.
            error PLAN-REF-002 bad2.next_hop: Route entry bad2: Next hop: b is a VBR, which has no VPN gateways or instances: its routes go to the data centre or over a peering connection
              fix: Change the next hop type to on-premises or peering, or move the route to the VPC that holds the gateway or instance.
            error PLAN-REF-002 bad3.next_hop: Route entry bad3: Next hop: b is a VBR of the plan, not an instance of v1
              fix: Name the instance (its instance id), or choose the next hop type of that entity.
            error PLAN-REQ-001 bad4.next_hop: Route entry bad4: Next hop: the next hop is empty: a route of this type names its instance
              fix: Fill in the next hop.
            error PLAN-REQ-001 bad5.next_hop: Route entry bad5: Next hop: the next hop is empty: a route of this type names its gateway or peering connection
              fix: Fill in the next hop.
        "#]],
        );
    }

    #[test]
    fn an_account_without_uid_is_fine_until_a_grant_names_its_cen() {
        let sketch = plan().account("a", "").cen("c").vpc("v", "cn-hangzhou", "10.0.0.0/16").build();
        check_codes(&sketch, &["PLAN-"], expect![[""]]);
        let granted = plan()
            .account("a", "")
            .account("b", "2")
            .cen("c")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .owner("b")
            .attach("t", "c", "v")
            .grant("g", "v", "c", "1")
            .build();
        check_codes(
            &granted,
            &["PLAN-"],
            expect![[r#"
            warning PLAN-REQ-001 a.uid: Account a: Account UID is empty, but grant g authorises CEN c of this account: the grant's CEN owner UID cannot be checked
              fix: Fill in the numeric account UID of a.
              related: g, c
        "#]],
        );
    }

    #[test]
    fn bad_ips_dates_and_uids_are_findings_and_empty_required_fields_too() {
        let p = plan()
            .account("a", "12x")
            .customer_gateway("g", "cn-hangzhou", "1.2.3")
            .cen("c")
            .created_on("2019-02-30")
            .vswitch("s", "", "")
            .build();
        check(
            &p,
            expect![[r#"
                error PLAN-REQ-001 s.cidr: vSwitch s: IPv4 CIDR block is empty
                  fix: Fill in IPv4 CIDR block.
                error PLAN-REQ-001 s.vpc: vSwitch s: VPC is empty
                  fix: Fill in VPC.
                error PLAN-VALUE-001 a.uid: Account a: Account UID "12x" is not an account UID: it is a number of up to 20 digits
                  fix: Correct Account UID.
                error PLAN-VALUE-001 g.public_ip: Customer gateway g: Public IP "1.2.3" is not an IPv4 address (four numbers 0–255 separated by dots)
                  fix: Correct Public IP.
                error PLAN-VALUE-001 c.created_on: CEN instance c: Created on 2019-02-30 does not exist: month 2 of 2019 has 28 days
                  fix: Correct Created on.
            "#]],
        );
    }
}
