//! Charts as SVG strings, drawn by hand: deterministic, no dependencies, no scripts.
//!
//! Each function returns one `<svg>` element with a `role="img"` and a `<title>`, sized
//! by its content, with text in the page's font.

use std::fmt::Write;

/// Bar colours, in order.
pub const PALETTE: [&str; 8] = [
    "#2f6fb0", "#e07b39", "#4c9f70", "#c8453b", "#8a63b8", "#b08f2f", "#3a9fb0", "#7a7a7a",
];
pub const ERROR: &str = "#c8453b";
pub const WARNING: &str = "#d99a1e";
pub const OK: &str = "#4c9f70";
pub const MUTED: &str = "#9aa4ae";
const TRACK: &str = "#e8ecf0";

const WIDTH: f64 = 680.0;
const BAR_H: f64 = 22.0;
const GAP: f64 = 8.0;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number with thousands separators.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Display width of a label in pixels at 13px (CJK characters are about twice as wide).
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 7.5 } else { 13.5 })
        .sum()
}

/// One bar of a chart: label, value, colour.
pub struct Item<'a> {
    pub label: &'a str,
    pub value: i64,
    pub color: &'a str,
}

/// Horizontal bars with the value at the end of each bar.
pub fn hbars(title: &str, items: &[Item]) -> String {
    let label_w = items
        .iter()
        .map(|i| text_width(i.label))
        .fold(60.0, f64::max)
        .min(300.0)
        + 12.0;
    let max = items.iter().map(|i| i.value).max().unwrap_or(0).max(1) as f64;
    let plot_w = WIDTH - label_w - 80.0;
    let h = items.len() as f64 * (BAR_H + GAP) + GAP;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}"><title>{}</title>"#,
        esc(title)
    );
    for (k, item) in items.iter().enumerate() {
        let y = GAP + k as f64 * (BAR_H + GAP);
        let w = if item.value > 0 {
            (item.value as f64 / max * plot_w).max(1.5)
        } else {
            0.0
        };
        let ty = y + BAR_H / 2.0 + 4.5;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{ty:.1}" text-anchor="end" class="lbl">{}</text><rect x="{label_w:.1}" y="{y:.1}" width="{w:.1}" height="{BAR_H}" rx="2" fill="{}"><title>{}：{}</title></rect><text x="{:.1}" y="{ty:.1}" class="val">{}</text>"#,
            label_w - 8.0,
            esc(item.label),
            item.color,
            esc(item.label),
            thousands(item.value),
            label_w + w + 6.0,
            thousands(item.value)
        );
    }
    s.push_str("</svg>");
    s
}

/// One rate: label, value 0..=1 (or none), and a note shown after the percentage.
pub struct Rate<'a> {
    pub label: &'a str,
    pub value: Option<f64>,
    pub note: String,
}

