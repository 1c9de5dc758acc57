use super::{cell_ref_by_id, known, place_en, place_zh, section_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(UncertainCell {
    code: "VAL004",
    name: "uncertain-cell",
    severity: Warning,
    summary_zh: "单元格的取值或位置无法确定，需人工核实",
    summary_en: "A cell's value or position could not be read with certainty",
    explanation: r#"## uncertain-cell (VAL004)

### 检查什么

读取报告时无法确定取值或位置的单元格（例如一行中的数字个数与列数不符、数字无法识别）。同一原因、同一原文的单元格（例如一整行）合并报告一次，列出所涉及的全部单元格，并说明原因和原文。

### 为什么

其他规则都以单元格取值为前提。取值不确定时，勾稽检查的结论也不确定，需要人工对照原文核实。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）规定了表格的行列结构；《中华人民共和国政府信息公开条例》第四十九条、第五十条要求公布年度报告，报告应能被公众准确读取。

### 示例

```text
warning[VAL004]: 第三部分“（一）予以公开”行“总计”列：取值不确定（该行数字个数与列数不符），原文“（一）予以公开 3 2”
```
"#,
});

impl Rule for UncertainCell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        // Cells made uncertain together (one row, one reason) make one finding.
        let mut groups: Vec<Vec<&gongkai_report::Uncertain>> = Vec::new();
        for u in &report.uncertain {
            match groups.last_mut() {
                Some(g) if g[0].reason == u.reason && g[0].raw == u.raw && g[0].loc == u.loc => {
                    g.push(u)
                }
                _ => groups.push(vec![u]),
            }
        }
        for group in groups {
            let u = group[0];
            let defs: Vec<_> = group
                .iter()
                .filter_map(|u| report.format.cell(&u.cell).map(|i| report.def(i)))
                .collect();
            let def = defs.first().copied();
            let (where_zh, where_en) = match (def, group.len()) {
                (Some(d), 1) => (place_zh(d), place_en(d)),
                (Some(d), n) if defs.iter().all(|x| x.row_label == d.row_label) => (
                    format!(
                        "{}“{}”行的 {n} 个单元格",
                        section_zh(d.section),
                        d.row_label
                    ),
                    format!(
                        "{n} cells of row “{}” in section {}",
                        d.row_label, d.section
                    ),
                ),
                (Some(d), n) => (
                    format!("{}的 {n} 个单元格", section_zh(d.section)),
                    format!("{n} cells of section {}", d.section),
                ),
                (None, _) => (format!("单元格 {}", u.cell), format!("cell {}", u.cell)),
            };
            let raw_zh = if u.raw.is_empty() {
                String::new()
            } else {
                format!("，原文“{}”", u.raw)
            };
            let raw_en = if u.raw.is_empty() {
                String::new()
            } else {
                format!(", printed “{}”", u.raw)
            };
            let mut f = Finding::new(
                self,
                format!("{where_zh}：取值不确定（{}）{raw_zh}", u.reason),
                format!("{where_en}: value uncertain ({}){raw_en}", u.reason),
            );
            let cells: Vec<_> = group
                .iter()
                .filter_map(|u| cell_ref_by_id(report, &u.cell))
                .collect();
            f.section = def.map(|d| d.section);
            f.loc = known(u.loc).or_else(|| cells.first().and_then(|c| c.loc));
            if cells.len() == 1 {
                f.found = cells[0].value;
            }
            f.cells = cells;
            out.push(f);
        }
    }
}
