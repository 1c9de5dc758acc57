//! 错敏排查: a deterministic, explainable check of published and to-be-published text.
//!
//! The engine takes the paragraphs (and table cells) of a [`Document`] — what the readers in
//! `gongkai-read` produce from TXT, HTML, Markdown, DOCX and PDF — or plain text, and reports
//! [`Finding`]s: leaked personal data (ID, mobile and bank-card numbers, validated), outdated
//! institution names and legal citations (from dated data tables), serious typos, impossible
//! dates and weekdays, shares over 100 %, and hits from the office's own word lists.
//!
//! Rules follow the checker's layout (ruff-style): one rule per file under `src/rules/`, a
//! stable code, a severity, a Chinese and an English message, a long explanation citing the
//! authority, and one registry ([`rules`]). Data that changes — names, laws, number ranges —
//! lives in `data/*.toml`, each entry with its source; the office's lists are files it edits
//! ([`OfficeLists::load_dir`]).
//!
//! The crate is pure: no I/O except loading list files it is given, no clock (the caller
//! passes "today"), no async. Precision comes first: a finding is an error only when the
//! pattern is validated (check digit, Luhn, number block) or the document is dated after the
//! change; everything uncertain is a warning.

use std::path::Path;

use chrono::NaiveDate;
use gongkai_report::{Block, Document, Location, Paragraph};
use serde::Serialize;

mod data;
mod engine;
mod lists;
mod pii;
mod render;
mod rules;
mod text;

pub use data::Data;
pub use lists::{Allow, Banned, Leader, ListSeverity, ListsError, OfficeLists, SensitiveWord};
pub use render::{render_text, summary_by_rule};

/// Severity, language and rule metadata are the checker's own ([`gongkai_report::rule`]):
/// one catalogue for the report checks, the year-over-year and batch rules and these
/// content checks (`gongkai rules`).
pub use gongkai_report::{Lang, RuleMeta, Severity};

/// What a rule is about, for grouping in lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PersonalInformation,
    InstitutionName,
    LegalCitation,
    Usage,
    DateNumber,
    OfficeList,
}

/// A content rule: its entry in the common catalogue ([`RuleMeta`]; `severity` is the
/// highest it reports) and what it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    #[serde(flatten)]
    pub meta: RuleMeta,
    pub category: Category,
}

impl RuleInfo {
    /// The summary in `lang`.
    pub fn summary(&self, lang: Lang) -> &'static str {
        self.meta.summary(lang)
    }
}

/// Every rule's metadata, ordered by code.
pub fn rules() -> Vec<&'static RuleInfo> {
    rules::REGISTRY.iter().map(|r| r.info()).collect()
}

/// Every rule's catalogue entry, ordered by code.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    rules::REGISTRY.iter().map(|r| &r.info().meta)
}

/// A rule's metadata by code, case-insensitive.
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    rules()
        .into_iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code))
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// The file as the caller named it.
    pub file: String,
    /// 1-based number of the paragraph (or table cell) in reading order.
    pub paragraph: u32,
    /// Where in the source: line and column of the match for text; table, row and column;
    /// or PDF page and the paragraph's box.
    pub loc: Location,
    /// 0-based character offset of the match in its paragraph.
    pub offset: u32,
}

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `inline` (a `gongkai-lint: allow` marker in the paragraph) or `allow-list`.
    pub source: &'static str,
    /// Who allowed it (from the allow list; empty for an inline marker).
    pub who: String,
    /// Why.
    pub why: String,
}

/// One problem found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message_zh: String,
    pub message_en: String,
    /// The matched text.
    pub matched: String,
    /// Up to [`EXCERPT_CHARS`] characters before the match, in the same paragraph.
    pub before: String,
    /// Up to [`EXCERPT_CHARS`] characters after the match.
    pub after: String,
    /// What to write instead, where there is one.
    pub suggestion: Option<String>,
    pub place: Place,
    /// Set when an inline marker or the allow list suppresses the finding.
    pub suppressed: Option<Suppression>,
}

