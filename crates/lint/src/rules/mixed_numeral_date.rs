use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    MixedNumeralDate,
    r#"## mixed-numeral-date (DATE004)

### 检查什么

同一个日期里混用阿拉伯数字、全角数字和汉字数字：`2023年五月6日`、`二〇二三年5月6日`、
`２０２３年5月`。

### 为什么

GB/T 15835 要求同一场合的数字形式一致；公文成文日期用阿拉伯数字（GB/T 9704-2012），
混用通常是修改时只改了一部分。

### 法律依据

- GB/T 15835-2011《出版物上数字用法》（数字形式的选用与一致，SECONDARY）。
- GB/T 9704-2012 7.3.5.1：成文日期用阿拉伯数字将年、月、日标全。

### 示例

```text
warning[DATE004]: 同一日期中混用了不同的数字形式
  【2023年五月6日】
  建议：2023年5月6日
```
"#
);

impl Rule for MixedNumeralDate {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "DATE004",
            "mixed-numeral-date",
            Severity::Warning,
            Category::DateNumber,
            "同一日期中混用阿拉伯数字与汉字数字",
            "Arabic and Chinese numerals mixed in one date",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for d in cx.dates() {
            if !d.mixed_styles() || !(1..=12).contains(&d.month) {
                continue;
            }
            let suggestion = match d.day {
                Some(day) => format!("{}年{}月{}日", d.year, d.month, day),
                None => format!("{}年{}月", d.year, d.month),
            };
            out.push(Hit {
                start: d.start,
                end: d.end,
                severity: Severity::Warning,
                message_zh: "同一日期中混用了不同的数字形式".into(),
                message_en: "Different numeral styles in one date".into(),
                suggestion: Some(suggestion),
            });
        }
    }
}
