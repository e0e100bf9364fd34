//! Keeping the plan in browser storage without ever losing it.
//!
//! - Every copy (the plan, its backup, a review) is stored encoded by `core::stored` (the plan file,
//!   compressed and packed into UTF-16); a plain plan file saved by an older version still loads.
//! - Start: an unreadable stored plan (corrupt, damaged compression, or from a newer app) is set aside
//!   under its own key before anything else, and the user is offered the last good copy and the raw text.
//! - Saves are debounced (`SAVE_DELAY`) and flushed at once on `pagehide` and when the tab is hidden.
//!   Each save first keeps the stored copy as the backup, then writes, reads back and stamps a revision.
//! - A big plan's stored copy is encoded by the analysis worker from its copy of the plan
//!   (`checker::Checker::save`), so the plan file and its compression are not made on the page's
//!   thread; the page only writes the text it gets back. Its backup is made when the save begins
//!   (the stored copy this tab last wrote or read), so each of the two tasks does one big write; the text
//!   stays a JavaScript string from the worker to storage (`storage::write_text`). The page stays "Saving…" (dirty) until then,
//!   and a save still pending when the page is hidden or left is made at once on the page's thread:
//!   nothing typed is lost.
//! - A failed save (storage blocked or full) is a notice with "Export plan"; the plan stays in memory
//!   and the next change tries again.
//! - Two tabs: a save from another tab (the `storage` event, or a revision stamp that moved) pauses
//!   saving here and offers a choice: load the other tab's plan, or keep this one.

use super::{storage, Notice, NoticeAction, State, Tone};
use crate::core::model::Plan;
use crate::core::stored;
use js_sys::JsString;
use leptos::prelude::*;
use std::time::Duration;

/// How long edits are gathered before a save.
pub const SAVE_DELAY: Duration = Duration::from_millis(400);

std::thread_local! {
    /// Work to finish before the page is hidden or left (`before_hide`).
    static BEFORE_HIDE: std::cell::RefCell<Vec<Box<dyn Fn() -> bool>>> = std::cell::RefCell::new(Vec::new());
}

/// Runs `f` before the page is hidden or left, ahead of the save made then: a form's edit that waits
/// for the next paint is applied first, so closing the tab right after an edit keeps it. `f` says
/// whether it changed the plan.
pub fn before_hide(f: impl Fn() -> bool + 'static) {
    BEFORE_HIDE.with(|h| h.borrow_mut().push(Box::new(f)));
}

/// Save bookkeeping, shared by the effect and the event listeners.
#[derive(Clone, Copy)]
pub struct Saver {
    /// This tab's id in revision stamps.
    tab: StoredValue<String>,
    /// The revision this tab last loaded or saved.
    rev: StoredValue<u64>,
    /// Changes not yet saved.
    pub dirty: RwSignal<bool>,
    /// Edits asked for and not applied yet (a form applies a field left or a Save after the next
    /// paint): the status says "Saving…" from the input on.
    pub pending: RwSignal<u32>,
    /// Another tab saved: saving is paused until the user chooses.
    pub conflict: RwSignal<bool>,
    /// The last save failed (so the notice is shown once, and "saved again" when it recovers).
    pub failed: RwSignal<bool>,
    /// The pending debounced save.
    timer: StoredValue<Option<TimeoutHandle>>,
    /// The plan text this tab last loaded or saved: a `storage` event with other text is another tab's save.
    /// (A JavaScript string: it is compared and kept as the backup without crossing into Rust.)
    last_text: StoredValue<JsString, LocalStorage>,
    /// `last_text` is known to be readable (this tab wrote it, or read it): when storage still holds it, a
    /// save makes it the backup without decoding and parsing it again.
    last_good: StoredValue<bool>,
    /// The next plan change comes from storage itself (another tab's plan was loaded): do not save it back.
    skip_next: StoredValue<bool>,
    /// The backup was made when the current save began (`keep_backup`): its write need not make it.
    backup_kept: StoredValue<bool>,
}

