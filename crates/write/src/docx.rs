//! DOCX (docx-rs): A4 with the margins of GB/T 9704 (公文格式), the official-document
//! fonts named as East-Asian run fonts (Word and WPS fall back to an installed font),
//! borders, `w:gridSpan` / `w:vMerge` for the merged cells, heading rows repeated on every
//! page (`w:tblHeader`), rows never split across pages (`w:cantSplit`) and page numbers in
//! the footer.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType, Table as DocxTable, TableBorder, TableBorderPosition, TableCell,
    TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

use crate::layout::{self, Cell, Doc, Role, Slot, Table};
use crate::{DocxFonts, Options, WriteError};

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN: PageMargin = PageMargin {
    top: 2098,
    left: 1587,
    bottom: 1984,
    right: 1474,
    header: 851,
    footer: 992,
    gutter: 0,
};
/// Text width between the margins.
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN.left - MARGIN.right) as usize;

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 五号 10.5 pt, 小五 9 pt.
const SIZE_TITLE: usize = 44;
const SIZE_TEXT: usize = 32;
const SIZE_TABLE: usize = 21;
const SIZE_NOTE: usize = 18;
/// Fixed line pitch of running text: 28 pt.
const LINE_PITCH: i32 = 560;
/// Two characters of 三号 text.
const INDENT_2: i32 = 640;

/// Renders the report as a DOCX file.
pub fn render(report: &gongkai_report::Report, opts: &Options) -> Result<Vec<u8>, WriteError> {
    let xml = document_xml_parts(&layout::document(report, opts), &opts.docx_fonts)?;
    let mut buf = Cursor::new(Vec::with_capacity(32 * 1024));
    xml.pack(&mut buf)
        .map_err(|e| WriteError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// The `word/document.xml` of the rendered report (for tests and inspection).
pub fn document_xml(report: &gongkai_report::Report, opts: &Options) -> Result<String, WriteError> {
    let xml = document_xml_parts(&layout::document(report, opts), &opts.docx_fonts)?;
    String::from_utf8(xml.document).map_err(|e| WriteError::Docx(e.to_string()))
}

fn document_xml_parts(doc: &Doc, fonts: &DocxFonts) -> Result<docx_rs::XMLDocx, WriteError> {
    let mut header_flags = Vec::new();
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(MARGIN)
        .default_fonts(run_fonts(&fonts.body, &fonts.latin))
        .default_size(SIZE_TEXT)
        .footer(page_number_footer(fonts));
    docx = docx.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(LINE_PITCH as u32))
            .add_run(text_run(&doc.title, &fonts.title, &fonts.latin, SIZE_TITLE)),
    );
    for d in &doc.top_dates {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text_run(d, &fonts.body, &fonts.latin, SIZE_TEXT)),
        );
    }
    for p in &doc.preamble {
        docx = docx.add_paragraph(body(p, fonts));
    }
    for s in &doc.sections {
        docx = docx.add_paragraph(
            Paragraph::new()
                .indent(
                    None,
                    Some(SpecialIndentType::FirstLine(INDENT_2)),
                    None,
                    None,
                )
                .line_spacing(exact_lines())
                .keep_next(true)
                .outline_lvl(0)
                .add_run(text_run(
                    &s.heading,
                    &fonts.heading,
                    &fonts.latin,
                    SIZE_TEXT,
                )),
        );
        for p in &s.paragraphs {
            docx = docx.add_paragraph(body(p, fonts));
        }
        if let Some(t) = &s.table {
            docx = docx.add_table(table(t, fonts, &mut header_flags));
            // Word needs a paragraph between a table and the next heading.
            docx = docx.add_paragraph(Paragraph::new().size(SIZE_NOTE));
        }
    }
    for (k, p) in doc.signature.iter().chain(&doc.date).enumerate() {
        let mut para = Paragraph::new()
            .align(AlignmentType::Right)
            .indent(None, None, Some(INDENT_2 * 2), None)
            .line_spacing(exact_lines());
        if k == 0 {
            para = para.line_spacing(exact_lines().before(LINE_PITCH as u32));
        }
        docx = docx.add_paragraph(para.add_run(text_run(p, &fonts.body, &fonts.latin, SIZE_TEXT)));
    }
    let mut xml = docx.build();
    xml.document = mark_header_rows(&xml.document, &header_flags)?;
    Ok(xml)
}

