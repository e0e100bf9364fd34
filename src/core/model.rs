//! The plan: every entity an architect draws, as plain serialisable data.
//!
//! The model is flat: each kind of entity is one list, and entities refer to one another by id
//! (ids are unique across the whole plan). Values that users type and that can be wrong (CIDRs, IP
//! addresses, dates, region ids, references) are kept as text, so a plan with a mistake still loads
//! and the mistake becomes a finding. Only the shape (types, enums, unknown fields) is enforced when
//! a file is read. This module holds no CEN rule; see `rules`.

use super::catalog::{Area, CcnArea};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Settings that decide which dated rulebook values a plan follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The date the plan is checked "as of" (`YYYY-MM-DD`): it selects the area table and the dated rules.
    pub as_of: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: super::catalog::DOCS_2019_DATE.to_string(),
        }
    }
}

/// A CEN plan: the document the app edits, stores and exports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Free-text name; also names the exported file.
    #[serde(default)]
    pub name: String,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Date and edition settings.
    #[serde(default)]
    pub settings: Settings,
    /// Alibaba Cloud accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
    /// Regions the catalog does not know, with their area.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// VPCs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpcs: Vec<Vpc>,
    /// vSwitches (each in one VPC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vswitches: Vec<VSwitch>,
    /// Custom route entries in VPC and VBR route tables, with their CEN publication flag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_entries: Vec<RouteEntry>,
    /// Virtual border routers (on-premises data centres over Express Connect).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vbrs: Vec<Vbr>,
    /// Cloud Connect Network instances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ccns: Vec<Ccn>,
    /// Smart Access Gateway devices (branches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sags: Vec<Sag>,
    /// VPN gateways (each in one VPC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpn_gateways: Vec<VpnGateway>,
    /// Customer gateways (office devices with a static public IP).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_gateways: Vec<CustomerGateway>,
    /// IPsec-VPN connections between a VPN gateway and a customer gateway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipsec_connections: Vec<IpsecConnection>,
    /// Express Connect peering connections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<Peering>,
    /// CEN instances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cens: Vec<Cen>,
    /// Networks attached to CEN instances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Cross-account grants from a network owner to a CEN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Bandwidth packages (per area pair).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bandwidth_packages: Vec<BandwidthPackage>,
    /// Cross-region bandwidths (per region pair).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region_bandwidths: Vec<RegionBandwidth>,
    /// On-premises sites (data centres, branches) reached through several lines (VBRs, SAG branches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    /// Route maps (routing policies) of the CEN regional gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_maps: Vec<RouteMap>,
    /// Named sets of endpoints (explicit members and/or every endpoint with a label), for flows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Declared flows: which endpoints must talk and which must not (none: every pair must talk).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    /// Review comments on entities or findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// Findings a reviewer accepted, by code and entity, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
    /// Diagram positions of nodes, by entity id (entities without one are placed automatically).
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub layout: std::collections::BTreeMap<String, Pos>,
}

/// Reads a map refusing a key that appears twice (serde's maps silently keep the last one).
fn unique_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::collections::BTreeMap<String, Pos>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = std::collections::BTreeMap<String, Pos>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of positions by entity id")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("the key \"{key}\" appears twice")));
                }
                let value: Pos = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// A position on the diagram, in diagram units (pixels at 100 % zoom).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pos {
    /// Left edge of the node.
    pub x: f64,
    /// Top edge of the node.
    pub y: f64,
}

/// An Alibaba Cloud account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Stable id within the plan.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The numeric account UID.
    #[serde(default)]
    pub uid: String,
}

/// A region the catalog does not list (or a plan-specific correction).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The API id, e.g. `me-central-1`.
    pub id: String,
    /// Console name.
    #[serde(default)]
    pub name: String,
    /// The CEN area.
    pub area: Area,
}

