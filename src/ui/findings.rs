//! The findings panel: the core's report, grouped by severity; a finding selects its entity, and a
//! finding whose fix the plan can express (`Analysis::fix_edits`) offers "Apply this fix".

use super::State;
use crate::core::findings::Severity;
use leptos::prelude::*;

/// The findings panel.
#[component]
pub fn FindingsPanel() -> impl IntoView {
    let state = expect_context::<State>();
    let group = move |severity: Severity, title: &'static str| {
        // The rows as (key, finding, its fix's edits): a new analysis that finds the same (a name
        // edit) leaves the list as it is, and a row is rebuilt only when its finding changes (the
        // whole list was rebuilt on every check: on the largest plan, hundreds of rows per edit).
        let rows = Memo::new(move |_| {
            // Only the first findings of a group are rendered; the rest wait for "Show more".
            let limit = state.findings_shown.get();
            state.checked.with(|c| {
                c.report
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.severity == severity)
                    .take(limit)
                    .map(|(i, f)| {
                        // A fix the plan can express (the core decides, in the worker) is offered as edits.
                        let edits = c.fixes.get(&i).cloned().unwrap_or_default();
                        let key = format!(
                            "{i}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}",
                            f.code.as_str(),
                            f.entity.as_ref().map(|e| &e.id),
                            f.field,
                            f.message,
                            f.fix,
                            serde_json::to_string(&edits).unwrap_or_default()
                        );
                        (key, f.clone(), edits)
                    })
                    .collect::<Vec<_>>()
            })
        });
        let total = Memo::new(move |_| state.report(|r| r.count(severity)));
        let shown = Memo::new(move |_| total.get() > 0);
        move || {
            shown.get().then(|| {
                view! {
                    <section class=format!("findings-group {}", severity.as_str())>
                        <h3>{move || format!("{title} ({})", total.get())}</h3>
                        <ul>
                            <For each=move || rows.get() key=|(key, _, _)| key.clone() let((_, f, edits))>
                                {
                                    let target = f.entity.clone();
                                    let field = f.field;
                                    // A fix the plan cannot express reads "outside the plan: …" (core::findings).
                                    let fix = (!f.fix.is_empty()).then(|| f.fix_text());
                                    let where_ = f.entity.as_ref().map(|e| {
                                        let field = f.field.map(|x| format!(" · {x}")).unwrap_or_default();
                                        format!("{} {}{field}", e.kind.label(), e.id)
                                    });
                                    view! {
                                        <li class="finding">
                                            <button
                                                class="finding-button"
                                                disabled=target.is_none()
                                                on:click=move |_| {
                                                    if let Some(e) = &target {
                                                        // Selects (and so frames) its entity, then focuses the field it names.
                                                        state.select(e.kind, Some(e.id.clone()));
                                                        if let Some(field) = field {
                                                            request_animation_frame(move || {
                                                                if let Some(el) = document().get_element_by_id(&format!("field-{field}")) {
                                                                    if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&el) {
                                                                        let _ = el.focus();
                                                                    }
                                                                }
                                                            });
                                                        }
                                                    }
                                                }
                                            >
                                                <span class="code">{f.code.as_str()}</span>
                                                <span class="message">{f.message}</span>
                                                {where_.map(|w| view! { <span class="where">{w}</span> })}
                                                {fix.map(|fix| view! { <span class="fix">{format!("Fix: {fix}")}</span> })}
                                            </button>
                                            {(!edits.is_empty()).then(|| view! {
                                                <button class="apply-fix" on:click=move |_| {
                                                    // All the fix's edits, as one undo step.
                                                    if let Err(message) = state.apply_all(edits.clone()) {
                                                        state.error(message);
                                                    }
                                                }>"Apply this fix"</button>
                                            })}
                                        </li>
                                    }
                                }
                            </For>
                        </ul>
                        {move || {
                            let (total, limit) = (total.get(), state.findings_shown.get());
                            (total > limit).then(|| view! {
                                <button class="link" on:click=move |_| state.findings_shown.update(|n| *n += 100)>{format!("Show more ({} not shown)", total - limit)}</button>
                            })
                        }}
                    </section>
                }
            })
        }
    };
    // An edit on its way (a form applies it after the next paint) will change the findings too.
    let saver = use_context::<super::persist::Saver>();
    let checking = move || state.checking() || saver.is_some_and(|s| s.pending.get() > 0);
    // The line "checking…" shows from the frame after the one the input's own change is painted in (a
    // task after that frame): the frame that answers a Save is not held back by this line's paint
    // (docs/performance.md, eighth pass). It goes at once. `data-checking` says it at once either way.
    let shown = RwSignal::new(checking());
    Effect::new(move |_| {
        if checking() {
            super::after_next_paint(move || {
                let _ = shown.try_set(checking());
            });
        } else {
            shown.set(false);
        }
    });
    let summary = move || {
        if state.checked.with(|c| c.unavailable) {
            return "The analysis is not available.".to_string();
        }
        state.report(|r| {
            if r.findings.is_empty() {
                "No findings.".to_string()
            } else {
                format!(
                    "{} errors, {} warnings, {} info",
                    r.count(Severity::Error),
                    r.count(Severity::Warning),
                    r.count(Severity::Info)
                )
            }
        })
    };
    view! {
        <section class="findings-panel" aria-label="Findings" id="findings" data-checking=move || checking().to_string()>
            <h2>
                "Findings"
                // A big plan is checked in the worker: the findings of the previous version stay until then.
                // Always laid out (hidden when the findings are current): showing it moves nothing.
                <span class="checking" id="checking" role="status" class:idle=move || !shown.get()>" checking…"</span>
            </h2>
            <p class="summary" id="findings-summary" aria-live="polite">{summary}</p>
            {group(Severity::Error, "Errors")}
            {group(Severity::Warning, "Warnings")}
            {group(Severity::Info, "Info")}
            {move || {
                let waived = state.report(|r| r.waived.clone());
                (!waived.is_empty()).then(|| view! {
                    <section class="findings-group waived" id="waived">
                        <h3>{format!("Waived ({})", waived.len())}</h3>
                        <ul>
                            {waived.into_iter().map(|w| view! {
                                <li class="finding"><span class="code">{w.finding.code.as_str()}</span>" "{w.finding.message}<br/><span class="fix">{format!("Waived ({}): {}", w.waiver, w.reason)}</span></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
        </section>
    }
}
