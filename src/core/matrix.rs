//! The all-pairs reachability matrix: which endpoint reaches which (rows reach columns).
//!
//! `Matrix::new` decides the whole matrix by address class rather than by pair: a trace toward an
//! endpoint aims at one address per prefix of it (`reach::host`), and everything a walk does depends
//! only on the source network and that address. So the matrix walks once per (source network,
//! destination address), with the same walk as `trace` (`reach::walk`), over a forwarding index
//! shared by the networks of each CEN (`dataplane::Fib`: longest-prefix match by binary search, no
//! route table built), and then reads each cell off the walks: endpoints of one network share a row.
//! `cells` keeps one trace per pair, for a window of the matrix and as the oracle of the tests.

use crate::core::dataplane::{DataPlane, Fib, Found, Probe};
use crate::core::facts::Ctx;
use crate::core::model::Kind;
use crate::core::reach::walk::{self, Fabric, Link, Site, Walk};
use crate::core::reach::{endpoint, host, trace, Disposition, Endpoint};
use serde::Serialize;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The matrix of a plan: its endpoints and the forward disposition of every ordered pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Every VPC, VBR and CCN with addresses, then every office and SAG branch.
    pub endpoints: Vec<Endpoint>,
    /// `cells[i][j]`: from endpoint i to endpoint j (an endpoint reaches itself).
    pub cells: Vec<Vec<Disposition>>,
}

impl Matrix {
    /// Computes the whole matrix of a data plane (equal, cell for cell, to `cells`).
    pub fn new(dp: &DataPlane<'_>) -> Matrix {
        let endpoints = endpoints(&dp.ctx);
        let cells = all_cells(dp, &endpoints);
        Matrix { endpoints, cells }
    }
}

/// The endpoints of the matrix: every VPC, VBR and CCN with addresses, then every office and SAG branch.
pub fn endpoints(ctx: &Ctx<'_>) -> Vec<Endpoint> {
    let plan = ctx.plan;
    let ids = plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(plan.vbrs.iter().map(|v| &v.id))
        .chain(plan.ccns.iter().map(|c| &c.id))
        .chain(plan.ipsec_connections.iter().map(|c| &c.id))
        .chain(plan.sags.iter().map(|s| &s.id));
    ids.filter_map(|id| endpoint(ctx, id).ok()).collect()
}

/// What an endpoint is, for people: its name and a word for its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Label {
    /// The name: a network's or branch's own name; for an office, its customer gateway's name
    /// (with the VPN gateway when the office has more than one connection in the list).
    pub name: String,
    /// `VPC`, `VBR`, `CCN`, `office` or `branch`.
    pub what: String,
}

/// The labels of `endpoints`, in order: offices are named after their customer gateway, not their
/// IPsec connection.
pub fn labels(ctx: &Ctx<'_>, endpoints: &[Endpoint]) -> Vec<Label> {
    let office = |e: &Endpoint| -> Option<(&str, &str)> {
        let conn = ctx.plan.ipsec_connections.iter().find(|c| Some(&c.id) == e.ipsec.as_ref())?;
        Some((conn.customer_gateway.as_str(), conn.vpn_gateway.as_str()))
    };
    let mut per_office: HashMap<&str, usize> = HashMap::new();
    for e in endpoints {
        if let Some((cgw, _)) = office(e) {
            *per_office.entry(cgw).or_default() += 1;
        }
    }
    endpoints
        .iter()
        .map(|e| match office(e) {
            Some((cgw, gw)) => {
                let name = if ctx.index.kind_of(cgw).is_some() {
                    ctx.name(cgw)
                } else {
                    ctx.name(&e.id)
                };
                Label {
                    name: if per_office.get(cgw).copied().unwrap_or(0) > 1 {
                        format!("{name} via {}", ctx.name(gw))
                    } else {
                        name.to_string()
                    },
                    what: "office".into(),
                }
            }
            None => Label {
                name: ctx.name(&e.id).to_string(),
                what: match e.kind {
                    Kind::Vpc | Kind::VSwitch => "VPC",
                    Kind::Vbr => "VBR",
                    Kind::Ccn => "CCN",
                    Kind::Sag => "branch",
                    _ => "office",
                }
                .into(),
            },
        })
        .collect()
}

