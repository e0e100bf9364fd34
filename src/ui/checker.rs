//! The page's link to the analysis worker (`src/bin/worker.rs`): the page holds no analysis.
//!
//! - Every plan change gets a revision. The worker keeps a copy of the plan, kept in step by the edits
//!   `State::apply` records (a whole-plan change sends the plan file), and analyses it with the same
//!   code as the CLI (`core::analysis`). It answers with the `Summary` (findings and reachability
//!   endpoints) tagged with the revision; the page applies it in one signal update (`State::checked`),
//!   and only when it is the summary of the analysis the page holds now: older answers are dropped.
//!   Until then the views show the previous findings and "checking…".
//! - Views ask their questions (a route table, a trace, a matrix window, the path to draw, the report,
//!   the comparison) with `task` or `answer`; each is answered from the worker's analysis of the
//!   plan as it is when asked (the copy is brought up to date first), and a view keeps only the
//!   answer to its newest question.
//! - A big plan's stored copy is encoded by the worker from its copy (`save`), so neither the plan
//!   file nor its compression is made on the page's thread while it is edited.
//! - The worker is loaded the first time a plan has something to analyse (an empty plan has no
//!   findings); it is not part of the first load.
//! - If the worker cannot start or fails, the page says so; the plan is still edited and saved.

use super::kit::Kit;
use super::{Shared, State};
use crate::core::analysis::{Analysis, Summary, SummaryReader};
use crate::core::edit::Edit;
use crate::core::findings::Report;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// From this many entities on, the stored copy is encoded in the worker; smaller plans encode in a
/// few milliseconds on the page (the largest generated plan took 77–178 ms there).
pub const WORKER_SAVE_MIN_ENTITIES: usize = 300;

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
    /// The fixes the plan can express, as edits, by the finding's index in `report.findings`.
    pub fixes: Arc<std::collections::HashMap<usize, Vec<crate::core::edit::Edit>>>,
    /// The analysis could not be made (the worker failed): nothing is known.
    pub unavailable: bool,
}

impl PartialEq for Checked {
    fn eq(&self, other: &Checked) -> bool {
        self.of == other.of && self.unavailable == other.unavailable && Arc::ptr_eq(&self.report, &other.report)
    }
}

impl Checked {
    /// Nothing checked yet.
    pub fn none() -> Checked {
        Checked::of(0, Summary::default())
    }

    fn of(id: u64, summary: Summary) -> Checked {
        Checked {
            of: id,
            report: Arc::new(summary.report),
            endpoints: Arc::new(summary.endpoints),
            fixes: Arc::new(summary.fixes.into_iter().collect()),
            unavailable: false,
        }
    }
}

/// What `persist::Saver` does with a stored copy the worker encoded: (revision, text, is it current).
/// The text stays the JavaScript string the worker sent (`storage::write_text`).
type SavedHook = Box<dyn Fn(u64, js_sys::JsString, bool)>;

/// What to do with the answer to a task (the text as the worker sent it: a JS string).
type TaskHook = Box<dyn FnOnce(Result<JsValue, String>)>;

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

/// The worker and its bookkeeping (all `Copy` handles).
#[derive(Clone, Copy)]
pub struct Checker {
    link: StoredValue<Option<Link>, LocalStorage>,
    /// The worker failed or could not start.
    broken: StoredValue<bool>,
    /// Plan changes not yet sent (`None` until the first plan was seen).
    changes: StoredValue<Option<Vec<Change>>, LocalStorage>,
    /// The plan's revision (one per change sent).
    rev: StoredValue<u64>,
    /// The analysis asked of the worker: (revision, `Shared::id`).
    pending: StoredValue<Option<(u64, u64)>>,
    /// The save asked of the worker (its revision).
    saving: StoredValue<Option<u64>>,
    on_saved: StoredValue<Option<SavedHook>, LocalStorage>,
    /// Tasks asked of the worker and not answered yet.
    tasks: StoredValue<Vec<(u64, TaskHook)>, LocalStorage>,
    next_task: StoredValue<u64>,
}

impl Checker {
    /// A checker with no worker yet.
    pub fn new() -> Checker {
        Checker {
            link: StoredValue::new_local(None),
            broken: StoredValue::new(false),
            changes: StoredValue::new_local(None),
            rev: StoredValue::new(0),
            pending: StoredValue::new(None),
            saving: StoredValue::new(None),
            on_saved: StoredValue::new_local(None),
            tasks: StoredValue::new_local(Vec::new()),
            next_task: StoredValue::new(0),
        }
    }

