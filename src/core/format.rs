//! The plan file: JSON with a format name and a version around the plan.
//!
//! ```json
//! { "format": "cen-planner-plan", "version": 1, "plan": { "name": "...", "vpcs": [ ... ] } }
//! ```
//!
//! Reading refuses what it cannot understand (not JSON, another format, a newer version, a field of
//! the wrong type, an unknown field, an empty or duplicated id) with a `LoadError` that says where.
//! Everything else, including references to ids that do not exist, loads and becomes a finding.
//! The same text is used for exported files and for the copy kept in browser storage.

use super::model::Plan;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// The `format` value of every plan file.
pub const FORMAT_NAME: &str = "cen-planner-plan";
/// The newest plan-file version this build reads and the one it writes.
pub const FORMAT_VERSION: u64 = 1;
/// Largest plan file accepted, in bytes (a 1,000-network plan is well under 5 MB).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// Why a plan file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The text is not valid JSON.
    Syntax,
    /// The JSON is not a CEN Planner plan (no or another `format`).
    NotAPlan,
    /// The file was written by a newer version of the app.
    NewerVersion,
    /// The version is missing or not a whole number.
    BadVersion,
    /// A value has the wrong type, or a field is unknown or missing.
    Shape,
    /// An id is empty or used twice.
    BadId,
    /// The file is larger than `MAX_FILE_BYTES`.
    TooLarge,
    /// The bytes are not UTF-8.
    Encoding,
}

/// A refused plan file: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadError {
    /// The kind of problem.
    pub kind: LoadErrorKind,
    /// What is wrong, for people.
    pub message: String,
    /// 1-based line, 0 when not known.
    pub line: usize,
    /// 1-based column, 0 when not known.
    pub column: usize,
    /// Path of the value at fault (`plan.vpcs[2].cidr`), empty when not known.
    pub path: String,
}

