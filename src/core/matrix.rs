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
use crate::core::flows::{FlowCheck, FlowState};
use crate::core::model::{FlowRule, Kind};
use crate::core::reach::walk::{self, Fabric, Link, Site, Walk};
use crate::core::reach::{endpoint, host, trace, Disposition, Endpoint};
use serde::Serialize;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The matrix of a plan: its endpoints and the answer for every ordered pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Every VPC, VBR and CCN with addresses, then every office, SAG branch and site.
    pub endpoints: Vec<Endpoint>,
    /// `cells[i][j]`: from endpoint i to endpoint j, replies included (an endpoint reaches itself).
    pub cells: Vec<Vec<Cell>>,
}

/// One cell of the matrix: what `reach` answers for the pair, with one-way counted as not reachable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// Traffic arrives both ways.
    Reachable,
    /// Both ways, but some direction only over the ~1 Kbps cross-region test link (CEN-BW-008).
    TestLinkOnly,
    /// Some direction does not arrive (not reachable, or one-way).
    Unreachable,
    /// The answer depends on a choice the plan does not make (`reach::Verdict::Undetermined`: BGP
    /// lines of one prefix with no AS path to tell them apart, overlapping routes attached on the same
    /// or an unknown date).
    Undetermined,
}

impl Cell {
    /// The cell of a pair whose two directions are `forward` and `back`, each a disposition and whether
    /// it is undetermined: undetermined when either is (as `Verdict::of`), else the worse disposition.
    fn of(forward: (Disposition, bool), back: (Disposition, bool)) -> Cell {
        if forward.1 || back.1 {
            return Cell::Undetermined;
        }
        let worse = if (back.0 as u8) > (forward.0 as u8) { back.0 } else { forward.0 };
        match worse {
            Disposition::Reachable => Cell::Reachable,
            Disposition::TestLinkOnly => Cell::TestLinkOnly,
            Disposition::Unreachable => Cell::Unreachable,
        }
    }

    /// Whether traffic arrives both ways (perhaps only over the test link); `false` when undetermined.
    pub fn is_success(self) -> bool {
        matches!(self, Cell::Reachable | Cell::TestLinkOnly)
    }
}

impl Matrix {
    /// Computes the whole matrix of a data plane (equal, cell for cell, to `cells`).
    pub fn new(dp: &DataPlane<'_>) -> Matrix {
        let endpoints = endpoints(&dp.ctx);
        let cells = all_cells(dp, &endpoints);
        Matrix { endpoints, cells }
    }
}

/// The endpoints of the matrix: every VPC, VBR and CCN with addresses, then every office, SAG branch
/// and site (a site is one endpoint, whatever its lines).
pub fn endpoints(ctx: &Ctx<'_>) -> Vec<Endpoint> {
    let plan = ctx.plan;
    let ids = plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(plan.vbrs.iter().map(|v| &v.id))
        .chain(plan.ccns.iter().map(|c| &c.id))
        .chain(plan.ipsec_connections.iter().map(|c| &c.id))
        .chain(plan.sags.iter().map(|s| &s.id))
        .chain(plan.sites.iter().map(|s| &s.id));
    ids.filter_map(|id| endpoint(ctx, id).ok()).collect()
}

/// A cell of the matrix that a declared flow speaks of: its pair's state under that flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Declared {
    /// Row (the flow's `from` side).
    pub row: usize,
    /// Column (the flow's `to` side).
    pub col: usize,
    /// The flow's id.
    pub flow: String,
    /// Required or forbidden.
    pub rule: FlowRule,
    /// What the plan does with this pair (see `explain::flow_state`).
    pub state: FlowState,
}

impl Matrix {
    /// The cells the declared flows speak of, each with its pair's state, in flow order.
    pub fn declared(&self, checks: &[FlowCheck]) -> Vec<Declared> {
        declared(&self.endpoints, checks)
    }
}

/// The position in `endpoints` of an endpoint: itself, or for a vSwitch its VPC, for a customer
/// gateway its office.
pub fn position(endpoints: &[Endpoint], e: &Endpoint) -> Option<usize> {
    endpoints.iter().position(|m| m.id == e.id).or_else(|| match &e.ipsec {
        Some(c) => endpoints.iter().position(|m| m.ipsec.as_ref() == Some(c)),
        None => endpoints.iter().position(|m| m.id == e.network),
    })
}

