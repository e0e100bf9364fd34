//! The rulebook: one table of every rule code the app checks (title, worst severity, confidence, and
//! the module of `core::rules` that checks it), the rules it cannot check with the reason, and the
//! rulebook's dated switches.
//!
//! Codes come from `../shared/cen-rules.md`; `PLAN-*` codes check the plan's own integrity. The table
//! is turned into the typed [`Code`] enum, so a finding cannot carry a code the table does not know.
//! Pure data: this module imports nothing of the core, like the region catalog.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is (rulebook "Severity used by the validator").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The API or console refuses it, or traffic cannot flow.
    Error,
    /// Works partly, is slow, or depends on something not in the plan ([INF] rules are never worse).
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// Lower-case name, as printed by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How sure the rulebook is of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// Stated in a source ([DOC]).
    Doc,
    /// Stated, but dated ([DOC, dated]): the plan's `as_of` setting selects the value.
    DocDated,
    /// Inferred by the rulebook ([INF]): never worse than a warning.
    Inferred,
    /// A check of the plan's own integrity (not a CEN rule).
    Plan,
}

impl Confidence {
    /// The rulebook's tag.
    pub fn tag(self) -> &'static str {
        match self {
            Confidence::Doc => "DOC",
            Confidence::DocDated => "DOC, dated",
            Confidence::Inferred => "INF",
            Confidence::Plan => "plan",
        }
    }
}

/// What the app knows about one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code.
    pub code: Code,
    /// Short title.
    pub title: &'static str,
    /// Worst severity it reports.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// The module of `core::rules` that checks it.
    pub module: &'static str,
}

