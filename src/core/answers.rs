//! The questions the app's views ask about a plan, answered from its analysis as serialisable values:
//! the app's page does not hold the analysis (it is in the analysis worker, `src/bin/worker.rs`), so
//! each view sends its question (`ask`: a kind and a JSON argument) and renders the JSON answer.
//!
//! | kind | argument | answer |
//! |---|---|---|
//! | `table` | `[network id, rows shown]` | [`Table`] of the network, or `null` when it is not a network |
//! | `reach` | `[from id, to id]` | `{"Ok": [result, [forward, back]]}` ([`explain::TraceText`]) or `{"Err": why}` |
//! | `matrix` | `[first row, first column, window]` | [`MatrixWindow`], with the R / F marks of the declared flows |
//! | `flows` | `null` | every declared flow's check in words ([`explain::FlowText`]), in plan order |
//! | `highlight` | `[from id, to id]` | the traced path to draw ([`Highlight`]) |

use crate::core::analysis::Analysis;
use crate::core::diagram::Highlight;
use crate::core::explain::{self, FlowText, TraceText};
use crate::core::matrix;
use crate::core::model::FlowRule;
use crate::core::reach;
use serde::{Deserialize, Serialize};

/// A network's route table, a page of rows at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The name of its effective CEN, if it has one.
    pub cen: Option<String>,
    /// The first rows.
    pub rows: Vec<Row>,
    /// How many routes the table has.
    pub total: usize,
}

/// One route, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Destination prefix.
    pub prefix: String,
    /// Next hop.
    pub hop: String,
    /// Where the route comes from.
    pub origin: String,
    /// Whether it is active.
    pub active: bool,
    /// `active`, or why not.
    pub status: String,
}

/// A window of the all-pairs matrix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MatrixWindow {
    /// How many endpoints the plan has.
    pub total: usize,
    /// The endpoints of the window's rows (id, and its name with the word for its kind).
    pub names: Vec<(String, matrix::Label)>,
    /// The endpoints of its columns (the rows' when the window is square).
    #[serde(default)]
    pub columns: Vec<(String, matrix::Label)>,
    /// The first row's and the first column's place among all the endpoints.
    #[serde(default)]
    pub first: (usize, usize),
    /// Row `i` reaches column `j`.
    pub cells: Vec<Vec<matrix::Cell>>,
    /// The cells of the window the declared flows speak of (either way round), in flow order.
    #[serde(default)]
    pub flows: Vec<FlowMark>,
}

/// A cell of a matrix window that a declared flow speaks of (either way round: a flow works both ways).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowMark {
    /// Row in the window (one end of the flow's pair).
    pub row: usize,
    /// Column in the window (the other end).
    pub col: usize,
    /// `R` for a required flow, `F` for a forbidden one.
    pub mark: String,
    /// The flow and its pair's state, in the core's words (`explain::flow_title`: `explain::flow_state`).
    pub words: String,
}

/// The route table of `network`, its first `shown` rows.
pub fn table(a: &Analysis, network: &str, shown: usize) -> Option<Table> {
    let ctx = a.facts();
    if !ctx.networks.contains_key(network) {
        return None;
    }
    let table = a.table(network);
    let rows = table
        .routes
        .iter()
        .take(shown)
        .map(|r| Row {
            prefix: r.prefix.to_string(),
            hop: r.next_hop.describe(ctx),
            origin: r.origin.as_str().to_string(),
            active: r.inactive.is_none(),
            status: r.inactive.as_ref().map_or_else(|| "active".to_string(), |why| why.describe(ctx)),
        })
        .collect();
    Some(Table {
        cen: table.cen.as_deref().map(|c| ctx.name(c).to_string()),
        rows,
        total: table.routes.len(),
    })
}

/// Both directions between two endpoints, in words: the pair's result and the two traces.
pub fn reach(a: &Analysis, from: &str, to: &str) -> Result<(String, Vec<TraceText>), String> {
    let ctx = a.facts();
    let r = a.reach(from, to)?;
    Ok((
        explain::result(&r).to_string(),
        vec![explain::trace(ctx, &r.forward), explain::trace(ctx, &r.back)],
    ))
}

