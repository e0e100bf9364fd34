//! The fields of every entity kind: what they hold, how typed text becomes a value, and drafts.
//!
//! The UI renders one generic form from these specs and never parses a value itself; the rules use
//! the same parsers on loaded plans, so a value the form refuses is exactly a value the findings
//! panel reports. A *draft* is the text of every field of one entity while a person edits it.

use super::catalog::{self, Area, CcnArea};
use super::cidr::{parse_cidr, parse_ip, split_list};
use super::date::Date;
#[cfg(test)]
use super::model::Site;
use super::model::{Entity, Index, Kind, LineRole, NextHopType, Plan, SiteLine};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a field holds and how its text is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Free text.
    Text,
    /// The id of a custom region (lower-case letters, digits and hyphens); set once.
    RegionId,
    /// An account UID (digits).
    Uid,
    /// One IPv4 CIDR block.
    Cidr,
    /// Zero or more CIDR blocks.
    CidrList,
    /// An IPv4 address.
    Ip,
    /// A date `YYYY-MM-DD` (empty allowed when not required).
    Date,
    /// Whole megabits per second.
    Mbps,
    /// Zero or more words (labels), comma-separated.
    TextList,
    /// Yes / no.
    Bool,
    /// The id of an entity of one of these kinds.
    Ref(&'static [Kind]),
    /// Like `Ref`, but may be empty.
    OptRef(&'static [Kind]),
    /// A region API id (catalog or custom region).
    Region,
    /// A CEN area.
    Area,
    /// A CCN area.
    CcnArea,
    /// One of fixed values: (value in the file, label).
    Choice(&'static [(&'static str, &'static str)]),
    /// A rule code of `rules::all_rules()`.
    Code,
    /// Zero or more ids of entities of these kinds, comma-separated.
    RefList(&'static [Kind]),
    /// A whole number (a route map's priority).
    Number,
    /// A whole number, or empty for none.
    OptNumber,
    /// The lines of a site: `id [active|standby|ecmp] [as-path=N]`, comma-separated.
    SiteLines,
}

/// One field of an entity kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Key in the plan file.
    pub key: &'static str,
    /// Label for people.
    pub label: &'static str,
    /// Type.
    pub ty: FieldType,
    /// Whether an empty value is refused.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
}

const fn f(key: &'static str, label: &'static str, ty: FieldType, required: bool, help: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        label,
        ty,
        required,
        help,
    }
}

const NETWORKS: &[Kind] = &[Kind::Vpc, Kind::Vbr, Kind::Ccn];
/// Every kind a comment or waiver can be about.
const ANY: &[Kind] = &[
    Kind::Account,
    Kind::Vpc,
    Kind::VSwitch,
    Kind::RouteEntry,
    Kind::Vbr,
    Kind::Ccn,
    Kind::Sag,
    Kind::VpnGateway,
    Kind::CustomerGateway,
    Kind::IpsecConnection,
    Kind::Peering,
    Kind::Cen,
    Kind::Attachment,
    Kind::Grant,
    Kind::BandwidthPackage,
    Kind::RegionBandwidth,
    Kind::Site,
    Kind::RouteMap,
    Kind::Group,
    Kind::Flow,
];
const ROUTED: &[Kind] = &[Kind::Vpc, Kind::Vbr];
const NETWORK_TYPES: &[(&str, &str)] = &[("vpc", "VPC"), ("vbr", "VBR"), ("ccn", "CCN")];
/// The kinds a line of a site can be.
pub const LINE_KINDS: &[Kind] = &[Kind::Vbr, Kind::Sag];
/// Every kind a flow or group can name as an endpoint (what `reach::endpoint` resolves).
pub const ENDPOINTS: &[Kind] = &[
    Kind::Vpc,
    Kind::VSwitch,
    Kind::Vbr,
    Kind::Ccn,
    Kind::Sag,
    Kind::CustomerGateway,
    Kind::IpsecConnection,
    Kind::Site,
];
/// Every kind a flow's end can name: an endpoint or a group.
const FLOW_ENDS: &[Kind] = &[
    Kind::Vpc,
    Kind::VSwitch,
    Kind::Vbr,
    Kind::Ccn,
    Kind::Sag,
    Kind::CustomerGateway,
    Kind::IpsecConnection,
    Kind::Site,
    Kind::Group,
];
const LABELS: FieldSpec = f(
    "labels",
    "Labels",
    FieldType::TextList,
    false,
    "Comma-separated; endpoint groups select by label.",
);
const NAME: FieldSpec = f("name", "Name", FieldType::Text, false, "Free text; shown instead of the id.");
const OWNER: FieldSpec = f(
    "owner",
    "Owner account",
    FieldType::Ref(&[Kind::Account]),
    true,
    "The account that owns it.",
);
const REGION: FieldSpec = f("region", "Region", FieldType::Region, true, "Region API id.");
const NEXT_HOP_TYPES: &[(&str, &str)] = &[
    ("ecs", "ECS instance"),
    ("vpn_gateway", "VPN gateway"),
    ("ha_vip", "HaVip"),
    ("peering", "Peering connection (router interface)"),
    ("nat_gateway", "NAT gateway"),
    ("idc", "On-premises (VBR static route)"),
];

/// The fields of a kind, in form order (the id is never a field, except for custom regions).
pub fn specs(kind: Kind) -> &'static [FieldSpec] {
    use FieldType as T;
    // Each arm is its own constant: a `const fn` call is not promoted to `'static` otherwise.
    macro_rules! c {
        ($list:expr) => {{
            const S: &[FieldSpec] = &$list;
            S
        }};
    }
    match kind {
        Kind::Account => c!([
            NAME,
            f(
                "uid",
                "Account UID",
                T::Uid,
                false,
                "The numeric Alibaba Cloud account ID; needed only when a grant names a CEN of this account."
            )
        ]),
        Kind::Region => c!([
            f("id", "Region id", T::RegionId, true, "API id, e.g. me-central-1."),
            NAME,
            f("area", "CEN area", T::Area, true, "The CEN area the region belongs to."),
        ]),
        Kind::Vpc => c!([
            NAME,
            OWNER,
            REGION,
            f("cidr", "IPv4 CIDR block", T::Cidr, true, "Primary block, /8 to /28."),
            f("secondary_cidrs", "Secondary CIDR blocks", T::CidrList, false, "Comma-separated."),
            f("classiclink", "ClassicLink enabled", T::Bool, false, ""),
            LABELS,
        ]),
        Kind::VSwitch => c!([
            NAME,
            f("vpc", "VPC", T::Ref(&[Kind::Vpc]), true, "The VPC it belongs to."),
            f("zone", "Zone", T::Text, false, "Zone id, e.g. cn-hangzhou-h."),
            f("cidr", "IPv4 CIDR block", T::Cidr, true, "Inside the VPC block; advertised to CEN."),
            LABELS,
        ]),
        Kind::RouteEntry => c!([
            NAME,
            f(
                "network",
                "Route table of",
                T::Ref(ROUTED),
                true,
                "The VPC or VBR whose table holds the entry."
            ),
            f("destination", "Destination CIDR", T::Cidr, true, ""),
            f("next_hop_type", "Next hop type", T::Choice(NEXT_HOP_TYPES), true, ""),
            f(
                "next_hop",
                "Next hop",
                T::Text,
                true,
                "One of the network's VPN gateways or peering connections; an instance id otherwise."
            ),
            f(
                "table",
                "Route table",
                T::Choice(&[("system", "System (primary)"), ("custom", "Custom")]),
                true,
                "CEN reads the system table only."
            ),
            f("published", "Published to CEN", T::Bool, false, ""),
        ]),
        Kind::Vbr => c!([
            NAME,
            OWNER,
            REGION,
            f(
                "idc_cidrs",
                "On-premises CIDRs",
                T::CidrList,
                false,
                "Prefixes of the data centre, comma-separated."
            ),
            f(
                "routing",
                "DataPlane with the IDC",
                T::Choice(&[("static", "Static routes"), ("bgp", "BGP")]),
                true,
                ""
            ),
            f("health_check", "CEN health check configured", T::Bool, false, ""),
            LABELS,
        ]),
        Kind::Ccn => c!([
            NAME,
            OWNER,
            f("area", "CCN area", T::CcnArea, true, "Chosen when the CCN is created."),
            LABELS,
        ]),
        Kind::Sag => c!([
            NAME,
            f("ccn", "CCN instance", T::Ref(&[Kind::Ccn]), true, ""),
            f("cidrs", "Branch private CIDRs", T::CidrList, false, "At most 5, comma-separated."),
            f(
                "backup_for_vbr",
                "Standby for VBR",
                T::OptRef(&[Kind::Vbr]),
                false,
                "Active/standby pairing with a leased line."
            ),
            LABELS,
        ]),
        Kind::VpnGateway => c!([
            NAME,
            f("vpc", "VPC", T::Ref(&[Kind::Vpc]), true, ""),
            f("bandwidth_mbps", "Bandwidth (Mbps)", T::Mbps, true, ""),
        ]),
        Kind::CustomerGateway => c!([
            NAME,
            REGION,
            f(
                "public_ip",
                "Public IP",
                T::Ip,
                true,
                "Static public IPv4 address of the office device."
            ),
            LABELS,
        ]),
        Kind::IpsecConnection => c!([
            NAME,
            f("vpn_gateway", "VPN gateway", T::Ref(&[Kind::VpnGateway]), true, ""),
            f("customer_gateway", "Customer gateway", T::Ref(&[Kind::CustomerGateway]), true, ""),
            f(
                "local_cidrs",
                "Local (Alibaba side) CIDRs",
                T::CidrList,
                true,
                "0.0.0.0/0 is the seed's recommendation."
            ),
            f("remote_cidrs", "Remote (office) CIDRs", T::CidrList, true, "The office prefixes."),
            f(
                "ike_version",
                "IKE version",
                T::Choice(&[("v1", "IKEv1"), ("v2", "IKEv2")]),
                true,
                ""
            ),
            LABELS,
        ]),
        Kind::Peering => c!([
            NAME,
            f("a", "End A", T::Ref(ROUTED), true, "VPC or VBR."),
            f("b", "End B", T::Ref(ROUTED), true, "VPC or VBR."),
        ]),
        Kind::Cen => c!([
            NAME,
            OWNER,
            f(
                "overlapping_routes",
                "Overlapping routes enabled",
                T::Bool,
                false,
                "REDUCED protection level; one-way."
            ),
            f(
                "created_on",
                "Created on",
                T::Date,
                false,
                "YYYY-MM-DD; instances after 2019-03-01 start with overlapping routes on."
            ),
        ]),
        Kind::Attachment => c!([
            f("cen", "CEN instance", T::Ref(&[Kind::Cen]), true, ""),
            f("network", "Network", T::Ref(NETWORKS), true, "VPC, VBR or CCN."),
            f(
                "attached_on",
                "Attached on",
                T::Date,
                false,
                "YYYY-MM-DD; matters for the 2018-08-01 and 2019-06-25 rules."
            ),
        ]),
        Kind::Grant => c!([
            f("network", "Network", T::Ref(NETWORKS), true, "The network being granted."),
            f("cen", "CEN instance", T::Ref(&[Kind::Cen]), true, "The CEN being authorised."),
            f(
                "cen_owner_uid",
                "CEN owner UID",
                T::Uid,
                true,
                "The CEN owner's account UID, as entered in the grant."
            ),
        ]),
        Kind::BandwidthPackage => c!([
            NAME,
            f("cen", "Bound to CEN", T::OptRef(&[Kind::Cen]), false, "Empty when not bound."),
            f("area_a", "Area A", T::Area, true, ""),
            f("area_b", "Area B", T::Area, true, ""),
            f("mbps", "Bandwidth (Mbps)", T::Mbps, true, ""),
        ]),
        Kind::Comment => c!([
            f("entity", "About", T::Ref(ANY), true, "The entity the comment is about."),
            f(
                "code",
                "Finding code",
                T::Text,
                false,
                "Optional: the finding it is about, e.g. CEN-BW-008."
            ),
            f("author", "Author", T::Text, false, ""),
            f("text", "Comment", T::Text, true, ""),
            f("resolved", "Resolved", T::Bool, false, ""),
        ]),
        Kind::Waiver => c!([
            f(
                "code",
                "Finding code",
                T::Code,
                true,
                "The rule whose findings are accepted, e.g. CEN-BW-008."
            ),
            f(
                "entity",
                "Entity",
                T::Ref(ANY),
                true,
                "The entity whose findings of that code are accepted."
            ),
            f("reason", "Reason", T::Text, true, "Why the finding is accepted."),
            f("author", "Author", T::Text, false, ""),
        ]),
        Kind::Site => c!([
            NAME,
            f(
                "kind",
                "Kind",
                T::Choice(&[("data_centre", "Data centre"), ("branch", "Branch")]),
                true,
                ""
            ),
            f(
                "prefixes",
                "Prefixes",
                T::CidrList,
                false,
                "The site's prefixes, comma-separated (empty: what its lines advertise)."
            ),
            f(
                "lines",
                "Lines",
                T::SiteLines,
                true,
                "VBRs or SAG branches, comma-separated, each optionally with its expected role (active, standby, ecmp) and BGP AS-path length: vbr-1 active as-path=2, sag-1 standby"
            ),
            LABELS,
        ]),
        Kind::RouteMap => c!([
            NAME,
            f("cen", "CEN instance", T::Ref(&[Kind::Cen]), true, ""),
            f("region", "Region", T::Region, true, "The regional gateway the map sits in."),
            f(
                "direction",
                "Direction",
                T::Choice(&[
                    ("region_out", "RegionOut (export toward the receiving network)"),
                    ("region_in", "RegionIn (import from the source network)")
                ]),
                true,
                ""
            ),
            f("priority", "Priority", T::Number, true, "1–100, lowest first; unique per region and direction."),
            f("action", "Action", T::Choice(&[("permit", "Permit"), ("deny", "Deny")]), true, ""),
            f(
                "next_priority",
                "Next priority",
                T::OptNumber,
                false,
                "After a Permit, continue with the maps of this priority and above."
            ),
            f(
                "source_networks",
                "Source networks",
                T::RefList(NETWORKS),
                false,
                "Matches routes from these networks (ids, comma-separated); empty: any."
            ),
            f("source_type", "Source type", T::Choice(NETWORK_TYPES), false, "Empty: any."),
            f("source_region", "Source region", T::Region, false, "Empty: any."),
            f(
                "destination_networks",
                "Destination networks",
                T::RefList(NETWORKS),
                false,
                "Matches routes toward these networks; empty: any."
            ),
            f("destination_type", "Destination type", T::Choice(NETWORK_TYPES), false, "Empty: any."),
            f("prefixes", "Prefixes", T::CidrList, false, "Matches routes for these prefixes; empty: any."),
            f(
                "prefix_match",
                "Prefix match",
                T::Choice(&[("exact", "Exact"), ("contains", "Equal to or inside")]),
                true,
                ""
            ),
        ]),
        Kind::Group => c!([
            NAME,
            f(
                "members",
                "Members",
                T::RefList(ENDPOINTS),
                false,
                "Endpoint ids (VPC, vSwitch, VBR, CCN, SAG branch, office, site), comma-separated."
            ),
            f(
                "label",
                "Label selector",
                T::Text,
                false,
                "Every endpoint with this label belongs to the group too."
            ),
        ]),
        Kind::Flow => c!([
            NAME,
            f(
                "rule",
                "Rule",
                T::Choice(&[("required", "Required (both ways)"), ("forbidden", "Forbidden (either way)")]),
                true,
                "A required flow needs its return path; a forbidden one must be blocked both ways."
            ),
            f("from", "From", T::Ref(FLOW_ENDS), true, "An endpoint or an endpoint group."),
            f("to", "To", T::Ref(FLOW_ENDS), true, "An endpoint or an endpoint group."),
            f(
                "min_mbps",
                "Minimum bandwidth (Mbps)",
                T::OptNumber,
                false,
                "Required flows: the path must offer at least this much; empty for none."
            ),
            f("notes", "Notes", T::Text, false, ""),
        ]),
        Kind::RegionBandwidth => c!([
            f("cen", "CEN instance", T::Ref(&[Kind::Cen]), true, ""),
            f("region_a", "Region A", T::Region, true, ""),
            f("region_b", "Region B", T::Region, true, ""),
            f("mbps", "Bandwidth (Mbps)", T::Mbps, true, ""),
        ]),
    }
}

