//! The browser app (Leptos 0.8, client-side rendering).
//!
//! `App` owns the plan signal, the analysis memo and the autosave effect; every other component
//! reads them through `State` and changes the plan only by calling `State::apply` with a core
//! `Edit`. The UI holds no CEN rule: findings, field parsing and drafts all come from the core.

mod canvas_view;
mod checker;
mod diagram;
mod files;
mod findings;
mod form;
mod keyed;
mod kit;
mod lazy;
mod persist;
mod reach;
mod review;
mod sidebar;
mod storage;
mod toolbar;

use crate::core::edit::Edit;
use crate::core::fields::Draft;
use crate::core::findings::Report;
use crate::core::model::{Kind, Plan};
use crate::core::{format, stored};
pub use checker::{Checked, Checker};
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Text typed into forms that is not in the plan yet, by form: an entity id, or `new:<kind key>`
/// for a new entity. Each holds only the fields whose text differs from the plan.
pub type Drafts = BTreeMap<String, Draft>;

/// Runs `f` in a task after the next frame is painted (in that frame's `requestAnimationFrame`, a
/// task is queued): what can wait a frame does not hold back the paint that answers an input.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::ZERO));
}

/// The drafts key of a form: the entity's id, or `new:<kind key>` for a new entity of that kind.
pub fn draft_key(kind: Kind, id: Option<&str>) -> String {
    match id {
        Some(id) => id.to_string(),
        None => format!("new:{}", kind.key()),
    }
}

/// What the editor shows: an entity of a kind, or a new one being drafted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The kind.
    pub kind: Kind,
    /// The id, or `None` for a new entity.
    pub id: Option<String>,
    /// Field values a new entity starts with (for example the region chosen on the diagram).
    pub preset: Vec<(&'static str, String)>,
}

impl Selection {
    /// An entity (or a new one) with no preset values.
    pub fn of(kind: Kind, id: Option<String>) -> Selection {
        Selection {
            kind,
            id,
            preset: Vec::new(),
        }
    }
}

/// What the main area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainView {
    /// The entity editor (or the welcome text).
    Editor,
    /// The all-pairs reachability matrix.
    Matrix,
    /// The topology diagram.
    Diagram,
    /// The differences with a baseline plan.
    Diff,
}

/// How many plans undo keeps.
const UNDO_DEPTH: usize = 100;

/// How a notice looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Something worked.
    Ok,
    /// Something did not; the plan is unchanged.
    Error,
}

/// A button a notice offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeAction {
    /// Restore the plan that was just replaced.
    UndoReplace,
    /// Download the plan as a file.
    Export,
    /// Load the previous good copy kept in storage.
    RestoreBackup,
    /// Undo the last edit (after a delete).
    Undo,
    /// Download the stored text that could not be read.
    DownloadUnreadable,
    /// Load the plan another tab saved.
    LoadOtherTab,
    /// Keep this tab's plan and save it over the other tab's.
    KeepMine,
    /// Open the dropped file read-only for review, beside the user's plan.
    OpenDroppedForReview,
    /// Replace the user's plan with the dropped file.
    ReplaceWithDropped,
}

/// What to do with a plan file the user opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// Replace the current plan (undoable).
    Replace,
    /// Open it read-only for review; the user's own plan is kept aside.
    Review,
    /// Keep it as the baseline to compare the plan with.
    Baseline,
    /// Ask (a dropped file).
    Ask,
}

/// A message in the banner (import results, storage problems).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Look.
    pub tone: Tone,
    /// Text.
    pub text: String,
    /// Buttons it offers.
    pub actions: Vec<NoticeAction>,
}

/// The identity of one analysis of the plan: a new one when a change can change an answer (the
/// checker decides, from the edits: `Analysis::edit_keeps`), so panels re-ask only then. The analysis
/// itself is in the worker (`checker`); the page keeps no copy of the plan for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shared(u64);

static NEXT_ANALYSIS: AtomicU64 = AtomicU64::new(1);

impl Shared {
    /// A new analysis.
    pub fn new() -> Shared {
        Shared(NEXT_ANALYSIS.fetch_add(1, Ordering::Relaxed))
    }

    /// A number no other analysis of this page has.
    pub fn id(&self) -> u64 {
        self.0
    }
}

impl Default for Shared {
    fn default() -> Shared {
        Shared::new()
    }
}

