use std::ops::Range;

use super::known;
use crate::narrative::{Narrative, PLAN_WORDS, SelfNames, part_names};
use crate::{Finding, Rule, RuleMeta};

rule!(EarlierYearAsOwnPeriod {
    code: "TXT004",
    name: "earlier-year-as-own-period",
    severity: Warning,
    summary_zh: "正文以本机关为主语叙述早于报告年度的一年（如 2024 年报告写“本单位2023年度……”）",
    summary_en: "The text speaks of an earlier year as the agency's own period (“本单位2023年度…” in a 2024 report)",
    explanation: r#"## earlier-year-as-own-period (TXT004)

### 检查什么

正文以报告机关本身为主语、紧接着写出早于报告年度的年份，把那一年当作本报告的期间来叙述。例如 2024 年度的报告写“本单位2023年度共收到政府信息公开申请5件”“我局2023年主动公开政府信息120条”。

主语是“本机关”“本单位”“本部门”“我局”“本街道”“我镇”等，或标题中的机关名称；年份写作“YYYY年”或“YYYY年度”（书名号《》内的文件名除外）。以下句子不看：

- 工作计划或承诺（“将”“计划”“拟”“下一步”“力争”“争取”“确保”）；
- 与往年比较（“较”“同比”“相比”“环比”“增长”“减少”“下降”“上升”“持平”“对比”“增加”“上年”“去年”）；
- 说的是以往年度的决算、预算、审计、绩效，或以往年度的年度报告（“公开了本单位2023年度部门决算”“发布了我局2023年度政府信息公开工作年度报告”在 2024 年是正常的）；
- “YYYY年以来”；
- 同一句也提到报告年度。

统计期限和第一部分开头的年份由 STR002 检查。

### 为什么

年度报告报告的是上一年度的工作。正文以本机关为主语叙述更早一年的情况，多半是沿用了往年报告的文字而没有更新，读者会把往年的情况当作本年度的情况；评估中称为“年度不符”“内容雷同”。也可能确是有意回顾往年，所以是警告。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条、第五十条：年度报告报告的是上一年度的政府信息公开工作情况；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：内容雷同、不准确的，依照条例第四十七条追责。

### 示例

2024 年度报告的第一部分写“本单位2023年度共收到政府信息公开申请5件”：

```text
warning[TXT004]: 报告年度为2024年，第一部分正文却以本机关为主语叙述2023年的情况：“本单位2023年度共收到政府信息公开申请5件”
```
"#,
});

/// Words that make a sentence a comparison with earlier years.
const COMPARISONS: [&str; 13] = [
    "较", "同比", "相比", "环比", "增长", "减少", "下降", "上升", "持平", "对比", "增加", "上年",
    "去年",
];

/// Earlier years' accounts and reports, which a report rightly names.
const EARLIER_DOCUMENTS: [&str; 6] = ["决算", "预算", "审计", "绩效", "年度报告", "年报"];

/// Longest excerpt quoted in a message (characters).
const EXCERPT: usize = 60;

impl Rule for EarlierYearAsOwnPeriod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let Some(year) = report.meta.year else {
            return;
        };
        let names = SelfNames::new(report.meta.agency.as_deref());
        for (section, text) in ctx.texts() {
            for s in text.sentences().iter().cloned() {
                let Some(stated) = earlier_year(text, s.clone(), &names, year) else {
                    continue;
                };
                let quote = text.excerpt(s, EXCERPT);
                let (part_zh, part_en) = part_names(section.number);
                let mut f = Finding::new(
                    self,
                    format!(
                        "报告年度为{year}年，{part_zh}正文却以本机关为主语叙述{stated}年的情况：“{quote}”"
                    ),
                    format!(
                        "The report is for {year}, but {part_en} speaks of the agency's {stated}: “{quote}”"
                    ),
                );
                f.section = (section.number > 0).then_some(section.number);
                f.loc = known(section.loc);
                out.push(f);
            }
        }
    }
}

/// An earlier year that sentence `s` names right after the agency's own name, when the
/// sentence is not a plan, a comparison or about earlier accounts and reports.
fn earlier_year(text: &Narrative, s: Range<usize>, names: &SelfNames, year: i32) -> Option<i32> {
    if !text.has_year(s.clone()) {
        return None;
    }
    if PLAN_WORDS
        .iter()
        .chain(&COMPARISONS)
        .chain(&EARLIER_DOCUMENTS)
        .any(|w| text.contains(s.clone(), w))
    {
        return None;
    }
    let years = text.years(s);
    if years.iter().any(|&(_, y)| y == year) {
        return None;
    }
    years.into_iter().find_map(|(i, y)| {
        let since = text.is_at(i + 5, "以来") || text.is_at(i + 6, "以来");
        (y < year && !since && names.ends_at(text, i)).then_some(y)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn earlier(sentence: &str) -> Option<i32> {
        let t = Narrative::new(sentence);
        let names = SelfNames::new(Some("某县市场监督管理局"));
        t.sentences()
            .iter()
            .find_map(|s| earlier_year(&t, s.clone(), &names, 2024))
    }

    #[test]
    fn finds_an_earlier_year_told_as_the_agencys_own() {
        for text in [
            "本单位2023年度共收到政府信息公开申请5件。",
            "我局2023年主动公开政府信息120条。",
            "市场监督管理局2023年度认真贯彻落实条例。",
        ] {
            assert_eq!(earlier(text), Some(2023), "{text}");
        }
    }

    #[test]
    fn skips_plans_comparisons_accounts_and_the_report_year() {
        for text in [
            "本单位2024年度共收到政府信息公开申请5件。",
            "我局2025年将继续做好政务公开工作。",
            "本单位2023年度收到申请5件，2024年度收到8件。",
            "较本单位2023年度增长20%。",
            "公开了本单位2023年度部门决算。",
            "发布了我局2023年度政府信息公开工作年度报告。",
            "本单位2022年以来持续推进政务公开。",
            "2023年，我局收到申请5件。",
            "印发《本单位2023年政务公开工作要点》。",
        ] {
            assert_eq!(earlier(text), None, "{text}");
        }
    }
}
