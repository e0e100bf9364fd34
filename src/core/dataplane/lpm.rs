//! Longest-prefix match for every network at once, without building any network's route table.
//!
//! A network's table is its own routes plus the routes its CEN collected, each installed or not
//! (`DataPlane::build`). Here the collected routes are indexed once per CEN (`Ranges`: the prefixes
//! cut the address space into ranges, each knowing the longest prefix that covers it) and shared by
//! every network of that CEN; a network adds only its own routes (indexed the same way) and one bit
//! per collected route: whether it installs it active, as `DataPlane::installed_state` decides, asked
//! prefix by prefix the first time a lookup needs it. A lookup is two binary searches and a walk up
//! the enclosing prefixes, and returns the route `RouteTable::lookup` returns on the built table
//! (tested on the examples, the typical generated plan and random plans).

use super::{CenRoute, DataPlane, NextHop, Origin, OwnRoute, Route};
use crate::core::facts::NetKind;
use crate::core::model::Kind;
use ipnet::Ipv4Net;
use std::borrow::Borrow;
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// "No prefix" / "no route" in the indexes below.
const NONE: u32 = u32::MAX;

/// The ranges a set of prefixes cuts the address space into (any two CIDR blocks are nested or
/// disjoint, so the prefixes form a forest and each range has one longest covering prefix).
#[derive(Debug, Default)]
struct Ranges {
    /// The distinct prefixes, sorted by start then length (a prefix before the prefixes inside it).
    nets: Vec<Ipv4Net>,
    /// For each prefix, the next shorter prefix containing it, or `NONE`.
    parent: Vec<u32>,
    /// The first address of each range, ascending; the first range starts at 0.0.0.0.
    starts: Vec<u32>,
    /// The longest prefix covering each range, or `NONE`.
    deepest: Vec<u32>,
}

impl Ranges {
    /// Indexes a set of prefixes (duplicates allowed).
    fn new(mut nets: Vec<Ipv4Net>) -> Ranges {
        nets.sort_by_key(|n| (n.network(), n.prefix_len()));
        nets.dedup();
        let mut r = Ranges {
            parent: vec![NONE; nets.len()],
            nets,
            ..Ranges::default()
        };
        r.sweep();
        r
    }

    /// One sweep over the sorted prefixes with a stack of the open ones: parents and ranges.
    fn sweep(&mut self) {
        let last = |n: &Ipv4Net| u64::from(u32::from(n.broadcast()));
        let mut stack: Vec<u32> = Vec::new();
        let mut cursor: u64 = 0;
        for i in 0..self.nets.len() {
            let start = u64::from(u32::from(self.nets[i].network()));
            while let Some(&top) = stack.last() {
                let end = last(&self.nets[top as usize]);
                if end >= start {
                    break;
                }
                cursor = self.close(cursor, top, end);
                stack.pop();
            }
            let open = stack.last().copied().unwrap_or(NONE);
            if cursor < start {
                self.emit(cursor, open);
            }
            cursor = start;
            self.parent[i] = open;
            stack.push(i as u32);
        }
        while let Some(top) = stack.pop() {
            cursor = self.close(cursor, top, last(&self.nets[top as usize]));
        }
        if cursor <= u64::from(u32::MAX) {
            self.emit(cursor, NONE);
        }
    }

    /// Ends prefix `top` (whose last address is `end`): the range from `cursor` is its own.
    fn close(&mut self, cursor: u64, top: u32, end: u64) -> u64 {
        if cursor <= end {
            self.emit(cursor, top);
            end + 1
        } else {
            cursor
        }
    }

    fn emit(&mut self, start: u64, prefix: u32) {
        // `start` never exceeds u32::MAX here (callers check), so the conversion is exact.
        self.starts.push(u32::try_from(start).unwrap_or(u32::MAX));
        self.deepest.push(prefix);
    }

    /// The position (in sorted order) of the longest prefix containing `addr`, or `NONE`.
    fn deepest(&self, addr: Ipv4Addr) -> u32 {
        let a = u32::from(addr);
        let i = self.starts.partition_point(|&s| s <= a);
        i.checked_sub(1).map_or(NONE, |i| self.deepest[i])
    }

