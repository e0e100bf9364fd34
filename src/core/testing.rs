//! The core's test harness (test builds only): a plan builder and expectations on findings.
//!
//! A test states only what matters to it:
//!
//! ```text
//! let p = plan().cen("c").overlapping().vpc("v", "cn-hangzhou", "10.0.0.0/16").vswitch("s", "v", "10.0.1.0/24")
//!     .attach("t", "c", "v").build();
//! check(&p, expect![[r#"..."#]]);
//! ```
//!
//! `plan()` starts with account `a` (UID `1`), dated like a plan file without settings; entities that
//! have an owner are owned by the first account. Modifiers (`owner`, `name`, `overlapping`, `published`,
//! ...) change the entity added last. `check` renders the findings as text, one finding a line:
//! `severity code entity.field: message`, then the fix and the related entities indented, and waived
//! findings last, marked `waived`. `UPDATE_EXPECT=1 cargo test` rewrites the expected text in place.

use super::catalog::{Area, CcnArea};
use super::findings::{Finding, Report, Severity};
use super::model::*;
use super::rules;
use expect_test::Expect;

/// A plan under construction.
#[derive(Clone)]
pub(crate) struct PlanBuilder {
    plan: Plan,
    last: Option<Kind>,
}

/// A plan with account `a` (UID `1`) and the default date.
pub(crate) fn plan() -> PlanBuilder {
    PlanBuilder {
        plan: Plan {
            accounts: vec![Account {
                id: "a".into(),
                uid: "1".into(),
                ..Account::default()
            }],
            ..Plan::default()
        },
        last: None,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl PlanBuilder {
    /// The plan.
    pub(crate) fn build(self) -> Plan {
        self.plan
    }

    fn owner_default(&self) -> String {
        self.plan.accounts.first().map(|a| a.id.clone()).unwrap_or_default()
    }

    fn added(mut self, kind: Kind) -> Self {
        self.last = Some(kind);
        self
    }

    /// The date the plan is checked as of.
    #[allow(clippy::wrong_self_convention)] // named after the plan setting, not a conversion
    pub(crate) fn as_of(mut self, date: &str) -> Self {
        self.plan.settings.as_of = date.into();
        self
    }

    /// An account; an account with this id already there (`a`) gets this UID instead.
    pub(crate) fn account(mut self, id: &str, uid: &str) -> Self {
        match self.plan.accounts.iter_mut().find(|a| a.id == id) {
            Some(a) => a.uid = uid.into(),
            None => self.plan.accounts.push(Account {
                id: id.into(),
                uid: uid.into(),
                ..Account::default()
            }),
        }
        self.added(Kind::Account)
    }

    /// A region the catalog does not know.
    pub(crate) fn region(mut self, id: &str, name: &str, area: Area) -> Self {
        self.plan.regions.push(Region {
            id: id.into(),
            name: name.into(),
            area,
        });
        self.added(Kind::Region)
    }

    /// A CEN instance (overlapping routes off, creation date unknown).
    pub(crate) fn cen(mut self, id: &str) -> Self {
        let owner = self.owner_default();
        self.plan.cens.push(Cen {
            id: id.into(),
            owner,
            ..Cen::default()
        });
        self.added(Kind::Cen)
    }

    /// A VPC.
    pub(crate) fn vpc(mut self, id: &str, region: &str, cidr: &str) -> Self {
        let owner = self.owner_default();
        self.plan.vpcs.push(Vpc {
            id: id.into(),
            owner,
            region: region.into(),
            cidr: cidr.into(),
            ..Vpc::default()
        });
        self.added(Kind::Vpc)
    }

    /// A vSwitch of a VPC.
    pub(crate) fn vswitch(mut self, id: &str, vpc: &str, cidr: &str) -> Self {
        self.plan.vswitches.push(VSwitch {
            id: id.into(),
            vpc: vpc.into(),
            cidr: cidr.into(),
            ..VSwitch::default()
        });
        self.added(Kind::VSwitch)
    }

    /// A VBR (static routing, no health check) with its data-centre CIDRs.
    pub(crate) fn vbr(mut self, id: &str, region: &str, idc_cidrs: &[&str]) -> Self {
        let owner = self.owner_default();
        self.plan.vbrs.push(Vbr {
            id: id.into(),
            owner,
            region: region.into(),
            idc_cidrs: strings(idc_cidrs),
            ..Vbr::default()
        });
        self.added(Kind::Vbr)
    }

    /// A CCN instance.
    pub(crate) fn ccn(mut self, id: &str, area: CcnArea) -> Self {
        let owner = self.owner_default();
        self.plan.ccns.push(Ccn {
            id: id.into(),
            owner,
            area,
            ..Ccn::default()
        });
        self.added(Kind::Ccn)
    }

    /// A SAG branch of a CCN with its CIDRs.
    pub(crate) fn sag(mut self, id: &str, ccn: &str, cidrs: &[&str]) -> Self {
        self.plan.sags.push(Sag {
            id: id.into(),
            ccn: ccn.into(),
            cidrs: strings(cidrs),
            ..Sag::default()
        });
        self.added(Kind::Sag)
    }

    /// A custom route entry in the system table, not published.
    pub(crate) fn route(mut self, id: &str, network: &str, destination: &str, next_hop_type: NextHopType, next_hop: &str) -> Self {
        self.plan.route_entries.push(RouteEntry {
            id: id.into(),
            network: network.into(),
            destination: destination.into(),
            next_hop_type,
            next_hop: next_hop.into(),
            ..RouteEntry::default()
        });
        self.added(Kind::RouteEntry)
    }

    /// A VPN gateway in a VPC.
    pub(crate) fn vpn_gateway(mut self, id: &str, vpc: &str) -> Self {
        self.plan.vpn_gateways.push(VpnGateway {
            id: id.into(),
            vpc: vpc.into(),
            ..VpnGateway::default()
        });
        self.added(Kind::VpnGateway)
    }

    /// A customer gateway.
    pub(crate) fn customer_gateway(mut self, id: &str, region: &str, public_ip: &str) -> Self {
        self.plan.customer_gateways.push(CustomerGateway {
            id: id.into(),
            region: region.into(),
            public_ip: public_ip.into(),
            ..CustomerGateway::default()
        });
        self.added(Kind::CustomerGateway)
    }

    /// An IPsec connection (IKEv2) with its local and remote CIDRs.
    pub(crate) fn ipsec(mut self, id: &str, vpn_gateway: &str, customer_gateway: &str, local: &[&str], remote: &[&str]) -> Self {
        self.plan.ipsec_connections.push(IpsecConnection {
            id: id.into(),
            vpn_gateway: vpn_gateway.into(),
            customer_gateway: customer_gateway.into(),
            local_cidrs: strings(local),
            remote_cidrs: strings(remote),
            ..IpsecConnection::default()
        });
        self.added(Kind::IpsecConnection)
    }

    /// An Express Connect peering connection.
    pub(crate) fn peering(mut self, id: &str, a: &str, b: &str) -> Self {
        self.plan.peerings.push(Peering {
            id: id.into(),
            a: a.into(),
            b: b.into(),
            ..Peering::default()
        });
        self.added(Kind::Peering)
    }

    /// An attachment of a network to a CEN.
    pub(crate) fn attach(mut self, id: &str, cen: &str, network: &str) -> Self {
        self.plan.attachments.push(Attachment {
            id: id.into(),
            cen: cen.into(),
            network: network.into(),
            ..Attachment::default()
        });
        self.added(Kind::Attachment)
    }

    /// A cross-account grant of a network to a CEN, naming the CEN owner's UID.
    pub(crate) fn grant(mut self, id: &str, network: &str, cen: &str, cen_owner_uid: &str) -> Self {
        self.plan.grants.push(Grant {
            id: id.into(),
            network: network.into(),
            cen: cen.into(),
            cen_owner_uid: cen_owner_uid.into(),
        });
        self.added(Kind::Grant)
    }

    /// A bandwidth package for an area pair, bound to `cen` or unbound.
    pub(crate) fn package(mut self, id: &str, cen: Option<&str>, area_a: Area, area_b: Area, mbps: u32) -> Self {
        self.plan.bandwidth_packages.push(BandwidthPackage {
            id: id.into(),
            cen: cen.map(String::from),
            area_a,
            area_b,
            mbps,
            ..BandwidthPackage::default()
        });
        self.added(Kind::BandwidthPackage)
    }

    /// A cross-region bandwidth on a CEN.
    pub(crate) fn region_bandwidth(mut self, id: &str, cen: &str, region_a: &str, region_b: &str, mbps: u32) -> Self {
        self.plan.region_bandwidths.push(RegionBandwidth {
            id: id.into(),
            cen: cen.into(),
            region_a: region_a.into(),
            region_b: region_b.into(),
            mbps,
        });
        self.added(Kind::RegionBandwidth)
    }

    /// A waiver of the findings of `code` on `entity`.
    pub(crate) fn waiver(mut self, id: &str, code: &str, entity: &str, reason: &str) -> Self {
        self.plan.waivers.push(Waiver {
            id: id.into(),
            code: code.into(),
            entity: entity.into(),
            reason: reason.into(),
            ..Waiver::default()
        });
        self.added(Kind::Waiver)
    }

    /// A route map on `cen` in `region`: RegionOut, Permit, matching nothing yet (add conditions with
    /// the modifiers below or `with`).
    pub(crate) fn route_map(mut self, id: &str, cen: &str, region: &str, priority: u32) -> Self {
        self.plan.route_maps.push(RouteMap {
            id: id.into(),
            cen: cen.into(),
            region: region.into(),
            priority,
            ..RouteMap::default()
        });
        self.added(Kind::RouteMap)
    }

    fn last_map(&mut self) -> &mut RouteMap {
        assert_eq!(
            self.last(),
            Kind::RouteMap,
            "a route-map modifier needs a route map added before it"
        );
        self.plan.route_maps.last_mut().unwrap()
    }

    /// The route map added last denies.
    pub(crate) fn deny(mut self) -> Self {
        self.last_map().action = MapAction::Deny;
        self
    }

    /// The route map added last is in the RegionIn direction.
    pub(crate) fn region_in(mut self) -> Self {
        self.last_map().direction = MapDirection::RegionIn;
        self
    }

    /// The route map added last matches routes from these networks toward these networks.
    pub(crate) fn matching(mut self, sources: &[&str], destinations: &[&str]) -> Self {
        let m = self.last_map();
        m.source_networks = strings(sources);
        m.destination_networks = strings(destinations);
        self
    }

    /// The route map added last continues with the maps of priority `next` and above.
    pub(crate) fn next_priority(mut self, next: u32) -> Self {
        self.last_map().next_priority = Some(next);
        self
    }

    /// A site reached through `lines` (VBR or SAG ids), with its prefixes.
    pub(crate) fn site(mut self, id: &str, prefixes: &[&str], lines: &[&str]) -> Self {
        self.plan.sites.push(Site {
            id: id.into(),
            prefixes: strings(prefixes),
            lines: lines
                .iter()
                .map(|l| SiteLine {
                    via: l.to_string(),
                    ..SiteLine::default()
                })
                .collect(),
            ..Site::default()
        });
        self.added(Kind::Site)
    }

    /// The AS-path lengths of the lines of the site added last, in line order (`None`: unknown).
    pub(crate) fn path_lengths(mut self, lengths: &[Option<u32>]) -> Self {
        assert_eq!(self.last(), Kind::Site, "path_lengths() needs a site added before it");
        let site = self.plan.sites.last_mut().unwrap();
        for (line, n) in site.lines.iter_mut().zip(lengths) {
            line.as_path_length = *n;
        }
        self
    }

    /// A required flow between two endpoints or groups.
    pub(crate) fn required(mut self, id: &str, from: &str, to: &str) -> Self {
        self.plan.flows.push(Flow {
            id: id.into(),
            rule: FlowRule::Required,
            from: from.into(),
            to: to.into(),
            ..Flow::default()
        });
        self.added(Kind::Flow)
    }

    /// A forbidden flow between two endpoints or groups.
    pub(crate) fn forbidden(mut self, id: &str, from: &str, to: &str) -> Self {
        self.plan.flows.push(Flow {
            id: id.into(),
            rule: FlowRule::Forbidden,
            from: from.into(),
            to: to.into(),
            ..Flow::default()
        });
        self.added(Kind::Flow)
    }

    /// The flow added last needs at least this bandwidth.
    pub(crate) fn min_mbps(mut self, mbps: u32) -> Self {
        assert_eq!(self.last(), Kind::Flow, "min_mbps() needs a flow added before it");
        self.plan.flows.last_mut().unwrap().min_mbps = Some(mbps);
        self
    }

    /// An endpoint group with these members and label selector (empty: none).
    pub(crate) fn group(mut self, id: &str, members: &[&str], label: &str) -> Self {
        self.plan.groups.push(Group {
            id: id.into(),
            members: strings(members),
            label: label.into(),
            ..Group::default()
        });
        self.added(Kind::Group)
    }

    /// A label on the VPC, vSwitch, VBR, CCN, SAG, customer gateway, IPsec connection or site added last.
    pub(crate) fn label(mut self, label: &str) -> Self {
        let l = label.to_string();
        let last = self.last();
        let p = &mut self.plan;
        match last {
            Kind::Vpc => p.vpcs.last_mut().unwrap().labels.push(l),
            Kind::VSwitch => p.vswitches.last_mut().unwrap().labels.push(l),
            Kind::Vbr => p.vbrs.last_mut().unwrap().labels.push(l),
            Kind::Ccn => p.ccns.last_mut().unwrap().labels.push(l),
            Kind::Sag => p.sags.last_mut().unwrap().labels.push(l),
            Kind::CustomerGateway => p.customer_gateways.last_mut().unwrap().labels.push(l),
            Kind::IpsecConnection => p.ipsec_connections.last_mut().unwrap().labels.push(l),
            Kind::Site => p.sites.last_mut().unwrap().labels.push(l),
            k => panic!("label() after a {k:?}, which is not an endpoint"),
        }
        self
    }

    /// Applies `f` when `cond` holds: for plans that differ in one detail between the cases of a test.
    pub(crate) fn when(self, cond: bool, f: impl FnOnce(Self) -> Self) -> Self {
        if cond {
            f(self)
        } else {
            self
        }
    }

    /// Changes the plan directly, for what the builder has no method for.
    pub(crate) fn with(mut self, f: impl FnOnce(&mut Plan)) -> Self {
        f(&mut self.plan);
        self
    }

    fn last(&self) -> Kind {
        self.last.expect("a modifier needs an entity added before it")
    }

    /// The name of the entity added last.
    pub(crate) fn name(mut self, name: &str) -> Self {
        let n = name.to_string();
        let last = self.last();
        let p = &mut self.plan;
        match last {
            Kind::Account => p.accounts.last_mut().unwrap().name = n,
            Kind::Vpc => p.vpcs.last_mut().unwrap().name = n,
            Kind::VSwitch => p.vswitches.last_mut().unwrap().name = n,
            Kind::RouteEntry => p.route_entries.last_mut().unwrap().name = n,
            Kind::Vbr => p.vbrs.last_mut().unwrap().name = n,
            Kind::Ccn => p.ccns.last_mut().unwrap().name = n,
            Kind::Sag => p.sags.last_mut().unwrap().name = n,
            Kind::VpnGateway => p.vpn_gateways.last_mut().unwrap().name = n,
            Kind::CustomerGateway => p.customer_gateways.last_mut().unwrap().name = n,
            Kind::IpsecConnection => p.ipsec_connections.last_mut().unwrap().name = n,
            Kind::Peering => p.peerings.last_mut().unwrap().name = n,
            Kind::Cen => p.cens.last_mut().unwrap().name = n,
            Kind::BandwidthPackage => p.bandwidth_packages.last_mut().unwrap().name = n,
            k => panic!("name() after a {k:?}, which has no name"),
        }
        self
    }

    /// The owner account of the VPC, VBR, CCN or CEN added last.
    pub(crate) fn owner(mut self, account: &str) -> Self {
        let o = account.to_string();
        let last = self.last();
        let p = &mut self.plan;
        match last {
            Kind::Vpc => p.vpcs.last_mut().unwrap().owner = o,
            Kind::Vbr => p.vbrs.last_mut().unwrap().owner = o,
            Kind::Ccn => p.ccns.last_mut().unwrap().owner = o,
            Kind::Cen => p.cens.last_mut().unwrap().owner = o,
            k => panic!("owner() after a {k:?}, which has no owner"),
        }
        self
    }

    fn last_cen(&mut self) -> &mut Cen {
        assert_eq!(self.last(), Kind::Cen, "a CEN modifier needs a CEN added before it");
        self.plan.cens.last_mut().unwrap()
    }

    /// The CEN added last has the overlapping-routes switch on.
    pub(crate) fn overlapping(mut self) -> Self {
        self.last_cen().overlapping_routes = true;
        self
    }

    /// The creation date of the CEN added last.
    pub(crate) fn created_on(mut self, date: &str) -> Self {
        self.last_cen().created_on = date.into();
        self
    }

    /// The attachment added last has this date.
    pub(crate) fn attached_on(mut self, date: &str) -> Self {
        assert_eq!(self.last(), Kind::Attachment, "attached_on() needs an attachment added before it");
        self.plan.attachments.last_mut().unwrap().attached_on = date.into();
        self
    }

    fn last_vpc(&mut self) -> &mut Vpc {
        assert_eq!(self.last(), Kind::Vpc, "a VPC modifier needs a VPC added before it");
        self.plan.vpcs.last_mut().unwrap()
    }

    /// A secondary CIDR block of the VPC added last.
    pub(crate) fn secondary(mut self, cidr: &str) -> Self {
        self.last_vpc().secondary_cidrs.push(cidr.into());
        self
    }

    /// The VPC added last has ClassicLink enabled.
    pub(crate) fn classiclink(mut self) -> Self {
        self.last_vpc().classiclink = true;
        self
    }

    fn last_vbr(&mut self) -> &mut Vbr {
        assert_eq!(self.last(), Kind::Vbr, "a VBR modifier needs a VBR added before it");
        self.plan.vbrs.last_mut().unwrap()
    }

    /// The VBR added last learns the data-centre prefixes over BGP.
    pub(crate) fn bgp(mut self) -> Self {
        self.last_vbr().routing = VbrRouting::Bgp;
        self
    }

    /// The VBR added last has a CEN health check.
    pub(crate) fn health_check(mut self) -> Self {
        self.last_vbr().health_check = true;
        self
    }

    /// The SAG added last is the standby of this VBR.
    pub(crate) fn backup_for(mut self, vbr: &str) -> Self {
        assert_eq!(self.last(), Kind::Sag, "backup_for() needs a SAG added before it");
        self.plan.sags.last_mut().unwrap().backup_for_vbr = Some(vbr.into());
        self
    }

    fn last_route(&mut self) -> &mut RouteEntry {
        assert_eq!(
            self.last(),
            Kind::RouteEntry,
            "a route modifier needs a route entry added before it"
        );
        self.plan.route_entries.last_mut().unwrap()
    }

    /// The route entry added last is published to CEN.
    pub(crate) fn published(mut self) -> Self {
        self.last_route().published = true;
        self
    }

    /// The route entry added last is in a custom route table.
    pub(crate) fn custom_table(mut self) -> Self {
        self.last_route().table = RouteTable::Custom;
        self
    }

    /// The bandwidth of the VPN gateway added last.
    pub(crate) fn mbps(mut self, mbps: u32) -> Self {
        assert_eq!(self.last(), Kind::VpnGateway, "mbps() needs a VPN gateway added before it");
        self.plan.vpn_gateways.last_mut().unwrap().bandwidth_mbps = mbps;
        self
    }

    /// The IPsec connection added last uses IKEv1.
    pub(crate) fn ike_v1(mut self) -> Self {
        assert_eq!(
            self.last(),
            Kind::IpsecConnection,
            "ike_v1() needs an IPsec connection added before it"
        );
        self.plan.ipsec_connections.last_mut().unwrap().ike_version = IkeVersion::V1;
        self
    }
}

/// One finding as text: `severity code entity.field: message`, the fix and the related entities indented.
pub(crate) fn render_finding(f: &Finding) -> String {
    let mut s = format!("{} {} ", f.severity.as_str(), f.code);
    match (&f.entity, f.field) {
        (Some(e), Some(field)) => s.push_str(&format!("{}.{field}", e.id)),
        (Some(e), None) => s.push_str(&e.id),
        (None, _) => s.push_str("(plan)"),
    }
    s.push_str(&format!(": {}\n", f.message));
    if !f.fix.is_empty() {
        s.push_str(&format!("  fix: {}\n", f.fix_text()));
    }
    if !f.related.is_empty() {
        let ids: Vec<&str> = f.related.iter().map(|r| r.id.as_str()).collect();
        s.push_str(&format!("  related: {}\n", ids.join(", ")));
    }
    s
}

/// A report as text: the findings that count, then the waived ones marked `waived (waiver: reason)`.
pub(crate) fn render(report: &Report, keep: impl Fn(&Finding) -> bool) -> String {
    let mut s = String::new();
    for f in report.findings.iter().filter(|f| keep(f)) {
        s.push_str(&render_finding(f));
    }
    for w in report.waived.iter().filter(|w| keep(&w.finding)) {
        s.push_str(&format!("waived ({}: {}) {}", w.waiver, w.reason, render_finding(&w.finding)));
    }
    s
}

/// Every finding of `rules::check(plan)` (waived ones too), as text, against the expected text.
pub(crate) fn check(plan: &Plan, expect: Expect) {
    expect.assert_eq(&render(&rules::check(plan), |_| true));
}

/// The findings of `rules::check(plan)` whose code is one of `codes` or starts with one of them
/// (`"CEN-BW"` keeps `CEN-BW-001` and `CEN-BWP-002`), as text, against the expected text.
pub(crate) fn check_codes(plan: &Plan, codes: &[&str], expect: Expect) {
    expect.assert_eq(&render(&rules::check(plan), |f| {
        codes.iter().any(|c| f.code.as_str().starts_with(c))
    }));
}

/// The findings of `rules::check(plan)` that `keep` keeps, as text, against the expected text.
pub(crate) fn check_where(plan: &Plan, keep: impl Fn(&Finding) -> bool, expect: Expect) {
    expect.assert_eq(&render(&rules::check(plan), keep));
}

/// The codes of the findings of `rules::check(plan)`, in report order.
pub(crate) fn codes(plan: &Plan) -> Vec<&'static str> {
    rules::check(plan).findings.iter().map(|f| f.code.as_str()).collect()
}

/// The codes of the findings of `rules::check(plan)` that start with `prefix`, in report order.
pub(crate) fn codes_of(plan: &Plan, prefix: &str) -> Vec<&'static str> {
    codes(plan).into_iter().filter(|c| c.starts_with(prefix)).collect()
}

