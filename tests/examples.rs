//! The example plans of the seeds: each loads, round-trips and is embedded for the app's menu.

use cen_planner::core::examples::EXAMPLES;
use cen_planner::core::findings::Severity;
use cen_planner::core::format::{from_json, to_json};
use cen_planner::core::rules::check;

/// The project's directory when the test runs, not when it was built (cargo reuses a build made in
/// another checkout of the project, whose `env!("CARGO_MANIFEST_DIR")` is that checkout).
fn root() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

#[test]
fn every_example_file_is_embedded_and_loads() {
    let dir = format!("{}/examples", root());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
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
        // Each example checks clean, or with only the errors it is meant to show.
        let meant: &[&str] = match e.key {
            "hub-and-spoke-forbidden-spokes" => &["PLAN-FLOW-003"],
            _ => &[],
        };
        let report = check(&plan);
        let errors: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.as_str())
            .collect();
        assert!(errors.iter().all(|c| meant.contains(c)), "{}: {:?}", e.key, report.findings);
        assert_eq!(meant.is_empty(), errors.is_empty(), "{}: {:?}", e.key, report.findings);
    }
}

#[test]
fn hub_and_spoke_meets_the_hub_flows_and_shows_the_open_spoke_flow() {
    use cen_planner::core::analysis::analyse;
    use cen_planner::core::flows::FlowState;
    let plan = from_json(cen_planner::core::examples::find("hub-and-spoke-forbidden-spokes").unwrap().json).unwrap();
    let a = analyse(&plan);
    let states: Vec<(&str, FlowState)> = a.flows().iter().map(|c| (c.flow.as_str(), c.state)).collect();
    assert_eq!(states, [("flow-1", FlowState::Met), ("flow-2", FlowState::Open)]);
    // Three spoke pairs, all open; three spoke–hub pairs, all met.
    assert_eq!(a.flows()[0].pairs, 3);
    assert!(a.flows()[1].each.iter().all(|p| p.state == FlowState::Open) && a.flows()[1].pairs == 3);
    let open: Vec<_> = a.report().findings.iter().filter(|f| f.code.as_str() == "PLAN-FLOW-003").collect();
    assert_eq!(open.len(), 1);
    assert!(open[0].message.contains("through CEN CEN-1"), "{}", open[0].message);
    assert!(open[0].fix.contains("route map"), "{}", open[0].fix);
    // Declared flows: only the spoke–hub pairs must talk, so no all-pairs reminder.
    assert!(a.report().findings.iter().all(|f| f.code.as_str() != "PLAN-FLOW-001"));
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

#[test]
fn hybrid_cloud_reaches_its_data_centre_over_the_active_leased_line_with_only_informational_findings() {
    let plan = from_json(cen_planner::core::examples::find("hybrid-cloud-two-vbrs-sag-backup").unwrap().json).unwrap();
    let a = cen_planner::core::analysis::Analysis::new(plan);
    let codes: Vec<&str> = a.report().findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "CEN-ATT-007",
            "CEN-ATT-007",
            "CEN-BW-006",
            "CEN-CCN-006",
            "CEN-SG-001",
            "CEN-VBR-004",
            "PLAN-FLOW-001"
        ],
        "{:#?}",
        a.report().findings
    );
    assert!(a
        .report()
        .findings
        .iter()
        .all(|f| f.severity != cen_planner::core::findings::Severity::Error));
    for vpc in ["vpc-1", "vpc-2"] {
        let r = a.reach(vpc, "site-1").unwrap();
        assert_eq!(r.result, cen_planner::core::reach::Verdict::Reachable, "{vpc}");
        assert!(
            r.forward.hops[0].via.ends_with("→ CEN → Leased line Hangzhou"),
            "{:?}",
            r.forward.hops
        );
    }
}

