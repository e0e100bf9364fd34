//! What the canvas shows of a big plan: regions and areas collapsed into summary nodes, and filters
//! by CEN and by account.
//!
//! `apply` is a step over the `Diagram` that `diagram::build` laid out: the nodes the filters leave
//! out go (with their edges); a collapsed region (or area) becomes one summary node that counts its
//! nodes per kind and sums their finding badges; the regions are then flowed again inside their
//! areas (an expanded region moves as a block, its nodes keep their places inside it) so nothing
//! leaves a hole. Edges to a collapsed node end at its summary, and the edges between the same ends
//! are drawn once with their count ("×12"). With nothing collapsed and no filter the diagram is
//! returned as built. `ViewOptions` is what the app keeps (and restores after a reload).

use crate::core::diagram::{self, Container, Diagram, Edge, Highlight, Node, GAP_X, LABEL_H, NODE_H, NODE_KINDS, NODE_W, PAD};
use crate::core::facts::Ctx;
use crate::core::findings::Severity;
use crate::core::model::{Kind, Plan, Pos};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// Width of a summary node.
pub const SUMMARY_W: f64 = 190.0;
/// Height of a summary node.
pub const SUMMARY_H: f64 = 72.0;
/// The prefix of an area's key (`area:Mainland China`); a region's key is its API id (or
/// `CCN area …` for the box of a CCN area).
pub const AREA: &str = "area:";
/// Areas are laid out as columns, in rows at most this wide.
const WRAP_WIDTH: f64 = 1400.0;
/// The space between two boxes of an area.
const GAP: f64 = 14.0;

/// What the canvas shows: collapsed regions and areas, and the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ViewOptions {
    /// Collapsed groups, by key (a region's API id, `CCN area …`, or `area:` and an area's name).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub collapsed: BTreeSet<String>,
    /// Every region collapsed (how a big plan opens), except those in `expanded`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_collapsed: bool,
    /// Regions expanded while `all_collapsed`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub expanded: BTreeSet<String>,
    /// Only the networks attached to this CEN (by id), with what connects them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cen: Option<String>,
    /// Only the networks (and CENs) owned by this account (by id), with what connects them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

impl ViewOptions {
    /// Nothing collapsed and no filter: the diagram as built.
    pub fn is_plain(&self) -> bool {
        !self.all_collapsed && self.collapsed.is_empty() && self.cen.is_none() && self.account.is_none()
    }

    /// Whether the group `key` is drawn as a summary.
    pub fn is_collapsed(&self, key: &str) -> bool {
        self.collapsed.contains(key) || (self.all_collapsed && !key.starts_with(AREA) && !self.expanded.contains(key))
    }

    /// Expands a collapsed group (a summary clicked), or collapses an expanded one.
    pub fn toggle(&mut self, key: &str) {
        if self.is_collapsed(key) {
            self.collapsed.remove(key);
            if self.all_collapsed && !key.starts_with(AREA) {
                self.expanded.insert(key.to_string());
            }
        } else {
            self.expanded.remove(key);
            self.collapsed.insert(key.to_string());
        }
    }

    /// Every region collapsed.
    pub fn collapse_all(&mut self) {
        self.all_collapsed = true;
        self.expanded.clear();
        self.collapsed.clear();
    }

    /// Every region and area expanded (the filters stay).
    pub fn expand_all(&mut self) {
        self.all_collapsed = false;
        self.expanded.clear();
        self.collapsed.clear();
    }

    /// The options without the filters that name an entity the plan no longer has.
    pub fn valid_for(&self, plan: &Plan) -> ViewOptions {
        let mut o = self.clone();
        o.cen = o.cen.filter(|c| plan.cens.iter().any(|x| x.id == *c));
        o.account = o.account.filter(|a| plan.accounts.iter().any(|x| x.id == *a));
        o
    }
}

/// A collapsed region or area, drawn as one node.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The group's key (see `ViewOptions::collapsed`).
    pub key: String,
    /// Its label (the region's or area's).
    pub label: String,
    /// Top-left corner.
    pub pos: Pos,
    /// How many nodes of each kind it holds, in `diagram::NODE_KINDS` order.
    pub counts: Vec<(Kind, usize)>,
    /// The worst severity of its nodes' findings and their summed count.
    pub badge: Option<(Severity, usize)>,
    /// The ids of the nodes it stands for.
    pub members: Vec<String>,
}

impl Summary {
    /// The id its edges end at (`group:` and its key).
    pub fn node_id(&self) -> String {
        format!("group:{}", self.key)
    }