/// The spec of one field of a kind.
pub fn spec(kind: Kind, key: &str) -> Option<&'static FieldSpec> {
    specs(kind).iter().find(|s| s.key == key)
}

/// The text of every field of one entity: what a form shows.
pub type Draft = BTreeMap<String, String>;

/// The draft of an existing entity, or `None` when no entity has this id.
pub fn draft_of(plan: &Plan, kind: Kind, id: &str) -> Option<Draft> {
    let value = crate::with_list!(plan, kind, |v| v
        .iter()
        .find(|e| e.id() == id)
        .and_then(|e| serde_json::to_value(e).ok()))?;
    Some(
        specs(kind)
            .iter()
            .map(|s| {
                let text = match (s.ty, value.get(s.key)) {
                    // Optional flags are left out of the file when false.
                    (FieldType::Bool, None) => "false".to_string(),
                    (_, v) => value_text(v),
                };
                (s.key.to_string(), text)
            })
            .collect(),
    )
}

/// A draft for a new entity of `kind`: references point at the first candidate, regions at the
/// region most used so far, and the rest is empty or the first choice.
pub fn new_draft(plan: &Plan, kind: Kind) -> Draft {
    let region = most_used_region(plan);
    specs(kind)
        .iter()
        .map(|s| {
            let text = match s.ty {
                FieldType::Ref(kinds) => candidates(plan, kinds).first().map(|(id, _)| id.clone()).unwrap_or_default(),
                FieldType::Region => region.clone(),
                FieldType::Area => Area::China.api_id().to_string(),
                FieldType::CcnArea => CcnArea::MainlandChina.key().to_string(),
                FieldType::Choice(options) => options[0].0.to_string(),
                FieldType::Bool => "false".into(),
                FieldType::Mbps => "10".into(),
                _ => String::new(),
            };
            (s.key.to_string(), text)
        })
        .collect()
}

