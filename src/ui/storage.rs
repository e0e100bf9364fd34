//! The only code that touches `localStorage`: it never panics and never aborts the module.
//!
//! gloo-storage's `LocalStorage::raw()` unwraps the storage handle and so aborts the whole app
//! when storage is blocked; this wrapper goes through `web_sys` and turns every failure (blocked,
//! disabled, full) into an `Err` with a message the UI shows as a notice.
//!
//! | key | holds |
//! |---|---|
//! | `cen-planner.plan` | the current plan: its plan file compressed by `core::stored` (plain plan files of older versions load too) |
//! | `cen-planner.plan.backup` | the previous good copy (as stored), replaced on each successful save |
//! | `cen-planner.plan.rev` | `REVISION:TAB` of the last save, so a tab notices another tab's saves |
//! | `cen-planner.plan.unreadable` | a stored plan that could not be read, set aside unchanged |
//! | `cen-planner.review` | a plan open for review, with the reviewer's comments and waivers (compressed like the plan) |
//! | `cen-planner.drafts` | text typed into forms and not in the plan yet (`ui::Drafts` as JSON), so a reload loses none of it |
//! | `cen-planner.ui` | the view, the selected entity, the canvas's visible area and which side panels are open (`ui::UiState` as JSON); never the plan |

use web_sys::Storage;

/// Key of the current plan (its plan file encoded by `core::stored`).
pub const PLAN_KEY: &str = "cen-planner.plan";
/// Key of the previous good copy.
pub const BACKUP_KEY: &str = "cen-planner.plan.backup";
/// Key of the revision stamp `REVISION:TAB` of the last save.
pub const REV_KEY: &str = "cen-planner.plan.rev";
/// Key of a plan open for review (someone else's), kept apart from the user's own plan.
pub const REVIEW_KEY: &str = "cen-planner.review";
/// Key of the drafts: text typed into forms that is not in the plan yet.
pub const DRAFTS_KEY: &str = "cen-planner.drafts";
/// Key of the UI state restored after a reload (view, selection, canvas area, side panels).
pub const UI_KEY: &str = "cen-planner.ui";
/// Key where an unreadable stored plan is set aside, never overwritten by an empty plan.
pub const UNREADABLE_KEY: &str = "cen-planner.plan.unreadable";

fn storage() -> Result<Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("browser storage is not available".into()),
        Err(_) => Err("browser storage is blocked (private mode or site settings)".into()),
    }
}

/// Reads a key; `Ok(None)` when it is not set.
pub fn read(key: &str) -> Result<Option<String>, String> {
    storage()?
        .get_item(key)
        .map_err(|_| "browser storage could not be read".to_string())
}

/// Calls a method of the storage object with JavaScript values: a text given or read this way stays a
/// JavaScript string (`web_sys`'s methods take and return Rust strings).
fn call(s: &Storage, method: &str, args: &js_sys::Array) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let f: js_sys::Function = js_sys::Reflect::get(s.as_ref(), &method.into())?.dyn_into()?;
    f.apply(s.as_ref(), args)
}

/// Reads a key as a JavaScript string, never brought into Rust: a big plan's stored copy (300,000
/// UTF-16 units) is compared and copied to the backup as it is (`write_text`).
pub fn read_text(key: &str) -> Result<Option<js_sys::JsString>, String> {
    use wasm_bindgen::JsCast;
    let got =
        call(&storage()?, "getItem", &js_sys::Array::of1(&key.into())).map_err(|_| "browser storage could not be read".to_string())?;
    Ok(got.dyn_into::<js_sys::JsString>().ok())
}

/// Writes a key, then reads it back to be sure it was kept.
pub fn write(key: &str, value: &str) -> Result<(), String> {
    write_text(key, &js_sys::JsString::from(value))
}

/// Writes a JavaScript string under a key, then reads it back (compared in JavaScript) to be sure it
/// was kept.
///
/// The text stays in JavaScript: a big plan's stored copy comes from the worker as a JavaScript
/// string, and bringing it into Rust and back (UTF-16 → UTF-8 → UTF-16, 940 KB) was about half of the
/// tasks that store it and keep the backup (issue 13: no task over 50 ms while the largest plan is edited).
pub fn write_text(key: &str, text: &js_sys::JsString) -> Result<(), String> {
    let s = storage()?;
    call(&s, "setItem", &js_sys::Array::of2(&key.into(), text))
        .map_err(|_| format!("browser storage is full or refused the save ({} KB)", text.length() * 2 / 1024))?;
    match call(&s, "getItem", &js_sys::Array::of1(&key.into())) {
        Ok(back) if &back == AsRef::<wasm_bindgen::JsValue>::as_ref(text) => Ok(()),
        _ => Err("browser storage did not keep the save".into()),
    }
}

/// Removes a key (ignoring failures: used only to make room).
pub fn remove(key: &str) {
    if let Ok(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The revision stamp of the last save: (revision, tab id).
pub fn read_rev() -> Option<(u64, String)> {
    let text = read(REV_KEY).ok()??;
    let (rev, tab) = text.split_once(':')?;
    Some((rev.parse().ok()?, tab.to_string()))
}