/// A VPC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Owning account (id of an `Account`).
    #[serde(default)]
    pub owner: String,
    /// Region API id.
    #[serde(default)]
    pub region: String,
    /// Primary IPv4 CIDR block.
    #[serde(default)]
    pub cidr: String,
    /// Secondary IPv4 CIDR blocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_cidrs: Vec<String>,
    /// ClassicLink enabled (rulebook CEN-ATT-006).
    #[serde(default, skip_serializing_if = "is_false")]
    pub classiclink: bool,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// A vSwitch of a VPC: its CIDR is what the VPC advertises to CEN.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VSwitch {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The VPC (id) it belongs to.
    #[serde(default)]
    pub vpc: String,
    /// Zone id, e.g. `cn-hangzhou-h`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zone: String,
    /// IPv4 CIDR block.
    #[serde(default)]
    pub cidr: String,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// What a custom route entry points at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NextHopType {
    /// An ECS instance (free-text instance id in `next_hop`).
    #[default]
    Ecs,
    /// A VPN gateway of the plan (id in `next_hop`).
    VpnGateway,
    /// A high-availability virtual IP (free text).
    HaVip,
    /// An Express Connect peering connection of the plan (id in `next_hop`): a peering static route.
    Peering,
    /// A NAT gateway (free text).
    NatGateway,
    /// Toward the on-premises data centre (VBR static route).
    Idc,
}

/// Which route table of the network holds a route entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RouteTable {
    /// The system (primary) route table: the only one CEN reads (CEN-RT-003).
    #[default]
    System,
    /// A custom route table.
    Custom,
}

/// A custom route entry in a VPC or VBR route table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RouteEntry {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The VPC or VBR (id) whose table holds it.
    #[serde(default)]
    pub network: String,
    /// Destination CIDR.
    #[serde(default)]
    pub destination: String,
    /// Kind of next hop.
    #[serde(default)]
    pub next_hop_type: NextHopType,
    /// Next hop: an id of the plan for VPN gateways and peerings, free text otherwise.
    #[serde(default)]
    pub next_hop: String,
    /// The table that holds it.
    #[serde(default)]
    pub table: RouteTable,
    /// Published to CEN (rulebook CEN-RT-002).
    #[serde(default, skip_serializing_if = "is_false")]
    pub published: bool,
}

/// How a VBR learns the data-centre prefixes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum VbrRouting {
    /// Static routes toward the IDC.
    #[default]
    Static,
    /// BGP with the IDC.
    Bgp,
}

/// A virtual border router: an on-premises data centre over an Express Connect circuit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Vbr {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Owning account (id).
    #[serde(default)]
    pub owner: String,
    /// Region API id.
    #[serde(default)]
    pub region: String,
    /// The on-premises CIDRs behind the VBR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub idc_cidrs: Vec<String>,
    /// Static or BGP.
    #[serde(default)]
    pub routing: VbrRouting,
    /// A CEN health check is configured (rulebook CEN-VBR-003).
    #[serde(default, skip_serializing_if = "is_false")]
    pub health_check: bool,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// A Cloud Connect Network instance, which groups Smart Access Gateway devices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ccn {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Owning account (id).
    #[serde(default)]
    pub owner: String,
    /// The CCN area.
    #[serde(default)]
    pub area: CcnArea,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// A Smart Access Gateway device: a branch with its private CIDRs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Sag {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The CCN (id) it joins.
    #[serde(default)]
    pub ccn: String,
    /// The branch's private CIDRs (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidrs: Vec<String>,
    /// The VBR (id) this SAG backs up, when an active/standby pairing is configured (CEN-CCN-006).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_for_vbr: Option<String>,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// A VPN gateway in a VPC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VpnGateway {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The VPC (id) it serves.
    #[serde(default)]
    pub vpc: String,
    /// Bandwidth in Mbps.
    #[serde(default)]
    pub bandwidth_mbps: u32,
}

/// A customer gateway: an office device with a static public IP.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerGateway {
    /// Stable id.
    pub id: String,
    /// Free-text name (usually the office).
    #[serde(default)]
    pub name: String,
    /// Region API id the customer gateway is registered in.
    #[serde(default)]
    pub region: String,
    /// Static public IPv4 address of the office device.
    #[serde(default)]
    pub public_ip: String,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// IKE version of an IPsec connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IkeVersion {
    /// IKEv1: one CIDR per side.
    V1,
    /// IKEv2: up to five CIDRs per side.
    #[default]
    V2,
}

/// An IPsec-VPN connection between a VPN gateway and a customer gateway (an office).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IpsecConnection {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The VPN gateway (id).
    #[serde(default)]
    pub vpn_gateway: String,
    /// The customer gateway (id).
    #[serde(default)]
    pub customer_gateway: String,
    /// Alibaba-side CIDRs ("local network").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_cidrs: Vec<String>,
    /// Office-side CIDRs ("remote network").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_cidrs: Vec<String>,
    /// IKE version.
    #[serde(default)]
    pub ike_version: IkeVersion,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// An Express Connect peering connection between two networks (VPC or VBR).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Peering {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// One end (VPC or VBR id).
    #[serde(default)]
    pub a: String,
    /// The other end (VPC or VBR id).
    #[serde(default)]
    pub b: String,
}

