use gongkai_format::SECTION_HEADINGS;
use gongkai_report::{Location, Report};

use super::{known, section_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(SectionsMissingOrDisordered {
    code: "STR001",
    name: "sections-missing-or-disordered",
    severity: Error,
    summary_zh: "六个部分不全、编号错位、标题被替换或顺序错乱",
    summary_en: "A section is missing, misnumbered, replaced by another heading, or out of order",
    explanation: r#"## sections-missing-or-disordered (STR001)

### 检查什么

年度报告必须依次包含六个部分：

1. 一、总体情况
2. 二、主动公开政府信息情况
3. 三、收到和处理政府信息公开申请情况
4. 四、政府信息公开行政复议、行政诉讼情况
5. 五、存在的主要问题及改进情况
6. 六、其他需要报告的事项

逐一核对这六个位置，按实际情况诊断，而不是一律报“缺少”：

- **编号错位**：某部分的标题在报告中，但印的编号不对（如“存在的主要问题及改进情况”印为“六、”），报告“……印为第六部分”；
- **标题被替换或改名**：某一编号下印的是别的标题（如“五、信息处理费收取情况”），报告“第五部分应为‘五、存在的主要问题及改进情况’，报告中为‘五、信息处理费收取情况’”；
- **缺少**：既找不到这一部分的标题，也没有印着这一编号的标题，才报告缺少；
- **顺序颠倒或重复**：各部分的先后次序不对，另报一次。

判断一个标题属于哪一部分，看标题文字中的关键词（“总体情况”“主动公开”“收到和处理”“行政复议”“问题”“改进”“其他需要报告”等）；读取时未被识别为六个部分之一、但单独成行的编号标题（如“五、信息处理费收取情况”）也参与诊断。

### 为什么

六个部分对应条例规定的年度报告法定内容。缺少一个部分，就缺少一项法定内容；实践中曾有报告声称“共六部分”却只列五部分、缺少复议诉讼部分（regulations.md §5.3）。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括主动公开、收到和处理申请、行政复议和行政诉讼、存在的主要问题及改进情况、其他需要报告的事项；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）规定了六个部分的标题和顺序。

### 示例

```text
error[STR001]: 报告缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”
error[STR001]: 第五部分应为“五、存在的主要问题及改进情况”，报告中为“五、信息处理费收取情况”；“存在的主要问题及改进情况”印为第六部分
```
"#,
});

impl Rule for SectionsMissingOrDisordered {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let printed = printed_headings(report);
        let mut missing: Vec<u8> = Vec::new();
        for n in 1..=6u8 {
            match diagnose(&printed, n) {
                Slot::Fine => {}
                Slot::Missing => missing.push(n),
                Slot::Wrong { at_slot, home } => {
                    out.push(self.wrong_slot(report, n, at_slot, home));
                }
            }
        }
        if !missing.is_empty() {
            let zh = missing
                .iter()
                .map(|&n| format!("“{}”", SECTION_HEADINGS[usize::from(n) - 1].0))
                .collect::<Vec<_>>()
                .join("、");
            let en = missing
                .iter()
                .map(|&n| format!("{n} “{}”", SECTION_HEADINGS[usize::from(n) - 1].0))
                .collect::<Vec<_>>()
                .join(", ");
            let (msg_zh, msg_en) = match missing.as_slice() {
                [n] => (
                    format!("报告缺少{}{zh}", section_zh(*n)),
                    format!("The report lacks section {en}"),
                ),
                _ => (
                    format!("报告缺少{}个部分：{zh}", missing.len()),
                    format!("The report lacks {} sections: {en}", missing.len()),
                ),
            };
            let mut f = Finding::new(self, msg_zh, msg_en);
            f.section = (missing.len() == 1).then(|| missing[0]);
            out.push(f);
        }
        let numbers: Vec<u8> = report.sections.iter().map(|s| s.number).collect();
        if let Some(pos) = numbers.windows(2).position(|w| w[0] >= w[1]) {
            let shown = numbers
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let second = &report.sections[pos + 1];
            let mut f = Finding::new(
                self,
                format!(
                    "各部分顺序错乱或重复：第{}部分出现在第{}部分之后（实际顺序 {shown}）",
                    second.number, numbers[pos]
                ),
                format!(
                    "Sections out of order or repeated: section {} follows section {} (order found: {shown})",
                    second.number, numbers[pos]
                ),
            );
            f.section = Some(second.number);
            f.loc = known(second.loc);
            out.push(f);
        }
    }
}

/// A heading as printed: a section's heading, or a short numbered line of running text
/// that the reader did not take for one of the six.
#[derive(Debug, Clone)]
struct Printed<'a> {
    text: &'a str,
    /// The number printed before `、` (1 for 一 … 10 for 十), if any.
    numeral: Option<u8>,
    /// The official section whose keywords the title contains.
    identity: Option<u8>,
    /// The section number the reader gave it, for a section heading.
    section: Option<u8>,
    loc: Location,
}

