//! `cen-planner`: the command-line twin of the app, for CI pipelines and reviewers.
//!
//! `cen-planner check PLAN.json` prints the findings for people (or `--format json` for machines).
//! Exit status: 0 when there is no error finding, 1 when there is at least one, 2 when the file
//! cannot be read or is not a plan this version understands.

use cen_planner::core::analysis::Analysis;
use cen_planner::core::explain;
use cen_planner::core::findings::Severity;
use cen_planner::core::flows::FlowState;
use cen_planner::core::format::{self, LoadError};
use cen_planner::core::generate::{generate, GenOptions};
use cen_planner::core::model::Plan;
use cen_planner::core::reach::Disposition;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cen-planner", version, about = "Check Alibaba Cloud CEN plans made with CEN Planner")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a plan file and print its findings (exit 0: no errors, 1: errors, 2: unreadable file).
    Check {
        /// The plan file (JSON, as exported by the app).
        plan: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the effective route table of every attached network, or of one.
    Routes {
        /// The plan file.
        plan: PathBuf,
        /// A VPC, VBR or CCN id (all networks when omitted).
        network: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Can A reach B, and B reach A? Prints the path, the bandwidth, or the blocking hop and the fix (exit 0 both ways, 1 otherwise).
    Reach {
        /// The plan file.
        plan: PathBuf,
        /// Source: a VPC, vSwitch, VBR, CCN, SAG branch, IPsec connection or customer gateway id.
        a: String,
        /// Destination, same kinds.
        b: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// The all-pairs reachability matrix of the plan's networks, offices and branches.
    Matrix {
        /// The plan file.
        plan: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Each declared flow: met, broken, forbidden but open, ... with the hop that decides it and the fix (exit 0 when every flow is met, 1 otherwise).
    Flows {
        /// The plan file.
        plan: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write the architecture-review report (self-contained HTML) of a plan.
    Report {
        /// The plan file.
        plan: PathBuf,
        /// Where to write the HTML (standard output when omitted).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Every network's full route table, however big the plan (a big plan's tables are otherwise one row per network).
        #[arg(long)]
        full_routes: bool,
    },
    /// What changed between two plans: entities, findings, routes and reachability (exit 0 when equal, 1 otherwise).
    Diff {
        /// The older plan.
        old: PathBuf,
        /// The newer plan.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a generated, realistic plan (for benchmarks and trials): regions over every area, VPCs,
    /// VBRs, CCN branches, IPsec offices, custom routes and a few deliberate conflicts.
    Generate {
        /// Attachable networks (VPCs, VBRs and CCNs together); default: the preset's.
        #[arg(long)]
        networks: Option<usize>,
        /// Prefixes advertised by each network (vSwitches, on-premises or branch CIDRs).
        #[arg(long)]
        cidrs: Option<usize>,
        /// Custom route entries.
        #[arg(long)]
        routes: Option<usize>,
        /// Regions used (at most the catalog's size).
        #[arg(long)]
        regions: Option<usize>,
        /// Seed: the same options and seed give the same plan.
        #[arg(long)]
        seed: Option<u64>,
        /// The preset the other options override.
        #[arg(long, value_enum, default_value_t = Preset::Typical)]
        preset: Preset,
        /// Output file (standard output when omitted).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of the plan file.
    #[cfg(feature = "schema")]
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Preset {
    /// 100 networks × 4 CIDRs, 100 custom routes, 12 regions.
    Typical,
    /// 1,000 networks × 20 CIDRs, 10,000 custom routes, 30 regions.
    Largest,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Readable text.
    Human,
    /// One JSON document.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { plan, format } => check(&plan, format),
        Command::Routes { plan, network, format } => with_plan(&plan, format, |p| routes_cmd(p, network.as_deref(), format)),
        Command::Reach { plan, a, b, format } => with_plan(&plan, format, |p| reach_cmd(p, &a, &b, format)),
        Command::Matrix { plan, format } => with_plan(&plan, format, |p| matrix_cmd(p, format)),
        Command::Flows { plan, format } => with_plan(&plan, format, |p| flows_cmd(p, format)),
        Command::Report { plan, output, full_routes } => with_plan(&plan, Format::Human, |p| {
            use cen_planner::core::report::{html_with, RouteTables};
            let html = html_with(p.plan(), p, if full_routes { RouteTables::Full } else { RouteTables::Auto });
            match output {
                Some(path) => std::fs::write(&path, html)
                    .map(|_| (format!("wrote {}\n", path.display()), 0))
                    .map_err(|e| format!("cannot write {}: {e}", path.display())),
                None => Ok((html, 0)),
            }
        }),
        Command::Diff { old, new, format } => {
            let old_plan = match load(&old) {
                Ok(p) => p,
                Err(e) => return with_plan(&old, format, |_| Err(e)),
            };
            let old_analysis = Analysis::new(old_plan);
            with_plan(&new, format, |p| diff_cmd(&old_analysis, p, format))
        }
        Command::Generate {
            networks,
            cidrs,
            routes,
            regions,
            seed,
            preset,
            output,
        } => {
            let base = match preset {
                Preset::Typical => GenOptions::typical(),
                Preset::Largest => GenOptions::largest(),
            };
            let options = GenOptions {
                networks: networks.unwrap_or(base.networks),
                cidrs_per_network: cidrs.unwrap_or(base.cidrs_per_network),
                custom_routes: routes.unwrap_or(base.custom_routes),
                regions: regions.unwrap_or(base.regions),
                seed: seed.unwrap_or(base.seed),
                ..base
            };
            generate_cmd(&options, output.as_deref())
        }
        #[cfg(feature = "schema")]
        Command::Schema => {
            println!("{}", cen_planner::core::schema::plan_file_schema());
            ExitCode::SUCCESS
        }
    }
}

fn generate_cmd(options: &GenOptions, output: Option<&Path>) -> ExitCode {
    let text = format::to_json(&generate(options));
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("cen-planner: {}: cannot write: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    ExitCode::SUCCESS
}

fn check(path: &Path, fmt: Format) -> ExitCode {
    let plan = match load(path) {
        Ok(plan) => plan,
        Err(message) => {
            match fmt {
                Format::Human => eprintln!("cen-planner: {}: {message}", path.display()),
                Format::Json => {
                    let v = serde_json::json!({ "file": path.display().to_string(), "error": message });
                    println!("{v}");
                }
            }
            return ExitCode::from(2);
        }
    };
    let analysis = Analysis::new(plan);
    let out = match fmt {
        Format::Human => human(path, &analysis),
        Format::Json => json(path, &analysis),
    };
    let report = analysis.report();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    let code = if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    exit_without_freeing(analysis);
    code
}

/// The process ends next: freeing every string of a large plan one by one would only delay the exit
/// (the system takes the memory back at once), as rustc and ripgrep also do.
fn exit_without_freeing(analysis: Analysis) {
    std::mem::forget(analysis);
}

/// Loads and analyses the plan (exit 2 when it cannot be read), runs `f`, prints its output and returns its exit code.
fn with_plan(path: &Path, fmt: Format, f: impl FnOnce(&Analysis) -> Result<(String, u8), String>) -> ExitCode {
    let result = load(path).and_then(|plan| {
        let analysis = Analysis::new(plan);
        let result = f(&analysis);
        exit_without_freeing(analysis);
        result
    });
    match result {
        Ok((out, code)) => {
            let _ = std::io::stdout().write_all(out.as_bytes());
            ExitCode::from(code)
        }
        Err(message) => {
            match fmt {
                Format::Human => eprintln!("cen-planner: {}: {message}", path.display()),
                Format::Json => println!("{}", serde_json::json!({ "file": path.display().to_string(), "error": message })),
            }
            ExitCode::from(2)
        }
    }
}

fn routes_cmd(analysis: &Analysis, network: Option<&str>, fmt: Format) -> Result<(String, u8), String> {
    let (plan, routing, ctx) = (analysis.plan(), analysis.dataplane(), analysis.facts());
    let ids: Vec<String> = match network {
        Some(id) => {
            if !ctx.networks.contains_key(id) {
                return Err(format!("{id} is not a VPC, VBR or CCN of this plan"));
            }
            vec![id.to_string()]
        }
        None => plan
            .vpcs
            .iter()
            .map(|v| v.id.clone())
            .chain(plan.vbrs.iter().map(|v| v.id.clone()))
            .chain(plan.ccns.iter().map(|c| c.id.clone()))
            .collect(),
    };
    let tables: Vec<_> = ids.iter().map(|id| routing.table(id)).collect();
    if let Format::Json = fmt {
        let v: Vec<_> = tables.iter().map(|t| t.as_ref().clone()).collect();
        return Ok((format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()), 0));
    }
    let mut s = String::new();
    for t in tables {
        let cen = t
            .cen
            .as_deref()
            .map(|c| format!(" (CEN {})", ctx.name(c)))
            .unwrap_or_else(|| " (not in a CEN)".into());
        s.push_str(&format!("{} {}{cen}\n", ctx.name(&t.network), t.network));
        for r in &t.routes {
            let status = match &r.inactive {
                None => "active".to_string(),
                Some(why) => why.describe(ctx),
            };
            s.push_str(&format!(
                "  {:<18} {:<40} {:<17} {status}\n",
                r.prefix.to_string(),
                r.next_hop.describe(ctx),
                r.origin.as_str()
            ));
        }
    }
    Ok((s, 0))
}

fn reach_cmd(analysis: &Analysis, a: &str, b: &str, fmt: Format) -> Result<(String, u8), String> {
    let ctx = analysis.facts();
    let r = analysis.reach(a, b)?;
    let code = if r.forward.disposition == Disposition::Reachable && r.back.disposition == Disposition::Reachable {
        0
    } else {
        1
    };
    let out = match fmt {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&r).unwrap_or_default()),
        Format::Human => format!(
            "{}{}{}\n",
            explain::trace(ctx, &r.forward).to_text(),
            explain::trace(ctx, &r.back).to_text(),
            explain::result(&r)
        ),
    };
    Ok((out, code))
}

fn matrix_cmd(analysis: &Analysis, fmt: Format) -> Result<(String, u8), String> {
    let (routing, ctx) = (analysis.dataplane(), analysis.facts());
    let matrix = cen_planner::core::matrix::Matrix::new(routing);
    let declared = matrix.declared(analysis.flows());
    let cen_planner::core::matrix::Matrix { endpoints: eps, cells: m } = &matrix;
    if let Format::Json = fmt {
        let mut v = serde_json::json!({ "endpoints": eps.iter().map(|e| &e.id).collect::<Vec<_>>(), "matrix": m });
        if !declared.is_empty() {
            v["declared"] = serde_json::to_value(&declared).unwrap_or_default();
        }
        return Ok((format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()), 0));
    }
    let mut s = format!("{}\n", explain::MATRIX_LEGEND);
    for (i, e) in eps.iter().enumerate() {
        s.push_str(&format!("{:>3} {}\n", i + 1, ctx.name(&e.id)));
    }
    s.push_str("    ");
    for j in 0..eps.len() {
        s.push_str(&format!("{:>3}", j + 1));
    }
    s.push('\n');
    for (i, row) in m.iter().enumerate() {
        s.push_str(&format!("{:>3} ", i + 1));
        for d in row {
            s.push_str(&format!("  {}", explain::cell_mark(*d)));
        }
        s.push('\n');
    }
    if !declared.is_empty() {
        s.push_str("declared flows (row ↔ column):\n");
        for d in &declared {
            s.push_str(&format!(
                "  {} ↔ {} {}: {}\n",
                d.row + 1,
                d.col + 1,
                explain::flow_title(ctx, &d.flow),
                explain::flow_state(d.rule, d.state)
            ));
        }
    }
    Ok((s, 0))
}

fn diff_cmd(old: &Analysis, new: &Analysis, fmt: Format) -> Result<(String, u8), String> {
    let d = cen_planner::core::diff::diff((old.plan(), old), (new.plan(), new));
    let code = if d.is_empty() { 0 } else { 1 };
    if let Format::Json = fmt {
        return Ok((format!("{}\n", serde_json::to_string_pretty(&d).unwrap_or_default()), code));
    }
    let (octx, nctx) = (old.facts(), new.facts());
    let mut s = String::new();
    for (title, list) in [("added", &d.added), ("removed", &d.removed), ("changed", &d.changed)] {
        for e in list {
            let fields = if e.fields.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.fields.join(", "))
            };
            s.push_str(&format!("{title} {} {} {}{fields}\n", e.kind.label(), e.id, e.name));
        }
    }
    for f in &d.findings_appeared {
        s.push_str(&format!("new finding {} {}: {}\n", f.severity.as_str(), f.code, f.message));
    }
    for f in &d.findings_gone {
        s.push_str(&format!("finding gone {} {}: {}\n", f.severity.as_str(), f.code, f.message));
    }
    for r in &d.routes_gained {
        s.push_str(&format!("route gained in {}: {}\n", nctx.name(&r.network), r.route));
    }
    for r in &d.routes_lost {
        s.push_str(&format!("route lost in {}: {}\n", octx.name(&r.network), r.route));
    }
    for r in &d.reachability {
        let name = |id: &str| {
            if nctx.index.get(id).is_some() {
                nctx.name(id).to_string()
            } else {
                octx.name(id).to_string()
            }
        };
        s.push_str(&format!(
            "{} → {}: {} → {}\n",
            name(&r.from),
            name(&r.to),
            explain::cell(r.before),
            explain::cell(r.after)
        ));
    }
    if d.is_empty() {
        s.push_str("no differences\n");
    }
    Ok((s, code))
}

/// Reads and parses a plan file; the message says what went wrong and where.
fn load(path: &Path) -> Result<Plan, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    format::from_bytes(&bytes).map_err(|e: LoadError| e.to_string())
}

