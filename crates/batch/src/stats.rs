//! The figures of the dashboard, computed once from the kept reports.
//!
//! Totals are over the kept reports ([`crate::dedup`]): a duplicate or superseded version
//! is not counted twice. Blank cells count as 0 (as in every sum of the checker); a
//! section 三 row whose 总计 column is blank while its applicant columns are printed counts
//! as the sum of those columns.
//!
//! The rates are over the reports whose （七）总计 is known (printed, or derived from the
//! columns or the outcome rows); a report whose （七）总计 is blank throughout, or whose
//! cells involved could not be read, is left out of the rates and listed with the reason
//! ([`Stats::rate_excluded`]) — never counted as a 0 % report.
//!
//! * **Disclosure rate** (公开率): （一）予以公开 + （二）部分公开, over （七）总计.
//! * **Reconsideration rate** (被申请行政复议比例): 行政复议总计 over （七）总计.
//! * **Litigation rate** (被提起行政诉讼比例): 未经复议直接起诉 + 复议后起诉 总计, over （七）总计.
//! * **Correction rate** (纠错率): 结果纠正 over the decided cases (维持 + 纠正 + 其他结果)
//!   of reconsideration and both kinds of litigation.

use std::collections::BTreeMap;

use gongkai_check::{Lang, Severity};
use gongkai_format::{APPEAL_GROUPS, APPLICANT_COLUMNS, FormatVersion, OutcomeGroup};
use serde::Serialize;

use crate::cells::CellValues;
use crate::rules::FindingRow;
use crate::summary::ReportSummary;

/// Finding counts by code, as the findings stream past.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    codes: BTreeMap<&'static str, (Severity, u64)>,
}

impl Tally {
    pub fn add(&mut self, f: &FindingRow) {
        self.codes.entry(f.code).or_insert((f.severity, 0)).1 += 1;
    }

    /// (code, severity, count), most frequent first, then by code.
    pub fn ranked(&self) -> Vec<(&'static str, Severity, u64)> {
        let mut v: Vec<_> = self.codes.iter().map(|(c, (s, n))| (*c, *s, *n)).collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        v
    }
}

/// A label and a number, for a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

/// One finding code with its count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeCount {
    pub code: &'static str,
    pub severity: Severity,
    pub summary_zh: String,
    pub count: u64,
}

/// A report with its counts, for the "worst reports" list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub file: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub errors: u32,
    pub warnings: u32,
    pub codes: Vec<&'static str>,
}

/// Totals of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearStats {
    pub year: i32,
    pub reports: usize,
    pub new_received: i64,
    pub results_total: i64,
    pub disclosure_rate: Option<f64>,
}

/// A report left out of the rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateExclusion {
    pub file: String,
    /// Why, in Chinese.
    pub reason: &'static str,
}

/// A report's figures for the rates: （七）总计 and （一）+（二）.
fn rate_base(c: &CellValues) -> Result<(i64, i64), &'static str> {
    use crate::cells::Unread;
    let unread = |_: Unread| "所涉单元格未能读出";
    let total = match c.s3_row_total("results_total").map_err(unread)? {
        Some(n) => n,
        None => {
            // （七）总计 blank throughout: the sum of the outcome rows, if printed.
            let mut sum = 0i64;
            let mut printed = false;
            for row in c.format().s3_rows().iter().filter(|r| r.is_outcome) {
                if let Some(n) = c.s3_row_total(row.key).map_err(unread)? {
                    sum = sum.saturating_add(n);
                    printed = true;
                }
            }
            if !printed {
                return Err("（七）总计及各办理结果均为空白");
            }
            sum
        }
    };
    let granted = c.s3_row_total("granted").map_err(unread)?.unwrap_or(0);
    let partial = c
        .s3_row_total("partially_granted")
        .map_err(unread)?
        .unwrap_or(0);
    Ok((total, granted + partial))
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub files: usize,
    pub readable: usize,
    pub unreadable: usize,
    /// Reports counted in totals (readable, not a duplicate or superseded version).
    pub kept: usize,
    pub with_errors: usize,
    pub errors: u64,
    pub warnings: u64,
    pub new_received: i64,
    pub carried_over: i64,
    pub results_total: i64,
    pub carried_forward: i64,
    /// Results by outcome group （一）…（六）.
    pub outcomes: Vec<Bar>,
    /// New applications by applicant type (six columns, no total).
    pub applicants: Vec<Bar>,
    pub disclosure_rate: Option<f64>,
    pub reconsideration: i64,
    pub litigation: i64,
    pub corrected: i64,
    pub decided_appeals: i64,
    pub reconsideration_rate: Option<f64>,
    pub litigation_rate: Option<f64>,
    pub correction_rate: Option<f64>,
    pub by_year: Vec<YearStats>,
    /// Kept reports left out of the rates, with the reason.
    pub rate_excluded: Vec<RateExclusion>,
    pub top_findings: Vec<CodeCount>,
    pub worst: Vec<Ranked>,
}

/// How many entries the dashboard lists.
pub const TOP_FINDINGS: usize = 12;
pub const WORST_REPORTS: usize = 20;

fn int(c: &CellValues, id: &str) -> i64 {
    c.int(id).unwrap_or(0)
}

fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The summary of a finding code in Chinese (checker rules and batch rules).
pub fn code_summary(code: &str) -> String {
    if let Some(r) = gongkai_check::rule(code) {
        r.summary(Lang::Zh).to_string()
    } else if let Some(r) = crate::rules::rule(code) {
        r.summary_zh.to_string()
    } else {
        String::new()
    }
}

