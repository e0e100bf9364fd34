//! Edits: the only way a plan changes.
//!
//! The UI turns every gesture into an `Edit` and calls `apply`; nothing else mutates the plan. An edit
//! that cannot apply (an entity that does not deserialise, a missing id) returns `Err` and leaves the
//! plan exactly as it was.

use super::model::{Entity, Kind, Plan};
use serde_json::Value;

/// One change to a plan (serialised in the JSON answers of the CLI as `{"put": {...}}` and so on, and
/// sent so to the app's analysis worker, which applies the same edits to its copy of the plan).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Adds the entity, or replaces the one with the same id (`entity` is its JSON, as `fields::build` makes it).
    Put {
        /// Kind of the entity.
        kind: Kind,
        /// The entity's JSON.
        entity: Value,
        /// The id it had before (differs from the new id only when a custom region is renamed).
        previous_id: Option<String>,
    },
    /// Removes the entity with this id (references to it become findings).
    Delete {
        /// Kind of the entity.
        kind: Kind,
        /// Its id.
        id: String,
    },
    /// Renames the plan.
    SetName(String),
    /// Sets the date the plan is checked as of (`YYYY-MM-DD`).
    SetAsOf(String),
    /// Replaces the whole plan (new plan, import, example).
    Replace(Box<Plan>),
    /// Moves a diagram node (any entity id) to a position.
    Move {
        /// The entity id.
        id: String,
        /// Its new top-left corner.
        pos: super::model::Pos,
    },
}

/// Applies one edit to `plan` in place; on `Err` the plan is unchanged.
pub fn apply(plan: &mut Plan, edit: Edit) -> Result<(), String> {
    match edit {
        Edit::Put { kind, entity, previous_id } => {
            // Read as a plan holding only this entity, with the plan file's reader (one reader of
            // every kind in the app's wasm, not a second one per kind); serde_json's position is in
            // that one-line text, so it is dropped.
            let mut one: Plan = serde_json::from_str(&format!("{{\"{}\":[{entity}]}}", kind.key())).map_err(|e| {
                let e = e.to_string();
                let e = e.split(" at line ").next().unwrap_or(&e).to_string();
                format!("this {} is not valid: {e}", kind.label())
            })?;
            crate::with_list_mut!(plan, kind, |list| put(list, &mut one, previous_id))
        }
        Edit::Delete { kind, id } => crate::with_list_mut!(plan, kind, |list| {
            let before = list.len();
            list.retain(|e| e.id() != id);
            plan.layout.remove(&id);
            if list.len() == before {
                Err(format!("there is no {} with the id {id}", kind.label()))
            } else {
                Ok(())
            }
        }),
        Edit::SetName(name) => {
            plan.name = name;
            Ok(())
        }
        Edit::SetAsOf(date) => {
            super::date::Date::parse(&date)?;
            plan.settings.as_of = date;
            Ok(())
        }
        Edit::Replace(new) => {
            *plan = *new;
            Ok(())
        }
        Edit::Move { id, pos } => {
            if !pos.x.is_finite() || !pos.y.is_finite() || pos.x.abs() > 1e6 || pos.y.abs() > 1e6 {
                return Err("a position must be a finite number within ±1,000,000".into());
            }
            let mut exists = false;
            plan.for_each_entity(|_, _, e, _| exists |= e == id);
            if !exists {
                return Err(format!("there is no entity with the id {id}"));
            }
            plan.layout.insert(id, pos);
            Ok(())
        }
    }
}

