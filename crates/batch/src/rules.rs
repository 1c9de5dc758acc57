//! The findings a batch adds to the checker's: rules that need more than one file.
//!
//! Each is a [`RuleMeta`] — stable code, name, severity, summaries and a Chinese explanation
//! (检查什么 / 为什么 / 法律依据 / 示例) — the same metadata as the checker's rules, so
//! `gongkai rules` lists and explains both from one catalogue. They appear in the same
//! findings table as the checker's findings, on the row of the file they are about.
//!
//! | code | severity | what |
//! |---|---|---|
//! | BAT001 | error | the file could not be read as an annual report |
//! | BAT002 | warning | no agency or no year in the report: left out of pairing, duplicates and roll-up |
//! | DUP001 | warning | another, different report for the same agency and year |
//! | DUP002 | warning | another file with identical content |
//! | YOY001 | error | 二、上年结转 (N) ≠ 四、结转下年度继续办理 (N−1), per applicant column |
//! | YOY002 | warning | 现行有效件数 (N) ≠ 现行有效件数 (N−1) + 本年制发 (N) − 本年废止 (N) |
//! | YOY003 | warning | a key figure jumped by a factor of 5 or more and by at least 50 |
//! | YOY004 | warning | 80 % or more of the narrative sentences repeat the previous year's |

use gongkai_check::{Lang, RuleMeta, Severity};
use gongkai_report::Value;
use serde::Serialize;

/// Year-over-year jump: flagged when the larger value is at least this many times the
/// smaller (a zero counts as one) …
pub const JUMP_FACTOR: i64 = 5;
/// … and the two differ by at least this much.
pub const JUMP_MIN_DIFFERENCE: i64 = 50;
/// The figures watched for jumps: cell id and a short Chinese name.
pub const JUMP_CELLS: [(&str, &str); 8] = [
    ("s3.new_received.total", "本年新收申请总数"),
    ("s3.results_total.total", "办理结果总计"),
    ("s3.granted.total", "予以公开"),
    ("s4.reconsideration.total", "行政复议总计"),
    ("s4.litigation_direct.total", "未经复议直接起诉总计"),
    ("s2.licensing.decisions", "行政许可处理决定数"),
    ("s2.penalties.decisions", "行政处罚处理决定数"),
    ("s2.coercion.decisions", "行政强制处理决定数"),
];

/// Copied narrative: flagged at or above this share of repeated sentences …
pub const COPY_SHARE_PERCENT: usize = 80;
/// … when the report has at least this many comparable sentences.
pub const COPY_MIN_SENTENCES: usize = 5;

pub const BAT001: RuleMeta = RuleMeta {
    code: "BAT001",
    name: "unreadable-file",
    severity: Severity::Error,
    summary_zh: "文件无法作为年度报告读取",
    summary_en: "The file could not be read as an annual report",
    explanation: r#"## unreadable-file (BAT001)

### 检查什么

文件不存在、无法打开、格式暂不支持（PDF、旧版 Word），或者读取后不是政府信息公开工作年度报告。原因写在报告表的“原因”一栏和本条消息中。

### 为什么

批量检查时，一个坏文件不能中断整批；但它必须被列出，否则汇总和覆盖情况会悄悄漏掉一份报告。

### 法律依据

不是法律规则，是批量检查本身的要求：《中华人民共和国政府信息公开条例》第四十九条、第五十条规定的每份年度报告都应当能被读取和核对。

### 示例

```text
error[BAT001]: 无法读取：文件过大（30000000 字节，上限 20000000 字节）
```
"#,
};

pub const BAT002: RuleMeta = RuleMeta {
    code: "BAT002",
    name: "unknown-identity",
    severity: Severity::Warning,
    summary_zh: "报告中找不到机关名称或年度，不参与逐年对比、查重和汇总",
    summary_en: "No agency or year in the report: left out of pairing, duplicates and roll-up",
    explanation: r#"## unknown-identity (BAT002)

### 检查什么

标题（或落款）中读不出发布机关，或标题中读不出报告年度。

### 为什么

机关和年度只取自报告本身，不取自文件名。两者缺一，就无法与上一年度配对、无法判断是否重复、也无法计入辖区汇总。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）：年度报告标题写明机关名称和报告年度，并署名、注明日期。

### 示例

```text
warning[BAT002]: 报告标题和落款中找不到报告年度，本报告不参与逐年对比、查重和汇总
```
"#,
};