/// A CEN instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cen {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Owning account (id).
    #[serde(default)]
    pub owner: String,
    /// The overlapping-routes switch (`REDUCED` protection level when on).
    #[serde(default)]
    pub overlapping_routes: bool,
    /// Creation date (`YYYY-MM-DD`), empty when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_on: String,
}

/// A network (VPC, VBR or CCN) attached to a CEN instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Stable id.
    pub id: String,
    /// The CEN (id).
    #[serde(default)]
    pub cen: String,
    /// The attached network (VPC, VBR or CCN id); its owner is the attachment's owner account.
    #[serde(default)]
    pub network: String,
    /// Attachment date (`YYYY-MM-DD`), empty when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub attached_on: String,
}

/// A cross-account grant: the network owner authorises one CEN of another account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Stable id.
    pub id: String,
    /// The granted network (VPC, VBR or CCN id).
    #[serde(default)]
    pub network: String,
    /// The CEN (id) being authorised.
    #[serde(default)]
    pub cen: String,
    /// The CEN owner's account UID as typed in the grant.
    #[serde(default)]
    pub cen_owner_uid: String,
}

/// A bandwidth package for an (unordered) area pair.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BandwidthPackage {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The CEN (id) it is bound to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cen: Option<String>,
    /// One area of the pair.
    #[serde(default)]
    pub area_a: Area,
    /// The other area of the pair (may equal `area_a`).
    #[serde(default)]
    pub area_b: Area,
    /// Bandwidth in Mbps.
    #[serde(default)]
    pub mbps: u32,
}

/// A cross-region bandwidth ("region connection") set on a CEN for a region pair.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionBandwidth {
    /// Stable id.
    pub id: String,
    /// The CEN (id).
    #[serde(default)]
    pub cen: String,
    /// One region (API id).
    #[serde(default)]
    pub region_a: String,
    /// The other region (API id).
    #[serde(default)]
    pub region_b: String,
    /// Bandwidth in Mbps.
    #[serde(default)]
    pub mbps: u32,
}

/// What kind of place a site is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// An on-premises data centre.
    #[default]
    DataCentre,
    /// A branch office.
    Branch,
}

/// The role the architect expects a line of a site to have (the data plane decides it by the rulebook).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineRole {
    /// Load-balanced with the site's other ECMP lines (static routes, CEN-VBR-003).
    Ecmp,
    /// The line that carries the traffic.
    Active,
    /// Takes over when the active line fails.
    Standby,
}

/// One line of a site: a VBR (leased line) or a SAG branch (through its CCN).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SiteLine {
    /// The VBR or SAG branch (id) of the line.
    #[serde(default)]
    pub via: String,
    /// The role the architect expects (CEN decides it: static VBRs are ECMP, BGP VBRs by AS path,
    /// a SAG paired as backup is standby); a different outcome is a finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<LineRole>,
    /// The BGP AS-path length of the site's prefixes over this line, where known (CEN-VBR-004).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_path_length: Option<u32>,
}

/// An on-premises site (data centre or branch) with its prefixes, reached through one or more lines.
/// Reaching any line of a site is reaching the site; its lines never need to reach each other.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Data centre or branch.
    #[serde(default)]
    pub kind: SiteKind,
    /// The site's prefixes (empty: the prefixes its lines advertise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// The lines that reach it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<SiteLine>,
    /// Labels that endpoint groups select by (`Group::label`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// The type of a network, as a route map matches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NetworkType {
    /// A VPC.
    Vpc,
    /// A VBR.
    Vbr,
    /// A CCN.
    Ccn,
}

/// Where a route map sits in a regional gateway.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MapDirection {
    /// Import into the regional gateway of the route's source.
    RegionIn,
    /// Export from the regional gateway toward the receiving network.
    #[default]
    RegionOut,
}

/// What a matching route map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MapAction {
    /// Lets the route through (and stops, unless a next priority is given).
    #[default]
    Permit,
    /// Drops the route.
    Deny,
}

/// How a route map's prefixes match a route.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrefixMatch {
    /// The route's prefix is one of the listed prefixes.
    #[default]
    Exact,
    /// The route's prefix is equal to or inside one of the listed prefixes.
    Contains,
}

