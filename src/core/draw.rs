//! Drawing a plan: what a palette click creates and what a line drawn between two nodes means.
//!
//! `create` makes a new entity with good defaults (the region it was dropped in, the plan's only
//! account, the next free private block, a name like "VPC 2", the selected VPC as parent) and the
//! entities it cannot exist without (an account for the first owned entity, a VPC for the first
//! vSwitch). `connect` turns a line from one node to another into the relationship it stands for
//! (attachment, IPsec connection, peering, SAG membership, cross-region bandwidth with its package),
//! or a `Refusal` that says why in a user's words; `targets` lists where a line from a node may end.
//! Every result is a list of `Edit`s, applied together as one undo step. No CEN rule is decided here:
//! what a drawn plan still lacks is said by the findings.

use super::catalog::{self, Area, CcnArea};
use super::cidr::parse_cidr;
use super::edit::{apply, Edit};
use super::fields::next_id;
use super::model::*;
use super::rulebook::dates;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Where and on what a new node is created.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// The region (API id) it was dropped in, if any.
    pub region: Option<String>,
    /// The selected entity (id), whose VPC, CCN, owner or network a new entity joins.
    pub selected: Option<String>,
    /// Where it was dropped on the diagram (its top-left corner), if it was dropped.
    pub pos: Option<Pos>,
}

/// A new entity: its kind and id, and the edits that create it (with what it needs).
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// Kind of the entity the user asked for.
    pub kind: Kind,
    /// Its id (select it after applying `edits`).
    pub id: String,
    /// The edits, to apply together as one undo step.
    pub edits: Vec<Edit>,
}

/// Why a line cannot be drawn, in a user's words (e.g. "VPC 1 is already attached to CEN 1").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One end of a line drawn on the diagram.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// An entity of the plan, by id.
    Entity(String),
    /// A region (API id), inside one CEN when the diagram says which.
    Region {
        /// The region's API id.
        region: String,
        /// The CEN whose region it is, if the drawing says.
        cen: Option<String>,
    },
}

impl End {
    /// An entity end.
    pub fn entity(id: &str) -> End {
        End::Entity(id.to_string())
    }

    /// A region end, without a CEN.
    pub fn region(region: &str) -> End {
        End::Region {
            region: region.to_string(),
            cen: None,
        }
    }
}

/// Bandwidth (Mbps) of a new VPN gateway, cross-region bandwidth or bandwidth package.
pub const DEFAULT_MBPS: u32 = 10;

/// Creates an entity of `kind` with good defaults, plus what it cannot exist without.
///
/// Owned entities get the owner of the selected entity, else the plan's first account, and an
/// account "Account 1" (without a UID: one is asked for only when a rule needs it) when the plan has
/// none. A VPC gets the next private /16 that overlaps no block of the plan; a vSwitch the next free
/// /24 of its VPC (the selected one, the only one in the drop region, or the only one); a VPN
/// gateway the same VPC; a VPC is created for them when the plan has none. References with one
/// possible answer (the only CEN, the only CCN) are filled in; others are left for the inspector.
pub fn create(plan: &Plan, kind: Kind, context: &Context) -> Created {
    let mut d = Drawing {
        plan: plan.clone(),
        edits: Vec::new(),
    };
    let id = d.create(kind, context);
    if let Some(pos) = context.pos {
        d.push(Edit::Move { id: id.clone(), pos });
    }
    Created { kind, id, edits: d.edits }
}

/// A plan being drawn on: the edits so far, applied to a copy so the next ids and blocks see them.
struct Drawing {
    plan: Plan,
    edits: Vec<Edit>,
}

impl Drawing {
    fn push(&mut self, edit: Edit) {
        // Only an edit that applies is kept (a failed one leaves the copy as it was).
        if apply(&mut self.plan, edit.clone()).is_ok() {
            self.edits.push(edit);
        }
    }

    fn put<T: Entity>(&mut self, entity: &T) {
        let value = serde_json::to_value(entity).unwrap_or_default();
        self.push(Edit::Put {
            kind: T::KIND,
            entity: value,
            previous_id: None,
        });
    }

    fn create(&mut self, kind: Kind, cx: &Context) -> String {
        let id = next_id(&self.plan, kind);
        let name = next_name(&self.plan, kind);
        match kind {
            Kind::Account => {
                let e = Account {
                    id: id.clone(),
                    name,
                    uid: String::new(),
                };
                self.put(&e);
            }
            Kind::Region => {
                let area = cx.region.as_deref().and_then(|r| area_of(&self.plan, r)).unwrap_or(Area::China);
                let e = Region {
                    id: id.clone(),
                    name,
                    area,
                };
                self.put(&e);
            }
            Kind::Vpc => {
                let e = Vpc {
                    id: id.clone(),
                    name,
                    owner: self.owner(cx),
                    region: self.region(cx),
                    cidr: next_vpc_block(&self.plan).map(|n| n.to_string()).unwrap_or_default(),
                    ..Vpc::default()
                };
                self.put(&e);
            }
            Kind::VSwitch => {
                let vpc = self.vpc(cx);
                let cidr = vpc
                    .as_deref()
                    .and_then(|v| next_vswitch_block(&self.plan, v))
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let e = VSwitch {
                    id: next_id(&self.plan, kind),
                    name,
                    vpc: vpc.unwrap_or_default(),
                    zone: String::new(),
                    cidr,
                    ..VSwitch::default()
                };
                self.put(&e);
                return e.id;
            }
            Kind::VpnGateway => {
                let vpc = self.vpc(cx).unwrap_or_default();
                let e = VpnGateway {
                    id: next_id(&self.plan, kind),
                    name,
                    vpc,
                    bandwidth_mbps: DEFAULT_MBPS,
                };
                self.put(&e);
                return e.id;
            }
            Kind::RouteEntry => {
                let route = cx
                    .selected
                    .as_deref()
                    .and_then(|s| office_route(&self.plan, s).or_else(|| peering_route(&self.plan, s)));
                let e = match route {
                    Some(mut e) => {
                        e.id = id.clone();
                        e
                    }
                    None => RouteEntry {
                        id: id.clone(),
                        name,
                        network: self
                            .selected_or_only(cx, &[Kind::Vpc, Kind::Vbr], parent_network)
                            .unwrap_or_default(),
                        ..RouteEntry::default()
                    },
                };
                self.put(&e);
            }
            Kind::Vbr => {
                let e = Vbr {
                    id: id.clone(),
                    name,
                    owner: self.owner(cx),
                    region: self.region(cx),
                    ..Vbr::default()
                };
                self.put(&e);
            }
            Kind::Ccn => {
                let area = cx
                    .region
                    .as_deref()
                    .and_then(|r| area_of(&self.plan, r))
                    .and_then(|a| CcnArea::ALL.into_iter().find(|c| c.cen_area() == a))
                    .unwrap_or_default();
                let e = Ccn {
                    id: id.clone(),
                    name,
                    owner: self.owner(cx),
                    area,
                    ..Ccn::default()
                };
                self.put(&e);
            }
            Kind::Sag => {
                let ccn = self.selected_or_only(cx, &[Kind::Ccn], |p, id| p.sags.iter().find(|s| s.id == id).map(|s| s.ccn.clone()));
                let ccn = match ccn {
                    Some(c) => c,
                    None if self.plan.ccns.is_empty() => self.create(Kind::Ccn, cx),
                    None => String::new(),
                };
                let e = Sag {
                    id: next_id(&self.plan, kind),
                    name,
                    ccn,
                    ..Sag::default()
                };
                self.put(&e);
                return e.id;
            }
            Kind::CustomerGateway => {
                let e = CustomerGateway {
                    id: id.clone(),
                    name,
                    region: self.region(cx),
                    public_ip: next_public_ip(&self.plan),
                    ..CustomerGateway::default()
                };
                self.put(&e);
            }
            Kind::IpsecConnection => {
                let gw = self.selected_or_only(cx, &[Kind::VpnGateway], |_, _| None).unwrap_or_default();
                let office = self.selected_or_only(cx, &[Kind::CustomerGateway], |_, _| None).unwrap_or_default();
                let e = ipsec(&self.plan, id.clone(), &gw, &office);
                self.put(&e);
            }
            Kind::Peering => {
                let a = self
                    .selected_or_only(cx, &[Kind::Vpc, Kind::Vbr], parent_network)
                    .unwrap_or_default();
                let e = Peering {
                    id: id.clone(),
                    name,
                    a,
                    b: String::new(),
                };
                self.put(&e);
            }
            Kind::Cen => {
                let as_of = super::date::Date::parse(&self.plan.settings.as_of).ok();
                let e = Cen {
                    id: id.clone(),
                    name,
                    owner: self.owner(cx),
                    // What the console gave on the plan's date (rulebook's dated switch).
                    overlapping_routes: as_of.is_some_and(|d| d >= dates::OVERLAP_DEFAULT),
                    created_on: String::new(),
                };
                self.put(&e);
            }
            Kind::Attachment | Kind::Grant => {
                let cen = self.selected_or_only(cx, &[Kind::Cen], |_, _| None).unwrap_or_default();
                let network = cx
                    .selected
                    .as_deref()
                    .and_then(|s| parent_network(&self.plan, s))
                    .unwrap_or_default();
                if kind == Kind::Attachment {
                    self.put(&Attachment {
                        id: id.clone(),
                        cen,
                        network,
                        attached_on: String::new(),
                    });
                } else {
                    let uid = owner_uid(&self.plan, &cen);
                    self.put(&Grant {
                        id: id.clone(),
                        network,
                        cen,
                        cen_owner_uid: uid,
                    });
                }
            }
            Kind::BandwidthPackage => {
                let cen = self.selected_or_only(cx, &[Kind::Cen], |_, _| None);
                let area = cx.region.as_deref().and_then(|r| area_of(&self.plan, r)).unwrap_or(Area::China);
                let e = BandwidthPackage {
                    id: id.clone(),
                    name: package_name(area, area),
                    cen,
                    area_a: area,
                    area_b: area,
                    mbps: DEFAULT_MBPS,
                };
                self.put(&e);
            }
            Kind::RegionBandwidth => {
                let cen = self.selected_or_only(cx, &[Kind::Cen], |_, _| None).unwrap_or_default();
                let r = self.region(cx);
                self.put(&RegionBandwidth {
                    id: id.clone(),
                    cen,
                    region_a: r.clone(),
                    region_b: r,
                    mbps: DEFAULT_MBPS,
                });
            }
            Kind::Comment => {
                let entity = cx.selected.clone().unwrap_or_default();
                self.put(&Comment {
                    id: id.clone(),
                    entity,
                    ..Comment::default()
                });
            }
            Kind::Waiver => {
                let entity = cx.selected.clone().unwrap_or_default();
                self.put(&Waiver {
                    id: id.clone(),
                    entity,
                    ..Waiver::default()
                });
            }
            // Sites, groups, route maps and flows: the form's new draft, named, and the rest in the inspector.
            other => {
                let mut draft = super::fields::new_draft(&self.plan, other);
                if super::fields::spec(other, "name").is_some() {
                    draft.insert("name".into(), name);
                }
                let entity = super::fields::build(&self.plan, other, &id, &draft).unwrap_or_else(|_| serde_json::json!({ "id": id }));
                self.push(Edit::Put {
                    kind: other,
                    entity,
                    previous_id: None,
                });
            }
        }
        id
    }

