//! The tables' own sums as a check on recognition: a recognised value that is the one
//! cell able to explain why its row and column do not add up is doubtful.
//!
//! The relations are those of the national format (the checker's TAB001–TAB004): in table
//! 三 each row's 总计 is the sum of the six applicant columns, each column's （七）总计 is
//! the sum of the outcome rows, and 本年新收 + 上年结转 = （七）总计 + 结转下年度; in table
//! 四 each group's 总计 is the sum of its four results.

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellIdx, s3_cell_at, s4_cell_at,
};
use gongkai_report::{Report, Value};

/// A relation: Σ plus − Σ minus = 0.
struct Relation {
    plus: Vec<CellIdx>,
    minus: Vec<CellIdx>,
}

fn relations(report: &Report) -> Vec<Relation> {
    let f = report.format;
    let rows = f.s3_rows();
    let mut out = Vec::new();
    let total_col = APPLICANT_COLUMNS.len() - 1;
    for r in 0..rows.len() {
        out.push(Relation {
            plus: (0..total_col).map(|c| s3_cell_at(f, r, c)).collect(),
            minus: vec![s3_cell_at(f, r, total_col)],
        });
    }
    let row = |key: &str| rows.iter().position(|r| r.key == key);
    for c in 0..APPLICANT_COLUMNS.len() {
        if let Some(t) = row("results_total") {
            out.push(Relation {
                plus: (0..rows.len())
                    .filter(|&r| rows[r].is_outcome)
                    .map(|r| s3_cell_at(f, r, c))
                    .collect(),
                minus: vec![s3_cell_at(f, t, c)],
            });
            if let (Some(n), Some(o), Some(fw)) = (
                row("new_received"),
                row("carried_over"),
                row("carried_forward"),
            ) {
                out.push(Relation {
                    plus: vec![s3_cell_at(f, n, c), s3_cell_at(f, o, c)],
                    minus: vec![s3_cell_at(f, t, c), s3_cell_at(f, fw, c)],
                });
            }
        }
    }
    let total = APPEAL_COLUMNS.len() - 1;
    for g in 0..APPEAL_GROUPS.len() {
        out.push(Relation {
            plus: (0..total).map(|c| s4_cell_at(f, g, c)).collect(),
            minus: vec![s4_cell_at(f, g, total)],
        });
    }
    out
}

/// The residual of a relation (Σ plus − Σ minus), when every cell has a value.
fn residual(report: &Report, rel: &Relation) -> Option<Value> {
    let sum = |cells: &[CellIdx]| -> Option<Value> {
        cells.iter().try_fold(Value::int(0), |acc, &c| {
            report.at(c).map(|v| Value(acc.0 + v.0))
        })
    };
    Some(Value(sum(&rel.plus)?.0 - sum(&rel.minus)?.0))
}

/// The cells (among `candidates`, the recognised ones) whose misreading alone would
/// explain the failing sums: every relation they are in fails, all by the amount that
/// one correction of this cell would repair, and that correction leaves it non-negative.
pub fn suspects(report: &Report, candidates: &[CellIdx]) -> Vec<(CellIdx, Value)> {
    let rels = relations(report);
    let res: Vec<Option<Value>> = rels.iter().map(|r| residual(report, r)).collect();
    let mut out = Vec::new();
    for &c in candidates {
        let Some(v) = report.at(c) else { continue };
        let mut implied: Option<Value> = None;
        let mut consistent = true;
        let mut any = false;
        for (rel, r) in rels.iter().zip(&res) {
            // The correction δ (true = read + δ) that makes this relation hold.
            let delta = if rel.plus.contains(&c) {
                r.map(|r| Value(-r.0))
            } else if rel.minus.contains(&c) {
                *r
            } else {
                continue;
            };
            let Some(d) = delta else { continue };
            any = true;
            if d.0.is_zero() || implied.is_some_and(|i| i != d) {
                consistent = false;
                break;
            }
            implied = Some(d);
        }
        if let (true, true, Some(d)) = (any, consistent, implied)
            && !(v.0 + d.0).is_sign_negative()
        {
            out.push((c, Value(v.0 + d.0)));
        }
    }
    out
}
