//! The workbook an office hands to its leader: 问题 (every finding, with the match marked
//! in its excerpt), 按规则 (counts by rule), 按文件 (counts by file).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use gongkai_lint::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::HEADERS;

fn header(sheet: &mut Worksheet, cols: &[&str], widths: &[f64]) -> Result<()> {
    let bold = Format::new().set_bold();
    for (c, (h, w)) in cols.iter().zip(widths).enumerate() {
        let c = u16::try_from(c)?;
        sheet.write_string_with_format(0, c, *h, &bold)?;
        sheet.set_column_width(c, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

pub(super) fn write(
    path: &Path,
    rows: Vec<[String; 11]>,
    files: &[(String, &'static str, [usize; 3])],
    _lang: Lang,
) -> Result<()> {
    let mut book = Workbook::new();

    let sheet = book.add_worksheet().set_name("问题")?;
    header(
        sheet,
        &HEADERS,
        &[
            30.0, 6.0, 12.0, 8.0, 24.0, 8.0, 40.0, 20.0, 50.0, 30.0, 20.0,
        ],
    )?;
    let mut by_rule: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (r, row) in rows.iter().enumerate() {
        // Excel's row limit; the by-rule and by-file sheets still count everything.
        if r + 1 < 1_048_576 {
            let r = u32::try_from(r + 1)?;
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r, u16::try_from(c)?, cell)?;
            }
        }
        if row[10].is_empty() {
            *by_rule.entry((row[3].clone(), row[5].clone())).or_insert(0) += 1;
        }
    }

    let sheet = book.add_worksheet().set_name("按规则")?;
    header(
        sheet,
        &["规则", "名称", "严重程度", "数量", "说明"],
        &[8.0, 30.0, 10.0, 8.0, 50.0],
    )?;
    for (r, ((code, sev), n)) in by_rule.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        let info = gongkai_lint::rule(code);
        sheet.write_string(r, 0, code)?;
        sheet.write_string(r, 1, info.map_or("", |i| i.meta.name))?;
        sheet.write_string(r, 2, sev)?;
        sheet.write_number(r, 3, *n as f64)?;
        sheet.write_string(r, 4, info.map_or("", |i| i.meta.summary_zh))?;
    }

    let sheet = book.add_worksheet().set_name("按文件")?;
    header(
        sheet,
        &["文件", "状态", "错误", "警告", "提示"],
        &[50.0, 16.0, 8.0, 8.0, 8.0],
    )?;
    for (r, (file, status, counts)) in files.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        sheet.write_string(r, 0, file)?;
        sheet.write_string(r, 1, *status)?;
        for (c, n) in counts.iter().enumerate() {
            sheet.write_number(r, u16::try_from(c + 2)?, *n as f64)?;
        }
    }
    book.save(path)
        .with_context(|| format!("{}: 无法写入 / cannot write", path.display()))?;
    Ok(())
}
