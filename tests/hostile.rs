//! Hostile plan files: every file of `tests/hostile/` is refused with a clear message that says where,
//! or loads as plain data. Large and deep inputs are generated here instead of committed.
//! `docs/reliability.md` lists each case with the message the user sees.

use cen_planner::core::format::{from_bytes, from_json, to_json, LoadError, LoadErrorKind, MAX_FILE_BYTES};
use cen_planner::core::model::{Kind, Plan, VSwitch, Vpc};
use cen_planner::core::rules::check;
use LoadErrorKind::*;

/// The project's directory when the test runs, not when it was built (cargo reuses a build made in
/// another checkout of the project, whose `env!("CARGO_MANIFEST_DIR")` is that checkout).
fn root() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

/// A refused file: its kind, its place (line, column, path) and words of its message.
struct Refused {
    file: &'static str,
    kind: LoadErrorKind,
    line: usize,
    column: usize,
    path: &'static str,
    says: &'static str,
}

const fn refused(
    file: &'static str,
    kind: LoadErrorKind,
    (line, column): (usize, usize),
    path: &'static str,
    says: &'static str,
) -> Refused {
    Refused {
        file,
        kind,
        line,
        column,
        path,
        says,
    }
}

const REFUSED: &[Refused] = &[
    refused("empty.json", Syntax, (0, 0), "", "the file is empty"),
    refused(
        "truncated.json",
        Syntax,
        (8, 12),
        "",
        "the file ends too early, in the middle of a string",
    ),
    refused("trailing-garbage.json", Syntax, (6, 1), "", "trailing characters"),
    refused("nul-bytes.json", Syntax, (6, 1), "", "trailing characters"),
    refused("control-character.json", Syntax, (5, 16), "", "raw control character"),
    refused(
        "lone-surrogate.json",
        Syntax,
        (5, 20),
        "plan.name",
        "\\u escape in a string is invalid",
    ),
    refused("latin1.json", Encoding, (5, 17), "", "not valid UTF-8 text (byte 0xe9"),
    refused("utf16.json", Encoding, (1, 1), "", "the file is UTF-16 text"),
    refused("not-a-plan.json", NotAPlan, (1, 1), "", "this is not a CEN Planner plan"),
    refused("other-format.json", NotAPlan, (0, 0), "format", "\"format\" is \"drawio\""),
    refused(
        "newer-version.json",
        NewerVersion,
        (0, 0),
        "version",
        "saved by a newer CEN Planner",
    ),
    refused(
        "huge-version.json",
        BadVersion,
        (3, 18),
        "version",
        "this number is too large to read",
    ),
    refused("deep-nesting.json", Syntax, (3, 140), "", "nested more than 128 levels deep"),
    refused(
        "deep-nesting-in-format.json",
        Syntax,
        (2, 139),
        "",
        "nested more than 128 levels deep",
    ),
    refused(
        "deep-nesting-in-plan.json",
        Shape,
        (5, 13),
        "plan.notes",
        "invalid type: map, expected a string",
    ),
    refused(
        "duplicate-key-header.json",
        Shape,
        (4, 11),
        "version",
        "the key \"version\" appears twice",
    ),
    refused("duplicate-key-file.json", Shape, (5, 8), "plan", "the key \"plan\" appears twice"),
    refused(
        "duplicate-key-plan.json",
        Shape,
        (6, 10),
        "plan.name",
        "the key \"name\" appears twice",
    ),
    refused(
        "duplicate-key-entity.json",
        Shape,
        (9, 14),
        "plan.vpcs[0].cidr",
        "the key \"cidr\" appears twice",
    ),
    refused(
        "duplicate-id.json",
        BadId,
        (0, 0),
        "plan.cens[0].id",
        "the id \"x\" is used twice (first at plan.vpcs[0].id)",
    ),
    refused("empty-id.json", BadId, (0, 0), "plan.accounts[0].id", "the id is empty"),
    refused(
        "unknown-kind.json",
        Shape,
        (6, 13),
        "plan.routers",
        "\"routers\" is not a kind of entity this app knows",
    ),
    refused(
        "unknown-field.json",
        Shape,
        (8, 16),
        "plan.vpcs[0].colour",
        "unknown field `colour`, expected one of `id`",
    ),
    refused(
        "unknown-enum.json",
        Shape,
        (8, 22),
        "plan.regions[0].area",
        "unknown variant `Mars`",
    ),
    refused("wrong-type.json", Shape, (8, 28), "plan.vpcs[0].classiclink", "expected a boolean"),
    refused(
        "huge-float.json",
        Shape,
        (8, 21),
        "plan.bandwidth_packages[0].mbps",
        "this number is too large to read",
    ),
    refused(
        "huge-integer.json",
        Shape,
        (8, 36),
        "plan.region_bandwidths[0].mbps",
        "expected a whole number from 0 to 4294967295, found 1e+20",
    ),
    refused(
        "just-too-large-integer.json",
        Shape,
        (8, 36),
        "plan.vpn_gateways[0].bandwidth_mbps",
        "found 4294967296",
    ),
    refused(
        "negative-number.json",
        Shape,
        (8, 18),
        "plan.bandwidth_packages[0].mbps",
        "found -1",
    ),
    refused(
        "fractional-number.json",
        Shape,
        (8, 19),
        "plan.bandwidth_packages[0].mbps",
        "found 2.5",
    ),
];

