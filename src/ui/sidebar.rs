//! The sidebar: every entity kind with its entities, an add button each, and finding counts.

use super::State;
use crate::core::findings::Severity;
use crate::core::model::{Entity, Index, Kind};
use leptos::prelude::*;

/// The worst severity and the count of findings per entity id, computed once per report.
#[derive(Clone, Copy)]
struct Badges(Memo<std::collections::HashMap<String, (Severity, usize)>>);

/// The forms (entity ids, `new:<kind>`) holding typed text that is not in the plan.
#[derive(Clone, Copy)]
struct Unsaved(Memo<std::collections::BTreeSet<String>>);

/// The sidebar.
#[component]
pub fn Sidebar() -> impl IntoView {
    let state = expect_context::<State>();
    provide_context(Badges(Memo::new(move |_| {
        state.report(|r| {
            let mut map: std::collections::HashMap<String, (Severity, usize)> = std::collections::HashMap::new();
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
    provide_context(Unsaved(Memo::new(move |_| state.drafts.with(|d| d.keys().cloned().collect()))));
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
    let items = Memo::new(move |_| {
        // Rebuilt only when an edit may have changed this kind's list (`State::touch`), not on every edit.
        state.track_list(kind);
        state.plan.with_untracked(|p| {
            // Relations (attachments, grants, ...) are labelled by what they join, which needs the index.
            let named = !matches!(
                kind,
                Kind::Attachment | Kind::Grant | Kind::RegionBandwidth | Kind::Comment | Kind::Waiver
            );
            let empty = crate::with_list!(p, kind, |list| list.is_empty());
            let index = if named || empty { Index::default() } else { Index::new(p) };
            crate::with_list!(p, kind, |list| list
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id().to_string(), p.label(&index, kind, i)))
                .collect::<Vec<_>>())
        })
    });
    let shown = RwSignal::new(PAGE);
    let filter = RwSignal::new(String::new());
    let unsaved = expect_context::<Unsaved>();
    let new_key = super::draft_key(kind, None);
    let has_new_draft = move || unsaved.0.with(|u| u.contains(&new_key));
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
        badges.0.with(|b| {
            b.get(&id_for_badge)
                .map(|&(w, n)| view! { <span class=format!("badge {}", w.as_str()) title=format!("{n} findings")>{n}</span> })
        })
    };
    let id_sel = id.clone();
    let is_selected = move || {
        state
            .selection
            .with(|s| s.as_ref().is_some_and(|s| s.id.as_deref() == Some(id_sel.as_str())))
    };
    let id_click = id.clone();
    let id_attr = id.clone();
    let unsaved = expect_context::<Unsaved>();
    let id_unsaved = id.clone();
    let is_unsaved = move || unsaved.0.with(|u| u.contains(&id_unsaved));
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