/// The next free generated id for a kind: prefix plus one more than the largest number in use.
pub fn next_id(plan: &Plan, kind: Kind) -> String {
    let prefix = format!("{}-", kind.id_prefix());
    let mut max = 0u64;
    plan.for_each_entity(|_, _, id, _| {
        if let Some(n) = id.strip_prefix(&prefix).and_then(|n| n.parse::<u64>().ok()) {
            max = max.max(n);
        }
    });
    format!("{prefix}{}", max + 1)
}

/// Entities of the given kinds as (id, display name), in plan order: the options of a reference field.
pub fn candidates(plan: &Plan, kinds: &[Kind]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    plan.for_each_entity(|k, _, id, name| {
        if kinds.contains(&k) {
            out.push((
                id.to_string(),
                if name.trim().is_empty() {
                    id.to_string()
                } else {
                    format!("{name} ({id})")
                },
            ));
        }
    });
    out
}

/// Region options for a plan: catalog regions listed as of the plan's date, then custom regions,
/// then any region the plan already uses, as (API id, label).
pub fn region_options(plan: &Plan) -> Vec<(String, String)> {
    let as_of = Date::parse(&plan.settings.as_of).unwrap_or(catalog::DOCS_2019_DATE);
    let mut out: Vec<(String, String)> = catalog::listed_on(as_of)
        .map(|r| (r.id.to_string(), format!("{} — {} ({})", r.name, r.id, r.area.label())))
        .collect();
    for r in &plan.regions {
        out.push((r.id.clone(), format!("{} — {} ({}, custom)", r.name, r.id, r.area.label())));
    }
    for r in catalog::REGIONS {
        if !out.iter().any(|(id, _)| id == r.id) {
            out.push((r.id.to_string(), format!("{} — {} (not listed on {as_of})", r.name, r.id)));
        }
    }
    out
}

