//! The topology diagram: where every node goes, which edges join them, and the SVG that draws it.
//!
//! One renderer serves the screen and the exported SVG/PNG, so they look the same. Areas contain
//! regions, regions contain their networks; CEN instances are hubs in a row above. A node placed by
//! hand keeps its position (`Plan::layout`); the others are laid out automatically in a readable
//! grid by area. Containers are the bounding boxes of what they hold, so moved nodes stay inside.
//! Every user string is escaped.

use crate::core::catalog::Area;
use crate::core::facts::Ctx;
use crate::core::findings::{Report, Severity};
use crate::core::model::{Kind, Plan, Pos};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Node width.
pub const NODE_W: f64 = 150.0;
/// Node height.
pub const NODE_H: f64 = 56.0;
pub(crate) const GAP_X: f64 = 44.0;
const GAP_Y: f64 = 40.0;
pub(crate) const PAD: f64 = 18.0;
pub(crate) const LABEL_H: f64 = 22.0;
const PER_ROW: usize = 3;
const REGIONS_PER_ROW: usize = 2;
/// The height of one vSwitch in an expanded VPC (its block, then its zone and name).
pub const ROW_H: f64 = 36.0;
/// Site nodes in a row below the areas.
const SITES_PER_ROW: usize = 6;

/// What the viewer chose to show beyond the default picture (the app keeps it with its view state).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Show {
    /// VPCs drawn expanded, with their vSwitches.
    pub expanded: BTreeSet<String>,
}

/// A line inside an expanded node: a vSwitch of a VPC.
#[derive(Clone, Debug, PartialEq)]
pub struct SubRow {
    /// The vSwitch's id (a click on it selects it).
    pub id: String,
    /// Its block.
    pub text: String,
    /// Its zone and name.
    pub sub: String,
}

/// A small mark that says something about an edge or a region: findings about an edge's entity (a
/// badge), or the route maps of a region. A click on it selects `entity`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// What a click selects: the entity the findings are about, or the first route map.
    pub entity: String,
    /// The entities it stands for (the route maps of a region).
    pub ids: Vec<String>,
    /// Worst severity of the findings (a badge), `None` for route maps.
    pub severity: Option<Severity>,
    /// How many findings (or route maps).
    pub count: usize,
    /// Its tooltip: the findings' messages, or each route map.
    pub title: String,
    /// Some route map denies (drawn as such).
    pub deny: bool,
    /// Where it is drawn (its centre).
    pub at: (f64, f64),
}

/// A box drawn around the nodes of a region or an area.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    /// `area` or `region`.
    pub class: &'static str,
    /// Its label.
    pub label: String,
    /// The region (API id) of a region box: where a node dropped in it goes, and an end of a
    /// cross-region bandwidth drawn from it.
    pub region: Option<String>,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A drawn entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Entity id.
    pub id: String,
    /// Entity kind.
    pub kind: Kind,
    /// Name (or id).
    pub label: String,
    /// What an architect reads on it: the CIDR of a VPC, the prefixes of a data centre, branch or
    /// office, the bandwidth of a VPN gateway, the area of a CCN.
    pub detail: String,
    /// Top-left corner.
    pub pos: Pos,
    /// Worst severity of its findings and their count.
    pub badge: Option<(Severity, usize)>,
    /// How many vSwitches a VPC has (the node can be expanded to show them when there are some).
    pub children: usize,
    /// The vSwitches shown when the VPC is expanded (`Show::expanded`), empty otherwise.
    pub rows: Vec<SubRow>,
}

impl Node {
    /// Its height: a node grows by `ROW_H` per row shown.
    pub fn height(&self) -> f64 {
        NODE_H + self.rows.len() as f64 * ROW_H
    }
}

/// A drawn relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The entity it stands for (attachment, peering, IPsec connection, SAG binding, region bandwidth, VPN gateway).
    pub id: String,
    /// CSS class: `attachment`, `peering`, `ipsec`, `binding`, `bandwidth`, `gateway`.
    pub class: &'static str,
    /// From point.
    pub from: (f64, f64),
    /// To point.
    pub to: (f64, f64),
    /// Text at the middle (e.g. `10 Mbps`).
    pub label: String,
    /// The node ids it joins.
    pub ends: (String, String),
    /// Worst severity of the findings about its entity.
    pub badge: Option<Severity>,
    /// A control point when the edge is drawn as a curve (cross-region bandwidth, below the regions).
    pub curve: Option<(f64, f64)>,
    /// The badge of the findings about its entity (for a cross-region bandwidth, also about the
    /// bandwidth package of its area pair), drawn on the line.
    pub mark: Option<Mark>,
}

/// The whole picture.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Diagram {
    /// Area and region boxes, areas first.
    pub containers: Vec<Container>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
    /// Bounds: (min x, min y, width, height).
    pub bounds: (f64, f64, f64, f64),
    /// The route maps of each region, a mark at the top right of its box.
    pub marks: Vec<Mark>,
    /// Collapsed regions and areas, each drawn as one node (`condense::apply`; none as built).
    pub summaries: Vec<crate::core::condense::Summary>,
    /// In a collapsed or filtered view (`condense::apply`; empty as built): how far each node drawn is
    /// from its place on the whole diagram (`condense::whole_place`).
    pub shifted: BTreeMap<String, crate::core::condense::Shift>,
}

impl Diagram {
    /// The region (API id) whose box holds the diagram point `(x, y)`, if any: where a line or a
    /// palette button dropped there lands, whatever is drawn over the box (a line crossing it).
    pub fn region_at(&self, x: f64, y: f64) -> Option<&str> {
        self.containers
            .iter()
            .filter(|c| c.class == "region")
            .find(|c| x >= c.x && x <= c.x + c.w && y >= c.y && y <= c.y + c.h)
            .and_then(|c| c.region.as_deref())
    }
}

/// What to emphasise when drawing.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Highlight {
    /// The selected entity.
    pub selected: Option<String>,
    /// Node ids on a traced path.
    pub path_nodes: BTreeSet<String>,
    /// Pairs of consecutive node ids on a traced path.
    pub path_links: BTreeSet<(String, String)>,
    /// The node where the path is blocked.
    pub blocked: Option<String>,
    /// The path arrives only over the ~1 Kbps cross-region test link (drawn amber).
    #[serde(default)]
    pub degraded: bool,
    /// The route map that denies the traced route (its region's mark is drawn blocked).
    #[serde(default)]
    pub blocked_map: Option<String>,
}

impl Highlight {
    /// The path of a trace on the diagram: its hops, the CENs crossed and the two ends (offices are
    /// drawn as their customer gateways), and where it is blocked.
    pub fn for_trace(plan: &Plan, trace: &crate::core::reach::Trace) -> Highlight {
        let node = |id: &str| -> String {
            plan.ipsec_connections
                .iter()
                .find(|c| c.id == id)
                .map_or(id.to_string(), |c| c.customer_gateway.clone())
        };
        let mut seq: Vec<String> = vec![node(&trace.from)];
        for hop in &trace.hops {
            let at = node(&hop.at);
            if seq.last() != Some(&at) {
                seq.push(at);
            }
            if let Some(cen) = &hop.cen {
                seq.push(cen.clone());
            }
        }
        let end = node(&trace.to);
        if trace.disposition.is_success() && seq.last() != Some(&end) {
            seq.push(end);
        }
        let mut h = Highlight {
            blocked: trace
                .blocked
                .as_ref()
                .filter(|_| !trace.disposition.is_success())
                .map(|b| node(&b.at)),
            degraded: trace.disposition == crate::core::reach::Disposition::TestLinkOnly,
            blocked_map: trace
                .blocked
                .as_ref()
                .filter(|_| !trace.disposition.is_success())
                .and_then(|b| b.entity.as_ref())
                .filter(|e| e.kind == Kind::RouteMap)
                .map(|e| e.id.clone()),
            ..Highlight::default()
        };
        for w in seq.windows(2) {
            h.path_links.insert((w[0].clone(), w[1].clone()));
        }
        h.path_nodes = seq.into_iter().collect();
        h
    }
}

