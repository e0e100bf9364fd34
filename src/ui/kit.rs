//! The kits the page gets from its parts: code it calls (rather than views it shows) that is not
//! needed to show a plan, so it loads after the page is interactive (`lazy`).
//!
//! - `Kit`, the editing kit: the code that changes the plan and writes it out — `core::edit` (edits
//!   and their undo), `core::draw` (what the canvas draws), the plan file's writer, the stored
//!   copy's compressor, SVG export — and reads the worker's summaries and highlights (the worker is
//!   first sent the plan by the kit, so its answers come after it). Fetched once the page has loaded.
//! - `Views`, the canvas's collapsed and filtered views (`core::condense`) and Find: fetched when a
//!   view needs it (a big plan opens collapsed), and in the background.
//!
//! What is asked of a kit before it has arrived waits for it, in the order asked (`run`, `with`): an
//! edit made in the first moments is applied when the part arrives, never lost or reordered; what
//! only needs the kit once it is here waits without fetching it (`after`: the first sync with the
//! worker, so nothing is fetched during the first paint).

use super::{Selection, State};
use crate::core::analysis::SummaryReader;
use crate::core::condense::{self, ViewOptions};
use crate::core::diagram::{Diagram, Highlight};
use crate::core::draw::{self, End};
use crate::core::edit::{apply_undoable, Edit};
use crate::core::model::{Kind, Plan};
use crate::core::{format, stored};
use leptos::prelude::{Owner, WithUntracked};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::thread::LocalKey;

/// What the editing part does for the page.
pub trait Kit {
    /// Applies `edits` together (`core::edit::apply_undoable`): the edits that undo them, `None` when
    /// nothing changed, or why the plan is left as it was.
    fn apply(&self, plan: &mut Plan, edits: Vec<Edit>) -> Result<Option<Vec<Edit>>, String>;
    /// The plan file's text (`core::format::to_json`).
    fn to_json(&self, plan: &Plan) -> String;
    /// Edits as JSON, for the worker's copy of the plan (pretty, like plan files: one writer).
    fn edits_json(&self, edits: &[&Edit]) -> String;
    /// The plan's stored copy (`core::stored::write`).
    fn stored(&self, plan: &Plan) -> String;
    /// A new entity of `kind` drawn on the canvas (`core::draw::create`).
    fn create(&self, plan: &Plan, kind: Kind, context: &draw::Context) -> draw::Created;
    /// The relationship a line from `from` to `to` stands for (`core::draw::connect`).
    fn connect(&self, plan: &Plan, from: &End, to: &End) -> Result<draw::Created, draw::Refusal>;
    /// The valid ends of a line from `from` (`core::draw::targets`).
    fn targets(&self, plan: &Plan, from: &End) -> Vec<End>;
    /// What `edits` do to a bandwidth package, in words (`core::draw::package_note`).
    fn package_note(&self, plan: &Plan, edits: &[Edit]) -> Option<String>;
    /// The diagram as a standalone SVG document, its stylesheet embedded (`core::diagram::to_svg`).
    fn to_svg(&self, drawn: &Diagram, title: &str) -> String;
    /// Reads the next part of the worker's summary of an analysis.
    fn read_summary(&self, reader: &mut SummaryReader, part: &str) -> Result<(), String>;
    /// Reads the worker's answer to "highlight" (the traced path the canvas draws).
    fn highlight(&self, json: &str) -> Result<Highlight, String>;
    /// The entities whose forms `lazy::warm_forms` opens unseen: one of each kind `plan` has that is
    /// not in `done`, the first without typed text (`typed`), the kinds with the fewest fields first
    /// (the code every form runs is compiled with the first; each next form adds only its own).
    fn warm_picks(&self, plan: &Plan, done: &[Kind], typed: &dyn Fn(Kind, &str) -> bool) -> Vec<(Kind, String)>;
    /// Builds the inspector's form for `sel` (an entity without typed text) once, detached from the
    /// page; in the next idle moment lays it out out of sight and drops it (and cleans up `owner`, the
    /// form's owner); in the one after, runs the core of saving it on a copy (`Editing::warm_save`).
    ///
    /// Why (`lazy::warm_forms`): the browser compiles each wasm function the first time it runs. The
    /// first form opened on a big plan ran ~340 functions for the first time, and the save after it
    /// ~160–210 more; its first layout took 16–62 ms, the next 3–4 (fonts and text shaping are loaded
    /// on first use): the largest plan's first edit had tasks of 30–78 ms (issue 13: no task over
    /// 50 ms while it is edited). Opening one form of a kind before made every task of the next edit
    /// 12–26 ms (docs/performance.md).
    fn warm_form(&self, state: State, sel: Selection, owner: Owner) -> Pin<Box<dyn Future<Output = ()>>>;
}

