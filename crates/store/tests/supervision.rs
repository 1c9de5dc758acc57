//! The supervisor's kept figures (migration 0015) on both backends: the agency's change
//! counter moves in the writing transaction (and not for a refused write, nor for another
//! agency's write), a kept row is fresh only at the current counter and date, an older
//! computation never replaces a newer one; on PostgreSQL an application role under
//! row-level security bumps the counter without any privilege on it and reads only its
//! agency's kept rows.

mod common;

use common::{TestDb, d, new_application, office, stamp};
use gongkai_store::{AgencyKind, NewAgency, Store};
use sqlx::Connection;

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
    b.id
}

async fn counters_move_with_the_writes(db: TestDb) {
    let s = &db.store;
    let b = two_agencies(s).await;
    let sb = s.in_agency(b);
    let v0 = sb.figure_version().await.unwrap();
    sb.register_application(new_application(None, "B1", "2025-03-03"), &stamp("zhao"))
        .await
        .unwrap();
    let v1 = sb.figure_version().await.unwrap();
    assert!(v1 > v0, "a registration bumps B's counter ({v0} → {v1})");
    // A refused write (li holds no role in B) rolls the counter back with it.
    let e = sb
        .register_application(new_application(None, "B2", "2025-03-03"), &stamp("li"))
        .await;
    assert!(e.is_err());
    assert_eq!(sb.figure_version().await.unwrap(), v1);
    // The root's write does not touch B's counter.
    let root_before = s.figure_version().await.unwrap();
    s.register_application(new_application(None, "A1", "2025-03-03"), &stamp("li"))
        .await
        .unwrap();
    assert!(s.figure_version().await.unwrap() > root_before);
    assert_eq!(sb.figure_version().await.unwrap(), v1);

    // Kept rows: fresh at the current counter and date only; never replaced by an older
    // computation.
    let today = d("2026-12-06");
    sb.keep_figures(2025, today, v1, "{\"n\":1}", chrono::Utc::now())
        .await
        .unwrap();
    sb.keep_figures(2025, today, v1 - 1, "{\"n\":0}", chrono::Utc::now())
        .await
        .unwrap();
    let rows = s.figure_rows(&[1, b], 2025).await.unwrap();
    assert_eq!(rows[0].kept, None);
    assert_eq!(rows[1].fresh(today), Some("{\"n\":1}"));
    assert_eq!(rows[1].fresh(d("2026-12-07")), None, "another day");
    sb.register_application(new_application(None, "B3", "2025-03-04"), &stamp("zhao"))
        .await
        .unwrap();
    let rows = s.figure_rows(&[b], 2025).await.unwrap();
    assert_eq!(rows[0].fresh(today), None, "stale after the write");
    assert_eq!(s.forget_figures(&[b]).await.unwrap(), 1);
    // The settings are written by an upsert: its conflict clause must not break the
    // trigger's insert of the counter row (SQLite), and each save bumps the counter.
    for n in 1..=2 {
        let before = s.figure_version().await.unwrap();
        let mut settings = s.settings().await.unwrap();
        settings.count_receipt_day = n % 2 == 0;
        s.set_settings(settings, &stamp("admin")).await.unwrap();
        assert!(s.figure_version().await.unwrap() > before, "save {n}");
    }
    db.finish().await;
}

#[tokio::test]
async fn counters_move_with_the_writes_sqlite() {
    counters_move_with_the_writes(common::sqlite().await).await;
}

#[tokio::test]
async fn counters_move_with_the_writes_postgres() {
    if let Some(db) = common::postgres().await {
        counters_move_with_the_writes(db).await;
    }
}

#[tokio::test]
async fn an_application_role_bumps_and_reads_its_agency_only() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let s = &db.store;
    let b = two_agencies(s).await;
    for a in [1, b] {
        s.in_agency(a)
            .keep_figures(2025, d("2026-12-06"), 0, "{}", chrono::Utc::now())
            .await
            .unwrap();
    }
    let role = format!("gongkai_sup_{}", std::process::id());
    let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
    for sql in [
        format!("CREATE ROLE {role} NOLOGIN"),
        format!("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .unwrap();
    }
    let before = s.in_agency(b).figure_version().await.unwrap();
    let mut t = c.begin().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("SET LOCAL ROLE {role}")))
        .execute(&mut *t)
        .await
        .unwrap();
    sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
        .bind(b.to_string())
        .execute(&mut *t)
        .await
        .unwrap();
    // Two statements: the second bumps an existing counter row (an UPDATE the role holds
    // no privilege for: the trigger runs as the owner).
    for id in ["R1", "R2"] {
        sqlx::query(
            "INSERT INTO applications (agency_id, id, applicant_kind, applicant_name, \
             applicant_key, data, created_at, created_by) \
             VALUES ($1, $2, 'natural_person', 'x', 'x', '{}', now(), 'zhao')",
        )
        .bind(b)
        .bind(id)
        .execute(&mut *t)
        .await
        .unwrap();
    }
    let kept: Vec<i64> = sqlx::query_scalar("SELECT agency_id FROM supervision_figures")
        .fetch_all(&mut *t)
        .await
        .unwrap();
    assert_eq!(kept, vec![b], "B's kept row only");
    t.commit().await.unwrap();
    assert_eq!(s.in_agency(b).figure_version().await.unwrap(), before + 2);
    drop(c);
    db.finish().await;
}
