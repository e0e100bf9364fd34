//! What each network advertises into CEN (rulebook §3.1), and the overlapping pairs among prefixes.
//!
//! A VPC advertises its vSwitch CIDRs and its published system-table routes to an ECS, VPN gateway or
//! HaVip; a VBR its on-premises CIDRs; a CCN the private CIDRs of its SAG branches. Pairs are found
//! with one sort and a sweep: O(n log n + pairs).

use super::Holds;
use crate::core::facts::Cidrs;
use crate::core::model::{Kind, NextHopType, Plan, RouteTable};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap as HashMap;

/// One advertised prefix: the block, the network advertising it and the entity that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// The block.
    pub net: Ipv4Net,
    /// The attached network (VPC, VBR or CCN id).
    pub network: &'a str,
    /// The entity holding the CIDR (a vSwitch, a route entry, a VBR, a SAG).
    pub holder: (Kind, &'a str),
    /// The field of the holder.
    pub field: &'static str,
}

/// Every pair (i, j), i < j in `prefixes` order, whose blocks overlap and whose networks differ.
///
/// ```
/// use cen_planner::core::dataplane::{overlapping_pairs, Prefix};
/// use cen_planner::core::model::Kind;
/// fn p<'a>(net: &str, n: &'a str) -> Prefix<'a> {
///     Prefix { net: net.parse().unwrap(), network: n, holder: (Kind::VSwitch, n), field: "cidr" }
/// }
/// let pairs = overlapping_pairs(&[p("10.0.0.0/16", "a"), p("10.0.1.0/24", "b"), p("10.1.0.0/16", "c")]);
/// assert_eq!(pairs, vec![(0, 1)]);
/// ```
pub fn overlapping_pairs(prefixes: &[Prefix]) -> Vec<(usize, usize)> {
    // Sorted by start address, then shorter (enclosing) prefixes first: every prefix that contains
    // another comes before it, and the prefixes containing the current one form a stack.
    let mut keyed: Vec<(u64, u32)> = prefixes.iter().zip(0..).map(|(p, i)| (super::prefix_key(p.net), i)).collect();
    keyed.sort_unstable();
    overlapping_pairs_sorted(prefixes, &keyed)
}

/// `overlapping_pairs`, given the prefixes' (`prefix_key`, position) sorted.
pub(crate) fn overlapping_pairs_sorted(prefixes: &[Prefix], sorted: &[(u64, u32)]) -> Vec<(usize, usize)> {
    let order = sorted.iter().map(|&(_, i)| i as usize);
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for i in order {
        let net = prefixes[i].net;
        while let Some(&top) = stack.last() {
            if prefixes[top].net.contains(&net.network()) {
                break;
            }
            stack.pop();
        }
        for &j in &stack {
            if prefixes[j].network != prefixes[i].network {
                pairs.push((i.min(j), i.max(j)));
            }
        }
        stack.push(i);
    }
    pairs.sort_unstable();
    pairs
}

/// Whether a VPC route with this next hop type can be published to CEN as of `as_of`: ECS, VPN gateway
/// and HaVip always; NAT gateway and router interface (peering) not in the 2019 documents, yes in the
/// current reference (`dates::PUBLISH_MORE_NEXT_HOPS`), and `None` (unknown) in between, since the date
/// of the change is not known. A route toward the data centre is a VBR's, advertised without publishing.
pub fn publishable(ty: NextHopType, as_of: crate::core::date::Date) -> Option<bool> {
    use crate::core::rulebook::dates;
    match ty {
        NextHopType::Ecs | NextHopType::VpnGateway | NextHopType::HaVip => Some(true),
        NextHopType::NatGateway | NextHopType::Peering if as_of <= dates::PUBLISH_2019 => Some(false),
        NextHopType::NatGateway | NextHopType::Peering if as_of >= dates::PUBLISH_MORE_NEXT_HOPS => Some(true),
        NextHopType::NatGateway | NextHopType::Peering => None,
        NextHopType::Idc => Some(false),
    }
}

/// The prefixes each network of the plan advertises to CEN (rulebook §3.1), skipping unparsable ones.
/// `holds` gives, for each id that holds something, the positions of its vSwitches, route entries,
/// VBRs and SAGs in the plan's lists.
pub(super) fn advertised<'p>(plan: &'p Plan, cidrs: &Cidrs, holds: &HashMap<&'p str, Holds>) -> HashMap<&'p str, Vec<Prefix<'p>>> {
    let keys = plan_keys(plan);
    let as_of = crate::core::date::Date::parse(&plan.settings.as_of).unwrap_or(crate::core::catalog::DOCS_2019_DATE);
    let mut out: HashMap<&str, Vec<Prefix<'p>>> = HashMap::default();
    out.reserve(holds.len());
    for (id, h) in holds {
        let Some(&key) = keys.get(id) else { continue };
        let mut prefixes = Vec::with_capacity(h.vswitches.len() + h.vbrs.len() + h.sags.len());
        let mut add = |network: &'p str, parsed: Option<Ipv4Net>, holder: (Kind, &'p str), field: &'static str| {
            if let Some(net) = parsed {
                prefixes.push(Prefix {
                    net,
                    network,
                    holder,
                    field,
                });
            }
        };
        for &i in &h.vswitches {
            let s = &plan.vswitches[i];
            add(&s.vpc, cidrs.vswitches[i], (Kind::VSwitch, &s.id), "cidr");
        }
        for &i in &h.route_entries {
            let r = &plan.route_entries[i];
            // Only what the documents in force say can be published; unknown is not assumed.
            if r.published && r.table == RouteTable::System && publishable(r.next_hop_type, as_of) == Some(true) {
                add(&r.network, cidrs.route_entries[i], (Kind::RouteEntry, &r.id), "destination");
            }
        }
        for &i in &h.vbrs {
            let v = &plan.vbrs[i];
            for &net in &cidrs.vbrs[i] {
                add(&v.id, net, (Kind::Vbr, &v.id), "idc_cidrs");
            }
        }
        for &i in &h.sags {
            let s = &plan.sags[i];
            for &net in &cidrs.sags[i] {
                add(&s.ccn, net, (Kind::Sag, &s.id), "cidrs");
            }
        }
        if !prefixes.is_empty() {
            out.entry(key).or_default().append(&mut prefixes);
        }
    }
    out
}

// The plan's own copy of every network id (the first VPC, then VBR, then CCN with that id), so the
// map can borrow from the plan.
fn plan_keys(plan: &Plan) -> HashMap<&str, &str> {
    let mut keys = HashMap::default();
    for id in plan
        .vpcs
        .iter()
        .map(|v| v.id.as_str())
        .chain(plan.vbrs.iter().map(|v| v.id.as_str()))
        .chain(plan.ccns.iter().map(|c| c.id.as_str()))
    {
        keys.entry(id).or_insert(id);
    }
    keys
}