/// A route map (routing policy) of a CEN's regional gateway (rulebook §2.12, §3.3). Every match
/// condition that is set must hold (an empty list or field matches anything).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RouteMap {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// The CEN (id).
    #[serde(default)]
    pub cen: String,
    /// The region (API id) of the regional gateway.
    #[serde(default)]
    pub region: String,
    /// RegionIn (import) or RegionOut (export).
    #[serde(default)]
    pub direction: MapDirection,
    /// Evaluation order, lowest first (1–100; the system map is 5000).
    #[serde(default)]
    pub priority: u32,
    /// Permit or Deny.
    #[serde(default)]
    pub action: MapAction,
    /// After a Permit, continue with the maps of this priority and above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_priority: Option<u32>,
    /// Matches routes from these networks (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_networks: Vec<String>,
    /// Matches routes from networks of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<NetworkType>,
    /// Matches routes from networks in this region (API id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_region: String,
    /// Matches routes toward these networks (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_networks: Vec<String>,
    /// Matches routes toward networks of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_type: Option<NetworkType>,
    /// Matches routes for these prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// Exact prefixes, or prefixes equal to or inside them.
    #[serde(default)]
    pub prefix_match: PrefixMatch,
}

/// Whether a declared flow must work or must not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlowRule {
    /// Traffic must arrive both ways (a connection needs its return path).
    #[default]
    Required,
    /// No traffic may arrive either way.
    Forbidden,
}

/// A declared flow between two endpoints or groups of endpoints (rulebook "networks that must talk").
///
/// Each end is the id of an endpoint (VPC, VBR, CCN, vSwitch, SAG branch, customer gateway, IPsec
/// connection or site: anything `reach::endpoint` resolves) or of a `Group`. A required flow is met when
/// every endpoint of `from` reaches every endpoint of `to` and the return arrives too; a forbidden
/// flow is open when traffic arrives in either direction between any endpoint of one end and any
/// of the other.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Required or forbidden.
    #[serde(default)]
    pub rule: FlowRule,
    /// One end: an endpoint or group id.
    #[serde(default)]
    pub from: String,
    /// The other end: an endpoint or group id.
    #[serde(default)]
    pub to: String,
    /// For a required flow: the bandwidth the path must offer, in Mbps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_mbps: Option<u32>,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A named set of endpoints: the listed members plus every endpoint carrying `label`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Stable id.
    pub id: String,
    /// Free-text name.
    #[serde(default)]
    pub name: String,
    /// Endpoint ids that belong to the group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Label selector: every endpoint whose `labels` contain it belongs to the group (empty: none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// A review comment attached to an entity (and, optionally, to one of its findings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// Stable id.
    pub id: String,
    /// The entity it is about (any id of the plan).
    #[serde(default)]
    pub entity: String,
    /// The finding code it is about, if any (e.g. `CEN-BW-008`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// The comment.
    #[serde(default)]
    pub text: String,
    /// Resolved comments are kept but no longer listed as open.
    #[serde(default, skip_serializing_if = "is_false")]
    pub resolved: bool,
}

/// A waiver: the findings of one code on one entity are accepted, for a reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Stable id.
    pub id: String,
    /// The finding code waived (e.g. `CEN-BW-008`).
    #[serde(default)]
    pub code: String,
    /// The entity whose findings of that code are waived.
    #[serde(default)]
    pub entity: String,
    /// Why it is accepted.
    #[serde(default)]
    pub reason: String,
    /// Who waived it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Behaviour shared by every entity kind, so edits and checks can be written once.
pub trait Entity: Clone + Serialize + DeserializeOwned {
    /// The kind of this entity.
    const KIND: Kind;
    /// The stable id.
    fn id(&self) -> &str;
    /// The display name (may be empty).
    fn name(&self) -> &str;
    /// The plan's list of this kind.
    fn list_mut(plan: &mut Plan) -> &mut Vec<Self>;
}

