//! 错敏 findings by agency in the supervisor's view (issue 18 §2), from the register's
//! kept 错敏排查 runs (migration 0023), never by linting again: for each agency of the
//! node's subtree and the items of the year (生成日期), counted on each item's latest run —
//! items with error findings, published items whose errors were let through by an
//! override (with the overrides counted), errors, warnings, the most frequent codes —
//! by two grouped queries over the subtree ([`gongkai_store::supervision::lint`]). A
//! drill-down lists one agency's items with their latest run's findings, read-only; an
//! agency outside the supervised subtrees is “not found”.

use std::collections::HashMap;

use gongkai_store::agencies::subtree_of;
use gongkai_store::review_item::LintedItem;
use gongkai_store::{Agency, AgencyId};
use serde::Serialize;

use crate::error::ServiceError;
use crate::year_end::check_year;
use crate::{Actor, Result, Service};

/// Codes listed per agency at most (the most frequent).
pub const TOP_CODES: usize = 3;

/// Findings of one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeFigure {
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    pub count: i64,
}

/// One agency's 错敏 figures for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyLint {
    pub code: String,
    pub name: String,
    /// Depth below the view's node.
    pub depth: usize,
    /// Items of the year checked at least once.
    pub checked: i64,
    /// Items whose latest run has error-severity findings.
    pub with_errors: i64,
    pub errors: i64,
    pub warnings: i64,
    /// Published items whose errors were let through by an override, and the overrides.
    pub published_overridden: i64,
    pub overrides: i64,
    /// The most frequent codes (at most [`TOP_CODES`]), most frequent first.
    pub top_codes: Vec<CodeFigure>,
}

impl AgencyLint {
    /// `PII001×3、NAME001×1` (empty: none).
    pub fn top_codes_text(&self) -> String {
        self.top_codes
            .iter()
            .map(|c| format!("{}×{}", c.code, c.count))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// One agency's items with their latest run (the drill-down).
#[derive(Debug, Clone, Serialize)]
pub struct LintDrill {
    pub agency: Agency,
    pub year: i32,
    /// Items whose latest run found something, or left an attachment unread.
    pub items: Vec<LintedItem>,
    /// Items checked with nothing found.
    pub clean: usize,
}

/// The lines of `subtree` from the grouped figures (every agency, zeros for those
/// without a run), in the subtree's order.
pub(crate) fn lines(
    subtree: &[(Agency, usize)],
    figures: Vec<gongkai_store::supervision::lint::LintFigures>,
    codes: Vec<gongkai_store::supervision::lint::CodeCount>,
) -> Vec<AgencyLint> {
    let mut by: HashMap<AgencyId, gongkai_store::supervision::lint::LintFigures> =
        figures.into_iter().map(|f| (f.agency_id, f)).collect();
    let mut top: HashMap<AgencyId, Vec<CodeFigure>> = HashMap::new();
    for c in codes {
        top.entry(c.agency_id).or_default().push(CodeFigure {
            code: c.code,
            severity: c.severity,
            count: c.count,
        });
    }
    subtree
        .iter()
        .map(|(a, depth)| {
            let f = by.remove(&a.id).unwrap_or_default();
            let mut t = top.remove(&a.id).unwrap_or_default();
            t.sort_by(|x, y| {
                y.count
                    .cmp(&x.count)
                    .then_with(|| (x.severity != "error").cmp(&(y.severity != "error")))
                    .then_with(|| x.code.cmp(&y.code))
            });
            t.truncate(TOP_CODES);
            AgencyLint {
                code: a.code.clone(),
                name: a.name.clone(),
                depth: *depth,
                checked: f.checked,
                with_errors: f.with_errors,
                errors: f.errors,
                warnings: f.warnings,
                published_overridden: f.published_overridden,
                overrides: f.overrides,
                top_codes: t,
            }
        })
        .collect()
}

impl Service {
    /// The 错敏 figures of every agency of `subtree` for `year` (kept runs, grouped).
    pub(crate) async fn lint_lines(
        &self,
        subtree: &[(Agency, usize)],
        year: i32,
    ) -> Result<Vec<AgencyLint>> {
        let ids: Vec<AgencyId> = subtree.iter().map(|(a, _)| a.id).collect();
        let (figures, codes) = self.store.lint_figures(&ids, year).await?;
        Ok(lines(subtree, figures, codes))
    }

    /// The drill-down of agency `code` for `year`: its items with their latest run's
    /// findings, for a supervisor of a node above it (read-only). `not_supervisor` for a
    /// user who supervises nothing; an agency outside the supervised subtrees, or an
    /// unknown code, is not found.
    pub async fn supervision_lint_agency(
        &self,
        actor: &Actor,
        code: &str,
        year: Option<i32>,
    ) -> Result<LintDrill> {
        crate::limits::text("agency", code)?;
        let today = self.current_date();
        let year = check_year(year.unwrap_or_else(|| crate::year_end::default_year(today)))?;
        let nodes = self.supervised_nodes(actor).await?;
        if nodes.is_empty() {
            return Err(ServiceError::NotSupervisor {
                user: actor.name().to_string(),
                node: code.to_string(),
            });
        }
        let all = self.store.agencies().await?;
        let not_found = || ServiceError::NotFound {
            what: "机关",
            id: code.trim().to_string(),
        };
        let agency = all
            .iter()
            .find(|a| a.code == code.trim())
            .cloned()
            .ok_or_else(not_found)?;
        let inside = nodes.iter().any(|n| {
            subtree_of(&all, n.id)
                .iter()
                .any(|(a, _)| a.id == agency.id)
        });
        if !inside {
            return Err(not_found());
        }
        let linted = self.store.in_agency(agency.id).linted_items(year).await?;
        let (items, clean): (Vec<_>, Vec<_>) = linted
            .into_iter()
            .partition(|i| !i.run.findings.is_empty() || !i.run.unread.is_empty());
        Ok(LintDrill {
            agency,
            year,
            items,
            clean: clean.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_store::supervision::lint::{CodeCount, LintFigures};

    fn agency(id: AgencyId, code: &str) -> Agency {
        Agency {
            id,
            parent_id: None,
            code: code.into(),
            name: format!("{code}局"),
            kind: gongkai_store::agencies::AgencyKind::County,
            created_at: chrono::Utc::now(),
            reconsideration_organ: String::new(),
            court: String::new(),
        }
    }

    #[test]
    fn every_agency_gets_a_line_with_its_top_codes() {
        let subtree = vec![(agency(1, "A"), 0), (agency(2, "B"), 1)];
        let figures = vec![LintFigures {
            agency_id: 2,
            checked: 4,
            with_errors: 2,
            errors: 3,
            warnings: 5,
            published_overridden: 1,
            overrides: 1,
        }];
        let c = |code: &str, severity: &str, count| CodeCount {
            agency_id: 2,
            code: code.into(),
            severity: severity.into(),
            count,
        };
        let codes = vec![
            c("OLD001", "warning", 1),
            c("PII001", "error", 3),
            c("NUM002", "warning", 4),
            c("PII002", "warning", 1),
        ];
        let l = lines(&subtree, figures, codes);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].checked, l[0].errors), (0, 0));
        assert!(l[0].top_codes.is_empty());
        assert_eq!((l[1].with_errors, l[1].published_overridden), (2, 1));
        assert_eq!(l[1].top_codes_text(), "NUM002×4、PII001×3、OLD001×1");
    }
}
