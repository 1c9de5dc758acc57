use gongkai_report::{Section, Value};

use super::known;
use crate::narrative::Narrative;
use crate::{Finding, Rule, RuleMeta};

rule!(YearMismatch {
    code: "STR002",
    name: "year-mismatch",
    severity: Error,
    summary_zh: "标题中的报告年度与正文所述年度（统计期限、第一部分开头）不一致",
    summary_en: "The year in the title differs from the year stated in the text (statistical period, opening of section 1)",
    explanation: r#"## year-mismatch (STR002)

### 检查什么

标题中的报告年度（如《某局2023年政府信息公开工作年度报告》中的 2023 年）必须与正文所述的报告年度一致。本规则只看三处明确说明报告年度的地方：

1. **统计期限句**（任一部分）：“统计期限”“统计时限”“统计期间”“统计时间”“统计数据”“所列数据”等词之后的“YYYY年1月1日……（YYYY年）12月31日”，或紧跟其后的“YYYY年度”。起止年份不同的（如“2022年12月1日至2023年11月30日”）不作判断。
2. **第一部分开头**：“一、总体情况”第一段以“YYYY年，”“YYYY年度，”或“YYYY年以来，”开头。
3. **第一部分通篇未提报告年度**：第一部分（书名号《》内的文件名除外）一次也没有提到标题中的年份，却有以另一个年份开头的句子（如“2022年，”“2022年全镇共公开……”“2022年未收到……”；不含“YYYY年12月”“YYYY年度部门决算”之类，也不含带“将”“计划”“拟”“下一步”“力争”的句子），这些句子都指向同一年份，并且该年份在第一部分出现两次以上。仅在前两项都未发现问题时检查。

正文其他地方提到的年份不作比较：第五部分“2024年，我局将……”、工作计划、上年决算、以往年度的情况都是正常的表述。

### 为什么

标题年份与正文年份不一致，通常是套用上一年度报告时只改了标题、没有改正文（或反之），说明报告内容很可能也未更新；评估中称为“年度不符”“内容雷同”。读者也无法确定表格数据属于哪一年。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条、第五十条：年度报告报告的是“上一年度”的政府信息公开工作情况；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：年度报告不准确、内容雷同的，依照条例第四十七条追责。

### 示例

标题为“2023年”，正文却写“本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止”：

```text
error[STR002]: 标题中的报告年度为2023年，但统计期限写的是2022年：“本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止”
```
"#,
});

/// Words after which a statistical period is stated; `true` when `YYYY年度` right after
/// the word also states the period (`统计期限为2023年度`).
const PERIOD_WORDS: [(&str, bool); 10] = [
    ("统计期限", true),
    ("统计时限", true),
    ("统计期间", true),
    ("统计时间", true),
    ("统计时段", true),
    ("统计周期", true),
    ("统计区间", true),
    ("报告期", true),
    ("统计数据", false),
    ("所列数据", false),
];

/// How far after a period word the first year may stand (characters).
const PERIOD_WINDOW: usize = 24;

/// Words that mark a sentence as a plan rather than a statement about the report year.
const PLAN_WORDS: [&str; 5] = ["将", "计划", "拟", "下一步", "力争"];

/// Longest excerpt quoted in a message (characters).
const EXCERPT: usize = 60;

impl Rule for YearMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let Some(year) = report.meta.year else { return };
        let before = out.len();
        let mut seen = Vec::new();
        // The first sentence of section 1, when it was already reported as a period.
        let mut opening_reported = false;
        for (section, text) in ctx.texts() {
            for (i, s) in text.sentences().iter().cloned().enumerate() {
                let Some(stated) = period_year(text, s.clone()) else {
                    continue;
                };
                if stated == year || seen.contains(&stated) {
                    continue;
                }
                seen.push(stated);
                opening_reported |= section.number == 1 && i == 0;
                let quote = text.excerpt(s, EXCERPT);
                out.push(self.finding(
                    section,
                    year,
                    stated,
                    format!("标题中的报告年度为{year}年，但统计期限写的是{stated}年：“{quote}”"),
                    format!(
                        "The title names the year {year}, but the statistical period in the text is {stated}: “{quote}”"
                    ),
                ));
            }
        }
        let Some((first, text)) = ctx.section_text(1) else {
            return;
        };
        if !opening_reported
            && let Some(p) = text.paragraphs().first()
            && let Some(stated) = adverbial_year(text, p.start)
            && stated != year
        {
            let quote = text.excerpt(text.sentences()[0].clone(), EXCERPT);
            out.push(self.finding(
                first,
                year,
                stated,
                format!("标题中的报告年度为{year}年，但第一部分开头写的是{stated}年：“{quote}”"),
                format!(
                    "The title names the year {year}, but section 1 opens with {stated}: “{quote}”"
                ),
            ));
        }
        if out.len() == before
            && let Some((stated, count, quote)) = other_year_only(text, year)
        {
            out.push(self.finding(
                first,
                year,
                stated,
                format!(
                    "标题中的报告年度为{year}年，但第一部分一次也没有提到{year}年，却{count}次提到{stated}年，如：“{quote}”"
                ),
                format!(
                    "The title names the year {year}, but section 1 never mentions {year} and mentions {stated} {count} times, e.g. “{quote}”"
                ),
            ));
        }
    }
}

