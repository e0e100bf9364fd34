//! The command-line twin on the example plans and on broken files: exit codes and messages.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The project's directory when the test runs, not when it was built (cargo reuses a build made in
/// another checkout of the project, whose `env!("CARGO_MANIFEST_DIR")` is that checkout).
fn root() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cen-planner"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cen-planner-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Examples meant to show an error finding (exit 1 by design).
const MEANT_TO_FAIL: &[&str] = &["hub-and-spoke-forbidden-spokes"];

#[test]
fn every_example_plan_checks_clean_with_exit_0() {
    for e in cen_planner::core::examples::EXAMPLES
        .iter()
        .filter(|e| !MEANT_TO_FAIL.contains(&e.key))
    {
        let path = format!("examples/{}.json", e.key);
        let out = run(&["check", &path]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stdout));
        assert!(text(&out.stdout).contains("0 errors"), "{}", text(&out.stdout));
    }
}

#[test]
fn declared_flows_are_listed_by_check_flows_and_matrix() {
    let path = "examples/hub-and-spoke-forbidden-spokes.json";
    let out = run(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("error PLAN-FLOW-003"), "{s}");
    assert!(
        s.contains("flows:\n  Spokes use the hub (required: Spokes ↔ Hub (shared services)): met\n"),
        "{s}"
    );
    assert!(
        s.contains("  Spokes are isolated (forbidden: Spokes ↔ Spokes): forbidden but open\n"),
        "{s}"
    );
    let out = run(&["flows", path]);
    assert_eq!(out.status.code(), Some(1), "a flow is not met");
    let s = text(&out.stdout);
    assert!(
        s.starts_with("Spokes use the hub (required: Spokes ↔ Hub (shared services)): met\n"),
        "{s}"
    );
    assert!(s.contains("Spoke 1 learns 10.2.1.0/24 from Spoke 2 through CEN CEN-1"), "{s}");
    let out = run(&["flows", path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["state"], "met");
    assert_eq!(v[1]["state"], "open");
    let out = run(&["check", path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["flows"][1]["words"], "forbidden but open");
    let s = text(&run(&["matrix", path]).stdout);
    assert!(
        s.contains("  2 ↔ 3 Spokes are isolated (forbidden: Spokes ↔ Spokes): forbidden but open\n"),
        "{s}"
    );
    // A plan without flows prints no flows section, and `flows` says every pair is assumed.
    let s = text(&run(&["check", "examples/seed-004-peering-migration.json"]).stdout);
    assert!(!s.contains("\nflows:\n"), "{s}");
    assert!(s.contains("info PLAN-FLOW-001"), "{s}");
    let out = run(&["flows", "examples/seed-004-peering-migration.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("no declared flows"));
}

#[test]
fn json_output_is_one_document_with_a_summary_and_findings() {
    let out = run(&["check", "examples/seed-003-vpn-global-network.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 0);
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["severity"] == "info"), "{findings:?}");
    assert!(
        findings.iter().any(|f| f["code"] == "CEN-VPN-004"),
        "the office CPE reminder of example E4"
    );
}

#[test]
fn check_gives_the_isolation_fix_as_route_map_edits_that_clear_it() {
    let plan = r#"{"format":"cen-planner-plan","version":3,"plan":{
      "accounts":[{"id":"a","uid":"1"}],
      "vbrs":[{"id":"vbr1","owner":"a","region":"cn-beijing","idc_cidrs":["10.1.3.0/24"],"routing":"bgp"},
              {"id":"vbr2","owner":"a","region":"cn-hangzhou","idc_cidrs":["10.1.4.0/24"],"routing":"bgp"}],
      "cens":[{"id":"c","owner":"a","overlapping_routes":true}],
      "attachments":[{"id":"t1","cen":"c","network":"vbr1"},{"id":"t2","cen":"c","network":"vbr2"}]}}"#;
    let path = temp_file("e7.json", plan.as_bytes());
    let out = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The bandwidth findings have theirs too (a region bandwidth, a package): the isolation's is one.
    let fixes: Vec<&serde_json::Value> = v["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| v["findings"][f["finding"].as_u64().unwrap() as usize]["code"] == "CEN-VBR-001")
        .collect();
    assert_eq!(fixes.len(), 1, "one per isolated pair of VBRs");
    let maps: Vec<serde_json::Value> = fixes[0]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["put"]["entity"].clone())
        .collect();
    assert_eq!(maps.len(), 2);
    assert!(maps
        .iter()
        .all(|m| m["direction"] == "region_out" && m["action"] == "permit" && m["priority"] == 20));
    // The plan with the two maps added checks clean.
    let mut fixed: serde_json::Value = serde_json::from_str(plan).unwrap();
    fixed["plan"]["route_maps"] = serde_json::Value::Array(maps);
    let path = temp_file("e7-fixed.json", fixed.to_string().as_bytes());
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // Routes now flow (over the test link only: the plan has no bandwidth package), naming the map.
    let out = run(&["reach", path.to_str().unwrap(), "vbr1", "vbr2"]);
    assert!(
        text(&out.stdout).contains("→ CEN → vbr2 (permitted by route map Permit vbr2 to vbr1, priority 20)"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("vbr2 → vbr1: 1 Kbps test link only"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_plan_with_errors_exits_1_and_names_the_code_and_place() {
    let plan = r#"{"format":"cen-planner-plan","version":1,"plan":{
      "accounts":[{"id":"a","uid":"1"}],
      "cens":[{"id":"c","owner":"a"}],
      "vpcs":[{"id":"v1","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.0/8"},{"id":"v2","owner":"a","region":"cn-hangzhou","cidr":"10.0.0.0/8"}],
      "vswitches":[{"id":"s1","vpc":"v1","cidr":"10.1.0.0/24"},{"id":"s2","vpc":"v2","cidr":"10.1.0.0/24"},{"id":"s3","vpc":"v9","cidr":"10.2.0.0/24"}],
      "attachments":[{"id":"t1","cen":"c","network":"v1"},{"id":"t2","cen":"c","network":"v2"}]}}"#;
    let path = temp_file("errors.json", plan.as_bytes());
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("error CEN-CIDR-005"), "{s}");
    assert!(s.contains("error PLAN-REF-001"), "{s}");
    assert!(s.contains("at vswitches s3, field vpc"), "{s}");
    assert!(s.contains("2 errors"), "{s}");
    let out = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["findings"][0]["entity"]["kind"], "vswitches");
}

#[test]
fn malformed_json_exits_2_with_line_and_column() {
    let path = temp_file(
        "broken.json",
        b"{\n  \"format\": \"cen-planner-plan\",\n  \"version\": 1,\n  \"plan\": {\"vpcs\": [}\n}\n",
    );
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("line 4, column 21"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_newer_version_exits_2_and_says_so() {
    let path = temp_file("v9.json", br#"{"format":"cen-planner-plan","version":9,"plan":{}}"#);
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("newer CEN Planner"));
}

#[test]
fn a_missing_file_and_invalid_utf8_exit_2() {
    let out = run(&["check", "does/not/exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the file"));
    let path = temp_file("latin1.json", b"{\"format\": \"cen-planner-plan\",\n \"x\": \"caf\xe9\"}");
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("line 2, column 11: the file is not valid UTF-8"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_wrong_type_exits_2_with_its_path() {
    let path = temp_file(
        "type.json",
        br#"{"format":"cen-planner-plan","version":1,"plan":{"bandwidth_packages":[{"id":"b","mbps":"ten"}]}}"#,
    );
    let out = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["error"].as_str().unwrap().contains("plan.bandwidth_packages[0].mbps"), "{v}");
}

#[test]
fn routes_shows_the_seed_004_peering_block() {
    let out = run(&["routes", "examples/seed-004-peering-migration.json", "vpc-1"]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("172.16.1.0/24") && s.contains("CEN-PEER-001"), "{s}");
    let out = run(&["routes", "examples/seed-004-peering-migration.json", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["routes"][1]["inactive"]["reason"], "peering_static");
    let out = run(&["routes", "examples/seed-004-peering-migration.json", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reach_prints_both_directions_and_exits_0_when_both_work() {
    let out = run(&["reach", "examples/seed-003-vpn-global-network.json", "vco-1", "vpc-2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(s.contains("Office 1 IPsec → VPC2 (Shanghai): reachable, up to 10 Mbps"), "{s}");
    assert!(s.contains("VPC2 (Shanghai) → Office 1 IPsec: reachable"), "{s}");
}

#[test]
fn reach_explains_a_block_and_exits_1() {
    let plan = std::fs::read_to_string("examples/seed-003-vpn-global-network.json")
        .unwrap()
        .replace("\"published\": true", "\"published\": false");
    let path = temp_file("unpublished.json", plan.as_bytes());
    let out = run(&["reach", path.to_str().unwrap(), "vpc-2", "vco-1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["forward"]["disposition"], "unreachable");
    assert_eq!(v["result"], "one_way");
    let blocked = &v["forward"]["blocked"];
    // The rule that decides it (CEN-VPN-001 on the route entry), its finding, and the fix as an edit.
    assert_eq!(blocked["code"], "CEN-VPN-001");
    assert_eq!(blocked["entity"]["kind"], "route_entries");
    assert_eq!(blocked["finding"]["code"], "CEN-VPN-001");
    assert_eq!(blocked["edits"][0]["put"]["entity"]["published"], true);
    assert_eq!(v["back"]["hops"][0]["kind"], "ipsec");
    assert_eq!(v["back"]["hops"][1]["kind"], "route");
    assert!(v["back"]["hops"][1]["route"]["prefix"].is_string());
    let out = run(&["reach", path.to_str().unwrap(), "vpc-2", "nothing"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn matrix_lists_every_endpoint() {
    let out = run(&["matrix", "examples/seed-003-vpn-global-network.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["endpoints"].as_array().unwrap().len(), 6);
    assert_eq!(v["matrix"][0][5], "reachable");
    let out = run(&["matrix", "examples/seed-003-vpn-global-network.json"]);
    assert!(text(&out.stdout).contains("✓"));
}

/// The hybrid-cloud example without the lines' AS paths: CEN keeps one BGP line active and the plan
/// does not say which, so the cells toward the data centre's lines are undetermined, marked `?`.
#[test]
fn matrix_marks_undetermined_cells() {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("examples/hybrid-cloud-two-vbrs-sag-backup.json").unwrap()).unwrap();
    for line in v["plan"]["sites"][0]["lines"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("as_path_length");
    }
    let path = temp_file("no-as-paths.json", v.to_string().as_bytes());
    let out = run(&["matrix", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.starts_with("rows reach columns") && s.contains("? undetermined"), "{s}");
    assert!(s.lines().skip(1).any(|l| l.contains("  ?")), "{s}");
    let out = run(&["matrix", path.to_str().unwrap(), "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        j["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .any(|c| c == "undetermined"),
        "{j}"
    );
}

#[test]
fn report_writes_a_self_contained_html_file() {
    let out_path = std::env::temp_dir().join(format!("cen-planner-report-{}.html", std::process::id()));
    let out = run(&[
        "report",
        "examples/seed-003-vpn-global-network.json",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&out_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Bandwidth budget</h2>") && html.contains("<svg"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained");
    let out = run(&["report", "does/not/exist.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn diff_reports_behaviour_changes_and_exits_1() {
    let plan = std::fs::read_to_string("examples/seed-003-vpn-global-network.json")
        .unwrap()
        .replacen("\"published\": true", "\"published\": false", 1);
    let path = temp_file("diff-new.json", plan.as_bytes());
    let out = run(&["diff", "examples/seed-003-vpn-global-network.json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("changed Route entry rte-1 To Office 1 (published)"), "{s}");
    assert!(s.contains("new finding error CEN-VPN-001"), "{s}");
    assert!(s.contains("route lost in VPC2 (Shanghai): 10.10.10.0/24"), "{s}");
    assert!(s.contains("VPC2 (Shanghai) → Office 1 IPsec: reachable → not reachable"), "{s}");
    let out = run(&[
        "diff",
        "examples/seed-003-vpn-global-network.json",
        "examples/seed-003-vpn-global-network.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["added"].as_array().unwrap().is_empty());
}

#[test]
fn check_reports_waived_findings_apart_and_does_not_fail_on_them() {
    let plan = std::fs::read_to_string("examples/seed-003-vpn-global-network.json")
        .unwrap()
        .replacen("\"published\": true", "\"published\": false", 1);
    let path = temp_file("unwaived.json", plan.as_bytes());
    assert_eq!(run(&["check", path.to_str().unwrap()]).status.code(), Some(1));
    let mut v: serde_json::Value = serde_json::from_str(&plan).unwrap();
    v["plan"]["waivers"] = serde_json::json!([{"id": "waiver-1", "code": "CEN-VPN-001", "entity": "rte-1", "reason": "Office 1 is reached over the Internet for now"}]);
    let path = temp_file("waived.json", v.to_string().as_bytes());
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(s.contains("waived error CEN-VPN-001 at route_entries rte-1"), "{s}");
    assert!(
        s.contains("(waiver waiver-1: Office 1 is reached over the Internet for now)"),
        "{s}"
    );
    assert!(s.contains("0 errors") && s.contains("1 waived"), "{s}");
}

#[test]
fn generate_writes_a_plan_that_check_reads() {
    let path = temp_file("generated.json", b"");
    let out = run(&[
        "generate",
        "--networks",
        "30",
        "--cidrs",
        "3",
        "--routes",
        "20",
        "--regions",
        "8",
        "--seed",
        "7",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("\"cen-planner-plan\""));
    let out = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_object());
    // The same seed gives the same file.
    let again = run(&[
        "generate",
        "--networks",
        "30",
        "--cidrs",
        "3",
        "--routes",
        "20",
        "--regions",
        "8",
        "--seed",
        "7",
    ]);
    assert_eq!(text(&again.stdout), written);
}