    /// The region of a new node: where it was dropped, else the region most used so far.
    fn region(&self, cx: &Context) -> String {
        if let Some(r) = cx.region.as_ref().filter(|r| !r.trim().is_empty()) {
            return r.clone();
        }
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for r in self
            .plan
            .vpcs
            .iter()
            .map(|v| &v.region)
            .chain(self.plan.vbrs.iter().map(|v| &v.region))
        {
            if !r.trim().is_empty() {
                *counts.entry(r.as_str()).or_default() += 1;
            }
        }
        let max = counts.values().copied().max().unwrap_or(0);
        let most: Vec<&str> = counts.iter().filter(|(_, n)| **n == max).map(|(r, _)| *r).collect();
        match most.as_slice() {
            [only] => only.to_string(),
            // No region yet, or a tie: the region of the entity created last.
            _ => self
                .plan
                .vpcs
                .iter()
                .map(|v| &v.region)
                .chain(self.plan.vbrs.iter().map(|v| &v.region))
                .rfind(|r| !r.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| "cn-hangzhou".to_string()),
        }
    }

    /// The owner of a new entity: the selected account, or the selected entity's owner, else the
    /// first account, else a new account "Account 1" (created here).
    fn owner(&mut self, cx: &Context) -> String {
        // A selected account owns what is created next (a second account's VPC, drawn after it).
        if let Some(a) = cx.selected.as_deref().filter(|s| self.plan.accounts.iter().any(|a| a.id == *s)) {
            return a.to_string();
        }
        if let Some(owner) = cx.selected.as_deref().and_then(|s| owner_of(&self.plan, s)) {
            if self.plan.accounts.iter().any(|a| a.id == owner) {
                return owner;
            }
        }
        if let Some(a) = self.plan.accounts.first() {
            return a.id.clone();
        }
        self.create(Kind::Account, cx)
    }

    /// The VPC of a new vSwitch or VPN gateway: the selected one (or the selected entity's VPC), the
    /// only VPC of the drop region, the only VPC; a new VPC when the plan has none; else `None`.
    fn vpc(&mut self, cx: &Context) -> Option<String> {
        if let Some(v) = cx.selected.as_deref().and_then(|s| vpc_of(&self.plan, s)) {
            return Some(v);
        }
        if let Some(r) = &cx.region {
            let here: Vec<&Vpc> = self.plan.vpcs.iter().filter(|v| &v.region == r).collect();
            if let [only] = here.as_slice() {
                return Some(only.id.clone());
            }
        }
        match self.plan.vpcs.as_slice() {
            [] => Some(self.create(Kind::Vpc, cx)),
            [only] => Some(only.id.clone()),
            _ => None,
        }
    }

    /// The selected entity when it is of one of `kinds` (or what `via` finds from it), else the
    /// only entity of those kinds.
    fn selected_or_only(&self, cx: &Context, kinds: &[Kind], via: impl Fn(&Plan, &str) -> Option<String>) -> Option<String> {
        let index = Index::new(&self.plan);
        if let Some(s) = cx.selected.as_deref() {
            if index.kind_of(s).is_some_and(|k| kinds.contains(&k)) {
                return Some(s.to_string());
            }
            if let Some(v) = via(&self.plan, s).filter(|v| index.kind_of(v).is_some_and(|k| kinds.contains(&k))) {
                return Some(v);
            }
        }
        let mut found = Vec::new();
        self.plan.for_each_entity(|k, _, id, _| {
            if kinds.contains(&k) {
                found.push(id);
            }
        });
        match found.as_slice() {
            [only] => Some(only.to_string()),
            _ => None,
        }
    }
}

/// "VPC 2": the kind's short name and the first number no entity of that kind is named with.
fn next_name(plan: &Plan, kind: Kind) -> String {
    let base = match kind {
        Kind::Vpc => "VPC",
        Kind::VSwitch => "vSwitch",
        Kind::RouteEntry => "Route",
        Kind::Vbr => "Data centre",
        Kind::Ccn => "CCN",
        Kind::Sag => "Branch",
        Kind::VpnGateway => "VPN gateway",
        Kind::CustomerGateway => "Office",
        Kind::IpsecConnection => "IPsec",
        Kind::Peering => "Peering",
        Kind::Cen => "CEN",
        Kind::BandwidthPackage => "Package",
        Kind::Account => "Account",
        Kind::Region => "Region",
        _ => return String::new(),
    };
    let mut names = std::collections::HashSet::new();
    let mut count = 0;
    plan.for_each_entity(|k, _, _, name| {
        if k == kind {
            count += 1;
            names.insert(name.to_string());
        }
    });
    (count + 1..)
        .map(|n| format!("{base} {n}"))
        .find(|n| !names.contains(n))
        .unwrap_or_default()
}

fn package_name(a: Area, b: Area) -> String {
    if a == b {
        format!("{} (within)", a.label())
    } else {
        format!("{}–{}", a.label(), b.label())
    }
}

/// The area of a region of the catalog or of the plan's custom regions.
fn area_of(plan: &Plan, region: &str) -> Option<Area> {
    plan.regions
        .iter()
        .find(|r| r.id == region)
        .map(|r| r.area)
        .or_else(|| catalog::find(region).map(|r| r.area))
}

/// The owner account of an owned entity (or of the network a vSwitch, gateway or SAG belongs to).
fn owner_of(plan: &Plan, id: &str) -> Option<String> {
    let owned = plan
        .vpcs
        .iter()
        .find(|v| v.id == id)
        .map(|v| &v.owner)
        .or_else(|| plan.vbrs.iter().find(|v| v.id == id).map(|v| &v.owner))
        .or_else(|| plan.ccns.iter().find(|v| v.id == id).map(|v| &v.owner))
        .or_else(|| plan.cens.iter().find(|v| v.id == id).map(|v| &v.owner))
        .cloned();
    owned.or_else(|| {
        let parent = vpc_of(plan, id).or_else(|| plan.sags.iter().find(|s| s.id == id).map(|s| s.ccn.clone()))?;
        (parent != id).then(|| owner_of(plan, &parent)).flatten()
    })
}

/// The VPC an entity is or belongs to (a vSwitch's, a VPN gateway's, a route entry's network).
fn vpc_of(plan: &Plan, id: &str) -> Option<String> {
    let is_vpc = |v: &str| plan.vpcs.iter().any(|p| p.id == v);
    if is_vpc(id) {
        return Some(id.to_string());
    }
    plan.vswitches
        .iter()
        .find(|s| s.id == id)
        .map(|s| &s.vpc)
        .or_else(|| plan.vpn_gateways.iter().find(|g| g.id == id).map(|g| &g.vpc))
        .or_else(|| plan.route_entries.iter().find(|r| r.id == id).map(|r| &r.network))
        .filter(|v| is_vpc(v))
        .cloned()
}

/// The network (VPC, VBR or CCN) an entity is or belongs to.
fn parent_network(plan: &Plan, id: &str) -> Option<String> {
    if plan.vbrs.iter().any(|v| v.id == id) || plan.ccns.iter().any(|c| c.id == id) {
        return Some(id.to_string());
    }
    vpc_of(plan, id).or_else(|| plan.sags.iter().find(|s| s.id == id).map(|s| s.ccn.clone()))
}

fn owner_uid(plan: &Plan, cen: &str) -> String {
    let owner = plan.cens.iter().find(|c| c.id == cen).map(|c| c.owner.as_str()).unwrap_or_default();
    plan.accounts
        .iter()
        .find(|a| a.id == owner)
        .map(|a| a.uid.trim().to_string())
        .unwrap_or_default()
}

/// Every IPv4 block the plan names (networks, vSwitches, data centres, branches, offices, routes),
/// except default routes; `skip` leaves out one VPC's own blocks.
fn used_blocks(plan: &Plan, skip: Option<&str>) -> Vec<Ipv4Net> {
    let mut texts: Vec<&str> = Vec::new();
    for v in plan.vpcs.iter().filter(|v| Some(v.id.as_str()) != skip) {
        texts.push(&v.cidr);
        texts.extend(v.secondary_cidrs.iter().map(String::as_str));
    }
    texts.extend(plan.vswitches.iter().map(|s| s.cidr.as_str()));
    texts.extend(plan.vbrs.iter().flat_map(|v| v.idc_cidrs.iter().map(String::as_str)));
    texts.extend(plan.sags.iter().flat_map(|s| s.cidrs.iter().map(String::as_str)));
    for c in &plan.ipsec_connections {
        texts.extend(c.remote_cidrs.iter().map(String::as_str));
        texts.extend(c.local_cidrs.iter().map(String::as_str));
    }
    texts.extend(plan.route_entries.iter().map(|r| r.destination.as_str()));
    texts
        .into_iter()
        .filter_map(|t| parse_cidr(t).ok())
        .filter(|n| n.prefix_len() > 0)
        .collect()
}

fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The next private /16 (10.0.0.0/16, 10.1.0.0/16, … then 172.16–31, then 192.168) that overlaps no
/// block of the plan; `None` when every one is taken.
pub fn next_vpc_block(plan: &Plan) -> Option<Ipv4Net> {
    let used = used_blocks(plan, None);
    let candidates = (0..=255u8)
        .map(|b| Ipv4Addr::new(10, b, 0, 0))
        .chain((16..=31u8).map(|b| Ipv4Addr::new(172, b, 0, 0)))
        .chain(std::iter::once(Ipv4Addr::new(192, 168, 0, 0)));
    candidates
        .filter_map(|a| Ipv4Net::new(a, 16).ok())
        .find(|n| !used.iter().any(|u| overlaps(n, u)))
}

/// The next free /24 inside a VPC's primary block (x.x.1.0/24 first, the block's first /24 last),
/// overlapping no vSwitch and no other block of the plan; the whole block when it is smaller than a
/// /24. `None` when the VPC has no valid block or no room.
pub fn next_vswitch_block(plan: &Plan, vpc: &str) -> Option<Ipv4Net> {
    let v = plan.vpcs.iter().find(|v| v.id == vpc)?;
    let parent = parse_cidr(&v.cidr).ok()?;
    let len = parent.prefix_len().max(24);
    let count = 1u64 << (len - parent.prefix_len()).min(16);
    let used = used_blocks(plan, Some(vpc));
    let base = u32::from(parent.network());
    let step = 1u64 << (32 - len);
    (1..count)
        .chain(std::iter::once(0))
        .filter_map(|i| Ipv4Net::new(Ipv4Addr::from(base.wrapping_add((i * step) as u32)), len).ok())
        .find(|n| !used.iter().any(|u| overlaps(n, u)))
}

