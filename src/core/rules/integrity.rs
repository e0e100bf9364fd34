//! Plan integrity: every field parses and every reference points at an entity of the right kind.
//!
//! Uses the same parsers as the forms (`fields::parse_field`), so what a form refuses is exactly what
//! is reported here for a plan that came from a file.

use crate::core::cidr::parse_cidr;
use crate::core::fields::{self, FieldType};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::model::{Entity, Index, Kind, Plan};
use serde_json::Value;

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
    for &kind in Kind::ALL {
        crate::with_list!(plan, kind, |list| {
            for e in list.iter() {
                if let Ok(Value::Object(obj)) = serde_json::to_value(e) {
                    check_entity(plan, index, kind, e.id(), &obj, out);
                }
            }
        });
    }
}

fn check_entity(plan: &Plan, index: &Index, kind: Kind, id: &str, obj: &serde_json::Map<String, Value>, out: &mut Vec<Finding>) {
    // The entity's description is written only when a finding needs it.
    let describe = || format!("{} {}", kind.label(), plan.display_name(index, id));
    for spec in fields::specs(kind) {
        let value = obj.get(spec.key);
        match (spec.ty, value) {
            (FieldType::Cidr, Some(Value::String(t))) if !t.trim().is_empty() => {
                if let Err(e) = parse_cidr(t) {
                    out.push(cidr_finding(kind, id, spec.key, &describe(), spec.label, &e));
                }
            }
            (FieldType::CidrList, Some(Value::Array(items))) => {
                for t in items.iter().filter_map(Value::as_str) {
                    if let Err(e) = parse_cidr(t) {
                        out.push(cidr_finding(kind, id, spec.key, &describe(), spec.label, &e));
                    }
                }
                if items.is_empty() && spec.required {
                    out.push(required(kind, id, spec.key, &describe(), spec.label));
                }
            }
            (FieldType::Ref(kinds) | FieldType::OptRef(kinds), Some(Value::String(t))) if !t.trim().is_empty() => {
                if let Some(actual) = index.kind_of(t) {
                    if !kinds.contains(&actual) {
                        let wanted = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
                        out.push(
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
                        );
                    }
                } else {
                    let wanted = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
                    out.push(
                        Finding::new(
                            Code::PlanRef001,
                            Severity::Error,
                            kind,
                            id,
                            format!("{}: {} points at \"{t}\", but no {wanted} has that id", describe(), spec.label),
                        )
                        .field(spec.key)
                        .fix(format!("Choose an existing {wanted}, or add the missing one.")),
                    );
                }
            }
            (FieldType::Ip | FieldType::Date | FieldType::Uid | FieldType::Region, Some(Value::String(t))) if !t.trim().is_empty() => {
                // Regions unknown to the catalog are CEN-AREA-001 (see `area`), not a syntax error.
                if spec.ty == FieldType::Region {
                    continue;
                }
                if let Err(e) = fields::parse_field(plan, index, spec, t) {
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
                | FieldType::Area
                | FieldType::CcnArea
                | FieldType::Choice(_)
                | FieldType::RegionId,
                _,
            ) => {}
            (_, v) => {
                let empty = match v {
                    None | Some(Value::Null) => true,
                    Some(Value::String(s)) => s.trim().is_empty(),
                    _ => false,
                };
                if empty && spec.required {
                    out.push(required(kind, id, spec.key, &describe(), spec.label));
                }
            }
        }
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
    use crate::core::format::from_json;
    use crate::core::rules::check;

    fn codes(json: &str) -> Vec<(&'static str, String, Option<&'static str>)> {
        let plan = from_json(&format!(r#"{{"format":"cen-planner-plan","version":1,"plan":{json}}}"#)).unwrap();
        check(&plan)
            .findings
            .into_iter()
            .map(|f| (f.code.as_str(), f.entity.map(|e| e.id).unwrap_or_default(), f.field))
            .collect()
    }

    #[test]
    fn a_bad_cidr_is_reported_on_its_field() {
        let c = codes(r#"{"accounts":[{"id":"a","uid":"1"}],"vpcs":[{"id":"v","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.1/8"}]}"#);
        assert_eq!(c, vec![("PLAN-CIDR-001", "v".into(), Some("cidr"))]);
    }

    #[test]
    fn a_good_plan_has_no_integrity_findings() {
        let c = codes(
            r#"{"accounts":[{"id":"a","uid":"1"}],"vpcs":[{"id":"v","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.0/8"}],"vswitches":[{"id":"s","vpc":"v","cidr":"10.0.0.0/24"}]}"#,
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn dangling_and_mistyped_references_are_findings() {
        let c = codes(
            r#"{"accounts":[{"id":"a","uid":"1"}],"cens":[{"id":"c","owner":"a"}],"attachments":[{"id":"t1","cen":"c","network":"vpc-404"},{"id":"t2","cen":"a","network":"c"}]}"#,
        );
        assert!(c.contains(&("PLAN-REF-001", "t1".into(), Some("network"))), "{c:?}");
        assert!(c.contains(&("PLAN-REF-002", "t2".into(), Some("cen"))), "{c:?}");
        assert!(c.contains(&("PLAN-REF-002", "t2".into(), Some("network"))), "{c:?}");
    }

    #[test]
    fn bad_ips_dates_and_uids_are_findings_and_empty_required_fields_too() {
        let c = codes(
            r#"{"accounts":[{"id":"a","uid":"12x"}],"customer_gateways":[{"id":"g","region":"cn-hangzhou","public_ip":"1.2.3"}],"cens":[{"id":"c","owner":"a","created_on":"2019-02-30"}],"vswitches":[{"id":"s","vpc":""}]}"#,
        );
        assert!(c.contains(&("PLAN-VALUE-001", "a".into(), Some("uid"))), "{c:?}");
        assert!(c.contains(&("PLAN-VALUE-001", "g".into(), Some("public_ip"))), "{c:?}");
        assert!(c.contains(&("PLAN-VALUE-001", "c".into(), Some("created_on"))), "{c:?}");
        assert!(c.contains(&("PLAN-REQ-001", "s".into(), Some("vpc"))), "{c:?}");
        assert!(c.contains(&("PLAN-REQ-001", "s".into(), Some("cidr"))), "{c:?}");
    }
}