    /// Whether any indexed prefix overlaps `net` (contains it, or starts inside it).
    fn overlaps(&self, net: Ipv4Net) -> bool {
        if self.deepest(net.network()) != NONE {
            return true;
        }
        let i = self.nets.partition_point(|n| n.network() < net.network());
        self.nets.get(i).is_some_and(|n| n.network() <= net.broadcast())
    }

    /// The position of the prefix `net`, if indexed.
    fn position(&self, net: Ipv4Net) -> Option<usize> {
        self.nets
            .binary_search_by_key(&(net.network(), net.prefix_len()), |n| (n.network(), n.prefix_len()))
            .ok()
    }

    /// The prefix at `i` and the next shorter one containing it.
    fn step(&self, i: u32) -> (Ipv4Net, u32) {
        (self.nets[i as usize], self.parent[i as usize])
    }

    /// How many distinct prefixes are indexed.
    fn len(&self) -> usize {
        self.nets.len()
    }
}

/// The routes one CEN collected, indexed once and shared by its networks.
struct CenIndex<'d, 'a> {
    /// Each collected route as a network installs it (`NextHop::Cen` toward its origin).
    routes: Vec<Route>,
    /// The network each route comes from (a node), in `routes` order.
    origin: Vec<u32>,
    /// The installable prefixes (conflicts and refused overlaps are never installed).
    ranges: Ranges,
    /// The routes of each indexed prefix, in collected order: `members[first[p]..first[p + 1]]`.
    members: Vec<u32>,
    first: Vec<u32>,
    /// The collected routes, as `DataPlane::cen_routes` gives them.
    collected: &'d [CenRoute<'a>],
}

/// One network (or any id that holds routes) as the index sees it.
struct Node<'a> {
    id: &'a str,
    kind: Option<NetKind>,
    /// The CEN it learns from (a position in `Fib::cens`).
    cen: Option<usize>,
    own: Vec<Route>,
    /// The same, borrowed, as the installation decision reads them.
    own_of: Vec<OwnRoute<'a>>,
    own_ranges: Ranges,
    /// For each own prefix, the own route `RouteTable::lookup` picks among its active routes of that
    /// prefix (the highest origin, then the last), or `NONE`.
    own_pick: Vec<u32>,
    /// Its position among the nodes.
    index: u32,
    peering_rule: OnceCell<bool>,
    /// What it installs from its CEN (allocated on first lookup).
    state: OnceCell<Installed>,
}

/// Where an address falls in each CEN's index, found once and reused for every network.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The address.
    pub addr: Ipv4Addr,
    /// The longest installable prefix containing it, per CEN (`NONE` if none).
    deepest: Vec<u32>,
}

/// The route a lookup found, and for a CEN route the node it leads to.
#[derive(Clone, Copy, Debug)]
pub struct Found<'f> {
    /// The route, as `RouteTable::lookup` returns it.
    pub route: &'f Route,
    /// For a CEN route, the node of the network it leads to; `None` otherwise.
    pub next: Option<u32>,
}

impl Borrow<Route> for Found<'_> {
    fn borrow(&self) -> &Route {
        self.route
    }
}

/// Forwarding for every network of a plan: what each network's table would answer, without the tables.
pub struct Fib<'d, 'a> {
    dp: &'d DataPlane<'a>,
    nodes: Vec<Node<'a>>,
    by_id: HashMap<&'a str, u32>,
    cens: Vec<CenIndex<'d, 'a>>,
}

impl<'d, 'a> Fib<'d, 'a> {
    /// Indexes every network of the data plane (and every id holding own routes).
    pub fn new(dp: &'d DataPlane<'a>) -> Fib<'d, 'a> {
        let mut ids: Vec<&'a str> = dp.ctx.networks.keys().copied().chain(dp.holds.keys().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        let by_id: HashMap<&'a str, u32> = ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
        let mut cen_ids: Vec<&'a str> = ids.iter().filter_map(|id| dp.effective_cen(id)).collect();
        cen_ids.sort_unstable();
        cen_ids.dedup();
        let cens: Vec<CenIndex<'d, 'a>> = cen_ids.iter().map(|c| CenIndex::new(dp, c, &by_id)).collect();
        let nodes = ids.iter().zip(0..).map(|(id, i)| Node::new(dp, id, i, &cen_ids)).collect();
        Fib { dp, nodes, by_id, cens }
    }

