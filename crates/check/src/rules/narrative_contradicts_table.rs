use std::ops::Range;
use std::sync::LazyLock;

use gongkai_report::{Report, Value};

use super::{cell_ref_by_id, known, section_zh};
use crate::narrative::{Narrative, SelfNames};
use crate::{Finding, Rule, RuleMeta};

rule!(NarrativeContradictsTable {
    code: "TXT001",
    name: "narrative-contradicts-table",
    severity: Error,
    summary_zh: "正文写明的件数（收到、办结、结转的申请等）与表格不一致",
    summary_en: "A count stated in the text (applications received, closed, carried over…) differs from the table",
    explanation: r#"## narrative-contradicts-table (TXT001)

### 检查什么

正文中明确写出的件数与表格中同一数量不一致。只比较下表列出的说法（规则文件中的 `CLAIMS` 表），每种说法都对应唯一的表格数量：

| 正文说法（动词 + 对象 + 数字 + 件） | 表格中的数量 |
|---|---|
| 收到 / 受理 / 新收 / 接收 / 接到 + 政府信息公开申请 / 依申请公开申请 / 依申请公开件数 / 依申请公开事项 / 依申请公开 | 第三部分“一、本年新收政府信息公开申请数量”总计 |
| 上年结转 / 上年度结转 / 上一年度结转（+ 申请） | 第三部分“二、上年结转政府信息公开申请数量”总计 |
| 结转 + 下年度（继续办理）/ 至下一年度 等 | 第三部分“四、结转下年度继续办理”总计 |
| 办结（+ 政府信息公开申请 / 申请） | 第三部分“三、本年度办理结果”“（七）总计” |
| 答复（+ 政府信息公开申请 / 申请） | 同上；但“（六）其他处理”的申请（申请人逾期不补正、逾期不缴费、撤回等）办结而未答复，所以件数在“（七）总计”减去（六）各项之和与“（七）总计”之间即视为一致 |
| 因政府信息公开……被申请 / 引发 + 行政复议 | 第四部分“行政复议”总计 |
| 因政府信息公开……被提起 / 引发 + 行政诉讼 | 第四部分“未经复议直接起诉”总计 + “复议后起诉”总计 |
| 制发 / 印发 + （行政）规范性文件 | 第二部分“行政规范性文件”“本年制发件数” |
| 废止 + （行政）规范性文件 | 第二部分“行政规范性文件”“本年废止件数” |
| 现行有效 + （行政）规范性文件 | 第二部分“行政规范性文件”“现行有效件数” |

对象之后只允许“共”“计”“为”“达”“了”“的”“数量”“：”等连接词，随后必须紧跟数字（阿拉伯数字或“零、一、十二、一百零五”等中文数字）和量词“件”“宗”“起”。例如“收到依申请公开件数 0 件”“共受理政府信息公开申请十二件”“本年度办结18件”“结转下年度继续办理1件”。

句子的主语是报告机关本身时照常比较，无论写作“本机关”“本单位”“我局”“本街道”“我镇”，还是标题中的机关名称（如“洪门街道”“区政府办代表区政府”）。

为避免误报，以下情况不比较：

- 说“收到”的句子中出现“结转”（数字可能含上年结转）；
- 该说法之前出现“其中”“上年”“去年”“累计”“名义”“通过”“网上”“信函”“当面”“自然人”“法人”“企业”“全县”“全市”“各部门”“乡镇”“街道”（指另一街道）“社区”“分局”“下属”“所属”等词（数字可能只是一部分、另一年或另一范围，例如下属单位的件数）；
- “办结”“答复”之前出现“逾期”“按时”“按期”“书面”“电话”“予以”等词（只是一部分），或“建议”“提案”“咨询”“留言”“信访”“热线”“工单”“复议”“诉讼”等词（另一类事项）；
- 该说法之前出现与报告年度不同的年份，或“以来”（“今年以来”“本年以来”除外），或“将”“计划”“拟”“力争”（工作计划）；
- 动词前是“未”“不”“无”“没”“非”（如“不予受理”“未办结”）；
- 行政复议、行政诉讼的说法之前没有“信息公开”（机关也会因其他事项被申请复议、被起诉）；
- 表格中对应的单元格为空或取值不确定（见 VAL003、VAL004）。

数字、日期、条款号、百分比、“条”“篇”等其他量词一律不比较。第二部分“行政事业性收费”金额与正文中的“信息处理费”不是同一数量，也不比较。“均已办结”“全部答复”之类没有数字的说法见 TXT003。

### 为什么

正文与表格说的是同一件事。两者不一致，至少有一处是错的；读者无法判断哪个数字可信。常见原因是套用上一年度的正文、改表未改文，或把上年结转的申请算进了“收到”的件数。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括收到和处理政府信息公开申请的情况、因政府信息公开工作被申请行政复议和提起行政诉讼的情况；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：年度报告不准确的，依照条例第四十七条追责。

### 示例

第一部分写“本年度共收到政府信息公开申请5件”，第三部分表格“一、本年新收政府信息公开申请数量”总计为 3：

```text
error[TXT001]: 第一部分正文称本年新收政府信息公开申请 5 件，与第三部分表格“一、本年新收政府信息公开申请数量”总计（3）不一致：“本年度共收到政府信息公开申请5件”
```
"#,
});

