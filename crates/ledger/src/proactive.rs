//! Records for section 二 (主动公开政府信息情况, 2021 layout): rules and normative documents
//! issued, repealed and in force (art. 20(1)); licensing, penalty and coercion decisions
//! (art. 20(5), (6)); administrative fees collected (art. 20(8)), reported in 万元.
//!
//! Documents are recorded one by one (with their real issue dates, however old), so the
//! number in force on any date is derived. Decisions and fees are recorded as counts and
//! amounts per period (a month, a quarter …) inside one calendar year; a year's figure is
//! the sum of the periods that end in it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::LedgerError;

/// 规章 or 行政规范性文件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 规章
    Regulation,
    /// 行政规范性文件
    NormativeDocument,
}

impl DocumentKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            DocumentKind::Regulation => "规章",
            DocumentKind::NormativeDocument => "行政规范性文件",
        }
    }
}

/// A rule or normative document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub kind: DocumentKind,
    pub title: String,
    /// 文号.
    #[serde(default)]
    pub number: Option<String>,
    pub issued_on: NaiveDate,
    #[serde(default)]
    pub repealed_on: Option<NaiveDate>,
}

/// The area of a decision count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionArea {
    /// 行政许可
    Licensing,
    /// 行政处罚
    Penalty,
    /// 行政强制
    Coercion,
}

impl DecisionArea {
    pub fn label_zh(self) -> &'static str {
        match self {
            DecisionArea::Licensing => "行政许可",
            DecisionArea::Penalty => "行政处罚",
            DecisionArea::Coercion => "行政强制",
        }
    }
}

/// Decisions made in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionCount {
    pub area: DecisionArea,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub count: u64,
}

/// Administrative fees (行政事业性收费) collected in a period, in 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeIncome {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub amount_yuan: Decimal,
}

/// What a proactive record is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProactiveData {
    Document(DocumentRecord),
    Decisions(DecisionCount),
    Fees(FeeIncome),
}

/// A record that replaces an earlier one (更正) or withdraws it (作废), with the reason.
/// The earlier record is kept; only the current version of a figure is ever counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supersedes {
    /// The record replaced.
    pub id: String,
    pub reason: String,
    /// True: the earlier record is withdrawn (作废), and this one counts for nothing either.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub void: bool,
}

impl Supersedes {
    pub(crate) fn check(&self) -> Result<(), LedgerError> {
        if self.reason.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: if self.void {
                    "作废理由"
                } else {
                    "更正理由"
                },
            });
        }
        Ok(())
    }
}

/// A record for section 二.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProactiveRecord {
    /// Caller-chosen id.
    pub id: String,
    #[serde(flatten)]
    pub data: ProactiveData,
    pub recorded_at: DateTime<Utc>,
    #[serde(default)]
    pub recorded_by: Option<String>,
    /// The record this one corrects or voids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Supersedes>,
}

impl ProactiveData {
    /// `document`, `decisions`, `fees`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ProactiveData::Document(_) => "document",
            ProactiveData::Decisions(_) => "decisions",
            ProactiveData::Fees(_) => "fees",
        }
    }

    /// Whether two records would count the same figure twice: decision counts of one area
    /// or fee incomes over overlapping periods, or the same document (kind and 文号).
    pub fn overlaps(&self, other: &ProactiveData) -> bool {
        let periods =
            |a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)| a.0 <= b.1 && b.0 <= a.1;
        match (self, other) {
            (ProactiveData::Decisions(a), ProactiveData::Decisions(b)) => {
                a.area == b.area && periods((a.from, a.to), (b.from, b.to))
            }
            (ProactiveData::Fees(a), ProactiveData::Fees(b)) => {
                periods((a.from, a.to), (b.from, b.to))
            }
            (ProactiveData::Document(a), ProactiveData::Document(b)) => {
                a.kind == b.kind
                    && a.number
                        .as_deref()
                        .map(str::trim)
                        .is_some_and(|n| !n.is_empty())
                    && a.number.as_deref().map(str::trim) == b.number.as_deref().map(str::trim)
            }
            _ => false,
        }
    }
}

impl ProactiveRecord {
    /// Checks the record's own data.
    pub fn validate(&self, today: NaiveDate) -> Result<(), LedgerError> {
        if self.id.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "记录编号"
            });
        }
        if let Some(s) = &self.supersedes {
            s.check()?;
        }
        let future = |date: NaiveDate| {
            if date > today {
                Err(LedgerError::FutureDate { date, today })
            } else {
                Ok(())
            }
        };
        let period = |from: NaiveDate, to: NaiveDate| {
            if from > to || from.year() != to.year() {
                Err(LedgerError::BadPeriod { from, to })
            } else {
                Ok(())
            }
        };
        match &self.data {
            ProactiveData::Document(d) => {
                if d.title.trim().is_empty() {
                    return Err(LedgerError::EmptyField {
                        field: "文件名称"
                    });
                }
                future(d.issued_on)?;
                if let Some(r) = d.repealed_on {
                    future(r)?;
                    if r < d.issued_on {
                        return Err(LedgerError::RepealedBeforeIssued {
                            repealed: r,
                            issued: d.issued_on,
                        });
                    }
                }
            }
            ProactiveData::Decisions(c) => {
                period(c.from, c.to)?;
                future(c.to)?;
            }
            ProactiveData::Fees(f) => {
                period(f.from, f.to)?;
                future(f.to)?;
                if f.amount_yuan.is_sign_negative() && !f.amount_yuan.is_zero() {
                    return Err(LedgerError::NegativeAmount {
                        amount: f.amount_yuan,
                    });
                }
            }
        }
        Ok(())
    }
}