    /// The node of a network id; ids that hold no route share one empty node (`unknown`).
    pub fn node(&self, id: &str) -> u32 {
        self.by_id.get(id).copied().unwrap_or(self.unknown())
    }

    /// The node of every id without routes.
    pub fn unknown(&self) -> u32 {
        self.nodes.len() as u32
    }

    /// The id of a node ("" for `unknown`).
    pub fn id(&self, node: u32) -> &'a str {
        self.nodes.get(node as usize).map_or("", |n| n.id)
    }

    /// Locates an address in every CEN's index, for `lookup`.
    pub fn probe(&self, addr: Ipv4Addr) -> Probe {
        Probe {
            addr,
            deepest: self.cens.iter().map(|c| c.ranges.deepest(addr)).collect(),
        }
    }

    /// The route `DataPlane::table(node).lookup(probe.addr)` returns: the active route with the
    /// longest prefix containing the address (on a tie, a CEN route, else the own route listed last of
    /// the highest origin). `probe` comes from this index's `probe`.
    pub fn lookup(&self, node: u32, probe: &Probe) -> Option<Found<'_>> {
        let n = self.nodes.get(node as usize)?;
        let own = n.own_best(probe.addr);
        let deepest = |c: usize| probe.deepest.get(c).copied().unwrap_or(NONE);
        let learned = n.cen.and_then(|c| self.learned_best(n, c, deepest(c)));
        match (own, learned) {
            (Some(o), Some(l)) if o.route.prefix.prefix_len() > l.route.prefix.prefix_len() => Some(o),
            (_, Some(l)) => Some(l),
            (o, None) => o,
        }
    }

    /// The longest prefix of CEN `c` containing the probe (from `deepest` up) that node `n` installs
    /// active: its last active route in collected order (a built table keeps them in that order).
    fn learned_best(&self, n: &Node<'a>, c: usize, deepest: u32) -> Option<Found<'_>> {
        let cen = &self.cens[c];
        let state = n.state.get_or_init(|| Installed::new(cen));
        let mut at = deepest;
        while at != NONE {
            if !state.decided.get(at) {
                self.install(n, cen, at, state);
            }
            if let Some(&r) = cen.members_of(at).iter().rev().find(|&&r| state.active.get(r)) {
                return Some(Found {
                    route: &cen.routes[r as usize],
                    next: Some(cen.origin[r as usize]),
                });
            }
            at = cen.ranges.step(at).1;
        }
        None
    }

    /// Decides which routes of prefix `p` of `cen` network `n` installs active, exactly as
    /// `DataPlane::build` does: it skips its own and never-installed (conflict, refused overlap)
    /// routes and asks `installed_state` for the others in collected order (an earlier active route
    /// entry for the same prefix keeps later ones out). The install blockers are own routes that
    /// contain or equal the prefix, so when no own route overlaps it they are left out of the question
    /// (which then costs no scan of the own routes).
    fn install(&self, n: &Node<'a>, cen: &CenIndex<'d, 'a>, p: u32, state: &Installed) {
        state.decided.set(p);
        let Some(kind) = n.kind else { return };
        let peering_rule = *n.peering_rule.get_or_init(|| self.dp.peering_rule(n.id));
        let own: &[OwnRoute] = if n.own_ranges.overlaps(cen.ranges.step(p).0) {
            &n.own_of
        } else {
            &[]
        };
        let mut existing: Option<&str> = None;
        for &r in cen.members_of(p) {
            if cen.origin[r as usize] == n.index {
                continue;
            }
            let cr = &cen.collected[r as usize];
            if self.dp.installed_state(n.id, kind, peering_rule, cr, own, existing).is_none() {
                if cr.prefix.holder.0 == Kind::RouteEntry && existing.is_none() {
                    existing = Some(cr.prefix.holder.1);
                }
                state.active.set(r);
            }
        }
    }
}