    /// Its counts in words: "3 VPC · 2 VPN GW · 4 office".
    pub fn counts_text(&self) -> String {
        self.counts
            .iter()
            .map(|(k, n)| format!("{n} {}", kind_word(*k)))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn center(&self) -> (f64, f64) {
        (self.pos.x + SUMMARY_W / 2.0, self.pos.y + SUMMARY_H / 2.0)
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "VPC",
        Kind::Vbr => "IDC",
        Kind::Ccn => "CCN",
        Kind::Sag => "SAG",
        Kind::VpnGateway => "VPN GW",
        Kind::CustomerGateway => "office",
        Kind::Cen => "CEN",
        _ => "other",
    }
}

/// The ids the filters keep: the networks (VPC, VBR, CCN) attached to the chosen CEN and owned by
/// the chosen account, the CENs they attach to (and the account's own CENs), their VPN gateways, the
/// offices those connect to and the CCNs' branches. `None` without a filter.
pub fn kept(plan: &Plan, opts: &ViewOptions) -> Option<BTreeSet<String>> {
    if opts.cen.is_none() && opts.account.is_none() {
        return None;
    }
    let on_cen = |net: &str| {
        opts.cen
            .as_deref()
            .is_none_or(|c| plan.attachments.iter().any(|a| a.network == net && a.cen == c))
    };
    let owned = |owner: &str| opts.account.as_deref().is_none_or(|a| owner == a);
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let nets = plan
        .vpcs
        .iter()
        .map(|v| (&v.id, &v.owner))
        .chain(plan.vbrs.iter().map(|v| (&v.id, &v.owner)))
        .chain(plan.ccns.iter().map(|v| (&v.id, &v.owner)));
    for (id, owner) in nets {
        if on_cen(id) && owned(owner) {
            keep.insert(id.clone());
        }
    }
    for a in &plan.attachments {
        if keep.contains(&a.network) && opts.cen.as_deref().is_none_or(|c| c == a.cen) {
            keep.insert(a.cen.clone());
        }
    }
    for c in &plan.cens {
        if opts.cen.as_deref().is_none_or(|x| x == c.id) && (owned(&c.owner) || opts.cen.is_some()) {
            keep.insert(c.id.clone());
        }
    }
    let gateways: Vec<&str> = plan
        .vpn_gateways
        .iter()
        .filter(|g| keep.contains(&g.vpc))
        .map(|g| g.id.as_str())
        .collect();
    for c in &plan.ipsec_connections {
        if gateways.contains(&c.vpn_gateway.as_str()) {
            keep.insert(c.customer_gateway.clone());
        }
    }
    keep.extend(gateways.into_iter().map(String::from));
    for s in &plan.sags {
        if keep.contains(&s.ccn) {
            keep.insert(s.id.clone());
        }
    }
    Some(keep)
}

/// A box being placed: an expanded region (its nodes move with it), a collapsed one, or the tray.
struct Block {
    key: String,
    label: String,
    nodes: Vec<usize>,
    collapsed: bool,
    class: &'static str,
    region: Option<String>,
}

/// The diagram as the options show it (see the module's doc).
pub fn apply(mut d: Diagram, plan: &Plan, opts: &ViewOptions) -> Diagram {
    let opts = opts.valid_for(plan);
    if opts.is_plain() {
        return d;
    }
    let ctx = Ctx::new(plan);
    if let Some(keep) = kept(plan, &opts) {
        d.nodes.retain(|n| keep.contains(&n.id));
    }
    // Each node's region (by key) and each region's area, in the order build placed them.
    let mut area_of: BTreeMap<String, String> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut tray: Vec<usize> = Vec::new();
    let mut cens: Vec<usize> = Vec::new();
    for (i, n) in d.nodes.iter().enumerate() {
        if n.kind == Kind::Cen {
            cens.push(i);
            continue;
        }
        match diagram::home(&ctx, n.kind, &n.id) {
            Some((area, key)) => {
                area_of.insert(key.clone(), area.label().to_string());
                members.entry(key).or_default().push(i);
            }
            None => tray.push(i),
        }
    }
    let mut areas: Vec<(String, Vec<Block>)> = Vec::new();
    let tray_label = d
        .containers
        .iter()
        .find(|c| c.class == "unplaced")
        .map(|c| c.label.clone())
        .unwrap_or_default();
    for c in d.containers.iter().filter(|c| c.class == "region") {
        let key = c.region.clone().unwrap_or_else(|| c.label.clone());
        let (Some(area), Some(nodes)) = (area_of.get(&key), members.remove(&key)) else {
            continue;
        };
        let block = Block {
            collapsed: opts.is_collapsed(&key),
            key,
            label: c.label.clone(),
            nodes,
            class: "region",
            region: c.region.clone(),
        };
        match areas.iter_mut().find(|(a, _)| a == area) {
            Some((_, blocks)) => blocks.push(block),
            None => areas.push((area.clone(), vec![block])),
        }
    }

    let mut out = Diagram::default();
    let mut moved: Vec<Pos> = d.nodes.iter().map(|n| n.pos).collect();
    let mut hidden: Vec<bool> = vec![false; d.nodes.len()];
    let top = PAD + NODE_H + 60.0;
    let mut x = PAD;
    // The regions drawn as summaries (theirs or their area's).
    let mut closed: BTreeSet<String> = BTreeSet::new();
    let summarise = |key: &str, label: &str, nodes: &[usize], pos: Pos, hidden: &mut Vec<bool>| -> Summary {
        let mut counts: Vec<(Kind, usize)> = Vec::new();
        let mut badge: Option<(Severity, usize)> = None;
        for &k in NODE_KINDS {
            let n = nodes.iter().filter(|&&i| d.nodes[i].kind == k).count();
            if n > 0 {
                counts.push((k, n));
            }
        }
        for &i in nodes {
            hidden[i] = true;
            if let Some((sev, n)) = d.nodes[i].badge {
                badge = Some(match badge {
                    None => (sev, n),
                    Some((w, m)) => (w.min(sev), m + n),
                });
            }
        }
        Summary {
            key: key.to_string(),
            label: label.to_string(),
            pos,
            counts,
            badge,
            members: nodes.iter().map(|&i| d.nodes[i].id.clone()).collect(),
        }
    };
    // Areas are columns, in rows no wider than `WRAP_WIDTH` (a collapsed plan fits a screen).
    let (mut row_top, mut row_bottom) = (top, top);
    for (area, blocks) in &areas {
        let area_key = format!("{AREA}{area}");
        let (c0, s0) = (out.containers.len(), out.summaries.len());
        let top = row_top;
        let y0 = top + LABEL_H + PAD;
        let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
        if opts.is_collapsed(&area_key) {
            let nodes: Vec<usize> = blocks.iter().flat_map(|b| b.nodes.iter().copied()).collect();
            closed.extend(blocks.iter().map(|b| b.key.clone()));
            let label = format!("{area} · {} regions", blocks.len());
            let g = summarise(&area_key, &label, &nodes, Pos { x: x + PAD, y: y0 }, &mut hidden);
            out.summaries.push(g);
            placed.push((x + PAD, y0, SUMMARY_W, SUMMARY_H));
        } else {
            let sizes: Vec<(f64, f64)> = blocks
                .iter()
                .map(|b| {
                    if b.collapsed {
                        // A collapsed region's box is its summary (which shows the region's name).
                        (SUMMARY_W, SUMMARY_H)
                    } else {
                        let bb = bbox(b.nodes.iter().map(|&i| moved[i]));
                        (
                            (bb.2 - bb.0 + PAD * 2.0).max(label_width(&b.label)),
                            bb.3 - bb.1 + PAD * 2.0 + LABEL_H,
                        )
                    }
                })
                .collect();
            let widest = sizes.iter().map(|s| s.0).fold(0.0, f64::max);
            let limit = widest.max(3.0 * SUMMARY_W + 2.0 * GAP);
            let (mut rx, mut ry, mut row_h) = (x + PAD, top + LABEL_H, 0.0f64);
            for (b, &(w, h)) in blocks.iter().zip(&sizes) {
                if rx > x + PAD && rx + w > x + PAD + limit {
                    rx = x + PAD;
                    ry += row_h + GAP;
                    row_h = 0.0;
                }
                if b.collapsed {
                    let g = summarise(&b.key, &b.label, &b.nodes, Pos { x: rx, y: ry }, &mut hidden);
                    out.summaries.push(g);
                    closed.insert(b.key.clone());
                } else {
                    let bb = bbox(b.nodes.iter().map(|&i| moved[i]));
                    let (dx, dy) = (rx + PAD - bb.0, ry + LABEL_H + PAD - bb.1);
                    for &i in &b.nodes {
                        moved[i] = Pos {
                            x: moved[i].x + dx,
                            y: moved[i].y + dy,
                        };
                    }
                }
                out.containers.push(Container {
                    class: b.class,
                    label: if b.collapsed { String::new() } else { b.label.clone() },
                    region: b.region.clone(),
                    x: rx,
                    y: ry,
                    w,
                    h,
                });
                placed.push((rx, ry, w, h));
                rx += w + GAP;
                row_h = row_h.max(h);
            }
        }
        let mut a = placed.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, p| {
            (a.0.min(p.0), a.1.min(p.1), a.2.max(p.0 + p.2), a.3.max(p.1 + p.3))
        });
        if x > PAD && a.2 + PAD > WRAP_WIDTH {
            // The next row of areas: everything placed for this area moves down and to the left.
            let (dx, dy) = (PAD - x, row_bottom + PAD * 3.0 - row_top);
            for c in &mut out.containers[c0..] {
                (c.x, c.y) = (c.x + dx, c.y + dy);
            }
            for g in &mut out.summaries[s0..] {
                g.pos = Pos {
                    x: g.pos.x + dx,
                    y: g.pos.y + dy,
                };
            }
            for b in blocks.iter().filter(|b| !b.collapsed) {
                for &i in &b.nodes {
                    moved[i] = Pos {
                        x: moved[i].x + dx,
                        y: moved[i].y + dy,
                    };
                }
            }
            a = (a.0 + dx, a.1 + dy, a.2 + dx, a.3 + dy);
            row_top += dy;
        }
        row_bottom = row_bottom.max(a.3 + PAD);
        out.containers.insert(
            0,
            Container {
                class: "area",
                label: area.clone(),
                region: None,
                x: a.0 - PAD,
                y: a.1 - PAD - LABEL_H,
                w: a.2 - a.0 + PAD * 2.0,
                h: a.3 - a.1 + PAD * 2.0 + LABEL_H,
            },
        );
        x = a.2 + PAD * 3.0;
    }
    if !tray.is_empty() {
        let bb = bbox(tray.iter().map(|&i| moved[i]));
        let (dx, dy) = (x + PAD - bb.0, row_top + LABEL_H + PAD - bb.1);
        for &i in &tray {
            moved[i] = Pos {
                x: moved[i].x + dx,
                y: moved[i].y + dy,
            };
        }
        let w = (bb.2 - bb.0 + PAD * 2.0).max(label_width(&tray_label));
        out.containers.push(Container {
            class: "unplaced",
            label: tray_label,
            region: None,
            x,
            y: row_top,
            w,
            h: bb.3 - bb.1 + PAD * 2.0 + LABEL_H,
        });
        x += w + PAD * 2.0;
    }
    // The CEN row, centred again over what is left (a CEN placed by hand stays).
    let right = out.containers.iter().map(|c| c.x + c.w).fold(x - PAD * 2.0, f64::max);
    let width = (right - PAD).max(NODE_W);
    let row = cens.len() as f64 * NODE_W + cens.len().saturating_sub(1) as f64 * GAP_X * 2.0;
    let start = PAD + ((width - row) / 2.0).max(0.0);
    for (k, &i) in cens.iter().enumerate() {
        if !plan.layout.contains_key(&d.nodes[i].id) {
            moved[i] = Pos {
                x: (start + k as f64 * (NODE_W + GAP_X * 2.0)).round(),
                y: PAD,
            };
        }
    }
    // A node of a block (an expanded region, the tray) moved with its block, a CEN placed by hand
    // stayed: either is its place on the whole diagram shifted. A CEN laid out is centred again.
    out.shifted = d
        .nodes
        .iter()
        .zip(&moved)
        .zip(&hidden)
        .filter(|(_, hidden)| !**hidden)
        .map(|((n, to), _)| {
            let shift = if n.kind == Kind::Cen && !plan.layout.contains_key(&n.id) {
                Shift::Centred
            } else {
                Shift::By(to.x - n.pos.x, to.y - n.pos.y)
            };
            (n.id.clone(), shift)
        })
        .collect();
    let old_edges = std::mem::take(&mut d.edges);
    out.nodes = d
        .nodes
        .into_iter()
        .zip(moved)
        .zip(hidden)
        .filter(|(_, hidden)| !hidden)
        .map(|((n, pos), _)| Node { pos, ..n })
        .collect();
    out.containers.sort_by_key(|c| if c.class == "area" { 0 } else { 1 });
    out.edges = reroute(&out, old_edges, &closed);
    out.bounds = bounds(&out);
    out
}

