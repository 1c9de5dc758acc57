//! Acceptance: a generated year of 10,000 applications. The computed table 三 equals an
//! independent count from the generator's plan, sections 二 and 四 likewise, every check
//! passes, and carry-over into the next year is right.

mod support;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use gongkai_check::{Severity, check};
use gongkai_format::{APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS};
use gongkai_ledger::{
    AppealResult, Calendar, Decision, DecisionArea, DocumentKind, Settings, YearEnd, YearEndOptions,
};
use gongkai_report::Value;
use rust_decimal::Decimal;
use support::{Generated, d, generate};

/// The expected table 三 of `year` from the plan: rows new, carried, 21 outcomes, total,
/// forward; 7 columns.
fn expected_s3(g: &Generated, year: i32, end: NaiveDate) -> Vec<[i64; 7]> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let mut rows = vec![[0i64; 7]; 25];
    let mut bump = |row: usize, col: usize| {
        rows[row][col] += 1;
        rows[row][6] += 1;
    };
    for t in &g.truth {
        if t.received > end {
            continue;
        }
        let col = t.kind.column();
        let closed_by_end = t.closed.filter(|(x, _)| *x <= end);
        if t.received >= first {
            bump(0, col);
        } else if closed_by_end.is_none_or(|(x, _)| x >= first) {
            bump(1, col);
        } else {
            continue;
        }
        match closed_by_end {
            Some((x, dec)) if x >= first => {
                bump(2 + dec.index(), col);
                bump(23, col);
            }
            _ => bump(24, col),
        }
    }
    rows
}

fn expected_s4(g: &Generated, year: i32, end: NaiveDate) -> [[i64; 5]; 3] {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let mut out = [[0i64; 5]; 3];
    for a in &g.appeals {
        if a.filed < first || a.filed > end {
            continue;
        }
        let col = match a.decided {
            Some((x, r)) if x <= end => match r {
                AppealResult::Upheld => 0,
                AppealResult::Corrected => 1,
                AppealResult::Other => 2,
            },
            _ => 3,
        };
        let g = a.kind.group();
        out[g][col] += 1;
        out[g][4] += 1;
    }
    out
}

fn cell(ye: &YearEnd, id: &str) -> Value {
    ye.report.get(id).unwrap_or_else(|| panic!("{id} is blank"))
}

fn assert_matches_plan(g: &Generated, ye: &YearEnd) {
    let year = ye.options.year;
    let end = ye.period_end;
    let rows = gongkai_format::FormatVersion::Revised2021.s3_rows();
    let want = expected_s3(g, year, end);
    for (r, row) in rows.iter().enumerate() {
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
            let id = format!("s3.{}.{}", row.key, col.key);
            assert_eq!(cell(ye, &id), Value::int(want[r][c]), "{year}: {id}");
        }
    }
    let want = expected_s4(g, year, end);
    for (gi, group) in APPEAL_GROUPS.iter().enumerate() {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            let id = format!("s4.{}.{}", group.key, col.key);
            assert_eq!(cell(ye, &id), Value::int(want[gi][c]), "{year}: {id}");
        }
    }
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let inp = |x: NaiveDate| first <= x && x <= end;
    for (kind, key) in [
        (DocumentKind::Regulation, "regulations"),
        (DocumentKind::NormativeDocument, "normative_documents"),
    ] {
        let docs: Vec<_> = g.documents.iter().filter(|x| x.0 == kind).collect();
        let issued = docs.iter().filter(|x| inp(x.1)).count() as i64;
        let repealed = docs.iter().filter(|x| x.2.is_some_and(inp)).count() as i64;
        let in_force = docs
            .iter()
            .filter(|x| x.1 <= end && x.2.is_none_or(|r| r > end))
            .count() as i64;
        assert_eq!(cell(ye, &format!("s2.{key}.issued")), Value::int(issued));
        assert_eq!(
            cell(ye, &format!("s2.{key}.repealed")),
            Value::int(repealed)
        );
        assert_eq!(
            cell(ye, &format!("s2.{key}.in_force")),
            Value::int(in_force)
        );
    }
    for (area, key) in [
        (DecisionArea::Licensing, "licensing"),
        (DecisionArea::Penalty, "penalties"),
        (DecisionArea::Coercion, "coercion"),
    ] {
        let n: u64 = g
            .decisions
            .iter()
            .filter(|x| x.0 == area && inp(x.1))
            .map(|x| x.2)
            .sum();
        assert_eq!(
            cell(ye, &format!("s2.{key}.decisions")),
            Value::int(n as i64)
        );
    }
    let yuan: Decimal = g.fees.iter().filter(|x| inp(x.0)).map(|x| x.1).sum();
    assert_eq!(
        cell(ye, "s2.fees.amount_10k_yuan").0,
        yuan / Decimal::from(10_000)
    );
}

