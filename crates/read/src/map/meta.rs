//! Sections and metadata: the six headings, title, agency, year, date and the preamble.

use gongkai_format::SECTION_HEADINGS;
use gongkai_report::{Block, Document, Location, Meta, PrintedDate, Section};

use crate::norm::{cn_number, norm};

pub(super) struct Heading {
    pub(super) block: usize,
    pub(super) number: u8,
    pub(super) text: String,
    pub(super) loc: Location,
}

pub(super) const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// The section number of a heading paragraph, if it is one.
pub fn heading_number(text: &str) -> Option<u8> {
    // Cheap rejections first: most paragraphs are long running text.
    let trimmed = text.trim_start();
    if trimmed.len() > 200 || !trimmed.starts_with(|c| NUMERALS.contains(&c) || is_compat(c)) {
        return None;
    }
    let t = norm(text);
    if t.chars().count() > 40 {
        return None;
    }
    let mut chars = t.chars();
    let first = chars.next()?;
    let n = NUMERALS.iter().position(|&c| c == first)?;
    let rest = chars.as_str();
    let rest = rest
        .strip_prefix('、')
        .or_else(|| rest.strip_prefix('.'))
        .or_else(|| rest.strip_prefix(','))?;
    let (_, keywords) = SECTION_HEADINGS[n];
    if keywords.iter().any(|k| rest.contains(k)) {
        Some(n as u8 + 1)
    } else {
        None
    }
}

/// Kangxi radicals and CJK compatibility ideographs, which [`norm`] folds (NFKC) to the
/// unified ideographs they stand for: the cheap pre-checks on raw text must let them by.
pub(super) fn is_compat(c: char) -> bool {
    matches!(c, '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}')
}

pub(super) fn find_headings(doc: &Document) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let found = match block {
            Block::Paragraph(p) => heading_number(&p.text).map(|n| (n, p.text.clone(), p.loc)),
            Block::Table(t) => table_heading(t),
        };
        if let Some((number, text, loc)) = found
            && !out.iter().any(|h| h.number == number)
        {
            out.push(Heading {
                block: i,
                number,
                text,
                loc,
            });
        }
    }
    out
}

/// A section heading printed as the first row of its table (WPS templates put
/// “二、主动公开政府信息情况” in a merged cell above the column heads; PDF exports of a
/// heading set tight above the table's top rule come out the same way): the one text of
/// the first row, when it is a heading.
pub(super) fn table_heading(t: &gongkai_report::Table) -> Option<(u8, String, Location)> {
    let row = t.rows.first()?;
    let mut texts = row.iter().filter(|c| !c.text.trim().is_empty());
    let first = texts.next()?;
    if texts.any(|c| c.text.trim() != first.text.trim()) {
        return None;
    }
    let n = heading_number(&first.text)?;
    Some((n, first.text.trim().to_string(), first.loc))
}

/// A printed date `YYYY年M月D日` (digits or Chinese numerals) at the end of `text`:
/// returns the text before it and the ISO date.
pub(super) fn trailing_date(text: &str) -> Option<(String, String)> {
    let trimmed = text.trim_end();
    if trimmed.len() > 200 || !trimmed.ends_with(['日', '\u{2F47}']) {
        return None;
    }
    let t = norm(text);
    if t.chars().count() > 40 || !t.ends_with('日') {
        return None;
    }
    let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
    for &i in &starts {
        if let Some(iso) = parse_date(&t[i..]) {
            return Some((t[..i].to_string(), iso));
        }
    }
    None
}

