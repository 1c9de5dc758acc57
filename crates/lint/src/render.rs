//! Plain-text rendering of findings (used by the CLI's text output and the snapshots).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::{Finding, Lang, Severity};

/// One finding per block:
///
/// ```text
/// error[PII003] file 3:7 出现未遮蔽的手机号码
///   联系电话：【13812345678】。
///   建议：138****5678
/// ```
pub fn render_text(findings: &[Finding], lang: Lang) -> String {
    let mut s = String::new();
    for f in findings {
        let _ = writeln!(
            s,
            "{}[{}] {} {} {}{}",
            f.severity.as_str(),
            f.code,
            f.place.file,
            f.place.loc,
            f.message(lang),
            match (&f.suppressed, lang) {
                (Some(sup), Lang::Zh) => format!("（已放行：{} {}）", sup.who, sup.why),
                (Some(sup), Lang::En) => format!(" (allowed: {} {})", sup.who, sup.why),
                (None, _) => String::new(),
            }
        );
        let _ = writeln!(s, "  {}", f.excerpt_marked());
        if let Some(sug) = &f.suggestion {
            let label = match lang {
                Lang::Zh => "建议：",
                Lang::En => "suggestion: ",
            };
            let _ = writeln!(s, "  {label}{sug}");
        }
    }
    s
}

/// Unsuppressed findings counted by (code, severity), ordered by code.
pub fn summary_by_rule(findings: &[Finding]) -> BTreeMap<(&'static str, Severity), usize> {
    let mut m = BTreeMap::new();
    for f in findings.iter().filter(|f| f.suppressed.is_none()) {
        *m.entry((f.code, f.severity)).or_insert(0) += 1;
    }
    m
}
