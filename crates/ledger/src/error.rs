//! Errors (input the ledger refuses) and notices (facts it records but flags).
//!
//! An error means the input cannot be true or breaks a rule the ledger enforces (a reply
//! before receipt, a second correction request, an extension beyond 20 working days, an
//! event after closing): nothing is changed. A [`Notice`] means something happened that the
//! office should look at — typically a statutory time limit that was missed — but it did
//! happen, and the ledger records reality.
//!
//! Messages are Chinese (`Display`); [`LedgerError::code`] is a stable English code for the
//! API layer.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::date_zh;
use crate::decision::Decision;
use crate::event::EventType;

fn zh(d: &NaiveDate) -> String {
    date_zh(*d)
}

/// Input the ledger refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    #[error("日期 {} 晚于今天（{}），不能登记尚未发生的事项", zh(.date), zh(.today))]
    FutureDate { date: NaiveDate, today: NaiveDate },
    #[error("申请编号 {id} 已存在")]
    DuplicateApplication { id: String },
    #[error("找不到申请 {id}")]
    UnknownApplication { id: String },
    #[error("编号 {id} 已存在")]
    DuplicateRecord { id: String },
    #[error("找不到记录 {id}")]
    UnknownRecord { id: String },
    #[error("“{field}”不能为空")]
    EmptyField { field: &'static str },
    #[error("申请尚未登记收到，不能登记“{}”", .event.label_zh())]
    NotReceived { event: EventType },
    #[error("“{}”的日期 {} 早于收到申请的日期 {}", .event.label_zh(), zh(.date), zh(.received))]
    BeforeReceipt {
        event: EventType,
        date: NaiveDate,
        received: NaiveDate,
    },
    #[error("申请已于 {} 登记收到，不能重复登记", zh(.received))]
    DuplicateReceipt { received: NaiveDate },
    #[error("收到日期 {} 早于申请到达或提交的日期 {}（条例第三十一条：以确认或签收之日为收到申请之日）", zh(.date), zh(.earlier))]
    ConfirmedBeforeArrival { date: NaiveDate, earlier: NaiveDate },
    #[error("申请已于 {} 办结（{}），不能再登记“{}”", zh(.closed_on), .closure, .event.label_zh())]
    AfterClosing {
        event: EventType,
        closed_on: NaiveDate,
        closure: String,
    },
    #[error("已于 {} 告知补正；条例第三十条规定补正只能一次性告知", zh(.first))]
    SecondCorrectionRequest { first: NaiveDate },
    #[error("补正期限 {} 早于告知补正的日期 {}", zh(.due), zh(.date))]
    CorrectionDueBeforeRequest { due: NaiveDate, date: NaiveDate },
    #[error("没有待补正的告知，不能登记“{}”", .event.label_zh())]
    NoPendingCorrection { event: EventType },
    #[error("补正期限 {} 尚未届满，不能认定逾期未补正", zh(.due))]
    CorrectionStillOpen { due: NaiveDate },
    #[error("申请人尚在补正期间（期限 {}），不能登记“{}”", zh(.due), .event.label_zh())]
    AwaitingCorrection { due: NaiveDate, event: EventType },
    #[error("“{}”已由专门的事项登记，不能直接作为答复结论：请登记“{}”", .decision.label_zh(), .event.label_zh())]
    DecisionRequiresEvent {
        decision: Decision,
        event: EventType,
    },
    #[error("“补正后申请内容仍不明确”要求申请人已经补正，但本申请没有补正记录")]
    NotCorrectedYet,
    #[error("延长答复期限 {days} 个工作日超过条例第三十三条规定的最长20个工作日")]
    ExtensionTooLong { days: u32 },
    #[error("延长答复期限的天数必须大于0")]
    ExtensionZero,
    #[error("答复期限已于 {} 延长过一次，延长的期限合计不得超过20个工作日", zh(.first))]
    SecondExtension { first: NaiveDate },
    #[error("告知申请人延期的日期 {} 早于延期决定日期 {}", zh(.notified), zh(.date))]
    NotifiedBeforeExtension {
        notified: NaiveDate,
        date: NaiveDate,
    },
    #[error("找不到序号为 {seq} 的征求意见事项")]
    UnknownConsultation { seq: u32 },
    #[error("收到答复的日期 {} 早于第 {seq} 项征求意见发出的日期 {}", zh(.date), zh(.sent))]
    AnsweredBeforeConsultation {
        seq: u32,
        date: NaiveDate,
        sent: NaiveDate,
    },
    #[error("序号为 {seq} 的征求意见已于 {} 收到答复", zh(.answered))]
    ConsultationAlreadyAnswered { seq: u32, answered: NaiveDate },
    #[error("已于 {} 发出收费通知，一件申请只能发出一次收费通知", zh(.first))]
    SecondFeeNotice { first: NaiveDate },
    #[error("申请人收到收费通知的日期 {} 早于通知发出日期 {}", zh(.received), zh(.date))]
    FeeNoticeReceivedBeforeSent {
        received: NaiveDate,
        date: NaiveDate,
    },
    #[error("收费金额 {amount} 元与按收费办法计算的 {expected} 元不一致")]
    FeeAmountMismatch { amount: Decimal, expected: Decimal },
    #[error("收费通知所填申请人本月此前的申请件数为 {stated} 件，台账中为 {actual} 件")]
    MonthlyCountMismatch { stated: u32, actual: u32 },
    #[error("没有待缴的收费通知，不能登记“{}”", .event.label_zh())]
    NoPendingFee { event: EventType },
    #[error("缴费期限 {} 尚未届满，不能认定逾期未缴费", zh(.due))]
    FeeWindowOpen { due: NaiveDate },
    #[error("申请人尚未缴纳信息处理费（缴费期限 {}），不能送达答复", zh(.due))]
    FeePending { due: NaiveDate },
    #[error("已于 {} 确定延迟答复期限，不能再次确定", zh(.first))]
    SecondDelayNotice { first: NaiveDate },
    #[error("延迟答复期限 {} 不晚于通知日期 {}", zh(.deadline), zh(.date))]
    DelayedDeadlineNotLater {
        deadline: NaiveDate,
        date: NaiveDate,
    },
    #[error("尚未作出答复结论，不能登记送达答复")]
    NoDecision,
    #[error("结案日期 {} 早于立案（申请）日期 {}", zh(.decided), zh(.filed))]
    DecidedBeforeFiled {
        decided: NaiveDate,
        filed: NaiveDate,
    },
    #[error("记录所属期间 {} 至 {} 不在同一年度内或起止颠倒", zh(.from), zh(.to))]
    BadPeriod { from: NaiveDate, to: NaiveDate },
    #[error("废止日期 {} 早于制发日期 {}", zh(.repealed), zh(.issued))]
    RepealedBeforeIssued {
        repealed: NaiveDate,
        issued: NaiveDate,
    },
    #[error("金额 {amount} 不能为负数")]
    NegativeAmount { amount: Decimal },
    #[error("更正没有改变任何内容：所填的值与现有登记相同")]
    NothingToAmend,
    #[error("更正的“{field}”原值与台账现有登记不一致（可能已被他人更正），请刷新后重试")]
    AmendStale { field: &'static str },
    #[error("记录 {id} 已被记录 {by} 更正或作废，只能更正现行的记录")]
    Superseded { id: String, by: String },
    #[error("与现行记录 {existing} 的期间重叠，会重复统计；如需修改，请更正该记录")]
    OverlappingRecord { existing: String },
    #[error("更正记录的类型应与原记录 {id} 相同（类型不同请作废原记录后另行登记）")]
    SupersedeKindMismatch { id: String },
}

impl LedgerError {
    /// A stable code for the API, e.g. `future_date`.
    pub fn code(&self) -> &'static str {
        use LedgerError as E;
        match self {
            E::FutureDate { .. } => "future_date",
            E::DuplicateApplication { .. } => "duplicate_application",
            E::UnknownApplication { .. } => "unknown_application",
            E::DuplicateRecord { .. } => "duplicate_record",
            E::UnknownRecord { .. } => "unknown_record",
            E::EmptyField { .. } => "empty_field",
            E::NotReceived { .. } => "not_received",
            E::BeforeReceipt { .. } => "before_receipt",
            E::DuplicateReceipt { .. } => "duplicate_receipt",
            E::ConfirmedBeforeArrival { .. } => "confirmed_before_arrival",
            E::AfterClosing { .. } => "after_closing",
            E::SecondCorrectionRequest { .. } => "second_correction_request",
            E::CorrectionDueBeforeRequest { .. } => "correction_due_before_request",
            E::NoPendingCorrection { .. } => "no_pending_correction",
            E::CorrectionStillOpen { .. } => "correction_still_open",
            E::AwaitingCorrection { .. } => "awaiting_correction",
            E::DecisionRequiresEvent { .. } => "decision_requires_event",
            E::NotCorrectedYet => "not_corrected_yet",
            E::ExtensionTooLong { .. } => "extension_too_long",
            E::ExtensionZero => "extension_zero",
            E::SecondExtension { .. } => "second_extension",
            E::NotifiedBeforeExtension { .. } => "notified_before_extension",
            E::UnknownConsultation { .. } => "unknown_consultation",
            E::AnsweredBeforeConsultation { .. } => "answered_before_consultation",
            E::ConsultationAlreadyAnswered { .. } => "consultation_already_answered",
            E::SecondFeeNotice { .. } => "second_fee_notice",
            E::FeeNoticeReceivedBeforeSent { .. } => "fee_notice_received_before_sent",
            E::FeeAmountMismatch { .. } => "fee_amount_mismatch",
            E::MonthlyCountMismatch { .. } => "monthly_count_mismatch",
            E::NoPendingFee { .. } => "no_pending_fee",
            E::FeeWindowOpen { .. } => "fee_window_open",
            E::FeePending { .. } => "fee_pending",
            E::SecondDelayNotice { .. } => "second_delay_notice",
            E::DelayedDeadlineNotLater { .. } => "delayed_deadline_not_later",
            E::NoDecision => "no_decision",
            E::DecidedBeforeFiled { .. } => "decided_before_filed",
            E::BadPeriod { .. } => "bad_period",
            E::RepealedBeforeIssued { .. } => "repealed_before_issued",
            E::NegativeAmount { .. } => "negative_amount",
            E::NothingToAmend => "nothing_to_amend",
            E::AmendStale { .. } => "amend_stale",
            E::Superseded { .. } => "superseded",
            E::OverlappingRecord { .. } => "overlapping_record",
            E::SupersedeKindMismatch { .. } => "supersede_kind_mismatch",
        }
    }
}

