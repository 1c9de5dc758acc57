use gongkai_format::{APPLICANT_COLUMNS, s3_cell};

use super::{Along, blank_note, broken, cell_ref, sum_finding};
use crate::{Finding, Rule, RuleMeta};

rule!(ColumnBalance {
    code: "TAB001",
    name: "column-balance",
    severity: Error,
    summary_zh: "第三部分每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    summary_en: "Section 3, each column: new + carried over = results total + carried forward",
    explanation: r#"## column-balance (TAB001)

### 检查什么

第三部分（收到和处理政府信息公开申请情况）表格中，每一列（自然人、五类法人或其他组织、总计）都必须满足表格角注印明的勾稽关系：

> 一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量
> = 三、本年度办理结果（七）总计 + 四、结转下年度继续办理

印为空白（或“/”等）的单元格按 0 计，消息中注明按 0 计的空白单元格个数；等式一边全部为空白时跳过该列。读取时未能确定取值的单元格（见 VAL004）不按 0 计：涉及这类单元格时不报错误，而报警告“无法核对”，列出这些单元格，并给出使等式成立所需的值。

### 为什么

本年需要办理的申请（新收加结转）要么已办结，要么结转下年度。两边不等，说明有申请被漏计或重复计数，数据不可信。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）表格中印明的勾稽关系：第一项加第二项之和，等于第三项加第四项之和；2019年试行格式（国办公开办函〔2019〕60号）相同。

### 示例

“自然人”列：新收 3、上年结转 2、（七）总计 3、结转下年度 1。3 + 2 = 5，3 + 1 = 4，相差 -1：

```text
error[TAB001]: 第三部分“自然人”列：第一项加第二项之和（5）不等于第三项加第四项之和（4），相差 -1
```
"#,
});

impl Rule for ColumnBalance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let v = report.format;
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
            let idx = [
                "new_received",
                "carried_over",
                "results_total",
                "carried_forward",
            ]
            .map(|row| s3_cell(v, row, c));
            let Some(idx) = idx.into_iter().collect::<Option<Vec<_>>>() else {
                continue;
            };
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
                &idx[..2],
                &idx[2..],
            ) else {
                continue;
            };
            let (expected, found, blanks) = (sides.lhs, sides.rhs, blank_note(&sides));
            let diff = found - expected;
            let cells: Vec<_> = idx.iter().map(|&i| cell_ref(report, i)).collect();
            let f = Finding::new(
                self,
                format!(
                    "第三部分“{}”列：第一项加第二项之和（{expected}）不等于第三项加第四项之和（{found}），相差 {diff}{}",
                    col.label, blanks.0
                ),
                format!(
                    "Section 3, column “{}”: items 1 + 2 ({expected}) ≠ items 3 + 4 ({found}), difference {diff}{}",
                    col.label, blanks.1
                ),
            );
            out.push(sum_finding(f, 3, cells, expected, found));
        }
    }
}