/// The cells among `endpoints` (a whole matrix or a window of it) that the declared flows speak of,
/// each with its pair's state under that flow, in flow order.
pub fn declared(endpoints: &[Endpoint], checks: &[FlowCheck]) -> Vec<Declared> {
    let mut out = Vec::new();
    for c in checks {
        for p in &c.each {
            if let (Some(row), Some(col)) = (position(endpoints, &p.a), position(endpoints, &p.b)) {
                out.push(Declared {
                    row,
                    col,
                    flow: c.flow.clone(),
                    rule: c.rule,
                    state: p.state,
                });
            }
        }
    }
    out
}

/// The cells of a window of `rows` by `columns` that the declared flows speak of, either way round
/// (a flow's pair is one cell of each orientation that the window shows), in flow order.
pub fn declared_between(rows: &[Endpoint], columns: &[Endpoint], checks: &[FlowCheck]) -> Vec<Declared> {
    let mut out = Vec::new();
    for c in checks {
        for p in &c.each {
            for (a, b) in [(&p.a, &p.b), (&p.b, &p.a)] {
                if let (Some(row), Some(col)) = (position(rows, a), position(columns, b)) {
                    if !out.iter().any(|d: &Declared| (d.row, d.col) == (row, col) && d.flow == c.flow) {
                        out.push(Declared {
                            row,
                            col,
                            flow: c.flow.clone(),
                            rule: c.rule,
                            state: p.state,
                        });
                    }
                }
            }
        }
    }
    out
}

/// What an endpoint is, for people: its name and a word for its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Label {
    /// The name: a network's or branch's own name; for an office, its customer gateway's name
    /// (with the VPN gateway when the office has more than one connection in the list).
    pub name: String,
    /// `VPC`, `VBR`, `CCN`, `office`, `branch` or `site`.
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
                    Kind::Site => "site",
                    _ => "office",
                }
                .into(),
            },
        })
        .collect()
}

/// The disposition of every ordered pair of `endpoints`, one trace per direction: a row reaches a
/// column when the traffic arrives *and* the reply comes back (`round_trip`), as `reach` decides a pair.
pub fn cells(dp: &DataPlane<'_>, endpoints: &[Endpoint]) -> Vec<Vec<Cell>> {
    let forward: Vec<Vec<(Disposition, bool)>> = endpoints
        .iter()
        .map(|a| {
            endpoints
                .iter()
                .map(|b| {
                    if a.id == b.id {
                        (Disposition::Reachable, false)
                    } else {
                        let t = trace(dp, a, b);
                        (t.disposition, t.undetermined.is_some())
                    }
                })
                .collect()
        })
        .collect();
    round_trip(forward)
}

/// The cells from each of `rows` to each of `columns` (two windows of the matrix, e.g. the page of a
/// chosen pair's source and the page of its destination), one trace per direction, equal to the cells
/// of `cells` for the same pairs.
pub fn cells_between(dp: &DataPlane<'_>, rows: &[Endpoint], columns: &[Endpoint]) -> Vec<Vec<Cell>> {
    let one = |a: &Endpoint, b: &Endpoint| {
        if a.id == b.id {
            (Disposition::Reachable, false)
        } else {
            let t = trace(dp, a, b);
            (t.disposition, t.undetermined.is_some())
        }
    };
    rows.iter()
        .map(|a| columns.iter().map(|b| Cell::of(one(a, b), one(b, a))).collect())
        .collect()
}

/// A pair works as far as both of its directions do: the worse of the forward disposition and the
/// return one (a one-way pair is not reachable; `reach` calls it one-way), undetermined when either
/// direction is (`Cell::of`).
fn round_trip(forward: Vec<Vec<(Disposition, bool)>>) -> Vec<Vec<Cell>> {
    (0..forward.len())
        .map(|i| (0..forward[i].len()).map(|j| Cell::of(forward[i][j], forward[j][i])).collect())
        .collect()
}

