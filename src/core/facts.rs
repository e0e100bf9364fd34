//! Facts about a plan, computed once per analysis and read by the data plane, the rules and the questions.
//!
//! `Ctx` indexes the plan (ids, networks, attachments per CEN, regions and their areas) and holds
//! the plan's "as of" date, so each rule reads facts instead of re-deriving them.

use crate::core::catalog::{self, Area, CcnArea};
use crate::core::cidr::parse_cidr;
use crate::core::date::Date;
use crate::core::model::{Attachment, BandwidthPackage, Cen, Grant, Index, Kind, Plan, RegionBandwidth, SiteLine};
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap as HashMap;

pub use crate::core::rulebook::dates;

/// The kind of an attachable network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NetKind {
    /// A VPC.
    Vpc,
    /// A VBR.
    Vbr,
    /// A CCN.
    Ccn,
}

impl NetKind {
    /// The entity kind.
    pub fn kind(self) -> Kind {
        match self {
            NetKind::Vpc => Kind::Vpc,
            NetKind::Vbr => Kind::Vbr,
            NetKind::Ccn => Kind::Ccn,
        }
    }
}

/// One attachable network (VPC, VBR or CCN) of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Net<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its kind.
    pub kind: NetKind,
    /// Owning account id.
    pub owner: &'a str,
    /// Region API id (VPC, VBR); `None` for a CCN, which lives in a CCN area.
    pub region: Option<&'a str>,
    /// CCN area (CCN only).
    pub ccn_area: Option<CcnArea>,
}

/// The CIDRs that routes carry, parsed once, by position in the plan's lists (`None`: it does not
/// parse; the integrity rules say why).
#[derive(Clone, Debug, Default)]
pub struct Cidrs {
    /// Each VPC's blocks that parse, primary first, with their field (`cidr`, `secondary_cidrs`).
    pub vpcs: Vec<Vec<(Ipv4Net, &'static str)>>,
    /// Each vSwitch's block.
    pub vswitches: Vec<Option<Ipv4Net>>,
    /// Each route entry's destination.
    pub route_entries: Vec<Option<Ipv4Net>>,
    /// Each VBR's on-premises blocks.
    pub vbrs: Vec<Vec<Option<Ipv4Net>>>,
    /// Each SAG's branch blocks.
    pub sags: Vec<Vec<Option<Ipv4Net>>>,
}

impl Cidrs {
    fn new(plan: &Plan) -> Cidrs {
        let one = |t: &String| parse_cidr(t).ok();
        let many = |ts: &Vec<String>| ts.iter().map(one).collect::<Vec<_>>();
        Cidrs {
            vpcs: plan
                .vpcs
                .iter()
                .map(|v| {
                    std::iter::once((v.cidr.as_str(), "cidr"))
                        .chain(v.secondary_cidrs.iter().map(|c| (c.as_str(), "secondary_cidrs")))
                        .filter_map(|(text, field)| parse_cidr(text).ok().map(|n| (n, field)))
                        .collect()
                })
                .collect(),
            vswitches: plan.vswitches.iter().map(|s| one(&s.cidr)).collect(),
            route_entries: plan.route_entries.iter().map(|r| one(&r.destination)).collect(),
            vbrs: plan.vbrs.iter().map(|v| many(&v.idc_cidrs)).collect(),
            sags: plan.sags.iter().map(|s| many(&s.cidrs)).collect(),
        }
    }
}

/// An entity whose own date is after the plan's "rules as of" date: it does not exist on that date and
/// carries no traffic (PLAN-DATE-001). An entity with no date (or one that does not parse) exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotYet<'a> {
    /// Its kind (a CEN or an attachment).
    pub kind: Kind,
    /// Its id.
    pub id: &'a str,
    /// The field that holds its date (`created_on`, `attached_on`).
    pub field: &'static str,
    /// Its date.
    pub date: Date,
}

