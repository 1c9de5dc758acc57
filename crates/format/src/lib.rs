//! The national annual-report format as data.
//!
//! The State Council's format (国办公开办函〔2021〕30号) fixes three statistical tables
//! with 200 data cells; the 2019 trial format (国办公开办函〔2019〕60号) differs in
//! section 二 and in the single （六）其他处理 row. Every cell has a stable id such as
//! `s3.new_received.total`; those ids are the public interface of gongkai (JSON output,
//! rules, ledger). This crate is the one place that knows them.
//!
//! The 2021 cell list is built from the row and column definitions below; a test checks it
//! against `shared/spec/template-2021-cells.tsv` cell by cell, so the code and the spec
//! cannot drift apart.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

mod defs;
pub use defs::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, AppealGroup, Column, OutcomeGroup, S3Row,
    SECTION_HEADINGS, s2_rows_2019, s2_rows_2021, s3_rows,
};

/// Which edition of the national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FormatVersion {
    /// 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 2019.
    #[serde(rename = "2019")]
    Trial2019,
    /// The revised format of 国办公开办函〔2021〕30号.
    #[serde(rename = "2021")]
    Revised2021,
}

impl FormatVersion {
    /// The cells of this edition, in table order.
    pub fn cells(self) -> &'static [CellDef] {
        catalog(self).cells.as_slice()
    }

    /// Looks up a cell by its id.
    pub fn cell(self, id: &str) -> Option<CellIdx> {
        let cat = catalog(self);
        cat.by_id
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .ok()
            .map(|i| cat.by_id[i].1)
    }

    /// The definition of the cell at `idx`.
    pub fn def(self, idx: CellIdx) -> &'static CellDef {
        &catalog(self).cells[idx.0 as usize]
    }

    /// The short name used in JSON (`"2021"` or `"2019"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FormatVersion::Trial2019 => "2019",
            FormatVersion::Revised2021 => "2021",
        }
    }

    /// Table 2 rows of this edition.
    pub fn s3_rows(self) -> &'static [S3Row] {
        s3_rows(self)
    }

    /// Section 二 rows of this edition.
    pub fn s2_rows(self) -> &'static [S2Row] {
        match self {
            FormatVersion::Trial2019 => s2_rows_2019(),
            FormatVersion::Revised2021 => s2_rows_2021(),
        }
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a cell within its format's cell list (dense, starts at 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellIdx(pub u16);

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// A number of applications, documents or decisions: a non-negative integer.
    Count,
    /// An amount (万元 or 元): a non-negative decimal.
    Decimal,
}

/// Where a cell sits in the tables, for messages and layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Section 二: row `row` of [`FormatVersion::s2_rows`], value column `col`.
    S2 { row: u8, col: u8 },
    /// Section 三: row `row` of [`FormatVersion::s3_rows`], applicant column `col` (0..7).
    S3 { row: u8, col: u8 },
    /// Section 四: group `group` (0 复议, 1 直接起诉, 2 复议后起诉), column `col` (0..5).
    S4 { group: u8, col: u8 },
}

/// One data cell of the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDef {
    /// Stable id, e.g. `s3.new_received.total`.
    pub id: String,
    /// Section number: 2, 3 or 4.
    pub section: u8,
    pub kind: CellKind,
    /// The official label path, e.g. `一、本年新收政府信息公开申请数量 / 总计`.
    pub label: String,
    /// The row label alone, e.g. `一、本年新收政府信息公开申请数量`.
    pub row_label: String,
    /// The column label alone, e.g. `总计` or `法人或其他组织 / 商业企业`.
    pub column_label: String,
    pub place: Place,
}

/// A row of the section 二 tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S2Row {
    /// Id segment, e.g. `regulations`.
    pub key: &'static str,
    /// The sub-table caption, e.g. `第二十条第（一）项`.
    pub caption: &'static str,
    /// The official row label, e.g. `规章`.
    pub label: &'static str,
    /// Value columns: (id segment, label, kind).
    pub columns: &'static [(&'static str, &'static str, CellKind)],
}

struct Catalog {
    cells: Vec<CellDef>,
    by_id: Vec<(String, CellIdx)>,
}

fn catalog(version: FormatVersion) -> &'static Catalog {
    static C2019: OnceLock<Catalog> = OnceLock::new();
    static C2021: OnceLock<Catalog> = OnceLock::new();
    let cell = match version {
        FormatVersion::Trial2019 => &C2019,
        FormatVersion::Revised2021 => &C2021,
    };
    cell.get_or_init(|| build_catalog(version))
}

