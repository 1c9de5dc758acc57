use std::ops::Range;

use gongkai_report::{Report, Value};

use super::{cell_ref_by_id, known, section_zh};
use crate::narrative::Narrative;
use crate::{Finding, Lang, Rule, Severity};

explained!(
    NarrativeContradictsTable,
    r#"## narrative-contradicts-table (TXT001)

### 检查什么

正文中明确写出的件数与表格中同一数量不一致。只比较下表列出的说法（规则文件中的 `CLAIMS` 表），每种说法都对应唯一的表格数量：

| 正文说法（动词 + 对象 + 数字 + 件） | 表格中的数量 |
|---|---|
| 收到 / 受理 / 新收 / 接收 / 接到 + 政府信息公开申请 / 依申请公开申请 / 依申请公开件数 / 依申请公开事项 / 依申请公开 | 第三部分“一、本年新收政府信息公开申请数量”总计 |
| 因政府信息公开……被申请 / 引发 + 行政复议 | 第四部分“行政复议”总计 |
| 因政府信息公开……被提起 / 引发 + 行政诉讼 | 第四部分“未经复议直接起诉”总计 + “复议后起诉”总计 |
| 制发 / 印发 + （行政）规范性文件 | 第二部分“行政规范性文件”“本年制发件数” |
| 废止 + （行政）规范性文件 | 第二部分“行政规范性文件”“本年废止件数” |
| 现行有效 + （行政）规范性文件 | 第二部分“行政规范性文件”“现行有效件数” |

对象之后只允许“共”“计”“为”“达”“了”“数量”“：”等连接词，随后必须紧跟数字（阿拉伯数字或“零、一、十二、一百零五”等中文数字）和量词“件”“宗”“起”。例如“收到依申请公开件数 0 件”“共受理政府信息公开申请十二件”。

为避免误报，以下情况不比较：

- 同一句中出现“结转”（数字可能含上年结转）；
- 该说法之前出现“其中”“上年”“去年”“累计”“名义”“通过”“网上”“信函”“当面”“自然人”“法人”“企业”“全县”“全市”“各部门”“乡镇”等词（数字可能只是一部分、另一年或另一范围）；
- 该说法之前出现与报告年度不同的年份，或“以来”（“今年以来”“本年以来”除外），或“将”“计划”“拟”“力争”（工作计划）；
- 动词前是“未”“不”“无”“没”“非”（如“不予受理”）；
- 行政复议、行政诉讼的说法之前没有“信息公开”（机关也会因其他事项被申请复议、被起诉）；
- 表格中对应的单元格为空或取值不确定（见 VAL003、VAL004）。

数字、日期、条款号、百分比、“条”“篇”等其他量词一律不比较。第二部分“行政事业性收费”金额与正文中的“信息处理费”不是同一数量，也不比较。

### 为什么

正文与表格说的是同一件事。两者不一致，至少有一处是错的；读者无法判断哪个数字可信。常见原因是套用上一年度的正文、改表未改文，或把上年结转的申请算进了“收到”的件数。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括收到和处理政府信息公开申请的情况、因政府信息公开工作被申请行政复议和提起行政诉讼的情况；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：年度报告不准确的，依照条例第四十七条追责。

### 示例

第一部分写“本年度共收到政府信息公开申请5件”，第三部分表格“一、本年新收政府信息公开申请数量”总计为 3：

```text
error[TXT001]: 第一部分正文称本年新收政府信息公开申请 5 件，与第三部分表格“一、本年新收政府信息公开申请数量”总计（3）不一致：“本年度共收到政府信息公开申请5件”
```
"#
);

