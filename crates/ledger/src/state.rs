//! The fold: an application's state on any date, derived from its log.
//!
//! Events are applied in `(date, seq)` order. Each event is checked against what came
//! before it; an event that breaks a rule is reported (and has no effect), which is how
//! [`crate::Application::append`] validates, and how a log from storage is read safely.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amend::FieldChange;
use crate::application::{Application, Channel, Context};
use crate::calendar::Calendar;
use crate::clock::ReplyClock;
use crate::decision::Decision;
use crate::error::{LedgerError, Notice};
use crate::event::{Event, EventKind};
use crate::fees::FeeBasis;
use crate::settings::Settings;

mod machine;
use machine::Machine;

/// Which events a fold sees: those dated on or before `date` and, if set, recorded by
/// `known_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoff {
    pub date: NaiveDate,
    pub known_by: Option<DateTime<Utc>>,
}

impl Cutoff {
    /// Every event dated on or before `date`.
    pub fn date(date: NaiveDate) -> Self {
        Cutoff {
            date,
            known_by: None,
        }
    }

    fn includes(&self, e: &Event) -> bool {
        e.date <= self.date && self.known_by.is_none_or(|k| e.recorded_at <= k)
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Registered, no receipt yet.
    NotReceived,
    /// 补正中: waiting for the applicant's correction; the reply clock is not running.
    AwaitingCorrection,
    /// 办理中.
    Processing,
    /// 征求意见中: a consultation is open.
    Consulting,
    /// 待缴费: a fee notice is unpaid and its window open.
    AwaitingPayment,
    /// 已作出结论，待送达.
    Decided,
    /// 已办结.
    Closed,
}

impl Stage {
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::NotReceived => "未登记收到",
            Stage::AwaitingCorrection => "补正中",
            Stage::Processing => "办理中",
            Stage::Consulting => "征求意见中",
            Stage::AwaitingPayment => "待缴费",
            Stage::Decided => "已作出结论，待送达",
            Stage::Closed => "已办结",
        }
    }
}

/// How an application was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closure {
    /// The reply was sent; the outcome is the last decision.
    Replied,
    /// Deemed abandoned: not corrected in time → （六）1.
    NotCorrected,
    /// Deemed abandoned: fee not paid in time → （六）2.
    FeeNotPaid,
    /// Withdrawn by the applicant → （六）3 (UNCONFIRMED: no rule says where withdrawals
    /// go; （六）3.其他 is the only candidate, regulations.md §1.6).
    Withdrawn,
}

impl std::fmt::Display for Closure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Closure::Replied => "已答复",
            Closure::NotCorrected => "逾期未补正",
            Closure::FeeNotPaid => "逾期未缴费",
            Closure::Withdrawn => "申请人撤回",
        })
    }
}

/// The correction of art. 30.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionState {
    pub requested_on: NaiveDate,
    pub due: NaiveDate,
    pub corrected_on: Option<NaiveDate>,
    /// True when closed as not corrected.
    pub lapsed: bool,
}

/// The fee of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeState {
    pub notice_on: NaiveDate,
    pub basis: FeeBasis,
    /// In 元.
    pub amount: Decimal,
    /// Last day to pay.
    pub due: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

/// An event of the log that breaks a rule (only in logs not written through
/// [`crate::Application::append`], or after the calendar or settings changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidEvent {
    pub seq: u32,
    pub code: String,
    pub message: String,
}

/// An application's state on a date, derived from its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationState {
    pub as_of: NaiveDate,
    pub stage: Stage,
    /// The legal receipt date.
    pub received_on: Option<NaiveDate>,
    pub channel: Option<Channel>,
    pub correction: Option<CorrectionState>,
    /// Consultations not yet answered whose 15 working days have not run out.
    pub open_consultations: u32,
    pub fee: Option<FeeState>,
    /// The outcome: the last decision, or the row a lapse or a withdrawal goes to.
    pub decision: Option<Decision>,
    pub decided_on: Option<NaiveDate>,
    pub closure: Option<Closure>,
    pub closed_on: Option<NaiveDate>,
    /// The reply deadline and its explanation (absent before receipt and while waiting for
    /// a correction; absent in the light folds of the year-end computation).
    pub clock: Option<ReplyClock>,
    /// True when the reply was sent after the deadline.
    pub replied_late: bool,
    pub notices: Vec<Notice>,
    pub invalid_events: Vec<InvalidEvent>,
}

impl ApplicationState {
    /// The reply deadline, when the clock runs.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.clock.as_ref().map(|c| c.deadline)
    }

    /// Received and not closed.
    pub fn is_open(&self) -> bool {
        self.received_on.is_some() && self.closure.is_none()
    }

    /// The final outcome, once closed.
    pub fn outcome(&self) -> Option<Decision> {
        self.closure.and(self.decision)
    }

    /// Open and past the deadline.
    pub fn is_overdue(&self) -> bool {
        self.is_open()
            && self
                .deadline()
                .is_some_and(|d| self.as_of > d && self.stage != Stage::AwaitingCorrection)
    }
}

