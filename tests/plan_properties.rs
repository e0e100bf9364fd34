//! Property tests on random plans: saving then loading is the identity, and the analysis (rules,
//! route tables, reachability) never panics. Names and free text mix markup, quotes and any Unicode;
//! references point at real ids of any kind, at nothing, or at junk.

use cen_planner::core::catalog::{Area, CcnArea};
use cen_planner::core::dataplane::{DataPlane, Fib};
use cen_planner::core::facts::Ctx;
use cen_planner::core::format::{from_bytes, from_json, to_json};
use cen_planner::core::generate::{generate, GenOptions};
use cen_planner::core::matrix::{cells as matrix, endpoints as matrix_endpoints, Matrix};
use cen_planner::core::model::*;
use cen_planner::core::rules::check;
use proptest::prelude::*;
use std::net::Ipv4Addr;

/// Free text: plain words, markup and quotes, or any Unicode (control characters included).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 _.-]{0,12}",
        2 => prop::sample::select(vec![
            "<script>alert(1)</script>",
            "\"quoted\" & 'single' <b>",
            "</textarea><img src=x onerror=alert(2)>",
            "&amp; &lt; &#x27; ]]> <!-- -->",
            "\\ backslash \u{0} nul \u{202e}rtl",
            "日本語 🚀 \u{feff}",
            "",
        ])
        .prop_map(str::to_string),
        2 => any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
}

/// The random choices of one entity; `build` turns them into the entity of a kind.
#[derive(Clone, Debug)]
struct Seed {
    suffix: String,
    name: String,
    refs: [usize; 3],
    values: [usize; 3],
    cidrs: Vec<usize>,
    flag: bool,
    mbps: u32,
    junk: String,
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        prop_oneof![3 => Just(String::new()), 1 => text()],
        text(),
        any::<[usize; 3]>(),
        any::<[usize; 3]>(),
        prop::collection::vec(any::<usize>(), 0..4),
        any::<bool>(),
        prop_oneof![any::<u32>(), 0u32..20_000],
        text(),
    )
        .prop_map(|(suffix, name, refs, values, cidrs, flag, mbps, junk)| Seed {
            suffix,
            name,
            refs,
            values,
            cidrs,
            flag,
            mbps,
            junk,
        })
}

const CIDRS: &[&str] = &[
    "10.0.0.0/16",
    "10.0.1.0/24",
    "10.0.0.0/8",
    "10.1.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "192.168.1.0/24",
    "0.0.0.0/0",
    "100.64.0.0/10",
    "10.0.0.1/32",
    "10.0.0.0/33",
    "not a cidr",
    "",
];
const REGIONS: &[&str] = &[
    "cn-hangzhou",
    "cn-shanghai",
    "cn-hongkong",
    "us-east-1",
    "eu-central-1",
    "ap-southeast-1",
    "me-east-1",
    "mars-1",
    "",
];
const DATES: &[&str] = &["2018-08-27", "2019-09-19", "2020-02-29", "2024-06-01", "2019-13-01", ""];
const UIDS: &[&str] = &["1111222233334444", "5555666677778888", "12", ""];

fn pick<'a>(list: &[&'a str], i: usize, junk: &'a str) -> &'a str {
    // One choice in list.len() + 1 is free text.
    list.get(i % (list.len() + 1)).copied().unwrap_or(junk)
}