/// A quantity named in running text and the table cells that hold it.
struct Claim {
    /// One of these comes right before an object, e.g. `收到`.
    verbs: &'static [&'static str],
    /// The thing counted, longest first, e.g. `政府信息公开申请`; `""` lets the number
    /// follow the verb directly (`办结12件`).
    objects: &'static [&'static str],
    /// Cells whose sum the stated number must equal.
    cells: &'static [&'static str],
    /// Cells of `cells`' total that the stated number may leave out: an application
    /// closed without a reply (（六）其他处理: the applicant did not correct or pay, or
    /// withdrew) is in （七）总计 but was never “答复”. The claim holds when the number lies
    /// between the total less these cells and the total.
    may_leave_out: &'static [&'static str],
    /// Whether `信息公开` must appear earlier in the same sentence: an agency can face
    /// reconsideration or litigation over other matters, and only disclosure cases are
    /// in the section 4 table.
    needs_disclosure: bool,
    /// Words anywhere in the sentence that stop this claim.
    sentence_stops: &'static [&'static str],
    /// Words before the verb (besides [`PREFIX_STOPS`]) that stop this claim.
    prefix_stops: &'static [&'static str],
    /// The quantity, in Chinese and English.
    what_zh: &'static str,
    what_en: &'static str,
    /// The table quantity, in Chinese and English.
    table_zh: &'static str,
    table_en: &'static str,
}

const NORMATIVE: &[&str] = &["行政规范性文件", "规范性文件"];

/// The things an application count may be written as after a verb, longest first.
const APPLICATIONS: &[&str] = &[
    "政府信息公开申请",
    "依申请公开申请",
    "依申请公开件数",
    "依申请公开事项",
    "信息公开申请",
    "依申请公开",
];

/// What a count of closed or answered applications may be written as after the verb.
const CLOSED_OBJECTS: &[&str] = &[
    "政府信息公开申请",
    "依申请公开申请",
    "依申请公开事项",
    "依申请公开件",
    "申请",
    "",
];

/// Words before 办结/答复 that make the count a part (late, on time, by phone, granted) or
/// another kind of item.
const CLOSED_PREFIX_STOPS: &[&str] = &[
    "逾期", "超期", "延期", "延长", "按期", "按时", "及时", "当场", "书面", "电话", "予以", "建议",
    "提案", "咨询", "留言", "信访", "来信", "来访", "热线", "工单", "诉求", "12345", "复议",
    "诉讼", "投诉", "举报",
];