/// Something recorded that the office should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Notice {
    /// Ordinary mail confirmed later than the day it arrived (art. 31(2): confirm on the
    /// day of receipt).
    MailConfirmedLate {
        arrived_on: NaiveDate,
        confirmed_on: NaiveDate,
    },
    /// The correction request came after the 7 working days of art. 30.
    CorrectionRequestLate { date: NaiveDate, limit: NaiveDate },
    /// The corrected application arrived after the correction deadline (accepted).
    CorrectedAfterDue { date: NaiveDate, due: NaiveDate },
    /// The extension was decided after the reply deadline had passed.
    ExtensionAfterDeadline {
        date: NaiveDate,
        deadline: NaiveDate,
    },
    /// The fee notice was sent after the reply deadline (it must be sent within the
    /// processing period).
    FeeNoticeAfterDeadline {
        date: NaiveDate,
        deadline: NaiveDate,
    },
    /// The fee was paid after the payment window (accepted).
    PaidAfterDue { date: NaiveDate, due: NaiveDate },
    /// The reply was sent after the deadline.
    RepliedLate {
        date: NaiveDate,
        deadline: NaiveDate,
    },
    /// No reply yet and the deadline has passed.
    Overdue {
        as_of: NaiveDate,
        deadline: NaiveDate,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::MailConfirmedLate {
                arrived_on,
                confirmed_on,
            } => write!(
                f,
                "平常信函 {} 到达，{} 才与申请人确认（条例第三十一条：应当于收到申请的当日确认）",
                zh(arrived_on),
                zh(confirmed_on)
            ),
            Notice::CorrectionRequestLate { date, limit } => write!(
                f,
                "{} 告知补正，超过条例第三十条规定的收到申请之日起7个工作日（应不晚于 {}）",
                zh(date),
                zh(limit)
            ),
            Notice::CorrectedAfterDue { date, due } => write!(
                f,
                "申请人 {} 补正，晚于补正期限 {}（已按补正受理）",
                zh(date),
                zh(due)
            ),
            Notice::ExtensionAfterDeadline { date, deadline } => write!(
                f,
                "{} 决定延期时答复期限（{}）已经届满",
                zh(date),
                zh(deadline)
            ),
            Notice::FeeNoticeAfterDeadline { date, deadline } => write!(
                f,
                "{} 发出收费通知，晚于答复期限 {}（收费通知应在办理期限内发出）",
                zh(date),
                zh(deadline)
            ),
            Notice::PaidAfterDue { date, due } => write!(
                f,
                "申请人 {} 缴费，晚于缴费期限 {}（已按缴费处理）",
                zh(date),
                zh(due)
            ),
            Notice::RepliedLate { date, deadline } => {
                write!(f, "{} 送达答复，超过答复期限 {}", zh(date), zh(deadline))
            }
            Notice::Overdue { as_of, deadline } => write!(
                f,
                "截至 {} 尚未答复，已超过答复期限 {}",
                zh(as_of),
                zh(deadline)
            ),
        }
    }
}
