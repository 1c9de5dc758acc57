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

/// The cells (among `candidates`, the recognised ones) whose misreading alone explains
/// failing sums, with the value that would make them hold: every relation the cell is in
/// fails, all by the amount that one correction of this cell would repair, that
/// correction leaves it non-negative, and no other candidate explains the same failing
/// relation. (A sum that fails with no single culprit — a row of table 四, which is in no
/// other relation — names no cell: the checker reports it with the printed values.)
pub fn suspects(report: &Report, candidates: &[CellIdx]) -> Vec<(CellIdx, Value)> {
    let rels = relations(report);
    let res: Vec<Option<Value>> = rels.iter().map(|r| residual(report, r)).collect();
    let all = explaining(report, candidates, &rels, &res);
    all.iter()
        .filter(|(c, _)| {
            rels.iter().zip(&res).all(|(rel, r)| {
                let failing = r.is_some_and(|r| !r.0.is_zero());
                let member = |x: &CellIdx| rel.plus.contains(x) || rel.minus.contains(x);
                !failing || !member(c) || all.iter().filter(|(o, _)| member(o)).count() == 1
            })
        })
        .copied()
        .collect()
}

/// The cells of relations that hold with every cell known: their values are confirmed
/// by the table's own sums.
pub fn verified(report: &Report) -> Vec<CellIdx> {
    let mut out = Vec::new();
    for rel in relations(report) {
        if residual(report, &rel).is_some_and(|r| r.0.is_zero()) {
            out.extend(rel.plus.iter().chain(&rel.minus).copied());
        }
    }
    out.sort_unstable_by_key(|c| c.0);
    out.dedup();
    out
}

/// The doubtful values (`doubtful`: each cell with the readings the engine gave it) that
/// the table's own sums confirm, with the reading confirmed: every relation of the cell
/// whose other cells are all known implies the same value, at least one does, and that
/// value is one of the cell's readings. A confirmed cell is known for the next round (so
/// two doubtful cells of one row are settled when the column of one of them is). A value
/// is never taken from the sums alone: the engine must have read it.
pub fn confirm(report: &Report, doubtful: &[(CellIdx, Vec<Value>)]) -> Vec<(CellIdx, Value)> {
    let rels = relations(report);
    let mut known: Vec<Option<Value>> = report.cells.clone();
    for (c, _) in doubtful {
        known[c.0 as usize] = None;
    }
    let sum = |known: &[Option<Value>], cells: &[CellIdx], skip: CellIdx| -> Option<Value> {
        cells
            .iter()
            .filter(|&&x| x != skip)
            .try_fold(Value::int(0), |acc, &x| {
                known[x.0 as usize].map(|v| Value(acc.0 + v.0))
            })
    };
    let mut out = Vec::new();
    loop {
        let mut progress = false;
        for (c, readings) in doubtful {
            if known[c.0 as usize].is_some() {
                continue;
            }
            let mut implied: Option<Value> = None;
            let mut agree = true;
            for rel in &rels {
                let (plus, minus) = (sum(&known, &rel.plus, *c), sum(&known, &rel.minus, *c));
                let v = match (plus, minus) {
                    (Some(p), Some(m)) if rel.plus.contains(c) => Value(m.0 - p.0),
                    (Some(p), Some(m)) if rel.minus.contains(c) => Value(p.0 - m.0),
                    _ => continue,
                };
                if implied.is_some_and(|i| i != v) {
                    agree = false;
                    break;
                }
                implied = Some(v);
            }
            if let (true, Some(v)) = (agree, implied)
                && !v.0.is_sign_negative()
                && readings.contains(&v)
            {
                known[c.0 as usize] = Some(v);
                out.push((*c, v));
                progress = true;
            }
        }
        if !progress {
            return out;
        }
    }
}