/// The app's shared state: signals are `Copy`, so components take it from context.
#[derive(Clone, Copy)]
pub struct State {
    /// The plan being edited.
    pub plan: RwSignal<Plan>,
    /// The one analysis of the plan (its identity: the analysis is in the worker), which every panel
    /// asks about; kept when an edit changes only positions, the plan's name and notes, or comments.
    pub analysis: RwSignal<Shared>,
    /// The findings and endpoints of the last analysis that finished (the current one, or the previous
    /// one while the worker checks the plan: see `checking`).
    pub checked: RwSignal<Checked>,
    /// The link to the analysis worker.
    pub checker: Checker,
    /// The entity in the editor.
    pub selection: RwSignal<Option<Selection>>,
    /// The banner.
    pub notice: RwSignal<Option<Notice>>,
    /// The plan before the last whole-plan replacement (new, import, example), for undo.
    pub previous: RwSignal<Option<Plan>>,
    /// Today's date (`YYYY-MM-DD`) from the browser clock: the UI, not the core, reads clocks.
    pub today: StoredValue<String>,
    /// What the main area shows.
    pub view: RwSignal<MainView>,
    /// The explainer's source endpoint id.
    pub reach_from: RwSignal<String>,
    /// The explainer's destination endpoint id.
    pub reach_to: RwSignal<String>,
    /// The edits that undo the last changes, newest last (undo): an edit keeps no copy of the plan.
    pub undo: RwSignal<Vec<Vec<Edit>>>,
    /// The edits that redo what was undone, newest last (redo).
    pub redo: RwSignal<Vec<Vec<Edit>>>,
    /// While reviewing someone else's plan (shown in `plan`, read-only but for comments and waivers): the user's own plan.
    pub own: RwSignal<Option<Plan>>,
    /// A plan to compare with (file name, plan).
    pub baseline: RwSignal<Option<(String, Plan)>>,
    /// A dropped plan waiting for the user to choose review or replace.
    pub dropped: StoredValue<Option<(String, Plan)>>,
    /// How many findings of each severity the panel renders.
    pub findings_shown: RwSignal<usize>,
    /// What was typed into forms and is not in the plan yet: it outlives the form, so changing the
    /// selection or the view loses nothing.
    pub drafts: RwSignal<Drafts>,
    /// The drafts of the plan set aside by the last whole-plan replacement (back with "Undo"), and
    /// those of the user's own plan while reviewing another.
    pub drafts_aside: StoredValue<(Drafts, Drafts)>,
    /// The entity whose deletion waits for the user's confirmation.
    pub confirm_delete: RwSignal<Option<(Kind, String)>>,
    /// One trigger per kind (in `Kind::ALL` order), notified when what the sidebar lists of that kind
    /// may have changed: an edit of one entity does not rebuild the lists of the other kinds.
    pub lists: StoredValue<Vec<Trigger>>,
    /// Per kind (in `Kind::ALL` order), what changed in its list since the sidebar last read it: the
    /// ids of entities put in place (`Some`: only their rows' labels may differ), or `None` when the
    /// list must be read again (entities added, deleted or renumbered, or labels naming others).
    pub list_puts: StoredValue<Vec<Option<Vec<String>>>>,
    /// The canvas's visible area (x, y, width, height in diagram units) the user left it at; `None`
    /// until the user pans or zooms (the canvas then picks a readable zoom).
    pub view_box: RwSignal<Option<(f64, f64, f64, f64)>>,
    /// Whether the entity list (left side panel) is open.
    pub show_list: RwSignal<bool>,
    /// Whether the findings and reachability (right side panel) are open.
    pub show_findings: RwSignal<bool>,
    /// The VPCs the canvas draws expanded, with their vSwitches (kept across reloads).
    pub expanded: RwSignal<std::collections::BTreeSet<String>>,
    /// Whether the canvas's minimap is shown.
    pub show_minimap: RwSignal<bool>,
    /// What the canvas shows of the plan: collapsed regions and areas, filters (`canvas_view`).
    pub canvas: RwSignal<crate::core::condense::ViewOptions>,
    /// Whether the reachability matrix is open beside the canvas.
    pub matrix_beside: RwSignal<bool>,
}

/// The UI state kept across reloads (`storage::UI_KEY`): what is shown, not the plan.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct UiState {
    /// `diagram` or `matrix`.
    view: String,
    /// The selected entity's id.
    selected: Option<String>,
    /// The canvas's visible area.
    view_box: Option<(f64, f64, f64, f64)>,
    /// The entity list is closed.
    list_closed: bool,
    /// The findings panel is closed.
    findings_closed: bool,
    /// The VPCs drawn expanded.
    #[serde(default)]
    expanded: Vec<String>,
    /// The minimap is hidden.
    #[serde(default)]
    minimap_closed: bool,
    /// The canvas's collapsed regions and filters.
    #[serde(default)]
    canvas: crate::core::condense::ViewOptions,
    /// The matrix is open beside the canvas.
    #[serde(default)]
    matrix_beside: bool,
}