/// A placeholder public IP for a new office: the first free address of the documentation ranges
/// (203.0.113.0/24, then 198.51.100.0/24), to be replaced by the office's real address.
fn next_public_ip(plan: &Plan) -> String {
    let used: std::collections::HashSet<&str> = plan.customer_gateways.iter().map(|c| c.public_ip.trim()).collect();
    [[203u8, 0, 113], [198, 51, 100]]
        .into_iter()
        .flat_map(|[a, b, c]| (1..=254u8).map(move |d| Ipv4Addr::new(a, b, c, d).to_string()))
        .find(|ip| !used.contains(ip.as_str()))
        .unwrap_or_default()
}

/// An IPsec connection between a VPN gateway and an office: Alibaba side 0.0.0.0/0 (seed 003's
/// recommendation), the office side the prefixes the office's other connections already give.
fn ipsec(plan: &Plan, id: String, gateway: &str, office: &str) -> IpsecConnection {
    let index = Index::new(plan);
    let mut remote: Vec<String> = Vec::new();
    for c in plan.ipsec_connections.iter().filter(|c| c.customer_gateway == office) {
        for r in &c.remote_cidrs {
            if !remote.contains(r) {
                remote.push(r.clone());
            }
        }
    }
    IpsecConnection {
        id,
        name: if office.is_empty() {
            next_name(plan, Kind::IpsecConnection)
        } else {
            format!("{} IPsec", plan.display_name(&index, office))
        },
        vpn_gateway: gateway.to_string(),
        customer_gateway: office.to_string(),
        local_cidrs: vec!["0.0.0.0/0".into()],
        remote_cidrs: remote,
        ike_version: IkeVersion::V2,
        ..IpsecConnection::default()
    }
}

/// A route from a VPN gateway's VPC to an office behind it (`selected` is the gateway or one of its
/// IPsec connections): the first office prefix of its connections (the selected connection's first)
/// that the VPC's table does not route through the gateway yet, named "To <office>".
fn office_route(plan: &Plan, selected: &str) -> Option<RouteEntry> {
    let (gateway, first) = match plan.ipsec_connections.iter().find(|c| c.id == selected) {
        Some(c) => (c.vpn_gateway.as_str(), Some(c)),
        None => (plan.vpn_gateways.iter().find(|g| g.id == selected)?.id.as_str(), None),
    };
    let vpc = &plan.vpn_gateways.iter().find(|g| g.id == gateway)?.vpc;
    let connections = first
        .into_iter()
        .chain(plan.ipsec_connections.iter().filter(|c| c.vpn_gateway == gateway));
    let index = Index::new(plan);
    for c in connections {
        for prefix in &c.remote_cidrs {
            let routed = plan
                .route_entries
                .iter()
                .any(|r| r.network == *vpc && r.destination == *prefix && r.next_hop == gateway);
            if !routed {
                return Some(RouteEntry {
                    id: String::new(),
                    name: format!("To {}", plan.display_name(&index, &c.customer_gateway)),
                    network: vpc.clone(),
                    destination: prefix.clone(),
                    next_hop_type: NextHopType::VpnGateway,
                    next_hop: gateway.to_string(),
                    ..RouteEntry::default()
                });
            }
        }
    }
    // Every office is routed: a route through the gateway, its destination for the inspector.
    Some(RouteEntry {
        id: String::new(),
        name: next_name(plan, Kind::RouteEntry),
        network: vpc.clone(),
        next_hop_type: NextHopType::VpnGateway,
        next_hop: gateway.to_string(),
        ..RouteEntry::default()
    })
}

/// A route over a peering connection (`selected` is the peering, or a route over it): from side
/// `a` toward side `b`'s block (a VPC's primary block, a VBR's first data-centre block) when `a`
/// has no such route yet, else from `b` toward `a`'s, named "To <peer>"; when both are routed, a
/// route of `a` over the peering whose destination the inspector asks for.
fn peering_route(plan: &Plan, selected: &str) -> Option<RouteEntry> {
    let peering_id = match plan.peerings.iter().find(|p| p.id == selected) {
        Some(p) => p.id.as_str(),
        None => plan
            .route_entries
            .iter()
            .find(|r| r.id == selected && r.next_hop_type == NextHopType::Peering)
            .map(|r| r.next_hop.as_str())?,
    };
    let peering = plan.peerings.iter().find(|p| p.id == peering_id)?;
    let block = |net: &str| -> String {
        plan.vpcs
            .iter()
            .find(|v| v.id == net)
            .map(|v| v.cidr.clone())
            .or_else(|| plan.vbrs.iter().find(|v| v.id == net).and_then(|v| v.idc_cidrs.first().cloned()))
            .unwrap_or_default()
    };
    let index = Index::new(plan);
    let over = |network: &str| RouteEntry {
        network: network.to_string(),
        next_hop_type: NextHopType::Peering,
        next_hop: peering.id.clone(),
        ..RouteEntry::default()
    };
    for (from, to) in [(&peering.a, &peering.b), (&peering.b, &peering.a)] {
        let destination = block(to);
        let routed = plan
            .route_entries
            .iter()
            .any(|r| r.network == *from && r.next_hop == peering.id && r.destination == destination);
        if !routed && !destination.trim().is_empty() && !from.is_empty() {
            return Some(RouteEntry {
                name: format!("To {}", plan.display_name(&index, to)),
                destination,
                ..over(from)
            });
        }
    }
    Some(RouteEntry {
        name: next_name(plan, Kind::RouteEntry),
        ..over(&peering.a)
    })
}

/// The entities the inspector offers to go to from entity `id`, as (role, id): the account that
/// owns it (where its UID is typed). A cross-region bandwidth's package is `pair_package`'s.
pub fn linked(plan: &Plan, id: &str) -> Vec<(&'static str, String)> {
    owner_of(plan, id)
        .filter(|o| plan.accounts.iter().any(|a| a.id == *o))
        .map(|owner| vec![("Owner", owner)])
        .unwrap_or_default()
}

/// The relationship a line from `from` to `to` stands for, as edits (with the id of the entity that
/// holds it), or why it cannot be drawn.
///
/// - a VPC, VBR or CCN and a CEN (either way): an attachment, with a grant when the network's owner
///   is not the CEN's (its CEN owner UID is the CEN owner's, empty when the plan has none);
/// - a VPN gateway and an office (customer gateway), either way: an IPsec connection;
/// - a VPC and a VPC or VBR: a peering connection;
/// - a SAG branch and a CCN: the branch joins the CCN;
/// - two regions whose networks share one CEN (or the CEN the drawing names): a cross-region
///   bandwidth, and a bandwidth package for their area pair when the CEN has none.
pub fn connect(plan: &Plan, from: &End, to: &End) -> Result<Created, Refusal> {
    let index = Index::new(plan);
    let name = |id: &str| plan.display_name(&index, id).to_string();
    match (from, to) {
        (End::Region { region: a, cen: ca }, End::Region { region: b, cen: cb }) => {
            region_link(plan, &index, a, b, ca.as_deref().or(cb.as_deref()))
        }
        (End::Region { region, .. }, End::Entity(id)) | (End::Entity(id), End::Region { region, .. }) => {
            let what = index.kind_of(id).map_or("this", |k| k.label());
            Err(Refusal(format!(
                "a line from a region joins another region (a cross-region bandwidth); {what} {} does not connect to region {region}",
                name(id)
            )))
        }
        (End::Entity(a), End::Entity(b)) => {
            let ka = index
                .kind_of(a)
                .ok_or_else(|| Refusal(format!("there is no entity with the id {a}")))?;
            let kb = index
                .kind_of(b)
                .ok_or_else(|| Refusal(format!("there is no entity with the id {b}")))?;
            if a == b {
                return Err(Refusal(format!("{} {} cannot connect to itself", ka.label(), name(a))));
            }
            use Kind as K;
            match (ka, kb) {
                (K::Vpc | K::Vbr | K::Ccn, K::Cen) => attach(plan, &index, a, b),
                (K::Cen, K::Vpc | K::Vbr | K::Ccn) => attach(plan, &index, b, a),
                (K::VpnGateway, K::CustomerGateway) => ipsec_link(plan, &index, a, b),
                (K::CustomerGateway, K::VpnGateway) => ipsec_link(plan, &index, b, a),
                (K::Vpc, K::Vpc | K::Vbr) | (K::Vbr, K::Vpc) => peer(plan, &index, a, b),
                (K::Sag, K::Ccn) => join(plan, &index, a, b),
                (K::Ccn, K::Sag) => join(plan, &index, b, a),
                _ => Err(Refusal(format!(
                    "{} {} connects to {}, not to {} {}",
                    article(ka),
                    ka.label(),
                    partners(ka),
                    article(kb),
                    kb.label()
                ))),
            }
        }
    }
}

fn article(kind: Kind) -> &'static str {
    match kind.label().as_bytes().first() {
        Some(b'A' | b'E' | b'I' | b'O' | b'U') => "an",
        _ => "a",
    }
}

/// What a kind connects to, for a refusal.
fn partners(kind: Kind) -> &'static str {
    match kind {
        Kind::Vpc => "a CEN instance, or a VPC or VBR (peering)",
        Kind::Vbr => "a CEN instance, or a VPC (peering)",
        Kind::Ccn => "a CEN instance or a SAG branch",
        Kind::Sag => "a CCN",
        Kind::VpnGateway => "an office (customer gateway)",
        Kind::CustomerGateway => "a VPN gateway",
        Kind::Cen => "a VPC, VBR or CCN",
        Kind::VSwitch => "nothing (it lives in its VPC; attach the VPC)",
        _ => "nothing on the diagram (edit it in the inspector)",
    }
}

fn attach(plan: &Plan, index: &Index, network: &str, cen: &str) -> Result<Created, Refusal> {
    let name = |id: &str| plan.display_name(index, id).to_string();
    let kind = index.kind_of(network).map_or("network", |k| k.label());
    if let Some(a) = plan.attachments.iter().find(|a| a.network == network) {
        return Err(Refusal(if a.cen == cen {
            format!("{kind} {} is already attached to CEN {}", name(network), name(cen))
        } else {
            format!(
                "{kind} {} is already attached to CEN {}: a network joins one CEN (CEN-ATT-002); detach it first",
                name(network),
                name(&a.cen)
            )
        }));
    }
    let id = next_id(plan, Kind::Attachment);
    let mut edits = vec![put(&Attachment {
        id: id.clone(),
        cen: cen.to_string(),
        network: network.to_string(),
        attached_on: String::new(),
    })];
    let net_owner = owner_of(plan, network).unwrap_or_default();
    let cen_owner = plan.cens.iter().find(|c| c.id == cen).map(|c| c.owner.clone()).unwrap_or_default();
    let granted = plan.grants.iter().any(|g| g.network == network && g.cen == cen);
    if !net_owner.is_empty() && !cen_owner.is_empty() && net_owner != cen_owner && !granted {
        edits.push(grant(plan, network, cen));
    }
    Ok(Created {
        kind: Kind::Attachment,
        id,
        edits,
    })
}

