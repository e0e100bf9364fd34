//! Edition and date scoping, security-group and cloud-service reminders (CEN-ED-*, CEN-SG-001, CEN-SVC-001, CEN-RMAP-*).

use super::context::Ctx;
use super::RuleMeta;
use crate::core::findings::Finding;

/// The rules this module checks.
pub(super) const RULES: &[RuleMeta] = &[];

/// Rules of this concern the plan cannot check, with the reason.
pub(super) const NOT_CHECKED: &[(&str, &str)] = &[];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let _ = (ctx, out);
}