fn no_errors(ye: &YearEnd) {
    let errors: Vec<_> = check(&ye.report)
        .into_iter()
        // Not the drafts' 【…】 fill-in markers (TXT005): the office writes those.
        .filter(|f| f.severity == Severity::Error && f.code != "TXT005")
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", ye.options.year);
}

fn row_of(ye: &YearEnd, row: &str) -> Vec<Value> {
    APPLICANT_COLUMNS
        .iter()
        .map(|c| cell(ye, &format!("s3.{row}.{}", c.key)))
        .collect()
}

#[test]
fn ten_thousand_applications() {
    let today = d("2026-12-31");
    let g = generate(10_000, d("2024-07-01"), d("2025-12-31"), today, 20_251_231);
    let cal = Calendar::builtin();
    let s = Settings::default();
    let years: Vec<YearEnd> = [2024, 2025, 2026]
        .into_iter()
        .map(|y| g.ledger.year_end(YearEndOptions::year(y), cal, s))
        .collect();
    for ye in &years {
        assert_matches_plan(&g, ye);
        no_errors(ye);
        assert!(ye.warnings.is_empty(), "{:?}", ye.warnings);
    }
    let y2025 = &years[1];
    // The year is busy enough to be a test: every outcome row is used.
    for d in Decision::ALL {
        assert!(
            y2025.figures.outcomes[d.index()][6] > 0,
            "no application in row {}",
            d.row_key()
        );
    }
    assert!(y2025.figures.carried_over[6] > 100);
    assert!(y2025.figures.carried_forward[6] > 100);
    // Carry-over: 二 of N+1 = 四 of N, cell by cell and application by application.
    for pair in years.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        assert_eq!(
            row_of(next, "carried_over"),
            row_of(prev, "carried_forward"),
            "{} → {}",
            prev.options.year,
            next.options.year
        );
        let a: BTreeSet<_> = prev.carried_forward.iter().collect();
        let b: BTreeSet<_> = next.carried_over.iter().collect();
        assert_eq!(a, b);
    }
    // The narrative reads the same numbers as the tables (TXT001 would fire otherwise).
    let s3 = &y2025.report.section(3).unwrap().text;
    assert!(
        s3.contains(&format!(
            "本年度共收到政府信息公开申请{}件",
            y2025.figures.new_received[6]
        )),
        "{s3}"
    );
    println!("{}", serde_json::to_string(&y2025.figures).unwrap());
}

#[test]
fn any_date_during_the_year_balances_and_passes() {
    let today = d("2025-08-15");
    let g = generate(2_000, d("2024-10-01"), d("2025-08-15"), today, 7);
    let cal = Calendar::builtin();
    for as_of in ["2025-01-31", "2025-03-15", "2025-06-30", "2025-08-15"] {
        let opts = YearEndOptions {
            as_of: d(as_of),
            ..YearEndOptions::year(2025)
        };
        let ye = g.ledger.year_end(opts, cal, Settings::default());
        assert_eq!(ye.period_end, d(as_of));
        assert_matches_plan(&g, &ye);
        no_errors(&ye);
        assert!(ye.report.sections[0].text.contains(&format!(
            "至{}止",
            gongkai_ledger::calendar::date_zh(d(as_of))
        )));
    }
    // Reproducing a report as the ledger showed it: events recorded later are ignored.
    let known_by = d("2025-03-15").and_hms_opt(23, 0, 0).unwrap().and_utc();
    let past = g.ledger.year_end(
        YearEndOptions {
            as_of: d("2025-03-15"),
            known_by: Some(known_by),
            ..YearEndOptions::year(2025)
        },
        cal,
        Settings::default(),
    );
    let then = g.ledger.year_end(
        YearEndOptions {
            as_of: d("2025-03-15"),
            ..YearEndOptions::year(2025)
        },
        cal,
        Settings::default(),
    );
    assert_eq!(past.figures, then.figures);
}

#[test]
fn ledger_round_trips_through_json() {
    let g = generate(300, d("2024-11-01"), d("2025-12-31"), d("2026-01-20"), 3);
    let text = serde_json::to_string(&g.ledger).unwrap();
    let back: gongkai_ledger::Ledger = serde_json::from_str(&text).unwrap();
    let cal = Calendar::builtin();
    let a = g
        .ledger
        .year_end(YearEndOptions::year(2025), cal, Settings::default());
    let b = back.year_end(YearEndOptions::year(2025), cal, Settings::default());
    assert_eq!(a.figures, b.figures);
    assert_eq!(a.report, b.report);
    let report_json = serde_json::to_string(&a).unwrap();
    let again: YearEnd = serde_json::from_str(&report_json).unwrap();
    assert_eq!(again.report, a.report);
}
