//! Bandwidth packages, cross-region bandwidth and area pairs (CEN-AREA-002..004, CEN-BWP-*, CEN-BW-*).
//!
//! Model: a pair of VPCs/VBRs attached to one CEN in two different regions needs a bandwidth package
//! bound to that CEN whose (unordered) area pair is {area(r1), area(r2)}, and a region bandwidth on that
//! CEN for exactly that region pair. A region bandwidth draws from the package bound to its CEN whose
//! area pair matches its two regions. CCNs live in a CCN area, not a region: their pairs are the CCN
//! rules' concern (CEN-CCN-002..004), so nothing here asks a package for them.

use std::collections::{BTreeMap, BTreeSet};

use crate::core::catalog::{self, Area};
use crate::core::facts::{dates, Ctx, NetKind};
use crate::core::findings::{Code, Finding, Severity};
use crate::core::flows::Demand;
use crate::core::model::{BandwidthPackage, Cen, Kind, RegionBandwidth};

/// Default number of regions per CEN instance (CEN-BW-007).
const REGIONS_PER_CEN: usize = 5;
/// Largest package (CEN-BWP-005).
const PACKAGE_MAX_MBPS: u32 = 10_000;
/// The region that is Asia Pacific although its name says China (CEN-AREA-003).
const HONG_KONG: &str = "cn-hongkong";

/// A normalised (sorted) area pair (CEN-AREA-002).
type Pair = (Area, Area);

fn pair(a: Area, b: Area) -> Pair {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn package_pair(p: &BandwidthPackage) -> Pair {
    pair(p.area_a, p.area_b)
}

fn pair_label(p: Pair) -> String {
    format!("{}–{}", p.0.api_id(), p.1.api_id())
}

/// Whether the 2019-08 billing page lists the pair as purchasable (CEN-AREA-004).
fn purchasable_2019(p: Pair) -> bool {
    use Area::*;
    matches!(
        p,
        (China, China | AsiaPacific | NorthAmerica | Europe | Australia)
            | (AsiaPacific, AsiaPacific | NorthAmerica | Europe | Australia)
            | (NorthAmerica, NorthAmerica | Europe | Australia)
            | (Europe, Australia)
            | (Australia, Australia)
    )
}

fn cross_border(p: Pair) -> bool {
    (p.0 == Area::China) != (p.1 == Area::China)
}

fn region_name(ctx: &Ctx<'_>, region: &str) -> String {
    ctx.plan
        .regions
        .iter()
        .find(|r| r.id == region && !r.name.is_empty())
        .map(|r| r.name.clone())
        .or_else(|| catalog::find(region).map(|r| r.name.to_string()))
        .unwrap_or_else(|| region.to_string())
}

/// Whether a region pair is Mainland China ↔ Hong Kong.
fn mainland_hong_kong(ctx: &Ctx<'_>, r1: &str, r2: &str) -> bool {
    let mainland = |r: &str| ctx.region_area(r) == Some(Area::China);
    (r1 == HONG_KONG && mainland(r2)) || (r2 == HONG_KONG && mainland(r1))
}

/// What one CEN holds: regions of its attached VPCs/VBRs, bound packages, region bandwidths.
struct CenView<'a> {
    cen: &'a Cen,
    /// Region → attached VPC/VBR ids in it (attachment order).
    regions: BTreeMap<&'a str, Vec<&'a str>>,
    packages: Vec<&'a BandwidthPackage>,
    rbs: Vec<&'a RegionBandwidth>,
}

impl<'a> CenView<'a> {
    fn new(ctx: &Ctx<'a>, cen: &'a Cen) -> CenView<'a> {
        let mut regions: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for a in ctx.attachments_of(&cen.id) {
            if let Some(n) = ctx.networks.get(a.network.as_str()) {
                if n.kind == NetKind::Ccn {
                    continue;
                }
                if let Some(r) = n.region.filter(|r| !r.trim().is_empty()) {
                    let nets = regions.entry(r).or_default();
                    if !nets.contains(&n.id) {
                        nets.push(n.id);
                    }
                }
            }
        }
        CenView {
            cen,
            regions,
            packages: ctx
                .plan
                .bandwidth_packages
                .iter()
                .filter(|p| p.cen.as_deref() == Some(cen.id.as_str()))
                .collect(),
            rbs: ctx.plan.region_bandwidths.iter().filter(|b| b.cen == cen.id).collect(),
        }
    }

    fn nets_in(&self, region: &str) -> &[&'a str] {
        self.regions.get(region).map_or(&[], Vec::as_slice)
    }
}

pub(super) fn check(ctx: &Ctx<'_>, demand: &Demand, out: &mut Vec<Finding>) {
    for p in &ctx.plan.bandwidth_packages {
        check_package(ctx, p, out);
    }
    // Packages already reported as wrongly (un)bound: no "still billed" reminder for them.
    let mut flagged: BTreeSet<&str> = BTreeSet::new();
    for cen in ctx.cens() {
        let view = CenView::new(ctx, cen);
        check_cen(ctx, demand, &view, &mut flagged, out);
    }
    for p in &ctx.plan.bandwidth_packages {
        let unbound = p.cen.as_deref().is_none_or(|c| c.trim().is_empty());
        if unbound && !flagged.contains(p.id.as_str()) {
            out.push(
                Finding::new(
                    Code::CenBwp007,
                    Severity::Info,
                    Kind::BandwidthPackage,
                    &p.id,
                    format!(
                        "bandwidth package {} ({}, {} Mbps) is not bound to any CEN instance; an unbound package is still billed",
                        ctx.name(&p.id),
                        pair_label(package_pair(p)),
                        p.mbps
                    ),
                )
                .field("cen")
                .fix("Bind it to the CEN that needs this area pair, or let it expire (deleting a subscription package needs a ticket)."),
            );
        }
    }
}

