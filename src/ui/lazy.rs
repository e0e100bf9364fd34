//! The parts of the page that load after it is interactive.
//!
//! Each function here is a split point (`wasm_split`): its code, and the code only it uses, goes to a
//! wasm module of its own (`scripts/build-web.sh` splits the page's module with `wasm-split-cli`),
//! fetched when the part is first shown, and in the background once the page has loaded
//! (`preload`). So the first load is the canvas and the toolbar; the editing kit (`kit`), the
//! inspector's forms, the lists, the findings, the matrix and the review tools follow. A part that cannot be
//! loaded (its file did not arrive) says so in its place; nothing else is affected.

use super::Selection;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// A lazily loaded part did not arrive.
#[derive(Debug)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// The part, or a line saying it could not be loaded.
fn shown(part: Result<AnyView, NotLoaded>) -> AnyView {
    part.unwrap_or_else(|NotLoaded| {
        view! {
            <p class="error" role="alert">
                "This part of the app could not be loaded (its file did not arrive). Reload the page: your plan is kept."
            </p>
        }
        .into_any()
    })
}

#[wasm_split(cen_editing, wasm_split_path = ::leptos::wasm_split, fallible)]
fn editing_part() -> Result<&'static dyn super::kit::Kit, NotLoaded> {
    Ok(&super::kit::Editing)
}

/// The editing kit (`kit`): what changes the plan and writes it out.
pub async fn editing() -> Result<&'static dyn super::kit::Kit, NotLoaded> {
    editing_part().await
}

#[wasm_split(cen_views, wasm_split_path = ::leptos::wasm_split, fallible)]
fn views_part() -> Result<&'static dyn super::kit::Views, NotLoaded> {
    Ok(&super::kit::Viewing)
}

/// The canvas's collapsed and filtered views (`kit::Views`).
pub async fn views() -> Result<&'static dyn super::kit::Views, NotLoaded> {
    views_part().await
}

#[wasm_split(cen_inspector, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_inspector))]
pub(super) fn inspector(sel: Selection) -> Result<AnyView, NotLoaded> {
    Ok(view! { <super::form::EntityForm selection=sel /> }.into_any())
}

/// The inspector's form for the selection.
pub fn inspector_view(sel: Selection) -> impl IntoView {
    Suspend::new(async move { shown(editable(inspector(sel)).await) })
}

/// Opens, detached and unseen, the form of each selection in `picks` (one entity of each kind), in
/// order, in idle moments, so the code a first selection and its save run is compiled before they
/// need it. The forms are built by the editing part (`Kit::warm_form`); this chain of idle moments is
/// all the first load holds of it. Each form is made under a child of `app` (the app's owner), cleaned
/// up after.
pub fn warm_forms(picks: Vec<Selection>, app: Owner) {
    std::thread_local! {
        /// Chains running (a plan that gains kinds while one runs starts another): `data-forms-warming`
        /// goes when the last ends.
        static RUNNING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    fn next(mut picks: std::vec::IntoIter<Selection>, app: Owner) {
        let root = document().document_element();
        let Some(sel) = picks.next() else {
            if RUNNING.with(|r| r.replace(r.get().saturating_sub(1))) <= 1 {
                if let Some(root) = root {
                    let _ = root.remove_attribute("data-forms-warming");
                }
            }
            return;
        };
        let kind = sel.kind;
        when_quiet(move || {
            // The form is made inside the kit's future (`Kit::warm_form`), which runs with a child of the
            // app's owner (so the form finds the app's state).
            let owner = app.child();
            let (Some(kit), Some(state)) = (super::kit::get(), owner.with(use_context::<super::State>)) else {
                // (It cannot be made: the chain goes on, so that it ends.)
                owner.cleanup();
                return next(picks, app);
            };
            let warm = owner.with(|| leptos::reactive::computed::ScopedFuture::new_untracked(kit.warm_form(state, sel, owner.clone())));
            leptos::task::spawn_local(async move {
                warm.await;
                // Said on the page (`<html data-forms-warmed="vswitches vpcs …">`, and `data-forms-warming`
                // until the last) for tests and probes.
                if let Some(root) = root {
                    let done = root.get_attribute("data-forms-warmed").unwrap_or_default();
                    let _ = root.set_attribute("data-forms-warmed", format!("{done} {}", kind.key()).trim_start());
                }
                next(picks, app);
            });
        });
    }
    RUNNING.with(|r| r.set(r.get() + 1));
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-forms-warming", "true");
    }
    next(picks.into_iter(), app);
}

