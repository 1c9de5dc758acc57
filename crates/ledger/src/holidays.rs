//! The statutory holidays of 《全国年节及纪念日放假办法》, for a year whose State Council
//! notice (国务院办公厅关于某年部分节假日安排的通知) is not in the calendar yet.
//!
//! The measures fix the holidays; each year's notice then arranges them (joins them to
//! weekends, moves working days to weekends: 调休). Without the notice the arrangement is
//! unknown, but the holidays themselves are law (`shared/spec/regulations.md` §4.1,
//! CONFIRMED), so a deadline in such a year is counted with them rather than with Monday to
//! Friday only, and it still carries [`crate::CalendarWarning::YearNotCovered`].
//!
//! | holiday | days (2024 revision, from 2025) | days (before 2025) |
//! |---|---|---|
//! | 元旦 | 1 January | the same |
//! | 春节 | 除夕 and 正月初一–初三 (4) | 正月初一–初三 (3) |
//! | 清明节 | the day of the solar term 清明 | the same |
//! | 劳动节 | 1–2 May | 1 May |
//! | 端午节 | 五月初五 | the same |
//! | 中秋节 | 八月十五 | the same |
//! | 国庆节 | 1–3 October | the same |
//!
//! Art. 6: a holiday of all citizens that falls on a Saturday or Sunday is made up on a
//! working day (补假): here the first Monday–Friday after it that is not a holiday itself.
//! The 调休 of art. 7 (weekend working days) is left out: only the notice decides it.
//!
//! Lunar dates come from the `nongli` crate (tables for 1900–2100). 清明 is computed with the
//! usual 21st-century formula (`⌊Y × 0.2422 + 4.81⌋ − ⌊Y / 4⌋`, Y = year − 2000):
//! the crate's solar-term table stops at 2039 and has 2007 wrong (6 April; the term fell on
//! 5 April); the tests check the formula against that table for 2008–2039 and against the
//! notices of 2023–2026.

use chrono::{Datelike, NaiveDate, Weekday};
use nongli::ChineseDate;

/// The first and the last year the statutory fallback covers.
/// 2014 is the first year of the 2013 revision (the measures as they stood until 2024);
/// earlier revisions had other holidays and are not modelled.
pub const YEARS: std::ops::RangeInclusive<i32> = 2014..=2099;

/// The first year of the 2024 revision (除夕 and 2 May became holidays).
const REVISED_2024_FROM: i32 = 2025;

/// One statutory holiday of a year: its name and its days off in that year (the holiday
/// days and the make-up days of art. 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryHoliday {
    pub name: &'static str,
    pub days: Vec<NaiveDate>,
}

