//! Declared flows: which endpoints must talk, which must not, and whether the plan does what they say.
//!
//! This is the one place that decides "which networks must talk" for every rule. A plan declares
//! flows (`model::Flow`) between endpoints or endpoint groups (`model::Group`); each end is expanded
//! to endpoints (a group: its members and every endpoint carrying its label) and each endpoint is
//! resolved by `reach::endpoint`, the resolver the "why can't A reach B?" question uses, so a new
//! kind of endpoint there is a new kind of flow end here. `Demand` answers the rules:
//!
//! - with no *required* flow declared, every pair must talk (`Demand::assumed`): the rules keep
//!   their all-pairs reading and the plan says so once (PLAN-FLOW-001);
//! - otherwise only the pairs of a required flow must talk: two networks (`must_talk`), an office
//!   and an address block (`office_must_reach`), a network and a route's destination (`carries`).
//!
//! Direction: a required flow must work both ways, since a connection needs its return path (TCP
//! answers, and stateless UDP replies), so it is met only when both directions arrive. A forbidden
//! flow is open when traffic arrives in either direction: a packet that arrives is a leak even when
//! its answer does not. `evaluate` traces every pair of a declared flow (`reach::reach`) and gives
//! its state (`FlowState`) with the pair and trace that decide it.

use crate::core::dataplane::{DataPlane, NextHop};
use crate::core::facts::Ctx;
use crate::core::fields::ENDPOINTS;
use crate::core::model::{FlowRule, Kind};
use crate::core::reach::{self, Disposition, Endpoint, Reach, Trace, Verdict};
use ipnet::Ipv4Net;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// One declared flow with its ends resolved to endpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The flow's id.
    pub flow: String,
    /// Required or forbidden.
    pub rule: FlowRule,
    /// The endpoints of `from`, in plan order.
    pub from: Vec<Endpoint>,
    /// The endpoints of `to`, in plan order.
    pub to: Vec<Endpoint>,
    /// Ids named by the flow (directly or through a group) that are not endpoints, with the reason.
    pub unresolved: Vec<(String, String)>,
    /// The required minimum bandwidth in Mbps.
    pub min_mbps: Option<u32>,
}

impl Resolved {
    /// The endpoint pairs the flow joins, each unordered pair once (an endpoint never pairs with itself).
    pub fn pairs(&self) -> Vec<(&Endpoint, &Endpoint)> {
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for a in &self.from {
            for b in &self.to {
                if a.id == b.id {
                    continue;
                }
                let key = if a.id < b.id { (&a.id, &b.id) } else { (&b.id, &a.id) };
                if seen.insert(key) {
                    out.push((a, b));
                }
            }
        }
        out
    }
}

/// Which endpoints must talk: the declared flows resolved once per analysis (see the module doc).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Demand {
    /// Every declared flow, in plan order.
    pub flows: Vec<Resolved>,
    /// True when no required flow is declared: every pair must talk.
    assumed: bool,
    /// Network pairs some required flow joins, both orders.
    nets: FxHashSet<(String, String)>,
    /// The endpoint pairs of the required flows, both orders.
    required: Vec<(Endpoint, Endpoint)>,
    /// The flow (position in `flows`) of each pair of `required`.
    required_by: Vec<usize>,
}

impl Demand {
    /// Resolves the plan's declared flows.
    pub fn new(ctx: &Ctx<'_>) -> Demand {
        let flows: Vec<Resolved> = ctx.plan.flows.iter().map(|f| resolve(ctx, f)).collect();
        let mut nets = FxHashSet::default();
        let mut required = Vec::new();
        let mut required_by = Vec::new();
        for (i, f) in flows.iter().enumerate().filter(|(_, f)| f.rule == FlowRule::Required) {
            for (a, b) in f.pairs() {
                // A site talks through any of its lines.
                for x in a.networks() {
                    for y in b.networks() {
                        nets.insert((x.to_string(), y.to_string()));
                        nets.insert((y.to_string(), x.to_string()));
                    }
                }
                required.push((a.clone(), b.clone()));
                required.push((b.clone(), a.clone()));
                required_by.extend([i, i]);
            }
        }
        Demand {
            assumed: !ctx.plan.flows.iter().any(|f| f.rule == FlowRule::Required),
            flows,
            nets,
            required,
            required_by,
        }
    }

    /// Whether no required flow is declared, so every pair is assumed to need to talk.
    pub fn assumed(&self) -> bool {
        self.assumed
    }