/// Checks that need only the package: size, purchasable pair, cross-border reminder, owner.
fn check_package(ctx: &Ctx<'_>, p: &BandwidthPackage, out: &mut Vec<Finding>) {
    let name = ctx.name(&p.id);
    let pp = package_pair(p);
    let min = if ctx.as_of < dates::PACKAGE_MIN_2_MBPS { 1 } else { 2 };
    if p.mbps < min || p.mbps > PACKAGE_MAX_MBPS {
        out.push(
            Finding::new(
                Code::CenBwp005,
                Severity::Error,
                Kind::BandwidthPackage,
                &p.id,
                format!(
                    "bandwidth package {name} has {} Mbps; packages are whole Mbps from {min} to {PACKAGE_MAX_MBPS} as of {}",
                    p.mbps, ctx.as_of
                ),
            )
            .field("mbps")
            .fix(format!("Set the package bandwidth between {min} and {PACKAGE_MAX_MBPS} Mbps.")),
        );
    }
    if !purchasable_2019(pp) {
        out.push(
            Finding::new(
                Code::CenArea004,
                Severity::Warning,
                Kind::BandwidthPackage,
                &p.id,
                format!(
                    "bandwidth package {name} is for {}, a pair not on the 2019-08 list of purchasable area pairs; it may not be sold (plan date {})",
                    pair_label(pp),
                    ctx.as_of
                ),
            )
            .field("area_a")
            .fix("Confirm the pair is sold on the purchase page or with DescribeCenGeographicSpans before relying on it.")
            .outside_plan(),
        );
    }
    if cross_border(pp) {
        out.push(
            Finding::new(
                Code::CenBwp008,
                Severity::Info,
                Kind::BandwidthPackage,
                &p.id,
                format!(
                    "bandwidth package {name} ({}, {} Mbps) is cross-border: it can be upgraded but never downgraded",
                    pair_label(pp),
                    p.mbps
                ),
            )
            .field("mbps")
            .fix("Size it carefully before buying: start with what the region bandwidths need and upgrade later."),
        );
    }
    if let Some(cen) = p.cen.as_deref().and_then(|c| ctx.cen(c)) {
        let others: BTreeSet<&str> = ctx
            .attached_networks(&cen.id)
            .iter()
            .map(|n| n.owner)
            .filter(|o| !o.is_empty() && !cen.owner.is_empty() && *o != cen.owner)
            .collect();
        if !others.is_empty() {
            let accounts = others.iter().map(|o| ctx.name(o)).collect::<Vec<_>>().join(", ");
            out.push(
                Finding::new(
                    Code::CenBwp009,
                    Severity::Info,
                    Kind::BandwidthPackage,
                    &p.id,
                    format!(
                        "bandwidth package {name} serves CEN {} across accounts: it is bought and bound by the CEN owner {}, not by the network owners ({accounts})",
                        ctx.name(&cen.id),
                        ctx.name(&cen.owner)
                    ),
                )
                .field("cen")
                .related(Kind::Cen, &cen.id)
                .fix(format!(
                    "Buy the package and set the region bandwidths with account {}; the network owners only grant the attachment.",
                    ctx.name(&cen.owner)
                ))
                .outside_plan(),
            );
        }
    }
}