/// A node waiting to be placed: kind, id, label.
type Placed = (Kind, String, String);

/// Kinds drawn as nodes.
pub const NODE_KINDS: &[Kind] = &[
    Kind::Cen,
    Kind::Vpc,
    Kind::Vbr,
    Kind::Ccn,
    Kind::Sag,
    Kind::VpnGateway,
    Kind::CustomerGateway,
    Kind::Site,
];

/// Where a node lives: (area, region label) or the CEN row.
pub(crate) fn home(ctx: &Ctx<'_>, kind: Kind, id: &str) -> Option<(Area, String)> {
    let plan = ctx.plan;
    let region = |r: &str| Some((ctx.region_area(r).unwrap_or(Area::MiddleEast), r.to_string()));
    match kind {
        Kind::Vpc => plan.vpcs.iter().find(|v| v.id == id).and_then(|v| region(&v.region)),
        Kind::Vbr => plan.vbrs.iter().find(|v| v.id == id).and_then(|v| region(&v.region)),
        Kind::CustomerGateway => plan.customer_gateways.iter().find(|g| g.id == id).and_then(|g| region(&g.region)),
        Kind::VpnGateway => {
            let vpc = &plan.vpn_gateways.iter().find(|g| g.id == id)?.vpc;
            plan.vpcs.iter().find(|v| v.id == *vpc).and_then(|v| region(&v.region))
        }
        Kind::Ccn => plan
            .ccns
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.area.cen_area(), format!("CCN area {}", c.area.label()))),
        Kind::Sag => {
            let ccn = &plan.sags.iter().find(|s| s.id == id)?.ccn;
            plan.ccns
                .iter()
                .find(|c| c.id == *ccn)
                .map(|c| (c.area.cen_area(), format!("CCN area {}", c.area.label())))
        }
        _ => None,
    }
}

fn region_label(ctx: &Ctx<'_>, key: &str) -> String {
    if key.starts_with("CCN area ") {
        return key.to_string();
    }
    let name = ctx
        .plan
        .regions
        .iter()
        .find(|r| r.id == key)
        .map(|r| r.name.clone())
        .or_else(|| crate::core::catalog::find(key).map(|r| r.name.to_string()))
        .unwrap_or_default();
    if name.is_empty() {
        key.to_string()
    } else {
        format!("{name} · {key}")
    }
}

/// How many nodes `build` draws for a plan (one per VPC, VBR, CCN, SAG branch, VPN gateway, office
/// and CEN), without laying anything out: the app draws a big plan only when asked.
pub fn node_count(p: &Plan) -> usize {
    p.vpcs.len()
        + p.vbrs.len()
        + p.ccns.len()
        + p.sags.len()
        + p.vpn_gateways.len()
        + p.customer_gateways.len()
        + p.cens.len()
        + p.sites.len()
}

/// Lays the plan out and collects what to draw (every VPC collapsed).
pub fn build(plan: &Plan, report: &Report) -> Diagram {
    build_with(plan, report, &Show::default())
}