pub const DUP001: RuleMeta = RuleMeta {
    code: "DUP001",
    name: "conflicting-versions",
    severity: Severity::Warning,
    summary_zh: "同一机关同一年度有多份内容不同的报告",
    summary_en: "Another, different report exists for the same agency and year",
    explanation: r#"## conflicting-versions (DUP001)

### 检查什么

两份以上内容不同的报告，标注的是同一机关（按规范化名称）和同一年度。

### 为什么

中国社会科学院的评估把“不同平台的版本不一致”“发布后修改报告”列为问题。汇总时只能采用其中一份：本工具采用印出日期最晚的一份，日期相同时采用错误较少的一份，再相同时按文件路径取第一份；消息中写明采用了哪一份。

### 法律依据

《中华人民共和国政府信息公开条例》第四十九条：每个机关每年公布一份上一年度的年度报告；同一年度的多个版本中只有一份能是正式文本。

### 示例

```text
warning[DUP001]: 同一机关同一年度还有 1 份内容不同的报告（b.txt）；逐年对比和汇总采用 b.txt
```
"#,
};

pub const DUP002: RuleMeta = RuleMeta {
    code: "DUP002",
    name: "duplicate-file",
    severity: Severity::Warning,
    summary_zh: "与另一文件内容完全相同（重复文件）",
    summary_en: "Another file has identical content",
    explanation: r#"## duplicate-file (DUP002)

### 检查什么

两个文件读出的内容完全相同：200 个单元格相同，导语和第一、五、六部分的正文逐字相同（忽略空白、标点和全角半角差别）。文件格式可以不同（例如同一份报告的网页版和文本版）。

### 为什么

重复文件只能计入一次。按文件路径取第一份参与逐年对比和汇总，其余标注本条。若内容相同而标注的机关或年度不同，说明报告抄自其他机关或年度。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：内容雷同的年度报告依照条例第四十七条追责。

### 示例

```text
warning[DUP002]: 与 a.txt 内容完全相同（重复文件），逐年对比和汇总只计后者
```
"#,
};

pub const YOY001: RuleMeta = RuleMeta {
    code: "YOY001",
    name: "carry-over-mismatch",
    severity: Severity::Error,
    summary_zh: "二、上年结转（本年度）不等于上一年度报告的四、结转下年度继续办理",
    summary_en: "Carried over (year N) differs from carried forward in the year N−1 report",
    explanation: r#"## carry-over-mismatch (YOY001)

### 检查什么

同一机关相邻两年的报告，第三部分每一列：本年度“二、上年结转政府信息公开申请数量”应等于上一年度“四、结转下年度继续办理”。任一单元格为空白时不比较。

### 为什么

上一年度结转到下一年度继续办理的申请，就是下一年度从上年结转来的申请。两者不等，说明其中一年的表格数据有误。

### 法律依据

由表格结构推出的跨年勾稽关系（`shared/spec/regulations.md` §1.6 规则 5），第三方检查工具普遍采用。

### 示例

```text
error[YOY001]: 第三部分“自然人”列：二、上年结转（3）不等于 2022 年度报告的四、结转下年度继续办理（1），相差 2
```
"#,
};

pub const YOY002: RuleMeta = RuleMeta {
    code: "YOY002",
    name: "in-force-mismatch",
    severity: Severity::Warning,
    summary_zh: "现行有效件数不等于上年现行有效件数加本年制发减本年废止",
    summary_en: "In force (N) ≠ in force (N−1) + issued (N) − repealed (N)",
    explanation: r#"## in-force-mismatch (YOY002)

### 检查什么

规章、行政规范性文件两行：本年度“现行有效件数”应等于上一年度“现行有效件数”加本年度“本年制发件数”减“本年废止件数”。只比较两年都是 2021 年格式、四个单元格都有数值的情形。

### 为什么

现行有效件数是存量，制发和废止是当年的增减。不等式常见于把累计数和当年数混填；但文件也可能因失效（未经废止）而减少，或在统计口径调整后变化，所以是警告而不是错误。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第二部分“第二十条第（一）项”表：本年制发件数、本年废止件数、现行有效件数。

### 示例

```text
warning[YOY002]: 第二部分“行政规范性文件”：现行有效件数（12）不等于 2022 年度现行有效件数 10 + 本年制发 2 − 本年废止 1 = 11，相差 1
```
"#,
};

