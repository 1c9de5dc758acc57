//! The year-end as a sum of the applications' contributions, kept up to date by delta
//! (issue 18 §3): a sum made from a ledger as it was, then corrected application by
//! application (old contribution out, new one in), gives through `year_end_from` — with the
//! applications not at hand — the same figures and report as the whole ledger now.

mod support;

use std::collections::BTreeSet;

use gongkai_ledger::ledger::LedgerData;
use gongkai_ledger::opening::Opening;
use gongkai_ledger::{
    Application, ApplicationsSum, Calendar, Ledger, Settings, YearEnd, YearEndOptions, contribution,
};
use support::{d, generate};

/// The ledger without its applications: what the store hands over with a kept sum.
fn rest_of(l: &Ledger) -> Ledger {
    let mut data = LedgerData::from(l.clone());
    data.applications.clear();
    Ledger::from(data)
}

/// `app` with its last `n` events not yet recorded.
fn earlier(app: &Application, n: usize) -> Application {
    let mut a = app.original();
    let keep = a.events.len().saturating_sub(n).max(1);
    a.events.truncate(keep);
    a.replay_amendments();
    a
}

fn same(a: &YearEnd, b: &YearEnd) {
    assert_eq!(a.figures, b.figures, "{:?}", a.options);
    assert_eq!(a.report, b.report, "{:?}", a.options);
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(set(&a.warnings), set(&b.warnings));
}

#[test]
fn a_sum_kept_by_delta_equals_the_whole_ledger() {
    let cal = Calendar::builtin();
    let s = Settings::default();
    let g = generate(3_000, d("2024-10-01"), d("2026-01-20"), d("2026-01-20"), 18);
    let now = &g.ledger;
    let apps = now.applications();
    // The ledger as it was: every 7th application two events behind, every 13th not yet
    // registered.
    let before: Vec<(usize, Option<Application>)> = apps
        .iter()
        .enumerate()
        .map(|(i, a)| match (i % 13, i % 7) {
            (0, _) => (i, None),
            (_, 0) => (i, Some(earlier(a, 2))),
            _ => (i, Some(a.clone())),
        })
        .collect();
    let changed = before
        .iter()
        .filter(|(i, b)| b.as_ref() != Some(&apps[*i]))
        .count();
    assert!(changed > 400, "{changed} applications changed");
    let known_by = d("2025-06-30").and_hms_opt(12, 0, 0).unwrap().and_utc();
    for opts in [
        YearEndOptions::year(2025),
        YearEndOptions {
            as_of: d("2025-08-15"),
            ..YearEndOptions::year(2025)
        },
        YearEndOptions {
            as_of: d("2025-08-15"),
            known_by: Some(known_by),
            ..YearEndOptions::year(2025)
        },
        YearEndOptions {
            as_of: d("2026-01-20"),
            ..YearEndOptions::year(2026)
        },
    ] {
        let whole = now.year_end(opts, cal, s);
        for lists in [true, false] {
            let mut sum = if lists {
                ApplicationsSum::default()
            } else {
                ApplicationsSum::without_lists()
            };
            for (_, b) in &before {
                if let Some(b) = b {
                    sum.add(&b.id, &contribution(b, opts, cal, s));
                }
            }
            // Each change: the old contribution out, the new one in.
            for (i, b) in &before {
                let a = &apps[*i];
                if b.as_ref() == Some(a) {
                    continue;
                }
                if let Some(b) = b {
                    sum.remove(&b.id, &contribution(b, opts, cal, s));
                }
                sum.add(&a.id, &contribution(a, opts, cal, s));
            }
            let kept = rest_of(now).year_end_from(sum, opts, cal, s);
            same(&kept, &whole);
            if lists {
                let set = |v: &[gongkai_ledger::ApplicationId]| {
                    v.iter().cloned().collect::<BTreeSet<_>>()
                };
                assert_eq!(set(&kept.carried_over), set(&whole.carried_over));
                assert_eq!(set(&kept.carried_forward), set(&whole.carried_forward));
            } else {
                assert!(kept.carried_over.is_empty() && kept.carried_forward.is_empty());
            }
        }
        assert!(whole.figures.new_received[6] > 0 && whole.figures.results_total[6] > 0);
    }
}

#[test]
fn the_opening_balances_follow_the_applications_received_before_the_year() {
    let cal = Calendar::builtin();
    let s = Settings::default();
    let g = generate(600, d("2024-11-01"), d("2025-12-31"), d("2026-01-10"), 5);
    let mut data = LedgerData::from(g.ledger.clone());
    data.opening = Some(Opening {
        year: 2024,
        carried_forward: [3, 1, 0, 0, 0, 0, 4],
        in_force: [2, 5],
        source: "手工录入".into(),
    });
    let now = Ledger::from(data.clone());
    let (old, new): (Vec<Application>, Vec<Application>) = data
        .applications
        .iter()
        .cloned()
        .partition(|a| a.events.first().is_some_and(|e| e.date < d("2025-01-01")));
    assert!(!old.is_empty() && !new.is_empty());
    let opts = YearEndOptions::year(2025);
    // Only applications of 2025: the opening balances carry over.
    let mut sum = ApplicationsSum::without_lists();
    for a in &new {
        sum.add(&a.id, &contribution(a, opts, cal, s));
    }
    let only_new = Ledger::from(LedgerData {
        applications: new.clone(),
        ..data.clone()
    });
    let kept = rest_of(&now).year_end_from(sum.clone(), opts, cal, s);
    same(&kept, &only_new.year_end(opts, cal, s));
    assert!(kept.figures.carried_over[6] >= 4);
    // The older applications registered: the ledger's history replaces the balances.
    for a in &old {
        sum.add(&a.id, &contribution(a, opts, cal, s));
    }
    let kept = rest_of(&now).year_end_from(sum.clone(), opts, cal, s);
    same(&kept, &now.year_end(opts, cal, s));
    // And taken away again: back to the balances.
    for a in &old {
        sum.remove(&a.id, &contribution(a, opts, cal, s));
    }
    let kept = rest_of(&now).year_end_from(sum, opts, cal, s);
    same(&kept, &only_new.year_end(opts, cal, s));
}