/// The declared flows in words, one block each (empty when the plan declares none).
fn flows_text(analysis: &Analysis) -> String {
    let ctx = analysis.facts();
    analysis.flows().iter().map(|c| explain::flow(ctx, c).to_text()).collect()
}

/// The declared flows as JSON: id, title, state (word and kind), detail and fix.
fn flows_json(analysis: &Analysis) -> Vec<serde_json::Value> {
    let ctx = analysis.facts();
    analysis
        .flows()
        .iter()
        .map(|c| {
            let t = explain::flow(ctx, c);
            serde_json::json!({
                "id": t.id,
                "title": t.title,
                "state": c.state,
                "words": t.state,
                "pairs": c.pairs,
                "bandwidth_mbps": c.bandwidth_mbps,
                "detail": t.detail,
                "fix": t.fix,
            })
        })
        .collect()
}

fn flows_cmd(analysis: &Analysis, fmt: Format) -> Result<(String, u8), String> {
    let all_met = analysis.flows().iter().all(|c| c.state == FlowState::Met);
    let code = u8::from(!all_met);
    let out = match fmt {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&flows_json(analysis)).unwrap_or_default()),
        Format::Human if analysis.flows().is_empty() => {
            "no declared flows: every pair of networks on a CEN is assumed to need to talk\n".to_string()
        }
        Format::Human => flows_text(analysis),
    };
    Ok((out, code))
}