/// Whether parsing a field of this spec looks ids up (`parse_field`'s index): a name or a CIDR does
/// not, so a form need not index a plan of thousands of entities to check one.
pub fn needs_index(spec: &FieldSpec) -> bool {
    matches!(
        spec.ty,
        FieldType::Ref(_) | FieldType::OptRef(_) | FieldType::RefList(_) | FieldType::SiteLines
    )
}

/// Parses the text of one field into its JSON value, or says why it cannot.
pub fn parse_field(plan: &Plan, index: &Index, spec: &FieldSpec, text: &str) -> Result<Value, String> {
    let t = text.trim();
    if t.is_empty() && spec.required && !matches!(spec.ty, FieldType::Bool) {
        return Err(format!("{} is required", spec.label));
    }
    // An optional region or choice left empty means "none".
    if t.is_empty() && !spec.required && matches!(spec.ty, FieldType::Region | FieldType::Choice(_) | FieldType::OptNumber) {
        return Ok(Value::Null);
    }
    Ok(match spec.ty {
        FieldType::Text => Value::String(t.to_string()),
        FieldType::RegionId => {
            if !t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                return Err("a region id uses lower-case letters, digits and hyphens, e.g. me-central-1".into());
            }
            if catalog::find(t).is_some() {
                return Err(format!(
                    "{t} is already in the region catalog; pick it from the region list instead"
                ));
            }
            Value::String(t.to_string())
        }
        FieldType::Uid if t.is_empty() => Value::String(String::new()),
        FieldType::Uid => {
            check_uid(t)?;
            Value::String(t.to_string())
        }
        FieldType::Cidr => Value::String(parse_cidr(t)?.to_string()),
        FieldType::CidrList => {
            let items = split_list(t);
            if items.is_empty() && spec.required {
                return Err(format!("{} needs at least one CIDR block", spec.label));
            }
            let mut out = Vec::new();
            for item in items {
                out.push(Value::String(parse_cidr(&item)?.to_string()));
            }
            Value::Array(out)
        }
        FieldType::Ip => Value::String(parse_ip(t)?.to_string()),
        FieldType::Date if t.is_empty() => Value::String(String::new()),
        FieldType::Date => Value::String(Date::parse(t)?.to_string()),
        FieldType::Mbps => {
            let n: u32 = t.parse().map_err(|_| format!("\"{t}\" is not a whole number of Mbps"))?;
            Value::from(n)
        }
        FieldType::TextList => Value::Array(split_list(t).into_iter().map(Value::String).collect()),
        FieldType::Bool => Value::Bool(matches!(t, "true" | "on" | "yes" | "1")),
        FieldType::Ref(kinds) | FieldType::OptRef(kinds) => {
            if t.is_empty() {
                Value::Null
            } else {
                check_ref(index, t, kinds)?;
                Value::String(t.to_string())
            }
        }
        FieldType::Region => {
            if catalog::find(t).is_none() && !plan.regions.iter().any(|r| r.id == t) {
                return Err(format!("{t} is not a known region: add it under Custom regions first"));
            }
            Value::String(t.to_string())
        }
        FieldType::Area => {
            Area::from_api_id(t).ok_or_else(|| format!("{t} is not a CEN area"))?;
            Value::String(t.to_string())
        }
        FieldType::CcnArea => {
            CcnArea::from_key(t).ok_or_else(|| format!("{t} is not a CCN area"))?;
            Value::String(t.to_string())
        }
        FieldType::Choice(options) => {
            options
                .iter()
                .find(|(v, _)| *v == t)
                .ok_or_else(|| format!("{t} is not one of the choices"))?;
            Value::String(t.to_string())
        }
        FieldType::Code => {
            crate::core::rulebook::meta(t).ok_or_else(|| format!("{t} is not a rule code of this app (see docs/rules.md)"))?;
            Value::String(t.to_string())
        }
        FieldType::RefList(kinds) => {
            let mut out = Vec::new();
            for item in split_list(t) {
                check_ref(index, &item, kinds)?;
                out.push(Value::String(item));
            }
            Value::Array(out)
        }
        FieldType::Number | FieldType::OptNumber => {
            let n: u32 = t.parse().map_err(|_| format!("\"{t}\" is not a whole number"))?;
            Value::from(n)
        }
        FieldType::SiteLines => {
            let mut out = Vec::new();
            for item in t.split([',', ';']).map(str::trim).filter(|i| !i.is_empty()) {
                let line = parse_line(item)?;
                check_ref(index, &line.via, LINE_KINDS)?;
                out.push(serde_json::to_value(line).map_err(|e| e.to_string())?);
            }
            if out.is_empty() && spec.required {
                return Err(format!("{} needs at least one line (a VBR or SAG branch id)", spec.label));
            }
            Value::Array(out)
        }
    })
}

