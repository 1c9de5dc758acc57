//! Reads back a workbook as this crate writes it: each sheet's cells (text or number, by
//! address), its merged ranges and how many formulas it holds. Not a general XLSX reader
//! (no styles, no dates as dates: a date is its serial number): enough to check that what
//! was written is what was meant.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::WriteError;

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

impl Value {
    /// The text, or the number printed (`3`, `0.5`).
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) => n.to_string(),
        }
    }
}

/// One sheet read back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// By address (`A1`).
    pub cells: BTreeMap<String, Value>,
    /// Merged ranges as written (`A1:C1`).
    pub merged: Vec<String>,
    /// `<f>` elements: cells holding a formula.
    pub formulas: usize,
}

impl Sheet {
    pub fn get(&self, address: &str) -> Option<&Value> {
        self.cells.get(address)
    }

    /// The text of `address`, or empty.
    pub fn text(&self, address: &str) -> String {
        self.get(address).map(Value::as_text).unwrap_or_default()
    }

    /// The rows (1, 2, …) that have a cell, in order, each as its cells left to right.
    pub fn rows(&self) -> Vec<Vec<(String, Value)>> {
        let mut rows: BTreeMap<u32, Vec<(u32, String, Value)>> = BTreeMap::new();
        for (a, v) in &self.cells {
            let (col, row) = split_address(a);
            rows.entry(row)
                .or_default()
                .push((col, a.clone(), v.clone()));
        }
        rows.into_values()
            .map(|mut r| {
                r.sort_by_key(|c| c.0);
                r.into_iter().map(|(_, a, v)| (a, v)).collect()
            })
            .collect()
    }
}

/// (column number from 1, row number from 1) of `A1`.
fn split_address(a: &str) -> (u32, u32) {
    let mut col = 0u32;
    let mut row = 0u32;
    for ch in a.chars() {
        if ch.is_ascii_alphabetic() {
            col = col * 26 + (u32::from(ch.to_ascii_uppercase()) - u32::from('A') + 1);
        } else if let Some(d) = ch.to_digit(10) {
            row = row * 10 + d;
        }
    }
    (col, row)
}

fn bad(detail: impl Into<String>) -> WriteError {
    WriteError::Xlsx(detail.into())
}

fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, WriteError> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(e.to_string())),
    };
    let mut s = String::new();
    f.read_to_string(&mut s).map_err(|e| bad(e.to_string()))?;
    Ok(Some(s))
}

/// The sheets of `bytes`, in the workbook's order.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, WriteError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let workbook = part(&mut zip, "xl/workbook.xml")?.ok_or_else(|| bad("没有 workbook.xml"))?;
    let shared = part(&mut zip, "xl/sharedStrings.xml")?
        .map(|s| {
            elements(&s, "si")
                .into_iter()
                .map(texts)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut sheets = Vec::new();
    for (i, tag) in start_tags(&workbook, "sheet").into_iter().enumerate() {
        let name = attr(tag, "name").unwrap_or_default();
        let xml = part(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 1))?
            .ok_or_else(|| bad(format!("没有工作表 {name}")))?;
        let mut sheet = Sheet {
            name,
            formulas: xml.matches("<f>").count() + xml.matches("<f ").count(),
            ..Sheet::default()
        };
        for tag in start_tags(&xml, "mergeCell") {
            if let Some(r) = attr(tag, "ref") {
                sheet.merged.push(r);
            }
        }
        for c in elements_with_tag(&xml, "c") {
            let (tag, body) = c;
            let Some(r) = attr(tag, "r") else { continue };
            let t = attr(tag, "t").unwrap_or_default();
            let v = elements(body, "v").first().map(|v| unescape(v));
            let value = match t.as_str() {
                "s" => v
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| shared.get(i).cloned())
                    .map(Value::Text),
                "inlineStr" => Some(Value::Text(texts(body))),
                "str" => v.map(Value::Text),
                _ => v.and_then(|v| v.parse::<f64>().ok()).map(Value::Number),
            };
            if let Some(value) = value {
                sheet.cells.insert(r, value);
            }
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// The start tags `<name …>` / `<name …/>` (the text inside the brackets).
fn start_tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    elements_with_tag(xml, name)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// `(start tag, body)` of every `<name>` element (body empty for `<name/>`).
fn elements_with_tag<'a>(xml: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // `<c` must not match `<cols`: the name ends at a space, `>` or `/`.
        if !after.starts_with([' ', '>', '/']) {
            rest = after;
            continue;
        }
        let Some(end) = after.find('>') else { break };
        let tag = &after[..end];
        if tag.ends_with('/') {
            out.push((tag, ""));
            rest = &after[end + 1..];
            continue;
        }
        let body_start = &after[end + 1..];
        match body_start.find(&close) {
            Some(j) => {
                out.push((tag, &body_start[..j]));
                rest = &body_start[j + close.len()..];
            }
            None => break,
        }
    }
    out
}

/// The bodies of every `<name>` element.
fn elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    elements_with_tag(xml, name)
        .into_iter()
        .map(|(_, b)| b)
        .collect()
}

/// The text of the `<t>` elements inside `xml`, joined.
fn texts(xml: &str) -> String {
    elements(xml, "t").into_iter().map(unescape).collect()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')?;
    Some(unescape(&tag[i..i + j]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::{SheetValue, table};

    #[test]
    fn a_table_reads_back() {
        let bytes = table(
            "台账",
            &["编号", "申请人", "件数", "日期"],
            &[],
            &[
                vec![
                    SheetValue::Text("2025-001".into()),
                    SheetValue::Text("=HYPERLINK(\"x\") & <b>".into()),
                    SheetValue::Number(3.0),
                    SheetValue::Date(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()),
                ],
                vec![SheetValue::Empty, SheetValue::Text("-1+2".into())],
            ],
        )
        .unwrap();
        let sheets = read(&bytes).unwrap();
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.name, "台账");
        assert_eq!(s.formulas, 0);
        assert_eq!(s.text("A1"), "编号");
        assert_eq!(s.text("B2"), "=HYPERLINK(\"x\") & <b>");
        assert_eq!(s.get("C2"), Some(&Value::Number(3.0)));
        // 2025-03-01 as Excel's serial day.
        assert_eq!(s.get("D2"), Some(&Value::Number(45717.0)));
        assert_eq!(s.get("A3"), None);
        assert_eq!(s.text("B3"), "-1+2");
        assert_eq!(s.rows().len(), 3);
    }
}