/// Longest stand-alone line taken as a heading (characters).
const HEADING_MAX: usize = 30;

const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// `一、…` → (1, `…`).
fn split_numeral(heading: &str) -> Option<(u8, &str)> {
    let t = heading.trim();
    let first = t.chars().next()?;
    let n = NUMERALS.iter().position(|&c| c == first)?;
    let rest = &t[first.len_utf8()..];
    let rest = rest
        .strip_prefix('、')
        .or_else(|| rest.strip_prefix('．'))
        .or_else(|| rest.strip_prefix('.'))?;
    Some((u8::try_from(n + 1).ok()?, rest.trim()))
}

/// The official section a title names, by its keywords; `prefer` wins when it matches.
fn identity(title: &str, prefer: Option<u8>) -> Option<u8> {
    let matches = |n: u8| {
        SECTION_HEADINGS[usize::from(n) - 1]
            .1
            .iter()
            .any(|k| title.contains(k))
    };
    if let Some(p) = prefer.filter(|&p| (1..=6).contains(&p) && matches(p)) {
        return Some(p);
    }
    (1..=6u8).find(|&n| matches(n))
}

/// Every heading printed in the report, sections first.
fn printed_headings(report: &Report) -> Vec<Printed<'_>> {
    let mut out: Vec<Printed<'_>> = report
        .sections
        .iter()
        .map(|s| {
            let (numeral, title) = match split_numeral(&s.heading) {
                Some((n, title)) => (Some(n), title),
                // An unnumbered heading: trust the reader's number.
                None => (Some(s.number), s.heading.trim()),
            };
            let identity = if title.is_empty() {
                Some(s.number)
            } else {
                identity(title, Some(s.number))
            };
            Printed {
                text: s.heading.trim(),
                numeral,
                identity,
                section: Some(s.number),
                loc: s.loc,
            }
        })
        .collect();
    for s in report.meta.preamble.iter().chain(&report.sections) {
        for line in s.text.lines().map(str::trim) {
            if line.chars().count() > HEADING_MAX || line.contains('。') {
                continue;
            }
            if let Some((n, title)) = split_numeral(line) {
                out.push(Printed {
                    text: line,
                    numeral: Some(n),
                    identity: identity(title, None),
                    section: None,
                    loc: s.loc,
                });
            }
        }
    }
    out
}

/// What is printed in place of section `n`.
enum Slot<'a> {
    Fine,
    Missing,
    /// `at_slot`: the heading printed with number `n` that is not section `n`'s title;
    /// `home`: section `n`'s title printed with another number.
    Wrong {
        at_slot: Option<&'a Printed<'a>>,
        home: Option<&'a Printed<'a>>,
    },
}

