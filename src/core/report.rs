//! The architecture-review report: one self-contained HTML page, used by the app ("Print / save
//! report") and by the CLI (`report PLAN -o report.html`).
//!
//! Sections: summary (networks by area and region, CEN instances, accounts), the diagram, findings by
//! severity with fixes (waived ones apart), each network's route table, the reachability matrix, the
//! bandwidth budget per area pair and region pair (bought, allocated, needed), the cross-account
//! grants checklist and the open review comments. Every user string is escaped; the stylesheet
//! (`style/report.css`) is embedded and has print rules for clean pages.

use crate::core::analysis::Analysis;
use crate::core::catalog::Area;
use crate::core::dataplane::DataPlane;
use crate::core::diagram::{self, escape, Highlight};
use crate::core::facts::Ctx;
use crate::core::facts::NetKind;
use crate::core::findings::{Report, Severity};
use crate::core::matrix::Cell;
use crate::core::model::Plan;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The report stylesheet (screen and print).
pub const REPORT_CSS: &str = include_str!("../../style/report.css");

/// How many route-table rows a report shows in full before it summarises them: beyond this the
/// tables are one row per network (routes, active, learned, not used and why) and the full tables
/// are on demand (`html_with(.., RouteTables::Full)`, the CLI's `report --full-routes`, the app's
/// "Report with full route tables").
pub const FULL_ROUTES_UP_TO: usize = 2_000;

/// How the report shows the route tables of the networks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteTables {
    /// In full up to [`FULL_ROUTES_UP_TO`] rows, else summarised per network.
    Auto,
    /// Every row of every table, however many.
    Full,
}

/// Renders the report of `plan` from its analysis: the plan gives what people wrote (name, notes,
/// comments, positions), the analysis every answer. A big plan's route tables are summarised.
pub fn html(plan: &Plan, analysis: &Analysis) -> String {
    html_with(plan, analysis, RouteTables::Auto)
}

/// [`html`], choosing how the route tables are shown.
pub fn html_with(plan: &Plan, analysis: &Analysis, tables: RouteTables) -> String {
    let (report, routing) = (analysis.report(), analysis.dataplane());
    let ctx = analysis.facts();
    let title = if plan.name.trim().is_empty() {
        "CEN plan".to_string()
    } else {
        plan.name.clone()
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} — architecture review</title><style>{}</style></head><body><main class=\"report\">",
        escape(&title),
        REPORT_CSS
    );
    let _ = write!(
        s,
        "<header><h1>{}</h1><p class=\"meta\">Architecture review · rules as of {} · {} errors, {} warnings, {} info, {} waived</p>",
        escape(&title),
        escape(&plan.settings.as_of),
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.waived.len()
    );
    if !plan.notes.trim().is_empty() {
        let _ = write!(s, "<p class=\"notes\">{}</p>", escape(&plan.notes));
    }
    s.push_str("</header>");
    summary(ctx, &mut s);
    let d = diagram::build(plan, report);
    let _ = write!(
        s,
        "<section class=\"diagram-section\"><h2>Diagram</h2>{}</section>",
        diagram::to_svg(&d, &Highlight::default(), &title)
    );
    findings(ctx, report, &mut s);
    flows(ctx, analysis.flows(), &mut s);
    route_tables(ctx, routing, tables, &mut s);
    matrix(ctx, routing, analysis.flows(), &mut s);
    bandwidth(ctx, &mut s);
    grants(ctx, &mut s);
    comments(plan, ctx, &mut s);
    s.push_str("</main></body></html>\n");
    s
}