/// Where a node drawn in a collapsed or filtered view is, relative to its place on the whole diagram.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shift {
    /// Moved with its block (an expanded region, the tray) by this much: its place within the region is kept.
    By(f64, f64),
    /// A CEN laid out automatically: centred again over what the view leaves, its place there unrelated
    /// to its place on the whole diagram.
    Centred,
}

/// Why a node cannot be moved in a collapsed or filtered view.
pub const CENTRED_CEN: &str = "A CEN is centred again over what a collapsed or filtered view leaves, so a place chosen here would land elsewhere on the whole diagram: move it with everything expanded and no filter (View → Expand everything).";

/// Where a node of the drawn diagram `d`, moved to `to` there, goes on the whole diagram (`Edit::Move`):
/// as drawn when `d` is the whole diagram; in a collapsed or filtered view, its block's shift taken
/// off, so it lands in the same place within its region (relative to the region's other nodes). A
/// CEN laid out automatically cannot be placed there (`CENTRED_CEN`).
pub fn whole_place(d: &Diagram, id: &str, to: Pos) -> Result<Pos, &'static str> {
    if d.shifted.is_empty() {
        return Ok(to);
    }
    match d.shifted.get(id) {
        Some(Shift::By(dx, dy)) => Ok(Pos {
            x: (to.x - dx).round(),
            y: (to.y - dy).round(),
        }),
        Some(Shift::Centred) | None => Err(CENTRED_CEN),
    }
}

