use gongkai_format::CellDef;
use gongkai_report::{Blank, Report};

use super::{cell_ref_by_id, known, place_en, place_zh, section_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(BlankCell {
    code: "VAL003",
    name: "blank-cell",
    severity: Warning,
    summary_zh: "单元格印为空白或“/”“-”“—”“无”，按空值处理",
    summary_en: "A cell is printed blank or as /, -, —, 无 and kept as null",
    explanation: r#"## blank-cell (VAL003)

### 检查什么

表格中印为空白，或印为“/”“-”“—”“无”的数据单元格。这些单元格按空值（null）保存；在合计、勾稽关系（TAB001–TAB004）、跨年度比较和批量统计中一律按 0 计（报告自己印为空白，即声明没有数字），消息中注明。同一行的空白单元格合并报告一次；相邻几行在相同的列上都为空白（例如五类“法人或其他组织”列整块空白）时，合并为一条，列出全部单元格。

### 为什么

空白不等于零。读者无法判断空白是“没有发生”还是“漏填”；而勾稽关系、合计检查在有空白时只能跳过或按 0 计算，结论不可靠。填 0 才能明确表示“本年度没有”。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）表格要求逐项填报；格式未规定空白的含义（见 regulations.md §1.6 “Whether an empty cell must be written as 0”：未见规定）。故本规则只给出警告。

### 示例

第二部分“规章”行三个数字都印为“/”：

```text
warning[VAL003]: 第二部分“规章”行的 3 个单元格（“本年制发件数”“本年废止件数”“现行有效件数”列）：印为“/”，按空值保存，合计时按 0 计
```
"#,
});

impl Rule for BlankCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        for block in blocks(report) {
            out.push(self.finding(report, &block));
        }
    }
}

/// Blank cells reported together: one row, or consecutive rows blank in the same columns.
struct Block<'a> {
    blanks: Vec<&'a Blank>,
    defs: Vec<&'static CellDef>,
    /// The row labels, in order, without repeats.
    rows: Vec<&'static str>,
}

/// Groups the report's blanks (in reading order) into rows, then merges consecutive rows
/// of one section that are blank in the same columns into a block. A blank whose cell is
/// not in the format stays alone.
fn blocks(report: &Report) -> Vec<Block<'_>> {
    let mut rows: Vec<Block> = Vec::new();
    for blank in &report.blanks {
        let def = report.format.cell(&blank.cell).map(|i| report.def(i));
        match (rows.last_mut(), def) {
            (Some(b), Some(d))
                if b.defs.len() == b.blanks.len()
                    && b.defs[0].section == d.section
                    && b.defs[0].row_label == d.row_label =>
            {
                b.blanks.push(blank);
                b.defs.push(d);
            }
            _ => rows.push(Block {
                blanks: vec![blank],
                defs: def.into_iter().collect(),
                rows: def.map(|d| d.row_label.as_str()).into_iter().collect(),
            }),
        }
    }
    let columns = |b: &Block| -> Vec<&str> {
        b.defs[..b.defs.len() / b.rows.len().max(1)]
            .iter()
            .map(|d| d.column_label.as_str())
            .collect()
    };
    let mut out: Vec<Block> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some(b)
                if !b.defs.is_empty()
                    && !row.defs.is_empty()
                    && b.defs.len() == b.blanks.len()
                    && row.defs.len() == row.blanks.len()
                    && b.defs[0].section == row.defs[0].section
                    && columns(b) == columns(&row) =>
            {
                b.blanks.extend(row.blanks);
                b.defs.extend(row.defs);
                b.rows.extend(row.rows);
            }
            _ => out.push(row),
        }
    }
    out
}

impl BlankCell {
    fn finding(&self, report: &Report, b: &Block) -> Finding {
        let first = b.blanks[0];
        let raws: Vec<&str> = b.blanks.iter().map(|x| x.raw.trim()).collect();
        let (printed_zh, printed_en) = if raws.iter().all(|r| r.is_empty()) {
            ("空白".to_string(), "blank".to_string())
        } else if raws.iter().all(|r| *r == raws[0]) {
            (format!("“{}”", raws[0]), format!("“{}”", raws[0]))
        } else {
            let mut marks: Vec<&str> = raws.iter().copied().filter(|r| !r.is_empty()).collect();
            marks.dedup();
            let list = marks
                .iter()
                .map(|m| format!("“{m}”"))
                .collect::<Vec<_>>()
                .join("");
            (format!("空白或{list}"), format!("blank or {list}"))
        };
        let n = b.blanks.len();
        let (where_zh, where_en) = match (b.defs.first(), n, b.rows.len()) {
            (Some(d), 1, _) => (place_zh(d), place_en(d)),
            (Some(d), _, 1) => {
                let cols = quoted(b.defs.iter().map(|d| d.column_label.as_str()));
                (
                    format!(
                        "{}“{}”行的 {n} 个单元格（{cols}列）",
                        section_zh(d.section),
                        d.row_label
                    ),
                    format!(
                        "{n} cells of row “{}” in section {}",
                        d.row_label, d.section
                    ),
                )
            }
            (Some(d), _, k) => {
                let per_row = n / k;
                let cols = quoted(b.defs[..per_row].iter().map(|d| d.column_label.as_str()));
                (
                    format!(
                        "{}“{}”至“{}”共 {k} 行的{cols}列（{n} 个单元格）",
                        section_zh(d.section),
                        b.rows[0],
                        b.rows[k - 1]
                    ),
                    format!(
                        "{n} cells in {k} rows (“{}” to “{}”) of section {}, columns {}",
                        b.rows[0],
                        b.rows[k - 1],
                        d.section,
                        b.defs[..per_row]
                            .iter()
                            .map(|d| d.column_label.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
            (None, _, _) => (
                format!("单元格 {}", first.cell),
                format!("cell {}", first.cell),
            ),
        };
        let mut f = Finding::new(
            self,
            format!("{where_zh}：印为{printed_zh}，按空值保存，合计时按 0 计"),
            format!("{where_en}: printed as {printed_en}, kept as null and counted as 0 in sums"),
        );
        let cells: Vec<_> = b
            .blanks
            .iter()
            .filter_map(|x| cell_ref_by_id(report, &x.cell))
            .collect();
        f.section = b.defs.first().map(|d| d.section);
        f.loc = known(first.loc).or_else(|| cells.first().and_then(|c| c.loc));
        f.cells = cells;
        f
    }
}

/// `“a”“b”“c”`.
fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.map(|s| format!("“{s}”")).collect()
}