fn run_fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(latin)
        .hi_ansi(latin)
        .cs(latin)
        .hint("eastAsia")
}

fn text_run(text: &str, font: &str, latin: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .fonts(run_fonts(font, latin))
        .size(size)
}

fn exact_lines() -> LineSpacing {
    LineSpacing::new()
        .line(LINE_PITCH)
        .line_rule(LineSpacingType::Exact)
}

fn body(text: &str, fonts: &DocxFonts) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_2)),
            None,
            None,
        )
        .line_spacing(exact_lines())
        .add_run(text_run(text, &fonts.body, &fonts.latin, SIZE_TEXT))
}

fn page_number_footer(fonts: &DocxFonts) -> Footer {
    let dash = |t: &str| text_run(t, &fonts.body, &fonts.latin, 28);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(dash("— "))
            .add_page_num(PageNum::new())
            .add_run(dash(" —")),
    )
}

fn table(t: &Table, fonts: &DocxFonts, header_flags: &mut Vec<bool>) -> DocxTable {
    let total: usize = t.widths.iter().map(|w| *w as usize).sum::<usize>().max(1);
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| *w as usize * TEXT_WIDTH / total)
        .collect();
    let span_width =
        |col: usize, span: usize| -> usize { widths.iter().skip(col).take(span).sum() };
    let mut rows = Vec::with_capacity(t.rows.len());
    for (r, slots) in t.grid().iter().enumerate() {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < slots.len() {
            let (tc, span) = match slots[c] {
                Slot::Origin(cell) => {
                    let mut tc = content(cell, fonts);
                    if cell.row_span > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                    (tc, cell.col_span)
                }
                Slot::Covered { cell, .. } => (
                    TableCell::new()
                        .vertical_merge(VMergeType::Continue)
                        .add_paragraph(Paragraph::new().size(SIZE_TABLE)),
                    cell.col_span,
                ),
                Slot::Empty => (TableCell::new().add_paragraph(Paragraph::new()), 1),
            };
            let mut tc = tc
                .width(span_width(c, span), WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if span > 1 {
                tc = tc.grid_span(span);
            }
            cells.push(tc);
            c += span.max(1);
        }
        header_flags.push(t.rows.get(r).is_some_and(|row| row.header));
        rows.push(TableRow::new(cells).cant_split());
    }
    let border = |p| TableBorder::new(p).size(6);
    DocxTable::new(rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_border(border(TableBorderPosition::Top))
        .set_border(border(TableBorderPosition::Bottom))
        .set_border(border(TableBorderPosition::Left))
        .set_border(border(TableBorderPosition::Right))
        .set_border(border(TableBorderPosition::InsideH))
        .set_border(border(TableBorderPosition::InsideV))
}

fn content(cell: &Cell, fonts: &DocxFonts) -> TableCell {
    let (font, size, align) = match cell.role {
        Role::Corner => (&fonts.body, SIZE_NOTE, AlignmentType::Left),
        Role::ColumnHeader | Role::Caption => (&fonts.heading, SIZE_TABLE, AlignmentType::Center),
        Role::GroupHeader => (&fonts.body, SIZE_TABLE, AlignmentType::Center),
        Role::RowHeader => (&fonts.body, SIZE_TABLE, AlignmentType::Left),
        Role::Data => (&fonts.body, SIZE_TABLE, AlignmentType::Center),
    };
    let align = if cell.role == Role::Caption {
        AlignmentType::Left
    } else {
        align
    };
    TableCell::new().add_paragraph(Paragraph::new().align(align).add_run(text_run(
        &cell.text,
        font,
        &fonts.latin,
        size,
    )))
}

/// docx-rs has no `w:tblHeader`: inserts it into the row properties of the heading rows.
/// `flags` lists, for every table row of the document in order, whether it is one.
fn mark_header_rows(xml: &[u8], flags: &[bool]) -> Result<Vec<u8>, WriteError> {
    const ROW_PROPS: &str = "<w:trPr>";
    let text = std::str::from_utf8(xml).map_err(|e| WriteError::Docx(e.to_string()))?;
    let found = text.matches(ROW_PROPS).count();
    if found != flags.len() {
        return Err(WriteError::Docx(format!(
            "表格行数不符：document.xml 有 {found} 行属性，应为 {}",
            flags.len()
        )));
    }
    let mut out = String::with_capacity(text.len() + 64 * flags.len());
    let mut rest = text;
    for &header in flags {
        let Some(i) = rest.find(ROW_PROPS) else { break };
        let end = i + ROW_PROPS.len();
        out.push_str(&rest[..end]);
        if header {
            out.push_str("<w:tblHeader />");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::Report;

    use super::*;

    fn xml() -> String {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.meta.agency = Some("某某局".into());
        r.meta.year = Some(2024);
        document_xml(&r, &Options::default()).unwrap()
    }

    /// The merged cells of the national format are in the XML: the corner (3×3), the
    /// vertical 三、本年度办理结果 (22 rows) and the group labels, the 行政复议 / 行政诉讼
    /// headers.
    #[test]
    fn merged_cells_are_grid_spans_and_vertical_merges() {
        let xml = xml();
        let tables: Vec<&str> = xml.split("<w:tbl>").skip(1).collect();
        assert_eq!(tables.len(), 3);
        let s3 = tables[1];
        let s4 = tables[2];
        // Corner: a restart spanning 3 columns, then two continuation rows.
        let corner = s3.find("勾稽关系").unwrap();
        let before = &s3[..corner];
        let tc = before.rfind("<w:tc>").unwrap();
        assert!(
            before[tc..].contains(r#"<w:gridSpan w:val="3" />"#),
            "{}",
            &before[tc..]
        );
        assert!(before[tc..].contains(r#"<w:vMerge w:val="restart" />"#));
        // Vertical merges: corner 1 + 自然人 1 + 总计 1 + 三 1 + four groups = 8 restarts.
        assert_eq!(s3.matches(r#"<w:vMerge w:val="restart" />"#).count(), 8);
        // Continuations: corner 2 + 自然人 1 + 总计 1 + 三 21 + groups 7 + 2 + 4 + 2 = 40.
        assert_eq!(s3.matches(r#"<w:vMerge w:val="continue" />"#).count(), 40);
        assert!(s3.contains(r#"<w:gridSpan w:val="7" />"#)); // 申请人情况
        assert!(s3.contains(r#"<w:gridSpan w:val="5" />"#)); // 法人或其他组织
        // Table 四: 行政复议 5 columns × 2 rows, 行政诉讼 10, its two groups 5 each.
        assert_eq!(s4.matches(r#"<w:gridSpan w:val="10" />"#).count(), 1);
        assert_eq!(s4.matches(r#"<w:gridSpan w:val="5" />"#).count(), 4);
        assert_eq!(s4.matches(r#"<w:vMerge w:val="restart" />"#).count(), 1);
        // Every row keeps together; the heading rows repeat: 3 in 三, 3 in 四.
        assert_eq!(xml.matches("<w:tblHeader />").count(), 6);
        assert_eq!(
            xml.matches("<w:cantSplit />").count(),
            xml.matches("<w:tr>").count()
        );
    }

    #[test]
    fn fonts_and_page() {
        let xml = xml();
        for font in ["仿宋_GB2312", "黑体", "方正小标宋简体"] {
            assert!(xml.contains(&format!("w:eastAsia=\"{font}\"")), "{font}");
        }
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    }
}
