//! What the supervisor's figures of one agency are made of, and how they are brought up to
//! date (issue 18 §3: materialised aggregates updated incrementally).
//!
//! Each application's [`Share`] — its contribution to the year's figures
//! ([`gongkai_ledger::contribution`]: table 三, replied and late, overdue) and whether it
//! is open and near or past its deadline ([`OpenCase`]) — is kept by the store per
//! application; the agency's [`AgencyFigures`] keep their sum ([`ApplicationsSum`]). When
//! the store finds applications changed since ([`gongkai_store::supervision::shares`]), the
//! sum moves by the difference of their old and new shares and the year-end is made from
//! the sum and the agency's other records ([`gongkai_ledger::Ledger::year_end_from`]) —
//! equal to the year-end of the whole ledger, since that is the sum of the same
//! contributions. Everything else (a new day, the settings changed, a report approved
//! whose frozen cells must be computed) computes the agency whole.
//!
//! Dates: a share is computed for one date (the period end of the current year, and the
//! working days left to a deadline, move with it), so kept figures serve the day they were
//! computed for; the first view of a day, or `figures rebuild` run each night, computes
//! them again.

use chrono::NaiveDate;
use gongkai_ledger::{
    Application, ApplicationId, ApplicationsSum, Calendar, Contribution, Ledger, Settings, Stage,
    YearEndOptions, contribution,
};
use gongkai_store::ReviewStatus;
use gongkai_store::supervision::shares::{RefreshInput, RefreshOutput, ReportInput, Work};
use serde::{Deserialize, Serialize};

use crate::supervision::{AT_RISK_MAX_DAYS, AgencyFigures, OpenCase, ReportState};
use crate::year_end::frozen_at;

/// One application's share of its agency's figures, as kept per application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    #[serde(rename = "c", default, skip_serializing_if = "Contribution::is_empty")]
    pub contribution: Contribution,
    /// Open, and due within [`AT_RISK_MAX_DAYS`] working days or overdue.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub open: Option<OpenCase>,
}

impl Share {
    pub fn is_empty(&self) -> bool {
        self.contribution.is_empty() && self.open.is_none()
    }
}

/// The options of the year's figures on `as_of`.
fn options(year: i32, as_of: NaiveDate) -> YearEndOptions {
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let mut opts = YearEndOptions::year(year);
    opts.as_of = as_of.min(last);
    opts
}

/// `app` if it is open, its clock running, and due within [`AT_RISK_MAX_DAYS`] working
/// days of `as_of` or past its deadline.
pub fn open_case(
    app: &Application,
    as_of: NaiveDate,
    cal: &Calendar,
    settings: Settings,
) -> Option<OpenCase> {
    let st = app.state_at(as_of, cal, settings);
    let (true, Some(deadline)) = (st.is_open(), st.deadline()) else {
        return None;
    };
    if st.stage == Stage::AwaitingCorrection {
        return None; // the clock is paused
    }
    let days_left = if as_of > deadline {
        -i64::from(cal.working_days_between(deadline, as_of).value)
    } else {
        i64::from(cal.working_days_between(as_of, deadline).value)
    };
    (days_left <= i64::from(AT_RISK_MAX_DAYS)).then(|| OpenCase {
        id: app.id.0.clone(),
        received_on: st.received_on,
        deadline,
        days_left,
        stage: st.stage.label_zh().to_string(),
    })
}

/// `app`'s share of the figures of `year` on `as_of`.
pub fn share(
    app: &Application,
    year: i32,
    as_of: NaiveDate,
    cal: &Calendar,
    settings: Settings,
) -> Share {
    Share {
        contribution: contribution(app, options(year, as_of), cal, settings),
        open: open_case(app, as_of, cal, settings),
    }
}

/// The annual report's state; its frozen cells computed from `ledger` (the whole ledger)
/// when the report is approved.
fn report_state(
    input: &ReportInput,
    year: i32,
    ledger: &Ledger,
    cal: &Calendar,
    settings: Settings,
) -> ReportState {
    let review = &input.review;
    let frozen = frozen_at(review);
    let approved = review.status == ReviewStatus::Approved;
    let published_cells = match frozen {
        Some((known_by, frozen_as_of)) if approved => {
            let mut o = YearEndOptions::year(year);
            o.as_of = frozen_as_of;
            o.known_by = Some(known_by);
            Some(ledger.year_end(o, cal, settings).report.cells)
        }
        _ => None,
    };
    ReportState {
        status: review.status,
        drafted: input.narrated || !review.steps.is_empty(),
        submitted_at: frozen.map(|f| f.0),
        approved_at: if approved {
            review.approved().map(|s| s.at)
        } else {
            None
        },
        frozen_as_of: frozen.map(|f| f.1),
        published_cells,
    }
}

