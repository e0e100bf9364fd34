//! What the canvas shows of a big plan, and the matrix beside it.
//!
//! `ViewControls` sets `State::canvas` (`core::condense::ViewOptions`: collapsed regions and areas,
//! the CEN and account filters), kept across reloads; the canvas draws `condense::apply` of its
//! diagram, and a click on a summary node expands it. `MatrixBeside` is the reachability matrix as a
//! side panel of the canvas (the findings panel makes room while it is open), with the chosen pair's
//! answer (both directions above it, their hops below it); the
//! path is drawn on the canvas, and choosing two nodes there (Shift+click) chooses their cell.

use super::State;
use crate::core::condense::ViewOptions;
use crate::core::model::{Kind, Plan};
use leptos::prelude::*;

/// A plan with more nodes than this opens with every region collapsed (summary nodes).
pub const COLLAPSE_FROM: usize = 100;

/// How the canvas shows a plan just opened (a new plan, an example, an import): every region
/// collapsed when it has more than `COLLAPSE_FROM` nodes, else everything drawn. A plan too big to
/// draw on every change (`diagram::DRAW_NODES_UP_TO`) waits for "Draw it anyway" or "Draw it
/// collapsed": collapsed, the largest generated plan still takes 200–500 ms a change (the whole
/// diagram is laid out before it is collapsed), over the 50 ms budget of a task.
pub fn opening(plan: &Plan) -> ViewOptions {
    let mut o = ViewOptions::default();
    let nodes = crate::core::diagram::node_count(plan);
    if nodes > COLLAPSE_FROM && nodes <= super::diagram::DRAW_NODES_UP_TO {
        o.collapse_all();
    }
    o
}

/// The canvas's view tools: filter by CEN, by account; collapse or expand every region; the matrix beside.
#[component]
pub fn ViewControls() -> impl IntoView {
    let state = expect_context::<State>();
    let findings_back = StoredValue::new(false);
    let options = move |which: bool| {
        state.track_list(if which { Kind::Cen } else { Kind::Account });
        state.plan.with_untracked(|p| {
            let list: Vec<(String, String)> = if which {
                p.cens.iter().map(|c| (c.id.clone(), label(&c.name, &c.id))).collect()
            } else {
                p.accounts.iter().map(|a| (a.id.clone(), label(&a.name, &a.id))).collect()
            };
            list
        })
    };
    let picker = move |which: bool| {
        let (id, all, aria) = if which {
            ("filter-cen", "All CENs", "Show only the networks attached to a CEN")
        } else {
            ("filter-account", "All accounts", "Show only the networks of an account")
        };
        let current = move || {
            state
                .canvas
                .with(|o| if which { o.cen.clone() } else { o.account.clone() })
                .unwrap_or_default()
        };
        view! {
            <select id=id class="canvas-filter" aria-label=aria title=aria on:change=move |ev| {
                let v = event_target_value(&ev);
                let v = (!v.is_empty()).then_some(v);
                state.canvas.update(|o| if which { o.cen = v } else { o.account = v });
            }>
                <option value="" selected=move || current().is_empty()>{all}</option>
                {move || options(which).into_iter().map(|(v, l)| {
                    let on = v.clone();
                    view! { <option value=v selected=move || current() == on>{l}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <span class="view-controls">
            <details class="menu view-menu">
                <summary id="view-menu" title="Filter the canvas by CEN or account; collapse or expand the regions">"View"</summary>
                <div class="menu-items" role="group" aria-label="What the canvas shows">
                    {picker(true)}
                    {picker(false)}
                    <button id="collapse-all" title="Collapse every region into a summary node (click one to expand it)" on:click=move |_| state.canvas.update(ViewOptions::collapse_all)>"Collapse every region"</button>
                    <button id="expand-all" title="Expand every region and area" on:click=move |_| state.canvas.update(ViewOptions::expand_all)>"Expand everything"</button>
                </div>
            </details>
            <button
                id="matrix-beside"
                title="The reachability matrix beside the canvas"
                aria-pressed=move || state.matrix_beside.get().to_string()
                on:click=move |_| {
                    // The answer is beside the matrix: the findings panel makes room while it is open.
                    let open = !state.matrix_beside.get_untracked();
                    state.matrix_beside.set(open);
                    if open && state.show_findings.get_untracked() {
                        state.show_findings.set(false);
                        findings_back.set_value(true);
                    } else if !open && findings_back.get_value() {
                        state.show_findings.set(true);
                        findings_back.set_value(false);
                    }
                }
            >"Matrix"</button>
        </span>
    }
}

fn label(name: &str, id: &str) -> String {
    if name.trim().is_empty() {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// The matrix as a side panel of the canvas, with the chosen pair's answer: both directions in a
/// line each above it, their hops below it.
#[component]
pub fn MatrixBeside() -> impl IntoView {
    view! {
        <aside class="matrix-side" id="matrix-side" aria-label="Reachability matrix beside the canvas">
            {super::lazy::matrix_beside_view()}
        </aside>
    }
}

/// The key of the collapsed group (summary node) that holds node `id`, if any.
pub fn group_of(d: &crate::core::diagram::Diagram, id: &str) -> Option<String> {
    d.summaries
        .iter()
        .find(|s| s.members.iter().any(|m| m == id))
        .map(|s| s.key.clone())
}

/// Expands (or collapses) the summary node under a client point, if there is one.
pub fn click_summary(state: State, client: (f64, f64)) {
    let key = document()
        .element_from_point(client.0 as f32, client.1 as f32)
        .and_then(|e| e.closest("[data-group]").ok().flatten())
        .and_then(|e| e.get_attribute("data-group"));
    if let Some(key) = key {
        state.canvas.update(|o| o.toggle(&key));
    }
}

/// Enter or Space on a focused summary node expands it; true when the key was for one.
pub fn key_on_summary(state: State, ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let key = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("[data-group]").ok().flatten())
        .and_then(|e| e.get_attribute("data-group"));
    match key {
        Some(key) if matches!(ev.key().as_str(), "Enter" | " ") => {
            ev.prevent_default();
            state.canvas.update(|o| o.toggle(&key));
            true
        }
        Some(_) => true,
        None => false,
    }
}

/// Find on the canvas: the first node drawn whose id is `text` (any case), else whose name or id
/// holds it; else an entity of a node kind inside a collapsed region (the canvas does not draw it;
/// selecting it opens the region).
pub fn find(drawn: &crate::core::diagram::Diagram, plan: &Plan, text: &str) -> Option<(Kind, String)> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    drawn
        .nodes
        .iter()
        .find(|n| n.id.to_lowercase() == text)
        .or_else(|| {
            drawn
                .nodes
                .iter()
                .find(|n| n.label.to_lowercase().contains(&text) || n.id.to_lowercase().contains(&text))
        })
        .map(|n| (n.kind, n.id.clone()))
        .or_else(|| find_in_plan(plan, &text))
}

/// A node kind entity whose id is `text` or whose name or id holds it.
fn find_in_plan(plan: &Plan, text: &str) -> Option<(Kind, String)> {
    let mut exact = None;
    let mut partial = None;
    plan.for_each_entity(|kind, _, id, name| {
        if !crate::core::diagram::NODE_KINDS.contains(&kind) {
            return;
        }
        if exact.is_none() && id.to_lowercase() == text {
            exact = Some((kind, id.to_string()));
        }
        if partial.is_none() && (name.to_lowercase().contains(text) || id.to_lowercase().contains(text)) {
            partial = Some((kind, id.to_string()));
        }
    });
    exact.or(partial)
}
