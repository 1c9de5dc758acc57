//! The official year-end report of a year: once the annual report is submitted for review
//! (“the year is closed”), the figures are those known at the submission, whatever is
//! recorded later; before (or after it is sent back or reopened) they are computed live as of today
//! (at most 31 December). The command line, the pages and the API all print this one.
//!
//! The running text and the 落款 are the narrative the office saved (see
//! [`crate::narrative`]) over the ledger's drafts: the latest version for a live report,
//! the version in force at the submission for a frozen one.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_ledger::{YearEnd, YearEndOptions};
use gongkai_store::{Review, ReviewStatus, ReviewSubject};
use serde::Serialize;

use crate::error::ServiceError;
use crate::{Result, Service};

/// The report of a year as it officially stands.
#[derive(Debug, Clone, Serialize)]
pub struct Official {
    pub year: i32,
    pub year_end: YearEnd,
    /// The annual report's review.
    pub review: Review,
    /// When the figures were frozen (the submission), if they are.
    pub frozen_at: Option<DateTime<Utc>>,
    /// The ledger date the figures are computed on.
    pub as_of: NaiveDate,
    /// The narrative version in the report (`None`: the ledger's drafts throughout).
    pub narrative: Option<gongkai_store::Narrative>,
    /// The ledger's drafts of the six sections, before the narrative replaced them.
    pub drafts: Vec<String>,
}

/// `known_by` and `as_of` of the submission under review, when the report has been
/// submitted and not sent back.
pub fn frozen_at(review: &Review) -> Option<(DateTime<Utc>, NaiveDate)> {
    if matches!(
        review.status,
        ReviewStatus::NotSubmitted
            | ReviewStatus::SentBack
            | ReviewStatus::Reopened
            | ReviewStatus::NeedsReReview
    ) {
        return None;
    }
    let sub = gongkai_store::review::current_submission(&review.steps)?;
    let get = |key: &str| sub.snapshot.get(key).cloned();
    let known_by = serde_json::from_value(get("known_by")?).ok()?;
    let as_of = serde_json::from_value(get("as_of")?).ok()?;
    Some((known_by, as_of))
}

/// A report year the ledger accepts (2008, the first year of the Regulations, to 9999).
pub fn check_year(year: i32) -> Result<i32> {
    if (2008..=9999).contains(&year) {
        Ok(year)
    } else {
        Err(ServiceError::BadRequest(format!(
            "年度 {year} 不在 2008 至 9999 之间"
        )))
    }
}

/// The year a year selector starts on: the year being reported in January, else this year.
pub fn default_year(today: NaiveDate) -> i32 {
    if today.month() == 1 {
        today.year() - 1
    } else {
        today.year()
    }
}

impl Service {
    /// The official report of `year` (module docs). `as_of` overrides the live date (for
    /// a live report only; a frozen report is always the frozen one).
    pub async fn official_year_end(&self, year: i32, as_of: Option<NaiveDate>) -> Result<Official> {
        let year = check_year(year)?;
        let review = self
            .store
            .review(&ReviewSubject::AnnualReport { year })
            .await?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let mut opts = YearEndOptions::year(year);
        let frozen = frozen_at(&review);
        match frozen {
            Some((known_by, frozen_as_of)) => {
                opts.known_by = Some(known_by);
                opts.as_of = frozen_as_of;
            }
            None => opts.as_of = as_of.unwrap_or_else(|| self.current_date()).min(last),
        }
        // REG001 against the previous year's report as submitted, if it was.
        let previous = match year.checked_sub(1).and_then(|y| check_year(y).ok()) {
            Some(y) => frozen_at(
                &self
                    .store
                    .review(&ReviewSubject::AnnualReport { year: y })
                    .await?,
            ),
            None => None,
        };
        let mut year_end = self.store.year_end_against(opts, previous).await?;
        let drafts = year_end
            .report
            .sections
            .iter()
            .map(|s| s.text.clone())
            .collect();
        let narrative = self
            .store
            .narrative_as_of(year, frozen.map(|f| f.0))
            .await?;
        if let Some(n) = &narrative {
            crate::narrative::apply(&mut year_end.report, &n.text);
        }
        Ok(Official {
            year,
            year_end,
            review,
            frozen_at: frozen.map(|f| f.0),
            as_of: opts.as_of,
            narrative,
            drafts,
        })
    }
}
