//! `cen-planner`: the command-line twin of the app, for CI pipelines and reviewers.
//!
//! `cen-planner check PLAN.json` prints the findings for people (or `--format json` for machines).
//! Exit status: 0 when there is no error finding, 1 when there is at least one, 2 when the file
//! cannot be read or is not a plan this version understands.

use cen_planner::core::findings::{Report, Severity};
use cen_planner::core::format::{self, LoadError};
use cen_planner::core::model::Plan;
use cen_planner::core::rules;
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
    /// Print the JSON Schema of the plan file.
    #[cfg(feature = "schema")]
    Schema,
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
        #[cfg(feature = "schema")]
        Command::Schema => {
            println!("{}", cen_planner::core::schema::plan_file_schema());
            ExitCode::SUCCESS
        }
    }
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
    let report = rules::check(&plan);
    let out = match fmt {
        Format::Human => human(path, &plan, &report),
        Format::Json => json(path, &plan, &report),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads and parses a plan file; the message says what went wrong and where.
fn load(path: &Path) -> Result<Plan, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    format::from_bytes(&bytes).map_err(|e: LoadError| e.to_string())
}

fn human(path: &Path, plan: &Plan, report: &Report) -> String {
    let mut s = String::new();
    for f in &report.findings {
        s.push_str(&format!("{} {}: {}\n", f.severity.as_str(), f.code, f.message));
        if let Some(e) = &f.entity {
            let field = f.field.map(|x| format!(", field {x}")).unwrap_or_default();
            s.push_str(&format!("  at {} {}{field}\n", e.kind.key(), e.id));
        }
        if !f.fix.is_empty() {
            s.push_str(&format!("  fix: {}\n", f.fix));
        }
    }
    let name = if plan.name.is_empty() {
        String::new()
    } else {
        format!(" ({})", plan.name)
    };
    s.push_str(&format!(
        "{}{name}: {} entities, {} errors, {} warnings, {} info\n",
        path.display(),
        plan.entity_count(),
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info)
    ));
    s
}

fn json(path: &Path, plan: &Plan, report: &Report) -> String {
    let v = serde_json::json!({
        "file": path.display().to_string(),
        "plan": plan.name,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
        },
        "findings": report.findings,
    });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
