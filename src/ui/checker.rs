//! Where the analysis of the plan runs: on the page for small plans, in the analysis worker for big ones.
//!
//! - Every plan change gets a revision. A small plan (fewer than `WORKER_MIN_ENTITIES` entities) is
//!   analysed at once on the page's thread, as before.
//! - A big plan is analysed by the worker (`src/bin/worker.rs`, loaded the first time a plan needs it):
//!   the worker keeps a copy of the plan, kept in step by the edits `State::apply` records (a whole-plan
//!   change sends the plan file). It answers with the `Summary` of the analysis (findings and
//!   reachability endpoints) tagged with the revision; the page applies it in one signal update, and
//!   only when it is the summary of the analysis the page holds now (older answers are dropped). Until
//!   then the views show the previous findings and "checking…".
//! - The same copy encodes the stored copy (`core::stored`) for `persist::Saver`, so neither the plan
//!   file nor its compression is made on the page's thread while a big plan is edited.
//! - If the worker cannot start or fails, the page analyses and saves on its own thread again.

use super::{Shared, State};
use crate::core::analysis::Summary;
use crate::core::edit::Edit;
use crate::core::findings::Report;
use crate::core::format;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// From this many entities on, the plan is analysed and encoded in the worker. The typical generated
/// plan (864 entities) takes 8–14 ms of rules on the page's thread, which alone misses a frame; plans of
/// a few hundred entities analyse in a few milliseconds.
pub const WORKER_MIN_ENTITIES: usize = 300;

/// Where the worker's loader is (Trunk writes it at the top of `dist/`, not hashed).
const WORKER_URL: &str = "./worker_loader.js";

/// The findings the views show: the summary of one analysis (`of` is its `Shared::id`).
#[derive(Clone)]
pub struct Checked {
    /// The analysis it summarises.
    pub of: u64,
    /// The findings.
    pub report: Arc<Report>,
    /// The endpoints of reachability questions (id, name).
    pub endpoints: Arc<Vec<(String, String)>>,
}

impl PartialEq for Checked {
    fn eq(&self, other: &Checked) -> bool {
        self.of == other.of && Arc::ptr_eq(&self.report, &other.report)
    }
}

impl Checked {
    /// Nothing checked yet.
    pub fn none() -> Checked {
        Checked {
            of: 0,
            report: Arc::new(Report::default()),
            endpoints: Arc::new(Vec::new()),
        }
    }

    /// The summary of `shared`, computed on the page's thread.
    pub fn of_here(shared: &Shared) -> Checked {
        Checked::of(shared, shared.summary())
    }

    fn of(shared: &Shared, summary: Summary) -> Checked {
        let report = Arc::new(summary.report);
        shared.supply_report(report.clone());
        Checked {
            of: shared.id(),
            report,
            endpoints: Arc::new(summary.endpoints),
        }
    }
}

/// What `persist::Saver` does with a stored copy the worker encoded: (revision, text, is it current).
type SavedHook = Box<dyn Fn(u64, String, bool)>;

/// A plan change since the worker's copy was last brought up to date.
enum Change {
    Edit(Edit),
    Whole,
}

struct Link {
    worker: web_sys::Worker,
    /// The worker listens (it said `ready`); until then messages wait in `queue`.
    ready: bool,
    queue: Vec<js_sys::Array>,
    /// The revision the worker's copy is at once it has read every message sent.
    synced: Option<u64>,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::Event)>,
}

/// The analysis and save bookkeeping (all `Copy` handles).
#[derive(Clone, Copy)]
pub struct Checker {
    link: StoredValue<Option<Link>, LocalStorage>,
    /// The worker failed: everything runs on the page's thread from now on.
    broken: StoredValue<bool>,
    changes: StoredValue<Vec<Change>, LocalStorage>,
    /// The plan's revision (one per change the checker saw).
    rev: StoredValue<u64>,
    /// The analysis asked of the worker: (revision, `Shared::id`).
    pending: StoredValue<Option<(u64, u64)>>,
    /// The save asked of the worker (its revision).
    saving: StoredValue<Option<u64>>,
    /// Called with (revision, stored text, is it the current revision) when the worker encoded a save.
    on_saved: StoredValue<Option<SavedHook>, LocalStorage>,
    /// The worker was asked for something at least once (for the tests and the docs: it loads lazily).
    pub used: RwSignal<bool>,
}

