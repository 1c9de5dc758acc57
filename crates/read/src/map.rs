//! The mapper: [`Document`] → [`Report`], by meaning, not by position alone.
//!
//! * Sections are found by their headings (`一、` … `六、` followed by the words of the
//!   heading, spaces and widths folded).
//! * Tables are told apart by their content (`本年新收` → table 三, `行政复议` with
//!   `维持` → table 四, `第二十条` / `信息内容` → the section 二 tables), so a table split
//!   into pieces still lands in the right place.
//! * A row of table 三 is identified by the words of its label (`国家秘密`, `逾期不补正`,
//!   …), wherever the label sits in the row and however it was wrapped; the seven values
//!   are placed by position only when exactly seven are printed. Anything else is reported
//!   as uncertain, never guessed.
//! * Blank cells (`/`, `-`, `—`, `无`, empty) stay blank (`None`) and are listed.

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellIdx, FormatVersion, OutcomeGroup, S2Row,
    SECTION_HEADINGS, s2_cell_at, s3_cell_at, s4_cell_at,
};
use gongkai_report::{
    Blank, Block, Deviation, Document, GridCell, GroupTotal, LabelVariant, Location, Meta,
    PrintedDate, Report, Section, Uncertain, Value, parse_number,
};

use crate::ReadError;
use crate::norm::{cn_number, is_blank_marker, norm, norm_into, rfind_short};

/// Maps a document to a report.
pub fn map(doc: &Document) -> Result<Report, ReadError> {
    let headings = find_headings(doc);
    let tables = classify_tables(doc, &headings);
    let all_table_text: String = tables.iter().map(|(_, _, text)| text.as_str()).collect();
    if headings.is_empty() && tables.iter().all(|(k, _, _)| *k == TableKind::Unknown) {
        return Err(ReadError::NotAReport(
            "既没有找到“一、总体情况”等六个部分的标题，也没有找到统计表",
        ));
    }
    let format = detect_format(&all_table_text);
    let mut report = Report::new(format);
    report.meta = read_meta(doc, &headings);
    report.sections = read_sections(doc, &headings, &report.meta);
    report.meta.preamble = read_preamble(doc, &headings, &report.meta);

    let mut s2 = Vec::new();
    let mut s3 = Vec::new();
    let mut s4 = Vec::new();
    for (kind, table, _) in &tables {
        let rows = table.rows.iter().map(|r| r.as_slice());
        match kind {
            TableKind::S2 => s2.extend(rows),
            TableKind::S3 => s3.extend(rows),
            TableKind::S4 => s4.extend(rows),
            TableKind::Unknown => {}
        }
    }
    let mut m = Mapper { report };
    m.section2(&s2);
    m.section3(&s3);
    m.section4(&s4);
    Ok(m.report)
}

// ---------------------------------------------------------------------------------------
// Sections and metadata
// ---------------------------------------------------------------------------------------

struct Heading {
    block: usize,
    number: u8,
    text: String,
    loc: Location,
}

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

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
fn is_compat(c: char) -> bool {
    matches!(c, '\u{2F00}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}')
}

