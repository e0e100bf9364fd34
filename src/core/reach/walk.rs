//! The one walk behind every reachability answer: from a network, follow the route each network uses
//! for a destination address until the traffic is delivered, handed to an office, or stopped.
//!
//! The walk is generic over where routes come from (a [`Fabric`]: the built route tables for `trace`,
//! the shared forwarding index for the matrix) and over what is written down on the way (a
//! [`Recorder`]: the hops and the reasons for `trace`, nothing for the matrix). It returns a compact
//! [`Walk`]; whether that walk reaches a given endpoint is [`Walk::disposition`].

use crate::core::catalog::Area;
use crate::core::cidr::parse_cidr;
use crate::core::dataplane::{NextHop, Route};
use crate::core::facts::{dates, Ctx, Net, NetKind};
use crate::core::reach::Disposition;
use std::borrow::Borrow;
use std::net::Ipv4Addr;

/// The longest path followed (a longer one is reported as CEN-RT-006).
pub(crate) const MAX_HOPS: usize = 8;

/// Where a walk ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End<'a, N> {
    /// Delivered inside this network (a vSwitch, the data centre behind a VBR, a SAG branch).
    Local(N),
    /// Handed to a VPN gateway, which sends it to the office of this IPsec connection (or to none).
    Vpn(Option<&'a str>),
    /// Stopped on the way (the recorder was told where and why).
    Dropped,
}

/// The outcome of one walk: where it ends, whether a CEN hop on the way is the test link only, and
/// whether it depends on a choice the plan does not make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Walk<'a, N> {
    /// Where it ends.
    pub end: End<'a, N>,
    /// A cross-region hop has only the ~1 Kbps test link.
    pub slow: bool,
    /// A CEN route on the way, or the missing route it stops for, is one CEN picks among candidates
    /// the plan does not decide (`DataPlane::undecided`): `trace` calls the answer undetermined.
    pub undetermined: bool,
}

impl<'a, N: Copy + Eq> Walk<'a, N> {
    fn dropped(slow: bool, undetermined: bool) -> Walk<'a, N> {
        Walk {
            end: End::Dropped,
            slow,
            undetermined,
        }
    }

    /// Whether traffic arrives at an endpoint whose network is `network` (and, for an office, whose
    /// IPsec connection is `ipsec`): delivered locally there to a non-office, or handed to its office.
    pub fn arrives(&self, network: N, ipsec: Option<&str>) -> bool {
        match self.end {
            End::Local(at) => at == network && ipsec.is_none(),
            End::Vpn(office) => office.is_some() && office == ipsec,
            End::Dropped => false,
        }
    }

    /// The disposition toward that endpoint.
    pub fn disposition(&self, network: N, ipsec: Option<&str>) -> Disposition {
        if !self.arrives(network, ipsec) {
            Disposition::Unreachable
        } else if self.slow {
            Disposition::TestLinkOnly
        } else {
            Disposition::Reachable
        }
    }
}

/// Where a network of the plan sits, for the CEN bandwidth rules: all they read of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Site<'a> {
    /// VPC, VBR or CCN.
    pub kind: NetKind,
    /// Its region (not for a CCN).
    pub region: Option<&'a str>,
    /// Its CEN area.
    pub area: Option<Area>,
}

impl<'a> Site<'a> {
    /// The site of a network.
    pub fn of(ctx: &Ctx<'a>, net: &Net<'a>) -> Site<'a> {
        Site {
            kind: net.kind,
            region: net.region,
            area: ctx.net_area(net),
        }
    }
}

