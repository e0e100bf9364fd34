//! Reachability views: the "why can't A reach B?" explainer, the all-pairs matrix and route tables.
//!
//! Everything shown here is computed by `core::dataplane` and `core::reach` in the analysis worker
//! (`core::answers`); this module asks and renders.

use super::{Checker, State};
use crate::core::answers::{MatrixWindow, Table};
use crate::core::explain::{self, FlowText, TraceText};
use crate::core::flows::FlowState;
use crate::core::matrix::Cell;
use crate::core::reach::Disposition;
use leptos::prelude::*;

/// The class of a matrix cell (an undetermined one is a warning, like the test link).
fn cell_class(c: Cell) -> &'static str {
    match c {
        Cell::Reachable => "ok",
        Cell::TestLinkOnly | Cell::Undetermined => "warning",
        Cell::Unreachable => "error",
    }
}

fn disposition_class(d: Disposition) -> &'static str {
    match d {
        Disposition::Reachable => "ok",
        Disposition::TestLinkOnly => "warning",
        Disposition::Unreachable => "error",
    }
}

/// The "why can't A reach B?" explainer: both directions, live on every edit.
#[component]
pub fn ReachPanel() -> impl IntoView {
    let state = expect_context::<State>();
    // At most OPTIONS choices are rendered (large plans have thousands); a filter narrows them.
    const OPTIONS: usize = 200;
    let filter = RwSignal::new(String::new());
    // The endpoints come with the findings (from the worker for a big plan): choosing needs no data plane.
    let all_options = Memo::new(move |_| state.checked.with(|c| c.endpoints.clone()));
    let options = Memo::new(move |_| {
        let needle = filter.get().to_ascii_lowercase();
        let keep = (state.reach_from.get(), state.reach_to.get());
        all_options.with(|all| {
            let all = all.as_slice();
            let mut out: Vec<(String, String)> = all
                .iter()
                .filter(|(id, name)| {
                    needle.is_empty() || id.to_ascii_lowercase().contains(&needle) || name.to_ascii_lowercase().contains(&needle)
                })
                .take(OPTIONS)
                .cloned()
                .collect();
            for id in [keep.0, keep.1] {
                if !id.is_empty() && !out.iter().any(|(o, _)| *o == id) {
                    if let Some(e) = all.iter().find(|(o, _)| *o == id) {
                        out.push(e.clone());
                    }
                }
            }
            out
        })
    });
    let pair = move || {
        let (a, b) = (state.reach_from.get(), state.reach_to.get());
        (!a.is_empty() && !b.is_empty()).then_some((a, b))
    };
    let answer = Checker::answer::<Result<(String, Vec<TraceText>), String>>(state, "reach", move || {
        pair().map(|p| serde_json::to_string(&p).unwrap_or_default())
    });
    let select = move |which: RwSignal<String>, id: &'static str, label: &'static str| {
        view! {
            <label class="reach-pick">
                {label}
                <select id=id on:change=move |ev| which.set(event_target_value(&ev))>
                    {move || {
                        let current = which.get();
                        let mut opts = options.get();
                        opts.insert(0, (String::new(), "(choose)".into()));
                        opts.into_iter()
                            .map(|(v, l)| {
                                let selected = v == current;
                                view! { <option value=v selected=selected>{l}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    view! {
        <section class="reach-panel" aria-label="Why can't A reach B?">
            <h2>"Why can't A reach B?"</h2>
            <div class="reach-picks">
                {move || (all_options.with(|a| a.len()) > OPTIONS).then(|| view! {
                    <input type="search" class="list-filter" id="reach-filter" placeholder="Filter networks and offices" aria-label="Filter the choices" on:input=move |ev| filter.set(event_target_value(&ev)) />
                })}
                {select(state.reach_from, "reach-from", "From ")}
                {select(state.reach_to, "reach-to", "To ")}
            </div>
            <div id="reach-result" aria-live="polite">
                {move || match (pair(), answer.get()) {
                    (None, _) => view! { <p class="muted">"Pick two networks, offices or branches."</p> }.into_any(),
                    (Some(_), None) => view! { <p class="muted" id="reach-progress">"Tracing…"</p> }.into_any(),
                    (Some(_), Some(Err(e) | Ok(Err(e)))) => view! { <p class="field-error">{e}</p> }.into_any(),
                    (Some(_), Some(Ok(Ok((verdict, traces))))) => view! {
                        <p class="reach-verdict"><b>{verdict}</b></p>
                        {traces.into_iter().map(|t| trace_view(state, t)).collect_view()}
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

/// The chosen pair's answer beside the matrix: its verdict and each direction's in one line above
/// the matrix, the hops (and the fix of a blocked one) below it; the path is drawn on the canvas.
#[component]
pub fn PairAnswer(matrix: AnyView) -> impl IntoView {
    let state = expect_context::<State>();
    let pair = move || {
        let (a, b) = (state.reach_from.get(), state.reach_to.get());
        (!a.is_empty() && !b.is_empty()).then_some((a, b))
    };
    let answer = Checker::answer::<Result<(String, Vec<TraceText>), String>>(state, "reach", move || {
        pair().map(|p| serde_json::to_string(&p).unwrap_or_default())
    });
    let traces = move || match answer.get() {
        Some(Ok(Ok((_, traces)))) if pair().is_some() => traces,
        _ => Vec::new(),
    };
    view! {
        <div class="pair-answer" id="pair-answer" aria-live="polite">
            {move || match (pair(), answer.get()) {
                (None, _) => view! { <p class="muted">"Pick a cell, or select a node on the canvas and Shift+click another."</p> }.into_any(),
                (Some(_), None) => view! { <p class="muted">"Tracing…"</p> }.into_any(),
                (Some(_), Some(Err(e) | Ok(Err(e)))) => view! { <p class="field-error">{e}</p> }.into_any(),
                (Some(_), Some(Ok(Ok((verdict, traces))))) => view! {
                    <p class="reach-verdict" id="pair-verdict"><b>{verdict}</b></p>
                    <ul class="pair-directions">
                        {traces.into_iter().map(|t| view! {
                            <li class=format!("pair-direction {}", disposition_class(t.disposition))>{t.title}": "<span class="verdict">{t.verdict}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
        {matrix}
        <div class="pair-traces" id="pair-traces">
            {move || traces().into_iter().map(|t| trace_view(state, t)).collect_view()}
        </div>
    }
}

fn trace_view(state: State, t: TraceText) -> impl IntoView {
    view! {
        <div class=format!("trace {}", disposition_class(t.disposition))>
            <h3>{t.title}": " <span class="verdict">{t.verdict}</span></h3>
            <ol class="hops">
                {t.hops.into_iter().map(|(at, via)| view! { <li><b>{at}</b>": "{via}</li> }).collect_view()}
            </ol>
            {t.blocked.map(|b| {
                let edits = b.edits.clone();
                view! {
                    <p class="blocked"><span class="code">{b.code}</span>" at "<b>{b.at}</b>": "{b.reason}</p>
                    <p class="fix">"Fix: "{b.fix}</p>
                    {(!edits.is_empty()).then(|| view! {
                        <button class="apply-fix" on:click=move |_| {
                            // All the fix's edits, as one undo step.
                            if let Err(message) = state.apply_all(edits.clone()) {
                                state.error(message);
                            }
                        }>"Apply this fix"</button>
                    })}
                }
            })}
            {t.undetermined.map(|u| view! { <p class="warning-line">"Undetermined: "{u}</p> })}
            {t.warnings.into_iter().map(|w| view! { <p class="warning-line">{w}</p> }).collect_view()}
        </div>
    }
}

/// The all-pairs matrix; a cell opens the explainer for that pair.
#[component]
pub fn MatrixView() -> impl IntoView {
    let state = expect_context::<State>();
    // Large plans have thousands of endpoints: one window of WINDOW × WINDOW cells is computed and drawn:
    // the page of rows from `rows` by the page of columns from `columns` (the same page but for a chosen
    // pair whose endpoints are on two pages).
    const WINDOW: usize = 40;
    let rows = RwSignal::new(0usize);
    let columns = RwSignal::new(0usize);
    let window = Checker::answer::<MatrixWindow>(state, "matrix", move || {
        serde_json::to_string(&(rows.get(), columns.get(), WINDOW)).ok()
    });
    // The number of endpoints, kept while the next window is computed (so the pager, and the focus on
    // its buttons, stays).
    let total = Memo::new(move |prev: Option<&usize>| {
        window.with(|w| match w {
            Some(Ok(w)) => w.total,
            Some(Err(_)) => 0,
            None => prev.copied().unwrap_or(0),
        })
    });
    let paged = Memo::new(move |_| total.get() > WINDOW);
    // The chosen pair (a cell, or two nodes Shift+clicked on the canvas): where its endpoints are in
    // the whole list; the page of its source's row by the page of its destination's column is shown.
    let chosen = Memo::new(move |_| {
        let (a, b) = (state.reach_from.get(), state.reach_to.get());
        state.checked.with(|c| {
            let at = |id: &str| c.endpoints.iter().position(|(e, _)| e == id);
            at(&a).zip(at(&b))
        })
    });
    Effect::new(move |_| {
        if let Some((i, j)) = chosen.get() {
            if rows.get_untracked() != i / WINDOW * WINDOW {
                rows.set(i / WINDOW * WINDOW);
            }
            if columns.get_untracked() != j / WINDOW * WINDOW {
                columns.set(j / WINDOW * WINDOW);
            }
        }
    });
    // The chosen cell is brought into view when its window arrives (after the table is drawn).
    Effect::new(move |_| {
        window.track();
        chosen.track();
        request_animation_frame(show_chosen);
    });
    // The first endpoint shown: the offset, kept on a page that exists when the plan shrinks.
    let last = Memo::new(move |_| total.get().saturating_sub(1) / WINDOW * WINDOW);
    let start = Memo::new(move |_| rows.get().min(last.get()));
    let column_start = Memo::new(move |_| columns.get().min(last.get()));
    // Previous and Next show the square page before or after the rows'.
    let turn = move |to: usize| {
        rows.set(to);
        columns.set(to);
    };
    let pager = move || {
        paged.get().then(|| {
            view! {
                <p class="pager" id="matrix-pager">
                    <span id="matrix-range" aria-live="polite">
                        {move || {
                            let (s, c, n) = (start.get(), column_start.get(), total.get());
                            if s == c {
                                format!("Endpoints {}–{} of {n}", s + 1, (s + WINDOW).min(n))
                            } else {
                                format!("Rows {}–{}, columns {}–{} of {n} endpoints", s + 1, (s + WINDOW).min(n), c + 1, (c + WINDOW).min(n))
                            }
                        }}
                    </span>
                    <button
                        id="matrix-previous"
                        disabled={move || start.get() == 0 && column_start.get() == 0}
                        on:click=move |_| {
                            turn(start.get_untracked().saturating_sub(WINDOW));
                            // On the first page Previous is disabled: the keyboard moves on to Next.
                            if start.get_untracked() == 0 {
                                focus_later("matrix-next");
                            }
                        }
                    >"Previous"</button>
                    <button
                        id="matrix-next"
                        disabled={move || start.get() == last.get() && column_start.get() == last.get()}
                        on:click=move |_| {
                            turn((start.get_untracked() + WINDOW).min(last.get_untracked()));
                            if start.get_untracked() == last.get_untracked() {
                                focus_later("matrix-previous");
                            }
                        }
                    >"Next"</button>
                </p>
            }
        })
    };
    view! {
        <section class="matrix-view">
            <h2>"Reachability matrix"</h2>
            <p class="muted">"Rows reach columns, replies included. ✓ reachable both ways · ~ 1 Kbps test link only · ✗ not reachable (or one-way) · ? undetermined (the plan does not make the choice that decides it) · R / F a pair a required / forbidden flow speaks of. Pick a cell to see why."</p>
            {pager}
            {move || {
                let (names, columns, m, declared) = match window.get() {
                    None => return view! { <p class="muted" id="matrix-progress">"Computing the matrix…"</p> }.into_any(),
                    Some(Err(e)) => return view! { <p class="field-error">{e}</p> }.into_any(),
                    Some(Ok(w)) => {
                        let columns = if w.columns.is_empty() { w.names.clone() } else { w.columns };
                        (w.names, columns, w.cells, w.flows)
                    }
                };
                if names.is_empty() {
                    return view! { <p>"No network, office or branch with addresses yet."</p> }.into_any();
                }
                let head = columns.clone();
                view! {
                    <table class="matrix" id="matrix">
                        <thead>
                            <tr>
                                <th></th>
                                {head.into_iter().map(|(_, l)| view! { <th scope="col">{endpoint_label(l)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {m.into_iter()
                                .enumerate()
                                .map(|(i, row)| {
                                    let (from_id, from_label) = names[i].clone();
                                    let cells = row
                                        .into_iter()
                                        .enumerate()
                                        .map(|(j, d)| {
                                            let (to_id, to_label) = columns[j].clone();
                                            let from_id = from_id.clone();
                                            let symbol = explain::cell_mark(d);
                                            let flow = declared
                                                .iter()
                                                .find(|x| (x.row, x.col) == (i, j))
                                                .map(|x| (x.mark.clone(), x.words.clone()));
                                            let label = format!(
                                                "{} {} to {} {}: {}{}",
                                                names[i].1.what,
                                                names[i].1.name,
                                                to_label.what,
                                                to_label.name,
                                                explain::cell(d),
                                                flow.as_ref().map(|(_, w)| format!("; flow {w}")).unwrap_or_default()
                                            );
                                            let mark = flow.map(|(m, _)| view! { <sup class="flow-mark">{m}</sup> });
                                            let (row_id, col_id) = (from_id.clone(), to_id.clone());
                                            let is_chosen = move || state.reach_from.with(|f| *f == row_id) && state.reach_to.with(|t| *t == col_id);
                                            view! {
                                                <td class=cell_class(d) class:chosen=is_chosen>
                                                    <button
                                                        class="cell"
                                                        aria-label=label.clone()
                                                        title=label
                                                        on:click=move |_| {
                                                            state.reach_from.set(from_id.clone());
                                                            state.reach_to.set(to_id.clone());
                                                        }
                                                    >
                                                        {symbol}
                                                        {mark}
                                                    </button>
                                                </td>
                                            }
                                        })
                                        .collect_view();
                                    view! {
                                        <tr>
                                            <th scope="row">{endpoint_label(from_label)}</th>
                                            {cells}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
            <FlowsList />
        </section>
    }
}

/// The declared flows, each met, broken, forbidden but open, ... in the core's words, with the
/// deciding direction traced (and its fix, applicable when the plan can express it).
#[component]
fn FlowsList() -> impl IntoView {
    let state = expect_context::<State>();
    // Asked of the analysis worker, like the matrix (the page holds no analysis).
    let flows = Checker::answer::<Vec<FlowText>>(state, "flows", || Some("null".into()));
    move || {
        let list = flows.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty()).then(|| {
            view! {
                <div class="declared-flows" id="declared-flows">
                    <h3>"Declared flows"</h3>
                    <ul>
                        {list
                            .into_iter()
                            .map(|f| {
                                let class = match f.kind {
                                    FlowState::Met => "ok",
                                    FlowState::Broken | FlowState::Open => "error",
                                    _ => "warning",
                                };
                                view! {
                                    <li class=class>
                                        <b>{f.title}</b>": "{f.state}
                                        {f.detail.map(|d| view! { <p>{d}</p> })}
                                        {f.trace.map(|t| trace_view(state, t))}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Scrolls the matrix beside the canvas so that its chosen cell is in view, below the pair's answer
/// (which stays at the top of the panel).
fn show_chosen() {
    let Some(cell) = document().query_selector(".matrix-side td.chosen").ok().flatten() else {
        return;
    };
    let Some(side) = cell.closest(".matrix-side").ok().flatten() else {
        return;
    };
    let (c, r) = (side.get_bounding_client_rect(), cell.get_bounding_client_rect());
    let top = c.top()
        + document()
            .get_element_by_id("pair-answer")
            .map_or(0.0, |a| a.get_bounding_client_rect().height());
    // The row's name stays at the left (sticky); the scroll bars take about 16 px at the right and the bottom.
    let head = cell
        .parent_element()
        .and_then(|row| row.first_element_child())
        .map_or(0.0, |th| th.get_bounding_client_rect().width());
    let (left, right, bottom) = (c.left() + head, c.right() - 16.0, c.bottom() - 16.0);
    side.set_scroll_top(side.scroll_top() + into_view((r.top(), r.bottom()), (top, bottom)) as i32);
    side.set_scroll_left(side.scroll_left() + into_view((r.left(), r.right()), (left, right)) as i32);
}

/// How far to scroll along one axis so that `cell` (start, end) is within `shown` (start, end), with
/// 8 px to spare: positive forward, negative back, 0 when it is in view.
fn into_view(cell: (f64, f64), shown: (f64, f64)) -> f64 {
    if cell.1 > shown.1 {
        cell.1 - shown.1 + 8.0
    } else if cell.0 < shown.0 {
        cell.0 - shown.0 - 8.0
    } else {
        0.0
    }
}

/// Moves the focus to an element on the next frame (after the re-render).
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// An endpoint's name with the word for its kind (offices are named after their customer gateway).
fn endpoint_label(l: crate::core::matrix::Label) -> impl IntoView {
    view! { <span class="ep-name">{l.name}</span>" "<span class="ep-kind">{l.what}</span> }
}

/// The effective route table of one network.
#[component]
pub fn RouteTableView(network: String) -> impl IntoView {
    let state = expect_context::<State>();
    // A table can hold thousands of routes: render a page at a time.
    let shown = RwSignal::new(200usize);
    let table = Checker::answer::<Option<Table>>(state, "table", move || serde_json::to_string(&(network.clone(), shown.get())).ok());
    move || {
        table.get().and_then(Result::ok).flatten().map(|Table { cen, rows, total }| {
            let caption = match cen {
                Some(c) => format!("Route table (CEN {c})"),
                None => "Route table (not attached to a CEN)".to_string(),
            };
            view! {
                <section class="route-table">
                    <h3>{caption}</h3>
                    <table id="route-table">
                        <thead>
                            <tr>
                                <th scope="col">"Destination"</th>
                                <th scope="col">"Next hop"</th>
                                <th scope="col">"Origin"</th>
                                <th scope="col">"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| view! {
                                    <tr class:inactive=!r.active>
                                        <td class="mono">{r.prefix}</td>
                                        <td>{r.hop}</td>
                                        <td>{r.origin}</td>
                                        <td>{r.status}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    {(total > shown.get_untracked()).then(|| view! {
                        <button class="link" on:click=move |_| shown.update(|n| *n += 200)>{format!("Show more routes ({} not shown)", total - shown.get_untracked())}</button>
                    })}
                </section>
            }
        })
    }
}