fn summary(ctx: &Ctx<'_>, s: &mut String) {
    let plan = ctx.plan;
    s.push_str("<section><h2>Summary</h2><table><thead><tr><th>Area</th><th>Region</th><th>VPCs</th><th>VBRs</th><th>Offices</th></tr></thead><tbody>");
    let mut rows: BTreeMap<(Option<Area>, String), (usize, usize, usize)> = BTreeMap::new();
    for v in &plan.vpcs {
        rows.entry((ctx.region_area(&v.region), v.region.clone())).or_default().0 += 1;
    }
    for v in &plan.vbrs {
        rows.entry((ctx.region_area(&v.region), v.region.clone())).or_default().1 += 1;
    }
    for g in &plan.customer_gateways {
        rows.entry((ctx.region_area(&g.region), g.region.clone())).or_default().2 += 1;
    }
    for ((area, region), (vpcs, vbrs, offices)) in rows {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{vpcs}</td><td>{vbrs}</td><td>{offices}</td></tr>",
            area.map_or("unknown", |a| a.label()),
            escape(&region)
        );
    }
    s.push_str("</tbody></table>");
    if !plan.ccns.is_empty() {
        let _ = write!(s, "<p>{} CCN instances with {} SAG branches.</p>", plan.ccns.len(), plan.sags.len());
    }
    s.push_str("<h3>CEN instances</h3><table><thead><tr><th>CEN</th><th>Owner</th><th>Overlapping routes</th><th>Attached networks</th></tr></thead><tbody>");
    for c in &plan.cens {
        // A CEN created after the plan's date does not exist yet: it is listed as the plan has it, and
        // says so (PLAN-DATE-001), never with networks.
        let exists = ctx.cens().any(|e| e.id == c.id);
        let nets: Vec<String> = ctx.attached_networks(&c.id).iter().map(|n| escape(ctx.name(n.id))).collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(ctx.name(&c.id)),
            escape(ctx.name(&c.owner)),
            if c.overlapping_routes { "on" } else { "off" },
            if exists {
                nets.join(", ")
            } else {
                "none: created after the plan's date (PLAN-DATE-001)".into()
            }
        );
    }
    s.push_str("</tbody></table><h3>Accounts</h3><table><thead><tr><th>Account</th><th>UID</th></tr></thead><tbody>");
    for a in &plan.accounts {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"mono\">{}</td></tr>",
            escape(ctx.name(&a.id)),
            escape(&a.uid)
        );
    }
    s.push_str("</tbody></table></section>");
}

fn findings(ctx: &Ctx<'_>, report: &Report, s: &mut String) {
    s.push_str("<section><h2>Findings</h2>");
    if report.findings.is_empty() {
        s.push_str("<p>No findings.</p>");
    }
    for (sev, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Info"),
    ] {
        let items: Vec<_> = report.findings.iter().filter(|f| f.severity == sev).collect();
        if items.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "<h3 class=\"{}\">{title} ({})</h3><ul class=\"findings\">",
            sev.as_str(),
            items.len()
        );
        for f in items {
            let at = f
                .entity
                .as_ref()
                .map(|e| format!("{} {}", e.kind.label(), ctx.name(&e.id)))
                .unwrap_or_default();
            let _ = write!(
                s,
                "<li class=\"{}\"><span class=\"code\">{}</span> {}<br><span class=\"where\">{}</span><br><span class=\"fix\">Fix: {}</span></li>",
                sev.as_str(),
                f.code,
                escape(&f.message),
                escape(&at),
                escape(&f.fix_text())
            );
        }
        s.push_str("</ul>");
    }
    if !report.waived.is_empty() {
        let _ = write!(s, "<h3>Waived ({})</h3><ul class=\"findings waived\">", report.waived.len());
        for w in &report.waived {
            let _ = write!(
                s,
                "<li><span class=\"code\">{}</span> {}<br><span class=\"fix\">Waived: {}</span></li>",
                w.finding.code,
                escape(&w.finding.message),
                escape(&w.reason)
            );
        }
        s.push_str("</ul>");
    }
    s.push_str("</section>");
}

fn route_tables(ctx: &Ctx<'_>, routing: &DataPlane<'_>, tables: RouteTables, s: &mut String) {
    s.push_str("<section class=\"routes\"><h2>Route tables</h2>");
    let ids: Vec<&String> = ctx
        .plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(ctx.plan.vbrs.iter().map(|v| &v.id))
        .chain(ctx.plan.ccns.iter().map(|c| &c.id))
        .collect();
    let built: Vec<_> = ids.iter().map(|id| routing.table(id)).collect();
    let rows: usize = built.iter().map(|t| t.routes.len()).sum();
    if tables == RouteTables::Auto && rows > FULL_ROUTES_UP_TO {
        route_summary(ctx, &ids, &built, rows, s);
    } else {
        for (id, t) in ids.iter().zip(&built) {
            let _ = write!(
                s,
                "<h3>{}</h3><table><thead><tr><th>Destination</th><th>Next hop</th><th>Origin</th><th>Status</th></tr></thead><tbody>",
                escape(ctx.name(id))
            );
            for r in &t.routes {
                let hop = r.next_hop.describe(ctx);
                let status = r.inactive.as_ref().map_or_else(|| "active".to_string(), |why| why.describe(ctx));
                let _ = write!(
                    s,
                    "<tr class=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    if r.inactive.is_none() { "active" } else { "inactive" },
                    r.prefix,
                    escape(&hop),
                    r.origin.as_str(),
                    escape(&status)
                );
            }
            s.push_str("</tbody></table>");
        }
    }
    s.push_str("</section>");
}

