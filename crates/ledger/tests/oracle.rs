//! The embedded calendar against an independent source: the `chinese_holiday` crate
//! (a test oracle only; the ledger's data are the notices in `data/calendar/`).

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::{Calendar, DayKind};

#[test]
fn every_day_of_2023_to_2026_agrees_with_chinese_holiday() {
    let cal = Calendar::builtin();
    let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    // The oracle's data end on 2026-12-25.
    let last = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let mut checked = 0;
    let mut special = 0;
    while day <= last {
        let oracle = chinese_holiday::chinese_holiday((
            day.year() as u16,
            day.month() as u8,
            day.day() as u8,
        ));
        let ours = cal.is_working_day(day);
        assert!(ours.is_certain(), "{day}");
        assert_eq!(
            ours.value,
            oracle.is_workday(),
            "{day}: oracle says {oracle:?}"
        );
        let kind = cal.day(day).kind;
        if matches!(kind, DayKind::Holiday | DayKind::MakeUpWorkday) {
            special += 1;
        }
        checked += 1;
        day = day.succ_opt().unwrap();
    }
    assert_eq!(checked, 365 * 3 + 366 - 6);
    assert!(special > 100);
}
