//! Architecture reviews: opening someone else's plan read-only beside your own, the report, and the
//! comparison with a baseline plan. The report and the differences are computed by the core
//! (`core::report`, `core::diff`); this module renders and wires the buttons.

use super::Shared;
use super::{files, Opening, State};
use crate::core::diff;
use crate::core::explain;
use crate::core::report;
use leptos::prelude::*;

/// The toolbar buttons of reviews: review a plan, compare with a baseline, print or save the report.
#[component]
pub fn ReviewTools() -> impl IntoView {
    let state = expect_context::<State>();
    let review_input = NodeRef::<leptos::html::Input>::new();
    let baseline_input = NodeRef::<leptos::html::Input>::new();
    let pick = |how: Opening| {
        move |ev: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                expect_context::<State>().import(file, how);
            }
            input.set_value("");
        }
    };
    let report_html = move || {
        state
            .plan
            .with_untracked(|p| state.analysis.with_untracked(|a| (p.name.clone(), report::html(p, a))))
    };
    let print_report = move |_| {
        let (_, html) = report_html();
        if let Err(e) = files::open_html(&html) {
            state.error(format!("The report could not be opened: {e}. Use \"Save report\" instead."));
        }
    };
    let save_report = move |_| {
        let (name, html) = report_html();
        let file = files::plan_file_name(&name).replace(".cen-plan.json", "-report.html");
        if let Err(e) = files::download(&file, &html, "text/html") {
            state.error(format!("Saving the report failed: {e}."));
        }
    };
    view! {
        <button id="review-plan" on:click=move |_| { if let Some(i) = review_input.get() { i.click(); } }>"Review a plan…"</button>
        <input id="review-file" class="sr-only" type="file" accept=".json,application/json" tabindex="-1" node_ref=review_input on:change=pick(Opening::Review) />
        <button id="compare-plan" on:click=move |_| { if let Some(i) = baseline_input.get() { i.click(); } }>"Compare with…"</button>
        <input id="baseline-file" class="sr-only" type="file" accept=".json,application/json" tabindex="-1" node_ref=baseline_input on:change=pick(Opening::Baseline) />
        <button id="print-report" on:click=print_report>"Print / save report"</button>
        <button id="save-report" on:click=save_report>"Save report"</button>
    }
}

/// The bar shown while reviewing someone else's plan.
#[component]
pub fn ReviewBar() -> impl IntoView {
    let state = expect_context::<State>();
    move || {
        state.own.with(Option::is_some).then(|| {
            let name = state.plan.with(|p| p.name.clone());
            let open = state.plan.with(|p| p.comments.iter().filter(|c| !c.resolved).count());
            let waivers = state.plan.with(|p| p.waivers.len());
            view! {
                <div class="review-bar" id="review-bar" role="status">
                    <span>
                        <b>"Reviewing “"{name}"” (read-only)."</b>
                        {format!(" {open} open comments, {waivers} waivers. Add them with + under Review comments and Waivers.")}
                    </span>
                    <button id="export-review" on:click=move |_| state.export()>"Export reviewed plan"</button>
                    <button id="back-to-own" class="primary" on:click=move |_| state.back_to_own()>"Back to my plan"</button>
                </div>
            }
        })
    }
}

/// The differences between the baseline and the current plan.
#[component]
pub fn DiffView() -> impl IntoView {
    let state = expect_context::<State>();
    // The baseline's analysis, computed once per baseline; the current one is the app's.
    let baseline = Memo::new(move |_| {
        state
            .baseline
            .with(|b| b.as_ref().map(|(name, base)| (name.clone(), Shared::new(base.clone()))))
    });
    let result = Memo::new(move |_| {
        baseline.with(|b| {
            b.as_ref().map(|(name, base)| {
                // Comments do not invalidate the analysis: entities are compared on the current plan.
                state.analysis.with(|current| {
                    state.plan.with(|p| {
                        let d = diff::diff((base.plan(), base), (p, current));
                        let (octx, nctx) = (base.facts(), current.facts());
                        let name_of = |id: &str| {
                            if nctx.index.get(id).is_some() {
                                nctx.name(id).to_string()
                            } else {
                                octx.name(id).to_string()
                            }
                        };
                        let mut lines: Vec<(&'static str, String)> = Vec::new();
                        for (class, title, list) in [
                            ("added", "added", &d.added),
                            ("removed", "removed", &d.removed),
                            ("changed", "changed", &d.changed),
                        ] {
                            for e in list {
                                let fields = if e.fields.is_empty() {
                                    String::new()
                                } else {
                                    format!(" ({})", e.fields.join(", "))
                                };
                                lines.push((class, format!("{title}: {} {}{fields}", e.kind.label(), e.name)));
                            }
                        }
                        for f in &d.findings_appeared {
                            lines.push(("worse", format!("new finding {}: {}", f.code, f.message)));
                        }
                        for f in &d.findings_gone {
                            lines.push(("better", format!("finding gone {}: {}", f.code, f.message)));
                        }
                        for r in &d.routes_gained {
                            lines.push(("better", format!("route gained in {}: {}", name_of(&r.network), r.route)));
                        }
                        for r in &d.routes_lost {
                            lines.push(("worse", format!("route lost in {}: {}", name_of(&r.network), r.route)));
                        }
                        for r in &d.reachability {
                            let class = if r.after.is_success() { "better" } else { "worse" };
                            lines.push((
                                class,
                                format!(
                                    "{} → {}: {} → {}",
                                    name_of(&r.from),
                                    name_of(&r.to),
                                    explain::disposition(r.before),
                                    explain::disposition(r.after)
                                ),
                            ));
                        }
                        (name.clone(), lines)
                    })
                })
            })
        })
    });
    view! {
        <section class="diff-view" id="diff-view">
            {move || match result.get() {
                None => view! { <p>"Choose a baseline plan with “Compare with…”."</p> }.into_any(),
                Some((name, lines)) => {
                    let n = lines.len();
                    view! {
                        <h2>{format!("Compared with {name}: {n} differences")}</h2>
                        <ul class="diff-lines">
                            {lines.into_iter().map(|(class, text)| view! { <li class=class>{text}</li> }).collect_view()}
                        </ul>
                        <button id="clear-baseline" on:click=move |_| { state.baseline.set(None); state.view.set(super::MainView::Editor); }>"Stop comparing"</button>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