#[wasm_split(cen_sidebar, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_sidebar))]
fn sidebar() -> Result<AnyView, NotLoaded> {
    Ok(view! { <super::sidebar::Sidebar /> }.into_any())
}

/// The entity list (mounted once the page has loaded: it is open from the start on wide screens).
pub fn sidebar_view() -> impl IntoView {
    after_load(|| Suspend::new(async move { shown(editable(sidebar()).await) }))
}

#[wasm_split(cen_findings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_findings))]
fn findings() -> Result<AnyView, NotLoaded> {
    Ok(view! {
        <super::findings::FindingsPanel />
        <super::reach::ReachPanel />
    }
    .into_any())
}

/// The findings and the "why can't A reach B?" explainer (mounted once the page has loaded).
pub fn findings_view() -> impl IntoView {
    after_load(|| Suspend::new(async move { shown(editable(findings()).await) }))
}

#[wasm_split(cen_matrix, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_matrix))]
fn matrix(beside: bool) -> Result<AnyView, NotLoaded> {
    Ok(if beside {
        view! { <super::reach::PairAnswer matrix=view! { <super::reach::MatrixView /> }.into_any() /> }.into_any()
    } else {
        view! { <super::reach::MatrixView /> }.into_any()
    })
}

/// The all-pairs reachability matrix.
pub fn matrix_view() -> impl IntoView {
    Suspend::new(async move { shown(editable(matrix(false)).await) })
}

/// The matrix beside the canvas, with the chosen pair's answer (`reach::PairAnswer`).
pub fn matrix_beside_view() -> impl IntoView {
    Suspend::new(async move { shown(editable(matrix(true)).await) })
}

#[wasm_split(cen_diff, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_diff))]
fn diff() -> Result<AnyView, NotLoaded> {
    Ok(view! { <super::review::DiffView /> }.into_any())
}

/// The comparison with a baseline plan.
pub fn diff_view() -> impl IntoView {
    Suspend::new(async move { shown(editable(diff()).await) })
}

#[wasm_split(cen_review, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_review))]
fn review_tools() -> Result<AnyView, NotLoaded> {
    Ok(view! { <super::review::ReviewTools /> }.into_any())
}

/// The review menu's tools (mounted once the page has loaded: the menu is in the toolbar).
pub fn review_tools_view() -> impl IntoView {
    after_load(|| Suspend::new(async move { shown(editable(review_tools()).await) }))
}

#[wasm_split(cen_delete, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_delete))]
fn confirm_delete() -> Result<AnyView, NotLoaded> {
    Ok(view! { <super::form::ConfirmDelete /> }.into_any())
}

/// The delete confirmation (what goes with the entity).
pub fn confirm_delete_view() -> impl IntoView {
    Suspend::new(async move { shown(editable(confirm_delete()).await) })
}

/// A part that edits the plan, once the editing kit is here too.
async fn editable<F: std::future::Future<Output = Result<AnyView, NotLoaded>>>(part: F) -> Result<AnyView, NotLoaded> {
    if super::kit::get().is_none() {
        let kit = editing().await;
        super::kit::arrived(kit.as_ref().ok().copied());
        kit?;
    }
    part.await
}

