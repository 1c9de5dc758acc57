use crate::engine::PatRef;
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    SensitiveWord,
    r#"## sensitive-word (LIST001)

### 检查什么

本单位敏感词、禁用词名单（`sensitive.csv` 或 `sensitive.toml`，放在 `--lists` 目录中）
里的词。每个词可写类别、严重程度（error / warning，默认 warning）和建议替换词。
全部名单编译成一个 Aho–Corasick 自动机，一遍扫描完成，名单长短不影响速度。

本软件**不附带**任何敏感词名单：名单因地、因时而异，错收一条本身就是严重错误
（content-checks.md §2e）。名单为空即不检查。

### 为什么

错敏排查服务检查的第一类就是敏感词和违禁词；政府网站检查把发布反动、暴力、色情内容
列为单项否决。

### 法律依据

- 政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“安全、泄密事故等严重问题”
  （content-checks.md §1.1，SECONDARY）。
- 《中华人民共和国政府信息公开条例》第十四条、第十五条（不得公开的信息）。

### 示例

```text
warning[LIST001]: 敏感词“某词”（类别：示例）
  ……【某词】……
```
"#
);

impl Rule for SensitiveWord {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LIST001",
            "sensitive-word",
            Severity::Error,
            Category::OfficeList,
            "出现本单位敏感词名单中的词",
            "A word from the office's sensitive-word list",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for h in cx.office {
            let PatRef::Sensitive(i) = h.what else {
                continue;
            };
            let w = &cx.lists.sensitive[i];
            let cat = if w.category.is_empty() {
                String::new()
            } else {
                format!("（类别：{}）", w.category)
            };
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity: w.severity.into(),
                message_zh: format!("敏感词“{}”{cat}", w.word),
                message_en: format!("Sensitive word “{}”", w.word),
                suggestion: (!w.suggestion.is_empty()).then(|| w.suggestion.clone()),
            });
        }
    }
}
