//! Benchmarks of the analysis on generated plans: the typical plan (100 networks × 4 CIDRs) and the
//! largest (1,000 networks × 20 CIDRs = 20,000 prefixes, 10,000 custom routes, 30 regions).
//!
//! `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`; figures and budgets are in
//! `docs/performance.md`. Every bench checks its result, so a broken optimisation cannot look fast.

use cen_planner::core::format::{from_json, to_json};
use cen_planner::core::generate::{generate, GenOptions};
use cen_planner::core::model::{Kind, Plan};
use cen_planner::core::reach::{endpoint, matrix, matrix_endpoints, reach};
use cen_planner::core::routes::Routing;
use cen_planner::core::rules::{self, overlapping_pairs, Ctx, Prefix};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

fn plans() -> Vec<(&'static str, Plan)> {
    vec![
        ("typical", generate(&GenOptions::typical())),
        ("largest", generate(&GenOptions::largest())),
    ]
}

/// Every attachable network id (VPCs, VBRs, CCNs).
fn networks(plan: &Plan) -> Vec<&str> {
    plan.vpcs
        .iter()
        .map(|v| v.id.as_str())
        .chain(plan.vbrs.iter().map(|v| v.id.as_str()))
        .chain(plan.ccns.iter().map(|c| c.id.as_str()))
        .collect()
}

fn bench(c: &mut Criterion) {
    // The baseline: sort 20,000 prefixes and sweep them for overlapping pairs.
    let baseline: Vec<Prefix> = (0..20_000u32)
        .map(|i| {
            // Mostly disjoint /24s with a /20 every 64 prefixes, in a scattered order.
            let k = i.wrapping_mul(7919) % 20_000;
            let (addr, len) = if k % 64 == 0 {
                (0x0A00_0000 + (k << 8), 20)
            } else {
                (0x0A00_0000 + (k << 8), 24)
            };
            Prefix {
                net: Ipv4Net::new(Ipv4Addr::from(addr), len).unwrap().trunc(),
                network: format!("n{}", k / 20),
                holder: (Kind::VSwitch, String::new()),
                field: "cidr",
            }
        })
        .collect();
    let expected_pairs = overlapping_pairs(&baseline).len();
    c.bench_function("baseline/sort+sweep 20000 prefixes", |b| {
        b.iter(|| {
            let pairs = overlapping_pairs(black_box(&baseline));
            assert_eq!(pairs.len(), expected_pairs);
        })
    });

    for (name, plan) in plans() {
        let text = to_json(&plan);
        let findings = rules::check(&plan).findings.len();
        let nets = networks(&plan);
        eprintln!(
            "{name}: {} characters stored, {findings} findings, {} networks",
            text.len(),
            nets.len()
        );

        c.bench_function(&format!("{name}/parse"), |b| {
            b.iter(|| {
                let p = from_json(black_box(&text)).unwrap();
                assert_eq!(p.vpcs.len(), plan.vpcs.len());
            })
        });
        c.bench_function(&format!("{name}/save"), |b| {
            b.iter(|| {
                let t = to_json(black_box(&plan));
                assert_eq!(t.len(), text.len());
            })
        });
        c.bench_function(&format!("{name}/validate (full re-analysis)"), |b| {
            b.iter(|| {
                let r = rules::check(black_box(&plan));
                assert_eq!(r.findings.len(), findings);
            })
        });
        // Route tables: every network of the typical plan; on the largest, every table holds ~20,000
        // CEN routes, so a bounded number of networks (the first 10) is built.
        let table_nets: Vec<&str> = if name == "largest" { nets[..10].to_vec() } else { nets.clone() };
        let ctx = Ctx::new(&plan);
        let routes_expected: usize = {
            let routing = Routing::new(&ctx);
            table_nets.iter().map(|n| routing.table(n).routes.len()).sum()
        };
        c.bench_function(&format!("{name}/route tables ({} networks)", table_nets.len()), |b| {
            b.iter(|| {
                let ctx = Ctx::new(&plan);
                let routing = Routing::new(&ctx);
                let total: usize = table_nets.iter().map(|n| routing.table(n).routes.len()).sum();
                assert_eq!(total, routes_expected);
            })
        });
        // One reachability query between two VPCs of different regions (both directions).
        let (a, z) = (plan.vpcs[1].id.clone(), plan.vpcs[2].id.clone());
        c.bench_function(&format!("{name}/reach one query"), |b| {
            b.iter(|| {
                let ctx = Ctx::new(&plan);
                let routing = Routing::new(&ctx);
                let (ea, ez) = (endpoint(&ctx, &a).unwrap(), endpoint(&ctx, &z).unwrap());
                let r = reach(&routing, &ea, &ez);
                assert_eq!(r.forward.from, a);
            })
        });
        // The all-pairs matrix: every endpoint of the typical plan; the first 20 of the largest.
        let ctx = Ctx::new(&plan);
        let mut endpoints = matrix_endpoints(&ctx);
        if name == "largest" {
            endpoints.truncate(20);
        }
        c.bench_function(&format!("{name}/matrix ({} endpoints)", endpoints.len()), |b| {
            b.iter(|| {
                let routing = Routing::new(&ctx);
                let m = matrix(&routing, &endpoints);
                assert_eq!(m.len(), endpoints.len());
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