/// The kit the editing part hands the page.
pub struct Editing;

impl Editing {
    /// Runs the core of a save of entity `id` as it is (its draft, the entity built from it, the
    /// edit and its JSON) on a plan holding only a copy of it: `plan` is not changed (`Kit::warm_form`).
    fn warm_save(plan: &Plan, kind: Kind, id: &str) {
        let Some(draft) = crate::core::fields::draft_of(plan, kind, id) else {
            return;
        };
        let Ok(entity) = crate::core::fields::build(plan, kind, id, &draft) else {
            return;
        };
        let put = |previous_id| Edit::Put {
            kind,
            entity: entity.clone(),
            previous_id,
        };
        let mut copy = Plan::default();
        let _ = apply_undoable(&mut copy, vec![put(None)]);
        let save = put(Some(id.to_string()));
        let _ = Editing.edits_json(&[&save]);
        let _ = apply_undoable(&mut copy, vec![save]);
    }
}

/// Resolves when `schedule` runs the callback it is given: `lazy::when_idle` (the page is idle) or
/// `lazy::when_quiet` (idle, and the user not at work for a moment).
async fn once(schedule: fn(Box<dyn FnOnce()>)) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        schedule(Box::new(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }))
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Mounts a built view in an inspector out of sight (`.warm-up`), has it laid out, and takes it out
/// again, all in one task: nothing else (no script, no test) can meet it or its ids in the page.
fn lay_out_unseen(mut built: leptos::tachys::view::any_view::AnyViewState) {
    use leptos::prelude::document;
    use leptos::tachys::view::Mountable;
    let doc = document();
    let (Some(body), Ok(holder)) = (doc.body(), doc.create_element("aside")) else {
        return;
    };
    holder.set_class_name("inspector warm-up");
    let _ = holder.set_attribute("aria-hidden", "true");
    if body.append_child(&holder).is_ok() {
        built.mount(&holder, None);
        let _ = holder.get_bounding_client_rect();
        built.unmount();
        holder.remove();
    }
}