/// What deleting one entity takes with it: the entities that cannot exist without it (or without
/// another of these), deleted with it, and the optional references that are cleared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deletion {
    /// Entities deleted with it, as (kind, id), in plan order.
    pub deleted: Vec<(Kind, String)>,
    /// Entities that stay with an optional reference cleared, as (kind, id, field key).
    pub cleared: Vec<(Kind, String, &'static str)>,
    /// Entities that stay and still name it (a custom region their region field names), as (kind, id, field key).
    pub dangling: Vec<(Kind, String, &'static str)>,
    /// The edits that do it all (one undo step when applied together).
    pub edits: Vec<Edit>,
}

/// One reference of the plan: (kind, id) of the entity, its field key, the id named, and whether the
/// entity cannot exist without it.
type Reference = (Kind, String, &'static str, String, Strength);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strength {
    /// A required reference (`Ref`, an entity-naming next hop): the entity goes with its target.
    Required,
    /// An optional reference (`OptRef`): cleared.
    Optional,
    /// A region field naming a custom region: it stays and names a region the plan no longer defines.
    Region,
}

fn references(plan: &Plan) -> Vec<Reference> {
    use super::fields::{specs, FieldType};
    let mut out = Vec::new();
    for &kind in Kind::ALL {
        crate::with_list!(plan, kind, |list| {
            for e in list.iter() {
                let Ok(Value::Object(obj)) = serde_json::to_value(e) else {
                    continue;
                };
                for spec in specs(kind) {
                    let strength = match spec.ty {
                        FieldType::Ref(_) => Strength::Required,
                        FieldType::OptRef(_) => Strength::Optional,
                        FieldType::Region => Strength::Region,
                        _ => continue,
                    };
                    if let Some(Value::String(target)) = obj.get(spec.key) {
                        if !target.is_empty() {
                            out.push((kind, e.id().to_string(), spec.key, target.clone(), strength));
                        }
                    }
                }
            }
        });
    }
    for r in &plan.route_entries {
        if super::fields::next_hop_kind(r.next_hop_type).is_some() && !r.next_hop.is_empty() {
            out.push((Kind::RouteEntry, r.id.clone(), "next_hop", r.next_hop.clone(), Strength::Required));
        }
    }
    out
}

/// What deleting the entity `id` of `kind` takes with it, and the edits that delete it and its dependants.
pub fn deletion(plan: &Plan, kind: Kind, id: &str) -> Deletion {
    let refs = references(plan);
    let mut gone: std::collections::HashSet<String> = std::collections::HashSet::from([id.to_string()]);
    loop {
        let before = gone.len();
        for (_, from, _, to, strength) in &refs {
            if *strength == Strength::Required && gone.contains(to) && !gone.contains(from) {
                gone.insert(from.clone());
            }
        }
        if gone.len() == before {
            break;
        }
    }
    let mut out = Deletion::default();
    plan.for_each_entity(|k, _, e, _| {
        if e != id && gone.contains(e) {
            out.deleted.push((k, e.to_string()));
        }
    });
    for (k, from, key, to, strength) in &refs {
        if gone.contains(from) || !gone.contains(to) {
            continue;
        }
        match strength {
            Strength::Optional => out.cleared.push((*k, from.clone(), key)),
            Strength::Region => out.dangling.push((*k, from.clone(), key)),
            Strength::Required => {}
        }
    }
    for (k, from, key) in &out.cleared {
        let entity = crate::with_list!(plan, *k, |list| list
            .iter()
            .find(|e| e.id() == from)
            .and_then(|e| serde_json::to_value(e).ok()));
        if let Some(Value::Object(mut obj)) = entity {
            obj.remove(*key);
            out.edits.push(Edit::Put {
                kind: *k,
                entity: Value::Object(obj),
                previous_id: None,
            });
        }
    }
    for (k, e) in &out.deleted {
        out.edits.push(Edit::Delete { kind: *k, id: e.clone() });
    }
    out.edits.push(Edit::Delete { kind, id: id.to_string() });
    out
}

/// Applies edits in order, all or nothing: on `Err` the plan is unchanged.
pub fn apply_all(plan: &mut Plan, edits: Vec<Edit>) -> Result<(), String> {
    let mut next = plan.clone();
    for e in edits {
        apply(&mut next, e)?;
    }
    *plan = next;
    Ok(())
}

fn put<T: Entity>(list: &mut Vec<T>, one: &mut Plan, previous_id: Option<String>) -> Result<(), String> {
    let entity = T::list_mut(one)
        .pop()
        .ok_or_else(|| format!("this {} is missing", T::KIND.label()))?;
    if entity.id().trim().is_empty() {
        return Err("an entity needs an id".into());
    }
    let old = previous_id.as_deref().unwrap_or(entity.id()).to_string();
    if let Some(slot) = list.iter_mut().find(|e| e.id() == old) {
        *slot = entity;
    } else {
        list.push(entity);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fields;

    #[test]
    fn put_adds_then_replaces_by_id() {
        let mut plan = Plan::new("t", "2019-09-19");
        let mut draft = fields::new_draft(&plan, Kind::Vpc);
        draft.insert("cidr".into(), "10.0.0.0/16".into());
        draft.insert("owner".into(), String::new());
        // No account exists yet, so the owner is refused and nothing changes.
        assert!(fields::build(&plan, Kind::Vpc, "vpc-1", &draft).is_err());
        apply(
            &mut plan,
            Edit::Put {
                kind: Kind::Account,
                entity: serde_json::json!({"id":"acct-1","uid":"1"}),
                previous_id: None,
            },
        )
        .unwrap();
        draft.insert("owner".into(), "acct-1".into());
        let v = fields::build(&plan, Kind::Vpc, "vpc-1", &draft).unwrap();
        apply(
            &mut plan,
            Edit::Put {
                kind: Kind::Vpc,
                entity: v,
                previous_id: None,
            },
        )
        .unwrap();
        assert_eq!(plan.vpcs.len(), 1);
        draft.insert("name".into(), "Renamed".into());
        let v = fields::build(&plan, Kind::Vpc, "vpc-1", &draft).unwrap();
        apply(
            &mut plan,
            Edit::Put {
                kind: Kind::Vpc,
                entity: v,
                previous_id: None,
            },
        )
        .unwrap();
        assert_eq!(plan.vpcs.len(), 1);
        assert_eq!(plan.vpcs[0].name, "Renamed");
    }

    #[test]
    fn failed_edits_leave_the_plan_unchanged() {
        let mut plan = Plan::new("t", "2019-09-19");
        let before = plan.clone();
        assert!(apply(
            &mut plan,
            Edit::Put {
                kind: Kind::Vpc,
                entity: serde_json::json!({"id": 5}),
                previous_id: None
            }
        )
        .is_err());
        assert!(apply(
            &mut plan,
            Edit::Delete {
                kind: Kind::Vpc,
                id: "vpc-1".into()
            }
        )
        .is_err());
        assert!(apply(&mut plan, Edit::SetAsOf("yesterday".into())).is_err());
        assert_eq!(plan, before);
    }

    #[test]
    fn deleting_a_vpc_takes_what_cannot_exist_without_it_and_clears_optional_references() {
        use crate::core::model::NextHopType;
        use crate::core::testing::plan;
        let mut p = plan()
            .region("me-x-1", "Custom", crate::core::catalog::Area::MiddleEast)
            .vpc("v1", "me-x-1", "10.0.0.0/16")
            .vswitch("s1", "v1", "10.0.1.0/24")
            .vpn_gateway("g1", "v1")
            .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
            .ipsec("c1", "g1", "o1", &["0.0.0.0/0"], &["192.168.0.0/24"])
            .route("r1", "v1", "192.168.0.0/24", NextHopType::VpnGateway, "g1")
            .vbr("b1", "cn-hangzhou", &["172.16.0.0/16"])
            .cen("cen")
            .attach("t1", "cen", "v1")
            .attach("t2", "cen", "b1")
            .build();
        let d = deletion(&p, Kind::Vpc, "v1");
        let ids: Vec<&str> = d.deleted.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["s1", "r1", "g1", "c1", "t1"]);
        assert!(d.cleared.is_empty());
        // The region is the one entity that keeps pointing somewhere when it goes.
        let region = deletion(&p, Kind::Region, "me-x-1");
        assert!(region.deleted.is_empty());
        assert_eq!(region.dangling, [(Kind::Vpc, "v1".to_string(), "region")]);
        let before = p.clone();
        apply_all(&mut p, d.edits).unwrap();
        assert!(p.vpcs.is_empty() && p.vswitches.is_empty() && p.ipsec_connections.is_empty());
        assert_eq!(p.attachments.len(), 1);
        assert_eq!(p.customer_gateways.len(), 1, "the office stays: it does not need the VPC");
        // All or nothing.
        let mut q = before.clone();
        let bad = vec![
            Edit::Delete {
                kind: Kind::Vpc,
                id: "v1".into(),
            },
            Edit::Delete {
                kind: Kind::Vpc,
                id: "nope".into(),
            },
        ];
        assert!(apply_all(&mut q, bad).is_err());
        assert_eq!(q, before);
    }

    #[test]
    fn delete_removes_only_that_entity() {
        let mut plan = Plan::new("t", "2019-09-19");
        for id in ["cen-1", "cen-2"] {
            apply(
                &mut plan,
                Edit::Put {
                    kind: Kind::Cen,
                    entity: serde_json::json!({"id": id}),
                    previous_id: None,
                },
            )
            .unwrap();
        }
        apply(
            &mut plan,
            Edit::Delete {
                kind: Kind::Cen,
                id: "cen-1".into(),
            },
        )
        .unwrap();
        assert_eq!(plan.cens.len(), 1);
        assert_eq!(plan.cens[0].id, "cen-2");
    }
}
