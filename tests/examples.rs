//! The example plans of the seeds: each loads, round-trips and is embedded for the app's menu.

use cen_planner::core::examples::EXAMPLES;
use cen_planner::core::format::{from_json, to_json};
use cen_planner::core::rules::check;

#[test]
fn every_example_file_is_embedded_and_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .collect();
    files.sort();
    let mut keys: Vec<String> = EXAMPLES.iter().map(|e| e.key.to_string()).collect();
    keys.sort();
    assert_eq!(files, keys, "every file in examples/ is in the menu and vice versa");
    for e in EXAMPLES {
        let plan = from_json(e.json).unwrap_or_else(|err| panic!("{}: {err}", e.key));
        assert_eq!(from_json(&to_json(&plan)).unwrap(), plan, "{}", e.key);
        assert!(!check(&plan).has_errors(), "{}: {:?}", e.key, check(&plan).findings);
    }
}

#[test]
fn seed_003_has_two_regions_four_offices_and_published_office_routes() {
    let plan = from_json(cen_planner::core::examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
    let regions: Vec<&str> = plan.vpcs.iter().map(|v| v.region.as_str()).collect();
    assert_eq!(regions, ["us-east-1", "cn-shanghai"]);
    assert_eq!(plan.customer_gateways.len(), 4);
    assert_eq!(plan.ipsec_connections.len(), 4);
    assert!(plan.ipsec_connections.iter().all(|c| c.local_cidrs == ["0.0.0.0/0"]));
    assert_eq!(plan.route_entries.iter().filter(|r| r.published).count(), 4);
}

#[test]
fn seed_004_keeps_the_16_peering_route_and_the_24_vswitch() {
    let plan = from_json(cen_planner::core::examples::find("seed-004-peering-migration").unwrap().json).unwrap();
    assert!(plan
        .route_entries
        .iter()
        .any(|r| r.destination == "172.16.0.0/16" && r.network == "vpc-1"));
    assert!(plan.vswitches.iter().any(|s| s.cidr == "172.16.1.0/24" && s.vpc == "vpc-2"));
    assert!(plan.cens[0].overlapping_routes);
}