/// What `load` found in storage, for the `Saver`.
#[derive(Clone, Copy)]
pub struct Loaded {
    /// The revision stamp of the stored copy.
    pub rev: u64,
    /// The stored copy was read (so a save can keep it as the backup without reading it again).
    pub readable: bool,
}

/// Loads the stored plan for a new tab, with the notice to show, if any.
pub fn load(today: &str) -> (Plan, Option<Notice>, Loaded) {
    let fresh = || Plan::new("Untitled plan", today);
    let rev = storage::read_rev().map_or(0, |(r, _)| r);
    let loaded = |readable| Loaded { rev, readable };
    match storage::read(storage::PLAN_KEY) {
        Ok(None) => (fresh(), None, loaded(false)),
        Ok(Some(text)) => match stored::read(&text) {
            Ok(plan) => (plan, None, loaded(true)),
            Err(e) => {
                let kept = storage::read(storage::UNREADABLE_KEY).ok().flatten().as_deref() == Some(text.as_str())
                    || storage::write(storage::UNREADABLE_KEY, &text).is_ok();
                let backup_ok = storage::read(storage::BACKUP_KEY)
                    .ok()
                    .flatten()
                    .is_some_and(|b| stored::read(&b).is_ok());
                let mut actions = vec![NoticeAction::DownloadUnreadable];
                if backup_ok {
                    actions.insert(0, NoticeAction::RestoreBackup);
                }
                let text = format!(
                    "The plan stored in this browser could not be read ({e}). {} A new plan was started; nothing is saved over the old one until you edit.",
                    if kept { "It was set aside unchanged." } else { "It could not be set aside: download it now." }
                );
                (
                    fresh(),
                    Some(Notice {
                        tone: Tone::Error,
                        text,
                        actions,
                    }),
                    loaded(false),
                )
            }
        },
        Err(e) => {
            let text = format!("{e}: the plan is kept in this tab only. Export it to keep it.");
            (
                fresh(),
                Some(Notice {
                    tone: Tone::Error,
                    text,
                    actions: vec![NoticeAction::Export],
                }),
                loaded(false),
            )
        }
    }
}