fn build_catalog(version: FormatVersion) -> Catalog {
    let mut cells = Vec::new();
    for (r, row) in version.s2_rows().iter().enumerate() {
        for (c, (key, col_label, kind)) in row.columns.iter().enumerate() {
            cells.push(CellDef {
                id: format!("s2.{}.{}", row.key, key),
                section: 2,
                kind: *kind,
                label: format!("{} / {} / {}", row.caption, row.label, col_label),
                row_label: row.label.to_string(),
                column_label: (*col_label).to_string(),
                place: Place::S2 {
                    row: r as u8,
                    col: c as u8,
                },
            });
        }
    }
    for (r, row) in version.s3_rows().iter().enumerate() {
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
            cells.push(CellDef {
                id: format!("s3.{}.{}", row.key, col.key),
                section: 3,
                kind: CellKind::Count,
                label: format!("{} / {}", row.label_path, col.label),
                row_label: row.label.to_string(),
                column_label: col.label.to_string(),
                place: Place::S3 {
                    row: r as u8,
                    col: c as u8,
                },
            });
        }
    }
    for (g, group) in APPEAL_GROUPS.iter().enumerate() {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            cells.push(CellDef {
                id: format!("s4.{}.{}", group.key, col.key),
                section: 4,
                kind: CellKind::Count,
                label: format!("{} / {}", group.label, col.label),
                row_label: group.label.to_string(),
                column_label: col.label.to_string(),
                place: Place::S4 {
                    group: g as u8,
                    col: c as u8,
                },
            });
        }
    }
    let mut by_id: Vec<(String, CellIdx)> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), CellIdx(i as u16)))
        .collect();
    by_id.sort();
    Catalog { cells, by_id }
}

/// Index of the cell of table 2 at (row key, column index), if the row exists in `version`.
pub fn s3_cell(version: FormatVersion, row_key: &str, col: usize) -> Option<CellIdx> {
    let row = version.s3_rows().iter().position(|r| r.key == row_key)?;
    Some(s3_cell_at(version, row, col))
}

/// Index of the cell of table 2 at (row index, column index).
pub fn s3_cell_at(version: FormatVersion, row: usize, col: usize) -> CellIdx {
    let base = version
        .s2_rows()
        .iter()
        .map(|r| r.columns.len())
        .sum::<usize>();
    CellIdx((base + row * APPLICANT_COLUMNS.len() + col) as u16)
}

/// Index of the cell of table 3 at (group index, column index).
pub fn s4_cell_at(version: FormatVersion, group: usize, col: usize) -> CellIdx {
    let base = version
        .s2_rows()
        .iter()
        .map(|r| r.columns.len())
        .sum::<usize>()
        + version.s3_rows().len() * APPLICANT_COLUMNS.len();
    CellIdx((base + group * APPEAL_COLUMNS.len() + col) as u16)
}

/// Index of the cell of section 二 at (row index, column index).
pub fn s2_cell_at(version: FormatVersion, row: usize, col: usize) -> CellIdx {
    let base = version.s2_rows()[..row]
        .iter()
        .map(|r| r.columns.len())
        .sum::<usize>();
    CellIdx((base + col) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revised_format_has_200_cells() {
        assert_eq!(FormatVersion::Revised2021.cells().len(), 200);
    }

    #[test]
    fn trial_format_has_its_own_cells() {
        let v = FormatVersion::Trial2019;
        assert!(v.cell("s3.other_handling.total").is_some());
        assert!(v.cell("s3.other_other.total").is_none());
        assert!(v.cell("s2.procurement.amount").is_some());
        assert!(v.cell("s2.fees.amount_10k_yuan").is_none());
        // 2019: 2×3 + 2×3 + 2×3 + 2 + 2 = 22 cells in 二, 23 rows × 7 in 三, 15 in 四.
        assert_eq!(v.cells().len(), 22 + 23 * 7 + 15);
    }

    #[test]
    fn index_helpers_agree_with_ids() {
        for v in [FormatVersion::Revised2021, FormatVersion::Trial2019] {
            for (i, c) in v.cells().iter().enumerate() {
                assert_eq!(v.cell(&c.id), Some(CellIdx(i as u16)), "{}", c.id);
                let idx = match c.place {
                    Place::S2 { row, col } => s2_cell_at(v, row as usize, col as usize),
                    Place::S3 { row, col } => s3_cell_at(v, row as usize, col as usize),
                    Place::S4 { group, col } => s4_cell_at(v, group as usize, col as usize),
                };
                assert_eq!(idx, CellIdx(i as u16), "{}", c.id);
            }
        }
    }

    /// The compiled table equals the spec, line by line (id, section, kind, label).
    #[test]
    fn matches_the_spec_tsv() {
        let spec = include_str!("../data/template-2021-cells.tsv");
        let mut lines = spec.lines();
        assert_eq!(lines.next(), Some("id\tsection\tkind\tlabel"));
        let cells = FormatVersion::Revised2021.cells();
        let mut n = 0;
        for (line, cell) in lines.zip(cells) {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f[0], cell.id);
            assert_eq!(f[1], cell.section.to_string(), "{}", cell.id);
            let kind = match cell.kind {
                CellKind::Count => "count",
                CellKind::Decimal => "decimal",
            };
            assert_eq!(f[2], kind, "{}", cell.id);
            assert_eq!(f[3], cell.label, "{}", cell.id);
            n += 1;
        }
        assert_eq!(n, 200);
    }

    /// The copy inside the crate is the shared spec (when the shared folder is beside the
    /// clone, as in CI).
    #[test]
    fn embedded_spec_is_the_shared_spec() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/spec/template-2021-cells.tsv");
        if let Ok(text) = std::fs::read_to_string(&shared) {
            assert_eq!(text, include_str!("../data/template-2021-cells.tsv"));
        }
    }
}