/// A hop through CEN from one network to another, as the bandwidth rules see it (no text: `trace`
/// writes the reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Link<'a> {
    /// Not limited by CEN (same region, same area for a CCN, or a network the rules cannot place).
    Free,
    /// Limited to this many Mbps (the region bandwidth, within its package).
    Mbps(u32),
    /// A CCN reaches only its own area before 2021 (CEN-CCN-003): blocked.
    CcnOwnArea {
        /// Area of the sending network.
        from: Area,
        /// Area of the receiving network.
        to: Area,
    },
    /// A CCN across areas without a bandwidth package (CEN-CCN-003): test link only.
    CcnNoPackage {
        /// The CEN.
        cen: &'a str,
        /// Area of the sending network.
        from: Area,
        /// Area of the receiving network.
        to: Area,
    },
    /// Two regions without a bandwidth package for their areas (CEN-BWP-001): test link only.
    NoPackage {
        /// The CEN.
        cen: &'a str,
        /// Area and region of the sending network.
        from: (Area, &'a str),
        /// Area and region of the receiving network.
        to: (Area, &'a str),
    },
    /// Two regions with a package but no region bandwidth (CEN-BW-005): test link only.
    NoRegionBandwidth {
        /// The CEN.
        cen: &'a str,
        /// Region of the sending network.
        from: &'a str,
        /// Region of the receiving network.
        to: &'a str,
        /// Mbps of the package.
        package: u32,
    },
}

impl Link<'_> {
    /// Whether traffic does not cross at all.
    pub fn blocks(&self) -> bool {
        matches!(self, Link::CcnOwnArea { .. })
    }

    /// Whether only the test link joins the two ends.
    pub fn is_test_link(&self) -> bool {
        matches!(
            self,
            Link::CcnNoPackage { .. } | Link::NoPackage { .. } | Link::NoRegionBandwidth { .. }
        )
    }
}

/// The CEN hop between two sites on CEN `cen` (rulebook §3.5): reads only the sites, the plan's date,
/// packages and region bandwidths.
pub(crate) fn link<'a>(ctx: &Ctx<'a>, cen: &'a str, a: Site<'a>, b: Site<'a>) -> Link<'a> {
    let (Some(area_a), Some(area_b)) = (a.area, b.area) else {
        return Link::Free;
    };
    if a.kind == NetKind::Ccn || b.kind == NetKind::Ccn {
        return if area_a == area_b {
            Link::Free // CEN-CCN-004: same area, no package needed.
        } else if ctx.as_of < dates::CCN_2021 {
            Link::CcnOwnArea { from: area_a, to: area_b }
        } else {
            // The CCN's end is its area; the other end's region needs a region bandwidth to that area.
            let (home, other) = if a.kind == NetKind::Ccn { (area_a, b) } else { (area_b, a) };
            match package(ctx, cen, area_a, area_b) {
                Some(mbps) => match other.region {
                    None => Link::Mbps(mbps),
                    Some(region) => match ctx.ccn_region_bandwidth(cen, home, region) {
                        Some(r) => Link::Mbps(r.mbps.min(mbps)),
                        None => Link::NoRegionBandwidth {
                            cen,
                            from: home.label(),
                            to: region,
                            package: mbps,
                        },
                    },
                },
                None => Link::CcnNoPackage {
                    cen,
                    from: area_a,
                    to: area_b,
                },
            }
        };
    }
    let (Some(ra), Some(rb)) = (a.region, b.region) else {
        return Link::Free;
    };
    if ra == rb {
        return Link::Free;
    }
    let Some(pkg) = package(ctx, cen, area_a, area_b) else {
        return Link::NoPackage {
            cen,
            from: (area_a, ra),
            to: (area_b, rb),
        };
    };
    let rbw = ctx.region_bandwidths(cen, ra, rb).find(|r| r.mbps > 0);
    match rbw {
        Some(r) => Link::Mbps(r.mbps.min(pkg)),
        None => Link::NoRegionBandwidth {
            cen,
            from: ra,
            to: rb,
            package: pkg,
        },
    }
}

/// Mbps of the package bound to `cen` for the unordered area pair (`Ctx::package`).
pub(crate) fn package(ctx: &Ctx<'_>, cen: &str, a: Area, b: Area) -> Option<u32> {
    ctx.package(cen, a, b).map(|p| p.mbps)
}

/// The IPsec connection of VPN gateway `gw` whose remote network covers `dst` (the first one).
pub(crate) fn office<'a>(ctx: &Ctx<'a>, gw: &str, dst: Ipv4Addr) -> Option<&'a str> {
    ctx.plan
        .ipsec_connections
        .iter()
        .find(|c| c.vpn_gateway == gw && c.remote_cidrs.iter().any(|r| parse_cidr(r).is_ok_and(|n| n.contains(&dst))))
        .map(|c| c.id.as_str())
}