pub(super) fn parse_date(t: &str) -> Option<String> {
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    if y.chars().count() != 4 {
        return None;
    }
    let (y, m, d) = (cn_number(y)?, cn_number(m)?, cn_number(d)?);
    if !(1949..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// True for sentence punctuation that a signature line never has.
pub(super) fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', ',', '；', ';', '：', ':'])
}

pub(super) fn read_meta(doc: &Document, headings: &[Heading]) -> Meta {
    let mut meta = Meta::default();
    let first_heading = headings
        .iter()
        .map(|h| h.block)
        .min()
        .unwrap_or(doc.blocks.len());
    let last_heading = headings.iter().map(|h| h.block).max();

    // Title: the first paragraph before the first heading that names a report.
    let title = doc.blocks[..first_heading]
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .find(|p| {
            let t = norm(&p.text);
            t.contains("报告") && t.chars().count() <= 80
        });
    if let Some(p) = title {
        meta.title = Some(p.text.split_whitespace().collect::<Vec<_>>().join(" "));
        let (agency, year) = agency_and_year(&p.text);
        meta.agency = agency;
        meta.year = year;
        if meta.agency.is_none() {
            meta.agency = agency_line(&doc.blocks[..first_heading], p);
        }
    }

    // Printed dates, and the signature above the last one.
    let mut last_signature = None;
    let paragraphs: Vec<(usize, &gongkai_report::Paragraph)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Paragraph(p) => Some((i, p)),
            Block::Table(_) => None,
        })
        .collect();
    for (k, (i, p)) in paragraphs.iter().enumerate() {
        let Some((before, iso)) = trailing_date(&p.text) else {
            continue;
        };
        if has_sentence_punct(&before) && !before.ends_with(['：', ':']) {
            continue;
        }
        meta.dates.push(PrintedDate {
            date: iso,
            text: p.text.trim().to_string(),
            loc: p.loc,
        });
        let after_sections = last_heading.is_none_or(|h| *i > h);
        if !after_sections {
            continue;
        }
        let signature = if !before.is_empty() && !before.ends_with(['：', ':']) {
            Some(before)
        } else if k > 0 {
            let (j, prev) = paragraphs[k - 1];
            let t = norm(&prev.text);
            (j + 1 == *i
                && Some(j) != last_heading
                && t.chars().count() <= 30
                && !has_sentence_punct(&t)
                && t != "无")
                .then(|| prev.text.trim().to_string())
        } else {
            None
        };
        last_signature = signature;
    }
    meta.signed_by = last_signature;
    meta
}

/// The agency printed on a line of its own when the title does not name it: the title
/// block split over lines (`某县市场监督管理局` above `2023年政府信息公开工作年度报告`) or a
/// cover with the agency under a bare title. The nearest short line before the title that
/// reads as an agency name, else the nearest after it (before the first heading).
pub(super) fn agency_line(blocks: &[Block], title: &gongkai_report::Paragraph) -> Option<String> {
    let paragraphs: Vec<&gongkai_report::Paragraph> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect();
    let at = paragraphs.iter().position(|p| std::ptr::eq(*p, title))?;
    let agency = |p: &&&gongkai_report::Paragraph| {
        let t = norm(&p.text);
        let n = t.chars().count();
        (2..=30).contains(&n)
            && !has_sentence_punct(&t)
            && !t.chars().any(|c| c.is_ascii_digit())
            && !t.contains("报告")
            && !t.contains("目录")
            && AGENCY_ENDINGS.iter().any(|e| t.ends_with(e))
    };
    let before = paragraphs[..at].iter().rev().take(3).find(agency);
    let after = || paragraphs[at + 1..].iter().take(3).find(agency);
    before.or_else(after).map(|p| norm(&p.text))
}

/// Words found before a title in converted documents (`正文 2023年…报告`, a docling
/// section name) that are not part of the agency.
pub(super) const NOT_AGENCY: &[&str] = &["正文", "标题", "封面", "目录", "附件", "全文"];

/// How the names of agencies end (`…局`, `…人民政府`, `…办公室`, `…街道办事处`, …).
pub(super) const AGENCY_ENDINGS: &[&str] = &[
    "局",
    "委",
    "委员会",
    "办",
    "办公室",
    "厅",
    "部",
    "院",
    "署",
    "政府",
    "镇",
    "乡",
    "街道",
    "办事处",
    "中心",
    "所",
    "站",
    "处",
    "会",
    "室",
    "馆",
    "队",
    "区",
    "县",
    "市",
    "旗",
    "监狱",
    "公司",
    "集团",
    "学校",
    "大学",
];

