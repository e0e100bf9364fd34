//! The plan file: JSON with a format name and a version around the plan.
//!
//! ```json
//! { "format": "cen-planner-plan", "version": 1, "plan": { "name": "...", "vpcs": [ ... ] } }
//! ```
//!
//! Reading refuses what it cannot understand (not JSON, another format, a newer version, a field of
//! the wrong type, an unknown field, a key given twice, a number too large, an empty or duplicated id)
//! with a `LoadError` that says where. Everything else, including references to ids that do not
//! exist, loads and becomes a finding. The same text is used for exported files; the copy kept in
//! browser storage is this text compressed by `core::stored`.
//!
//! Duplicate keys cost nothing extra: every object of a plan file is a struct derived with
//! `deny_unknown_fields` (no maps, no `serde_json::Value` below the header), and serde's derived
//! visitor refuses a field it has already seen. `tests/hostile.rs` checks, through the JSON Schema,
//! that every object stays closed; a map added to the model must come with its own duplicate check.

use super::model::{Kind, Plan};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// The `format` value of every plan file.
pub const FORMAT_NAME: &str = "cen-planner-plan";
/// The newest plan-file version this build reads and the one it writes.
pub const FORMAT_VERSION: u64 = 3;
/// Largest plan file accepted, in MB (of 1,048,576 bytes).
pub const MAX_FILE_MB: usize = 32;
/// Largest plan file accepted, in bytes (a 1,000-network plan is well under 5 MB).
pub const MAX_FILE_BYTES: usize = MAX_FILE_MB * 1024 * 1024;
/// serde_json's nesting limit; a plan file needs five levels.
const MAX_DEPTH: usize = 128;

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
    /// A value has the wrong type or is out of range, or a field is unknown, missing or given twice.
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

    fn at(self, path: &str) -> LoadError {
        LoadError { path: path.into(), ..self }
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

/// Every version of the plan file and what it changed; `migrate` applies the steps in order.
///
/// | version | change |
/// |---|---|
/// | 1 | first version |
/// | 2 | adds `layout` (diagram positions), `comments` and `waivers` |
/// | 3 | adds declared `flows`, endpoint `groups`, `sites` and `route_maps` |
pub const VERSIONS: &[(u64, &str)] = &[
    (1, "first version"),
    (2, "adds layout (diagram positions), comments and waivers"),
    (3, "adds declared flows, endpoint groups, sites and route maps"),
];

// Each version's plan is read into today's `Plan` (every field added since has a default), then
// migrated step by step.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    format: String,
    version: u64,
    plan: Plan,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    plan: &'a Plan,
}