impl UiState {
    fn read() -> UiState {
        storage::read(storage::UI_KEY)
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }
}

impl State {
    /// Reads the findings the views show (tracked): the last finished analysis.
    pub fn report<R>(&self, f: impl FnOnce(&Report) -> R) -> R {
        self.checked.with(|c| f(&c.report))
    }

    /// Whether the findings shown are of an earlier version of the plan (the worker is checking it).
    pub fn checking(&self) -> bool {
        let current = self.analysis.with(Shared::id);
        self.checked.with(|c| c.of != current)
    }

    /// Replaces the plan as a whole (the worker's copy is sent the new plan).
    fn set_plan(&self, plan: Plan) {
        self.checker.record_whole();
        self.plan.set(plan);
        self.list_puts.update_value(|p| p.iter_mut().for_each(|k| *k = None));
        self.lists.with_value(|l| l.iter().for_each(|t| t.notify()));
    }

    /// Reads and resets what changed in the list of `kind` (`list_puts`).
    pub fn take_list_puts(&self, kind: Kind) -> Option<Vec<String>> {
        let i = Kind::ALL.iter().position(|x| *x == kind)?;
        self.list_puts.try_update_value(|p| p[i].replace(Vec::new())).flatten()
    }

    /// Tells the sidebar which lists an edit may have changed: its own kind, and the relations whose
    /// labels name entities (attachments and grants name networks and CENs; comments and waivers any).
    fn touch(&self, edit: &Edit) {
        let kind = match edit {
            Edit::Put { kind, .. } | Edit::Delete { kind, .. } | Edit::Restore { kind, .. } => *kind,
            Edit::Replace(_) => {
                self.list_puts.update_value(|p| p.iter_mut().for_each(|k| *k = None));
                return self.lists.with_value(|l| l.iter().for_each(|t| t.notify()));
            }
            Edit::SetName(_) | Edit::SetAsOf(_) | Edit::Move { .. } | Edit::Unplace { .. } => return,
        };
        let named = matches!(kind, Kind::Vpc | Kind::Vbr | Kind::Ccn | Kind::Cen | Kind::Account | Kind::Region);
        let mut kinds = vec![kind, Kind::Comment, Kind::Waiver];
        if named {
            kinds.extend([Kind::Attachment, Kind::Grant, Kind::RegionBandwidth]);
        }
        // An entity put in place under the same id, of a kind listed by its own name: only its row may change.
        let in_place = match edit {
            Edit::Put {
                entity,
                previous_id: Some(prev),
                ..
            } if !kind.labelled_by_others() => entity.get("id").and_then(|v| v.as_str()).filter(|id| id == prev),
            _ => None,
        };
        self.list_puts.update_value(|p| {
            for &k in &kinds {
                if let Some(i) = Kind::ALL.iter().position(|x| *x == k) {
                    p[i] = match (p[i].take(), in_place) {
                        (Some(mut ids), Some(id)) if k == kind && ids.len() < 64 => {
                            ids.push(id.to_string());
                            Some(ids)
                        }
                        _ => None,
                    };
                }
            }
        });
        self.lists.with_value(|l| {
            for k in kinds {
                if let Some(i) = Kind::ALL.iter().position(|x| *x == k) {
                    l[i].notify();
                }
            }
        });
    }

    /// Subscribes to the sidebar list of `kind` (see `lists`).
    pub fn track_list(&self, kind: Kind) {
        if let Some(i) = Kind::ALL.iter().position(|x| *x == kind) {
            self.lists.with_value(|l| l[i].track());
        }
    }

    /// Opens an entity (or a new one of a kind) in the editor.
    pub fn select(&self, kind: Kind, id: Option<String>) {
        if self.view.get_untracked() != MainView::Diagram {
            self.view.set(MainView::Diagram);
        }
        let next = Some(Selection::of(kind, id));
        // Re-selecting the same entity must not rebuild its form (and lose what is being typed).
        if self.selection.with_untracked(|s| *s != next) {
            self.selection.set(next);
        }
    }

    /// Tells the worker, the views and the sidebar that `edits` were applied to the plan.
    fn changed(&self, edits: &[Edit]) {
        for edit in edits {
            self.checker.record(edit);
        }
        self.plan.notify();
        for edit in edits {
            self.touch(edit);
        }
    }

