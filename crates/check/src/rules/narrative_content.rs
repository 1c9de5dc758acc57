use std::sync::LazyLock;

use chrono::NaiveDate;
use gongkai_lint::{Category, Linter, OfficeLists, Options};
use gongkai_report::{Block, Document, Location, Paragraph, Report, Section};

use super::section_zh;
use crate::{Finding, Rule, RuleMeta, Severity};

rule!(NarrativeContent {
    code: "CNT001",
    name: "narrative-content",
    severity: Error,
    summary_zh: "正文有错敏内容：泄露个人信息（错误），或过时的机构名称、法规引用、错别字、不可能的日期（警告）",
    summary_en: "The narrative leaks personal data (error), or has outdated names or citations, typos or impossible dates (warning)",
    explanation: r#"## narrative-content (CNT001)

### 检查什么

在报告的正文（标题下的导语和第一至第六部分的文字）上运行错敏排查（`gongkai lint`）的全部内置规则：

- 个人信息：未遮盖的公民身份号码（按 GB 11643 校验码和出生日期验证）、手机号码、银行卡号（Luhn 校验）。报告为**错误**，并给出遮盖后的写法。
- 过时的机构名称、过时的法规引用（如 2019 年以后仍引用 2007 年条例）、常见错别字、不可能的日期或与日期不符的星期。报告为**警告**：年度报告回顾全年工作，提到改革前的机构或旧法规有时正是所述之事，由撰写人判断。

报告的日期取其落款或标题下印出的日期（取最晚的一个），据此判断某个名称或引用当时是否已经过时。每条发现写明所属部分、命中的原文和建议；`gongkai rules PII001` 等给出各条内容规则的完整说明和依据。可信度低的命中（如校验码不符、只是形似身份号码的数字）不报告。

### 为什么

年度报告在政府网站公开，正文里的错别字、过时表述和泄露的个人信息与任何公开稿件一样会被网站检查和评估扣分；泄露个人信息更直接违法。各地年报都写有“杜绝错别字”“落实保密审查”，检查年报时应一并排查。

### 法律依据

《中华人民共和国政府信息公开条例》第十五条（涉及个人隐私的政府信息不得公开）、第十七条（行政机关应当建立健全政府信息公开审查机制）；《中华人民共和国个人信息保护法》第二十八条（敏感个人信息，包括身份证件号码、金融账户）；《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）将“严重错别字”“严重表述错误”“泄露国家秘密或个人隐私”列为单项否决。

### 示例

```text
error[CNT001]: 第三部分正文：公民身份号码未遮盖（PII001）：…申请人李某（身份证号【410702198001011232】）… 建议：410702********1232
```
"#,
});

/// The shipped content rules with no office lists: built once (the automata take a few
/// milliseconds), shared by every check. `None` only if the shipped data were broken,
/// which the lint crate's own tests rule out; the checker then skips this rule rather
/// than stop every report check.
static LINTER: LazyLock<Option<Linter>> =
    LazyLock::new(|| Linter::new(OfficeLists::default(), Options::default()).ok());

impl Rule for NarrativeContent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let Some(linter) = LINTER.as_ref() else {
            return;
        };
        let date = report_date(report);
        let sections = report.meta.preamble.iter().chain(&report.sections);
        for section in sections {
            let doc = section_document(section);
            if doc.blocks.is_empty() {
                continue;
            }
            for f in linter.lint_document_dated(&doc, "", date) {
                if f.suppressed.is_some() || f.severity == gongkai_lint::Severity::Info {
                    continue;
                }
                let personal = gongkai_lint::rule(f.code)
                    .is_some_and(|r| r.category == Category::PersonalInformation);
                let where_zh = if section.number == 0 {
                    "标题下导语".to_string()
                } else {
                    format!("{}正文", section_zh(section.number))
                };
                let where_en = if section.number == 0 {
                    "preamble".to_string()
                } else {
                    format!("section {} text", section.number)
                };
                let excerpt = f.excerpt_marked();
                let (tip_zh, tip_en) = match &f.suggestion {
                    Some(s) => (format!(" 建议：{s}"), format!(" Suggestion: {s}")),
                    None => (String::new(), String::new()),
                };
                let mut finding = Finding::new(
                    self,
                    format!(
                        "{where_zh}：{}（{}）：…{excerpt}…{tip_zh}",
                        f.message_zh, f.code
                    ),
                    format!(
                        "{where_en}: {} ({}): …{excerpt}…{tip_en}",
                        f.message_en, f.code
                    ),
                );
                finding.severity = if personal {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                finding.section = (section.number > 0).then_some(section.number);
                finding.loc = Some(f.place.loc).filter(|l| !matches!(l, Location::None));
                out.push(finding);
            }
        }
    }
}

/// The latest date the report prints (its signature or publication date).
fn report_date(report: &Report) -> Option<NaiveDate> {
    report
        .meta
        .dates
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok())
        .max()
}

/// A section's text as a document of one paragraph per line, each located at the line
/// below the section's own location when that is a text line, else at the section.
fn section_document(section: &Section) -> Document {
    let blocks = section
        .text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let loc = match section.loc {
                Location::Text { line, .. } => Location::Text {
                    line: line
                        .saturating_add(1)
                        .saturating_add(u32::try_from(i).unwrap_or(u32::MAX)),
                    column: 1,
                },
                other => other,
            };
            Block::Paragraph(Paragraph {
                text: l.to_string(),
                loc,
            })
        })
        .collect();
    Document { blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_with(section: u8, text: &str, date: Option<&str>) -> Report {
        let mut r = Report::new(gongkai_format::FormatVersion::Revised2021);
        r.sections.push(Section {
            number: section,
            heading: "三、收到和处理政府信息公开申请情况".into(),
            text: text.into(),
            loc: Location::Text {
                line: 40,
                column: 1,
            },
        });
        if let Some(d) = date {
            r.meta.dates.push(gongkai_report::PrintedDate {
                date: d.into(),
                text: d.into(),
                loc: Location::None,
            });
        }
        r
    }

    fn findings(r: &Report) -> Vec<Finding> {
        let mut out = Vec::new();
        NarrativeContent.check(&crate::Context::new(r), &mut out);
        out
    }

    #[test]
    fn an_unmasked_id_number_is_an_error_with_its_section_and_line() {
        let r = report_with(
            3,
            "本年度办理申请12件。\n申请人李某（身份证号110101199003077571）申请公开征收补偿信息。",
            Some("2024-01-20"),
        );
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].section, Some(3));
        assert_eq!(
            f[0].loc,
            Some(Location::Text {
                line: 42,
                column: 11
            })
        );
        assert!(
            f[0].message_zh.starts_with("第三部分正文："),
            "{}",
            f[0].message_zh
        );
        assert!(f[0].message_zh.contains("PII001"), "{}", f[0].message_zh);
        assert!(
            f[0].message_zh.contains("110101********7571"),
            "{}",
            f[0].message_zh
        );
    }

    #[test]
    fn masked_numbers_and_clean_text_give_nothing() {
        let r = report_with(
            3,
            "申请人李某（身份证号110101********7571）申请公开征收补偿信息，已按期答复。",
            Some("2024-01-20"),
        );
        assert!(findings(&r).is_empty());
    }

    #[test]
    fn an_outdated_citation_is_only_a_warning() {
        let r = report_with(
            1,
            "本机关严格执行《中华人民共和国政府信息公开条例》（国务院令第492号）。",
            Some("2024-01-20"),
        );
        let f = findings(&r);
        assert!(!f.is_empty());
        assert!(f.iter().all(|f| f.severity == Severity::Warning), "{f:#?}");
    }
}
