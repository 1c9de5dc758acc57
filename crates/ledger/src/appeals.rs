//! Reconsideration and litigation cases over disclosure work (section 四).
//!
//! A case records what kind it is (复议; 诉讼 without reconsideration; 诉讼 after
//! reconsideration), when it was filed, and — once concluded — the result and the date.
//! Its status on any date is derived: 尚未审结 until the result's date.
//!
//! Only cases in which this office is the organ whose act is challenged count
//! (国办公开办函〔2016〕201号: a reconsideration organ that is co-defendant only because
//! it decided the reconsideration does not count the case); [`CaseRole`] records that.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::application::ApplicationId;
use crate::error::LedgerError;

/// The three groups of section 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 / 未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼 / 复议后起诉
    LitigationAfterReconsideration,
}

impl AppealKind {
    /// Group index in `gongkai_format::APPEAL_GROUPS`.
    pub fn group(self) -> usize {
        self as usize
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AppealKind::Reconsideration => "行政复议",
            AppealKind::LitigationDirect => "行政诉讼（未经复议直接起诉）",
            AppealKind::LitigationAfterReconsideration => "行政诉讼（复议后起诉）",
        }
    }
}

/// The result of a concluded case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 结果维持
    Upheld,
    /// 结果纠正
    Corrected,
    /// 其他结果
    Other,
}

impl AppealResult {
    pub fn label_zh(self) -> &'static str {
        match self {
            AppealResult::Upheld => "结果维持",
            AppealResult::Corrected => "结果纠正",
            AppealResult::Other => "其他结果",
        }
    }
}

/// A case's status on a date: a result, or 尚未审结.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Upheld,
    Corrected,
    Other,
    /// 尚未审结
    Pending,
}

impl AppealStatus {
    /// Column index in `gongkai_format::APPEAL_COLUMNS` (0..4; 4 is 总计).
    pub fn column(self) -> usize {
        self as usize
    }
}

/// This office's part in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseRole {
    /// The office's own act is challenged: the case counts.
    #[default]
    OriginalActor,
    /// The office is co-defendant only as the reconsideration organ: not counted
    /// (国办公开办函〔2016〕201号).
    ReconsiderationOrgan,
}

/// The conclusion of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AppealConclusion {
    pub result: AppealResult,
    pub decided_on: NaiveDate,
}

/// A reconsideration or litigation case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealCase {
    /// Caller-chosen id.
    pub id: String,
    pub kind: AppealKind,
    /// The day the case was filed (申请复议 / 起诉) or, if unknown, accepted.
    pub filed_on: NaiveDate,
    /// The application the case is about, where known.
    #[serde(default)]
    pub application: Option<ApplicationId>,
    #[serde(default)]
    pub role: CaseRole,
    /// 复议机关 or court.
    #[serde(default)]
    pub body: Option<String>,
    /// 案号.
    #[serde(default)]
    pub case_number: Option<String>,
    /// Set when the case is concluded.
    #[serde(default)]
    pub conclusion: Option<AppealConclusion>,
    pub recorded_at: DateTime<Utc>,
    #[serde(default)]
    pub recorded_by: Option<String>,
    /// The case record this one corrects or voids (更正 / 作废, with the reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<crate::proactive::Supersedes>,
}

impl AppealCase {
    /// The status on `date`.
    pub fn status_at(&self, date: NaiveDate) -> AppealStatus {
        match self.conclusion {
            Some(c) if c.decided_on <= date => match c.result {
                AppealResult::Upheld => AppealStatus::Upheld,
                AppealResult::Corrected => AppealStatus::Corrected,
                AppealResult::Other => AppealStatus::Other,
            },
            _ => AppealStatus::Pending,
        }
    }

    /// Checks the case's own data: dates not in the future, conclusion not before filing.
    pub fn validate(&self, today: NaiveDate) -> Result<(), LedgerError> {
        if self.id.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "案件编号"
            });
        }
        if let Some(s) = &self.supersedes {
            s.check()?;
        }
        let mut dates = vec![self.filed_on];
        if let Some(c) = self.conclusion {
            dates.push(c.decided_on);
            if c.decided_on < self.filed_on {
                return Err(LedgerError::DecidedBeforeFiled {
                    decided: c.decided_on,
                    filed: self.filed_on,
                });
            }
        }
        for date in dates {
            if date > today {
                return Err(LedgerError::FutureDate { date, today });
            }
        }
        Ok(())
    }
}
