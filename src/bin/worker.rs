//! The analysis worker: a Web Worker (built by Trunk from `index.html`, `data-type="worker"`) that keeps
//! a copy of the page's plan and does the slow work of big plans off the page's thread: the analysis
//! (`core::analysis`, the same code the page and the CLI run) and the encoding of the stored copy
//! (`core::stored`). The page loads it only when a plan is big enough to need it (`ui::checker`).
//!
//! Messages are arrays whose first element says what they are:
//!
//! | from the page | answer |
//! |---|---|
//! | `["plan", rev, plan file text]`: the whole plan at revision `rev` | `["summary", rev, [summary JSON parts]]` (`Summary::to_parts`) when `analyse` is set (below) |
//! | `["edits", base, rev, edits JSON, analyse]`: the `core::edit::Edit`s that turn revision `base` into `rev` | the summary, or `["resync", rev]` when this copy is not at `base` |
//! | `["save", rev]`: the stored copy of revision `rev` | `["saved", rev, stored text]`, or `["resync", rev]` |
//!
//! | `["task", id, kind, rev, plan file text or null, argument]`: `kind` is `report` (the review report's HTML), `diff` (the comparison with the baseline plan file given as argument, as `core::diff::lines` JSON) or a question of `core::answers` (`table`, `reach`, `matrix`, `highlight`, `flows`, with its JSON argument); on the given plan, or on this copy at revision `rev` | `["done", id, true, text]`, or `["done", id, false, message]` |
//!
//! | `["png", id, width, height, pixels]`: RGBA pixels (a `Uint8ClampedArray`, as `ImageData` holds them) | `["done", id, true, PNG bytes (Uint8Array)]`, or `["done", id, false, message]` (`core::png`) |
//!
//! `["plan", …]` carries `analyse` as its fourth element too. The worker answers `["ready"]` once it
//! listens. Several edits that arrive together are analysed once: the analysis runs in a task of its
//! own after the queued messages, for the newest revision only.