/// How many routes not in use a summary row lists before "and N more".
const NOT_USED_SHOWN: usize = 8;

/// One row per network: its routes, how many are active and learned through CEN, and the routes it
/// does not use with the reason (the rows a reviewer looks for), the first few listed.
fn route_summary(
    ctx: &Ctx<'_>,
    ids: &[&String],
    built: &[std::sync::Arc<crate::core::dataplane::RouteTable>],
    rows: usize,
    s: &mut String,
) {
    let _ = write!(
        s,
        "<p class=\"routes-summary\">{rows} routes in {} networks: each network in one row. The full tables are on demand: \
         <em>Report ▸ Report with full route tables</em> in the app, <code>cen-planner report --full-routes</code>, \
         or one network's table with <code>cen-planner routes PLAN --network ID</code>.</p>",
        ids.len()
    );
    s.push_str(
        "<table><thead><tr><th>Network</th><th>Routes</th><th>Active</th><th>Learned from CEN</th><th>Not used</th></tr></thead><tbody>",
    );
    for (id, t) in ids.iter().zip(built) {
        let active = t.routes.iter().filter(|r| r.inactive.is_none()).count();
        let learned = t
            .routes
            .iter()
            .filter(|r| r.inactive.is_none() && r.origin == crate::core::dataplane::Origin::Cen)
            .count();
        let unused: Vec<_> = t.routes.iter().filter(|r| r.inactive.is_some()).collect();
        let mut not_used = String::new();
        for r in unused.iter().take(NOT_USED_SHOWN) {
            if let Some(why) = &r.inactive {
                let _ = write!(
                    not_used,
                    "<li><span class=\"mono\">{}</span>: {}</li>",
                    r.prefix,
                    escape(&why.describe(ctx))
                );
            }
        }
        if unused.len() > NOT_USED_SHOWN {
            let _ = write!(not_used, "<li>and {} more</li>", unused.len() - NOT_USED_SHOWN);
        }
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{active}</td><td>{learned}</td><td>{}</td></tr>",
            escape(ctx.name(id)),
            t.routes.len(),
            if unused.is_empty() {
                "—".to_string()
            } else {
                format!("<ul>{not_used}</ul>")
            }
        );
    }
    s.push_str("</tbody></table>");
}

/// The declared flows, each with its state in `explain`'s words, the pair that decides it and the fix.
fn flows(ctx: &Ctx<'_>, checks: &[crate::core::flows::FlowCheck], s: &mut String) {
    use crate::core::flows::FlowState;
    s.push_str("<section class=\"flows\"><h2>Declared flows</h2>");
    if checks.is_empty() {
        s.push_str("<p>No flows are declared: every pair of networks on a CEN is assumed to need to talk.</p></section>");
        return;
    }
    s.push_str("<table><thead><tr><th>Flow</th><th>State</th><th>Why</th><th>Fix</th></tr></thead><tbody>");
    for c in checks {
        let t = crate::core::explain::flow(ctx, c);
        let class = match c.state {
            FlowState::Met => "ok",
            FlowState::Broken | FlowState::Open => "error",
            _ => "warning",
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&t.title),
            escape(&t.state),
            escape(t.detail.as_deref().unwrap_or("")),
            escape(t.fix.as_deref().unwrap_or(""))
        );
    }
    s.push_str("</tbody></table></section>");
}

