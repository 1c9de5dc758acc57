use super::{cell_ref_by_id, known};
use crate::{Finding, Rule, RuleMeta};

rule!(FormatDeviation {
    code: "TAB005",
    name: "format-deviation",
    severity: Warning,
    summary_zh: "表格排列与格式不同（合计行代替分项、多印附加数值、行标签脱落），已按可确定的方式读取",
    summary_en: "A table laid out otherwise than the format, read where it is unambiguous",
    explanation: r#"## format-deviation (TAB005)

### 检查什么

表格的排列与格式不同，但读取时能够确定数值的情形：

- 第三部分“（六）其他处理”只印了一行合计，没有分列“1.申请人无正当理由逾期不补正……”“2.申请人逾期未按收费通知要求缴纳费用……”“3.其他”三项（WPS 模板中常见）。合计数按列保留，用于核对“（七）总计”（TAB002），三个分项记为未印出，不当作空白，也不当作 0；
- 第四部分的数据行多印了可识别的附加数值（以“/”开头的附加栏、重复印出的合计数），前 15 个数值自身满足勾稽关系，按前 15 个读取；
- 第三部分的数据行与行标签分离或标签残缺（PDF 转 Markdown 的工具、OCR 流程常见：标签成了表格上下的段落，或只剩“理”等残字），而数值仍按印刷顺序成行：这些行夹在两个已识别的行之间，格式在其间恰好有同样多的行、都未在别处出现，每行恰有 7 个数值，残留的标签文字也都属于所放的那一行时，按顺序放入，逐行列出。任何一个条件不满足，这些行仍记为无法确定。

### 为什么

格式规定了表格的行列。少印分项，读者就无法知道各类其他处理的数量；多印数值，读者可能把附加栏误当作数据。此类偏差不影响勾稽核对，但应按格式改正。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）规定了第三部分（六）其他处理下的三个分项，以及第四部分表格的 15 栏。

### 示例

```text
warning[TAB005]: 第三部分：“（六）其他处理”印为一行合计，没有分列 1–3 项：合计数按列保留并用于核对（七）总计，3 个分项记为未印出
warning[TAB005]: 第三部分：2 个数据行的行标签与数值分离或残缺（无标签、标签残缺“理”），按行的顺序和数值个数读作 …
```
"#,
});

impl Rule for FormatDeviation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        for d in &report.deviations {
            let mut f = Finding::new(
                self,
                format!("{}：{}", super::section_zh(d.section), d.message),
                format!("Section {}: {}", d.section, d.message_en),
            );
            let cells: Vec<_> = d
                .cells
                .iter()
                .filter_map(|id| cell_ref_by_id(report, id))
                .collect();
            f.section = Some(d.section);
            f.loc = known(d.loc).or_else(|| cells.iter().find_map(|c| c.loc));
            f.cells = cells;
            out.push(f);
        }
    }
}
