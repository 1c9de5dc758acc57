use crate::data::Status;
use crate::engine::PatRef;
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    SeriousTypo,
    r#"## serious-typo (TYPO001)

### 检查什么

国名、机关名称和重要提法中的严重错别字，如“中华人民共合国”“攻府”“扫黑险恶”。
只收有权威出处或检查通报实例的条目（`data/typos.toml`，每条注明出处）；
“其他/其它”“截至/截止”之类没有权威规定的用法不收，本单位可以写进自己的
`formulations.toml`。

### 为什么

2015 年全国政府网站普查把“严重错别字”（如国家名称、领导人姓名写错）列为单项否决；
据报道超过 3 处即不合格。

### 法律依据

- 全国政府网站普查评分表“严重错误”项；政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）
  “严重表述错误”（content-checks.md §1.1，SECONDARY）。
- 《中华人民共和国国家通用语言文字法》第九条：国家机关以规范汉字为公务用字。

### 示例

```text
error[TYPO001]: 严重错别字：“中华人民共合国”应为“中华人民共和国”
```
"#
);

impl Rule for SeriousTypo {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "TYPO001",
            "serious-typo",
            Severity::Error,
            Category::Usage,
            "国名、机关名称或重要提法写错（严重错别字）",
            "A serious typo in the country's name, an organ's name or a key phrase",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for h in cx.builtin {
            let PatRef::Typo(i) = h.what else {
                continue;
            };
            let t = &cx.data.typos[i];
            out.push(Hit {
                start: h.start,
                end: h.end,
                // Every shipped entry is a reported real case; UNCONFIRMED ones would warn.
                severity: if t.status == Status::Unconfirmed {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                message_zh: format!("严重错别字：“{}”应为“{}”", t.wrong, t.right),
                message_en: format!("Serious typo: “{}” should be “{}”", t.wrong, t.right),
                suggestion: Some(t.right.clone()),
            });
        }
    }
}
