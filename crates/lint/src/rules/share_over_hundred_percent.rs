use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{Cx, Hit, Rule, info};
use crate::text::Marks;
use crate::{Category, RuleInfo, Severity};

explained!(
    ShareOverHundredPercent,
    r#"## share-over-hundred-percent (DATE003)

### 检查什么

表示“部分占整体”的百分比超过 100%：`占比105%`、`公开率达120%`、`满意度101%`。只在
百分数前 10 个字以内有“占”“占比”“比例”“比重”“覆盖率”“公开率”“满意率”“满意度”“知晓率”
“答复率”“办结率”“按时办结率”时检查；中间出现“提高”“增长”“增加”“下降”“较”“同比”“环比”
“倍”时不报（那是变化幅度，可以超过 100%）。完成率、增长率不检查（可以超过 100%）。

### 为什么

份额超过 100% 一定是算错或写错，年度报告和工作总结中的统计数字会被逐项核对。

### 法律依据

- GB/T 15835-2011《出版物上数字用法》（统计数字的书写）；百分数的算术定义。

### 示例

```text
warning[DATE003]: 表示占比的百分数超过 100%
  主动公开率达【120%】
```
"#
);

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]+(?:\.[0-9]+)?)\s*[%％]").expect("valid regex"));

const SHARE_WORDS: [&str; 12] = [
    "占比",
    "占",
    "比例",
    "比重",
    "覆盖率",
    "公开率",
    "满意率",
    "满意度",
    "知晓率",
    "答复率",
    "办结率",
    "参与率",
];

const CHANGE_WORDS: [&str; 10] = [
    "提高", "提升", "增长", "增加", "上升", "下降", "减少", "较", "同比", "环比",
];

impl Rule for ShareOverHundredPercent {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "DATE003",
            "share-over-hundred-percent",
            Severity::Warning,
            Category::DateNumber,
            "表示占比的百分数超过 100%",
            "A percentage over 100 % where a share is meant",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        if !cx.marks.has(Marks::PERCENT) {
            return;
        }
        for c in PERCENT.captures_iter(cx.text) {
            let (Some(whole), Some(num)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if num.as_str().parse::<f64>().is_ok_and(|v| v <= 100.0)
                || cx.text[..whole.start()].ends_with(['.', '-', '+'])
            {
                continue;
            }
            let window: String = {
                let mut v: Vec<char> = cx.text[..whole.start()].chars().rev().take(10).collect();
                v.reverse();
                v.into_iter().collect()
            };
            let Some(at) = SHARE_WORDS.iter().filter_map(|w| window.rfind(w)).max() else {
                continue;
            };
            let between = &window[at..];
            if CHANGE_WORDS.iter().any(|w| between.contains(w)) || between.contains('倍') {
                continue;
            }
            out.push(Hit {
                start: whole.start(),
                end: whole.end(),
                severity: Severity::Warning,
                message_zh: "表示占比的百分数超过 100%".into(),
                message_en: "A share given as more than 100 %".into(),
                suggestion: None,
            });
        }
    }
}
