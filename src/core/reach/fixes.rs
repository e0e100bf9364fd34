//! Fixes a plan can express, as edits the app can apply as they are: a field set on an existing
//! entity, or a new entity built from a draft exactly as the forms build one.

use crate::core::edit::Edit;
use crate::core::fields;
use crate::core::model::{Entity, Kind, Plan};
use serde_json::Value;

/// The edit that sets these fields of entity `id` (of `kind`), or `None` when there is no such entity.
pub(crate) fn set(plan: &Plan, kind: Kind, id: &str, values: &[(&str, Value)]) -> Option<Edit> {
    let mut entity = crate::with_list!(plan, kind, |list| list
        .iter()
        .find(|e| e.id() == id)
        .and_then(|e| serde_json::to_value(e).ok()))?;
    let fields = entity.as_object_mut()?;
    for (field, value) in values {
        fields.insert((*field).to_string(), value.clone());
    }
    Some(Edit::Put {
        kind,
        entity,
        previous_id: None,
    })
}

/// The edit that adds a new entity of `kind` with these fields (the rest as a new form has them), or
/// `None` when the fields do not build one.
pub(crate) fn add(plan: &Plan, kind: Kind, values: &[(&str, &str)]) -> Option<Edit> {
    let mut draft = fields::new_draft(plan, kind);
    for (key, value) in values {
        draft.insert((*key).to_string(), (*value).to_string());
    }
    let id = fields::next_id(plan, kind);
    let entity = fields::build(plan, kind, &id, &draft).ok()?;
    Some(Edit::Put {
        kind,
        entity,
        previous_id: None,
    })
}
