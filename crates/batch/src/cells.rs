//! The cells of one report, kept compactly for the later stages of a batch.
//!
//! A [`Report`](gongkai_report::Report) holds each cell as `Option<Value>` (an exact
//! decimal, 20 bytes) next to provenance, blanks and text. A batch keeps thousands of
//! reports' cells until year-over-year pairing and roll-up, so it keeps only the values:
//! whole numbers as `i64` (8 bytes), blanks as a sentinel, and the rare non-integer (the
//! fee amount in 万元, or a wrongly printed count) exactly, in a side list.

use gongkai_format::{CellIdx, FormatVersion};
use gongkai_report::Value;

/// Marks a blank cell in the dense array.
const BLANK: i64 = i64::MIN;
/// Marks a cell the reader could not place (listed as uncertain, no value).
const UNREAD: i64 = i64::MIN + 1;

/// The values of every cell of a report's format, by [`CellIdx`].
#[derive(Debug, Clone, PartialEq)]
pub struct CellValues {
    format: FormatVersion,
    ints: Box<[i64]>,
    /// Cells whose value is not an `i64` (decimals, huge numbers), by index.
    exact: Vec<(u16, Value)>,
    /// Printed group totals (a group printed as one aggregate row): the cells each stands
    /// for, and its whole-number value.
    groups: Vec<(Vec<u16>, i64)>,
}

impl CellValues {
    /// Copies the values of a report's cells.
    pub fn new(format: FormatVersion, cells: &[Option<Value>]) -> Self {
        let mut exact = Vec::new();
        let ints = cells
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                None => BLANK,
                Some(v) => match v.as_i64().filter(|n| *n != BLANK && *n != UNREAD) {
                    Some(n) => n,
                    None => {
                        exact.push((i as u16, *v));
                        BLANK
                    }
                },
            })
            .collect();
        CellValues {
            format,
            ints,
            exact,
            groups: Vec::new(),
        }
    }

    /// Copies the values of a report's cells, remembering which blank cells the reader
    /// could not place ([`Report::uncertain`](gongkai_report::Report)) — they are not the
    /// report's blanks and must not be counted as 0.
    pub fn from_report(report: &gongkai_report::Report) -> Self {
        let mut c = Self::new(report.format, &report.cells);
        for u in &report.uncertain {
            if let Some(CellIdx(i)) = report.format.cell(&u.cell)
                && let Some(slot) = c.ints.get_mut(i as usize)
                && *slot == BLANK
                && !c.exact.iter().any(|(j, _)| *j == i)
            {
                *slot = UNREAD;
            }
        }
        for g in &report.group_totals {
            let cells: Option<Vec<u16>> = g
                .cells
                .iter()
                .map(|id| report.format.cell(id).map(|CellIdx(i)| i))
                .collect();
            if let (Some(cells), Some(n)) = (cells, g.value.as_i64()) {
                c.groups.push((cells, n));
            }
        }
        c
    }

    /// The printed group total that stands for exactly the cells `ids` (e.g. the 总计
    /// cells of the three （六） items printed as one row), if the report has one.
    pub fn group_total(&self, ids: &[String]) -> Option<i64> {
        let want: Option<Vec<u16>> = ids
            .iter()
            .map(|id| self.format.cell(id).map(|CellIdx(i)| i))
            .collect();
        let mut want = want?;
        want.sort_unstable();
        self.groups.iter().find_map(|(cells, n)| {
            let mut have = cells.clone();
            have.sort_unstable();
            (have == want).then_some(*n)
        })
    }

    /// True when the reader could not place the cell (it has no value and is not a blank
    /// the report printed).
    pub fn is_unread(&self, id: &str) -> bool {
        self.format
            .cell(id)
            .and_then(|CellIdx(i)| self.ints.get(i as usize))
            .is_some_and(|n| *n == UNREAD)
    }

    /// The value of a cell for a sum: printed values as they are, printed blanks as 0
    /// (the one treatment of blanks in every sum, see `gongkai_check` TAB001); `Err` for a
    /// cell the reader could not place.
    pub fn summand(&self, id: &str) -> Result<Value, Unread> {
        if self.is_unread(id) {
            Err(Unread)
        } else {
            Ok(self.get(id).unwrap_or(Value::int(0)))
        }
    }

    /// The 总计 column of a section 三 row: as printed; when printed blank, the sum of the
    /// six applicant columns if any of them is printed (blanks among them count as 0);
    /// `Ok(None)` when the whole row is blank; `Err` when a cell involved could not be read.
    pub fn s3_row_total(&self, row: &str) -> Result<Option<i64>, Unread> {
        let total = format!("s3.{row}.total");
        if self.is_unread(&total) {
            return Err(Unread);
        }
        if let Some(n) = self.int(&total) {
            return Ok(Some(n));
        }
        let mut sum = 0i64;
        let mut printed = false;
        for col in &gongkai_format::APPLICANT_COLUMNS[..6] {
            let id = format!("s3.{row}.{}", col.key);
            if self.is_unread(&id) {
                return Err(Unread);
            }
            if let Some(n) = self.int(&id) {
                sum = sum.saturating_add(n);
                printed = true;
            }
        }
        Ok(printed.then_some(sum))
    }

    /// The format the indices refer to.
    pub fn format(&self) -> FormatVersion {
        self.format
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ints.len()
    }

    /// True when the format has no cells (never for the national formats).
    pub fn is_empty(&self) -> bool {
        self.ints.is_empty()
    }

    /// The value at `idx`; `None` when blank or out of range.
    pub fn at(&self, idx: usize) -> Option<Value> {
        match *self.ints.get(idx)? {
            BLANK | UNREAD => self
                .exact
                .iter()
                .find(|(i, _)| *i as usize == idx)
                .map(|(_, v)| *v),
            n => Some(Value::int(n)),
        }
    }

    /// The value of a cell by id; `None` when blank or when the id is not in this format.
    pub fn get(&self, id: &str) -> Option<Value> {
        self.format
            .cell(id)
            .and_then(|CellIdx(i)| self.at(i as usize))
    }

    /// The value as a whole number (blank, fractional and huge values are `None`).
    pub fn int(&self, id: &str) -> Option<i64> {
        self.get(id).and_then(|v| v.as_i64())
    }

    /// Every cell as `Option<Value>`, in the format's order.
    pub fn values(&self) -> impl Iterator<Item = Option<Value>> + '_ {
        (0..self.ints.len()).map(|i| self.at(i))
    }

    /// Bytes of heap memory held, for the memory accounting of the bench and docs.
    pub fn heap_bytes(&self) -> usize {
        self.ints.len() * size_of::<i64>() + self.exact.capacity() * size_of::<(u16, Value)>()
    }
}

