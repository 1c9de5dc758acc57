//! The service's error: what the store or the ledger refused, input that is not in a
//! field's vocabulary or cannot be read, and records that do not exist. Every message is
//! Chinese and names the field or the record; [`ServiceError::kind`] says which HTTP
//! status (or exit code) it becomes, [`ServiceError::code`] is the stable English code
//! the JSON API shows.

use gongkai_ledger::UnknownValue;
use gongkai_store::StoreError;

pub use gongkai_store::ErrorKind;

/// An error of a use case. A write that returns an error has changed nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// The store or the ledger refused, or the storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A value that is not in the field's vocabulary (an unknown delivery method …).
    #[error(transparent)]
    Unknown(#[from] UnknownValue),
    /// A field that cannot be read (a bad date, a number that is not one, …).
    #[error("{field}：{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// A text longer than its field's limit ([`crate::limits`]).
    #[error("{field}不能超过 {max} 个字（现有 {len} 个）")]
    TooLong {
        field: &'static str,
        max: usize,
        len: usize,
    },
    /// A request parameter out of its range (a report year of 1900 …).
    #[error("{0}")]
    BadRequest(String),
    /// A record other than an application that does not exist (an appeal, a year).
    #[error("找不到{what}“{id}”")]
    NotFound { what: &'static str, id: String },
    /// The year is not over: its annual report cannot be submitted (the year closed) yet.
    #[error(
        "{year} 年度尚未结束（今天是 {}），年度报告须在 {year} 年 12 月 31 日之后才能提交审核、结束年度",
        date_zh(.today)
    )]
    YearNotOver { year: i32, today: chrono::NaiveDate },
    /// The annual report still has errors (checker findings of severity error).
    #[error(
        "{year} 年度报告还有 {} 个错误，改正后才能提交审核：{}",
        .errors.len(),
        .errors.join("；")
    )]
    ReportHasErrors { year: i32, errors: Vec<String> },
    /// The user holds no `supervisor` role over the node (or the node is outside the
    /// subtrees it supervises).
    #[error("用户“{user}”不是机关“{node}”的监督人员，不能查看其监督数据")]
    NotSupervisor { user: String, node: String },
}

fn date_zh(d: &chrono::NaiveDate) -> String {
    gongkai_ledger::calendar::date_zh(*d)
}

impl ServiceError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// What kind of failure: the front end maps it to a status, nothing else.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::Store(e) => e.kind(),
            ServiceError::Unknown(_)
            | ServiceError::Invalid { .. }
            | ServiceError::TooLong { .. } => ErrorKind::Invalid,
            ServiceError::NotFound { .. } => ErrorKind::NotFound,
            ServiceError::BadRequest(_) => ErrorKind::BadRequest,
            ServiceError::YearNotOver { .. } | ServiceError::ReportHasErrors { .. } => {
                ErrorKind::Conflict
            }
            ServiceError::NotSupervisor { .. } => ErrorKind::Forbidden,
        }
    }

    /// A stable English code, e.g. `future_date`, `unknown_value`.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Store(e) => e.code(),
            ServiceError::Unknown(_) => "unknown_value",
            ServiceError::Invalid { .. } => "invalid_field",
            ServiceError::TooLong { .. } => "too_long",
            ServiceError::NotFound { .. } => "not_found",
            ServiceError::BadRequest(_) => "bad_request",
            ServiceError::YearNotOver { .. } => "year_not_over",
            ServiceError::ReportHasErrors { .. } => "report_has_errors",
            ServiceError::NotSupervisor { .. } => "not_supervisor",
        }
    }

    /// The message for the user: the Chinese message, or a generic one for an internal
    /// failure (whose detail is logged through `tracing` here, never shown).
    pub fn public_message(&self) -> String {
        if self.kind() == ErrorKind::Internal {
            tracing::error!(error = %self, code = self.code(), "storage failure");
            "服务器内部错误，请稍后重试".to_string()
        } else {
            self.to_string()
        }
    }
}

impl From<gongkai_ledger::LedgerError> for ServiceError {
    fn from(e: gongkai_ledger::LedgerError) -> Self {
        ServiceError::Store(StoreError::Ledger(e))
    }
}