/// Why attachment `a` does not exist on date `as_of`: its CEN is created after it (the CEN first), or
/// the attachment itself is dated after it; `None` when it exists (or the plan gives no dates).
fn not_yet<'a>(plan: &'a Plan, as_of: Date, a: &'a Attachment) -> Option<NotYet<'a>> {
    let cen = plan.cens.iter().find(|c| c.id == a.cen);
    cen.and_then(|c| cen_not_yet(c, as_of)).or_else(|| {
        let date = Date::parse(&a.attached_on).ok().filter(|d| *d > as_of)?;
        Some(NotYet {
            kind: Kind::Attachment,
            id: &a.id,
            field: "attached_on",
            date,
        })
    })
}

/// Whether CEN `cen` is created after `as_of`.
fn cen_not_yet(cen: &Cen, as_of: Date) -> Option<NotYet<'_>> {
    let date = Date::parse(&cen.created_on).ok().filter(|d| *d > as_of)?;
    Some(NotYet {
        kind: Kind::Cen,
        id: &cen.id,
        field: "created_on",
        date,
    })
}

/// Facts about a plan shared by the rules.
pub struct Ctx<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Id lookup.
    pub index: Index<'a>,
    /// The date the plan is checked as of (the 2019 documents when the plan's date does not parse).
    pub as_of: Date,
    /// Every VPC, VBR and CCN by id.
    pub networks: HashMap<&'a str, Net<'a>>,
    /// Attachments of each CEN id, in plan order, leaving out those that do not exist on the plan's date
    /// (see `not_yet`).
    pub attachments: HashMap<&'a str, Vec<&'a Attachment>>,
    /// The first attachment of each network id that exists on the plan's date (see `not_yet`): the one
    /// `cen_of`, the data plane and every rule read.
    pub attachment_of: HashMap<&'a str, &'a Attachment>,
    /// The first attachment of each network id that does not exist on the plan's date, for networks
    /// with no attachment that does (only to explain why it is not in a CEN: PLAN-DATE-001).
    later_attachment_of: HashMap<&'a str, &'a Attachment>,
    /// Every attachment that exists on the plan's date, in plan order.
    existing: Vec<&'a Attachment>,
    /// Every CEN that exists on the plan's date (not created after it), in plan order.
    cens: Vec<&'a Cen>,
    /// The networks attached to each CEN id (each once, in attachment order), leaving out attachments
    /// that do not exist on the plan's date (see `not_yet`).
    attached: HashMap<&'a str, Vec<Net<'a>>>,
    /// The UID of each account id (the first account with that id).
    uids: HashMap<&'a str, &'a str>,
    /// The grants of each network id, in plan order.
    grants: HashMap<&'a str, Vec<&'a Grant>>,
    /// The attachment date of each network id (its first attachment), when valid.
    attached_on: HashMap<&'a str, Date>,
    /// Every CIDR that routes carry, parsed once.
    pub cidrs: Cidrs,
    /// The CEN area of every region id the networks and region bandwidths name (see `region_area`).
    areas: HashMap<&'a str, Option<Area>>,
    /// The package of each CEN for each unordered area pair: the first bound (CEN-BWP-004 refuses a second).
    packages: HashMap<(&'a str, Area, Area), &'a BandwidthPackage>,
    /// The line of a site each VBR or SAG id is (its first), with the site's position in `plan.sites`.
    lines: HashMap<&'a str, (usize, &'a SiteLine)>,
    /// The sites (positions) each network reaches as a line: a VBR, or the CCN of a SAG line.
    net_sites: HashMap<&'a str, Vec<usize>>,
    /// (SAG branch, VBR) pairs where the branch is the VBR's standby (`backup_for_vbr`), read from the
    /// plan once here: the data plane's identical prefixes (`is_standby`) and `same_site` both ask it.
    standbys: rustc_hash::FxHashSet<(&'a str, &'a str)>,
    /// The (CCN, VBR) pairs of `standbys` (the CCN of the branch): the two reach one data centre, as
    /// the lines of a site do.
    backup_pairs: rustc_hash::FxHashSet<(&'a str, &'a str)>,
}