/// Writes a plan as a plan file of the current version (pretty-printed JSON, ending with a new line).
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
        return Err(too_large(text.len()));
    }
    // A byte-order mark is harmless: editors on Windows add one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let not_a_plan = "this is not a CEN Planner plan: a plan file is a JSON object with \"format\", \"version\" and \"plan\"";
    let body = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if body.is_empty() {
        return Err(LoadError::new(
            LoadErrorKind::Syntax,
            "the file is empty (or only white space)".into(),
        ));
    }
    if body.starts_with('[') {
        // serde would read an array as the fields in order; a plan file is an object.
        let skipped = &text[..text.len() - body.len()];
        return Err(LoadError {
            line: skipped.matches('\n').count() + 1,
            column: skipped.len() - skipped.rfind('\n').map_or(0, |i| i + 1) + 1,
            ..LoadError::new(LoadErrorKind::NotAPlan, format!("{not_a_plan}, not an array"))
        });
    }
    // The fast path: one pass without path tracking. Any problem (or a header to refuse) is read
    // again below by the careful path, which names the place.
    if let Ok(file) = serde_json::from_str::<FileIn>(text) {
        if file.format == FORMAT_NAME && (1..=FORMAT_VERSION).contains(&file.version) {
            let plan = migrate(file.plan, file.version)?;
            check_ids(&plan)?;
            return Ok(plan);
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let header = tracked::<Header>(&mut de)
        .and_then(|h| de.end().map(|()| h).map_err(|e| (e, String::new())))
        .map_err(|(e, path)| {
            let mut err = json_error(&e, path);
            if err.kind == LoadErrorKind::Syntax {
                // A syntax error anywhere in the file surfaces here; its place is the line and column.
                err.path.clear();
            } else if err.path == "version" && err.message.starts_with(TOO_LARGE_NUMBER) {
                err.kind = LoadErrorKind::BadVersion;
                err.message = format!("\"version\" must be a whole number from 1 to {FORMAT_VERSION}; this number is too large to read");
            } else if !err.message.starts_with(DUPLICATE_KEY) && !err.message.starts_with(TOO_LARGE_NUMBER) {
                err.kind = LoadErrorKind::NotAPlan;
                err.message = not_a_plan.into();
                err.path.clear();
            }
            err
        })?;
    match &header.format {
        Some(serde_json::Value::String(f)) if f == FORMAT_NAME => {}
        Some(other) => {
            return Err(LoadError::new(
                LoadErrorKind::NotAPlan,
                format!("this is not a CEN Planner plan: \"format\" is {other}, expected \"{FORMAT_NAME}\""),
            )
            .at("format"))
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
            )
            .at("version"))
        }
        Some(v) if v >= 1 => {}
        _ => {
            return Err(LoadError::new(
                LoadErrorKind::BadVersion,
                format!("\"version\" must be a whole number from 1 to {FORMAT_VERSION}, found {}", header.version.map_or("nothing".into(), |v| v.to_string())),
            )
            .at("version"))
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let file: FileIn = tracked(&mut de).map_err(|(e, path)| json_error(&e, path))?;
    let plan = migrate(file.plan, file.version)?;
    check_ids(&plan)?;
    Ok(plan)
}

/// Reads a `T`, with the path of the value at fault when it cannot (feature `error-paths`, on in the
/// CLI, the tests and the analysis worker). The app's page is built without it: path tracking doubles
/// the code of every entity's reader, and the line and column still say where the problem is.
fn tracked<'de, T: Deserialize<'de>>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
) -> Result<T, (serde_json::Error, String)> {
    #[cfg(feature = "error-paths")]
    let read = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        (e.into_inner(), path)
    });
    #[cfg(not(feature = "error-paths"))]
    let read = T::deserialize(de).map_err(|e| (e, String::new()));
    read
}

/// Brings a plan read from a file of version `from` to the current version, one step at a time.
pub fn migrate(mut plan: Plan, from: u64) -> Result<Plan, LoadError> {
    let mut version = from;
    while version < FORMAT_VERSION {
        // One arm per step; later versions add theirs.
        match version {
            // 1 → 2: the new lists start empty; a version-1 file cannot have them.
            1 => {
                let newer = [
                    ("layout", !plan.layout.is_empty()),
                    ("comments", !plan.comments.is_empty()),
                    ("waivers", !plan.waivers.is_empty()),
                ];
                if let Some((field, _)) = newer.iter().find(|(_, present)| *present) {
                    return Err(LoadError::new(
                        LoadErrorKind::Shape,
                        format!("a version-1 plan file cannot have \"{field}\" (added in version 2): fix the version or remove the field"),
                    )
                    .at(&format!("plan.{field}")));
                }
            }
            // 2 → 3: the new lists (flows, groups, ...) default to empty; nothing else changes.
            2 => plan = v2_to_v3(plan),
            _ => {}
        }
        version += 1;
    }
    Ok(plan)
}

/// The step from version 2 to 3: declared flows, endpoint groups, sites and route maps were added as
/// lists that default to empty, so a version-2 plan is a version-3 plan as it is.
fn v2_to_v3(plan: Plan) -> Plan {
    plan
}

/// Reads a plan file from raw bytes: checks the size and the UTF-8 encoding first, then `from_json`.
pub fn from_bytes(bytes: &[u8]) -> Result<Plan, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        let message = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8".to_string()
        } else {
            format!(
                "the file is not valid UTF-8 text (byte 0x{:02x} cannot start or continue a character here); save it as UTF-8",
                bytes[e.valid_up_to()]
            )
        };
        LoadError {
            line,
            column,
            ..LoadError::new(LoadErrorKind::Encoding, message)
        }
    })?;
    from_json(text)
}

/// A number written with one decimal, as `{:.1}` writes it, without the float formatting machinery of
/// `core::fmt` (about 10 KB of the app's wasm): diagram coordinates, file sizes. For numbers within
/// ±10^15.
#[derive(Clone, Copy)]
pub struct D1(pub f64);

