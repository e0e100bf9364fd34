//! The only code that touches `localStorage`: it never panics and never aborts the module.
//!
//! gloo-storage's `LocalStorage::raw()` unwraps the storage handle and so aborts the whole app
//! when storage is blocked; this wrapper goes through `web_sys` and turns every failure (blocked,
//! disabled, full) into an `Err` with a message the UI shows as a notice.

use web_sys::Storage;

/// Key of the current plan (a plan file, as exported).
pub const PLAN_KEY: &str = "cen-planner.plan";
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

/// Writes a key, then reads it back to be sure it was kept.
pub fn write(key: &str, value: &str) -> Result<(), String> {
    let s = storage()?;
    s.set_item(key, value).map_err(|_| {
        format!(
            "browser storage is full or refused the save ({} KB): export the plan to keep it",
            value.len() / 1024
        )
    })?;
    match s.get_item(key) {
        Ok(Some(back)) if back == value => Ok(()),
        _ => Err("browser storage did not keep the save: export the plan to keep it".into()),
    }
}
