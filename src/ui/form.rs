//! The entity editor: one generic form for every kind, driven by `core::fields` specs, and the
//! confirmation of deletes.
//!
//! What is typed lives in `State::drafts` (by entity), not in the form, so changing the selection
//! or the view loses nothing. A field of an existing entity that parses is applied when it is left
//! (one undo step); text that does not parse stays a draft with its error, is shown again when the
//! entity is opened, and never reaches the plan. A new entity reaches the plan with Create.
//!
//! Leaving a field and pressing Save only record what to do: the edit is applied after the next
//! paint (`Form::defer`), so the page answers the input within a frame (the field left, the button
//! pressed) and the plan, the lists and the canvas follow in the task after it. What is typed is in
//! `State::drafts` from the first keystroke, so nothing waits on that task; a form closed before it
//! runs does the pending work when it goes (`Form::flush`).

use super::{draft_key, Notice, NoticeAction, Selection, State, Tone};
use crate::core::catalog::{Area, CcnArea};
use crate::core::edit::{self, Edit};
use crate::core::fields::{self, Draft, FieldSpec, FieldType};
use crate::core::model::{Entity, Index, Kind};
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// What a form has been asked to do and does after the next paint (`Form::defer`).
enum Pending {
    /// These fields were left: check them and apply the typed fields that parse.
    Leave(Vec<&'static FieldSpec>),
    /// Save was pressed with the form showing this text (every field).
    Save(Draft),
}

std::thread_local! {
    /// The forms with work waiting for the next paint, done at once if the page is hidden or left first.
    static WAITING: std::cell::RefCell<Vec<Form>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Whether `WAITING` is flushed before the page is hidden (`persist::before_hide`, registered once).
    static HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` after the next paint has been shown: in a task after the frame that follows it
/// (`queueMicrotask` would run before the paint, and a task right after it competes with drawing it).
fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || super::after_next_paint(f));
}

/// One open form: what it edits and where its text is kept.
#[derive(Clone)]
struct Form {
    state: State,
    kind: Kind,
    /// The entity's id (for a new entity, the id it will get).
    id: Arc<str>,
    /// Its key in `State::drafts`.
    slot: Arc<str>,
    is_new: bool,
    /// What the fields show where nothing is typed: the entity as the plan has it (kept current),
    /// or a new entity's defaults.
    base: Memo<Draft>,
    /// Messages of the fields that do not parse.
    errors: RwSignal<BTreeMap<String, String>>,
    /// What waits for the next paint, in order (`defer`); shared by the form's clones.
    pending: Arc<Mutex<Vec<Pending>>>,
    /// The autosave, told that an edit is on its way while work waits (its status says "Saving…").
    saver: Option<super::persist::Saver>,
}

impl Form {
    /// The text typed into a field and not in the plan (tracked).
    fn typed(&self, key: &str) -> Option<String> {
        self.state.drafts.with(|d| d.get(&*self.slot).and_then(|f| f.get(key).cloned()))
    }

    /// Every field typed and not in the plan (untracked).
    fn typed_untracked(&self) -> Draft {
        self.state
            .drafts
            .with_untracked(|d| d.get(&*self.slot).cloned().unwrap_or_default())
    }

    /// The text a field shows (tracked).
    fn value(&self, key: &str) -> String {
        self.typed(key)
            .unwrap_or_else(|| self.base.with(|b| b.get(key).cloned().unwrap_or_default()))
    }

    /// The text of every field (tracked).
    fn draft(&self) -> Draft {
        let mut d = self.base.get();
        if let Some(typed) = self.state.drafts.with(|m| m.get(&*self.slot).cloned()) {
            d.extend(typed);
        }
        d
    }

    /// The text of every field, or `None` once the form is gone.
    fn draft_untracked(&self) -> Option<Draft> {
        let mut d = self.base.try_get_untracked()?;
        d.extend(self.typed_untracked());
        Some(d)
    }

    /// Records what was typed into a field; text equal to the plan's is no draft.
    fn set(&self, key: &str, text: String) {
        let Some(same) = self.base.try_with_untracked(|b| b.get(key).map_or(text.is_empty(), |v| *v == text)) else {
            return;
        };
        let slot = self.slot.to_string();
        self.state.drafts.update(|m| {
            let fields = m.entry(slot.clone()).or_default();
            if same {
                fields.remove(key);
            } else {
                fields.insert(key.to_string(), text);
            }
            if fields.is_empty() {
                m.remove(&slot);
            }
        });
    }

    /// Forgets what was typed into these fields (all of them for `None`).
    fn forget(&self, keys: Option<&Draft>) {
        let slot = self.slot.to_string();
        self.state.drafts.update(|m| {
            if let (Some(keys), Some(fields)) = (keys, m.get_mut(&slot)) {
                fields.retain(|k, _| !keys.contains_key(k));
                if !fields.is_empty() {
                    return;
                }
            }
            m.remove(&slot);
        });
    }

    /// Shows or clears a field's error. The form may already be gone (the view switched while the
    /// field had focus, and leaving it fired its change event): then there is nothing to show.
    fn set_error(&self, key: &str, error: Option<String>) {
        // Unchanged, nothing is notified (an error display re-renders on every notification).
        if self.errors.try_with_untracked(|e| e.get(key) == error.as_ref()) != Some(false) {
            return;
        }
        self.errors.try_update(|e| match error {
            Some(msg) => {
                e.insert(key.to_string(), msg);
            }
            None => {
                e.remove(key);
            }
        });
    }

    /// Records work to do after the next paint, and schedules it once.
    fn defer(&self, work: Pending) {
        let Ok(mut pending) = self.pending.lock() else { return };
        let first = pending.is_empty();
        pending.push(work);
        drop(pending);
        if first {
            if let Some(saver) = self.saver {
                saver.hold();
            }
            if !HOOKED.replace(true) {
                super::persist::before_hide(|| {
                    let forms = WAITING.take();
                    // Every form is flushed (not `any`, which would stop at the first).
                    forms.iter().filter(|f| f.flush()).count() > 0
                });
            }
            WAITING.with(|w| w.borrow_mut().push(self.clone()));
            let form = self.clone();
            after_paint(move || {
                form.flush();
            });
        }
    }

    /// Does what was deferred (after the paint, at once when the form goes or the page is hidden),
    /// and says whether there was anything to do. A save covers the fields left before it.
    fn flush(&self) -> bool {
        let work = self.pending.lock().map(|mut p| std::mem::take(&mut *p)).unwrap_or_default();
        if work.is_empty() {
            return false;
        }
        WAITING.with(|w| w.borrow_mut().retain(|f| !Arc::ptr_eq(&f.pending, &self.pending)));
        let last_save = work.iter().rposition(|w| matches!(w, Pending::Save(_)));
        for (i, w) in work.into_iter().enumerate() {
            match w {
                Pending::Leave(specs) if last_save.is_none_or(|s| i > s) => {
                    for spec in specs {
                        self.leave_now(spec);
                    }
                }
                Pending::Leave(_) => {}
                Pending::Save(draft) => self.save_now(draft),
            }
        }
        if let Some(saver) = self.saver {
            saver.release();
        }
        true
    }

    /// A field was left: it is checked and applied after the next paint (`leave_now`); its text is
    /// already kept (`set`).
    fn leave(&self, spec: &'static FieldSpec) {
        self.defer(Pending::Leave(vec![spec]));
    }

    /// Checks a field that was left and, for an existing entity, applies every typed field that
    /// parses (one undo step). Text that does not parse stays a draft with its error.
    fn leave_now(&self, spec: &'static FieldSpec) {
        let state = self.state;
        let text = self
            .typed_untracked()
            .get(spec.key)
            .cloned()
            .or_else(|| self.base.try_with_untracked(|b| b.get(spec.key).cloned()).flatten());
        let Some(text) = text else { return };
        let result = state.plan.with_untracked(|p| {
            let index = if fields::needs_index(spec) {
                Index::lookups(p)
            } else {
                Index::default()
            };
            fields::parse_field(p, &index, spec, &text)
        });
        self.set_error(spec.key, result.err());
        if !self.is_new {
            self.apply_typed();
        }
    }

    /// Applies the typed fields of an existing entity that parse; the others stay drafts.
    fn apply_typed(&self) {
        let (state, kind, id) = (self.state, self.kind, self.id.to_string());
        let typed = self.typed_untracked();
        if typed.is_empty() {
            return;
        }
        let prepared = state.plan.with_untracked(|p| {
            // An entity deleted meanwhile (undo, another form) is not brought back by a draft.
            if !crate::with_list!(p, kind, |list| list.iter().any(|e| e.id() == id)) {
                return None;
            }
            // Indexed only if a typed field names other entities (a big plan has thousands).
            let index = if typed.keys().any(|k| fields::spec(kind, k).is_some_and(fields::needs_index)) {
                Index::lookups(p)
            } else {
                Index::default()
            };
            let good: Draft = typed
                .iter()
                .filter(|(k, t)| fields::spec(kind, k).is_some_and(|s| fields::parse_field(p, &index, s, t).is_ok()))
                .map(|(k, t)| (k.clone(), t.clone()))
                .collect();
            (!good.is_empty()).then(|| {
                let built = fields::build(p, kind, &id, &good);
                (good, built)
            })
        });
        let Some((good, built)) = prepared else { return };
        match built {
            Ok(entity) => match state.apply(Edit::Put {
                kind,
                entity,
                previous_id: Some(id),
            }) {
                Ok(()) => {
                    self.forget(Some(&good));
                    for k in good.keys() {
                        self.set_error(k, None);
                    }
                }
                Err(e) => state.error(e),
            },
            // A field that parses alone but not with the others (a next hop of another network).
            Err(errors) => {
                for (k, e) in errors {
                    self.set_error(&k, Some(e));
                }
            }
        }
    }

    /// Saves `draft` (the text of every field when Save was pressed): the entity is built from it
    /// and put in the plan (one undo step), or the fields that do not parse say why. The form may
    /// be gone meanwhile (then its drafts are cleared all the same, and nothing is shown).
    fn save_now(&self, draft: Draft) {
        let (state, kind, is_new) = (self.state, self.kind, self.is_new);
        let id = if kind == Kind::Region && is_new {
            draft.get("id").cloned().unwrap_or_default().trim().to_string()
        } else {
            self.id.to_string()
        };
        let built = state.plan.with_untracked(|p| fields::build(p, kind, &id, &draft));
        match built {
            Ok(entity) => {
                let previous_id = (!is_new).then(|| self.id.to_string());
                match state.apply(Edit::Put { kind, entity, previous_id }) {
                    Ok(()) => {
                        // Only what changes is notified (a save after the field was applied on leaving
                        // it has no draft and no error left): each notification re-renders views.
                        if state.drafts.with_untracked(|d| d.contains_key(&*self.slot)) {
                            self.forget(None);
                        }
                        if self.errors.try_with_untracked(|e| !e.is_empty()) == Some(true) {
                            self.errors.try_set(BTreeMap::new());
                        }
                        // Clear a stale success message; problems (storage, other tab) stay until handled.
                        if state.notice.with_untracked(|n| n.as_ref().is_some_and(|n| n.tone == Tone::Ok)) {
                            state.notice.set(None);
                        }
                        // The saved entity stays open (a new one is opened), unless another was opened meanwhile.
                        let next = Some(Selection::of(kind, Some(id)));
                        let here = state
                            .selection
                            .with_untracked(|s| s.as_ref().map(|s| draft_key(s.kind, s.id.as_deref())));
                        if here.as_deref() == Some(&*self.slot) && state.selection.with_untracked(|s| *s != next) {
                            state.selection.set(next);
                        }
                    }
                    Err(e) => state.error(e),
                }
            }
            Err(e) => {
                self.errors.try_set(e);
            }
        }
    }
}

/// What the banner says when a form is left with typed text that is not in the plan, or `None`
/// when there is none.
fn kept_notice(state: State, kind: Kind, id: &str, is_new: bool, slot: &str) -> Option<String> {
    let typed = state.drafts.try_with_untracked(|m| m.get(slot).cloned()).flatten()?;
    let labels = typed
        .keys()
        .filter_map(|k| fields::spec(kind, k).map(|s| s.label))
        .collect::<Vec<_>>()
        .join(", ");
    Some(if is_new {
        format!(
            "Your new {} is kept as a draft ({labels}); + {} brings it back.",
            kind.label(),
            kind.label()
        )
    } else {
        let name = state.plan.with_untracked(|p| p.display_name(&Index::lookups(p), id).to_string());
        format!(
            "{} {name}: what you typed in {labels} is not valid, so it is not in the plan. It is kept: open {name} to correct or discard it.",
            kind.label()
        )
    })
}

/// The editor for one selected (or new) entity.
#[component]
pub fn EntityForm(selection: Selection) -> impl IntoView {
    let state = expect_context::<State>();
    let kind = selection.kind;
    let existing = selection.id.clone();
    let is_new = existing.is_none();
    let slot = draft_key(kind, existing.as_deref());
    let id = match &existing {
        Some(id) => id.clone(),
        None => state.plan.with_untracked(|p| fields::next_id(p, kind)),
    };
    let base = match &existing {
        Some(existing) => {
            let existing = existing.clone();
            Memo::new(move |_| {
                state
                    .plan
                    .with(|p| fields::draft_of(p, kind, &existing).unwrap_or_else(|| fields::new_draft(p, kind)))
            })
        }
        None => {
            let mut draft = state.plan.with_untracked(|p| fields::new_draft(p, kind));
            for (key, value) in &selection.preset {
                draft.insert(key.to_string(), value.clone());
            }
            // A value chosen on the diagram (the region to add into) wins over an older draft's.
            if !selection.preset.is_empty() {
                state.drafts.update(|m| {
                    if let Some(fields) = m.get_mut(&slot) {
                        for (key, _) in &selection.preset {
                            fields.remove(*key);
                        }
                        if fields.is_empty() {
                            m.remove(&slot);
                        }
                    }
                });
            }
            Memo::new(move |_| draft.clone())
        }
    };
    let form = Form {
        state,
        kind,
        id: Arc::from(id.as_str()),
        slot: Arc::from(slot.as_str()),
        is_new,
        base,
        errors: RwSignal::new(BTreeMap::new()),
        pending: Arc::new(Mutex::new(Vec::new())),
        saver: use_context::<super::persist::Saver>(),
    };

    // Text typed earlier and not in the plan comes back with its errors (and the banner that
    // pointed here goes).
    let restored = state.drafts.with_untracked(|m| m.contains_key(&slot));
    if restored {
        if let Some(text) = kept_notice(state, kind, &id, is_new, &slot) {
            if state.notice.with_untracked(|n| n.as_ref().is_some_and(|n| n.text == text)) {
                state.notice.set(None);
            }
        }
        let typed = form.typed_untracked();
        if let Some(draft) = form.draft_untracked() {
            if let Err(errors) = state.plan.with_untracked(|p| fields::build(p, kind, &id, &draft)) {
                let shown = errors.into_iter().filter(|(k, _)| !is_new || typed.contains_key(k)).collect();
                form.errors.set(shown);
            }
        }
    }

    // Leaving an entity whose typed text cannot be applied says where it is kept.
    {
        let form = form.clone();
        on_cleanup(move || {
            let (state, slot, kind, id, is_new) = (form.state, form.slot.clone(), form.kind, form.id.clone(), form.is_new);
            let form = form.clone();
            queue_microtask(move || {
                // A field left or a Save pressed just before the form closed is done now.
                let _ = form.flush();
                let here = state
                    .selection
                    .try_with_untracked(|s| s.as_ref().map(|s| draft_key(s.kind, s.id.as_deref())))
                    .flatten();
                if here.as_deref() == Some(&*slot) {
                    return; // the same form again (the view switched)
                }
                let Some(text) = kept_notice(state, kind, &id, is_new, &slot) else {
                    return;
                };
                state.notice.set(Some(Notice {
                    tone: if is_new { Tone::Ok } else { Tone::Error },
                    text,
                    actions: vec![],
                }));
            });
        });
    }

    // Save takes the text the form shows now and saves it after the next paint (`Form::save_now`).
    let save = {
        let form = form.clone();
        move || {
            if let Some(draft) = form.draft_untracked() {
                form.defer(Pending::Save(draft));
            }
        }
    };

    let discard = {
        let form = form.clone();
        move |_| {
            form.forget(None);
            form.errors.set(BTreeMap::new());
        }
    };
    let has_draft = {
        let slot = form.slot.clone();
        move || state.drafts.with(|m| m.contains_key(&*slot))
    };

    let heading = if is_new {
        format!("New {}", kind.label())
    } else {
        format!("{} {id}", kind.label())
    };
    let field_views = fields::specs(kind)
        .iter()
        .filter(|s| s.ty != FieldType::RegionId || is_new)
        .map(|spec| view! { <Field spec=spec form=form.clone() /> })
        .collect_view();
    let findings = {
        let id = id.clone();
        move || {
            state.report(|r| {
                r.about(&id)
                    .map(|f| view! { <li class=format!("inline-finding {}", f.severity.as_str())>{format!("{} {}", f.code, f.message)}</li> })
                    .collect_view()
            })
        }
    };
    let errors = form.errors;
    let delete_id = id.clone();

    view! {
        <form
            class="entity-form"
            id="entity-form"
            data-kind=kind.key()
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
        >
            <h2>{heading}</h2>
            {(!is_new).then(|| view! { <ul class="entity-findings">{findings}</ul> })}
            {(!is_new).then(|| view! { <p class="linked">{linked(state, id.clone())}</p> })}
            {
                let has_draft = has_draft.clone();
                move || (restored && has_draft()).then(|| view! {
                    <p class="draft-note" id="draft-note" role="status">
                        {if is_new {
                            "The draft you started before is back. It is not in the plan until you create it."
                        } else {
                            "What you typed before is back. Fields marked below are not in the plan until they are valid."
                        }}
                    </p>
                })
            }
            {field_views}
            {(!is_new && kind == Kind::RegionBandwidth).then(|| view! { <PairPackage id=id.clone() /> })}
            <div class="form-actions">
                <button type="submit" id="save-entity" class="primary">{if is_new { "Create" } else { "Save" }}</button>
                <button type="button" on:click=move |_| state.selection.set(None)>"Close"</button>
                {move || has_draft().then(|| view! {
                    <button type="button" id="discard-draft" on:click=discard.clone()>{if is_new { "Discard draft" } else { "Discard changes" }}</button>
                })}
                {(!is_new).then(|| view! {
                    <button
                        type="button"
                        id="delete-entity"
                        class="danger"
                        on:click=move |_| state.confirm_delete.set(Some((kind, delete_id.clone())))
                    >"Delete…"</button>
                })}
            </div>
            {move || (!errors.with(BTreeMap::is_empty)).then(|| view! {
                <p class="form-error" role="alert">"Not saved: correct the fields marked above."</p>
            })}
        </form>
        {(!is_new && matches!(kind, Kind::Vpc | Kind::Vbr | Kind::Ccn)).then(|| view! { <super::reach::RouteTableView network=id.clone() /> })}
    }
}

/// Buttons that select the entities linked to `id` (`core::draw::linked`): the owner account, where
/// its UID is typed; the bandwidth package that carries a cross-region bandwidth.
fn linked(state: State, id: String) -> impl IntoView {
    // Found again on every edit, but the buttons are rebuilt only when the links change; the names
    // are looked up alone (`Index::lookups`), not by indexing a plan of thousands of entities.
    let links = Memo::new(move |_| {
        state.plan.with(|p| {
            crate::core::draw::linked(p, &id)
                .into_iter()
                .filter_map(|(role, to)| {
                    let index = Index::lookups(p);
                    Some((format!("{role}: {} →", p.display_name(&index, &to)), index.kind_of(&to)?, to))
                })
                .collect::<Vec<(String, Kind, String)>>()
        })
    });
    move || {
        links
            .get()
            .into_iter()
            .map(|(label, kind, to)| {
                let go = to.clone();
                view! {
                    <button type="button" class="go-to" data-go=to title="Select it (its values are edited here)"
                        on:click=move |_| state.selection.set(Some(Selection::of(kind, Some(go.clone()))))
                    >{label}</button>
                }
            })
            .collect_view()
    }
}

/// Under a cross-region bandwidth: the bandwidth package of its area pair on its CEN (a click
/// selects it), what the pair's bandwidths use, and, when no package carries them, the edits that
/// make one do (`core::draw::pair_package`), applied with one click (one undo step).
#[component]
fn PairPackage(id: String) -> impl IntoView {
    let state = expect_context::<State>();
    move || {
        state.plan.with(|p| {
            let pp = crate::core::draw::pair_package(p, &id)?;
            let index = Index::new(p);
            let pair = format!("{}–{}", pp.areas.0.label(), pp.areas.1.label());
            let status = match pp.packages.as_slice() {
                [] => format!("No bandwidth package of {pair} is bound to this CEN (its bandwidths of the pair: {} Mbps).", pp.used),
                _ => format!("Bandwidth package of {pair} (this CEN's bandwidths of the pair: {} Mbps):", pp.used),
            };
            let packages = pp
                .packages
                .iter()
                .map(|k| {
                    let pid = k.id.clone();
                    let label = format!("{} ({} Mbps)", p.display_name(&index, &k.id), k.mbps);
                    view! {
                        <button type="button" class="link go-to" data-go=k.id.clone() on:click=move |_| state.selection.set(Some(Selection::of(Kind::BandwidthPackage, Some(pid.clone()))))>{label}</button>
                    }
                })
                .collect_view();
            let offer = crate::core::draw::package_note(p, &pp.offer).map(|note| {
                let edits = pp.offer.clone();
                view! {
                    <button type="button" id="offer-package" on:click=move |_| {
                        if let Err(e) = state.apply_all(edits.clone()) {
                            state.error(e);
                        }
                    }>{format!("Apply: {note}")}</button>
                }
            });
            Some(view! { <div class="pair-package" id="pair-package"><p>{status}</p>{packages}{offer}</div> })
        })
    }
}

/// The options of a select for its current value, as (value, label).
type Options = Box<dyn Fn(&str) -> Vec<(String, String)> + Send + Sync>;

#[component]
fn Field(spec: &'static FieldSpec, form: Form) -> impl IntoView {
    let state = form.state;
    let key = spec.key;
    let input_id = format!("field-{key}");
    let error_id = format!("error-{key}");
    let errors = form.errors;
    let error = move || errors.with(|e| e.get(key).cloned());
    let invalid = move || error().is_some();

    // A select: the options for the current value (which is listed even when it is not a choice).
    // A long list (a big plan has thousands of VPCs) renders the first `SHOWN_OPTIONS` that match a
    // filter box above it, and always the current value: thousands of options would take a long task.
    let filter = RwSignal::new(String::new());
    let select = {
        let (form, input_id, error_id) = (form.clone(), input_id.clone(), error_id.clone());
        move |options: Options| {
            let (f_change, f_value) = (form.clone(), form.clone());
            let options = Arc::new(options);
            // The field's value, as a memo: an edit of another field of the entity changes nothing here.
            let current = Memo::new(move |_| f_value.value(key));
            let (all, long_list) = {
                let options = options.clone();
                let all = Memo::new(move |_| options(&current.read()));
                (all, Memo::new(move |_| all.with(|o| o.len() > SHOWN_OPTIONS)))
            };
            let filter_id = format!("{input_id}-filter");
            view! {
                {move || long_list.get().then(|| view! {
                    <input
                        type="search"
                        class="option-filter"
                        id=filter_id.clone()
                        placeholder=format!("Filter {} choices", all.with(Vec::len))
                        aria-label=format!("Filter the choices of {}", spec.label)
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                })}
                <select
                    id=input_id.clone()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=error_id.clone()
                    on:change=move |ev| {
                        f_change.set(key, event_target_value(&ev));
                        f_change.leave(spec);
                    }
                >
                    {move || {
                        let current = current.get();
                        let needle = filter.get().to_ascii_lowercase();
                        all.with(|all| {
                            let long = all.len() > SHOWN_OPTIONS;
                            let mut shown = 0;
                            all.iter()
                                .filter(|(v, label)| {
                                    if !long || *v == current {
                                        return true;
                                    }
                                    let hit = shown < SHOWN_OPTIONS
                                        && (needle.is_empty() || v.to_ascii_lowercase().contains(&needle) || label.to_ascii_lowercase().contains(&needle));
                                    shown += usize::from(hit);
                                    hit
                                })
                                .map(|(v, label)| {
                                    let selected = *v == current;
                                    view! { <option value=v.clone() selected=selected>{label.clone()}</option> }
                                })
                                .collect_view()
                        })
                    }}
                </select>
            }
        }
    };

    let control = match spec.ty {
        FieldType::Bool => {
            let (f_change, f_value) = (form.clone(), form.clone());
            view! {
                <input
                    type="checkbox"
                    id=input_id.clone()
                    prop:checked=move || f_value.value(key) == "true"
                    on:change=move |ev| {
                        f_change.set(key, event_target_checked(&ev).to_string());
                        f_change.leave(spec);
                    }
                />
            }
            .into_any()
        }
        FieldType::Ref(_) | FieldType::OptRef(_) | FieldType::Region | FieldType::Area | FieldType::CcnArea | FieldType::Choice(_) => {
            // Rebuilt when the lists it offers may have changed (`State::touch`), not on every edit:
            // on a big plan a reference offers thousands of entities.
            let listed = Memo::new(move |_| {
                match spec.ty {
                    FieldType::Ref(kinds) | FieldType::OptRef(kinds) => kinds.iter().for_each(|&k| state.track_list(k)),
                    FieldType::Region => state.track_list(Kind::Region),
                    _ => {}
                }
                Arc::new(state.plan.with_untracked(|p| options_for(p, spec)))
            });
            select(Box::new(move |current: &str| {
                let mut options = Vec::clone(&listed.get());
                if !current.is_empty() && !options.iter().any(|(v, _)| v == current) {
                    options.insert(0, (current.to_string(), format!("{current} (missing)")));
                }
                if matches!(spec.ty, FieldType::OptRef(_)) || current.is_empty() {
                    options.insert(0, (String::new(), "(none)".into()));
                }
                options
            }))
            .into_any()
        }
        _ => {
            // Some text fields become a choice when other fields say so (a next hop that names a
            // VPN gateway or a peering connection of the network): the core decides.
            let choices = {
                let form = form.clone();
                Memo::new(move |_| {
                    let draft = form.draft();
                    state.plan.with(|p| fields::choices(p, form.kind, key, &draft))
                })
            };
            let (form, input_id, error_id) = (form.clone(), input_id.clone(), error_id.clone());
            let select = select.clone();
            (move || match choices.get() {
                Some(list) => select(Box::new(move |current: &str| {
                    let mut options = list.clone();
                    if !current.is_empty() && !options.iter().any(|(v, _)| v == current) {
                        options.insert(0, (current.to_string(), format!("{current} (not one of the choices)")));
                    }
                    if current.is_empty() {
                        let none = if list.is_empty() { "(none in this network)" } else { "(choose)" };
                        options.insert(0, (String::new(), none.into()));
                    }
                    options
                }))
                .into_any(),
                None => {
                    let (f_input, f_change, f_value) = (form.clone(), form.clone(), form.clone());
                    view! {
                        <input
                            type="text"
                            id=input_id.clone()
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=placeholder(spec.ty)
                            aria-invalid=move || invalid().to_string()
                            aria-describedby=error_id.clone()
                            prop:value=move || f_value.value(key)
                            on:input=move |ev| {
                                // Typing clears the field's error; it is checked again when the field is left.
                                // (Clearing it on leave instead would move the Save button under the pointer.)
                                f_input.set(key, event_target_value(&ev));
                                f_input.set_error(key, None);
                            }
                            on:change=move |_| f_change.leave(spec)
                        />
                    }
                    .into_any()
                }
            })
            .into_any()
        }
    };

    view! {
        <div class="field" class:invalid=invalid class:typed=move || form.typed(key).is_some() data-field=key>
            <label for=input_id>{spec.label}{spec.required.then_some(" *")}</label>
            {control}
            {(!spec.help.is_empty()).then(|| view! { <small class="help">{spec.help}</small> })}
            <p class="field-error" id=error_id role="alert">{error}</p>
        </div>
    }
}

fn placeholder(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Cidr => "192.168.0.0/16",
        FieldType::CidrList => "10.10.10.0/24, 10.10.20.0/24",
        FieldType::Ip => "203.0.113.10",
        FieldType::Date => "YYYY-MM-DD",
        FieldType::Uid => "1234567890123456",
        FieldType::Mbps => "10",
        _ => "",
    }
}

fn options_for(plan: &crate::core::model::Plan, spec: &FieldSpec) -> Vec<(String, String)> {
    match spec.ty {
        FieldType::Ref(kinds) | FieldType::OptRef(kinds) => fields::candidates(plan, kinds),
        FieldType::Region => fields::region_options(plan),
        FieldType::Area => Area::ALL.iter().map(|a| (a.api_id().to_string(), a.label().to_string())).collect(),
        FieldType::CcnArea => CcnArea::ALL.iter().map(|a| (a.key().to_string(), a.label().to_string())).collect(),
        FieldType::Choice(options) => options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect(),
        _ => Vec::new(),
    }
}

/// How many choices a long select shows at once (a filter box finds the others).
const SHOWN_OPTIONS: usize = 200;

/// How many names of one kind the delete confirmation lists before "and N more".
const LISTED: usize = 6;

/// The delete confirmation: what goes with the entity, what is cleared, and Delete or Cancel.
#[component]
pub fn ConfirmDelete() -> impl IntoView {
    let state = expect_context::<State>();
    move || {
        state
            .confirm_delete
            .get()
            .map(|(kind, id)| view! { <DeleteDialog kind=kind id=id /> })
    }
}

#[component]
fn DeleteDialog(kind: Kind, id: String) -> impl IntoView {
    let state = expect_context::<State>();
    let (deletion, name, groups, cleared, dangling) = state.plan.with_untracked(|p| {
        let index = Index::new(p);
        let d = edit::deletion(p, kind, &id);
        let label = |e: &str| index.get(e).map_or_else(|| e.to_string(), |(k, i)| p.label(&index, k, i));
        let mut groups: Vec<(Kind, Vec<String>)> = Vec::new();
        for (k, e) in &d.deleted {
            match groups.iter_mut().find(|(g, _)| g == k) {
                Some((_, names)) => names.push(label(e)),
                None => groups.push((*k, vec![label(e)])),
            }
        }
        let field = |k: Kind, key: &str| fields::spec(k, key).map_or(key.to_string(), |s| s.label.to_string());
        let cleared: Vec<String> = d
            .cleared
            .iter()
            .map(|(k, e, key)| format!("{} {}: {} becomes empty", k.label(), label(e), field(*k, key)))
            .collect();
        let dangling: Vec<String> = d
            .dangling
            .iter()
            .map(|(k, e, key)| {
                format!(
                    "{} {}: {} names a region the plan no longer defines",
                    k.label(),
                    label(e),
                    field(*k, key)
                )
            })
            .collect();
        (d, p.display_name(&index, &id).to_string(), groups, cleared, dangling)
    });
    let count = deletion.deleted.len();
    let mut gone: Vec<String> = deletion.deleted.iter().map(|(_, e)| e.clone()).collect();
    gone.push(id.clone());
    let edits = StoredValue::new(deletion.edits);
    let gone = StoredValue::new(gone);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        }
    });
    let what = format!("{} {name}", kind.label());
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
        state.confirm_delete.set(None);
    };
    let confirm = {
        let what = what.clone();
        move |_| {
            let result = state.apply_all(edits.get_value());
            close();
            if let Err(e) = result {
                state.error(e);
                return;
            }
            let gone = gone.get_value();
            state.drafts.update(|m| m.retain(|k, _| !gone.contains(k)));
            if state
                .selection
                .with_untracked(|s| s.as_ref().and_then(|s| s.id.as_ref()).is_some_and(|s| gone.contains(s)))
            {
                state.selection.set(None);
            }
            let text = match count {
                0 => format!("Deleted {what}."),
                1 => format!("Deleted {what} and 1 entity that depended on it."),
                n => format!("Deleted {what} and {n} entities that depended on it."),
            };
            state.notice.set(Some(Notice {
                tone: Tone::Ok,
                text,
                actions: vec![NoticeAction::Undo],
            }));
            // Keyboard users land on Undo.
            request_animation_frame(|| {
                if let Some(el) = document().get_element_by_id("notice-undo") {
                    use wasm_bindgen::JsCast;
                    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            });
        }
    };
    let this = id.clone();
    let button = if count == 0 {
        format!("Delete {name}")
    } else {
        format!("Delete {name} and {count} more")
    };
    let nothing_else = groups.is_empty() && cleared.is_empty() && dangling.is_empty();
    view! {
        <dialog
            node_ref=dialog
            class="confirm"
            id="confirm-delete"
            aria-labelledby="confirm-delete-title"
            aria-describedby="confirm-delete-body"
            on:close=move |_| {
                // Escape closes the dialog: that is Cancel (unless another delete is already asked).
                if state.confirm_delete.with_untracked(|c| c.as_ref().is_some_and(|(_, i)| *i == this)) {
                    state.confirm_delete.set(None);
                }
            }
        >
            <h2 id="confirm-delete-title">{format!("Delete {what}?")}</h2>
            <div id="confirm-delete-body">
                {nothing_else.then(|| view! { <p>"Nothing else in the plan refers to it."</p> })}
                {(!groups.is_empty()).then(|| view! {
                    <p>{format!("{} cannot exist without it and {} deleted with it:", if count == 1 { "This entity" } else { "These entities" }, if count == 1 { "is" } else { "are" })}</p>
                    <ul class="dependants" id="confirm-delete-list">
                        {groups.into_iter().map(|(k, names)| {
                            let n = names.len();
                            let shown = names.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
                            let more = if n > LISTED { format!(" and {} more", n - LISTED) } else { String::new() };
                            view! { <li><b>{format!("{} ({n}): ", if n == 1 { k.label() } else { k.plural() })}</b>{shown}{more}</li> }
                        }).collect_view()}
                    </ul>
                })}
                {(!cleared.is_empty()).then(|| view! {
                    <p>"These stay, with their reference cleared:"</p>
                    <ul class="dependants">{cleared.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                })}
                {(!dangling.is_empty()).then(|| view! {
                    <p>"These stay and will need another region:"</p>
                    <ul class="dependants">{dangling.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                })}
                <p class="muted">"Undo (Ctrl+Z) brings everything back."</p>
            </div>
            <div class="form-actions">
                <button type="button" id="confirm-delete-yes" class="danger" autofocus=true on:click=confirm>{button}</button>
                <button type="button" id="confirm-delete-no" on:click=move |_| close()>"Cancel"</button>
            </div>
        </dialog>
    }
}
