//! Data files: what a person writes (TOML or JSON) and what `gongkai read` prints (JSON),
//! read into a [`Report`]; and the fill-in TOML template with Chinese comments.
//!
//! One lenient shape serves all three:
//!
//! ```toml
//! format = "2021"                      # optional, "2021" or "2019"
//! [meta]
//! agency = "某某县人民政府办公室"
//! year = 2024
//! title = ""                           # optional: composed from agency and year
//! signed_by = "某某县人民政府办公室"
//! date = "2025-01-20"                  # or dates = [{ date = "…", text = "…" }]
//! preamble = """…"""                   # or { text = "…" }
//! [[sections]]
//! number = 1
//! heading = "一、总体情况"              # optional: the official heading
//! text = """…"""                       # one paragraph per line
//! [cells]
//! "s3.new_received.total" = 2          # integer, decimal, "110.139", or "" for blank
//! ```
//!
//! Fields of `gongkai read`'s JSON that are not data (`provenance`) are ignored; the
//! `uncertain`, `blanks` and `label_variants` lists are kept so the checker still warns.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellKind, FormatVersion, Place,
    SECTION_HEADINGS,
};
use gongkai_report::{
    Blank, LabelVariant, PrintedDate, Report, Section, Uncertain, Value, parse_number,
};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::{WriteError, layout};

#[derive(Debug, Deserialize)]
struct DataFile {
    #[serde(default)]
    format: Option<FormatVersion>,
    #[serde(default)]
    meta: DataMeta,
    #[serde(default)]
    sections: Vec<DataSection>,
    #[serde(default)]
    cells: BTreeMap<String, CellInput>,
    #[serde(default)]
    uncertain: Vec<Uncertain>,
    #[serde(default)]
    blanks: Vec<Blank>,
    #[serde(default)]
    label_variants: Vec<LabelVariant>,
}