/// The report's state when only the review or narrative may have changed: `None` when an
/// approval's frozen cells must be computed from the whole ledger.
fn report_state_kept(input: &ReportInput, kept: &ReportState) -> Option<ReportState> {
    let review = &input.review;
    let frozen = frozen_at(review);
    let approved = review.status == ReviewStatus::Approved;
    let approved_at = if approved {
        review.approved().map(|s| s.at)
    } else {
        None
    };
    let published_cells = match frozen {
        Some(f) if approved => {
            let same = kept.submitted_at == Some(f.0)
                && kept.frozen_as_of == Some(f.1)
                && kept.approved_at == approved_at;
            Some(kept.published_cells.clone().filter(|_| same)?)
        }
        _ => None,
    };
    Some(ReportState {
        status: review.status,
        drafted: input.narrated || !review.steps.is_empty(),
        submitted_at: frozen.map(|f| f.0),
        approved_at,
        frozen_as_of: frozen.map(|f| f.1),
        published_cells,
    })
}

/// The figures from a sum of shares, the ledger's other records and the report's state.
#[allow(clippy::too_many_arguments)]
fn figures(
    year: i32,
    as_of: NaiveDate,
    sum: ApplicationsSum,
    mut open: Vec<OpenCase>,
    rest: &Ledger,
    report: ReportState,
    cal: &Calendar,
    settings: Settings,
) -> AgencyFigures {
    let live = rest.year_end_from(sum.clone(), options(year, as_of), cal, settings);
    open.sort_by(|a, b| a.id.cmp(&b.id));
    AgencyFigures {
        year,
        as_of,
        period_end: live.period_end,
        cells: live.report.cells,
        replied: live.figures.replied,
        replied_late: live.figures.replied_late,
        overdue_open: live.figures.overdue_open,
        open,
        report,
        warnings: live.warnings,
        sum: Some(sum),
        publication: live.figures.proactive,
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| e.to_string())
}

/// The whole agency's figures and every application's share.
pub fn compute_whole(
    year: i32,
    as_of: NaiveDate,
    ledger: &Ledger,
    report: &ReportInput,
    cal: &Calendar,
    settings: Settings,
) -> (AgencyFigures, Vec<(ApplicationId, Share)>) {
    let mut sum = ApplicationsSum::without_lists();
    let mut open = Vec::new();
    let mut shares = Vec::new();
    for app in ledger.applications() {
        let s = share(app, year, as_of, cal, settings);
        sum.add(&app.id, &s.contribution);
        open.extend(s.open.clone());
        if !s.is_empty() {
            shares.push((app.id.clone(), s));
        }
    }
    let report = report_state(report, year, ledger, cal, settings);
    let f = figures(year, as_of, sum, open, ledger, report, cal, settings);
    (f, shares)
}

/// The store's refresh: the agency's figures moved by the changed applications' shares,
/// or computed whole. `Ok(None)`: the kept figures cannot be moved (asks for the whole).
pub fn compute(input: RefreshInput) -> Result<Option<RefreshOutput>, String> {
    let RefreshInput {
        year,
        as_of,
        kept,
        settings,
        calendar,
        work,
    } = input;
    let cal = &*calendar;
    match work {
        Work::Full { ledger, report } => {
            let (f, shares) = compute_whole(year, as_of, &ledger, &report, cal, settings);
            let mut out = RefreshOutput {
                figures: to_json(&f)?,
                shares: Vec::with_capacity(shares.len()),
            };
            for (id, s) in shares {
                out.shares.push((id, Some(to_json(&s)?)));
            }
            Ok(Some(out))
        }
        Work::Delta {
            applications,
            rest,
            report,
        } => {
            let Some(kept) =
                kept.and_then(|k| serde_json::from_str::<AgencyFigures>(&k.figures).ok())
            else {
                return Ok(None);
            };
            let Some(mut sum) = kept.sum.clone() else {
                return Ok(None);
            };
            let mut open = kept.open.clone();
            let mut out = RefreshOutput::default();
            for (id, app, old) in applications {
                let old: Share = match old {
                    Some(json) => match serde_json::from_str(&json) {
                        Ok(s) => s,
                        Err(_) => return Ok(None),
                    },
                    None => Share::default(),
                };
                let new = app
                    .as_ref()
                    .map(|a| share(a, year, as_of, cal, settings))
                    .unwrap_or_default();
                sum.remove(&id, &old.contribution);
                sum.add(&id, &new.contribution);
                open.retain(|c| c.id != id.0);
                open.extend(new.open.clone());
                let json = if new.is_empty() {
                    None
                } else {
                    Some(to_json(&new)?)
                };
                out.shares.push((id, json));
            }
            let state = match &report {
                Some(input) => match report_state_kept(input, &kept.report) {
                    Some(s) => s,
                    None => return Ok(None),
                },
                None => kept.report.clone(),
            };
            let f = figures(year, as_of, sum, open, &rest, state, cal, settings);
            out.figures = to_json(&f)?;
            Ok(Some(out))
        }
    }
}
