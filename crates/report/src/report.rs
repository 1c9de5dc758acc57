//! The annual report in the national format.

use gongkai_format::{CellDef, CellIdx, FormatVersion};
use serde::{Deserialize, Serialize};

use crate::{Location, Value};

/// Section number 1..=6 (一 … 六).
pub type SectionNumber = u8;

/// A date printed in the report (the publication date under the title or the signature).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedDate {
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    /// The text as printed, e.g. `2024 年 1 月 10 日`.
    pub text: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

fn is_none_loc(l: &Location) -> bool {
    matches!(l, Location::None)
}

fn none_loc() -> Location {
    Location::None
}

/// What the report says about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The title as printed (spaces folded).
    pub title: Option<String>,
    /// The agency named in the title, e.g. `红旗区洪门镇`.
    pub agency: Option<String>,
    /// The report year named in the title.
    pub year: Option<i32>,
    /// Every stand-alone printed date, in order.
    #[serde(default)]
    pub dates: Vec<PrintedDate>,
    /// The signature line above the last date, e.g. `百泉镇人民政府`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signed_by: Option<String>,
    /// The lead-in text between the title and 一、总体情况 (often the legal basis and the
    /// statistical period), as a section numbered 0 with an empty heading.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub preamble: Option<Section>,
}

/// One of the six sections with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// 1..=6.
    pub number: SectionNumber,
    /// The heading as printed.
    pub heading: String,
    /// The running text of the section (paragraphs joined by newlines; tables excluded).
    pub text: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// A cell whose value could not be placed with certainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uncertain {
    pub cell: String,
    /// Why, in Chinese.
    pub reason: String,
    /// The raw text that was seen for this row or cell.
    pub raw: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// A cell printed blank (or as `/`, `-`, `—`, `无`): kept as null, not zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blank {
    pub cell: String,
    /// What was printed: empty, or the marker.
    pub raw: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// A row label printed in wording that differs from the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelVariant {
    /// The first cell of the row, e.g. `s2.normative_documents.issued`.
    pub cell: String,
    pub found: String,
    pub expected: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// One printed value that stands for several cells of the format: a group printed as one
/// aggregate row (WPS templates print “（六）其他处理” as one row instead of its three
/// items). The cells it covers stay null (absent, not blank, not uncertain); the sum
/// rules count the value in their place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupTotal {
    /// The cells the value stands for, e.g. the three （六） items of one column.
    pub cells: Vec<String>,
    pub value: Value,
    /// The printed row label.
    pub label: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// A table laid out otherwise than the format, read anyway: an aggregate row for a group
/// of items, extra values after a row that were recognised and left aside. The checker
/// reports each as a warning (TAB005).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deviation {
    /// Section number 2..=4.
    pub section: SectionNumber,
    /// What differs and what the reader did, in Chinese.
    pub message: String,
    /// The same in English.
    pub message_en: String,
    /// The cells concerned.
    #[serde(default)]
    pub cells: Vec<String>,
    /// The printed text of the row.
    pub raw: String,
    #[serde(skip_serializing_if = "is_none_loc", default = "none_loc")]
    pub loc: Location,
}

/// An annual report: metadata, sections and cells.
///
/// Cells are stored densely by [`CellIdx`] of the report's [`FormatVersion`]; `None` is a
/// blank (or unreadable) cell, never silently zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub format: FormatVersion,
    pub meta: Meta,
    pub sections: Vec<Section>,
    pub cells: Vec<Option<Value>>,
    pub provenance: Vec<Option<Location>>,
    pub uncertain: Vec<Uncertain>,
    pub blanks: Vec<Blank>,
    pub label_variants: Vec<LabelVariant>,
    /// Printed values standing for several cells (see [`GroupTotal`]).
    pub group_totals: Vec<GroupTotal>,
    /// Layouts that differ from the format but were read (see [`Deviation`]).
    pub deviations: Vec<Deviation>,
}

impl Report {
    /// An empty report of `format`: every cell blank.
    pub fn new(format: FormatVersion) -> Self {
        let n = format.cells().len();
        Report {
            format,
            meta: Meta::default(),
            sections: Vec::new(),
            cells: vec![None; n],
            provenance: vec![None; n],
            uncertain: Vec::new(),
            blanks: Vec::new(),
            label_variants: Vec::new(),
            group_totals: Vec::new(),
            deviations: Vec::new(),
        }
    }

    /// The value of a cell by id; `None` when blank or when the id is not in this format.
    pub fn get(&self, id: &str) -> Option<Value> {
        self.format.cell(id).and_then(|i| self.cells[i.0 as usize])
    }

    /// The value of a cell by index.
    pub fn at(&self, idx: CellIdx) -> Option<Value> {
        self.cells[idx.0 as usize]
    }

    /// Sets a cell by id. Returns false when the id is not in this format.
    pub fn set(&mut self, id: &str, value: Option<Value>) -> bool {
        match self.format.cell(id) {
            Some(i) => {
                self.cells[i.0 as usize] = value;
                true
            }
            None => false,
        }
    }

    /// Where a cell's value was read, if known.
    pub fn location(&self, idx: CellIdx) -> Option<Location> {
        self.provenance[idx.0 as usize]
    }

    /// The definition of a cell.
    pub fn def(&self, idx: CellIdx) -> &'static CellDef {
        self.format.def(idx)
    }

    /// A section by number.
    pub fn section(&self, number: SectionNumber) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }

    /// The printed group total that stands for the cell, if any.
    pub fn group_total_of(&self, id: &str) -> Option<&GroupTotal> {
        self.group_totals
            .iter()
            .find(|g| g.cells.iter().any(|c| c == id))
    }

    /// True when a cell id is listed as uncertain.
    pub fn is_uncertain(&self, id: &str) -> bool {
        self.uncertain.iter().any(|u| u.cell == id)
    }
}
