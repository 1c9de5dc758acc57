//! The year-end as a sum: each application's share of a year's figures
//! ([`contribution`]), the shares summed ([`ApplicationsSum`]), and the rest of the report
//! (opening balances, section 四, section 二) added by [`Ledger::year_end_from`].
//!
//! [`Ledger::year_end`] is exactly that: the sum of its applications' contributions, then
//! [`Ledger::year_end_from`]. So figures kept per application can be kept up to date by
//! delta — when one application changes, its old contribution is taken out of the sum and
//! its new one put in ([`ApplicationsSum::remove`], [`ApplicationsSum::add`]) — and the
//! report of the sum equals the report computed from the whole ledger (issue 18 §3: the
//! supervisor's figures kept incrementally; `tests/year_end_parts.rs` proves it over
//! generated ledgers).
//!
//! A contribution depends on the year and on the date computed on (the period end, and
//! whether an open application is overdue then), on the settings and on the calendar: a
//! sum is valid for the options it was computed with only.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::application::{Application, ApplicationId};
use crate::calendar::Calendar;
use crate::decision::Decision;
use crate::event::EventKind;
use crate::settings::Settings;
use crate::state::{Closure, Cutoff, fold};
use crate::year_end::{Figures, YearEndOptions};

/// Where an application stands in table 三's first rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counted {
    /// 一、本年新收.
    #[serde(rename = "n")]
    NewReceived,
    /// 二、上年结转.
    #[serde(rename = "c")]
    CarriedOver,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_zero_u8(n: &u8) -> bool {
    *n == 0
}

/// One application's share of a year's figures (table 三 and the counts beside it).
/// Serialised compactly (one-letter keys, defaults left out): it is kept per application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The applicant's column (`APPLICANT_COLUMNS`, 0–5) when counted.
    #[serde(rename = "k", default, skip_serializing_if = "is_zero_u8")]
    pub column: u8,
    /// In the year's table 三 as 一 or 二; `None`: not in the year's table (received after
    /// the period end, or closed before the year).
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<Counted>,
    /// Closed in the period: the row of its outcome ([`Decision::index`]); `None` while
    /// counted: 四、结转下年度继续办理.
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<u8>,
    /// Replied in the period; and after the deadline.
    #[serde(rename = "r", default, skip_serializing_if = "is_false")]
    pub replied: bool,
    #[serde(rename = "l", default, skip_serializing_if = "is_false")]
    pub replied_late: bool,
    /// Carried forward and past its deadline at the period end.
    #[serde(rename = "d", default, skip_serializing_if = "is_false")]
    pub overdue_open: bool,
    /// Events dated in the period (counted applications only).
    #[serde(rename = "c", default, skip_serializing_if = "is_zero")]
    pub corrections_requested: u64,
    #[serde(rename = "s", default, skip_serializing_if = "is_zero")]
    pub consultations: u64,
    #[serde(rename = "e", default, skip_serializing_if = "is_zero")]
    pub extensions: u64,
    #[serde(rename = "f", default, skip_serializing_if = "Decimal::is_zero")]
    pub processing_fees_yuan: Decimal,
    #[serde(rename = "p", default, skip_serializing_if = "is_zero")]
    pub processing_fees_paid: u64,
    /// Received before 1 January of the year (as known then): the opening balances are
    /// used only when no application of the ledger is.
    #[serde(rename = "b", default, skip_serializing_if = "is_false")]
    pub received_before_year: bool,
    /// The computation's warnings about this application (invalid events, the clock).
    #[serde(rename = "w", default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Contribution {
    /// Nothing to add: the application is not in the year's figures at all.
    pub fn is_empty(&self) -> bool {
        *self == Contribution::default()
    }
}

/// `app`'s contribution to the year-end of `options` — what [`Ledger::year_end`] adds for
/// it (see the counting rules in [`crate::year_end`]).
///
/// [`Ledger::year_end`]: crate::Ledger::year_end
pub fn contribution(
    app: &Application,
    options: YearEndOptions,
    calendar: &Calendar,
    settings: Settings,
) -> Contribution {
    let year = options.year;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let end = options.as_of.min(last);
    let cutoff = Cutoff {
        date: end,
        known_by: options.known_by,
    };
    let in_period = |d: NaiveDate| first <= d && d <= end;
    let known = |at: DateTime<Utc>| options.known_by.is_none_or(|k| at <= k);
    let mut c = Contribution::default();

    // As known at `known_by`: a correction recorded later does not move a frozen report's
    // figures (the applicant's column, the receipt).
    let app = &*app.known_at(options.known_by);
    let receipt = app.receipt_known_by(options.known_by);
    c.received_before_year = receipt.as_ref().is_some_and(|r| r.date < first);
    // Cheap skip: not received by the period end.
    if receipt.is_none_or(|r| r.date > end) {
        return c;
    }
    let st = fold(app, cutoff, calendar, settings, false);
    for bad in &st.invalid_events {
        c.warnings.push(format!(
            "申请 {} 的第 {} 个事项无效（{}），统计时未计入该事项",
            app.id, bad.seq, bad.message
        ));
    }
    let Some(r) = st.received_on else { return c };
    c.column = app.applicant.kind.column() as u8;
    if r >= first {
        c.counted = Some(Counted::NewReceived);
    } else if st.closed_on.is_none_or(|x| x >= first) {
        c.counted = Some(Counted::CarriedOver);
    } else {
        c.column = 0;
        return c;
    }
    match (st.closed_on, st.outcome()) {
        (Some(x), Some(d)) if x >= first => {
            c.outcome = Some(d.index() as u8);
            if st.closure == Some(Closure::Replied) {
                c.replied = true;
                c.replied_late = st.replied_late;
            }
        }
        _ => {
            let full = fold(app, cutoff, calendar, settings, true);
            c.overdue_open = full.is_overdue();
            if let Some(clock) = &full.clock {
                for w in &clock.warnings {
                    let w = format!("申请 {}：{w}", app.id);
                    if !c.warnings.contains(&w) {
                        c.warnings.push(w);
                    }
                }
            }
        }
    }
    for e in &app.events {
        if !in_period(e.date) || !known(e.recorded_at) {
            continue;
        }
        match &e.kind {
            EventKind::CorrectionRequested { .. } => c.corrections_requested += 1,
            EventKind::ConsultationSent { .. } => c.consultations += 1,
            EventKind::Extended { .. } => c.extensions += 1,
            EventKind::FeePaid { amount } => {
                c.processing_fees_yuan += *amount;
                c.processing_fees_paid += 1;
            }
            _ => {}
        }
    }
    c
}

