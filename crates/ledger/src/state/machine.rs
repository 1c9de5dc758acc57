//! The machine the fold runs: each event checked against what came before it and applied
//! (receipt, corrections, consultations, extension, fees, decision, reply, closure).

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::application::Channel;
use crate::calendar::Calendar;
use crate::clock::{
    CONSULTATION_DAYS, CORRECTION_REQUEST_DAYS, ClockInput, ClockStart, Extension, FixedDeadline,
    MAX_EXTENSION_DAYS, PauseReason, PauseSpec,
};
use crate::decision::Decision;
use crate::error::{LedgerError, Notice};
use crate::event::{Event, EventKind, EventType};
use crate::fees::{self, FeeBasis, PAYMENT_DAYS};
use crate::settings::Settings;

use super::Closure;

pub(super) struct Corr {
    pub(super) requested_on: NaiveDate,
    pub(super) due: NaiveDate,
    pub(super) corrected_on: Option<NaiveDate>,
    pub(super) lapsed: bool,
}

pub(super) struct Fee {
    pub(super) notice_on: NaiveDate,
    pub(super) basis: FeeBasis,
    pub(super) amount: Decimal,
    pub(super) due: NaiveDate,
    pub(super) paid_on: Option<NaiveDate>,
}

pub(super) struct Machine<'a> {
    pub(super) cal: &'a Calendar,
    pub(super) settings: Settings,
    /// Earliest receipt among the events the fold sees (for “before receipt” messages).
    pub(super) first_receipt: Option<NaiveDate>,
    pub(super) received: Option<(NaiveDate, Channel)>,
    pub(super) start: Option<ClockStart>,
    pub(super) correction: Option<Corr>,
    pub(super) consultations: Vec<PauseSpec>,
    pub(super) extension: Option<Extension>,
    pub(super) fee: Option<Fee>,
    pub(super) fixed: Option<FixedDeadline>,
    pub(super) decision: Option<(NaiveDate, Decision)>,
    pub(super) closed: Option<(NaiveDate, Closure)>,
    pub(super) replied_late: bool,
    pub(super) notices: Vec<Notice>,
    /// Every consultation of the log with its date (an answer dated before its
    /// consultation is folded before it: named, not “unknown”).
    pub(super) sent: Vec<(u32, NaiveDate)>,
}

impl<'a> Machine<'a> {
    pub(super) fn knowing_consultations(mut self, events: &[Cow<'_, Event>]) -> Self {
        self.sent = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::ConsultationSent { .. }))
            .map(|e| (e.seq, e.date))
            .collect();
        self
    }

    pub(super) fn new(
        cal: &'a Calendar,
        settings: Settings,
        first_receipt: Option<NaiveDate>,
    ) -> Self {
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

    pub(super) fn correction_pending(&self) -> Option<NaiveDate> {
        self.correction
            .as_ref()
            .filter(|c| c.corrected_on.is_none() && !c.lapsed)
            .map(|c| c.due)
    }

    pub(super) fn fee_pending(&self) -> Option<NaiveDate> {
        self.fee
            .as_ref()
            .filter(|f| f.paid_on.is_none())
            .map(|f| f.due)
    }

    /// The end of a period of `n` working days from `start` under the settings.
    pub(super) fn period_end(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let from = if self.settings.count_receipt_day {
            start.pred_opt().unwrap_or(start)
        } else {
            start
        };
        self.cal.add_working_days(from, n).value
    }

    pub(super) fn clock_input(&self) -> Option<ClockInput> {
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

    pub(super) fn deadline_on(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.clock_input()
            .map(|c| c.compute(date, self.cal, self.settings).deadline)
    }

    pub(super) fn apply(&mut self, e: &Event) -> Result<(), LedgerError> {
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
