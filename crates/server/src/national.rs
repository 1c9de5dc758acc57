//! The three tables of the national format as HTML, with the checker's findings marked on
//! the cells they concern.
//!
//! The layout (official rows, columns, merged headers) comes from
//! [`gongkai_write::layout`], the same grids every writer prints, so the page shows
//! exactly the printed form. This module adds what a screen needs and paper does not: an
//! anchor per data cell (`#c-s3.new_received.total`), the finding codes on the cells
//! (errors red, warnings amber, cells that only take part in a sum outlined), the messages
//! on hover and for screen readers, and — where the viewer may correct cells — a link from
//! each value to the correction form.
//!
//! Everything printed comes from a report, which comes from an uploaded file: every piece
//! of text goes through [`escape`].

use std::collections::HashMap;
use std::fmt::Write as _;

use gongkai_check::{Finding, Severity};
use gongkai_report::Report;
use gongkai_write::Options;
use gongkai_write::html::escape;
use gongkai_write::layout::{self, Cell, Role, Table, TableKind};

/// How one finding touches one cell.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Index in the findings list (anchor `#f-{index}`).
    finding: usize,
    severity: Severity,
    /// The cell the finding is about (the total of a sum, the uncertain cell …), as
    /// opposed to a cell that only takes part in the sum.
    primary: bool,
}

/// Which cells each finding concerns: for a sum (a finding with an expected value), the
/// first cell is the total that does not match and the others are its parts; for any other
/// finding every listed cell is concerned.
fn marks(findings: &[Finding]) -> HashMap<&str, Vec<Mark>> {
    let mut map: HashMap<&str, Vec<Mark>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let is_sum = f.expected.is_some();
        for (k, c) in f.cells.iter().enumerate() {
            let entry = map.entry(c.id.as_str()).or_default();
            if entry.iter().any(|m| m.finding == i) {
                continue;
            }
            entry.push(Mark {
                finding: i,
                severity: f.severity,
                primary: !is_sum || k == 0,
            });
        }
    }
    map
}

/// Where a cell's value links to (the correction form), if the viewer may correct cells.
pub trait CellLink {
    /// The href for the cell `id`.
    fn href(&self, id: &str) -> String;
}

/// No links: the cells are read-only.
pub struct ReadOnly;

impl CellLink for ReadOnly {
    fn href(&self, _id: &str) -> String {
        String::new()
    }
}

/// Links to `{base}?cell={id}#correct`.
pub struct CorrectLink<'a>(pub &'a str);

impl CellLink for CorrectLink<'_> {
    fn href(&self, id: &str) -> String {
        format!("{}?cell={}#correct", self.0, id)
    }
}

/// The three tables, each under its section heading, as one HTML fragment.
pub fn tables(report: &Report, findings: &[Finding], link: &dyn CellLink) -> String {
    let opts = Options::default();
    let marks = marks(findings);
    let mut out = String::with_capacity(64 * 1024);
    let doc = layout::document(report, &opts);
    for s in &doc.sections {
        let Some(t) = &s.table else { continue };
        let _ = write!(
            out,
            "<section class=\"national\" aria-labelledby=\"t{n}\">\n<h3 id=\"t{n}\">{}</h3>\n<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"t{n}\">",
            escape(&s.heading),
            n = s.number
        );
        table(&mut out, report, t, findings, &marks, link);
        out.push_str("</div>\n</section>\n");
    }
    out
}