fn find_headings(doc: &Document) -> Vec<Heading> {
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
fn table_heading(t: &gongkai_report::Table) -> Option<(u8, String, Location)> {
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
fn trailing_date(text: &str) -> Option<(String, String)> {
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

fn parse_date(t: &str) -> Option<String> {
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
fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', ',', '；', ';', '：', ':'])
}

fn read_meta(doc: &Document, headings: &[Heading]) -> Meta {
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
fn agency_line(blocks: &[Block], title: &gongkai_report::Paragraph) -> Option<String> {
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
const NOT_AGENCY: &[&str] = &["正文", "标题", "封面", "目录", "附件", "全文"];

/// How the names of agencies end (`…局`, `…人民政府`, `…办公室`, `…街道办事处`, …).
const AGENCY_ENDINGS: &[&str] = &[
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

fn read_sections(doc: &Document, headings: &[Heading], meta: &Meta) -> Vec<Section> {
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
fn read_preamble(doc: &Document, headings: &[Heading], meta: &Meta) -> Option<Section> {
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

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    S2,
    S3,
    S4,
    Unknown,
}

fn table_text(t: &gongkai_report::Table) -> String {
    let mut s = String::new();
    for row in &t.rows {
        for c in row {
            norm_into(&c.text, &mut s);
            s.push('|');
        }
    }
    s
}

fn classify_tables<'d>(
    doc: &'d Document,
    headings: &[Heading],
) -> Vec<(TableKind, &'d gongkai_report::Table, String)> {
    let mut out = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let Block::Table(t) = block else { continue };
        let text = table_text(t);
        // The section the table sits in, by the nearest heading above it (or on it).
        let section = headings
            .iter()
            .filter(|h| h.block <= i)
            .max_by_key(|h| h.block)
            .map(|h| h.number);
        // A 信息处理费 table (section 五 or 六, or wherever a report puts it) is not the
        // section 二 fee row, even when it says 收费.
        let fee_elsewhere = !text.contains("第二十条")
            && (text.contains("信息处理费") || matches!(section, Some(5 | 6)));
        let kind = if text.contains("行政复议") && (text.contains("维持") || text.contains("审结"))
        {
            TableKind::S4
        } else if ["本年新收", "上年结转", "办理结果", "予以公开", "申请人情况"]
            .iter()
            .any(|k| text.contains(k))
        {
            TableKind::S3
        } else if [
            "第二十条",
            "信息内容",
            "行政许可",
            "规范性文件",
            "行政事业性收费",
            "行政处罚",
        ]
        .iter()
        .any(|k| text.contains(k))
        {
            if fee_elsewhere {
                TableKind::Unknown
            } else {
                TableKind::S2
            }
        } else {
            // A piece without telling words continues the table of its section.
            match section {
                Some(2) => TableKind::S2,
                Some(3) => TableKind::S3,
                Some(4) => TableKind::S4,
                _ => TableKind::Unknown,
            }
        };
        out.push((kind, t, text));
    }
    out
}

/// The format, from the words of the tables (`../shared/spec/regulations.md` §1.7).
fn detect_format(text: &str) -> FormatVersion {
    let old = [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "政府集中采购",
    ];
    let new = [
        "本年制发件数",
        "现行有效件数",
        "本年收费金额",
        "逾期不补正",
        "收费通知",
        "本年处理决定数量",
    ];
    let score = |words: &[&str]| words.iter().filter(|w| text.contains(*w)).count();
    if score(&old) > score(&new) {
        FormatVersion::Trial2019
    } else {
        FormatVersion::Revised2021
    }
}

/// A printed value: a number (units `件`, `万元` … allowed), a blank marker, or neither.
enum Printed {
    Number(Value),
    Blank,
    Other,
}

fn printed(text: &str) -> Printed {
    // Fast path: most fields are plain ASCII counts or empty.
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Printed::Blank;
    }
    if trimmed.len() <= 18
        && trimmed.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = trimmed.parse::<i64>()
    {
        return Printed::Number(Value::int(n));
    }
    let t = norm(text);
    if is_blank_marker(&t) {
        return Printed::Blank;
    }
    let mut body = t.as_str();
    for unit in ["万元", "元", "件", "个", "项", "次"] {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    match parse_number(body) {
        Some(v) => Printed::Number(v),
        None => Printed::Other,
    }
}

/// A field that is part of a row label: text that is neither a number nor a blank marker.
fn is_label(text: &str) -> bool {
    matches!(printed(text), Printed::Other)
}

/// The printed row for messages: fields separated by spaces, empty fields as `[空]`.
fn row_raw(row: &[GridCell]) -> String {
    let end = row.iter().rposition(|c| !c.is_empty()).map_or(0, |e| e + 1);
    row[..end]
        .iter()
        .map(|c| {
            if c.is_empty() {
                "[空]"
            } else {
                c.text.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields of a row after its label: leading and trailing empty fields removed.
fn value_fields(row: &[GridCell]) -> (String, Vec<&GridCell>) {
    let last_label = row.iter().rposition(|c| is_label(&c.text));
    let label: String = match last_label {
        Some(l) => {
            let mut s = String::new();
            for c in &row[..=l] {
                norm_into(&c.text, &mut s);
            }
            s
        }
        None => String::new(),
    };
    let rest = &row[last_label.map_or(0, |l| l + 1)..];
    let start = rest
        .iter()
        .position(|c| !c.is_empty())
        .unwrap_or(rest.len());
    let end = rest
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(start, |e| e + 1);
    (label, rest[start..end].iter().collect())
}

/// The number of fields after a row's label (all fields when it has none).
fn trailing_fields(row: &[GridCell]) -> usize {
    let last_label = row.iter().rposition(|c| is_label(&c.text));
    row.len() - last_label.map_or(0, |l| l + 1)
}

/// True when every field comes from the grid of a structured document (DOCX, HTML, or a
/// ruled PDF table): there a cell covered by a span is left out of its row, so an empty
/// field is a cell printed blank at a known column, not a gap left by merged cells as in
/// text exports. Such a row keeps its leading and trailing empty fields when that gives
/// exactly the columns of the format. (The PDF reader's unruled tables carry no empty
/// fields, so for them this changes nothing.)
fn is_grid(fields: &[GridCell]) -> bool {
    !fields.is_empty()
        && fields
            .iter()
            .all(|c| matches!(c.loc, Location::Table { .. } | Location::Pdf { .. }))
}

struct Mapper {
    report: Report,
}

impl Mapper {
    fn id(&self, idx: CellIdx) -> String {
        self.report.format.def(idx).id.clone()
    }

    /// Stores one printed value in a cell.
    fn place(&mut self, idx: CellIdx, cell: &GridCell) {
        let i = idx.0 as usize;
        self.report.provenance[i] = Some(cell.loc);
        match printed(&cell.text) {
            Printed::Number(v) => self.report.cells[i] = Some(v),
            Printed::Blank => {
                self.report.cells[i] = None;
                let id = self.id(idx);
                self.report.blanks.push(Blank {
                    cell: id,
                    raw: cell.text.trim().to_string(),
                    loc: cell.loc,
                });
            }
            Printed::Other => {
                self.report.cells[i] = None;
                let id = self.id(idx);
                self.report.uncertain.push(Uncertain {
                    cell: id,
                    reason: format!("“{}”不是数字", cell.text.trim()),
                    raw: cell.text.clone(),
                    loc: cell.loc,
                });
            }
        }
    }

    /// Marks cells uncertain (and blank).
    fn unsure(&mut self, cells: &[CellIdx], reason: &str, raw: &str, loc: Location) {
        for &idx in cells {
            let i = idx.0 as usize;
            self.report.cells[i] = None;
            self.report.provenance[i] = (loc != Location::None).then_some(loc);
            let id = self.id(idx);
            self.report.uncertain.retain(|u| u.cell != id);
            self.report.uncertain.push(Uncertain {
                cell: id,
                reason: reason.to_string(),
                raw: raw.to_string(),
                loc,
            });
        }
    }

    // --- Section 二 ------------------------------------------------------------------

    fn section2(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let defs = format.s2_rows();
        let mut seen = vec![false; defs.len()];
        for row in rows {
            let Some(first) = row.iter().position(|c| !c.is_empty()) else {
                continue;
            };
            let label = &row[first];
            if !is_label(&label.text) {
                continue;
            }
            let Some((r, variant)) = match_s2(format, defs, &label.text) else {
                continue;
            };
            let cells: Vec<CellIdx> = (0..defs[r].columns.len())
                .map(|c| s2_cell_at(format, r, c))
                .collect();
            if seen[r] {
                self.unsure(&cells, "此行在表中出现了两次", &row_raw(row), label.loc);
                continue;
            }
            seen[r] = true;
            if variant {
                let id = self.id(cells[0]);
                self.report.label_variants.push(LabelVariant {
                    cell: id,
                    found: label.text.trim().to_string(),
                    expected: defs[r].label.to_string(),
                    loc: label.loc,
                });
            }
            let rest = &row[first + 1..];
            let end = rest
                .iter()
                .rposition(|c| !c.is_empty())
                .map_or(0, |e| e + 1);
            let values = if is_grid(rest) && rest.len() == cells.len() {
                rest
            } else {
                &rest[..end]
            };
            if values.len() == cells.len() {
                for (idx, cell) in cells.iter().zip(values) {
                    self.place(*idx, cell);
                }
            } else {
                let reason = format!(
                    "此行印有 {} 个数值，格式要求 {} 个，无法确定对应的列",
                    values.len(),
                    cells.len()
                );
                self.unsure(&cells, &reason, &row_raw(row), label.loc);
            }
        }
        if !seen.contains(&true) {
            // No row of the table at all: one entry for the whole table, not one per row.
            let cells: Vec<CellIdx> = defs
                .iter()
                .enumerate()
                .flat_map(|(r, def)| (0..def.columns.len()).map(move |c| (r, c)))
                .map(|(r, c)| s2_cell_at(format, r, c))
                .collect();
            self.unsure(&cells, "没有找到第二部分的统计表", "", Location::None);
            return;
        }
        for (r, def) in defs.iter().enumerate() {
            if !seen[r] {
                let cells: Vec<CellIdx> = (0..def.columns.len())
                    .map(|c| s2_cell_at(format, r, c))
                    .collect();
                let reason = format!("第二部分的表中没有找到“{}”这一行", def.label);
                self.unsure(&cells, &reason, "", Location::None);
            }
        }
    }

    // --- Section 三 ------------------------------------------------------------------

    fn section3(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let defs = format.s3_rows();
        let mut seen = vec![false; defs.len()];
        let mut group = OutcomeGroup::None;
        let mut pending = String::new();
        let mut data_seen = false;
        let mut unplaced: Vec<(String, Location)> = Vec::new();
        let mut aggregate: Option<(&[GridCell], Vec<&GridCell>, Location)> = None;
        let mut last: Option<usize> = None;
        for row in rows {
            let (label, mut values) = value_fields(row);
            if !values.is_empty() && values.len() != APPLICANT_COLUMNS.len() {
                let rest = &row[row.len() - trailing_fields(row)..];
                if is_grid(rest) && rest.len() == APPLICANT_COLUMNS.len() {
                    values = rest.iter().collect();
                }
            }
            if let Some(g) = group_of(&label) {
                group = g;
            }
            if values.is_empty() {
                if data_seen && pending.chars().count() < 200 {
                    pending.push_str(&label);
                }
                continue;
            }
            let loc = row
                .iter()
                .find(|c| !c.is_empty())
                .map_or(Location::None, |c| c.loc);
            let found = find_s3_row(format, &label, group).or_else(|| {
                (!pending.is_empty())
                    .then(|| find_s3_row(format, &format!("{pending}{label}"), group))
                    .flatten()
            });
            pending.clear();
            // A label clipped, misspelt or varied (`2.其他法律行政止公开`, `7.属于行政执法
            // 案件`): placed by its item number and position when close to the format's.
            let by_words = found.is_some();
            let found = found.or_else(|| {
                let r = by_number(format, &label, group, last)?;
                (!seen[r]).then_some(r)
            });
            let Some(r) = found else {
                if is_other_aggregate(format, &label) && aggregate.is_none() {
                    aggregate = Some((row, values, loc));
                } else {
                    unplaced.push((row_raw(row), loc));
                }
                continue;
            };
            data_seen = true;
            let cells: Vec<CellIdx> = (0..APPLICANT_COLUMNS.len())
                .map(|c| s3_cell_at(format, r, c))
                .collect();
            if !by_words && !seen[r] {
                let printed_label = row
                    .iter()
                    .rfind(|c| is_label(&c.text))
                    .map_or_else(|| label.clone(), |c| c.text.trim().to_string());
                let id = self.id(cells[0]);
                self.report.label_variants.push(LabelVariant {
                    cell: id,
                    found: printed_label,
                    expected: defs[r].label.to_string(),
                    loc,
                });
            }
            last = Some(r);
            if seen[r] {
                self.unsure(&cells, "此行在表中出现了两次", &row_raw(row), loc);
                continue;
            }
            seen[r] = true;
            if values.len() == APPLICANT_COLUMNS.len() {
                for (idx, cell) in cells.iter().zip(values) {
                    self.place(*idx, cell);
                }
            } else {
                let reason = format!(
                    "此行印有 {} 个数值，应为 7 个（自然人、五类法人或其他组织、总计），无法确定对应的列",
                    values.len()
                );
                self.unsure(&cells, &reason, &row_raw(row), loc);
            }
        }
        if let Some((row, values, loc)) = aggregate {
            self.other_aggregate(row, &values, loc, &mut seen);
        }
        if !seen.contains(&true) {
            // No row of the table at all: one entry for the whole table, not one per row.
            let cells: Vec<CellIdx> = (0..defs.len())
                .flat_map(|r| (0..APPLICANT_COLUMNS.len()).map(move |c| (r, c)))
                .map(|(r, c)| s3_cell_at(format, r, c))
                .collect();
            let (reason, raw, loc) = match unplaced.first() {
                Some((raw, loc)) => (
                    "没有找到第三部分的统计表；表中有无法识别的数据行",
                    raw.as_str(),
                    *loc,
                ),
                None => ("没有找到第三部分的统计表", "", Location::None),
            };
            self.unsure(&cells, reason, raw, loc);
            return;
        }
        for (r, def) in defs.iter().enumerate() {
            if seen[r] {
                continue;
            }
            let cells: Vec<CellIdx> = (0..APPLICANT_COLUMNS.len())
                .map(|c| s3_cell_at(format, r, c))
                .collect();
            let mut reason = format!("第三部分的表中没有找到“{}”这一行", def.label_path);
            let (raw, loc) = match unplaced.first() {
                Some((raw, loc)) => {
                    reason.push_str("；表中有无法识别的数据行");
                    (raw.as_str(), *loc)
                }
                None => ("", Location::None),
            };
            self.unsure(&cells, &reason, raw, loc);
        }
    }

    /// （六）其他处理 printed as one row with its own seven values, none of its items 1–3
    /// printed (common in WPS templates): each column's value is kept as a group total
    /// standing for the three item cells, which stay absent; a deviation says so. When
    /// an item row is printed as well, or the row does not hold seven values, the item
    /// rows are left to the usual handling (uncertain).
    fn other_aggregate(
        &mut self,
        row: &[GridCell],
        values: &[&GridCell],
        loc: Location,
        seen: &mut [bool],
    ) {
        let format = self.report.format;
        let items: Vec<usize> = format
            .s3_rows()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.group == OutcomeGroup::Other && d.is_outcome)
            .map(|(r, _)| r)
            .collect();
        if values.len() != APPLICANT_COLUMNS.len()
            || items.len() < 2
            || items.iter().any(|&r| seen[r])
        {
            return;
        }
        let raw = row_raw(row);
        let label = row.iter().find(|c| is_label(&c.text)).map_or_else(
            || "（六）其他处理".to_string(),
            |c| c.text.trim().to_string(),
        );
        let mut all = Vec::new();
        for (c, cell) in values.iter().enumerate() {
            let cells: Vec<CellIdx> = items.iter().map(|&r| s3_cell_at(format, r, c)).collect();
            let ids: Vec<String> = cells.iter().map(|&i| self.id(i)).collect();
            match printed(&cell.text) {
                Printed::Number(value) => {
                    for &i in &cells {
                        self.report.provenance[i.0 as usize] = Some(cell.loc);
                    }
                    self.report.group_totals.push(GroupTotal {
                        cells: ids.clone(),
                        value,
                        label: label.clone(),
                        loc: cell.loc,
                    });
                }
                Printed::Blank => {
                    for (&i, id) in cells.iter().zip(&ids) {
                        self.report.provenance[i.0 as usize] = Some(cell.loc);
                        self.report.blanks.push(Blank {
                            cell: id.clone(),
                            raw: cell.text.trim().to_string(),
                            loc: cell.loc,
                        });
                    }
                }
                Printed::Other => {
                    let reason = format!("“{}”不是数字", cell.text.trim());
                    self.unsure(&cells, &reason, &raw, cell.loc);
                }
            }
            all.extend(ids);
        }
        for &r in &items {
            seen[r] = true;
        }
        self.report.deviations.push(Deviation {
            section: 3,
            message: format!(
                "“{label}”印为一行合计，没有分列 1–{n} 项：合计数按列保留并用于核对（七）总计，{n} 个分项记为未印出",
                n = items.len()
            ),
            message_en: format!(
                "“{label}” is printed as one aggregate row without its {} items: its values are kept as group totals and used in the column sums; the items are absent",
                items.len()
            ),
            cells: all,
            raw,
            loc,
        });
    }

    // --- Section 四 ------------------------------------------------------------------

    fn section4(&mut self, rows: &[&[GridCell]]) {
        let format = self.report.format;
        let all: Vec<CellIdx> = (0..APPEAL_GROUPS.len())
            .flat_map(|g| (0..APPEAL_COLUMNS.len()).map(move |c| (g, c)))
            .map(|(g, c)| s4_cell_at(format, g, c))
            .collect();
        if rows.is_empty() {
            self.unsure(
                &all,
                "没有找到第四部分（行政复议、行政诉讼）的统计表",
                "",
                Location::None,
            );
            return;
        }
        // Layout A (the national format): one data row of 15 values, no labels.
        // Layout B (transposed): one row per group, labelled, with 5 values.
        let mut data_rows: Vec<&[GridCell]> = Vec::new();
        let mut by_group: [Option<(&[GridCell], Vec<&GridCell>)>; 3] = [None, None, None];
        for row in rows {
            let has_number = row
                .iter()
                .any(|c| matches!(printed(&c.text), Printed::Number(_)));
            if !has_number {
                continue;
            }
            let (label, values) = value_fields(row);
            if label.is_empty() {
                data_rows.push(row);
            } else if let Some(g) = appeal_group_of(&label) {
                by_group[g] = Some((row, values));
            }
        }
        if !data_rows.is_empty() {
            let trimmed: Vec<Vec<&GridCell>> =
                data_rows.iter().map(|r| value_fields(r).1).collect();
            let raw_fields: Vec<&GridCell> = if data_rows.len() == 1 {
                let r = data_rows[0];
                let end = if is_grid(r) && r.len() == all.len() {
                    r.len()
                } else {
                    r.iter().rposition(|c| !c.is_empty()).map_or(0, |e| e + 1)
                };
                r[..end].iter().collect()
            } else {
                Vec::new()
            };
            let joined: Vec<&GridCell> = trimmed.iter().flatten().copied().collect();
            let raw = data_rows
                .iter()
                .map(|r| row_raw(r))
                .collect::<Vec<_>>()
                .join(" / ");
            let loc = data_rows[0]
                .iter()
                .find(|c| !c.is_empty())
                .map_or(Location::None, |c| c.loc);
            let appendix = if raw_fields.len() == all.len() || joined.len() == all.len() {
                None
            } else {
                [&raw_fields, &joined]
                    .into_iter()
                    .find_map(|f| s4_appendix(f).map(|what| (f.clone(), what)))
            };
            if let Some((f, what)) = appendix {
                let extra: Vec<&str> = f[all.len()..].iter().map(|c| c.text.trim()).collect();
                for (idx, cell) in all.iter().zip(&f) {
                    self.place(*idx, cell);
                }
                let ids = all.iter().map(|&i| self.id(i)).collect();
                self.report.deviations.push(Deviation {
                    section: 4,
                    message: format!(
                        "数据行印有 {} 个数值，应为 15 个；多出的 {} 个（“{}”）是{what}，已按前 15 个数值读取",
                        f.len(),
                        extra.len(),
                        extra.join(" ")
                    ),
                    message_en: format!(
                        "the data row prints {} values for 15 columns; the {} extra values are recognised and left aside, the first 15 were read",
                        f.len(),
                        extra.len()
                    ),
                    cells: ids,
                    raw: raw.clone(),
                    loc,
                });
                return;
            }
            let fields = if raw_fields.len() == all.len() {
                Some(raw_fields)
            } else if joined.len() == all.len() {
                Some(joined)
            } else {
                None
            };
            match fields {
                Some(f) => {
                    for (idx, cell) in all.iter().zip(f) {
                        self.place(*idx, cell);
                    }
                }
                None => {
                    let empty = data_rows
                        .iter()
                        .map(|r| r.iter().filter(|c| c.is_empty()).count())
                        .sum::<usize>();
                    let reason = format!(
                        "数据行印有 {} 个数值和 {} 个空白栏，应为 15 个数值，无法确定每个数值属于哪一栏",
                        data_rows
                            .iter()
                            .map(|r| r.len() - r.iter().filter(|c| c.is_empty()).count())
                            .sum::<usize>(),
                        empty
                    );
                    self.unsure(&all, &reason, &raw, loc);
                }
            }
            return;
        }
        let mut any = false;
        for (g, entry) in by_group.iter().enumerate() {
            let cells: Vec<CellIdx> = (0..APPEAL_COLUMNS.len())
                .map(|c| s4_cell_at(format, g, c))
                .collect();
            match entry {
                Some((row, values)) if values.len() == APPEAL_COLUMNS.len() => {
                    any = true;
                    for (idx, cell) in cells.iter().zip(values) {
                        self.place(*idx, cell);
                    }
                    let _ = row;
                }
                Some((row, values)) => {
                    any = true;
                    let loc = row.first().map_or(Location::None, |c| c.loc);
                    let reason = format!(
                        "此行印有 {} 个数值，应为 5 个，无法确定对应的列",
                        values.len()
                    );
                    self.unsure(&cells, &reason, &row_raw(row), loc);
                }
                None => {}
            }
        }
        if !any {
            self.unsure(&all, "第四部分的表中没有找到数据行", "", Location::None);
        } else {
            for (g, entry) in by_group.iter().enumerate() {
                if entry.is_none() {
                    let cells: Vec<CellIdx> = (0..APPEAL_COLUMNS.len())
                        .map(|c| s4_cell_at(format, g, c))
                        .collect();
                    let reason =
                        format!("第四部分的表中没有找到“{}”这一行", APPEAL_GROUPS[g].label);
                    self.unsure(&cells, &reason, "", Location::None);
                }
            }
        }
    }
}

/// Known wordings of section 二 row labels that differ from the format.
const S2_VARIANTS: &[(FormatVersion, &str, &str)] = &[
    (
        FormatVersion::Revised2021,
        "规范性文件",
        "normative_documents",
    ),
    (
        FormatVersion::Revised2021,
        "其他规范性文件",
        "normative_documents",
    ),
    (
        FormatVersion::Trial2019,
        "行政规范性文件",
        "normative_documents",
    ),
];

/// The row of section 二 a label names, and whether the wording is a variant.
fn match_s2(format: FormatVersion, defs: &[S2Row], label: &str) -> Option<(usize, bool)> {
    let l = norm(label);
    // A unit in brackets after the label is not a variant: `行政事业性收费（万元）`.
    let bare = match l.find('(') {
        Some(i) if i > 0 => &l[..i],
        _ => l.as_str(),
    };
    if let Some(r) = defs.iter().position(|d| norm(d.label) == bare) {
        return Some((r, false));
    }
    S2_VARIANTS
        .iter()
        .filter(|(f, v, _)| *f == format && *v == bare)
        .find_map(|(_, _, key)| defs.iter().position(|d| d.key == *key))
        .map(|r| (r, true))
}

/// The outcome group a label opens, if it names one.
fn group_of(label: &str) -> Option<OutcomeGroup> {
    // The last group named wins: `三、本年度办理结果（三）不予公开` opens （三）.
    [
        ("予以公开", OutcomeGroup::Granted),
        ("部分公开", OutcomeGroup::Partial),
        ("不予公开", OutcomeGroup::Denied),
        ("无法提供", OutcomeGroup::Unable),
        ("不予处理", OutcomeGroup::Rejected),
        ("其他处理", OutcomeGroup::Other),
        ("总计", OutcomeGroup::Total),
    ]
    .iter()
    .filter_map(|(w, g)| rfind_short(label, w).map(|p| (p, *g)))
    .max_by_key(|(p, _)| *p)
    .map(|(_, g)| g)
}

/// The row of table 三 a (normalised) label names.
fn find_s3_row(format: FormatVersion, label: &str, group: OutcomeGroup) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    let defs = format.s3_rows();
    let best = defs
        .iter()
        .enumerate()
        .filter_map(|(r, d)| {
            d.keywords
                .iter()
                .filter_map(|k| rfind_short(label, k))
                .max()
                .map(|p| (p, r))
        })
        .max_by_key(|(p, _)| *p)
        .map(|(_, r)| r);
    if best.is_some() {
        return best;
    }
    // `3.其他` under （六）其他处理 has no word of its own.
    let tail = label.rsplit(')').next().unwrap_or(label);
    let tail = tail.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、');
    if tail == "其他" && group == OutcomeGroup::Other {
        return defs.iter().position(|d| d.key == "other_other");
    }
    None
}

/// Extra values after the 15 of table 四's data row that are a recognisable appendix:
/// the first 15 add up (each group's 总计 is the sum of its four results, blanks as 0) and
/// the rest is a `/` column with what follows it, or repeats totals of the row (not all
/// 0); every field is printed (an empty field is a gap of unknown column). Returns
/// what the extra values are, in Chinese; `None` when they cannot be told apart from data
/// (the row stays uncertain).
fn s4_appendix(fields: &[&GridCell]) -> Option<&'static str> {
    let n = APPEAL_COLUMNS.len() * APPEAL_GROUPS.len();
    if fields.len() <= n || fields.len() > n + APPEAL_COLUMNS.len() {
        return None;
    }
    // Empty fields are gaps whose column is unknown in text exports: nothing to go by.
    if fields.iter().any(|c| c.text.trim().is_empty()) {
        return None;
    }
    let value = |c: &GridCell| match printed(&c.text) {
        Printed::Number(v) => Some(Some(v)),
        Printed::Blank => Some(None),
        Printed::Other => None,
    };
    let first: Vec<Option<Value>> = fields[..n]
        .iter()
        .map(|c| value(c))
        .collect::<Option<_>>()?;
    let zero = Value::int(0);
    let mut totals = Vec::new();
    for g in first.chunks(APPEAL_COLUMNS.len()) {
        let parts: Value = g[..4].iter().map(|v| v.unwrap_or(zero)).sum();
        let total = g[4].unwrap_or(zero);
        if parts != total {
            return None;
        }
        totals.push(total);
    }
    let extra = &fields[n..];
    if is_blank_marker(&extra[0].text) && !extra[0].text.trim().is_empty() {
        return extra[1..]
            .iter()
            .all(|c| value(c).is_some())
            .then_some("以“/”开头的附加栏");
    }
    let litigation = totals[1] + totals[2];
    let all_totals = totals[0] + litigation;
    // Repeated totals: every extra value is one of the row's totals, and not all are 0
    // (zeros repeat anything).
    let mut nonzero = false;
    let repeated = extra.iter().all(|c| match printed(&c.text) {
        Printed::Number(v) => {
            nonzero |= v != zero;
            totals.contains(&v) || v == litigation || v == all_totals
        }
        _ => false,
    });
    (repeated && nonzero).then_some("重复印出的合计数")
}

/// The item row of table 三 that a label names by its number (`2.` under （三）) when the
/// words did not name any: the row must follow the last row placed (its position in the
/// format) and its printed words must be close to the format's — at most a third of the
/// characters edited, as when a cell's text was clipped or a word misprinted. Anything
/// less certain is left to the caller (uncertain).
fn by_number(
    format: FormatVersion,
    label: &str,
    group: OutcomeGroup,
    last: Option<usize>,
) -> Option<usize> {
    let (n, words) = item_of(label)?;
    let defs = format.s3_rows();
    let r = defs
        .iter()
        .position(|d| d.group == group && d.item == n && d.is_outcome)?;
    if last != r.checked_sub(1) {
        return None;
    }
    let official = norm(defs[r].label);
    let (_, want) = item_of(&official)?;
    let a: Vec<char> = words.chars().collect();
    let b: Vec<char> = want.chars().collect();
    let d = edit_distance(&a, &b);
    (!a.is_empty() && d * 3 <= a.len().max(b.len())).then_some(r)
}

/// The item number and the words of an item label (`(三)不予公开2.属于国家秘密` →
/// `(2, "属于国家秘密")`), normalised text.
fn item_of(label: &str) -> Option<(u8, &str)> {
    let tail = label.rsplit(')').next().unwrap_or(label);
    let digits = tail.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let n: u8 = tail[..digits].parse().ok()?;
    let words = tail[digits..].trim_start_matches(['.', '、', ',', ' ']);
    Some((n, words))
}

/// Levenshtein distance over characters. Labels are a few dozen characters, so the
/// two-row dynamic programme is all that is needed (no crate for this).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// True for the label of group （六）其他处理 itself (not one of its items), in a format
/// whose group has items.
fn is_other_aggregate(format: FormatVersion, label: &str) -> bool {
    let items = format
        .s3_rows()
        .iter()
        .filter(|d| d.group == OutcomeGroup::Other && d.is_outcome)
        .count();
    items > 1 && group_of(label) == Some(OutcomeGroup::Other) && label.ends_with("其他处理")
}

/// The group of table 四 a row label names (transposed layout).
fn appeal_group_of(label: &str) -> Option<usize> {
    if label.contains("复议后起诉") {
        Some(2)
    } else if label.contains("直接起诉") {
        Some(1)
    } else if label.contains("行政复议") {
        Some(0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(heading_number("一、总体情况"), Some(1));
        assert_eq!(
            heading_number("三、收到和处理政府信息公开申请情况"),
            Some(3)
        );
        assert_eq!(
            heading_number("五、政府信息公开工作存在的主要问题及改进情况"),
            Some(5)
        );
        assert_eq!(heading_number("六、其他需要报告的事项"), Some(6));
        assert_eq!(heading_number("一、本年新收政府信息公开申请数量"), None);
        assert_eq!(heading_number("（一）主动公开"), None);
    }

    #[test]
    fn titles_after_converter_words() {
        assert_eq!(
            agency_and_year("正文 2023年政府信息公开工作年度报告"),
            (None, Some(2023))
        );
        assert_eq!(
            agency_and_year("正文：某县水利局2023年政府信息公开工作年度报告"),
            (Some("某县水利局".into()), Some(2023))
        );
    }

    #[test]
    fn titles() {
        let (a, y) = agency_and_year("红旗区洪门镇 2023 年政府信息公开工作年度报告");
        assert_eq!((a.as_deref(), y), (Some("红旗区洪门镇"), Some(2023)));
        let (a, y) = agency_and_year("百泉镇政府信息公开工作2023年度报告");
        assert_eq!((a.as_deref(), y), (Some("百泉镇"), Some(2023)));
        let (a, y) = agency_and_year("2022年北京市统计局政府信息公开工作年度报告");
        assert_eq!((a.as_deref(), y), (Some("北京市统计局"), Some(2022)));
    }

    #[test]
    fn dates() {
        assert_eq!(
            trailing_date("2024 年 1 月 10 日").map(|d| d.1),
            Some("2024-01-10".into())
        );
        assert_eq!(
            trailing_date("二〇二四年一月十七日").map(|d| d.1),
            Some("2024-01-17".into())
        );
        assert_eq!(
            trailing_date("百泉镇人民政府 2024年1月17日"),
            Some(("百泉镇人民政府".into(), "2024-01-17".into()))
        );
        assert_eq!(trailing_date("2024年13月1日"), None);
    }

    #[test]
    fn s3_rows_by_words() {
        let f = FormatVersion::Revised2021;
        let key = |l: &str, g| find_s3_row(f, &norm(l), g).map(|r| f.s3_rows()[r].key);
        assert_eq!(
            key("(三)不予公开1.属于国家秘密", OutcomeGroup::Denied),
            Some("denied_state_secret")
        );
        assert_eq!(key("3.其他", OutcomeGroup::Other), Some("other_other"));
        assert_eq!(key("3.其他", OutcomeGroup::Denied), None);
        assert_eq!(
            key("2.申请人逾期未按收费通知要求缴", OutcomeGroup::Other),
            Some("other_unpaid_fee")
        );
        assert_eq!(key("(七)总计", OutcomeGroup::Other), Some("results_total"));
        assert_eq!(
            key("三、本年度办理结果(一)予以公开", OutcomeGroup::None),
            Some("granted")
        );
    }
}