    /// Whether networks `a` and `b` (VPC, VBR or CCN ids) must talk: always when no required flow is
    /// declared, otherwise when a required flow joins an endpoint of one to an endpoint of the other.
    pub fn must_talk(&self, a: &str, b: &str) -> bool {
        self.assumed || self.nets.contains(&(a.to_string(), b.to_string()))
    }

    /// Whether the office behind IPsec connection `conn` must reach addresses in `net`: always when no
    /// required flow is declared, otherwise when a required flow joins the office to an endpoint whose
    /// addresses overlap `net`.
    pub fn office_must_reach(&self, conn: &str, net: Ipv4Net) -> bool {
        self.assumed
            || self
                .required
                .iter()
                .any(|(x, y)| x.ipsec.as_deref() == Some(conn) && y.prefixes.iter().any(|p| crate::core::cidr::overlaps(p, &net)))
    }

    /// Whether the office behind `conn` must talk with network `network` (an endpoint of a required
    /// flow with the office at the other end sits in it); always when no required flow is declared.
    pub fn office_talks_with(&self, conn: &str, network: &str) -> bool {
        self.assumed
            || self
                .required
                .iter()
                .any(|(x, y)| x.ipsec.as_deref() == Some(conn) && y.networks().any(|n| n == network))
    }

    /// The required flows (ids, each once, in plan order) that use the addresses of `prefix` in
    /// `network` across networks: one of their endpoint pairs has an end in `network` whose addresses
    /// overlap `prefix`, and the other end elsewhere (a flow must work both ways, so either end counts).
    /// Empty when no required flow is declared: read `assumed` first.
    pub fn flows_using(&self, network: &str, prefix: Ipv4Net) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for ((x, y), &i) in self.required.iter().zip(&self.required_by) {
            let here = y.networks().any(|n| n == network) && y.prefixes.iter().any(|p| crate::core::cidr::overlaps(p, &prefix));
            if here && !x.networks().any(|n| n == network) {
                let id = self.flows[i].flow.as_str();
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }

    /// The ends of the required flows that sit in a VPC, each with the addresses of the ends it must
    /// hear from on other networks (its peers): one entry per end (in flow order), each address once.
    pub fn vpc_peers(&self, ctx: &Ctx<'_>) -> Vec<(&Endpoint, Vec<Ipv4Net>)> {
        let mut out: Vec<(&Endpoint, Vec<Ipv4Net>)> = Vec::new();
        for (x, y) in &self.required {
            let in_vpc = ctx
                .networks
                .get(y.network.as_str())
                .is_some_and(|n| n.kind == crate::core::facts::NetKind::Vpc);
            if !in_vpc || x.networks().any(|n| n == y.network) {
                continue;
            }
            let i = match out.iter().position(|(e, _)| e.id == y.id) {
                Some(i) => i,
                None => {
                    out.push((y, Vec::new()));
                    out.len() - 1
                }
            };
            for p in &x.prefixes {
                if !out[i].1.contains(p) {
                    out[i].1.push(*p);
                }
            }
        }
        out
    }

    /// Whether some other network must send traffic through `network` toward addresses inside `dest`
    /// that only a route of `network` carries (none of `local`, the network's own blocks, holds them):
    /// always when no required flow is declared.
    pub fn carries(&self, network: &str, dest: Ipv4Net, local: &[Ipv4Net]) -> bool {
        self.assumed
            || self.required.iter().any(|(x, y)| {
                y.networks().any(|n| n == network)
                    && !x.networks().any(|n| n == network)
                    && y.prefixes.iter().any(|p| dest.contains(p) && !local.iter().any(|l| l.contains(p)))
            })
    }
}

/// The endpoint ids one end of a flow names: the id itself, or a group's members and labelled endpoints.
pub fn expand(ctx: &Ctx<'_>, id: &str) -> Vec<String> {
    let Some(group) = ctx.plan.groups.iter().find(|g| g.id == id) else {
        return vec![id.to_string()];
    };
    let mut out: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    };
    for m in &group.members {
        add(m.trim());
    }
    let label = group.label.trim();
    if !label.is_empty() {
        ctx.plan.for_each_entity(|kind, i, id, _| {
            if ENDPOINTS.contains(&kind) && labels(ctx, kind, i).iter().any(|l| l.trim() == label) {
                add(id);
            }
        });
    }
    out
}