    fn remember(&self, undo: Vec<Edit>) {
        self.undo.update(|u| {
            u.push(undo);
            if u.len() > UNDO_DEPTH {
                u.remove(0);
            }
        });
        self.redo.update(Vec::clear);
    }

    /// Goes back one edit (Ctrl+Z).
    pub fn undo(&self) {
        let Some(kit) = self.kit() else { return };
        if let Some(edits) = self.undo.try_update(Vec::pop).flatten() {
            if let Some(redo) = self.apply_recorded(kit, edits) {
                self.redo.update(|r| r.push(redo));
            }
        }
    }

    /// Applies undo or redo edits; returns the edits that go the other way.
    fn apply_recorded(&self, kit: &dyn kit::Kit, edits: Vec<Edit>) -> Option<Vec<Edit>> {
        let mut result = Ok(None);
        self.plan.update_untracked(|p| result = kit.apply(p, edits.clone()));
        match result {
            Ok(Some(back)) => {
                self.changed(&edits);
                self.drop_stale_selection();
                Some(back)
            }
            Ok(None) => None,
            Err(e) => {
                self.error(format!("Could not undo or redo: {e}."));
                None
            }
        }
    }

    /// Goes forward one undone edit (Ctrl+Shift+Z).
    pub fn redo(&self) {
        let Some(kit) = self.kit() else { return };
        if let Some(edits) = self.redo.try_update(Vec::pop).flatten() {
            if let Some(undo) = self.apply_recorded(kit, edits) {
                self.undo.update(|u| u.push(undo));
            }
        }
    }

    fn drop_stale_selection(&self) {
        // One list is looked through, not the whole plan indexed: this runs after every edit.
        let gone = self.selection.with_untracked(|s| {
            s.as_ref().is_some_and(|s| {
                s.id.as_deref().is_some_and(|id| {
                    self.plan.with_untracked(|p| {
                        use crate::core::model::Entity;
                        !crate::with_list!(p, s.kind, |list| list.iter().any(|e| e.id() == id))
                    })
                })
            })
        });
        if gone {
            self.selection.set(None);
        }
    }

    /// Applies an edit to the plan; on failure the plan is unchanged and the message is returned.
    /// While reviewing, only comments and waivers can change.
    pub fn apply(&self, edit: Edit) -> Result<(), String> {
        self.apply_all(vec![edit])
    }

    /// Applies edits together, all or nothing, as one undo step.
    pub fn apply_all(&self, edits: Vec<Edit>) -> Result<(), String> {
        if self.own.with_untracked(Option::is_some) {
            let allowed = edits.iter().all(|edit| {
                matches!(
                    edit,
                    Edit::Put {
                        kind: Kind::Comment | Kind::Waiver,
                        ..
                    } | Edit::Delete {
                        kind: Kind::Comment | Kind::Waiver,
                        ..
                    }
                )
            });
            if !allowed {
                let e = "This plan is open for review (read-only): only review comments and waivers can be added. Go back to your plan to edit it.".to_string();
                self.error(e.clone());
                return Err(e);
            }
        }
        match kit::get() {
            Some(kit) => self.apply_with(kit, edits),
            None => {
                // The editing part is on its way: the edits are applied when it arrives, in order.
                let state = *self;
                kit::run(move |kit| match kit {
                    Some(kit) => {
                        if let Err(e) = state.apply_with(kit, edits) {
                            state.error(e);
                        }
                    }
                    None => state.error(kit::NOT_LOADED.into()),
                });
                Ok(())
            }
        }
    }

    fn apply_with(&self, kit: &dyn kit::Kit, edits: Vec<Edit>) -> Result<(), String> {
        // Applied in place; the undo step is the inverse edits, not a copy of the plan.
        let mut result = Ok(None);
        self.plan.update_untracked(|p| result = kit.apply(p, edits.clone()));
        if let Some(undo) = result? {
            self.remember(undo);
            self.changed(&edits);
        }
        Ok(())
    }