/// The edges again, between the nodes as they are now: an end in a summary ends at the summary,
/// the edges between the same ends are drawn once with their count, an edge inside one summary goes.
fn reroute(d: &Diagram, old: Vec<Edge>, closed: &BTreeSet<String>) -> Vec<Edge> {
    let mut at: HashMap<&str, (String, (f64, f64))> = HashMap::new();
    for n in &d.nodes {
        at.insert(&n.id, (n.id.clone(), (n.pos.x + NODE_W / 2.0, n.pos.y + NODE_H / 2.0)));
    }
    for s in &d.summaries {
        for m in &s.members {
            at.insert(m, (s.node_id(), s.center()));
        }
    }
    let mut out: Vec<Edge> = Vec::new();
    let mut merged: HashMap<(&'static str, String, String), (usize, usize)> = HashMap::new();
    for e in old {
        if e.class == "bandwidth" {
            // Between two collapsed regions a cross-region bandwidth is not drawn (dozens of them
            // hid the summaries of the typical plan): expanding either region shows it.
            if closed.contains(&e.ends.0) && closed.contains(&e.ends.1) {
                continue;
            }
            let find = |region: &str| {
                d.containers
                    .iter()
                    .find(|c| c.class == "region" && c.region.as_deref() == Some(region))
            };
            if let (Some(a), Some(b)) = (find(&e.ends.0), find(&e.ends.1)) {
                let (from, to) = ((a.x + a.w / 2.0, a.y + a.h), (b.x + b.w / 2.0, b.y + b.h));
                out.push(Edge {
                    from,
                    to,
                    curve: Some(((from.0 + to.0) / 2.0, a.y.max(b.y) + a.h.max(b.h) + 70.0)),
                    ..e
                });
            }
            continue;
        }
        let (Some((a, pa)), Some((b, pb))) = (at.get(e.ends.0.as_str()).cloned(), at.get(e.ends.1.as_str()).cloned()) else {
            continue;
        };
        if a == b {
            continue;
        }
        let grouped = a.starts_with("group:") || b.starts_with("group:");
        let key = (e.class, a.clone(), b.clone());
        if grouped {
            if let Some((i, count)) = merged.get_mut(&key) {
                *count += 1;
                let edge = &mut out[*i];
                edge.badge = match (edge.badge, e.badge) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                continue;
            }
            merged.insert(key, (out.len(), 1));
        }
        out.push(Edge {
            from: pa,
            to: pb,
            ends: (a, b),
            ..e
        });
    }
    for (i, count) in merged.into_values() {
        if count > 1 {
            let e = &mut out[i];
            e.label = if e.label.is_empty() {
                format!("×{count}")
            } else {
                format!("{} ×{count}", e.label)
            };
        }
    }
    out
}

fn bbox(points: impl Iterator<Item = Pos>) -> (f64, f64, f64, f64) {
    points.fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| {
        (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x + NODE_W), b.3.max(p.y + NODE_H))
    })
}