/// The labels of the `i`-th entity of an endpoint kind.
fn labels<'a>(ctx: &Ctx<'a>, kind: Kind, i: usize) -> &'a [String] {
    let p = ctx.plan;
    match kind {
        Kind::Vpc => &p.vpcs[i].labels,
        Kind::VSwitch => &p.vswitches[i].labels,
        Kind::Vbr => &p.vbrs[i].labels,
        Kind::Ccn => &p.ccns[i].labels,
        Kind::Sag => &p.sags[i].labels,
        Kind::CustomerGateway => &p.customer_gateways[i].labels,
        Kind::IpsecConnection => &p.ipsec_connections[i].labels,
        Kind::Site => &p.sites[i].labels,
        _ => &[],
    }
}

fn resolve(ctx: &Ctx<'_>, f: &crate::core::model::Flow) -> Resolved {
    let mut unresolved = Vec::new();
    let mut side = |id: &str| -> Vec<Endpoint> {
        let mut out = Vec::new();
        if id.trim().is_empty() {
            return out;
        }
        for e in expand(ctx, id.trim()) {
            match reach::endpoint(ctx, &e) {
                Ok(ep) => out.push(ep),
                Err(why) => {
                    if !unresolved.iter().any(|(u, _): &(String, String)| *u == e) {
                        unresolved.push((e, why));
                    }
                }
            }
        }
        out
    };
    let from = side(&f.from);
    let to = side(&f.to);
    Resolved {
        flow: f.id.clone(),
        rule: f.rule,
        from,
        to,
        unresolved,
        min_mbps: f.min_mbps,
    }
}

/// What the plan does with a declared flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    /// Required: every pair reaches the other both ways (at the minimum bandwidth); forbidden: no pair does.
    Met,
    /// Required, and some pair does not arrive both ways (or only over the 1 Kbps test link).
    Broken,
    /// Required, and some pair's path offers less than the flow's minimum bandwidth.
    TooSlow,
    /// Forbidden, and some pair's traffic arrives.
    Open,
    /// The answer depends on something the plan does not decide.
    Undetermined,
    /// An end names no endpoint with an address (an empty group, a network without addresses).
    NoEndpoints,
}

impl FlowState {
    /// How bad it is, for choosing the pair that decides a flow (higher is worse).
    fn weight(self) -> u8 {
        match self {
            FlowState::Met => 0,
            FlowState::NoEndpoints => 1,
            FlowState::Undetermined => 2,
            FlowState::TooSlow => 3,
            FlowState::Broken | FlowState::Open => 4,
        }
    }
}

/// The check of one declared flow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowCheck {
    /// The flow's id.
    pub flow: String,
    /// Required or forbidden.
    pub rule: FlowRule,
    /// What the plan does with it.
    pub state: FlowState,
    /// How many endpoint pairs were traced.
    pub pairs: usize,
    /// The pair that decides the state (the first of the worst), both directions traced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding: Option<Reach>,
    /// For a required flow: the smallest limiting bandwidth over its pairs (Mbps), when CEN limits one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_mbps: Option<u32>,
    /// The required minimum bandwidth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_mbps: Option<u32>,
    /// Ids the flow names that are not endpoints with an address, with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<(String, String)>,
    /// Every traced pair with its own state, in the order traced.
    pub each: Vec<PairState>,
    /// The ends (`from`, `to`) that name no endpoint with an address.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub empty: Vec<&'static str>,
}

/// One endpoint pair of a declared flow and what the plan does with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairState {
    /// One endpoint (of the flow's `from`).
    pub a: Endpoint,
    /// The other (of the flow's `to`).
    pub b: Endpoint,
    /// The pair's state.
    pub state: FlowState,
}

impl FlowCheck {
    /// The direction that decides the state: the broken or leaking one, else the forward one.
    pub fn deciding_trace(&self) -> Option<&Trace> {
        let r = self.deciding.as_ref()?;
        let bad = |t: &Trace| match (self.rule, self.state) {
            (_, FlowState::Undetermined) => t.undetermined.is_some(),
            (FlowRule::Forbidden, _) => t.disposition.is_success(),
            (FlowRule::Required, FlowState::TooSlow) => t.bandwidth_mbps.zip(self.min_mbps).is_some_and(|(b, m)| b < m),
            (FlowRule::Required, _) => t.disposition != Disposition::Reachable,
        };
        Some(if bad(&r.forward) || !bad(&r.back) { &r.forward } else { &r.back })
    }
}

