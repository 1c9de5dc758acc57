//! 政府信息公开年报 (arts 49–50): every annual report whose review is approved, as the
//! office approved it (the figures frozen at its submission, the narrative then in force).
//! A report sent back, reopened or still in review is not public.

use chrono::{Datelike, NaiveDate};
use gongkai_store::{Agency, ReviewStatus, ReviewSubject};
use serde::Serialize;

use crate::error::ServiceError;
use crate::year_end::check_year;
use crate::{Result, Service};

/// The first report year the portal looks for (the Regulations took effect in 2008).
const FIRST_YEAR: i32 = 2008;

/// An approved annual report in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicReport {
    pub year: i32,
    /// The day the leader approved it.
    pub approved_on: Option<NaiveDate>,
}

impl Service {
    /// The agency's approved annual reports, newest first.
    pub async fn portal_reports(&self, agency: &Agency) -> Result<Vec<PublicReport>> {
        let store = self.public_store(agency);
        let last = self.current_date().year();
        let mut out = Vec::new();
        // Only the years with a review at all (one query), not every year since 2008.
        let years = store.reviewed_report_years().await?;
        for year in years
            .into_iter()
            .rev()
            .filter(|y| (FIRST_YEAR..=last).contains(y))
        {
            let review = store.review(&ReviewSubject::AnnualReport { year }).await?;
            if review.status == ReviewStatus::Approved {
                let approved_on = review
                    .steps
                    .iter()
                    .rev()
                    .find(|s| s.action == gongkai_store::ReviewAction::Approve)
                    .map(|s| {
                        s.at.with_timezone(&gongkai_store::model::china_offset())
                            .date_naive()
                    });
                out.push(PublicReport { year, approved_on });
            }
        }
        Ok(out)
    }

    /// The approved report of `year` (`NotFound` unless approved).
    pub async fn portal_report(
        &self,
        agency: &Agency,
        year: i32,
    ) -> Result<gongkai_report::Report> {
        let year = check_year(year)?;
        let service = self.in_agency(agency.id);
        let official = service.official_year_end(year, None).await?;
        if official.review.status != ReviewStatus::Approved {
            return Err(ServiceError::NotFound {
                what: "年度报告",
                id: year.to_string(),
            });
        }
        Ok(official.year_end.report)
    }
}
