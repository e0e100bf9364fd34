//! The diagram view: draw, move, connect and inspect, with pan, zoom, fit and exports.
//!
//! The picture itself is `core::diagram` (one renderer for the screen and for exported SVG/PNG);
//! this module wires gestures to core `Edit`s: dragging a node is `Edit::Move`, dragging a node's
//! handle onto a CEN (or pressing `a` on a node and Enter on a CEN) adds an attachment, Delete asks
//! to remove the focused entity (and what depends on it). Every one of them is undoable like any
//! other edit.

use super::{files, Checker, Notice, Selection, State, Tone};
use crate::core::diagram::{self, Highlight, D1};
use crate::core::edit::Edit;
use crate::core::fields;
use crate::core::findings::Finding;
use crate::core::model::{Kind, Pos};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The palette: nodes a person can add on the diagram, then the relations and settings that are not
/// drawn by dragging (each opens its form in the inspector).
const PALETTE: &[Kind] = &[
    Kind::Vpc,
    Kind::Vbr,
    Kind::Ccn,
    Kind::Sag,
    Kind::VpnGateway,
    Kind::CustomerGateway,
    Kind::Cen,
    Kind::IpsecConnection,
    Kind::Peering,
    Kind::BandwidthPackage,
    Kind::RegionBandwidth,
    Kind::Account,
    Kind::Grant,
    Kind::RouteEntry,
    Kind::VSwitch,
];

#[derive(Clone, Debug, PartialEq)]
enum Gesture {
    None,
    Drag {
        id: String,
        start: (f64, f64),
        origin: Pos,
        moved: bool,
    },
    Pan {
        start: (f64, f64),
        view: (f64, f64, f64, f64),
    },
    Connect {
        from: String,
    },
}

/// The name of an entity (its id when it has none).
fn name_of(plan: &crate::core::model::Plan, id: &str) -> String {
    let mut name = id.to_string();
    plan.for_each_entity(|_, _, e, n| {
        if e == id && !n.trim().is_empty() {
            name = n.to_string();
        }
    });
    name
}