fn table(
    out: &mut String,
    report: &Report,
    t: &Table,
    findings: &[Finding],
    marks: &HashMap<&str, Vec<Mark>>,
    link: &dyn CellLink,
) {
    let class = match t.kind {
        TableKind::S2 => "s2",
        TableKind::S3 => "s3",
        TableKind::S4 => "s4",
    };
    let _ = writeln!(
        out,
        "<table class=\"layout {class}\">\n<caption>{}</caption>",
        escape(t.caption)
    );
    let header_rows = t.header_rows();
    if header_rows > 0 {
        out.push_str("<thead>\n");
    }
    for (r, row) in t.rows.iter().enumerate() {
        if r == header_rows {
            if header_rows > 0 {
                out.push_str("</thead>\n");
            }
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for c in &row.cells {
            cell(out, report, c, findings, marks, link);
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

fn cell(
    out: &mut String,
    report: &Report,
    c: &Cell,
    findings: &[Finding],
    marks: &HashMap<&str, Vec<Mark>>,
    link: &dyn CellLink,
) {
    let spans = |out: &mut String| {
        if c.row_span > 1 {
            let _ = write!(out, " rowspan=\"{}\"", c.row_span);
        }
        if c.col_span > 1 {
            let _ = write!(out, " colspan=\"{}\"", c.col_span);
        }
    };
    if c.role != Role::Data {
        let (tag, scope, class) = match c.role {
            Role::Corner => ("td", "", "corner"),
            Role::ColumnHeader if c.col_span > 1 => ("th", "colgroup", ""),
            Role::ColumnHeader => ("th", "col", ""),
            Role::Caption => ("th", "colgroup", "caption"),
            _ if c.vertical => ("th", "row", "vertical"),
            _ => ("th", "row", ""),
        };
        let _ = write!(out, "<{tag}");
        spans(out);
        if !scope.is_empty() {
            let _ = write!(out, " scope=\"{scope}\"");
        }
        if !class.is_empty() {
            let _ = write!(out, " class=\"{class}\"");
        }
        let _ = write!(out, ">{}</{tag}>", escape(&c.text));
        return;
    }
    let Some(idx) = c.cell else {
        out.push_str("<td></td>");
        return;
    };
    let def = report.def(idx);
    let id = def.id.as_str();
    let these = marks.get(id).map(Vec::as_slice).unwrap_or(&[]);
    let mut class = String::from("v");
    if c.blank {
        class.push_str(" blank");
    }
    if report.is_uncertain(id) {
        class.push_str(" uncertain");
    }
    let primary = |s: Severity| these.iter().any(|m| m.primary && m.severity == s);
    if primary(Severity::Error) {
        class.push_str(" m-error");
    } else if primary(Severity::Warning) {
        class.push_str(" m-warning");
    } else if !these.is_empty() {
        class.push_str(" m-involved");
    }
    let _ = write!(out, "<td id=\"c-{}\"", escape(id));
    spans(out);
    let _ = write!(out, " class=\"{class}\" data-cell=\"{}\"", escape(id));
    // The hover text: the cell's label, then each finding's code and message.
    let mut title = def.label.clone();
    for m in these {
        let f = &findings[m.finding];
        let _ = write!(title, "\n{}：{}", f.code, f.message_zh);
    }
    let _ = write!(out, " title=\"{}\">", escape(&title));
    let value = escape(&c.text);
    let href = link.href(id);
    if href.is_empty() {
        let _ = write!(out, "<span class=\"val\">{value}</span>");
    } else {
        let _ = write!(
            out,
            "<a class=\"val\" href=\"{}\" aria-label=\"{}：{}（更正）\">{value}</a>",
            escape(&href),
            escape(&def.label),
            if c.blank { "空白" } else { value.as_str() }
        );
    }
    if !these.is_empty() {
        out.push_str("<span class=\"badges\">");
        for m in these {
            let f = &findings[m.finding];
            let sev = match (m.primary, f.severity) {
                (false, _) => "involved",
                (true, Severity::Error) => "error",
                (true, Severity::Warning) => "warning",
                (true, Severity::Info) => "info",
            };
            let _ = write!(
                out,
                "<a class=\"badge b-{sev}\" href=\"#f-{}\">{}<span class=\"sr\">：{}</span></a>",
                m.finding,
                f.code,
                escape(&f.message_zh)
            );
        }
        out.push_str("</span>");
    }
    out.push_str("</td>");
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::Value;

    use super::*;

    fn zero_report() -> Report {
        let mut r = Report::new(FormatVersion::Revised2021);
        for i in 0..r.cells.len() {
            r.cells[i] = Some(Value::int(0));
        }
        r
    }

    #[test]
    fn every_data_cell_has_an_anchor() {
        let r = zero_report();
        let html = tables(&r, &[], &ReadOnly);
        for def in r.format.cells() {
            assert!(html.contains(&format!("id=\"c-{}\"", def.id)), "{}", def.id);
        }
        assert_eq!(html.matches("<table").count(), 3);
    }

    #[test]
    fn a_sum_finding_marks_the_total_and_outlines_the_parts() {
        let mut r = zero_report();
        r.set("s3.results_total.total", Some(Value::int(3)));
        r.set("s3.granted.total", Some(Value::int(2)));
        let findings = gongkai_check::check(&r);
        let html = tables(&r, &findings, &CorrectLink("/check/r/x"));
        let total = html
            .split("id=\"c-s3.results_total.total\"")
            .nth(1)
            .unwrap();
        let total = &total[..total.find("</td>").unwrap()];
        assert!(total.contains("m-error"), "{total}");
        assert!(total.contains(">TAB002<"), "{total}");
        assert!(total.contains("href=\"/check/r/x?cell=s3.results_total.total#correct\""));
        let part = html.split("id=\"c-s3.granted.total\"").nth(1).unwrap();
        let part = &part[..part.find("</td>").unwrap()];
        assert!(
            part.contains("m-involved") || part.contains("m-error"),
            "{part}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut r = zero_report();
        r.sections.push(gongkai_report::Section {
            number: 2,
            heading: "<script>alert(1)</script>".into(),
            text: String::new(),
            loc: gongkai_report::Location::None,
        });
        let html = tables(&r, &[], &ReadOnly);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
