//! Benchmarks of the analysis on generated plans: the typical plan (100 networks × 4 CIDRs), the
//! largest (1,000 networks × 20 CIDRs = 20,000 prefixes, 10,000 custom routes, 30 regions) and a star
//! of 2,000 VPCs on one CEN.
//!
//! `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`; figures and budgets are in
//! `docs/performance.md`. The baseline of each plan is `serde_json::from_str::<Value>` of its file;
//! the stored copy's benches compare with `save` (`to_json`) and `parse` (`from_json`).
//! Every bench checks its result, so a broken optimisation cannot look fast.

use cen_planner::core::analysis::Analysis;
use cen_planner::core::format::{from_json, to_json};
use cen_planner::core::generate::{generate, star, GenOptions};
use cen_planner::core::matrix;
use cen_planner::core::model::Plan;
use cen_planner::core::stored;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

fn plans() -> Vec<(&'static str, Plan)> {
    vec![
        ("typical", generate(&GenOptions::typical())),
        ("largest", generate(&GenOptions::largest())),
    ]
}

fn bench(c: &mut Criterion) {
    for (name, plan) in plans() {
        let text = to_json(&plan);
        let findings = Analysis::new(plan.clone()).report().findings.len();
        eprintln!("{name}: {} characters stored, {findings} findings", text.len());

        c.bench_function(&format!("{name}/baseline: serde_json::from_str::<Value>"), |b| {
            b.iter(|| {
                let v: serde_json::Value = serde_json::from_str(black_box(&text)).unwrap();
                assert!(v.is_object());
            })
        });
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
        // The copy kept in browser storage (`core::stored`): what a save and a load add to `save` and `parse`.
        let kept = stored::write(&plan);
        let units = kept.encode_utf16().count();
        eprintln!(
            "{name}: stored copy {units} UTF-16 units ({:.1} % of the plan file)",
            100.0 * units as f64 / text.len() as f64
        );
        c.bench_function(&format!("{name}/stored write (to_json, compress, pack)"), |b| {
            b.iter(|| {
                let t = stored::write(black_box(&plan));
                assert_eq!(t.len(), kept.len());
            })
        });
        c.bench_function(&format!("{name}/stored decode (unpack, inflate)"), |b| {
            b.iter(|| {
                let t = stored::decode(black_box(&kept)).unwrap();
                assert_eq!(t.len(), text.len());
            })
        });
        c.bench_function(&format!("{name}/stored read (decode, parse)"), |b| {
            b.iter(|| {
                let p = stored::read(black_box(&kept)).unwrap();
                assert_eq!(p.vpcs.len(), plan.vpcs.len());
            })
        });
        // Everything `check` prints: facts, data plane, every rule (the plan copy is made outside the timing).
        c.bench_function(&format!("{name}/analyse"), |b| {
            b.iter_batched(
                || plan.clone(),
                |p| {
                    let a = Analysis::new(p);
                    assert_eq!(a.report().findings.len(), findings);
                    a
                },
                BatchSize::LargeInput,
            )
        });
        // One reachability query between two VPCs of different regions (both directions), on an analysis.
        let analysis = Analysis::new(plan.clone());
        let (a, z) = (plan.vpcs[1].id.clone(), plan.vpcs[2].id.clone());
        c.bench_function(&format!("{name}/reach one query"), |b| {
            b.iter(|| {
                let r = analysis.reach(&a, &z).unwrap();
                assert_eq!(r.forward.from, a);
            })
        });
        // The whole all-pairs matrix, both directions (a fresh analysis each time: no cached tables).
        let endpoints = matrix::endpoints(analysis.facts()).len();
        c.bench_function(&format!("{name}/matrix ({endpoints} endpoints)"), |b| {
            b.iter_batched(
                || Analysis::new(plan.clone()),
                |a| {
                    let m = matrix::Matrix::new(a.dataplane());
                    assert_eq!(m.endpoints.len(), endpoints);
                    a
                },
                BatchSize::LargeInput,
            )
        });
    }
    let plan = star(2000);
    c.bench_function("star 2000 VPCs/matrix (2000 endpoints)", |b| {
        b.iter_batched(
            || Analysis::new(plan.clone()),
            |a| {
                let m = matrix::Matrix::new(a.dataplane());
                assert_eq!(m.endpoints.len(), 2000);
                a
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