/// A quantity named in running text and the table cells that hold it.
struct Claim {
    /// One of these comes right before an object, e.g. `收到`.
    verbs: &'static [&'static str],
    /// The thing counted, longest first, e.g. `政府信息公开申请`.
    objects: &'static [&'static str],
    /// Cells whose sum the stated number must equal.
    cells: &'static [&'static str],
    /// Whether `信息公开` must appear earlier in the same sentence: an agency can face
    /// reconsideration or litigation over other matters, and only disclosure cases are
    /// in the section 4 table.
    needs_disclosure: bool,
    /// The quantity, in Chinese and English.
    what_zh: &'static str,
    what_en: &'static str,
    /// The table quantity, in Chinese and English.
    table_zh: &'static str,
    table_en: &'static str,
}

const NORMATIVE: &[&str] = &["行政规范性文件", "规范性文件"];

/// Every narrative claim this rule compares with the tables. Add a row only when the
/// wording names exactly one table quantity.
static CLAIMS: &[Claim] = &[
    Claim {
        verbs: &["收到", "受理", "新收", "接收", "接到"],
        objects: &[
            "政府信息公开申请",
            "依申请公开申请",
            "依申请公开件数",
            "依申请公开事项",
            "信息公开申请",
            "依申请公开",
        ],
        cells: &["s3.new_received.total"],
        needs_disclosure: false,
        what_zh: "本年新收政府信息公开申请",
        what_en: "new disclosure applications",
        table_zh: "第三部分表格“一、本年新收政府信息公开申请数量”总计",
        table_en: "section 3, row “一、本年新收政府信息公开申请数量”, total",
    },
    Claim {
        verbs: &["被申请", "引发"],
        objects: &["行政复议案件", "行政复议申请", "行政复议"],
        cells: &["s4.reconsideration.total"],
        needs_disclosure: true,
        what_zh: "因政府信息公开被申请行政复议",
        what_en: "administrative reconsiderations over disclosure",
        table_zh: "第四部分表格“行政复议”总计",
        table_en: "section 4, “行政复议”, total",
    },
    Claim {
        verbs: &["被提起", "引发"],
        objects: &["行政诉讼案件", "行政诉讼"],
        cells: &[
            "s4.litigation_direct.total",
            "s4.litigation_after_reconsideration.total",
        ],
        needs_disclosure: true,
        what_zh: "因政府信息公开被提起行政诉讼",
        what_en: "administrative lawsuits over disclosure",
        table_zh: "第四部分表格“未经复议直接起诉”与“复议后起诉”总计之和",
        table_en: "section 4, totals of “未经复议直接起诉” and “复议后起诉” combined",
    },
    Claim {
        verbs: &["制发", "印发"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.issued"],
        needs_disclosure: false,
        what_zh: "本年制发行政规范性文件",
        what_en: "normative documents issued this year",
        table_zh: "第二部分表格“行政规范性文件”“本年制发件数”",
        table_en: "section 2, “行政规范性文件”, issued this year",
    },
    Claim {
        verbs: &["废止"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.repealed"],
        needs_disclosure: false,
        what_zh: "本年废止行政规范性文件",
        what_en: "normative documents repealed this year",
        table_zh: "第二部分表格“行政规范性文件”“本年废止件数”",
        table_en: "section 2, “行政规范性文件”, repealed this year",
    },
    Claim {
        verbs: &["现行有效"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.in_force"],
        needs_disclosure: false,
        what_zh: "现行有效行政规范性文件",
        what_en: "normative documents in force",
        table_zh: "第二部分表格“行政规范性文件”“现行有效件数”",
        table_en: "section 2, “行政规范性文件”, in force",
    },
];

/// Words allowed between the object and the number, longest first.
const FILLERS: [&str; 12] = [
    "数量", "总数", "合计", "总计", "共", "计", "为", "达", "了", "数", "：", ":",
];

/// Units that may follow the number.
const UNITS: [char; 3] = ['件', '宗', '起'];

/// Words anywhere in the sentence that stop the comparison.
const SENTENCE_STOPS: [&str; 1] = ["结转"];

/// Words before the claim that stop the comparison: a part, another year, another scope,
/// or a plan.
const PREFIX_STOPS: [&str; 30] = [
    "其中",
    "上年",
    "去年",
    "上一年",
    "往年",
    "累计",
    "名义",
    "通过",
    "网上",
    "网络",
    "信函",
    "当面",
    "现场",
    "自然人",
    "法人",
    "企业",
    "全县",
    "全市",
    "全区",
    "全省",
    "全州",
    "全旗",
    "各部门",
    "各单位",
    "乡镇",
    "街道",
    "将",
    "计划",
    "拟",
    "力争",
];

/// Words that negate the verb right after them (`未收到`, `不予受理`).
const NEGATIONS: [&str; 6] = ["不予", "未", "不", "无", "没", "非"];

/// Longest excerpt quoted in a message (characters).
const EXCERPT: usize = 60;

impl Rule for NarrativeContradictsTable {
    fn code(&self) -> &'static str {
        "TXT001"
    }

    fn name(&self) -> &'static str {
        "narrative-contradicts-table"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "正文写明的件数（如收到申请件数）与表格不一致",
            Lang::En => {
                "A count stated in the text (e.g. applications received) differs from the table"
            }
        }
    }

    fn explanation(&self) -> &'static str {
        EXPLANATION
    }

    fn check(&self, report: &Report, out: &mut Vec<Finding>) {
        let mut seen: Vec<(usize, u64)> = Vec::new();
        for section in &report.sections {
            let text = Narrative::new(&section.text);
            for s in text.sentences() {
                for (c, claim) in CLAIMS.iter().enumerate() {
                    let Some(stated) = stated_count(&text, s.clone(), claim, report.meta.year)
                    else {
                        continue;
                    };
                    if seen.contains(&(c, stated)) {
                        continue;
                    }
                    seen.push((c, stated));
                    let Some(expected) = table_value(report, claim) else {
                        continue;
                    };
                    let found = Value::int(i64::try_from(stated).unwrap_or(i64::MAX));
                    if found == expected {
                        continue;
                    }
                    let quote = text.excerpt(s.clone(), EXCERPT);
                    let mut f = Finding::new(
                        self,
                        format!(
                            "{}正文称{} {stated} 件，与{}（{expected}）不一致：“{quote}”",
                            section_zh(section.number),
                            claim.what_zh,
                            claim.table_zh
                        ),
                        format!(
                            "Section {} states {stated} {}, but {} is {expected}: “{quote}”",
                            section.number, claim.what_en, claim.table_en
                        ),
                    );
                    f.section = Some(section.number);
                    f.loc = known(section.loc);
                    f.cells = claim
                        .cells
                        .iter()
                        .filter_map(|id| cell_ref_by_id(report, id))
                        .collect();
                    f.expected = Some(expected);
                    f.found = Some(found);
                    f.difference = Some(found - expected);
                    out.push(f);
                }
            }
        }
    }
}

