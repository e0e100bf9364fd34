//! The canvas, the app's home: draw, move, connect and inspect, with pan, zoom, fit and exports.
//!
//! The picture itself is `core::diagram` (one renderer for the screen and for exported SVG/PNG);
//! this module wires gestures to core `Edit`s: a palette click or drop creates a node at once
//! (`core::draw::create`), dragging a node is `Edit::Move`, dragging a node's handle onto another
//! node (or a region's handle onto another region) draws the relationship (`core::draw::connect`,
//! with the valid ends lit while dragging and the reason when a drop cannot work; `a` on a node then
//! Enter on another does the same from the keyboard), Delete asks to remove the focused entity (and
//! what depends on it). Every one of them is undoable like any other edit. The inspector beside the
//! canvas edits the selection (`form::EntityForm`).

use super::{files, Checker, Notice, Selection, State, Tone};
use crate::core::diagram::{self, Highlight, D1, NODE_H, NODE_W};
use crate::core::draw::{self, End};
use crate::core::edit::Edit;
use crate::core::fields;
use crate::core::model::{Kind, Plan, Pos};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The palette: what a click (or a drop on the canvas) creates at once, with its icon.
/// The canvas's views could not be loaded.
const VIEWS_NOT_LOADED: &str = "The canvas's collapsed and filtered views could not be loaded (their file did not arrive). Reload the page, or show everything (View menu): your plan is kept.";

const PALETTE: &[(Kind, &str)] = &[
    (Kind::Vpc, "▭"),
    (Kind::VSwitch, "▫"),
    (Kind::VpnGateway, "⊡"),
    (Kind::CustomerGateway, "⌂"),
    (Kind::Vbr, "▤"),
    (Kind::Ccn, "◇"),
    (Kind::Sag, "◆"),
    (Kind::Cen, "◎"),
    (Kind::RouteEntry, "➝"),
];

/// Created from the palette's "More" list: relations usually drawn by a line, and settings.
const MORE: &[Kind] = &[
    Kind::RegionBandwidth,
    Kind::BandwidthPackage,
    Kind::IpsecConnection,
    Kind::Peering,
    Kind::Attachment,
    Kind::Grant,
    Kind::Account,
    Kind::Region,
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
        from: End,
    },
}

