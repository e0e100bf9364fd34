//! The JSON Schema of the plan file, generated from the Rust types (feature `schema`).
//!
//! `docs/plan.schema.json` is this output, committed; a test fails when the two differ, and
//! `UPDATE_EXPECT=1 cargo test` rewrites the file.

use super::format::{FORMAT_NAME, FORMAT_VERSION};
use super::model::Plan;

/// The schema of a version-1 plan file, pretty-printed.
pub fn plan_file_schema() -> String {
    let mut plan = schemars::schema_for!(Plan);
    let defs = plan.remove("$defs");
    plan.remove("$schema");
    let mut schema = schemars::json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "CEN Planner plan file",
        "description": "A CEN plan as exported by CEN Planner. See docs/plan-format.md.",
        "type": "object",
        "additionalProperties": false,
        "required": ["format", "version", "plan"],
        "properties": {
            "format": { "const": FORMAT_NAME },
            "version": { "const": FORMAT_VERSION },
            "plan": plan,
        },
    });
    if let Some(defs) = defs {
        schema.insert("$defs".into(), defs);
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_is_current() {
        expect_test::expect_file!["../../docs/plan.schema.json"].assert_eq(&plan_file_schema());
    }

    #[test]
    fn schema_names_every_list_of_the_plan() {
        let s = plan_file_schema();
        for kind in crate::core::model::Kind::ALL {
            assert!(s.contains(&format!("\"{}\"", kind.key())), "{}", kind.key());
        }
    }
}