/// The sum of the claim's cells, when every cell is in the format, filled and certain.
fn table_value(report: &Report, claim: &Claim) -> Option<Value> {
    let mut sum = Value::int(0);
    for id in claim.cells {
        report.format.cell(id)?;
        if report.is_uncertain(id) {
            return None;
        }
        sum = sum + report.get(id)?;
    }
    Some(sum)
}

/// The number the sentence `s` states for `claim`, if it states one unambiguously.
fn stated_count(
    text: &Narrative,
    s: Range<usize>,
    claim: &Claim,
    year: Option<i32>,
) -> Option<u64> {
    if SENTENCE_STOPS.iter().any(|w| text.contains(s.clone(), w)) {
        return None;
    }
    for verb in claim.verbs {
        for v in text.find_all(verb, s.clone()) {
            let Some(n) = count_after_verb(text, v + verb.chars().count(), s.end, claim) else {
                continue;
            };
            let prefix = s.start..v;
            if prefix_allows(text, prefix.clone(), year)
                && (!claim.needs_disclosure || text.contains(prefix, "信息公开"))
                && !NEGATIONS.iter().any(|w| {
                    v >= s.start + w.chars().count() && text.is_at(v - w.chars().count(), w)
                })
            {
                return Some(n);
            }
        }
    }
    None
}