macro_rules! kinds {
    ($( $variant:ident => $ty:ident, $field:ident, $label:literal, $plural:literal, $prefix:literal, $name_expr:expr; )*) => {
        /// Every kind of entity in a plan, in sidebar order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $(
                #[doc = $label]
                $variant,
            )*
        }

        impl Kind {
            /// Every kind, in sidebar order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The key of its list in the plan file (`vpcs`, `vswitches`, ...).
            pub fn key(self) -> &'static str {
                match self { $(Kind::$variant => stringify!($field)),* }
            }

            /// Singular label for people.
            pub fn label(self) -> &'static str {
                match self { $(Kind::$variant => $label),* }
            }

            /// Plural label for people.
            pub fn plural(self) -> &'static str {
                match self { $(Kind::$variant => $plural),* }
            }

            /// Prefix of generated ids (`vpc-1`, `vsw-2`, ...).
            pub fn id_prefix(self) -> &'static str {
                match self { $(Kind::$variant => $prefix),* }
            }

            /// The kind whose list has the given key.
            pub fn from_key(key: &str) -> Option<Kind> {
                match key { $(stringify!($field) => Some(Kind::$variant),)* _ => None }
            }
        }

        $(
            impl Entity for $ty {
                const KIND: Kind = Kind::$variant;
                fn id(&self) -> &str { &self.id }
                fn name(&self) -> &str { let f: fn(&$ty) -> &str = $name_expr; f(self) }
                fn list_mut(plan: &mut Plan) -> &mut Vec<Self> { &mut plan.$field }
            }
        )*

        impl Plan {
            /// Calls `f` for every entity of the plan with its kind, id and name, in list order.
            pub fn for_each_entity<'a>(&'a self, mut f: impl FnMut(Kind, usize, &'a str, &'a str)) {
                $( for (i, e) in self.$field.iter().enumerate() { f(Kind::$variant, i, e.id(), e.name()); } )*
            }

            /// The kind and list position of the first entity with this id, in `for_each_entity`'s order.
            pub fn position_of(&self, id: &str) -> Option<(Kind, usize)> {
                $( if let Some(i) = self.$field.iter().position(|e| e.id() == id) { return Some((Kind::$variant, i)); } )*
                None
            }
        }
    };
}

kinds! {
    Account => Account, accounts, "Account", "Accounts", "acct", |e| &e.name;
    Region => Region, regions, "Region", "Custom regions", "region", |e| &e.name;
    Vpc => Vpc, vpcs, "VPC", "VPCs", "vpc", |e| &e.name;
    VSwitch => VSwitch, vswitches, "vSwitch", "vSwitches", "vsw", |e| &e.name;
    RouteEntry => RouteEntry, route_entries, "Route entry", "Route entries", "rte", |e| &e.name;
    Vbr => Vbr, vbrs, "VBR", "VBRs (data centres)", "vbr", |e| &e.name;
    Ccn => Ccn, ccns, "CCN", "CCN instances", "ccn", |e| &e.name;
    Sag => Sag, sags, "SAG branch", "SAG branches", "sag", |e| &e.name;
    VpnGateway => VpnGateway, vpn_gateways, "VPN gateway", "VPN gateways", "vpngw", |e| &e.name;
    CustomerGateway => CustomerGateway, customer_gateways, "Customer gateway", "Customer gateways (offices)", "cgw", |e| &e.name;
    IpsecConnection => IpsecConnection, ipsec_connections, "IPsec connection", "IPsec connections", "vco", |e| &e.name;
    Peering => Peering, peerings, "Peering connection", "Peering connections", "pcc", |e| &e.name;
    Cen => Cen, cens, "CEN instance", "CEN instances", "cen", |e| &e.name;
    Attachment => Attachment, attachments, "Attachment", "Attachments", "att", |_| "";
    Grant => Grant, grants, "Cross-account grant", "Cross-account grants", "grant", |_| "";
    BandwidthPackage => BandwidthPackage, bandwidth_packages, "Bandwidth package", "Bandwidth packages", "cenbwp", |e| &e.name;
    RegionBandwidth => RegionBandwidth, region_bandwidths, "Cross-region bandwidth", "Cross-region bandwidths", "rbw", |_| "";
    Site => Site, sites, "Site", "Sites (data centres, branches)", "site", |e| &e.name;
    RouteMap => RouteMap, route_maps, "Route map", "Route maps", "rmap", |e| &e.name;
    Group => Group, groups, "Endpoint group", "Endpoint groups", "group", |e| &e.name;
    Flow => Flow, flows, "Flow", "Declared flows", "flow", |e| &e.name;
    Comment => Comment, comments, "Review comment", "Review comments", "comment", |_| "";
    Waiver => Waiver, waivers, "Waiver", "Waivers", "waiver", |_| "";
}