fn bounds(d: &Diagram) -> (f64, f64, f64, f64) {
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |x: f64, y: f64, w: f64, h: f64| b = (b.0.min(x), b.1.min(y), b.2.max(x + w), b.3.max(y + h));
    for n in &d.nodes {
        grow(n.pos.x, n.pos.y, NODE_W, NODE_H);
    }
    for s in &d.summaries {
        grow(s.pos.x, s.pos.y, SUMMARY_W, SUMMARY_H);
    }
    for c in &d.containers {
        grow(c.x, c.y, c.w, c.h);
    }
    for e in &d.edges {
        if let Some((_, cy)) = e.curve {
            grow(e.from.0, (e.from.1 + 2.0 * cy + e.to.1) / 4.0, 0.0, 24.0);
        }
    }
    if b.0 > b.2 {
        b = (0.0, 0.0, 400.0, 200.0);
    }
    (b.0 - PAD, b.1 - PAD, b.2 - b.0 + PAD * 2.0, b.3 - b.1 + PAD * 2.0)
}

/// The width a box needs for its label (as `diagram` measures it).
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 7.0 + 24.0
}

/// The summary nodes as SVG (drawn by `diagram::svg_content` after the nodes): a click expands one.
pub fn summaries_svg(d: &Diagram, h: &Highlight) -> String {
    let mut s = String::new();
    for g in &d.summaries {
        let sev = g.badge.map_or(String::new(), |b| format!(" finding-{}", b.0.as_str()));
        let path = if g.members.iter().any(|m| h.path_nodes.contains(m)) {
            " on-path"
        } else {
            ""
        };
        let total: usize = g.counts.iter().map(|c| c.1).sum();
        let counts = g.counts_text();
        let (line1, line2) = match g.counts.len() {
            0..=2 => (counts.clone(), String::new()),
            _ => {
                let words: Vec<String> = g.counts.iter().map(|(k, n)| format!("{n} {}", kind_word(*k))).collect();
                (words[..2].join(" · "), words[2..].join(" · "))
            }
        };
        let label = diagram::escape(&g.label);
        let _ = write!(
            s,
            r#"<g class="summary{sev}{path}" data-group="{}" transform="translate({} {})" tabindex="0" role="button" aria-label="{label}: {}; expand"><title>{label}: {} (click to expand)</title><rect width="{}" height="{}" rx="10"/><text class="symbol" x="10" y="16">▸ {total} nodes</text><text class="node-label" x="10" y="34">{}</text><text class="detail" x="10" y="51">{}</text><text class="detail" x="10" y="66">{}</text>"#,
            diagram::escape(&g.key),
            diagram::D1(g.pos.x),
            diagram::D1(g.pos.y),
            diagram::escape(&counts),
            diagram::escape(&counts),
            SUMMARY_W as u32,
            SUMMARY_H as u32,
            diagram::escape(&short(g.label.split(" · ").next().unwrap_or_default(), 24)),
            diagram::escape(&line1),
            diagram::escape(&line2),
        );
        if let Some((sev, count)) = g.badge {
            let _ = write!(
                s,
                r#"<g class="badge {}"><circle cx="{}" cy="0" r="11"/><text x="{}" y="4">{count}</text></g>"#,
                sev.as_str(),
                diagram::D1(SUMMARY_W - 14.0),
                diagram::D1(SUMMARY_W - 14.0)
            );
        }
        s.push_str("</g>");
    }
    s
}