impl YearMismatch {
    fn finding(
        &self,
        section: &Section,
        year: i32,
        stated: i32,
        zh: String,
        en: String,
    ) -> Finding {
        let mut f = Finding::new(self, zh, en);
        // The preamble (number 0) belongs to no section.
        f.section = (section.number > 0).then_some(section.number);
        f.loc = known(section.loc);
        f.expected = Some(Value::int(i64::from(year)));
        f.found = Some(Value::int(i64::from(stated)));
        f
    }
}

/// The calendar year a sentence gives as the statistical period, if it gives one.
fn period_year(text: &Narrative, s: std::ops::Range<usize>) -> Option<i32> {
    // The year is found inside the sentence.
    if !text.has_year(s.clone()) {
        return None;
    }
    for (word, year_form) in PERIOD_WORDS {
        for k in text.find_all(word, s.clone()) {
            let start = k + word.chars().count();
            let window = start..(start + PERIOD_WINDOW).min(s.end);
            let Some((i, y)) = window.clone().find_map(|i| text.year_at(i).map(|y| (i, y))) else {
                continue;
            };
            let after = i + 5;
            if year_form && text.chars().get(after) == Some(&'度') && i - start <= 4 {
                return Some(y);
            }
            if let Some((1, 1, end)) = text.month_day_at(after)
                && let Some(y) = period_end_agrees(text, end..s.end, y)
            {
                return Some(y);
            }
        }
    }
    None
}

/// `Some(start)` when `12月31日` follows in `rest` with no year or the same year.
fn period_end_agrees(text: &Narrative, rest: std::ops::Range<usize>, start: i32) -> Option<i32> {
    let j = text
        .find_all("12月31日", rest.clone())
        .into_iter()
        .find(|&j| j == rest.start || !text.chars()[j - 1].is_ascii_digit())?;
    match j.checked_sub(5).and_then(|y| text.year_at(y)) {
        Some(end) if end != start => None,
        _ => Some(start),
    }
}

/// `YYYY年，`, `YYYY年度，` or `YYYY年以来，` at `i`: the year.
fn adverbial_year(text: &Narrative, i: usize) -> Option<i32> {
    let y = text.year_at(i)?;
    let after = i + 5;
    let ok = [",", "，", "度，", "度,", "以来，", "以来,"]
        .iter()
        .any(|p| text.is_at(after, p));
    ok.then_some(y)
}

/// A sentence opening with a year that is about that year: `YYYY年，`, `YYYY年全镇…`,
/// `YYYY年未收到…`, but not `YYYY年12月…` or `YYYY年度部门决算…`.
fn leading_year(text: &Narrative, i: usize) -> Option<i32> {
    let y = text.year_at(i)?;
    let after = i + 5;
    let ok = match text.chars().get(after) {
        None | Some('月') => false,
        Some('度') => text.is_at(after + 1, "，") || text.is_at(after + 1, ","),
        Some(c) => !c.is_ascii_digit(),
    };
    ok.then_some(y)
}

