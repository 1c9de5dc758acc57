//! State shared by several server processes on one database (issue 18 §3), on SQLite and
//! PostgreSQL. A second `Store::open` of the same URL stands for a second process (its
//! own connection pool).

mod common;

use chrono::{Duration, Utc};
use common::{TestDb, new_application, now, office, stamp};
use gongkai_ledger::Calendar;
use gongkai_store::ThrottlePolicy;
use gongkai_store::{CheckCorrection, CheckUpload, RateLimit, Store};

on_both_backends!(
    the_rate_limit_is_one_for_every_process,
    registrations_from_two_processes_at_once_get_distinct_numbers,
    a_correction_changes_the_uploads_version_for_every_process,
    a_process_with_another_calendar_is_told,
    failed_sign_ins_on_two_processes_at_once_are_all_counted,
);

async fn second(db: &TestDb) -> Store {
    Store::open(&db.url).await.expect("second process")
}

async fn the_rate_limit_is_one_for_every_process(db: &TestDb) {
    let (a, b) = (&db.store, &second(db).await);
    // One every 10 s, 3 at once.
    let limit = RateLimit {
        per_minute: 6,
        burst: 3,
    };
    let t0 = now();
    let take = |s: &Store, key: &'static str, t| {
        let s = s.clone();
        async move { s.take_rate("check.api", key, limit, t).await.unwrap() }
    };
    // The burst is shared: two on one process, the third on the other, then refused on both.
    assert_eq!(take(a, "10.0.0.1", t0).await, None);
    assert_eq!(take(b, "10.0.0.1", t0).await, None);
    assert_eq!(take(a, "10.0.0.1", t0).await, None);
    assert_eq!(take(b, "10.0.0.1", t0).await, Some(Duration::seconds(10)));
    assert_eq!(take(a, "10.0.0.1", t0).await, Some(Duration::seconds(10)));
    // Another address, another bucket: their own.
    assert_eq!(take(b, "10.0.0.2", t0).await, None);
    assert_eq!(
        b.take_rate("other", "10.0.0.1", limit, t0).await.unwrap(),
        None
    );
    // One interval later, one more; and the wait is counted from the refusal's moment.
    let t1 = t0 + Duration::seconds(10);
    assert_eq!(take(b, "10.0.0.1", t1).await, None);
    assert_eq!(
        take(a, "10.0.0.1", t1 + Duration::seconds(4)).await,
        Some(Duration::seconds(6))
    );
    // Many at once from both processes: exactly the burst gets through.
    let t2 = t0 + Duration::hours(1);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            s.take_rate("check.api", "10.0.0.9", limit, t2)
                .await
                .unwrap()
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        if t.await.unwrap().is_none() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 3, "the burst, no more, whichever process asked");
    // Rows whose time has passed are deleted; a live one stays.
    assert_eq!(
        a.purge_rate_limits(t0 + Duration::minutes(10))
            .await
            .unwrap(),
        3
    );
    assert_eq!(take(a, "10.0.0.9", t2).await, Some(Duration::seconds(10)));
    b.close().await;
}

async fn registrations_from_two_processes_at_once_get_distinct_numbers(db: &TestDb) {
    office(&db.store).await;
    let (a, b) = (db.store.clone(), second(db).await);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        let user = if i % 2 == 0 { "li" } else { "zhao" };
        tasks.push(tokio::spawn(async move {
            s.register_application(
                new_application(None, &format!("R{i}"), "2025-12-01"),
                &stamp(user),
            )
            .await
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let app = t
            .await
            .unwrap()
            .expect("every registration succeeds, whichever process made it");
        ids.push(app.id.0);
    }
    ids.sort();
    let want: Vec<String> = (1..=16).map(|n| format!("2025-{n:04}")).collect();
    assert_eq!(ids, want, "numbered without a gap or a duplicate");
    assert_eq!(b.applications().await.unwrap().len(), 16);
    b.close().await;
}

fn upload(id: &str) -> CheckUpload {
    CheckUpload {
        id: id.into(),
        batch: "batch-1".into(),
        owner: "visitor:0123456789abcdef".into(),
        client: "127.0.0.1".into(),
        name: "报告.txt".into(),
        size: 10,
        sha256: "00".repeat(32),
        uploaded_at: Utc::now(),
        report: Ok("{}".into()),
        title: "某局2025年政府信息公开工作年度报告".into(),
        format: "2021".into(),
        errors: 2,
        warnings: 0,
    }
}

fn correction(cell: &str, new: &str) -> CheckCorrection {
    CheckCorrection {
        seq: 0,
        cell: cell.into(),
        old: None,
        new: Some(new.into()),
        who: "访客".into(),
        at: Utc::now(),
        note: None,
    }
}

async fn a_correction_changes_the_uploads_version_for_every_process(db: &TestDb) {
    let (a, b) = (db.store.clone(), second(db).await);
    let id = "0123456789abcdef0123456789abcdef";
    a.insert_check_uploads(&[upload(id)]).await.unwrap();
    assert_eq!(b.check_upload_version(id).await.unwrap(), Some(0));
    // Corrections of one report from both processes at once: numbered one after the other.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            s.add_check_correction(
                id,
                correction("1.1", &i.to_string()),
                1,
                0,
                "visitor:0123456789abcdef",
                "127.0.0.1",
            )
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every correction is kept");
    }
    assert_eq!(a.check_upload_version(id).await.unwrap(), Some(8));
    let (_, kept) = b.check_upload(id).await.unwrap().unwrap();
    let seqs: Vec<u32> = kept.iter().map(|k| k.seq).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
    // Gone (purged by either process): no version.
    assert_eq!(
        b.purge_check_uploads(Utc::now() + Duration::days(1), Utc::now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(a.check_upload_version(id).await.unwrap(), None);
    assert_eq!(a.check_upload_version("nonesuch").await.unwrap(), None);
    b.close().await;
}

async fn a_process_with_another_calendar_is_told(db: &TestDb) {
    let a = &db.store;
    let embedded: Vec<i32> = a.calendar().years().collect();
    assert!(!embedded.is_empty());
    assert_eq!(a.note_calendar(now()).await.unwrap(), None, "the first");
    // The same calendar again (a restart, a second process): nothing to say.
    let b = second(db).await;
    assert_eq!(b.note_calendar(now()).await.unwrap(), None);
    // A process without the notices: told which years the one before it had.
    let bare = second(db).await.with_calendar(Calendar::empty());
    assert_eq!(bare.note_calendar(now()).await.unwrap(), Some(embedded));
    assert_eq!(
        a.note_calendar(now()).await.unwrap(),
        Some(vec![]),
        "and the next process with the notices is told too"
    );
    b.close().await;
    bare.close().await;
}

async fn failed_sign_ins_on_two_processes_at_once_are_all_counted(db: &TestDb) {
    office(&db.store).await;
    let (a, b) = (db.store.clone(), second(db).await);
    // No delay and no lock within the test: every attempt is checked and counted.
    let policy = ThrottlePolicy {
        max_failures: 1000,
        max_delay: Duration::zero(),
        ..ThrottlePolicy::default()
    };
    let mut tasks = Vec::new();
    for i in 0..12 {
        let s = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            s.sign_in(
                "li",
                "wrong password",
                "10.1.1.1",
                &policy,
                Duration::hours(1),
                now(),
            )
            .await
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap().is_err());
    }
    let counted = a
        .user_throttles()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.key == "user:li")
        .expect("the account's count");
    assert_eq!(
        counted.failures, 12,
        "no failure lost between the processes"
    );
    b.close().await;
}