impl Checker {
    /// A checker with no worker yet.
    pub fn new() -> Checker {
        Checker {
            link: StoredValue::new_local(None),
            broken: StoredValue::new(false),
            changes: StoredValue::new_local(Vec::new()),
            rev: StoredValue::new(0),
            pending: StoredValue::new(None),
            saving: StoredValue::new(None),
            on_saved: StoredValue::new_local(None),
            used: RwSignal::new(false),
        }
    }

    /// Records an edit `State::apply` is about to make (the worker's copy replays it).
    pub fn record(&self, edit: &Edit) {
        self.changes.update_value(|c| c.push(Change::Edit(edit.clone())));
    }

    /// Records a whole-plan change (the worker's copy is sent the plan file).
    pub fn record_whole(&self) {
        self.changes.update_value(|c| c.push(Change::Whole));
    }

    /// The plan's current revision.
    pub fn rev(&self) -> u64 {
        self.rev.get_value()
    }

    /// Sets what to do with a stored copy the worker encoded.
    pub fn on_saved(&self, f: impl Fn(u64, String, bool) + 'static) {
        self.on_saved.set_value(Some(Box::new(f)));
    }

    fn big(state: &State) -> bool {
        state.plan.with_untracked(|p| p.entity_count() >= WORKER_MIN_ENTITIES)
    }

    /// Whether the big-plan path is in use for the current plan.
    pub fn offloaded(&self, state: &State) -> bool {
        !self.broken.get_value() && Self::big(state)
    }

    /// Called once per plan change (an effect in `App`): gives it a revision, then analyses it here or
    /// asks the worker, and brings the worker's copy up to date.
    pub fn changed(&self, state: State, analysis: &Shared) {
        let rev = self.rev.get_value() + 1;
        self.rev.set_value(rev);
        let changes = self.changes.try_update_value(std::mem::take).unwrap_or_default();
        if !self.offloaded(&state) {
            // Small plan: the worker's copy (if any) falls behind and is sent whole when needed again.
            self.link.update_value(|l| {
                if let Some(l) = l {
                    l.synced = None;
                }
            });
            self.pending.set_value(None);
            if state.checked.with_untracked(|c| c.of != analysis.id()) {
                state.checked.set(Checked::of_here(analysis));
            }
            return;
        }
        if !self.ensure(state) {
            return self.changed_after_failure(state, analysis);
        }
        self.used.set(true);
        // An edit that keeps the analysis (a move, a rename of the plan) asks for nothing new.
        let want =
            state.checked.with_untracked(|c| c.of != analysis.id()) && self.pending.get_value().is_none_or(|(_, id)| id != analysis.id());
        let base = self.link.with_value(|l| l.as_ref().and_then(|l| l.synced));
        let edits: Option<Vec<&Edit>> = changes
            .iter()
            .map(|c| match c {
                Change::Edit(e) => Some(e),
                Change::Whole => None,
            })
            .collect();
        let message = match (base, edits) {
            (Some(base), Some(edits)) if !edits.is_empty() && base + 1 == rev => {
                let json = serde_json::to_string(&edits).unwrap_or_default();
                js_sys::Array::of5(
                    &"edits".into(),
                    &(base as f64).into(),
                    &(rev as f64).into(),
                    &json.into(),
                    &want.into(),
                )
            }
            _ => self.plan_message(state, rev, want),
        };
        if want {
            self.pending.set_value(Some((rev, analysis.id())));
        }
        self.send(message, rev);
    }

    fn plan_message(&self, state: State, rev: u64, want: bool) -> js_sys::Array {
        let text = state.plan.with_untracked(format::to_json);
        js_sys::Array::of4(&"plan".into(), &(rev as f64).into(), &text.into(), &want.into())
    }

    fn send(&self, message: js_sys::Array, rev: u64) {
        self.link.update_value(|l| {
            if let Some(l) = l {
                l.synced = Some(rev);
                if l.ready {
                    let _ = l.worker.post_message(&message);
                } else {
                    l.queue.push(message);
                }
            }
        });
    }

    /// The worker failed: analyse the current plan here, and keep doing so.
    fn changed_after_failure(&self, state: State, analysis: &Shared) {
        self.broken.set_value(true);
        self.pending.set_value(None);
        self.saving.set_value(None);
        state.checked.set(Checked::of_here(analysis));
    }