/// Computes the dashboard figures.
pub fn compute(reports: &[ReportSummary], tally: &Tally) -> Stats {
    let groups = [
        OutcomeGroup::Granted,
        OutcomeGroup::Partial,
        OutcomeGroup::Denied,
        OutcomeGroup::Unable,
        OutcomeGroup::Rejected,
        OutcomeGroup::Other,
    ];
    let mut outcomes = [0i64; 6];
    let mut applicants = [0i64; 6];
    let (mut new_received, mut carried_over, mut results_total, mut carried_forward) = (0, 0, 0, 0);
    let (mut reconsideration, mut litigation, mut corrected, mut decided) = (0, 0, 0, 0);
    let mut granted_partial = 0;
    let mut by_year: BTreeMap<i32, (usize, i64, i64, i64, i64)> = BTreeMap::new();
    let (mut rate_total, mut rate_reconsideration, mut rate_litigation) = (0, 0, 0);
    let mut rate_excluded = Vec::new();
    let mut kept = 0;
    for r in reports.iter().filter(|r| r.selected) {
        let Some(c) = &r.cells else { continue };
        kept += 1;
        let f: FormatVersion = c.format();
        for (g, group) in groups.iter().enumerate() {
            let rows: Vec<&str> = f
                .s3_rows()
                .iter()
                .filter(|r| r.group == *group)
                .map(|r| r.key)
                .collect();
            let printed: Vec<Option<i64>> = rows
                .iter()
                .map(|row| c.s3_row_total(row).ok().flatten())
                .collect();
            // A group printed as one aggregate row (its items absent) counts its total.
            let total_ids: Vec<String> = rows.iter().map(|row| format!("s3.{row}.total")).collect();
            outcomes[g] += match c.group_total(&total_ids) {
                Some(n) if printed.iter().all(Option::is_none) => n,
                _ => printed.iter().flatten().sum::<i64>(),
            };
        }
        for (k, col) in APPLICANT_COLUMNS[..6].iter().enumerate() {
            applicants[k] += int(c, &format!("s3.new_received.{}", col.key));
        }
        let row_total = |row: &str| c.s3_row_total(row).ok().flatten().unwrap_or(0);
        let nr = row_total("new_received");
        let rt = row_total("results_total");
        new_received += nr;
        carried_over += row_total("carried_over");
        results_total += rt;
        carried_forward += row_total("carried_forward");
        let base = rate_base(c);
        let mut appeals = (0, 0);
        for (g, group) in APPEAL_GROUPS.iter().enumerate() {
            let id = |col: &str| format!("s4.{}.{col}", group.key);
            let total = int(c, &id("total"));
            if g == 0 {
                reconsideration += total;
                appeals.0 += total;
            } else {
                litigation += total;
                appeals.1 += total;
            }
            let fixed = int(c, &id("corrected"));
            corrected += fixed;
            decided += int(c, &id("upheld")) + fixed + int(c, &id("other"));
        }
        match base {
            Ok((total, gp)) => {
                rate_total += total;
                granted_partial += gp;
                rate_reconsideration += appeals.0;
                rate_litigation += appeals.1;
            }
            Err(reason) => rate_excluded.push(RateExclusion {
                file: r.file.clone(),
                reason,
            }),
        }
        if let Some(y) = r.year {
            let e = by_year.entry(y).or_default();
            e.0 += 1;
            e.1 += nr;
            e.2 += rt;
            if let Ok((total, gp)) = base {
                e.3 += total;
                e.4 += gp;
            }
        }
    }
    let labels = [
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
    ];
    let mut worst: Vec<Ranked> = reports
        .iter()
        .filter(|r| r.errors + r.warnings > 0)
        .map(|r| Ranked {
            file: r.file.clone(),
            agency: r.agency.clone(),
            year: r.year,
            errors: r.errors,
            warnings: r.warnings,
            codes: r.codes.clone(),
        })
        .collect();
    worst.sort_by(|a, b| {
        b.errors
            .cmp(&a.errors)
            .then(b.warnings.cmp(&a.warnings))
            .then(a.file.cmp(&b.file))
    });
    worst.truncate(WORST_REPORTS);
    Stats {
        files: reports.len(),
        readable: reports.iter().filter(|r| r.status.is_ok()).count(),
        unreadable: reports.iter().filter(|r| !r.status.is_ok()).count(),
        kept,
        with_errors: reports.iter().filter(|r| r.errors > 0).count(),
        errors: reports.iter().map(|r| u64::from(r.errors)).sum(),
        warnings: reports.iter().map(|r| u64::from(r.warnings)).sum(),
        new_received,
        carried_over,
        results_total,
        carried_forward,
        outcomes: labels
            .iter()
            .zip(outcomes)
            .map(|(l, v)| Bar {
                label: (*l).to_string(),
                value: v,
            })
            .collect(),
        applicants: APPLICANT_COLUMNS[..6]
            .iter()
            .zip(applicants)
            .map(|(c, v)| Bar {
                label: c.short.to_string(),
                value: v,
            })
            .collect(),
        disclosure_rate: rate(granted_partial, rate_total),
        reconsideration,
        litigation,
        corrected,
        decided_appeals: decided,
        reconsideration_rate: rate(rate_reconsideration, rate_total),
        litigation_rate: rate(rate_litigation, rate_total),
        correction_rate: rate(corrected, decided),
        by_year: by_year
            .into_iter()
            .map(|(year, (n, nr, rt, base, gp))| YearStats {
                year,
                reports: n,
                new_received: nr,
                results_total: rt,
                disclosure_rate: rate(gp, base),
            })
            .collect(),
        rate_excluded,
        top_findings: tally
            .ranked()
            .into_iter()
            .take(TOP_FINDINGS)
            .map(|(code, severity, count)| CodeCount {
                code,
                severity,
                summary_zh: code_summary(code),
                count,
            })
            .collect(),
        worst,
    }
}