/// The findings of `rules::check(plan)` with this code (or code prefix), in report order.
pub(crate) fn findings(plan: &Plan, code: &str) -> Vec<Finding> {
    rules::check(plan)
        .findings
        .into_iter()
        .filter(|f| f.code.as_str().starts_with(code))
        .collect()
}

/// The ids of the entities of the findings of `rules::check(plan)` with this code (or code prefix).
pub(crate) fn ids(plan: &Plan, code: &str) -> Vec<String> {
    findings(plan, code)
        .into_iter()
        .map(|f| f.entity.map(|e| e.id).unwrap_or_default())
        .collect()
}

/// Applies the fix of the first finding with code `code` (and `severity`, when given) as the app
/// does (`Analysis::fix_edits`, then `edit::apply_all`) and checks, against the expected text, the
/// edits (`put kind {json}` a line) and what changed: the findings gone and the new ones. Fails
/// when the plan has no such finding, the fix has no edits, the finding is still there after it,
/// or an error or warning appears that was not there before (nothing new breaks), unless it is a
/// finding of before told less severely (same entity and related entities). Returns the
/// fixed plan.
pub(crate) fn fix(plan: &Plan, code: &str, severity: Option<Severity>, expect: Expect) -> Plan {
    let analysis = super::analysis::Analysis::new(plan.clone());
    let before = analysis.report().findings.clone();
    let finding = before
        .iter()
        .find(|f| f.code == code && severity.is_none_or(|s| f.severity == s))
        .unwrap_or_else(|| panic!("no {code} finding in {before:#?}"))
        .clone();
    let edits = analysis.fix_edits(&finding);
    assert!(!edits.is_empty(), "{code} has no fix edits: {finding:?}");
    let mut text: Vec<String> = edits
        .iter()
        .map(|e| match e {
            super::edit::Edit::Put { kind, entity, .. } => format!("put {} {entity}", kind.key()),
            other => format!("{other:?}"),
        })
        .collect();
    let mut fixed = plan.clone();
    super::edit::apply_all(&mut fixed, edits).unwrap();
    let after = rules::check(&fixed).findings;
    let same = |a: &Finding, b: &Finding| a.code == b.code && a.entity == b.entity && a.message == b.message;
    assert!(
        !after
            .iter()
            .any(|f| f.code == finding.code && f.entity == finding.entity && f.severity == finding.severity),
        "the fix leaves {}",
        render_finding(&finding)
    );
    for f in before.iter().filter(|f| !after.iter().any(|a| same(a, f))) {
        let at = f.entity.as_ref().map_or("(plan)", |e| e.id.as_str());
        text.push(format!("gone: {} {} {at}", f.severity.as_str(), f.code));
    }
    for f in after.iter().filter(|f| !before.iter().any(|b| same(b, f))) {
        // The same fact told less severely (an overlap the switch now lets through) is no breakage.
        let milder = before
            .iter()
            .any(|b| b.entity == f.entity && b.related == f.related && b.severity < f.severity);
        assert!(
            f.severity == Severity::Info || milder,
            "the fix of {code} breaks something new: {}",
            render_finding(f)
        );
        text.push(format!("new: {}", render_finding(f).trim_end()));
    }
    expect.assert_eq(&(text.join("\n") + "\n"));
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn findings_render_with_field_fix_related_and_waived_ones_last() {
        let p = plan()
            .cen("c")
            .overlapping()
            .vpc("va", "cn-hangzhou", "10.0.0.0/16")
            .vpc("vb", "cn-hangzhou", "10.1.0.0/16")
            .vswitch("sa", "va", "10.9.0.0/24")
            .vswitch("sb", "vb", "10.9.0.0/24")
            .attach("t1", "c", "va")
            .attach("t2", "c", "vb")
            .waiver("w", "CEN-SG-001", "c", "Reviewed with the security owner")
            .build();
        check(
            &p,
            expect![[r#"
                error CEN-CIDR-002 sa.cidr: vSwitch sa block 10.9.0.0/24 is not inside its VPC va (10.0.0.0/16)
                  fix: Choose a vSwitch block inside the VPC block, or add a secondary block to the VPC that contains it.
                  related: va
                error CEN-CIDR-002 sb.cidr: vSwitch sb block 10.9.0.0/24 is not inside its VPC vb (10.1.0.0/16)
                  fix: Choose a vSwitch block inside the VPC block, or add a secondary block to the VPC that contains it.
                  related: vb
                error CEN-CIDR-005 sb.cidr: 10.9.0.0/24 (vSwitch sa of va) and 10.9.0.0/24 (vSwitch sb of vb) are identical routes in CEN c: even with overlapping routes on, CEN marks the duplicate as a conflict and neither network reaches the other's copy
                  fix: Renumber one side (replace the vSwitch or change the prefix), withdraw one advertisement, or put a NAT gateway in front.
                  related: sa, c
                info PLAN-FLOW-001 (plan): No required flow is declared, so every pair of networks on a CEN is assumed to need to talk: bandwidth, publication, VPN routes, VBR isolation and address overlaps are checked for every pair
                  fix: Declare the flows that must work (and those that must not) under Declared flows: then only those pairs are checked.
                waived (w: Reviewed with the security owner) info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs va, vb must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
                  fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            "#]],
        );
        check_codes(
            &p,
            &["CEN-SG"],
            expect![[r#"
                waived (w: Reviewed with the security owner) info CEN-SG-001 c: Routes do not open ports: the security groups of the ECS instances in VPCs va, vb must allow the CIDRs of the other networks of CEN c (including office and data-centre CIDRs); the plan does not model security groups
                  fix: outside the plan: Add inbound rules for the peer CIDRs (and the ports you need) to the security groups on both ends.
            "#]],
        );
        assert_eq!(codes_of(&p, "CEN-CIDR"), ["CEN-CIDR-002", "CEN-CIDR-002", "CEN-CIDR-005"]);
        assert_eq!(ids(&p, "CEN-CIDR-005"), ["sb"]);
    }

    #[test]
    fn the_builder_fills_owners_and_modifiers_change_the_entity_added_last() {
        let p = plan()
            .account("b", "2")
            .vpc("v", "cn-hangzhou", "10.0.0.0/16")
            .owner("b")
            .name("Shop")
            .vpn_gateway("g", "v")
            .customer_gateway("o", "cn-hangzhou", "203.0.113.1")
            .ipsec("k", "g", "o", &["10.0.0.0/16"], &["192.168.1.0/24", "192.168.2.0/24"])
            .ike_v1()
            .cen("c")
            .build();
        assert_eq!((p.vpcs[0].owner.as_str(), p.vpcs[0].name.as_str()), ("b", "Shop"));
        assert_eq!(p.cens[0].owner, "a");
        assert_eq!(p.ipsec_connections[0].ike_version, IkeVersion::V1);
        assert!(codes(&p).contains(&"CEN-VPN-003"), "{:?}", codes(&p));
    }
}
