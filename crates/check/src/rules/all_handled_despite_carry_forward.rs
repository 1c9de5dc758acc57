use std::ops::Range;

use gongkai_report::Value;

use super::{cell_ref_by_id, known};
use crate::narrative::{Narrative, OTHER_ITEMS, PLAN_WORDS, part_names};
use crate::{Finding, Rule, RuleMeta};

rule!(AllHandledDespiteCarryForward {
    code: "TXT003",
    name: "all-handled-despite-carry-forward",
    severity: Warning,
    summary_zh: "正文称申请均已办结（全部答复），表格却有结转下年度继续办理的申请",
    summary_en: "The text says every application was closed, but the table carries some forward",
    explanation: r#"## all-handled-despite-carry-forward (TXT003)

### 检查什么

正文称政府信息公开申请已经全部办完——“均已办结”“全部按期答复”“所有申请均已按要求办理完成”之类，即“均”“全部”“全数”“悉数”之后同一分句中不超过十个字内出现“办结”“答复”“办理完毕”“办理完成”“处理完毕”——而第三部分表格“四、结转下年度继续办理”总计大于 0。

只看提到“申请”的句子。以下句子不看：

- 说的是另一类事项（“建议”“提案”“咨询”“留言”“信访”“热线”“工单”“复议”“诉讼”等）；
- 是计划或承诺（“将”“计划”“拟”“下一步”“力争”“争取”“确保”）；
- 提到与报告年度不同的年份；
- “均”“全部”之前紧接“未”“尚未”“并非”“没有”“不”（“尚未全部办结”）。

### 为什么

结转下年度继续办理的申请，就是年底还没有办完的申请。正文说全部办结、表格却有结转，两者必有一处不实：或者正文套用了往年的表述，或者表格把已办结的申请填进了结转。也可能“全部办结”只指某一时点或某一类申请，所以是警告，请核对后改正其中一处。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括收到和处理政府信息公开申请的情况；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第三部分“四、结转下年度继续办理”，及“明确责任”部分：年度报告不准确的，依照条例第四十七条追责。

### 示例

第一部分写“本年度共收到政府信息公开申请3件，均已办结”，第三部分表格“四、结转下年度继续办理”总计为 1：

```text
warning[TXT003]: 第一部分正文称申请“均已办结”，但第三部分表格“四、结转下年度继续办理”总计为 1，仍有申请结转下年度：“本年度共收到政府信息公开申请3件，均已办结”
```
"#,
});

/// Words that say "all of them".
const ALL_WORDS: [&str; 4] = ["全部", "全数", "悉数", "均"];

/// Words that say "handled", searched for within [`WINDOW`] characters after an
/// [`ALL_WORDS`] word.
const DONE_WORDS: [&str; 6] = ["办结", "答复", "办理完毕", "办理完成", "处理完毕", "办理完"];

/// How far after the "all" word the "handled" word may stand (characters).
const WINDOW: usize = 10;

/// Words right before the "all" word that negate it (`尚未全部办结`).
const NEGATIONS: [&str; 5] = ["未", "并非", "没有", "不", "非"];

/// Longest excerpt quoted in a message (characters).
const EXCERPT: usize = 60;

impl Rule for AllHandledDespiteCarryForward {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        const FORWARD: &str = "s3.carried_forward.total";
        let Some(forward) = report.get(FORWARD) else {
            return;
        };
        if forward <= Value::int(0) || report.is_uncertain(FORWARD) {
            return;
        }
        for (section, text) in ctx.texts() {
            for s in text.sentences().iter().cloned() {
                let Some(claim) = all_handled(text, s.clone(), report.meta.year) else {
                    continue;
                };
                let phrase = text.excerpt(claim, EXCERPT);
                let quote = text.excerpt(s, EXCERPT);
                let (part, _) = part_names(section.number);
                let mut f = Finding::new(
                    self,
                    format!(
                        "{part}正文称申请“{phrase}”，但第三部分表格“四、结转下年度继续办理”总计为 {forward}，仍有申请结转下年度：“{quote}”"
                    ),
                    format!(
                        "The text says the applications were all handled (“{phrase}”), but section 3, row “四、结转下年度继续办理” is {forward}: “{quote}”"
                    ),
                );
                f.section = (section.number > 0).then_some(section.number);
                f.loc = known(section.loc);
                f.cells = cell_ref_by_id(report, FORWARD).into_iter().collect();
                f.expected = Some(Value::int(0));
                f.found = Some(forward);
                f.difference = Some(forward);
                out.push(f);
            }
        }
    }
}

/// Where sentence `s` says that every application of the report year was handled: the
/// range from the "all" word to the end of the "handled" word.
fn all_handled(text: &Narrative, s: Range<usize>, year: Option<i32>) -> Option<Range<usize>> {
    if !text.contains(s.clone(), "申请")
        || OTHER_ITEMS
            .iter()
            .chain(&PLAN_WORDS)
            .any(|w| text.contains(s.clone(), w))
        || text.years(s.clone()).iter().any(|&(_, y)| Some(y) != year)
    {
        return None;
    }
    for all in ALL_WORDS {
        for i in text.find_all(all, s.clone()) {
            let negated = NEGATIONS.iter().any(|n| {
                let len = n.chars().count();
                i >= s.start + len && text.is_at(i - len, n)
            });
            if negated {
                continue;
            }
            let from = i + all.chars().count();
            // Within the clause: `均表示满意，全部…` is not `均…办结`.
            let clause_end = (from..s.end)
                .find(|&k| matches!(text.chars()[k], '，' | ',' | '、' | '：'))
                .unwrap_or(s.end);
            let end = (from + WINDOW).min(clause_end);
            for done in DONE_WORDS {
                let len = done.chars().count();
                // `全部办结率` is a rate, not a statement.
                if let Some(j) = text
                    .find_all(done, from..end)
                    .into_iter()
                    .find(|&j| !text.is_at(j + len, "率"))
                {
                    return Some(i..j + len);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says_all_handled(sentence: &str) -> bool {
        let t = Narrative::new(sentence);
        t.sentences()
            .iter()
            .any(|s| all_handled(&t, s.clone(), Some(2023)).is_some())
    }

    #[test]
    fn reads_claims_of_everything_handled() {
        for text in [
            "本年度共收到政府信息公开申请3件，均已办结。",
            "所有申请均已按要求办理完成。",
            "对收到的申请全部按期答复。",
            "2023年受理的依申请公开事项均在法定期限内答复。",
        ] {
            assert!(says_all_handled(text), "{text}");
        }
    }

    #[test]
    fn skips_other_items_plans_other_years_and_negations() {
        for text in [
            "人大代表建议和政协提案均已办结。",
            "网民留言均已答复。",
            "确保所有申请均按时答复。",
            "2022年收到的申请均已办结。",
            "尚有2件申请未全部办结。",
            "本年度共收到政府信息公开申请3件。",
            "申请人对答复均表示满意，全部办结率达到。",
        ] {
            assert!(!says_all_handled(text), "{text}");
        }
    }
}
