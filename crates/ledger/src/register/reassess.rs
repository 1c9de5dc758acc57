//! Art. 18: 行政机关应当建立健全政府信息管理动态调整机制，对本行政机关不予公开的政府信息进行
//! 定期评估审查，对因情势变化可以公开的政府信息应当公开. A withheld item is re-assessed
//! every `RegisterSettings::reassess_months`; the outcome is recorded with its reason.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::register::item::{Disclosure, WithholdBasis};

/// What a re-assessment decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReassessOutcome {
    /// 继续不予公开 (on the same or another basis).
    Keep,
    /// 转为主动公开: the art. 26 clock starts on the re-assessment date.
    Release,
    /// 转为依申请公开.
    OnRequest,
}

impl ReassessOutcome {
    pub fn label_zh(self) -> &'static str {
        match self {
            ReassessOutcome::Keep => "继续不予公开",
            ReassessOutcome::Release => "转为主动公开",
            ReassessOutcome::OnRequest => "转为依申请公开",
        }
    }

    /// The item's 公开属性 after the re-assessment (`basis`: the basis kept, for `Keep`).
    pub fn disclosure(self, basis: WithholdBasis) -> Disclosure {
        match self {
            ReassessOutcome::Keep => Disclosure::Withheld { basis },
            ReassessOutcome::Release => Disclosure::Proactive,
            ReassessOutcome::OnRequest => Disclosure::OnRequest,
        }
    }
}

/// The next re-assessment of an item withheld (or kept withheld) on `from`, `months` later
/// (the last day of a shorter month when the day does not exist).
pub fn next_reassessment(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months.max(1)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_date_is_months_later() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(next_reassessment(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(next_reassessment(d("2025-03-03"), 12), d("2026-03-03"));
        assert_eq!(next_reassessment(d("2025-03-03"), 0), d("2025-04-03"));
        assert_eq!(
            ReassessOutcome::Keep.disclosure(WithholdBasis::Process),
            Disclosure::Withheld {
                basis: WithholdBasis::Process
            }
        );
    }
}