impl Saver {
    /// Starts saving `state.plan` on every change, and listens for page hiding and other tabs.
    pub fn start(state: State, loaded_from: Loaded) -> Saver {
        let loaded = storage::read_text(storage::PLAN_KEY)
            .ok()
            .flatten()
            .unwrap_or_else(|| JsString::from(""));
        let tab = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        let saver = Saver {
            tab: StoredValue::new(tab),
            rev: StoredValue::new(loaded_from.rev),
            dirty: RwSignal::new(false),
            pending: RwSignal::new(0),
            conflict: RwSignal::new(false),
            failed: RwSignal::new(false),
            timer: StoredValue::new(None),
            last_text: StoredValue::new_local(loaded),
            last_good: StoredValue::new(loaded_from.readable),
            skip_next: StoredValue::new(false),
            backup_kept: StoredValue::new(false),
        };
        // The first run only subscribes: the loaded plan is already what storage holds (or was set aside).
        Effect::new(move |prev: Option<()>| {
            state.plan.track();
            if prev.is_some() {
                if saver.skip_next.get_value() {
                    saver.skip_next.set_value(false);
                } else {
                    saver.dirty.set(true);
                    saver.schedule(state);
                }
            }
        });
        // What the worker encoded is written here (if it is still wanted).
        state.checker.on_saved(move |_, text, current| saver.saved(state, &text, current));
        let _ = window_event_listener(leptos::ev::pagehide, move |_| saver.flush_now(state));
        let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let hidden = document().visibility_state() == web_sys::VisibilityState::Hidden;
            if hidden {
                saver.flush_now(state);
            }
        });
        let _ = window_event_listener(leptos::ev::storage, move |ev| {
            // `storage` events only come from other tabs; compare with what this tab last wrote.
            if ev.key().as_deref() == Some(storage::PLAN_KEY) && !saver.conflict.get_untracked() {
                let new = JsString::from(ev.new_value().unwrap_or_default());
                if saver.last_text.with_value(|t| *t != new) {
                    saver.other_tab_saved(state);
                }
            }
        });
        saver
    }

    /// An edit is on its way (`pending`).
    pub fn hold(self) {
        self.pending.update(|n| *n += 1);
    }

    /// The edit `hold` announced was applied (or not needed): released a task later, once the plan's
    /// change has made the save itself pending, so the status never says "Saved" in between.
    pub fn release(self) {
        set_timeout(
            move || {
                let _ = self.pending.try_update(|n| *n = n.saturating_sub(1));
            },
            std::time::Duration::ZERO,
        );
    }

    fn schedule(self, state: State) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.flush(state), SAVE_DELAY).ok();
        self.timer.set_value(handle);
    }

    /// Saves if anything is unsaved (and no other-tab conflict is pending); a big plan's copy is
    /// encoded by the worker and written when it comes back (`saved`).
    pub fn flush(self, state: State) {
        self.flush_with(state, false);
    }

    /// Saves now, on this thread, if anything is unsaved (the page is being hidden or left).
    pub fn flush_now(self, state: State) {
        // Every callback runs (not `any`, which would stop at the first that changed the plan).
        let changed = BEFORE_HIDE.with(|h| h.borrow().iter().filter(|f| f()).count() > 0);
        if changed {
            // The plan's change is seen by the autosave's effect only after this task: save it now.
            self.dirty.set(true);
        }
        self.flush_with(state, true);
    }

    fn flush_with(self, state: State, now: bool) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        if !self.dirty.get_untracked() || self.conflict.get_untracked() || self.other_tab_moved(state) {
            return;
        }
        if now {
            state.checker.cancel_save();
        } else if state.checker.save(state) {
            // The worker encodes the copy; the previous one becomes the backup now, so the task that
            // writes the copy when it comes back does one big write, not two (issue 13: no long task).
            if state.own.with_untracked(Option::is_none) {
                self.keep_backup();
            }
            return;
        }
        // The stored copy is written by the editing kit (an edit brought it; an import may not have yet).
        match super::kit::get() {
            Some(kit) => {
                let text = state.plan.with_untracked(|p| kit.stored(p));
                self.store(state, &JsString::from(text), true);
            }
            None => super::kit::run(move |kit| {
                if kit.is_some() {
                    self.flush_with(state, now);
                }
            }),
        }
    }

    /// Another tab saved since our last save or load (then saving pauses: it is not overwritten silently).
    fn other_tab_moved(self, state: State) -> bool {
        match storage::read_rev() {
            Some((rev, tab)) if rev != self.rev.get_value() && tab != self.tab.get_value() => {
                self.other_tab_saved(state);
                true
            }
            _ => false,
        }
    }

    /// The worker encoded a save: write it, unless the page saved meanwhile or another tab did.
    fn saved(self, state: State, text: &JsString, current: bool) {
        if !self.dirty.get_untracked() || self.conflict.get_untracked() || self.other_tab_moved(state) {
            return;
        }
        self.store(state, text, current);
        if !current {
            // The plan changed while the worker encoded it: save again.
            self.schedule(state);
        }
    }

    /// Writes a stored copy; `current` says it is the copy of the plan as it is now (so nothing is unsaved).
    fn store(self, state: State, text: &JsString, current: bool) {
        // While reviewing, the reviewed plan (with its comments) is kept under its own key; the user's
        // plan in storage is never touched.
        if state.own.with_untracked(Option::is_some) {
            match storage::write_text(storage::REVIEW_KEY, text) {
                Ok(()) => self.dirty.set(!current),
                Err(e) => state.error(format!("The review is not saved in this browser: {e}. Export it to keep it.")),
            }
            return;
        }
        storage::remove(storage::REVIEW_KEY);
        match self.write(text) {
            Ok(()) => {
                self.dirty.set(!current);
                if self.failed.get_untracked() {
                    self.failed.set(false);
                    state.notice.set(Some(Notice {
                        tone: Tone::Ok,
                        text: "Saved in this browser again.".into(),
                        actions: vec![],
                    }));
                }
            }
            Err(e) => {
                if !self.failed.get_untracked() {
                    self.failed.set(true);
                    state.notice.set(Some(Notice {
                        tone: Tone::Error,
                        text: format!("Not saved: {e}. Your plan is still here in this tab; export it to keep it."),
                        actions: vec![NoticeAction::Export],
                    }));
                }
            }
        }
    }

    /// Keeps the stored copy this tab last wrote or read, if it is good, as the backup (before a save
    /// the worker encodes). No other tab wrote since (`other_tab_moved` was checked), so storage holds it.
    fn keep_backup(self) {
        if !self.last_good.get_value() {
            return;
        }
        let kept = self
            .last_text
            .with_value(|old| old.length() == 0 || storage::write_text(storage::BACKUP_KEY, old).is_ok());
        if kept {
            self.backup_kept.set_value(true);
        } else {
            // No room for two copies: the current save matters more than the backup.
            storage::remove(storage::BACKUP_KEY);
        }
    }

    fn write(self, text: &JsString) -> Result<(), String> {
        if self.backup_kept.get_value() {
            // `keep_backup` made the backup when this save began.
            self.backup_kept.set_value(false);
        } else {
            self.write_backup(text);
        }
        storage::write_text(storage::PLAN_KEY, text)?;
        let rev = self.rev.get_value() + 1;
        storage::write(storage::REV_KEY, &format!("{rev}:{}", self.tab.get_value()))?;
        self.rev.set_value(rev);
        self.last_text.set_value(text.clone());
        self.last_good.set_value(true);
        Ok(())
    }

    /// Keeps the stored copy as the previous good one before `text` replaces it.
    fn write_backup(self, text: &JsString) {
        // Keep the stored copy as the previous good one, if it is good (known when it is what this tab
        // last wrote or read; otherwise it is read, which costs a decode and a parse).
        if let Ok(Some(old)) = storage::read_text(storage::PLAN_KEY) {
            let good = || {
                if self.last_good.get_value() && self.last_text.with_value(|t| *t == old) {
                    true
                } else {
                    old.as_string().is_some_and(|old| stored::read(&old).is_ok())
                }
            };
            if old != *text && good() && storage::write_text(storage::BACKUP_KEY, &old).is_err() {
                // No room for two copies: the current save matters more than the backup.
                storage::remove(storage::BACKUP_KEY);
            }
        }
    }

    /// Pauses saving and asks whether to load the other tab's plan or keep this one.
    pub fn other_tab_saved(self, state: State) {
        self.conflict.set(true);
        state.notice.set(Some(Notice {
            tone: Tone::Error,
            text: "This plan was changed in another tab. Saving here is paused until you choose.".into(),
            actions: vec![NoticeAction::LoadOtherTab, NoticeAction::KeepMine],
        }));
    }

    /// Loads the plan another tab saved (this tab's plan stays available through "Undo").
    pub fn load_other_tab(self, state: State) {
        let now = storage::read(storage::PLAN_KEY).ok().flatten();
        match now.as_deref().map(|t| (t, stored::read(t))) {
            Some((text, Ok(plan))) => {
                self.rev.set_value(storage::read_rev().map_or(0, |(r, _)| r));
                self.last_text.set_value(JsString::from(text));
                self.last_good.set_value(true);
                self.conflict.set(false);
                self.dirty.set(false);
                // Storage already holds exactly this plan: the change it causes is not saved back.
                self.skip_next.set_value(true);
                state.replace(plan, "Loaded the plan saved in the other tab.".into());
            }
            _ => state.error("The other tab's plan could not be read; this tab's plan is kept.".into()),
        }
    }

    /// Keeps this tab's plan and saves it over the other tab's.
    pub fn keep_mine(self, state: State) {
        self.rev.set_value(storage::read_rev().map_or(0, |(r, _)| r));
        self.conflict.set(false);
        self.dirty.set(true);
        state.notice.set(None);
        self.flush(state);
    }
}
