use gongkai_format::{CellIdx, CellKind};

use super::{cell_ref, place_en, place_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(FeeInvalid {
    code: "VAL002",
    name: "fee-invalid",
    severity: Error,
    summary_zh: "金额单元格为负数",
    summary_en: "An amount cell is negative",
    explanation: r#"## fee-invalid (VAL002)

### 检查什么

金额类单元格（2021年格式：第二部分“行政事业性收费 / 本年收费金额（单位：万元）”；2019年试行格式：“政府集中采购 / 采购总金额”）不能为负数。金额可以带小数。

### 为什么

收费金额、采购金额不可能为负。负数通常是录入错误，或者把“本年增/减”一类的增减数填进了金额栏。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第二部分第二十条第（八）项“本年收费金额（单位：万元）”；《中华人民共和国政府信息公开条例》第二十条第（八）项（行政事业性收费的项目、依据、标准）。

### 示例

```text
error[VAL002]: 第二部分“行政事业性收费”行“本年收费金额（单位：万元）”列：金额为 -0.5，不能为负数
```
"#,
});

impl Rule for FeeInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        for (i, def) in report.format.cells().iter().enumerate() {
            if def.kind != CellKind::Decimal {
                continue;
            }
            let idx = CellIdx(u16::try_from(i).unwrap_or(u16::MAX));
            let Some(value) = report.at(idx) else {
                continue;
            };
            if !value.is_negative() {
                continue;
            }
            let cell = cell_ref(report, idx);
            let mut f = Finding::new(
                self,
                format!("{}：金额为 {value}，不能为负数", place_zh(def)),
                format!("{}: amount is {value}, must not be negative", place_en(def)),
            );
            f.section = Some(def.section);
            f.loc = cell.loc;
            f.found = Some(value);
            f.cells = vec![cell];
            out.push(f);
        }
    }
}