/// When section 1 never names `year` but opens sentences with another year (not in a
/// plan) that it names at least twice: (that year, times named, an example sentence).
fn other_year_only(text: &Narrative, year: i32) -> Option<(i32, usize, String)> {
    let all = 0..text.chars().len();
    let years = text.years(all);
    if years.iter().any(|&(_, y)| y == year) {
        return None;
    }
    let mut candidates: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
    for s in text.sentences() {
        let Some(y) = leading_year(text, s.start) else {
            continue;
        };
        if PLAN_WORDS.iter().any(|w| text.contains(s.clone(), w)) {
            continue;
        }
        candidates.push((y, s.clone()));
    }
    let (stated, s) = candidates.first()?.clone();
    if candidates.iter().any(|(y, _)| *y != stated) {
        return None;
    }
    let count = years.iter().filter(|&&(_, y)| y == stated).count();
    (count >= 2).then(|| (stated, count, text.excerpt(s, EXCERPT)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> Option<i32> {
        let t = Narrative::new(text);
        t.sentences()
            .iter()
            .find_map(|s| period_year(&t, s.clone()))
    }

    #[test]
    fn statistical_period_sentences() {
        for (text, year) in [
            (
                "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
                Some(2023),
            ),
            // seed 004
            ("本报告统计数据从2023年1月1日至12月31日。", Some(2023)),
            (
                "本报告统计时限为 2022 年 1 月 1 日至 2022 年 12 月 31 日。",
                Some(2022),
            ),
            ("本报告所列数据统计期限为2023年度。", Some(2023)),
            ("统计期间：2023年01月01日—2023年12月31日", Some(2023)),
            // Not a calendar year: no judgement.
            ("统计期限自2022年12月1日起至2023年11月30日止。", None),
            ("统计期限自2022年1月1日起至2023年12月31日止。", None),
            // Not a period.
            (
                "及时发布和更新统计信息，全面公开了2022年度部门决算信息。",
                None,
            ),
            ("统计数据显示，2023年共公开信息277条。", None),
        ] {
            assert_eq!(period(text), year, "{text}");
        }
    }

    #[test]
    fn adverbial_openings() {
        for (text, year) in [
            ("2023 年，在区委区政府主要领导的高度重视下", Some(2023)),
            ("2022年度，我局", Some(2022)),
            ("2023年以来，我局", Some(2023)),
            ("2023年未收到依申请公开信息。", None),
            ("2023年12月，我局", None),
            ("（一）主动公开", None),
        ] {
            assert_eq!(adverbial_year(&Narrative::new(text), 0), year, "{text}");
        }
    }

    fn report(year: i32, section_1: &str) -> gongkai_report::Report {
        let mut r = gongkai_report::Report::new(gongkai_format::FormatVersion::Revised2021);
        r.meta.year = Some(year);
        r.sections.push(Section {
            number: 1,
            heading: "一、总体情况".into(),
            text: section_1.into(),
            loc: gongkai_report::Location::None,
        });
        r
    }

    fn found(r: &gongkai_report::Report) -> Vec<i64> {
        let mut out = Vec::new();
        YearMismatch.check(&crate::Context::new(r), &mut out);
        out.iter()
            .filter_map(|f| f.found.and_then(|v| v.as_i64()))
            .collect()
    }

    #[test]
    fn one_sentence_is_reported_once() {
        let r = report(
            2023,
            "2022年，本报告统计期限自2022年1月1日起至2022年12月31日止。2024年，我局将继续努力。",
        );
        assert_eq!(found(&r), [2022]);
    }

    #[test]
    fn plans_and_past_years_do_not_fire() {
        let r = report(
            2023,
            "2023 年，我镇认真贯彻落实《条例》。全面公开了 2022 年度部门决算信息。\n2024年，我镇将继续做好政务公开工作。",
        );
        assert!(found(&r).is_empty());
        assert!(found(&report(2023, "（一）主动公开\n本年度共公开信息50条。")).is_empty());
    }

    #[test]
    fn other_year_only_needs_absence_and_repetition() {
        let copied =
            Narrative::new("（一）主动公开\n2022年，我局共公开信息50条。2022年未发生责任追究。");
        assert_eq!(
            other_year_only(&copied, 2023).map(|r| (r.0, r.1)),
            Some((2022, 2))
        );
        let plans = Narrative::new(
            "本年度公开信息50条。\n2024年，我局将继续做好公开工作，落实2024年工作要点。",
        );
        assert_eq!(other_year_only(&plans, 2023), None);
        let bare = Narrative::new(
            "（一）主动公开\n2022年全镇共公开信息50条。\n2022年未收到依申请公开信息。",
        );
        assert_eq!(
            other_year_only(&bare, 2023).map(|r| (r.0, r.1)),
            Some((2022, 2))
        );
        let accounts = Narrative::new("2022年度部门决算已公开。2022年12月，我局更新了目录。");
        assert_eq!(other_year_only(&accounts, 2023), None);
        let budgets = Narrative::new("本年度公开了2022年度部门决算、2022年度法治政府建设报告。");
        assert_eq!(other_year_only(&budgets, 2023), None);
        let named = Narrative::new("2022年，我局共公开信息50条。2022年及2023年均未发生责任追究。");
        assert_eq!(other_year_only(&named, 2023), None);
    }
}
