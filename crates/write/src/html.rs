//! HTML: one self-contained file (styles inline, no scripts, fonts named, nothing
//! fetched), accessible tables (`<thead>`, `th scope`, real `rowspan`/`colspan`, each table
//! named by its visible section heading) and print CSS for A4 (header rows repeated, rows
//! never split across pages).
//!
//! Why `aria-labelledby` and not `<caption>`: the project's HTML reader reads a caption as
//! a line of text (as it must for published pages, where a caption is a printed title), so
//! a caption would add a line to the section's text and the report would not read back the
//! same. The heading right above the table is the caption a sighted reader sees; the table
//! points to it, which gives screen readers the same name (WCAG technique ARIA16).

use std::fmt::Write as _;

use crate::Options;
use crate::layout::{self, Cell, Doc, Role, Table, TableKind};

/// The style sheet: screen (a sheet of paper on grey) and print (A4, official margins).
const CSS: &str = r#"
:root { color-scheme: light; }
body { margin: 0; background: #eceff1; color: #111;
  font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif; }
article { box-sizing: border-box; max-width: 210mm; margin: 1.5rem auto; padding: 25mm 22mm;
  background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .2); }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif;
  font-size: 22pt; font-weight: normal; line-height: 1.5; text-align: center; margin: 0 0 1em; }
h2 { font-family: "黑体", SimHei, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 16pt; font-weight: normal; margin: 1em 0 .4em; break-after: avoid; }
p { font-size: 16pt; line-height: 1.75; text-indent: 2em; text-align: justify; margin: 0; }
p.top-date { text-align: center; text-indent: 0; margin-bottom: 1em; }
p.signature, p.date { text-align: right; text-indent: 0; padding-right: 2em; }
p.signature { margin-top: 2em; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: .6em 0 1em;
  font-size: 10.5pt; line-height: 1.35; }
th, td { border: 1px solid #000; padding: 3pt 2pt; text-align: center; vertical-align: middle;
  font-weight: normal; overflow-wrap: anywhere; }
thead th { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
th[scope="row"] { text-align: left; }
th.caption { text-align: left; font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; background: #f3f3f3; }
th.vertical { writing-mode: vertical-rl; text-orientation: upright; letter-spacing: .15em; }
td.corner { font-size: 9pt; text-align: left; }
td.blank { color: #555; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@media print {
  body { background: none; }
  article { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  th.caption { background: none; }
}
"#;

/// Renders the report as one HTML file.
pub fn render(report: &gongkai_report::Report, opts: &Options) -> String {
    write_doc(&layout::document(report, opts))
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

fn write_doc(doc: &Doc) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let title = escape(&doc.title);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"gongkai\">\n");
    let _ = write!(
        out,
        "<title>{title}</title>\n<style>{CSS}</style>\n</head>\n"
    );
    let _ = write!(out, "<body>\n<main>\n<article>\n<h1>{title}</h1>\n");
    for d in &doc.top_dates {
        let _ = writeln!(out, "<p class=\"top-date\">{}</p>", escape(d));
    }
    for p in &doc.preamble {
        let _ = writeln!(out, "<p>{}</p>", escape(p));
    }
    for s in &doc.sections {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"s{n}\">\n<h2 id=\"s{n}\">{}</h2>",
            escape(&s.heading),
            n = s.number
        );
        for p in &s.paragraphs {
            let _ = writeln!(out, "<p>{}</p>", escape(p));
        }
        if let Some(t) = &s.table {
            table(&mut out, t, s.number);
        }
        out.push_str("</section>\n");
    }
    if let Some(s) = &doc.signature {
        let _ = writeln!(out, "<p class=\"signature\">{}</p>", escape(s));
    }
    if let Some(d) = &doc.date {
        let class = if doc.signature.is_some() {
            "date"
        } else {
            "signature"
        };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(d));
    }
    out.push_str("</article>\n</main>\n</body>\n</html>\n");
    out
}

fn table(out: &mut String, t: &Table, section: u8) {
    let class = match t.kind {
        TableKind::S2 => "s2",
        TableKind::S3 => "s3",
        TableKind::S4 => "s4",
    };
    let _ = writeln!(
        out,
        "<table class=\"{class}\" aria-labelledby=\"s{section}\" title=\"{}\">",
        escape(t.caption)
    );
    out.push_str("<colgroup>");
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    for w in &t.widths {
        let _ = write!(
            out,
            "<col style=\"width:{:.2}%\">",
            f64::from(*w) * 100.0 / f64::from(total)
        );
    }
    out.push_str("</colgroup>\n");
    let header_rows = t.header_rows();
    if header_rows > 0 {
        out.push_str("<thead>\n");
    }
    for (r, row) in t.rows.iter().enumerate() {
        if r == header_rows {
            if header_rows > 0 {
                out.push_str("</thead>\n");
            }
            if t.kind != TableKind::S2 {
                out.push_str("<tbody>\n");
            }
        }
        // Section 二: one row group per sub-table, headed by its caption row.
        let caption_row = row.cells.first().is_some_and(|c| c.role == Role::Caption);
        if caption_row {
            if r > header_rows {
                out.push_str("</tbody>\n");
            }
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for c in &row.cells {
            cell(out, c);
        }
        out.push_str("</tr>\n");
    }
    if header_rows == t.rows.len() {
        out.push_str("</thead>\n");
    } else {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn cell(out: &mut String, c: &Cell) {
    let (tag, scope, class) = match c.role {
        Role::Corner => ("td", "", "corner"),
        Role::ColumnHeader if c.col_span > 1 => ("th", "colgroup", ""),
        Role::ColumnHeader => ("th", "col", ""),
        Role::Caption => ("th", "rowgroup", "caption"),
        Role::RowHeader | Role::GroupHeader => {
            ("th", "row", if c.vertical { "vertical" } else { "" })
        }
        Role::Data if c.blank => ("td", "", "blank"),
        Role::Data => ("td", "", ""),
    };
    out.push('<');
    out.push_str(tag);
    if c.row_span > 1 {
        let _ = write!(out, " rowspan=\"{}\"", c.row_span);
    }
    if c.col_span > 1 {
        let _ = write!(out, " colspan=\"{}\"", c.col_span);
    }
    if !scope.is_empty() {
        let _ = write!(out, " scope=\"{scope}\"");
    }
    if !class.is_empty() {
        let _ = write!(out, " class=\"{class}\"");
    }
    if c.blank {
        out.push_str(" title=\"空白\"");
    }
    out.push('>');
    out.push_str(&escape(&c.text));
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::Report;

    use super::*;

    #[test]
    fn self_contained_and_escaped() {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.meta.agency = Some("<某>局".into());
        r.meta.year = Some(2024);
        let html = render(&r, &Options::default());
        assert!(html.contains("<h1>&lt;某&gt;局2024年政府信息公开工作年度报告</h1>"));
        for external in ["<link", "<script", "src=", "url(", "@import", "http"] {
            assert!(!html.contains(external), "{external}");
        }
        assert_eq!(html.matches("<table").count(), 3);
        assert_eq!(html.matches("aria-labelledby=\"s").count(), 3 + 6);
        assert!(html.contains(
            "<th rowspan=\"22\" scope=\"row\" class=\"vertical\">三、本年度办理结果</th>"
        ));
        assert!(html.contains("<td rowspan=\"3\" colspan=\"3\" class=\"corner\">"));
    }
}
