use gongkai_format::{APPEAL_COLUMNS, APPEAL_GROUPS, s4_cell_at};

use super::{Along, blank_note, broken, cell_ref, sum_finding};
use crate::{Finding, Rule, RuleMeta};

rule!(AppealTotalMismatch {
    code: "TAB004",
    name: "appeal-total-mismatch",
    severity: Error,
    summary_zh: "第四部分每组：总计 = 维持 + 纠正 + 其他结果 + 尚未审结",
    summary_en: "Section 4, each group: total = upheld + corrected + other + pending",
    explanation: r#"## appeal-total-mismatch (TAB004)

### 检查什么

第四部分（政府信息公开行政复议、行政诉讼情况）表格中，行政复议、未经复议直接起诉、复议后起诉三组，每组的“总计”必须等于结果维持 + 结果纠正 + 其他结果 + 尚未审结。

总计为空、或四个分项全部为空时跳过；印为空白（或“/”等）的单元格按 0 计，消息中注明按 0 计的空白单元格个数。读取时未能确定取值的单元格（见 VAL004）不按 0 计：涉及这类单元格时不报错误，而报警告“无法核对”，列出这些单元格，并给出使等式成立所需的值（例如“若“（六）其他处理 / 3.其他”为 143，则本列平衡”）。

### 为什么

每件复议或诉讼案件必定处于四种状态之一：维持、纠正、其他结果或尚未审结。总计与分项不符，说明有案件漏计或重复计数。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第四部分表格的结构；《中华人民共和国政府信息公开条例》第五十条第（三）项要求年度报告载明因政府信息公开工作被申请行政复议、提起行政诉讼的情况。

### 示例

行政复议：结果维持 1、结果纠正 1，其他为 0，总计却填 3：

```text
error[TAB004]: 第四部分“行政复议”：总计（3）不等于结果维持、结果纠正、其他结果、尚未审结之和（2），相差 1
```
"#,
});

impl Rule for AppealTotalMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let v = report.format;
        let total_col = APPEAL_COLUMNS.len() - 1;
        for (g, group) in APPEAL_GROUPS.iter().enumerate() {
            let total_idx = s4_cell_at(v, g, total_col);
            let parts: Vec<_> = (0..total_col).map(|c| s4_cell_at(v, g, c)).collect();
            let Some(sides) = broken(
                self,
                report,
                out,
                4,
                Along::Group,
                (
                    &format!("第四部分“{}”", group.label),
                    &format!("Section 4, group “{}”", group.label),
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
                    "第四部分“{}”：总计（{found}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{expected}），相差 {diff}{}",
                    group.label, blanks.0
                ),
                format!(
                    "Section 4, group “{}”: total ({found}) ≠ upheld + corrected + other + pending ({expected}), difference {diff}{}",
                    group.label, blanks.1
                ),
            );
            out.push(sum_finding(f, 4, cells, expected, found));
        }
    }
}
