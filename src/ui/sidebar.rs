//! The sidebar: every entity kind with its entities, an add button each, and finding counts.

use super::keyed::Keyed;
use super::State;
use crate::core::findings::Severity;
use crate::core::model::{Entity, Index, Kind};
use leptos::prelude::*;
use std::collections::HashMap;

/// The worst severity and the count of findings per entity id, computed once per report.
#[derive(Clone, Copy)]
struct Badges(Keyed<(Severity, usize)>);

/// The forms (entity ids, `new:<kind>`) holding typed text that is not in the plan.
#[derive(Clone, Copy)]
struct Unsaved(Keyed<()>);

/// The id of the entity open in the inspector.
#[derive(Clone, Copy)]
struct Selected(Keyed<()>);

/// The sidebar.
#[component]
pub fn Sidebar() -> impl IntoView {
    let state = expect_context::<State>();
    // Each row reads its own key of these (`Keyed`): an edit re-runs only the rows it changes.
    provide_context(Badges(Keyed::new(move || {
        state.report(|r| {
            let mut map: HashMap<String, (Severity, usize)> = HashMap::new();
            for f in &r.findings {
                if let Some(e) = &f.entity {
                    let slot = map.entry(e.id.clone()).or_insert((f.severity, 0));
                    slot.0 = slot.0.min(f.severity);
                    slot.1 += 1;
                }
            }
            map
        })
    })));
    provide_context(Unsaved(Keyed::new(move || {
        state.drafts.with(|d| d.keys().map(|k| (k.clone(), ())).collect())
    })));
    provide_context(Selected(Keyed::new(move || {
        state
            .selection
            .with(|s| s.iter().filter_map(|s| s.id.clone()).map(|id| (id, ())).collect())
    })));
    view! {
        <nav class="sidebar" aria-label="Entities">
            {Kind::ALL.iter().map(|&kind| view! { <KindSection kind=kind /> }).collect_view()}
        </nav>
    }
}

/// How many entities of a kind the sidebar shows at first (and adds per "Show more").
const PAGE: usize = 50;

