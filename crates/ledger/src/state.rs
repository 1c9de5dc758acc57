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
use crate::clock::{
    CONSULTATION_DAYS, CORRECTION_REQUEST_DAYS, ClockInput, ClockStart, Extension, FixedDeadline,
    MAX_EXTENSION_DAYS, PauseReason, PauseSpec, ReplyClock,
};
use crate::decision::Decision;
use crate::error::{LedgerError, Notice};
use crate::event::{Event, EventKind, EventType};
use crate::fees::{self, FeeBasis, PAYMENT_DAYS};
use crate::settings::Settings;

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

struct Corr {
    requested_on: NaiveDate,
    due: NaiveDate,
    corrected_on: Option<NaiveDate>,
    lapsed: bool,
}

struct Fee {
    notice_on: NaiveDate,
    basis: FeeBasis,
    amount: Decimal,
    due: NaiveDate,
    paid_on: Option<NaiveDate>,
}

struct Machine<'a> {
    cal: &'a Calendar,
    settings: Settings,
    /// Earliest receipt among the events the fold sees (for “before receipt” messages).
    first_receipt: Option<NaiveDate>,
    received: Option<(NaiveDate, Channel)>,
    start: Option<ClockStart>,
    correction: Option<Corr>,
    consultations: Vec<PauseSpec>,
    extension: Option<Extension>,
    fee: Option<Fee>,
    fixed: Option<FixedDeadline>,
    decision: Option<(NaiveDate, Decision)>,
    closed: Option<(NaiveDate, Closure)>,
    replied_late: bool,
    notices: Vec<Notice>,
    /// Every consultation of the log with its date (an answer dated before its
    /// consultation is folded before it: named, not “unknown”).
    sent: Vec<(u32, NaiveDate)>,
}