    /// The editing kit, or `None` with a word to the user while its part is still on its way (undo
    /// and redo: there is nothing to undo before an edit, and an edit brings the kit).
    fn kit(&self) -> Option<&'static dyn kit::Kit> {
        let kit = kit::get();
        if kit.is_none() {
            self.error("The editing part of the app is still loading: try again in a moment.".into());
        }
        kit
    }

    /// Replaces the whole plan, keeping the old one for "Undo".
    pub fn replace(&self, plan: Plan, message: String) {
        if self.own.with_untracked(Option::is_some) {
            self.error("You are reviewing another plan: go back to your plan first.".into());
            return;
        }
        self.remember(vec![Edit::Replace(Box::new(self.plan.get_untracked()))]);
        self.previous.set(Some(self.plan.get_untracked()));
        self.selection.set(None);
        let drafts = self.drafts.try_update(std::mem::take).unwrap_or_default();
        self.drafts_aside.update_value(|(previous, _)| *previous = drafts);
        // A whole new plan is shown at the zoom the canvas picks for it (a big one collapsed).
        self.view_box.set(None);
        self.canvas.set(canvas_view::opening(&plan));
        self.set_plan(plan);
        self.notice.set(Some(Notice {
            tone: Tone::Ok,
            text: message,
            actions: vec![NoticeAction::UndoReplace],
        }));
    }

    /// Opens `plan` read-only for review; the user's own plan is kept aside, untouched.
    pub fn review(&self, plan: Plan, file: &str) {
        if self.own.with_untracked(Option::is_none) {
            self.own.set(Some(self.plan.get_untracked()));
            let drafts = self.drafts.try_update(std::mem::take).unwrap_or_default();
            self.drafts_aside.update_value(|(_, own)| *own = drafts);
        } else {
            self.drafts.set(Drafts::new());
        }
        self.undo.set(Vec::new());
        self.redo.set(Vec::new());
        self.selection.set(None);
        // A whole new plan is shown at the zoom the canvas picks for it (a big one collapsed).
        self.view_box.set(None);
        self.canvas.set(canvas_view::opening(&plan));
        self.set_plan(plan);
        self.notice.set(Some(Notice {
            tone: Tone::Ok,
            text: format!("Opened {file} for review. It is read-only; add review comments and waivers, then export it."),
            actions: vec![],
        }));
    }

    /// Leaves review mode: the user's own plan is back.
    pub fn back_to_own(&self) {
        if let Some(own) = self.own.get_untracked() {
            self.undo.set(Vec::new());
            self.redo.set(Vec::new());
            self.selection.set(None);
            self.own.set(None);
            let drafts = self
                .drafts_aside
                .try_update_value(|(_, own)| std::mem::take(own))
                .unwrap_or_default();
            self.drafts.set(drafts);
            // A whole new plan is shown at the zoom the canvas picks for it.
            self.view_box.set(None);
            self.canvas.set(canvas_view::opening(&own));
            self.set_plan(own);
            self.notice.set(Some(Notice {
                tone: Tone::Ok,
                text: "Back to your plan.".into(),
                actions: vec![],
            }));
        }
    }

    /// Downloads the plan as `NAME.cen-plan.json`.
    pub fn export(&self) {
        let state = *self;
        kit::run(move |kit| {
            let Some(kit) = kit else {
                return state.error(kit::NOT_LOADED.into());
            };
            let (name, text) = state.plan.with_untracked(|p| (files::plan_file_name(&p.name), kit.to_json(p)));
            if let Err(e) = files::download(&name, &text, "application/json") {
                state.error(format!("Export failed: {e}."));
            }
        });
    }

    /// Shows an error in the banner.
    pub fn error(&self, text: String) {
        self.notice.set(Some(Notice {
            tone: Tone::Error,
            text,
            actions: vec![],
        }));
    }

    /// Reads a plan file the user chose or dropped; a refused file leaves the plan untouched.
    pub fn import(&self, file: web_sys::File, how: Opening) {
        let state = *self;
        let name = file.name();
        if file.size() > format::MAX_FILE_BYTES as f64 {
            state.error(format!(
                "{name} was not imported: it is larger than {} MB. Your plan is unchanged.",
                format::MAX_FILE_MB
            ));
            return;
        }
        state.notice.set(Some(Notice {
            tone: Tone::Ok,
            text: format!("Importing {name}…"),
            actions: vec![],
        }));
        leptos::task::spawn_local(async move {
            let result = files::read_bytes(&file)
                .await
                .and_then(|bytes| format::from_bytes(&bytes).map_err(|e| e.to_string()));
            match (result, how) {
                (Ok(plan), Opening::Replace) => state.replace(plan, format!("Imported {name}.")),
                (Ok(plan), Opening::Review) => state.review(plan, &name),
                (Ok(plan), Opening::Baseline) => {
                    state.baseline.set(Some((name.clone(), plan)));
                    state.view.set(MainView::Diff);
                    state.notice.set(Some(Notice {
                        tone: Tone::Ok,
                        text: format!("Comparing with {name}."),
                        actions: vec![],
                    }));
                }
                (Ok(plan), Opening::Ask) => {
                    state.dropped.set_value(Some((name.clone(), plan)));
                    state.notice.set(Some(Notice {
                        tone: Tone::Ok,
                        text: format!("{name} is a valid plan. Open it for review beside your plan, or replace your plan with it?"),
                        actions: vec![NoticeAction::OpenDroppedForReview, NoticeAction::ReplaceWithDropped],
                    }));
                }
                (Err(e), _) => state.error(format!("{name} was not imported: {e}. Your plan is unchanged.")),
            }
        });
    }
}

fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let today = today();
    let (initial, notice, loaded) = persist::load(&today);
    let stored_ui = storage::read(storage::UI_KEY).ok().flatten().is_some();
    let mut ui = UiState::read();
    // A first visit on a narrow screen leaves the canvas room: the entity list starts closed.
    if !stored_ui
        && web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 1300.0)
    {
        ui.list_closed = true;
    }
    // The selection comes back if the plan still has the entity.
    let selected = ui.selected.as_deref().and_then(|id| {
        crate::core::model::Index::new(&initial)
            .kind_of(id)
            .map(|k| Selection::of(k, Some(id.to_string())))
    });
    // Text typed and not applied comes back after a reload, for the entities the plan still has.
    let drafts: Drafts = storage::read(storage::DRAFTS_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str::<Drafts>(&t).ok())
        .map(|mut d| {
            let index = crate::core::model::Index::new(&initial);
            d.retain(|key, _| key.starts_with("new:") || index.get(key).is_some());
            d
        })
        .unwrap_or_default();
    let plan = RwSignal::new(initial);
    let analysis = RwSignal::new(Shared::new());
    let checker = Checker::new();
    let state = State {
        plan,
        analysis,
        checked: RwSignal::new(Checked::none()),
        checker,
        selection: RwSignal::new(selected),
        notice: RwSignal::new(notice),
        previous: RwSignal::new(None),
        today: StoredValue::new(today),
        view: RwSignal::new(if ui.view == "matrix" { MainView::Matrix } else { MainView::Diagram }),
        reach_from: RwSignal::new(String::new()),
        reach_to: RwSignal::new(String::new()),
        undo: RwSignal::new(Vec::new()),
        redo: RwSignal::new(Vec::new()),
        own: RwSignal::new(None),
        baseline: RwSignal::new(None),
        dropped: StoredValue::new(None),
        findings_shown: RwSignal::new(100),
        drafts: RwSignal::new(drafts),
        drafts_aside: StoredValue::new((Drafts::new(), Drafts::new())),
        confirm_delete: RwSignal::new(None),
        lists: StoredValue::new(Kind::ALL.iter().map(|_| Trigger::new()).collect()),
        list_puts: StoredValue::new(vec![None; Kind::ALL.len()]),
        view_box: RwSignal::new(
            ui.view_box
                .filter(|(x, y, w, h)| [x, y, w, h].iter().all(|v| v.is_finite()) && *w > 0.0 && *h > 0.0),
        ),
        show_list: RwSignal::new(!ui.list_closed),
        show_findings: RwSignal::new(!ui.findings_closed),
        expanded: RwSignal::new(ui.expanded.iter().cloned().collect()),
        show_minimap: RwSignal::new(!ui.minimap_closed),
        canvas: RwSignal::new(ui.canvas.clone()),
        matrix_beside: RwSignal::new(ui.matrix_beside),
    };
    provide_context(state);
    // The side panels are rebuilt only when they open or close, not on every write of their flag.
    let list_open = Memo::new(move |_| state.show_list.get());
    let findings_open = Memo::new(move |_| state.show_findings.get());

    // Drafts are kept as they change (a blocked storage keeps them in this page only).
    Effect::new(move |first: Option<()>| {
        let text = state.drafts.with(|d| serde_json::to_string(d).unwrap_or_default());
        if first.is_some() {
            let _ = storage::write(storage::DRAFTS_KEY, &text);
        }
    });
    // What is shown is kept across reloads (never the plan: that is `persist`).
    Effect::new(move |first: Option<()>| {
        let now = UiState {
            view: if state.view.get() == MainView::Matrix {
                "matrix"
            } else {
                "diagram"
            }
            .into(),
            selected: state.selection.with(|s| s.as_ref().and_then(|s| s.id.clone())),
            view_box: state.view_box.get(),
            list_closed: !state.show_list.get(),
            findings_closed: !state.show_findings.get(),
            expanded: state.expanded.with(|e| e.iter().cloned().collect()),
            minimap_closed: !state.show_minimap.get(),
            canvas: state.canvas.get(),
            matrix_beside: state.matrix_beside.get(),
        };
        if first.is_some() {
            // A blocked storage only loses the view, never the plan.
            let _ = storage::write(storage::UI_KEY, &serde_json::to_string(&now).unwrap_or_default());
        }
    });

    // A review in progress (someone else's plan, with the reviewer's comments) comes back after a reload.
    if let Some(review) = storage::read(storage::REVIEW_KEY)
        .ok()
        .flatten()
        .and_then(|t| stored::read(&t).ok())
    {
        state.own.set(Some(plan.get_untracked()));
        state.set_plan(review);
    }

    // Every revision is sent to the analysis worker (loaded when a plan first has entities).
    Effect::new(move |_| {
        plan.track();
        checker.sync(state);
    });

    // Autosave: debounced, flushed when the page is hidden, aware of other tabs.
    provide_context(persist::Saver::start(state, loaded));
    // The parts loaded after the first frame (the inspector, lists, findings, matrix, review tools).
    lazy::preload();
    // Each kind of entity the plan has gets its form opened once, unseen, when the page is idle, so the
    // first selection and save of that kind run code already compiled (`lazy::warm_forms`; the editing
    // kit chooses the entities and builds the forms, so the first load holds little of it).
    // (It waits while the user is at work: their input is noted from the start.)
    lazy::listen_for_input();
    let warmed = StoredValue::new(Vec::<Kind>::new());
    // (The app's owner, not the effect's: the effect's is cleaned up each time it runs again.)
    let app = Owner::current();
    Effect::new(move |_| {
        plan.track();
        let app = app.clone();
        kit::after(&kit::EDITING, move |kit| {
            let (Some(kit), Some(app)) = (kit, app) else { return };
            let typed = |kind: Kind, id: &str| state.drafts.with_untracked(|d| d.contains_key(&draft_key(kind, Some(id))));
            let picks = state
                .plan
                .with_untracked(|p| warmed.with_value(|done| kit.warm_picks(p, done, &typed)));
            if picks.is_empty() {
                return;
            }
            warmed.update_value(|w| w.extend(picks.iter().map(|(kind, _)| *kind)));
            lazy::warm_forms(picks.into_iter().map(|(kind, id)| Selection::of(kind, Some(id))).collect(), app);
        });
    });

    // Undo / redo for every edit, except inside a text field (which has its own).
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        let ctrl = ev.ctrl_key() || ev.meta_key();
        if !ctrl || diagram::typing(&ev) {
            return;
        }
        match (ev.key().to_ascii_lowercase().as_str(), ev.shift_key()) {
            ("z", false) => {
                ev.prevent_default();
                state.undo();
            }
            ("z", true) | ("y", _) => {
                ev.prevent_default();
                state.redo();
            }
            _ => {}
        }
    });

    // Drop a plan file anywhere to import it.
    let _ = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let _ = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            state.import(file, Opening::Ask);
        }
    });

    let asking_delete = Memo::new(move |_| state.confirm_delete.with(Option::is_some));
    view! {
        <div class="app">
            <toolbar::Toolbar />
            <review::ReviewBar />
            <NoticeBanner />
            <div
                class="columns"
                class:no-list=move || !state.show_list.get()
                class:no-findings=move || !state.show_findings.get()
            >
                {move || list_open.get().then(lazy::sidebar_view)}
                <main class="editor" class:canvas-home=move || state.view.get() == MainView::Diagram aria-label="Editor">
                    // The view alone decides what is mounted: a new selection never rebuilds the canvas.
                    {move || match state.view.get() {
                        MainView::Matrix => lazy::matrix_view().into_any(),
                        MainView::Diagram => view! { <diagram::DiagramView /> }.into_any(),
                        MainView::Diff => lazy::diff_view().into_any(),
                        MainView::Editor => (move || match state.selection.get() {
                            Some(sel) => lazy::inspector_view(sel).into_any(),
                            None => view! { <Welcome /> }.into_any(),
                        })
                        .into_any(),
                    }}
                </main>
                {move || findings_open.get().then(|| view! {
                    <aside class="findings" aria-label="Findings and reachability">
                        {lazy::findings_view()}
                    </aside>
                })}
            </div>
            // The delete confirmation is a part of its own, fetched when a deletion is first asked for.
            {move || asking_delete.get().then(lazy::confirm_delete_view)}
        </div>
    }
}

