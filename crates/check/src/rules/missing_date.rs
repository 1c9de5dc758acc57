use crate::{Finding, Rule, RuleMeta};

rule!(MissingDate {
    code: "DAT003",
    name: "missing-date",
    severity: Warning,
    summary_zh: "报告没有发布日期或落款日期",
    summary_en: "The report prints no publication or signature date",
    explanation: r#"## missing-date (DAT003)

### 检查什么

报告中找不到单独印出的日期（标题下的发布日期或落款日期）。

### 为什么

没有日期，就无法判断报告是否在法定期限内公布（见 DAT001）。落款日期是公文的基本要素。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条：县级以上人民政府部门应当在每年1月31日前公布本部门上一年度政府信息公开工作年度报告；县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前公布本级政府上一年度年度报告。

### 示例

```text
warning[DAT003]: 报告中没有发布日期或落款日期，无法核对是否按期公布
```
"#,
});

impl Rule for MissingDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        if report.meta.dates.is_empty() {
            out.push(Finding::new(
                self,
                "报告中没有发布日期或落款日期，无法核对是否按期公布".into(),
                "The report prints no publication or signature date; timeliness cannot be checked"
                    .into(),
            ));
        }
    }
}