fn diagnose<'a>(printed: &'a [Printed<'a>], n: u8) -> Slot<'a> {
    // The numbers printed on the recognised sections: a stray line with one of these
    // numbers is a sub-heading (`一、存在的问题` inside section 5), not a section.
    let taken: Vec<u8> = printed
        .iter()
        .filter(|p| p.section.is_some())
        .filter_map(|p| p.numeral)
        .collect();
    let plausible =
        |p: &&Printed<'_>| p.section.is_some() || !taken.contains(&p.numeral.unwrap_or(0));
    let at_slot = printed
        .iter()
        .filter(plausible)
        .find(|p| p.numeral == Some(n) && p.section == Some(n))
        .or_else(|| {
            printed
                .iter()
                .filter(plausible)
                .find(|p| p.numeral == Some(n))
        });
    let home = printed
        .iter()
        .filter(plausible)
        .find(|p| p.identity == Some(n) && p.section == Some(n))
        .or_else(|| {
            printed
                .iter()
                .filter(plausible)
                .find(|p| p.identity == Some(n))
        });
    match (at_slot, home) {
        (Some(a), _) if a.identity == Some(n) => Slot::Fine,
        (None, None) => Slot::Missing,
        (a, h) => Slot::Wrong {
            at_slot: a,
            home: h.filter(|h| h.numeral != Some(n)),
        },
    }
}

/// `第七部分` for numbers beyond six too.
fn part_zh(n: u8) -> String {
    match NUMERALS.get(usize::from(n).wrapping_sub(1)) {
        Some(c) => format!("第{c}部分"),
        None => format!("第{n}部分"),
    }
}

impl SectionsMissingOrDisordered {
    fn wrong_slot(
        &self,
        report: &Report,
        n: u8,
        at_slot: Option<&Printed<'_>>,
        home: Option<&Printed<'_>>,
    ) -> Finding {
        let official = SECTION_HEADINGS[usize::from(n) - 1].0;
        let title = split_numeral(official).map_or(official, |(_, t)| t);
        let mut zh: Vec<String> = Vec::new();
        let mut en: Vec<String> = Vec::new();
        if let Some(a) = at_slot {
            zh.push(format!(
                "{}应为“{official}”，报告中为“{}”",
                section_zh(n),
                a.text
            ));
            en.push(format!(
                "section {n} should be “{official}”, the report has “{}”",
                a.text
            ));
        }
        match home.and_then(|h| h.numeral.map(|m| (h, m))) {
            Some((h, m)) => {
                zh.push(format!("“{title}”印为{}（“{}”）", part_zh(m), h.text));
                en.push(format!(
                    "“{title}” is printed as section {m} (“{}”)",
                    h.text
                ));
            }
            None if at_slot.is_some() => {}
            None => {
                zh.push(format!("报告缺少{}“{official}”", section_zh(n)));
                en.push(format!("the report lacks section {n} “{official}”"));
            }
        }
        let mut f = Finding::new(self, zh.join("；"), {
            let mut e = en.join("; ");
            if let Some(first) = e.get(..1) {
                e = first.to_uppercase() + &e[1..];
            }
            e
        });
        f.section = Some(n);
        f.loc = at_slot
            .or(home)
            .and_then(|p| known(p.loc))
            .or_else(|| report.section(n).and_then(|s| known(s.loc)));
        f
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::Section;

    use super::*;

    /// A report whose sections carry `headings` (number, printed heading, text).
    fn report(headings: &[(u8, &str, &str)]) -> Report {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.sections = headings
            .iter()
            .map(|&(number, heading, text)| Section {
                number,
                heading: heading.into(),
                text: text.into(),
                loc: Location::None,
            })
            .collect();
        r
    }

    fn messages(r: &Report) -> Vec<String> {
        let mut out = Vec::new();
        SectionsMissingOrDisordered.check(&crate::Context::new(r), &mut out);
        out.into_iter().map(|f| f.message_zh).collect()
    }

    const FIRST_FOUR: [(u8, &str, &str); 4] = [
        (1, "一、总体情况", ""),
        (2, "二、主动公开政府信息情况", ""),
        (3, "三、收到和处理政府信息公开申请情况", ""),
        (4, "四、政府信息公开行政复议、行政诉讼情况", ""),
    ];

    #[test]
    fn a_section_that_is_nowhere_is_missing() {
        let mut r = report(&FIRST_FOUR);
        r.sections.retain(|s| s.number != 4);
        r.sections.push(Section {
            number: 5,
            heading: "五、存在的主要问题及改进情况".into(),
            text: String::new(),
            loc: Location::None,
        });
        r.sections.push(Section {
            number: 6,
            heading: "六、其他需要报告的事项".into(),
            text: String::new(),
            loc: Location::None,
        });
        assert_eq!(
            messages(&r),
            ["报告缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”"]
        );
    }

    /// A reader that records sections by their titles and keeps the printed headings.
    #[test]
    fn misnumbered_sections_recorded_by_title() {
        let mut headings = FIRST_FOUR.to_vec();
        headings.push((5, "六、存在的主要问题及改进情况", ""));
        headings.push((6, "七、其他需要报告的事项", ""));
        let found = messages(&report(&headings));
        assert_eq!(
            found,
            [
                "“存在的主要问题及改进情况”印为第六部分（“六、存在的主要问题及改进情况”）",
                "第六部分应为“六、其他需要报告的事项”，报告中为“六、存在的主要问题及改进情况”；“其他需要报告的事项”印为第七部分（“七、其他需要报告的事项”）",
            ]
        );
    }

    /// A reader that records sections by their printed numbers.
    #[test]
    fn replaced_heading_recorded_by_number() {
        let mut headings = FIRST_FOUR.to_vec();
        headings.push((5, "五、信息处理费收取情况", ""));
        headings.push((
            6,
            "六、存在的主要问题及改进情况",
            "七、其他需要报告的事项\n无。",
        ));
        let found = messages(&report(&headings));
        assert_eq!(
            found[0],
            "第五部分应为“五、存在的主要问题及改进情况”，报告中为“五、信息处理费收取情况”；“存在的主要问题及改进情况”印为第六部分（“六、存在的主要问题及改进情况”）"
        );
        assert_eq!(found.len(), 2, "{found:#?}");
    }

    #[test]
    fn renamed_heading_under_the_right_number() {
        let mut headings = FIRST_FOUR.to_vec();
        headings.push((5, "五、存在的主要问题及改进情况", ""));
        headings.push((6, "六、附件", ""));
        assert_eq!(
            messages(&report(&headings)),
            ["第六部分应为“六、其他需要报告的事项”，报告中为“六、附件”"]
        );
    }

    #[test]
    fn disorder_is_reported_once() {
        let mut headings = FIRST_FOUR.to_vec();
        headings.push((6, "六、其他需要报告的事项", ""));
        headings.push((5, "五、存在的主要问题及改进情况", ""));
        let found = messages(&report(&headings));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].starts_with("各部分顺序错乱或重复"), "{found:#?}");
    }
}
