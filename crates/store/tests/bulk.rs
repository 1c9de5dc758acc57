//! Bulk loading (`Store::bulk_load`), once on SQLite and once on PostgreSQL: a generated
//! ledger loaded with each method reads back as it was (applications, logs, appeals,
//! proactive records, the year-end figures), in its agency only; a clerk may not load; a
//! second load of the same ids fails whole.

mod common;

#[path = "../../ledger/tests/support/mod.rs"]
mod support;

use common::{TestDb, d, office, stamp};
use gongkai_ledger::{Calendar, Ledger, Settings, YearEndOptions};
use gongkai_store::{AgencyKind, AuditQuery, BulkLoad, BulkMethod, NewAgency, Store, StoreError};

on_both_backends!(bulk_load_reads_back_as_generated);

fn batch(l: &Ledger) -> BulkLoad<'_> {
    BulkLoad {
        applications: l.applications(),
        appeals: l.appeals(),
        proactive: l.proactive(),
    }
}

async fn same(store: &Store, want: &Ledger) {
    let got = store.ledger().await.unwrap();
    let mut apps = got.applications().to_vec();
    apps.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    let mut expected = want.applications().to_vec();
    expected.sort_by(|a, b| a.id.0.cmp(&b.id.0));
    assert_eq!(apps, expected);
    assert_eq!(got.appeals().len(), want.appeals().len());
    assert_eq!(got.proactive().len(), want.proactive().len());
    let options = YearEndOptions::year(2025);
    let ours = store.year_end(options).await.unwrap();
    let theirs = want.year_end(options, Calendar::builtin(), Settings::default());
    assert_eq!(ours.figures, theirs.figures);
}

async fn bulk_load_reads_back_as_generated(db: &TestDb) {
    let root = &db.store;
    office(root).await;
    let admin = stamp("admin");
    let b = root
        .add_agency(
            &NewAgency {
                parent_id: 1,
                code: "B-001".into(),
                name: "某区某局".into(),
                kind: AgencyKind::County,
            },
            &admin,
        )
        .await
        .unwrap();
    let today = d("2026-01-05");
    let one = support::generate(300, d("2025-01-01"), d("2025-12-31"), today, 7).ledger;
    let two = support::generate(200, d("2025-01-01"), d("2025-12-31"), today, 8).ledger;

    // A clerk may not load; nothing is written.
    let e = root
        .bulk_load(&batch(&one), BulkMethod::Copy, &stamp("li"))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden { .. }), "{e:?}");
    assert!(root.applications().await.unwrap().is_empty());

    let counts = root
        .bulk_load(&batch(&one), BulkMethod::Copy, &admin)
        .await
        .unwrap();
    assert_eq!(counts.applications, 300);
    let events: usize = one.applications().iter().map(|a| a.events.len()).sum();
    assert_eq!(counts.events, events as u64);
    let bs = root.in_agency(b.id);
    bs.bulk_load(&batch(&two), BulkMethod::Insert, &admin)
        .await
        .unwrap();
    same(root, &one).await;
    same(&bs, &two).await;

    // The same ids again: refused as a whole, the agency unchanged.
    assert!(
        bs.bulk_load(&batch(&two), BulkMethod::Copy, &admin)
            .await
            .is_err()
    );
    assert_eq!(bs.applications().await.unwrap().len(), 200);
    let audit = bs
        .audit(&AuditQuery {
            action: Some("bulk.load".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].detail["counts"]["applications"], 200);
}