/// The statutory holidays falling in `year` (with their art. 6 make-up days), or `None`
/// outside [`YEARS`].
pub fn statutory(year: i32) -> Option<Vec<StatutoryHoliday>> {
    if !YEARS.contains(&year) {
        return None;
    }
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let revised = year >= REVISED_2024_FROM;
    let mut raw: Vec<(&'static str, Vec<NaiveDate>)> = Vec::new();
    raw.push(("元旦", vec![ymd(1, 1)?]));
    let spring = lunar(year, 1, 1)?;
    let mut spring_days = Vec::new();
    if revised {
        spring_days.push(spring.pred_opt()?);
    }
    for i in 0..3 {
        spring_days.push(spring + chrono::Days::new(i));
    }
    // 春节 is never before 21 January: every Spring Festival day lies in its own year.
    raw.push(("春节", spring_days));
    raw.push(("清明节", vec![qingming(year)?]));
    raw.push((
        "劳动节",
        if revised {
            vec![ymd(5, 1)?, ymd(5, 2)?]
        } else {
            vec![ymd(5, 1)?]
        },
    ));
    raw.push(("端午节", vec![lunar(year, 5, 5)?]));
    raw.push(("中秋节", vec![lunar(year, 8, 15)?]));
    raw.push(("国庆节", vec![ymd(10, 1)?, ymd(10, 2)?, ymd(10, 3)?]));

    let mut off: Vec<NaiveDate> = raw.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let mut out = Vec::new();
    for (name, days) in raw {
        let mut all = days.clone();
        let last = days.iter().copied().max()?;
        for _ in days.iter().filter(|d| is_weekend(**d)) {
            // Art. 6: the first weekday after the holiday that is not already off.
            let mut m = last;
            loop {
                m = m.succ_opt()?;
                if !is_weekend(m) && !off.contains(&m) {
                    break;
                }
            }
            off.push(m);
            all.push(m);
        }
        all.sort_unstable();
        all.retain(|d| d.year() == year);
        out.push(StatutoryHoliday { name, days: all });
    }
    Some(out)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Gregorian date of lunar `month`/`day` (not leap) of lunar year `year`.
fn lunar(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    if !(1901..=2099).contains(&year) {
        return None;
    }
    let wanted = ChineseDate::new(year, month, false, day)?;
    // Lunar year `year` runs from its new year (21 January – 20 February of `year`) for at
    // most 385 days, so the date lies between 1 January of `year` and 1 March of the next.
    // Found by converting forward rather than with `ChineseDate::to_gregorian`, which in
    // nongli 0.4.1 (the latest release) prints a `dbg!` line to standard error on every
    // call — into the server's log and every CLI run.
    let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
    first
        .iter_days()
        .take(430)
        .find(|d| ChineseDate::from_gregorian(d) == Some(wanted))
}

/// The day of the solar term 清明 (4 or 5 April in this century), 2001–2099.
pub fn qingming(year: i32) -> Option<NaiveDate> {
    if !(2001..=2099).contains(&year) {
        return None;
    }
    let y = f64::from(year - 2000);
    let day = (y * 0.2422 + 4.81).floor() as i32 - (year - 2000) / 4;
    NaiveDate::from_ymd_opt(year, 4, day as u32)
}

#[cfg(test)]
mod tests {
    use nongli::SolarTerm;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(year: i32, name: &str) -> Vec<NaiveDate> {
        statutory(year)
            .unwrap()
            .into_iter()
            .find(|h| h.name == name)
            .unwrap()
            .days
    }

    /// 2027 from the law alone: 元旦 is a Friday; 春节 2027 is 6 February (除夕 5 February, a
    /// Friday), the Saturday and Sunday of it are made up on Tuesday 9 and Wednesday
    /// 10 February; 国庆 1–3 October 2027 is Friday to Sunday, made up on 4 and 5 October.
    #[test]
    fn holidays_of_2027_follow_the_law() {
        assert_eq!(days(2027, "元旦"), [d("2027-01-01")]);
        assert_eq!(
            days(2027, "春节"),
            [
                d("2027-02-05"),
                d("2027-02-06"),
                d("2027-02-07"),
                d("2027-02-08"),
                d("2027-02-09"),
                d("2027-02-10")
            ]
        );
        assert_eq!(days(2027, "清明节"), [d("2027-04-05")]);
        assert_eq!(
            days(2027, "劳动节"),
            [
                d("2027-05-01"),
                d("2027-05-02"),
                d("2027-05-03"),
                d("2027-05-04")
            ]
        );
        assert_eq!(days(2027, "端午节"), [d("2027-06-09")]);
        assert_eq!(days(2027, "中秋节"), [d("2027-09-15")]);
        assert_eq!(
            days(2027, "国庆节"),
            [
                d("2027-10-01"),
                d("2027-10-02"),
                d("2027-10-03"),
                d("2027-10-04"),
                d("2027-10-05")
            ]
        );
    }

    /// The lunar holidays the crate computes fall inside the holidays of the embedded
    /// notices 2023–2026 (除夕 from 2025, when it became a holiday).
    /// The forward search gives the crate's own conversion in every year it covers (the
    /// crate's `dbg!` output is captured by the test harness).
    #[test]
    fn the_lunar_search_agrees_with_the_crate() {
        for year in 1901..=2099 {
            for (month, day) in [(1, 1), (5, 5), (8, 15), (12, 29)] {
                let ours = lunar(year, month, day);
                let theirs = ChineseDate::new(year, month, false, day).map(|c| c.to_gregorian());
                assert_eq!(ours, theirs, "{year}-{month}-{day}");
            }
        }
    }

    #[test]
    fn lunar_dates_agree_with_the_notices() {
        for (year, spring, dragon, moon, qm) in [
            (2023, "2023-01-22", "2023-06-22", "2023-09-29", "2023-04-05"),
            (2024, "2024-02-10", "2024-06-10", "2024-09-17", "2024-04-04"),
            (2025, "2025-01-29", "2025-05-31", "2025-10-06", "2025-04-04"),
            (2026, "2026-02-17", "2026-06-19", "2026-09-25", "2026-04-05"),
        ] {
            assert_eq!(lunar(year, 1, 1), Some(d(spring)), "{year}");
            assert_eq!(lunar(year, 5, 5), Some(d(dragon)), "{year}");
            assert_eq!(lunar(year, 8, 15), Some(d(moon)), "{year}");
            assert_eq!(qingming(year), Some(d(qm)), "{year}");
        }
        assert_eq!(days(2025, "春节")[0], d("2025-01-28"));
    }

    #[test]
    fn the_formula_agrees_with_the_table() {
        let table = |year| {
            (3..=6)
                .filter_map(|d| NaiveDate::from_ymd_opt(year, 4, d))
                .find(|d| SolarTerm::from_date(d) == Some(SolarTerm::Qingming))
        };
        for year in 2008..=2039 {
            assert_eq!(qingming(year), table(year), "{year}");
        }
        assert_eq!(qingming(2007), Some(d("2007-04-05")));
        assert!(qingming(2050).is_some());
        assert!(statutory(2099).is_some());
        assert!(statutory(2100).is_none());
    }

    #[test]
    fn before_2025_the_old_measures_apply() {
        assert_eq!(days(2022, "劳动节").len(), 2); // Sunday 1 May 2022, made up on Monday 2 May
        assert_eq!(days(2022, "劳动节")[1], d("2022-05-02"));
        assert_eq!(days(2022, "春节")[0], d("2022-02-01"));
    }
}
