//! Findings: what the analysis says about a plan, as data.
//!
//! A finding is never an `Err`: a plan with problems still loads, renders and exports, and every
//! problem is a `Finding` with its rulebook code, a message that says what is wrong, a fix, and the
//! entity and field it is about. Reports are sorted, so the same plan always gives the same output.

use super::model::{EntityRef, Kind};
use serde::{Deserialize, Deserializer, Serialize};

pub use super::rulebook::{Code, Severity};

/// One thing the analysis found (serialised as the CLI's JSON answers write it; read back when the
/// app's analysis worker sends a report to the page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rulebook code (`CEN-CIDR-005`) or plan-integrity code (`PLAN-REF-001`).
    #[serde(deserialize_with = "code")]
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, naming the entities involved.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The entity the finding is about.
    pub entity: Option<EntityRef>,
    /// The field of that entity, when one field is at fault.
    #[serde(deserialize_with = "field")]
    pub field: FieldName,
    /// Other entities involved (for example the other side of a conflict).
    pub related: Vec<EntityRef>,
    /// The fix is a step the plan cannot express (an on-premises device's routes, a console-only
    /// setting, a ticket): shown as [`OUTSIDE_PLAN`], never offered as something the app can apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outside_plan: bool,
}

/// How every view labels a fix the plan cannot express (`Finding::fix_text`).
pub const OUTSIDE_PLAN: &str = "outside the plan";

impl Finding {
    /// Starts a finding about `kind`/`id`; complete it with the builder methods.
    pub fn new(code: Code, severity: Severity, kind: Kind, id: &str, message: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            fix: String::new(),
            entity: Some(EntityRef { kind, id: id.to_string() }),
            field: None,
            related: Vec::new(),
            outside_plan: false,
        }
    }

    /// A finding about the plan as a whole.
    pub fn plan(code: Code, severity: Severity, message: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            fix: String::new(),
            entity: None,
            field: None,
            related: Vec::new(),
            outside_plan: false,
        }
    }

    /// Sets the field at fault.
    pub fn field(mut self, field: &'static str) -> Finding {
        self.field = Some(field);
        self
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }

    /// Marks the fix as a step outside the plan (see `outside_plan`).
    pub fn outside_plan(mut self) -> Finding {
        self.outside_plan = true;
        self
    }

    /// The fix as every view shows it: prefixed with "outside the plan: " when the plan cannot express it.
    pub fn fix_text(&self) -> String {
        if self.outside_plan && !self.fix.is_empty() {
            format!("{OUTSIDE_PLAN}: {}", self.fix)
        } else {
            self.fix.clone()
        }
    }

    /// Adds a related entity.
    pub fn related(mut self, kind: Kind, id: &str) -> Finding {
        self.related.push(EntityRef { kind, id: id.to_string() });
        self
    }
}

/// The field a finding is about (an alias, so serde's derive does not borrow it from the input).
pub type FieldName = Option<&'static str>;

/// The finding among `findings` with this code about this entity, or else naming it as related: the
/// finding of the rule that decided a blocked hop (`Analysis::reach`, the declared flows).
pub fn decided_by(findings: &[Finding], code: Code, entity: Option<&EntityRef>) -> Option<Finding> {
    let entity = entity?;
    let about = |f: &&Finding| f.entity.as_ref() == Some(entity);
    let naming = |f: &&Finding| f.related.contains(entity);
    let of_code = findings.iter().filter(|f| f.code == code);
    of_code.clone().find(about).or_else(|| of_code.clone().find(naming)).cloned()
}

/// All findings for a plan, sorted by severity, code, entity and message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The findings that count.
    pub findings: Vec<Finding>,
    /// Findings a reviewer waived: reported apart, never failing a check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waived: Vec<Waived>,
}

/// A waived finding and the waiver that accepts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waived {
    /// The finding.
    pub finding: Finding,
    /// The waiver's id.
    pub waiver: String,
    /// The waiver's reason.
    pub reason: String,
}

fn code<'de, D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    Code::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown rule code `{text}`")))
}

/// Field names a finding can carry that are not a form field of any kind.
const OTHER_FIELDS: &[&str] = &[
    "area_a",
    "region_b",
    "overlapping_routes",
    "health_check",
    "routing",
    "table",
    "published",
];

/// A field name read back: the same `'static` name the rules wrote (every one is a form field of some
/// kind or in `OTHER_FIELDS`); an unknown name is refused rather than leaked.
fn field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    let Some(text) = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? else {
        return Ok(None);
    };
    let specs = Kind::ALL.iter().flat_map(|&k| super::fields::specs(k)).map(|s| s.key);
    specs
        .chain(OTHER_FIELDS.iter().copied())
        .find(|k| *k == text)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown field name `{text}`")))
}

impl Report {
    /// Builds a report, sorting the findings and dropping exact duplicates.
    pub fn new(mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| {
            (a.severity, a.code.as_str(), &a.entity, a.field, &a.message).cmp(&(
                b.severity,
                b.code.as_str(),
                &b.entity,
                b.field,
                &b.message,
            ))
        });
        findings.dedup();
        Report {
            findings,
            waived: Vec::new(),
        }
    }

    /// Moves the findings that a waiver (code, entity id, waiver id, reason) accepts to `waived`.
    pub fn apply_waivers<'a>(&mut self, waivers: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str)> + Clone) {
        let mut kept = Vec::with_capacity(self.findings.len());
        for f in std::mem::take(&mut self.findings) {
            let id = f.entity.as_ref().map(|e| e.id.as_str());
            match waivers.clone().find(|(code, entity, _, _)| *code == f.code && Some(*entity) == id) {
                Some((_, _, waiver, reason)) => self.waived.push(Waived {
                    finding: f,
                    waiver: waiver.to_string(),
                    reason: reason.to_string(),
                }),
                None => kept.push(f),
            }
        }
        self.findings = kept;
    }

    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The findings about one entity.
    pub fn about<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.entity.as_ref().is_some_and(|e| e.id == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_sorts_errors_first_and_drops_duplicates() {
        let w = Finding::new(Code::CenCidr006, Severity::Warning, Kind::Vpc, "vpc-1", "w".into());
        let e = Finding::new(Code::CenCidr005, Severity::Error, Kind::Vpc, "vpc-2", "e".into());
        let r = Report::new(vec![w.clone(), e.clone(), w.clone()]);
        assert_eq!(r.findings, vec![e, w]);
        assert!(r.has_errors());
        assert_eq!(r.count(Severity::Warning), 1);
        assert_eq!(r.about("vpc-1").count(), 1);
    }
}
