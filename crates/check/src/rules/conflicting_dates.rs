use super::known;
use crate::{Finding, Rule, RuleMeta};

rule!(ConflictingDates {
    code: "DAT002",
    name: "conflicting-dates",
    severity: Warning,
    summary_zh: "报告中印有两个以上不同的日期",
    summary_en: "The report prints two or more different dates",
    explanation: r#"## conflicting-dates (DAT002)

### 检查什么

报告中印出的日期（标题下的发布日期、落款日期）互不相同，例如标题下为 2024年1月10日，落款为 2024年1月12日。

### 为什么

两个日期不一致时，无法确定报告的实际发布日期，也就无法确定是否按期公布；这通常说明报告改过稿却只改了一处日期。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条规定了年度报告的公布期限（县级以上人民政府部门为每年1月31日前），公布日期须明确。

### 示例

```text
warning[DAT002]: 报告中印有不同的日期：2024-01-10（2024年1月10日）、2024-01-12（2024年1月12日）
```
"#,
});

impl Rule for ConflictingDates {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let dates = &report.meta.dates;
        let Some(first) = dates.first() else { return };
        let Some(other) = dates.iter().find(|d| d.date != first.date) else {
            return;
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut listed = Vec::new();
        for d in dates {
            if !seen.contains(&d.date.as_str()) {
                seen.push(&d.date);
                listed.push(format!("{}（{}）", d.date, d.text));
            }
        }
        let mut f = Finding::new(
            self,
            format!("报告中印有不同的日期：{}", listed.join("、")),
            format!("The report prints different dates: {}", seen.join(", ")),
        );
        f.loc = known(other.loc).or_else(|| known(first.loc));
        out.push(f);
    }
}
