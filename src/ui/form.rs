//! The entity editor: one generic form for every kind, driven by `core::fields` specs.
//!
//! The form keeps a draft (the text of every field); a field's error shows beside it as soon as it
//! is left, and nothing reaches the plan until every field parses.

use super::{Selection, State};
use crate::core::catalog::{Area, CcnArea};
use crate::core::edit::Edit;
use crate::core::fields::{self, Draft, FieldSpec, FieldType};
use crate::core::model::{Index, Kind};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The editor for one selected (or new) entity.
#[component]
pub fn EntityForm(selection: Selection) -> impl IntoView {
    let state = expect_context::<State>();
    let kind = selection.kind;
    let existing = selection.id.clone();
    let (initial, id) = state.plan.with_untracked(|p| match &existing {
        Some(id) => (
            fields::draft_of(p, kind, id).unwrap_or_else(|| fields::new_draft(p, kind)),
            id.clone(),
        ),
        None => {
            let mut draft = fields::new_draft(p, kind);
            for (key, value) in &selection.preset {
                draft.insert(key.to_string(), value.clone());
            }
            (draft, fields::next_id(p, kind))
        }
    });
    let draft = RwSignal::new(initial);
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let is_new = existing.is_none();
    let id_for_save = id.clone();

    let check_field = move |spec: &'static FieldSpec| {
        let text = draft.with_untracked(|d| d.get(spec.key).cloned().unwrap_or_default());
        let result = state.plan.with_untracked(|p| fields::parse_field(p, &Index::new(p), spec, &text));
        errors.update(|e| {
            match result {
                Ok(_) => e.remove(spec.key),
                Err(msg) => e.insert(spec.key.to_string(), msg),
            };
        });
    };

    let save = move || {
        let id = if kind == Kind::Region {
            draft.with_untracked(|d| d.get("id").cloned().unwrap_or_default().trim().to_string())
        } else {
            id_for_save.clone()
        };
        let built = state.plan.with_untracked(|p| fields::build(p, kind, &id, &draft.get_untracked()));
        match built {
            Ok(entity) => {
                let previous_id = if is_new { None } else { Some(id_for_save.clone()) };
                match state.apply(Edit::Put { kind, entity, previous_id }) {
                    Ok(()) => {
                        errors.set(BTreeMap::new());
                        // Clear a stale success message; problems (storage, other tab) stay until handled.
                        if state
                            .notice
                            .with_untracked(|n| n.as_ref().is_some_and(|n| n.tone == super::Tone::Ok))
                        {
                            state.notice.set(None);
                        }
                        let next = Some(Selection::of(kind, Some(id)));
                        if state.selection.with_untracked(|s| *s != next) {
                            state.selection.set(next);
                        }
                    }
                    Err(e) => state.error(e),
                }
            }
            Err(e) => errors.set(e),
        }
    };
    let save_submit = save.clone();

    let id_for_delete = id.clone();
    let delete = move |_| {
        if state
            .apply(Edit::Delete {
                kind,
                id: id_for_delete.clone(),
            })
            .is_ok()
        {
            state.selection.set(None);
        }
    };

    let heading = if is_new {
        format!("New {}", kind.label())
    } else {
        format!("{} {id}", kind.label())
    };
    let field_views = fields::specs(kind)
        .iter()
        .filter(|s| s.ty != FieldType::RegionId || is_new)
        .map(|spec| view! { <Field spec=spec draft=draft errors=errors on_leave=move || check_field(spec) /> })
        .collect_view();
    let findings = {
        let id = id.clone();
        move || {
            state.report(|r| {
                r.about(&id)
                    .map(|f| view! { <li class=format!("inline-finding {}", f.severity.as_str())>{format!("{} {}", f.code, f.message)}</li> })
                    .collect_view()
            })
        }
    };

    view! {
        <form
            class="entity-form"
            id="entity-form"
            data-kind=kind.key()
            on:submit=move |ev| {
                ev.prevent_default();
                save_submit();
            }
        >
            <h2>{heading}</h2>
            {(!is_new).then(|| view! { <ul class="entity-findings">{findings}</ul> })}
            {field_views}
            <div class="form-actions">
                <button type="submit" id="save-entity" class="primary">{if is_new { "Create" } else { "Save" }}</button>
                <button type="button" on:click=move |_| state.selection.set(None)>"Close"</button>
                {(!is_new).then(|| view! {
                    <button type="button" id="delete-entity" class="danger" on:click=delete.clone()>"Delete"</button>
                })}
            </div>
            {move || (!errors.with(BTreeMap::is_empty)).then(|| view! {
                <p class="form-error" role="alert">"Not saved: correct the fields marked above."</p>
            })}
        </form>
        {(!is_new && matches!(kind, Kind::Vpc | Kind::Vbr | Kind::Ccn)).then(|| view! { <super::reach::RouteTableView network=id.clone() /> })}
    }
}

