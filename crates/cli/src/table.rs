//! `gongkai read --format table`: the report as aligned text tables for a terminal.

use std::fmt::Write as _;

use gongkai_check::Lang;
use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, s2_cell_at, s3_cell_at, s4_cell_at,
};
use gongkai_report::Report;

/// Display width in a terminal: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// A cell as shown: the number, `空` (blank) or `?` (uncertain).
fn shown(report: &Report, idx: gongkai_format::CellIdx) -> String {
    let id = &report.format.def(idx).id;
    if report.is_uncertain(id) {
        return "?".to_string();
    }
    match report.at(idx) {
        Some(v) => v.to_string(),
        None => "空".to_string(),
    }
}

/// Renders one report.
pub fn render(name: &str, report: &Report, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let m = &report.meta;
    let none = if zh { "（无）" } else { "(none)" };
    let _ = writeln!(out, "{}", m.title.as_deref().unwrap_or(name));
    let dates: Vec<&str> = m.dates.iter().map(|d| d.date.as_str()).collect();
    let fields = [
        (if zh { "文件" } else { "file" }, name.to_string()),
        (
            if zh { "格式" } else { "format" },
            report.format.as_str().to_string(),
        ),
        (
            if zh { "机关" } else { "agency" },
            m.agency.clone().unwrap_or_else(|| none.into()),
        ),
        (
            if zh { "年度" } else { "year" },
            m.year.map_or_else(|| none.into(), |y| y.to_string()),
        ),
        (
            if zh { "成文日期" } else { "dates" },
            if dates.is_empty() {
                none.into()
            } else {
                dates.join(", ")
            },
        ),
        (
            if zh { "落款" } else { "signed by" },
            m.signed_by.clone().unwrap_or_else(|| none.into()),
        ),
    ];
    for (k, v) in fields {
        let _ = writeln!(out, "  {} {v}", pad(&format!("{k}:"), 10));
    }
    let _ = writeln!(out);
    for s in &report.sections {
        let chars = s.text.chars().filter(|c| !c.is_whitespace()).count();
        let unit = if zh { "字" } else { "chars" };
        let _ = writeln!(out, "  {} ({chars} {unit})", s.heading);
    }
    let _ = writeln!(out);

    let f = report.format;
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "二、主动公开政府信息情况"
        } else {
            "2. Proactive disclosure"
        }
    );
    for (r, row) in f.s2_rows().iter().enumerate() {
        let mut line = format!("  {}", pad(row.label, 24));
        for (c, (_, label, _)) in row.columns.iter().enumerate() {
            let _ = write!(line, "  {label} {}", shown(report, s2_cell_at(f, r, c)));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "{}",
        if zh {
            "三、收到和处理政府信息公开申请情况"
        } else {
            "3. Applications received and handled"
        }
    );
    let label_w = 30;
    let mut head = format!("  {}", pad("", label_w));
    for c in APPLICANT_COLUMNS.iter() {
        let _ = write!(head, " {}", lpad(c.short, 12));
    }
    let _ = writeln!(out, "{head}");
    for (r, row) in f.s3_rows().iter().enumerate() {
        if row.item == 1 {
            let _ = writeln!(out, "  {}", row.group.label());
        }
        let label: String = row.label.chars().take(14).collect();
        let label = if row.item > 0 {
            format!("  {label}")
        } else {
            label
        };
        let mut line = format!("  {}", pad(&label, label_w));
        for c in 0..APPLICANT_COLUMNS.len() {
            let _ = write!(line, " {}", lpad(&shown(report, s3_cell_at(f, r, c)), 12));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "{}",
        if zh {
            "四、政府信息公开行政复议、行政诉讼情况"
        } else {
            "4. Reconsideration and litigation"
        }
    );
    let mut head = format!("  {}", pad("", label_w));
    for c in APPEAL_COLUMNS.iter() {
        let _ = write!(head, " {}", lpad(c.short, 10));
    }
    let _ = writeln!(out, "{head}");
    for (g, group) in APPEAL_GROUPS.iter().enumerate() {
        let mut line = format!("  {}", pad(group.label, label_w));
        for c in 0..APPEAL_COLUMNS.len() {
            let _ = write!(line, " {}", lpad(&shown(report, s4_cell_at(f, g, c)), 10));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let legend = if zh {
        format!(
            "说明：“空”= 印为空白或 / - — 无（{} 个），“?”= 无法确定的单元格（{} 个）",
            report.blanks.len(),
            report.uncertain.len()
        )
    } else {
        format!(
            "Legend: blank cells ({}), ? = uncertain cells ({})",
            report.blanks.len(),
            report.uncertain.len()
        )
    };
    let _ = writeln!(out, "{legend}\n");
    out
}