/// The state of one traced pair.
fn pair_state(rule: FlowRule, r: &Reach, min_mbps: Option<u32>) -> FlowState {
    let both = [&r.forward, &r.back];
    match rule {
        FlowRule::Required => {
            if r.result == Verdict::Undetermined {
                FlowState::Undetermined
            } else if both.iter().any(|t| t.disposition != Disposition::Reachable) {
                FlowState::Broken
            } else if min_mbps.is_some_and(|min| both.iter().any(|t| t.bandwidth_mbps.is_some_and(|b| b < min))) {
                FlowState::TooSlow
            } else {
                FlowState::Met
            }
        }
        FlowRule::Forbidden => {
            if r.result == Verdict::Undetermined {
                FlowState::Undetermined
            } else if both.iter().any(|t| t.disposition.is_success()) {
                FlowState::Open
            } else {
                FlowState::Met
            }
        }
    }
}

/// Checks every declared flow against the data plane: one `FlowCheck` per flow, in plan order.
pub fn evaluate(dp: &DataPlane<'_>, demand: &Demand) -> Vec<FlowCheck> {
    demand
        .flows
        .iter()
        .map(|f| {
            let pairs = f.pairs();
            let mut check = FlowCheck {
                flow: f.flow.clone(),
                rule: f.rule,
                state: if pairs.is_empty() { FlowState::NoEndpoints } else { FlowState::Met },
                pairs: pairs.len(),
                deciding: None,
                bandwidth_mbps: None,
                min_mbps: f.min_mbps.filter(|_| f.rule == FlowRule::Required),
                unresolved: f.unresolved.clone(),
                each: Vec::new(),
                empty: [("from", &f.from), ("to", &f.to)]
                    .into_iter()
                    .filter(|(_, eps)| eps.is_empty())
                    .map(|(end, _)| end)
                    .collect(),
            };
            for (a, b) in pairs {
                let r = reach::reach(dp, a, b);
                if f.rule == FlowRule::Required {
                    for t in [&r.forward, &r.back] {
                        if let (Some(m), true) = (t.bandwidth_mbps, t.disposition == Disposition::Reachable) {
                            check.bandwidth_mbps = Some(check.bandwidth_mbps.map_or(m, |b: u32| b.min(m)));
                        }
                    }
                }
                let state = pair_state(f.rule, &r, check.min_mbps);
                check.each.push(PairState {
                    a: a.clone(),
                    b: b.clone(),
                    state,
                });
                if check.deciding.is_none() || state.weight() > check.state.weight() {
                    check.state = state;
                    check.deciding = Some(r);
                }
            }
            check
        })
        .collect()
}

