use super::known;
use crate::{Finding, Rule, RuleMeta};

rule!(ProblemsSectionEmpty {
    code: "STR003",
    name: "problems-section-empty",
    severity: Warning,
    summary_zh: "第五部分“存在的主要问题及改进情况”为空或只写“无”",
    summary_en: "Section 5 (main problems and improvements) is empty or says only “none”",
    explanation: r#"## problems-section-empty (STR003)

### 检查什么

第五部分“五、存在的主要问题及改进情况”有标题、却没有内容：正文为空，或只写“无”“暂无”“没有”“暂无问题”“无明显问题”“不存在问题”之类。判断时去掉空白、标点以及“存在的（主要）问题”“改进情况”“改进措施”等小标题文字。

第五部分整个缺失由 STR001 检查。

### 为什么

条例要求年度报告写明存在的主要问题及改进情况。评估和通报把这一部分空缺、写“无”或敷衍塞责列为问题：年度工作总有不足，写“无”说明没有认真总结，也无法据此监督改进。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括“存在的主要问题及改进情况”；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第五部分，及“明确责任”部分：年度报告敷衍塞责的，依照条例第四十七条追责。

### 示例

```text
warning[STR003]: 第五部分“存在的主要问题及改进情况”没有实际内容（正文为“无。”）
```
"#,
});

/// Sub-headings and joining words removed before judging, longest first.
const SUBHEADINGS: [&str; 9] = [
    "存在的主要问题",
    "主要问题",
    "存在的问题",
    "存在问题",
    "改进情况",
    "改进措施",
    "整改措施",
    "问题",
    "及",
];

/// What is left of a section with nothing to say.
const NOTHING: [&str; 12] = [
    "",
    "无",
    "暂无",
    "没有",
    "无无",
    "暂无暂无",
    "不存在",
    "无明显",
    "暂无明显",
    "无明显无",
    "不存在明显",
    "本年度无",
];

impl Rule for ProblemsSectionEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let Some(section) = report.section(5) else {
            return;
        };
        if !says_nothing(&section.text) {
            return;
        }
        let shown = section.text.trim();
        let (zh, en) = if shown.is_empty() {
            ("正文为空".to_string(), "it has no text".to_string())
        } else {
            (format!("正文为“{shown}”"), format!("its text is “{shown}”"))
        };
        let mut f = Finding::new(
            self,
            format!("第五部分“存在的主要问题及改进情况”没有实际内容（{zh}）"),
            format!("Section 5 “存在的主要问题及改进情况” says nothing: {en}"),
        );
        f.section = Some(5);
        f.loc = known(section.loc);
        out.push(f);
    }
}

/// True when `text` is empty or only says there is nothing to report.
fn says_nothing(text: &str) -> bool {
    // Only short texts: a real account of problems is longer than any sub-heading list.
    if text.chars().count() > 60 {
        return false;
    }
    let mut t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punctuation(*c))
        .collect();
    for h in SUBHEADINGS {
        t = t.replace(h, "");
    }
    NOTHING.contains(&t.as_str())
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '（'
            | '）'
            | '…'
            | '—'
            | '－'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_none() {
        for text in [
            "",
            "无",
            "无。",
            "暂无。",
            "暂无问题。",
            "存在的主要问题：无。改进情况：无。",
            "无明显问题。",
            "本年度无。",
        ] {
            assert!(says_nothing(text), "{text}");
        }
    }

    #[test]
    fn a_real_account_is_not_empty() {
        for text in [
            "一是主动公开的深度和广度还需拓展；二是政策解读形式较为单一。",
            "无障碍阅读功能有待完善。",
            "问题：信息更新不及时。改进：建立提醒机制。",
        ] {
            assert!(!says_nothing(text), "{text}");
        }
    }
}