/// Reads one line of a site as the form writes it: `id [active|standby|ecmp] [as-path=N]`.
pub fn parse_line(text: &str) -> Result<SiteLine, String> {
    let mut words = text.split_whitespace();
    let via = words.next().ok_or("a line needs the id of its VBR or SAG branch")?;
    let mut line = SiteLine {
        via: via.to_string(),
        ..SiteLine::default()
    };
    for w in words {
        match w {
            "active" => line.role = Some(LineRole::Active),
            "standby" => line.role = Some(LineRole::Standby),
            "ecmp" => line.role = Some(LineRole::Ecmp),
            _ => {
                let n = w
                    .strip_prefix("as-path=")
                    .ok_or_else(|| format!("\"{w}\" in line {via}: write active, standby, ecmp or as-path=N"))?;
                line.as_path_length = Some(
                    n.parse()
                        .map_err(|_| format!("as-path length \"{n}\" of line {via} is not a whole number"))?,
                );
            }
        }
    }
    Ok(line)
}

/// Writes one line of a site as the form shows it (`parse_line` reads it back).
pub fn line_text(line: &SiteLine) -> String {
    let mut text = line.via.clone();
    if let Some(role) = line.role {
        text.push_str(match role {
            LineRole::Active => " active",
            LineRole::Standby => " standby",
            LineRole::Ecmp => " ecmp",
        });
    }
    if let Some(n) = line.as_path_length {
        text.push_str(&format!(" as-path={n}"));
    }
    text
}

/// Checks that a UID is all digits.
pub fn check_uid(t: &str) -> Result<(), String> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 20 {
        return Err(format!("\"{t}\" is not an account UID: it is a number of up to 20 digits"));
    }
    Ok(())
}

/// Checks that `id` names an entity of one of `kinds`.
pub fn check_ref(index: &Index, id: &str, kinds: &[Kind]) -> Result<(), String> {
    let wanted = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
    match index.kind_of(id) {
        None => Err(format!("no {wanted} has the id \"{id}\"")),
        Some(k) if !kinds.contains(&k) => Err(format!("\"{id}\" is a {}, not a {wanted}", k.label())),
        Some(_) => Ok(()),
    }
}

/// Why a route entry's next hop does not name a usable entity of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextHopError {
    /// No entity has that id.
    Missing(String),
    /// It names an entity of another kind, or one that belongs to another network.
    Mismatch(String),
}

impl NextHopError {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            NextHopError::Missing(m) | NextHopError::Mismatch(m) => m,
        }
    }
}

/// The kind of plan entity a next hop of this type names (`None`: free text, such as an instance id).
pub fn next_hop_kind(ty: NextHopType) -> Option<Kind> {
    match ty {
        NextHopType::VpnGateway => Some(Kind::VpnGateway),
        NextHopType::Peering => Some(Kind::Peering),
        NextHopType::Ecs | NextHopType::HaVip | NextHopType::NatGateway | NextHopType::Idc => None,
    }
}

/// The next-hop type a draft's text names, if it is one.
fn next_hop_type_of(text: &str) -> Option<NextHopType> {
    serde_json::from_value(Value::String(text.trim().to_string())).ok()
}

