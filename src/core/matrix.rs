//! The all-pairs reachability matrix: which endpoint reaches which (rows reach columns).

use crate::core::dataplane::DataPlane;
use crate::core::facts::Ctx;
use crate::core::reach::{endpoint, trace, Disposition, Endpoint};
use serde::Serialize;

/// The matrix of a plan: its endpoints and the forward disposition of every ordered pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Every VPC, VBR and CCN with addresses, then every office and SAG branch.
    pub endpoints: Vec<Endpoint>,
    /// `cells[i][j]`: from endpoint i to endpoint j (an endpoint reaches itself).
    pub cells: Vec<Vec<Disposition>>,
}

impl Matrix {
    /// Computes the whole matrix of a data plane.
    pub fn new(dp: &DataPlane<'_>) -> Matrix {
        let endpoints = endpoints(&dp.ctx);
        let cells = cells(dp, &endpoints);
        Matrix { endpoints, cells }
    }
}

/// The endpoints of the matrix: every VPC, VBR and CCN with addresses, then every office and SAG branch.
pub fn endpoints(ctx: &Ctx<'_>) -> Vec<Endpoint> {
    let plan = ctx.plan;
    let ids = plan
        .vpcs
        .iter()
        .map(|v| &v.id)
        .chain(plan.vbrs.iter().map(|v| &v.id))
        .chain(plan.ccns.iter().map(|c| &c.id))
        .chain(plan.ipsec_connections.iter().map(|c| &c.id))
        .chain(plan.sags.iter().map(|s| &s.id));
    ids.filter_map(|id| endpoint(ctx, id).ok()).collect()
}

/// The forward disposition of every ordered pair of `endpoints`, one trace per pair.
pub fn cells(dp: &DataPlane<'_>, endpoints: &[Endpoint]) -> Vec<Vec<Disposition>> {
    endpoints
        .iter()
        .map(|a| {
            endpoints
                .iter()
                .map(|b| {
                    if a.id == b.id {
                        Disposition::Reachable
                    } else {
                        trace(dp, a, b).disposition
                    }
                })
                .collect()
        })
        .collect()
}