/// Fetches every part in the background, one after the other, once the page has loaded, so a part
/// is there before it is first asked for. A part that fails is fetched again when shown.
pub fn preload() {
    when_loaded(|| {
        super::kit::preload();
        leptos::task::spawn_local(async {
            let _ = preload_inspector().await;
            let _ = preload_sidebar().await;
            let _ = preload_findings().await;
            let _ = preload_matrix().await;
            let _ = preload_review().await;
            let _ = preload_diff().await;
            let _ = preload_delete().await;
        });
    });
}

/// `view` once the page has loaded: a part shown from the start is fetched after the page's own
/// files, so it never holds back the page's `load` (nor the canvas and toolbar, drawn before it).
fn after_load<V: IntoView + 'static>(view: impl Fn() -> V + Send + Sync + 'static) -> impl IntoView {
    let loaded = RwSignal::new(false);
    when_loaded(move || {
        let _ = loaded.try_set(true);
    });
    move || loaded.get().then(&view)
}

/// Runs `f` after the page's `load` event (at once if it has fired), the next frame and then when the
/// page is idle (at most `IDLE_WAIT` later): the page's first paint, and the first input after it,
/// come before the parts are fetched, compiled and mounted.
fn when_loaded(f: impl FnOnce() + 'static) {
    let later = move || request_animation_frame(move || when_idle(f));
    let complete = js_sys::Reflect::get(&document(), &"readyState".into())
        .ok()
        .and_then(|s| s.as_string())
        .is_some_and(|s| s == "complete");
    if complete {
        later();
    } else {
        let once = std::cell::Cell::new(Some(later));
        let _ = window_event_listener(leptos::ev::load, move |_| {
            if let Some(run) = once.take() {
                run();
            }
        });
    }
}

/// How long a part waits for the page to be idle before it is fetched anyway.
const IDLE_WAIT_MS: f64 = 300.0;

/// How long the page must have had no input (a key, a pointer moved or pressed, a wheel) before a
/// warm-up step runs: the warm-up never competes with what the user is doing, and a step is a task of
/// its own.
const QUIET_MS: f64 = 1000.0;

std::thread_local! {
    /// When the page last had input (`Date.now()`).
    static LAST_INPUT: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes each input of the page (`LAST_INPUT`), from the start (`App`), so that a warm-up started
/// while the user is at work waits too.
pub(super) fn listen_for_input() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    fn noted() {
        LAST_INPUT.with(|t| t.set(js_sys::Date::now()));
    }
    let _ = window_event_listener(leptos::ev::keydown, |_| noted());
    let _ = window_event_listener(leptos::ev::pointerdown, |_| noted());
    let _ = window_event_listener(leptos::ev::pointermove, |_| noted());
    // (A wheel scrolling a list. A window's wheel listener is passive: it never holds a scroll back.)
    let _ = window_event_listener(leptos::ev::wheel, |_| noted());
}

/// How long ago the page last had input, in milliseconds.
fn since_input() -> f64 {
    js_sys::Date::now() - LAST_INPUT.with(std::cell::Cell::get)
}

/// Whether the page has had input in the last `QUIET_MS`.
pub(super) fn in_use() -> bool {
    since_input() < QUIET_MS
}

/// Runs `f` when the page is idle and has had no input for `QUIET_MS` (`when_idle`, waiting again
/// as long as the user is at work): a warm-up step.
pub(super) fn when_quiet(f: impl FnOnce() + 'static) {
    when_idle(move || {
        let since = since_input();
        if since >= QUIET_MS {
            f()
        } else {
            set_timeout(
                move || when_quiet(f),
                std::time::Duration::from_millis((QUIET_MS - since).ceil() as u64),
            );
        }
    })
}

/// Runs `f` when the page is idle (`requestIdleCallback`, at most `IDLE_WAIT_MS` later), or a task
/// later where the browser has no idle callbacks.
pub(super) fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let window = window();
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(idle) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeout".into(), &JsValue::from_f64(IDLE_WAIT_MS));
            let callback = Closure::once_into_js(f);
            let _ = idle.call2(&window, &callback, &options);
        }
        None => set_timeout(f, std::time::Duration::ZERO),
    }
}