/// The disposition of every ordered pair of `endpoints`, one walk per (source network, destination
/// address), then the IPsec selectors of the offices at either end and the return: equal to `cells`.
pub fn all_cells(dp: &DataPlane<'_>, endpoints: &[Endpoint]) -> Vec<Vec<Cell>> {
    let fib = Fib::new(dp);
    let fabric = Index::new(dp, &fib, endpoints);
    let columns: Vec<Column<'_>> = endpoints.iter().map(|b| Column::new(&fib, &fabric, b)).collect();
    let mut same_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, b) in endpoints.iter().enumerate() {
        same_id.entry(b.id.as_str()).or_default().push(j);
    }
    // Rows of one source network share its walks: walk once per network, then read its rows.
    // In the order of the endpoints (the order the forwarding index's lookup cache is tuned for).
    // A site is a row of each of its lines: it reaches what any of them reaches (as `trace`).
    let mut position: HashMap<u32, usize> = HashMap::new();
    let mut sources: Vec<(u32, Vec<usize>)> = Vec::new();
    for (i, a) in endpoints.iter().enumerate() {
        for network in a.networks() {
            let node = fib.node(network);
            let at = *position.entry(node).or_insert_with(|| {
                sources.push((node, Vec::new()));
                sources.len() - 1
            });
            sources[at].1.push(i);
        }
    }
    let mut forward: Vec<Vec<(Disposition, bool)>> = vec![Vec::new(); endpoints.len()];
    let mut walks = Vec::with_capacity(fabric.probes.len());
    let selectors = walk::Selectors::new(&dp.ctx);
    for (source, rows) in sources {
        fabric.walk_all(source, &mut walks);
        let raw: Vec<(Disposition, bool)> = columns.iter().map(|c| c.disposition(&walks, |_| Carry::Yes)).collect();
        for i in rows {
            let a = &endpoints[i];
            let mut row = raw.clone();
            let src = host(&a.prefixes[0]);
            for (j, b) in endpoints.iter().enumerate() {
                if a.ipsec.is_some() || b.ipsec.is_some() {
                    // The offices' IPsec selectors decide too (`walk::Selectors`): leaving an office
                    // outside them, `trace` stops before walking (nothing undetermined).
                    row[j] = columns[j].disposition(&walks, |d| {
                        let dst = fabric.addrs[d as usize];
                        if !selectors.carry(a.ipsec.as_deref(), src, None, dst) {
                            Carry::NotFromSource
                        } else if !selectors.carry(None, src, b.ipsec.as_deref(), dst) {
                            Carry::NotToDestination
                        } else {
                            Carry::Yes
                        }
                    });
                }
            }
            if forward[i].is_empty() {
                forward[i] = row;
            } else {
                // Another line of the same site: the best of their rows (the first line on a tie, as
                // `trace` keeps it).
                for (cell, here) in forward[i].iter_mut().zip(row) {
                    if (here.0 as u8) < (cell.0 as u8) {
                        *cell = here;
                    }
                }
            }
        }
    }
    for (i, a) in endpoints.iter().enumerate() {
        for &j in same_id.get(a.id.as_str()).into_iter().flatten() {
            forward[i][j] = (Disposition::Reachable, false);
        }
    }
    round_trip(forward)
}

/// Whether the IPsec selectors of the offices at either end carry a flow toward a destination address.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Carry {
    /// They do (or no office is involved).
    Yes,
    /// The source office's selectors leave the destination out: stopped before the walk.
    NotFromSource,
    /// The destination office's selectors leave the source out: stopped on arrival.
    NotToDestination,
}

/// One column: the destination addresses of an endpoint (positions in `Index::probes`), its network
/// and its IPsec connection.
struct Column<'e> {
    dsts: Vec<u32>,
    /// The endpoint's network, or the networks of a site's lines (arriving at any is arriving).
    networks: Vec<u32>,
    ipsec: Option<&'e str>,
}