impl Kit for Editing {
    fn apply(&self, plan: &mut Plan, edits: Vec<Edit>) -> Result<Option<Vec<Edit>>, String> {
        apply_undoable(plan, edits)
    }
    fn to_json(&self, plan: &Plan) -> String {
        format::to_json(plan)
    }
    fn edits_json(&self, edits: &[&Edit]) -> String {
        serde_json::to_string_pretty(edits).unwrap_or_default()
    }
    fn stored(&self, plan: &Plan) -> String {
        stored::write(plan)
    }
    fn create(&self, plan: &Plan, kind: Kind, context: &draw::Context) -> draw::Created {
        draw::create(plan, kind, context)
    }
    fn connect(&self, plan: &Plan, from: &End, to: &End) -> Result<draw::Created, draw::Refusal> {
        draw::connect(plan, from, to)
    }
    fn targets(&self, plan: &Plan, from: &End) -> Vec<End> {
        draw::targets(plan, from)
    }
    fn package_note(&self, plan: &Plan, edits: &[Edit]) -> Option<String> {
        draw::package_note(plan, edits)
    }
    fn to_svg(&self, drawn: &Diagram, title: &str) -> String {
        crate::core::diagram::to_svg(drawn, &Default::default(), title)
    }
    fn read_summary(&self, reader: &mut SummaryReader, part: &str) -> Result<(), String> {
        reader.read(part)
    }
    fn warm_picks(&self, plan: &Plan, done: &[Kind], typed: &dyn Fn(Kind, &str) -> bool) -> Vec<(Kind, String)> {
        let mut picks: Vec<(usize, Kind, String)> = Kind::ALL
            .iter()
            .filter(|k| !done.contains(k))
            .filter_map(|&kind| {
                let id = crate::with_list!(plan, kind, |list| list
                    .iter()
                    .map(crate::core::model::Entity::id)
                    .find(|id| !typed(kind, id))
                    .map(str::to_string))?;
                Some((crate::core::fields::specs(kind).len(), kind, id))
            })
            .collect();
        picks.sort_by_key(|(fields, _, _)| *fields);
        picks.into_iter().map(|(_, kind, id)| (kind, id)).collect()
    }
    fn warm_form(&self, state: State, sel: Selection, owner: Owner) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async move {
            use leptos::tachys::view::Render;
            let (kind, id) = (sel.kind, sel.id.clone().unwrap_or_default());
            // An entity with typed text is left alone: its form would bring the text back, and leaving it say so.
            let typed = || state.drafts.with_untracked(|d| d.contains_key(&super::draft_key(kind, Some(&id))));
            if super::lazy::preload_inspector().await.is_err() || typed() {
                return owner.cleanup();
            }
            // (The part is here: the form is made and built in this one task.)
            let Ok(view) = super::lazy::inspector(sel).await else {
                return owner.cleanup();
            };
            let built = owner.with(|| view.build());
            once(super::lazy::when_idle).await;
            // (Not held while the user works: a built form follows the plan's changes. Input since
            // it was built, and it is dropped unseen; its code is compiled all the same. Either way
            // the form goes before its owner.)
            if super::lazy::in_use() {
                drop(built);
            } else {
                lay_out_unseen(built);
            }
            owner.cleanup();
            once(super::lazy::when_quiet).await;
            let _ = state.plan.try_with_untracked(|p| Editing::warm_save(p, kind, &id));
        })
    }
    fn highlight(&self, json: &str) -> Result<Highlight, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
}

/// The canvas's views (`core::condense`), loaded as a part (`lazy::views`).
pub trait Views {
    /// The diagram as the view shows it (`core::condense::apply`).
    fn apply(&self, diagram: Diagram, plan: &Plan, options: &ViewOptions) -> Diagram;
    /// Find on the canvas (`canvas_view::find`).
    fn find(&self, drawn: &Diagram, plan: &Plan, text: &str) -> Option<(Kind, String)>;
}

/// The views the part hands the page.
pub struct Viewing;

impl Views for Viewing {
    fn apply(&self, diagram: Diagram, plan: &Plan, options: &ViewOptions) -> Diagram {
        condense::apply(diagram, plan, options)
    }
    fn find(&self, drawn: &Diagram, plan: &Plan, text: &str) -> Option<(Kind, String)> {
        super::canvas_view::find(drawn, plan, text)
    }
}

/// What waits for a kit: called with it, or with `None` when its part could not be loaded.
type Waiting<K> = Box<dyn FnOnce(Option<&'static K>)>;

/// Fetches a kit's part.
type Fetch<K> = fn() -> Pin<Box<dyn Future<Output = Option<&'static K>>>>;

enum Slot<K: ?Sized + 'static> {
    /// Not fetched yet, or its part failed to load (fetched again when asked for); what waits for
    /// it without asking (`after`).
    Missing(Vec<Waiting<K>>),
    /// Being fetched; what waits for it, in the order asked.
    Loading(Vec<Waiting<K>>),
    /// Here.
    Ready(&'static K),
}

/// A kit and what waits for it.
pub struct Loader<K: ?Sized + 'static> {
    slot: RefCell<Slot<K>>,
    fetch: Fetch<K>,
}

thread_local! {
    /// The editing kit.
    pub static EDITING: Loader<dyn Kit> = Loader {
        slot: RefCell::new(Slot::Missing(Vec::new())),
        fetch: || Box::pin(async { super::lazy::editing().await.ok() }),
    };
    /// The canvas's views.
    pub static VIEWS: Loader<dyn Views> = Loader {
        slot: RefCell::new(Slot::Missing(Vec::new())),
        fetch: || Box::pin(async { super::lazy::views().await.ok() }),
    };
}