    fn push(&self, change: Change) {
        self.changes.update_value(|c| {
            if let Some(c) = c {
                c.push(change);
            }
        });
    }

    /// Records an edit `State::apply` is about to make (the worker's copy replays it).
    pub fn record(&self, edit: &Edit) {
        self.push(match edit {
            Edit::Replace(_) => Change::Whole,
            e => Change::Edit(e.clone()),
        });
    }

    /// Records a whole-plan change (the worker's copy is sent the plan file).
    pub fn record_whole(&self) {
        self.push(Change::Whole);
    }

    /// Sets what to do with a stored copy the worker encoded.
    pub fn on_saved(&self, f: impl Fn(u64, js_sys::JsString, bool) + 'static) {
        self.on_saved.set_value(Some(Box::new(f)));
    }

    /// Brings the worker up to date with the plan (an effect in `App` calls it on every change, and so
    /// does every question, so a question is always about the plan as it is): gives the change a
    /// revision, sends the edits (or the plan) and asks for the summary of a new analysis.
    pub fn sync(&self, state: State) {
        // The plan and its edits are written by the editing kit: until it is here, syncing waits for
        // it (fetched once the page has loaded: the first paint comes first).
        let Some(kit) = super::kit::get() else {
            let checker = *self;
            return super::kit::after(&super::kit::EDITING, move |kit| {
                if kit.is_some() {
                    checker.sync(state);
                }
            });
        };
        let changes = match self.changes.try_update_value(|c| c.replace(Vec::new())).flatten() {
            Some(c) if c.is_empty() => return,
            Some(c) => c,
            None => vec![Change::Whole], // the first plan
        };
        let rev = self.rev.get_value() + 1;
        self.rev.set_value(rev);
        // A new analysis unless every change keeps the answers (a move, a rename of the plan, a comment).
        let keeps = changes.iter().all(|c| matches!(c, Change::Edit(e) if Analysis::edit_keeps(e)));
        if !keeps {
            state.analysis.set(Shared::new());
        }
        let analysis = state.analysis.get_untracked();
        if state.plan.with_untracked(|p| p.entity_count() == 0) {
            // Nothing to analyse (an empty plan has no findings and no endpoints): no worker needed.
            self.link.update_value(|l| {
                if let Some(l) = l {
                    l.synced = None;
                }
            });
            self.pending.set_value(None);
            state.checked.set(Checked::of(analysis.id(), Summary::default()));
            return;
        }
        if !self.ensure(state) {
            return self.unavailable(state);
        }
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
                let json = kit.edits_json(&edits);
                js_sys::Array::of5(
                    &"edits".into(),
                    &(base as f64).into(),
                    &(rev as f64).into(),
                    &json.into(),
                    &want.into(),
                )
            }
            _ => self.plan_message(kit, state, rev, want),
        };
        if want {
            self.pending.set_value(Some((rev, analysis.id())));
        }
        self.send(message, rev);
    }

    fn plan_message(&self, kit: &dyn Kit, state: State, rev: u64, want: bool) -> js_sys::Array {
        let text = state.plan.with_untracked(|p| kit.to_json(p));
        js_sys::Array::of4(&"plan".into(), &(rev as f64).into(), &text.into(), &want.into())
    }

    /// Sends a message that brings the worker's copy to `rev`.
    fn send(&self, message: js_sys::Array, rev: u64) {
        self.link.update_value(|l| {
            if let Some(l) = l {
                l.synced = Some(rev);
            }
        });
        self.post(message);
    }

    fn post(&self, message: js_sys::Array) {
        self.link.update_value(|l| {
            if let Some(l) = l {
                if l.ready {
                    let _ = l.worker.post_message(&message);
                } else {
                    l.queue.push(message);
                }
            }
        });
    }

    /// The worker is gone: the findings are unknown, and the page says so.
    fn unavailable(&self, state: State) {
        self.broken.set_value(true);
        self.pending.set_value(None);
        let id = state.analysis.get_untracked().id();
        state.checked.set(Checked {
            unavailable: true,
            ..Checked::of(id, Summary::default())
        });
    }

    /// Asks the worker to encode the stored copy of the current revision; `false` when the page does
    /// it itself (a small plan, no worker, or the worker's copy is not current).
    pub fn save(&self, state: State) -> bool {
        if self.broken.get_value() || state.plan.with_untracked(|p| p.entity_count() < WORKER_SAVE_MIN_ENTITIES) {
            return false;
        }
        self.sync(state);
        let rev = self.rev.get_value();
        if !self.link.with_value(|l| l.as_ref().is_some_and(|l| l.synced == Some(rev))) {
            return false;
        }
        self.saving.set_value(Some(rev));
        self.post(js_sys::Array::of2(&"save".into(), &(rev as f64).into()));
        true
    }

    /// Forgets a save asked of the worker (the page saved by itself meanwhile).
    pub fn cancel_save(&self) {
        self.saving.set_value(None);
    }

    /// Asks the worker `kind` (`report`, `diff` or a question of `core::answers`) with its argument,
    /// about the plan as it is now, and calls `done` with the answer.
    /// The answer stays a JS string (a report of several megabytes is handed to the browser as it is).
    pub fn task(&self, state: State, kind: &str, arg: Option<String>, done: impl FnOnce(Result<JsValue, String>) + 'static) {
        // The plan file goes along when the worker has no copy: written by the editing kit.
        let Some(kit) = super::kit::get() else {
            let (checker, kind) = (*self, kind.to_string());
            return super::kit::run(move |kit| match kit {
                Some(_) => checker.task(state, &kind, arg, done),
                None => done(Err("the editing part of the app could not be loaded".into())),
            });
        };
        self.sync(state);
        if !self.ensure(state) {
            return done(Err("the analysis worker could not start".into()));
        }
        let id = self.hook(Box::new(done));
        let rev = self.rev.get_value();
        let synced = self.link.with_value(|l| l.as_ref().is_some_and(|l| l.synced == Some(rev)));
        // The worker's copy is current unless the plan is empty (not sent): then the plan file goes along.
        let text = if synced {
            JsValue::NULL
        } else {
            state.plan.with_untracked(|p| kit.to_json(p)).into()
        };
        let message: js_sys::Array = [
            JsValue::from("task"),
            (id as f64).into(),
            kind.into(),
            (rev as f64).into(),
            text,
            arg.map_or(JsValue::NULL, JsValue::from),
        ]
        .iter()
        .collect();
        self.post(message);
    }

    /// A new task's id, with what to call when the worker's `["done", id, …]` comes back.
    fn hook(&self, done: TaskHook) -> u64 {
        let id = self.next_task.get_value() + 1;
        self.next_task.set_value(id);
        self.tasks.update_value(|t| t.push((id, done)));
        id
    }

    /// Writes RGBA pixels as a PNG file in the worker (`core::png`), off the page's thread; `None`
    /// when the worker cannot run (the browser's encoder is used then).
    pub fn png_encoder(&self, state: State) -> Option<crate::ui::files::PngEncoder> {
        if !self.ensure(state) {
            return None;
        }
        let me = *self;
        Some(Box::new(move |width, height, pixels, done| {
            let id = me.hook(done);
            let message: js_sys::Array = [JsValue::from("png"), (id as f64).into(), width.into(), height.into(), pixels]
                .iter()
                .collect();
            me.post(message);
        }))
    }

    /// The answer to a question of `core::answers` about the plan as it is now, asked again when the
    /// analysis or the question (`None`: nothing to ask) changes. `None` while an answer to a new
    /// question is on its way; the previous answer stays while the same question is asked of a newer
    /// plan. Only the answer to the newest question is kept.
    pub fn answer<T>(
        state: State,
        kind: &'static str,
        question: impl Fn() -> Option<String> + 'static,
    ) -> ReadSignal<Option<Result<T, String>>>
    where
        T: serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        Self::answer_read(state, kind, question, |json| serde_json::from_str(json).map_err(|e| e.to_string()))
    }

    /// `answer`, its JSON read by `read` (the canvas's answers are read by the editing kit).
    pub fn answer_read<T>(
        state: State,
        kind: &'static str,
        question: impl Fn() -> Option<String> + 'static,
        read: fn(&str) -> Result<T, String>,
    ) -> ReadSignal<Option<Result<T, String>>>
    where
        T: Send + Sync + 'static,
    {
        let out = RwSignal::new(None);
        let asked = StoredValue::new((0u64, None::<String>));
        Effect::new(move |_| {
            state.analysis.track();
            let q = question();
            let (n, last) = asked.get_value();
            let n = n + 1;
            asked.set_value((n, q.clone()));
            if q != last {
                out.set(None);
            }
            let Some(q) = q else { return };
            state.checker.task(state, kind, Some(q), move |r| {
                // The view that asked may be gone by the time the answer comes (the selection or
                // the view changed): then nothing is shown.
                if asked.try_with_value(|(latest, _)| *latest == n) == Some(true) {
                    let json = r.map(|v| v.as_string().unwrap_or_default());
                    out.try_set(Some(json.and_then(|json| read(&json))));
                }
            });
        });
        out.read_only()
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
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| me.answered(state, ev.data()));
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
        self.unavailable(state);
        for (_, done) in self.tasks.try_update_value(std::mem::take).unwrap_or_default() {
            done(Err("the analysis worker failed".into()));
        }
        state.error("The analysis stopped working (its worker failed): findings and reachability answers are not available. Your plan is kept and saved; reload the page to try again.".into());
        if self.saving.try_update_value(Option::take).flatten().is_some() {
            // The save the worker was making is made here.
            // (A save in progress followed an edit: the editing kit is here.)
            let Some(kit) = super::kit::get() else { return };
            let text = js_sys::JsString::from(state.plan.with_untracked(|p| kit.stored(p)));
            let rev = self.rev.get_value();
            self.on_saved.with_value(|f| {
                if let Some(f) = f {
                    f(rev, text, true);
                }
            });
        }
    }

    /// Reads part `i` of a summary in a task of its own, then the next; sets it when all are read,
    /// unless a newer revision was asked for meanwhile.
    fn read_summary(self, state: State, rev: u64, parts: js_sys::Array, i: u32, mut reader: SummaryReader) {
        set_timeout(
            move || {
                let Some((want, id)) = self.pending.get_value() else { return };
                if want != rev || state.analysis.get_untracked().id() != id {
                    return; // an answer for an older revision
                }
                if i < parts.length() {
                    // The worker was started by a sync, which the editing kit made: it is here.
                    let Some(kit) = super::kit::get() else { return self.failed(state) };
                    match kit.read_summary(&mut reader, &parts.get(i).as_string().unwrap_or_default()) {
                        Ok(()) => self.read_summary(state, rev, parts, i + 1, reader),
                        Err(_) => self.failed(state),
                    }
                } else {
                    self.pending.set_value(None);
                    state.checked.set(Checked::of(id, reader.finish()));
                }
            },
            std::time::Duration::ZERO,
        );
    }

    fn answered(&self, state: State, data: JsValue) {
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
                // Applied after the next paint, one part per task (the findings come in parts of
                // 500), then set in one more task: the paint of the edit that asked for it is not
                // delayed, no task is long on a big plan, and the views change at once, never halfway.
                let parts: js_sys::Array = msg.get(2).unchecked_into();
                let me = *self;
                request_animation_frame(move || me.read_summary(state, rev, parts, 0, SummaryReader::default()));
            }
            ("saved", Some(rev)) => {
                if self.saving.get_value() != Some(rev) {
                    return;
                }
                self.saving.set_value(None);
                let text = msg
                    .get(2)
                    .dyn_into::<js_sys::JsString>()
                    .unwrap_or_else(|_| js_sys::JsString::from(""));
                let current = rev == self.rev.get_value();
                self.on_saved.with_value(|f| {
                    if let Some(f) = f {
                        f(rev, text, current);
                    }
                });
            }
            ("done", Some(id)) => {
                let hook = self
                    .tasks
                    .try_update_value(|t| t.iter().position(|(i, _)| *i == id).map(|i| t.remove(i).1))
                    .flatten();
                let text = msg.get(3);
                if let Some(done) = hook {
                    done(if msg.get(2).is_truthy() {
                        Ok(text)
                    } else {
                        Err(text.as_string().unwrap_or_default())
                    });
                }
            }
            // The worker could not read what the page sent (it should not happen): the page says so.
            ("error", _) => self.failed(state),
            // (The worker was started by a sync, which the editing kit made: it is here.)
            ("resync", Some(_)) if super::kit::get().is_some() => {
                let Some(kit) = super::kit::get() else { return };
                // The worker's copy is not the page's plan: send it whole, then ask again.
                let rev = self.rev.get_value();
                let want = self.pending.get_value().is_some();
                if want {
                    self.pending.set_value(Some((rev, state.analysis.get_untracked().id())));
                }
                let message = self.plan_message(kit, state, rev, want);
                self.send(message, rev);
                if self.saving.get_value().is_some() {
                    self.saving.set_value(Some(rev));
                    self.post(js_sys::Array::of2(&"save".into(), &(rev as f64).into()));
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