/// Whether the local network (phase-2 selectors) of IPsec connection `ipsec` covers `addr` (rulebook
/// §3.5 item 5, CEN-VPN-002); a connection the plan does not have covers nothing to refuse (integrity
/// reports it).
pub(crate) fn local_covers(ctx: &Ctx<'_>, ipsec: &str, addr: Ipv4Addr) -> bool {
    ctx.plan
        .ipsec_connections
        .iter()
        .find(|c| c.id == ipsec)
        .is_none_or(|c| c.local_cidrs.iter().any(|l| parse_cidr(l).is_ok_and(|n| n.contains(&addr))))
}

/// The local networks of every IPsec connection, parsed once (for the matrix, which asks for every
/// office cell): the same answers as `local_covers`.
pub(crate) struct Selectors<'a>(rustc_hash::FxHashMap<&'a str, Vec<ipnet::Ipv4Net>>);

impl<'a> Selectors<'a> {
    /// Parses the local networks of the plan's IPsec connections (the first connection of an id).
    pub fn new(ctx: &Ctx<'a>) -> Selectors<'a> {
        let mut m = rustc_hash::FxHashMap::default();
        for c in &ctx.plan.ipsec_connections {
            m.entry(c.id.as_str())
                .or_insert_with(|| c.local_cidrs.iter().filter_map(|l| parse_cidr(l).ok()).collect());
        }
        Selectors(m)
    }

    /// `local_covers`.
    fn covers(&self, ipsec: &str, addr: Ipv4Addr) -> bool {
        self.0.get(ipsec).is_none_or(|nets| nets.iter().any(|n| n.contains(&addr)))
    }

    /// Whether the IPsec selectors at both ends carry a flow from `src` to `dst`: leaving an office
    /// (`from`) its local network must cover `dst`; arriving at an office (`to`) its local network
    /// must cover `src`. The same test `trace` stops on: a flow outside them is not carried.
    pub fn carry(&self, from: Option<&str>, src: Ipv4Addr, to: Option<&str>, dst: Ipv4Addr) -> bool {
        from.is_none_or(|c| self.covers(c, dst)) && to.is_none_or(|c| self.covers(c, src))
    }
}

/// The bandwidth of the VPN gateway of IPsec connection `ipsec`, in Mbps, when the plan gives one.
pub(crate) fn gateway_mbps(ctx: &Ctx<'_>, ipsec: &str) -> Option<u32> {
    let c = ctx.plan.ipsec_connections.iter().find(|c| c.id == ipsec)?;
    let g = ctx.plan.vpn_gateways.iter().find(|g| g.id == c.vpn_gateway)?;
    (g.bandwidth_mbps > 0).then_some(g.bandwidth_mbps)
}

/// Where a walk reads routes: networks (`Node`), destinations (`Dst`) and the route each network uses.
pub(crate) trait Fabric<'a> {
    /// A network (or any id routes may name).
    type Node: Copy + Eq;
    /// A destination address, with whatever the fabric precomputed for it.
    type Dst: Copy;
    /// A route found by `lookup`.
    type Hit<'h>: Borrow<Route>
    where
        Self: 'h;
    /// The node of an id named by the plan (a peering connection's end).
    fn node(&self, id: &'a str) -> Self::Node;
    /// The id of a node, for the recorder.
    fn id(&self, node: Self::Node) -> &str;
    /// The route `DataPlane::table(at).lookup(dst)` returns.
    fn lookup(&self, at: Self::Node, dst: Self::Dst) -> Option<Self::Hit<'_>>;
    /// The IPsec connection of VPN gateway `gw` whose remote network covers `dst` (`office`).
    fn office(&self, gw: &str, dst: Self::Dst) -> Option<&'a str>;
    /// The network a CEN route found by `lookup` leads to (`None` if it names no network).
    fn cen_next(&self, hit: &Self::Hit<'_>) -> Option<Self::Node>;
    /// The CEN hop from `from` to `to`: `link` on their sites and `from`'s effective CEN, or `Link::Free`
    /// when either is not a network or `from` has no effective CEN.
    fn link(&self, from: Self::Node, to: Self::Node) -> Link<'a>;
    /// Whether CEN route `route` used at `at` is one its CEN picks among candidates the plan does not
    /// decide (`DataPlane::undecided` on `at`'s effective CEN).
    fn undecided_route(&self, at: Self::Node, route: &Route) -> bool;
    /// Whether `at` has no route for `dst` because of such a choice (`DataPlane::undecided_for`).
    fn undecided_drop(&self, at: Self::Node, dst: Self::Dst) -> bool;
}

/// What a walk tells as it goes (`at` is the network's id). Every method does nothing by default.
pub(crate) trait Recorder {
    /// `at` forwards with `route`.
    fn hop(&mut self, _at: &str, _route: &Route) {}
    /// The walk comes back to `at`.
    fn looped(&mut self, _at: &str) {}
    /// `at` has no active route for the destination.
    fn no_route(&mut self, _at: &str) {}
    /// The route of `at` names a CEN network the plan does not have.
    fn missing_network(&mut self, _at: &str, _id: &str) {}
    /// The route hands the traffic to VPN gateway `gw` (the walk ends there).
    fn gateway(&mut self, _gw: &str) {}
    /// The route of `at` names a missing peering connection.
    fn missing_peering(&mut self, _at: &str, _pcc: &str) {}
    /// The route of `at` sends the traffic to an instance the plan does not model further.
    fn instance(&mut self, _at: &str, _name: &str) {}
    /// The CEN hop from `at` (anything but `Link::Free`).
    fn link(&mut self, _at: &str, _link: &Link<'_>) {}
    /// The path is longer than `MAX_HOPS`; `at` is where it stops.
    fn too_long(&mut self, _at: &str) {}
}

/// Records nothing: the matrix only needs the outcome.
impl Recorder for () {}

/// Walks from `start` toward `dst`, hop by hop over the routes of `fabric` (rulebook §3.5): local
/// delivery, a VPN gateway to its office, a peering connection to its other end, CEN to the route's
/// origin network (checking the hop's bandwidth), a loop, or no route.
pub(crate) fn walk<'a, F: Fabric<'a>, R: Recorder>(
    ctx: &Ctx<'a>,
    fabric: &F,
    start: F::Node,
    dst: F::Dst,
    rec: &mut R,
) -> Walk<'a, F::Node> {
    let mut at = start;
    let mut visited: [Option<F::Node>; MAX_HOPS] = [None; MAX_HOPS];
    let (mut slow, mut undetermined) = (false, false);
    for hop in 0..MAX_HOPS {
        if visited[..hop].contains(&Some(at)) {
            rec.looped(fabric.id(at));
            return Walk::dropped(slow, undetermined);
        }
        visited[hop] = Some(at);
        let Some(hit) = fabric.lookup(at, dst) else {
            rec.no_route(fabric.id(at));
            undetermined |= fabric.undecided_drop(at, dst);
            return Walk::dropped(slow, undetermined);
        };
        let route: &Route = hit.borrow();
        rec.hop(fabric.id(at), route);
        if matches!(route.next_hop, NextHop::Cen(_)) {
            undetermined |= fabric.undecided_route(at, route);
        }
        match &route.next_hop {
            NextHop::Local(_) | NextHop::Idc | NextHop::Sag(_) => {
                return Walk {
                    end: End::Local(at),
                    slow,
                    undetermined,
                };
            }
            NextHop::VpnGateway(gw) => {
                rec.gateway(gw);
                let end = End::Vpn(fabric.office(gw, dst));
                return Walk { end, slow, undetermined };
            }
            NextHop::Peering(pcc) => {
                let Some(p) = ctx.plan.peerings.iter().find(|p| p.id == *pcc) else {
                    rec.missing_peering(fabric.id(at), pcc);
                    return Walk::dropped(slow, undetermined);
                };
                at = fabric.node(if p.a == fabric.id(at) { &p.b } else { &p.a });
            }
            NextHop::Instance(name) => {
                rec.instance(fabric.id(at), name);
                return Walk::dropped(slow, undetermined);
            }
            NextHop::Cen(next) => {
                let Some(to) = fabric.cen_next(&hit) else {
                    rec.missing_network(fabric.id(at), next);
                    return Walk::dropped(slow, undetermined);
                };
                let link = fabric.link(at, to);
                if link != Link::Free {
                    rec.link(fabric.id(at), &link);
                }
                if link.blocks() {
                    return Walk::dropped(slow, undetermined);
                }
                slow |= link.is_test_link();
                at = to;
            }
        }
    }
    rec.too_long(fabric.id(at));
    Walk::dropped(slow, undetermined)
}
