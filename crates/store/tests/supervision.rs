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

/// The register's 错敏排查 runs (migration 0023): kept in the submission's transaction
/// (nothing for a refused one), the attachment's text with them, counted per agency by
/// the supervisor's grouped queries for the agencies asked only; on PostgreSQL an
/// application role under row-level security reads its agency's runs only.
async fn lint_runs_are_kept_and_grouped(db: TestDb) {
    use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
    use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
    use gongkai_store::ReviewAction;
    use gongkai_store::register::{AttachmentText, NewAttachment};

    let s = &db.store;
    let b = two_agencies(s).await;
    let sb = s.in_agency(b);
    let draft = |title: &str, body: &str| ItemDraft {
        title: title.into(),
        organ: "某局".into(),
        formed_on: d("2025-10-09"),
        number: None,
        topic: "综合政务".into(),
        genre: "公告".into(),
        summary: "公示。".into(),
        body: body.into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    };
    let clean = || SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    let id_number = "11010519491231002X";
    let today = d("2025-10-20");
    let it = sb
        .register_item(
            draft("甲公示", &format!("张三（身份证号{id_number}）")),
            today,
            &stamp("zhao"),
        )
        .await
        .unwrap();
    sb.attach_to_item(
        it.id,
        NewAttachment {
            name: "名单.txt".into(),
            media_type: "text/plain".into(),
            bytes: b"...".to_vec(),
        },
        AttachmentText::Text {
            text: format!("序号 姓名\n1 李四 {id_number}"),
        },
        &stamp("zhao"),
    )
    .await
    .unwrap();
    // A refused submission (li holds no role in B) keeps no run.
    assert!(
        sb.item_review_step(
            it.id,
            ReviewAction::Submit,
            None,
            Some(clean()),
            &stamp("li")
        )
        .await
        .is_err()
    );
    assert!(sb.item_lint_runs(it.id).await.unwrap().is_empty());
    sb.item_review_step(
        it.id,
        ReviewAction::Submit,
        None,
        Some(clean()),
        &stamp("zhao"),
    )
    .await
    .unwrap();
    let runs = sb.item_lint_runs(it.id).await.unwrap();
    assert_eq!((runs.len(), runs[0].errors), (1, 2));
    // The root's clean item.
    let r = s
        .register_item(
            draft("乙通知", "经研究，决定发放补贴。"),
            today,
            &stamp("li"),
        )
        .await
        .unwrap();
    s.item_review_step(
        r.id,
        ReviewAction::Submit,
        None,
        Some(clean()),
        &stamp("li"),
    )
    .await
    .unwrap();

    let (figures, codes) = s.lint_figures(&[1, b], 2025).await.unwrap();
    let of = |a: i64| figures.iter().find(|f| f.agency_id == a).unwrap();
    assert_eq!((of(1).checked, of(1).errors), (1, 0));
    assert_eq!((of(b).checked, of(b).with_errors, of(b).errors), (1, 1, 2));
    assert_eq!(codes.len(), 1);
    assert_eq!(
        (codes[0].agency_id, codes[0].code.as_str(), codes[0].count),
        (b, "PII001", 2)
    );
    let (figures, codes) = s.lint_figures(&[1], 2025).await.unwrap();
    assert_eq!((figures.len(), codes.len()), (1, 0));
    assert!(s.lint_figures(&[b], 2024).await.unwrap().0.is_empty());
    let items = sb.linted_items(2025).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].run.findings.len(), 2);

    if db.url.starts_with("postgres") {
        let (mut c, role) = common::app_role(&db.url, "gongkai_lint", "SELECT").await;
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
        for table in [
            "register_lint_runs",
            "register_lint_codes",
            "register_attachment_texts",
        ] {
            let seen: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT DISTINCT agency_id FROM {table}"
            )))
            .fetch_all(&mut *t)
            .await
            .unwrap();
            assert_eq!(seen, vec![b], "{table}");
        }
        t.rollback().await.unwrap();
        common::drop_role(&mut c, &role).await;
    }
    db.finish().await;
}

#[tokio::test]
async fn lint_runs_are_kept_and_grouped_sqlite() {
    lint_runs_are_kept_and_grouped(common::sqlite().await).await;
}

#[tokio::test]
async fn lint_runs_are_kept_and_grouped_postgres() {
    if let Some(db) = common::postgres().await {
        lint_runs_are_kept_and_grouped(db).await;
    }
}