fn human(path: &Path, analysis: &Analysis) -> String {
    let (plan, report) = (analysis.plan(), analysis.report());
    let mut s = String::new();
    for f in &report.findings {
        s.push_str(&format!("{} {}: {}\n", f.severity.as_str(), f.code, f.message));
        if let Some(e) = &f.entity {
            let field = f.field.map(|x| format!(", field {x}")).unwrap_or_default();
            s.push_str(&format!("  at {} {}{field}\n", e.kind.key(), e.id));
        }
        if !f.fix.is_empty() {
            s.push_str(&format!("  fix: {}\n", f.fix_text()));
        }
    }
    for w in &report.waived {
        let f = &w.finding;
        let at = f
            .entity
            .as_ref()
            .map(|e| format!(" at {} {}", e.kind.key(), e.id))
            .unwrap_or_default();
        s.push_str(&format!(
            "waived {} {}{at}: {} (waiver {}: {})\n",
            f.severity.as_str(),
            f.code,
            f.message,
            w.waiver,
            w.reason
        ));
    }
    if !analysis.flows().is_empty() {
        s.push_str("flows:\n");
        for line in flows_text(analysis).lines() {
            s.push_str(&format!("  {line}\n"));
        }
    }
    let name = if plan.name.is_empty() {
        String::new()
    } else {
        format!(" ({})", plan.name)
    };
    s.push_str(&format!(
        "{}{name}: {} entities, {} errors, {} warnings, {} info, {} waived\n",
        path.display(),
        plan.entity_count(),
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.waived.len()
    ));
    s
}

fn json(path: &Path, analysis: &Analysis) -> String {
    let (plan, report) = (analysis.plan(), analysis.report());
    // The fixes the plan can express, as edits, by position in "findings".
    let fixes: Vec<serde_json::Value> = report
        .findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let edits = analysis.fix_edits(f);
            (!edits.is_empty()).then(|| serde_json::json!({ "finding": i, "edits": edits }))
        })
        .collect();
    let mut v = serde_json::json!({
        "file": path.display().to_string(),
        "plan": plan.name,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
            "waived": report.waived.len(),
        },
        "findings": report.findings,
        "fixes": fixes,
        "waived": report.waived,
    });
    if !analysis.flows().is_empty() {
        v["flows"] = serde_json::Value::Array(flows_json(analysis));
    }
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
