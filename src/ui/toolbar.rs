//! The top bar: plan name, the date the plan is checked as of, the File (new / import / export),
//! Report (review, compare, print, download) and Examples menus, undo/redo, the view and the side panels.

use super::State;
use crate::core::catalog::{DOCS_2019_DATE, SEED_TABLE_DATE};
use crate::core::edit::Edit;
use crate::core::examples::EXAMPLES;
use crate::core::format;
use crate::core::model::Plan;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Opens one of the example plans (fetched from the app's own files), replacing the plan (undoable).
pub fn open_example(state: State, ex: &'static crate::core::examples::Example) {
    state.notice.set(Some(super::Notice {
        tone: super::Tone::Ok,
        text: format!("Opening the example “{}”…", ex.title),
        actions: vec![],
    }));
    leptos::task::spawn_local(async move {
        let text = super::files::fetch_text(&format!("./examples/{}.json", ex.key)).await;
        match text.and_then(|t| format::from_json(&t).map_err(|e| e.to_string())) {
            Ok(plan) => state.replace(plan, format!("Opened the example “{}”.", ex.title)),
            Err(e) => state.error(format!("The example could not be opened: {e}")),
        }
    });
}

/// The top bar: one row (File, Report and Examples menus, undo/redo, the view and the side panels).
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
    // A menu closes once one of its items is used.
    let close_menu = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if target.as_ref().and_then(|t| t.closest("button").ok().flatten()).is_some() {
            if let Some(d) = target.and_then(|t| t.closest("details").ok().flatten()) {
                let _ = d.remove_attribute("open");
            }
        }
    };

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
                <details class="menu" id="file-menu">
                    <summary>"File"</summary>
                    <div class="menu-items" on:click=close_menu>
                        <button id="new-plan" on:click=move |_| {
                            state.replace(Plan::new("Untitled plan", &today_for_new), "Started a new plan.".into());
                        }>"New plan"</button>
                        <button id="import-plan" on:click=move |_| {
                            if let Some(input) = file_input.get() {
                                input.click();
                            }
                        }>"Import plan…"</button>
                        <button id="export-plan" on:click=export>"Export plan"</button>
                    </div>
                </details>
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
                <details class="menu" id="report-menu">
                    <summary>"Report"</summary>
                    <div class="menu-items" on:click=close_menu>
                        {super::lazy::review_tools_view()}
                    </div>
                </details>
                <label class="button-like">
                    <span class="sr-only">"Open an example plan"</span>
                    <select id="examples" on:change=move |ev| {
                        let key = event_target_value(&ev);
                        if let Some(ex) = crate::core::examples::find(&key) {
                            open_example(state, ex);
                        }
                        if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            sel.set_value("");
                        }
                    }>
                        <option value="" selected=true>"Examples"</option>
                        {EXAMPLES.iter().map(|e| view! { <option value=e.key>{e.title}</option> }).collect_view()}
                    </select>
                </label>
                <button id="undo" aria-label="Undo (Ctrl+Z)" title="Undo (Ctrl+Z)" disabled=move || state.undo.with(Vec::is_empty) on:click=move |_| state.undo()>"↶"</button>
                <button id="redo" aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)" disabled=move || state.redo.with(Vec::is_empty) on:click=move |_| state.redo()>"↷"</button>
                <span class="view-switch" role="group" aria-label="View">
                    <button
                        id="show-diagram"
                        aria-pressed=move || (state.view.get() == super::MainView::Diagram).to_string()
                        on:click=move |_| state.view.set(super::MainView::Diagram)
                    >"Canvas"</button>
                    <button
                        id="show-matrix"
                        aria-pressed=move || (state.view.get() == super::MainView::Matrix).to_string()
                        on:click=move |_| {
                            state.view.update(|v| {
                                *v = if *v == super::MainView::Matrix { super::MainView::Diagram } else { super::MainView::Matrix };
                            })
                        }
                    >"Matrix"</button>
                </span>
                <span class="view-switch" role="group" aria-label="Side panels">
                    <button
                        id="toggle-list"
                        title="Show or hide the entity list"
                        aria-pressed=move || state.show_list.get().to_string()
                        on:click=move |_| state.show_list.update(|v| *v = !*v)
                    >"List"</button>
                    <button
                        id="toggle-findings"
                        title="Show or hide the findings and reachability"
                        aria-pressed=move || state.show_findings.get().to_string()
                        on:click=move |_| state.show_findings.update(|v| *v = !*v)
                    >"Findings"</button>
                </span>
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
        } else if saver.dirty.get() || saver.pending.get() > 0 {
            ("saving", "Saving…")
        } else {
            ("saved", "Saved")
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