impl<'a> Machine<'a> {
    fn knowing_consultations(mut self, events: &[Cow<'_, Event>]) -> Self {
        self.sent = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ConsultationSent { .. }))
            .map(|e| (e.seq, e.date))
            .collect();
        self
    }

    fn new(cal: &'a Calendar, settings: Settings, first_receipt: Option<NaiveDate>) -> Self {
        Machine {
            cal,
            settings,
            first_receipt,
            received: None,
            start: None,
            correction: None,
            consultations: Vec::new(),
            extension: None,
            fee: None,
            fixed: None,
            decision: None,
            closed: None,
            replied_late: false,
            notices: Vec::new(),
            sent: Vec::new(),
        }
    }

    fn correction_pending(&self) -> Option<NaiveDate> {
        self.correction
            .as_ref()
            .filter(|c| c.corrected_on.is_none() && !c.lapsed)
            .map(|c| c.due)
    }

    fn fee_pending(&self) -> Option<NaiveDate> {
        self.fee
            .as_ref()
            .filter(|f| f.paid_on.is_none())
            .map(|f| f.due)
    }

    /// The end of a period of `n` working days from `start` under the settings.
    fn period_end(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let from = if self.settings.count_receipt_day {
            start.pred_opt().unwrap_or(start)
        } else {
            start
        };
        self.cal.add_working_days(from, n).value
    }

    fn clock_input(&self) -> Option<ClockInput> {
        let start = self.start.clone()?;
        if self.correction_pending().is_some() {
            return None;
        }
        let mut pauses: Vec<PauseSpec> = self
            .consultations
            .iter()
            .filter(|p| p.cap > start.date)
            .map(|p| PauseSpec {
                after: p.after.max(start.date),
                ..p.clone()
            })
            .collect();
        if self.settings.fee_window_pauses_clock
            && let Some(f) = &self.fee
        {
            pauses.push(PauseSpec {
                seq: 0,
                reason: PauseReason::FeeWindow,
                after: f.notice_on.max(start.date),
                cap: f.due,
                ended: f.paid_on.map(|d| (0, d)),
            });
        }
        Some(ClockInput {
            start,
            extension: self.extension.clone(),
            pauses,
            fixed: self.fixed.clone(),
        })
    }

    fn deadline_on(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.clock_input()
            .map(|c| c.compute(date, self.cal, self.settings).deadline)
    }

    fn apply(&mut self, e: &Event) -> Result<(), LedgerError> {
        let event = e.kind.event_type();
        if let Some((closed_on, closure)) = self.closed {
            return Err(LedgerError::AfterClosing {
                event,
                closed_on,
                closure: closure.to_string(),
            });
        }
        if let EventKind::Received { channel } = &e.kind {
            if let Some((received, _)) = self.received {
                return Err(LedgerError::DuplicateReceipt { received });
            }
            if let Some(earlier) = channel.earlier_date() {
                if earlier > e.date {
                    return Err(LedgerError::ConfirmedBeforeArrival {
                        date: e.date,
                        earlier,
                    });
                }
                if matches!(channel, Channel::OrdinaryMail { .. }) && earlier < e.date {
                    self.notices.push(Notice::MailConfirmedLate {
                        arrived_on: earlier,
                        confirmed_on: e.date,
                    });
                }
            }
            self.received = Some((e.date, *channel));
            self.start = Some(ClockStart {
                seq: e.seq,
                date: e.date,
                corrected: false,
                received_on: e.date,
                channel: channel.label_zh().to_string(),
            });
            return Ok(());
        }
        let Some((received, _)) = self.received else {
            return Err(match self.first_receipt {
                Some(r) => LedgerError::BeforeReceipt {
                    event,
                    date: e.date,
                    received: r,
                },
                None => LedgerError::NotReceived { event },
            });
        };
        let awaiting = |m: &Self| match m.correction_pending() {
            Some(due) => Err(LedgerError::AwaitingCorrection { due, event }),
            None => Ok(()),
        };
        match &e.kind {
            EventKind::Received { .. } => unreachable!("handled above"),
            EventKind::CorrectionRequested { items, due } => {
                if let Some(c) = &self.correction {
                    return Err(LedgerError::SecondCorrectionRequest {
                        first: c.requested_on,
                    });
                }
                if items.trim().is_empty() {
                    return Err(LedgerError::EmptyField {
                        field: "补正事项"
                    });
                }
                if *due < e.date {
                    return Err(LedgerError::CorrectionDueBeforeRequest {
                        due: *due,
                        date: e.date,
                    });
                }
                let limit = self.period_end(received, CORRECTION_REQUEST_DAYS);
                if e.date > limit {
                    self.notices.push(Notice::CorrectionRequestLate {
                        date: e.date,
                        limit,
                    });
                }
                self.correction = Some(Corr {
                    requested_on: e.date,
                    due: *due,
                    corrected_on: None,
                    lapsed: false,
                });
            }
            EventKind::Corrected => {
                let Some(due) = self.correction_pending() else {
                    return Err(LedgerError::NoPendingCorrection { event });
                };
                if e.date > due {
                    self.notices
                        .push(Notice::CorrectedAfterDue { date: e.date, due });
                }
                if let Some(c) = &mut self.correction {
                    c.corrected_on = Some(e.date);
                }
                let channel = self
                    .start
                    .as_ref()
                    .map(|s| s.channel.clone())
                    .unwrap_or_default();
                self.start = Some(ClockStart {
                    seq: e.seq,
                    date: e.date,
                    corrected: true,
                    received_on: received,
                    channel,
                });
            }
            EventKind::NotCorrected => {
                let Some(due) = self.correction_pending() else {
                    return Err(LedgerError::NoPendingCorrection { event });
                };
                if e.date <= due {
                    return Err(LedgerError::CorrectionStillOpen { due });
                }
                if let Some(c) = &mut self.correction {
                    c.lapsed = true;
                }
                self.decision = Some((e.date, Decision::OtherNoCorrection));
                self.closed = Some((e.date, Closure::NotCorrected));
            }
            EventKind::ConsultationSent {
                consultation,
                party,
            } => {
                awaiting(self)?;
                if party.trim().is_empty() {
                    return Err(LedgerError::EmptyField {
                        field: "征求意见对象",
                    });
                }
                let cap = self.cal.add_working_days(e.date, CONSULTATION_DAYS).value;
                self.consultations.push(PauseSpec {
                    seq: e.seq,
                    reason: PauseReason::Consultation {
                        consultation: *consultation,
                        party: party.clone(),
                    },
                    after: e.date,
                    cap,
                    ended: None,
                });
            }
            EventKind::ConsultationAnswered {
                consultation_seq, ..
            } => {
                let Some(p) = self
                    .consultations
                    .iter_mut()
                    .find(|p| p.seq == *consultation_seq)
                else {
                    if let Some(&(_, sent)) = self.sent.iter().find(|(s, _)| s == consultation_seq)
                        && sent > e.date
                    {
                        return Err(LedgerError::AnsweredBeforeConsultation {
                            seq: *consultation_seq,
                            date: e.date,
                            sent,
                        });
                    }
                    return Err(LedgerError::UnknownConsultation {
                        seq: *consultation_seq,
                    });
                };
                if let Some((_, answered)) = p.ended {
                    return Err(LedgerError::ConsultationAlreadyAnswered {
                        seq: *consultation_seq,
                        answered,
                    });
                }
                p.ended = Some((e.seq, e.date));
            }
            EventKind::Extended {
                days,
                approved_by,
                applicant_notified_on,
            } => {
                awaiting(self)?;
                if *days == 0 {
                    return Err(LedgerError::ExtensionZero);
                }
                if *days > MAX_EXTENSION_DAYS {
                    return Err(LedgerError::ExtensionTooLong { days: *days });
                }
                if let Some(x) = &self.extension {
                    return Err(LedgerError::SecondExtension { first: x.date });
                }
                if approved_by.trim().is_empty() {
                    return Err(LedgerError::EmptyField {
                        field: "批准延期的政府信息公开工作机构负责人",
                    });
                }
                if *applicant_notified_on < e.date {
                    return Err(LedgerError::NotifiedBeforeExtension {
                        notified: *applicant_notified_on,
                        date: e.date,
                    });
                }
                if let Some(deadline) = self.deadline_on(e.date)
                    && e.date > deadline
                {
                    self.notices.push(Notice::ExtensionAfterDeadline {
                        date: e.date,
                        deadline,
                    });
                }
                self.extension = Some(Extension {
                    seq: e.seq,
                    date: e.date,
                    days: *days,
                    approved_by: approved_by.clone(),
                    applicant_notified_on: *applicant_notified_on,
                });
            }
            EventKind::FeeNoticeSent {
                basis,
                amount,
                received_by_applicant_on,
            } => {
                awaiting(self)?;
                if let Some(f) = &self.fee {
                    return Err(LedgerError::SecondFeeNotice { first: f.notice_on });
                }
                if amount.is_sign_negative() && !amount.is_zero() {
                    return Err(LedgerError::NegativeAmount { amount: *amount });
                }
                let got = received_by_applicant_on.unwrap_or(e.date);
                if got < e.date {
                    return Err(LedgerError::FeeNoticeReceivedBeforeSent {
                        received: got,
                        date: e.date,
                    });
                }
                let expected = fees::quote(*basis).total;
                if *amount != expected {
                    return Err(LedgerError::FeeAmountMismatch {
                        amount: *amount,
                        expected,
                    });
                }
                if let Some(deadline) = self.deadline_on(e.date)
                    && e.date > deadline
                {
                    self.notices.push(Notice::FeeNoticeAfterDeadline {
                        date: e.date,
                        deadline,
                    });
                }
                // 收到收费通知次日起20个工作日内: the fee rule counts from the next day
                // whatever the receipt-day setting.
                let due = self.cal.add_working_days(got, PAYMENT_DAYS).value;
                self.fee = Some(Fee {
                    notice_on: e.date,
                    basis: *basis,
                    amount: *amount,
                    due,
                    paid_on: None,
                });
            }
            EventKind::FeePaid { amount } => {
                let Some(due) = self.fee_pending() else {
                    return Err(LedgerError::NoPendingFee { event });
                };
                let expected = self.fee.as_ref().map(|f| f.amount).unwrap_or_default();
                if *amount != expected {
                    return Err(LedgerError::FeeAmountMismatch {
                        amount: *amount,
                        expected,
                    });
                }
                if e.date > due {
                    self.notices
                        .push(Notice::PaidAfterDue { date: e.date, due });
                }
                if let Some(f) = &mut self.fee {
                    f.paid_on = Some(e.date);
                }
            }
            EventKind::FeeNotPaid => {
                let Some(due) = self.fee_pending() else {
                    return Err(LedgerError::NoPendingFee { event });
                };
                if e.date <= due {
                    return Err(LedgerError::FeeWindowOpen { due });
                }
                self.decision = Some((e.date, Decision::OtherUnpaidFee));
                self.closed = Some((e.date, Closure::FeeNotPaid));
            }
            EventKind::DelayedReplyNotice { deadline, reason } => {
                awaiting(self)?;
                if let Some(f) = &self.fixed {
                    return Err(LedgerError::SecondDelayNotice { first: f.date });
                }
                if *deadline <= e.date {
                    return Err(LedgerError::DelayedDeadlineNotLater {
                        deadline: *deadline,
                        date: e.date,
                    });
                }
                if reason.trim().is_empty() {
                    return Err(LedgerError::EmptyField {
                        field: "延迟答复的理由",
                    });
                }
                self.fixed = Some(FixedDeadline {
                    seq: e.seq,
                    date: e.date,
                    deadline: *deadline,
                    reason: reason.clone(),
                });
            }
            EventKind::Decided { decision } => {
                awaiting(self)?;
                match decision {
                    Decision::OtherNoCorrection => {
                        return Err(LedgerError::DecisionRequiresEvent {
                            decision: *decision,
                            event: EventType::NotCorrected,
                        });
                    }
                    Decision::OtherUnpaidFee => {
                        return Err(LedgerError::DecisionRequiresEvent {
                            decision: *decision,
                            event: EventType::FeeNotPaid,
                        });
                    }
                    Decision::UnableUnclearAfterCorrection
                        if self
                            .correction
                            .as_ref()
                            .is_none_or(|c| c.corrected_on.is_none()) =>
                    {
                        return Err(LedgerError::NotCorrectedYet);
                    }
                    _ => {}
                }
                self.decision = Some((e.date, *decision));
            }
            EventKind::ReplySent { .. } => {
                if self.decision.is_none() {
                    return Err(LedgerError::NoDecision);
                }
                if let Some(due) = self.fee_pending() {
                    return Err(LedgerError::FeePending { due });
                }
                if let Some(deadline) = self.deadline_on(e.date)
                    && e.date > deadline
                {
                    self.replied_late = true;
                    self.notices.push(Notice::RepliedLate {
                        date: e.date,
                        deadline,
                    });
                }
                self.closed = Some((e.date, Closure::Replied));
            }
            EventKind::Withdrawn { .. } => {
                self.decision = Some((e.date, Decision::OtherOther));
                self.closed = Some((e.date, Closure::Withdrawn));
            }
            // Left out by `ordered`: a correction changes no stage.
            EventKind::Amended { .. } => {}
        }
        Ok(())
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