    /// Asks the worker to encode the stored copy of the current revision; `false` when the page must
    /// do it itself (small plan, no worker, or the worker's copy is not current).
    pub fn save(&self, state: State) -> bool {
        if !self.offloaded(&state) || !self.changes.with_value(Vec::is_empty) {
            return false;
        }
        let rev = self.rev.get_value();
        let ready = self.link.with_value(|l| l.as_ref().is_some_and(|l| l.synced == Some(rev)));
        if !ready {
            return false;
        }
        self.saving.set_value(Some(rev));
        self.send(js_sys::Array::of2(&"save".into(), &(rev as f64).into()), rev);
        true
    }

    /// A save was asked of the worker and not answered yet.
    pub fn save_pending(&self) -> bool {
        self.saving.get_value().is_some()
    }

    /// Forgets a save asked of the worker (the page saved by itself meanwhile).
    pub fn cancel_save(&self) {
        self.saving.set_value(None);
    }

    /// Starts the worker if it is not running; `false` if it cannot run.
    fn ensure(&self, state: State) -> bool {
        if self.broken.get_value() {
            return false;
        }
        if self.link.with_value(Option::is_some) {
            return true;
        }
        let Ok(worker) = web_sys::Worker::new(WORKER_URL) else {
            return false;
        };
        let me = *self;
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| me.answer(state, ev.data()));
        let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            me.failed(state);
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        self.link.set_value(Some(Link {
            worker,
            ready: false,
            queue: Vec::new(),
            synced: None,
            _onmessage: onmessage,
            _onerror: onerror,
        }));
        true
    }

    fn failed(&self, state: State) {
        if let Some(l) = self.link.try_update_value(Option::take).flatten() {
            l.worker.terminate();
        }
        self.broken.set_value(true);
        let waiting_save = self.saving.try_update_value(Option::take).flatten().is_some();
        if self.pending.try_update_value(Option::take).flatten().is_some() {
            let current = state.analysis.get_untracked();
            state.checked.set(Checked::of_here(&current));
        }
        if waiting_save {
            let text = state.plan.with_untracked(crate::core::stored::write);
            let rev = self.rev.get_value();
            self.on_saved.with_value(|f| {
                if let Some(f) = f {
                    f(rev, text, true);
                }
            });
        }
    }

    fn answer(&self, state: State, data: JsValue) {
        let msg: js_sys::Array = data.unchecked_into();
        let what = msg.get(0).as_string().unwrap_or_default();
        let rev = msg.get(1).as_f64().map(|r| r as u64);
        match (what.as_str(), rev) {
            ("ready", _) => self.link.update_value(|l| {
                if let Some(l) = l {
                    l.ready = true;
                    for m in l.queue.drain(..) {
                        let _ = l.worker.post_message(&m);
                    }
                }
            }),
            ("summary", Some(rev)) => {
                let Some((want, id)) = self.pending.get_value() else { return };
                let current = state.analysis.get_untracked();
                if want != rev || current.id() != id {
                    return; // an answer for an older revision
                }
                self.pending.set_value(None);
                match serde_json::from_str::<Summary>(&msg.get(2).as_string().unwrap_or_default()) {
                    Ok(summary) => state.checked.set(Checked::of(&current, summary)),
                    Err(_) => state.checked.set(Checked::of(&current, current.summary())),
                }
            }
            ("saved", Some(rev)) => {
                if self.saving.get_value() != Some(rev) {
                    return;
                }
                self.saving.set_value(None);
                let text = msg.get(2).as_string().unwrap_or_default();
                let current = rev == self.rev.get_value();
                self.on_saved.with_value(|f| {
                    if let Some(f) = f {
                        f(rev, text, current);
                    }
                });
            }
            // The worker could not do what the page asked (it should not happen): the page takes over.
            ("error", _) => self.failed(state),
            ("resync", Some(_)) => {
                // The worker's copy is not the page's plan: send it whole, then ask again.
                let rev = self.rev.get_value();
                let want = self.pending.get_value().is_some_and(|(r, _)| r <= rev);
                if want {
                    self.pending.set_value(Some((rev, state.analysis.get_untracked().id())));
                }
                let message = self.plan_message(state, rev, want);
                self.send(message, rev);
                if self.saving.get_value().is_some() {
                    self.saving.set_value(Some(rev));
                    self.send(js_sys::Array::of2(&"save".into(), &(rev as f64).into()), rev);
                }
            }
            _ => {}
        }
    }
}

impl Default for Checker {
    fn default() -> Checker {
        Checker::new()
    }
}
