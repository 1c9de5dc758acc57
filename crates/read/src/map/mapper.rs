//! The [`Mapper`]: places the rows of tables 二, 三 and 四 on the format's cells.

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellIdx, OutcomeGroup, s2_cell_at,
    s3_cell_at, s4_cell_at,
};
use gongkai_report::{
    Blank, Deviation, GridCell, GroupTotal, LabelVariant, Location, Report, Uncertain,
};

use super::labels::*;
use super::order::*;
use super::tables::*;

pub(super) struct Mapper {
    pub(super) report: Report,
}

impl Mapper {
    pub(super) fn id(&self, idx: CellIdx) -> String {
        self.report.format.def(idx).id.clone()
    }

    /// Stores one printed value in a cell.
    pub(super) fn place(&mut self, idx: CellIdx, cell: &GridCell) {
        let i = idx.0 as usize;
        self.report.provenance[i] = Some(cell.loc);
        match printed(&cell.text) {
            Printed::Number(v) => self.report.cells[i] = Some(v),
            Printed::Blank => {
                self.report.cells[i] = None;
                let id = self.id(idx);
                self.report.blanks.push(Blank {
                    cell: id,
                    raw: cell.text.trim().to_string(),
                    loc: cell.loc,
                });
            }
            Printed::Other => {
                self.report.cells[i] = None;
                let id = self.id(idx);
                self.report.uncertain.push(Uncertain {
                    cell: id,
                    reason: format!("“{}”不是数字", cell.text.trim()),
                    raw: cell.text.clone(),
                    loc: cell.loc,
                });
            }
        }
    }

    /// Marks cells uncertain (and blank).
    pub(super) fn unsure(&mut self, cells: &[CellIdx], reason: &str, raw: &str, loc: Location) {
        for &idx in cells {
            let i = idx.0 as usize;
            self.report.cells[i] = None;
            self.report.provenance[i] = (loc != Location::None).then_some(loc);
            let id = self.id(idx);
            self.report.uncertain.retain(|u| u.cell != id);
            self.report.uncertain.push(Uncertain {
                cell: id,
                reason: reason.to_string(),
                raw: raw.to_string(),
                loc,
            });
        }
    }

    // --- Section 二 ------------------------------------------------------------------

