use super::{cell_ref_by_id, known, section_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(LabelDeviatesFromFormat {
    code: "TXT002",
    name: "label-deviates-from-format",
    severity: Warning,
    summary_zh: "表格行名与格式规定的措辞不一致",
    summary_en: "A row label differs from the wording of the format",
    explanation: r#"## label-deviates-from-format (TXT002)

### 检查什么

表格行名的措辞与格式规定不一致，例如 2021 年格式的报告仍使用 2019 年试行格式的“规范性文件”，而不是“行政规范性文件”。每处不一致报告一次。

### 为什么

行名不一致往往说明报告套用了旧模板：2019 年试行格式与 2021 年格式的栏目不同（如“本年新制作数量”改为“本年制发件数”），套用旧模板时数字很可能也填错了栏。统一行名也便于汇总和比较。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）规定了表格的行名和栏目；《中华人民共和国政府信息公开条例》第五十条规定全国政府信息公开工作主管部门制定统一的年度报告格式。

### 示例

```text
warning[TXT002]: 第二部分：行名“规范性文件”与格式规定的“行政规范性文件”不一致
```
"#,
});

impl Rule for LabelDeviatesFromFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        for lv in &report.label_variants {
            let cell = cell_ref_by_id(report, &lv.cell);
            let section = report.format.cell(&lv.cell).map(|i| report.def(i).section);
            let (zh, en) = match section {
                Some(s) => (format!("{}：", section_zh(s)), format!("Section {s}: ")),
                None => (String::new(), String::new()),
            };
            let mut f = Finding::new(
                self,
                format!("{zh}行名“{}”与格式规定的“{}”不一致", lv.found, lv.expected),
                format!(
                    "{en}row label “{}” differs from the format's “{}”",
                    lv.found, lv.expected
                ),
            );
            f.section = section;
            f.loc = known(lv.loc).or_else(|| cell.as_ref().and_then(|c| c.loc));
            f.cells = cell.into_iter().collect();
            out.push(f);
        }
    }
}