/// Characters of context kept on each side of a match.
pub const EXCERPT_CHARS: usize = 20;

impl Finding {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }

    /// The excerpt with the match between 【 and 】.
    pub fn excerpt_marked(&self) -> String {
        format!("{}【{}】{}", self.before, self.matched, self.after)
    }
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rule codes (or code prefixes such as `PII`) to run; empty = all.
    pub select: Vec<String>,
    /// Today, to reject birth dates in the future and publication dates that are not yet.
    /// `None` = no upper bound.
    pub today: Option<NaiveDate>,
    /// Grace period in days after a change before an old name or citation in a dated text
    /// is an error rather than a warning (default [`DEFAULT_GRACE_DAYS`]).
    pub grace_days: Option<u32>,
}

/// Default grace period after a change (six months).
pub const DEFAULT_GRACE_DAYS: u32 = 183;

/// Errors of the engine: bad rule selections and bad list files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    #[error("未知的规则代码“{0}” / unknown rule code `{0}`")]
    UnknownRule(String),
    #[error(transparent)]
    Lists(#[from] ListsError),
}

/// A prepared linter: the data tables and lists compiled into automata, ready for many
/// documents (it is `Sync`; share one across threads).
pub struct Linter {
    engine: engine::Engine,
}

impl Linter {
    /// A linter with the shipped data tables, the office's `lists` and `opts`.
    pub fn new(lists: OfficeLists, opts: Options) -> Result<Linter, LintError> {
        for s in &opts.select {
            let known = rules::REGISTRY.iter().any(|r| {
                r.info()
                    .meta
                    .code
                    .to_ascii_uppercase()
                    .starts_with(&s.to_ascii_uppercase())
            });
            if !known {
                return Err(LintError::UnknownRule(s.clone()));
            }
        }
        Ok(Linter {
            engine: engine::Engine::new(Data::shipped(), lists, opts),
        })
    }

    /// A linter with the office lists found in `dir` (see [`OfficeLists::load_dir`]).
    pub fn with_lists_dir(dir: &Path, opts: Options) -> Result<Linter, LintError> {
        Linter::new(OfficeLists::load_dir(dir)?, opts)
    }

    /// The date the document is taken to be from: a labelled publication date
    /// (`发布时间：…`), else the last line that is only a date (the signature date). `None`
    /// when the text shows neither.
    pub fn document_date(&self, doc: &Document) -> Option<NaiveDate> {
        self.engine.document_date(doc)
    }

    /// Lints every paragraph and table cell of `doc`; `file` names it in the findings.
    pub fn lint_document(&self, doc: &Document, file: &str) -> Vec<Finding> {
        self.engine.lint(doc, file)
    }

    /// Lints `doc` as a text dated `date` (known from elsewhere, e.g. the date an annual
    /// report prints under its signature), instead of the date found in its paragraphs.
    /// `None` = undated.
    pub fn lint_document_dated(
        &self,
        doc: &Document,
        file: &str,
        date: Option<NaiveDate>,
    ) -> Vec<Finding> {
        self.engine.lint_dated(doc, file, date)
    }

    /// Lints plain text, one paragraph per line.
    pub fn lint_text(&self, text: &str, file: &str) -> Vec<Finding> {
        self.engine.lint_text(text, file)
    }
}

/// A document of plain text: one paragraph per non-blank line, with its line number.
pub fn text_document(text: &str) -> Document {
    let blocks = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            Block::Paragraph(Paragraph {
                text: l.strip_suffix('\r').unwrap_or(l).to_string(),
                loc: Location::Text {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    column: 1,
                },
            })
        })
        .collect();
    Document { blocks }
}

/// Counts of a run's findings that are not suppressed.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings
        .iter()
        .filter(|f| f.suppressed.is_none() && f.severity == severity)
        .count()
}