fn check_cen<'a>(ctx: &Ctx<'a>, demand: &Demand, view: &CenView<'a>, flagged: &mut BTreeSet<&'a str>, out: &mut Vec<Finding>) {
    let cen = view.cen;
    let cen_name = ctx.name(&cen.id);
    check_duplicates(ctx, view, cen_name, out);

    // CEN-BW-007: regions per CEN.
    if view.regions.len() > REGIONS_PER_CEN {
        let names = view.regions.keys().map(|r| region_name(ctx, r)).collect::<Vec<_>>().join(", ");
        out.push(
            Finding::new(
                Code::CenBw007,
                Severity::Warning,
                Kind::Cen,
                &cen.id,
                format!(
                    "CEN {cen_name} has networks in {} regions ({names}); the default quota is {REGIONS_PER_CEN} regions per CEN instance",
                    view.regions.len()
                ),
            )
            .fix("Ask for a quota increase by ticket before attaching, or split the regions over CEN instances."),
        );
    }

    // Region bandwidths: shape, attachment, and the package each draws from.
    let mut drawn: BTreeMap<&str, Vec<&RegionBandwidth>> = BTreeMap::new();
    let mut missing: BTreeMap<Pair, Vec<&RegionBandwidth>> = BTreeMap::new();
    for rb in &view.rbs {
        let (ra, rz) = (rb.region_a.as_str(), rb.region_b.as_str());
        let what = format!(
            "cross-region bandwidth {} ↔ {} on CEN {cen_name}",
            region_name(ctx, ra),
            region_name(ctx, rz)
        );
        if rb.mbps < 1 {
            out.push(
                Finding::new(
                    Code::CenBw003,
                    Severity::Error,
                    Kind::RegionBandwidth,
                    &rb.id,
                    format!("{what} is 0 Mbps; a configured region bandwidth is at least 1 Mbps (0 removes it)"),
                )
                .field("mbps")
                .related(Kind::Cen, &cen.id)
                .fix("Set at least 1 Mbps, or delete the region bandwidth."),
            );
        }
        if ra.trim().is_empty() || rz.trim().is_empty() {
            continue; // integrity reports the missing region
        }
        if ra == rz {
            out.push(
                Finding::new(
                    Code::CenBw001,
                    Severity::Error,
                    Kind::RegionBandwidth,
                    &rb.id,
                    format!("{what} names the same region twice; a region bandwidth joins two different regions"),
                )
                .field("region_b")
                .related(Kind::Cen, &cen.id)
                .fix("Pick the other region of the pair; networks in one region need no bandwidth."),
            );
            continue;
        }
        for (region, field) in [(ra, "region_a"), (rz, "region_b")] {
            if view.nets_in(region).is_empty() {
                out.push(
                    Finding::new(
                        Code::CenBw004,
                        Severity::Error,
                        Kind::RegionBandwidth,
                        &rb.id,
                        format!(
                            "{what}: CEN {cen_name} has no VPC or VBR attached in {}, so no bandwidth can be set toward it",
                            region_name(ctx, region)
                        ),
                    )
                    .field(field)
                    .related(Kind::Cen, &cen.id)
                    .fix(format!(
                        "Attach a network in {} to the CEN first, then set the bandwidth.",
                        region_name(ctx, region)
                    )),
                );
            }
        }
        let (na, nz) = (view.nets_in(ra), view.nets_in(rz));
        if !na.is_empty() && !nz.is_empty() && na.len() + nz.len() > 2 && rb.mbps >= 1 {
            let nets = na.iter().chain(nz).map(|n| ctx.name(n)).collect::<Vec<_>>().join(", ");
            let mut f = Finding::new(
                Code::CenBw006,
                Severity::Info,
                Kind::RegionBandwidth,
                &rb.id,
                format!(
                    "{what}: its {} Mbps is shared by all {} networks in the two regions ({nets}), not given to each",
                    rb.mbps,
                    na.len() + nz.len()
                ),
            )
            .field("mbps")
            .related(Kind::Cen, &cen.id)
            .fix("Size the bandwidth for the combined traffic of every network in the two regions.");
            for n in na.iter().chain(nz) {
                if let Some(net) = ctx.networks.get(n) {
                    f = f.related(net.kind.kind(), n);
                }
            }
            out.push(f);
        }
        let (Some(aa), Some(az)) = (ctx.region_area(ra), ctx.region_area(rz)) else {
            continue; // CEN-AREA-001 reports the unknown region
        };
        let need = pair(aa, az);
        match ctx.package(&view.cen.id, need.0, need.1) {
            Some(p) => {
                if rb.mbps >= 1 {
                    drawn.entry(p.id.as_str()).or_default().push(rb);
                }
            }
            None => missing.entry(need).or_default().push(rb),
        }
    }

    // Region bandwidths with no bound package for their area pair.
    for (&need, rbs) in &missing {
        report_missing_package_for_rbs(ctx, view, need, rbs, flagged, out);
    }

    // CEN-BW-002: the sum drawn from each package.
    for p in &view.packages {
        let Some(rbs) = drawn.get(p.id.as_str()) else { continue };
        let sum: u64 = rbs.iter().map(|b| u64::from(b.mbps)).sum();
        if sum > u64::from(p.mbps) {
            let parts = rbs
                .iter()
                .map(|b| {
                    format!(
                        "{} ↔ {} {} Mbps",
                        region_name(ctx, &b.region_a),
                        region_name(ctx, &b.region_b),
                        b.mbps
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let mut f = Finding::new(
                Code::CenBw002,
                Severity::Error,
                Kind::BandwidthPackage,
                &p.id,
                format!(
                    "the region bandwidths drawn from package {} on CEN {cen_name} add up to {sum} Mbps ({parts}), more than its {} Mbps",
                    ctx.name(&p.id),
                    p.mbps
                ),
            )
            .field("mbps")
            .fix(if cross_border(package_pair(p)) {
                "Lower the region bandwidths or upgrade the package (it is cross-border: it can never be downgraded again)."
            } else {
                "Lower the region bandwidths or upgrade the package."
            });
            for b in rbs {
                f = f.related(Kind::RegionBandwidth, &b.id);
            }
            out.push(f);
        }
    }

    // Pairs of regions whose networks must talk: every pair attached to one CEN, or, with declared
    // flows, the pairs some required flow crosses (`Demand::must_talk`); never two lines of one site.
    let regions: Vec<&str> = view.regions.keys().copied().collect();
    let areas: Vec<Option<Area>> = regions.iter().map(|r| ctx.region_area(r)).collect();
    let set: rustc_hash::FxHashSet<(&str, &str)> = view
        .rbs
        .iter()
        .map(|b| (b.region_a.as_str().min(&b.region_b), b.region_a.as_str().max(&b.region_b)))
        .collect();
    let mut needed: BTreeSet<Pair> = BTreeSet::new();
    let mut no_package: BTreeMap<Pair, Vec<(&str, &str)>> = BTreeMap::new();
    for (i, &r1) in regions.iter().enumerate() {
        for (j, &r2) in regions.iter().enumerate().skip(i + 1) {
            let (Some(a1), Some(a2)) = (areas[i], areas[j]) else {
                continue;
            };
            // Lines of one site never need to reach each other: a pair of regions holding only such
            // lines needs no bandwidth. With declared flows, only the networks of a required flow talk.
            let talk = view
                .nets_in(r1)
                .iter()
                .any(|a| view.nets_in(r2).iter().any(|b| !ctx.same_site(a, b) && demand.must_talk(a, b)));
            if !talk {
                continue;
            }
            let need = pair(a1, a2);
            needed.insert(need);
            if set.contains(&(r1.min(r2), r1.max(r2))) {
                continue;
            }
            report_test_link(ctx, view, r1, r2, out);
            if ctx.package(&view.cen.id, need.0, need.1).is_none() && !missing.contains_key(&need) {
                no_package.entry(need).or_default().push((r1, r2));
            }
        }
    }
    for (need, pairs) in &no_package {
        report_missing_package_for_pairs(ctx, view, *need, pairs, out);
    }

    // CEN-BWP-001 (info): a bound package that no pair of the CEN's networks needs. A CCN needs the
    // pair of its area and another area's network (from 2021); a CCN alone in its own area is
    // CEN-CCN-004's, not repeated here.
    let ccn_homes: Vec<Area> = ctx
        .attached_networks(&cen.id)
        .iter()
        .filter(|n| n.kind == NetKind::Ccn)
        .filter_map(|n| n.ccn_area.map(|a| a.cen_area()))
        .collect();
    let areas_present: BTreeSet<Area> = areas.iter().flatten().copied().collect();
    for p in &view.packages {
        let pp = package_pair(p);
        let by_ccn = ccn_homes.iter().any(|&h| {
            (pp.0 == h && pp.0 != pp.1 && areas_present.contains(&pp.1)) || (pp.1 == h && pp.0 != pp.1 && areas_present.contains(&pp.0))
        });
        let ccn_same_area = pp.0 == pp.1 && ccn_homes.contains(&pp.0);
        // A package already reported as the wrong one (CEN-AREA-003, CEN-BWP-002 ...) is not told again.
        let reported = out.iter().any(|f| {
            f.severity != Severity::Info && (f.entity.as_ref().is_some_and(|e| e.id == p.id) || f.related.iter().any(|e| e.id == p.id))
        });
        if needed.contains(&pp) || by_ccn || ccn_same_area || reported {
            continue;
        }
        // Regions of the pair are there, but no required flow crosses them (declared flows).
        let crossed = regions.iter().enumerate().any(|(i, r1)| {
            regions
                .iter()
                .skip(i + 1)
                .any(|r2| match (ctx.region_area(r1), ctx.region_area(r2)) {
                    (Some(a1), Some(a2)) => pair(a1, a2) == pp,
                    _ => false,
                })
        });
        let why = if view.regions.len() <= 1 {
            "not needed: the CEN's networks are all in one region, and same-region traffic needs no package".to_string()
        } else if crossed && !demand.assumed() {
            format!("not needed: no declared required flow crosses the {} pair", pair_label(pp))
        } else {
            format!("unused: no two regions of the CEN's networks are in the {} pair", pair_label(pp))
        };
        out.push(
            Finding::new(
                Code::CenBwp001,
                Severity::Info,
                Kind::BandwidthPackage,
                &p.id,
                format!(
                    "bandwidth package {} ({}, {} Mbps) on CEN {cen_name} is {why}",
                    ctx.name(&p.id),
                    pair_label(pp),
                    p.mbps
                ),
            )
            .field("cen")
            .related(Kind::Cen, &cen.id)
            .fix("Keep it only if networks in those areas will be attached; an unneeded package is still billed."),
        );
    }

    // CEN-AREA-004 for pairs the CEN needs but has no package for (a package's own pair is checked on it).
    for need in needed {
        if !purchasable_2019(need) && ctx.package(&view.cen.id, need.0, need.1).is_none() {
            out.push(
                Finding::new(
                    Code::CenArea004,
                    Severity::Warning,
                    Kind::Cen,
                    &cen.id,
                    format!(
                        "CEN {cen_name} connects regions of the {} area pair, which is not on the 2019-08 list of purchasable pairs (plan date {})",
                        pair_label(need),
                        ctx.as_of
                    ),
                )
                .fix("Confirm the pair is sold on the purchase page or with DescribeCenGeographicSpans before planning traffic between these regions.")
            .outside_plan(),
            );
        }
    }
}

/// CEN-BWP-004 (and CEN-AREA-002 when the duplicate is the same pair written the other way round).
fn check_duplicates(ctx: &Ctx<'_>, view: &CenView<'_>, cen_name: &str, out: &mut Vec<Finding>) {
    for (j, pj) in view.packages.iter().enumerate() {
        let Some(pi) = view.packages[..j].iter().find(|pi| package_pair(pi) == package_pair(pj)) else {
            continue;
        };
        let pp = package_pair(pj);
        out.push(
            Finding::new(
                Code::CenBwp004,
                Severity::Error,
                Kind::BandwidthPackage,
                &pj.id,
                format!(
                    "bandwidth package {} is a second {} package bound to CEN {cen_name} (after {}); a CEN holds one package per area pair",
                    ctx.name(&pj.id),
                    pair_label(pp),
                    ctx.name(&pi.id)
                ),
            )
            .field("cen")
            .related(Kind::BandwidthPackage, &pi.id)
            .related(Kind::Cen, &view.cen.id)
            .fix(format!(
                "Upgrade {} instead of binding a second package for the same pair.",
                ctx.name(&pi.id)
            )),
        );
        if pj.area_a != pj.area_b && pj.area_a == pi.area_b && pj.area_b == pi.area_a {
            out.push(
                Finding::new(
                    Code::CenArea002,
                    Severity::Warning,
                    Kind::BandwidthPackage,
                    &pj.id,
                    format!(
                        "bandwidth package {} ({}–{}) and {} ({}–{}) are the same area pair written in the other order: the pair is unordered",
                        ctx.name(&pj.id),
                        pj.area_a.api_id(),
                        pj.area_b.api_id(),
                        ctx.name(&pi.id),
                        pi.area_a.api_id(),
                        pi.area_b.api_id()
                    ),
                )
                .field("area_a")
                .related(Kind::BandwidthPackage, &pi.id)
                .fix("Treat A–B and B–A as one package: keep one and size it for both directions' needs."),
            );
        }
    }
}

/// Region bandwidths on a CEN with no bound package for their area pair: CEN-AREA-003, CEN-BWP-007 or CEN-BWP-002.
fn report_missing_package_for_rbs<'a>(
    ctx: &Ctx<'a>,
    view: &CenView<'a>,
    need: Pair,
    rbs: &[&RegionBandwidth],
    flagged: &mut BTreeSet<&'a str>,
    out: &mut Vec<Finding>,
) {
    let cen = view.cen;
    let cen_name = ctx.name(&cen.id);
    let china_china = ctx.package(&view.cen.id, Area::China, Area::China);
    // A package for the pair that is not bound to this CEN (unbound ones first).
    let elsewhere = ctx
        .plan
        .bandwidth_packages
        .iter()
        .filter(|p| package_pair(p) == need && p.cen.as_deref() != Some(cen.id.as_str()))
        .min_by_key(|p| p.cen.as_deref().is_some_and(|c| !c.trim().is_empty()));
    let mut via_elsewhere: Vec<&RegionBandwidth> = Vec::new();
    for rb in rbs {
        let (ra, rz) = (rb.region_a.as_str(), rb.region_b.as_str());
        let what = format!(
            "cross-region bandwidth {} ↔ {} on CEN {cen_name}",
            region_name(ctx, ra),
            region_name(ctx, rz)
        );
        if let (Some(cc), true) = (china_china, mainland_hong_kong(ctx, ra, rz)) {
            if elsewhere.is_none() {
                out.push(
                    Finding::new(
                        Code::CenArea003,
                        Severity::Error,
                        Kind::RegionBandwidth,
                        &rb.id,
                        format!(
                            "{what} cannot draw from the China–China package {}: Hong Kong is in Asia Pacific, so this link is cross-border",
                            ctx.name(&cc.id)
                        ),
                    )
                    .related(Kind::BandwidthPackage, &cc.id)
                    .related(Kind::Cen, &cen.id)
                    .fix("Buy a China–Asia-Pacific package and bind it to the CEN."),
                );
                continue;
            }
        }
        if elsewhere.is_some() {
            via_elsewhere.push(rb);
            continue;
        }
        let bound = view.packages.iter().map(|p| pair_label(package_pair(p))).collect::<Vec<_>>();
        let bound = if bound.is_empty() { "none".to_string() } else { bound.join(", ") };
        let mut f = Finding::new(
            Code::CenBwp002,
            Severity::Error,
            Kind::RegionBandwidth,
            &rb.id,
            format!(
                "{what} needs a {} package, and CEN {cen_name} has none bound (bound pairs: {bound})",
                pair_label(need)
            ),
        )
        .related(Kind::Cen, &cen.id)
        .fix(format!(
            "Buy a {} package and bind it to the CEN, or remove this region bandwidth.",
            pair_label(need)
        ));
        for p in &view.packages {
            f = f.related(Kind::BandwidthPackage, &p.id);
        }
        out.push(f);
    }
    if let (Some(p), false) = (elsewhere, via_elsewhere.is_empty()) {
        flagged.insert(p.id.as_str());
        let where_ = match p.cen.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => format!("is bound to CEN {}, not {cen_name}", ctx.name(c)),
            None => format!("is not bound to any CEN ({cen_name} needs it)"),
        };
        let pairs = via_elsewhere
            .iter()
            .map(|b| format!("{} ↔ {}", region_name(ctx, &b.region_a), region_name(ctx, &b.region_b)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut f = Finding::new(
            Code::CenBwp007,
            Severity::Error,
            Kind::BandwidthPackage,
            &p.id,
            format!(
                "bandwidth package {} ({}) {where_}, yet region bandwidths on {cen_name} draw on that pair ({pairs}); a package must stay bound while region bandwidths use it",
                ctx.name(&p.id),
                pair_label(need)
            ),
        )
        .field("cen")
        .related(Kind::Cen, &cen.id)
        .fix(format!(
            "Bind {} to CEN {cen_name} (a package serves one CEN at a time), or remove those region bandwidths before unbinding.",
            ctx.name(&p.id)
        ));
        for b in &via_elsewhere {
            f = f.related(Kind::RegionBandwidth, &b.id);
        }
        out.push(f);
    }
}

/// Region pairs with no region bandwidth and no bound package for their area pair:
/// CEN-AREA-003 (Mainland ↔ Hong Kong with only China–China), CEN-BWP-003 (same area) or CEN-BWP-001.
fn report_missing_package_for_pairs(ctx: &Ctx<'_>, view: &CenView<'_>, need: Pair, pairs: &[(&str, &str)], out: &mut Vec<Finding>) {
    let cen = view.cen;
    let cen_name = ctx.name(&cen.id);
    let list = pairs
        .iter()
        .map(|(a, b)| format!("{} ↔ {}", region_name(ctx, a), region_name(ctx, b)))
        .collect::<Vec<_>>()
        .join(", ");
    let spare = ctx
        .plan
        .bandwidth_packages
        .iter()
        .find(|p| package_pair(p) == need && p.cen.as_deref().is_none_or(|c| c.trim().is_empty()));
    let buy = match spare {
        Some(p) => format!("Bind the unbound {} package {} to the CEN", pair_label(need), ctx.name(&p.id)),
        None => format!("Buy a {} package and bind it to the CEN", pair_label(need)),
    };
    let related_nets = |mut f: Finding| {
        for (a, b) in pairs {
            for r in [a, b] {
                if let Some(n) = view.nets_in(r).first() {
                    if let Some(net) = ctx.networks.get(n) {
                        if !f.related.iter().any(|e| e.id == *n) {
                            f = f.related(net.kind.kind(), n);
                        }
                    }
                }
            }
        }
        f
    };
    let hk = pairs.iter().any(|(a, b)| mainland_hong_kong(ctx, a, b));
    if let (Some(cc), true, true) = (
        ctx.package(&view.cen.id, Area::China, Area::China),
        hk,
        need == (Area::China, Area::AsiaPacific),
    ) {
        out.push(related_nets(
            Finding::new(
                Code::CenArea003,
                Severity::Error,
                Kind::BandwidthPackage,
                &cc.id,
                format!(
                    "CEN {cen_name} links Mainland China and Hong Kong ({list}) but has only the China–China package {}: Hong Kong is in Asia Pacific, so the link is cross-border and that package cannot carry it",
                    ctx.name(&cc.id)
                ),
            )
            .related(Kind::Cen, &cen.id)
            .fix(format!("{buy} (China–Asia-Pacific), then set the region bandwidths.")),
        ));
        return;
    }
    let (code, why) = if need.0 == need.1 {
        (
            Code::CenBwp003,
            format!("regions in one area ({}) still need a same-area package", need.0.label()),
        )
    } else {
        (
            Code::CenBwp001,
            "networks in different regions need a package for their area pair".to_string(),
        )
    };
    out.push(related_nets(
        Finding::new(
            code,
            Severity::Warning,
            Kind::Cen,
            &cen.id,
            format!(
                "CEN {cen_name} connects {list} but has no {} bandwidth package bound: {why}, so only the 1 Kbps test link exists",
                pair_label(need)
            ),
        )
        .fix(format!("{buy}, then set a region bandwidth for each region pair.")),
    ));
}

/// A region pair of attached networks with no region bandwidth: one finding for the pair, CEN-BW-005
/// when a neighbouring region bandwidth might be taken to cover it (`Ctx::neighbour_region_bandwidth`),
/// CEN-BW-008 (only the test link) otherwise.
fn report_test_link(ctx: &Ctx<'_>, view: &CenView<'_>, r1: &str, r2: &str, out: &mut Vec<Finding>) {
    let cen = view.cen;
    let cen_name = ctx.name(&cen.id);
    let (n1, n2) = (view.nets_in(r1), view.nets_in(r2));
    let nets = |ns: &[&str]| ns.iter().map(|n| ctx.name(n)).collect::<Vec<_>>().join(", ");
    let (name1, name2) = (region_name(ctx, r1), region_name(ctx, r2));
    let neighbour = ctx.neighbour_region_bandwidth(&cen.id, r1, r2);
    let (code, borrowed) = match neighbour {
        Some(b) => (
            Code::CenBw005,
            format!(
                "; cross-region bandwidth {} ↔ {} serves only its own region pair, this traffic does not borrow it",
                region_name(ctx, &b.region_a),
                region_name(ctx, &b.region_b)
            ),
        ),
        None => (Code::CenBw008, String::new()),
    };
    let mut f = Finding::new(
        code,
        Severity::Warning,
        Kind::Cen,
        &cen.id,
        format!(
            "CEN {cen_name} has no cross-region bandwidth for {name1} ↔ {name2}: {} and {} get only the default 1 Kbps test link (a ping works, services do not){borrowed}",
            nets(n1),
            nets(n2)
        ),
    )
    .fix(format!("Set a cross-region bandwidth {name1} ↔ {name2} on the CEN from a package for the two regions' areas."));
    // Two networks of each region at most: the fix (`Analysis::fix_edits`) reads the two regions from them.
    for n in n1.iter().take(2).chain(n2.iter().take(2)) {
        if let Some(net) = ctx.networks.get(n) {
            f = f.related(net.kind.kind(), n);
        }
    }
    if let Some(b) = neighbour {
        f = f.related(Kind::RegionBandwidth, &b.id);
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use crate::core::catalog::{Area, CcnArea};
    use crate::core::model::Plan;
    use crate::core::testing::{check_codes, plan, PlanBuilder};
    use expect_test::expect;

    /// A plan with accounts `a` and `b`, CEN `c` owned by `a`, and the given VPCs (id, region) attached to `c`.
    fn cen_with(as_of: &str, vpcs: &[(&str, &str)]) -> PlanBuilder {
        let mut p = plan().as_of(as_of).account("b", "2").cen("c");
        for (i, (id, region)) in vpcs.iter().enumerate() {
            p = p.vpc(id, region, &format!("10.{i}.0.0/16"));
        }
        for (id, _) in vpcs {
            p = p.attach(&format!("t-{id}"), "c", id);
        }
        p
    }

    const D: &str = "2019-09-19";

    /// The codes of this module's concern (other modules' findings on the same plan are not ours to test).
    const OWN: &[&str] = &["CEN-BW", "CEN-AREA"];

    /// Shanghai + Virginia with a China–North-America package and the region bandwidth: all set.
    fn good() -> Plan {
        cen_with(D, &[("v1", "cn-shanghai"), ("v2", "us-east-1")])
            .package("p", Some("c"), Area::NorthAmerica, Area::China, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "us-east-1", 10)
            .build()
    }

    #[test]
    fn a_complete_cross_region_plan_has_only_the_cross_border_reminder() {
        check_codes(
            &good(),
            OWN,
            expect![[r#"
                info CEN-BWP-008 p.mbps: bandwidth package p (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
    }

    /// One finding per fact: a missing region pair next to an existing region bandwidth is one
    /// CEN-BW-005 finding (not a CEN-BW-008 and a CEN-BW-005), a lone missing pair one CEN-BW-008.
    #[test]
    fn a_missing_region_pair_is_one_finding() {
        let p = plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-shanghai", "10.2.0.0/16")
            .vpc("v3", "cn-beijing", "10.3.0.0/16")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "v3")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("rb", "c", "cn-hangzhou", "cn-shanghai", 5)
            .build();
        check_codes(
            &p,
            &["CEN-BW-00"],
            expect![[r#"
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Beijing) ↔ China (Hangzhou): v3 and v1 get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth China (Hangzhou) ↔ China (Shanghai) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Beijing) ↔ China (Hangzhou) on the CEN from a package for the two regions' areas.
              related: v3, v1, rb
            warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Beijing) ↔ China (Shanghai): v3 and v2 get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth China (Hangzhou) ↔ China (Shanghai) serves only its own region pair, this traffic does not borrow it
              fix: Set a cross-region bandwidth China (Beijing) ↔ China (Shanghai) on the CEN from a package for the two regions' areas.
              related: v3, v2, rb
        "#]],
        );
    }

    /// A package no pair of networks needs is an info: "not needed: same region" or "unused"; a
    /// needed one says nothing.
    #[test]
    fn a_package_no_pair_needs_is_an_info() {
        let same_region = plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .build();
        check_codes(
            &same_region,
            &["CEN-BWP-001"],
            expect![[r#"
            info CEN-BWP-001 p.cen: bandwidth package p (China–China, 10 Mbps) on CEN c is not needed: the CEN's networks are all in one region, and same-region traffic needs no package
              fix: Keep it only if networks in those areas will be attached; an unneeded package is still billed.
              related: c
        "#]],
        );
        let other_pair = plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-shanghai", "10.2.0.0/16")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .package("p", Some("c"), Area::China, Area::China, 10)
            .package("q", Some("c"), Area::China, Area::Europe, 10)
            .region_bandwidth("rb", "c", "cn-hangzhou", "cn-shanghai", 5)
            .build();
        check_codes(
            &other_pair,
            &["CEN-BWP-001"],
            expect![[r#"
            info CEN-BWP-001 q.cen: bandwidth package q (China–Europe, 10 Mbps) on CEN c is unused: no two regions of the CEN's networks are in the China–Europe pair
              fix: Keep it only if networks in those areas will be attached; an unneeded package is still billed.
              related: c
        "#]],
        );
        // The regions of the pair are there, but the declared flows never cross them.
        let no_flow = plan()
            .cen("c")
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "eu-central-1", "10.2.0.0/16")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .attach("t3", "c", "v3")
            .package("q", Some("c"), Area::China, Area::Europe, 10)
            .required("f", "v1", "v3")
            .build();
        check_codes(
            &no_flow,
            &["CEN-BWP-001"],
            expect![[r#"
                info CEN-BWP-001 q.cen: bandwidth package q (China–Europe, 10 Mbps) on CEN c is not needed: no declared required flow crosses the China–Europe pair
                  fix: Keep it only if networks in those areas will be attached; an unneeded package is still billed.
                  related: c
            "#]],
        );
    }

    #[test]
    fn same_region_needs_nothing() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "cn-shanghai")]).build();
        check_codes(&p, OWN, expect![[""]]);
    }

    #[test]
    fn reversed_duplicate_pair_is_area_002_and_bwp_004() {
        let p = cen_with(D, &[("v1", "cn-shanghai")])
            .package("p1", Some("c"), Area::China, Area::Europe, 5)
            .package("p2", Some("c"), Area::Europe, Area::China, 5)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-002", "CEN-BWP-004"],
            expect![[r#"
                error CEN-BWP-004 p2.cen: bandwidth package p2 is a second China–Europe package bound to CEN c (after p1); a CEN holds one package per area pair
                  fix: Upgrade p1 instead of binding a second package for the same pair.
                  related: p1, c
                warning CEN-AREA-002 p2.area_a: bandwidth package p2 (Europe–China) and p1 (China–Europe) are the same area pair written in the other order: the pair is unordered
                  fix: Treat A–B and B–A as one package: keep one and size it for both directions' needs.
                  related: p1
            "#]],
        );
        // Same order: only the package limit.
        let p = cen_with(D, &[("v1", "cn-shanghai")])
            .package("p1", Some("c"), Area::China, Area::China, 5)
            .package("p2", Some("c"), Area::China, Area::China, 5)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-002", "CEN-BWP-004"],
            expect![[r#"
                error CEN-BWP-004 p2.cen: bandwidth package p2 is a second China–China package bound to CEN c (after p1); a CEN holds one package per area pair
                  fix: Upgrade p1 instead of binding a second package for the same pair.
                  related: p1, c
            "#]],
        );
    }

    #[test]
    fn different_pairs_on_one_cen_are_fine() {
        let p = cen_with(D, &[("v1", "cn-shanghai")])
            .package("p1", Some("c"), Area::China, Area::China, 5)
            .package("p2", Some("c"), Area::China, Area::NorthAmerica, 5)
            .build();
        check_codes(&p, &["CEN-BWP-004", "CEN-AREA-002"], expect![[""]]);
    }

    #[test]
    fn hong_kong_with_only_a_china_china_package() {
        let vpcs = [("v1", "cn-shanghai"), ("v2", "cn-hongkong")];
        // With a region bandwidth: the region bandwidth cannot draw from China–China.
        let p = cen_with(D, &vpcs)
            .package("cc", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "cn-hongkong", 5)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-003", "CEN-BWP-002"],
            expect![[r#"
                error CEN-AREA-003 r: cross-region bandwidth China (Shanghai) ↔ China (Hong Kong) on CEN c cannot draw from the China–China package cc: Hong Kong is in Asia Pacific, so this link is cross-border
                  fix: Buy a China–Asia-Pacific package and bind it to the CEN.
                  related: cc, c
            "#]],
        );
        // Without: the China–China package is reported.
        let p = cen_with(D, &vpcs).package("cc", Some("c"), Area::China, Area::China, 10).build();
        check_codes(
            &p,
            &["CEN-AREA-003", "CEN-BWP-001"],
            expect![[r#"
                error CEN-AREA-003 cc: CEN c links Mainland China and Hong Kong (China (Hong Kong) ↔ China (Shanghai)) but has only the China–China package cc: Hong Kong is in Asia Pacific, so the link is cross-border and that package cannot carry it
                  fix: Buy a China–Asia-Pacific package and bind it to the CEN (China–Asia-Pacific), then set the region bandwidths.
                  related: c, v2, v1
            "#]],
        );
        // With the right package: nothing.
        let p = cen_with(D, &vpcs)
            .package("ca", Some("c"), Area::AsiaPacific, Area::China, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "cn-hongkong", 5)
            .build();
        check_codes(&p, &["CEN-AREA-003"], expect![[""]]);
        // Mainland ↔ Singapore with only China–China is a plain missing package, not AREA-003.
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "ap-southeast-1")])
            .package("cc", Some("c"), Area::China, Area::China, 10)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-003", "CEN-BWP-001"],
            expect![[r#"
                warning CEN-BWP-001 c: CEN c connects Singapore ↔ China (Shanghai) but has no China–Asia-Pacific bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
                  fix: Buy a China–Asia-Pacific package and bind it to the CEN, then set a region bandwidth for each region pair.
                  related: v2, v1
                info CEN-BWP-001 cc.cen: bandwidth package cc (China–China, 10 Mbps) on CEN c is unused: no two regions of the CEN's networks are in the China–China pair
                  fix: Keep it only if networks in those areas will be attached; an unneeded package is still billed.
                  related: c
            "#]],
        );
    }

    #[test]
    fn europe_europe_and_middle_east_are_not_on_the_2019_list() {
        let p = cen_with(D, &[("v1", "eu-central-1"), ("v2", "eu-west-1")]).build();
        check_codes(
            &p,
            &["CEN-AREA-004"],
            expect![[r#"
                warning CEN-AREA-004 c: CEN c connects regions of the Europe–Europe area pair, which is not on the 2019-08 list of purchasable pairs (plan date 2019-09-19)
                  fix: outside the plan: Confirm the pair is sold on the purchase page or with DescribeCenGeographicSpans before planning traffic between these regions.
            "#]],
        );
        let p = cen_with(D, &[("v1", "eu-central-1")])
            .package("p", Some("c"), Area::MiddleEast, Area::Europe, 10)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-004"],
            expect![[r#"
                warning CEN-AREA-004 p.area_a: bandwidth package p is for Europe–Middle-East, a pair not on the 2019-08 list of purchasable area pairs; it may not be sold (plan date 2019-09-19)
                  fix: outside the plan: Confirm the pair is sold on the purchase page or with DescribeCenGeographicSpans before relying on it.
            "#]],
        );
        // A package for the pair moves the warning onto the package.
        let p = cen_with(D, &[("v1", "eu-central-1"), ("v2", "eu-west-1")])
            .package("p", Some("c"), Area::Europe, Area::Europe, 10)
            .build();
        check_codes(
            &p,
            &["CEN-AREA-004"],
            expect![[r#"
                warning CEN-AREA-004 p.area_a: bandwidth package p is for Europe–Europe, a pair not on the 2019-08 list of purchasable area pairs; it may not be sold (plan date 2019-09-19)
                  fix: outside the plan: Confirm the pair is sold on the purchase page or with DescribeCenGeographicSpans before relying on it.
            "#]],
        );
        check_codes(&good(), &["CEN-AREA-004"], expect![[""]]);
    }

    #[test]
    fn cross_area_pair_without_a_package_is_bwp_001_and_test_link() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "us-east-1")]).build();
        check_codes(
            &p,
            &["CEN-BWP-001", "CEN-BW-008"],
            expect![[r#"
                warning CEN-BW-008 c: CEN c has no cross-region bandwidth for China (Shanghai) ↔ US (Virginia): v1 and v2 get only the default 1 Kbps test link (a ping works, services do not)
                  fix: Set a cross-region bandwidth China (Shanghai) ↔ US (Virginia) on the CEN from a package for the two regions' areas.
                  related: v1, v2
                warning CEN-BWP-001 c: CEN c connects China (Shanghai) ↔ US (Virginia) but has no China–North-America bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
                  fix: Buy a China–North-America package and bind it to the CEN, then set a region bandwidth for each region pair.
                  related: v1, v2
            "#]],
        );
        check_codes(&good(), &["CEN-BWP-001", "CEN-BW-008"], expect![[""]]);
    }

    #[test]
    fn unbound_matching_package_is_suggested_and_billed() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "us-east-1")])
            .package("p", None, Area::China, Area::NorthAmerica, 10)
            .build();
        // The fix of BWP-001 suggests binding the unbound package.
        check_codes(
            &p,
            &["CEN-BWP-001", "CEN-BWP-007"],
            expect![[r#"
                warning CEN-BWP-001 c: CEN c connects China (Shanghai) ↔ US (Virginia) but has no China–North-America bandwidth package bound: networks in different regions need a package for their area pair, so only the 1 Kbps test link exists
                  fix: Bind the unbound China–North-America package p to the CEN, then set a region bandwidth for each region pair.
                  related: v1, v2
                info CEN-BWP-007 p.cen: bandwidth package p (China–North-America, 10 Mbps) is not bound to any CEN instance; an unbound package is still billed
                  fix: Bind it to the CEN that needs this area pair, or let it expire (deleting a subscription package needs a ticket).
            "#]],
        );
        check_codes(&good(), &["CEN-BWP-007"], expect![[""]]);
    }

    #[test]
    fn region_bandwidth_with_no_package_for_its_pair_is_bwp_002() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "us-east-1")])
            .package("p", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "us-east-1", 5)
            .build();
        // No second finding (BWP-001) for the same missing package.
        check_codes(
            &p,
            &["CEN-BWP-002", "CEN-BWP-001"],
            expect![[r#"
                error CEN-BWP-002 r: cross-region bandwidth China (Shanghai) ↔ US (Virginia) on CEN c needs a China–North-America package, and CEN c has none bound (bound pairs: China–China)
                  fix: Buy a China–North-America package and bind it to the CEN, or remove this region bandwidth.
                  related: c, p
            "#]],
        );
        check_codes(&good(), &["CEN-BWP-002"], expect![[""]]);
    }

    #[test]
    fn region_bandwidth_on_a_cen_its_package_is_not_bound_to_is_bwp_007() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "us-east-1")])
            .package("p", None, Area::China, Area::NorthAmerica, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "us-east-1", 5)
            .build();
        check_codes(
            &p,
            &["CEN-BWP-007", "CEN-BWP-002"],
            expect![[r#"
                error CEN-BWP-007 p.cen: bandwidth package p (China–North-America) is not bound to any CEN (c needs it), yet region bandwidths on c draw on that pair (China (Shanghai) ↔ US (Virginia)); a package must stay bound while region bandwidths use it
                  fix: Bind p to CEN c (a package serves one CEN at a time), or remove those region bandwidths before unbinding.
                  related: c, r
            "#]],
        );
    }

    #[test]
    fn same_area_cross_region_needs_a_package() {
        let p = cen_with(D, &[("v1", "cn-beijing"), ("v2", "cn-shanghai")]).build();
        check_codes(
            &p,
            &["CEN-BWP-003", "CEN-BWP-001"],
            expect![[r#"
                warning CEN-BWP-003 c: CEN c connects China (Beijing) ↔ China (Shanghai) but has no China–China bandwidth package bound: regions in one area (Mainland China) still need a same-area package, so only the 1 Kbps test link exists
                  fix: Buy a China–China package and bind it to the CEN, then set a region bandwidth for each region pair.
                  related: v1, v2
            "#]],
        );
        let p = cen_with(D, &[("v1", "cn-beijing"), ("v2", "cn-shanghai")])
            .package("p", Some("c"), Area::China, Area::China, 8)
            .region_bandwidth("r", "c", "cn-beijing", "cn-shanghai", 8)
            .build();
        check_codes(&p, OWN, expect![[""]]);
    }

    #[test]
    fn package_size_honours_the_date() {
        let vpcs = [("v1", "cn-shanghai")];
        let sized = |as_of: &str, mbps: u32| {
            cen_with(as_of, &vpcs)
                .package("p", Some("c"), Area::China, Area::China, mbps)
                .build()
        };
        check_codes(
            &sized(D, 1),
            &["CEN-BWP-005"],
            expect![[r#"
                error CEN-BWP-005 p.mbps: bandwidth package p has 1 Mbps; packages are whole Mbps from 2 to 10000 as of 2019-09-19
                  fix: Set the package bandwidth between 2 and 10000 Mbps.
            "#]],
        );
        check_codes(&sized("2018-08-27", 1), &["CEN-BWP-005"], expect![[""]]);
        check_codes(
            &sized(D, 10_001),
            &["CEN-BWP-005"],
            expect![[r#"
                error CEN-BWP-005 p.mbps: bandwidth package p has 10001 Mbps; packages are whole Mbps from 2 to 10000 as of 2019-09-19
                  fix: Set the package bandwidth between 2 and 10000 Mbps.
            "#]],
        );
        check_codes(&sized(D, 2), &["CEN-BWP-005"], expect![[""]]);
    }

    #[test]
    fn cross_border_packages_get_the_no_downgrade_reminder() {
        check_codes(
            &good(),
            &["CEN-BWP-008"],
            expect![[r#"
                info CEN-BWP-008 p.mbps: bandwidth package p (China–North-America, 10 Mbps) is cross-border: it can be upgraded but never downgraded
                  fix: Size it carefully before buying: start with what the region bandwidths need and upgrade later.
            "#]],
        );
        let p = cen_with(D, &[("v1", "cn-shanghai")])
            .package("p", Some("c"), Area::China, Area::China, 10)
            .build();
        check_codes(&p, &["CEN-BWP-008"], expect![[""]]);
    }

    #[test]
    fn cross_account_cen_gets_the_owner_buys_reminder() {
        let mut p = good();
        p.vpcs[1].owner = "b".into();
        check_codes(
            &p,
            &["CEN-BWP-009"],
            expect![[r#"
                info CEN-BWP-009 p.cen: bandwidth package p serves CEN c across accounts: it is bought and bound by the CEN owner a, not by the network owners (b)
                  fix: outside the plan: Buy the package and set the region bandwidths with account a; the network owners only grant the attachment.
                  related: c
            "#]],
        );
        check_codes(&good(), &["CEN-BWP-009"], expect![[""]]);
    }

    #[test]
    fn region_bandwidth_shape_rules() {
        let vpcs = [("v1", "cn-shanghai"), ("v2", "us-east-1")];
        let with_rb = |a: &str, b: &str, mbps: u32| {
            cen_with(D, &vpcs)
                .package("p", Some("c"), Area::China, Area::NorthAmerica, 10)
                .region_bandwidth("r", "c", a, b, mbps)
                .build()
        };
        check_codes(
            &with_rb("cn-shanghai", "cn-shanghai", 5),
            &["CEN-BW-001"],
            expect![[r#"
                error CEN-BW-001 r.region_b: cross-region bandwidth China (Shanghai) ↔ China (Shanghai) on CEN c names the same region twice; a region bandwidth joins two different regions
                  fix: Pick the other region of the pair; networks in one region need no bandwidth.
                  related: c
            "#]],
        );
        check_codes(
            &with_rb("cn-shanghai", "us-east-1", 0),
            &["CEN-BW-003"],
            expect![[r#"
                error CEN-BW-003 r.mbps: cross-region bandwidth China (Shanghai) ↔ US (Virginia) on CEN c is 0 Mbps; a configured region bandwidth is at least 1 Mbps (0 removes it)
                  fix: Set at least 1 Mbps, or delete the region bandwidth.
                  related: c
            "#]],
        );
        check_codes(
            &with_rb("cn-beijing", "us-east-1", 5),
            &["CEN-BW-004"],
            expect![[r#"
                error CEN-BW-004 r.region_a: cross-region bandwidth China (Beijing) ↔ US (Virginia) on CEN c: CEN c has no VPC or VBR attached in China (Beijing), so no bandwidth can be set toward it
                  fix: Attach a network in China (Beijing) to the CEN first, then set the bandwidth.
                  related: c
            "#]],
        );
        check_codes(&good(), &["CEN-BW-001", "CEN-BW-003", "CEN-BW-004"], expect![[""]]);
    }

    #[test]
    fn sum_of_region_bandwidths_may_not_exceed_the_package() {
        // Rulebook E3: 10 + 8 + 5 > 20.
        let vpcs = [
            ("v1", "us-east-1"),
            ("v2", "cn-hangzhou"),
            ("v3", "cn-shanghai"),
            ("v4", "cn-shenzhen"),
        ];
        let p = |mbps: u32| {
            cen_with(D, &vpcs)
                .package("p", Some("c"), Area::China, Area::NorthAmerica, mbps)
                .region_bandwidth("r1", "c", "us-east-1", "cn-hangzhou", 10)
                .region_bandwidth("r2", "c", "us-east-1", "cn-shanghai", 8)
                .region_bandwidth("r3", "c", "us-east-1", "cn-shenzhen", 5)
                .build()
        };
        check_codes(
            &p(20),
            &["CEN-BW-002"],
            expect![[r#"
                error CEN-BW-002 p.mbps: the region bandwidths drawn from package p on CEN c add up to 23 Mbps (US (Virginia) ↔ China (Hangzhou) 10 Mbps, US (Virginia) ↔ China (Shanghai) 8 Mbps, US (Virginia) ↔ China (Shenzhen) 5 Mbps), more than its 20 Mbps
                  fix: Lower the region bandwidths or upgrade the package (it is cross-border: it can never be downgraded again).
                  related: r1, r2, r3
            "#]],
        );
        check_codes(&p(23), &["CEN-BW-002"], expect![[""]]);
    }

    #[test]
    fn a_missing_pair_next_to_an_existing_one_is_bw_005() {
        let vpcs = [("v1", "cn-shanghai"), ("v2", "us-east-1"), ("v3", "cn-beijing")];
        let base = || {
            cen_with(D, &vpcs)
                .package("p", Some("c"), Area::China, Area::NorthAmerica, 20)
                .package("q", Some("c"), Area::China, Area::China, 5)
                .region_bandwidth("r1", "c", "cn-shanghai", "us-east-1", 10)
                .region_bandwidth("r2", "c", "cn-beijing", "cn-shanghai", 5)
        };
        // Beijing ↔ Virginia has no bandwidth of its own.
        check_codes(
            &base().build(),
            &["CEN-BW-008", "CEN-BW-005"],
            expect![[r#"
                warning CEN-BW-005 c: CEN c has no cross-region bandwidth for China (Beijing) ↔ US (Virginia): v3 and v2 get only the default 1 Kbps test link (a ping works, services do not); cross-region bandwidth China (Shanghai) ↔ US (Virginia) serves only its own region pair, this traffic does not borrow it
                  fix: Set a cross-region bandwidth China (Beijing) ↔ US (Virginia) on the CEN from a package for the two regions' areas.
                  related: v3, v2, r1
            "#]],
        );
        check_codes(&good(), &["CEN-BW-005"], expect![[""]]);
        let p = base().region_bandwidth("r3", "c", "cn-beijing", "us-east-1", 5).build();
        check_codes(&p, &["CEN-BW-005", "CEN-BW-008"], expect![[""]]);
    }

    #[test]
    fn shared_region_bandwidth_is_explained() {
        let p = cen_with(D, &[("v1", "cn-shanghai"), ("v2", "cn-shanghai"), ("v3", "us-east-1")])
            .package("p", Some("c"), Area::China, Area::NorthAmerica, 10)
            .region_bandwidth("r", "c", "cn-shanghai", "us-east-1", 10)
            .build();
        check_codes(
            &p,
            &["CEN-BW-006"],
            expect![[r#"
                info CEN-BW-006 r.mbps: cross-region bandwidth China (Shanghai) ↔ US (Virginia) on CEN c: its 10 Mbps is shared by all 3 networks in the two regions (v1, v2, v3), not given to each
                  fix: Size the bandwidth for the combined traffic of every network in the two regions.
                  related: c, v1, v2, v3
            "#]],
        );
        check_codes(&good(), &["CEN-BW-006"], expect![[""]]);
    }

    #[test]
    fn more_than_five_regions_is_a_warning() {
        let six = [
            ("v1", "cn-shanghai"),
            ("v2", "cn-beijing"),
            ("v3", "cn-hangzhou"),
            ("v4", "cn-shenzhen"),
            ("v5", "cn-qingdao"),
            ("v6", "cn-zhangjiakou"),
        ];
        check_codes(
            &cen_with(D, &six).build(),
            &["CEN-BW-007"],
            expect![[r#"
                warning CEN-BW-007 c: CEN c has networks in 6 regions (China (Beijing), China (Hangzhou), China (Qingdao), China (Shanghai), China (Shenzhen), China (Zhangjiakou)); the default quota is 5 regions per CEN instance
                  fix: Ask for a quota increase by ticket before attaching, or split the regions over CEN instances.
            "#]],
        );
        check_codes(&cen_with(D, &six[..5]).build(), &["CEN-BW-007"], expect![[""]]);
    }

    #[test]
    fn ccn_pairs_need_no_package_here() {
        let p = plan()
            .cen("c")
            .vpc("v", "cn-shanghai", "10.0.0.0/16")
            .ccn("n", CcnArea::MainlandChina)
            .attach("t1", "c", "v")
            .attach("t2", "c", "n")
            .build();
        check_codes(&p, &["CEN-BW"], expect![[""]]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let p = cen_with("not a date", &[("v1", "mars-1"), ("v2", "")])
            .package("p", Some("nope"), Area::China, Area::China, 0)
            .region_bandwidth("r", "c", "", "mars-1", 0)
            .region_bandwidth("r2", "zzz", "x", "y", u32::MAX)
            .build();
        let _ = crate::core::rules::check(&p);
    }
}
