use gongkai_report::Report;

use crate::{Finding, Lang, Rule, Severity};

explained!(
    MissingDate,
    r#"## missing-date (DAT003)

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
"#
);

impl Rule for MissingDate {
    fn code(&self) -> &'static str {
        "DAT003"
    }

    fn name(&self) -> &'static str {
        "missing-date"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "报告没有发布日期或落款日期",
            Lang::En => "The report prints no publication or signature date",
        }
    }

    fn explanation(&self) -> &'static str {
        EXPLANATION
    }

    fn check(&self, report: &Report, out: &mut Vec<Finding>) {
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