impl<'a> Ctx<'a> {
    /// Indexes `plan`.
    pub fn new(plan: &'a Plan) -> Ctx<'a> {
        let as_of = Date::parse(&plan.settings.as_of).unwrap_or(catalog::DOCS_2019_DATE);
        let mut networks = HashMap::default();
        for v in &plan.vpcs {
            networks.insert(
                v.id.as_str(),
                Net {
                    id: &v.id,
                    kind: NetKind::Vpc,
                    owner: &v.owner,
                    region: Some(&v.region),
                    ccn_area: None,
                },
            );
        }
        for v in &plan.vbrs {
            networks.insert(
                v.id.as_str(),
                Net {
                    id: &v.id,
                    kind: NetKind::Vbr,
                    owner: &v.owner,
                    region: Some(&v.region),
                    ccn_area: None,
                },
            );
        }
        for c in &plan.ccns {
            networks.insert(
                c.id.as_str(),
                Net {
                    id: &c.id,
                    kind: NetKind::Ccn,
                    owner: &c.owner,
                    region: None,
                    ccn_area: Some(c.area),
                },
            );
        }
        let mut attachments: HashMap<&str, Vec<&Attachment>> = HashMap::default();
        let mut attachment_of = HashMap::default();
        let mut later_attachment_of = HashMap::default();
        let mut existing = Vec::new();
        let mut attached: HashMap<&str, Vec<Net<'a>>> = HashMap::default();
        let mut seen = rustc_hash::FxHashSet::default();
        // Decided once: an attachment (or its CEN) dated after the plan's date does not exist, and no
        // index below holds it.
        for a in &plan.attachments {
            if not_yet(plan, as_of, a).is_some() {
                later_attachment_of.entry(a.network.as_str()).or_insert(a);
                continue;
            }
            existing.push(a);
            attachments.entry(a.cen.as_str()).or_default().push(a);
            attachment_of.entry(a.network.as_str()).or_insert(a);
            if let Some(n) = networks.get(a.network.as_str()) {
                if seen.insert((a.cen.as_str(), n.id)) {
                    attached.entry(a.cen.as_str()).or_default().push(n.clone());
                }
            }
        }
        later_attachment_of.retain(|n, _| !attachment_of.contains_key(n));
        let cens = plan.cens.iter().filter(|c| cen_not_yet(c, as_of).is_none()).collect();
        let mut areas = HashMap::default();
        let named = networks.values().filter_map(|n| n.region).chain(
            plan.region_bandwidths
                .iter()
                .flat_map(|r| [r.region_a.as_str(), r.region_b.as_str()]),
        );
        for region in named {
            areas.entry(region).or_insert_with(|| area_of(plan, region));
        }
        let mut grants: HashMap<&str, Vec<&Grant>> = HashMap::default();
        for g in &plan.grants {
            grants.entry(g.network.as_str()).or_default().push(g);
        }
        let mut uids = HashMap::default();
        for a in &plan.accounts {
            uids.entry(a.id.as_str()).or_insert(a.uid.as_str());
        }
        let mut lines = HashMap::default();
        let mut net_sites: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, site) in plan.sites.iter().enumerate() {
            for line in &site.lines {
                lines.entry(line.via.as_str()).or_insert((i, line));
                let network = plan
                    .sags
                    .iter()
                    .find(|s| s.id == line.via)
                    .map_or(line.via.as_str(), |s| s.ccn.as_str());
                let sites = net_sites.entry(network).or_default();
                if !sites.contains(&i) {
                    sites.push(i);
                }
            }
        }
        let (standbys, backup_pairs) = plan
            .sags
            .iter()
            .filter_map(|s| {
                let vbr = s.backup_for_vbr.as_deref()?;
                Some(((s.id.as_str(), vbr), (s.ccn.as_str(), vbr)))
            })
            .unzip();
        Ctx {
            standbys,
            lines,
            net_sites,
            backup_pairs,
            plan,
            uids,
            grants,
            areas,
            index: Index::new(plan),
            as_of,
            networks,
            attachments,
            attached_on: attachment_of
                .iter()
                .filter_map(|(n, a)| Some((*n, Date::parse(&a.attached_on).ok()?)))
                .collect(),
            attachment_of,
            later_attachment_of,
            existing,
            cens,
            attached,
            cidrs: Cidrs::new(plan),
            packages: {
                let mut packages = HashMap::default();
                for p in &plan.bandwidth_packages {
                    if let Some(cen) = p.cen.as_deref().filter(|c| !c.trim().is_empty()) {
                        packages.entry((cen, p.area_a.min(p.area_b), p.area_a.max(p.area_b))).or_insert(p);
                    }
                }
                packages
            },
        }
    }

