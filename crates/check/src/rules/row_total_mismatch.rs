use gongkai_format::{APPLICANT_COLUMNS, s3_cell_at};

use super::{Along, blank_note, broken, cell_ref, sum_finding};
use crate::{Finding, Rule, RuleMeta};

rule!(RowTotalMismatch {
    code: "TAB003",
    name: "row-total-mismatch",
    severity: Error,
    summary_zh: "第三部分每行：总计列 = 六类申请人之和",
    summary_en: "Section 3, each row: total column = sum of the six applicant columns",
    explanation: r#"## row-total-mismatch (TAB003)

### 检查什么

第三部分表格中，每一行的“总计”列必须等于六类申请人（自然人，以及法人或其他组织中的商业企业、科研机构、社会公益组织、法律服务机构、其他）之和。

总计列为空、或六类申请人列全部为空时跳过；印为空白（或“/”等）的单元格按 0 计，消息中注明按 0 计的空白单元格个数。读取时未能确定取值的单元格（见 VAL004）不按 0 计：涉及这类单元格时不报错误，而报警告“无法核对”，列出这些单元格，并给出使等式成立所需的值（例如“若“（六）其他处理 / 3.其他”为 143，则本列平衡”）。

### 为什么

“总计”列是按申请人类型分列数字的合计。合计与分列不符，说明某类申请人的数字漏填或错填，或合计算错。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第三部分表格的结构：申请人情况分为自然人与法人或其他组织（五类），最后一列为总计。

### 示例

“一、本年新收政府信息公开申请数量”行：自然人 2、商业企业 1，其余为 0，总计却填 4：

```text
error[TAB003]: 第三部分“一、本年新收政府信息公开申请数量”行：总计列（4）不等于六类申请人之和（3），相差 1
```
"#,
});

impl Rule for RowTotalMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let v = report.format;
        let total_col = APPLICANT_COLUMNS.len() - 1;
        for (r, row) in v.s3_rows().iter().enumerate() {
            let total_idx = s3_cell_at(v, r, total_col);
            let parts: Vec<_> = (0..total_col).map(|c| s3_cell_at(v, r, c)).collect();
            let Some(sides) = broken(
                self,
                report,
                out,
                3,
                Along::Row,
                (
                    &format!("第三部分“{}”行", row.label),
                    &format!("Section 3, row “{}”", row.label),
                ),
                &[total_idx],
                &parts,
            ) else {
                continue;
            };
            let (found, expected, blanks) = (sides.lhs, sides.rhs, blank_note(&sides));
            let diff = found - expected;
            let mut cells = vec![cell_ref(report, total_idx)];
            cells.extend(parts.iter().map(|&i| cell_ref(report, i)));
            let f = Finding::new(
                self,
                format!(
                    "第三部分“{}”行：总计列（{found}）不等于六类申请人之和（{expected}），相差 {diff}{}",
                    row.label, blanks.0
                ),
                format!(
                    "Section 3, row “{}”: total column ({found}) ≠ sum of the six applicant columns ({expected}), difference {diff}{}",
                    row.label, blanks.1
                ),
            );
            out.push(sum_finding(f, 3, cells, expected, found));
        }
    }
}
