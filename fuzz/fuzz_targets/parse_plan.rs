//! Any bytes: reading never panics, and what loads writes back to the same plan.
#![no_main]

use cen_planner::core::format::{from_bytes, from_json, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(plan) = from_bytes(data) {
        let text = to_json(&plan);
        let again = from_json(&text).expect("a written plan reads back");
        assert_eq!(again, plan, "save then load is the identity");
        assert_eq!(to_json(&again), text, "writing is deterministic");
    }
});
