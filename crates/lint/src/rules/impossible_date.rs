use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    ImpossibleDate,
    r#"## impossible-date (DATE001)

### 检查什么

不存在的日期：月份不在 1–12（`2020年13月`），或该月没有这一天（`2023年2月30日`、
`2023年4月31日`、非闰年的 2 月 29 日）。阿拉伯数字、全角数字和汉字数字
（`二〇二三年二月三十日`）都认。

### 为什么

不存在的日期多是笔误，落在发文日期、期限、公示期上会使文件失去效力或引起争议；
检查把“伪造发稿日期”等日期问题列为严重问题。

### 法律依据

- 公历日期规则；GB/T 7408（日期表示法）。
- 《党政机关公文处理工作条例》第九条：成文日期是公文的组成要素；GB/T 9704-2012 7.3.5.1。

### 示例

```text
error[DATE001]: 日期不存在：2023年没有2月30日
  于【2023年2月30日】前报送
```
"#
);

impl Rule for ImpossibleDate {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "DATE001",
            "impossible-date",
            Severity::Error,
            Category::DateNumber,
            "日期不存在（如 13 月、2 月 30 日）",
            "A date that does not exist (month 13, 30 February)",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for d in cx.dates() {
            let (zh, en) = if !(1..=12).contains(&d.month) {
                (
                    format!("日期不存在：没有{}月", d.month),
                    format!("No such date: there is no month {}", d.month),
                )
            } else if d.day.is_some() && d.date().is_none() {
                let day = d.day.unwrap_or(0);
                (
                    format!("日期不存在：{}年没有{}月{}日", d.year, d.month, day),
                    format!("No such date: {}-{:02} has no day {day}", d.year, d.month),
                )
            } else {
                continue;
            };
            out.push(Hit {
                start: d.start,
                end: d.end,
                severity: Severity::Error,
                message_zh: zh,
                message_en: en,
                suggestion: None,
            });
        }
    }
}
