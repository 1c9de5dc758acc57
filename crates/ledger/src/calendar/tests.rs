//! Tests of the calendar: the embedded notices, the statutory fallback, directories and
//! file errors.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn embedded_years_load() {
    let cal = Calendar::embedded();
    assert_eq!(cal.years().collect::<Vec<_>>(), [2023, 2024, 2025, 2026]);
    let n = cal.arrangement(2025).unwrap();
    assert_eq!(n.notice.number.as_deref(), Some("国办发明电〔2024〕12号"));
    assert_eq!(n.notice.issued, Some(d("2024-11-12")));
    assert_eq!(cal.arrangement(2026).unwrap().notice.number, None);
}

/// §4.3 (DERIVED): weekday holidays, weekend working days and working days per year.
#[test]
fn yearly_totals_match_the_spec() {
    let cal = Calendar::embedded();
    for (year, weekday_holidays, makeup, working) in [
        (2023, 18, 7, 249),
        (2024, 19, 8, 251),
        (2025, 18, 5, 248),
        (2026, 19, 6, 248),
    ] {
        let mut wh = 0;
        let mut mu = 0;
        let mut wd = 0;
        let mut day = d(&format!("{year}-01-01"));
        while day.year() == year {
            let (kind, covered) = cal.kind(day);
            assert!(covered);
            if kind == DayKind::Holiday && weekday_kind(day) == DayKind::Workday {
                wh += 1;
            }
            if kind == DayKind::MakeUpWorkday {
                mu += 1;
            }
            if kind.is_working() {
                wd += 1;
            }
            day = next_day(day);
        }
        assert_eq!((wh, mu, wd), (weekday_holidays, makeup, working), "{year}");
    }
}

#[test]
fn cross_year_new_year_holiday_is_kept_in_its_file() {
    let cal = Calendar::embedded();
    // 2022-12-31 comes from the 2023 notice but 2022 has no notice of its own.
    assert!(!cal.covers(d("2022-12-31")));
    assert_eq!(cal.day(d("2023-01-02")).holiday.as_deref(), Some("元旦"));
    assert_eq!(cal.day(d("2023-01-02")).kind, DayKind::Holiday);
}

#[test]
fn uncovered_year_warns_and_counts_the_statutory_holidays() {
    let cal = Calendar::embedded();
    let r = cal.is_working_day(d("2027-01-04"));
    assert!(r.value);
    assert_eq!(r.warnings, [CalendarWarning::YearNotCovered { year: 2027 }]);
    assert!(r.warnings[0].to_string().contains("2027年"));
    assert!(
        r.warnings[0]
            .to_string()
            .contains("全国年节及纪念日放假办法")
    );
    // 元旦 2027 is a Friday and a holiday by law, never a working day.
    let day = cal.day(d("2027-01-01"));
    assert_eq!((day.kind, day.covered), (DayKind::Holiday, false));
    assert_eq!(day.holiday.as_deref(), Some("元旦"));
    assert!(!cal.is_working_day(d("2027-01-01")).value);
    // 2026-12-15 + 20 working days runs into 2027 and skips 1 January.
    let r = cal.add_working_days(d("2026-12-15"), 20);
    assert_eq!(r.value, d("2027-01-13"));
    assert_eq!(r.warnings, [CalendarWarning::YearNotCovered { year: 2027 }]);
    // A period ending on 1 January 2027 moves to Monday 4 January.
    let r = cal.add_working_days(d("2026-12-04"), 20);
    assert_eq!(r.value, d("2027-01-04"));
    let r = cal.add_working_days(d("2026-11-02"), 20);
    assert!(r.is_certain());
    // 春节 2027 (除夕 5 February … 初三 8 February, the weekend made up on 9 and 10).
    for day in ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"] {
        assert_eq!(cal.day(d(day)).kind, DayKind::Holiday, "{day}");
    }
    assert_eq!(cal.day(d("2027-02-11")).kind, DayKind::Workday);
    for day in ["2027-10-01", "2027-10-04", "2027-10-05"] {
        assert_eq!(cal.day(d(day)).kind, DayKind::Holiday, "{day}");
    }
    // Outside the modelled years: Monday to Friday, still warned.
    assert_eq!(cal.day(d("2101-01-03")).kind, DayKind::Workday);
}

#[test]
fn a_directory_adds_and_replaces_years() {
    let dir = std::env::temp_dir().join(format!("gongkai-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2027.toml"),
        r#"year = 2027
[notice]
title = "国务院办公厅关于2027年部分节假日安排的通知"
issued = 2026-11-05
status = "unconfirmed"
[[holidays]]
name = "元旦"
from = 2027-01-01
to = "2027-01-03"
make_up = ["2027-01-09"]
"#,
    )
    .unwrap();
    let cal = Calendar::with_dir(&dir).unwrap();
    assert!(cal.covers(d("2027-06-01")));
    // The file overrides the statutory fallback: 2 and 3 January are off, 4 January
    // is a working day, and 9 January (a Saturday) is worked.
    assert_eq!(cal.day(d("2027-01-03")).kind, DayKind::Holiday);
    assert!(cal.day(d("2027-01-03")).covered);
    assert_eq!(cal.day(d("2027-02-09")).kind, DayKind::Workday);
    assert_eq!(cal.day(d("2027-01-01")).kind, DayKind::Holiday);
    assert_eq!(cal.day(d("2027-01-09")).kind, DayKind::MakeUpWorkday);
    assert!(cal.add_working_days(d("2026-12-15"), 20).is_certain());
    std::fs::write(dir.join("bad.toml"), "year = 2028\n[notice]\ntitle = \"x\"\nstatus = \"confirmed\"\n[[holidays]]\nname = \"a\"\nfrom = \"2028-02-30\"\nto = \"2028-03-01\"\n").unwrap();
    let err = Calendar::with_dir(&dir).unwrap_err().to_string();
    assert!(err.contains("2028-02-30"), "{err}");
    assert!(err.contains("bad.toml 第 7 行"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_files_are_refused_with_reasons() {
    let base = "year = 2027\n[notice]\ntitle = \"t\"\nstatus = \"confirmed\"\n";
    let cases = [
        (
            "[[holidays]]\nname = \"a\"\nfrom = \"2027-01-05\"\nto = \"2027-01-01\"\n",
            "晚于",
        ),
        (
            "[[holidays]]\nname = \"a\"\nfrom = \"2027-01-01\"\nto = \"2027-01-01\"\nmake_up = [\"2027-01-05\"]\n",
            "不是星期六或星期日",
        ),
        (
            "[[holidays]]\nname = \"a\"\nfrom = \"2030-01-01\"\nto = \"2030-01-01\"\n",
            "不在 2027 年前后",
        ),
        ("[[holidays]]\nname = \"a\"\n", "第 5 行格式错误"),
        ("[[holidays]]\nname = \"a\"\nfrom = [\n", "第 7 行格式错误"),
    ];
    for (tail, want) in cases {
        let err = YearArrangement::from_toml(&format!("{base}{tail}"), "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{err}");
    }
}