/// The forward disposition of every ordered pair of `endpoints`, one trace per pair.
pub fn cells(dp: &DataPlane<'_>, endpoints: &[Endpoint]) -> Vec<Vec<Disposition>> {
    endpoints
        .iter()
        .map(|a| {
            endpoints
                .iter()
                .map(|b| {
                    if a.id == b.id {
                        Disposition::Reachable
                    } else {
                        trace(dp, a, b).disposition
                    }
                })
                .collect()
        })
        .collect()
}

/// The forward disposition of every ordered pair of `endpoints`, one walk per (source network,
/// destination address): equal to `cells`.
pub fn all_cells(dp: &DataPlane<'_>, endpoints: &[Endpoint]) -> Vec<Vec<Disposition>> {
    let fib = Fib::new(dp);
    let fabric = Index::new(dp, &fib, endpoints);
    let columns: Vec<Column<'_>> = endpoints.iter().map(|b| Column::new(&fib, &fabric, b)).collect();
    let mut same_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, b) in endpoints.iter().enumerate() {
        same_id.entry(b.id.as_str()).or_default().push(j);
    }
    let mut rows: HashMap<u32, Vec<Disposition>> = HashMap::new();
    let mut walks = Vec::with_capacity(fabric.probes.len());
    endpoints
        .iter()
        .map(|a| {
            let source = fib.node(&a.network);
            let raw = rows.entry(source).or_insert_with(|| {
                fabric.walk_all(source, &mut walks);
                columns.iter().map(|c| c.disposition(&walks)).collect()
            });
            let mut row = raw.clone();
            for &j in same_id.get(a.id.as_str()).into_iter().flatten() {
                row[j] = Disposition::Reachable;
            }
            row
        })
        .collect()
}

/// One column: the destination addresses of an endpoint (positions in `Index::probes`), its network
/// and its IPsec connection.
struct Column<'e> {
    dsts: Vec<u32>,
    network: u32,
    ipsec: Option<&'e str>,
}

