//! Any bytes that load: the rules, the route tables and the reachability matrix never panic.
#![no_main]

use cen_planner::core::format::from_bytes;
use cen_planner::core::reach::{matrix, matrix_endpoints};
use cen_planner::core::routes::Routing;
use cen_planner::core::rules::{check, Ctx};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(plan) = from_bytes(data) else { return };
    check(&plan);
    let ctx = Ctx::new(&plan);
    let routing = Routing::new(&ctx);
    let networks = plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(plan.vbrs.iter().map(|v| &v.id))
        .chain(plan.ccns.iter().map(|c| &c.id));
    for id in networks.take(4) {
        routing.table(id);
    }
    let mut endpoints = matrix_endpoints(&ctx);
    endpoints.truncate(8);
    matrix(&routing, &endpoints);
});
