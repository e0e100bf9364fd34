//! Differences between two plans: what was added, removed or changed, and, more useful, what
//! behaves differently: findings that appeared or went, routes gained or lost, and pairs of endpoints
//! that became reachable or unreachable.

use crate::core::analysis::Analysis;
use crate::core::findings::Finding;
use crate::core::matrix::Cell;
use crate::core::model::{Entity, Kind, Plan};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One entity that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityChange {
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// Name in the newer plan (or the older one when removed).
    pub name: String,
    /// The fields that changed (empty for additions and removals).
    pub fields: Vec<String>,
}

/// A route present in one plan's table and not in the other's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RouteChange {
    /// The network whose table changed.
    pub network: String,
    /// `prefix → next hop` as text.
    pub route: String,
}

/// A pair whose reachability changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReachChange {
    /// From endpoint id.
    pub from: String,
    /// To endpoint id.
    pub to: String,
    /// Before.
    pub before: Cell,
    /// After.
    pub after: Cell,
}

/// Everything that differs between two plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    /// Entities only in the newer plan.
    pub added: Vec<EntityChange>,
    /// Entities only in the older plan.
    pub removed: Vec<EntityChange>,
    /// Entities in both, with different fields.
    pub changed: Vec<EntityChange>,
    /// Findings only in the newer plan.
    pub findings_appeared: Vec<Finding>,
    /// Findings only in the older plan.
    pub findings_gone: Vec<Finding>,
    /// Active routes only in the newer plan.
    pub routes_gained: Vec<RouteChange>,
    /// Active routes only in the older plan.
    pub routes_lost: Vec<RouteChange>,
    /// Pairs whose disposition changed.
    pub reachability: Vec<ReachChange>,
}

impl PlanDiff {
    /// Whether the two plans are the same in every way compared.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.findings_appeared.is_empty()
            && self.findings_gone.is_empty()
            && self.routes_gained.is_empty()
            && self.routes_lost.is_empty()
            && self.reachability.is_empty()
    }
}

/// The comparison as the app lists it: one line per difference, with its class (`added`, `removed`,
/// `changed`, `better` or `worse`) and its words. Names come from the new plan, or the old one for
/// what is gone.
pub fn lines(d: &PlanDiff, old: &Analysis, new: &Analysis) -> Vec<(&'static str, String)> {
    let (octx, nctx) = (old.facts(), new.facts());
    let name_of = |id: &str| {
        if nctx.index.get(id).is_some() {
            nctx.name(id).to_string()
        } else {
            octx.name(id).to_string()
        }
    };
    let mut lines: Vec<(&'static str, String)> = Vec::new();
    for (class, title, list) in [
        ("added", "added", &d.added),
        ("removed", "removed", &d.removed),
        ("changed", "changed", &d.changed),
    ] {
        for e in list {
            let fields = if e.fields.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.fields.join(", "))
            };
            lines.push((class, format!("{title}: {} {}{fields}", e.kind.label(), e.name)));
        }
    }
    for f in &d.findings_appeared {
        lines.push(("worse", format!("new finding {}: {}", f.code, f.message)));
    }
    for f in &d.findings_gone {
        lines.push(("better", format!("finding gone {}: {}", f.code, f.message)));
    }
    for r in &d.routes_gained {
        lines.push(("better", format!("route gained in {}: {}", name_of(&r.network), r.route)));
    }
    for r in &d.routes_lost {
        lines.push(("worse", format!("route lost in {}: {}", name_of(&r.network), r.route)));
    }
    for r in &d.reachability {
        let class = if r.after.is_success() { "better" } else { "worse" };
        let (before, after) = (crate::core::explain::cell(r.before), crate::core::explain::cell(r.after));
        lines.push((class, format!("{} → {}: {before} → {after}", name_of(&r.from), name_of(&r.to))));
    }
    lines
}

