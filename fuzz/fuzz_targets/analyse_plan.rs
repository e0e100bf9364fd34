//! Any bytes that load: the analysis, the route tables and the reachability matrix never panic.
#![no_main]

use cen_planner::core::analysis::Analysis;
use cen_planner::core::format::from_bytes;
use cen_planner::core::matrix::{cells, endpoints, Matrix};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(plan) = from_bytes(data) else { return };
    let analysis = Analysis::new(plan);
    let plan = analysis.plan();
    let networks = plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(plan.vbrs.iter().map(|v| &v.id))
        .chain(plan.ccns.iter().map(|c| &c.id));
    for id in networks.take(4) {
        analysis.table(id);
    }
    let mut few = endpoints(analysis.facts());
    few.truncate(8);
    cells(analysis.dataplane(), &few);
    if plan.vpcs.len() < 40 {
        Matrix::new(analysis.dataplane());
    }
});