/// Every narrative claim this rule compares with the tables. Add a row only when the
/// wording names exactly one table quantity.
static CLAIMS: &[Claim] = &[
    Claim {
        verbs: &["收到", "受理", "新收", "接收", "接到"],
        objects: APPLICATIONS,
        cells: &["s3.new_received.total"],
        may_leave_out: &[],
        needs_disclosure: false,
        // The number may include applications carried over from last year.
        sentence_stops: &["结转"],
        prefix_stops: &[],
        what_zh: "本年新收政府信息公开申请",
        what_en: "new disclosure applications",
        table_zh: "第三部分表格“一、本年新收政府信息公开申请数量”总计",
        table_en: "section 3, row “一、本年新收政府信息公开申请数量”, total",
    },
    Claim {
        verbs: &["上一年度结转", "上年度结转", "上年结转", "从上年结转"],
        objects: &["政府信息公开申请", "依申请公开申请", "申请", ""],
        cells: &["s3.carried_over.total"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "上年结转政府信息公开申请",
        what_en: "applications carried over from last year",
        table_zh: "第三部分表格“二、上年结转政府信息公开申请数量”总计",
        table_en: "section 3, row “二、上年结转政府信息公开申请数量”, total",
    },
    Claim {
        verbs: &["结转"],
        objects: &[
            "至下一年度继续办理",
            "到下一年度继续办理",
            "至下年度继续办理",
            "到下年度继续办理",
            "下一年度继续办理",
            "下年度继续办理",
            "至下年度办理",
            "下年度办理",
            "至下一年度",
            "到下一年度",
            "至下年度",
            "到下年度",
            "下一年度",
            "下年度",
        ],
        cells: &["s3.carried_forward.total"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "结转下年度继续办理的申请",
        what_en: "applications carried forward to next year",
        table_zh: "第三部分表格“四、结转下年度继续办理”总计",
        table_en: "section 3, row “四、结转下年度继续办理”, total",
    },
    Claim {
        verbs: &["办结"],
        objects: CLOSED_OBJECTS,
        cells: &["s3.results_total.total"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: CLOSED_PREFIX_STOPS,
        what_zh: "办结政府信息公开申请",
        what_en: "applications closed",
        table_zh: "第三部分表格“三、本年度办理结果”中“（七）总计”",
        table_en: "section 3, row “三、本年度办理结果 (七) 总计”, total",
    },
    Claim {
        verbs: &["答复"],
        objects: CLOSED_OBJECTS,
        cells: &["s3.results_total.total"],
        may_leave_out: &[
            "s3.other_no_correction.total",
            "s3.other_unpaid_fee.total",
            "s3.other_other.total",
        ],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: CLOSED_PREFIX_STOPS,
        what_zh: "答复政府信息公开申请",
        what_en: "applications answered",
        table_zh: "第三部分表格“三、本年度办理结果”中“（七）总计”",
        table_en: "section 3, row “三、本年度办理结果 (七) 总计”, total",
    },
    Claim {
        verbs: &["被申请", "引发"],
        objects: &["行政复议案件", "行政复议申请", "行政复议"],
        cells: &["s4.reconsideration.total"],
        may_leave_out: &[],
        needs_disclosure: true,
        sentence_stops: &[],
        prefix_stops: &[],
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
        may_leave_out: &[],
        needs_disclosure: true,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "因政府信息公开被提起行政诉讼",
        what_en: "administrative lawsuits over disclosure",
        table_zh: "第四部分表格“未经复议直接起诉”与“复议后起诉”总计之和",
        table_en: "section 4, totals of “未经复议直接起诉” and “复议后起诉” combined",
    },
    Claim {
        verbs: &["制发", "印发"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.issued"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "本年制发行政规范性文件",
        what_en: "normative documents issued this year",
        table_zh: "第二部分表格“行政规范性文件”“本年制发件数”",
        table_en: "section 2, “行政规范性文件”, issued this year",
    },
    Claim {
        verbs: &["废止"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.repealed"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "本年废止行政规范性文件",
        what_en: "normative documents repealed this year",
        table_zh: "第二部分表格“行政规范性文件”“本年废止件数”",
        table_en: "section 2, “行政规范性文件”, repealed this year",
    },
    Claim {
        verbs: &["现行有效"],
        objects: NORMATIVE,
        cells: &["s2.normative_documents.in_force"],
        may_leave_out: &[],
        needs_disclosure: false,
        sentence_stops: &[],
        prefix_stops: &[],
        what_zh: "现行有效行政规范性文件",
        what_en: "normative documents in force",
        table_zh: "第二部分表格“行政规范性文件”“现行有效件数”",
        table_en: "section 2, “行政规范性文件”, in force",
    },
];

/// Words allowed between the object and the number, longest first.
const FILLERS: [&str; 14] = [
    "数量", "总数", "合计", "总计", "申请", "共", "计", "为", "达", "了", "数", "的", "：", ":",
];

/// Units that may follow the number.
const UNITS: [char; 3] = ['件', '宗', '起'];

/// Words before the claim that stop the comparison: a part, another year, another scope
/// (a sub-unit, the whole county), or a plan. The agency naming itself (`本街道`, `我镇`)
/// is removed first (see [`SelfNames`]), so `街道` here is another street office.
const PREFIX_STOPS: [&str; 42] = [
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
    "全镇",
    "全乡",
    "全街道",
    "各部门",
    "各单位",
    "乡镇",
    "街道",
    "社区",
    "村",
    "分局",
    "下属",
    "所属",
    "直属",
    "二级",
    "科室",
    "派出",
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
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let names = SelfNames::new(report.meta.agency.as_deref());
        let mut seen: Vec<(usize, u64)> = Vec::new();
        for (section, text) in ctx.section_texts() {
            for s in text.sentences() {
                for (c, stated) in stated_counts(text, s.clone(), &names, report.meta.year) {
                    let claim = &CLAIMS[c];
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
                    if !claim.may_leave_out.is_empty() {
                        // Unknown slack (a cell blank or not read): no verdict on a smaller number.
                        let Some(slack) = sum_of(report, claim.may_leave_out) else {
                            continue;
                        };
                        if found < expected && found + slack >= expected {
                            continue;
                        }
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
    sum_of(report, claim.cells)
}

/// The sum of cells, when every one is in the format, filled and certain.
fn sum_of(report: &Report, cells: &[&str]) -> Option<Value> {
    let mut sum = Value::int(0);
    for id in cells {
        report.format.cell(id)?;
        if report.is_uncertain(id) {
            return None;
        }
        sum = sum + report.get(id)?;
    }
    Some(sum)
}

/// A claim written in a sentence: which claim, where it starts and ends, the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    claim: usize,
    start: usize,
    end: usize,
    count: u64,
}

/// Every claim written in sentence `s` (verb, object, fillers, number, unit), before any
/// judgement of its context.
/// A first character and the `(claim, verb)` indices of the verbs it starts.
type VerbStart = (char, Vec<(usize, usize)>);

/// Every claim's verbs by their first character, as `(claim, verb)` indices in the order
/// [`written`] tries them: a sentence is then scanned once instead of once per verb (the
/// narrative rules were a fifth of the time of reading and checking a real page).
static VERB_STARTS: LazyLock<Vec<VerbStart>> = LazyLock::new(|| {
    let mut starts: Vec<VerbStart> = Vec::new();
    for (c, claim) in CLAIMS.iter().enumerate() {
        for (k, verb) in claim.verbs.iter().enumerate() {
            let Some(first) = verb.chars().next() else {
                continue;
            };
            match starts.iter_mut().find(|(f, _)| *f == first) {
                Some((_, list)) => list.push((c, k)),
                None => starts.push((first, vec![(c, k)])),
            }
        }
    }
    starts.sort_by_key(|(f, _)| *f);
    starts
});

fn written(text: &Narrative, s: Range<usize>) -> Vec<Written> {
    // Where each verb occurs (the whole verb inside the sentence), then tried claim by
    // claim and verb by verb, each verb's places in order.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    let chars = text.chars();
    for i in s.clone() {
        let Ok(at) = VERB_STARTS.binary_search_by_key(&chars[i], |(f, _)| *f) else {
            continue;
        };
        for &(c, k) in &VERB_STARTS[at].1 {
            let verb = CLAIMS[c].verbs[k];
            if i + verb.chars().count() <= s.end && text.is_at(i, verb) {
                hits.push((c, k, i));
            }
        }
    }
    hits.sort_unstable();
    let mut out: Vec<Written> = Vec::new();
    for (c, k, v) in hits {
        let claim = &CLAIMS[c];
        if out
            .iter()
            .any(|w| w.claim == c && w.start <= v && v < w.end)
        {
            continue;
        }
        if let Some((count, end)) =
            count_after_verb(text, v + claim.verbs[k].chars().count(), s.end, claim)
        {
            out.push(Written {
                claim: c,
                start: v,
                end,
                count,
            });
        }
    }
    out.sort_by_key(|w| (w.start, w.claim));
    out
}

/// The (claim, number) pairs sentence `s` states unambiguously for the reporting agency
/// and the report year, in order.
fn stated_counts(
    text: &Narrative,
    s: Range<usize>,
    names: &SelfNames,
    year: Option<i32>,
) -> Vec<(usize, u64)> {
    let all = written(text, s.clone());
    let mut out = Vec::new();
    for w in &all {
        let claim = &CLAIMS[w.claim];
        if claim
            .sentence_stops
            .iter()
            .any(|stop| text.contains(s.clone(), stop))
        {
            continue;
        }
        let prefix = s.start..w.start;
        // The words before the claim, without the agency's own names and without the
        // other claims already written before it (`上年结转1件，结转下年度1件`).
        let mut words = names.mask(text, prefix.clone());
        for other in all.iter().filter(|o| o.end <= w.start) {
            let masked = names.mask(text, other.start..other.end);
            words = words.replacen(&masked, "□", 1);
        }
        let stopped = PREFIX_STOPS
            .iter()
            .chain(claim.prefix_stops)
            .any(|stop| words.contains(stop));
        let negated = NEGATIONS.iter().any(|n| {
            let len = n.chars().count();
            w.start >= s.start + len && text.is_at(w.start - len, n)
        });
        if !stopped
            && !negated
            && other_period_or_plan_free(text, prefix.clone(), year)
            && (!claim.needs_disclosure || text.contains(prefix, "信息公开"))
        {
            out.push((w.claim, w.count));
        }
    }
    out
}

/// Object, fillers, number and unit right after a verb ending at `i`: (number, end of the
/// unit).
fn count_after_verb(text: &Narrative, i: usize, end: usize, claim: &Claim) -> Option<(u64, usize)> {
    // The longest object that is followed by a number; `""` tries the number directly.
    claim.objects.iter().find_map(|object| {
        if !text.is_at(i, object) {
            return None;
        }
        let mut j = i + object.chars().count();
        for _ in 0..3 {
            match FILLERS.iter().find(|f| text.is_at(j, f)) {
                Some(f) => j += f.chars().count(),
                None => break,
            }
        }
        let (n, k) = text.count_at(j)?;
        (k < end && UNITS.contains(&text.chars()[k])).then_some((n, k + 1))
    })
}

/// False when the words before the claim name another year, a period since some earlier
/// time, or a plan.
fn other_period_or_plan_free(text: &Narrative, prefix: Range<usize>, year: Option<i32>) -> bool {
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

    /// The straightforward form of [`written`] (one scan per verb), kept as its reference.
    fn written_reference(text: &Narrative, s: Range<usize>) -> Vec<Written> {
        let mut out: Vec<Written> = Vec::new();
        for (c, claim) in CLAIMS.iter().enumerate() {
            for verb in claim.verbs {
                for v in text.find_all(verb, s.clone()) {
                    if out
                        .iter()
                        .any(|w| w.claim == c && w.start <= v && v < w.end)
                    {
                        continue;
                    }
                    if let Some((count, end)) =
                        count_after_verb(text, v + verb.chars().count(), s.end, claim)
                    {
                        out.push(Written {
                            claim: c,
                            start: v,
                            end,
                            count,
                        });
                    }
                }
            }
        }
        out.sort_by_key(|w| (w.start, w.claim));
        out
    }

    /// The one-pass scan finds what the per-verb scans find, on every sentence of the five
    /// seed reports and on sentences built to overlap verbs (`上年结转` inside
    /// `从上年结转`, two claims in one sentence, a verb at the very end).
    #[test]
    fn the_one_pass_scan_equals_the_per_verb_scans() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        texts.push("从上年结转3件，上年结转2件；本年收到申请5件、受理4件，新收1件。收到".into());
        texts.push("上一年度结转一件，上年度结转十二件，接到 7 件".into());
        let mut sentences = 0;
        for t in &texts {
            let n = Narrative::new(t);
            for s in n.sentences() {
                assert_eq!(
                    written(&n, s.clone()),
                    written_reference(&n, s.clone()),
                    "{}",
                    n.excerpt(s.clone(), 80)
                );
                sentences += 1;
            }
        }
        assert!(sentences > 100, "{sentences} sentences");
    }

    /// Index of the claim whose cells are `cells`.
    fn claim(cell: &str) -> usize {
        CLAIMS
            .iter()
            .position(|c| c.cells[0] == cell)
            .expect("a claim on the cell")
    }

    /// The first claim and number found in `sentence`, for a 2023 report of 洪门街道办事处.
    fn stated(sentence: &str) -> Option<(usize, u64)> {
        let t = Narrative::new(sentence);
        let names = SelfNames::new(Some("红旗区洪门街道办事处"));
        t.sentences().iter().find_map(|s| {
            stated_counts(&t, s.clone(), &names, Some(2023))
                .first()
                .copied()
        })
    }

    #[test]
    fn reads_clear_claims() {
        let received = claim("s3.new_received.total");
        let carried_over = claim("s3.carried_over.total");
        let forward = claim("s3.carried_forward.total");
        let closed = claim("s3.results_total.total");
        let answered = CLAIMS
            .iter()
            .position(|c| c.verbs == ["答复"])
            .expect("the 答复 claim");
        for (text, claim, n) in [
            // seed 001
            ("今年以来，我办收到依申请公开件数 0 件。", received, 0),
            (
                "2023年，我局共受理政府信息公开申请12件，同比增长20%。",
                received,
                12,
            ),
            (
                "本年度共收到政府信息公开申请十二件，均已按时答复。",
                received,
                12,
            ),
            ("本年新收政府信息公开申请数量为3件。", received, 3),
            // The agency as subject, in any form.
            ("本街道共受理政府信息公开申请18件。", received, 18),
            ("洪门街道共受理政府信息公开申请18件。", received, 18),
            ("本机关本年度共收到政府信息公开申请7件。", received, 7),
            ("我镇全年受理依申请公开事项4件。", received, 4),
            (
                "区政府办代表区政府共受理政府信息公开申请25件。",
                received,
                25,
            ),
            ("本年度办结18件。", closed, 18),
            ("共办结政府信息公开申请9件。", closed, 9),
            ("本单位共答复政府信息公开申请6件。", answered, 6),
            ("上年结转1件，结转下年度继续办理2件。", carried_over, 1),
            ("结转下年度继续办理2件。", forward, 2),
            (
                "共收到政府信息公开申请12件（含上年结转3件）。",
                carried_over,
                3,
            ),
            (
                "本年度因政府信息公开被申请行政复议1件。",
                claim("s4.reconsideration.total"),
                1,
            ),
            (
                "全年制发行政规范性文件11件。",
                claim("s2.normative_documents.issued"),
                11,
            ),
            (
                "现行有效规范性文件共119件。",
                claim("s2.normative_documents.in_force"),
                119,
            ),
        ] {
            assert_eq!(stated(text), Some((claim, n)), "{text}");
        }
        let t = Narrative::new("上年结转1件，结转下年度继续办理2件。");
        let names = SelfNames::new(None);
        let all = stated_counts(&t, t.sentences()[0].clone(), &names, Some(2023));
        assert_eq!(all, [(carried_over, 1), (forward, 2)]);
    }

    #[test]
    fn ignores_unclear_claims() {
        for text in [
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
            // A sub-unit's count, another street office, another kind of item, a part.
            "下属市场监管所受理政府信息公开申请3件。",
            "各街道共受理政府信息公开申请40件。",
            "我局分局受理政府信息公开申请2件。",
            "办理人大代表建议、政协提案，办结12件。",
            "答复网民留言86件。",
            "12345热线工单办结300件。",
            "逾期答复1件。",
            "未办结2件。",
            "2022年度结转下年度继续办理3件。",
            "2024年，将结转下年度的申请办结2件。",
        ] {
            assert_eq!(stated(text), None, "{text}");
        }
    }
}
