//! The art. 26 clock: information of proactive disclosure is published within 20 working
//! days of its formation or change (生成日期), unless a law or regulation says otherwise.
//! Counting as for replies (`regulations.md` §4): the day of formation is not counted, and
//! the deadline is a working day on the holiday calendar (调休 make-up days included). The
//! item counts as published on the earliest date on any of its channels.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarWarning};

/// Art. 26: 20 working days.
pub const PUBLISH_WITHIN_WORKING_DAYS: u32 = 20;

/// Where an item stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Published on or before the deadline.
    OnTime { published_on: NaiveDate },
    /// Published after the deadline, by this many working days.
    Late {
        published_on: NaiveDate,
        working_days_late: u32,
    },
    /// Not yet published; this many working days left (0: due today).
    Open { working_days_left: u32 },
    /// Not yet published and within the agency's due-soon window.
    DueSoon { working_days_left: u32 },
    /// Not published and past the deadline by this many working days.
    Overdue { working_days_over: u32 },
}

impl PublicationStatus {
    pub fn label_zh(&self) -> &'static str {
        match self {
            PublicationStatus::OnTime { .. } => "按时发布",
            PublicationStatus::Late { .. } => "逾期发布",
            PublicationStatus::Open { .. } => "待发布",
            PublicationStatus::DueSoon { .. } => "即将到期",
            PublicationStatus::Overdue { .. } => "已逾期未发布",
        }
    }
}

/// The clock of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationClock {
    pub formed_on: NaiveDate,
    /// The last day to publish.
    pub due: NaiveDate,
    pub status: PublicationStatus,
    /// Years the calendar does not cover (the deadline is then counted on weekends only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<CalendarWarning>,
}

impl PublicationClock {
    /// The clock of an item formed on `formed_on`, first published on `first_published`,
    /// seen on `today`; `due_soon` working days before the deadline it is due soon.
    pub fn new(
        calendar: &Calendar,
        formed_on: NaiveDate,
        first_published: Option<NaiveDate>,
        today: NaiveDate,
        due_soon: u32,
    ) -> Self {
        let due = calendar.add_working_days(formed_on, PUBLISH_WITHIN_WORKING_DAYS);
        let mut warnings = due.warnings;
        let due = due.value;
        let status = match first_published {
            Some(p) if p <= due => PublicationStatus::OnTime { published_on: p },
            Some(p) => {
                let late = calendar.working_days_between(due, p);
                warnings.extend(late.warnings);
                PublicationStatus::Late {
                    published_on: p,
                    working_days_late: late.value,
                }
            }
            None if today > due => {
                let over = calendar.working_days_between(due, today);
                warnings.extend(over.warnings);
                PublicationStatus::Overdue {
                    working_days_over: over.value,
                }
            }
            None => {
                let left = calendar.working_days_between(today, due);
                warnings.extend(left.warnings);
                if left.value <= due_soon {
                    PublicationStatus::DueSoon {
                        working_days_left: left.value,
                    }
                } else {
                    PublicationStatus::Open {
                        working_days_left: left.value,
                    }
                }
            }
        };
        warnings.dedup();
        PublicationClock {
            formed_on,
            due,
            status,
            warnings,
        }
    }
}

/// The on-time rate of the items published: `(on time, published, rate)`; `rate` is
/// `None` when nothing was published (shown as “—”, never 0 %).
pub fn on_time_rate<'a>(
    clocks: impl IntoIterator<Item = &'a PublicationClock>,
) -> (u64, u64, Option<f64>) {
    let (mut on_time, mut published) = (0u64, 0u64);
    for c in clocks {
        match c.status {
            PublicationStatus::OnTime { .. } => {
                on_time += 1;
                published += 1;
            }
            PublicationStatus::Late { .. } => published += 1,
            _ => {}
        }
    }
    let rate = (published > 0).then(|| on_time as f64 / published as f64);
    (on_time, published, rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twenty_working_days_over_the_national_day_holiday() {
        // 2025: 10-01..10-08 off, 09-28 and 10-11 make-up working days.
        let cal = Calendar::builtin();
        let c = PublicationClock::new(cal, d("2025-09-26"), None, d("2025-09-26"), 5);
        // Working days after 09-26: 09-28(补), 29, 30, 10-09, 10, 11(补), 13..17, 20..24,
        // 27, 28, 29, 30.
        assert_eq!(c.due, d("2025-10-30"));
        assert_eq!(
            c.status,
            PublicationStatus::Open {
                working_days_left: 20
            }
        );
        assert!(c.warnings.is_empty());
        let c = PublicationClock::new(cal, d("2025-09-26"), None, d("2025-10-23"), 5);
        assert_eq!(
            c.status,
            PublicationStatus::DueSoon {
                working_days_left: 5
            }
        );
        let c = PublicationClock::new(cal, d("2025-09-26"), None, d("2025-10-31"), 5);
        assert_eq!(
            c.status,
            PublicationStatus::Overdue {
                working_days_over: 1
            }
        );
        let c = PublicationClock::new(
            cal,
            d("2025-09-26"),
            Some(d("2025-10-29")),
            d("2025-12-01"),
            5,
        );
        assert_eq!(
            c.status,
            PublicationStatus::OnTime {
                published_on: d("2025-10-29")
            }
        );
        let c = PublicationClock::new(
            cal,
            d("2025-09-26"),
            Some(d("2025-11-03")),
            d("2025-12-01"),
            5,
        );
        assert_eq!(
            c.status,
            PublicationStatus::Late {
                published_on: d("2025-11-03"),
                working_days_late: 2
            }
        );
    }

    #[test]
    fn the_rate_counts_published_items_only() {
        let cal = Calendar::builtin();
        let on = PublicationClock::new(
            cal,
            d("2025-03-03"),
            Some(d("2025-03-04")),
            d("2025-06-01"),
            5,
        );
        let late = PublicationClock::new(
            cal,
            d("2025-03-03"),
            Some(d("2025-05-04")),
            d("2025-06-01"),
            5,
        );
        let open = PublicationClock::new(cal, d("2025-05-30"), None, d("2025-06-01"), 5);
        assert_eq!(on_time_rate([&on, &late, &open]), (1, 2, Some(0.5)));
        assert_eq!(on_time_rate([&open]), (0, 0, None));
    }

    #[test]
    fn an_uncovered_year_is_warned() {
        let cal = Calendar::builtin();
        let c = PublicationClock::new(cal, d("2031-03-03"), None, d("2031-03-03"), 5);
        assert!(!c.warnings.is_empty());
    }
}
