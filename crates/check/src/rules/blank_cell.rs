use gongkai_report::Report;

use super::{cell_ref_by_id, known, place_en, place_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(BlankCell {
    code: "VAL003",
    name: "blank-cell",
    severity: Warning,
    summary_zh: "单元格印为空白或“/”“-”“—”“无”，按空值处理",
    summary_en: "A cell is printed blank or as /, -, —, 无 and kept as null",
    explanation: r#"## blank-cell (VAL003)

### 检查什么

表格中印为空白，或印为“/”“-”“—”“无”的数据单元格。这些单元格按空值（null）保存，不当作 0。每个空白单元格报告一次。

### 为什么

空白不等于零。读者无法判断空白是“没有发生”还是“漏填”；而勾稽关系、合计检查在有空白时只能跳过或按 0 计算，结论不可靠。填 0 才能明确表示“本年度没有”。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）表格要求逐项填报；格式未规定空白的含义（见 regulations.md §1.6 “Whether an empty cell must be written as 0”：未见规定）。故本规则只给出警告。

### 示例

第二部分“规章”行“本年制发件数”印为“/”：

```text
warning[VAL003]: 第二部分“规章”行“本年制发件数”列：印为“/”，按空值处理（不计为 0）
```
"#,
});

impl Rule for BlankCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, report: &Report, out: &mut Vec<Finding>) {
        for blank in &report.blanks {
            let cell = cell_ref_by_id(report, &blank.cell);
            let def = report.format.cell(&blank.cell).map(|i| report.def(i));
            let (where_zh, where_en) = match def {
                Some(d) => (place_zh(d), place_en(d)),
                None => (
                    format!("单元格 {}", blank.cell),
                    format!("cell {}", blank.cell),
                ),
            };
            let (printed_zh, printed_en) = if blank.raw.trim().is_empty() {
                ("空白".to_string(), "blank".to_string())
            } else {
                (format!("“{}”", blank.raw), format!("“{}”", blank.raw))
            };
            let mut f = Finding::new(
                self,
                format!("{where_zh}：印为{printed_zh}，按空值处理（不计为 0）"),
                format!("{where_en}: printed as {printed_en}, kept as null (not 0)"),
            );
            f.section = def.map(|d| d.section);
            f.loc = known(blank.loc).or_else(|| cell.as_ref().and_then(|c| c.loc));
            f.cells = cell.into_iter().collect();
            out.push(f);
        }
    }
}