/// Agency and year from a title such as `红旗区洪门镇 2023 年政府信息公开工作年度报告`,
/// `百泉镇政府信息公开工作2023年度报告` or `2023年某某局政府信息公开工作年度报告`.
pub fn agency_and_year(title: &str) -> (Option<String>, Option<i32>) {
    let t = norm(title);
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut found = None;
    for w in chars.windows(5) {
        let digits = w[..4].iter().all(|(_, c)| c.is_ascii_digit());
        if digits && w[4].1 == '年' && matches!(w[0].1, '1' | '2') {
            let year: i32 = t[w[0].0..w[4].0].parse().unwrap_or(0);
            found = Some((w[0].0, w[4].0 + '年'.len_utf8(), year));
            break;
        }
    }
    let Some((start, end, year)) = found else {
        let agency = t.find("政府信息公开").map(|i| t[..i].to_string());
        return (agency.filter(|a| !a.is_empty()), None);
    };
    let mut agency = t[..start].to_string();
    for suffix in ["政府信息公开工作", "政府信息公开", "关于"] {
        if let Some(a) = agency.strip_suffix(suffix) {
            agency = a.to_string();
        }
    }
    if agency.is_empty() {
        let rest = &t[end..];
        let rest = rest.strip_prefix('度').unwrap_or(rest);
        agency = rest
            .find("政府信息公开")
            .map(|i| rest[..i].to_string())
            .unwrap_or_default();
    }
    let agency = agency.trim_start_matches("关于").to_string();
    // Words that converters and page layouts put before a title are not agencies.
    let mut agency = agency.trim_start_matches(['#', '*', '>', '-', ':']);
    for word in NOT_AGENCY {
        agency = agency.strip_prefix(word).unwrap_or(agency);
    }
    let agency = agency.trim_start_matches([':', '|']).to_string();
    ((!agency.is_empty()).then_some(agency), Some(year))
}

pub(super) fn read_sections(doc: &Document, headings: &[Heading], meta: &Meta) -> Vec<Section> {
    let mut order: Vec<&Heading> = headings.iter().collect();
    order.sort_by_key(|h| h.block);
    let date_lines: Vec<Location> = meta.dates.iter().map(|d| d.loc).collect();
    let signature = meta.signed_by.as_deref();
    let mut out = Vec::new();
    for (k, h) in order.iter().enumerate() {
        let end = order.get(k + 1).map_or(doc.blocks.len(), |n| n.block);
        let mut text = String::new();
        for b in &doc.blocks[h.block + 1..end] {
            if let Block::Paragraph(p) = b {
                if date_lines.contains(&p.loc) || Some(p.text.trim()) == signature {
                    continue;
                }
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&p.text);
            }
        }
        out.push(Section {
            number: h.number,
            heading: h.text.clone(),
            text,
            loc: h.loc,
        });
    }
    out
}

/// The paragraphs after the title and before the first heading, dates excluded.
pub(super) fn read_preamble(doc: &Document, headings: &[Heading], meta: &Meta) -> Option<Section> {
    let first = headings.iter().map(|h| h.block).min()?;
    let mut text = String::new();
    let mut loc = Location::None;
    for b in &doc.blocks[..first] {
        if let Block::Paragraph(p) = b {
            let is_title = meta
                .title
                .as_deref()
                .is_some_and(|t| p.text.split_whitespace().collect::<Vec<_>>().join(" ") == t);
            if is_title || meta.dates.iter().any(|d| d.loc == p.loc) {
                continue;
            }
            if text.is_empty() {
                loc = p.loc;
            } else {
                text.push('\n');
            }
            text.push_str(&p.text);
        }
    }
    (!text.is_empty()).then(|| Section {
        number: 0,
        heading: String::new(),
        text,
        loc,
    })
}
