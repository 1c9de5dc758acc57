//! The checker: one rule per file, a registry ordered by code, and findings that name the
//! cells involved with expected value, found value and difference.
//!
//! Rules follow the layout of ruff (`shared/spec/code-style.md` §1): every rule lives in
//! `src/rules/<name>.rs`, declares its [`RuleMeta`] (code, name, severity, summaries,
//! explanation) in one `rule!` invocation whose explanation is also the doc comment of its
//! struct, and is listed once in [`registry`]. The batch rules use the same [`RuleMeta`],
//! so `gongkai rules` lists every rule from one catalogue.

use gongkai_report::{Location, Report, Value};
use serde::Serialize;

mod narrative;
mod render;
mod rules;

pub use render::{render_json, render_meta_list, render_rule_list, render_text};

pub use gongkai_report::rule::{Lang, RuleMeta, Severity, catalogue_problems};

/// A cell involved in a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRef {
    /// The cell id, e.g. `s3.new_received.total`.
    pub id: String,
    /// The official label path of the cell.
    pub label: String,
    /// The cell's value (`None` when blank).
    pub value: Option<Value>,
    /// Where the value was read, if known.
    pub loc: Option<Location>,
}

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// One line in Chinese naming section, row and column.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
    /// Section number 1..=6 the finding is about, if any.
    pub section: Option<u8>,
    /// The cells involved.
    pub cells: Vec<CellRef>,
    pub expected: Option<Value>,
    pub found: Option<Value>,
    /// `found − expected`.
    pub difference: Option<Value>,
    /// The primary place in the source.
    pub loc: Option<Location>,
}

impl Finding {
    /// A finding of `rule` with the two messages and nothing else filled in.
    pub(crate) fn new(rule: &dyn Rule, message_zh: String, message_en: String) -> Self {
        let meta = rule.meta();
        Finding {
            code: meta.code,
            severity: meta.severity,
            message_zh,
            message_en,
            section: None,
            cells: Vec::new(),
            expected: None,
            found: None,
            difference: None,
            loc: None,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }
}

/// A check over a report.
pub trait Rule: Sync {
    /// What the rule says about itself.
    fn meta(&self) -> &'static RuleMeta;
    /// Appends this rule's findings on `ctx.report` to `out`.
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>);

    /// Stable code, e.g. `TAB001`; never reused.
    fn code(&self) -> &'static str {
        self.meta().code
    }
    /// Kebab-case name of the flagged pattern, e.g. `column-balance`.
    fn name(&self) -> &'static str {
        self.meta().name
    }
    fn severity(&self) -> Severity {
        self.meta().severity
    }
    /// One-line summary.
    fn summary(&self, lang: Lang) -> &'static str {
        self.meta().summary(lang)
    }
    /// Long Markdown documentation in Chinese: 检查什么 / 为什么 / 法律依据 / 示例.
    fn explanation(&self) -> &'static str {
        self.meta().explanation
    }
}

/// Every rule, ordered by code.
pub fn registry() -> &'static [&'static dyn Rule] {
    rules::REGISTRY
}

/// The metadata of every rule, ordered by code.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    registry().iter().map(|r| r.meta())
}

/// A rule by code, case-insensitive.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.code().eq_ignore_ascii_case(code))
}

/// What a rule sees: the report, and what several rules would otherwise each work out
/// again — the running text of the preamble and the sections, normalised and cut into
/// sentences once for all rules (as ruff's `Checker` carries what its rules share).
pub struct Context<'r> {
    pub report: &'r Report,
    texts: std::cell::OnceCell<Vec<narrative::Narrative>>,
}

impl<'r> Context<'r> {
    pub fn new(report: &'r Report) -> Self {
        Context {
            report,
            texts: std::cell::OnceCell::new(),
        }
    }

    /// The preamble (if any) and then every section, each with its normalised text.
    pub(crate) fn texts(
        &self,
    ) -> impl Iterator<Item = (&'r gongkai_report::Section, &narrative::Narrative)> + '_ {
        let sections = self
            .report
            .meta
            .preamble
            .iter()
            .chain(&self.report.sections);
        let texts = self.texts.get_or_init(|| {
            self.report
                .meta
                .preamble
                .iter()
                .chain(&self.report.sections)
                .map(|s| narrative::Narrative::new(&s.text))
                .collect()
        });
        sections.zip(texts.iter())
    }

    /// The sections (not the preamble), each with its normalised text.
    pub(crate) fn section_texts(
        &self,
    ) -> impl Iterator<Item = (&'r gongkai_report::Section, &narrative::Narrative)> + '_ {
        self.texts().skip(self.report.meta.preamble.iter().len())
    }

    /// Section `number` with its normalised text (the first of that number, as
    /// [`Report::section`]).
    pub(crate) fn section_text(
        &self,
        number: gongkai_report::SectionNumber,
    ) -> Option<(&'r gongkai_report::Section, &narrative::Narrative)> {
        self.section_texts().find(|(s, _)| s.number == number)
    }
}

/// Runs every rule; findings sorted by (section, source line, code).
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let ctx = Context::new(report);
    for r in registry() {
        r.check(&ctx, &mut out);
    }
    sort_findings(&mut out);
    out
}

/// Sorts findings by (section, source line, code), stably.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| {
        (
            f.section.unwrap_or(0),
            f.loc.and_then(|l| l.line()).unwrap_or(0),
            f.code,
        )
    });
}