/// Whether an entity of the plan can be the next hop of a route entry in `network`'s table: a VPN
/// gateway of that VPC, or a peering connection with the network at one end.
fn serves(plan: &Plan, kind: Kind, id: &str, network: &str) -> bool {
    match kind {
        Kind::VpnGateway => plan.vpn_gateways.iter().any(|g| g.id == id && g.vpc == network),
        Kind::Peering => plan.peerings.iter().any(|p| p.id == id && (p.a == network || p.b == network)),
        _ => false,
    }
}

/// The entities a route entry in `network`'s table can name as a next hop of this type, as
/// (id, display name): the network's VPN gateways or its peering connections; `None` when the
/// next hop of this type is free text.
pub fn next_hop_candidates(plan: &Plan, network: &str, ty: NextHopType) -> Option<Vec<(String, String)>> {
    let kind = next_hop_kind(ty)?;
    Some(
        candidates(plan, &[kind])
            .into_iter()
            .filter(|(id, _)| serves(plan, kind, id, network))
            .collect(),
    )
}

/// Checks a next hop that names an entity of the plan: it exists, has the kind the type names and
/// belongs to the network whose table holds the entry. Free-text next hops always pass.
pub fn check_next_hop(plan: &Plan, index: &Index, network: &str, ty: NextHopType, hop: &str) -> Result<(), NextHopError> {
    let Some(kind) = next_hop_kind(ty) else { return Ok(()) };
    let hop = hop.trim();
    if hop.is_empty() {
        return Ok(());
    }
    check_ref(index, hop, &[kind]).map_err(|e| match index.kind_of(hop) {
        None => NextHopError::Missing(e),
        Some(_) => NextHopError::Mismatch(e),
    })?;
    if index.kind_of(network).is_none() || serves(plan, kind, hop, network) {
        return Ok(());
    }
    let (hop_name, net_name) = (plan.display_name(index, hop), plan.display_name(index, network));
    Err(NextHopError::Mismatch(match kind {
        Kind::VpnGateway => {
            let owner = plan
                .vpn_gateways
                .iter()
                .find(|g| g.id == hop)
                .map_or("", |g| plan.display_name(index, &g.vpc));
            format!("{hop_name} is a VPN gateway of {owner}, not of {net_name}: choose one of {net_name}'s VPN gateways")
        }
        _ => format!("{hop_name} does not connect {net_name}: choose a peering connection with {net_name} at one end"),
    }))
}

/// The choices of a field whose options depend on the other fields of the draft, or `None` when the
/// field is free text: a route entry's next hop lists the network's VPN gateways or peering
/// connections when its type names one of those.
pub fn choices(plan: &Plan, kind: Kind, key: &str, draft: &Draft) -> Option<Vec<(String, String)>> {
    if kind != Kind::RouteEntry || key != "next_hop" {
        return None;
    }
    let ty = next_hop_type_of(draft.get("next_hop_type").map_or("", String::as_str))?;
    next_hop_candidates(plan, draft.get("network").map_or("", |n| n.trim()), ty)
}

/// Turns a draft into the JSON of an entity with this id, or gives one message per bad field.
///
/// Fields the draft does not mention keep their values from `base` (the existing entity).
pub fn build(plan: &Plan, kind: Kind, id: &str, draft: &Draft) -> Result<Value, BTreeMap<String, String>> {
    // A form checks a few ids: each is looked up in the lists (`Index::lookups`); hashing every id of
    // a big plan was most of the work of a save.
    let looked_up = Index::lookups(plan);
    let index = || &looked_up;
    let unindexed = Index::default();
    let mut obj = crate::with_list!(plan, kind, |v| v
        .iter()
        .find(|e| e.id() == id)
        .and_then(|e| serde_json::to_value(e).ok()))
    .and_then(|v| v.as_object().cloned())
    .unwrap_or_default();
    obj.insert("id".into(), Value::String(id.to_string()));
    let mut errors = BTreeMap::new();
    for spec in specs(kind) {
        let Some(text) = draft.get(spec.key) else { continue };
        let index = if needs_index(spec) { index() } else { &unindexed };
        match parse_field(plan, index, spec, text) {
            Ok(Value::Null) => {
                obj.remove(spec.key);
            }
            Ok(v) => {
                obj.insert(spec.key.to_string(), v);
            }
            Err(e) => {
                errors.insert(spec.key.to_string(), e);
            }
        }
    }
    if kind == Kind::RouteEntry && !errors.contains_key("network") && !errors.contains_key("next_hop") {
        let text = |key: &str| obj.get(key).and_then(Value::as_str).unwrap_or_default();
        if let Some(ty) = next_hop_type_of(text("next_hop_type")) {
            if let Err(e) = check_next_hop(plan, index(), text("network"), ty, text("next_hop")) {
                errors.insert("next_hop".into(), e.message().to_string());
            }
        }
    }
    if kind == Kind::Region {
        if let Some(Value::String(new_id)) = obj.get("id") {
            if new_id != id && index().get(new_id).is_some() {
                errors.insert("id".into(), format!("the id {new_id} is already used in this plan"));
            }
        }
    }
    if errors.is_empty() {
        Ok(Value::Object(obj))
    } else {
        Err(errors)
    }
}

fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().map(|i| value_text(Some(i))).collect::<Vec<_>>().join(", "),
        // A site's line.
        Some(obj @ Value::Object(_)) => serde_json::from_value::<SiteLine>(obj.clone()).map_or_else(|_| obj.to_string(), |l| line_text(&l)),
        Some(other) => other.to_string(),
    }
}

