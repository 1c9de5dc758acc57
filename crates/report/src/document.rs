//! The intermediate document: paragraphs and tables, as a reader found them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a piece of a document came from in its source file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Location {
    /// A text file: 1-based line and column (columns count characters, not bytes).
    Text { line: u32, column: u32 },
    /// A table of a structured document (HTML, DOCX, Markdown): 1-based table, row and
    /// column of the grid.
    Table { table: u32, row: u32, column: u32 },
    /// A PDF page (1-based) and the bounding box in points (x0, y0, x1, y1).
    Pdf { page: u32, bbox: [f32; 4] },
    /// Not from a source file (computed, e.g. by the ledger).
    None,
}

impl Location {
    /// The source line, where the location has one.
    pub fn line(&self) -> Option<u32> {
        match self {
            Location::Text { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "{line}:{column}"),
            Location::Table { table, row, column } => {
                write!(f, "table {table}, row {row}, column {column}")
            }
            Location::Pdf { page, bbox } => write!(
                f,
                "page {page} ({:.0},{:.0})-({:.0},{:.0})",
                bbox[0], bbox[1], bbox[2], bbox[3]
            ),
            Location::None => f.write_str("-"),
        }
    }
}

/// A paragraph of running text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    pub loc: Location,
}

/// One cell of a table grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    /// The cell text with internal line breaks replaced by nothing (CJK) or a space.
    pub text: String,
    pub loc: Location,
    /// Rows this cell spans (1 for an ordinary cell).
    pub row_span: u32,
    /// Columns this cell spans (1 for an ordinary cell).
    pub col_span: u32,
}

impl GridCell {
    pub fn new(text: impl Into<String>, loc: Location) -> Self {
        GridCell {
            text: text.into(),
            loc,
            row_span: 1,
            col_span: 1,
        }
    }

    /// True when the cell holds only white space.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A table: rows of cells. Rows may have different lengths (text sources do not say
/// where merged cells were); structured sources give spans.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Vec<GridCell>>,
}

/// A block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// What a reader produces from one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    /// All paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// All tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}