    pub(super) fn section2(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let defs = format.s2_rows();
        let mut seen = vec![false; defs.len()];
        for row in rows {
            let Some(first) = row.iter().position(|c| !c.is_empty()) else {
                continue;
            };
            let label = &row[first];
            if !is_label(&label.text) {
                continue;
            }
            let Some((r, variant)) = match_s2(format, defs, &label.text) else {
                continue;
            };
            let cells: Vec<CellIdx> = (0..defs[r].columns.len())
                .map(|c| s2_cell_at(format, r, c))
                .collect();
            if seen[r] {
                self.unsure(&cells, "此行在表中出现了两次", &row_raw(row), label.loc);
                continue;
            }
            seen[r] = true;
            if variant {
                let id = self.id(cells[0]);
                self.report.label_variants.push(LabelVariant {
                    cell: id,
                    found: label.text.trim().to_string(),
                    expected: defs[r].label.to_string(),
                    loc: label.loc,
                });
            }
            let rest = &row[first + 1..];
            let end = rest
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |e| e + 1);
            let values = if is_grid(rest) && rest.len() == cells.len() {
                rest
            } else {
                &rest[..end]
            };
            // A converter that repeats a spanned cell in every column it spans (pymupdf4llm:
            // `|行政许可|2|2|2|` under a one-value heading spanning three columns) prints the
            // one value of a one-column row several times: the same text in every field.
            let repeated = cells.len() == 1
                && values.len() > 1
                && values
                    .iter()
                    .all(|c| c.text.trim() == values[0].text.trim());
            let values: Vec<&GridCell> = if repeated {
                values[..1].iter().collect()
            } else {
                let all: Vec<&GridCell> = values.iter().collect();
                without_gaps(&all, cells.len()).unwrap_or(all)
            };
            if values.len() == cells.len() {
                for (idx, cell) in cells.iter().zip(values) {
                    self.place(*idx, cell);
                }
            } else {
                let reason = format!(
                    "此行印有 {} 个数值，格式要求 {} 个，无法确定对应的列",
                    values.len(),
                    cells.len()
                );
                self.unsure(&cells, &reason, &row_raw(row), label.loc);
            }
        }
        if !seen.contains(&true) {
            // No row of the table at all: one entry for the whole table, not one per row.
            let cells: Vec<CellIdx> = defs
                .iter()
                .enumerate()
                .flat_map(|(r, def)| (0..def.columns.len()).map(move |c| (r, c)))
                .map(|(r, c)| s2_cell_at(format, r, c))
                .collect();
            self.unsure(&cells, "没有找到第二部分的统计表", "", Location::None);
            return;
        }
        for (r, def) in defs.iter().enumerate() {
            if !seen[r] {
                let cells: Vec<CellIdx> = (0..def.columns.len())
                    .map(|c| s2_cell_at(format, r, c))
                    .collect();
                let reason = format!("第二部分的表中没有找到“{}”这一行", def.label);
                self.unsure(&cells, &reason, "", Location::None);
            }
        }
    }

    // --- Section 三 ------------------------------------------------------------------

    pub(super) fn section3(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let defs = format.s3_rows();
        let mut seen = vec![false; defs.len()];
        let mut group = OutcomeGroup::None;
        let mut pending = String::new();
        let mut data_seen = false;
        let mut unplaced: Vec<(String, Location)> = Vec::new();
        let mut aggregate: Option<(&[GridCell], Vec<&GridCell>, Location)> = None;
        let mut last: Option<usize> = None;
        let mut steps: Vec<Step> = Vec::new();
        for row in rows {
            let (label, mut values) = value_fields(row);
            if !values.is_empty() && values.len() != APPLICANT_COLUMNS.len() {
                let rest = &row[row.len() - trailing_fields(row)..];
                if is_grid(rest) && rest.len() == APPLICANT_COLUMNS.len() {
                    values = rest.iter().collect();
                }
            }
            if let Some(filled) = without_gaps(&values, APPLICANT_COLUMNS.len()) {
                values = filled;
            }
            if let Some(g) = group_of(&label) {
                group = g;
            }
            if values.is_empty() {
                if data_seen && pending.chars().count() < 200 {
                    pending.push_str(&label);
                }
                continue;
            }
            let loc = row
                .iter()
                .find(|c| !c.is_empty())
                .map_or(Location::None, |c| c.loc);
            let found = find_s3_row(format, &label, group).or_else(|| {
                (!pending.is_empty())
                    .then(|| find_s3_row(format, &format!("{pending}{label}"), group))
                    .flatten()
            });
            pending.clear();
            // A label clipped, misspelt or varied (`2.其他法律行政止公开`, `7.属于行政执法
            // 案件`): placed by its item number and position when close to the format's.
            let by_words = found.is_some();
            let found = found.or_else(|| {
                let r = by_number(format, &label, group, last)?;
                (!seen[r]).then_some(r)
            });
            let Some(r) = found else {
                if is_other_aggregate(format, &label) && aggregate.is_none() {
                    aggregate = Some((row, values, loc));
                } else {
                    steps.push(Step::Orphan(Orphan { row, values, loc }));
                }
                continue;
            };
            steps.push(Step::Placed(r));
            data_seen = true;
            let cells: Vec<CellIdx> = (0..APPLICANT_COLUMNS.len())
                .map(|c| s3_cell_at(format, r, c))
                .collect();
            if !by_words && !seen[r] {
                let printed_label = row
                    .iter()
                    .rfind(|c| is_label(&c.text))
                    .map_or_else(|| label.clone(), |c| c.text.trim().to_string());
                let id = self.id(cells[0]);
                self.report.label_variants.push(LabelVariant {
                    cell: id,
                    found: printed_label,
                    expected: defs[r].label.to_string(),
                    loc,
                });
            }
            last = Some(r);
            if seen[r] {
                self.unsure(&cells, "此行在表中出现了两次", &row_raw(row), loc);
                continue;
            }
            seen[r] = true;
            if values.len() == APPLICANT_COLUMNS.len() {
                for (idx, cell) in cells.iter().zip(values) {
                    self.place(*idx, cell);
                }
            } else {
                let reason = format!(
                    "此行印有 {} 个数值，应为 7 个（自然人、五类法人或其他组织、总计），无法确定对应的列",
                    values.len()
                );
                self.unsure(&cells, &reason, &row_raw(row), loc);
            }
        }
        // Rows whose label was lost or cut beyond recognition (converter Markdown): placed
        // by their order between recognised rows where that leaves no choice.
        for orphan in self.by_order(steps, &mut seen) {
            unplaced.push((row_raw(orphan.row), orphan.loc));
        }
        if let Some((row, values, loc)) = aggregate {
            self.other_aggregate(row, &values, loc, &mut seen);
        }
        if !seen.contains(&true) {
            // No row of the table at all: one entry for the whole table, not one per row.
            let cells: Vec<CellIdx> = (0..defs.len())
                .flat_map(|r| (0..APPLICANT_COLUMNS.len()).map(move |c| (r, c)))
                .map(|(r, c)| s3_cell_at(format, r, c))
                .collect();
            let (reason, raw, loc) = match unplaced.first() {
                Some((raw, loc)) => (
                    "没有找到第三部分的统计表；表中有无法识别的数据行",
                    raw.as_str(),
                    *loc,
                ),
                None => ("没有找到第三部分的统计表", "", Location::None),
            };
            self.unsure(&cells, reason, raw, loc);
            return;
        }
        for (r, def) in defs.iter().enumerate() {
            if seen[r] {
                continue;
            }
            let cells: Vec<CellIdx> = (0..APPLICANT_COLUMNS.len())
                .map(|c| s3_cell_at(format, r, c))
                .collect();
            let mut reason = format!("第三部分的表中没有找到“{}”这一行", def.label_path);
            let (raw, loc) = match unplaced.first() {
                Some((raw, loc)) => {
                    reason.push_str("；表中有无法识别的数据行");
                    (raw.as_str(), *loc)
                }
                None => ("", Location::None),
            };
            self.unsure(&cells, &reason, raw, loc);
        }
    }

    /// （六）其他处理 printed as one row with its own seven values, none of its items 1–3
    /// printed (common in WPS templates): each column's value is kept as a group total
    /// standing for the three item cells, which stay absent; a deviation says so. When
    /// an item row is printed as well, or the row does not hold seven values, the item
    /// rows are left to the usual handling (uncertain).
    fn other_aggregate(
        &mut self,
        row: &[GridCell],
        values: &[&GridCell],
        loc: Location,
        seen: &mut [bool],
    ) {
        let format = self.report.format;
        let items: Vec<usize> = format
            .s3_rows()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.group == OutcomeGroup::Other && d.is_outcome)
            .map(|(r, _)| r)
            .collect();
        if values.len() != APPLICANT_COLUMNS.len()
            || items.len() < 2
            || items.iter().any(|&r| seen[r])
        {
            return;
        }
        let raw = row_raw(row);
        let label = row.iter().find(|c| is_label(&c.text)).map_or_else(
            || "（六）其他处理".to_string(),
            |c| c.text.trim().to_string(),
        );
        let mut all = Vec::new();
        for (c, cell) in values.iter().enumerate() {
            let cells: Vec<CellIdx> = items.iter().map(|&r| s3_cell_at(format, r, c)).collect();
            let ids: Vec<String> = cells.iter().map(|&i| self.id(i)).collect();
            match printed(&cell.text) {
                Printed::Number(value) => {
                    for &i in &cells {
                        self.report.provenance[i.0 as usize] = Some(cell.loc);
                    }
                    self.report.group_totals.push(GroupTotal {
                        cells: ids.clone(),
                        value,
                        label: label.clone(),
                        loc: cell.loc,
                    });
                }
                Printed::Blank => {
                    for (&i, id) in cells.iter().zip(&ids) {
                        self.report.provenance[i.0 as usize] = Some(cell.loc);
                        self.report.blanks.push(Blank {
                            cell: id.clone(),
                            raw: cell.text.trim().to_string(),
                            loc: cell.loc,
                        });
                    }
                }
                Printed::Other => {
                    let reason = format!("“{}”不是数字", cell.text.trim());
                    self.unsure(&cells, &reason, &raw, cell.loc);
                }
            }
            all.extend(ids);
        }
        for &r in &items {
            seen[r] = true;
        }
        self.report.deviations.push(Deviation {
            section: 3,
            message: format!(
                "“{label}”印为一行合计，没有分列 1–{n} 项：合计数按列保留并用于核对（七）总计，{n} 个分项记为未印出",
                n = items.len()
            ),
            message_en: format!(
                "“{label}” is printed as one aggregate row without its {} items: its values are kept as group totals and used in the column sums; the items are absent",
                items.len()
            ),
            cells: all,
            raw,
            loc,
        });
    }

    // --- Section 四 ------------------------------------------------------------------

    pub(super) fn section4(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let all: Vec<CellIdx> = (0..APPEAL_GROUPS.len())
            .flat_map(|g| (0..APPEAL_COLUMNS.len()).map(move |c| (g, c)))
            .map(|(g, c)| s4_cell_at(format, g, c))
            .collect();
        if rows.is_empty() {
            self.unsure(
                &all,
                "没有找到第四部分（行政复议、行政诉讼）的统计表",
                "",
                Location::None,
            );
            return;
        }
        // Layout A (the national format): one data row of 15 values, no labels.
        // Layout B (transposed): one row per group, labelled, with 5 values.
        let mut data_rows: Vec<&[GridCell]> = Vec::new();
        let mut by_group: [Option<(&[GridCell], Vec<&GridCell>)>; 3] = [None, None, None];
        for row in rows {
            let has_number = row
                .iter()
                .any(|c| matches!(printed(&c.text), Printed::Number(_)));
            if !has_number {
                continue;
            }
            let (label, values) = value_fields(row);
            if label.is_empty() {
                data_rows.push(row);
            } else if let Some(g) = appeal_group_of(&label) {
                by_group[g] = Some((row, values));
            }
        }
        if !data_rows.is_empty() {
            let trimmed: Vec<Vec<&GridCell>> =
                data_rows.iter().map(|r| value_fields(r).1).collect();
            let raw_fields: Vec<&GridCell> = if data_rows.len() == 1 {
                let r = data_rows[0];
                let end = if is_grid(r) && r.len() == all.len() {
                    r.len()
                } else {
                    r.iter().rposition(|c| !c.is_empty()).map_or(0, |e| e + 1)
                };
                r[..end].iter().collect()
            } else {
                Vec::new()
            };
            let joined: Vec<&GridCell> = trimmed.iter().flatten().copied().collect();
            let raw = data_rows
                .iter()
                .map(|r| row_raw(r))
                .collect::<Vec<_>>()
                .join(" / ");
            let loc = data_rows[0]
                .iter()
                .find(|c| !c.is_empty())
                .map_or(Location::None, |c| c.loc);
            let appendix = if raw_fields.len() == all.len() || joined.len() == all.len() {
                None
            } else {
                [&raw_fields, &joined]
                    .into_iter()
                    .find_map(|f| s4_appendix(f).map(|what| (f.clone(), what)))
            };
            if let Some((f, what)) = appendix {
                let extra: Vec<&str> = f[all.len()..].iter().map(|c| c.text.trim()).collect();
                for (idx, cell) in all.iter().zip(&f) {
                    self.place(*idx, cell);
                }
                let ids = all.iter().map(|&i| self.id(i)).collect();
                self.report.deviations.push(Deviation {
                    section: 4,
                    message: format!(
                        "数据行印有 {} 个数值，应为 15 个；多出的 {} 个（“{}”）是{what}，已按前 15 个数值读取",
                        f.len(),
                        extra.len(),
                        extra.join(" ")
                    ),
                    message_en: format!(
                        "the data row prints {} values for 15 columns; the {} extra values are recognised and left aside, the first 15 were read",
                        f.len(),
                        extra.len()
                    ),
                    cells: ids,
                    raw: raw.clone(),
                    loc,
                });
                return;
            }
            let fields = if raw_fields.len() == all.len() {
                Some(raw_fields)
            } else if joined.len() == all.len() {
                Some(joined)
            } else {
                None
            };
            match fields {
                Some(f) => {
                    for (idx, cell) in all.iter().zip(f) {
                        self.place(*idx, cell);
                    }
                }
                None => {
                    let empty = data_rows
                        .iter()
                        .map(|r| r.iter().filter(|c| c.is_empty()).count())
                        .sum::<usize>();
                    let reason = format!(
                        "数据行印有 {} 个数值和 {} 个空白栏，应为 15 个数值，无法确定每个数值属于哪一栏",
                        data_rows
                            .iter()
                            .map(|r| r.len() - r.iter().filter(|c| c.is_empty()).count())
                            .sum::<usize>(),
                        empty
                    );
                    self.unsure(&all, &reason, &raw, loc);
                }
            }
            return;
        }
        let mut any = false;
        for (g, entry) in by_group.iter().enumerate() {
            let cells: Vec<CellIdx> = (0..APPEAL_COLUMNS.len())
                .map(|c| s4_cell_at(format, g, c))
                .collect();
            match entry {
                Some((row, values)) if values.len() == APPEAL_COLUMNS.len() => {
                    any = true;
                    for (idx, cell) in cells.iter().zip(values) {
                        self.place(*idx, cell);
                    }
                    let _ = row;
                }
                Some((row, values)) => {
                    any = true;
                    let loc = row.first().map_or(Location::None, |c| c.loc);
                    let reason = format!(
                        "此行印有 {} 个数值，应为 5 个，无法确定对应的列",
                        values.len()
                    );
                    self.unsure(&cells, &reason, &row_raw(row), loc);
                }
                None => {}
            }
        }
        if !any {
            self.unsure(&all, "第四部分的表中没有找到数据行", "", Location::None);
        } else {
            for (g, entry) in by_group.iter().enumerate() {
                if entry.is_none() {
                    let cells: Vec<CellIdx> = (0..APPEAL_COLUMNS.len())
                        .map(|c| s4_cell_at(format, g, c))
                        .collect();
                    let reason =
                        format!("第四部分的表中没有找到“{}”这一行", APPEAL_GROUPS[g].label);
                    self.unsure(&cells, &reason, "", Location::None);
                }
            }
        }
    }
}