/// Files that load: a byte-order mark, and names full of markup.
const LOADED: &[&str] = &["bom.json", "markup-names.json"];

fn read(file: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/hostile/{file}", root())).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The message shown to people names the place: line and column, or the path.
fn assert_names_the_place(e: &LoadError, what: &str) {
    let shown = e.to_string();
    if e.line > 0 {
        assert!(
            shown.starts_with(&format!("line {}, column {}", e.line, e.column)),
            "{what}: {shown}"
        );
    }
    if !e.path.is_empty() {
        assert!(shown.contains(&e.path), "{what}: {shown}");
    }
    assert!(
        e.line > 0 || !e.path.is_empty() || matches!(e.kind, TooLarge) || shown.contains("empty"),
        "{what} gives no place: {shown}"
    );
}

#[test]
fn every_file_of_the_corpus_is_listed_here() {
    let mut files: Vec<String> = std::fs::read_dir(format!("{}/tests/hostile", root()))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut listed: Vec<String> = REFUSED
        .iter()
        .map(|r| r.file)
        .chain(LOADED.iter().copied())
        .map(str::to_string)
        .collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn every_hostile_file_is_refused_with_its_kind_and_place() {
    for r in REFUSED {
        let e = from_bytes(&read(r.file)).expect_err(r.file);
        assert_eq!(e.kind, r.kind, "{}: {e}", r.file);
        assert_eq!((e.line, e.column, e.path.as_str()), (r.line, r.column, r.path), "{}: {e}", r.file);
        assert!(e.message.contains(r.says), "{}: {e}", r.file);
        assert_names_the_place(&e, r.file);
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let plan = from_bytes(&read("bom.json")).unwrap();
    assert_eq!(plan.name, "BOM plan");
    assert_eq!(plan.vpcs[0].cidr, "10.0.0.0/16");
}

#[test]
fn names_full_of_markup_load_as_text_and_round_trip_byte_identically() {
    let bytes = read("markup-names.json");
    let plan = from_bytes(&bytes).unwrap();
    assert_eq!(plan.name, "<script>alert(\"plan\")</script> & <b>bold</b>");
    assert_eq!(plan.vpcs[0].name, "</textarea><svg onload=alert(2)>");
    assert_eq!(plan.vswitches[0].id, "vsw-&amp;");
    assert!(plan
        .notes
        .contains("\u{0} NUL \u{202e}RTL override\u{202c} 日本語 🚀 \u{feff}BOM inside"));
    assert_eq!(to_json(&plan).as_bytes(), bytes.as_slice());
    assert_eq!(from_json(&to_json(&plan)).unwrap(), plan);
    // The markup is data: the rules read it as ids and names without tripping.
    check(&plan);
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let mut bytes = to_json(&Plan::new("big", "2019-09-19")).into_bytes();
    bytes.resize(MAX_FILE_BYTES + 1, b' ');
    let e = from_bytes(&bytes).unwrap_err();
    assert_eq!(e.kind, TooLarge);
    assert_eq!(
        e.message,
        "the file is 33554433 bytes (32.0 MB); plan files are limited to 32 MB (33554432 bytes)"
    );
    // Exactly at the limit, the white space is read.
    bytes.truncate(MAX_FILE_BYTES);
    assert_eq!(from_bytes(&bytes).unwrap().name, "big");
}

#[test]
fn nesting_a_million_levels_deep_is_refused_without_overflowing_the_stack() {
    let n = 1_000_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let objects = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let head = r#"{"format":"cen-planner-plan","version":1,"plan":"#;
    for (text, kind) in [
        (arrays.clone(), NotAPlan),
        (format!(r#"{{"format":{arrays}}}"#), Syntax),
        (format!(r#"{{"format":"cen-planner-plan","version":{objects}}}"#), Syntax),
        (format!(r#"{{"other":{arrays},"format":"cen-planner-plan","version":1}}"#), Shape),
        (format!("{head}{arrays}}}"), Shape),
        (format!("{head}{objects}}}"), Shape),
        (format!(r#"{head}{{"notes":{objects}}}}}"#), Shape),
        (format!(r#"{head}{{"vpcs":[{{"id":"v","name":{arrays}}}]}}}}"#), Shape),
    ] {
        let e = from_json(&text).unwrap_err();
        assert_eq!(e.kind, kind, "{e}");
        assert_names_the_place(&e, &e.to_string());
    }
}

#[test]
fn a_duplicate_key_is_refused_in_every_kind_of_entity() {
    for kind in Kind::ALL {
        let key = kind.key();
        let text = format!("{{\"format\":\"cen-planner-plan\",\"version\":1,\"plan\":{{\"{key}\":[{{\"id\":\"a\",\n\"id\":\"b\"}}]}}}}");
        let e = from_json(&text).unwrap_err();
        assert_eq!(e.kind, Shape, "{key}: {e}");
        assert_eq!((e.line, e.column), (2, 4), "{key}: {e}");
        assert_eq!(e.path, format!("plan.{key}[0].id"), "{key}: {e}");
        assert!(e.message.contains("the key \"id\" appears twice"), "{key}: {e}");
    }
    let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"settings":{"as_of":"a","as_of":"b"}}}"#).unwrap_err();
    assert_eq!(e.path, "plan.settings.as_of");
}

#[test]
fn a_duplicate_key_in_the_layout_is_refused() {
    let e = from_json(r#"{"format":"cen-planner-plan","version":1,"plan":{"layout":{"v":{"x":1,"y":2},"v":{"x":3,"y":4}}}}"#).unwrap_err();
    assert_eq!(e.kind, Shape, "{e}");
    assert!(e.message.contains("the key \"v\" appears twice"), "{e}");
    assert_eq!(e.path, "plan.layout");
}

/// Duplicate keys are refused by serde's derived visitors, which exist only for structs: a map or a
/// free JSON value in the model would silently keep the last of two keys. The schema shows every
/// object of the plan file is a closed struct.
#[cfg(feature = "schema")]
#[test]
fn every_object_of_the_plan_file_is_a_closed_struct_so_duplicate_keys_are_refused() {
    let schema: serde_json::Value = serde_json::from_str(&cen_planner::core::schema::plan_file_schema()).unwrap();
    fn walk(v: &serde_json::Value, at: &str, objects: &mut usize) {
        match v {
            serde_json::Value::Object(m) => {
                // `layout` is a map by entity id; it refuses duplicate keys itself (model::unique_keys).
                if m.get("type").and_then(|t| t.as_str()) == Some("object") && !at.ends_with("/layout") {
                    *objects += 1;
                    assert_eq!(
                        m.get("additionalProperties"),
                        Some(&serde_json::Value::Bool(false)),
                        "{at} is an open object"
                    );
                }
                for (k, v) in m {
                    walk(v, &format!("{at}/{k}"), objects);
                }
            }
            serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{at}/{i}"), objects)),
            _ => {}
        }
    }
    let mut objects = 0;
    walk(&schema, "#", &mut objects);
    assert!(objects > Kind::ALL.len(), "{objects}");
}

/// 100,000 vSwitches in 1,000 VPCs (about 17 MB) load, and the rules run on 10,000 of them.
#[test]
fn a_hundred_thousand_entities_load_and_a_tenth_are_checked() {
    let mut plan = Plan::new("100k", "2019-09-19");
    for v in 0..1_000 {
        plan.vpcs.push(Vpc {
            id: format!("vpc-{v}"),
            region: "cn-hangzhou".into(),
            cidr: format!("10.{}.0.0/16", v % 256),
            ..Vpc::default()
        });
    }
    for i in 0..100_000 {
        let v = i / 100;
        plan.vswitches.push(VSwitch {
            id: format!("vsw-{i}"),
            name: format!("<b>switch</b> & {i}"),
            vpc: format!("vpc-{v}"),
            zone: "cn-hangzhou-h".into(),
            cidr: format!("10.{}.{}.0/24", v % 256, i % 100),
            labels: Vec::new(),
        });
    }
    let text = to_json(&plan);
    assert!(text.len() < MAX_FILE_BYTES, "{}", text.len());
    let loaded = from_bytes(text.as_bytes()).unwrap();
    assert_eq!(loaded.entity_count(), 101_000);
    assert_eq!(loaded, plan);
    // The rules on all of them take about 1 s in a release build but 8 s in a debug one (see
    // docs/reliability.md); the test checks a tenth of them.
    plan.vswitches.truncate(10_000);
    plan.vpcs.truncate(100);
    check(&plan);
}