/// The grant of `network` to CEN `cen` with the CEN owner's UID (empty when the plan has none), or,
/// when the network already has a grant for that CEN, that grant with the UID corrected.
pub fn grant(plan: &Plan, network: &str, cen: &str) -> Edit {
    let uid = owner_uid(plan, cen);
    match plan.grants.iter().find(|g| g.network == network && g.cen == cen) {
        Some(g) => put(&Grant {
            cen_owner_uid: uid,
            ..g.clone()
        }),
        None => put(&Grant {
            id: next_id(plan, Kind::Grant),
            network: network.to_string(),
            cen: cen.to_string(),
            cen_owner_uid: uid,
        }),
    }
}

fn ipsec_link(plan: &Plan, index: &Index, gateway: &str, office: &str) -> Result<Created, Refusal> {
    if let Some(c) = plan
        .ipsec_connections
        .iter()
        .find(|c| c.vpn_gateway == gateway && c.customer_gateway == office)
    {
        return Err(Refusal(format!(
            "VPN gateway {} already connects to {} (IPsec connection {})",
            plan.display_name(index, gateway),
            plan.display_name(index, office),
            plan.display_name(index, &c.id)
        )));
    }
    let id = next_id(plan, Kind::IpsecConnection);
    Ok(Created {
        kind: Kind::IpsecConnection,
        id: id.clone(),
        edits: vec![put(&ipsec(plan, id, gateway, office))],
    })
}

fn peer(plan: &Plan, index: &Index, a: &str, b: &str) -> Result<Created, Refusal> {
    let name = |id: &str| plan.display_name(index, id).to_string();
    if let Some(p) = plan.peerings.iter().find(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a)) {
        return Err(Refusal(format!("{} and {} are already peered ({})", name(a), name(b), name(&p.id))));
    }
    let id = next_id(plan, Kind::Peering);
    Ok(Created {
        kind: Kind::Peering,
        id: id.clone(),
        edits: vec![put(&Peering {
            id,
            name: format!("{} ↔ {}", name(a), name(b)),
            a: a.to_string(),
            b: b.to_string(),
        })],
    })
}

fn join(plan: &Plan, index: &Index, sag: &str, ccn: &str) -> Result<Created, Refusal> {
    let s = plan
        .sags
        .iter()
        .find(|s| s.id == sag)
        .ok_or_else(|| Refusal(format!("there is no SAG {sag}")))?;
    if s.ccn == ccn {
        return Err(Refusal(format!(
            "SAG branch {} is already in CCN {}",
            plan.display_name(index, sag),
            plan.display_name(index, ccn)
        )));
    }
    let mut moved = s.clone();
    moved.ccn = ccn.to_string();
    Ok(Created {
        kind: Kind::Sag,
        id: sag.to_string(),
        edits: vec![put(&moved)],
    })
}

/// The CENs that networks (VPCs and VBRs) of a region are attached to, in plan order.
fn cens_in(plan: &Plan, region: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in &plan.attachments {
        let here = plan.vpcs.iter().any(|v| v.id == a.network && v.region == region)
            || plan.vbrs.iter().any(|v| v.id == a.network && v.region == region);
        if here && !out.contains(&a.cen) && plan.cens.iter().any(|c| c.id == a.cen) {
            out.push(a.cen.clone());
        }
    }
    out
}

fn region_link(plan: &Plan, index: &Index, a: &str, b: &str, cen: Option<&str>) -> Result<Created, Refusal> {
    let name = |id: &str| plan.display_name(index, id).to_string();
    if a == b {
        return Err(Refusal(format!(
            "a cross-region bandwidth joins two different regions; both ends are {a}"
        )));
    }
    let (ca, cb) = (cens_in(plan, a), cens_in(plan, b));
    let common: Vec<&String> = ca.iter().filter(|c| cb.contains(c)).collect();
    let cen = match (cen, common.as_slice()) {
        (Some(c), _) if common.iter().any(|x| *x == c) => c.to_string(),
        (Some(c), _) => {
            let missing = if ca.iter().any(|x| x == c) { b } else { a };
            return Err(Refusal(format!(
                "no network in {missing} is attached to CEN {}: attach one first",
                name(c)
            )));
        }
        (None, [only]) => only.to_string(),
        (None, []) => {
            return Err(Refusal(format!(
                "{a} and {b} share no CEN: attach a network of each region to the same CEN first"
            )))
        }
        (None, several) => {
            let names: Vec<String> = several.iter().map(|c| name(c)).collect();
            return Err(Refusal(format!(
                "{a} and {b} share {}: draw the line between the regions inside one CEN",
                names.join(" and ")
            )));
        }
    };
    if let Some(r) = plan
        .region_bandwidths
        .iter()
        .find(|r| r.cen == cen && ((r.region_a == a && r.region_b == b) || (r.region_a == b && r.region_b == a)))
    {
        return Err(Refusal(format!("{a} and {b} already have {} Mbps on CEN {}", r.mbps, name(&cen))));
    }
    let id = next_id(plan, Kind::RegionBandwidth);
    Ok(Created {
        kind: Kind::RegionBandwidth,
        id,
        edits: region_bandwidth(plan, &cen, a, b),
    })
}

/// A cross-region bandwidth of `DEFAULT_MBPS` between regions `a` and `b` on CEN `cen`, with what
/// its area pair's package needs to carry it (`package_for`).
pub fn region_bandwidth(plan: &Plan, cen: &str, a: &str, b: &str) -> Vec<Edit> {
    let mut edits = vec![put(&RegionBandwidth {
        id: next_id(plan, Kind::RegionBandwidth),
        cen: cen.to_string(),
        region_a: a.to_string(),
        region_b: b.to_string(),
        mbps: DEFAULT_MBPS,
    })];
    if let (Some(x), Some(y)) = (area_of(plan, a), area_of(plan, b)) {
        edits.extend(package_for(plan, cen, x, y, DEFAULT_MBPS));
    }
    edits
}

/// What CEN `cen` needs so that a package of the area pair `x`–`y` carries its region bandwidths of
/// that pair plus `more` Mbps: nothing when a bound package already does; else that package raised
/// to the sum, or an unbound package of the pair bound to the CEN (raised if needed), or a new
/// package bound to the CEN (`DEFAULT_MBPS`, or the sum when larger).
pub fn package_for(plan: &Plan, cen: &str, x: Area, y: Area, more: u32) -> Vec<Edit> {
    let of_pair = |a: Area, b: Area| (a == x && b == y) || (a == y && b == x);
    let drawn = pair_use(plan, cen, x, y).saturating_add(more);
    let packages = || plan.bandwidth_packages.iter().filter(|p| of_pair(p.area_a, p.area_b));
    let bound = packages()
        .find(|p| p.cen.as_deref() == Some(cen))
        .or_else(|| packages().find(|p| p.cen.as_deref().is_none_or(|c| c.trim().is_empty())));
    match bound {
        Some(p) if p.cen.as_deref() == Some(cen) && p.mbps >= drawn => Vec::new(),
        Some(p) => vec![put(&BandwidthPackage {
            cen: Some(cen.to_string()),
            mbps: p.mbps.max(drawn),
            ..p.clone()
        })],
        None => vec![put(&BandwidthPackage {
            id: next_id(plan, Kind::BandwidthPackage),
            name: package_name(x, y),
            cen: Some(cen.to_string()),
            area_a: x,
            area_b: y,
            mbps: drawn.max(DEFAULT_MBPS),
        })],
    }
}

/// The sum of the cross-region bandwidths of CEN `cen` between regions of the area pair `x`–`y`
/// (either way round), in Mbps.
fn pair_use(plan: &Plan, cen: &str, x: Area, y: Area) -> u32 {
    let of_pair = |a: Area, b: Area| (a == x && b == y) || (a == y && b == x);
    plan.region_bandwidths
        .iter()
        .filter(|r| r.cen == cen)
        .filter(|r| match (area_of(plan, &r.region_a), area_of(plan, &r.region_b)) {
            (Some(a), Some(b)) => of_pair(a, b),
            _ => false,
        })
        .fold(0u32, |sum, r| sum.saturating_add(r.mbps))
}

/// The bandwidth package side of a cross-region bandwidth, as the inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PairPackage<'a> {
    /// The area pair of its two regions (as the bandwidth names them).
    pub areas: (Area, Area),
    /// The packages of that pair bound to its CEN, in plan order (more than one is CEN-BWP-004).
    pub packages: Vec<&'a BandwidthPackage>,
    /// What the CEN's cross-region bandwidths of the pair add up to, in Mbps.
    pub used: u32,
    /// What makes a package carry them (`package_for`): a new package, an unbound one bound, or the
    /// bound one raised; empty when the bound package already does, or when several are bound (which
    /// one to keep is the architect's choice, CEN-BWP-004).
    pub offer: Vec<Edit>,
}

/// The package side of cross-region bandwidth `bandwidth` (id): `None` when there is no such
/// bandwidth, it has no CEN, both ends are one region (nothing to buy), or a region's area is unknown.
pub fn pair_package<'a>(plan: &'a Plan, bandwidth: &str) -> Option<PairPackage<'a>> {
    let r = plan.region_bandwidths.iter().find(|r| r.id == bandwidth)?;
    if r.cen.trim().is_empty() || r.region_a == r.region_b {
        return None;
    }
    let (x, y) = (area_of(plan, &r.region_a)?, area_of(plan, &r.region_b)?);
    let packages: Vec<&BandwidthPackage> = plan
        .bandwidth_packages
        .iter()
        .filter(|p| p.cen.as_deref() == Some(r.cen.as_str()))
        .filter(|p| (p.area_a == x && p.area_b == y) || (p.area_a == y && p.area_b == x))
        .collect();
    let offer = if packages.len() > 1 {
        Vec::new()
    } else {
        package_for(plan, &r.cen, x, y, 0)
    };
    Some(PairPackage {
        areas: (x, y),
        packages,
        used: pair_use(plan, &r.cen, x, y),
        offer,
    })
}