impl<'e> Column<'e> {
    fn new(fib: &Fib<'_, '_>, fabric: &Index<'_, '_>, b: &'e Endpoint) -> Column<'e> {
        Column {
            dsts: b.prefixes.iter().map(|p| fabric.position(host(p))).collect(),
            network: fib.node(&b.network),
            ipsec: b.ipsec.as_deref(),
        }
    }

    /// As `trace`: the worst disposition over the endpoint's addresses (unreachable without any).
    fn disposition(&self, walks: &[Walk<'_, u32>]) -> Disposition {
        let mut worst: Option<Disposition> = None;
        for &d in &self.dsts {
            let here = walks[d as usize].disposition(self.network, self.ipsec);
            if worst.is_none_or(|w| (here as u8) > (w as u8)) {
                worst = Some(here);
            }
        }
        worst.unwrap_or(Disposition::Unreachable)
    }
}

/// The forwarding index as a walk reads it: nodes are `Fib` nodes, destinations are positions in the
/// sorted, distinct destination addresses of the endpoints (each located once in every CEN's index),
/// and CEN hops are decided once per (CEN, site, site).
struct Index<'f, 'a> {
    dp: &'f DataPlane<'a>,
    fib: &'f Fib<'f, 'a>,
    addrs: Vec<Ipv4Addr>,
    probes: Vec<Probe>,
    /// Per node: its site (a position in `sites`), if it is a network.
    site_of: Vec<Option<u32>>,
    sites: Vec<Site<'a>>,
    /// Per node: its effective CEN (a position in `cens`).
    cen_of: Vec<Option<u32>>,
    cens: Vec<&'a str>,
    /// `link` per (CEN, site, site), decided on first use.
    links: Vec<OnceCell<Link<'a>>>,
    /// Per destination, its two last lookups (node, route), the newer first.
    recent: Vec<Cell<[Looked<'f>; 2]>>,
    /// `office` per VPN gateway and destination, found on first use.
    offices: RefCell<HashMap<String, HashMap<u32, Option<&'a str>>>>,
}

impl<'f, 'a> Index<'f, 'a> {
    fn new(dp: &'f DataPlane<'a>, fib: &'f Fib<'f, 'a>, endpoints: &[Endpoint]) -> Index<'f, 'a> {
        let ctx = &dp.ctx;
        let mut addrs: Vec<Ipv4Addr> = endpoints.iter().flat_map(|e| e.prefixes.iter().map(host)).collect();
        addrs.sort_unstable();
        addrs.dedup();
        let probes = addrs.iter().map(|&a| fib.probe(a)).collect();
        let addrs_len = addrs.len();
        let nodes = fib.unknown() as usize;
        let (mut sites, mut site_of) = (Vec::new(), Vec::with_capacity(nodes));
        let (mut cens, mut cen_of) = (Vec::new(), Vec::with_capacity(nodes));
        for node in 0..nodes as u32 {
            let net = ctx.networks.get(fib.id(node));
            site_of.push(net.map(|n| intern(&mut sites, Site::of(ctx, n))));
            cen_of.push(net.and(dp.effective_cen(fib.id(node))).map(|c| intern(&mut cens, c)));
        }
        let links = (0..cens.len() * sites.len() * sites.len()).map(|_| OnceCell::new()).collect();
        Index {
            dp,
            fib,
            addrs,
            probes,
            site_of,
            sites,
            cen_of,
            cens,
            links,
            offices: RefCell::default(),
            recent: (0..addrs_len).map(|_| Cell::new([(fib.unknown() + 1, None); 2])).collect(),
        }
    }

    /// The position of a destination address (one of the endpoints' `host` addresses).
    fn position(&self, addr: Ipv4Addr) -> u32 {
        self.addrs.partition_point(|&a| a < addr) as u32
    }

    /// Walks from `source` to every destination address, into `walks`.
    fn walk_all(&self, source: u32, walks: &mut Vec<Walk<'a, u32>>) {
        walks.clear();
        walks.extend((0..self.probes.len() as u32).map(|d| walk::walk(&self.dp.ctx, self, source, d, &mut ())));
    }
}

/// A lookup kept for reuse: the node asked and the route found.
type Looked<'f> = (u32, Option<Found<'f>>);

/// The position of `item` in `list`, added if new (the lists are short: sites and CENs).
fn intern<T: PartialEq>(list: &mut Vec<T>, item: T) -> u32 {
    let i = list.iter().position(|x| *x == item).unwrap_or_else(|| {
        list.push(item);
        list.len() - 1
    });
    i as u32
}

impl<'f, 'a> Fabric<'a> for Index<'f, 'a> {
    type Node = u32;
    type Dst = u32;
    type Hit<'h>
        = Found<'h>
    where
        Self: 'h;

    fn node(&self, id: &'a str) -> u32 {
        self.fib.node(id)
    }

    fn id(&self, node: u32) -> &str {
        self.fib.id(node)
    }

    fn lookup(&self, at: u32, dst: u32) -> Option<Found<'_>> {
        // The two last lookups of each destination are kept: rows walk every destination in turn, and
        // the second hop of a destination is mostly the same network (its origin) for every row.
        let slots = &self.recent[dst as usize];
        let [newer, older] = slots.get();
        if newer.0 == at {
            return newer.1;
        }
        let found = if older.0 == at {
            older.1
        } else {
            self.fib.lookup(at, &self.probes[dst as usize])
        };
        slots.set([(at, found), newer]);
        found
    }