/// The window of the matrix from the `window` endpoints from `rows` to the `window` endpoints from
/// `columns` (each cell one trace each way): square when both start at the same endpoint; apart, the
/// page of a chosen pair's source by the page of its destination.
pub fn matrix(a: &Analysis, rows: usize, columns: usize, window: usize) -> MatrixWindow {
    let ctx = a.facts();
    let eps = matrix::endpoints(ctx);
    // A start past the end (the plan shrank) shows the last page.
    let page = |start: usize| {
        let start = start.min(eps.len().saturating_sub(1) / window.max(1) * window.max(1));
        (start, &eps[start..(start + window).min(eps.len())])
    };
    let ((r0, row_eps), (c0, col_eps)) = (page(rows), page(columns));
    let flows = matrix::declared_between(row_eps, col_eps, a.flows())
        .into_iter()
        .map(|d| FlowMark {
            row: d.row,
            col: d.col,
            mark: match d.rule {
                FlowRule::Required => "R",
                FlowRule::Forbidden => "F",
            }
            .to_string(),
            words: format!("{}: {}", explain::flow_title(ctx, &d.flow), explain::flow_state(d.rule, d.state)),
        })
        .collect();
    let names = |eps: &[reach::Endpoint]| eps.iter().map(|e| e.id.clone()).zip(matrix::labels(ctx, eps)).collect::<Vec<_>>();
    let (names, columns, cells) = if r0 == c0 {
        let n = names(row_eps);
        (n.clone(), n, matrix::cells(a.dataplane(), row_eps))
    } else {
        (
            names(row_eps),
            names(col_eps),
            matrix::cells_between(a.dataplane(), row_eps, col_eps),
        )
    };
    MatrixWindow {
        total: eps.len(),
        names,
        columns,
        first: (r0, c0),
        cells,
        flows,
    }
}

/// Every declared flow's check in words (met, broken, forbidden but open, ...), with the deciding
/// direction traced, in plan order.
pub fn flows(a: &Analysis) -> Vec<FlowText> {
    let ctx = a.facts();
    a.flows().iter().map(|c| explain::flow(ctx, c)).collect()
}

/// The path from `from` to `to` to draw on the diagram (nothing when either is not an endpoint).
pub fn highlight(a: &Analysis, from: &str, to: &str) -> Highlight {
    match (a.endpoint(from), a.endpoint(to)) {
        (Ok(ea), Ok(eb)) => Highlight::for_trace(a.plan(), &reach::trace(a.dataplane(), &ea, &eb)),
        _ => Highlight::default(),
    }
}

