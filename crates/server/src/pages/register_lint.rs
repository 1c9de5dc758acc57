//! A register item's kept 错敏排查 runs as pages show them (issue 16 §2): the latest run —
//! when, at which stage (提交审核时 / 发布前), the counts by severity, each finding with its
//! place (`附件2《名单.xlsx》第 4 段第 3 字`) and the excerpt, the match highlighted in its
//! context, and the attachments whose text could not be extracted (未能提取文字). Shared
//! by the item page, its review page and the supervisor's drill-down
//! (`templates/register_lint_run.html`).

use gongkai_ledger::register::lint::ItemFinding;
use gongkai_store::review_item::LintRun;

pub use super::register_review::FindingView;
use crate::view;

/// A finding as shown, without an override form.
pub fn finding_views(findings: &[ItemFinding]) -> Vec<FindingView> {
    findings
        .iter()
        .map(|f| FindingView {
            code: f.code.clone(),
            error: f.is_error(),
            message: f.message.clone(),
            place: f.place_zh(),
            before: f.before.clone(),
            matched: f.matched.clone(),
            after: f.after.clone(),
            suggestion: f.suggestion.clone().unwrap_or_default(),
            fingerprint: f.fingerprint(),
            overridden: String::new(),
        })
        .collect()
}

/// A kept run as shown.
pub struct RunView {
    pub at: String,
    pub stage: &'static str,
    pub actor: String,
    pub version: i64,
    pub errors: u32,
    pub warnings: u32,
    pub overridden: u32,
    pub findings: Vec<FindingView>,
    pub unread: Vec<String>,
}

pub fn run_view(r: &LintRun) -> RunView {
    RunView {
        at: view::datetime(r.at),
        stage: r.stage.label_zh(),
        actor: r.actor.clone(),
        version: r.version,
        errors: r.errors,
        warnings: r.warnings,
        overridden: r.overridden,
        findings: finding_views(&r.findings),
        unread: r.unread.iter().map(|u| u.label_zh()).collect(),
    }
}
