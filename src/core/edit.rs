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