pub const YOY003: RuleMeta = RuleMeta {
    code: "YOY003",
    name: "large-jump",
    severity: Severity::Warning,
    summary_zh: "关键数据与上年相比变化异常（5 倍以上且相差 50 以上）",
    summary_en: "A key figure changed by a factor of 5 or more and by at least 50",
    explanation: r#"## large-jump (YOY003)

### 检查什么

同一机关相邻两年的关键数据（本年新收申请总数、办理结果总计、予以公开、行政复议总计、未经复议直接起诉总计、行政许可、行政处罚、行政强制处理决定数）：较大的一年是较小一年的 5 倍以上（0 按 1 计），并且两者相差 50 以上。

### 为什么

这种跳变多半是填错了栏、错了单位或多了一位数字，也可能确有原因（机构合并、专项整治）；需要人工核实，所以是警告。相差 50 的下限避免小机关从 0 件变为 3 件这类正常波动被提示。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：年度报告不准确的，依照条例第四十七条追责。阈值（5 倍、相差 50）是本工具的经验值，不是法定标准。

### 示例

```text
warning[YOY003]: 本年新收申请总数从 2022 年度的 12 变为 120（增至 10.0 倍），请核实
```
"#,
};

pub const YOY004: RuleMeta = RuleMeta {
    code: "YOY004",
    name: "copied-narrative",
    severity: Severity::Warning,
    summary_zh: "正文与上一年度报告大量雷同（80% 以上的句子相同）",
    summary_en: "80% or more of the narrative sentences repeat the previous year's report",
    explanation: r#"## copied-narrative (YOY004)

### 检查什么

本年度报告正文（导语和第一、五、六部分的文字；第二至四部分是表格，其说明文字由格式规定，不比较）中，有多少句子在上一年度报告中出现过。比较前去掉空白和标点、统一全角半角、把每一串数字视为相同（所以只改年份和数字的句子算作相同），不足 10 个字的句子不计。本年度至少有 5 个可比句子、且 80% 以上相同时提示。每一对报告的相同比例都写在逐年对比表中。

### 为什么

年度报告格式的“明确责任”要求对内容雷同、敷衍塞责的报告追责；2017 年法治蓝皮书发现有的报告约 90% 的文字与上一年相同；东莞市统计局曾连续几年发布除年份外逐字相同的报告。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）“明确责任”部分：年度报告内容雷同、敷衍塞责的，依照《中华人民共和国政府信息公开条例》第四十七条追责。

### 示例

```text
warning[YOY004]: 正文 20 句中有 18 句（90%）与 2022 年度报告（a.txt）相同（不计数字差别）
```
"#,
};

/// Every batch rule, ordered by code.
pub const RULES: [RuleMeta; 8] = [
    BAT001, BAT002, DUP001, DUP002, YOY001, YOY002, YOY003, YOY004,
];

/// Every batch rule, ordered by code.
pub fn rules() -> &'static [RuleMeta] {
    &RULES
}

/// A batch rule by code, case-insensitive.
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// One row of the findings table: a checker finding or a batch finding, flattened, with
/// the file and its identity repeated so the table can be filtered on its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub file: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub code: &'static str,
    pub severity: Severity,
    /// Section number 1..=6 the finding is about, if any.
    pub section: Option<u8>,
    pub message_zh: String,
    pub message_en: String,
    /// Ids of the cells involved.
    pub cells: Vec<String>,
    pub expected: Option<Value>,
    pub found: Option<Value>,
    pub difference: Option<Value>,
    /// Where in the file (`line:column`, `table 2, row 3, column 4`, …).
    pub location: Option<String>,
}

impl FindingRow {
    /// A finding of batch rule `rule` on `file` with the two messages.
    pub(crate) fn batch(
        rule: &RuleMeta,
        file: &str,
        agency: Option<&str>,
        year: Option<i32>,
        message_zh: String,
        message_en: String,
    ) -> Self {
        FindingRow {
            file: file.to_string(),
            agency: agency.map(str::to_string),
            year,
            code: rule.code,
            severity: rule.severity,
            section: None,
            message_zh,
            message_en,
            cells: Vec::new(),
            expected: None,
            found: None,
            difference: None,
            location: None,
        }
    }

    /// A checker finding on `file`.
    pub(crate) fn from_check(
        f: &gongkai_check::Finding,
        file: &str,
        agency: Option<&str>,
        year: Option<i32>,
    ) -> Self {
        FindingRow {
            file: file.to_string(),
            agency: agency.map(str::to_string),
            year,
            code: f.code,
            severity: f.severity,
            section: f.section,
            message_zh: f.message_zh.clone(),
            message_en: f.message_en.clone(),
            cells: f.cells.iter().map(|c| c.id.clone()).collect(),
            expected: f.expected,
            found: f.found,
            difference: f.difference,
            location: f
                .loc
                .filter(|l| !matches!(l, gongkai_report::Location::None))
                .map(|l| l.to_string()),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ordered_and_unique() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        let problems = gongkai_check::catalogue_problems(gongkai_check::metas().chain(&RULES));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(rule("yoy001").map(|r| r.code), Some("YOY001"));
    }
}