/// A region's containers' ids under a client point, and the node there.
fn under(client: (f64, f64)) -> (Option<String>, Option<String>) {
    let over = document().element_from_point(client.0 as f32, client.1 as f32);
    let node = over
        .as_ref()
        .and_then(|e| e.closest(".node").ok().flatten())
        .and_then(|e| e.get_attribute("data-id"));
    let region = over
        .and_then(|e| e.closest("[data-region]").ok().flatten())
        .and_then(|e| e.get_attribute("data-region"));
    (node, region)
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
    // The picture follows the plan one task after the edit's own paint (the inspector and the lists
    // answer first); a plan with more nodes than `DRAW_NODES_UP_TO` is drawn only when asked.
    let redraw = RwSignal::new(0u64);
    Effect::new(move |first: Option<()>| {
        state.plan.track();
        if first.is_some() {
            super::after_next_paint(move || {
                let _ = redraw.try_update(|n| *n += 1);
            });
        }
    });
    let draw_anyway = RwSignal::new(false);
    // A plan with more nodes than `DRAW_NODES_UP_TO` waits for "Draw it anyway": its node count, or `None`.
    let waiting = move || {
        let nodes = state.plan.with_untracked(diagram::node_count);
        (nodes > DRAW_NODES_UP_TO && !draw_anyway.get()).then_some(nodes)
    };
    let too_big = Memo::new(move |_| {
        redraw.track();
        waiting()
    });
    let drawing = Memo::new(move |_| {
        redraw.track();
        // Asked of the plan as it is, not of `too_big`: a new plan's view options, set with it, ask for its
        // drawing at once, a task before `too_big` follows (importing the largest plan drew its ~16,000
        // shapes once and then hid them).
        if waiting().is_some() {
            return state
                .plan
                .with_untracked(|p| diagram::build(&Plan::new(&p.name, &p.settings.as_of), &Default::default()));
        }
        let show = diagram::Show {
            expanded: state.expanded.get(),
        };
        // Collapsed regions and areas, and the filters (`core::condense`, a part: `kit::Views`; as
        // built when there are none). Until the part is here, the canvas is empty and says so.
        let options = state.canvas.get();
        let views = if options.is_plain() {
            None
        } else {
            match super::kit::here(&super::kit::VIEWS) {
                Some(views) => Some(views),
                None => {
                    super::kit::with(&super::kit::VIEWS, move |views| match views {
                        Some(_) => {
                            let _ = redraw.try_update(|n| *n += 1);
                        }
                        None => state.error(VIEWS_NOT_LOADED.into()),
                    });
                    return state
                        .plan
                        .with_untracked(|p| diagram::build(&Plan::new(&p.name, &p.settings.as_of), &Default::default()));
                }
            }
        };
        state.plan.with_untracked(|p| {
            state.report(|r| {
                let whole = diagram::build_with(p, r, &show);
                match views {
                    Some(views) => views.apply(whole, p, &options),
                    None => whole,
                }
            })
        })
    });
    // The traced path of the explainer's pair, from the analysis worker.
    // (Asked once the editing kit is here: it reads the answer.)
    let traced = Checker::answer_read::<Highlight>(
        state,
        "highlight",
        move || {
            let (a, b) = (state.reach_from.get(), state.reach_to.get());
            (!a.is_empty() && !b.is_empty()).then(|| serde_json::to_string(&(a, b)).unwrap_or_default())
        },
        |json| super::kit::get().ok_or_else(|| super::kit::NOT_LOADED.to_string())?.highlight(json),
    );
    let highlight = Memo::new(move |_| {
        let selected = state.selection.with(|s| s.as_ref().and_then(|s| s.id.clone()));
        let mut h = traced.get().and_then(Result::ok).unwrap_or_default();
        h.selected = selected;
        h
    });
    let content = Memo::new(move |_| drawing.with(|d| highlight.with(|h| diagram::svg_content(d, h))));
    // The visible area: where the user left it, else a 1:1 zoom (labels at their CSS size) picked
    // once the canvas has a size; never re-fitted after a change (Fit does it on demand).
    let view_box = RwSignal::new(
        state
            .view_box
            .get_untracked()
            .unwrap_or_else(|| drawing.with_untracked(|d| d.bounds)),
    );
    let keep_view = move || state.view_box.set(Some(view_box.get_untracked()));
    let gesture = StoredValue::new(Gesture::None);
    let connect_from = RwSignal::new(None::<String>);
    let focused = StoredValue::new(None::<String>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let palette_region = RwSignal::new(String::new());
    // The canvas's size in pixels, from its wrapper (a `ResizeObserver`): the SVG is given it in px
    // (through the CSSOM: the page's CSP refuses style attributes), not 100 %, and the wrapper contains its layout, so a change elsewhere on the page does not lay
    // the picture out again (that took 15–45 ms per change on the typical plan).
    let wrap_ref = NodeRef::<leptos::html::Div>::new();
    let canvas_size = RwSignal::new(None::<(i32, i32)>);
    Effect::new(move |_| {
        if let Some(wrap) = wrap_ref.get() {
            observe_size(&wrap, canvas_size);
        }
    });
    // The canvas keeps its scale when its size changes (the inspector, a side panel or the matrix
    // beside it opens or closes, the window is resized): the visible area grows or shrinks with it
    // from its top-left corner, so labels keep their size.
    Effect::new(move |prev: Option<Option<(i32, i32)>>| {
        let now = canvas_size.get();
        if let (Some(Some((pw, ph))), Some((nw, nh))) = (prev, now) {
            if pw > 0 && ph > 0 && nw > 0 && nh > 0 && (pw, ph) != (nw, nh) {
                view_box.update(|v| {
                    v.2 *= f64::from(nw) / f64::from(pw);
                    v.3 *= f64::from(nh) / f64::from(ph);
                });
            }
        }
        now
    });

    // Keep keyboard focus on the same node when the picture is redrawn (the node's element is
    // replaced, and the focus went with it to the page): only when the focus is lost, never taken
    // from a field the user is typing in.
    Effect::new(move |_| {
        content.track();
        if let (Some(id), Some(svg)) = (focused.get_value(), svg_ref.get_untracked()) {
            request_animation_frame(move || {
                let lost = document()
                    .active_element()
                    .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
                if !lost {
                    return;
                }
                if let Ok(Some(el)) = svg.query_selector(&format!("[data-id=\"{}\"]", css_escape(&id))) {
                    if let Some(el) = el.dyn_ref::<web_sys::SvgElement>() {
                        let _ = el.focus();
                    }
                }
            });
        }
    });
    // The selected node is framed: when it is outside the visible area (a finding clicked, a node
    // just created), the canvas pans to it, keeping its zoom.
    Effect::new(move |_| {
        let Some(id) = state.selection.with(|s| s.as_ref().and_then(|s| s.id.clone())) else {
            return;
        };
        let Some(pos) = drawing.with(|d| d.nodes.iter().find(|n| n.id == id).map(|n| n.pos)) else {
            return;
        };
        let (x, y, w, h) = view_box.get_untracked();
        if pos.x >= x && pos.y >= y && pos.x + NODE_W <= x + w && pos.y + NODE_H <= y + h {
            return;
        }
        view_box.set((pos.x + NODE_W / 2.0 - w / 2.0, pos.y + NODE_H / 2.0 - h / 2.0, w, h));
    });
    // A node selected inside a collapsed region or area (Find, a finding, the list): it opens.
    Effect::new(move |_| {
        if let Some(id) = state.selection.with(|s| s.as_ref().and_then(|s| s.id.clone())) {
            if let Some(key) = drawing.with_untracked(|d| super::canvas_view::group_of(d, &id)) {
                state.canvas.update(|o| o.toggle(&key));
            }
        }
    });
    // What the canvas says about the last gesture (a created relationship, or why a drop cannot work).
    let hint = RwSignal::new(None::<(bool, String)>);
    // The line that follows the pointer while drawing a relationship: (from, to) in diagram units.
    let rubber = RwSignal::new(None::<((f64, f64), (f64, f64))>);
    // The zoom the app picks (a new plan, an example, the first visit): the whole picture when it
    // fits at 85–100 % (node names then stay at 11 px or more), else 85 % from its top-left corner.
    let pick_view = move || {
        request_animation_frame(move || {
            let Some(svg) = svg_ref.get_untracked() else { return };
            let rect = svg.get_bounding_client_rect();
            let (cw, ch) = (rect.width(), rect.height());
            if cw < 10.0 || ch < 10.0 {
                return;
            }
            // The picture of the plan as it is now (it may not have followed the last change yet).
            redraw.update(|n| *n += 1);
            let (bx, by, bw, bh) = drawing.with_untracked(|d| d.bounds);
            let scale = (cw / bw.max(1.0)).min(ch / bh.max(1.0)).clamp(0.85, 1.0);
            let (w, h) = (cw / scale, ch / scale);
            let x = if bw <= w { bx - (w - bw) / 2.0 } else { bx };
            let y = if bh <= h { by - (h - bh) / 2.0 } else { by };
            view_box.set((x, y, w, h));
        });
    };
    // Every change of the visible area after the first is kept (and so restored after a reload).
    Effect::new(move |first: Option<()>| {
        let v = view_box.get();
        if first.is_some() && state.view_box.get_untracked() != Some(v) {
            state.view_box.set(Some(v));
        }
    });
    // A whole new plan (new, example, import, review) forgets the visible area: the app picks again.
    Effect::new(move |_| {
        if state.view_box.with(Option::is_none) {
            pick_view();
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

    // Draws the relationship a line from `from` to `to` stands for, or says why it cannot.
    let link = move |from: End, to: End| {
        super::kit::run(move |kit| {
            let Some(kit) = kit else {
                return hint.set(Some((true, super::kit::NOT_LOADED.into())));
            };
            let result = state.plan.with_untracked(|p| kit.connect(p, &from, &to));
            match result {
                Ok(created) => {
                    let label = state.plan.with_untracked(|p| {
                        let name = |e: &End| match e {
                            End::Entity(id) => name_of(p, id),
                            End::Region { region, .. } => region.clone(),
                        };
                        match created.kind {
                            Kind::Attachment => format!("Attached {} and {}.", name(&from), name(&to)),
                            Kind::IpsecConnection => format!(
                                "Connected {} and {} over IPsec: fill in the office prefixes.",
                                name(&from),
                                name(&to)
                            ),
                            Kind::Peering => format!("Peered {} and {}.", name(&from), name(&to)),
                            Kind::RegionBandwidth => format!("Cross-region bandwidth {} ↔ {}.", name(&from), name(&to)),
                            _ => format!("{} joined {}.", name(&from), name(&to)),
                        }
                    });
                    let extra = created.edits.len() - 1;
                    // What the line did to a bandwidth package (new, bound or raised), said before it is done.
                    let package = state.plan.with_untracked(|p| kit.package_note(p, &created.edits));
                    match state.apply_all(created.edits) {
                        Ok(()) => {
                            let more = match (created.kind, extra) {
                                (_, 0) => String::new(),
                                (Kind::RegionBandwidth, _) => package.map(|n| format!(" {n}.")).unwrap_or_default(),
                                (Kind::Attachment, _) => " With a grant: the network is of another account.".into(),
                                _ => String::new(),
                            };
                            hint.set(Some((false, format!("{label}{more}"))));
                            state.selection.set(Some(Selection::of(created.kind, Some(created.id))));
                        }
                        Err(e) => hint.set(Some((true, e))),
                    }
                }
                Err(refusal) => hint.set(Some((true, format!("Not connected: {refusal}.")))),
            }
        });
    };
    // Lights the valid ends of a line from `from` (and unlights everything with `None`).
    let light = move |from: Option<&End>| {
        let Some(svg) = svg_ref.get_untracked() else { return };
        while let Ok(Some(el)) = svg.query_selector(".target") {
            if el.class_list().remove_1("target").is_err() {
                break;
            }
        }
        let (Some(from), Some(kit)) = (from, super::kit::get()) else {
            return;
        };
        for t in state.plan.with_untracked(|p| kit.targets(p, from)) {
            let sel = match &t {
                End::Entity(id) => format!(".node[data-id=\"{}\"]", css_escape(id)),
                End::Region { region, .. } => format!(".container[data-region=\"{}\"]", css_escape(region)),
            };
            if let Ok(Some(el)) = svg.query_selector(&sel) {
                let _ = el.class_list().add_1("target");
            }
        }
    };
    let create = move |kind: Kind, region: Option<String>, pos: Option<Pos>| {
        let region = region.or_else(|| Some(palette_region.get_untracked()).filter(|r| !r.is_empty()));
        let selected = state.selection.with_untracked(|s| s.as_ref().and_then(|s| s.id.clone()));
        super::kit::run(move |kit| {
            let Some(kit) = kit else {
                return state.error(super::kit::NOT_LOADED.into());
            };
            let created = state
                .plan
                .with_untracked(|p| kit.create(p, kind, &draw::Context { region, selected, pos }));
            match state.apply_all(created.edits) {
                Ok(()) => {
                    hint.set(None);
                    state.selection.set(Some(Selection::of(kind, Some(created.id))));
                }
                Err(e) => state.error(e),
            }
        });
    };

    // Selects an entity by id (a badge's finding, a route map, a vSwitch row).
    let select = move |id: String| {
        if let Some(kind) = state.plan.with_untracked(|p| crate::core::model::Index::new(p).kind_of(&id)) {
            state.selection.set(Some(Selection::of(kind, Some(id))));
        }
    };
    // Shows or hides a VPC's vSwitches.
    let toggle = move |id: String| {
        state.expanded.update(|e| {
            if !e.remove(&id) {
                e.insert(id);
            }
        });
    };
    // Moves a node to `pos` on the canvas as drawn: in a collapsed or filtered view, to the same place
    // within its region on the whole diagram (`condense::whole_place`); a CEN the view centres again is
    // refused in words and put back.
    let move_to = move |id: String, pos: Pos| match drawing.with_untracked(|d| crate::core::condense::whole_place(d, &id, pos)) {
        Ok(pos) => {
            let _ = state.apply(Edit::Move { id, pos });
        }
        Err(why) => {
            hint.set(Some((true, why.to_string())));
            let at = drawing.with_untracked(|d| d.nodes.iter().find(|n| n.id == id).map(|n| n.pos));
            if let (Some(svg), Some(at)) = (svg_ref.get_untracked(), at) {
                if let Ok(Some(el)) = svg.query_selector(&format!(".node[data-id=\"{}\"]", css_escape(&id))) {
                    let _ = el.set_attribute("transform", &format!("translate({} {})", D1(at.x), D1(at.y)));
                }
            }
        }
    };
    let pressed_row = StoredValue::new(None::<String>);
    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let closest = |sel: &str| target.as_ref().and_then(|t| t.closest(sel).ok().flatten());
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        if let Some(expand) = closest("[data-expand]") {
            toggle(expand.get_attribute("data-expand").unwrap_or_default());
            return;
        }
        if closest("[data-select]").is_some() || closest(".edge").is_some() {
            // A badge, a route maps' mark or a line: selected when the pointer is released (no pan;
            // the pointer is not captured, so the release is on what was pressed).
            gesture.set_value(Gesture::None);
            return;
        }
        if let Some(handle) = closest("[data-handle]").or_else(|| closest("[data-region-handle]")) {
            let from = match handle.get_attribute("data-handle") {
                Some(id) => End::Entity(id),
                None => End::region(&handle.get_attribute("data-region-handle").unwrap_or_default()),
            };
            light(Some(&from));
            let p = to_diagram(client);
            rubber.set(Some((p, p)));
            gesture.set_value(Gesture::Connect { from });
        } else if let Some(node) = closest(".node") {
            let id = node.get_attribute("data-id").unwrap_or_default();
            pressed_row.set_value(closest("[data-vswitch]").and_then(|r| r.get_attribute("data-vswitch")));
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
                    // Move the drawn node at once, to the whole units the plan will keep; the plan changes
                    // when the drag ends (one undo step), and its drawing is the same.
                    if let Some(svg) = svg_ref.get_untracked() {
                        if let Ok(Some(el)) = svg.query_selector(&format!(".node[data-id=\"{}\"]", css_escape(&id))) {
                            let (x, y) = ((origin.x + dx).round(), (origin.y + dy).round());
                            let _ = el.set_attribute("transform", &format!("translate({} {})", D1(x), D1(y)));
                        }
                    }
                }
            }
            Gesture::Connect { .. } => {
                let p = to_diagram(client);
                rubber.update(|r| {
                    if let Some((_, to)) = r {
                        *to = p;
                    }
                });
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
            Gesture::None => {}
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
                    move_to(id, pos);
                } else if ev.shift_key() {
                    // Shift+click a second node: reachability between the selected node and this one,
                    // both ways (explained in the side panel, the path drawn on the canvas).
                    let from = state.selection.with_untracked(|s| s.as_ref().and_then(|s| s.id.clone()));
                    if let Some(from) = from.filter(|f| *f != id) {
                        let (a, b, text) = state.plan.with_untracked(|p| {
                            let a = endpoint_of(p, &from);
                            let b = endpoint_of(p, &id);
                            let text = format!(
                                "Reachability between {} and {}: both directions are in the side panel; the path is drawn.",
                                name_of(p, &from),
                                name_of(p, &id)
                            );
                            (a, b, text)
                        });
                        state.reach_from.set(a);
                        state.reach_to.set(b);
                        // (Beside the matrix, its answer is there.)
                        if !state.show_findings.get_untracked() && !state.matrix_beside.get_untracked() {
                            state.show_findings.set(true);
                        }
                        hint.set(Some((false, text)));
                    }
                } else {
                    // A vSwitch row of an expanded VPC selects the vSwitch, elsewhere the node (the
                    // row is read when pressed: the pointer is captured by the canvas until released).
                    select(pressed_row.get_value().unwrap_or(id));
                }
            }
            Gesture::Connect { from } => {
                light(None);
                rubber.set(None);
                let (node, region) = under(client);
                // A line over the region's box (an attachment to the CEN) hides it from the pointer.
                let region = region.or_else(|| {
                    let p = to_diagram(client);
                    drawing.with_untracked(|d| d.region_at(p.0, p.1).map(str::to_string))
                });
                let to = match &from {
                    End::Region { .. } => region.map(|r| End::region(&r)),
                    End::Entity(_) => node.map(End::Entity),
                };
                if let Some(to) = to.filter(|to| *to != from) {
                    link(from, to);
                }
            }
            Gesture::Pan { start, .. } => {
                keep_view();
                // A click (not a pan) on a summary node expands it.
                if (client.0 - start.0).abs() + (client.1 - start.1).abs() < 4.0 {
                    super::canvas_view::click_summary(state, client);
                }
            }
            Gesture::None => {}
        }
        if matches!(gesture.get_value(), Gesture::Pan { .. } | Gesture::None) {
            {
                let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let mark = target
                    .as_ref()
                    .and_then(|t| t.closest("[data-select]").ok().flatten())
                    .and_then(|m| m.get_attribute("data-select"));
                if let Some(id) = mark {
                    select(id);
                } else if let Some(edge) = target.and_then(|t| t.closest(".edge").ok().flatten()) {
                    select(edge.get_attribute("data-id").unwrap_or_default());
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
        keep_view();
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if super::canvas_view::key_on_summary(state, &ev) {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        // A VPC's toggle, a badge or a route maps' mark: Enter or Space acts as a click.
        if matches!(ev.key().as_str(), "Enter" | " ") {
            if let Some(t) = &target {
                if let Some(id) = t.get_attribute("data-expand") {
                    ev.prevent_default();
                    toggle(id);
                    return;
                }
                if let Some(id) = t.get_attribute("data-select") {
                    ev.prevent_default();
                    select(id);
                    return;
                }
            }
        }
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
                move_to(
                    id,
                    Pos {
                        x: pos.x + dx,
                        y: pos.y + dy,
                    },
                );
            }
            return;
        }
        match ev.key().as_str() {
            "Enter" | " " => {
                ev.prevent_default();
                match connect_from.get_untracked() {
                    Some(from) if from != id => {
                        connect_from.set(None);
                        light(None);
                        link(End::Entity(from), End::Entity(id));
                    }
                    _ => state.selection.set(Some(Selection::of(kind, Some(id)))),
                }
            }
            "Delete" | "Backspace" => {
                // Asks first, listing what goes with it (see `form::ConfirmDelete`).
                ev.prevent_default();
                state.confirm_delete.set(Some((kind, id)));
            }
            "a" => {
                let name = state.plan.with_untracked(|p| name_of(p, &id));
                let from = End::Entity(id.clone());
                light(Some(&from));
                connect_from.set(Some(id));
                hint.set(Some((
                    false,
                    format!("Connect {name}: move to a lit node with Tab and press Enter (Escape cancels)."),
                )));
            }
            "Escape" => {
                connect_from.set(None);
                light(None);
                hint.set(None);
            }
            _ => {}
        }
    };

    let fit = move |_| {
        redraw.update(|n| *n += 1);
        view_box.set(drawing.with_untracked(|d| d.bounds));
        keep_view();
    };
    // The exported SVG (its stylesheet embedded) is written by the editing kit.
    let export_svg = move |_| {
        super::kit::run(move |kit| {
            let Some(kit) = kit else {
                return state.error(super::kit::NOT_LOADED.into());
            };
            let (name, svg) = state
                .plan
                .with_untracked(|p| (p.name.clone(), drawing.with_untracked(|d| kit.to_svg(d, &p.name))));
            let file = files::plan_file_name(&name).replace(".cen-plan.json", ".svg");
            if let Err(e) = files::download(&file, &svg, "image/svg+xml") {
                state.error(format!("Export failed: {e}."));
            }
        });
    };
    let png_with = move |kit: Option<&'static dyn super::kit::Kit>| {
        let Some(kit) = kit else {
            return state.error(super::kit::NOT_LOADED.into());
        };
        let (name, svg, (_, _, w, h)) = state.plan.with_untracked(|p| {
            (
                p.name.clone(),
                drawing.with_untracked(|d| kit.to_svg(d, &p.name)),
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
        let encoder = state.checker.png_encoder(state);
        if let Err(e) = files::download_png(&file, &svg, w, h, 2.0, encoder, done) {
            state.error(format!("PNG export failed: {e}."));
        }
    };
    let export_png = move |_| super::kit::run(png_with);

    // A palette button dragged onto the canvas creates the node where it is dropped, in that region.
    let on_drop = move |ev: web_sys::DragEvent| {
        let Some(kind) = ev
            .data_transfer()
            .and_then(|d| d.get_data("text/x-cen-kind").ok())
            .and_then(|k| Kind::from_key(&k))
        else {
            return;
        };
        ev.prevent_default();
        ev.stop_propagation();
        let client = (ev.client_x() as f64, ev.client_y() as f64);
        let (_, region) = under(client);
        let p = to_diagram(client);
        let region = region.or_else(|| drawing.with_untracked(|d| d.region_at(p.0, p.1).map(str::to_string)));
        let pos = Pos {
            x: (p.0 - NODE_W / 2.0).round(),
            y: (p.1 - NODE_H / 2.0).round(),
        };
        create(kind, region, Some(pos));
    };
    let empty = move || state.plan.with(|p| p.entity_count() == 0);
    let has_inspector = move || state.selection.with(Option::is_some);

    view! {
        <section class="diagram-view" class:no-inspector=move || !has_inspector() class:with-matrix=move || state.matrix_beside.get() aria-label="Canvas">
            <div class="diagram-tools" role="toolbar" aria-label="Canvas tools">
                {PALETTE.iter().map(|&(k, icon)| view! {
                    <button
                        class="palette"
                        id=format!("palette-{}", k.key())
                        title=format!("Add a {} (click, or drag it onto a region)", k.label())
                        aria-label=format!("Add a {}", k.label())
                        draggable="true"
                        on:dragstart=move |ev: web_sys::DragEvent| {
                            if let Some(d) = ev.data_transfer() {
                                let _ = d.set_data("text/x-cen-kind", k.key());
                            }
                        }
                        on:click=move |_| create(k, None, None)
                    ><span class="icon" aria-hidden="true">{icon}</span><span class="palette-label">{short_label(k)}</span></button>
                }).collect_view()}
                <select id="palette-more" class="palette" aria-label="Add something else" on:change=move |ev| {
                    if let Some(k) = Kind::from_key(&event_target_value(&ev)) {
                        create(k, None, None);
                    }
                    if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                        sel.set_value("");
                    }
                }>
                    <option value="" selected=true>"More…"</option>
                    {MORE.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                </select>
                <label class="palette-region" title="Region of what the palette adds by a click">
                    <span class="sr-only">"Add into region"</span>
                    <select id="palette-region" on:change=move |ev| palette_region.set(event_target_value(&ev))>
                        <option value="">"Region: as the plan"</option>
                        {move || { state.track_list(Kind::Region); state.plan.with_untracked(fields::region_options) }.into_iter().map(|(v, l)| {
                            // Name and id (the area, custom or not listed are the inspector's): short enough for the tools.
                            let l = l.rsplit_once(" (").map_or(l.clone(), |(short, _)| short.to_string());
                            view! { <option value=v.clone() selected=move || palette_region.get() == v>{l}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <span class="spacer"></span>
                <super::canvas_view::ViewControls />
                <input
                    type="search"
                    id="canvas-search"
                    class="list-filter"
                    placeholder="Find…"
                    aria-label="Find an entity by name or id, and frame it"
                    on:change=move |ev| {
                        let text = event_target_value(&ev).trim().to_string();
                        if text.is_empty() {
                            return;
                        }
                        // Find is a part of the canvas's views (`kit::Views`).
                        super::kit::with(&super::kit::VIEWS, move |views| {
                            let Some(views) = views else { return state.error(VIEWS_NOT_LOADED.into()) };
                            let found = drawing.with_untracked(|d| state.plan.with_untracked(|p| views.find(d, p, &text)));
                            match found {
                                Some((kind, id)) => {
                                    hint.set(None);
                                    state.selection.set(Some(Selection::of(kind, Some(id))));
                                }
                                None => hint.set(Some((true, format!("Nothing on the canvas is named “{text}”.")))),
                            }
                        });
                    }
                />
                <button id="zoom-in" aria-label="Zoom in" on:click=move |_| { zoom(view_box, 1.0 / 1.25, None); keep_view(); }>"+"</button>
                <button id="zoom-out" aria-label="Zoom out" on:click=move |_| { zoom(view_box, 1.25, None); keep_view(); }>"−"</button>
                <button id="fit" on:click=fit>"Fit"</button>
                <button id="export-svg" title="Export SVG" on:click=export_svg>"SVG"</button>
                <button id="export-png" title="Export PNG" on:click=export_png>"PNG"</button>
            </div>
            <div class="canvas-wrap" node_ref=wrap_ref on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default() on:drop=on_drop>
                <svg
                    class="diagram canvas"
                    id="diagram"
                    style:width=move || canvas_size.get().map(|(w, _)| format!("{w}px")).unwrap_or_default()
                    style:height=move || canvas_size.get().map(|(_, h)| format!("{h}px")).unwrap_or_default()
                    node_ref=svg_ref
                    role="application"
                    aria-label="Topology canvas. Tab moves between nodes; arrows move a node; Enter inspects; a then Enter on another node connects them; Delete asks to remove it."
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
                    {move || rubber.get().map(|((x1, y1), (x2, y2))| view! {
                        <line class="rubber" id="rubber" x1=D1(x1).to_string() y1=D1(y1).to_string() x2=D1(x2).to_string() y2=D1(y2).to_string() />
                    })}
                </svg>
                {move || empty().then(|| view! { <StartPath /> })}
                {move || too_big.get().map(|n| view! {
                    <div class="canvas-too-big" id="canvas-too-big" role="status">
                        <p>{format!("This plan has {n} nodes: drawing them all takes seconds on every change, so the canvas waits. The list, the inspector, the findings and the matrix work as usual.")}</p>
                        <button id="draw-anyway" on:click=move |_| draw_anyway.set(true)>"Draw it anyway"</button>
                        " "
                        <button id="draw-collapsed" title="Every region as one summary node; click one to expand it" on:click=move |_| { state.canvas.update(crate::core::condense::ViewOptions::collapse_all); draw_anyway.set(true); }>"Draw it collapsed"</button>
                    </div>
                })}
                {move || hint.get().map(|(refused, text)| view! {
                    <div class="canvas-hint" class:refused=refused id="canvas-hint" role=if refused { "alert" } else { "status" }>
                        {text}
                        <button class="icon" aria-label="Dismiss" on:click=move |_| hint.set(None)>"×"</button>
                    </div>
                })}
                {move || (!empty()).then(|| view! { <Legend /> })}
                {move || (!empty() && too_big.get().is_none()).then(|| view! { <Minimap drawing=drawing view_box=view_box svg_ref=svg_ref /> })}
            </div>
            {move || state.matrix_beside.get().then(|| view! { <super::canvas_view::MatrixBeside /> })}
            // The inspector's form is built in the task after the selection's paint: the click paints
            // the list's and the canvas's highlight first (on the largest plan a form takes tens of ms).
            {move || state.selection.get().map(|sel| {
                let ready = RwSignal::new(false);
                super::after_next_paint(move || { let _ = ready.try_set(true); });
                view! { <aside class="inspector" id="inspector" aria-label="Inspector">{move || ready.get().then(|| super::lazy::inspector_view(sel.clone()))}</aside> }
            })}
        </section>
    }
}

/// The reachability endpoint a node stands for: an office is reached through its IPsec connection.
fn endpoint_of(plan: &crate::core::model::Plan, id: &str) -> String {
    plan.ipsec_connections
        .iter()
        .find(|c| c.customer_gateway == id)
        .map_or(id.to_string(), |c| c.id.clone())
}

/// The palette's short label of a kind.
fn short_label(kind: Kind) -> &'static str {
    match kind {
        Kind::VpnGateway => "VPN GW",
        Kind::CustomerGateway => "Office",
        Kind::Vbr => "Data centre",
        Kind::Sag => "Branch",
        Kind::Cen => "CEN",
        Kind::RouteEntry => "Route",
        other => other.label(),
    }
}

/// The start path of an empty plan: a network, a CEN, attach, check; or an example.
#[component]
fn StartPath() -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        <div class="start-path" id="start-path">
            <h2>"Start drawing"</h2>
            <ol>
                <li>"Click " <b>"VPC"</b> " (or drag it onto the canvas): it is created with a free block, in its region."</li>
                <li>"Click " <b>"CEN"</b> ", then drag from the VPC's handle (the dot on its right) onto the CEN to attach it."</li>
                <li>"Edit values in the inspector on the right; the findings panel says what the plan still needs."</li>
            </ol>
            <p class="muted">"Or open an example:"</p>
            <div class="examples">
                {crate::core::examples::EXAMPLES.iter().map(|ex| view! {
                    <button class="start-example" on:click=move |_| super::toolbar::open_example(state, ex)>{ex.title}</button>
                }).collect_view()}
            </div>
        </div>
    }
}

/// The minimap: the region boxes of the whole picture and the visible area as a rectangle. A click
/// or a drag centres the view there; arrow keys move it (Shift: further); it can be hidden.
#[component]
fn Minimap(drawing: Memo<diagram::Diagram>, view_box: RwSignal<(f64, f64, f64, f64)>, svg_ref: NodeRef<leptos::svg::Svg>) -> impl IntoView {
    let state = expect_context::<State>();
    let map_ref = NodeRef::<leptos::svg::Svg>::new();
    let dragging = StoredValue::new(false);
    // The visible area as the canvas shows it (its aspect ratio is the canvas's, not the view box's).
    let shown = move || {
        let (x, y, w, h) = view_box.get();
        let Some(svg) = svg_ref.get_untracked() else { return (x, y, w, h) };
        let r = svg.get_bounding_client_rect();
        let scale = (w / r.width().max(1.0)).max(h / r.height().max(1.0));
        let (sw, sh) = (r.width() * scale, r.height() * scale);
        (x - (sw - w) / 2.0, y - (sh - h) / 2.0, sw, sh)
    };
    // The whole picture and the visible area (kept as it was while a drag goes on, so the map does
    // not rescale under the pointer).
    let held = StoredValue::new(None::<(f64, f64, f64, f64)>);
    let frame = move || {
        if let Some(f) = held.get_value() {
            return f;
        }
        let (bx, by, bw, bh) = drawing.with(|d| d.bounds);
        let (x, y, w, h) = shown();
        let (x0, y0) = (bx.min(x), by.min(y));
        let (x1, y1) = ((bx + bw).max(x + w), (by + bh).max(y + h));
        (x0, y0, (x1 - x0).max(1.0), (y1 - y0).max(1.0))
    };
    let centre_at = move |client: (f64, f64)| {
        let Some(map) = map_ref.get_untracked() else { return };
        let r = map.get_bounding_client_rect();
        let (fx, fy, fw, fh) = frame();
        let scale = (fw / r.width().max(1.0)).max(fh / r.height().max(1.0));
        let (ox, oy) = ((r.width() * scale - fw) / 2.0, (r.height() * scale - fh) / 2.0);
        let p = (fx - ox + (client.0 - r.left()) * scale, fy - oy + (client.1 - r.top()) * scale);
        view_box.update(|v| {
            v.0 = p.0 - v.2 / 2.0;
            v.1 = p.1 - v.3 / 2.0;
        });
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let f = if ev.shift_key() { 0.5 } else { 0.1 };
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (-f, 0.0),
            "ArrowRight" => (f, 0.0),
            "ArrowUp" => (0.0, -f),
            "ArrowDown" => (0.0, f),
            _ => return,
        };
        ev.prevent_default();
        view_box.update(|v| {
            v.0 += dx * v.2;
            v.1 += dy * v.3;
        });
    };
    view! {
        <div class="minimap" class:closed=move || !state.show_minimap.get() id="minimap">
            <button
                class="icon minimap-toggle"
                id="minimap-toggle"
                aria-expanded=move || state.show_minimap.get().to_string()
                title=move || if state.show_minimap.get() { "Hide the minimap" } else { "Show the minimap" }
                on:click=move |_| state.show_minimap.update(|s| *s = !*s)
            >{move || if state.show_minimap.get() { "×" } else { "Map" }}</button>
            {move || state.show_minimap.get().then(|| view! {
                <svg
                    class="diagram minimap-view"
                    id="minimap-view"
                    node_ref=map_ref
                    tabindex="0"
                    role="slider"
                    aria-label="Minimap: the visible area among the regions. Click or drag to move the view; arrow keys move it."
                    aria-valuetext=move || { let (x, y, _, _) = view_box.get(); format!("view at {} {}", D1(x), D1(y)) }
                    viewBox=move || { let (x, y, w, h) = frame(); format!("{} {} {} {}", D1(x), D1(y), D1(w), D1(h)) }
                    on:pointerdown=move |ev: web_sys::PointerEvent| {
                        if ev.button() != 0 { return; }
                        held.set_value(Some(frame()));
                        dragging.set_value(true);
                        if let Some(map) = map_ref.get_untracked() { let _ = map.set_pointer_capture(ev.pointer_id()); }
                        centre_at((ev.client_x() as f64, ev.client_y() as f64));
                    }
                    on:pointermove=move |ev: web_sys::PointerEvent| if dragging.get_value() { centre_at((ev.client_x() as f64, ev.client_y() as f64)); }
                    on:pointerup=move |_| { dragging.set_value(false); held.set_value(None); view_box.update(|_| {}); }
                    on:keydown=on_key
                >
                    {move || drawing.with(|d| d.containers.iter().filter(|c| c.class != "area").map(|c| view! {
                        <rect class=format!("mini-{}", c.class) x=D1(c.x).to_string() y=D1(c.y).to_string() width=D1(c.w).to_string() height=D1(c.h).to_string() />
                    }).collect_view())}
                    {move || { let (x, y, w, h) = shown(); view! {
                        <rect class="mini-view" id="minimap-viewport" x=D1(x).to_string() y=D1(y).to_string() width=D1(w).to_string() height=D1(h).to_string() />
                    } }}
                </svg>
            })}
        </div>
    }
}

/// What the lines mean.
#[component]
fn Legend() -> impl IntoView {
    let line = |class: &'static str, dash: &'static str, width: &'static str| {
        view! {
            <svg width="34" height="10" aria-hidden="true" class="diagram">
                <line x1="1" y1="5" x2="33" y2="5" class=class stroke-dasharray=dash stroke-width=width />
            </svg>
        }
    };
    view! {
        <div class="legend" id="legend" aria-label="Legend">
            <span>{line("legend-attachment", "6 4", "2")}"attached to CEN"</span>
            <span>{line("legend-peering", "", "3")}"peering"</span>
            <span>{line("legend-ipsec", "2 3", "2")}"IPsec (office)"</span>
            <span>{line("legend-bandwidth", "", "2")}"cross-region bandwidth"</span>
            <span>{line("legend-site", "1 4", "2")}"line of a site"</span>
        </div>
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

/// How many nodes the canvas draws without asking: a bigger plan (the largest generated one has
/// thousands) would take seconds per edit, and is shown as a notice with "Draw it anyway".
pub(super) const DRAW_NODES_UP_TO: usize = 600;

/// A size observer and the callback it calls (kept alive with it).
type Observer = (web_sys::ResizeObserver, wasm_bindgen::closure::Closure<dyn FnMut()>);

thread_local! {
    /// The one observer of the canvas's size (replaced when the canvas is mounted again).
    static SIZE_OBSERVER: std::cell::RefCell<Option<Observer>> = const { std::cell::RefCell::new(None) };
}

/// Keeps `size` equal to the element's inner size in pixels.
fn observe_size(el: &web_sys::HtmlDivElement, size: RwSignal<Option<(i32, i32)>>) {
    let target = el.clone();
    let measure = move || {
        let _ = size.try_set(Some((target.client_width(), target.client_height())));
    };
    // Not measured now: that would force a layout in the middle of mounting the page. The observer
    // reports the size once the page is laid out, before its first paint.
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(measure);
    let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(el);
    SIZE_OBSERVER.with(|o| {
        if let Some((old, _)) = o.borrow_mut().replace((observer, callback)) {
            old.disconnect();
        }
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