#[component]
fn KindSection(kind: Kind) -> impl IntoView {
    let state = expect_context::<State>();
    // The kind's rows as (id, label), in list order. Read again only when an edit may have changed
    // this kind's list (`State::touch`), and then only the rows of the entities put in place when
    // that is all that changed (`State::list_puts`): saving one vSwitch of a plan of 18,800 relabels one row.
    let items = RwSignal::new(Vec::<(String, String)>::new());
    let read_all = move || {
        state.plan.with_untracked(|p| {
            // Relations (attachments, grants, ...) are labelled by what they join, which needs the index.
            let empty = crate::with_list!(p, kind, |list| list.is_empty());
            let index = if kind.labelled_by_others() && !empty {
                Index::new(p)
            } else {
                Index::default()
            };
            crate::with_list!(p, kind, |list| list
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id().to_string(), p.label(&index, kind, i)))
                .collect::<Vec<_>>())
        })
    };
    items.set(read_all());
    let _ = state.take_list_puts(kind);
    Effect::new(move |first: Option<()>| {
        state.track_list(kind);
        if first.is_none() {
            return;
        }
        let relabelled = state.take_list_puts(kind).and_then(|ids| {
            state.plan.with_untracked(|p| {
                let index = Index::default();
                let mut rows = Vec::with_capacity(ids.len());
                for id in &ids {
                    // The row and the entity are at the same place in their lists, or all is read again.
                    let i = items.with_untracked(|all| all.iter().position(|(row, _)| row == id))?;
                    let same = crate::with_list!(p, kind, |list| list.get(i).is_some_and(|e| e.id() == id));
                    if !same {
                        return None;
                    }
                    rows.push((i, p.label(&index, kind, i)));
                }
                Some(rows)
            })
        });
        match relabelled {
            Some(rows) => {
                let changed = items.with_untracked(|all| rows.iter().any(|(i, label)| all[*i].1 != *label));
                if changed {
                    items.update(|all| rows.into_iter().for_each(|(i, label)| all[i].1 = label));
                }
            }
            None => {
                let all = read_all();
                if items.with_untracked(|now| *now != all) {
                    items.set(all);
                }
            }
        }
    });
    let shown = RwSignal::new(PAGE);
    let filter = RwSignal::new(String::new());
    let unsaved = expect_context::<Unsaved>();
    let new_key = super::draft_key(kind, None);
    let has_new_draft = move || unsaved.0.contains(&new_key);
    let add_label = {
        let has_new_draft = has_new_draft.clone();
        move || {
            if has_new_draft() {
                format!("Add {} (your draft is kept)", kind.label())
            } else {
                format!("Add {}", kind.label())
            }
        }
    };
    view! {
        <section class="kind" data-kind=kind.key()>
            <div class="kind-head">
                <h2>{kind.plural()} <span class="count">{move || items.with(Vec::len)}</span></h2>
                <button
                    class="add"
                    class:has-draft=has_new_draft.clone()
                    id=format!("add-{}", kind.key())
                    aria-label=add_label.clone()
                    title=add_label
                    on:click=move |_| state.select(kind, None)
                >"+"</button>
            </div>
            <ul class="entities">
                <For
                    each=move || {
                        // Long lists render a page at a time, filtered by name or id.
                        let needle = filter.get().to_ascii_lowercase();
                        items.with(|all| {
                            all.iter()
                                .filter(|(id, label)| needle.is_empty() || id.to_ascii_lowercase().contains(&needle) || label.to_ascii_lowercase().contains(&needle))
                                .take(shown.get())
                                .cloned()
                                .collect::<Vec<_>>()
                        })
                    }
                    key=|(id, label)| (id.clone(), label.clone())
                    let((id, label))
                >
                    <EntityItem kind=kind id=id label=label />
                </For>
            </ul>
            {move || {
                let total = items.with(Vec::len);
                (total > PAGE).then(|| {
                    let needle = filter.get().to_ascii_lowercase();
                    let matching = items.with(|all| all.iter().filter(|(id, label)| needle.is_empty() || id.to_ascii_lowercase().contains(&needle) || label.to_ascii_lowercase().contains(&needle)).count());
                    let hidden = matching.saturating_sub(shown.get());
                    view! {
                        <div class="list-more">
                            <input
                                type="search"
                                class="list-filter"
                                placeholder=format!("Filter {} {}", total, kind.plural())
                                aria-label=format!("Filter {}", kind.plural())
                                prop:value=move || filter.get()
                                on:input=move |ev| { filter.set(event_target_value(&ev)); shown.set(PAGE); }
                            />
                            {(hidden > 0).then(|| view! {
                                <button class="link" on:click=move |_| shown.update(|n| *n += PAGE)>{format!("Show {} more of {hidden}", PAGE.min(hidden))}</button>
                            })}
                        </div>
                    }
                })
            }}
        </section>
    }
}

#[component]
fn EntityItem(kind: Kind, id: String, label: String) -> impl IntoView {
    let state = expect_context::<State>();
    let id_for_badge = id.clone();
    let badges = expect_context::<Badges>();
    let badge = move || {
        badges
            .0
            .get(&id_for_badge)
            .map(|(w, n)| view! { <span class=format!("badge {}", w.as_str()) title=format!("{n} findings")>{n}</span> })
    };
    let id_sel = id.clone();
    let selected = expect_context::<Selected>();
    let is_selected = move || selected.0.contains(&id_sel);
    let id_click = id.clone();
    let id_attr = id.clone();
    let unsaved = expect_context::<Unsaved>();
    let id_unsaved = id.clone();
    let is_unsaved = move || unsaved.0.contains(&id_unsaved);
    view! {
        <li>
            <button
                class="entity"
                class:selected=is_selected
                data-id=id_attr
                on:click=move |_| state.select(kind, Some(id_click.clone()))
            >
                <span class="entity-name">{label}</span>
                <span class="entity-id">{id}</span>
                {move || is_unsaved().then(|| view! {
                    <span class="unsaved" title="Typed changes that are not in the plan yet">"edited"</span>
                })}
                {badge}
            </button>
        </li>
    }
}
