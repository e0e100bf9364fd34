//! Architecture reviews: opening someone else's plan read-only beside your own, the report, and the
//! comparison with a baseline plan. The report and the differences are computed by the core
//! (`core::report`, `core::diff`); this module renders and wires the buttons.

use super::{files, Notice, Opening, State, Tone};
use crate::core::format;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

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
    // The report is made in the analysis worker (it is not in the page's wasm): the page says so and
    // stays responsive; the tab is opened at the click (a later window.open would be a pop-up) and
    // shows the report when it is ready.
    let busy = RwSignal::new(false);
    let make_report = move |kind: &'static str, then: Box<dyn FnOnce(String, JsValue)>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        state.notice.set(Some(Notice {
            tone: Tone::Ok,
            text: "Preparing the report…".into(),
            actions: vec![],
        }));
        let name = state.plan.with_untracked(|p| p.name.clone());
        state.checker.task(state, kind, None, move |result| {
            busy.try_set(false);
            match result {
                Ok(html) => {
                    state.notice.set(None);
                    then(name, html);
                }
                Err(e) => state.error(format!("The report could not be made: {e}.")),
            }
        });
    };
    let print_report = move |_| {
        let tab = match files::open_blank() {
            Ok(tab) => tab,
            Err(e) => return state.error(format!("The report could not be opened: {e}. Use \"Download report\" instead.")),
        };
        make_report(
            "report",
            Box::new(move |_, html| {
                if let Err(e) = files::show_html(&tab, html) {
                    state.error(format!("The report could not be opened: {e}. Use \"Download report\" instead."));
                }
            }),
        );
    };
    let save_report = move |kind: &'static str| {
        make_report(
            kind,
            Box::new(move |name, html| {
                let file = files::plan_file_name(&name).replace(".cen-plan.json", "-report.html");
                if let Err(e) = files::download_js(&file, html, "text/html") {
                    state.error(format!("Saving the report failed: {e}."));
                }
            }),
        )
    };
    view! {
        <button id="review-plan" on:click=move |_| { if let Some(i) = review_input.get() { i.click(); } }>"Review a plan…"</button>
        <input id="review-file" class="sr-only" type="file" accept=".json,application/json" tabindex="-1" node_ref=review_input on:change=pick(Opening::Review) />
        <button id="compare-plan" on:click=move |_| { if let Some(i) = baseline_input.get() { i.click(); } }>"Compare with…"</button>
        <input id="baseline-file" class="sr-only" type="file" accept=".json,application/json" tabindex="-1" node_ref=baseline_input on:change=pick(Opening::Baseline) />
        <button id="print-report" on:click=print_report aria-busy=move || busy.get().to_string()>"Print report…"</button>
        <button id="save-report" on:click=move |_| save_report("report") aria-busy=move || busy.get().to_string()>"Download report (HTML)"</button>
        <button id="save-full-report" title="The report with every network's full route table (a big plan's report otherwise shows one row per network)" on:click=move |_| save_report("report-full") aria-busy=move || busy.get().to_string()>"Download full report (HTML)"</button>
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

/// The lines of a comparison (class, text), or why it could not be made.
type Compared = Result<Vec<(String, String)>, String>;

/// The differences between the baseline and the current plan.
#[component]
pub fn DiffView() -> impl IntoView {
    let state = expect_context::<State>();
    // The comparison is made in the analysis worker, from the baseline's plan file and the plan as it
    // is now; only the answer to the newest request is shown (older ones are dropped).
    let result: RwSignal<Option<(String, Compared)>> = RwSignal::new(None);
    let asked = StoredValue::new(0u64);
    let baseline_text = Memo::new(move |_| {
        state
            .baseline
            .with(|b| b.as_ref().map(|(name, base)| (name.clone(), format::to_json(base))))
    });
    Effect::new(move |_| {
        state.analysis.track();
        let Some((name, base)) = baseline_text.get() else {
            result.set(None);
            return;
        };
        let n = asked.get_value() + 1;
        asked.set_value(n);
        state.checker.task(state, "diff", Some(base), move |answer| {
            // The comparison view may be gone by the time the answer comes.
            if asked.try_get_value() != Some(n) {
                return;
            }
            let json = answer.map(|v| v.as_string().unwrap_or_default());
            let lines = json.and_then(|json| serde_json::from_str::<Vec<(String, String)>>(&json).map_err(|e| e.to_string()));
            result.try_set(Some((name, lines)));
        });
    });
    view! {
        <section class="diff-view" id="diff-view">
            {move || match result.get() {
                None if state.baseline.with(Option::is_some) => view! { <p id="diff-progress">"Comparing…"</p> }.into_any(),
                None => view! { <p>"Choose a baseline plan with “Compare with…”."</p> }.into_any(),
                Some((name, Err(e))) => view! { <p class="field-error">{format!("The comparison with {name} could not be made: {e}.")}</p> }.into_any(),
                Some((name, Ok(lines))) => {
                    let n = lines.len();
                    view! {
                        <h2>{format!("Compared with {name}: {n} differences")}</h2>
                        <ul class="diff-lines">
                            {lines.into_iter().map(|(class, text)| view! { <li class=class>{text}</li> }).collect_view()}
                        </ul>
                        <button id="clear-baseline" on:click=move |_| { state.baseline.set(None); state.view.set(super::MainView::Diagram); }>"Stop comparing"</button>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