fn short(label: &str, max: usize) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= max {
        label.to_string()
    } else {
        format!("{}…", chars[..max - 1].iter().collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples;
    use crate::core::format::from_json;
    use crate::core::generate::{generate, GenOptions};
    use crate::core::rules::check;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    fn collapsed(keys: &[&str]) -> ViewOptions {
        ViewOptions {
            collapsed: keys.iter().map(|k| k.to_string()).collect(),
            ..ViewOptions::default()
        }
    }

    #[test]
    fn without_options_the_diagram_is_as_built() {
        let plan = example("seed-003-vpn-global-network");
        let d = diagram::build(&plan, &check(&plan));
        assert_eq!(apply(d.clone(), &plan, &ViewOptions::default()), d);
    }

    #[test]
    fn a_collapsed_region_is_one_summary_with_counts_and_summed_badges() {
        let plan = example("seed-003-vpn-global-network");
        let report = check(&plan);
        let d = diagram::build(&plan, &report);
        let in_virginia = ["vpc-1", "vpngw-1", "cgw-1", "cgw-2"];
        let badges: usize = d
            .nodes
            .iter()
            .filter(|n| in_virginia.contains(&n.id.as_str()))
            .filter_map(|n| n.badge.map(|b| b.1))
            .sum();
        let c = apply(d, &plan, &collapsed(&["us-east-1"]));
        assert_eq!(c.summaries.len(), 1);
        let s = &c.summaries[0];
        assert_eq!(s.key, "us-east-1");
        assert_eq!(s.counts_text(), "1 VPC · 1 VPN GW · 2 office");
        assert_eq!(s.badge.map_or(0, |b| b.1), badges);
        let mut members = s.members.clone();
        members.sort();
        let mut expected = in_virginia.map(String::from).to_vec();
        expected.sort();
        assert_eq!(members, expected);
        // Its nodes are not drawn; the others are, and the attachment ends at the summary.
        assert!(c.nodes.iter().all(|n| !in_virginia.contains(&n.id.as_str())));
        assert!(c.nodes.iter().any(|n| n.id == "vpc-2"));
        let att = c
            .edges
            .iter()
            .find(|e| e.class == "attachment" && e.ends.0.starts_with("group:"))
            .unwrap();
        assert_eq!(att.ends, ("group:us-east-1".to_string(), "cen-1".to_string()));
        // No edge left inside the summary (gateway ↔ VPC, IPsec to its offices).
        assert!(c.edges.iter().all(|e| e.ends.0 != e.ends.1));
        assert!(!c
            .edges
            .iter()
            .any(|e| e.class == "ipsec" && e.ends.0 == "group:us-east-1" && e.ends.1 == "group:us-east-1"));
        // The region box stays (a drop target, the end of the cross-region bandwidth) around the summary.
        let region = c.containers.iter().find(|x| x.region.as_deref() == Some("us-east-1")).unwrap();
        assert!(s.pos.x >= region.x && s.pos.x + SUMMARY_W <= region.x + region.w && s.pos.y + SUMMARY_H <= region.y + region.h);
        assert!(c.edges.iter().any(|e| e.class == "bandwidth"));
        let svg = diagram::svg_content(&c, &Highlight::default());
        assert!(svg.contains(r#"data-group="us-east-1""#), "{svg}");
        assert!(svg.contains("1 VPC · 1 VPN GW"));
    }

    #[test]
    fn a_collapsed_area_is_one_summary_of_all_its_regions() {
        let plan = generate(&GenOptions::typical());
        let d = diagram::build(&plan, &check(&plan));
        let area = d.containers.iter().find(|c| c.class == "area").unwrap().label.clone();
        let c = apply(d.clone(), &plan, &collapsed(&[&format!("{AREA}{area}")]));
        let s = c.summaries.iter().find(|s| s.key == format!("{AREA}{area}")).unwrap();
        assert!(s.label.starts_with(&area));
        let total: usize = s.counts.iter().map(|c| c.1).sum();
        assert_eq!(total, s.members.len());
        assert_eq!(c.nodes.len() + total, d.nodes.len());
    }

    #[test]
    fn the_typical_plan_collapsed_fits_on_a_screen_and_keeps_every_node_counted() {
        let plan = generate(&GenOptions::typical());
        let d = diagram::build(&plan, &check(&plan));
        let mut opts = ViewOptions::default();
        opts.collapse_all();
        let c = apply(d.clone(), &plan, &opts);
        let cens = d.nodes.iter().filter(|n| n.kind == Kind::Cen).count();
        assert_eq!(c.nodes.len(), cens, "only the CENs stay as nodes");
        let counted: usize = c.summaries.iter().flat_map(|s| s.counts.iter().map(|c| c.1)).sum();
        assert_eq!(counted + cens, d.nodes.len());
        let regions = d.containers.iter().filter(|c| c.class == "region").count();
        assert_eq!(c.summaries.len(), regions);
        // Far smaller than the full picture: about a screen.
        assert!(
            c.bounds.2 * c.bounds.3 < d.bounds.2 * d.bounds.3 / 4.0,
            "{:?} vs {:?}",
            c.bounds,
            d.bounds
        );
        assert!(c.bounds.2 < 1500.0, "{:?}", c.bounds);
        // No cross-region bandwidth between two summaries (dozens of curves would hide them).
        assert!(c.edges.iter().all(|e| e.class != "bandwidth"));
        // Attachments of a region to one CEN are one line with their count.
        assert!(
            c.edges.iter().any(|e| e.class == "attachment" && e.label.starts_with('×')),
            "{:?}",
            c.edges
        );
        let mut ends: Vec<_> = c
            .edges
            .iter()
            .filter(|e| e.class != "bandwidth")
            .map(|e| (e.class, e.ends.clone()))
            .collect();
        let n = ends.len();
        ends.sort();
        ends.dedup();
        assert_eq!(ends.len(), n, "one line per pair of ends");
        // Expanding one region draws its nodes again, inside its box.
        let key = c.summaries[0].key.clone();
        opts.toggle(&key);
        assert!(!opts.is_collapsed(&key));
        let e = apply(d, &plan, &opts);
        let region = e
            .containers
            .iter()
            .find(|x| x.class == "region" && (x.region.as_deref() == Some(key.as_str()) || x.label == key))
            .unwrap();
        let inside = c.summaries[0].members.iter().all(|m| {
            e.nodes.iter().find(|n| n.id == *m).is_some_and(|n| {
                n.pos.x >= region.x
                    && n.pos.x + NODE_W <= region.x + region.w
                    && n.pos.y >= region.y
                    && n.pos.y + NODE_H <= region.y + region.h
            })
        });
        assert!(inside);
        assert_eq!(e.summaries.len(), c.summaries.len() - 1);
        // Regions and summaries do not overlap.
        let boxes: Vec<&Container> = e.containers.iter().filter(|c| c.class == "region").collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{} overlaps {}", a.label, b.label);
            }
        }
    }

    /// Moves `id`, drawn in the view `opts` of `plan`, to `to` there (as the canvas does) and returns the
    /// plan after the move.
    fn moved_in_view(plan: &Plan, opts: &ViewOptions, id: &str, to: Pos) -> Plan {
        let view = apply(diagram::build(plan, &check(plan)), plan, opts);
        let pos = whole_place(&view, id, to).unwrap();
        let mut after = plan.clone();
        crate::core::edit::apply(&mut after, crate::core::edit::Edit::Move { id: id.into(), pos }).unwrap();
        after
    }

    fn pos_of(d: &Diagram, id: &str) -> Pos {
        d.nodes.iter().find(|n| n.id == id).unwrap().pos
    }

    /// A node moved in a collapsed or filtered view lands in the same place within its region on the
    /// whole diagram (and in the view again): relative to the region's other nodes, where it was dropped.
    #[test]
    fn a_node_moved_in_a_collapsed_or_filtered_view_keeps_its_place_within_its_region_on_the_whole_diagram() {
        let typical = generate(&GenOptions::typical());
        let mut one_open = ViewOptions::default();
        one_open.collapse_all();
        let d = diagram::build(&typical, &check(&typical));
        let first = apply(d.clone(), &typical, &one_open).summaries[0].clone();
        one_open.toggle(&first.key);
        let seed = example("seed-003-vpn-global-network");
        let filtered = ViewOptions {
            cen: Some("cen-1".into()),
            ..ViewOptions::default()
        };
        for (plan, opts, moving, other) in [
            (&typical, &one_open, first.members[0].as_str(), first.members[1].as_str()),
            (&seed, &filtered, "vpc-2", "vpngw-2"),
        ] {
            let before = apply(diagram::build(plan, &check(plan)), plan, opts);
            let (at, beside) = (pos_of(&before, moving), pos_of(&before, other));
            assert_ne!(at, Pos { x: 0.0, y: 0.0 });
            // Up and to the left, past the region's other nodes: the block moves, the place within it stays.
            for to in [
                Pos {
                    x: at.x + 37.0,
                    y: at.y + 23.0,
                },
                Pos {
                    x: beside.x - 120.0,
                    y: beside.y - 90.0,
                },
            ] {
                let after = moved_in_view(plan, opts, moving, to);
                let whole = diagram::build(&after, &check(&after));
                let view = apply(whole.clone(), &after, opts);
                let rel = |d: &Diagram| {
                    let (a, b) = (pos_of(d, moving), pos_of(d, other));
                    (a.x - b.x, a.y - b.y)
                };
                let dropped = ((to.x - beside.x).round(), (to.y - beside.y).round());
                assert_eq!(rel(&view), dropped, "{moving} in the view");
                assert_eq!(rel(&whole), dropped, "{moving} on the whole diagram");
            }
        }
        // A CEN laid out automatically is centred again over what the view leaves: refused in words.
        let view = apply(diagram::build(&seed, &check(&seed)), &seed, &filtered);
        assert_eq!(whole_place(&view, "cen-1", Pos { x: 5.0, y: 5.0 }), Err(CENTRED_CEN));
        // As built, a place is the place.
        let plain = diagram::build(&seed, &check(&seed));
        assert_eq!(whole_place(&plain, "cen-1", Pos { x: 5.0, y: 5.0 }), Ok(Pos { x: 5.0, y: 5.0 }));
        // A CEN placed by hand stays where it is in a view: it can be moved there.
        let placed = moved_in_view(&seed, &ViewOptions::default(), "cen-1", Pos { x: 40.0, y: 18.0 });
        let view = apply(diagram::build(&placed, &check(&placed)), &placed, &filtered);
        assert_eq!(whole_place(&view, "cen-1", Pos { x: 60.0, y: 18.0 }), Ok(Pos { x: 60.0, y: 18.0 }));
    }

    #[test]
    fn the_cen_filter_keeps_its_networks_and_what_connects_them() {
        let plan = example("seed-003-vpn-global-network");
        let mut other = plan.clone();
        // A VPC on no CEN is left out; the CEN's networks, gateways and offices stay.
        other.vpcs.push(crate::core::model::Vpc {
            id: "vpc-9".into(),
            owner: "acct-1".into(),
            region: "us-east-1".into(),
            cidr: "10.9.0.0/16".into(),
            ..Default::default()
        });
        let d = diagram::build(&other, &check(&other));
        let opts = ViewOptions {
            cen: Some("cen-1".into()),
            ..ViewOptions::default()
        };
        let c = apply(d.clone(), &other, &opts);
        let ids: BTreeSet<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        assert!(!ids.contains("vpc-9"));
        for id in ["cen-1", "vpc-1", "vpc-2", "vpngw-1", "vpngw-2", "cgw-1", "cgw-4"] {
            assert!(ids.contains(id), "{id} kept");
        }
        assert_eq!(c.edges.len(), d.edges.len(), "every edge of the CEN's networks stays");
        // A filter naming a CEN the plan no longer has is ignored.
        let gone = ViewOptions {
            cen: Some("cen-x".into()),
            ..ViewOptions::default()
        };
        assert_eq!(apply(d.clone(), &other, &gone), d);
    }

    #[test]
    fn the_account_filter_keeps_the_accounts_networks_and_their_cens() {
        let plan = example("seed-000-cross-account-same-region");
        let d = diagram::build(&plan, &check(&plan));
        let account = plan.vpcs[1].owner.clone();
        let opts = ViewOptions {
            account: Some(account.clone()),
            ..ViewOptions::default()
        };
        let c = apply(d, &plan, &opts);
        let vpcs: Vec<&str> = c.nodes.iter().filter(|n| n.kind == Kind::Vpc).map(|n| n.id.as_str()).collect();
        let expected: Vec<&str> = plan.vpcs.iter().filter(|v| v.owner == account).map(|v| v.id.as_str()).collect();
        assert_eq!(vpcs, expected);
        assert!(c.nodes.iter().any(|n| n.kind == Kind::Cen), "the CEN it attaches to connects them");
        assert!(c.edges.iter().all(|e| c.nodes.iter().any(|n| n.id == e.ends.0)));
    }

    #[test]
    fn toggling_keeps_the_state_and_it_round_trips_as_json() {
        let mut o = ViewOptions::default();
        o.collapse_all();
        o.toggle("cn-shanghai");
        o.toggle("area:Asia Pacific");
        assert!(!o.is_collapsed("cn-shanghai") && o.is_collapsed("us-east-1") && o.is_collapsed("area:Asia Pacific"));
        let back: ViewOptions = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
        o.expand_all();
        assert!(o.is_plain());
        assert_eq!(serde_json::to_string(&o).unwrap(), "{}");
    }
}