fn matrix(ctx: &Ctx<'_>, routing: &DataPlane<'_>, checks: &[crate::core::flows::FlowCheck], s: &mut String) {
    let matrix = crate::core::matrix::Matrix::new(routing);
    let declared = matrix.declared(checks);
    let crate::core::matrix::Matrix { endpoints: eps, cells: m } = &matrix;
    s.push_str(
        "<section class=\"matrix\"><h2>Reachability</h2><p>Rows reach columns, replies included: ✓ reachable both ways, ~ 1 Kbps test link only, ✗ not reachable (or one-way), ? undetermined (the plan does not make the choice that decides it).",
    );
    if !declared.is_empty() {
        s.push_str(
            " R marks a pair a required flow joins, F a pair a forbidden flow separates (the cell's title says whether the flow is met).",
        );
    }
    s.push_str("</p><table><thead><tr><th></th>");
    for (i, _) in eps.iter().enumerate() {
        let _ = write!(s, "<th>{}</th>", i + 1);
    }
    s.push_str("</tr></thead><tbody>");
    for (i, row) in m.iter().enumerate() {
        let _ = write!(s, "<tr><th>{} {}</th>", i + 1, escape(ctx.name(&eps[i].id)));
        for (j, d) in row.iter().enumerate() {
            let class = match d {
                Cell::Reachable => "ok",
                Cell::TestLinkOnly | Cell::Undetermined => "warning",
                Cell::Unreachable => "error",
            };
            let sym = crate::core::explain::cell_mark(*d);
            match declared.iter().find(|x| (x.row, x.col) == (i, j) || (x.row, x.col) == (j, i)) {
                Some(x) => {
                    let mark = match x.rule {
                        crate::core::model::FlowRule::Required => "R",
                        crate::core::model::FlowRule::Forbidden => "F",
                    };
                    let _ = write!(
                        s,
                        "<td class=\"{class}\" title=\"{}: {}\">{sym}<sup>{mark}</sup></td>",
                        escape(&crate::core::explain::flow_title(ctx, &x.flow)),
                        crate::core::explain::flow_state(x.rule, x.state)
                    );
                }
                None => {
                    let _ = write!(s, "<td class=\"{class}\">{sym}</td>");
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></section>");
}

fn bandwidth(ctx: &Ctx<'_>, s: &mut String) {
    let plan = ctx.plan;
    s.push_str("<section><h2>Bandwidth budget</h2>");
    for cen in ctx.cens() {
        // Region pairs that need a connection: attached VPC/VBR networks in different regions.
        let regions: BTreeSet<&str> = ctx
            .attached_networks(&cen.id)
            .iter()
            .filter(|n| n.kind != NetKind::Ccn)
            .filter_map(|n| n.region)
            .collect();
        let regions: Vec<&str> = regions.into_iter().collect();
        let mut needed: BTreeSet<(String, String)> = BTreeSet::new();
        for (i, a) in regions.iter().enumerate() {
            for b in &regions[i + 1..] {
                needed.insert((a.to_string(), b.to_string()));
            }
        }
        let pair = |a: &str, b: &str| {
            let (x, y) = (ctx.region_area(a), ctx.region_area(b));
            match (x, y) {
                (Some(x), Some(y)) if x <= y => Some((x, y)),
                (Some(x), Some(y)) => Some((y, x)),
                _ => None,
            }
        };
        let _ = write!(
            s,
            "<h3>CEN {}</h3><table><thead><tr><th>Area pair</th><th>Bought (Mbps)</th><th>Allocated (Mbps)</th><th>Region pairs needing it</th></tr></thead><tbody>",
            escape(ctx.name(&cen.id))
        );
        let mut area_pairs: BTreeSet<(Area, Area)> = needed.iter().filter_map(|(a, b)| pair(a, b)).collect();
        for p in plan.bandwidth_packages.iter().filter(|p| p.cen.as_deref() == Some(cen.id.as_str())) {
            area_pairs.insert(if p.area_a <= p.area_b {
                (p.area_a, p.area_b)
            } else {
                (p.area_b, p.area_a)
            });
        }
        for (x, y) in &area_pairs {
            // The package CEN uses for the pair (a second one is refused, CEN-BWP-004).
            let bought: u32 = ctx.package(&cen.id, *x, *y).map_or(0, |p| p.mbps);
            let allocated: u32 = plan
                .region_bandwidths
                .iter()
                .filter(|r| r.cen == cen.id && pair(&r.region_a, &r.region_b) == Some((*x, *y)))
                .map(|r| r.mbps)
                .sum();
            let need = needed.iter().filter(|(a, b)| pair(a, b) == Some((*x, *y))).count();
            let class = if allocated > bought || (need > 0 && bought == 0) {
                " class=\"error\""
            } else {
                ""
            };
            let _ = write!(
                s,
                "<tr{class}><td>{}–{}</td><td>{bought}</td><td>{allocated}</td><td>{need}</td></tr>",
                x.label(),
                y.label()
            );
        }
        s.push_str("</tbody></table><table><thead><tr><th>Region pair</th><th>Allocated (Mbps)</th><th>Needed</th></tr></thead><tbody>");
        let mut region_pairs: BTreeSet<(String, String)> = needed.clone();
        for r in plan.region_bandwidths.iter().filter(|r| r.cen == cen.id) {
            let (a, b) = if r.region_a <= r.region_b {
                (&r.region_a, &r.region_b)
            } else {
                (&r.region_b, &r.region_a)
            };
            region_pairs.insert((a.clone(), b.clone()));
        }
        for (a, b) in &region_pairs {
            let allocated: u32 = ctx.region_bandwidths(&cen.id, a, b).map(|r| r.mbps).sum();
            let need = needed.contains(&(a.clone(), b.clone()));
            let class = if need && allocated == 0 { " class=\"error\"" } else { "" };
            let _ = write!(
                s,
                "<tr{class}><td>{} ↔ {}</td><td>{}</td><td>{}</td></tr>",
                escape(a),
                escape(b),
                if allocated == 0 {
                    "none (1 Kbps test link)".to_string()
                } else {
                    allocated.to_string()
                },
                if need { "yes" } else { "no" }
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");
}

fn grants(ctx: &Ctx<'_>, s: &mut String) {
    s.push_str("<section><h2>Cross-account grants</h2><table><thead><tr><th>Network</th><th>Network owner</th><th>CEN</th><th>CEN owner UID</th><th>Grant</th></tr></thead><tbody>");
    let mut any = false;
    // The attachments that exist on the plan's date, as the rules read them (CEN-XACC-001).
    for a in ctx.attachments() {
        let (Some(net), Some(cen)) = (ctx.networks.get(a.network.as_str()), ctx.cen(&a.cen)) else {
            continue;
        };
        if !ctx.cross_account(net.owner, &cen.owner) {
            continue;
        }
        any = true;
        let uid = ctx.uid(&cen.owner).unwrap_or("");
        let ok = ctx.granted(net.id, cen);
        let _ = write!(
            s,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td></tr>",
            if ok { "ok" } else { "error" },
            escape(ctx.name(net.id)),
            escape(ctx.name(net.owner)),
            escape(ctx.name(&cen.id)),
            escape(uid),
            if ok { "☑ granted" } else { "☐ missing (CEN-XACC-001)" }
        );
    }
    if !any {
        s.push_str("<tr><td colspan=\"5\">No cross-account attachment.</td></tr>");
    }
    s.push_str("</tbody></table></section>");
}

/// The open comments of `plan` (the current plan: comments do not invalidate the analysis).
fn comments(plan: &Plan, ctx: &Ctx<'_>, s: &mut String) {
    let open: Vec<_> = plan.comments.iter().filter(|c| !c.resolved).collect();
    let _ = write!(s, "<section><h2>Open review comments ({})</h2>", open.len());
    if open.is_empty() {
        s.push_str("<p>None.</p>");
    } else {
        s.push_str("<ul class=\"comments\">");
        for c in open {
            let about = if c.code.is_empty() {
                ctx.name(&c.entity).to_string()
            } else {
                format!("{} on {}", c.code, ctx.name(&c.entity))
            };
            let by = if c.author.is_empty() {
                String::new()
            } else {
                format!(" — {}", c.author)
            };
            let _ = write!(s, "<li><b>{}</b>: {}{}</li>", escape(&about), escape(&c.text), escape(&by));
        }
        s.push_str("</ul>");
    }
    s.push_str("</section>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::examples;
    use crate::core::format::from_json;

    #[test]
    fn the_report_has_every_section_and_escapes_user_text() {
        let mut plan = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        plan.name = "Review <script>alert(1)</script>".into();
        plan.comments.push(crate::core::model::Comment {
            id: "comment-1".into(),
            entity: "vpc-1".into(),
            text: "Why /16 & not /20?".into(),
            ..Default::default()
        });
        let html = html(&plan, &analyse(&plan));
        for section in [
            "Summary",
            "Diagram",
            "Findings",
            "Route tables",
            "Reachability",
            "Bandwidth budget",
            "Cross-account grants",
            "Open review comments (1)",
        ] {
            assert!(
                html.contains(&format!("<h2>{section}</h2>")) || html.contains(&format!("<h2>{section}")),
                "{section}"
            );
        }
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("Review &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Why /16 &amp; not /20?"));
        assert!(
            html.contains("<td>Mainland China–North America</td><td>10</td><td>10</td><td>1</td>"),
            "bandwidth budget row"
        );
    }

    /// The app keeps its analysis when only comments change: the report reads them from the current plan.
    #[test]
    fn a_comment_added_after_the_analysis_is_in_the_report() {
        let mut plan = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        let analysis = analyse(&plan);
        plan.comments.push(crate::core::model::Comment {
            id: "comment-1".into(),
            entity: "vpc-1".into(),
            text: "Is 10 Mbps enough?".into(),
            ..Default::default()
        });
        assert!(crate::core::analysis::Analysis::inputs_equal(analysis.plan(), &plan));
        let html = html(&plan, &analysis);
        assert!(html.contains("Open review comments (1)"));
        assert!(html.contains("Is 10 Mbps enough?"));
    }

    #[test]
    fn declared_flows_have_their_section_and_marks_in_the_matrix() {
        let plan = from_json(examples::find("hub-and-spoke-forbidden-spokes").unwrap().json).unwrap();
        let html = html(&plan, &analyse(&plan));
        assert!(html.contains("<h2>Declared flows</h2>"));
        assert!(html.contains("<td class=\"error\">forbidden but open</td>"), "the open spoke flow");
        assert!(html.contains("<td class=\"ok\">met</td>"), "the hub flow");
        assert!(html.contains("<sup>F</sup>") && html.contains("<sup>R</sup>"));
        let plain = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        let html = super::html(&plain, &analyse(&plain));
        assert!(html.contains("No flows are declared"));
        assert!(!html.contains("<sup>"));
    }

    #[test]
    fn a_cen_created_after_the_plans_date_is_listed_without_networks_or_bandwidth() {
        let plan = crate::core::testing::plan()
            .as_of("2024-01-01")
            .cen("later")
            .created_on("2025-06-01")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "us-east-1", "10.2.0.0/16")
            .attach("t1", "later", "v1")
            .attach("t2", "later", "v2")
            .build();
        let html = html(&plan, &analyse(&plan));
        assert!(html.contains("none: created after the plan's date (PLAN-DATE-001)"), "{html}");
        let budget = &html[html.find("<h2>Bandwidth budget</h2>").unwrap()..];
        assert!(!budget.contains("later"), "no budget for a CEN that does not exist yet");
    }

    #[test]
    fn missing_grants_and_bandwidth_are_marked() {
        let mut plan = from_json(examples::find("seed-000-cross-account-cross-region").unwrap().json).unwrap();
        plan.grants.clear();
        plan.region_bandwidths.clear();
        let html = html(&plan, &analyse(&plan));
        assert!(html.contains("☐ missing (CEN-XACC-001)"));
        assert!(html.contains("none (1 Kbps test link)"));
    }

    #[test]
    fn a_big_plans_route_tables_are_one_row_per_network_and_in_full_on_demand() {
        let plan = crate::core::generate::generate(&crate::core::generate::GenOptions::typical());
        let a = crate::core::analysis::Analysis::new(plan.clone());
        let summary = html(&plan, &a);
        let full = html_with(&plan, &a, RouteTables::Full);
        let networks = plan.vpcs.len() + plan.vbrs.len() + plan.ccns.len();
        assert!(summary.contains("class=\"routes-summary\""));
        assert!(summary.contains(&format!(" routes in {networks} networks: each network in one row")));
        assert!(!full.contains("class=\"routes-summary\""));
        assert!(full.len() > 3 * summary.len(), "full {} vs summary {}", full.len(), summary.len());
        // A small plan shows its tables in full.
        let small = crate::core::testing::plan().build();
        assert!(!html(&small, &crate::core::analysis::Analysis::new(small.clone())).contains("routes-summary"));
    }
}