    /// The site (position in `plan.sites`) and line of a VBR or SAG id that is a line of a site.
    pub fn line(&self, holder: &str) -> Option<(usize, &'a SiteLine)> {
        self.lines.get(holder).copied()
    }

    /// The sites (positions in `plan.sites`) a network reaches as a line (a VBR, or the CCN of a SAG line).
    pub fn sites_of(&self, network: &str) -> &[usize] {
        self.net_sites.get(network).map_or(&[], Vec::as_slice)
    }

    /// Whether SAG branch `sag` is the standby of VBR `vbr` (`backup_for_vbr`).
    pub fn is_standby(&self, sag: &str, vbr: &str) -> bool {
        self.standbys.contains(&(sag, vbr))
    }

    /// Whether two different networks are lines of one site (they never need to reach each other): a
    /// declared site's lines, or a VBR and the CCN of a SAG branch that is its standby (CEN-CCN-006).
    pub fn same_site(&self, a: &str, b: &str) -> bool {
        let theirs = self.sites_of(b);
        self.sites_of(a).iter().any(|s| theirs.contains(s)) || self.backup_pairs.contains(&(a, b)) || self.backup_pairs.contains(&(b, a))
    }

    /// The networks of a site's lines (a VBR, or the CCN of a SAG), each once, in line order.
    pub fn site_networks(&self, site: usize) -> Vec<&'a str> {
        let plan = self.plan;
        let mut out: Vec<&'a str> = Vec::new();
        for line in plan.sites.get(site).map_or(&[][..], |s| &s.lines) {
            let network = plan
                .sags
                .iter()
                .find(|s| s.id == line.via)
                .map_or(line.via.as_str(), |s| s.ccn.as_str());
            if self.networks.contains_key(network) && !out.contains(&network) {
                out.push(network);
            }
        }
        out
    }

    /// The CEN area of a region: the plan's custom regions first, then the catalog (whatever its dates).
    pub fn region_area(&self, region: &str) -> Option<Area> {
        match self.areas.get(region) {
            Some(area) => *area,
            None => area_of(self.plan, region),
        }
    }

    /// The rule that says CCN area `area` is not offered on the plan's date (CEN-CCN-001: not in the
    /// table in force; CEN-CCN-002: Smart Access Gateway only in Mainland China before 2021), or `None`
    /// when it is offered. Decided here once: the CCN rules report it and the data plane gives such a
    /// CCN no traffic.
    pub fn ccn_area_not_offered(&self, area: CcnArea) -> Option<crate::core::rulebook::Code> {
        use crate::core::rulebook::Code;
        let before_2021 = self.as_of < dates::CCN_2021;
        if before_2021 && area == CcnArea::Jakarta {
            Some(Code::CenCcn001)
        } else if before_2021 && area != CcnArea::MainlandChina {
            Some(Code::CenCcn002)
        } else if !before_2021 && matches!(area, CcnArea::Mumbai | CcnArea::NorthAmerica) {
            Some(Code::CenCcn001)
        } else {
            None
        }
    }

    /// The region bandwidth on `cen` that carries cross-area traffic between a CCN whose CEN area is
    /// `home` and a network in `region` (from 2021, CEN-CCN-003): one between `region` and a region of
    /// `home`, with bandwidth set. Every cross-region path, CCN included, needs one.
    pub fn ccn_region_bandwidth(&self, cen: &str, home: Area, region: &str) -> Option<&'a RegionBandwidth> {
        self.plan.region_bandwidths.iter().find(|r| {
            r.cen == cen
                && r.mbps > 0
                && ((r.region_a == region && self.region_area(&r.region_b) == Some(home))
                    || (r.region_b == region && self.region_area(&r.region_a) == Some(home)))
        })
    }

    /// A region bandwidth of `cen` next to the missing pair `r1`–`r2` (it joins one of the two regions
    /// to another): traffic of the pair does not borrow it (CEN-BW-005). Decides, for the bandwidth rule
    /// and for traces alike, whether a missing pair is told as CEN-BW-005 (with this neighbour) or as
    /// CEN-BW-008 (only the test link).
    pub fn neighbour_region_bandwidth(&self, cen: &str, r1: &str, r2: &str) -> Option<&'a RegionBandwidth> {
        self.plan.region_bandwidths.iter().find(|b| {
            b.cen == cen && b.region_a != b.region_b && (b.region_a == r1 || b.region_b == r1 || b.region_a == r2 || b.region_b == r2)
        })
    }

    /// Whether CEN `cen` has overlapping routes on as of the plan's date: the switch is on and existed
    /// then (released 2018-10-12, CEN-ED-002; before, a switch set on did not exist and counts as off).
    /// Decided here once for the data plane and the overlap rules.
    pub fn overlapping_on(&self, cen: &Cen) -> bool {
        cen.overlapping_routes && self.as_of >= dates::OVERLAP_RELEASED
    }

    /// The CEN area a network sits in: its region's area, or its CCN area's CEN area.
    pub fn net_area(&self, net: &Net<'_>) -> Option<Area> {
        match (net.region, net.ccn_area) {
            (Some(r), _) => self.region_area(r),
            (None, Some(a)) => Some(a.cen_area()),
            _ => None,
        }
    }

    /// The bandwidth package bound to `cen` for the unordered area pair {a, b}: the first bound one,
    /// since a CEN holds one package per area pair (CEN-BWP-004).
    pub fn package(&self, cen: &str, a: Area, b: Area) -> Option<&'a BandwidthPackage> {
        self.packages.get(&(cen, a.min(b), a.max(b))).copied()
    }

    /// The cross-region bandwidths set on `cen` between two regions (either order), in plan order.
    pub fn region_bandwidths<'s>(&'s self, cen: &'s str, a: &'s str, b: &'s str) -> impl Iterator<Item = &'a RegionBandwidth> + 's {
        self.plan
            .region_bandwidths
            .iter()
            .filter(move |r| r.cen == cen && ((r.region_a == a && r.region_b == b) || (r.region_a == b && r.region_b == a)))
    }

    /// The UID of an account id.
    pub fn uid(&self, account: &str) -> Option<&'a str> {
        self.uids.get(account).copied()
    }

    /// Whether a network of account `network_owner` attached to a CEN of account `cen_owner` crosses
    /// accounts (CEN-XACC-001): two different accounts, unless the plan gives both the same UID.
    pub fn cross_account(&self, network_owner: &str, cen_owner: &str) -> bool {
        if network_owner.trim().is_empty() || cen_owner.trim().is_empty() || network_owner == cen_owner {
            return false;
        }
        !matches!((self.uid(network_owner), self.uid(cen_owner)), (Some(x), Some(y)) if !x.trim().is_empty() && x.trim() == y.trim())
    }

    /// Whether a grant authorises `network` for `cen`: it names that CEN and the CEN owner's UID
    /// (any UID counts when the plan does not give the owner's).
    pub fn granted(&self, network: &str, cen: &Cen) -> bool {
        let uid = self.uid(&cen.owner).map(str::trim).filter(|u| !u.is_empty());
        self.grants_of(network)
            .iter()
            .any(|g| g.cen == cen.id && uid.is_none_or(|u| g.cen_owner_uid.trim() == u))
    }

    /// The grants of a network, in plan order.
    pub fn grants_of(&self, network: &str) -> &[&'a Grant] {
        self.grants.get(network).map_or(&[], Vec::as_slice)
    }

    /// The CEN with this id (whatever its date: to name it, or to follow a reference).
    pub fn cen(&self, id: &str) -> Option<&'a Cen> {
        self.plan.cens.iter().find(|c| c.id == id)
    }

    /// The CENs that exist on the plan's date, in plan order: a CEN created after it is reported by
    /// PLAN-DATE-001 only, so the rules about CENs loop over these.
    pub fn cens(&self) -> impl Iterator<Item = &'a Cen> + '_ {
        self.cens.iter().copied()
    }

    /// The attachments that exist on the plan's date, in plan order (see `not_yet`): the rules about
    /// attachments loop over these; only the checks of the file's shape (references, kinds) read them all.
    pub fn attachments(&self) -> impl Iterator<Item = &'a Attachment> + '_ {
        self.existing.iter().copied()
    }

    /// The first attachment of a network that does not exist on the plan's date, when the network has
    /// no attachment that does: to say why it is in no CEN (PLAN-DATE-001).
    pub fn later_attachment_of(&self, network: &str) -> Option<&'a Attachment> {
        self.later_attachment_of.get(network).copied()
    }

    /// The attachments of a CEN that exist on the plan's date.
    pub fn attachments_of(&self, cen: &str) -> &[&'a Attachment] {
        self.attachments.get(cen).map_or(&[], Vec::as_slice)
    }

    /// The networks attached to a CEN (each once, in attachment order), indexed once.
    pub fn attached_networks(&self, cen: &str) -> &[Net<'a>] {
        self.attached.get(cen).map_or(&[], Vec::as_slice)
    }

    /// The CEN a network is attached to on the plan's date (its first attachment that exists then).
    pub fn cen_of(&self, network: &str) -> Option<&'a Cen> {
        self.attachment_of.get(network).and_then(|a| self.cen(&a.cen))
    }

    /// Why an attachment does not exist on the plan's date (its CEN is created later, or it is attached
    /// later), or `None` when it exists. Decided here once: the attached networks of a CEN leave it out,
    /// the data plane gives it no routes, and PLAN-DATE-001 reports it.
    pub fn not_yet(&self, a: &'a Attachment) -> Option<NotYet<'a>> {
        not_yet(self.plan, self.as_of, a)
    }

    /// What PLAN-DATE-001 says of `d`, in the findings and in reach alike: the message and the fix.
    pub fn not_yet_text(&self, d: &NotYet<'_>) -> (String, &'static str) {
        let what = match self.plan.attachments.iter().find(|a| d.kind == Kind::Attachment && a.id == d.id) {
            Some(a) => {
                let net = match self.networks.get(a.network.as_str()) {
                    Some(n) => format!("{} {}", n.kind.kind().label(), self.name(n.id)),
                    None => self.name(&a.network).to_string(),
                };
                format!("The attachment of {net} to CEN {}", self.name(&a.cen))
            }
            None => format!("{} {}", d.kind.label(), self.name(d.id)),
        };
        (
            format!(
                "{what} is dated {}, after the date the plan is checked as of ({}): it is left out of the routes until then",
                d.date, self.as_of
            ),
            "Change its date or the plan's 'rules as of' date.",
        )
    }

    /// Every CEN and attachment dated after the plan's date, each once, CENs first, in plan order.
    pub fn dated_after_as_of(&self) -> Vec<NotYet<'a>> {
        let plan = self.plan;
        let cens = plan.cens.iter().filter_map(|c| cen_not_yet(c, self.as_of));
        let attachments = plan.attachments.iter().filter_map(|a| {
            let date = Date::parse(&a.attached_on).ok().filter(|d| *d > self.as_of)?;
            Some(NotYet {
                kind: Kind::Attachment,
                id: &a.id,
                field: "attached_on",
                date,
            })
        });
        cens.chain(attachments).collect()
    }

    /// The attachment date of a network, when given and valid.
    pub fn attached_on(&self, network: &str) -> Option<Date> {
        self.attached_on.get(network).copied()
    }

    /// The creation date of a CEN, when given and valid.
    pub fn created_on(&self, cen: &Cen) -> Option<Date> {
        Date::parse(&cen.created_on).ok()
    }

    /// The display name of an entity: its name, or its id.
    pub fn name<'s>(&'s self, id: &'s str) -> &'s str {
        self.plan.display_name(&self.index, id)
    }
}