#[derive(Debug, Default, Deserialize)]
struct DataMeta {
    title: Option<String>,
    agency: Option<String>,
    year: Option<i32>,
    #[serde(default)]
    dates: Vec<PrintedDate>,
    date: Option<String>,
    signed_by: Option<String>,
    preamble: Option<Preamble>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Preamble {
    Text(String),
    Section { text: String },
}

#[derive(Debug, Deserialize)]
struct DataSection {
    number: i64,
    #[serde(default)]
    heading: Option<String>,
    #[serde(default)]
    text: String,
}

/// A cell as written: a number, a numeric string, a blank marker, or null.
#[derive(Debug, Clone, PartialEq)]
enum CellInput {
    Number(Decimal),
    Text(String),
    Null,
    /// A float that has no decimal form (NaN, infinity) or another type: kept for the
    /// error message.
    Invalid(String),
}

impl<'de> Deserialize<'de> for CellInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CellInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, a string or null")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CellInput, E> {
                Ok(CellInput::Number(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellInput, E> {
                Ok(CellInput::Number(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellInput, E> {
                // `{}` prints the shortest text that reads back as the same f64: 110.139.
                let text = format!("{v}");
                Ok(Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_or(CellInput::Invalid(text), CellInput::Number))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CellInput, E> {
                Ok(CellInput::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<CellInput, E> {
                Ok(CellInput::Invalid(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<CellInput, E> {
                Ok(CellInput::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<CellInput, E> {
                Ok(CellInput::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<CellInput, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// Markers that mean "printed blank" (the readers' list).
const BLANK_MARKERS: [&str; 8] = ["", "/", "／", "-", "—", "——", "－", "无"];

/// Reads a TOML data file.
pub fn from_toml(text: &str) -> Result<Report, WriteError> {
    let file: DataFile = toml::from_str(text).map_err(|e| WriteError::Syntax {
        kind: "TOML",
        message: e.to_string().trim().to_string(),
    })?;
    build(file)
}

/// Reads a JSON data file, or the JSON that `gongkai read` prints.
pub fn from_json(text: &str) -> Result<Report, WriteError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: DataFile = serde_json::from_str(text).map_err(|e| WriteError::Syntax {
        kind: "JSON",
        message: e.to_string(),
    })?;
    build(file)
}

/// The kind of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Toml,
    Json,
}

/// Judges from the content whether `text` is a data file: JSON (an object) or TOML with a
/// `meta`, `sections` or `cells` entry. `None` for anything else (a report to read).
pub fn sniff(text: &str) -> Option<DataKind> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return Some(DataKind::Json);
    }
    let table: toml::Table = toml::from_str(text).ok()?;
    ["meta", "sections", "cells", "format"]
        .iter()
        .any(|k| table.contains_key(*k))
        .then_some(DataKind::Toml)
}

/// One paragraph per line: lines trimmed, blank lines dropped (the readers' form).
fn canonical_text(text: &str) -> String {
    layout::paragraphs(text).join("\n")
}

fn iso_date(date: &str) -> Result<PrintedDate, WriteError> {
    let bad = || WriteError::BadDate(date.to_string());
    let parts: Vec<&str> = date.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4..=4), num(m, 1..=2), num(d, 1..=2)) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(PrintedDate {
        date: format!("{y:04}-{m:02}-{d:02}"),
        text: format!("{y}年{m}月{d}日"),
        loc: gongkai_report::Location::None,
    })
}

fn build(file: DataFile) -> Result<Report, WriteError> {
    let format = file.format.unwrap_or(FormatVersion::Revised2021);
    let mut report = Report::new(format);
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let meta = file.meta;
    report.meta.agency = nonempty(meta.agency);
    report.meta.year = meta.year;
    report.meta.signed_by = nonempty(meta.signed_by);
    report.meta.dates = meta.dates;
    if let Some(d) = nonempty(meta.date) {
        report.meta.dates.push(iso_date(&d)?);
    }
    report.meta.preamble = meta
        .preamble
        .map(|p| match p {
            Preamble::Text(t) | Preamble::Section { text: t } => canonical_text(&t),
        })
        .filter(|t| !t.is_empty())
        .map(|text| Section {
            number: 0,
            heading: String::new(),
            text,
            loc: gongkai_report::Location::None,
        });
    report.meta.title = nonempty(meta.title);
    if report.meta.title.is_none() && (report.meta.agency.is_some() || report.meta.year.is_some()) {
        report.meta.title = Some(layout::title(&report));
    }
    for s in file.sections {
        let number = u8::try_from(s.number)
            .ok()
            .filter(|n| (1..=6).contains(n))
            .ok_or(WriteError::BadSection {
                number: s.number,
                reason: "部分编号应为 1 至 6",
            })?;
        if report.section(number).is_some() {
            return Err(WriteError::BadSection {
                number: s.number,
                reason: "重复出现",
            });
        }
        let heading = nonempty(s.heading)
            .unwrap_or_else(|| SECTION_HEADINGS[usize::from(number) - 1].0.to_string());
        report.sections.push(Section {
            number,
            heading,
            text: canonical_text(&s.text),
            loc: gongkai_report::Location::None,
        });
    }
    for (id, input) in file.cells {
        let idx = format.cell(&id).ok_or_else(|| WriteError::UnknownCell {
            id: id.clone(),
            format: format.as_str(),
        })?;
        let value = match input {
            CellInput::Number(d) => Some(Value(d)),
            CellInput::Null => None,
            CellInput::Text(t) if BLANK_MARKERS.contains(&t.trim()) => None,
            CellInput::Text(t) => Some(parse_number(&t).ok_or(WriteError::BadValue {
                id: id.clone(),
                raw: t,
            })?),
            CellInput::Invalid(raw) => return Err(WriteError::BadValue { id, raw }),
        };
        report.cells[idx.0 as usize] = value;
    }
    report.uncertain = file.uncertain;
    report.blanks = file.blanks;
    report.label_variants = file.label_variants;
    Ok(report)
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Placeholder text of each section: no numbers, so the checker's narrative rules stay
/// quiet; the fill-in instructions themselves are placeholders (TXT005), so `gongkai
/// render` refuses the file until real text replaces them.
const PLACEHOLDERS: [&str; 6] = [
    "（请在此概述本机关本年度贯彻落实《中华人民共和国政府信息公开条例》的总体情况。）\n\
     （一）主动公开\n（请填写主动公开政府信息的情况。）\n\
     （二）依申请公开\n（请填写依申请公开办理的情况。）\n\
     （三）政府信息管理\n（请填写政府信息管理的情况。）\n\
     （四）政府信息公开平台建设\n（请填写政府信息公开平台建设的情况。）\n\
     （五）监督保障\n（请填写监督保障的情况，人民政府还应包括工作考核、社会评议和责任追究结果情况。）",
    "（本部分以下表为主，数据填写在本文件的 [cells] 部分；如需说明，请在此填写。）",
    "（本部分以下表为主，数据填写在本文件的 [cells] 部分；如需说明，请在此填写。）",
    "（本部分以下表为主，数据填写在本文件的 [cells] 部分；如需说明，请在此填写。）",
    "（请填写本年度政府信息公开工作存在的主要问题及改进情况。）",
    "（请填写其他需要报告的事项，如依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；没有的写“无”。）",
];

/// The fill-in data file: metadata, the six sections with placeholder text, every cell 0,
/// with comments in Chinese explaining each field. `gongkai render` reads it unchanged and
/// refuses to write it (TXT005, fill-in instructions left) until the sections are written
/// (or with `--force`).
pub fn template(format: FormatVersion, year: i32, agency: &str) -> String {
    let mut t = String::with_capacity(24 * 1024);
    let _ = write!(
        t,
        r#"# 政府信息公开工作年度报告 · 数据文件
#
# 由 `gongkai template` 生成。填写后用下列命令生成报告（格式检查有错误时会拒绝生成）：
#   gongkai render 本文件.toml --to docx -o 报告.docx      （也可 --to pdf / html / md）
#
# 格式依据：《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）。
# 写法（TOML）：# 之后是注释；文字放在英文双引号 "…" 内，多行文字放在三个双引号 """…""" 内，
# 每一行是一个段落。

# 格式版本："2021"（国办公开办函〔2021〕30号，现行）或 "2019"（2019 年试行格式）
format = {format}

[meta]
# 机关名称，即标题中的“某某”
agency = {agency}
# 报告年度；统计期限为该年 1 月 1 日至 12 月 31 日
year = {year}
# 标题；留空则由机关名称和年度生成：“{agency_plain}{year}年政府信息公开工作年度报告”
title = ""
# 落款单位，印在文末日期之上
signed_by = {agency}
# 发布日期，写作 YYYY-MM-DD；条例第四十九条要求不晚于次年 1 月 31 日。请改为实际日期
date = "{next}-01-20"
# 引言：标题与“一、总体情况”之间的说明文字，可删去
preamble = """
本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。
"""

# ───────────────────────── 正文六个部分 ─────────────────────────
# number 为部分编号（1 至 6），heading 为标题（按格式规定，一般不改），text 为正文。
# 第二、三、四部分的表格由下面 [cells] 的数据生成，正文中不必重复表格。
"#,
        format = toml_str(format.as_str()),
        agency = toml_str(agency),
        agency_plain = agency,
        next = year + 1,
    );
    for (i, (heading, _)) in SECTION_HEADINGS.iter().enumerate() {
        let _ = write!(
            t,
            "\n[[sections]]\nnumber = {}\nheading = {}\ntext = \"\"\"\n{}\n\"\"\"\n",
            i + 1,
            toml_str(heading),
            PLACEHOLDERS[i]
        );
    }
    t.push_str(
        "\n# ───────────────────────── 表格数据 ─────────────────────────\n\
         # 每个单元格一行：\"单元格编号\" = 数值。件数填整数（没有就填 0）；\n\
         # 收费金额单位为万元，可带小数，如 0.35；确实空白的单元格写 \"\"（不要写 0 以外的文字）。\n\
         [cells]\n",
    );
    let cells = format.cells();
    let width = cells.iter().map(|c| c.id.len()).max().unwrap_or(0) + 2;
    let mut last_row: Option<(u8, u8)> = None;
    for def in cells {
        let (section, row) = match def.place {
            Place::S2 { row, .. } => (2, row),
            Place::S3 { row, .. } => (3, row),
            Place::S4 { group, .. } => (4, group),
        };
        if last_row.map(|(s, _)| s) != Some(section) {
            t.push('\n');
            t.push_str(match section {
                2 => "# ══ 二、主动公开政府信息情况 ══\n",
                3 => "# ══ 三、收到和处理政府信息公开申请情况 ══\n\
                      # 勾稽关系（每一列）：一 + 二 = 三（七）总计 + 四；（七）总计 = （一）至（六）各行之和；\n\
                      # 每一行：总计 = 自然人 + 法人或其他组织五列之和。\n",
                _ => "# ══ 四、政府信息公开行政复议、行政诉讼情况 ══\n\
                      # 每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。\n",
            });
        }
        if last_row != Some((section, row)) {
            let _ = writeln!(t, "# {}", row_comment(format, def));
            last_row = Some((section, row));
        }
        let id = format!("\"{}\"", def.id);
        let unit = match def.kind {
            CellKind::Decimal => "（可带小数）",
            CellKind::Count => "",
        };
        let _ = writeln!(t, "{id:<width$}= 0    # {}{unit}", def.column_label);
    }
    t
}

/// The comment above a row of cells in the template.
fn row_comment(format: FormatVersion, def: &gongkai_format::CellDef) -> String {
    match def.place {
        Place::S2 { row, .. } => {
            let r = &format.s2_rows()[usize::from(row)];
            format!("{} · {}", r.caption, r.label)
        }
        Place::S3 { row, .. } => {
            let r = &format.s3_rows()[usize::from(row)];
            let path = r.label_path.replace(" /", " ·").replace("/ ", "· ");
            let cols = APPLICANT_COLUMNS.len();
            format!("{path}（{cols} 列：自然人、法人或其他组织五类、总计）")
        }
        Place::S4 { group, .. } => {
            let g = &APPEAL_GROUPS[usize::from(group)];
            format!(
                "{}（{} 列）",
                g.label.replace(" / ", " · "),
                APPEAL_COLUMNS.len()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_decimals_and_blanks() {
        let r = from_toml(
            r#"
            [meta]
            agency = "某某局"
            year = 2024
            date = "2025-1-20"
            [cells]
            "s3.new_received.total" = 2
            "s2.fees.amount_10k_yuan" = 110.139
            "s2.regulations.issued" = ""
            "s2.regulations.repealed" = "1,234"
            "#,
        )
        .unwrap();
        assert_eq!(r.get("s3.new_received.total"), Some(Value::int(2)));
        assert_eq!(
            r.get("s2.fees.amount_10k_yuan").map(|v| v.to_string()),
            Some("110.139".into())
        );
        assert_eq!(r.get("s2.regulations.issued"), None);
        assert_eq!(r.get("s2.regulations.repealed"), Some(Value::int(1234)));
        assert_eq!(
            r.meta.title.as_deref(),
            Some("某某局2024年政府信息公开工作年度报告")
        );
        assert_eq!(r.meta.dates[0].date, "2025-01-20");
    }

    #[test]
    fn errors_name_the_cell() {
        let e = from_toml("[cells]\n\"s9.nothing\" = 1\n").unwrap_err();
        assert!(e.to_string().contains("s9.nothing"), "{e}");
        let e = from_toml("[cells]\n\"s3.new_received.total\" = \"两件\"\n").unwrap_err();
        assert!(e.to_string().contains("两件"), "{e}");
        let e = from_toml("[cells\n").unwrap_err();
        assert!(matches!(e, WriteError::Syntax { kind: "TOML", .. }), "{e}");
        let e = from_toml("[meta]\ndate = \"2025/01/20\"\n").unwrap_err();
        assert!(matches!(e, WriteError::BadDate(_)), "{e}");
        let e = from_toml("[[sections]]\nnumber = 7\n").unwrap_err();
        assert_eq!(sniff("[meta]\nyear = 2024\n"), Some(DataKind::Toml));
        assert_eq!(sniff(" {\"cells\": {}}"), Some(DataKind::Json));
        assert_eq!(
            sniff("红旗区洪门镇 2023 年政府信息公开工作年度报告\n一、总体情况\n"),
            None
        );
        assert_eq!(sniff("a = 1\n"), None);
        assert!(matches!(e, WriteError::BadSection { number: 7, .. }), "{e}");
    }

    #[test]
    fn template_reads_back_with_every_cell_zero() {
        for format in [FormatVersion::Revised2021, FormatVersion::Trial2019] {
            let text = template(format, 2024, "某某县\"人民政府\"办公室");
            let r = from_toml(&text).unwrap();
            assert_eq!(r.format, format);
            assert!(r.cells.iter().all(|c| *c == Some(Value::int(0))));
            assert_eq!(r.sections.len(), 6);
            assert_eq!(r.meta.agency.as_deref(), Some("某某县\"人民政府\"办公室"));
            assert_eq!(r.meta.year, Some(2024));
            assert_eq!(r.meta.dates[0].date, "2025-01-20");
        }
    }
}