/// The applications' contributions summed: table 三 and the counts beside it (the
/// sections 二 and 四 of `figures` stay zero), ready for [`crate::Ledger::year_end_from`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsSum {
    pub figures: Figures,
    /// Applications received before 1 January of the year.
    pub received_before_year: u64,
    /// The applications counted in 二 and in 四 (left empty by a sum that does not need
    /// them: [`ApplicationsSum::without_lists`]).
    #[serde(default)]
    pub carried_over: Vec<ApplicationId>,
    #[serde(default)]
    pub carried_forward: Vec<ApplicationId>,
    /// Whether the lists are kept.
    #[serde(default)]
    pub lists: bool,
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Default for ApplicationsSum {
    fn default() -> Self {
        ApplicationsSum {
            figures: Figures {
                outcomes: vec![[0; 7]; Decision::ALL.len()],
                ..Figures::default()
            },
            received_before_year: 0,
            carried_over: Vec::new(),
            carried_forward: Vec::new(),
            lists: true,
            warnings: Vec::new(),
        }
    }
}

/// Adds (`up`) or takes away one in column `col` and in the total.
fn step(row: &mut [u64; 7], col: usize, up: bool) {
    for i in [col.min(5), 6] {
        row[i] = if up {
            row[i] + 1
        } else {
            row[i].saturating_sub(1)
        };
    }
}

fn plus(n: &mut u64, by: u64, up: bool) {
    *n = if up { *n + by } else { n.saturating_sub(by) };
}

impl ApplicationsSum {
    /// An empty sum that keeps no lists of application ids (a sum kept per agency).
    pub fn without_lists() -> Self {
        ApplicationsSum {
            lists: false,
            ..ApplicationsSum::default()
        }
    }

    /// Adds application `id`'s contribution.
    pub fn add(&mut self, id: &ApplicationId, c: &Contribution) {
        self.apply(id, c, true);
    }

    /// Takes away application `id`'s contribution, added before: the exact inverse of
    /// [`ApplicationsSum::add`].
    pub fn remove(&mut self, id: &ApplicationId, c: &Contribution) {
        self.apply(id, c, false);
    }

    fn apply(&mut self, id: &ApplicationId, c: &Contribution, up: bool) {
        let f = &mut self.figures;
        if f.outcomes.len() < Decision::ALL.len() {
            f.outcomes.resize(Decision::ALL.len(), [0; 7]);
        }
        plus(
            &mut self.received_before_year,
            u64::from(c.received_before_year),
            up,
        );
        if up {
            self.warnings.extend(c.warnings.iter().cloned());
        } else {
            for w in &c.warnings {
                if let Some(i) = self.warnings.iter().position(|x| x == w) {
                    self.warnings.remove(i);
                }
            }
        }
        let Some(counted) = c.counted else { return };
        let col = usize::from(c.column);
        let lists = self.lists;
        let list = |l: &mut Vec<ApplicationId>| {
            if !lists {
                return;
            }
            if up {
                l.push(id.clone());
            } else if let Some(i) = l.iter().position(|x| x == id) {
                l.remove(i);
            }
        };
        match counted {
            Counted::NewReceived => step(&mut f.new_received, col, up),
            Counted::CarriedOver => {
                step(&mut f.carried_over, col, up);
                list(&mut self.carried_over);
            }
        }
        match c.outcome {
            Some(o) => {
                let o = usize::from(o).min(Decision::ALL.len() - 1);
                step(&mut f.outcomes[o], col, up);
                step(&mut f.results_total, col, up);
                plus(&mut f.replied, u64::from(c.replied), up);
                plus(&mut f.replied_late, u64::from(c.replied_late), up);
            }
            None => {
                step(&mut f.carried_forward, col, up);
                list(&mut self.carried_forward);
                plus(&mut f.overdue_open, u64::from(c.overdue_open), up);
            }
        }
        plus(&mut f.corrections_requested, c.corrections_requested, up);
        plus(&mut f.consultations, c.consultations, up);
        plus(&mut f.extensions, c.extensions, up);
        plus(&mut f.processing_fees_paid, c.processing_fees_paid, up);
        if up {
            f.processing_fees_yuan += c.processing_fees_yuan;
        } else {
            f.processing_fees_yuan -= c.processing_fees_yuan;
        }
    }
}
