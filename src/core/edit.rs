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
    /// Forgets a node's diagram position: it is laid out automatically again (undoes a first `Move`).
    Unplace {
        /// The entity id.
        id: String,
    },
    /// Puts a deleted entity back at its place in its list, with its diagram position (undoes `Delete`).
    Restore {
        /// Kind of the entity.
        kind: Kind,
        /// Its index in the list of its kind (past the end: last).
        index: usize,
        /// The entity's JSON.
        entity: Value,
        /// Its diagram position, if it had one.
        pos: Option<super::model::Pos>,
    },
}

/// Reads an entity's JSON as a plan holding only this entity, with the plan file's reader (one
/// reader of every kind in the app's wasm, not a second one per kind); serde_json's position is in
/// that one-line text, so it is dropped.
fn read_one(kind: Kind, entity: &Value) -> Result<Plan, String> {
    serde_json::from_str(&format!("{{\"{}\":[{entity}]}}", kind.key())).map_err(|e| {
        let e = e.to_string();
        let e = e.split(" at line ").next().unwrap_or(&e).to_string();
        format!("this {} is not valid: {e}", kind.label())
    })
}

/// Applies one edit to `plan` in place; on `Err` the plan is unchanged.
pub fn apply(plan: &mut Plan, edit: Edit) -> Result<(), String> {
    match edit {
        Edit::Put { kind, entity, previous_id } => {
            let mut one = read_one(kind, &entity)?;
            crate::with_list_mut!(plan, kind, |list| put(list, &mut one, previous_id))
        }
        Edit::Restore { kind, index, entity, pos } => {
            let mut one = read_one(kind, &entity)?;
            let id = crate::with_list_mut!(plan, kind, |list| restore(list, &mut one, index))?;
            if let Some(pos) = pos {
                plan.layout.insert(id, pos);
            }
            Ok(())
        }
        Edit::Unplace { id } => {
            plan.layout.remove(&id);
            Ok(())
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
    /// One item of a list of references (`RefList`, a group's members): removed from the list.
    Member,
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
                        FieldType::RefList(_) => Strength::Member,
                        _ => continue,
                    };
                    if let FieldType::RefList(_) = spec.ty {
                        for target in obj.get(spec.key).and_then(Value::as_array).into_iter().flatten() {
                            if let Some(t) = target.as_str().filter(|t| !t.is_empty()) {
                                out.push((kind, e.id().to_string(), spec.key, t.to_string(), Strength::Member));
                            }
                        }
                        continue;
                    }
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
        // An empty network list of a route map matches every network: a map whose list would be
        // left empty goes with the networks it named (a group left without members stays).
        for (k, from, key, _, strength) in &refs {
            if *k == Kind::RouteMap
                && *strength == Strength::Member
                && !gone.contains(from)
                && refs
                    .iter()
                    .filter(|r| r.0 == *k && r.1 == *from && r.2 == *key)
                    .all(|r| gone.contains(&r.3))
            {
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
            Strength::Optional | Strength::Member => {
                if !out.cleared.contains(&(*k, from.clone(), key)) {
                    out.cleared.push((*k, from.clone(), key));
                }
            }
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
            match obj.get_mut(*key) {
                // A list of references keeps the items that stay.
                Some(Value::Array(items)) => items.retain(|t| t.as_str().is_none_or(|t| !gone.contains(t))),
                _ => {
                    obj.remove(*key);
                }
            }
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

/// Applies edits in order, all or nothing: on `Err` the plan is unchanged ([`apply_undoable`]
/// without keeping its undo edits).
pub fn apply_all(plan: &mut Plan, edits: Vec<Edit>) -> Result<(), String> {
    apply_undoable(plan, edits).map(|_| ())
}

fn restore<T: Entity>(list: &mut Vec<T>, one: &mut Plan, index: usize) -> Result<String, String> {
    let entity = T::list_mut(one)
        .pop()
        .ok_or_else(|| format!("this {} is missing", T::KIND.label()))?;
    if list.iter().any(|e| e.id() == entity.id()) {
        return Err(format!("there is already a {} with the id {}", T::KIND.label(), entity.id()));
    }
    let id = entity.id().to_string();
    list.insert(index.min(list.len()), entity);
    Ok(id)
}

/// The JSON of the entity `id` of a list and its index.
fn find_json<T: Entity>(list: &[T], id: &str) -> Option<(usize, Value)> {
    let i = list.iter().position(|e| e.id() == id)?;
    serde_json::to_value(&list[i]).ok().map(|v| (i, v))
}

/// The edit that undoes `edit` on `plan` as it is before `edit` is applied.
fn inverse(plan: &Plan, edit: &Edit) -> Result<Edit, String> {
    Ok(match edit {
        Edit::Put { kind, entity, previous_id } => {
            let new_id = entity.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let old_id = previous_id.clone().unwrap_or_else(|| new_id.clone());
            match crate::with_list!(plan, *kind, |list| find_json(list, &old_id)) {
                Some((_, old)) => Edit::Put {
                    kind: *kind,
                    entity: old,
                    previous_id: Some(new_id),
                },
                None => Edit::Delete { kind: *kind, id: new_id },
            }
        }
        Edit::Delete { kind, id } => {
            let (index, entity) = crate::with_list!(plan, *kind, |list| find_json(list, id))
                .ok_or_else(|| format!("there is no {} with the id {id}", kind.label()))?;
            Edit::Restore {
                kind: *kind,
                index,
                entity,
                pos: plan.layout.get(id).copied(),
            }
        }
        Edit::Restore { kind, entity, .. } => Edit::Delete {
            kind: *kind,
            id: entity.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
        },
        Edit::SetName(_) => Edit::SetName(plan.name.clone()),
        Edit::SetAsOf(_) if super::date::Date::parse(&plan.settings.as_of).is_ok() => Edit::SetAsOf(plan.settings.as_of.clone()),
        // A date that does not read cannot be set again by `SetAsOf`: the whole plan is kept.
        Edit::SetAsOf(_) => Edit::Replace(Box::new(plan.clone())),
        Edit::Replace(_) => Edit::Replace(Box::default()), // filled in by `apply_undoable`
        Edit::Move { id, .. } | Edit::Unplace { id } => match plan.layout.get(id) {
            Some(pos) => Edit::Move { id: id.clone(), pos: *pos },
            None => Edit::Unplace { id: id.clone() },
        },
    })
}

/// Applies edits in order, all or nothing, without copying the plan, and returns the edits that undo
/// them (to be applied in the order given), or `None` when the plan is unchanged. On `Err` the plan
/// is unchanged. A `Replace` moves the old plan into its undo edit.
pub fn apply_undoable(plan: &mut Plan, edits: Vec<Edit>) -> Result<Option<Vec<Edit>>, String> {
    let mut undo: Vec<Edit> = Vec::with_capacity(edits.len());
    let mut changed = false;
    for edit in edits {
        let result = match edit {
            Edit::Replace(new) => {
                changed |= *plan != *new;
                let old = std::mem::replace(plan, *new);
                undo.push(Edit::Replace(Box::new(old)));
                Ok(())
            }
            edit => inverse(plan, &edit).and_then(|inv| {
                let probe = match (&edit, &inv) {
                    (Edit::Put { kind, .. }, Edit::Put { entity, .. }) => Some((*kind, entity.clone())),
                    _ => None,
                };
                let same = match (&edit, &inv) {
                    (Edit::SetName(a), Edit::SetName(b)) | (Edit::SetAsOf(a), Edit::SetAsOf(b)) => a == b,
                    (Edit::Move { pos: a, .. }, Edit::Move { pos: b, .. }) => a == b,
                    (Edit::Unplace { .. }, Edit::Unplace { .. }) => true,
                    _ => false,
                };
                apply(plan, edit)?;
                changed |= !same
                    && match probe {
                        // A put changes the plan when the entity reads back differently.
                        Some((kind, old)) => {
                            let id = match &inv {
                                Edit::Put { previous_id: Some(id), .. } => id.as_str(),
                                _ => "",
                            };
                            crate::with_list!(plan, kind, |list| find_json(list, id)).map(|(_, v)| v) != Some(old)
                        }
                        None => true,
                    };
                undo.push(inv);
                Ok(())
            }),
        };
        if let Err(e) = result {
            for inv in undo.into_iter().rev() {
                let _ = apply_undoable(plan, vec![inv]);
            }
            return Err(e);
        }
    }
    undo.reverse();
    Ok(changed.then_some(undo))
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
    fn deleting_a_group_member_keeps_the_group_without_it_and_deleting_a_flow_end_deletes_the_flow() {
        let mut plan = crate::core::testing::plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .group("g", &["v1", "v2"], "")
            .required("f", "g", "v1")
            .build();
        let d = deletion(&plan, Kind::Vpc, "v1");
        assert_eq!(d.deleted, [(Kind::Flow, "f".to_string())]);
        assert_eq!(d.cleared, [(Kind::Group, "g".to_string(), "members")]);
        apply_all(&mut plan, d.edits).unwrap();
        assert_eq!(plan.groups[0].members, ["v2"]);
        assert!(plan.flows.is_empty() && plan.vpcs.len() == 1);
    }

    #[test]
    fn deleting_a_network_drops_it_from_a_route_maps_list_and_deletes_a_map_that_named_only_it() {
        let mut plan = crate::core::testing::plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .route_map("m1", "c", "cn-hangzhou", 10)
            .deny()
            .matching(&["v1"], &["v3"])
            .route_map("m2", "c", "cn-hangzhou", 20)
            .deny()
            .matching(&["v1", "v2"], &["v3"])
            .build();
        let d = deletion(&plan, Kind::Vpc, "v1");
        // m1 would deny every source: it goes; m2 keeps denying v2.
        assert_eq!(d.deleted, [(Kind::RouteMap, "m1".to_string())]);
        assert_eq!(d.cleared, [(Kind::RouteMap, "m2".to_string(), "source_networks")]);
        apply_all(&mut plan, d.edits).unwrap();
        assert_eq!(plan.route_maps.len(), 1);
        assert_eq!(plan.route_maps[0].source_networks, ["v2"]);
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

    fn seed_003() -> Plan {
        let e = crate::core::examples::EXAMPLES
            .iter()
            .find(|e| e.key == "seed-003-vpn-global-network")
            .unwrap();
        crate::core::format::from_json(e.json).unwrap()
    }

    /// Every edit of every kind on an example, undone by the edits `apply_undoable` returns: the
    /// plan is back exactly (list order and diagram positions included), and redo gives the edited plan.
    #[test]
    fn undo_edits_bring_back_the_exact_plan() {
        let plan = seed_003();
        let vpc = plan.vpcs[0].clone();
        let vpc_json = serde_json::to_value(&vpc).unwrap();
        let mut renamed = vpc_json.clone();
        renamed["name"] = "Renamed".into();
        let mut new_vpc = vpc_json.clone();
        new_vpc["id"] = "vpc-new".into();
        let cases = vec![
            vec![Edit::Put {
                kind: Kind::Vpc,
                entity: renamed,
                previous_id: None,
            }],
            vec![Edit::Put {
                kind: Kind::Vpc,
                entity: new_vpc,
                previous_id: None,
            }],
            vec![Edit::Delete {
                kind: Kind::Vpc,
                id: vpc.id.clone(),
            }],
            vec![Edit::Move {
                id: vpc.id.clone(),
                pos: crate::core::model::Pos { x: 5.0, y: 6.0 },
            }],
            vec![Edit::SetName("Other".into()), Edit::SetAsOf("2021-01-01".into())],
            vec![Edit::Replace(Box::new(Plan::new("empty", "2019-09-19")))],
            deletion(&plan, Kind::Vpc, &vpc.id).edits,
        ];
        for edits in cases {
            let mut edited = plan.clone();
            let undo = apply_undoable(&mut edited, edits.clone()).unwrap().expect("the plan changed");
            assert_ne!(edited, plan, "{edits:?}");
            let after = edited.clone();
            let redo = apply_undoable(&mut edited, undo).unwrap().expect("undo changes the plan back");
            assert_eq!(edited, plan, "undo of {edits:?}");
            apply_undoable(&mut edited, redo).unwrap();
            assert_eq!(edited, after, "redo of {edits:?}");
        }
    }

    #[test]
    fn an_edit_that_changes_nothing_has_nothing_to_undo() {
        let plan = seed_003();
        let mut same = plan.clone();
        let vpc = serde_json::to_value(&plan.vpcs[0]).unwrap();
        let edits = vec![
            Edit::Put {
                kind: Kind::Vpc,
                entity: vpc,
                previous_id: None,
            },
            Edit::SetName(plan.name.clone()),
        ];
        assert_eq!(apply_undoable(&mut same, edits), Ok(None));
        assert_eq!(same, plan);
    }

    #[test]
    fn a_failing_edit_among_several_leaves_the_plan_unchanged() {
        let plan = seed_003();
        let mut edited = plan.clone();
        let edits = vec![
            Edit::SetName("Other".into()),
            Edit::Delete {
                kind: Kind::Vpc,
                id: plan.vpcs[0].id.clone(),
            },
            Edit::Delete {
                kind: Kind::Vpc,
                id: "no-such-vpc".into(),
            },
        ];
        assert!(apply_undoable(&mut edited, edits).is_err());
        assert_eq!(edited, plan);
    }
}