/// The hop that lets a forbidden flow's traffic through, in words with the way to block it:
/// the first hop that leaves the source network (a CEN route, a peering, a VPN gateway), or local
/// delivery inside one VPC. `None` when the trace has no such hop.
pub fn leak(ctx: &Ctx<'_>, t: &Trace) -> Option<(String, String)> {
    let hop = t
        .hops
        .iter()
        .find(|h| h.route.as_ref().is_some_and(|r| !matches!(r.next_hop, NextHop::Local(_))))
        .or_else(|| t.hops.first())?;
    let at = ctx.name(&hop.at);
    let Some(route) = &hop.route else {
        return Some((
            format!("the IPsec connection of {at} carries it"),
            "Narrow the IPsec connection's local CIDRs (phase-2 selectors) so they leave the destination out.".into(),
        ));
    };
    let prefix = route.prefix;
    Some(match &route.next_hop {
        NextHop::Cen(origin) => {
            let cen = hop.cen.as_deref().map_or_else(|| "its CEN".to_string(), |c| format!("CEN {}", ctx.name(c)));
            let region = ctx.networks.get(hop.at.as_str()).and_then(|n| n.region).filter(|r| !r.is_empty());
            let map = match region {
                Some(r) => format!(
                    "Deny route maps on {cen}, one per direction (rulebook §2.12; RegionOut in {r}, source {origin_name}, destination {at}, and the reverse in the region of {origin_name})",
                    origin_name = ctx.name(origin)
                ),
                None => format!("a Deny route map on {cen} (rulebook §2.12; {at} has no region in the plan to place one in: open a ticket)"),
            };
            (
                format!("{at} learns {prefix} from {} through {cen}", ctx.name(origin)),
                format!("Stop {at} and {} learning each other's routes with {map}, or attach the two networks to different CEN instances.", ctx.name(origin)),
            )
        }
        NextHop::Peering(p) => (
            format!("{at} routes {prefix} over peering connection {}", ctx.name(p)),
            format!("Remove the route {prefix} toward peering {} from {at}, or delete the peering connection.", ctx.name(p)),
        ),
        NextHop::VpnGateway(g) => (
            format!("{at} routes {prefix} to VPN gateway {}", ctx.name(g)),
            "Remove the route toward the VPN gateway, or narrow the IPsec connection's selectors.".into(),
        ),
        NextHop::Local(_) => (
            format!("{at} delivers {prefix} locally: both ends are in the same VPC"),
            "Routing cannot separate them: move one end to another VPC, or block the traffic with security groups or network ACLs (outside the plan).".into(),
        ),
        other => (
            format!("{at} forwards {prefix} to {}", other.describe(ctx)),
            format!("Remove the route {prefix} from {at}."),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::facts::Ctx;
    use crate::core::model::{Flow, Group};
    use crate::core::testing::plan;

    fn flow(id: &str, rule: FlowRule, from: &str, to: &str) -> Flow {
        Flow {
            id: id.into(),
            rule,
            from: from.into(),
            to: to.into(),
            ..Flow::default()
        }
    }

    #[test]
    fn without_a_required_flow_every_pair_must_talk() {
        let p = plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-shanghai", "10.2.0.0/16")
            .build();
        let d = Demand::new(&Ctx::new(&p));
        assert!(d.assumed());
        assert!(d.must_talk("v1", "v2"));
    }

    #[test]
    fn a_required_flow_names_the_only_networks_that_must_talk() {
        let mut p = plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", "cn-shanghai", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.1.0/24")
            .vpc("v3", "cn-beijing", "10.3.0.0/16")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .build();
        p.flows.push(flow("flow-1", FlowRule::Required, "v1", "s2"));
        let d = Demand::new(&Ctx::new(&p));
        assert!(!d.assumed());
        assert!(d.must_talk("v1", "v2") && d.must_talk("v2", "v1"));
        assert!(!d.must_talk("v1", "v3") && !d.must_talk("v2", "v3"));
    }

    #[test]
    fn a_group_holds_its_members_and_every_labelled_endpoint_once() {
        let mut p = plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .build();
        p.vpcs[1].labels = vec!["spoke".into()];
        p.vpcs[2].labels = vec!["spoke".into()];
        p.groups.push(Group {
            id: "group-1".into(),
            members: vec!["v1".into(), "v2".into()],
            label: "spoke".into(),
            ..Group::default()
        });
        assert_eq!(expand(&Ctx::new(&p), "group-1"), ["v1", "v2", "v3"]);
        assert_eq!(expand(&Ctx::new(&p), "v3"), ["v3"]);
    }

    #[test]
    fn a_group_to_itself_pairs_each_two_members_once() {
        let mut p = plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .vswitch("s2", "v2", "10.2.1.0/24")
            .vpc("v3", "cn-hangzhou", "10.3.0.0/16")
            .vswitch("s3", "v3", "10.3.1.0/24")
            .build();
        p.groups.push(Group {
            id: "group-1".into(),
            members: vec!["v1".into(), "v2".into(), "v3".into()],
            ..Group::default()
        });
        p.flows.push(flow("flow-1", FlowRule::Forbidden, "group-1", "group-1"));
        let d = Demand::new(&Ctx::new(&p));
        let pairs: Vec<(String, String)> = d.flows[0].pairs().iter().map(|(a, b)| (a.id.clone(), b.id.clone())).collect();
        assert_eq!(pairs.len(), 3, "{pairs:?}");
        // Only forbidden flows: every pair is still assumed to need to talk.
        assert!(d.assumed());
    }

    #[test]
    fn an_end_without_addresses_is_unresolved_with_the_reason() {
        let mut p = plan()
            .vpc("v1", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("s1", "v1", "10.1.1.0/24")
            .vpc("v2", "cn-hangzhou", "10.2.0.0/16")
            .build();
        p.flows.push(flow("flow-1", FlowRule::Required, "v1", "v2"));
        let d = Demand::new(&Ctx::new(&p));
        assert_eq!(d.flows[0].unresolved.len(), 1);
        assert!(d.flows[0].unresolved[0].1.contains("no address"), "{:?}", d.flows[0].unresolved);
        assert!(d.flows[0].pairs().is_empty());
    }
}
