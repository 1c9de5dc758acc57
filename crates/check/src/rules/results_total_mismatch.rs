use gongkai_format::{APPLICANT_COLUMNS, s3_cell_at};

use super::{Along, blank_note, broken, cell_ref, sum_finding};
use crate::{Finding, Rule, RuleMeta};

rule!(ResultsTotalMismatch {
    code: "TAB002",
    name: "results-total-mismatch",
    severity: Error,
    summary_zh: "第三部分每列：（七）总计 = 各办理结果行之和",
    summary_en: "Section 3, each column: （七）总计 = sum of the outcome rows",
    explanation: r#"## results-total-mismatch (TAB002)

### 检查什么

第三部分表格中，每一列的“三、本年度办理结果 （七）总计”必须等于各办理结果行之和：（一）予以公开、（二）部分公开、（三）不予公开 1–8、（四）无法提供 1–3、（五）不予处理 1–5、（六）其他处理（2021年格式为 1–3 三行，2019年试行格式为一行）。

（七）总计为空时跳过；各结果行全部为空时跳过；印为空白（或“/”等）的单元格按 0 计，消息中注明按 0 计的空白单元格个数。读取时未能确定取值的单元格（见 VAL004）不按 0 计：涉及这类单元格时不报错误，而报警告“无法核对”，列出这些单元格，并给出使等式成立所需的值（例如“若“（六）其他处理 / 3.其他”为 143，则本列平衡”）。

### 为什么

（七）总计是各办理结果的合计。合计与明细不符，说明明细漏填、错填，或合计本身算错；第一项加第二项等于第三项加第四项的勾稽关系也会因此失去意义。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第三部分表格的结构：（七）总计行是（一）至（六）的合计；部分公开“只计这一情形，不计其他情形”，每件申请只计入一个结果行。

### 示例

“总计”列：（一）予以公开 2、（二）部分公开 1，其余为 0，（七）总计却填 4：

```text
error[TAB002]: 第三部分“总计”列：（七）总计（4）不等于各办理结果之和（3），相差 1
```
"#,
});

impl Rule for ResultsTotalMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let v = report.format;
        let rows = v.s3_rows();
        let Some(total_row) = rows.iter().position(|r| r.key == "results_total") else {
            return;
        };
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
            let total_idx = s3_cell_at(v, total_row, c);
            let parts: Vec<_> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.is_outcome)
                .map(|(r, _)| s3_cell_at(v, r, c))
                .collect();
            let Some(sides) = broken(
                self,
                report,
                out,
                3,
                Along::Column,
                (
                    &format!("第三部分“{}”列", col.label),
                    &format!("Section 3, column “{}”", col.label),
                ),
                &[total_idx],
                &parts,
            ) else {
                continue;
            };
            let (found, expected, blanks) = (sides.lhs, sides.rhs, blank_note(&sides));
            let diff = found - expected;
            let mut cells = vec![cell_ref(report, total_idx)];
            cells.extend(
                parts
                    .iter()
                    .filter(|&&i| report.at(i).is_some())
                    .map(|&i| cell_ref(report, i)),
            );
            let f = Finding::new(
                self,
                format!(
                    "第三部分“{}”列：（七）总计（{found}）不等于各办理结果之和（{expected}），相差 {diff}{}",
                    col.label, blanks.0
                ),
                format!(
                    "Section 3, column “{}”: （七）总计 ({found}) ≠ sum of the outcome rows ({expected}), difference {diff}{}",
                    col.label, blanks.1
                ),
            );
            out.push(sum_finding(f, 3, cells, expected, found));
        }
    }
}