/// Lays the plan out as `build` does, with the VPCs of `show.expanded` showing their vSwitches
/// (their block, zone and name); the nodes below them move down to make room.
pub fn build_with(plan: &Plan, report: &Report, show: &Show) -> Diagram {
    let ctx = Ctx::new(plan);
    // Group nodes: CEN row, then area → region → nodes.
    let mut cens: Vec<(String, String)> = Vec::new();
    let mut areas: BTreeMap<Area, BTreeMap<String, Vec<Placed>>> = BTreeMap::new();
    // Nodes without a region (a gateway whose VPC is gone, a region left empty) go to a tray of their own.
    let mut unplaced: Vec<Placed> = Vec::new();
    // On-premises sites (no region: their lines are in regions of their own) in a row below.
    let mut sites: Vec<Placed> = Vec::new();
    for &kind in NODE_KINDS {
        crate::with_list!(plan, kind, |list| {
            for e in list.iter() {
                use crate::core::model::Entity;
                let label = if e.name().trim().is_empty() {
                    e.id().to_string()
                } else {
                    e.name().to_string()
                };
                if kind == Kind::Cen {
                    cens.push((e.id().to_string(), label));
                } else if kind == Kind::Site {
                    sites.push((kind, e.id().to_string(), label));
                } else {
                    match home(&ctx, kind, e.id()) {
                        Some((area, region)) => {
                            areas
                                .entry(area)
                                .or_default()
                                .entry(region)
                                .or_default()
                                .push((kind, e.id().to_string(), label))
                        }
                        None => unplaced.push((kind, e.id().to_string(), label)),
                    }
                }
            }
        });
    }
    // A node's badge counts the findings about it and about what it holds (vSwitches, route entries).
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut vswitches: BTreeMap<&str, Vec<&crate::core::model::VSwitch>> = BTreeMap::new();
    for s in &plan.vswitches {
        children.entry(s.vpc.as_str()).or_default().push(&s.id);
        vswitches.entry(s.vpc.as_str()).or_default().push(s);
    }
    for r in &plan.route_entries {
        children.entry(r.network.as_str()).or_default().push(&r.id);
    }
    let badge = |id: &str| {
        let mut worst: Option<Severity> = None;
        let mut n = 0;
        let held = children.get(id).map_or(&[][..], Vec::as_slice);
        for f in report
            .findings
            .iter()
            .filter(|f| f.entity.as_ref().is_some_and(|e| e.id == id || held.contains(&e.id.as_str())))
        {
            n += 1;
            worst = Some(worst.map_or(f.severity, |w| w.min(f.severity)));
        }
        worst.map(|w| (w, n))
    };
    let place = |id: &str, auto: Pos| plan.layout.get(id).copied().unwrap_or(auto);
    // A VPC's vSwitches: their count, and their rows when it is expanded.
    let inner = |kind: Kind, id: &str| -> (usize, Vec<SubRow>) {
        if kind != Kind::Vpc {
            return (0, Vec::new());
        }
        let list = vswitches.get(id).map_or(&[][..], Vec::as_slice);
        let rows = if show.expanded.contains(id) {
            list.iter()
                .map(|s| {
                    let name = if s.name.trim().is_empty() { &s.id } else { &s.name };
                    let zone = if s.zone.trim().is_empty() { "no zone" } else { s.zone.as_str() };
                    SubRow {
                        id: s.id.clone(),
                        text: if s.cidr.trim().is_empty() {
                            "no block".into()
                        } else {
                            s.cidr.clone()
                        },
                        sub: short(&format!("{zone} · {name}")),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        (list.len(), rows)
    };
    let node = |kind: Kind, id: &str, label: &str, auto: Pos| {
        let (children, rows) = inner(kind, id);
        Node {
            id: id.to_string(),
            kind,
            label: label.to_string(),
            detail: detail(plan, kind, id),
            pos: place(id, auto),
            badge: badge(id),
            children,
            rows,
        }
    };
    let height = |kind: Kind, id: &str| {
        if kind == Kind::Vpc && show.expanded.contains(id) {
            NODE_H + vswitches.get(id).map_or(0, Vec::len) as f64 * ROW_H
        } else {
            NODE_H
        }
    };

    let mut d = Diagram::default();
    // Areas as columns; inside an area, regions side by side (REGIONS_PER_ROW a row), so every node
    // can be reached from the CEN row above without crossing another region; nodes in rows of three.
    let top = PAD + NODE_H + 60.0;
    let mut x = PAD;
    for (area, regions) in &areas {
        let area_x = x;
        let (mut y, mut rx, mut row_h, mut area_w) = (top + LABEL_H + PAD, area_x + PAD, 0.0f64, 0.0f64);
        let mut region_boxes = Vec::new();
        for (k, (region, nodes)) in regions.iter().enumerate() {
            let nodes = &beside_their_vpc(plan, nodes);
            if k > 0 && k % REGIONS_PER_ROW == 0 {
                y += row_h + PAD;
                rx = area_x + PAD;
                row_h = 0.0;
            }
            let cols = nodes.len().clamp(1, PER_ROW);
            // Each row of nodes is as tall as its tallest node (an expanded VPC).
            let row_heights: Vec<f64> = nodes
                .chunks(PER_ROW)
                .map(|row| row.iter().map(|(k, id, _)| height(*k, id)).fold(NODE_H, f64::max))
                .collect();
            let rows = row_heights.len().max(1);
            let w = (PAD * 2.0 + cols as f64 * NODE_W + (cols - 1) as f64 * GAP_X)
                .max(label_width(&region_label(&ctx, region)) + maps_width(plan, region));
            let h = LABEL_H + PAD * 2.0 + row_heights.iter().sum::<f64>().max(NODE_H) + (rows - 1) as f64 * GAP_Y;
            let mut row_y = y + LABEL_H + PAD;
            for (i, (kind, id, label)) in nodes.iter().enumerate() {
                if i > 0 && i % PER_ROW == 0 {
                    row_y += row_heights[i / PER_ROW - 1] + GAP_Y;
                }
                let auto = Pos {
                    x: rx + PAD + (i % PER_ROW) as f64 * (NODE_W + GAP_X),
                    y: row_y,
                };
                d.nodes.push(node(*kind, id, label, auto));
            }
            rx += w + PAD * 1.5;
            area_w = area_w.max(rx - area_x);
            row_h = row_h.max(h);
            region_boxes.push((region.clone(), nodes.iter().map(|(_, id, _)| id.clone()).collect::<Vec<_>>()));
        }
        // Containers are the bounding boxes of their nodes (so moved nodes stay inside).
        let mut area_box: Option<(f64, f64, f64, f64)> = None;
        for (region, ids) in region_boxes {
            let nodes: Vec<&Node> = d.nodes.iter().filter(|n| ids.contains(&n.id)).collect();
            let Some(b) = bbox(&nodes) else { continue };
            let (bx, by, bw, bh) = (
                b.0 - PAD,
                b.1 - PAD - LABEL_H,
                (b.2 - b.0 + PAD * 2.0).max(label_width(&region_label(&ctx, &region)) + maps_width(plan, &region)),
                b.3 - b.1 + PAD * 2.0 + LABEL_H,
            );
            d.containers.push(Container {
                class: "region",
                label: region_label(&ctx, &region),
                region: (!region.starts_with("CCN area ")).then(|| region.clone()),
                x: bx,
                y: by,
                w: bw,
                h: bh,
            });
            area_box = Some(match area_box {
                None => (bx, by, bx + bw, by + bh),
                Some(a) => (a.0.min(bx), a.1.min(by), a.2.max(bx + bw), a.3.max(by + bh)),
            });
        }
        if let Some(a) = area_box {
            d.containers.insert(
                0,
                Container {
                    class: "area",
                    label: area.label().to_string(),
                    region: None,
                    x: a.0 - PAD,
                    y: a.1 - PAD - LABEL_H,
                    w: a.2 - a.0 + PAD * 2.0,
                    h: a.3 - a.1 + PAD * 2.0 + LABEL_H,
                },
            );
        }
        x += area_w + PAD * 2.0;
    }
    if !unplaced.is_empty() {
        let y = top + LABEL_H + PAD;
        let ids: Vec<String> = unplaced.iter().map(|(_, id, _)| id.clone()).collect();
        for (i, (kind, id, label)) in unplaced.iter().enumerate() {
            let auto = Pos {
                x: x + PAD + (i % PER_ROW) as f64 * (NODE_W + GAP_X),
                y: y + (i / PER_ROW) as f64 * (NODE_H + GAP_Y),
            };
            d.nodes.push(node(*kind, id, label, auto));
        }
        let nodes: Vec<&Node> = d.nodes.iter().filter(|n| ids.contains(&n.id)).collect();
        if let Some(b) = bbox(&nodes) {
            let label = "Unplaced: no region".to_string();
            let w = (b.2 - b.0 + PAD * 2.0).max(label_width(&label));
            d.containers.push(Container {
                class: "unplaced",
                label,
                region: None,
                x: b.0 - PAD,
                y: b.1 - PAD - LABEL_H,
                w,
                h: b.3 - b.1 + PAD * 2.0 + LABEL_H,
            });
            x += w + PAD * 2.0;
        }
    }
    // Sites in a row below everything, in a box of their own, joined to their lines by edges (with
    // room above them for the cross-region curves, which dip below the regions).
    if !sites.is_empty() {
        let bottom = d.containers.iter().map(|c| c.y + c.h).fold(top, f64::max);
        let y = bottom + 110.0 + LABEL_H + PAD;
        let ids: Vec<&String> = sites.iter().map(|(_, id, _)| id).collect();
        // Centred under the areas, so the lines to their VBRs and branches fan out.
        let per_row = sites.len().min(SITES_PER_ROW);
        let row = per_row as f64 * NODE_W + (per_row - 1) as f64 * GAP_X;
        let start = PAD * 2.0 + ((x - PAD * 3.0 - row) / 2.0).max(0.0);
        for (i, (kind, id, label)) in sites.iter().enumerate() {
            let auto = Pos {
                x: (start + (i % SITES_PER_ROW) as f64 * (NODE_W + GAP_X)).round(),
                y: y + (i / SITES_PER_ROW) as f64 * (NODE_H + GAP_Y),
            };
            d.nodes.push(node(*kind, id, label, auto));
        }
        let nodes: Vec<&Node> = d.nodes.iter().filter(|n| ids.contains(&&n.id)).collect();
        if let Some(b) = bbox(&nodes) {
            let label = "On-premises sites".to_string();
            let w = (b.2 - b.0 + PAD * 2.0).max(label_width(&label));
            d.containers.push(Container {
                class: "sites",
                label,
                region: None,
                x: b.0 - PAD,
                y: b.1 - PAD - LABEL_H,
                w,
                h: b.3 - b.1 + PAD * 2.0 + LABEL_H,
            });
            x = x.max(b.0 - PAD + w + PAD);
        }
    }
    // CEN hubs in a row on top, centred over the areas; first in the drawing order (and Tab order).
    let width = (x - PAD).max(NODE_W);
    let row = cens.len() as f64 * NODE_W + cens.len().saturating_sub(1) as f64 * GAP_X * 2.0;
    let start = PAD + ((width - row) / 2.0).max(0.0);
    let hubs: Vec<Node> = cens
        .iter()
        .enumerate()
        .map(|(i, (id, label))| {
            let auto = Pos {
                x: (start + i as f64 * (NODE_W + GAP_X * 2.0)).round(),
                y: PAD,
            };
            node(Kind::Cen, id, label, auto)
        })
        .collect();
    d.nodes.splice(0..0, hubs);
    d.containers.sort_by_key(|c| if c.class == "area" { 0 } else { 1 });
    edges(&ctx, report, &mut d);
    d.marks = route_map_marks(plan, &d.containers);
    let mut b = bbox(&d.nodes.iter().collect::<Vec<_>>()).unwrap_or((0.0, 0.0, 400.0, 200.0));
    for c in &d.containers {
        b = (b.0.min(c.x), b.1.min(c.y), b.2.max(c.x + c.w), b.3.max(c.y + c.h));
    }
    // Curves dip below the regions: their apex and label must stay inside the picture.
    for e in &d.edges {
        if let Some((_, cy)) = e.curve {
            b.3 = b.3.max((e.from.1 + 2.0 * cy + e.to.1) / 4.0 + 24.0);
        }
    }
    d.bounds = (b.0 - PAD, b.1 - PAD, b.2 - b.0 + PAD * 2.0, b.3 - b.1 + PAD * 2.0);
    d
}

/// A region's nodes with each VPN gateway right after its VPC (so it is drawn beside it).
fn beside_their_vpc(plan: &Plan, nodes: &[Placed]) -> Vec<Placed> {
    let vpc_of = |id: &str| plan.vpn_gateways.iter().find(|g| g.id == id).map(|g| g.vpc.as_str());
    let mut out: Vec<Placed> = Vec::with_capacity(nodes.len());
    let mut gateways: Vec<&Placed> = nodes.iter().filter(|n| n.0 == Kind::VpnGateway).collect();
    for n in nodes.iter().filter(|n| n.0 != Kind::VpnGateway) {
        out.push(n.clone());
        if n.0 == Kind::Vpc {
            gateways.retain(|g| {
                let mine = vpc_of(&g.1) == Some(n.1.as_str());
                if mine {
                    out.push((*g).clone());
                }
                !mine
            });
        }
    }
    out.extend(gateways.into_iter().cloned());
    out
}

/// The detail line of a node (see `Node::detail`): one block and "+N" for the others.
fn detail(plan: &Plan, kind: Kind, id: &str) -> String {
    let blocks = |list: Vec<&String>| match list.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} +{}", rest.len()),
    };
    match kind {
        Kind::Vpc => plan
            .vpcs
            .iter()
            .find(|v| v.id == id)
            .map(|v| {
                blocks(
                    std::iter::once(&v.cidr)
                        .filter(|c| !c.is_empty())
                        .chain(&v.secondary_cidrs)
                        .collect(),
                )
            })
            .unwrap_or_default(),
        Kind::Vbr => plan
            .vbrs
            .iter()
            .find(|v| v.id == id)
            .map(|v| blocks(v.idc_cidrs.iter().collect()))
            .unwrap_or_default(),
        Kind::Sag => plan
            .sags
            .iter()
            .find(|v| v.id == id)
            .map(|v| blocks(v.cidrs.iter().collect()))
            .unwrap_or_default(),
        Kind::VpnGateway => plan
            .vpn_gateways
            .iter()
            .find(|g| g.id == id)
            .map(|g| format!("{} Mbps", g.bandwidth_mbps))
            .unwrap_or_default(),
        Kind::CustomerGateway => {
            let mut prefixes: Vec<&String> = Vec::new();
            for c in plan.ipsec_connections.iter().filter(|c| c.customer_gateway == id) {
                for r in &c.remote_cidrs {
                    if !prefixes.contains(&r) {
                        prefixes.push(r);
                    }
                }
            }
            blocks(prefixes)
        }
        Kind::Ccn => plan
            .ccns
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.area.label().to_string())
            .unwrap_or_default(),
        Kind::Site => plan
            .sites
            .iter()
            .find(|s| s.id == id)
            .map(|s| blocks(s.prefixes.iter().collect()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Whether a straight edge's label fits in the part of the line between its two nodes (the line
/// runs centre to centre, under the nodes): two VPCs side by side in a region leave a short gap,
/// and a label there would be hidden by the nodes (the legend says what the line is).
fn label_fits(e: &Edge) -> bool {
    let (dx, dy) = ((e.to.0 - e.from.0).abs(), (e.to.1 - e.from.1).abs());
    let len = dx.hypot(dy);
    // The fraction of the line inside one node (from its centre to its border).
    let inside = ((NODE_W / 2.0) / dx.max(1e-6)).min((NODE_H / 2.0) / dy.max(1e-6)).min(0.5);
    len * (1.0 - 2.0 * inside) >= e.label.chars().count() as f64 * 7.0 + 8.0
}

/// The width a container needs for its label (about 8 px a character at the label's size and
/// weight in the widest common sans-serif, DejaVu Sans: at 7 a region's "China (Qingdao) ·
/// cn-qingdao" ran past its box), plus padding.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 8.0 + 24.0
}

fn bbox(nodes: &[&Node]) -> Option<(f64, f64, f64, f64)> {
    let first = nodes.first()?;
    let mut b = (first.pos.x, first.pos.y, first.pos.x + NODE_W, first.pos.y + first.height());
    for n in nodes {
        b = (
            b.0.min(n.pos.x),
            b.1.min(n.pos.y),
            b.2.max(n.pos.x + NODE_W),
            b.3.max(n.pos.y + n.height()),
        );
    }
    Some(b)
}

fn edges(ctx: &Ctx<'_>, report: &Report, d: &mut Diagram) {
    let plan = ctx.plan;
    let center = |id: &str| {
        d.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| (n.pos.x + NODE_W / 2.0, n.pos.y + NODE_H / 2.0))
    };
    let worst = |id: &str| report.about(id).map(|f| f.severity).min();
    let mut out = Vec::new();
    let mut push = |id: &str, class: &'static str, a: &str, b: &str, label: String| {
        if let (Some(from), Some(to)) = (center(a), center(b)) {
            // Relations that are entities of their own carry their findings' badge on the line (a
            // gateway's or a branch's line is its node, which has the badge already).
            let mark = match class {
                "attachment" | "peering" | "ipsec" => badge_mark(report, &[id], along(from, None, to)),
                _ => None,
            };
            out.push(Edge {
                id: id.to_string(),
                class,
                from,
                to,
                label,
                ends: (a.to_string(), b.to_string()),
                badge: worst(id),
                curve: None,
                mark,
            });
        }
    };
    for a in &plan.attachments {
        push(&a.id, "attachment", &a.network, &a.cen, String::new());
    }
    for p in &plan.peerings {
        push(&p.id, "peering", &p.a, &p.b, "peering".into());
    }
    for g in &plan.vpn_gateways {
        push(&g.id, "gateway", &g.id, &g.vpc, String::new());
    }
    for c in &plan.ipsec_connections {
        push(&c.id, "ipsec", &c.vpn_gateway, &c.customer_gateway, "IPsec".into());
    }
    for s in &plan.sags {
        push(&s.id, "binding", &s.id, &s.ccn, String::new());
    }
    // A site joins its lines, each labelled with the role the architect gave it.
    for site in &plan.sites {
        for line in &site.lines {
            let role = match line.role {
                Some(crate::core::model::LineRole::Ecmp) => "ECMP",
                Some(crate::core::model::LineRole::Active) => "active",
                Some(crate::core::model::LineRole::Standby) => "standby",
                None => "",
            };
            push(&site.id, "site-line", &site.id, &line.via, role.to_string());
        }
    }
    // Cross-region bandwidth joins the two region boxes.
    for r in &plan.region_bandwidths {
        let find = |region: &str| {
            d.containers
                .iter()
                .find(|c| c.class == "region" && c.region.as_deref() == Some(region))
        };
        if let (Some(a), Some(b)) = (find(&r.region_a), find(&r.region_b)) {
            let (from, to) = ((a.x + a.w / 2.0, a.y + a.h), (b.x + b.w / 2.0, b.y + b.h));
            // Deeper for regions further apart: a long curve passes below the short ones it spans
            // (three regions in a row: the outer pair's line clear of the two inner ones).
            let span = (a.x + a.w / 2.0 - b.x - b.w / 2.0).abs();
            let depth = 60.0 + (span * 0.1).min(60.0);
            let curve = ((a.x + a.w / 2.0 + b.x + b.w / 2.0) / 2.0, a.y.max(b.y) + a.h.max(b.h) + depth);
            // The findings about the bandwidth, and about the package of its area pair.
            let package = match (ctx.region_area(&r.region_a), ctx.region_area(&r.region_b)) {
                (Some(x), Some(y)) => ctx.package(&r.cen, x, y).map(|p| p.id.as_str()),
                _ => None,
            };
            let ids: Vec<&str> = std::iter::once(r.id.as_str()).chain(package).collect();
            let mark = badge_mark(report, &ids, along(from, Some(curve), to));
            out.push(Edge {
                id: r.id.clone(),
                class: "bandwidth",
                from: (a.x + a.w / 2.0, a.y + a.h),
                to: (b.x + b.w / 2.0, b.y + b.h),
                label: format!("{} Mbps", r.mbps),
                ends: (r.region_a.clone(), r.region_b.clone()),
                badge: worst(&r.id),
                curve: Some(curve),
                mark,
            });
        }
    }
    d.edges = out;
}

/// The point a third of the way along an edge (straight, or a quadratic curve), where its badge goes
/// (the label is at the middle).
fn along(from: (f64, f64), curve: Option<(f64, f64)>, to: (f64, f64)) -> (f64, f64) {
    let t = 0.35;
    match curve {
        None => (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t),
        Some(c) => {
            let (a, b, e) = ((1.0 - t) * (1.0 - t), 2.0 * (1.0 - t) * t, t * t);
            (a * from.0 + b * c.0 + e * to.0, a * from.1 + b * c.1 + e * to.1)
        }
    }
}

/// The badge of the findings about `ids` (the first with findings is what a click selects), or
/// `None` when there are none.
fn badge_mark(report: &Report, ids: &[&str], at: (f64, f64)) -> Option<Mark> {
    let found: Vec<&crate::core::findings::Finding> = ids.iter().flat_map(|id| report.about(id)).collect();
    let first = found.first()?;
    let mut title: Vec<String> = found
        .iter()
        .take(8)
        .map(|f| format!("{} {}: {}", f.severity.as_str(), f.code.as_str(), f.message))
        .collect();
    if found.len() > 8 {
        title.push(format!("and {} more", found.len() - 8));
    }
    Some(Mark {
        entity: first.entity.as_ref().map(|e| e.id.clone()).unwrap_or_default(),
        ids: ids.iter().map(|s| s.to_string()).collect(),
        severity: found.iter().map(|f| f.severity).min(),
        count: found.len(),
        title: title.join("\n"),
        deny: false,
        at,
    })
}

/// Room for the route maps' mark beside a region's label.
fn maps_width(plan: &Plan, region: &str) -> f64 {
    if plan.route_maps.iter().any(|m| m.region == region) {
        MAPS_W + 10.0
    } else {
        0.0
    }
}

/// The width of the route maps' mark.
const MAPS_W: f64 = 74.0;

/// The route maps of each region, a mark at the top right of its box: how many, each in the title
/// (CEN, direction, priority, action), `deny` when one of them denies.
fn route_map_marks(plan: &Plan, containers: &[Container]) -> Vec<Mark> {
    let mut out = Vec::new();
    for c in containers.iter().filter(|c| c.class == "region") {
        let Some(region) = &c.region else { continue };
        let mut maps: Vec<&crate::core::model::RouteMap> = plan.route_maps.iter().filter(|m| m.region == *region).collect();
        if maps.is_empty() {
            continue;
        }
        maps.sort_by_key(|m| (m.cen.clone(), m.priority));
        let name = |id: &str, n: &str| if n.trim().is_empty() { id.to_string() } else { n.to_string() };
        let cen_name = |id: &str| {
            plan.cens
                .iter()
                .find(|c| c.id == id)
                .map_or(id.to_string(), |c| name(&c.id, &c.name))
        };
        let title: Vec<String> = maps
            .iter()
            .map(|m| {
                format!(
                    "Route map {} on {}: {}, priority {}, {}",
                    name(&m.id, &m.name),
                    cen_name(&m.cen),
                    match m.direction {
                        crate::core::model::MapDirection::RegionIn => "RegionIn",
                        crate::core::model::MapDirection::RegionOut => "RegionOut",
                    },
                    m.priority,
                    match m.action {
                        crate::core::model::MapAction::Permit => "Permit",
                        crate::core::model::MapAction::Deny => "Deny",
                    }
                )
            })
            .collect();
        out.push(Mark {
            entity: maps[0].id.clone(),
            ids: maps.iter().map(|m| m.id.clone()).collect(),
            severity: None,
            count: maps.len(),
            title: title.join("\n"),
            deny: maps.iter().any(|m| m.action == crate::core::model::MapAction::Deny),
            at: (c.x + c.w - 10.0 - MAPS_W / 2.0, c.y + 12.0),
        });
    }
    out
}

/// Escapes text for SVG/HTML content and attribute values.
///
/// ```
/// assert_eq!(cen_planner::core::diagram::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn symbol(kind: Kind) -> &'static str {
    match kind {
        Kind::Cen => "CEN",
        Kind::Vpc => "VPC",
        Kind::Vbr => "IDC",
        Kind::Ccn => "CCN",
        Kind::Sag => "SAG",
        Kind::VpnGateway => "VPN",
        Kind::CustomerGateway => "OFFICE",
        Kind::Site => "SITE",
        _ => "",
    }
}

fn short(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 17 {
        label.to_string()
    } else {
        format!("{}…", chars[..16].iter().collect::<String>())
    }
}

/// The drawing's content (everything inside the `<svg>`), used on screen and in exports.
pub fn svg_content(d: &Diagram, h: &Highlight) -> String {
    let mut s = String::new();
    for c in &d.containers {
        let region = c
            .region
            .as_ref()
            .map_or(String::new(), |r| format!(r#" data-region="{}""#, escape(r)));
        let _ = write!(
            s,
            r#"<g class="container {}"{region}><rect x="{}" y="{}" width="{}" height="{}" rx="10"/><text class="container-label" x="{}" y="{}">{}</text>"#,
            c.class,
            D1(c.x),
            D1(c.y),
            D1(c.w),
            D1(c.h),
            D1(c.x + 10.0),
            D1(c.y + 16.0),
            escape(&c.label)
        );
        s.push_str("</g>");
    }
    for e in &d.edges {
        let on_path = h.path_links.contains(&e.ends) || h.path_links.contains(&(e.ends.1.clone(), e.ends.0.clone()));
        let sev = e.badge.map_or(String::new(), |b| format!(" finding-{}", b.as_str()));
        let selected = if h.selected.as_deref() == Some(e.id.as_str()) {
            " selected"
        } else {
            ""
        };
        let path = match (on_path, h.degraded) {
            (true, true) => " on-path degraded",
            (true, false) if h.blocked.as_ref().is_some_and(|b| e.ends.0 == *b || e.ends.1 == *b) => " on-path blocked",
            (true, false) => " on-path",
            _ => "",
        };
        let (mut mx, mut my) = ((e.from.0 + e.to.0) / 2.0, (e.from.1 + e.to.1) / 2.0);
        let _ = write!(
            s,
            r#"<g class="edge {}{sev}{selected}{path}" data-id="{}" tabindex="0" role="button" aria-label="{}">"#,
            e.class,
            escape(&e.id),
            escape(&format!("{} {}", e.class, e.id))
        );
        match e.curve {
            Some((cx, cy)) => {
                let d = format!(
                    "M{} {} Q{} {} {} {}",
                    D1(e.from.0),
                    D1(e.from.1),
                    D1(cx),
                    D1(cy),
                    D1(e.to.0),
                    D1(e.to.1)
                );
                let _ = write!(s, r#"<path d="{d}"/><path class="hit" d="{d}"/>"#);
                // The apex of the curve, where the label goes.
                (mx, my) = ((e.from.0 + 2.0 * cx + e.to.0) / 4.0, (e.from.1 + 2.0 * cy + e.to.1) / 4.0 + 14.0);
            }
            None => {
                // A site's line is labelled (with its role) near its VBR or branch: lines of one site
                // start together, so their labels would overlap near the site.
                if e.class == "site-line" {
                    (mx, my) = (e.from.0 + (e.to.0 - e.from.0) * 0.72, e.from.1 + (e.to.1 - e.from.1) * 0.72);
                }
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/><line class="hit" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                    D1(e.from.0),
                    D1(e.from.1),
                    D1(e.to.0),
                    D1(e.to.1),
                    D1(e.from.0),
                    D1(e.from.1),
                    D1(e.to.0),
                    D1(e.to.1)
                );
            }
        }
        if !e.label.is_empty() && (e.curve.is_some() || e.class == "site-line" || label_fits(e)) {
            let _ = write!(
                s,
                r#"<text class="edge-label" x="{}" y="{}">{}</text>"#,
                D1(mx),
                D1(my - 4.0),
                escape(&e.label)
            );
        }
        if let Some(m) = &e.mark {
            badge_svg(&mut s, m);
        }
        s.push_str("</g>");
    }
    // A handle on each region box's bottom edge: drag it to another region for a cross-region
    // bandwidth. Drawn over the lines, since the curves of the region's bandwidths end on it.
    for c in &d.containers {
        if let Some(r) = &c.region {
            let _ = write!(
                s,
                r#"<circle class="handle region-handle" data-region-handle="{}" cx="{}" cy="{}" r="6"><title>Drag to another region: cross-region bandwidth</title></circle>"#,
                escape(r),
                D1(c.x + c.w / 2.0),
                D1(c.y + c.h)
            );
        }
    }
    // The route maps of each region: a mark on its box (red when the traced route is denied by one).
    for m in &d.marks {
        let deny = if m.deny { " deny" } else { "" };
        let blocked = if h.blocked_map.as_ref().is_some_and(|b| m.ids.contains(b)) {
            " blocked"
        } else {
            ""
        };
        let text = if m.count == 1 {
            "1 map".to_string()
        } else {
            format!("{} maps", m.count)
        };
        let _ = write!(
            s,
            r#"<g class="route-maps{deny}{blocked}" data-select="{}" tabindex="0" role="button" aria-label="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="20" rx="10"/><text x="{}" y="{}">⛉ {text}</text></g>"#,
            escape(&m.entity),
            escape(&format!("{text} in this region: {}", m.title.replace('\n', "; "))),
            escape(&m.title),
            D1(m.at.0 - MAPS_W / 2.0),
            D1(m.at.1 - 10.0),
            D1(MAPS_W),
            D1(m.at.0),
            D1(m.at.1 + 4.5),
        );
    }
    for n in &d.nodes {
        let sev = n.badge.map_or(String::new(), |b| format!(" finding-{}", b.0.as_str()));
        let selected = if h.selected.as_deref() == Some(n.id.as_str()) {
            " selected"
        } else {
            ""
        };
        let path = match (h.path_nodes.contains(&n.id), h.degraded) {
            (true, true) => " on-path degraded",
            (true, false) => " on-path",
            _ => "",
        };
        let blocked = if h.blocked.as_deref() == Some(n.id.as_str()) {
            " blocked"
        } else {
            ""
        };
        let (x, y) = (D1(n.pos.x), D1(n.pos.y));
        let _ = write!(
            s,
            r#"<g class="node {}{sev}{selected}{path}{blocked}" data-id="{}" data-kind="{}" transform="translate({x} {y})" tabindex="0" role="button" aria-label="{} {}"><title>{} ({})</title><rect width="{}" height="{}" rx="{}"/><text class="symbol" x="8" y="16">{}</text><text class="node-label" x="8" y="33">{}</text><text class="detail" x="8" y="50">{}</text>"#,
            n.kind.key(),
            escape(&n.id),
            n.kind.key(),
            n.kind.label(),
            escape(&n.label),
            escape(&n.label),
            escape(&n.id),
            NODE_W as u32,
            D1(n.height()),
            if n.kind == Kind::Cen { 28 } else { 8 },
            symbol(n.kind),
            escape(&short(&n.label)),
            escape(&n.detail),
        );
        // A VPC with vSwitches has a toggle that shows them (each a row: block, then zone and name).
        if n.children > 0 {
            let open = !n.rows.is_empty();
            let _ = write!(
                s,
                r#"<g class="expand" data-expand="{}" tabindex="0" role="button" aria-expanded="{open}" aria-label="{} the {} vSwitches of {}"><text x="120" y="16">{} {} vSw</text></g>"#,
                escape(&n.id),
                if open { "Hide" } else { "Show" },
                n.children,
                escape(&n.label),
                if open { "▾" } else { "▸" },
                n.children,
            );
        }
        for (i, r) in n.rows.iter().enumerate() {
            let top = NODE_H + i as f64 * ROW_H;
            let _ = write!(
                s,
                r#"<g class="vswitch" data-vswitch="{}"><line x1="8" y1="{}" x2="{}" y2="{}"/><text class="detail" x="12" y="{}">{}</text><text class="sub" x="12" y="{}">{}</text></g>"#,
                escape(&r.id),
                D1(top),
                D1(NODE_W - 8.0),
                D1(top),
                D1(top + 15.0),
                escape(&r.text),
                D1(top + 31.0),
                escape(&r.sub),
            );
        }
        if n.kind != Kind::Cen && n.kind != Kind::Site {
            let _ = write!(
                s,
                r#"<circle class="handle" data-handle="{}" cx="{}" cy="{}" r="6"/>"#,
                escape(&n.id),
                NODE_W as u32,
                D1(NODE_H / 2.0)
            );
        }
        if let Some((sev, count)) = n.badge {
            let _ = write!(
                s,
                r#"<g class="badge {}"><circle cx="{}" cy="0" r="11"/><text x="{}" y="4.5">{count}</text></g>"#,
                sev.as_str(),
                D1(NODE_W - 12.0),
                D1(NODE_W - 12.0)
            );
        }
        s.push_str("</g>");
    }
    s.push_str(&crate::core::condense::summaries_svg(d, h));
    s
}

/// A badge on an edge: the worst severity's colour, the count, the messages in its title; a click
/// (or Enter) selects the entity the findings are about.
fn badge_svg(s: &mut String, m: &Mark) {
    let sev = m.severity.map_or("info", |v| v.as_str());
    let _ = write!(
        s,
        r#"<g class="badge edge-badge {sev}" data-select="{}" tabindex="0" role="button" aria-label="{}"><title>{}</title><circle cx="{}" cy="{}" r="11"/><text x="{}" y="{}">{}</text></g>"#,
        escape(&m.entity),
        escape(&format!("{} findings: {}", m.count, m.title.replace('\n', "; "))),
        escape(&m.title),
        D1(m.at.0),
        D1(m.at.1),
        D1(m.at.0),
        D1(m.at.1 + 4.5),
        m.count
    );
}

pub use crate::core::format::D1;

/// A standalone SVG document of the whole diagram, with its stylesheet embedded.
pub fn to_svg(d: &Diagram, h: &Highlight, title: &str) -> String {
    let (x, y, wf, hf) = d.bounds;
    let (w0, h0) = (wf.round_ties_even() as i64, hf.round_ties_even() as i64);
    let (x, y, w, hgt) = (D1(x), D1(y), D1(wf), D1(hf));
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{w0}" height="{h0}" viewBox="{x} {y} {w} {hgt}"><title>{}</title><style>{}</style><rect class="background" x="{x}" y="{y}" width="{w}" height="{hgt}"/>{}</svg>"#,
        escape(title),
        DIAGRAM_CSS,
        svg_content(d, h)
    )
}

/// The diagram's stylesheet: the same file the app loads, so exports look like the screen.
pub const DIAGRAM_CSS: &str = include_str!("../../style/diagram.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_as_one_decimal_format_writes_them() {
        let mut values = vec![0.0, -0.0, 0.25, 0.75, -0.25, 1.05, 132.0, 23.5, -7.45, 1234.56, 1e6, -999_999.95];
        values.extend((0..2000).map(|i| i as f64 * 0.37 - 300.0));
        values.extend((0..400).map(|i| i as f64 / 4.0));
        for v in values {
            let expected = format!("{v:.1}");
            let expected = if expected == "-0.0" { "0.0".to_string() } else { expected };
            assert_eq!(D1(v).to_string(), expected, "{v}");
        }
    }
    use crate::core::examples;
    use crate::core::format::from_json;
    use crate::core::rules::check;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    #[test]
    fn seed_003_has_every_node_and_edge_inside_its_region_and_area() {
        let plan = example("seed-003-vpn-global-network");
        let d = build(&plan, &check(&plan));
        assert_eq!(d.nodes.len(), 1 + 2 + 2 + 4);
        assert_eq!(d.edges.iter().filter(|e| e.class == "attachment").count(), 2);
        assert_eq!(d.edges.iter().filter(|e| e.class == "ipsec").count(), 4);
        let bw = d.edges.iter().find(|e| e.class == "bandwidth").unwrap();
        assert_eq!(bw.label, "10 Mbps");
        assert_eq!(d.containers.iter().filter(|c| c.class == "area").count(), 2);
        for n in d.nodes.iter().filter(|n| n.kind != Kind::Cen) {
            let inside = d
                .containers
                .iter()
                .filter(|c| c.class == "region")
                .any(|c| n.pos.x >= c.x && n.pos.x + NODE_W <= c.x + c.w && n.pos.y >= c.y && n.pos.y + NODE_H <= c.y + c.h);
            assert!(inside, "{} outside its region", n.id);
        }
    }

    #[test]
    fn a_point_inside_a_region_box_is_in_that_region_even_under_a_line() {
        let plan = example("seed-001-bandwidth-packages");
        let d = build(&plan, &check(&plan));
        for c in d.containers.iter().filter(|c| c.class == "region") {
            // The middle of its label, where a line to the CEN may pass over it.
            assert_eq!(d.region_at(c.x + 40.0, c.y + 12.0), c.region.as_deref());
        }
        let cen = d.nodes.iter().find(|n| n.kind == Kind::Cen).unwrap();
        assert_eq!(
            d.region_at(cen.pos.x + 1.0, cen.pos.y + 1.0),
            None,
            "the CEN is drawn outside the regions"
        );
        let area = d.containers.iter().find(|c| c.class == "area").unwrap();
        assert_eq!(d.region_at(area.x + 2.0, area.y + 2.0), None, "an area's margin is in no region");
    }

    #[test]
    fn a_cross_region_curve_between_regions_further_apart_dips_deeper() {
        let plan = example("seed-001-bandwidth-packages");
        let d = build(&plan, &check(&plan));
        let dip = |id: &str| {
            let e = d.edges.iter().find(|e| e.id == id).unwrap();
            e.curve.unwrap().1 - e.from.1
        };
        // Beijing and Frankfurt are the outer pair: their line passes below the other two.
        assert!(
            dip("rbw-bj-fra") > dip("rbw-bj-sv") + 20.0,
            "{} {}",
            dip("rbw-bj-fra"),
            dip("rbw-bj-sv")
        );
        assert!(dip("rbw-bj-fra") > dip("rbw-sv-fra") + 20.0);
        assert!(dip("rbw-bj-fra") <= 120.0, "sites below keep their room");
    }

    #[test]
    fn region_handles_are_drawn_over_the_cross_region_lines_that_end_on_them() {
        let plan = example("seed-001-bandwidth-packages");
        let d = build(&plan, &check(&plan));
        let svg = svg_content(&d, &Highlight::default());
        let last_line = svg.rfind(r#"class="edge bandwidth"#).unwrap();
        for r in ["cn-beijing", "us-west-1", "eu-central-1"] {
            let handle = svg.find(&format!(r#"data-region-handle="{r}""#)).unwrap();
            assert!(handle > last_line, "{r}'s handle is under a line");
        }
    }

    #[test]
    fn nodes_show_their_blocks_and_bandwidth_and_a_gateway_is_drawn_right_after_its_vpc() {
        let mut plan = example("seed-003-vpn-global-network");
        // A third VPC in Virginia, added after the gateway: the gateway still follows VPC1.
        plan.vpcs.push(crate::core::model::Vpc {
            id: "vpc-3".into(),
            region: "us-east-1".into(),
            cidr: "10.3.0.0/16".into(),
            secondary_cidrs: vec!["10.4.0.0/16".into()],
            ..Default::default()
        });
        let d = build(&plan, &check(&plan));
        let detail = |id: &str| d.nodes.iter().find(|n| n.id == id).unwrap().detail.clone();
        assert_eq!(detail("vpc-1"), "172.16.0.0/16");
        assert_eq!(detail("vpc-3"), "10.3.0.0/16 +1");
        assert_eq!(detail("vpngw-1"), "10 Mbps");
        assert_eq!(detail("cgw-1"), "10.10.10.0/24");
        let order: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
        let at = |id: &str| order.iter().position(|n| *n == id).unwrap();
        assert_eq!(at("vpngw-1"), at("vpc-1") + 1, "{order:?}");
        let svg = svg_content(&d, &Highlight::default());
        assert!(svg.contains(r#"data-region="us-east-1""#) && svg.contains(r#"data-region-handle="cn-shanghai""#));
        assert!(svg.contains(r#"<text class="detail" x="8" y="50">172.16.0.0/16</text>"#));
    }

    #[test]
    fn a_node_without_a_region_goes_to_the_unplaced_tray_not_to_an_area() {
        let mut plan = example("seed-003-vpn-global-network");
        plan.vpn_gateways[0].vpc = "gone".into();
        let d = build(&plan, &check(&plan));
        let tray = d.containers.iter().find(|c| c.class == "unplaced").unwrap();
        let n = d.nodes.iter().find(|n| n.id == "vpngw-1").unwrap();
        assert!(n.pos.x >= tray.x && n.pos.x + NODE_W <= tray.x + tray.w);
        assert_eq!(d.containers.iter().filter(|c| c.class == "area").count(), 2);
    }

    #[test]
    fn saved_positions_win_and_containers_follow() {
        let mut plan = example("seed-000-same-account-same-region");
        plan.layout.insert("vpc-2".into(), Pos { x: 900.0, y: 700.0 });
        let d = build(&plan, &check(&plan));
        let n = d.nodes.iter().find(|n| n.id == "vpc-2").unwrap();
        assert_eq!(n.pos, Pos { x: 900.0, y: 700.0 });
        let region = d.containers.iter().find(|c| c.class == "region").unwrap();
        assert!(region.x + region.w >= 900.0 + NODE_W && region.y + region.h >= 700.0 + NODE_H);
    }

    #[test]
    fn a_traced_path_highlights_its_hops_and_the_cen() {
        let plan = example("seed-003-vpn-global-network");
        let routing = crate::core::dataplane::DataPlane::new(Ctx::new(&plan));
        let ctx = &routing.ctx;
        let (a, b) = (
            crate::core::reach::endpoint(ctx, "vco-1").unwrap(),
            crate::core::reach::endpoint(ctx, "vpc-2").unwrap(),
        );
        let h = Highlight::for_trace(&plan, &crate::core::reach::trace(&routing, &a, &b));
        let nodes: Vec<&str> = h.path_nodes.iter().map(String::as_str).collect();
        assert_eq!(nodes, ["cen-1", "cgw-1", "vpc-1", "vpc-2"]);
        assert!(h.path_links.contains(&("vpc-1".into(), "cen-1".into())));
        let d = build(&plan, &check(&plan));
        let svg = svg_content(&d, &h);
        assert!(
            svg.contains(r#"class="edge attachment on-path""#),
            "the attachments are on the path"
        );
    }

    #[test]
    fn names_are_escaped_in_the_svg() {
        let mut plan = example("seed-000-same-account-same-region");
        plan.vpcs[0].name = "<script>alert('x')</script> & \"q\"".into();
        let svg = to_svg(&build(&plan, &check(&plan)), &Highlight::default(), "T <b>");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
        assert!(svg.contains("<title>T &lt;b&gt;</title>"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn findings_become_badges() {
        let mut plan = example("seed-000-same-account-same-region");
        plan.vswitches[1].cidr = "192.168.1.0/24".into();
        plan.vpcs[1].cidr = "192.168.0.0/16".into();
        let d = build(&plan, &check(&plan));
        let vpc_b = d.nodes.iter().find(|n| n.id == "vpc-2").unwrap();
        assert_eq!(
            vpc_b.badge.map(|b| b.0),
            Some(Severity::Error),
            "the vSwitch conflict shows on its VPC"
        );
        assert!(svg_content(&d, &Highlight::default()).contains(r#"<g class="badge error">"#));
        let clean = example("seed-000-same-account-same-region");
        assert!(build(&clean, &check(&clean))
            .nodes
            .iter()
            .all(|n| n.badge.is_none_or(|b| b.0 == Severity::Info)));
    }

    #[test]
    fn node_count_is_the_number_of_nodes_build_draws() {
        for e in crate::core::examples::EXAMPLES {
            let plan = crate::core::format::from_json(e.json).unwrap();
            let d = build(&plan, &crate::core::findings::Report::default());
            assert_eq!(node_count(&plan), d.nodes.len(), "{}", e.key);
        }
    }

    #[test]
    fn an_expanded_vpc_shows_each_vswitch_with_its_block_and_zone_and_what_is_below_moves_down() {
        let mut plan = example("seed-003-vpn-global-network");
        plan.vswitches[0].zone = "us-east-1a".into();
        let collapsed = build(&plan, &check(&plan));
        let vpc = collapsed.nodes.iter().find(|n| n.id == "vpc-1").unwrap();
        assert_eq!((vpc.children, vpc.rows.len(), vpc.height()), (1, 0, NODE_H));
        assert!(svg_content(&collapsed, &Highlight::default()).contains(r#"data-expand="vpc-1""#));
        let show = Show {
            expanded: ["vpc-1".to_string()].into(),
        };
        let d = build_with(&plan, &check(&plan), &show);
        let vpc = d.nodes.iter().find(|n| n.id == "vpc-1").unwrap();
        assert_eq!(vpc.height(), NODE_H + ROW_H);
        let row = &vpc.rows[0];
        assert_eq!((row.id.as_str(), row.text.as_str()), ("vsw-1", "172.16.1.0/24"));
        assert!(row.sub.starts_with("us-east-1a · "), "{}", row.sub);
        let svg = svg_content(&d, &Highlight::default());
        assert!(svg.contains(r#"data-vswitch="vsw-1""#) && svg.contains(r#"aria-expanded="true""#));
        // The offices in the row below the VPC move down by the vSwitch's row; the region holds the VPC.
        let y = |d: &Diagram, id: &str| d.nodes.iter().find(|n| n.id == id).unwrap().pos.y;
        let region = d.containers.iter().find(|c| c.region.as_deref() == Some("us-east-1")).unwrap();
        let in_region = |n: &&Node| n.kind != Kind::Cen && n.pos.x >= region.x && n.pos.x <= region.x + region.w;
        let below: Vec<&Node> = d
            .nodes
            .iter()
            .filter(in_region)
            .filter(|n| y(&collapsed, &n.id) > y(&collapsed, "vpc-1"))
            .collect();
        assert!(!below.is_empty());
        for n in below {
            assert_eq!(n.pos.y, y(&collapsed, &n.id) + ROW_H, "{}", n.id);
        }
        assert!(region.y + region.h >= vpc.pos.y + vpc.height());
        // The svg of the export is the same picture (one renderer).
        assert!(to_svg(&d, &Highlight::default(), "t").contains("172.16.1.0/24"));
    }

    #[test]
    fn a_finding_about_an_attachment_is_a_badge_on_its_line_that_selects_the_attachment() {
        // One VPC attached to two CENs: CEN-ATT-002 is about the second attachment.
        let p = crate::core::testing::plan()
            .cen("c")
            .cen("d")
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .attach("t1", "c", "v1")
            .attach("t2", "d", "v1")
            .build();
        let report = check(&p);
        let about: Vec<_> = report.about("t2").collect();
        assert!(about.iter().any(|f| f.code.as_str() == "CEN-ATT-002"));
        let d = build(&p, &report);
        let m = d.edges.iter().find(|e| e.id == "t2").unwrap().mark.as_ref().expect("a badge");
        assert_eq!(m.count, about.len());
        assert_eq!(m.entity, "t2");
        assert_eq!(m.severity, Some(Severity::Error));
        assert!(m.title.contains(&about[0].message));
        let svg = svg_content(&d, &Highlight::default());
        assert!(svg.contains(r#"<g class="badge edge-badge error" data-select="t2""#), "{svg}");
        assert!(
            d.edges.iter().find(|e| e.id == "t1").unwrap().mark.is_none(),
            "a line without findings has no badge"
        );
    }

    #[test]
    fn a_finding_about_a_bandwidth_package_is_a_badge_on_the_cross_region_line_of_its_area_pair() {
        // Seed 003's cross-border package can never be downgraded (CEN-BWP-008, info, about the package).
        let plan = example("seed-003-vpn-global-network");
        let report = check(&plan);
        let d = build(&plan, &report);
        let edge = d.edges.iter().find(|e| e.class == "bandwidth").unwrap();
        let m = edge.mark.as_ref().expect("a badge on the line");
        assert_eq!((m.entity.as_str(), m.count, m.severity), ("cenbwp-1", 1, Some(Severity::Info)));
        assert!(m.title.starts_with("info CEN-BWP-008: bandwidth package"), "{}", m.title);
        assert!(svg_content(&d, &Highlight::default()).contains(r#"data-select="cenbwp-1""#));
    }

    #[test]
    fn a_peering_label_is_drawn_only_where_the_line_between_the_nodes_has_room_for_it() {
        // Seed 004: VPC-X and VPC-Y side by side in Hangzhou; the label would be under the nodes.
        let plan = example("seed-004-peering-migration");
        let d = build(&plan, &check(&plan));
        let svg = svg_content(&d, &Highlight::default());
        assert!(svg.contains(r#"<g class="edge peering"#), "{svg}");
        assert!(!svg.contains(">peering</text>"), "{svg}");
        // Peered across regions, the line is long: labelled.
        let far = crate::core::testing::plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .vpc("w", "us-east-1", "10.1.0.0/16")
            .peering("p", "v", "w")
            .build();
        let d = build(&far, &check(&far));
        assert!(svg_content(&d, &Highlight::default()).contains(">peering</text>"));
    }

    #[test]
    fn a_site_is_a_node_below_the_areas_joined_to_its_lines_with_their_roles() {
        let plan = example("hybrid-cloud-two-vbrs-sag-backup");
        let d = build(&plan, &check(&plan));
        let site = d.nodes.iter().find(|n| n.id == "site-1").unwrap();
        assert_eq!((site.kind, site.detail.as_str()), (Kind::Site, "10.10.0.0/16"));
        let boxed = d.containers.iter().find(|c| c.class == "sites").unwrap();
        assert!(site.pos.y >= boxed.y && site.pos.y + NODE_H <= boxed.y + boxed.h);
        let bottom = d
            .containers
            .iter()
            .filter(|c| c.class == "area")
            .map(|c| c.y + c.h)
            .fold(0.0, f64::max);
        assert!(boxed.y > bottom, "below the areas");
        let lines: Vec<(&str, &str)> = d
            .edges
            .iter()
            .filter(|e| e.class == "site-line")
            .map(|e| (e.ends.1.as_str(), e.label.as_str()))
            .collect();
        assert_eq!(lines, [("vbr-1", "active"), ("vbr-2", "standby"), ("sag-1", "standby")]);
        let svg = svg_content(&d, &Highlight::default());
        assert!(svg.contains(r#"class="node sites""#) && svg.contains(">SITE<"));
    }

    #[test]
    fn route_maps_are_a_mark_on_their_region_and_a_denying_one_is_drawn_blocked_when_traced() {
        let p = crate::core::testing::plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.0.0.0/16")
            .vswitch("s1", "v1", "10.0.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s2", "v2", "10.1.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .route_map("m", "c", "cn-hangzhou", 10)
            .deny()
            .matching(&["v2"], &["v1"])
            .route_map("m2", "c", "cn-hangzhou", 20)
            .build();
        let d = build(&p, &check(&p));
        assert_eq!(d.marks.len(), 1);
        let mark = &d.marks[0];
        assert_eq!((mark.count, mark.deny, mark.entity.as_str()), (2, true, "m"));
        assert!(
            mark.title.contains("Route map m on c: RegionOut, priority 10, Deny"),
            "{}",
            mark.title
        );
        let region = d.containers.iter().find(|c| c.class == "region").unwrap();
        assert!(mark.at.0 + MAPS_W / 2.0 <= region.x + region.w && mark.at.0 - MAPS_W / 2.0 >= region.x);
        let plain = svg_content(&d, &Highlight::default());
        assert!(plain.contains(r#"<g class="route-maps deny" data-select="m""#), "{plain}");
        let routing = crate::core::dataplane::DataPlane::new(Ctx::new(&p));
        let (a, b) = (
            crate::core::reach::endpoint(&routing.ctx, "v1").unwrap(),
            crate::core::reach::endpoint(&routing.ctx, "v2").unwrap(),
        );
        let h = Highlight::for_trace(&p, &crate::core::reach::trace(&routing, &a, &b));
        assert_eq!(h.blocked_map.as_deref(), Some("m"));
        assert!(svg_content(&d, &h).contains(r#"<g class="route-maps deny blocked""#));
    }
}