impl std::fmt::Display for D1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `x * 10` is rounded; at an apparent tie its exact error (by a fused multiply-add) says which
        // side the true value is on, as the exact decimal rounding of `{:.1}` does.
        let p = self.0 * 10.0;
        let err = self.0.mul_add(10.0, -p);
        let floor = p.floor();
        let tenths = if p - floor == 0.5 && err != 0.0 {
            if err > 0.0 {
                floor + 1.0
            } else {
                floor
            }
        } else {
            p.round_ties_even()
        } as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", t / 10, t % 10)
    }
}

fn too_large(len: usize) -> LoadError {
    LoadError::new(
        LoadErrorKind::TooLarge,
        format!(
            "the file is {len} bytes ({} MB); plan files are limited to {MAX_FILE_MB} MB ({MAX_FILE_BYTES} bytes)",
            D1(len as f64 / (1024.0 * 1024.0))
        ),
    )
}

/// How `json_error` begins the message of a key given twice.
const DUPLICATE_KEY: &str = "the key";
/// How `json_error` begins the message of a number too large to read.
const TOO_LARGE_NUMBER: &str = "this number is too large";

/// Turns a serde_json error into a `LoadError`, rewording serde's terse messages for people.
fn json_error(e: &serde_json::Error, path: String) -> LoadError {
    let mut kind = match e.classify() {
        serde_json::error::Category::Data => LoadErrorKind::Shape,
        _ => LoadErrorKind::Syntax,
    };
    // serde_json appends " at line L column C"; the position is reported separately.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let mut path = if path.is_empty() || path == "." { String::new() } else { path };
    let join = |path: &str, key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    let message = if let Some(key) = msg.strip_prefix("duplicate field `").and_then(|m| m.strip_suffix('`')) {
        // serde's path is the object; the place is the second key.
        path = join(&path, key);
        format!("{DUPLICATE_KEY} \"{key}\" appears twice in the same object; give it once")
    } else if msg == "number out of range" {
        kind = LoadErrorKind::Shape;
        format!(
            "{TOO_LARGE_NUMBER} to read; numbers in a plan file are whole numbers from 0 to {}",
            u32::MAX
        )
    } else if let Some(what) = msg.strip_prefix("EOF while parsing ") {
        format!("the file ends too early, in the middle of {what}: it may be cut short")
    } else if msg.starts_with("control character") {
        "a string contains a raw control character (a tab, a new line…): write it as an escape such as \\t or \\n".into()
    } else if msg.contains("surrogate") || msg.contains("hex escape") {
        format!("a \\u escape in a string is invalid ({msg}): it needs four hex digits, and \\ud800–\\udfff only as a UTF-16 pair")
    } else if msg == "trailing characters" {
        "unexpected text after the end of the plan (trailing characters): the file holds one JSON object".into()
    } else if msg == "recursion limit exceeded" {
        format!("the JSON is nested more than {MAX_DEPTH} levels deep; a plan file needs only five")
    } else if let (Some(key), Some(_)) = (
        path.strip_prefix("plan.").filter(|k| !k.contains(['.', '['])),
        msg.strip_prefix("unknown field `"),
    ) {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.key()).collect();
        format!(
            "\"{key}\" is not a kind of entity this app knows; the lists of a plan are {}, and its other keys are name, notes and settings",
            kinds.join(", ")
        )
    } else if let Some((found, max)) = [(", expected u32", u64::from(u32::MAX)), (", expected u64", u64::MAX)]
        .iter()
        .find_map(|(tail, max)| Some((msg.strip_suffix(tail)?, *max)))
    {
        // "invalid type: floating point `1e+20`, expected u32": the number as serde read it.
        let found = found.trim_start_matches("invalid type: ").trim_start_matches("invalid value: ");
        let found = found
            .trim_start_matches("floating point ")
            .trim_start_matches("integer ")
            .replace('`', "");
        format!("expected a whole number from 0 to {max}, found {found}")
    } else {
        msg.to_string()
    };
    LoadError {
        kind,
        message,
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
        assert!(text.starts_with("{\n  \"format\": \"cen-planner-plan\",\n  \"version\": 3,"));
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
        let e = from_json(r#"{"format":"cen-planner-plan","version":4,"plan":{"whatever":true}}"#).unwrap_err();
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
        assert_eq!(e.path, "plan.vpc");
        assert!(e.message.starts_with("\"vpc\" is not a kind of entity this app knows"), "{e}");
        assert!(e.message.contains(", vpcs, vswitches,"), "{e}");
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