/// Runs `$body` with `$v` bound to `&plan.<list of kind>`: one arm per kind, each with its own type.
#[macro_export]
macro_rules! with_list {
    ($plan:expr, $kind:expr, |$v:ident| $body:expr) => {
        match $kind {
            $crate::core::model::Kind::Account => {
                let $v = &$plan.accounts;
                $body
            }
            $crate::core::model::Kind::Region => {
                let $v = &$plan.regions;
                $body
            }
            $crate::core::model::Kind::Vpc => {
                let $v = &$plan.vpcs;
                $body
            }
            $crate::core::model::Kind::VSwitch => {
                let $v = &$plan.vswitches;
                $body
            }
            $crate::core::model::Kind::RouteEntry => {
                let $v = &$plan.route_entries;
                $body
            }
            $crate::core::model::Kind::Vbr => {
                let $v = &$plan.vbrs;
                $body
            }
            $crate::core::model::Kind::Ccn => {
                let $v = &$plan.ccns;
                $body
            }
            $crate::core::model::Kind::Sag => {
                let $v = &$plan.sags;
                $body
            }
            $crate::core::model::Kind::VpnGateway => {
                let $v = &$plan.vpn_gateways;
                $body
            }
            $crate::core::model::Kind::CustomerGateway => {
                let $v = &$plan.customer_gateways;
                $body
            }
            $crate::core::model::Kind::IpsecConnection => {
                let $v = &$plan.ipsec_connections;
                $body
            }
            $crate::core::model::Kind::Peering => {
                let $v = &$plan.peerings;
                $body
            }
            $crate::core::model::Kind::Cen => {
                let $v = &$plan.cens;
                $body
            }
            $crate::core::model::Kind::Attachment => {
                let $v = &$plan.attachments;
                $body
            }
            $crate::core::model::Kind::Grant => {
                let $v = &$plan.grants;
                $body
            }
            $crate::core::model::Kind::BandwidthPackage => {
                let $v = &$plan.bandwidth_packages;
                $body
            }
            $crate::core::model::Kind::RegionBandwidth => {
                let $v = &$plan.region_bandwidths;
                $body
            }
            $crate::core::model::Kind::Site => {
                let $v = &$plan.sites;
                $body
            }
            $crate::core::model::Kind::RouteMap => {
                let $v = &$plan.route_maps;
                $body
            }
            $crate::core::model::Kind::Group => {
                let $v = &$plan.groups;
                $body
            }
            $crate::core::model::Kind::Flow => {
                let $v = &$plan.flows;
                $body
            }
            $crate::core::model::Kind::Comment => {
                let $v = &$plan.comments;
                $body
            }
            $crate::core::model::Kind::Waiver => {
                let $v = &$plan.waivers;
                $body
            }
        }
    };
}

/// Runs `$body` with `$v` bound to `&mut plan.<list of kind>`.
#[macro_export]
macro_rules! with_list_mut {
    ($plan:expr, $kind:expr, |$v:ident| $body:expr) => {
        match $kind {
            $crate::core::model::Kind::Account => {
                let $v = &mut $plan.accounts;
                $body
            }
            $crate::core::model::Kind::Region => {
                let $v = &mut $plan.regions;
                $body
            }
            $crate::core::model::Kind::Vpc => {
                let $v = &mut $plan.vpcs;
                $body
            }
            $crate::core::model::Kind::VSwitch => {
                let $v = &mut $plan.vswitches;
                $body
            }
            $crate::core::model::Kind::RouteEntry => {
                let $v = &mut $plan.route_entries;
                $body
            }
            $crate::core::model::Kind::Vbr => {
                let $v = &mut $plan.vbrs;
                $body
            }
            $crate::core::model::Kind::Ccn => {
                let $v = &mut $plan.ccns;
                $body
            }
            $crate::core::model::Kind::Sag => {
                let $v = &mut $plan.sags;
                $body
            }
            $crate::core::model::Kind::VpnGateway => {
                let $v = &mut $plan.vpn_gateways;
                $body
            }
            $crate::core::model::Kind::CustomerGateway => {
                let $v = &mut $plan.customer_gateways;
                $body
            }
            $crate::core::model::Kind::IpsecConnection => {
                let $v = &mut $plan.ipsec_connections;
                $body
            }
            $crate::core::model::Kind::Peering => {
                let $v = &mut $plan.peerings;
                $body
            }
            $crate::core::model::Kind::Cen => {
                let $v = &mut $plan.cens;
                $body
            }
            $crate::core::model::Kind::Attachment => {
                let $v = &mut $plan.attachments;
                $body
            }
            $crate::core::model::Kind::Grant => {
                let $v = &mut $plan.grants;
                $body
            }
            $crate::core::model::Kind::BandwidthPackage => {
                let $v = &mut $plan.bandwidth_packages;
                $body
            }
            $crate::core::model::Kind::RegionBandwidth => {
                let $v = &mut $plan.region_bandwidths;
                $body
            }
            $crate::core::model::Kind::Site => {
                let $v = &mut $plan.sites;
                $body
            }
            $crate::core::model::Kind::RouteMap => {
                let $v = &mut $plan.route_maps;
                $body
            }
            $crate::core::model::Kind::Group => {
                let $v = &mut $plan.groups;
                $body
            }
            $crate::core::model::Kind::Flow => {
                let $v = &mut $plan.flows;
                $body
            }
            $crate::core::model::Kind::Comment => {
                let $v = &mut $plan.comments;
                $body
            }
            $crate::core::model::Kind::Waiver => {
                let $v = &mut $plan.waivers;
                $body
            }
        }
    };
}

