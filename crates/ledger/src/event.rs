//! The events of an application's log.
//!
//! The log is append-only: an event is never changed or deleted. Each event has the date
//! it happened in law (`date`: the receipt date, the date a notice was sent …) and the
//! moment it was recorded (`recorded_at`, by `recorded_by`); the two differ when an event
//! is entered late, which is allowed: the log is folded in `(date, seq)` order and the whole
//! log is validated again on every append.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amend::FieldChange;
use crate::application::Channel;
use crate::decision::Decision;
use crate::fees::FeeBasis;

/// Who must be consulted before deciding (art. 32, art. 34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    /// 第三方 (art. 32): disclosure may harm a third party's lawful rights; the third party
    /// answers within 15 working days, silence leaves the decision to the organ.
    ThirdParty,
    /// 共同制作机关 (art. 34): co-producers of the information; they answer within 15
    /// working days, silence is consent.
    CoProducer,
}

impl ConsultationKind {
    /// `征求第三方意见` / `征求共同制作机关意见`.
    pub fn label_zh(self) -> &'static str {
        match self {
            ConsultationKind::ThirdParty => "征求第三方意见",
            ConsultationKind::CoProducer => "征求共同制作机关意见",
        }
    }

    /// `第三十二条` / `第三十四条`.
    pub fn article_zh(self) -> &'static str {
        match self {
            ConsultationKind::ThirdParty => "第三十二条",
            ConsultationKind::CoProducer => "第三十四条",
        }
    }
}

/// How a reply reached the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyMethod {
    /// 当场答复 / 当面送达.
    InPerson,
    /// 邮寄.
    Post,
    /// 电子邮件.
    Email,
    /// 网上平台.
    Online,
    /// 传真.
    Fax,
}

impl ReplyMethod {
    pub fn label_zh(self) -> &'static str {
        match self {
            ReplyMethod::InPerson => "当面送达",
            ReplyMethod::Post => "邮寄",
            ReplyMethod::Email => "电子邮件",
            ReplyMethod::Online => "网上平台",
            ReplyMethod::Fax => "传真",
        }
    }
}

/// What happened. The serde tag `type` names the event in JSON (`{"type": "extended", …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The application was received. The event's date is the legal receipt date of art. 31
    /// for the channel (see [`Channel`]).
    Received { channel: Channel },
    /// The office asked the applicant, once, to correct the application (art. 30), within
    /// 7 working days of receipt, giving a reasonable deadline `due`.
    CorrectionRequested { items: String, due: NaiveDate },
    /// The corrected application was received (its date restarts the reply clock).
    Corrected,
    /// The applicant did not correct by `due` without good reason: the application is
    /// deemed abandoned (视为放弃) and closed → （六）1.
    NotCorrected,
    /// A consultation letter was sent (art. 32 or 34). The time until the answer (at most 15
    /// working days) is not counted in the reply period (art. 33, para. 3).
    ConsultationSent {
        consultation: ConsultationKind,
        party: String,
    },
    /// The consulted party answered; `consultation_seq` is the seq of the
    /// [`EventKind::ConsultationSent`] event. `consents` records the answer, if given.
    ConsultationAnswered {
        consultation_seq: u32,
        consents: Option<bool>,
    },
    /// The reply period was extended by `days` working days (at most 20), approved by the
    /// head of the disclosure office, and the applicant was told on `applicant_notified_on`
    /// (art. 33, para. 2).
    Extended {
        days: u32,
        approved_by: String,
        applicant_notified_on: NaiveDate,
    },
    /// A fee notice (收费通知) was sent: the method, the amount in 元, and the date the
    /// applicant received it (the payment window runs from the next day; `None` = the
    /// event's date).
    FeeNoticeSent {
        basis: FeeBasis,
        amount: Decimal,
        received_by_applicant_on: Option<NaiveDate>,
    },
    /// The fee was paid (amount in 元).
    FeePaid { amount: Decimal },
    /// The payment window passed without payment: deemed abandoned, closed → （六）2.
    FeeNotPaid,
    /// Art. 35: the volume or frequency of applications is clearly beyond reason but the
    /// reason given is reasonable; the office fixed a later reply deadline and told the
    /// applicant.
    DelayedReplyNotice { deadline: NaiveDate, reason: String },
    /// The office decided the outcome (may be decided again until the reply is sent; the
    /// last decision counts).
    Decided { decision: Decision },
    /// The reply (答复告知书) was sent: the application is closed.
    ReplySent { method: ReplyMethod },
    /// The applicant withdrew the application: closed → （六）3.其他.
    Withdrawn { reason: Option<String> },
    /// 更正: named fields of the registration are superseded (old → new), with the reason
    /// (see [`crate::amend`]). Allowed at any time, also after closing; it changes no
    /// stage, but the state, deadlines and year-end follow the corrected values.
    Amended {
        changes: Vec<FieldChange>,
        reason: String,
    },
}

