//! The supervisor's figures kept incrementally (migration 0020) on both backends: the
//! triggers mark what changed in the writing transaction (the application; not for a
//! refused write, nor for another agency's write; `'*'` for the settings), and
//! `Store::refresh_figures` hands the computation only the marked applications with their
//! kept shares — the whole ledger only for a new date, the settings, or a first view — and
//! two refreshes at once take each mark once.

mod common;

use std::sync::{Arc, Mutex};

use common::{TestDb, d, new_application, office, stamp};
use gongkai_ledger::EventKind;
use gongkai_store::supervision::shares::{Compute, RefreshOutput, Refreshed, Work};
use gongkai_store::{AgencyKind, EventInput, NewAgency, Store};

async fn two_agencies(s: &Store) -> i64 {
    office(s).await;
    let b = s
        .add_agency(
            &NewAgency {
                parent_id: 1,
                code: "B".into(),
                name: "某区某局".into(),
                kind: AgencyKind::County,
            },
            &stamp("admin"),
        )
        .await
        .unwrap();
    s.grant_roles("zhao", b.id, &["clerk".into()], &stamp("admin"))
        .await
        .unwrap();
    s.grant_roles("admin", b.id, &["admin".into()], &stamp("admin"))
        .await
        .unwrap();
    b.id
}

/// A computation that counts the applications with a share, and says what it was given.
fn counting(seen: Arc<Mutex<Vec<String>>>) -> Compute {
    Arc::new(move |input| {
        let (n, shares, what) = match &input.work {
            Work::Full { ledger, .. } => {
                let ids: Vec<_> = ledger.applications().iter().map(|a| a.id.clone()).collect();
                let shares = ids.iter().map(|i| (i.clone(), Some("1".into()))).collect();
                (ids.len() as i64, shares, "full".to_string())
            }
            Work::Delta {
                applications,
                report,
                ..
            } => {
                let mut n: i64 = input.kept.as_ref().unwrap().figures.parse().unwrap();
                let mut shares = Vec::new();
                let mut names = Vec::new();
                for (id, app, old) in applications {
                    n += i64::from(app.is_some()) - i64::from(old.is_some());
                    shares.push((id.clone(), app.as_ref().map(|_| "1".to_string())));
                    names.push(format!("{}{}", id.0, if old.is_some() { "*" } else { "" }));
                }
                names.sort();
                let r = if report.is_some() { "+report" } else { "" };
                (n, shares, format!("delta {}{r}", names.join(",")))
            }
        };
        seen.lock().unwrap().push(what);
        Ok(Some(RefreshOutput {
            figures: n.to_string(),
            shares,
        }))
    })
}

async fn marks_and_refreshes(db: TestDb) {
    let s = &db.store;
    let b = two_agencies(s).await;
    let sb = s.in_agency(b);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let f = counting(seen.clone());
    let today = d("2026-01-05");
    let last = |seen: &Arc<Mutex<Vec<String>>>| seen.lock().unwrap().last().cloned();
    let b1 = sb
        .register_application(new_application(None, "B1", "2025-03-03"), &stamp("zhao"))
        .await
        .unwrap()
        .id;
    // The first view: the whole ledger.
    let r = sb
        .refresh_figures(2025, today, false, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("1".to_string(), Refreshed::Full));
    // Nothing changed: the kept row.
    let r = sb
        .refresh_figures(2025, today, false, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("1".to_string(), Refreshed::Current));
    assert_eq!(seen.lock().unwrap().len(), 1);

    // A registration in B marks it; a refused one (li holds no role in B) and the root's
    // write do not.
    let b2 = sb
        .register_application(new_application(None, "B2", "2025-03-04"), &stamp("zhao"))
        .await
        .unwrap()
        .id;
    assert!(
        sb.register_application(new_application(None, "B9", "2025-03-04"), &stamp("li"))
            .await
            .is_err()
    );
    s.register_application(new_application(None, "A1", "2025-03-04"), &stamp("li"))
        .await
        .unwrap();
    let r = sb
        .refresh_figures(2025, today, false, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("2".to_string(), Refreshed::Delta(1)));
    assert_eq!(last(&seen).unwrap(), format!("delta {}", b2.0));

    // An event on B1: B1 again, with its kept share.
    let e = EventInput::new(d("2025-03-20"), EventKind::Withdrawn { reason: None });
    sb.append_event(&b1, e, &stamp("zhao")).await.unwrap();
    let r = sb
        .refresh_figures(2025, today, false, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("2".to_string(), Refreshed::Delta(1)));
    assert_eq!(last(&seen).unwrap(), format!("delta {}*", b1.0));

    // Another date: the whole ledger again.
    let r = sb
        .refresh_figures(2025, d("2026-01-06"), false, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("2".to_string(), Refreshed::Full));

    // The settings: everything.
    let mut settings = sb.settings().await.unwrap();
    settings.count_receipt_day = !settings.count_receipt_day;
    sb.set_settings(settings, &stamp("admin")).await.unwrap();
    let r = sb
        .refresh_figures(2025, d("2026-01-06"), false, f.clone())
        .await
        .unwrap();
    assert_eq!(r.1, Refreshed::Full);

    // Two views at once after one registration: the mark is taken once; both see it.
    sb.register_application(new_application(None, "B3", "2025-03-05"), &stamp("zhao"))
        .await
        .unwrap();
    let (x, y) = tokio::join!(
        sb.refresh_figures(2025, d("2026-01-06"), false, f.clone()),
        sb.refresh_figures(2025, d("2026-01-06"), false, f.clone())
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!((x.0.as_str(), y.0.as_str()), ("3", "3"));
    let mut hows = [x.1, y.1];
    hows.sort_by_key(|h| format!("{h:?}"));
    assert_eq!(hows, [Refreshed::Current, Refreshed::Delta(1)]);

    // A rebuild computes the whole ledger.
    let r = sb
        .refresh_figures(2025, d("2026-01-06"), true, f.clone())
        .await
        .unwrap();
    assert_eq!(r, ("3".to_string(), Refreshed::Full));
    db.finish().await;
}

#[tokio::test]
async fn marks_and_refreshes_sqlite() {
    marks_and_refreshes(common::sqlite().await).await;
}

#[tokio::test]
async fn marks_and_refreshes_postgres() {
    if let Some(db) = common::postgres().await {
        marks_and_refreshes(db).await;
    }
}
