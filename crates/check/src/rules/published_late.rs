use super::known;
use crate::{Finding, Rule, RuleMeta};

rule!(PublishedLate {
    code: "DAT001",
    name: "published-late",
    severity: Error,
    summary_zh: "报告日期晚于次年1月31日（条例第四十九条）",
    summary_en: "The report is dated after 31 January of the following year (art. 49)",
    explanation: r#"## published-late (DAT001)

### 检查什么

报告印出的日期（发布日期或落款日期）晚于报告年度次年的1月31日。例如《2023年政府信息公开工作年度报告》的日期为 2024年3月1日。

### 为什么

条例要求县级以上人民政府部门在每年1月31日前公布上一年度的年度报告。日期晚于此期限，说明报告逾期公布（或者日期印错）。

注意：县级以上地方人民政府本级的年度报告由政府信息公开工作主管部门在3月31日前公布；本规则按部门的1月31日期限检查，对本级政府报告可能偏严，请结合报告主体判断。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条：县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本部门上一年度政府信息公开工作年度报告并向社会公布。2019年国办公开办函〔2019〕60号指出法定报告时限比以往提前了两个月。

### 示例

```text
error[DAT001]: 2023年度报告的日期 2024-03-01（2024年3月1日）晚于法定公布期限 2024-01-31
```
"#,
});

impl Rule for PublishedLate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let Some(year) = report.meta.year else { return };
        let deadline = format!("{:04}-01-31", year + 1);
        for d in &report.meta.dates {
            if !is_iso_date(&d.date) || d.date <= deadline {
                continue;
            }
            let mut f = Finding::new(
                self,
                format!(
                    "{year}年度报告的日期 {}（{}）晚于法定公布期限 {deadline}",
                    d.date, d.text
                ),
                format!(
                    "The {year} report is dated {} ({}), after the statutory deadline {deadline}",
                    d.date, d.text
                ),
            );
            f.loc = known(d.loc);
            out.push(f);
        }
    }
}

/// `YYYY-MM-DD` with ASCII digits.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