    fn office(&self, gw: &str, dst: u32) -> Option<&'a str> {
        let mut offices = self.offices.borrow_mut();
        let per_dst = match offices.get_mut(gw) {
            Some(m) => m,
            None => offices.entry(gw.to_string()).or_default(),
        };
        *per_dst
            .entry(dst)
            .or_insert_with(|| walk::office(&self.dp.ctx, gw, self.addrs[dst as usize]))
    }

    fn cen_next(&self, hit: &Found<'_>) -> Option<u32> {
        hit.next.filter(|&n| n != self.fib.unknown())
    }

    fn link(&self, from: u32, to: u32) -> Link<'a> {
        let at = |v: &[Option<u32>], n: u32| v.get(n as usize).copied().flatten();
        let (Some(sa), Some(sb), Some(c)) = (at(&self.site_of, from), at(&self.site_of, to), at(&self.cen_of, from)) else {
            return Link::Free;
        };
        let n = self.sites.len();
        let key = (c as usize * n + sa as usize) * n + sb as usize;
        *self.links[key].get_or_init(|| {
            walk::link(
                &self.dp.ctx,
                self.cens[c as usize],
                self.sites[sa as usize],
                self.sites[sb as usize],
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples::EXAMPLES;
    use crate::core::format::from_json;
    use crate::core::generate::{generate, star, GenOptions};
    use crate::core::model::Plan;

    fn assert_fast_equals_traces(plan: &Plan) {
        let dp = DataPlane::new(Ctx::new(plan));
        let m = Matrix::new(&dp);
        let slow = cells(&dp, &m.endpoints);
        for (i, (fast, slow)) in m.cells.iter().zip(&slow).enumerate() {
            for (j, (f, s)) in fast.iter().zip(slow).enumerate() {
                assert_eq!(f, s, "{} -> {}", m.endpoints[i].id, m.endpoints[j].id);
            }
        }
        assert_eq!(m.cells, slow);
    }

    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_on_every_example() {
        for e in EXAMPLES {
            assert_fast_equals_traces(&from_json(e.json).unwrap());
        }
    }

    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_on_the_typical_plan() {
        assert_fast_equals_traces(&generate(&GenOptions::typical()));
    }

    /// Without packages, without region bandwidths, and with CCNs abroad before cross-area CCNs
    /// (2021): test links and blocked CEN hops, on the typical plan.
    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_when_bandwidth_is_missing() {
        let typical = generate(&GenOptions::typical());
        let mut no_packages = typical.clone();
        no_packages.bandwidth_packages.clear();
        let mut no_region_bandwidths = typical.clone();
        no_region_bandwidths.region_bandwidths.retain(|r| r.region_a.contains("cn-"));
        let mut ccn_abroad_2020 = typical;
        ccn_abroad_2020.settings.as_of = "2020-06-01".into();
        ccn_abroad_2020
            .ccns
            .iter_mut()
            .for_each(|c| c.area = crate::core::catalog::CcnArea::Singapore);
        for (plan, code) in [
            (no_packages, "CEN-BWP-001"),
            (no_region_bandwidths, "CEN-BW-005"),
            (ccn_abroad_2020, "CEN-CCN-003"),
        ] {
            let dp = DataPlane::new(Ctx::new(&plan));
            let eps = endpoints(&dp.ctx);
            let hit = eps
                .iter()
                .flat_map(|a| eps.iter().map(move |b| (a, b)))
                .take(4000)
                .any(|(a, b)| trace(&dp, a, b).blocked.is_some_and(|x| x.code == code));
            assert!(hit, "no trace stops on {code}");
            assert_fast_equals_traces(&plan);
        }
    }

    #[test]
    fn offices_are_labelled_after_their_customer_gateway() {
        let plan = from_json(EXAMPLES.iter().find(|e| e.key.contains("003")).unwrap().json).unwrap();
        let ctx = Ctx::new(&plan);
        let eps = endpoints(&ctx);
        let labels: Vec<String> = labels(&ctx, &eps).into_iter().map(|l| format!("{} ({})", l.name, l.what)).collect();
        assert_eq!(
            labels,
            [
                "VPC1 (Virginia) (VPC)",
                "VPC2 (Shanghai) (VPC)",
                "Office 1 (office)",
                "Office 2 (office)",
                "Office 3 (office)",
                "Office 4 (office)"
            ]
        );
    }

    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_on_a_small_star() {
        assert_fast_equals_traces(&star(30));
    }
}