/// Rates as bars on a 0–100 % scale.
pub fn rates(title: &str, items: &[Rate]) -> String {
    let label_w = items
        .iter()
        .map(|i| text_width(i.label))
        .fold(60.0, f64::max)
        + 12.0;
    let plot_w = 300.0;
    let h = items.len() as f64 * (BAR_H + GAP) + GAP;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}"><title>{}</title>"#,
        esc(title)
    );
    for (k, item) in items.iter().enumerate() {
        let y = GAP + k as f64 * (BAR_H + GAP);
        let ty = y + BAR_H / 2.0 + 4.5;
        let v = item.value.unwrap_or(0.0).clamp(0.0, 1.0);
        let pct = item
            .value
            .map_or("无数据".to_string(), |v| format!("{:.1}%", v * 100.0));
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{ty:.1}" text-anchor="end" class="lbl">{}</text><rect x="{label_w:.1}" y="{y:.1}" width="{plot_w}" height="{BAR_H}" rx="2" fill="{TRACK}"/><rect x="{label_w:.1}" y="{y:.1}" width="{:.1}" height="{BAR_H}" rx="2" fill="{}"/><text x="{:.1}" y="{ty:.1}" class="val">{} {}</text>"#,
            label_w - 8.0,
            esc(item.label),
            v * plot_w,
            PALETTE[k % PALETTE.len()],
            label_w + plot_w + 8.0,
            pct,
            esc(&item.note)
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical columns (one per label), for a series over years.
pub fn columns(title: &str, items: &[Item]) -> String {
    let n = items.len().max(1) as f64;
    let h = 220.0;
    let base = h - 28.0;
    let top = 20.0;
    let max = items.iter().map(|i| i.value).max().unwrap_or(0).max(1) as f64;
    let slot = ((WIDTH - 40.0) / n).min(120.0);
    let bar_w = slot * 0.6;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}"><title>{}</title><line x1="20" y1="{base}" x2="{:.1}" y2="{base}" stroke="{MUTED}"/>"#,
        esc(title),
        WIDTH - 20.0
    );
    for (k, item) in items.iter().enumerate() {
        let x = 20.0 + k as f64 * slot + (slot - bar_w) / 2.0;
        let bh = item.value.max(0) as f64 / max * (base - top);
        let cx = x + bar_w / 2.0;
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{bh:.1}" rx="2" fill="{}"><title>{}：{}</title></rect><text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="val">{}</text><text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="lbl">{}</text>"#,
            base - bh,
            item.color,
            esc(item.label),
            thousands(item.value),
            base - bh - 5.0,
            thousands(item.value),
            base + 18.0,
            esc(item.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// One stacked bar: a label and (value, colour, legend) parts.
pub struct Stack<'a> {
    pub label: String,
    pub parts: Vec<(i64, &'a str)>,
}

/// Horizontal stacked bars of equal length (shares of each row), with a legend.
pub fn stacked(title: &str, legend: &[(&str, &str)], rows: &[Stack]) -> String {
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label))
        .fold(60.0, f64::max)
        .min(300.0)
        + 12.0;
    let plot_w = WIDTH - label_w - 20.0;
    let legend_h = 26.0;
    let h = legend_h + rows.len() as f64 * (BAR_H + GAP) + GAP;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}"><title>{}</title>"#,
        esc(title)
    );
    let mut lx = label_w;
    for (name, color) in legend {
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="6" width="12" height="12" fill="{color}"/><text x="{:.1}" y="16.5" class="lbl">{}</text>"#,
            lx + 16.0,
            esc(name)
        );
        lx += 16.0 + text_width(name) + 18.0;
    }
    for (k, row) in rows.iter().enumerate() {
        let y = legend_h + GAP + k as f64 * (BAR_H + GAP);
        let ty = y + BAR_H / 2.0 + 4.5;
        let total: i64 = row.parts.iter().map(|p| p.0.max(0)).sum();
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{ty:.1}" text-anchor="end" class="lbl">{}</text>"#,
            label_w - 8.0,
            esc(&row.label)
        );
        let mut x = label_w;
        for (v, color) in &row.parts {
            if total == 0 || *v <= 0 {
                continue;
            }
            let w = *v as f64 / total as f64 * plot_w;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{BAR_H}" fill="{color}"><title>{}</title></rect>"#,
                thousands(*v)
            );
            if w > 28.0 {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{ty:.1}" text-anchor="middle" class="inbar">{}</text>"#,
                    x + w / 2.0,
                    thousands(*v)
                );
            }
            x += w;
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn charts_are_svg_with_titles() {
        let items = [
            Item {
                label: "予以公开",
                value: 10,
                color: PALETTE[0],
            },
            Item {
                label: "<x>",
                value: 0,
                color: PALETTE[1],
            },
        ];
        for svg in [hbars("结果", &items), columns("年度", &items)] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("&lt;x&gt;") && !svg.contains("<x>"));
        }
        let r = rates(
            "比例",
            &[Rate {
                label: "公开率",
                value: Some(0.5),
                note: String::new(),
            }],
        );
        assert!(r.contains("50.0%"));
    }
}