fn most_used_region(plan: &Plan) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in plan.vpcs.iter().map(|v| &v.region).chain(plan.vbrs.iter().map(|v| &v.region)) {
        *counts.entry(r.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(r, _)| !r.is_empty())
        .max_by_key(|(_, n)| *n)
        .map_or("cn-hangzhou".into(), |(r, _)| r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Account, Vpc};

    #[test]
    fn a_flow_and_a_group_are_built_from_their_forms() {
        let mut p = plan();
        p.groups.push(crate::core::model::Group {
            id: "group-1".into(),
            ..Default::default()
        });
        let draft: Draft = [
            ("name", "Spokes to hub"),
            ("rule", "required"),
            ("from", "group-1"),
            ("to", "vpc-7"),
            ("min_mbps", ""),
            ("notes", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let v = build(&p, Kind::Flow, "flow-1", &draft).unwrap();
        let flow: crate::core::model::Flow = serde_json::from_value(v).unwrap();
        assert_eq!((flow.from.as_str(), flow.to.as_str(), flow.min_mbps), ("group-1", "vpc-7", None));
        let mut slow = draft.clone();
        slow.insert("min_mbps".into(), "50".into());
        let v = build(&p, Kind::Flow, "flow-1", &slow).unwrap();
        assert_eq!(v["min_mbps"], 50);
        slow.insert("min_mbps".into(), "fast".into());
        slow.insert("from".into(), "acct-1".into());
        let errors = build(&p, Kind::Flow, "flow-1", &slow).unwrap_err();
        assert!(errors["min_mbps"].contains("not a whole number"), "{errors:?}");
        assert!(errors["from"].contains("is a Account"), "{errors:?}");
        // A group: members are references, the label is a word; labels on a VPC are a list.
        let index = Index::new(&p);
        let members = spec(Kind::Group, "members").unwrap();
        assert_eq!(
            parse_field(&p, &index, members, "vpc-7, group-1").unwrap_err(),
            "\"group-1\" is a Endpoint group, not a VPC or vSwitch or VBR or CCN or SAG branch or Customer gateway or IPsec connection or Site"
        );
        assert_eq!(parse_field(&p, &index, members, "vpc-7").unwrap(), serde_json::json!(["vpc-7"]));
        let labels = spec(Kind::Vpc, "labels").unwrap();
        assert_eq!(
            parse_field(&p, &index, labels, "spoke, prod").unwrap(),
            serde_json::json!(["spoke", "prod"])
        );
        assert_eq!(draft_of(&p, Kind::Vpc, "vpc-7").unwrap()["labels"], "");
        // A site is an endpoint: a flow's end and a group's member may name it.
        p.sites.push(Site {
            id: "site-1".into(),
            ..Site::default()
        });
        let index = Index::new(&p);
        let to = spec(Kind::Flow, "to").unwrap();
        assert_eq!(parse_field(&p, &index, to, "site-1").unwrap(), "site-1");
        assert_eq!(parse_field(&p, &index, members, "site-1").unwrap(), serde_json::json!(["site-1"]));
    }

    fn plan() -> Plan {
        let mut p = Plan::new("t", "2019-09-19");
        p.accounts.push(Account {
            id: "acct-1".into(),
            name: "Main".into(),
            uid: "1234567890".into(),
        });
        p.vpcs.push(Vpc {
            id: "vpc-7".into(),
            owner: "acct-1".into(),
            region: "cn-shanghai".into(),
            cidr: "10.0.0.0/16".into(),
            ..Vpc::default()
        });
        p
    }

    #[test]
    fn every_kind_has_fields_and_every_field_key_exists_in_the_file_format() {
        let p = Plan::default();
        for &kind in Kind::ALL {
            assert!(!specs(kind).is_empty());
            let draft = new_draft(&p, kind);
            assert_eq!(draft.len(), specs(kind).len());
        }
    }

    #[test]
    fn new_drafts_point_at_existing_entities_and_ids_count_up() {
        let p = plan();
        let d = new_draft(&p, Kind::Vpc);
        assert_eq!(d["owner"], "acct-1");
        assert_eq!(d["region"], "cn-shanghai");
        assert_eq!(next_id(&p, Kind::Vpc), "vpc-8");
        assert_eq!(next_id(&p, Kind::Cen), "cen-1");
    }

    #[test]
    fn build_refuses_an_invalid_cidr_and_names_the_field() {
        let p = plan();
        let mut d = new_draft(&p, Kind::Vpc);
        d.insert("cidr".into(), "10.0.0.300/16".into());
        let errors = build(&p, Kind::Vpc, "vpc-8", &d).unwrap_err();
        assert!(errors["cidr"].contains("not an IPv4 address"));
        d.insert("cidr".into(), "10.1.0.0/16".into());
        d.insert("secondary_cidrs".into(), "10.2.0.0/16, 10.3.0.0/16".into());
        let v = build(&p, Kind::Vpc, "vpc-8", &d).unwrap();
        let vpc: Vpc = serde_json::from_value(v).unwrap();
        assert_eq!(vpc.secondary_cidrs, vec!["10.2.0.0/16", "10.3.0.0/16"]);
    }

    #[test]
    fn drafts_of_existing_entities_show_their_values() {
        let p = plan();
        let d = draft_of(&p, Kind::Vpc, "vpc-7").unwrap();
        assert_eq!(d["cidr"], "10.0.0.0/16");
        assert_eq!(d["classiclink"], "false");
        assert!(draft_of(&p, Kind::Vpc, "nope").is_none());
    }

    #[test]
    fn references_must_exist_and_have_the_right_kind() {
        let p = plan();
        let index = Index::new(&p);
        let owner = spec(Kind::Vpc, "owner").unwrap();
        assert!(parse_field(&p, &index, owner, "acct-9").unwrap_err().contains("no Account"));
        assert!(parse_field(&p, &index, owner, "vpc-7").unwrap_err().contains("is a VPC"));
        let unknown_region = parse_field(&p, &index, spec(Kind::Vpc, "region").unwrap(), "mars-1").unwrap_err();
        assert!(unknown_region.contains("Custom regions"));
    }

    #[test]
    fn a_next_hop_naming_an_entity_offers_and_accepts_only_the_networks_own() {
        use crate::core::model::{Peering, VpnGateway};
        let mut p = plan();
        p.vpcs.push(Vpc {
            id: "vpc-8".into(),
            owner: "acct-1".into(),
            region: "cn-shanghai".into(),
            cidr: "10.1.0.0/16".into(),
            ..Vpc::default()
        });
        for (id, vpc) in [("gw-7", "vpc-7"), ("gw-8", "vpc-8")] {
            p.vpn_gateways.push(VpnGateway {
                id: id.into(),
                vpc: vpc.into(),
                bandwidth_mbps: 10,
                ..VpnGateway::default()
            });
        }
        p.peerings.push(Peering {
            id: "pcc-1".into(),
            a: "vpc-8".into(),
            b: "vpc-7".into(),
            ..Peering::default()
        });
        let mut d = new_draft(&p, Kind::RouteEntry);
        d.insert("network".into(), "vpc-7".into());
        d.insert("destination".into(), "192.168.0.0/24".into());
        assert_eq!(choices(&p, Kind::RouteEntry, "next_hop", &d), None, "an ECS next hop is free text");
        assert_eq!(choices(&p, Kind::RouteEntry, "name", &d), None);
        d.insert("next_hop_type".into(), "vpn_gateway".into());
        let ids = |c: Option<Vec<(String, String)>>| c.unwrap().into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids(choices(&p, Kind::RouteEntry, "next_hop", &d)), ["gw-7"]);
        d.insert("next_hop".into(), "gw-8".into());
        let e = build(&p, Kind::RouteEntry, "rte-1", &d).unwrap_err();
        assert!(e["next_hop"].contains("VPN gateway of vpc-8, not of vpc-7"), "{e:?}");
        d.insert("next_hop".into(), "gw-404".into());
        assert!(build(&p, Kind::RouteEntry, "rte-1", &d).unwrap_err()["next_hop"].contains("no VPN gateway"));
        d.insert("next_hop".into(), "gw-7".into());
        assert!(build(&p, Kind::RouteEntry, "rte-1", &d).is_ok());
        d.insert("next_hop_type".into(), "peering".into());
        assert_eq!(ids(choices(&p, Kind::RouteEntry, "next_hop", &d)), ["pcc-1"]);
        assert!(build(&p, Kind::RouteEntry, "rte-1", &d).unwrap_err()["next_hop"].contains("not a Peering"));
        d.insert("next_hop".into(), "pcc-1".into());
        assert!(build(&p, Kind::RouteEntry, "rte-1", &d).is_ok());
    }

    #[test]
    fn region_options_follow_the_plan_date() {
        let mut p = plan();
        p.settings.as_of = "2018-08-27".into();
        let first17: Vec<_> = region_options(&p).into_iter().take(17).collect();
        assert!(first17.iter().all(|(_, label)| !label.contains("not listed")));
        assert!(region_options(&p)
            .iter()
            .any(|(id, l)| id == "eu-west-1" && l.contains("not listed")));
    }

    #[test]
    fn a_site_and_a_route_map_round_trip_through_their_forms() {
        let plan = crate::core::format::from_json(crate::core::examples::find("hybrid-cloud-two-vbrs-sag-backup").unwrap().json).unwrap();
        let draft = draft_of(&plan, Kind::Site, "site-1").unwrap();
        assert_eq!(draft["lines"], "vbr-1 active as-path=1, vbr-2 standby as-path=3, sag-1 standby");
        let built = build(&plan, Kind::Site, "site-1", &draft).unwrap();
        assert_eq!(serde_json::from_value::<Site>(built).unwrap(), plan.sites[0]);
        let mut bad = draft.clone();
        bad.insert("lines".into(), "vbr-1 primary".into());
        assert!(build(&plan, Kind::Site, "site-1", &bad).unwrap_err()["lines"].contains("write active, standby, ecmp or as-path=N"));
        bad.insert("lines".into(), "vpc-1".into());
        assert!(build(&plan, Kind::Site, "site-1", &bad).unwrap_err()["lines"].contains("is a VPC, not a VBR or SAG branch"));

        let mut plan = plan;
        plan.route_maps.push(crate::core::model::RouteMap {
            id: "rmap-1".into(),
            cen: "cen-1".into(),
            region: "cn-hangzhou".into(),
            priority: 20,
            source_networks: vec!["vbr-2".into()],
            destination_networks: vec!["vbr-1".into()],
            ..Default::default()
        });
        let draft = draft_of(&plan, Kind::RouteMap, "rmap-1").unwrap();
        assert_eq!(
            (
                draft["priority"].as_str(),
                draft["next_priority"].as_str(),
                draft["source_type"].as_str()
            ),
            ("20", "", "")
        );
        let built: crate::core::model::RouteMap = serde_json::from_value(build(&plan, Kind::RouteMap, "rmap-1", &draft).unwrap()).unwrap();
        assert_eq!(built, plan.route_maps[0]);
        let mut next = draft.clone();
        next.insert("next_priority".into(), "30".into());
        next.insert("source_type".into(), "vbr".into());
        next.insert("source_networks".into(), "vbr-2, nope".into());
        assert!(build(&plan, Kind::RouteMap, "rmap-1", &next).unwrap_err()["source_networks"].contains("nope"));
        next.insert("source_networks".into(), "vbr-2".into());
        let built: crate::core::model::RouteMap = serde_json::from_value(build(&plan, Kind::RouteMap, "rmap-1", &next).unwrap()).unwrap();
        assert_eq!(
            (built.next_priority, built.source_type),
            (Some(30), Some(crate::core::model::NetworkType::Vbr))
        );
    }
}