impl<'e> Column<'e> {
    fn new(fib: &Fib<'_, '_>, fabric: &Index<'_, '_>, b: &'e Endpoint) -> Column<'e> {
        Column {
            dsts: b.prefixes.iter().map(|p| fabric.position(host(p))).collect(),
            networks: b.networks().map(|n| fib.node(n)).collect(),
            ipsec: b.ipsec.as_deref(),
        }
    }

    /// As `trace`: the worst disposition over the endpoint's addresses (unreachable without any; the
    /// first address on a tie), with whether the walk to it is undetermined; an address the flow's
    /// IPsec selectors do not carry (`carried`) is unreachable.
    fn disposition(&self, walks: &[Walk<'_, u32>], carried: impl Fn(u32) -> Carry) -> (Disposition, bool) {
        let mut worst: Option<(Disposition, bool)> = None;
        for &d in &self.dsts {
            let walk = &walks[d as usize];
            let at = self
                .networks
                .iter()
                .copied()
                .find(|&n| walk.arrives(n, self.ipsec))
                .unwrap_or(self.networks[0]);
            let here = match carried(d) {
                Carry::NotFromSource => (Disposition::Unreachable, false),
                Carry::NotToDestination => (Disposition::Unreachable, walk.undetermined),
                Carry::Yes => (walk.disposition(at, self.ipsec), walk.undetermined),
            };
            if worst.is_none_or(|w| (here.0 as u8) > (w.0 as u8)) {
                worst = Some(here);
            }
        }
        worst.unwrap_or((Disposition::Unreachable, false))
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
    recent: Vec<std::cell::Cell<[Looked<'f>; 2]>>,
    /// `office` per VPN gateway and destination, found on first use.
    offices: RefCell<HashMap<String, HashMap<u32, Option<&'a str>>>>,
    /// Whether some CEN has a choice the plan does not decide (else no walk asks).
    any_undecided: bool,
    /// `undecided_drop` per (CEN, destination), decided on first use (empty without undecided choices).
    drops: Vec<OnceCell<bool>>,
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
        let drops = if dp.any_undecided() {
            (0..cens.len() * addrs_len).map(|_| OnceCell::new()).collect()
        } else {
            Vec::new()
        };
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
            any_undecided: dp.any_undecided(),
            drops,
            recent: (0..addrs_len)
                .map(|_| std::cell::Cell::new([(fib.unknown() + 1, None); 2]))
                .collect(),
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

    fn undecided_route(&self, at: u32, route: &crate::core::dataplane::Route) -> bool {
        let cen = self.cen_of.get(at as usize).copied().flatten();
        self.any_undecided && cen.is_some_and(|c| self.dp.undecided(self.cens[c as usize], route.prefix).is_some())
    }

    fn undecided_drop(&self, at: u32, dst: u32) -> bool {
        let cen = self.cen_of.get(at as usize).copied().flatten();
        self.any_undecided
            && cen.is_some_and(|c| {
                *self.drops[c as usize * self.addrs.len() + dst as usize]
                    .get_or_init(|| self.dp.undecided_for(self.cens[c as usize], self.addrs[dst as usize]).is_some())
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

    #[test]
    fn declared_flows_mark_the_cells_of_their_endpoints_networks_and_offices() {
        use crate::core::testing::plan;
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.1.0/24")
            .attach("t1", "c", "v1")
            .attach("t2", "c", "v2")
            .vpn_gateway("g1", "v1")
            .customer_gateway("o1", "cn-hangzhou", "203.0.113.1")
            .ipsec("k1", "g1", "o1", &["0.0.0.0/0"], &["192.168.50.0/24"])
            .required("r", "s1", "o1")
            .forbidden("f", "v2", "s1")
            .build();
        let a = crate::core::analysis::analyse(&p);
        let m = Matrix::new(a.dataplane());
        let ids: Vec<&str> = m.endpoints.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["v1", "v2", "k1"]);
        let marks: Vec<(usize, usize, FlowRule)> = m.declared(a.flows()).iter().map(|d| (d.row, d.col, d.rule)).collect();
        // The vSwitch is its VPC's row, the customer gateway its office's.
        assert_eq!(marks, [(0, 2, FlowRule::Required), (1, 0, FlowRule::Forbidden)]);
        assert_eq!(m.declared(a.flows())[1].state, FlowState::Open);
    }

    #[test]
    fn a_window_of_rows_by_columns_equals_those_cells_of_the_whole_matrix_and_marks_flows_either_way() {
        let plan = from_json(EXAMPLES.iter().find(|e| e.key == "hub-and-spoke-forbidden-spokes").unwrap().json).unwrap();
        let a = crate::core::analysis::analyse(&plan);
        let m = Matrix::new(a.dataplane());
        let n = m.endpoints.len();
        assert!(n >= 3);
        let (rows, columns) = (&m.endpoints[n / 2..], &m.endpoints[..n / 2 + 1]);
        let window = cells_between(a.dataplane(), rows, columns);
        for (i, row) in window.iter().enumerate() {
            assert_eq!(row[..], m.cells[n / 2 + i][..n / 2 + 1]);
        }
        let whole = declared(&m.endpoints, a.flows());
        assert!(!whole.is_empty());
        let marks = declared_between(rows, columns, a.flows());
        for d in &whole {
            for (r, c) in [(d.row, d.col), (d.col, d.row)] {
                let shown = r >= n / 2 && c <= n / 2;
                assert_eq!(
                    marks.iter().any(|x| (x.row + n / 2, x.col, &x.flow) == (r, c, &d.flow)),
                    shown,
                    "{d:?}"
                );
            }
        }
    }

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

    /// Without packages, without region bandwidths, and with CCNs abroad reaching Mainland networks
    /// without a package for the area pair (2021): test links, on the typical plan.
    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_when_bandwidth_is_missing() {
        let typical = generate(&GenOptions::typical());
        let mut no_packages = typical.clone();
        no_packages.bandwidth_packages.clear();
        let mut no_region_bandwidths = typical.clone();
        no_region_bandwidths.region_bandwidths.retain(|r| r.region_a.contains("cn-"));
        let mut ccn_abroad_2021 = typical;
        ccn_abroad_2021.settings.as_of = "2021-08-01".into();
        ccn_abroad_2021
            .ccns
            .iter_mut()
            .for_each(|c| c.area = crate::core::catalog::CcnArea::Singapore);
        for (plan, code) in [
            (no_packages, "CEN-BWP-001"),
            (no_region_bandwidths, "CEN-BW-005"),
            (ccn_abroad_2021, "CEN-CCN-003"),
        ] {
            let dp = DataPlane::new(Ctx::new(&plan));
            let eps = endpoints(&dp.ctx);
            let hit = eps
                .iter()
                .flat_map(|a| eps.iter().map(move |b| (a, b)))
                .filter(|(a, b)| code != "CEN-CCN-003" || a.kind == Kind::Ccn || b.kind == Kind::Ccn)
                .take(4000)
                .any(|(a, b)| trace(&dp, a, b).blocked.is_some_and(|x| x.code == code));
            assert!(hit, "no trace stops on {code}");
            assert_fast_equals_traces(&plan);
        }
    }

    /// Offices whose IPsec selectors cover only their own VPC's first vSwitch, and a VPN gateway whose
    /// office routes are not published (broken returns): the fast matrix equals one trace per pair.
    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_with_narrow_selectors_and_broken_returns() {
        let mut plan = generate(&GenOptions::typical());
        assert!(!plan.ipsec_connections.is_empty());
        let first_vsw = |vpc: &str, plan: &Plan| plan.vswitches.iter().find(|s| s.vpc == vpc).map(|s| s.cidr.clone());
        for i in 0..plan.ipsec_connections.len() {
            if i % 2 == 0 {
                let gw = plan.ipsec_connections[i].vpn_gateway.clone();
                let vpc = plan
                    .vpn_gateways
                    .iter()
                    .find(|g| g.id == gw)
                    .map(|g| g.vpc.clone())
                    .unwrap_or_default();
                if let Some(c) = first_vsw(&vpc, &plan) {
                    plan.ipsec_connections[i].local_cidrs = vec![c];
                }
            }
        }
        for (i, r) in plan.route_entries.iter_mut().enumerate() {
            if i % 3 == 0 {
                r.published = false;
            }
        }
        assert_fast_equals_traces(&plan);
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

    /// The cells of `ids` against each other, as marks (`explain::cell_mark`), one row per line.
    fn marks(m: &Matrix, ids: &[&str]) -> String {
        let at = |id: &str| m.endpoints.iter().position(|e| e.id == id).unwrap();
        ids.iter()
            .map(|a| {
                ids.iter()
                    .map(|b| crate::core::explain::cell_mark(m.cells[at(a)][at(b)]))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Checks that the fast matrix equals one trace per pair, and that each cell is undetermined
    /// exactly when `reach` says so (and otherwise reachable exactly when `reach` says both ways).
    fn assert_agrees_with_reach(plan: &Plan) -> Matrix {
        assert_fast_equals_traces(plan);
        let a = crate::core::analysis::analyse(plan);
        let m = Matrix::new(a.dataplane());
        for (i, x) in m.endpoints.iter().enumerate() {
            for (j, y) in m.endpoints.iter().enumerate().filter(|(_, y)| y.id != x.id) {
                let r = a.reach(&x.id, &y.id).unwrap();
                let cell = match r.result {
                    crate::core::reach::Verdict::Undetermined => Cell::Undetermined,
                    crate::core::reach::Verdict::Reachable => m.cells[i][j],
                    _ => Cell::Unreachable,
                };
                assert_eq!(m.cells[i][j], cell, "{} -> {}", x.id, y.id);
            }
        }
        m
    }

    /// Two BGP lines of one site carry its prefix and the plan gives no AS path: CEN keeps one active
    /// and the plan does not say which, so the cells toward the site's lines are undetermined (as
    /// `reach` says); with AS paths, the shorter one is active and the cells are decided.
    #[test]
    fn the_matrix_says_undetermined_where_the_plan_does_not_pick_a_bgp_line() {
        use crate::core::testing::plan;
        let build = |paths: &[Option<u32>]| {
            plan()
                .cen("c")
                .overlapping()
                .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
                .vswitch("s1", "v1", "10.1.0.0/24")
                .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
                .vswitch("s2", "v2", "10.2.0.0/24")
                .vbr("b1", "cn-hangzhou", &["10.9.0.0/24"])
                .bgp()
                .vbr("b2", "cn-hangzhou", &["10.9.0.0/24"])
                .bgp()
                .attach("t1", "c", "v1")
                .attach("t2", "c", "v2")
                .attach("t3", "c", "b1")
                .attach("t4", "c", "b2")
                .site("dc", &["10.9.0.0/24"], &["b1", "b2"])
                .path_lengths(paths)
                .build()
        };
        let m = assert_agrees_with_reach(&build(&[None, None]));
        // Rows and columns v1, v2, b1, b2, dc: toward either line (and back from the site) the VPCs'
        // answer is undetermined; a line reaches its own site, and the two lines are isolated.
        assert_eq!(marks(&m, &["v1", "v2", "b1", "b2", "dc"]), "✓✓???\n✓✓???\n??✓✗✓\n??✗✓✓\n??✓✓✓");
        let m = assert_agrees_with_reach(&build(&[Some(1), Some(2)]));
        assert!(
            m.cells.iter().flatten().all(|c| *c != Cell::Undetermined),
            "{}",
            marks(&m, &["v1", "v2", "b1", "b2", "dc"])
        );
    }

    /// With overlapping routes off and two overlapping blocks attached on the same date, which route
    /// CEN keeps is undetermined, and so are the cells toward them; on different dates it is decided.
    #[test]
    fn the_matrix_says_undetermined_where_overlapping_blocks_are_attached_on_the_same_date() {
        use crate::core::testing::plan;
        let build = |second: &str| {
            plan()
                .cen("c")
                .vpc("big", "cn-hangzhou", "10.0.0.0/8")
                .vswitch("sb", "big", "10.0.0.0/16")
                .vpc("small", "cn-hangzhou", "10.0.0.0/8")
                .vswitch("ss", "small", "10.0.1.0/24")
                .vpc("third", "cn-hangzhou", "172.16.0.0/16")
                .vswitch("st", "third", "172.16.0.0/24")
                .attach("t1", "c", "big")
                .attached_on("2019-05-01")
                .attach("t2", "c", "small")
                .attached_on(second)
                .attach("t3", "c", "third")
                .attached_on("2019-01-01")
                .build()
        };
        let m = assert_agrees_with_reach(&build("2019-05-01"));
        assert_eq!(marks(&m, &["third", "big", "small"]), "✓??\n?✓?\n??✓");
        let m = assert_agrees_with_reach(&build("2019-06-01"));
        assert!(m.cells.iter().flatten().all(|c| *c != Cell::Undetermined));
    }

    #[test]
    fn the_fast_matrix_equals_one_trace_per_pair_on_a_small_star() {
        assert_fast_equals_traces(&star(30));
    }
}