/// The message when the editing part could not be loaded.
pub const NOT_LOADED: &str =
    "The editing part of the app could not be loaded (its file did not arrive), so the change was not made. Reload the page: your plan is kept.";

/// The editing kit, if it has arrived.
pub fn get() -> Option<&'static dyn Kit> {
    here(&EDITING)
}

/// Runs `f` with the editing kit: now if it is here, otherwise once it has arrived, after what was
/// asked before (with `None` if its part cannot be loaded).
pub fn run(f: impl FnOnce(Option<&'static dyn Kit>) + 'static) {
    with(&EDITING, f);
}

/// The editing part arrived (`Some`) or could not be loaded (`None`).
pub fn arrived(kit: Option<&'static dyn Kit>) {
    settle(&EDITING, kit);
}

/// Fetches the editing part and the views now (the page does once it has loaded: `lazy::preload`).
pub fn preload() {
    run(|_| {});
    with(&VIEWS, |_| {});
}

/// A kit, if it has arrived.
pub fn here<K: ?Sized + 'static>(key: &'static LocalKey<Loader<K>>) -> Option<&'static K> {
    key.with(|l| match &*l.slot.borrow() {
        Slot::Ready(kit) => Some(*kit),
        _ => None,
    })
}

/// Runs `f` with a kit: now if it is here, otherwise once it has arrived, after what was asked
/// before (with `None` if its part cannot be loaded).
pub fn with<K: ?Sized + 'static>(key: &'static LocalKey<Loader<K>>, f: impl FnOnce(Option<&'static K>) + 'static) {
    wait(key, Box::new(f), true);
}

/// Runs `f` with a kit once it is here, without fetching it now (the page fetches its parts once it
/// has loaded: what is not needed for its first paint never competes with it).
pub fn after<K: ?Sized + 'static>(key: &'static LocalKey<Loader<K>>, f: impl FnOnce(Option<&'static K>) + 'static) {
    wait(key, Box::new(f), false);
}

/// Runs `f` now if the kit is here; otherwise queues it, and fetches the part if `fetch` and it is
/// not on its way.
fn wait<K: ?Sized + 'static>(key: &'static LocalKey<Loader<K>>, f: Waiting<K>, fetch: bool) {
    let (ready, start) = key.with(|l| {
        let mut slot = l.slot.borrow_mut();
        match &mut *slot {
            Slot::Ready(kit) => (Some((*kit, f)), None),
            Slot::Loading(waiting) => {
                waiting.push(f);
                (None, None)
            }
            Slot::Missing(waiting) if fetch => {
                let mut waiting = std::mem::take(waiting);
                waiting.push(f);
                *slot = Slot::Loading(waiting);
                (None, Some(l.fetch))
            }
            Slot::Missing(waiting) => {
                waiting.push(f);
                (None, None)
            }
        }
    });
    if let Some((kit, f)) = ready {
        f(Some(kit));
    }
    if let Some(fetch) = start {
        leptos::task::spawn_local(async move {
            settle(key, fetch().await);
        });
    }
}

/// A kit's part arrived (`Some`) or could not be loaded (`None`): what waits for it runs, in order.
pub fn settle<K: ?Sized + 'static>(key: &'static LocalKey<Loader<K>>, kit: Option<&'static K>) {
    if here(key).is_some() {
        return;
    }
    let waiting = key.with(|l| {
        let now = kit.map_or_else(|| Slot::Missing(Vec::new()), Slot::Ready);
        match std::mem::replace(&mut *l.slot.borrow_mut(), now) {
            // (What waits without fetching (`after`) waits in `Missing`: the part may arrive by another
            // way (`lazy::editable`) before anything fetched it, and what waited then runs too.)
            Slot::Loading(waiting) | Slot::Missing(waiting) => waiting,
            Slot::Ready(_) => Vec::new(),
        }
    });
    for f in waiting {
        f(kit);
    }
}