/// Object, fillers, number and unit right after a verb ending at `i`.
fn count_after_verb(text: &Narrative, i: usize, end: usize, claim: &Claim) -> Option<u64> {
    let object = claim.objects.iter().find(|o| text.is_at(i, o))?;
    let mut j = i + object.chars().count();
    for _ in 0..3 {
        match FILLERS.iter().find(|f| text.is_at(j, f)) {
            Some(f) => j += f.chars().count(),
            None => break,
        }
    }
    let (n, k) = text.count_at(j)?;
    (k < end && UNITS.contains(&text.chars()[k])).then_some(n)
}

/// False when the words before the claim make it about a part, another year, another
/// scope or a plan.
fn prefix_allows(text: &Narrative, prefix: Range<usize>, year: Option<i32>) -> bool {
    if PREFIX_STOPS
        .iter()
        .any(|w| text.contains(prefix.clone(), w))
    {
        return false;
    }
    if text
        .years(prefix.clone())
        .iter()
        .any(|&(_, y)| Some(y) != year)
    {
        return false;
    }
    text.find_all("以来", prefix).into_iter().all(|i| {
        i >= 2 && (text.is_at(i - 2, "今年") || text.is_at(i - 2, "本年"))
            || year.is_some_and(|y| i >= 5 && text.year_at(i - 5) == Some(y))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first claim and number found in `sentence`, for a 2023 report.
    fn stated(sentence: &str) -> Option<(usize, u64)> {
        let t = Narrative::new(sentence);
        let s = t.sentences();
        CLAIMS.iter().enumerate().find_map(|(c, claim)| {
            s.iter()
                .find_map(|s| stated_count(&t, s.clone(), claim, Some(2023)))
                .map(|n| (c, n))
        })
    }

    #[test]
    fn reads_clear_claims() {
        for (text, claim, n) in [
            // seed 001
            ("今年以来，我办收到依申请公开件数 0 件。", 0, 0),
            (
                "2023年，我局共受理政府信息公开申请12件，同比增长20%。",
                0,
                12,
            ),
            ("本年度共收到政府信息公开申请十二件，均已按时答复。", 0, 12),
            ("本年新收政府信息公开申请数量为3件。", 0, 3),
            ("本年度因政府信息公开被申请行政复议1件。", 1, 1),
            ("因政府信息公开工作引发行政诉讼案件2起。", 2, 2),
            ("全年制发行政规范性文件11件。", 3, 11),
            ("现行有效规范性文件共119件。", 5, 119),
        ] {
            assert_eq!(stated(text), Some((claim, n)), "{text}");
        }
    }

    #[test]
    fn ignores_unclear_claims() {
        for text in [
            "共收到政府信息公开申请12件（含上年结转3件）。",
            "其中通过网上收到政府信息公开申请3件。",
            "2022年收到政府信息公开申请5件。",
            "较去年收到政府信息公开申请减少2件。",
            "全县共收到政府信息公开申请125件。",
            "条例实施以来，累计收到政府信息公开申请300件。",
            "不予受理政府信息公开申请2件。",
            "2023年未收到依申请公开信息。",
            "全年被申请行政复议12件，其中涉及政府信息公开2件。",
            "面向社会公开政府信息 2050 条。",
            "上报我县重点工作信息310条，采用212条。",
            "依据《条例》第三十三条收到政府信息公开申请之日起20个工作日内答复。",
            "收到政府信息公开申请占比15%。",
            "以县政府名义制发规范性文件3件。",
            "2024年，我局将力争受理政府信息公开申请100件。",
        ] {
            assert_eq!(stated(text), None, "{text}");
        }
    }
}