/// Answers a question of kind `kind` with its JSON argument (see the module documentation), as JSON.
pub fn ask(a: &Analysis, kind: &str, arg: &str) -> Result<String, String> {
    let bad = |e: serde_json::Error| format!("bad question {kind}: {e}");
    let json = |v: Result<String, serde_json::Error>| v.map_err(|e| e.to_string());
    match kind {
        "table" => {
            let (network, shown): (String, usize) = serde_json::from_str(arg).map_err(bad)?;
            json(serde_json::to_string(&table(a, &network, shown)))
        }
        "reach" => {
            let (from, to): (String, String) = serde_json::from_str(arg).map_err(bad)?;
            json(serde_json::to_string(&reach(a, &from, &to)))
        }
        "matrix" => {
            let (rows, columns, window): (usize, usize, usize) = serde_json::from_str(arg).map_err(bad)?;
            json(serde_json::to_string(&matrix(a, rows, columns, window)))
        }
        "highlight" => {
            let (from, to): (String, String) = serde_json::from_str(arg).map_err(bad)?;
            json(serde_json::to_string(&highlight(a, &from, &to)))
        }
        "flows" => json(serde_json::to_string(&flows(a))),
        _ => Err(format!("unknown question {kind}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::examples;
    use crate::core::format::from_json;

    #[test]
    fn every_question_is_answered_in_json_that_reads_back() {
        let plan = from_json(examples::find("seed-003-vpn-global-network").unwrap().json).unwrap();
        let a = analyse(&plan);
        let t: Option<Table> = serde_json::from_str(&ask(&a, "table", r#"["vpc-1", 200]"#).unwrap()).unwrap();
        assert_eq!(t, table(&a, "vpc-1", 200));
        assert!(t.unwrap().total > 0);
        let r: Result<(String, Vec<TraceText>), String> =
            serde_json::from_str(&ask(&a, "reach", r#"["vpc-1", "vpc-2"]"#).unwrap()).unwrap();
        assert_eq!(r, reach(&a, "vpc-1", "vpc-2"));
        assert_eq!(r.unwrap().1.len(), 2);
        let m: MatrixWindow = serde_json::from_str(&ask(&a, "matrix", "[0, 0, 40]").unwrap()).unwrap();
        assert_eq!(m.cells.len(), m.names.len());
        assert_eq!(m, matrix(&a, 0, 0, 40));
        let h: Highlight = serde_json::from_str(&ask(&a, "highlight", r#"["vpc-1", "vpc-2"]"#).unwrap()).unwrap();
        assert!(!h.path_nodes.is_empty());
        let f: Vec<FlowText> = serde_json::from_str(&ask(&a, "flows", "null").unwrap()).unwrap();
        assert_eq!(f, flows(&a));
        assert!(ask(&a, "nonsense", "[]").is_err());
        assert!(ask(&a, "table", "{").is_err());
    }

    #[test]
    fn the_matrix_window_marks_the_declared_flows_and_the_flows_come_in_the_cores_words() {
        let plan = from_json(examples::find("hub-and-spoke-forbidden-spokes").unwrap().json).unwrap();
        let a = analyse(&plan);
        let m = matrix(&a, 0, 0, 40);
        let ctx = a.facts();
        let declared = matrix::declared(&matrix::endpoints(ctx), a.flows());
        assert!(!m.flows.is_empty());
        // Each declared pair's cell, either way round.
        for d in &declared {
            for (row, col) in [(d.row, d.col), (d.col, d.row)] {
                let mark = m.flows.iter().find(|x| (x.row, x.col) == (row, col)).unwrap();
                assert_eq!(mark.mark, if d.rule == FlowRule::Required { "R" } else { "F" });
                assert!(mark.words.starts_with(&explain::flow_title(ctx, &d.flow)), "{}", mark.words);
            }
        }
        assert_eq!(m.columns, m.names);
        let f = flows(&a);
        assert_eq!(f.len(), plan.flows.len());
        assert_eq!(f, a.flows().iter().map(|c| explain::flow(ctx, c)).collect::<Vec<_>>());
        // A window past the flows' endpoints marks nothing there.
        assert!(matrix(&a, 0, 0, 1).flows.iter().all(|x| x.row == 0 && x.col == 0));
    }

    #[test]
    fn a_matrix_window_apart_shows_the_page_of_the_rows_by_the_page_of_the_columns() {
        let plan = crate::core::generate::generate(&crate::core::generate::GenOptions::typical());
        let a = analyse(&plan);
        let whole = matrix::endpoints(a.facts());
        assert!(whole.len() > 80);
        let m = matrix(&a, 40, 0, 40);
        assert_eq!(m.first, (40, 0));
        assert_eq!(
            m.names.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            whole[40..80].iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        assert_eq!(
            m.columns.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            whole[..40].iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        assert_eq!((m.cells.len(), m.cells[0].len()), (40, 40));
        // The cells of the whole matrix for those pairs.
        let all = matrix::Matrix::new(a.dataplane());
        for (i, row) in m.cells.iter().enumerate() {
            assert_eq!(row[..], all.cells[40 + i][..40]);
        }
        // A start past the end shows the last page.
        let last = matrix(&a, 1 << 20, 0, 40);
        assert_eq!(last.first.0, (whole.len() - 1) / 40 * 40);
    }
}
