//! Rendering findings as rustc/ruff-style text, as JSON, and the rule list.

use std::fmt::Write as _;

use gongkai_report::Location;

use crate::{Finding, Lang, RuleMeta, registry};

/// Renders findings in the style of rustc and ruff.
pub fn render_text(findings: &[Finding], path: &str, source: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    for f in findings {
        let line = f.loc.and_then(|l| l.line());
        let w = line.map_or(1, |n| n.to_string().len());
        let pad = " ".repeat(w + 1);
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            f.severity.as_str(),
            f.code,
            f.message(lang)
        );
        let _ = match f.loc {
            Some(Location::Text { line, column }) => {
                writeln!(out, "{}--> {path}:{line}:{column}", " ".repeat(w))
            }
            Some(Location::None) | None => writeln!(out, "{}--> {path}", " ".repeat(w)),
            Some(other) => writeln!(out, "{}--> {path} ({other})", " ".repeat(w)),
        };
        if let (Some(n), Some(src)) = (line, source)
            && let Some(text) = src.lines().nth(n as usize - 1)
        {
            let _ = writeln!(out, "{pad}|");
            let _ = writeln!(out, "{n} | {}", text.replace('\t', "  "));
            let _ = writeln!(out, "{pad}|");
        }
        // Long lists (a total against 22 outcome rows) show the non-zero cells and say how
        // many zero cells were left out; JSON output keeps them all.
        let zero = |c: &&crate::CellRef| c.value.is_some_and(|v| v.as_i64() == Some(0));
        let long = f.cells.len() > 6;
        let omitted = if long {
            f.cells.iter().skip(1).filter(zero).count()
        } else {
            0
        };
        for (i, c) in f.cells.iter().enumerate() {
            if long && i > 0 && zero(&c) {
                continue;
            }
            let v = c.value.map_or_else(
                || match lang {
                    Lang::Zh => "空".to_string(),
                    Lang::En => "blank".to_string(),
                },
                |v| v.to_string(),
            );
            let _ = match lang {
                Lang::Zh => writeln!(out, "{pad}= 单元格: {}（{}）= {v}", c.id, c.label),
                Lang::En => writeln!(out, "{pad}= cell: {} ({}) = {v}", c.id, c.label),
            };
        }
        if omitted > 0 {
            let _ = match lang {
                Lang::Zh => writeln!(out, "{pad}= 其余 {omitted} 个单元格均为 0"),
                Lang::En => writeln!(out, "{pad}= {omitted} other cells are all 0"),
            };
        }
        let mut parts = Vec::new();
        let words = match lang {
            Lang::Zh => ["预期 ", "实际 ", "相差 "],
            Lang::En => ["expected ", "found ", "difference "],
        };
        for (word, v) in words.iter().zip([f.expected, f.found, f.difference]) {
            if let Some(v) = v {
                parts.push(format!("{word}{v}"));
            }
        }
        if !parts.is_empty() {
            let sep = if lang == Lang::Zh { "，" } else { ", " };
            let _ = writeln!(out, "{pad}= {}", parts.join(sep));
        }
        out.push('\n');
    }
    out
}

/// Findings as a JSON array.
pub fn render_json(findings: &[Finding]) -> serde_json::Value {
    serde_json::to_value(findings).unwrap_or(serde_json::Value::Array(Vec::new()))
}

/// One line per rule of the checker: code, severity, name, summary.
pub fn render_rule_list(lang: Lang) -> String {
    render_meta_list(registry().iter().map(|r| r.meta()), lang)
}

/// One line per rule of any family: code, severity, name, summary.
pub fn render_meta_list<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>, lang: Lang) -> String {
    let mut out = String::new();
    for r in rules {
        let _ = writeln!(
            out,
            "{}  {:<7}  {:<34}  {}",
            r.code,
            r.severity.as_str(),
            r.name,
            r.summary(lang)
        );
    }
    out
}
