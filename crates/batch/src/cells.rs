//! The cells of one report, kept compactly for the later stages of a batch.
//!
//! A [`Report`](gongkai_report::Report) holds each cell as `Option<Value>` (an exact
//! decimal, 20 bytes) next to provenance, blanks and text. A batch keeps thousands of
//! reports' cells until year-over-year pairing and roll-up, so it keeps only the values:
//! whole numbers as `i64` (8 bytes), blanks as a sentinel, and the rare non-integer (the
//! fee amount in 万元, or a wrongly printed count) exactly, in a side list.

use gongkai_format::{CellIdx, FormatVersion};
use gongkai_report::Value;

/// Marks a blank (or unreadable) cell in the dense array.
const BLANK: i64 = i64::MIN;

/// The values of every cell of a report's format, by [`CellIdx`].
#[derive(Debug, Clone, PartialEq)]
pub struct CellValues {
    format: FormatVersion,
    ints: Box<[i64]>,
    /// Cells whose value is not an `i64` (decimals, huge numbers), by index.
    exact: Vec<(u16, Value)>,
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
                Some(v) => match v.as_i64().filter(|n| *n != BLANK) {
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
        }
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
            BLANK => self
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
}