#[test]
fn a_real_version_1_file_is_migrated_to_the_current_version() {
    let v1 = std::fs::read_to_string(format!("{}/tests/fixtures/plan-v1.json", root())).unwrap();
    assert!(v1.contains("\"version\": 1,"));
    let plan = from_json(&v1).unwrap();
    assert_eq!(plan.vpcs.len(), 2);
    assert!(plan.layout.is_empty() && plan.comments.is_empty() && plan.waivers.is_empty());
    let written = to_json(&plan);
    assert!(written.contains(&format!("\"version\": {},", cen_planner::core::format::FORMAT_VERSION)));
    assert_eq!(from_json(&written).unwrap(), plan);
    // The same plan as the example written in the current version.
    assert_eq!(
        plan,
        from_json(cen_planner::core::examples::find("seed-003-vpn-global-network").unwrap().json).unwrap()
    );
}

#[test]
fn a_real_version_2_file_loads_migrates_to_version_3_and_round_trips() {
    let v2 = std::fs::read_to_string(format!("{}/tests/fixtures/plan-v2.json", root())).unwrap();
    assert!(v2.contains("\"version\": 2,"));
    let plan = from_json(&v2).unwrap();
    assert_eq!(plan.vpcs.len(), 2);
    assert_eq!(plan.ipsec_connections.len(), 4);
    let written = to_json(&plan);
    assert_eq!(cen_planner::core::format::FORMAT_VERSION, 3);
    assert!(written.contains("\"version\": 3,"));
    assert_eq!(from_json(&written).unwrap(), plan);
    assert_eq!(to_json(&from_json(&written).unwrap()), written);
    // Migration adds nothing: the plan is the one the version-2 file describes.
    let body = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap()["plan"].clone();
    assert_eq!(body(&written), body(&v2));
}

#[test]
fn a_version_1_file_with_version_2_fields_is_refused_with_the_place() {
    let e = from_json(
        r#"{"format":"cen-planner-plan","version":1,"plan":{"waivers":[{"id":"w","code":"CEN-BW-008","entity":"x","reason":"r"}]}}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "plan.waivers");
    assert!(e.message.contains("added in version 2"), "{e}");
}

/// Seed 001: one package per area pair, each region pair with its bandwidth: every pair reachable at
/// its region bandwidth; only the cross-border reminders, the security-group reminder and the note that no flow is declared remain.
#[test]
fn seed_001_buys_one_package_per_area_pair_and_every_pair_is_reachable() {
    use cen_planner::core::analysis::analyse;
    use cen_planner::core::reach::Verdict;
    let plan = from_json(cen_planner::core::examples::find("seed-001-bandwidth-packages").unwrap().json).unwrap();
    let a = analyse(&plan);
    let codes: Vec<&str> = a.report().findings.iter().map(|f| f.code.as_str()).collect();
    // The two packages with Mainland China are cross-border (never downgraded); North America–Europe is not.
    assert_eq!(
        codes,
        ["CEN-BWP-008", "CEN-BWP-008", "CEN-SG-001", "PLAN-FLOW-001"],
        "{:?}",
        a.report().findings
    );
    for (x, y, mbps) in [("vpc-bj", "vpc-sv", 10), ("vpc-bj", "vpc-fra", 5), ("vpc-sv", "vpc-fra", 5)] {
        let r = a.reach(x, y).unwrap();
        assert_eq!(r.result, Verdict::Reachable, "{x} {y}");
        assert_eq!(r.forward.bandwidth_mbps, Some(mbps), "{x} {y}");
    }
}

/// Seed 002: a Mainland CCN branch reaches the Shanghai VPC with no package (same area), and the
/// plan has nothing else to say but the security-group reminder and that no flow is declared.
#[test]
fn seed_002_branch_reaches_the_shanghai_vpc_without_a_package() {
    use cen_planner::core::analysis::analyse;
    use cen_planner::core::reach::Verdict;
    let plan = from_json(cen_planner::core::examples::find("seed-002-ccn-branch").unwrap().json).unwrap();
    let a = analyse(&plan);
    let codes: Vec<&str> = a.report().findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["CEN-SG-001", "PLAN-FLOW-001"], "{:?}", a.report().findings);
    let r = a.reach("sag-hz", "vpc-sh").unwrap();
    assert_eq!(r.result, Verdict::Reachable);
    assert_eq!(r.forward.bandwidth_mbps, None);
    assert!(plan.bandwidth_packages.is_empty());
}
