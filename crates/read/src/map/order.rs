//! Rows of table 三 placed by their order: PDF→Markdown converters (markitdown through
//! pdfminer, OCR pipelines) detach a label from its value row — the label becomes a
//! paragraph above or below the table piece, or is cut to a fragment (`理`,
//! `不补正、行政机关不再处`) — while the values stay in their row, in the printed order.
//!
//! A run of such rows, each with the seven values of the format, that sits between two
//! recognised rows (or before the first or after the last one) is placed when the format has exactly as many
//! rows between them, none of them found elsewhere, and what is left of each label is a
//! fragment of the row it is placed on (every character of it in that row's label or in
//! `三、本年度办理结果`; no label at all counts as a fragment): the order of the national
//! format leaves no choice. A label that names something else (`2.某某某某`) keeps its
//! row uncertain. A deviation (TAB005) lists what was placed so. Any
//! other run — more or fewer rows than the gap, rows found out of order, a row with
//! another number of values — stays uncertain, as before.

use gongkai_format::{APPLICANT_COLUMNS, CellIdx, FormatVersion, s3_cell_at};
use gongkai_report::{Deviation, GridCell, Location};

use super::mapper::Mapper;
use super::tables::*;
use crate::norm::norm;

/// A data row of table 三 whose label named no row.
pub(super) struct Orphan<'a> {
    pub(super) row: &'a [GridCell],
    pub(super) values: Vec<&'a GridCell>,
    pub(super) loc: Location,
}

/// The data rows of table 三 in printed order: recognised (the format's row) or not.
pub(super) enum Step<'a> {
    Placed(usize),
    Orphan(Orphan<'a>),
}

impl Mapper {
    /// Places the runs of orphan rows that their order settles; returns the others.
    pub(super) fn by_order<'a>(
        &mut self,
        steps: Vec<Step<'a>>,
        seen: &mut [bool],
    ) -> Vec<Orphan<'a>> {
        let format = self.report.format;
        let defs = format.s3_rows();
        let mut left = Vec::new();
        let mut prev: Option<usize> = None;
        let mut run: Vec<Orphan<'a>> = Vec::new();
        let mut steps = steps.into_iter();
        loop {
            let step = steps.next();
            match step {
                Some(Step::Orphan(o)) => {
                    run.push(o);
                    continue;
                }
                Some(Step::Placed(r)) => {
                    if !run.is_empty() {
                        let from = prev.map_or(0, |p| p + 1);
                        self.place_run(std::mem::take(&mut run), from, r, seen, &mut left);
                    }
                    prev = Some(r);
                }
                None => {
                    if !run.is_empty() {
                        match prev {
                            Some(p) => self.place_run(run, p + 1, defs.len(), seen, &mut left),
                            None => left.extend(run),
                        }
                    }
                    break;
                }
            }
        }
        left
    }

    /// Places `run` on the format's rows `from..to` when they match one for one.
    fn place_run<'a>(
        &mut self,
        run: Vec<Orphan<'a>>,
        from: usize,
        to: usize,
        seen: &mut [bool],
        left: &mut Vec<Orphan<'a>>,
    ) {
        let format = self.report.format;
        let defs = format.s3_rows();
        let fits = from <= to
            && to - from == run.len()
            && (from..to).all(|r| !seen[r])
            && run
                .iter()
                .all(|o| o.values.len() == APPLICANT_COLUMNS.len())
            && run
                .iter()
                .zip(from..to)
                .all(|(o, r)| fragment_of(&value_fields(o.row).0, r, format));
        if !fits {
            left.extend(run);
            return;
        }
        let mut ids = Vec::new();
        let mut printed = Vec::new();
        let mut named = Vec::new();
        for (r, o) in (from..to).zip(&run) {
            seen[r] = true;
            let cells: Vec<CellIdx> = (0..APPLICANT_COLUMNS.len())
                .map(|c| s3_cell_at(format, r, c))
                .collect();
            for (idx, cell) in cells.iter().zip(&o.values) {
                self.place(*idx, cell);
            }
            ids.extend(cells.iter().map(|&i| self.id(i)));
            printed.push(row_raw(o.row));
            named.push(format!("“{}”", defs[r].label));
        }
        let label = |o: &Orphan| {
            let (l, _) = value_fields(o.row);
            if l.is_empty() {
                "无标签".to_string()
            } else {
                format!("标签残缺“{l}”")
            }
        };
        let how: Vec<String> = run.iter().map(label).collect();
        self.report.deviations.push(Deviation {
            section: 3,
            message: format!(
                "{} 个数据行的行标签与数值分离或残缺（{}），按行的顺序和数值个数读作 {}",
                run.len(),
                how.join("、"),
                named.join("、")
            ),
            message_en: format!(
                "{} data rows lost their labels (detached or cut by a converter); read by their order and value count as the format's rows {}–{}",
                run.len(),
                from + 1,
                to
            ),
            cells: ids,
            raw: printed.join(" / "),
            loc: run[0].loc,
        });
    }
}

/// True when every ideograph of `label` (a normalised printed label) occurs in the label
/// of row `r` or in the group label `三、本年度办理结果` that spans the outcome rows.
fn fragment_of(label: &str, r: usize, format: FormatVersion) -> bool {
    let def = &format.s3_rows()[r];
    let official = format!("{}{}本年度办理结果", norm(def.label_path), norm(def.label));
    label
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .all(|c| official.contains(c))
}
