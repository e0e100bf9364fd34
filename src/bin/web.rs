//! The browser entry point: mounts the app. Built by Trunk (`index.html`) for wasm32.

fn main() {
    leptos::mount::mount_to_body(cen_planner::ui::App);
}