/// What one network installs from its CEN, decided prefix by prefix on first use.
struct Installed {
    /// Per indexed prefix of the CEN: decided yet.
    decided: Bits,
    /// Per collected route of the CEN: installed and active.
    active: Bits,
}

impl Installed {
    fn new(cen: &CenIndex<'_, '_>) -> Installed {
        Installed {
            decided: Bits::new(cen.ranges.len()),
            active: Bits::new(cen.routes.len()),
        }
    }
}

/// A fixed-size set of small integers, writable through a shared reference (one thread).
struct Bits(Vec<Cell<u64>>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits((0..len.div_ceil(64)).map(|_| Cell::new(0)).collect())
    }

    fn get(&self, i: u32) -> bool {
        self.0.get(i as usize / 64).is_some_and(|w| w.get() & (1 << (i % 64)) != 0)
    }

    fn set(&self, i: u32) {
        if let Some(w) = self.0.get(i as usize / 64) {
            w.set(w.get() | 1 << (i % 64));
        }
    }
}

impl<'d, 'a> CenIndex<'d, 'a> {
    fn new(dp: &'d DataPlane<'a>, id: &str, nodes: &HashMap<&str, u32>) -> CenIndex<'d, 'a> {
        let collected = dp.cen_routes(id);
        let installable = |cr: &CenRoute| !cr.refused();
        let ranges = Ranges::new(collected.iter().filter(|cr| installable(cr)).map(|cr| cr.prefix.net).collect());
        let mut by_prefix: Vec<(u32, u32)> = collected
            .iter()
            .enumerate()
            .filter(|(_, cr)| installable(cr))
            .filter_map(|(i, cr)| Some((ranges.position(cr.prefix.net)? as u32, i as u32)))
            .collect();
        by_prefix.sort_unstable();
        let members = by_prefix.iter().map(|&(_, r)| r).collect();
        let first = (0..=ranges.len() as u32)
            .map(|p| by_prefix.partition_point(|&(q, _)| q < p) as u32)
            .collect();
        let unknown = nodes.len() as u32;
        CenIndex {
            routes: collected.iter().map(installed_route).collect(),
            origin: collected
                .iter()
                .map(|cr| nodes.get(cr.prefix.network).copied().unwrap_or(unknown))
                .collect(),
            ranges,
            members,
            first,
            collected,
        }
    }

    /// The routes of indexed prefix `p`, in collected order.
    fn members_of(&self, p: u32) -> &[u32] {
        let (a, b) = (self.first[p as usize] as usize, self.first[p as usize + 1] as usize);
        &self.members[a..b]
    }
}

/// A collected route as it appears, active, in a receiving network's table (as `DataPlane::build` writes it).
fn installed_route(cr: &CenRoute) -> Route {
    let p = &cr.prefix;
    Route {
        prefix: p.net,
        next_hop: NextHop::Cen(p.network.to_string()),
        origin: Origin::Cen,
        inactive: None,
        source: (p.holder.0, p.holder.1.to_string()),
    }
}

