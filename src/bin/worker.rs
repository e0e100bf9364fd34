//! The analysis worker: a Web Worker (built by Trunk from `index.html`, `data-type="worker"`) that keeps
//! a copy of the page's plan and does the slow work of big plans off the page's thread: the analysis
//! (`core::analysis`, the same code the page and the CLI run) and the encoding of the stored copy
//! (`core::stored`). The page loads it only when a plan is big enough to need it (`ui::checker`).
//!
//! Messages are arrays whose first element says what they are:
//!
//! | from the page | answer |
//! |---|---|
//! | `["plan", rev, plan file text]`: the whole plan at revision `rev` | `["summary", rev, summary JSON]` when `analyse` is set (below) |
//! | `["edits", base, rev, edits JSON, analyse]`: the `core::edit::Edit`s that turn revision `base` into `rev` | the summary, or `["resync", rev]` when this copy is not at `base` |
//! | `["save", rev]`: the stored copy of revision `rev` | `["saved", rev, stored text]`, or `["resync", rev]` |
//!
//! `["plan", …]` carries `analyse` as its fourth element too. The worker answers `["ready"]` once it
//! listens. Several edits that arrive together are analysed once: the analysis runs in a task of its
//! own after the queued messages, for the newest revision only.

#[cfg(target_arch = "wasm32")]
mod worker {
    use cen_planner::core::analysis::Analysis;
    use cen_planner::core::edit::{apply, Edit};
    use cen_planner::core::{format, model::Plan, stored};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// The copy of the page's plan and its revision.
        static MIRROR: RefCell<Option<(f64, Plan)>> = const { RefCell::new(None) };
        /// The revision whose summary the page asked for and has not been sent yet.
        static WANTED: Cell<Option<f64>> = const { Cell::new(None) };
        /// An analysis task is scheduled.
        static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    }

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
            let answer = MIRROR.with(|m| {
                let m = m.borrow();
                let (rev, plan) = m.as_ref()?;
                (*rev == wanted).then(|| serde_json::to_string(&Analysis::new(plan.clone()).summary()))
            });
            match answer {
                Some(Ok(json)) => post(&["summary".into(), wanted.into(), json.into()]),
                Some(Err(e)) => post(&["error".into(), wanted.into(), e.to_string().into()]),
                None => {}
            }
        });
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
    }

    fn want(rev: f64, analyse: bool) {
        if analyse {
            WANTED.set(Some(rev));
            schedule();
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
