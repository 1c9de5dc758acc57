//! Two versions of one report compared cell by cell: a published report against the same
//! report computed again (the supervisor's view compares each agency's approved report
//! with the cells its ledger gives now).

use gongkai_format::{CellIdx, FormatVersion};
use gongkai_report::Value;
use serde::Serialize;

use crate::cells::CellValues;

/// A cell whose value differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellDifference {
    /// The cell's id, e.g. `s3.new_received.total`.
    pub id: String,
    /// The official label path, e.g. `一、本年新收政府信息公开申请数量 / 总计`.
    pub label: String,
    /// The value in the first (published) version; `None`: blank.
    pub published: Option<Value>,
    /// The value in the second (recomputed) version; `None`: blank.
    pub current: Option<Value>,
}

/// The cells of `published` whose value differs in `current`, in the format's order. A
/// blank equals 0 (the one treatment of blanks in every sum). Both must be of one format;
/// reports of two formats are compared on the cells of `published`'s format that
/// `current`'s format has too.
pub fn differences(published: &CellValues, current: &CellValues) -> Vec<CellDifference> {
    let format: FormatVersion = published.format();
    let zero = Value::int(0);
    let mut out = Vec::new();
    for (i, def) in format.cells().iter().enumerate() {
        let a = published.at(i);
        let b = current.get(&def.id);
        if a.unwrap_or(zero) != b.unwrap_or(zero) {
            out.push(CellDifference {
                id: def.id.clone(),
                label: format.def(CellIdx(i as u16)).label.clone(),
                published: a,
                current: b,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_cells_that_differ_with_blanks_as_zero() {
        let f = FormatVersion::Revised2021;
        let n = f.cells().len();
        let mut a = vec![None; n];
        let mut b = vec![None; n];
        let total = f.cell("s3.new_received.total").unwrap().0 as usize;
        let natural = f.cell("s3.new_received.natural_person").unwrap().0 as usize;
        a[total] = Some(Value::int(3));
        b[total] = Some(Value::int(4));
        a[natural] = Some(Value::int(0)); // 0 and blank are the same
        let d = differences(&CellValues::new(f, &a), &CellValues::new(f, &b));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].id, "s3.new_received.total");
        assert_eq!(d[0].published, Some(Value::int(3)));
        assert_eq!(d[0].current, Some(Value::int(4)));
        assert!(d[0].label.contains("本年新收"));
        assert!(differences(&CellValues::new(f, &a), &CellValues::new(f, &a)).is_empty());
    }
}
