//! The top bar: plan name, the date the plan is checked as of, new / examples / import / export.

use super::State;
use crate::core::catalog::{DOCS_2019_DATE, SEED_TABLE_DATE};
use crate::core::edit::Edit;
use crate::core::examples::EXAMPLES;
use crate::core::format;
use crate::core::model::Plan;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The top bar.
#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<State>();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let today = state.today.get_value();
    let today_for_new = today.clone();
    let seeds = SEED_TABLE_DATE.to_string();
    let docs = DOCS_2019_DATE.to_string();
    let presets = vec![
        (seeds.clone(), format!("Seed area table ({seeds})")),
        (docs.clone(), format!("2019 documents ({docs})")),
        (today.clone(), format!("Today ({today})")),
    ];

    let export = move |_| state.export();

    view! {
        <header class="toolbar">
            <h1 class="brand">"CEN Planner"</h1>
            <label class="plan-name">
                <span class="sr-only">"Plan name"</span>
                <input
                    id="plan-name"
                    type="text"
                    prop:value=move || state.plan.with(|p| p.name.clone())
                    on:change=move |ev| {
                        let _ = state.apply(Edit::SetName(event_target_value(&ev)));
                    }
                />
            </label>
            <label class="as-of">
                "Rules as of "
                <select
                    id="as-of"
                    on:change=move |ev| {
                        if let Err(e) = state.apply(Edit::SetAsOf(event_target_value(&ev))) {
                            state.error(e);
                        }
                    }
                >
                    {move || {
                        let current = state.plan.with(|p| p.settings.as_of.clone());
                        let mut options = presets.clone();
                        if !options.iter().any(|(d, _)| *d == current) {
                            options.push((current.clone(), current.clone()));
                        }
                        options
                            .into_iter()
                            .map(|(d, label)| {
                                let selected = d == current;
                                view! { <option value=d selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <SaveStatus />
            <div class="actions">
                <button id="new-plan" on:click=move |_| {
                    state.replace(Plan::new("Untitled plan", &today_for_new), "Started a new plan.".into());
                }>"New plan"</button>
                <label class="button-like">
                    <span class="sr-only">"Open an example plan"</span>
                    <select id="examples" on:change=move |ev| {
                        let key = event_target_value(&ev);
                        if let Some(ex) = crate::core::examples::find(&key) {
                            // The examples are files next to the app (not in the wasm): fetched when chosen.
                            state.notice.set(Some(super::Notice { tone: super::Tone::Ok, text: format!("Opening the example “{}”…", ex.title), actions: vec![] }));
                            leptos::task::spawn_local(async move {
                                let text = super::files::fetch_text(&format!("./examples/{}.json", ex.key)).await;
                                match text.and_then(|t| format::from_json(&t).map_err(|e| e.to_string())) {
                                    Ok(plan) => state.replace(plan, format!("Opened the example “{}”.", ex.title)),
                                    Err(e) => state.error(format!("The example could not be opened: {e}")),
                                }
                            });
                        }
                        if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            sel.set_value("");
                        }
                    }>
                        <option value="" selected=true>"Examples…"</option>
                        {EXAMPLES.iter().map(|e| view! { <option value=e.key>{e.title}</option> }).collect_view()}
                    </select>
                </label>
                <button id="import-plan" on:click=move |_| {
                    if let Some(input) = file_input.get() {
                        input.click();
                    }
                }>"Import plan…"</button>
                <input
                    id="import-file"
                    class="sr-only"
                    type="file"
                    accept=".json,application/json"
                    tabindex="-1"
                    node_ref=file_input
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        if let Some(file) = input.files().and_then(|f| f.get(0)) {
                            state.import(file, super::Opening::Replace);
                        }
                        input.set_value("");
                    }
                />
                <button id="export-plan" on:click=export>"Export plan"</button>
                <super::review::ReviewTools />
                <button id="undo" aria-label="Undo (Ctrl+Z)" title="Undo (Ctrl+Z)" disabled=move || state.undo.with(Vec::is_empty) on:click=move |_| state.undo()>"↶"</button>
                <button id="redo" aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)" disabled=move || state.redo.with(Vec::is_empty) on:click=move |_| state.redo()>"↷"</button>
                <button
                    id="show-diagram"
                    aria-pressed=move || (state.view.get() == super::MainView::Diagram).to_string()
                    on:click=move |_| {
                        state.view.update(|v| {
                            *v = if *v == super::MainView::Diagram { super::MainView::Editor } else { super::MainView::Diagram };
                        })
                    }
                >"Diagram"</button>
                <button
                    id="show-matrix"
                    aria-pressed=move || (state.view.get() == super::MainView::Matrix).to_string()
                    on:click=move |_| {
                        state.view.update(|v| {
                            *v = if *v == super::MainView::Matrix { super::MainView::Editor } else { super::MainView::Matrix };
                        })
                    }
                >"Reachability matrix"</button>
            </div>
        </header>
    }
}

/// Whether the plan is saved in this browser: "Saved", "Saving…", "Not saved" or "Paused".
#[component]
fn SaveStatus() -> impl IntoView {
    let saver = expect_context::<super::persist::Saver>();
    let state = expect_context::<State>();
    let status = move || {
        if saver.conflict.get() {
            ("paused", "Saving paused")
        } else if saver.failed.get() {
            ("failed", "Not saved")
        } else if saver.dirty.get() {
            ("saving", "Saving…")
        } else {
            ("saved", "Saved in this browser")
        }
    };
    view! {
        <span id="save-status" class="save-status" data-state=move || status().0 aria-live="polite">
            {move || status().1}
            {move || saver.conflict.get().then(|| view! {
                <button class="link" id="choose-tab" on:click=move |_| saver.other_tab_saved(state)>"Choose…"</button>
            })}
        </span>
    }
}