/// A pointer to one entity: its kind and id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntityRef {
    /// The kind (list key).
    pub kind: Kind,
    /// The id.
    pub id: String,
}

// A kind is written as the key of its list (`vpcs`, `vswitches`, ...).
impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        let key = String::deserialize(d)?;
        Kind::from_key(&key).ok_or_else(|| serde::de::Error::custom(format!("unknown entity kind `{key}`")))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Kind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Kind".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let keys: Vec<&str> = Kind::ALL.iter().map(|k| k.key()).collect();
        schemars::json_schema!({ "type": "string", "enum": keys })
    }
}

/// Where each id of a plan is defined: a lookup table built once per analysis.
#[derive(Clone, Debug, Default)]
pub struct Index<'a> {
    by_id: rustc_hash::FxHashMap<&'a str, (Kind, usize)>,
    /// Set by `lookups`: each lookup looks through this plan instead of the table.
    scan: Option<&'a Plan>,
}

impl<'a> Index<'a> {
    /// Indexes every entity of `plan` (the first definition of a duplicated id wins).
    pub fn new(plan: &'a Plan) -> Index<'a> {
        let mut by_id = rustc_hash::FxHashMap::default();
        by_id.reserve(plan.entity_count());
        plan.for_each_entity(|kind, i, id, _| {
            by_id.entry(id).or_insert((kind, i));
        });
        Index { by_id, scan: None }
    }

    /// Answers each lookup by looking through the plan's lists (in `Index::new`'s order, so with
    /// the same answers), building no table: for a form that checks a few ids of a plan of
    /// thousands of entities, where hashing every id would be most of the work.
    pub fn lookups(plan: &'a Plan) -> Index<'a> {
        Index {
            by_id: rustc_hash::FxHashMap::default(),
            scan: Some(plan),
        }
    }

    /// The kind and list position of the entity with this id.
    pub fn get(&self, id: &str) -> Option<(Kind, usize)> {
        match self.scan {
            Some(plan) => plan.position_of(id),
            None => self.by_id.get(id).copied(),
        }
    }

    /// The kind of the entity with this id.
    pub fn kind_of(&self, id: &str) -> Option<Kind> {
        self.get(id).map(|(k, _)| k)
    }
}

impl Kind {
    /// Whether `Plan::label` lists entities of this kind by what they join (other entities' names),
    /// not by their own name or id: their labels change when those entities change.
    pub fn labelled_by_others(self) -> bool {
        matches!(self, Kind::Attachment | Kind::Grant | Kind::Comment | Kind::Waiver)
    }
}

impl Plan {
    /// An empty plan with a name and the date it is checked as of.
    pub fn new(name: &str, as_of: &str) -> Plan {
        Plan {
            name: name.to_string(),
            settings: Settings { as_of: as_of.to_string() },
            ..Plan::default()
        }
    }

    /// Number of entities of every kind together.
    pub fn entity_count(&self) -> usize {
        let mut n = 0;
        self.for_each_entity(|_, _, _, _| n += 1);
        n
    }

    /// How an entity is listed for people: its name, or for the kinds without one (attachments,
    /// grants, cross-region bandwidths, comments, waivers) what it joins, e.g. `VPC-A → CEN-1`.
    pub fn label(&self, index: &Index<'_>, kind: Kind, i: usize) -> String {
        let name = |id: &str| self.display_name(index, id).to_string();
        match kind {
            Kind::Attachment => self.attachments.get(i).map(|a| format!("{} → {}", name(&a.network), name(&a.cen))),
            Kind::Grant => self
                .grants
                .get(i)
                .map(|g| format!("{} granted to {}", name(&g.network), name(&g.cen))),
            Kind::RegionBandwidth => self
                .region_bandwidths
                .get(i)
                .map(|r| format!("{} ↔ {}, {} Mbps", r.region_a, r.region_b, r.mbps)),
            Kind::Comment => self.comments.get(i).map(|c| {
                let text: String = c.text.chars().take(40).collect();
                format!("{}: {text}", name(&c.entity))
            }),
            Kind::Waiver => self.waivers.get(i).map(|w| format!("{} on {}", w.code, name(&w.entity))),
            _ => None,
        }
        .unwrap_or_else(|| {
            let (id, n) = with_list!(self, kind, |v| v
                .get(i)
                .map(|e| (e.id().to_string(), e.name().to_string()))
                .unwrap_or_default());
            if n.trim().is_empty() {
                id
            } else {
                n
            }
        })
    }

    /// The display name of an entity by id: its name, or its id when the name is empty.
    pub fn display_name<'s>(&'s self, index: &Index, id: &'s str) -> &'s str {
        let Some((kind, i)) = index.get(id) else { return id };
        let name: &str = with_list!(self, kind, |v| v[i].name());
        if name.trim().is_empty() {
            id
        } else {
            name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_key_and_prefix() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(Kind::from_key(k.key()), Some(*k));
            for o in &Kind::ALL[i + 1..] {
                assert_ne!(k.key(), o.key());
                assert_ne!(k.id_prefix(), o.id_prefix());
            }
        }
    }

    #[test]
    fn looking_ids_up_in_the_lists_answers_as_the_whole_index_does() {
        let mut plan = Plan::new("p", "2019-09-19");
        for (id, name) in [("vpc-1", "Shop"), ("vpc-2", "Stock"), ("vpc-1", "Duplicate")] {
            plan.vpcs.push(Vpc {
                id: id.into(),
                name: name.into(),
                ..Vpc::default()
            });
        }
        plan.cens.push(Cen {
            id: "vpc-2".into(),
            ..Cen::default()
        });
        let (whole, lookups) = (Index::new(&plan), Index::lookups(&plan));
        for id in ["vpc-1", "vpc-2", "nothing", ""] {
            assert_eq!(lookups.get(id), whole.get(id), "{id}");
        }
        assert_eq!(plan.display_name(&lookups, "vpc-1"), "Shop");
    }

    #[test]
    fn kind_serialises_as_its_list_key() {
        for k in Kind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.key().to_string()));
        }
    }

    #[test]
    fn relations_are_labelled_by_what_they_join() {
        let mut plan = Plan::new("p", "2019-09-19");
        plan.vpcs.push(Vpc {
            id: "vpc-1".into(),
            name: "Shop".into(),
            ..Vpc::default()
        });
        plan.cens.push(Cen {
            id: "cen-1".into(),
            name: "Main".into(),
            ..Cen::default()
        });
        plan.attachments.push(Attachment {
            id: "att-1".into(),
            cen: "cen-1".into(),
            network: "vpc-1".into(),
            ..Attachment::default()
        });
        let index = Index::new(&plan);
        assert_eq!(plan.label(&index, Kind::Attachment, 0), "Shop → Main");
        assert_eq!(plan.label(&index, Kind::Vpc, 0), "Shop");
        assert_eq!(plan.label(&index, Kind::Cen, 0), "Main");
    }

    #[test]
    fn index_finds_entities_and_display_names_fall_back_to_ids() {
        let mut plan = Plan::new("p", "2019-09-19");
        plan.vpcs.push(Vpc {
            id: "vpc-1".into(),
            name: "Shop".into(),
            ..Vpc::default()
        });
        plan.attachments.push(Attachment {
            id: "att-1".into(),
            ..Attachment::default()
        });
        let index = Index::new(&plan);
        assert_eq!(index.get("vpc-1"), Some((Kind::Vpc, 0)));
        assert_eq!(index.kind_of("att-1"), Some(Kind::Attachment));
        assert_eq!(plan.display_name(&index, "vpc-1"), "Shop");
        assert_eq!(plan.display_name(&index, "att-1"), "att-1");
        assert_eq!(plan.display_name(&index, "nope"), "nope");
        assert_eq!(plan.entity_count(), 2);
    }
}