/// The events of `events` that `cutoff` includes, in fold order. The first receipt is
/// replaced by its corrected date and channel (corrections count whatever their date,
/// once recorded by `known_by`); correction events themselves change no stage.
fn ordered(events: &[Event], cutoff: Option<Cutoff>) -> Vec<Cow<'_, Event>> {
    let known_by = cutoff.and_then(|c| c.known_by);
    let mut receipt = None;
    for e in events {
        if let EventKind::Amended { changes, .. } = &e.kind
            && known_by.is_none_or(|k| e.recorded_at <= k)
        {
            for c in changes {
                if let FieldChange::Receipt { to, .. } = c {
                    receipt = Some(*to);
                }
            }
        }
    }
    let first_received = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Received { .. }))
        .map(|e| e.seq);
    let mut v: Vec<Cow<'_, Event>> = events
        .iter()
        .filter(|e| !matches!(e.kind, EventKind::Amended { .. }))
        .map(|e| match receipt {
            Some(r) if Some(e.seq) == first_received => Cow::Owned(Event {
                date: r.date,
                kind: EventKind::Received { channel: r.channel },
                ..e.clone()
            }),
            _ => Cow::Borrowed(e),
        })
        .filter(|e| cutoff.is_none_or(|c| c.includes(e)))
        .collect();
    if !v.is_sorted_by_key(|e| (e.date, e.seq)) {
        v.sort_by_key(|e| (e.date, e.seq));
    }
    v
}

fn first_receipt(events: &[Cow<'_, Event>]) -> Option<NaiveDate> {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Received { .. }))
        .map(|e| e.date)
        .min()
}

/// Every rule broken by the log: `(seq, error)`.
pub(crate) fn validate(events: &[Event], ctx: &Context<'_>) -> Vec<(u32, LedgerError)> {
    let order = ordered(events, None);
    let mut m = Machine::new(ctx.calendar, ctx.settings, first_receipt(&order))
        .knowing_consultations(&order);
    let mut errors = Vec::new();
    for e in &order {
        if let Err(err) = m.apply(e) {
            errors.push((e.seq, err));
        }
    }
    errors
}

/// The state of `app` under `cutoff`. `with_clock` = false skips the final deadline (the
/// year-end computation needs only receipt, closure and outcome).
pub(crate) fn fold(
    app: &Application,
    cutoff: Cutoff,
    cal: &Calendar,
    settings: Settings,
    with_clock: bool,
) -> ApplicationState {
    let order = ordered(&app.events, Some(cutoff));
    let mut m = Machine::new(cal, settings, first_receipt(&order)).knowing_consultations(&order);
    let mut invalid = Vec::new();
    for e in &order {
        if let Err(err) = m.apply(e) {
            invalid.push(InvalidEvent {
                seq: e.seq,
                code: err.code().to_string(),
                message: err.to_string(),
            });
        }
    }
    let as_of = cutoff.date;
    let clock = if with_clock {
        m.clock_input().map(|c| c.compute(as_of, cal, settings))
    } else {
        None
    };
    let open_consultations = m
        .consultations
        .iter()
        .filter(|p| p.ended.is_none() && as_of < p.cap)
        .count() as u32;
    let stage = if m.received.is_none() {
        Stage::NotReceived
    } else if m.closed.is_some() {
        Stage::Closed
    } else if m.correction_pending().is_some() {
        Stage::AwaitingCorrection
    } else if m.fee_pending().is_some_and(|due| as_of <= due) {
        Stage::AwaitingPayment
    } else if open_consultations > 0 {
        Stage::Consulting
    } else if m.decision.is_some() {
        Stage::Decided
    } else {
        Stage::Processing
    };
    let mut notices = m.notices;
    if m.closed.is_none()
        && let Some(c) = &clock
        && as_of > c.deadline
    {
        notices.push(Notice::Overdue {
            as_of,
            deadline: c.deadline,
        });
    }
    ApplicationState {
        as_of,
        stage,
        received_on: m.received.map(|r| r.0),
        channel: m.received.map(|r| r.1),
        correction: m.correction.map(|c| CorrectionState {
            requested_on: c.requested_on,
            due: c.due,
            corrected_on: c.corrected_on,
            lapsed: c.lapsed,
        }),
        open_consultations,
        fee: m.fee.map(|f| FeeState {
            notice_on: f.notice_on,
            basis: f.basis,
            amount: f.amount,
            due: f.due,
            paid_on: f.paid_on,
        }),
        decision: m.decision.map(|d| d.1),
        decided_on: m.decision.map(|d| d.0),
        closure: m.closed.map(|c| c.1),
        closed_on: m.closed.map(|c| c.0),
        clock,
        replied_late: m.replied_late,
        notices,
        invalid_events: invalid,
    }
}