#[cfg(target_arch = "wasm32")]
mod worker {
    use cen_planner::core::analysis::Analysis;
    use cen_planner::core::edit::{apply, Edit};
    use cen_planner::core::{answers, diff, format, model::Plan, png, report, stored};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// The copy of the page's plan and its revision.
        static MIRROR: RefCell<Option<(f64, Plan)>> = const { RefCell::new(None) };
        /// The revision whose summary the page asked for and has not been sent yet.
        static WANTED: Cell<Option<f64>> = const { Cell::new(None) };
        /// An analysis task is scheduled.
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
        /// The analysis of the copy at one revision, kept for the questions asked about it.
        static CACHE: RefCell<Option<(f64, Rc<Analysis>)>> = const { RefCell::new(None) };
    }

    /// How many findings one part of a summary holds: the page reads one part per task (a part of
    /// 1,000 took 14–29 ms on the largest plan's first edit; 500 keeps each task well under 50 ms).
    const SUMMARY_PART: usize = 500;

    fn scope() -> web_sys::DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(parts: &[JsValue]) {
        let message: js_sys::Array = parts.iter().collect();
        let _ = scope().post_message(&message);
    }

    fn resync(rev: f64) {
        MIRROR.with(|m| *m.borrow_mut() = None);
        post(&["resync".into(), rev.into()]);
    }

    /// Runs the analysis of the newest revision asked for, in a task after the queued messages.
    fn schedule() {
        if SCHEDULED.replace(true) {
            return;
        }
        let task = Closure::once_into_js(|| {
            SCHEDULED.set(false);
            let Some(wanted) = WANTED.take() else { return };
            let answer = analysis_at(wanted).map(|a| a.summary().to_parts(SUMMARY_PART));
            match answer {
                Some(Ok(parts)) => {
                    let parts: js_sys::Array = parts.into_iter().map(JsValue::from).collect();
                    post(&["summary".into(), wanted.into(), parts.into()])
                }
                Some(Err(e)) => post(&["error".into(), wanted.into(), e.to_string().into()]),
                None => {}
            }
        });
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
    }

    /// The analysis of the copy at revision `rev` (kept until the copy changes), if the copy is there.
    fn analysis_at(rev: f64) -> Option<Rc<Analysis>> {
        if let Some(a) = CACHE.with(|c| c.borrow().as_ref().filter(|(at, _)| *at == rev).map(|(_, a)| a.clone())) {
            return Some(a);
        }
        let plan = MIRROR.with(|m| m.borrow().as_ref().filter(|(at, _)| *at == rev).map(|(_, p)| p.clone()))?;
        let a = Rc::new(Analysis::new(plan));
        CACHE.with(|c| *c.borrow_mut() = Some((rev, a.clone())));
        Some(a)
    }

    fn want(rev: f64, analyse: bool) {
        if analyse {
            WANTED.set(Some(rev));
            schedule();
        }
    }

    /// A slow output of the app (the report, the comparison), made here so the page stays responsive.
    fn task(kind: &str, rev: f64, text: Option<String>, arg: Option<String>) -> Result<String, String> {
        let analysis = match text {
            Some(t) => Rc::new(Analysis::new(format::from_json(&t).map_err(|e| e.to_string())?)),
            None => analysis_at(rev).ok_or("the worker's copy of the plan is not current")?,
        };
        match kind {
            "report" => Ok(report::html(analysis.plan(), &analysis)),
            "report-full" => Ok(report::html_with(analysis.plan(), &analysis, report::RouteTables::Full)),
            "diff" => {
                let base = format::from_json(&arg.unwrap_or_default()).map_err(|e| e.to_string())?;
                let base = Analysis::new(base);
                let d = diff::diff((base.plan(), &base), (analysis.plan(), &analysis));
                serde_json::to_string(&diff::lines(&d, &base, &analysis)).map_err(|e| e.to_string())
            }
            _ => answers::ask(&analysis, kind, &arg.unwrap_or_default()),
        }
    }

    fn handle(data: JsValue) {
        let msg: js_sys::Array = data.unchecked_into();
        let what = msg.get(0).as_string().unwrap_or_default();
        let num = |i| msg.get(i).as_f64().unwrap_or(-1.0);
        match what.as_str() {
            "plan" => {
                let rev = num(1);
                match format::from_json(&msg.get(2).as_string().unwrap_or_default()) {
                    Ok(plan) => {
                        MIRROR.with(|m| *m.borrow_mut() = Some((rev, plan)));
                        want(rev, msg.get(3).is_truthy());
                    }
                    Err(e) => post(&["error".into(), rev.into(), e.to_string().into()]),
                }
            }
            "edits" => {
                let (base, rev) = (num(1), num(2));
                let edits: Result<Vec<Edit>, _> = serde_json::from_str(&msg.get(3).as_string().unwrap_or_default());
                let applied = MIRROR.with(|m| {
                    let mut m = m.borrow_mut();
                    match (m.as_mut(), edits) {
                        (Some((at, plan)), Ok(edits)) if *at == base => {
                            // The page applied the same edits to the same plan: they succeed here too.
                            let ok = edits.into_iter().all(|e| apply(plan, e).is_ok());
                            *at = rev;
                            ok
                        }
                        _ => false,
                    }
                });
                if applied {
                    want(rev, msg.get(4).is_truthy());
                } else {
                    resync(rev);
                }
            }
            "save" => {
                let rev = num(1);
                let text = MIRROR.with(|m| m.borrow().as_ref().filter(|(at, _)| *at == rev).map(|(_, p)| stored::write(p)));
                match text {
                    Some(text) => post(&["saved".into(), rev.into(), text.into()]),
                    None => resync(rev),
                }
            }
            "task" => {
                let id = msg.get(1);
                let kind = msg.get(2).as_string().unwrap_or_default();
                let result = task(&kind, num(3), msg.get(4).as_string(), msg.get(5).as_string());
                let (ok, text) = match result {
                    Ok(t) => (true, t),
                    Err(e) => (false, e),
                };
                post(&["done".into(), id, ok.into(), text.into()]);
            }
            "png" => {
                let id = msg.get(1);
                let pixels = js_sys::Uint8Array::new(&msg.get(4)).to_vec();
                let answer = match png::encode_rgba(num(2) as u32, num(3) as u32, &pixels) {
                    Ok(file) => (true, JsValue::from(js_sys::Uint8Array::from(file.as_slice()))),
                    Err(e) => (false, e.to_string().into()),
                };
                post(&["done".into(), id, answer.0.into(), answer.1]);
            }
            _ => {}
        }
    }

    pub fn start() {
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| handle(ev.data()));
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        post(&["ready".into()]);
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