/// Compares two plans, each with its analysis: the entities (comments included) come from the plans,
/// the findings, routes and reachability from the analyses.
pub fn diff((old, old_analysis): (&Plan, &Analysis), (new, new_analysis): (&Plan, &Analysis)) -> PlanDiff {
    let mut d = PlanDiff::default();
    for &kind in Kind::ALL {
        let a = values(old, kind);
        let b = values(new, kind);
        for (id, (name, v)) in &b {
            match a.get(id) {
                None => d.added.push(EntityChange {
                    kind,
                    id: id.clone(),
                    name: name.clone(),
                    fields: vec![],
                }),
                Some((_, old_v)) if old_v != v => {
                    let mut fields: BTreeSet<String> = BTreeSet::new();
                    if let (Some(x), Some(y)) = (old_v.as_object(), v.as_object()) {
                        for k in x.keys().chain(y.keys()) {
                            if x.get(k) != y.get(k) {
                                fields.insert(k.clone());
                            }
                        }
                    }
                    d.changed.push(EntityChange {
                        kind,
                        id: id.clone(),
                        name: name.clone(),
                        fields: fields.into_iter().collect(),
                    });
                }
                _ => {}
            }
        }
        for (id, (name, _)) in &a {
            if !b.contains_key(id) {
                d.removed.push(EntityChange {
                    kind,
                    id: id.clone(),
                    name: name.clone(),
                    fields: vec![],
                });
            }
        }
    }
    let (ra, rb) = (old_analysis.report(), new_analysis.report());
    let key = |f: &Finding| (f.code, f.entity.clone(), f.message.clone());
    let ka: BTreeSet<_> = ra.findings.iter().map(key).collect();
    let kb: BTreeSet<_> = rb.findings.iter().map(key).collect();
    d.findings_appeared = rb.findings.iter().filter(|f| !ka.contains(&key(f))).cloned().collect();
    d.findings_gone = ra.findings.iter().filter(|f| !kb.contains(&key(f))).cloned().collect();
    let (routes_a, routes_b) = (active_routes(old_analysis), active_routes(new_analysis));
    d.routes_gained = routes_b.difference(&routes_a).cloned().collect();
    d.routes_lost = routes_a.difference(&routes_b).cloned().collect();
    let (ma, mb) = (matrix(old_analysis), matrix(new_analysis));
    for (pair, after) in &mb {
        let before = ma.get(pair).copied().unwrap_or(Cell::Unreachable);
        if before != *after {
            d.reachability.push(ReachChange {
                from: pair.0.clone(),
                to: pair.1.clone(),
                before,
                after: *after,
            });
        }
    }
    for (pair, before) in &ma {
        if !mb.contains_key(pair) && *before != Cell::Unreachable {
            d.reachability.push(ReachChange {
                from: pair.0.clone(),
                to: pair.1.clone(),
                before: *before,
                after: Cell::Unreachable,
            });
        }
    }
    d
}

fn values(plan: &Plan, kind: Kind) -> BTreeMap<String, (String, serde_json::Value)> {
    crate::with_list!(plan, kind, |list| list
        .iter()
        .map(|e| {
            let name = if e.name().is_empty() {
                e.id().to_string()
            } else {
                e.name().to_string()
            };
            (e.id().to_string(), (name, serde_json::to_value(e).unwrap_or_default()))
        })
        .collect())
}

fn active_routes(analysis: &Analysis) -> BTreeSet<RouteChange> {
    let (ctx, routing) = (analysis.facts(), analysis.dataplane());
    let mut out = BTreeSet::new();
    for id in ctx.networks.keys() {
        for r in routing.table(id).routes.iter().filter(|r| r.inactive.is_none()) {
            out.insert(RouteChange {
                network: id.to_string(),
                route: format!("{} → {}", r.prefix, serde_json::to_string(&r.next_hop).unwrap_or_default()),
            });
        }
    }
    out
}

fn matrix(analysis: &Analysis) -> BTreeMap<(String, String), Cell> {
    let crate::core::matrix::Matrix { endpoints: eps, cells: m } = crate::core::matrix::Matrix::new(analysis.dataplane());
    let mut out = BTreeMap::new();
    for (i, row) in m.iter().enumerate() {
        for (j, d) in row.iter().enumerate() {
            if i != j {
                out.insert((eps[i].id.clone(), eps[j].id.clone()), *d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::examples;
    use crate::core::format::from_json;

    fn example(key: &str) -> Plan {
        from_json(examples::find(key).unwrap().json).unwrap()
    }

    #[test]
    fn a_plan_equals_itself() {
        let p = example("seed-003-vpn-global-network");
        assert!(diff((&p, &analyse(&p)), (&p, &analyse(&p))).is_empty());
    }

    #[test]
    fn unpublishing_an_office_route_shows_the_behaviour_it_changes() {
        let old = example("seed-003-vpn-global-network");
        let mut new = old.clone();
        new.route_entries[0].published = false;
        let d = diff((&old, &analyse(&old)), (&new, &analyse(&new)));
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].fields, vec!["published"]);
        assert!(d.findings_appeared.iter().any(|f| f.code == "CEN-VPN-001"));
        assert!(d
            .routes_lost
            .iter()
            .any(|r| r.network == "vpc-2" && r.route.starts_with("10.10.10.0/24")));
        assert!(d
            .reachability
            .iter()
            .any(|r| r.from == "vpc-2" && r.to == "vco-1" && r.after == Cell::Unreachable));
    }

    #[test]
    fn seed_004_migration_gains_the_cen_route() {
        let old = example("seed-004-peering-migration");
        let mut new = old.clone();
        new.route_entries.retain(|r| r.id != "rte-1");
        let d = diff((&old, &analyse(&old)), (&new, &analyse(&new)));
        assert_eq!(d.removed.len(), 1);
        assert!(d
            .routes_gained
            .iter()
            .any(|r| r.network == "vpc-1" && r.route.starts_with("172.16.1.0/24")));
        assert!(d.findings_gone.iter().any(|f| f.code == "CEN-PEER-001"));
    }
}