macro_rules! rulebook {
    ($($variant:ident = $code:literal, $severity:ident, $confidence:ident, $module:literal, $title:literal;)*) => {
        /// A rule code of the table: `Code::CenCidr005` is `CEN-CIDR-005`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        /// Every rule checked, in table order (grouped by module); `RULES[code as usize]` is the code's row.
        pub const RULES: &[RuleMeta] = &[
            $(RuleMeta {
                code: Code::$variant,
                title: $title,
                severity: Severity::$severity,
                confidence: Confidence::$confidence,
                module: $module,
            },)*
        ];

        impl Code {
            /// The code as the rulebook writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The code written `text`, if the table has it.
            pub fn parse(text: &str) -> Option<Code> {
                match text {
                    $($code => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

rulebook! {
    PlanCidr001 = "PLAN-CIDR-001", Error, Plan, "integrity", "CIDR blocks must parse";
    PlanValue001 = "PLAN-VALUE-001", Error, Plan, "integrity", "Addresses, dates and UIDs must parse";
    PlanReq001 = "PLAN-REQ-001", Error, Plan, "integrity", "Required fields are filled in";
    PlanRef001 = "PLAN-REF-001", Error, Plan, "integrity", "References point at existing entities";
    PlanRef002 = "PLAN-REF-002", Error, Plan, "integrity", "References point at the right kind of entity";
    PlanDate001 = "PLAN-DATE-001", Warning, Plan, "attach", "An entity dated after the plan's \"rules as of\" date carries no traffic";
    PlanFlow001 = "PLAN-FLOW-001", Info, Plan, "flows", "Without a declared required flow, every pair of networks on a CEN must talk";
    PlanFlow002 = "PLAN-FLOW-002", Error, Plan, "flows", "A required flow arrives both ways";
    PlanFlow003 = "PLAN-FLOW-003", Error, Plan, "flows", "A forbidden flow arrives neither way";
    PlanFlow004 = "PLAN-FLOW-004", Warning, Plan, "flows", "A required flow's path offers its minimum bandwidth";
    PlanFlow005 = "PLAN-FLOW-005", Warning, Plan, "flows", "The plan decides whether a declared flow arrives";
    PlanFlow006 = "PLAN-FLOW-006", Warning, Plan, "flows", "A flow's ends name endpoints with addresses";
    CenArea001 = "CEN-AREA-001", Error, DocDated, "area", "Region→area table (date-versioned)";
    CenArea002 = "CEN-AREA-002", Warning, Doc, "bandwidth", "The area pair of a connection is unordered";
    CenArea003 = "CEN-AREA-003", Error, Doc, "bandwidth", "Hong Kong is Asia Pacific, not Mainland China";
    CenArea004 = "CEN-AREA-004", Warning, DocDated, "bandwidth", "Area pairs that can be purchased (2019 list)";
    CenBwp001 = "CEN-BWP-001", Warning, Doc, "bandwidth", "Same region needs nothing; different regions need a package";
    CenBwp002 = "CEN-BWP-002", Error, Doc, "bandwidth", "The package must cover the area pair of the two regions";
    CenBwp003 = "CEN-BWP-003", Warning, Doc, "bandwidth", "Cross-region inside one area still needs a package";
    CenBwp004 = "CEN-BWP-004", Error, Doc, "bandwidth", "At most one package per area pair per CEN";
    CenBwp005 = "CEN-BWP-005", Error, DocDated, "bandwidth", "Package size";
    CenBwp007 = "CEN-BWP-007", Error, Doc, "bandwidth", "Binding, unbinding, deleting";
    CenBwp008 = "CEN-BWP-008", Info, Doc, "bandwidth", "Cross-border packages cannot be downgraded";
    CenBwp009 = "CEN-BWP-009", Info, Inferred, "bandwidth", "The CEN owner buys the package";
    CenBw001 = "CEN-BW-001", Error, Doc, "bandwidth", "Two distinct regions";
    CenBw002 = "CEN-BW-002", Error, Doc, "bandwidth", "Sum of region connections ≤ package";
    CenBw003 = "CEN-BW-003", Error, Doc, "bandwidth", "Minimum per connection";
    CenBw004 = "CEN-BW-004", Error, Doc, "bandwidth", "Both regions must already be in the CEN";
    CenBw005 = "CEN-BW-005", Warning, Inferred, "bandwidth", "Every communicating region pair needs its own connection";
    CenBw006 = "CEN-BW-006", Info, Inferred, "bandwidth", "A connection is shared by all networks in its two regions";
    CenBw007 = "CEN-BW-007", Warning, DocDated, "bandwidth", "Regions per CEN";
    CenBw008 = "CEN-BW-008", Warning, Doc, "bandwidth", "The default 1 Kbps is a test link only";
    CenAtt001 = "CEN-ATT-001", Error, Doc, "attach", "Only VPCs, VBRs and CCNs are attached (a VPN gateway, vSwitch or SAG is reached through its network)";
    CenAtt002 = "CEN-ATT-002", Error, Doc, "attach", "One CEN per network";
    CenAtt003 = "CEN-ATT-003", Warning, DocDated, "attach", "Networks per region per CEN (5, then 10 from 2019-04)";
    CenAtt004 = "CEN-ATT-004", Warning, DocDated, "attach", "CEN instances per account (5)";
    CenAtt005 = "CEN-ATT-005", Error, Doc, "attach", "Networks with Express Connect peering attached before 2019-06-25";
    CenAtt006 = "CEN-ATT-006", Error, DocDated, "attach", "ClassicLink VPCs must not use 10.0.0.0/8";
    CenAtt007 = "CEN-ATT-007", Info, DocDated, "attach", "Some VBRs cannot attach (switch model, since 2018-08)";
    CenAtt008 = "CEN-ATT-008", Warning, Inferred, "attach", "An attached VPC should have vSwitches";
    CenXacc001 = "CEN-XACC-001", Error, Doc, "attach", "Cross-account attachment needs a grant to (CEN id, CEN owner UID)";
    CenXacc002 = "CEN-XACC-002", Warning, DocDated, "attach", "Cross-account VBRs are restricted on the current platform";
    CenXacc003 = "CEN-XACC-003", Info, Doc, "attach", "Grants are security-relevant";
    CenCcn001 = "CEN-CCN-001", Error, Doc, "ccn", "CCN area offered in the CCN area table of the plan's date";
    CenCcn002 = "CEN-CCN-002", Error, DocDated, "ccn", "SAG only in Mainland China (before the 2021 documents)";
    CenCcn003 = "CEN-CCN-003", Error, DocDated, "ccn", "Cross-area CCN traffic (unsupported in 2018, needs a package from 2021)";
    CenCcn004 = "CEN-CCN-004", Info, Doc, "ccn", "Same-area CCN traffic needs no package";
    CenCcn005 = "CEN-CCN-005", Warning, DocDated, "ccn", "SAG / CCN counts (5 CIDRs per SAG, 10 CCNs and 500 SAGs per account)";
    CenCcn006 = "CEN-CCN-006", Error, Doc, "ccn", "Leased line beats SAG for the same prefix: pair them active/standby";
    CenCidr001 = "CEN-CIDR-001", Error, Doc, "addressing", "Forbidden VPC ranges";
    CenCidr002 = "CEN-CIDR-002", Error, Doc, "addressing", "VPC and vSwitch sizes";
    CenCidr003 = "CEN-CIDR-003", Info, Doc, "addressing", "Reserved addresses in a vSwitch";
    CenCidr008 = "CEN-CIDR-008", Warning, Inferred, "addressing", "Only vSwitch CIDRs matter, not the VPC block";
    CenCidr009 = "CEN-CIDR-009", Warning, Inferred, "addressing", "100.64.0.0/10 belongs to the platform";
    CenCidr004 = "CEN-CIDR-004", Warning, Doc, "overlap", "Everything that must talk must be uniquely addressed";
    CenCidr005 = "CEN-CIDR-005", Error, Doc, "overlap", "Identical prefixes from two networks conflict";
    CenCidr006 = "CEN-CIDR-006", Error, Doc, "overlap", "Overlapping prefixes need the overlapping-routes switch";
    CenRt001 = "CEN-RT-001", Warning, Doc, "routing", "What is advertised automatically";
    CenRt002 = "CEN-RT-002", Error, Doc, "routing", "Custom VPC routes must be published explicitly";
    CenRt003 = "CEN-RT-003", Error, Doc, "routing", "Only the primary (system) route table takes part";
    CenRt005 = "CEN-RT-005", Warning, DocDated, "routing", "Route count quota";
    CenRt006 = "CEN-RT-006", Info, Doc, "routing", "Longest-prefix match";
    CenRt008 = "CEN-RT-008", Error, Doc, "routing", "Overlapping routing switch is one-way and date-dependent";
    CenCidr007 = "CEN-CIDR-007", Error, Doc, "routing", "A VPC never installs routes inside its own vSwitches";
    CenPeer001 = "CEN-PEER-001", Warning, Doc, "routing", "Peering static routes beat CEN and block equal-or-longer CEN routes";
    CenVbr001 = "CEN-VBR-001", Error, Doc, "routing", "VBR↔VBR, VBR↔CCN and CCN↔CCN are isolated by default";
    CenRmap001 = "CEN-RMAP-001", Error, Doc, "routemap", "Route maps run by priority, first match decides (unique priorities per region and direction)";
    CenRmap002 = "CEN-RMAP-002", Error, Doc, "routemap", "Route map limits (priorities 1–100, 100 maps per direction per region)";
    CenRmap003 = "CEN-RMAP-003", Error, Doc, "routemap", "Isolating two networks needs two Deny maps (one per direction)";
    CenPeer003 = "CEN-PEER-003", Info, Doc, "peering", "Keep same-region peering in Hangzhou/Shanghai";
    CenPeer004 = "CEN-PEER-004", Info, Doc, "peering", "VBR migration extras";
    CenVbr002 = "CEN-VBR-002", Info, Doc, "vbr", "VBRs re-advertise CEN routes to the IDC";
    CenVbr003 = "CEN-VBR-003", Warning, Doc, "vbr", "Two leased lines with the same static prefix → ECMP";
    CenVbr004 = "CEN-VBR-004", Info, Doc, "vbr", "BGP active/standby by AS-path length";
    CenVpn001 = "CEN-VPN-001", Error, Doc, "vpn", "The office is reachable only through its VPC's published route";
    CenVpn002 = "CEN-VPN-002", Warning, Inferred, "vpn", "IPsec local/remote selectors must cover the traffic";
    CenVpn003 = "CEN-VPN-003", Error, Doc, "vpn", "Several CIDRs per side need IKEv2 (at most 5 per side)";
    CenVpn004 = "CEN-VPN-004", Warning, Doc, "vpn", "Office side routing (CPE routes, one static public IP per office)";
    CenVpn005 = "CEN-VPN-005", Error, DocDated, "vpn", "VPN limits";
    CenEd001 = "CEN-ED-001", Warning, Doc, "edition", "This model is Basic edition";
    CenEd002 = "CEN-ED-002", Error, Doc, "edition", "Dated switches: a feature used before it was released";
    CenRt009 = "CEN-RT-009", Warning, DocDated, "edition", "NAT-gateway and cloud-service limits (2019)";
    CenSg001 = "CEN-SG-001", Info, Doc, "edition", "Security groups must allow the peer";
}

impl Code {
    /// The code's row of the table.
    pub fn meta(self) -> &'static RuleMeta {
        &RULES[self as usize]
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The table's row of a code written as text.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    Code::parse(code).map(Code::meta)
}

/// Rules of the rulebook the plan cannot check, with the reason.
pub const NOT_CHECKED: &[(&str, &str)] = &[
    ("CEN-BWP-006", "the plan is a target state with no purchase history, so an edit of a purchased package's areas cannot be seen (the package form treats the areas as the purchase choice)"),
    ("CEN-XACC-004", "Nothing to report on its own: the bandwidth rules (CEN-BWP-*, CEN-BW-*) already ignore which account owns a network, which is what this rule states."),
    ("CEN-RT-004", "Describes publishing and withdrawing over time; a plan has no history. The route tables show the effect of what is published now."),
    ("CEN-RT-007", "Describes how the console shows learned routes; the route table view shows the same states (active, conflict, refused, standby)."),
    ("CEN-PEER-002", "Describes rolling a migration back over time; a plan has no history. Re-adding the static route shows its effect through CEN-PEER-001."),
    ("CEN-VBR-005", "health-check source and target IPs, interval and probe count are not in the plan (a VBR only records whether a health check is configured)"),
    ("CEN-SVC-001", "The plan does not model cloud services (OSS, PrivateZone, ...) or their access settings, so cross-region service access cannot be checked."),
];

/// How a rule's fix reaches the plan (`docs/rules.md`, "Fixes").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// The plan can express it: `Analysis::fix_edits` gives the edits, the app offers "Apply this fix".
    Edits,
    /// A step the plan cannot express (a device outside Alibaba Cloud, a console-only step, a ticket,
    /// a purchase): the finding says "outside the plan" (`Finding::outside_plan`) and offers no edit.
    Outside,
    /// Several changes would do, or a value only the user knows: the fix is text, the user chooses.
    Choice,
    /// Nothing to change: a note to keep in mind.
    Note,
}

impl FixKind {
    /// The word `docs/rules.md` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::Edits => "edits",
            FixKind::Outside => "outside the plan",
            FixKind::Choice => "a choice (text)",
            FixKind::Note => "a note",
        }
    }
}

/// The fix of each rule: whether the app applies it (`FixKind::Edits`), and which findings of the
/// rule that is, or why not. Every checked rule has a row (a test says so); a row may name a rule
/// still in `NOT_CHECKED`, for when it is checked.
pub const FIXES: &[(&str, FixKind, &str)] = &[
    ("PLAN-CIDR-001", FixKind::Choice, "the block meant is the user's to type"),
    ("PLAN-VALUE-001", FixKind::Choice, "the value meant is the user's to type"),
    ("PLAN-REQ-001", FixKind::Choice, "the missing value is the user's to give"),
    ("PLAN-REF-001", FixKind::Choice, "pick an existing entity, or add the missing one (or clear the reference)"),
    ("PLAN-REF-002", FixKind::Choice, "pick an entity of the right kind"),
    ("PLAN-DATE-001", FixKind::Choice, "change the entity's date or the plan's \"rules as of\" date"),
    ("PLAN-FLOW-001", FixKind::Choice, "which flows must (not) work is the user's to declare"),
    ("PLAN-FLOW-002", FixKind::Edits, "the edits of the hop that blocks the flow, when that hop's fix has them (as the trace gives them)"),
    ("PLAN-FLOW-003", FixKind::Edits, "two Deny route maps between the two networks named (a CCN side has no region: text)"),
    ("PLAN-FLOW-004", FixKind::Choice, "raise the limiting bandwidth on the path, or lower the flow's minimum"),
    ("PLAN-FLOW-005", FixKind::Choice, "say what decides (AS-path lengths, attachment dates)"),
    ("PLAN-FLOW-006", FixKind::Choice, "name endpoints (or give the group members)"),
    ("CEN-AREA-001", FixKind::Choice, "correct the region id, add it as a custom region, or change the plan's date"),
    ("CEN-AREA-002", FixKind::Choice, "keep one of the two packages"),
    ("CEN-AREA-003", FixKind::Edits, "a China–Asia-Pacific package bound to the CEN"),
    ("CEN-AREA-004", FixKind::Outside, "confirm on the purchase page (or DescribeCenGeographicSpans) that the pair is sold"),
    ("CEN-BWP-001", FixKind::Edits, "a missing package (warning): the package of the area pair bound to the CEN (an unbound one of the pair first); an unused package (info): a choice, keep it or let it go"),
    ("CEN-BWP-002", FixKind::Edits, "a package of the pair bound to the CEN, as large as its region bandwidths of the pair"),
    ("CEN-BWP-003", FixKind::Edits, "as CEN-BWP-001, for a same-area pair"),
    ("CEN-BWP-004", FixKind::Choice, "keep one package of the pair and upgrade it"),
    ("CEN-BWP-005", FixKind::Edits, "the nearest size sold"),
    ("CEN-BWP-007", FixKind::Edits, "an unbound package region bandwidths draw on: bound to their CEN; one bound to another CEN, or unbound and unused (info): a choice"),
    ("CEN-BWP-008", FixKind::Note, "size a cross-border package carefully"),
    ("CEN-BWP-009", FixKind::Outside, "buy with the CEN owner's account"),
    ("CEN-BW-001", FixKind::Choice, "pick the other region of the pair"),
    ("CEN-BW-002", FixKind::Choice, "lower region bandwidths or upgrade the package"),
    ("CEN-BW-003", FixKind::Choice, "set at least 1 Mbps, or delete the region bandwidth"),
    ("CEN-BW-004", FixKind::Choice, "attach a network in the region first (which one is the user's)"),
    ("CEN-BW-005", FixKind::Edits, "the region bandwidth of the pair (10 Mbps), with the package of its areas bound, or raised to carry it"),
    ("CEN-BW-006", FixKind::Note, "size the bandwidth for every network of the two regions"),
    ("CEN-BW-007", FixKind::Choice, "a quota ticket, or split the regions over CEN instances"),
    ("CEN-BW-008", FixKind::Edits, "as CEN-BW-005"),
    ("CEN-ATT-001", FixKind::Choice, "attach the network that hosts it instead"),
    ("CEN-ATT-002", FixKind::Choice, "which CEN keeps the network is the user's"),
    ("CEN-ATT-003", FixKind::Choice, "a quota ticket, fewer networks, or a second CEN"),
    ("CEN-ATT-004", FixKind::Choice, "a quota ticket, or fewer CEN instances"),
    ("CEN-ATT-005", FixKind::Choice, "remove the peering, or attach on or after 2019-06-25"),
    ("CEN-ATT-006", FixKind::Choice, "disable ClassicLink, or renumber the VPC"),
    ("CEN-ATT-007", FixKind::Outside, "a ticket to enable the VBR"),
    ("CEN-ATT-008", FixKind::Choice, "the VPC's vSwitches (zones, blocks) are the user's"),
    ("CEN-XACC-001", FixKind::Edits, "the grant to the CEN with its owner's UID (or the network's grant for that CEN corrected)"),
    ("CEN-XACC-002", FixKind::Choice, "a CEN of the VBR's account, or (outside the plan) enabling by the account manager"),
    ("CEN-XACC-003", FixKind::Note, "review grants; revoke one the CEN is not meant to use"),
    ("CEN-CCN-001", FixKind::Choice, "another CCN area, or the plan's date"),
    ("CEN-CCN-002", FixKind::Choice, "a Mainland China CCN, another way to the site, or the plan's date"),
    ("CEN-CCN-003", FixKind::Choice, "a package and a region bandwidth toward a region of the CCN's area (which region is the user's)"),
    ("CEN-CCN-004", FixKind::Choice, "drop the package unless other traffic needs it"),
    ("CEN-CCN-005", FixKind::Choice, "summarise or regroup, or a quota ticket"),
    ("CEN-CCN-006", FixKind::Edits, "an unpaired SAG: made the standby of the VBR (a SAG already the standby of another line: a choice); a paired one (info): a note"),
    ("CEN-CIDR-001", FixKind::Choice, "renumber"),
    ("CEN-CIDR-002", FixKind::Choice, "renumber"),
    ("CEN-CIDR-003", FixKind::Note, "four addresses of each vSwitch are reserved"),
    ("CEN-CIDR-008", FixKind::Choice, "plan disjoint vSwitch ranges, or renumber"),
    ("CEN-CIDR-009", FixKind::Choice, "renumber or NAT the data centre"),
    ("CEN-CIDR-004", FixKind::Choice, "renumber, or confirm the overlap is intended"),
    ("CEN-CIDR-005", FixKind::Choice, "renumber or withdraw one of the two"),
    ("CEN-CIDR-006", FixKind::Edits, "overlapping routes on for the CEN (one-way; renumbering is the other way, as text)"),
    ("CEN-RT-001", FixKind::Choice, "the prefixes the network should advertise are the user's"),
    ("CEN-RT-002", FixKind::Edits, "a route that must be published: published; a local default route (info): nothing to publish"),
    ("CEN-RT-003", FixKind::Edits, "a published route in a custom table: moved to the system table; an unpublished one (warning): a choice"),
    ("CEN-RT-005", FixKind::Choice, "a quota ticket, or summarise"),
    ("CEN-RT-006", FixKind::Note, "longest prefix wins"),
    ("CEN-RT-008", FixKind::Edits, "overlapping routes on for the CEN"),
    ("CEN-CIDR-007", FixKind::Choice, "renumber one side"),
    ("CEN-PEER-001", FixKind::Choice, "the smooth migration is steps in time; the plan holds only the end state"),
    ("CEN-VBR-001", FixKind::Edits, "two Permit route maps (worked example E7); a CCN side has no region for a map: text (a ticket)"),
    ("CEN-RMAP-001", FixKind::Choice, "which priority each map takes is the user's"),
    ("CEN-RMAP-002", FixKind::Choice, "a priority in range, or merge maps"),
    ("CEN-RMAP-003", FixKind::Edits, "the mirror Deny route map, so the isolation holds both ways"),
    ("CEN-PEER-003", FixKind::Note, "keep the same-region peering connection"),
    ("CEN-PEER-004", FixKind::Choice, "migration steps, mostly on the VBR and the data centre"),
    ("CEN-VBR-002", FixKind::Choice, "BGP on the VBR, or (outside the plan) static routes on the data-centre device"),
    ("CEN-VBR-003", FixKind::Choice, "make the plan give the intended role, or correct the expected role"),
    ("CEN-VBR-004", FixKind::Choice, "as CEN-VBR-003"),
    ("CEN-VPN-001", FixKind::Edits, "no route to the office: the routes of its CIDRs to the VPN gateway, published when the VPC is attached; an unpublished route: published"),
    ("CEN-VPN-002", FixKind::Edits, "local network 0.0.0.0/0 (seed 003; adding the missing CIDRs is the other way, as text)"),
    ("CEN-VPN-003", FixKind::Choice, "IKEv2 (if the office device has it), or fewer CIDRs"),
    ("CEN-VPN-004", FixKind::Outside, "routes on the office CPE (a duplicate public IP: a choice)"),
    ("CEN-VPN-005", FixKind::Choice, "spread offices, summarise, or a quota ticket"),
    ("CEN-ED-001", FixKind::Choice, "check against the Enterprise documents, or the plan's date"),
    ("CEN-ED-002", FixKind::Choice, "the switch off, or the plan's date"),
    ("CEN-RT-009", FixKind::Choice, "a NAT gateway (or EIP) per VPC, or a transit router"),
    ("CEN-SG-001", FixKind::Outside, "security groups are not in the plan"),
];

/// Dated switches of the rulebook (CEN-ED-002).
pub mod dates {
    use crate::core::date::Date;
    /// Newly attached VBRs no longer learn each other's routes (CEN-VBR-001).
    pub const VBR_ISOLATION: Date = Date::new(2018, 8, 1);
    /// Overlapping routing released (CEN-ED-002).
    pub const OVERLAP_RELEASED: Date = Date::new(2018, 10, 12);
    /// CEN instances created from this date have overlapping routes on (CEN-RT-008).
    pub const OVERLAP_DEFAULT: Date = Date::new(2019, 3, 1);
    /// Networks with Express Connect peering may be attached; peering precedence applies (CEN-ATT-005, CEN-PEER-001).
    pub const PEERING_COEXISTENCE: Date = Date::new(2019, 6, 25);
    /// Networks per region per CEN raised from 5 to 10 (CEN-ATT-003).
    pub const TEN_NETWORKS_PER_REGION: Date = Date::new(2019, 4, 1);
    /// Bandwidth packages start at 2 Mbps (1 Mbps before; CEN-BWP-005).
    pub const PACKAGE_MIN_2_MBPS: Date = Date::new(2019, 1, 1);
    /// The 2021 Smart Access Gateway documents: CCN areas outside Mainland China, cross-area CCN with a package (CEN-CCN-002/003).
    pub const CCN_2021: Date = Date::new(2021, 7, 14);
    /// Basic edition no longer sold outside CCN areas (CEN-ED-001).
    pub const BASIC_EDITION_ENDED: Date = Date::new(2022, 3, 31);
    /// The 2019 documents (backbonenet, 2019-09-19): a VPC route can be published to CEN only when its
    /// next hop is an ECS instance, a VPN gateway or a HaVip (CEN-RT-002, CEN-RT-009).
    pub const PUBLISH_2019: Date = Date::new(2019, 9, 19);
    /// The current PublishRouteEntries reference (last updated 2025-08-07) also lists routes to router
    /// interfaces, ENIs, IPv6 gateways and NAT gateways. When the change came is not known: between
    /// `PUBLISH_2019` and this date whether such a route can be published is unknown.
    pub const PUBLISH_MORE_NEXT_HOPS: Date = Date::new(2025, 8, 7);
    /// Where `PUBLISH_2019` and `PUBLISH_MORE_NEXT_HOPS` come from.
    pub const PUBLISH_SOURCE: &str = "BB API Reference/Manage route entries/PublishRouteEntries.md (2019-09); WEB https://www.alibabacloud.com/help/en/cen/developer-reference/api-cbn-2017-09-12-publishrouteentries (last updated 2025-08-07)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_its_own_row_and_inferred_rules_are_never_errors() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.code as usize, i);
            assert_eq!(Code::parse(r.code.as_str()), Some(r.code));
            assert!(
                NOT_CHECKED.iter().all(|(c, _)| *c != r.code.as_str()),
                "{} both checked and not",
                r.code
            );
            if r.confidence == Confidence::Inferred {
                assert_ne!(r.severity, Severity::Error, "{}", r.code);
            }
        }
    }

    #[test]
    fn every_checked_rule_says_how_its_fix_reaches_the_plan_once() {
        for r in RULES {
            let rows = FIXES.iter().filter(|(c, _, _)| *c == r.code.as_str()).count();
            assert_eq!(rows, 1, "{} has {rows} rows in FIXES", r.code);
        }
        for (code, _, _) in FIXES {
            let known = Code::parse(code).is_some() || NOT_CHECKED.iter().any(|(c, _)| c == code);
            assert!(known, "{code} in FIXES is no rule");
        }
    }
}