impl LoadError {
    fn new(kind: LoadErrorKind, message: String) -> LoadError {
        LoadError {
            kind,
            message,
            line: 0,
            column: 0,
            path: String::new(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}", self.line, self.column)?;
            if !self.path.is_empty() {
                write!(f, " (at {})", self.path)?;
            }
            write!(f, ": ")?;
        } else if !self.path.is_empty() {
            write!(f, "at {}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for LoadError {}

#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u64,
    plan: Plan,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    plan: &'a Plan,
}

/// Writes a plan as a version-1 plan file (pretty-printed JSON, ending with a new line).
pub fn to_json(plan: &Plan) -> String {
    let file = FileOut {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        plan,
    };
    // Serialising plain structs of strings, numbers and enums cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a plan file, or says why it cannot.
///
/// ```
/// use cen_planner::core::format::{from_json, to_json, LoadErrorKind};
/// use cen_planner::core::model::Plan;
/// let plan = Plan::new("Demo", "2019-09-19");
/// assert_eq!(from_json(&to_json(&plan)).unwrap(), plan);
/// let err = from_json(r#"{"format":"cen-planner-plan","version":9,"plan":{}}"#).unwrap_err();
/// assert_eq!(err.kind, LoadErrorKind::NewerVersion);
/// ```
pub fn from_json(text: &str) -> Result<Plan, LoadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(LoadError::new(
            LoadErrorKind::TooLarge,
            format!(
                "the file is {} MB; plan files are limited to {} MB",
                text.len() / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    // A byte-order mark is harmless: editors on Windows add one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header: Header = serde_json::from_str(text).map_err(|e| {
        let mut err = json_error(&e, String::new());
        if err.kind == LoadErrorKind::Shape {
            err.kind = LoadErrorKind::NotAPlan;
            err.message = "this is not a CEN Planner plan: a plan file is a JSON object with \"format\", \"version\" and \"plan\"".into();
        }
        err
    })?;
    match &header.format {
        Some(serde_json::Value::String(f)) if f == FORMAT_NAME => {}
        Some(other) => {
            return Err(LoadError::new(
                LoadErrorKind::NotAPlan,
                format!("this is not a CEN Planner plan: \"format\" is {other}, expected \"{FORMAT_NAME}\""),
            ))
        }
        None => {
            return Err(LoadError::new(
                LoadErrorKind::NotAPlan,
                format!("this is not a CEN Planner plan: it has no \"format\": \"{FORMAT_NAME}\" field"),
            ))
        }
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v > FORMAT_VERSION => {
            return Err(LoadError::new(
                LoadErrorKind::NewerVersion,
                format!(
                    "this plan was saved by a newer CEN Planner (plan format version {v}); this app reads versions up to {FORMAT_VERSION}. Open it with a newer version of the app."
                ),
            ))
        }
        Some(v) if v >= 1 => {}
        _ => {
            return Err(LoadError::new(
                LoadErrorKind::BadVersion,
                format!("\"version\" must be a whole number from 1 to {FORMAT_VERSION}, found {}", header.version.map_or("nothing".into(), |v| v.to_string())),
            ))
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let file: FileV1 = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(e.inner(), path)
    })?;
    check_ids(&file.plan)?;
    Ok(file.plan)
}

/// Reads a plan file from raw bytes: checks the size and the UTF-8 encoding first, then `from_json`.
pub fn from_bytes(bytes: &[u8]) -> Result<Plan, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::new(
            LoadErrorKind::TooLarge,
            format!(
                "the file is {} MB; plan files are limited to {} MB",
                bytes.len() / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        LoadError {
            line,
            column,
            ..LoadError::new(LoadErrorKind::Encoding, "the file is not valid UTF-8 text".into())
        }
    })?;
    from_json(text)
}

fn json_error(e: &serde_json::Error, path: String) -> LoadError {
    let kind = match e.classify() {
        serde_json::error::Category::Data => LoadErrorKind::Shape,
        _ => LoadErrorKind::Syntax,
    };
    // serde_json appends " at line L column C"; the position is reported separately.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let path = if path.is_empty() || path == "." { String::new() } else { path };
    LoadError {
        kind,
        message: msg,
        line: e.line(),
        column: e.column(),
        path,
    }
}

fn check_ids(plan: &Plan) -> Result<(), LoadError> {
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut err = None;
    plan.for_each_entity(|kind, i, id, _| {
        if err.is_some() {
            return;
        }
        let here = format!("plan.{}[{i}].id", kind.key());
        if id.trim().is_empty() {
            err = Some(LoadError {
                path: here,
                ..LoadError::new(LoadErrorKind::BadId, "the id is empty: every entity needs a unique id".into())
            });
        } else if let Some(first) = seen.get(id) {
            err = Some(LoadError {
                path: here,
                ..LoadError::new(
                    LoadErrorKind::BadId,
                    format!("the id \"{id}\" is used twice (first at {first}): ids must be unique across the plan"),
                )
            });
        } else {
            seen.insert(id, here);
        }
    });
    // `seen` borrows ids from `plan`; it is dropped before returning.
    err.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{VSwitch, Vpc};

    fn sample() -> Plan {
        let mut p = Plan::new("Sample \"quoted\" <b>", "2019-09-19");
        p.vpcs.push(Vpc {
            id: "vpc-1".into(),
            name: "A".into(),
            cidr: "10.0.0.0/16".into(),
            ..Vpc::default()
        });
        p.vswitches.push(VSwitch {
            id: "vsw-1".into(),
            vpc: "vpc-1".into(),
            cidr: "10.0.1.0/24".into(),
            ..VSwitch::default()
        });
        p
    }

    #[test]
    fn round_trip_is_the_identity() {
        let p = sample();
        let text = to_json(&p);
        assert!(text.starts_with("{\n  \"format\": \"cen-planner-plan\",\n  \"version\": 1,"));
        assert_eq!(from_json(&text).unwrap(), p);
        assert_eq!(to_json(&from_json(&text).unwrap()), text);
    }

    #[test]
    fn syntax_errors_say_line_and_column() {
        let e = from_json("{\n  \"format\": \"cen-planner-plan\",\n  \"version\": 1,\n  \"plan\": {,}\n}").unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Syntax);
        assert_eq!((e.line, e.column), (4, 12));
        assert!(e.to_string().starts_with("line 4, column 12: "), "{e}");
    }

    #[test]
    fn newer_versions_are_refused_clearly() {
        let e = from_json(r#"{"format":"cen-planner-plan","version":2,"plan":{"whatever":true}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::NewerVersion);
        assert!(e.message.contains("newer CEN Planner"));
        let e = from_json(r#"{"format":"cen-planner-plan","version":"1","plan":{}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::BadVersion);
        let e = from_json(r#"{"format":"cen-planner-plan","plan":{}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::BadVersion);
    }

    #[test]
    fn other_json_is_not_a_plan() {
        assert_eq!(from_json("[1,2]").unwrap_err().kind, LoadErrorKind::NotAPlan);
        assert_eq!(from_json("\"text\"").unwrap_err().kind, LoadErrorKind::NotAPlan);
        assert_eq!(from_json(r#"{"name":"x"}"#).unwrap_err().kind, LoadErrorKind::NotAPlan);
        assert_eq!(
            from_json(r#"{"format":"drawio","version":1}"#).unwrap_err().kind,
            LoadErrorKind::NotAPlan
        );
    }

    #[test]
    fn wrong_types_and_unknown_fields_name_the_path() {
        let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"vpcs":[{"id":"v","classiclink":"yes"}]}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Shape);
        assert_eq!(e.path, "plan.vpcs[0].classiclink");
        let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"vpc":[]}}"#).unwrap_err();
        assert!(e.message.contains("unknown field `vpc`"), "{e}");
    }

    #[test]
    fn empty_and_duplicate_ids_are_refused_with_their_place() {
        let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"vpcs":[{"id":"x"}],"cens":[{"id":"x"}]}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::BadId);
        assert_eq!(e.path, "plan.cens[0].id");
        assert!(e.message.contains("plan.vpcs[0].id"));
        let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"vpcs":[{"id":" "}]}}"#).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::BadId);
    }

    #[test]
    fn dangling_references_load() {
        let p = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"vswitches":[{"id":"vsw-1","vpc":"vpc-404"}]}}"#).unwrap();
        assert_eq!(p.vswitches[0].vpc, "vpc-404");
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_position() {
        let e = from_bytes(b"{\n  \"a\": \"caf\xe9\"}").unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Encoding);
        assert_eq!((e.line, e.column), (2, 12));
        assert_eq!(from_bytes(to_json(&sample()).as_bytes()).unwrap(), sample());
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let text = format!("\u{feff}{}", to_json(&sample()));
        assert_eq!(from_json(&text).unwrap(), sample());
    }
}