/// The diagram view with its tools and the inspector.
#[component]
pub fn DiagramView() -> impl IntoView {
    let state = expect_context::<State>();
    let drawing = Memo::new(move |_| state.plan.with(|p| state.report(|r| diagram::build(p, r))));
    // The traced path of the explainer's pair, from the analysis worker.
    let traced = Checker::answer::<Highlight>(state, "highlight", move || {
        let (a, b) = (state.reach_from.get(), state.reach_to.get());
        (!a.is_empty() && !b.is_empty()).then(|| serde_json::to_string(&(a, b)).unwrap_or_default())
    });
    let highlight = Memo::new(move |_| {
        let selected = state.selection.with(|s| s.as_ref().and_then(|s| s.id.clone()));
        let mut h = traced.get().and_then(Result::ok).unwrap_or_default();
        h.selected = selected;
        h
    });
    let content = Memo::new(move |_| drawing.with(|d| highlight.with(|h| diagram::svg_content(d, h))));
    let view_box = RwSignal::new(drawing.with_untracked(|d| d.bounds));
    let gesture = StoredValue::new(Gesture::None);
    let connect_from = RwSignal::new(None::<String>);
    let focused = StoredValue::new(None::<String>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let palette_region = RwSignal::new(String::new());

    // Keep keyboard focus on the same node when the picture is redrawn.
    Effect::new(move |_| {
        content.track();
        if let (Some(id), Some(svg)) = (focused.get_value(), svg_ref.get_untracked()) {
            request_animation_frame(move || {
                if let Ok(Some(el)) = svg.query_selector(&format!("[data-id=\"{}\"]", css_escape(&id))) {
                    if let Some(el) = el.dyn_ref::<web_sys::SvgElement>() {
                        let _ = el.focus();
                    }
                }
            });
        }
    });

    let to_diagram = move |client: (f64, f64)| -> (f64, f64) {
        let Some(svg) = svg_ref.get_untracked() else { return client };
        let rect = svg.get_bounding_client_rect();
        let (vx, vy, vw, vh) = view_box.get_untracked();
        // preserveAspectRatio xMidYMid meet: one scale for both axes, centred.
        let scale = (vw / rect.width().max(1.0)).max(vh / rect.height().max(1.0));
        let (ox, oy) = ((rect.width() * scale - vw) / 2.0, (rect.height() * scale - vh) / 2.0);
        (
            vx - ox + (client.0 - rect.left()) * scale,
            vy - oy + (client.1 - rect.top()) * scale,
        )
    };

    // After an attachment, what it needs is told when the worker has checked the plan with it.
    let attached: StoredValue<Option<(Vec<Finding>, String)>> = StoredValue::new(None);
    Effect::new(move |_| {
        state.checked.track();
        if state.checking() {
            return;
        }
        if let Some((before, done)) = attached.try_update_value(Option::take).flatten() {
            let new: Vec<String> = state.checked.with_untracked(|c| {
                c.report
                    .findings
                    .iter()
                    .filter(|f| !before.contains(f))
                    .map(|f| format!("{} {}", f.code, f.message))
                    .collect()
            });
            let text = if new.is_empty() {
                format!("{done} Nothing else is needed.")
            } else {
                format!("{done} It needs: {}", new.join(" · "))
            };
            state.notice.set(Some(Notice {
                tone: Tone::Ok,
                text,
                actions: vec![],
            }));
        }
    });
    let attach = move |network: String, cen: String| {
        let before: Vec<Finding> = state.checked.with_untracked(|c| c.report.findings.clone());
        let (draft, id) = state.plan.with_untracked(|p| {
            let mut d = fields::new_draft(p, Kind::Attachment);
            d.insert("cen".into(), cen.clone());
            d.insert("network".into(), network.clone());
            (d, fields::next_id(p, Kind::Attachment))
        });
        let built = state.plan.with_untracked(|p| fields::build(p, Kind::Attachment, &id, &draft));
        match built {
            Ok(entity) => {
                if let Err(e) = state.apply(Edit::Put {
                    kind: Kind::Attachment,
                    entity,
                    previous_id: None,
                }) {
                    state.error(e);
                    return;
                }
                // The core decides what the attachment needs (a grant, a package, ...): show what
                // appeared, once the worker has checked the plan with it.
                let (n, c) = state.plan.with_untracked(|p| (name_of(p, &network), name_of(p, &cen)));
                let done = format!("Attached {n} to CEN {c}.");
                state.notice.set(Some(Notice {
                    tone: Tone::Ok,
                    text: format!("{done} Checking what it needs…"),
                    actions: vec![],
                }));
                attached.set_value(Some((before, done)));
            }
            Err(errors) => state.error(format!("Cannot attach: {}", errors.into_values().collect::<Vec<_>>().join("; "))),
        }
    };

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let closest = |sel: &str| target.as_ref().and_then(|t| t.closest(sel).ok().flatten());
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        if let Some(handle) = closest("[data-handle]") {
            let from = handle.get_attribute("data-handle").unwrap_or_default();
            gesture.set_value(Gesture::Connect { from });
        } else if let Some(node) = closest(".node") {
            let id = node.get_attribute("data-id").unwrap_or_default();
            let origin = drawing
                .with_untracked(|d| d.nodes.iter().find(|n| n.id == id).map(|n| n.pos))
                .unwrap_or_default();
            gesture.set_value(Gesture::Drag {
                id,
                start: to_diagram(client),
                origin,
                moved: false,
            });
        } else if closest(".edge").is_none() {
            gesture.set_value(Gesture::Pan {
                start: client,
                view: view_box.get_untracked(),
            });
        }
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        match gesture.get_value() {
            Gesture::Drag { id, start, origin, .. } => {
                let p = to_diagram(client);
                let (dx, dy) = (p.0 - start.0, p.1 - start.1);
                if dx.abs() + dy.abs() > 3.0 {
                    gesture.set_value(Gesture::Drag {
                        id: id.clone(),
                        start,
                        origin,
                        moved: true,
                    });
                    // Move the drawn node at once; the plan changes when the drag ends (one undo step).
                    if let Some(svg) = svg_ref.get_untracked() {
                        if let Ok(Some(el)) = svg.query_selector(&format!(".node[data-id=\"{}\"]", css_escape(&id))) {
                            let _ = el.set_attribute("transform", &format!("translate({} {})", D1(origin.x + dx), D1(origin.y + dy)));
                        }
                    }
                }
            }
            Gesture::Pan { start, view } => {
                let Some(svg) = svg_ref.get_untracked() else { return };
                let rect = svg.get_bounding_client_rect();
                let scale = (view.2 / rect.width().max(1.0)).max(view.3 / rect.height().max(1.0));
                view_box.set((
                    view.0 - (client.0 - start.0) * scale,
                    view.1 - (client.1 - start.1) * scale,
                    view.2,
                    view.3,
                ));
            }
            _ => {}
        }
    };
    let on_pointer_up = move |ev: web_sys::PointerEvent| {
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        match gesture.get_value() {
            Gesture::Drag { id, start, origin, moved } => {
                if moved {
                    let p = to_diagram(client);
                    let pos = Pos {
                        x: (origin.x + p.0 - start.0).round(),
                        y: (origin.y + p.1 - start.1).round(),
                    };
                    let _ = state.apply(Edit::Move { id, pos });
                } else if let Some(kind) = state.plan.with_untracked(|p| crate::core::model::Index::new(p).kind_of(&id)) {
                    state.selection.set(Some(Selection::of(kind, Some(id))));
                }
            }
            Gesture::Connect { from } => {
                let over = document().element_from_point(client.0 as f32, client.1 as f32);
                let cen = over
                    .and_then(|e| e.closest(".node.cens").ok().flatten())
                    .and_then(|e| e.get_attribute("data-id"));
                if let Some(cen) = cen {
                    attach(from, cen);
                }
            }
            Gesture::Pan { .. } | Gesture::None => {
                let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                if let Some(edge) = target.and_then(|t| t.closest(".edge").ok().flatten()) {
                    let id = edge.get_attribute("data-id").unwrap_or_default();
                    if let Some(kind) = state.plan.with_untracked(|p| crate::core::model::Index::new(p).kind_of(&id)) {
                        state.selection.set(Some(Selection::of(kind, Some(id))));
                    }
                }
            }
        }
        gesture.set_value(Gesture::None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 };
        let p = to_diagram((ev.client_x() as f64, ev.client_y() as f64));
        zoom(view_box, factor, Some(p));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(el) = target.and_then(|t| t.closest("[data-id]").ok().flatten()) else {
            return;
        };
        let id = el.get_attribute("data-id").unwrap_or_default();
        let Some(kind) = state.plan.with_untracked(|p| crate::core::model::Index::new(p).kind_of(&id)) else {
            return;
        };
        let step = if ev.shift_key() { 50.0 } else { 10.0 };
        let arrow = match ev.key().as_str() {
            "ArrowLeft" => Some((-step, 0.0)),
            "ArrowRight" => Some((step, 0.0)),
            "ArrowUp" => Some((0.0, -step)),
            "ArrowDown" => Some((0.0, step)),
            _ => None,
        };
        if let Some((dx, dy)) = arrow {
            ev.prevent_default();
            if let Some(pos) = drawing.with_untracked(|d| d.nodes.iter().find(|n| n.id == id).map(|n| n.pos)) {
                let _ = state.apply(Edit::Move {
                    id,
                    pos: Pos {
                        x: pos.x + dx,
                        y: pos.y + dy,
                    },
                });
            }
            return;
        }
        match ev.key().as_str() {
            "Enter" | " " => {
                ev.prevent_default();
                match connect_from.get_untracked() {
                    Some(from) if kind == Kind::Cen => {
                        connect_from.set(None);
                        attach(from, id);
                    }
                    _ => state.selection.set(Some(Selection::of(kind, Some(id)))),
                }
            }
            "Delete" | "Backspace" => {
                // Asks first, listing what goes with it (see `form::ConfirmDelete`).
                ev.prevent_default();
                state.confirm_delete.set(Some((kind, id)));
            }
            "a" if matches!(kind, Kind::Vpc | Kind::Vbr | Kind::Ccn) => {
                let name = state.plan.with_untracked(|p| name_of(p, &id));
                connect_from.set(Some(id));
                state.notice.set(Some(Notice {
                    tone: Tone::Ok,
                    text: format!("Attach {name}: move to a CEN instance with Tab and press Enter (Escape cancels)."),
                    actions: vec![],
                }));
            }
            "Escape" => {
                connect_from.set(None);
                state.notice.set(None);
            }
            _ => {}
        }
    };

    let fit = move |_| view_box.set(drawing.with_untracked(|d| d.bounds));
    let export_svg = move |_| {
        let (name, svg) = state.plan.with_untracked(|p| {
            (
                p.name.clone(),
                drawing.with_untracked(|d| diagram::to_svg(d, &Highlight::default(), &p.name)),
            )
        });
        let file = files::plan_file_name(&name).replace(".cen-plan.json", ".svg");
        if let Err(e) = files::download(&file, &svg, "image/svg+xml") {
            state.error(format!("Export failed: {e}."));
        }
    };
    let export_png = move |_| {
        let (name, svg, (_, _, w, h)) = state.plan.with_untracked(|p| {
            (
                p.name.clone(),
                drawing.with_untracked(|d| diagram::to_svg(d, &Highlight::default(), &p.name)),
                drawing.with_untracked(|d| d.bounds),
            )
        });
        let file = files::plan_file_name(&name).replace(".cen-plan.json", ".png");
        state.notice.set(Some(Notice {
            tone: Tone::Ok,
            text: format!("Exporting PNG {file}…"),
            actions: vec![],
        }));
        let shown = file.clone();
        let done = move |r: Result<(), String>| match r {
            Ok(()) => state.notice.set(Some(Notice {
                tone: Tone::Ok,
                text: format!("Exported {shown}."),
                actions: vec![],
            })),
            Err(e) => state.error(format!("PNG export failed: {e}.")),
        };
        if let Err(e) = files::download_png(&file, &svg, w, h, 2.0, done) {
            state.error(format!("PNG export failed: {e}."));
        }
    };

    let add = move |kind: Kind| {
        let region = palette_region.get_untracked();
        let mut preset = Vec::new();
        if !region.is_empty() && fields::spec(kind, "region").is_some() {
            preset.push(("region", region));
        }
        state.selection.set(Some(Selection { kind, id: None, preset }));
    };

    view! {
        <section class="diagram-view" aria-label="Diagram">
            <div class="diagram-tools" role="toolbar" aria-label="Diagram tools">
                <label class="palette-region">
                    "Add into "
                    <select id="palette-region" on:change=move |ev| palette_region.set(event_target_value(&ev))>
                        <option value="">"(most used region)"</option>
                        {move || state.plan.with(fields::region_options).into_iter().map(|(v, l)| view! { <option value=v.clone() selected=move || palette_region.get() == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                {PALETTE.iter().map(|&k| view! {
                    <button class="palette" id=format!("palette-{}", k.key()) on:click=move |_| add(k)>{format!("+ {}", k.label())}</button>
                }).collect_view()}
                <span class="spacer"></span>
                <button id="zoom-in" aria-label="Zoom in" on:click=move |_| zoom(view_box, 1.0 / 1.25, None)>"+"</button>
                <button id="zoom-out" aria-label="Zoom out" on:click=move |_| zoom(view_box, 1.25, None)>"−"</button>
                <button id="fit" on:click=fit>"Fit"</button>
                <button id="export-svg" on:click=export_svg>"Export SVG"</button>
                <button id="export-png" on:click=export_png>"Export PNG"</button>
            </div>
            <svg
                class="diagram canvas"
                id="diagram"
                node_ref=svg_ref
                role="application"
                aria-label="Topology diagram. Tab moves between nodes; arrows move a node; Enter inspects; a then Enter on a CEN attaches; Delete asks to remove it."
                viewBox=move || { let (x, y, w, h) = view_box.get(); format!("{} {} {} {}", D1(x), D1(y), D1(w), D1(h)) }
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:wheel=on_wheel
                on:keydown=on_key
                on:focusin=move |ev| {
                    let id = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.get_attribute("data-id"));
                    focused.set_value(id);
                }
            >
                <g inner_html=move || content.get()></g>
            </svg>
            {move || state.selection.get().map(|sel| view! { <div class="inspector"><super::form::EntityForm selection=sel /></div> })}
        </section>
    }
}

fn zoom(view_box: RwSignal<(f64, f64, f64, f64)>, factor: f64, around: Option<(f64, f64)>) {
    view_box.update(|(x, y, w, h)| {
        let (cx, cy) = around.unwrap_or((*x + *w / 2.0, *y + *h / 2.0));
        let (nw, nh) = ((*w * factor).clamp(100.0, 100_000.0), (*h * factor).clamp(60.0, 100_000.0));
        *x = cx - (cx - *x) * nw / *w;
        *y = cy - (cy - *y) * nh / *h;
        *w = nw;
        *h = nh;
    });
}

fn css_escape(id: &str) -> String {
    id.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Whether a keyboard event comes from a text field (where Ctrl+Z is the field's own undo).
pub fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select"))
}