#[component]
fn NoticeBanner() -> impl IntoView {
    let state = expect_context::<State>();
    let saver = expect_context::<persist::Saver>();
    let run = move |action: NoticeAction| match action {
        NoticeAction::UndoReplace => {
            if let Some(old) = state.previous.get_untracked() {
                state.previous.set(None);
                state.selection.set(None);
                let drafts = state
                    .drafts_aside
                    .try_update_value(|(previous, _)| std::mem::take(previous))
                    .unwrap_or_default();
                state.drafts.set(drafts);
                state.set_plan(old);
                state.notice.set(Some(Notice {
                    tone: Tone::Ok,
                    text: "The previous plan is back.".into(),
                    actions: vec![],
                }));
            }
        }
        NoticeAction::Export => state.export(),
        NoticeAction::Undo => {
            state.undo();
            state.notice.set(None);
        }
        NoticeAction::RestoreBackup => match storage::read(storage::BACKUP_KEY).ok().flatten().map(|t| stored::read(&t)) {
            Some(Ok(plan)) => state.replace(plan, "Restored the last good copy.".into()),
            _ => state.error("The last good copy could not be read either.".into()),
        },
        NoticeAction::DownloadUnreadable => match storage::read(storage::UNREADABLE_KEY).ok().flatten() {
            Some(text) => {
                // A compressed copy that still decompresses is given as its plan file; a damaged one as it is stored.
                let (name, text, mime) = match stored::decode(&text) {
                    Ok(plain) => ("cen-planner-unreadable-plan.json", plain.into_owned(), "application/json"),
                    Err(_) => ("cen-planner-unreadable-plan.txt", text, "text/plain"),
                };
                if let Err(e) = files::download(name, &text, mime) {
                    state.error(format!("Download failed: {e}."));
                }
            }
            None => state.error("The unreadable plan is no longer in storage.".into()),
        },
        NoticeAction::LoadOtherTab => saver.load_other_tab(state),
        NoticeAction::OpenDroppedForReview => {
            if let Some((name, plan)) = state.dropped.try_update_value(Option::take).flatten() {
                state.review(plan, &name);
            }
        }
        NoticeAction::ReplaceWithDropped => {
            if let Some((name, plan)) = state.dropped.try_update_value(Option::take).flatten() {
                state.replace(plan, format!("Imported {name}."));
            }
        }
        NoticeAction::KeepMine => saver.keep_mine(state),
    };
    let label = |a: NoticeAction| match a {
        NoticeAction::UndoReplace => ("undo-replace", "Undo: restore the previous plan"),
        NoticeAction::Export => ("notice-export", "Export plan"),
        NoticeAction::Undo => ("notice-undo", "Undo"),
        NoticeAction::RestoreBackup => ("restore-backup", "Restore the last good copy"),
        NoticeAction::DownloadUnreadable => ("download-unreadable", "Download the unreadable text"),
        NoticeAction::LoadOtherTab => ("load-other-tab", "Load the other tab's plan"),
        NoticeAction::KeepMine => ("keep-mine", "Keep this tab's plan"),
        NoticeAction::OpenDroppedForReview => ("open-for-review", "Open for review"),
        NoticeAction::ReplaceWithDropped => ("replace-with-dropped", "Replace my plan"),
    };
    move || {
        state.notice.get().map(|n| {
            let class = match n.tone {
                Tone::Ok => "notice ok",
                Tone::Error => "notice error",
            };
            let buttons = n
                .actions
                .iter()
                .filter(|a| **a != NoticeAction::UndoReplace || state.previous.with(Option::is_some))
                .map(|&a| {
                    let (id, text) = label(a);
                    view! { <button class="link" id=id on:click=move |_| run(a)>{text}</button> }
                })
                .collect_view();
            view! {
                <div class=class role="status" id="notice">
                    <span class="notice-text">{n.text}</span>
                    {buttons}
                    <button class="icon" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let state = expect_context::<State>();
    let counts = move || state.plan.with(|p| (p.entity_count(), p.name.clone()));
    view! {
        <section class="welcome">
            <h2>{move || counts().1}</h2>
            <p>{move || format!("{} entities. Pick one in the sidebar, or add one with a + button.", counts().0)}</p>
            <p class="muted">
                "Drop a plan file anywhere to import it. Everything stays in this browser; nothing is sent anywhere."
            </p>
        </section>
    }
}