#[component]
fn Field(
    spec: &'static FieldSpec,
    draft: RwSignal<Draft>,
    errors: RwSignal<BTreeMap<String, String>>,
    on_leave: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let state = expect_context::<State>();
    let key = spec.key;
    let input_id = format!("field-{key}");
    let error_id = format!("error-{key}");
    let value = move || draft.with(|d| d.get(key).cloned().unwrap_or_default());
    let set = move |v: String| {
        draft.update(|d| {
            d.insert(key.to_string(), v);
        })
    };
    let error = move || errors.with(|e| e.get(key).cloned());
    let invalid = move || error().is_some();
    let leave = on_leave.clone();

    let control = match spec.ty {
        FieldType::Bool => view! {
            <input
                type="checkbox"
                id=input_id.clone()
                prop:checked=move || value() == "true"
                on:change=move |ev| set(event_target_checked(&ev).to_string())
            />
        }
        .into_any(),
        FieldType::Ref(_) | FieldType::OptRef(_) | FieldType::Region | FieldType::Area | FieldType::CcnArea | FieldType::Choice(_) => {
            let leave = on_leave.clone();
            view! {
                <select
                    id=input_id.clone()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=error_id.clone()
                    on:change=move |ev| {
                        set(event_target_value(&ev));
                        leave();
                    }
                >
                    {move || {
                        let current = value();
                        let mut options = state.plan.with(|p| options_for(p, spec));
                        if !current.is_empty() && !options.iter().any(|(v, _)| *v == current) {
                            options.insert(0, (current.clone(), format!("{current} (missing)")));
                        }
                        if matches!(spec.ty, FieldType::OptRef(_)) || current.is_empty() {
                            options.insert(0, (String::new(), "(none)".into()));
                        }
                        options
                            .into_iter()
                            .map(|(v, label)| {
                                let selected = v == current;
                                view! { <option value=v selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            }
            .into_any()
        }
        _ => view! {
            <input
                type="text"
                id=input_id.clone()
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder(spec.ty)
                aria-invalid=move || invalid().to_string()
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| {
                    // Typing clears the field's error; it is checked again when the field is left.
                    // (Clearing it on leave instead would move the Save button under the pointer.)
                    set(event_target_value(&ev));
                    errors.update(|e| {
                        e.remove(key);
                    });
                }
                on:change=move |_| leave()
            />
        }
        .into_any(),
    };

    view! {
        <div class="field" class:invalid=invalid data-field=key>
            <label for=input_id>{spec.label}{spec.required.then_some(" *")}</label>
            {control}
            {(!spec.help.is_empty()).then(|| view! { <small class="help">{spec.help}</small> })}
            <p class="field-error" id=format!("error-{key}") role="alert">{error}</p>
        </div>
    }
}

fn placeholder(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Cidr => "192.168.0.0/16",
        FieldType::CidrList => "10.10.10.0/24, 10.10.20.0/24",
        FieldType::Ip => "203.0.113.10",
        FieldType::Date => "YYYY-MM-DD",
        FieldType::Uid => "1234567890123456",
        FieldType::Mbps => "10",
        _ => "",
    }
}

fn options_for(plan: &crate::core::model::Plan, spec: &FieldSpec) -> Vec<(String, String)> {
    match spec.ty {
        FieldType::Ref(kinds) | FieldType::OptRef(kinds) => fields::candidates(plan, kinds),
        FieldType::Region => fields::region_options(plan),
        FieldType::Area => Area::ALL.iter().map(|a| (a.api_id().to_string(), a.label().to_string())).collect(),
        FieldType::CcnArea => CcnArea::ALL.iter().map(|a| (a.key().to_string(), a.label().to_string())).collect(),
        FieldType::Choice(options) => options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect(),
        _ => Vec::new(),
    }
}