impl<'a> Node<'a> {
    fn new(dp: &DataPlane<'a>, id: &'a str, index: u32, cens: &[&'a str]) -> Node<'a> {
        let kind = dp.ctx.networks.get(id).map(|n| n.kind);
        let cen = kind.and(dp.effective_cen(id)).and_then(|c| cens.iter().position(|x| *x == c));
        let own_of = dp.own_of(id);
        let own: Vec<Route> = own_of.iter().map(OwnRoute::route).collect();
        let own_ranges = Ranges::new(own.iter().map(|r| r.prefix).collect());
        let mut own_pick = vec![NONE; own_ranges.len()];
        for (i, r) in own.iter().enumerate().filter(|(_, r)| r.inactive.is_none()) {
            let Some(p) = own_ranges.position(r.prefix) else { continue };
            let kept = own_pick[p];
            if kept == NONE || (own[kept as usize].origin as u8) <= (r.origin as u8) {
                own_pick[p] = i as u32;
            }
        }
        Node {
            id,
            kind,
            cen,
            own,
            own_of,
            own_ranges,
            own_pick,
            index,
            peering_rule: OnceCell::new(),
            state: OnceCell::new(),
        }
    }

    /// The active own route with the longest prefix containing `addr`.
    fn own_best(&self, addr: Ipv4Addr) -> Option<Found<'_>> {
        let mut at = self.own_ranges.deepest(addr);
        while at != NONE {
            let pick = self.own_pick[at as usize];
            if pick != NONE {
                return Some(Found {
                    route: &self.own[pick as usize],
                    next: None,
                });
            }
            at = self.own_ranges.step(at).1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::examples::EXAMPLES;
    use crate::core::facts::Ctx;
    use crate::core::format::from_json;
    use crate::core::generate::{generate, GenOptions};
    use crate::core::model::Plan;

    /// Every address that matters for `plan`: each prefix's first, second and last address, and the
    /// address just past it.
    fn addresses(routing: &DataPlane<'_>) -> Vec<Ipv4Addr> {
        let mut out = vec![Ipv4Addr::new(0, 0, 0, 0), Ipv4Addr::new(255, 255, 255, 255)];
        for id in routing.ctx.networks.keys() {
            for r in &routing.table(id).routes {
                let (first, last) = (u32::from(r.prefix.network()), u32::from(r.prefix.broadcast()));
                for a in [first, first.saturating_add(1), last, last.saturating_add(1)] {
                    out.push(Ipv4Addr::from(a));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The index answers exactly what each built table answers.
    pub(crate) fn assert_same_as_tables(plan: &Plan) {
        let routing = DataPlane::new(Ctx::new(plan));
        let fib = Fib::new(&routing);
        let addrs = addresses(&routing);
        let mut ids: Vec<&str> = routing.ctx.networks.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let table = routing.table(id);
            let node = fib.node(id);
            for &a in &addrs {
                let want = table.lookup(a);
                let got = fib.lookup(node, &fib.probe(a)).map(|f| f.route);
                assert_eq!(got, want, "{id} {a}");
            }
        }
    }

    #[test]
    fn ranges_know_the_longest_prefix_of_every_address() {
        let nets = [
            "10.0.0.0/8",
            "10.1.0.0/16",
            "10.1.0.0/24",
            "10.2.0.0/16",
            "0.0.0.0/0",
            "192.168.0.0/16",
            "255.255.255.255/32",
        ];
        let r = Ranges::new(nets.iter().map(|n| n.parse().unwrap()).collect());
        let longest = |a: &str| {
            let a: Ipv4Addr = a.parse().unwrap();
            let i = r.deepest(a);
            (i != NONE).then(|| r.step(i).0.to_string())
        };
        assert_eq!(longest("10.1.0.7").as_deref(), Some("10.1.0.0/24"));
        assert_eq!(longest("10.1.1.7").as_deref(), Some("10.1.0.0/16"));
        assert_eq!(longest("10.3.0.0").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(longest("11.0.0.0").as_deref(), Some("0.0.0.0/0"));
        assert_eq!(longest("255.255.255.255").as_deref(), Some("255.255.255.255/32"));
        assert_eq!(longest("255.255.255.254").as_deref(), Some("0.0.0.0/0"));
        let none = Ranges::new(vec!["10.0.0.0/8".parse().unwrap()]);
        assert_eq!(none.deepest("9.255.255.255".parse().unwrap()), NONE);
        assert_eq!(none.deepest("11.0.0.0".parse().unwrap()), NONE);
    }

    #[test]
    fn the_index_answers_what_the_built_tables_answer_on_every_example() {
        for e in EXAMPLES {
            assert_same_as_tables(&from_json(e.json).unwrap());
        }
    }

    #[test]
    fn the_index_answers_what_the_built_tables_answer_on_the_typical_plan() {
        assert_same_as_tables(&generate(&GenOptions::typical()));
    }
}
