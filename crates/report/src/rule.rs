//! What every rule of gongkai says about itself: code, name, severity, summaries and the
//! long explanation.
//!
//! The report checker (`gongkai-check`), the batch and year-over-year rules
//! (`gongkai-batch`) and any other rule family declare one [`RuleMeta`] constant per rule,
//! so `gongkai rules` lists and explains them all from one catalogue. This module sits in
//! the crate every family already depends on; it knows nothing of how a rule runs.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The report is wrong: a printed identity does not hold, a rule of law is broken.
    Error,
    /// Something a reader should look at: blank cells, variant wording, unsure reading.
    Warning,
    /// A hint of low confidence (content checks: an ID-shaped number failing its check
    /// digit); listed on request, never counted as a problem of the text.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// 错误、警告、提示.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Chinese (the default).
    #[default]
    Zh,
    /// English.
    En,
}

/// A rule's metadata: one `const` (or `static`) per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// Stable code, e.g. `TAB001`; never reused.
    pub code: &'static str,
    /// Kebab-case name of the flagged pattern, e.g. `column-balance`.
    pub name: &'static str,
    pub severity: Severity,
    /// One-line summary in Chinese.
    pub summary_zh: &'static str,
    /// The same in English.
    pub summary_en: &'static str,
    /// Long Markdown documentation in Chinese, starting `## name (CODE)`, with the headings
    /// of [`EXPLANATION_HEADINGS`].
    pub explanation: &'static str,
}

/// The headings every explanation has: what is checked, why, the legal basis, an example.
pub const EXPLANATION_HEADINGS: [&str; 4] =
    ["### 检查什么", "### 为什么", "### 法律依据", "### 示例"];

impl RuleMeta {
    /// The summary in `lang`.
    pub fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.summary_zh,
            Lang::En => self.summary_en,
        }
    }

    /// What is wrong with this rule's documentation: a missing heading, a name that is not
    /// kebab-case, an explanation that does not start with `## name (CODE)`, an empty
    /// summary. Empty when it is complete.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let code = self.code;
        let bytes = code.as_bytes();
        // Three or four capitals (the family: `TAB`, `PII`, `DATE`, `TYPO`) and three digits.
        let letters = bytes.len().saturating_sub(3);
        if !(3..=4).contains(&letters)
            || !bytes[..letters].iter().all(u8::is_ascii_uppercase)
            || !bytes[letters..].iter().all(u8::is_ascii_digit)
        {
            out.push(format!(
                "{code}: code is not three or four capitals and three digits"
            ));
        }
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        {
            out.push(format!("{code}: name “{}” is not kebab-case", self.name));
        }
        if !self
            .explanation
            .starts_with(&format!("## {} ({code})", self.name))
        {
            out.push(format!(
                "{code}: explanation does not start with “## name (CODE)”"
            ));
        }
        for heading in EXPLANATION_HEADINGS {
            if !self.explanation.contains(heading) {
                out.push(format!("{code}: explanation has no “{heading}”"));
            }
        }
        if self.summary_zh.trim().is_empty() || self.summary_en.trim().is_empty() {
            out.push(format!("{code}: empty summary"));
        }
        out
    }
}

/// What is wrong with a catalogue of rules: every rule's [`RuleMeta::problems`], and codes
/// or names that repeat. Empty when the catalogue is sound.
pub fn catalogue_problems<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>) -> Vec<String> {
    let mut out = Vec::new();
    let mut codes: Vec<&str> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for r in rules {
        out.extend(r.problems());
        if codes.contains(&r.code) {
            out.push(format!("{}: code used twice", r.code));
        }
        if names.contains(&r.name) {
            out.push(format!("{}: name “{}” used twice", r.code, r.name));
        }
        codes.push(r.code);
        names.push(r.name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: RuleMeta = RuleMeta {
        code: "ABC001",
        name: "some-pattern",
        severity: Severity::Warning,
        summary_zh: "摘要",
        summary_en: "Summary",
        explanation: "## some-pattern (ABC001)\n\n### 检查什么\n\n### 为什么\n\n### 法律依据\n\n### 示例\n",
    };

    #[test]
    fn a_complete_rule_has_no_problems() {
        assert!(GOOD.problems().is_empty(), "{:?}", GOOD.problems());
        assert_eq!(GOOD.summary(Lang::En), "Summary");
    }

    #[test]
    fn problems_are_named() {
        let bad = RuleMeta {
            code: "abc1",
            name: "Some_Pattern",
            explanation: "## other (ABC001)\n### 检查什么",
            summary_en: "",
            ..GOOD
        };
        let problems = bad.problems();
        assert_eq!(problems.len(), 7, "{problems:#?}");
        let twice = catalogue_problems([&GOOD, &GOOD]);
        assert_eq!(twice.len(), 2, "{twice:#?}");
    }

    #[test]
    fn codes_have_three_or_four_capitals_and_three_digits() {
        let with = |code: &'static str| RuleMeta {
            code,
            explanation: Box::leak(
                format!(
                    "## some-pattern ({code})\n### 检查什么\n### 为什么\n### 法律依据\n### 示例"
                )
                .into_boxed_str(),
            ),
            ..GOOD
        };
        for ok in ["TAB001", "DATE001"] {
            assert!(with(ok).problems().is_empty(), "{ok}");
        }
        for bad in ["TA001", "DATES001", "TAB01", "TAB0001", "Tab001", "TAB00A"] {
            assert_eq!(with(bad).problems().len(), 1, "{bad}");
        }
    }
}
