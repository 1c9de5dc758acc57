use crate::engine::PatRef;
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    BannedFormulation,
    r#"## banned-formulation (LIST003)

### 检查什么

本单位规定不得使用的提法（`formulations.toml` 中的 `[[banned]]`：`text` 原文、
`replacement` 应写为、`reason` 理由）。适合放：上级通知要求停用的口号和简称、新闻单位
禁用词和慎用词中本单位采用的部分、本单位的用字规范（如“其他/其它”）。

本软件不附带提法名单（content-checks.md §2e）。

### 为什么

提法不当属于“严重表述错误”，是政府网站检查的单项否决情形。

### 法律依据

- 政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）“严重表述错误”（SECONDARY）。
- 新华社《新闻信息报道中的禁用词和慎用词》（新闻单位规范，可选采用，SECONDARY）。

### 示例

```text
error[LIST003]: 不得使用的提法“某提法”：理由
  建议：规范提法
```
"#
);

impl Rule for BannedFormulation {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LIST003",
            "banned-formulation",
            Severity::Error,
            Category::OfficeList,
            "使用了本单位规定不得使用的提法",
            "A formulation the office has banned",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for h in cx.office {
            let PatRef::Banned(i) = h.what else {
                continue;
            };
            let b = &cx.lists.banned[i];
            let reason = if b.reason.is_empty() {
                String::new()
            } else {
                format!("：{}", b.reason)
            };
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity: Severity::Error,
                message_zh: format!("不得使用的提法“{}”{reason}", b.text),
                message_en: format!("Banned formulation “{}”", b.text),
                suggestion: (!b.replacement.is_empty()).then(|| b.replacement.clone()),
            });
        }
    }
}
