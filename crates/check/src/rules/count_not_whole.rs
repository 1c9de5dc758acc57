use gongkai_format::{CellIdx, CellKind};

use super::{cell_ref, place_en, place_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(CountNotWhole {
    code: "VAL001",
    name: "count-not-whole",
    severity: Error,
    summary_zh: "计数单元格为负数或带小数",
    summary_en: "A count cell is negative or has a fraction",
    explanation: r#"## count-not-whole (VAL001)

### 检查什么

所有计数类单元格（件数、决定数量、申请数量、案件数量）必须是非负整数：不能为负数，不能带小数。

### 为什么

件数只能是 0、1、2……。负数或小数几乎总是录入错误（多敲了小数点、负号），或者把金额填进了件数栏。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）各表格的计数栏（“本年制发件数”“本年处理决定数量”“申请数量”等）均以件、个为单位；填报实践中计数为非负整数。

### 示例

```text
error[VAL001]: 第三部分“（一）予以公开”行“总计”列：计数为 1.5，应为非负整数
```
"#,
});

impl Rule for CountNotWhole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        for (i, def) in report.format.cells().iter().enumerate() {
            if def.kind != CellKind::Count {
                continue;
            }
            let idx = CellIdx(u16::try_from(i).unwrap_or(u16::MAX));
            let Some(value) = report.at(idx) else {
                continue;
            };
            if value.is_integer() && !value.is_negative() {
                continue;
            }
            let cell = cell_ref(report, idx);
            let mut f = Finding::new(
                self,
                format!("{}：计数为 {value}，应为非负整数", place_zh(def)),
                format!(
                    "{}: count is {value}, expected a non-negative whole number",
                    place_en(def)
                ),
            );
            f.section = Some(def.section);
            f.loc = cell.loc;
            f.found = Some(value);
            f.cells = vec![cell];
            out.push(f);
        }
    }
}