fn explaining(
    report: &Report,
    candidates: &[CellIdx],
    rels: &[Relation],
    res: &[Option<Value>],
) -> Vec<(CellIdx, Value)> {
    let mut out = Vec::new();
    for &c in candidates {
        let Some(v) = report.at(c) else { continue };
        let mut implied: Option<Value> = None;
        let mut consistent = true;
        let mut any = false;
        for (rel, r) in rels.iter().zip(res) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_format::FormatVersion;

    /// A report whose tables 三 and 四 are all 0 (every sum holds).
    fn zeros() -> Report {
        let mut r = Report::new(FormatVersion::Revised2021);
        for (i, def) in r.format.cells().iter().enumerate() {
            if def.id.starts_with("s3.") || def.id.starts_with("s4.") {
                r.cells[i] = Some(Value::int(0));
            }
        }
        r
    }

    fn all(r: &Report) -> Vec<CellIdx> {
        (0..r.cells.len() as u16).map(CellIdx).collect()
    }

    #[test]
    fn the_one_cell_that_breaks_its_row_and_column() {
        let mut r = zeros();
        let granted = r.format.cell("s3.granted.commercial").unwrap();
        r.cells[granted.0 as usize] = Some(Value::int(8));
        assert_eq!(suspects(&r, &all(&r)), vec![(granted, Value::int(0))]);
        // Not a candidate (read with doubt already, or not recognised): nothing to name.
        assert!(suspects(&r, &[]).is_empty());
    }

    #[test]
    fn cells_of_sums_that_hold_are_verified() {
        let mut r = zeros();
        assert_eq!(verified(&r).len(), 7 * r.format.s3_rows().len() + 15);
        // One wrong value: its row and column no longer confirm it.
        let granted = r.format.cell("s3.granted.commercial").unwrap();
        r.cells[granted.0 as usize] = Some(Value::int(8));
        assert!(!verified(&r).contains(&granted));
    }

    #[test]
    fn a_doubtful_reading_the_sums_confirm() {
        let mut r = zeros();
        let cell = |r: &Report, id: &str| r.format.cell(id).unwrap();
        // The commercial column and the granted row hold 5 more than zeros: the doubtful
        // granted/commercial cell, read as 5 or 3, is 5.
        let granted = cell(&r, "s3.granted.commercial");
        for id in [
            "s3.granted.total",
            "s3.results_total.commercial",
            "s3.results_total.total",
            "s3.new_received.commercial",
            "s3.new_received.total",
        ] {
            let i = cell(&r, id);
            r.cells[i.0 as usize] = Some(Value::int(5));
        }
        r.cells[granted.0 as usize] = Some(Value::int(3));
        let five = vec![Value::int(3), Value::int(5)];
        assert_eq!(
            confirm(&r, &[(granted, five)]),
            vec![(granted, Value::int(5))]
        );
        // Not among its readings: the sums alone give no value.
        assert!(confirm(&r, &[(granted, vec![Value::int(3)])]).is_empty());
        // Two doubtful cells of one row: the other's column settles it first, then the row
        // settles this one.
        let natural = cell(&r, "s3.granted.natural_person");
        let both = [
            (granted, vec![Value::int(5)]),
            (natural, vec![Value::int(0), Value::int(6)]),
        ];
        let got = confirm(&r, &both);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.contains(&(natural, Value::int(0))));
    }

    #[test]
    fn relations_that_disagree_confirm_nothing() {
        let mut r = zeros();
        // The row says 5, the column says 0: no reading is confirmed.
        let granted = r.format.cell("s3.granted.commercial").unwrap();
        let total = r.format.cell("s3.granted.total").unwrap();
        r.cells[total.0 as usize] = Some(Value::int(5));
        let readings = vec![Value::int(0), Value::int(5)];
        assert!(confirm(&r, &[(granted, readings)]).is_empty());
    }

    #[test]
    fn sums_that_hold_or_have_no_single_culprit_name_nothing() {
        let r = zeros();
        assert!(suspects(&r, &all(&r)).is_empty());
        // A row of table 四 is in one relation only: any of its five cells could be wrong.
        let mut r = zeros();
        let upheld = r.format.cell("s4.reconsideration.upheld").unwrap();
        r.cells[upheld.0 as usize] = Some(Value::int(3));
        assert!(suspects(&r, &all(&r)).is_empty());
    }
}
