//! The two data types every part of gongkai speaks.
//!
//! * [`Document`]: what a reader saw in a file — paragraphs and tables (grids of cells
//!   with spans), each piece with its place in the source. Readers produce it; they know
//!   nothing of cell ids.
//! * [`Report`]: an annual report in the national format — metadata, the six sections, the
//!   cells by id with their provenance, and what could not be read with certainty. The
//!   mapper produces it from a Document; the ledger computes it; the checker and the
//!   writers consume it.
//!
//! Beside them, [`rule`] holds what every rule says about itself ([`RuleMeta`]), shared by
//! the checker, the batch rules and other rule families; [`spreadsheet`] the one guard
//! against formula injection that every CSV writer uses.

mod document;
mod json;
mod report;
pub mod rule;
pub mod spreadsheet;
mod value;

pub use document::{Block, Document, GridCell, Location, Paragraph, Table};
pub use report::{
    Blank, Deviation, GroupTotal, LabelVariant, Meta, PrintedDate, Report, Section, SectionNumber,
    Uncertain,
};
pub use rule::{Lang, RuleMeta, Severity};
pub use value::{Value, parse_number};