/// The CEN area of a region: the plan's custom regions first, then the catalog (whatever its dates).
fn area_of(plan: &Plan, region: &str) -> Option<Area> {
    plan.regions
        .iter()
        .find(|r| r.id == region)
        .map(|r| r.area)
        .or_else(|| catalog::find(region).map(|r| r.area))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataplane::DataPlane;
    use crate::core::testing::{codes_of, plan};

    /// VPC `v2` of account `b` attached to CEN `c` of account `a` (UID `uid_a`), granted if `grant_uid` is given.
    fn cross_account(uid_a: &str, grant_uid: Option<&str>) -> Plan {
        let p = plan()
            .account("a", uid_a)
            .account("b", "2")
            .cen("c")
            .vpc("v2", "cn-hangzhou", "10.0.0.0/16")
            .owner("b")
            .attach("t", "c", "v2");
        match grant_uid {
            Some(u) => p.grant("g", "v2", "c", u).build(),
            None => p.build(),
        }
    }

    /// The grant rule is decided once, here: the rules (CEN-XACC-001), the route engine and the report agree.
    #[test]
    fn the_rules_and_the_routes_agree_on_what_a_grant_is() {
        for (uid_a, grant, granted) in [
            ("1", None, false),
            ("1", Some("1"), true),
            ("1", Some("9"), false),
            ("", Some("9"), true),
        ] {
            let p = cross_account(uid_a, grant);
            let ctx = Ctx::new(&p);
            assert_eq!(ctx.granted("v2", &p.cens[0]), granted, "{uid_a} {grant:?}");
            assert_eq!(
                DataPlane::new(Ctx::new(&p)).effective_cen("v2").is_some(),
                granted,
                "{uid_a} {grant:?}"
            );
            let xacc = !codes_of(&p, "CEN-XACC-001").is_empty();
            assert_eq!(xacc, !granted, "{uid_a} {grant:?}");
        }
    }

    /// A SAG branch that is a VBR's standby is read from the plan once: the identical-prefix decision
    /// (`is_standby`) and `same_site` (the VBR and the branch's CCN) ask the same fact.
    #[test]
    fn a_sag_branch_standing_by_for_a_vbr_is_one_fact_for_the_data_plane_and_the_rules() {
        let p = crate::core::testing::plan()
            .vbr("r", "cn-hangzhou", &["10.1.1.0/24"])
            .vbr("r2", "cn-hangzhou", &["10.2.1.0/24"])
            .ccn("n", CcnArea::MainlandChina)
            .sag("g", "n", &["10.1.1.0/24"])
            .backup_for("r")
            .sag("h", "n", &["10.3.1.0/24"])
            .build();
        let ctx = Ctx::new(&p);
        assert!(ctx.is_standby("g", "r"));
        assert!(!ctx.is_standby("g", "r2") && !ctx.is_standby("h", "r") && !ctx.is_standby("r", "g"));
        assert!(ctx.same_site("r", "n") && ctx.same_site("n", "r"));
        assert!(!ctx.same_site("r2", "n"));
    }
}