/// Builds a plan: `counts[k]` entities of `Kind::ALL[k]`, their choices from `seeds` (reused in turn).
fn build(name: String, as_of: usize, counts: Vec<usize>, seeds: Vec<Seed>) -> Plan {
    let mut plan = Plan::new(&name, pick(DATES, as_of, "someday"));
    let ids: Vec<Vec<String>> = Kind::ALL
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(s, (kind, &n))| {
            (0..n)
                .map(|i| {
                    let suffix = &seeds[(s * 7 + i) % seeds.len()].suffix;
                    format!("{}-{}{}{suffix}", kind.id_prefix(), i + 1, if suffix.is_empty() { "" } else { ":" })
                })
                .collect()
        })
        .collect();
    let all: Vec<&String> = ids.iter().flatten().collect();
    let mut next = 0;
    for (k, kind) in Kind::ALL.iter().enumerate() {
        for id in &ids[k] {
            let s = &seeds[next % seeds.len()];
            next += 1;
            // A reference: usually an id of a kind it may point at, sometimes of any kind, nothing or junk.
            let r = |j: usize, wanted: &[Kind]| -> String {
                let x = s.refs[j];
                let fitting: Vec<&String> = wanted
                    .iter()
                    .flat_map(|w| &ids[Kind::ALL.iter().position(|k| k == w).unwrap_or(0)])
                    .collect();
                match x % 8 {
                    0 => String::new(),
                    1 => s.junk.clone(),
                    2 if !all.is_empty() => all[x / 8 % all.len()].clone(),
                    _ if !fitting.is_empty() => fitting[x / 8 % fitting.len()].clone(),
                    _ => String::new(),
                }
            };
            use Kind::{
                Account as A, Ccn as C, Cen as N, CustomerGateway as G, IpsecConnection as I, Peering as P, Sag as Z, VSwitch as S,
                Vbr as B, Vpc as V, VpnGateway as W,
            };
            let cidrs: Vec<String> = s.cidrs.iter().map(|&c| pick(CIDRS, c, &s.junk).to_string()).collect();
            let cidr = pick(CIDRS, s.values[0], &s.junk).to_string();
            let region = pick(REGIONS, s.values[1], &s.junk).to_string();
            let date = pick(DATES, s.values[2], &s.junk).to_string();
            let area = Area::ALL[s.values[1] % Area::ALL.len()];
            let (id, name) = (id.clone(), s.name.clone());
            match kind {
                Kind::Account => plan.accounts.push(Account {
                    id,
                    name,
                    uid: pick(UIDS, s.values[0], &s.junk).to_string(),
                }),
                Kind::Region => plan.regions.push(Region { id, name, area }),
                Kind::Vpc => plan.vpcs.push(Vpc {
                    id,
                    name,
                    owner: r(0, &[A]),
                    region,
                    cidr,
                    secondary_cidrs: cidrs,
                    classiclink: s.flag,
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::VSwitch => plan.vswitches.push(VSwitch {
                    id,
                    name,
                    vpc: r(0, &[V]),
                    zone: format!("{region}-a"),
                    cidr,
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::RouteEntry => plan.route_entries.push(RouteEntry {
                    id,
                    name,
                    network: r(0, &[V, B]),
                    destination: cidr,
                    next_hop_type: [
                        NextHopType::Ecs,
                        NextHopType::VpnGateway,
                        NextHopType::HaVip,
                        NextHopType::Peering,
                        NextHopType::NatGateway,
                        NextHopType::Idc,
                    ][s.values[2] % 6],
                    next_hop: r(1, &[W, P]),
                    table: if s.values[1] % 3 == 0 {
                        RouteTable::Custom
                    } else {
                        RouteTable::System
                    },
                    published: s.flag,
                }),
                Kind::Vbr => plan.vbrs.push(Vbr {
                    id,
                    name,
                    owner: r(0, &[A]),
                    region,
                    idc_cidrs: cidrs,
                    routing: if s.flag { VbrRouting::Bgp } else { VbrRouting::Static },
                    health_check: s.values[2] % 2 == 0,
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::Ccn => plan.ccns.push(Ccn {
                    id,
                    name,
                    owner: r(0, &[A]),
                    area: CcnArea::ALL[s.values[1] % CcnArea::ALL.len()],
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::Sag => plan.sags.push(Sag {
                    id,
                    name,
                    ccn: r(0, &[C]),
                    cidrs,
                    backup_for_vbr: s.flag.then(|| r(1, &[B])),
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::VpnGateway => plan.vpn_gateways.push(VpnGateway {
                    id,
                    name,
                    vpc: r(0, &[V]),
                    bandwidth_mbps: s.mbps,
                }),
                Kind::CustomerGateway => plan.customer_gateways.push(CustomerGateway {
                    id,
                    name,
                    region,
                    public_ip: ["203.0.113.7", "10.0.0.1", "300.1.1.1", ""][s.values[0] % 4].to_string(),
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::IpsecConnection => plan.ipsec_connections.push(IpsecConnection {
                    id,
                    name,
                    vpn_gateway: r(0, &[W]),
                    customer_gateway: r(1, &[G]),
                    local_cidrs: vec![cidr],
                    remote_cidrs: cidrs,
                    ike_version: if s.flag { IkeVersion::V1 } else { IkeVersion::V2 },
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::Peering => plan.peerings.push(Peering {
                    id,
                    name,
                    a: r(0, &[V, B]),
                    b: r(1, &[V, B]),
                }),
                Kind::Cen => plan.cens.push(Cen {
                    id,
                    name,
                    owner: r(0, &[A]),
                    overlapping_routes: s.flag,
                    created_on: date,
                }),
                Kind::Attachment => plan.attachments.push(Attachment {
                    id,
                    cen: r(0, &[N]),
                    network: r(1, &[V, B, C]),
                    attached_on: date,
                }),
                Kind::Grant => plan.grants.push(Grant {
                    id,
                    network: r(0, &[V, B, C]),
                    cen: r(1, &[N]),
                    cen_owner_uid: pick(UIDS, s.values[0], &s.junk).to_string(),
                }),
                Kind::BandwidthPackage => plan.bandwidth_packages.push(BandwidthPackage {
                    id,
                    name,
                    cen: s.flag.then(|| r(0, &[N])),
                    area_a: area,
                    area_b: Area::ALL[s.values[2] % Area::ALL.len()],
                    mbps: s.mbps,
                }),
                Kind::RegionBandwidth => plan.region_bandwidths.push(RegionBandwidth {
                    id,
                    cen: r(0, &[N]),
                    region_a: region,
                    region_b: pick(REGIONS, s.values[2], &s.junk).to_string(),
                    mbps: s.mbps,
                }),
                Kind::Site => plan.sites.push(cen_planner::core::model::Site {
                    id,
                    name,
                    kind: cen_planner::core::model::SiteKind::DataCentre,
                    prefixes: cidrs,
                    lines: vec![
                        cen_planner::core::model::SiteLine {
                            via: r(0, &[B, Kind::Sag]),
                            role: None,
                            as_path_length: s.flag.then_some(s.values[0] as u32 % 4),
                        },
                        cen_planner::core::model::SiteLine {
                            via: r(1, &[B, Kind::Sag]),
                            role: None,
                            as_path_length: Some(s.values[2] as u32 % 4),
                        },
                    ],
                    labels: if s.flag { vec!["spoke".into()] } else { Vec::new() },
                }),
                Kind::RouteMap => plan.route_maps.push(cen_planner::core::model::RouteMap {
                    id,
                    name,
                    cen: r(0, &[N]),
                    region,
                    direction: if s.flag {
                        cen_planner::core::model::MapDirection::RegionIn
                    } else {
                        cen_planner::core::model::MapDirection::RegionOut
                    },
                    priority: (s.values[0] % 120) as u32,
                    action: if s.values[2] % 2 == 0 {
                        cen_planner::core::model::MapAction::Permit
                    } else {
                        cen_planner::core::model::MapAction::Deny
                    },
                    next_priority: s.flag.then_some((s.values[1] % 120) as u32),
                    source_networks: vec![r(1, &[V, B, C])],
                    destination_networks: vec![r(0, &[V, B, C])],
                    prefixes: if s.values[1] % 2 == 0 { vec![cidr] } else { Vec::new() },
                    ..Default::default()
                }),
                Kind::Group => plan.groups.push(cen_planner::core::model::Group {
                    id,
                    name,
                    members: vec![r(0, &[V, S, B, C, Z, G, I, Kind::Site]), r(1, &[V, S, B, C, Z, G, I, Kind::Site])],
                    label: if s.flag { "spoke".into() } else { s.junk.clone() },
                }),
                Kind::Flow => plan.flows.push(cen_planner::core::model::Flow {
                    id,
                    name,
                    rule: if s.values[2] % 3 == 0 {
                        cen_planner::core::model::FlowRule::Forbidden
                    } else {
                        cen_planner::core::model::FlowRule::Required
                    },
                    from: r(0, &[V, S, B, C, Z, G, I, Kind::Site, Kind::Group]),
                    to: r(1, &[V, S, B, C, Z, G, I, Kind::Site, Kind::Group]),
                    min_mbps: s.flag.then_some(s.mbps),
                    notes: s.junk.clone(),
                }),
                Kind::Comment => plan.comments.push(cen_planner::core::model::Comment {
                    id,
                    entity: r(0, &[V, N]),
                    code: date,
                    author: name,
                    text: s.junk.clone(),
                    resolved: s.flag,
                }),
                Kind::Waiver => plan.waivers.push(cen_planner::core::model::Waiver {
                    id,
                    code: "CEN-BW-008".into(),
                    entity: r(0, &[V, N]),
                    reason: s.junk.clone(),
                    author: name,
                }),
            }
        }
    }
    plan.notes = seeds[0].junk.clone();
    plan
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        text(),
        any::<usize>(),
        prop::collection::vec(0usize..4, Kind::ALL.len()),
        prop::collection::vec(seed(), 1..12),
    )
        .prop_map(|(name, as_of, counts, seeds)| build(name, as_of, counts, seeds))
}

/// Keeps the items whose bit in `mask` (by position, modulo 64) is clear: about a quarter go when the
/// mask is the `&` of two random words.
fn thin<T>(items: &mut Vec<T>, mask: u64) {
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        mask >> ((i - 1) % 64) & 1 == 0
    });
}

/// A generated, realistic plan (any seed and size), then broken in random places: dates, attachments,
/// grants, packages, region bandwidths, published routes, custom tables, overlapping routes, CCN
/// areas, and peering connections with their static routes.
fn generated() -> impl Strategy<Value = Plan> {
    (
        (any::<u64>(), 3usize..25, 1usize..4, 0usize..30, 2usize..8),
        any::<[u64; 8]>(),
        0usize..5,
    )
        .prop_map(|((seed, networks, cidrs, routes, regions), m, date)| {
            let o = GenOptions {
                seed,
                networks,
                cidrs_per_network: cidrs,
                custom_routes: routes,
                regions,
                ..GenOptions::typical()
            };
            let mut p = generate(&o);
            if let Some(d) = ["2019-09-19", "2020-06-01", "2021-08-01", "2018-09-01"].get(date) {
                p.settings.as_of = d.to_string();
            }
            thin(&mut p.attachments, m[0] & m[1]);
            thin(&mut p.grants, m[1] & m[2]);
            thin(&mut p.bandwidth_packages, m[2] & m[3]);
            thin(&mut p.region_bandwidths, m[3] & m[4]);
            for (i, a) in p.attachments.iter_mut().enumerate() {
                if m[5] >> (i % 64) & 3 == 3 {
                    a.attached_on = ["2018-07-01", "2019-01-01"][i % 2].to_string();
                }
            }
            for (i, r) in p.route_entries.iter_mut().enumerate() {
                r.published ^= m[6] >> (i % 64) & 7 == 7;
                if m[7] >> (i % 64) & 7 == 7 {
                    r.table = RouteTable::Custom;
                }
            }
            for (i, c) in p.cens.iter_mut().enumerate() {
                c.overlapping_routes = m[4] >> i & 1 == 1;
            }
            for (i, c) in p.ccns.iter_mut().enumerate() {
                c.area = CcnArea::ALL[(m[5] >> (8 * i % 64)) as usize % CcnArea::ALL.len()];
            }
            peer(&mut p, m[6] ^ m[7]);
            p
        })
}

/// Adds up to three peering connections between VPCs, each with a static route in both VPCs toward
/// the other's block (sometimes only its first vSwitch).
fn peer(p: &mut Plan, mask: u64) {
    let n = p.vpcs.len();
    for k in 0..(mask % 4) as usize {
        if n < 2 {
            return;
        }
        let (i, j) = ((mask >> (8 + 8 * k)) as usize % n, (mask >> (12 + 8 * k)) as usize % n);
        if i == j {
            continue;
        }
        let id = format!("pcc-{}", k + 1);
        p.peerings.push(Peering {
            id: id.clone(),
            name: String::new(),
            a: p.vpcs[i].id.clone(),
            b: p.vpcs[j].id.clone(),
        });
        for (from, to) in [(i, j), (j, i)] {
            let first = p.vswitches.iter().find(|s| s.vpc == p.vpcs[to].id).map(|s| s.cidr.clone());
            let destination = if mask >> (40 + k) & 1 == 1 {
                first.unwrap_or_default()
            } else {
                p.vpcs[to].cidr.clone()
            };
            p.route_entries.push(RouteEntry {
                id: format!("rte-peer-{}-{from}", k + 1),
                name: String::new(),
                network: p.vpcs[from].id.clone(),
                destination,
                next_hop_type: NextHopType::Peering,
                next_hop: id.clone(),
                table: RouteTable::System,
                published: false,
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn save_then_load_is_the_identity(p in plan()) {
        let text = to_json(&p);
        let loaded = from_json(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&loaded, &p);
        prop_assert_eq!(to_json(&loaded), text.clone());
        prop_assert_eq!(from_bytes(text.as_bytes()).unwrap(), p);
    }

    #[test]
    fn the_analysis_never_panics(p in plan()) {
        let report = check(&p);
        prop_assert_eq!(check(&p), report, "the report is deterministic");
        let routing = DataPlane::new(Ctx::new(&p));
        let ctx = &routing.ctx;
        for id in p.vpcs.iter().map(|v| &v.id).chain(p.vbrs.iter().map(|v| &v.id)).chain(p.ccns.iter().map(|c| &c.id)) {
            routing.table(id);
        }
        let mut endpoints = matrix_endpoints(ctx);
        endpoints.truncate(8);
        let cells = matrix(&routing, &endpoints);
        prop_assert_eq!(cells.len(), endpoints.len());
    }

    /// The whole matrix, decided once per (source network, destination address) over the shared
    /// forwarding index, equals one trace per pair, cell for cell.
    #[test]
    fn the_matrix_equals_one_trace_per_pair(p in plan()) {
        let routing = DataPlane::new(Ctx::new(&p));
        let m = Matrix::new(&routing);
        let traced = matrix(&routing, &m.endpoints);
        for (i, (fast, slow)) in m.cells.iter().zip(&traced).enumerate() {
            for (j, (f, s)) in fast.iter().zip(slow).enumerate() {
                prop_assert_eq!(f, s, "{} -> {}", &m.endpoints[i].id, &m.endpoints[j].id);
            }
        }
        prop_assert_eq!(m.cells.len(), traced.len());
    }

    /// The forwarding index answers every lookup as the built route table does, at every prefix
    /// boundary of every table.
    #[test]
    fn the_forwarding_index_answers_as_the_route_tables(p in plan()) {
        let routing = DataPlane::new(Ctx::new(&p));
        let fib = Fib::new(&routing);
        let mut ids: Vec<&str> = routing.ctx.networks.keys().copied().collect();
        ids.sort_unstable();
        let mut addrs = vec![Ipv4Addr::new(0, 0, 0, 0)];
        for id in &ids {
            for r in &routing.table(id).routes {
                let (first, last) = (u32::from(r.prefix.network()), u32::from(r.prefix.broadcast()));
                addrs.extend([first, first.saturating_add(1), last, last.saturating_add(1)].map(Ipv4Addr::from));
            }
        }
        for id in ids {
            let table = routing.table(id);
            for &a in &addrs {
                let got = fib.lookup(fib.node(id), &fib.probe(a)).map(|f| f.route);
                prop_assert_eq!(got, table.lookup(a), "{} {}", id, a);
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On generated plans broken in random places (test links, blocked CCN hops, peerings, refused
    /// and unpublished routes), the whole matrix equals one trace per pair.
    #[test]
    fn the_matrix_equals_one_trace_per_pair_on_generated_plans(p in generated()) {
        let routing = DataPlane::new(Ctx::new(&p));
        let m = Matrix::new(&routing);
        prop_assert_eq!(&m.cells, &matrix(&routing, &m.endpoints));
    }
}