/// What `edits` do to bandwidth packages, in a user's words, read against the plan before them
/// (e.g. "New bandwidth package Mainland China–North America: 10 Mbps, bound to CEN 1"); `None`
/// when they touch no package.
pub fn package_note(plan: &Plan, edits: &[Edit]) -> Option<String> {
    let index = Index::new(plan);
    let notes: Vec<String> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Put {
                kind: Kind::BandwidthPackage,
                entity,
                ..
            } => Some(entity),
            _ => None,
        })
        .map(|p| {
            // Read from the edit's JSON as it is (no typed copy: the page's wasm stays small).
            let text = |key: &str| p.get(key).and_then(serde_json::Value::as_str).unwrap_or_default();
            let (id, mbps) = (text("id"), p.get("mbps").and_then(serde_json::Value::as_u64).unwrap_or(0));
            let name = if text("name").trim().is_empty() { id } else { text("name") };
            // "CEN 1" reads as it is; a name that does not say it is a CEN ("c", "Global") gets "CEN ".
            let cen = Some(text("cen"))
                .filter(|c| !c.is_empty())
                .map(|c| plan.display_name(&index, c))
                .unwrap_or_default();
            let cen = if cen.to_lowercase().contains("cen") || cen.is_empty() {
                cen.to_string()
            } else {
                format!("CEN {cen}")
            };
            match plan.bandwidth_packages.iter().find(|o| o.id == id) {
                None => format!("New bandwidth package {name}: {mbps} Mbps, bound to {cen}"),
                Some(old) => {
                    let bound = old.cen.as_deref().is_none_or(|c| c.trim().is_empty()) && !cen.is_empty();
                    let raised = mbps > u64::from(old.mbps);
                    match (bound, raised) {
                        (true, true) => format!(
                            "Bandwidth package {name} bound to {cen} and raised from {} to {mbps} Mbps",
                            old.mbps
                        ),
                        (true, false) => format!("Bandwidth package {name} ({mbps} Mbps) bound to {cen}"),
                        (false, true) => format!("Bandwidth package {name} raised from {} to {mbps} Mbps", old.mbps),
                        (false, false) => format!("Bandwidth package {name}: {mbps} Mbps"),
                    }
                }
            }
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn put<T: Entity>(entity: &T) -> Edit {
    Edit::Put {
        kind: T::KIND,
        entity: serde_json::to_value(entity).unwrap_or_default(),
        previous_id: None,
    }
}

/// Where a line from `from` may end: every node (and, from a region, every region with a network on
/// a CEN) for which `connect` would draw something, in plan order. The diagram lights these up.
pub fn targets(plan: &Plan, from: &End) -> Vec<End> {
    let mut candidates: Vec<End> = Vec::new();
    match from {
        End::Region { .. } => {
            let mut regions: Vec<&str> = Vec::new();
            for a in &plan.attachments {
                let r = plan
                    .vpcs
                    .iter()
                    .find(|v| v.id == a.network)
                    .map(|v| v.region.as_str())
                    .or_else(|| plan.vbrs.iter().find(|v| v.id == a.network).map(|v| v.region.as_str()));
                if let Some(r) = r.filter(|r| !regions.contains(r)) {
                    regions.push(r);
                }
            }
            candidates.extend(regions.into_iter().map(End::region));
        }
        End::Entity(id) => {
            let kinds: &[Kind] = match Index::new(plan).kind_of(id) {
                Some(Kind::Vpc) => &[Kind::Cen, Kind::Vpc, Kind::Vbr],
                Some(Kind::Vbr) => &[Kind::Cen, Kind::Vpc],
                Some(Kind::Ccn) => &[Kind::Cen, Kind::Sag],
                Some(Kind::Sag) => &[Kind::Ccn],
                Some(Kind::VpnGateway) => &[Kind::CustomerGateway],
                Some(Kind::CustomerGateway) => &[Kind::VpnGateway],
                Some(Kind::Cen) => &[Kind::Vpc, Kind::Vbr, Kind::Ccn],
                _ => &[],
            };
            plan.for_each_entity(|k, _, id, _| {
                if kinds.contains(&k) {
                    candidates.push(End::entity(id));
                }
            });
        }
    }
    candidates.retain(|to| connect(plan, from, to).is_ok());
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::testing::{check_codes, plan};
    use expect_test::{expect, Expect};

    /// The plan after the edits (which must all apply).
    fn after(plan: &Plan, edits: &[Edit]) -> Plan {
        let mut p = plan.clone();
        for e in edits {
            apply(&mut p, e.clone()).unwrap();
        }
        p
    }

    /// The edits as text, one `put kind {json}` a line.
    fn show(edits: &[Edit], expect: Expect) {
        let text: Vec<String> = edits
            .iter()
            .map(|e| match e {
                Edit::Put { kind, entity, .. } => format!("put {} {entity}", kind.key()),
                Edit::Move { id, pos } => format!("move {id} to {},{}", pos.x, pos.y),
                other => format!("{other:?}"),
            })
            .collect();
        expect.assert_eq(&(text.join("\n") + "\n"));
    }

    fn made(p: &Plan, kind: Kind, cx: &Context) -> (Plan, String) {
        let c = create(p, kind, cx);
        assert_eq!(c.kind, kind);
        (after(p, &c.edits), c.id)
    }

    fn dropped_in(region: &str) -> Context {
        Context {
            region: Some(region.into()),
            ..Context::default()
        }
    }

    fn on(selected: &str) -> Context {
        Context {
            selected: Some(selected.into()),
            ..Context::default()
        }
    }

    #[test]
    fn the_first_vpc_brings_an_account_without_uid_and_needs_nothing_more() {
        let empty = Plan::new("p", "2019-09-19");
        let c = create(
            &empty,
            Kind::Vpc,
            &Context {
                region: Some("us-east-1".into()),
                pos: Some(Pos { x: 10.0, y: 20.0 }),
                ..Context::default()
            },
        );
        assert_eq!(c.id, "vpc-1");
        show(
            &c.edits,
            expect![[r#"
                put accounts {"id":"acct-1","name":"Account 1","uid":""}
                put vpcs {"cidr":"10.0.0.0/16","id":"vpc-1","name":"VPC 1","owner":"acct-1","region":"us-east-1"}
                move vpc-1 to 10,20
            "#]],
        );
        check_codes(&after(&empty, &c.edits), &["PLAN-"], expect![[""]]);
    }

    #[test]
    fn a_new_vpc_takes_the_next_private_block_no_block_of_the_plan_overlaps() {
        let p = plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .ipsec("i", "g", "o", &["0.0.0.0/0"], &["10.1.4.0/24"])
            .vbr("d", "cn-hangzhou", &["10.2.0.0/15"])
            .build();
        let (p, id) = made(&p, Kind::Vpc, &Context::default());
        let v = p.vpcs.iter().find(|v| v.id == id).unwrap();
        assert_eq!((v.name.as_str(), v.cidr.as_str(), v.owner.as_str()), ("VPC 2", "10.4.0.0/16", "a"));
        // The default route of an IPsec connection takes nothing.
        assert_eq!(v.region, "cn-hangzhou", "the region most used");
        let full = plan().vpc("v", "cn-hangzhou", "10.0.0.0/8").build();
        assert_eq!(next_vpc_block(&full).unwrap().to_string(), "172.16.0.0/16");
    }

    #[test]
    fn a_new_vswitch_goes_in_the_selected_vpc_at_its_next_free_24() {
        let p = plan()
            .vpc("v1", "us-east-1", "172.16.0.0/16")
            .vpc("v2", "cn-shanghai", "192.168.0.0/16")
            .vswitch("s", "v2", "192.168.1.0/24")
            .build();
        let (p, id) = made(&p, Kind::VSwitch, &on("v1"));
        let s = p.vswitches.iter().find(|s| s.id == id).unwrap();
        assert_eq!(
            (s.vpc.as_str(), s.cidr.as_str(), s.name.as_str()),
            ("v1", "172.16.1.0/24", "vSwitch 2")
        );
        // Selecting a vSwitch selects its VPC; the next one skips the used /24.
        let (p, id) = made(&p, Kind::VSwitch, &on("s"));
        let s = p.vswitches.iter().find(|s| s.id == id).unwrap();
        assert_eq!((s.vpc.as_str(), s.cidr.as_str()), ("v2", "192.168.2.0/24"));
        // Dropped in a region with one VPC: that VPC.
        let (p, id) = made(&p, Kind::VSwitch, &dropped_in("us-east-1"));
        let s = p.vswitches.iter().find(|s| s.id == id).unwrap();
        assert_eq!((s.vpc.as_str(), s.cidr.as_str()), ("v1", "172.16.2.0/24"));
        // Nothing says which of two VPCs: the inspector asks.
        let (p, id) = made(&p, Kind::VSwitch, &Context::default());
        let s = p.vswitches.iter().find(|s| s.id == id).unwrap();
        assert_eq!((s.vpc.as_str(), s.cidr.as_str()), ("", ""));
        // A VPC smaller than a /24 gives its whole block once.
        let small = plan().vpc("v", "cn-hangzhou", "10.0.0.0/26").build();
        assert_eq!(next_vswitch_block(&small, "v").unwrap().to_string(), "10.0.0.0/26");
        let used = plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/26")
            .vswitch("s", "v", "10.0.0.0/28")
            .build();
        assert_eq!(next_vswitch_block(&used, "v"), None);
    }

    #[test]
    fn a_vswitch_or_vpn_gateway_on_a_plan_without_vpc_brings_its_vpc() {
        let empty = Plan::new("p", "2019-09-19");
        let c = create(&empty, Kind::VpnGateway, &dropped_in("cn-shanghai"));
        show(
            &c.edits,
            expect![[r#"
                put accounts {"id":"acct-1","name":"Account 1","uid":""}
                put vpcs {"cidr":"10.0.0.0/16","id":"vpc-1","name":"VPC 1","owner":"acct-1","region":"cn-shanghai"}
                put vpn_gateways {"bandwidth_mbps":10,"id":"vpngw-1","name":"VPN gateway 1","vpc":"vpc-1"}
            "#]],
        );
        let (p, _) = made(&empty, Kind::VSwitch, &Context::default());
        assert_eq!(p.vswitches[0].cidr, "10.0.1.0/24");
        check_codes(&p, &["PLAN-"], expect![[""]]);
    }

    #[test]
    fn a_new_vpn_gateway_joins_the_vpc_of_the_selected_vswitch() {
        let p = plan()
            .vpc("v1", "us-east-1", "172.16.0.0/16")
            .vpc("v2", "cn-shanghai", "192.168.0.0/16")
            .vswitch("s", "v2", "192.168.1.0/24")
            .build();
        let (p, id) = made(&p, Kind::VpnGateway, &on("s"));
        let g = p.vpn_gateways.iter().find(|g| g.id == id).unwrap();
        assert_eq!((g.vpc.as_str(), g.bandwidth_mbps), ("v2", DEFAULT_MBPS));
    }

    #[test]
    fn owned_entities_take_the_selected_entitys_owner_else_the_first_account() {
        let p = plan()
            .account("b", "2")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .owner("b")
            .vswitch("s", "v", "10.0.1.0/24")
            .build();
        let (q, id) = made(&p, Kind::Cen, &on("s"));
        assert_eq!(q.cens.iter().find(|c| c.id == id).unwrap().owner, "b");
        let (q, id) = made(&p, Kind::Vbr, &Context::default());
        assert_eq!(q.vbrs.iter().find(|c| c.id == id).unwrap().owner, "a");
    }

    #[test]
    fn a_new_cen_has_overlapping_routes_as_the_console_did_on_the_plan_date() {
        let (p, _) = made(&plan().as_of("2019-09-19").build(), Kind::Cen, &Context::default());
        assert!(p.cens[0].overlapping_routes);
        assert_eq!(p.cens[0].name, "CEN 1");
        let (p, _) = made(&plan().as_of("2018-12-01").build(), Kind::Cen, &Context::default());
        assert!(!p.cens[0].overlapping_routes);
    }

    #[test]
    fn a_new_office_gets_a_placeholder_address_and_the_drop_region() {
        let p = plan().customer_gateway("o", "cn-hangzhou", "203.0.113.1").build();
        let (p, id) = made(&p, Kind::CustomerGateway, &dropped_in("us-east-1"));
        let o = p.customer_gateways.iter().find(|o| o.id == id).unwrap();
        assert_eq!(
            (o.name.as_str(), o.region.as_str(), o.public_ip.as_str()),
            ("Office 2", "us-east-1", "203.0.113.2")
        );
    }

    #[test]
    fn a_new_package_is_bound_to_the_only_cen_and_a_sag_joins_the_only_ccn() {
        let p = plan().cen("c").ccn("n", CcnArea::MainlandChina).build();
        let (q, id) = made(&p, Kind::BandwidthPackage, &dropped_in("us-east-1"));
        let b = q.bandwidth_packages.iter().find(|b| b.id == id).unwrap();
        assert_eq!(
            (b.cen.as_deref(), b.area_a, b.area_b),
            (Some("c"), Area::NorthAmerica, Area::NorthAmerica)
        );
        let (q, id) = made(&p, Kind::Sag, &Context::default());
        assert_eq!(q.sags.iter().find(|s| s.id == id).unwrap().ccn, "n");
        // Two CENs and none selected: the inspector asks.
        let two = plan().cen("c").cen("d").build();
        let (q, id) = made(&two, Kind::BandwidthPackage, &Context::default());
        assert_eq!(q.bandwidth_packages.iter().find(|b| b.id == id).unwrap().cen, None);
    }

    #[test]
    fn a_route_made_on_a_vpn_gateway_or_its_connection_goes_to_the_next_office_not_routed() {
        let p = plan()
            .vpc("v", "us-east-1", "172.16.0.0/16")
            .vpn_gateway("g", "v")
            .customer_gateway("o1", "us-east-1", "203.0.113.1")
            .name("Office 1")
            .customer_gateway("o2", "us-east-1", "203.0.113.2")
            .name("Office 2")
            .ipsec("i1", "g", "o1", &["0.0.0.0/0"], &["10.10.10.0/24"])
            .ipsec("i2", "g", "o2", &["0.0.0.0/0"], &["10.10.20.0/24"])
            .build();
        let c = create(&p, Kind::RouteEntry, &on("i2"));
        show(
            &c.edits,
            expect![[r#"
            put route_entries {"destination":"10.10.20.0/24","id":"rte-1","name":"To Office 2","network":"v","next_hop":"g","next_hop_type":"vpn_gateway","table":"system"}
        "#]],
        );
        let p = after(&p, &c.edits);
        let (p, id) = made(&p, Kind::RouteEntry, &on("g"));
        let r = p.route_entries.iter().find(|r| r.id == id).unwrap();
        assert_eq!((r.destination.as_str(), r.name.as_str()), ("10.10.10.0/24", "To Office 1"));
        // Both routed: the next one leaves the destination to the inspector.
        let (_, id2) = made(&p, Kind::RouteEntry, &on("g"));
        assert_eq!(id2, "rte-3");
        check_codes(&p, &["PLAN-"], expect![[""]]);
    }

    #[test]
    fn names_count_on_from_the_entities_of_the_kind_and_skip_names_in_use() {
        let p = plan().vpc("v1", "cn-hangzhou", "10.0.0.0/16").name("VPC 2").build();
        assert_eq!(next_name(&p, Kind::Vpc), "VPC 3");
        assert_eq!(next_name(&p, Kind::Cen), "CEN 1");
    }

    #[test]
    fn every_kind_can_be_created_on_an_empty_plan_and_on_a_seed() {
        let seed = crate::core::format::from_json(crate::core::examples::EXAMPLES[0].json).unwrap();
        for p in [Plan::new("p", "2019-09-19"), seed] {
            for &kind in Kind::ALL {
                let c = create(&p, kind, &Context::default());
                let q = after(&p, &c.edits);
                assert!(Index::new(&q).kind_of(&c.id) == Some(kind), "{kind:?}");
            }
        }
    }

    fn link(p: &Plan, from: &str, to: &str) -> Result<Created, Refusal> {
        connect(p, &End::entity(from), &End::entity(to))
    }

    fn refused(p: &Plan, from: &End, to: &End) -> String {
        connect(p, from, to).unwrap_err().0
    }

    #[test]
    fn a_network_drawn_to_a_cen_is_attached_either_way() {
        let p = plan()
            .cen("c")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .name("VPC 1")
            .ccn("n", CcnArea::MainlandChina)
            .build();
        let c = link(&p, "v", "c").unwrap();
        show(
            &c.edits,
            expect![[r#"
            put attachments {"cen":"c","id":"att-1","network":"v"}
        "#]],
        );
        assert_eq!(link(&p, "c", "n").unwrap().edits, link(&p, "n", "c").unwrap().edits);
        let p = after(&p, &c.edits);
        assert_eq!(
            refused(&p, &End::entity("v"), &End::entity("c")),
            "VPC VPC 1 is already attached to CEN c"
        );
        let p = plan()
            .cen("c")
            .cen("d")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .attach("t", "d", "v")
            .build();
        assert_eq!(
            refused(&p, &End::entity("v"), &End::entity("c")),
            "VPC v is already attached to CEN d: a network joins one CEN (CEN-ATT-002); detach it first"
        );
    }

    #[test]
    fn attaching_a_network_of_another_account_adds_the_grant() {
        let p = plan()
            .cen("c")
            .account("b", "2")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .owner("b")
            .build();
        let c = link(&p, "v", "c").unwrap();
        show(
            &c.edits,
            expect![[r#"
            put attachments {"cen":"c","id":"att-1","network":"v"}
            put grants {"cen":"c","cen_owner_uid":"1","id":"grant-1","network":"v"}
        "#]],
        );
        check_codes(&after(&p, &c.edits), &["CEN-XACC-001", "PLAN-"], expect![[""]]);
    }

    #[test]
    fn a_vpn_gateway_drawn_to_an_office_is_an_ipsec_connection_to_everything() {
        let p = plan()
            .vpc("v", "us-east-1", "172.16.0.0/16")
            .vpn_gateway("g", "v")
            .vpn_gateway("h", "v")
            .customer_gateway("o", "us-east-1", "203.0.113.1")
            .name("Office 1")
            .build();
        let c = link(&p, "g", "o").unwrap();
        show(
            &c.edits,
            expect![[r#"
            put ipsec_connections {"customer_gateway":"o","id":"vco-1","ike_version":"v2","local_cidrs":["0.0.0.0/0"],"name":"Office 1 IPsec","vpn_gateway":"g"}
        "#]],
        );
        let p = after(&p, &c.edits);
        assert_eq!(
            refused(&p, &End::entity("o"), &End::entity("g")),
            "VPN gateway g already connects to Office 1 (IPsec connection Office 1 IPsec)"
        );
        // A second connection of the office takes the office prefixes the first one gives.
        let mut p = p;
        p.ipsec_connections[0].remote_cidrs = vec!["10.10.10.0/24".into()];
        let c = link(&p, "o", "h").unwrap();
        let q = after(&p, &c.edits);
        assert_eq!(q.ipsec_connections[1].remote_cidrs, vec!["10.10.10.0/24".to_string()]);
    }

    #[test]
    fn a_vpn_gateway_drawn_to_a_cen_is_refused_with_what_it_connects_to() {
        let p = plan()
            .cen("c")
            .vpc("v", "us-east-1", "172.16.0.0/16")
            .vpn_gateway("g", "v")
            .vswitch("s", "v", "172.16.1.0/24")
            .build();
        assert_eq!(
            refused(&p, &End::entity("g"), &End::entity("c")),
            "a VPN gateway connects to an office (customer gateway), not to a CEN instance"
        );
        assert_eq!(
            refused(&p, &End::entity("s"), &End::entity("c")),
            "a vSwitch connects to nothing (it lives in its VPC; attach the VPC), not to a CEN instance"
        );
        assert_eq!(refused(&p, &End::entity("v"), &End::entity("v")), "VPC v cannot connect to itself");
        assert_eq!(
            refused(&p, &End::entity("v"), &End::entity("gone")),
            "there is no entity with the id gone"
        );
    }

    #[test]
    fn vpcs_and_vbrs_drawn_together_are_peered_once() {
        let p = plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .vpc("w", "cn-hangzhou", "10.1.0.0/16")
            .vbr("d", "cn-hangzhou", &["192.168.0.0/16"])
            .vbr("e", "cn-hangzhou", &["192.169.0.0/16"])
            .build();
        let c = link(&p, "v", "d").unwrap();
        show(
            &c.edits,
            expect![[r#"
            put peerings {"a":"v","b":"d","id":"pcc-1","name":"v ↔ d"}
        "#]],
        );
        assert!(link(&p, "v", "w").is_ok());
        let p = after(&p, &c.edits);
        assert_eq!(
            refused(&p, &End::entity("d"), &End::entity("v")),
            "d and v are already peered (v ↔ d)"
        );
        assert_eq!(
            refused(&p, &End::entity("d"), &End::entity("e")),
            "a VBR connects to a CEN instance, or a VPC (peering), not to a VBR"
        );
    }

    #[test]
    fn a_route_made_on_a_peering_or_a_route_over_it_goes_to_the_peer_each_way_in_turn() {
        // Seed 004: VPC-X and VPC-Y peered, each with the static route to the other's block.
        let p = plan()
            .vpc("x", "cn-hangzhou", "192.168.0.0/16")
            .name("VPC-X")
            .vpc("y", "cn-hangzhou", "172.16.0.0/16")
            .name("VPC-Y")
            .peering("pcc-1", "x", "y")
            .build();
        let c = create(&p, Kind::RouteEntry, &on("pcc-1"));
        show(
            &c.edits,
            expect![[r#"
            put route_entries {"destination":"172.16.0.0/16","id":"rte-1","name":"To VPC-Y","network":"x","next_hop":"pcc-1","next_hop_type":"peering","table":"system"}
        "#]],
        );
        // The new route is selected: the next one is the way back.
        let p = after(&p, &c.edits);
        let (p, id) = made(&p, Kind::RouteEntry, &on("rte-1"));
        let r = p.route_entries.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (r.network.as_str(), r.destination.as_str(), r.next_hop.as_str(), r.name.as_str()),
            ("y", "192.168.0.0/16", "pcc-1", "To VPC-X")
        );
        check_codes(&p, &["PLAN-"], expect![[""]]);
        // Both ways routed: a route of side a over the peering, its destination for the inspector.
        let (q, id) = made(&p, Kind::RouteEntry, &on("pcc-1"));
        let r = q.route_entries.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (r.network.as_str(), r.destination.as_str(), r.next_hop_type),
            ("x", "", NextHopType::Peering)
        );
        // A route that is not over a peering, selected, gives no peering route.
        let other = plan()
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .route("r", "v", "10.9.0.0/16", NextHopType::Ecs, "i-1")
            .build();
        let (q, id) = made(&other, Kind::RouteEntry, &on("r"));
        assert_eq!(q.route_entries.iter().find(|r| r.id == id).unwrap().next_hop_type, NextHopType::Ecs);
    }

    #[test]
    fn a_vpc_created_with_an_account_selected_belongs_to_that_account() {
        let p = plan().account("b", "2").build();
        let (q, id) = made(&p, Kind::Vpc, &on("b"));
        assert_eq!(q.vpcs.iter().find(|v| v.id == id).unwrap().owner, "b");
        let (q, id) = made(&p, Kind::Cen, &on("a"));
        assert_eq!(q.cens.iter().find(|c| c.id == id).unwrap().owner, "a");
    }

    #[test]
    fn the_inspector_links_an_entity_to_its_owner_and_a_region_bandwidth_to_its_package() {
        let p = two_regions()
            .package("bp", Some("c"), Area::China, Area::NorthAmerica, 10)
            .package("other", Some("c"), Area::China, Area::China, 10)
            .region_bandwidth("rb", "c", "cn-shanghai", "us-east-1", 5)
            .build();
        let owner = p.vpcs[0].owner.clone();
        assert_eq!(linked(&p, &p.vpcs[0].id), vec![("Owner", owner)]);
        let ids = |p: &Plan| {
            pair_package(p, "rb")
                .unwrap()
                .packages
                .iter()
                .map(|k| k.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&p), vec!["bp".to_string()]);
        // No package bound for the pair: nothing to go to.
        let bare = two_regions().region_bandwidth("rb", "c", "cn-shanghai", "us-east-1", 5).build();
        assert_eq!(ids(&bare), Vec::<String>::new());
    }

    #[test]
    fn a_sag_drawn_to_a_ccn_joins_it() {
        let p = plan()
            .ccn("n", CcnArea::MainlandChina)
            .ccn("m", CcnArea::MainlandChina)
            .sag("s", "n", &["10.9.0.0/24"])
            .build();
        let c = link(&p, "m", "s").unwrap();
        assert_eq!(c.id, "s");
        assert_eq!(after(&p, &c.edits).sags[0].ccn, "m");
        assert_eq!(
            refused(&p, &End::entity("s"), &End::entity("n")),
            "SAG branch s is already in CCN n"
        );
    }

    fn two_regions() -> PlanBuilder {
        plan()
            .cen("c")
            .vpc("v", "us-east-1", "172.16.0.0/16")
            .vpc("w", "cn-shanghai", "192.168.0.0/16")
            .attach("t1", "c", "v")
            .attach("t2", "c", "w")
    }
    use crate::core::testing::PlanBuilder;

    #[test]
    fn two_regions_drawn_together_get_a_bandwidth_and_a_package_for_their_areas() {
        let p = two_regions().build();
        let c = connect(&p, &End::region("cn-shanghai"), &End::region("us-east-1")).unwrap();
        show(
            &c.edits,
            expect![[r#"
            put region_bandwidths {"cen":"c","id":"rbw-1","mbps":10,"region_a":"cn-shanghai","region_b":"us-east-1"}
            put bandwidth_packages {"area_a":"China","area_b":"North-America","cen":"c","id":"cenbwp-1","mbps":10,"name":"Mainland China–North America"}
        "#]],
        );
        check_codes(&after(&p, &c.edits), &["CEN-BW-"], expect![[""]]);
        // A package for the pair already bound: only the bandwidth.
        let p = two_regions().package("b", Some("c"), Area::NorthAmerica, Area::China, 20).build();
        let c = connect(&p, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        assert_eq!(c.edits.len(), 1);
        let p = after(&p, &c.edits);
        assert_eq!(
            refused(&p, &End::region("cn-shanghai"), &End::region("us-east-1")),
            "cn-shanghai and us-east-1 already have 10 Mbps on CEN c"
        );
        // An unbound package of the pair is bound rather than a second one bought; a full one is raised.
        let spare = two_regions().package("b", None, Area::NorthAmerica, Area::China, 20).build();
        let c = connect(&spare, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        show(
            &c.edits,
            expect![[r#"
                put region_bandwidths {"cen":"c","id":"rbw-1","mbps":10,"region_a":"us-east-1","region_b":"cn-shanghai"}
                put bandwidth_packages {"area_a":"North-America","area_b":"China","cen":"c","id":"b","mbps":20,"name":""}
            "#]],
        );
        let full = two_regions()
            .package("b", Some("c"), Area::NorthAmerica, Area::China, 10)
            .region_bandwidth("x", "c", "us-east-1", "cn-beijing", 10)
            .build();
        let c = connect(&full, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        show(
            &c.edits,
            expect![[r#"
                put region_bandwidths {"cen":"c","id":"rbw-1","mbps":10,"region_a":"us-east-1","region_b":"cn-shanghai"}
                put bandwidth_packages {"area_a":"North-America","area_b":"China","cen":"c","id":"b","mbps":20,"name":""}
            "#]],
        );
    }

    #[test]
    fn the_package_a_line_between_regions_brings_is_said_in_a_users_words() {
        let p = two_regions().build();
        let c = connect(&p, &End::region("cn-shanghai"), &End::region("us-east-1")).unwrap();
        assert_eq!(
            package_note(&p, &c.edits).as_deref(),
            Some("New bandwidth package Mainland China–North America: 10 Mbps, bound to CEN c")
        );
        let spare = two_regions().package("b", None, Area::NorthAmerica, Area::China, 20).build();
        let c = connect(&spare, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        assert_eq!(
            package_note(&spare, &c.edits).as_deref(),
            Some("Bandwidth package b (20 Mbps) bound to CEN c")
        );
        let full = two_regions()
            .package("b", Some("c"), Area::NorthAmerica, Area::China, 10)
            .region_bandwidth("x", "c", "us-east-1", "cn-beijing", 10)
            .build();
        let c = connect(&full, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        assert_eq!(
            package_note(&full, &c.edits).as_deref(),
            Some("Bandwidth package b raised from 10 to 20 Mbps")
        );
        // A package of the pair that carries it already: the bandwidth alone, nothing to say.
        let roomy = two_regions().package("b", Some("c"), Area::NorthAmerica, Area::China, 20).build();
        let c = connect(&roomy, &End::region("us-east-1"), &End::region("cn-shanghai")).unwrap();
        assert_eq!(package_note(&roomy, &c.edits), None);
    }

    #[test]
    fn a_cross_region_bandwidth_shows_the_package_of_its_area_pair_and_offers_one_that_carries_it() {
        let base = || two_regions().region_bandwidth("r", "c", "us-east-1", "cn-shanghai", 15);
        // No package: a new one of the pair, as large as what the pair uses.
        let p = base().build();
        let pp = pair_package(&p, "r").unwrap();
        assert_eq!(pp.areas, (Area::NorthAmerica, Area::China));
        assert!(pp.packages.is_empty());
        assert_eq!(pp.used, 15);
        assert_eq!(
            package_note(&p, &pp.offer).as_deref(),
            Some("New bandwidth package North America–Mainland China: 15 Mbps, bound to CEN c")
        );
        // A package too small: raised; one large enough: nothing offered.
        let p = base().package("b", Some("c"), Area::China, Area::NorthAmerica, 10).build();
        let pp = pair_package(&p, "r").unwrap();
        assert_eq!(pp.packages.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(
            package_note(&p, &pp.offer).as_deref(),
            Some("Bandwidth package b raised from 10 to 15 Mbps")
        );
        let p = base().package("b", Some("c"), Area::China, Area::NorthAmerica, 20).build();
        assert!(pair_package(&p, "r").unwrap().offer.is_empty());
        // A package of another CEN or another pair is not this bandwidth's.
        let p = base()
            .cen("d")
            .package("b", Some("d"), Area::China, Area::NorthAmerica, 20)
            .package("e", Some("c"), Area::China, Area::Europe, 20)
            .build();
        assert!(pair_package(&p, "r").unwrap().packages.is_empty());
        // Two bound packages of the pair (CEN-BWP-004): both shown, no choice made for the architect.
        let p = base()
            .package("b", Some("c"), Area::China, Area::NorthAmerica, 5)
            .package("e", Some("c"), Area::NorthAmerica, Area::China, 5)
            .build();
        let pp = pair_package(&p, "r").unwrap();
        assert_eq!(pp.packages.len(), 2);
        assert!(pp.offer.is_empty());
        // Nothing to buy within one region, and nothing for an unknown bandwidth.
        let p = two_regions().region_bandwidth("s", "c", "us-east-1", "us-east-1", 10).build();
        assert_eq!(pair_package(&p, "s"), None);
        assert_eq!(pair_package(&p, "gone"), None);
    }

    #[test]
    fn regions_drawn_together_without_one_shared_cen_are_refused() {
        let p = two_regions().build();
        assert_eq!(
            refused(&p, &End::region("us-east-1"), &End::region("us-east-1")),
            "a cross-region bandwidth joins two different regions; both ends are us-east-1"
        );
        assert_eq!(
            refused(&p, &End::region("us-east-1"), &End::region("eu-central-1")),
            "us-east-1 and eu-central-1 share no CEN: attach a network of each region to the same CEN first"
        );
        let two = two_regions()
            .cen("d")
            .vpc("x", "us-east-1", "10.0.0.0/16")
            .vpc("y", "cn-shanghai", "10.1.0.0/16")
            .attach("t3", "d", "x")
            .attach("t4", "d", "y")
            .build();
        assert_eq!(
            refused(&two, &End::region("us-east-1"), &End::region("cn-shanghai")),
            "us-east-1 and cn-shanghai share c and d: draw the line between the regions inside one CEN"
        );
        let inside_d = End::Region {
            region: "us-east-1".into(),
            cen: Some("d".into()),
        };
        assert_eq!(connect(&two, &inside_d, &End::region("cn-shanghai")).unwrap().edits.len(), 2);
        let only_c = two_regions().cen("d").build();
        let inside_d = End::Region {
            region: "us-east-1".into(),
            cen: Some("d".into()),
        };
        assert_eq!(
            refused(&only_c, &inside_d, &End::region("cn-shanghai")),
            "no network in us-east-1 is attached to CEN d: attach one first"
        );
        assert!(refused(&p, &End::region("us-east-1"), &End::entity("v")).starts_with("a line from a region"));
    }

    #[test]
    fn targets_are_the_ends_a_line_can_be_drawn_to() {
        let p = two_regions()
            .cen("d")
            .vbr("b", "us-east-1", &["10.50.0.0/16"])
            .vpn_gateway("g", "v")
            .customer_gateway("o", "us-east-1", "203.0.113.1")
            .build();
        let ids = |from: End| -> Vec<String> {
            targets(&p, &from)
                .into_iter()
                .map(|t| match t {
                    End::Entity(id) => id,
                    End::Region { region, .. } => region,
                })
                .collect()
        };
        // v is on c already: d is refused (one CEN per network), c too (already attached).
        assert_eq!(ids(End::entity("v")), ["w", "b"]);
        assert_eq!(ids(End::entity("b")), ["v", "w", "c", "d"]);
        assert_eq!(ids(End::entity("g")), ["o"]);
        assert_eq!(ids(End::entity("o")), ["g"]);
        assert_eq!(ids(End::region("us-east-1")), ["cn-shanghai"]);
    }

    /// Seed 001 drawn with the palette and lines (a VPC and vSwitch per region, the CEN, three lines
    /// to it, three lines between regions, each bringing the package of its area pair), and the two
    /// bandwidths the inspector sets to 5 Mbps, behaves exactly as the example.
    #[test]
    fn seed_001_drawn_behaves_as_the_example() {
        let example = crate::core::examples::EXAMPLES
            .iter()
            .find(|e| e.json.contains("Seed 001"))
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .unwrap();
        let mut p = Plan::new("Seed 001 drawn", "2019-09-19");
        let draw = |p: &mut Plan, kind: Kind, cx: Context| -> String {
            let c = create(p, kind, &cx);
            *p = after(p, &c.edits);
            c.id
        };
        let regions = ["cn-beijing", "us-west-1", "eu-central-1"];
        let blocks = ["192.168.0.0/16", "172.16.0.0/16", "10.10.0.0/16"];
        let mut vpcs = Vec::new();
        for (i, r) in regions.iter().enumerate() {
            let v = draw(&mut p, Kind::Vpc, dropped_in(r));
            p.vpcs[i].cidr = blocks[i].into();
            draw(&mut p, Kind::VSwitch, on(&v));
            vpcs.push(v);
        }
        assert_eq!(p.vswitches[2].cidr, "10.10.1.0/24");
        let cen = draw(&mut p, Kind::Cen, Context::default());
        for v in &vpcs {
            let c = link(&p, v, &cen).unwrap();
            p = after(&p, &c.edits);
        }
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let c = connect(&p, &End::region(regions[a]), &End::region(regions[b])).unwrap();
            assert_eq!(c.edits.len(), 2, "a bandwidth and the package of its area pair");
            p = after(&p, &c.edits);
        }
        p.region_bandwidths[1].mbps = 5;
        p.region_bandwidths[2].mbps = 5;
        // The drawn ids become the example's, kind by kind, in the order they were drawn (ids are free text).
        let ids = |p: &Plan| {
            let mut ids: Vec<(Kind, String)> = Vec::new();
            p.for_each_entity(|k, _, id, _| ids.push((k, id.to_string())));
            ids
        };
        let (drawn, wanted) = (ids(&p), ids(&example));
        assert_eq!(
            drawn.iter().map(|d| d.0).collect::<Vec<_>>(),
            wanted.iter().map(|w| w.0).collect::<Vec<_>>()
        );
        let mut text = crate::core::format::to_json(&p);
        for (d, w) in drawn.iter().zip(&wanted) {
            text = text.replace(&format!("\"{}\"", d.1), &format!("\"{}\"", w.1));
        }
        let p = crate::core::format::from_json(&text).unwrap();
        assert_answers_as(&example, &p);
    }

    /// Seed 003 drawn with the palette and lines, and the values the inspector would take, behaves
    /// exactly as the example.
    #[test]
    fn seed_003_drawn_behaves_as_the_example() {
        let example = crate::core::examples::EXAMPLES
            .iter()
            .find(|e| e.json.contains("Seed 003"))
            .map(|e| crate::core::format::from_json(e.json).unwrap())
            .unwrap();
        let mut p = Plan::new("Seed 003 drawn", "2019-09-19");
        let draw = |p: &mut Plan, kind: Kind, cx: Context| -> String {
            let c = create(p, kind, &cx);
            *p = after(p, &c.edits);
            c.id
        };
        let v1 = draw(&mut p, Kind::Vpc, dropped_in("us-east-1"));
        let v2 = draw(&mut p, Kind::Vpc, dropped_in("cn-shanghai"));
        p.vpcs[0].cidr = "172.16.0.0/16".into();
        p.vpcs[1].cidr = "192.168.0.0/16".into();
        draw(&mut p, Kind::VSwitch, on(&v1));
        draw(&mut p, Kind::VSwitch, on(&v2));
        let g1 = draw(&mut p, Kind::VpnGateway, on(&v1));
        let g2 = draw(&mut p, Kind::VpnGateway, on(&v2));
        let offices: Vec<String> = ["us-east-1", "us-east-1", "cn-shanghai", "cn-shanghai"]
            .into_iter()
            .map(|r| draw(&mut p, Kind::CustomerGateway, dropped_in(r)))
            .collect();
        let prefixes = ["10.10.10.0/24", "10.10.20.0/24", "10.20.10.0/24", "10.20.20.0/24"];
        for (i, o) in offices.iter().enumerate() {
            let g = if i < 2 { &g1 } else { &g2 };
            let c = link(&p, g, o).unwrap();
            p = after(&p, &c.edits);
            p.ipsec_connections[i].remote_cidrs = vec![prefixes[i].into()];
            p.route_entries.push(RouteEntry {
                id: next_id(&p, Kind::RouteEntry),
                network: if i < 2 { v1.clone() } else { v2.clone() },
                destination: prefixes[i].into(),
                next_hop_type: NextHopType::VpnGateway,
                next_hop: g.clone(),
                published: true,
                ..RouteEntry::default()
            });
        }
        let cen = draw(&mut p, Kind::Cen, Context::default());
        for v in [&v1, &v2] {
            let c = link(&p, v, &cen).unwrap();
            p = after(&p, &c.edits);
        }
        let c = connect(&p, &End::region("cn-shanghai"), &End::region("us-east-1")).unwrap();
        p = after(&p, &c.edits);
        assert_answers_as(&example, &p);
    }

    /// The example `key` of `core::examples`.
    fn example_plan(key: &str) -> Plan {
        let e = crate::core::examples::EXAMPLES.iter().find(|e| e.key == key).unwrap();
        crate::core::format::from_json(e.json).unwrap()
    }

    /// A drawn plan behaves as the example: the same entities (by id) and the same answers.
    fn assert_behaves_as(example: &Plan, drawn: &Plan) {
        let d = assert_answers_as(example, drawn);
        assert!(d.added.is_empty() && d.removed.is_empty(), "{d:#?}");
    }

    /// A drawn plan answers as the example: the same findings (by code, severity, entity and field:
    /// names differ), routes and reachability. Returns the diff, for more checks.
    fn assert_answers_as(example: &Plan, drawn: &Plan) -> crate::core::diff::PlanDiff {
        let (a, b) = (analyse(example), analyse(drawn));
        let key = |a: &crate::core::analysis::Analysis| -> Vec<String> {
            let mut k: Vec<String> = a
                .report()
                .findings
                .iter()
                .map(|f| format!("{} {} {:?}.{:?}", f.code, f.severity.as_str(), f.entity, f.field))
                .collect();
            k.sort();
            k
        };
        assert_eq!(key(&a), key(&b));
        let d = crate::core::diff::diff((example, &a), (drawn, &b));
        assert!(d.routes_gained.is_empty() && d.routes_lost.is_empty(), "{d:#?}");
        assert!(d.reachability.is_empty(), "{:#?}", d.reachability);
        d
    }

    /// Creates `kind` in `cx` on `p`; its id.
    fn draw_on(p: &mut Plan, kind: Kind, cx: Context) -> String {
        let c = create(p, kind, &cx);
        *p = after(p, &c.edits);
        c.id
    }

    #[test]
    fn seed_004_drawn_behaves_as_the_example() {
        let mut p = Plan::new("Seed 004 drawn", "2019-09-19");
        for cidr in ["192.168.0.0/16", "172.16.0.0/16"] {
            let v = draw_on(&mut p, Kind::Vpc, Context::default());
            p.vpcs.iter_mut().find(|x| x.id == v).unwrap().cidr = cidr.into();
            draw_on(&mut p, Kind::VSwitch, on(&v));
        }
        let c = link(&p, "vpc-1", "vpc-2").unwrap();
        p = after(&p, &c.edits);
        let r = draw_on(&mut p, Kind::RouteEntry, on(&c.id));
        draw_on(&mut p, Kind::RouteEntry, on(&r));
        let cen = draw_on(&mut p, Kind::Cen, Context::default());
        for v in ["vpc-1", "vpc-2"] {
            let c = link(&p, v, &cen).unwrap();
            p = after(&p, &c.edits);
        }
        assert_behaves_as(&example_plan("seed-004-peering-migration"), &p);
    }

    #[test]
    fn seed_000_across_accounts_and_regions_drawn_behaves_as_the_example() {
        let mut p = Plan::new("Seed 000 drawn", "2019-09-19");
        let a = draw_on(&mut p, Kind::Account, Context::default());
        p.accounts[0].uid = "1111222233334444".into();
        let in_region = |r: &str, selected: &str| Context {
            region: Some(r.into()),
            selected: Some(selected.into()),
            ..Context::default()
        };
        let v1 = draw_on(&mut p, Kind::Vpc, in_region("cn-qingdao", &a));
        p.vpcs[0].cidr = "192.168.0.0/16".into();
        let s1 = draw_on(&mut p, Kind::VSwitch, on(&v1));
        let cen = draw_on(&mut p, Kind::Cen, on(&s1));
        let b = draw_on(&mut p, Kind::Account, Context::default());
        let v2 = draw_on(&mut p, Kind::Vpc, in_region("cn-beijing", &b));
        p.vpcs[1].cidr = "172.16.0.0/16".into();
        draw_on(&mut p, Kind::VSwitch, on(&v2));
        for v in [&v1, &v2] {
            let c = link(&p, v, &cen).unwrap();
            p = after(&p, &c.edits);
        }
        assert_eq!(p.grants.len(), 1, "the grant comes with the attachment of account B's VPC");
        let c = connect(&p, &End::region("cn-qingdao"), &End::region("cn-beijing")).unwrap();
        p = after(&p, &c.edits);
        p.region_bandwidths[0].mbps = 5;
        let package = pair_package(&p, &c.id).unwrap().packages[0].id.clone();
        p.bandwidth_packages.iter_mut().find(|x| x.id == package).unwrap().mbps = 8;
        assert_behaves_as(&example_plan("seed-000-cross-account-cross-region"), &p);
    }
}
