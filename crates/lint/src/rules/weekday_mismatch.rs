use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;

use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    WeekdayMismatch,
    r#"## weekday-mismatch (DATE002)

### 检查什么

日期后面注明的星期与公历不符：`2024年5月6日（星期日）`（那天是星期一）。认“星期×”
“周×”“礼拜×”，括号可有可无。

### 为什么

会议通知、公示期、办理时限中的日期和星期对不上，读者不知道以哪个为准；多半是沿用旧稿时
只改了日期。

### 法律依据

- 公历；GB/T 7408（日期表示法）。
- 《党政机关公文处理工作条例》第九条（公文要素准确）。

### 示例

```text
error[DATE002]: 2024年5月6日是星期一，不是星期日
  定于【2024年5月6日（星期日）】召开
  建议：2024年5月6日（星期一）
```
"#
);

static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[（(]?\s*(?:星期|周|礼拜)([一二三四五六日天])\s*[）)]?").expect("valid regex")
});

const NAMES: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

impl Rule for WeekdayMismatch {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "DATE002",
            "weekday-mismatch",
            Severity::Error,
            Category::DateNumber,
            "日期后注明的星期与日期不符",
            "The weekday given does not match the date",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for d in cx.dates() {
            let Some(date) = d.date() else { continue };
            let Some(c) = WEEKDAY.captures(&cx.text[d.end..]) else {
                continue;
            };
            let (Some(whole), Some(w)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let given = match w.as_str() {
                "天" => "日",
                s => s,
            };
            let actual = NAMES[date.weekday().num_days_from_monday() as usize];
            if given == actual {
                continue;
            }
            let shown = whole.as_str().trim();
            let fixed = shown.replace(w.as_str(), actual);
            let date_text = &cx.text[d.start..d.end];
            out.push(Hit {
                start: d.start,
                end: d.end + whole.end(),
                severity: Severity::Error,
                message_zh: format!("{date_text}是星期{actual}，不是星期{given}"),
                message_en: format!("{date} is a {}, not the weekday given", date.weekday()),
                suggestion: Some(format!("{date_text}{fixed}")),
            });
        }
    }
}