/// The kinds of events, without data (for messages and filters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Received,
    CorrectionRequested,
    Corrected,
    NotCorrected,
    ConsultationSent,
    ConsultationAnswered,
    Extended,
    FeeNoticeSent,
    FeePaid,
    FeeNotPaid,
    DelayedReplyNotice,
    Decided,
    ReplySent,
    Withdrawn,
    Amended,
}

impl EventType {
    /// The event's name in Chinese, e.g. `延长答复期限`.
    pub fn label_zh(self) -> &'static str {
        match self {
            EventType::Received => "收到申请",
            EventType::CorrectionRequested => "告知补正",
            EventType::Corrected => "收到补正后的申请",
            EventType::NotCorrected => "逾期未补正",
            EventType::ConsultationSent => "征求意见",
            EventType::ConsultationAnswered => "收到征求意见的答复",
            EventType::Extended => "延长答复期限",
            EventType::FeeNoticeSent => "发出收费通知",
            EventType::FeePaid => "缴纳信息处理费",
            EventType::FeeNotPaid => "逾期未缴费",
            EventType::DelayedReplyNotice => "确定延迟答复期限",
            EventType::Decided => "作出答复结论",
            EventType::ReplySent => "送达答复",
            EventType::Withdrawn => "撤回申请",
            EventType::Amended => "更正登记信息",
        }
    }
}

impl EventKind {
    /// The kind without data.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Received { .. } => EventType::Received,
            EventKind::CorrectionRequested { .. } => EventType::CorrectionRequested,
            EventKind::Corrected => EventType::Corrected,
            EventKind::NotCorrected => EventType::NotCorrected,
            EventKind::ConsultationSent { .. } => EventType::ConsultationSent,
            EventKind::ConsultationAnswered { .. } => EventType::ConsultationAnswered,
            EventKind::Extended { .. } => EventType::Extended,
            EventKind::FeeNoticeSent { .. } => EventType::FeeNoticeSent,
            EventKind::FeePaid { .. } => EventType::FeePaid,
            EventKind::FeeNotPaid => EventType::FeeNotPaid,
            EventKind::DelayedReplyNotice { .. } => EventType::DelayedReplyNotice,
            EventKind::Decided { .. } => EventType::Decided,
            EventKind::ReplySent { .. } => EventType::ReplySent,
            EventKind::Withdrawn { .. } => EventType::Withdrawn,
            EventKind::Amended { .. } => EventType::Amended,
        }
    }

    /// Dates other than the event's own that must not lie in the future.
    pub(crate) fn other_dates(&self) -> Vec<NaiveDate> {
        match self {
            EventKind::Received { channel } => channel.earlier_date().into_iter().collect(),
            EventKind::Extended {
                applicant_notified_on,
                ..
            } => vec![*applicant_notified_on],
            EventKind::FeeNoticeSent {
                received_by_applicant_on,
                ..
            } => received_by_applicant_on.iter().copied().collect(),
            EventKind::Amended { changes, .. } => {
                changes.iter().flat_map(FieldChange::dates).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// An event as stored: its place in the log and who recorded it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1-based position in the application's log, in recording order; `(application id,
    /// seq)` identifies an event.
    pub seq: u32,
    /// The date the event happened in law.
    pub date: NaiveDate,
    #[serde(flatten)]
    pub kind: EventKind,
    /// Free text (reasons, references to letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the event was entered (set by the caller: storage uses the time of the write).
    pub recorded_at: DateTime<Utc>,
    /// The user who entered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

/// An event to append; the log assigns its `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

impl NewEvent {
    /// An event of `date` recorded at the start of that day (UTC), by nobody: for tests and
    /// imports. Interactive callers set `recorded_at` to the time of the write.
    pub fn on(date: NaiveDate, kind: EventKind) -> Self {
        NewEvent {
            date,
            kind,
            note: None,
            recorded_at: date.and_time(chrono::NaiveTime::MIN).and_utc(),
            recorded_by: None,
        }
    }

    /// Sets the note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Sets who recorded the event and when.
    pub fn recorded(mut self, at: DateTime<Utc>, by: impl Into<String>) -> Self {
        self.recorded_at = at;
        self.recorded_by = Some(by.into());
        self
    }
}