/// A cell the reader could not place, met in a sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread;

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_report::parse_number;

    #[test]
    fn keeps_blanks_integers_and_decimals() {
        let f = FormatVersion::Revised2021;
        let mut cells = vec![Some(Value::int(0)); f.cells().len()];
        cells[0] = None;
        cells[1] = Some(Value::int(42));
        cells[9] = parse_number("110.139");
        cells[2] = Some(Value::int(i64::MIN));
        let c = CellValues::new(f, &cells);
        assert_eq!(c.at(0), None);
        assert_eq!(c.at(1), Some(Value::int(42)));
        assert_eq!(c.at(9).map(|v| v.to_string()), Some("110.139".into()));
        assert_eq!(c.at(2), Some(Value::int(i64::MIN)));
        assert_eq!(c.at(500), None);
        assert_eq!(c.get("s2.regulations.repealed"), Some(Value::int(42)));
        assert_eq!(c.int("s2.fees.amount_10k_yuan"), None);
        assert_eq!(c.values().collect::<Vec<_>>(), cells);
    }

    #[test]
    fn unread_cells_are_not_blanks_and_row_totals_derive_from_columns() {
        let f = FormatVersion::Revised2021;
        let mut r = gongkai_report::Report::new(f);
        r.set("s3.granted.natural_person", Some(Value::int(3)));
        r.set("s3.granted.commercial", Some(Value::int(2)));
        r.set("s3.denied_state_secret.total", None);
        r.uncertain.push(gongkai_report::Uncertain {
            cell: "s3.partially_granted.natural_person".into(),
            reason: "test".into(),
            raw: String::new(),
            loc: gongkai_report::Location::None,
        });
        let c = CellValues::from_report(&r);
        assert!(c.is_unread("s3.partially_granted.natural_person"));
        assert!(!c.is_unread("s3.granted.total"));
        assert_eq!(c.get("s3.partially_granted.natural_person"), None);
        assert_eq!(c.summand("s3.granted.total"), Ok(Value::int(0)));
        assert_eq!(
            c.summand("s3.partially_granted.natural_person"),
            Err(Unread)
        );
        assert_eq!(
            c.s3_row_total("granted"),
            Ok(Some(5)),
            "blank total: from the columns"
        );
        assert_eq!(c.s3_row_total("partially_granted"), Err(Unread));
        assert_eq!(
            c.s3_row_total("denied_state_secret"),
            Ok(None),
            "nothing printed"
        );
        r.set("s3.granted.total", Some(Value::int(6)));
        let c = CellValues::from_report(&r);
        assert_eq!(
            c.s3_row_total("granted"),
            Ok(Some(6)),
            "the printed total wins"
        );
    }
}
