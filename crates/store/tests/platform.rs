//! The platform (issue 18 §1), once on SQLite and once on PostgreSQL: a database made by the
//! previous release (migrations 0001–0012) opens as a one-agency platform with nothing
//! lost, and two agencies' records stay apart in the store.

mod common;

use std::path::{Path, PathBuf};

use common::{TestDb, app_role, d, drop_role, new_application, office, stamp};
use gongkai_ledger::{ApplicationId, Decision, EventKind, YearEndOptions};
use gongkai_store::{
    AgencyKind, CheckCorrection, CheckUpload, EventInput, NewAgency, NewUser, ReviewAction,
    ReviewSubject, Role, Store, StoreError,
};
use sqlx::{Connection, Row};

on_both_backends!(two_agencies_stay_apart, check_uploads_stay_in_their_agency);

/// The record tables of release 0012, in an order that keeps foreign keys satisfied.
const TABLES: [&str; 14] = [
    "users",
    "sessions",
    "api_tokens",
    "applications",
    "events",
    "appeals",
    "proactive_records",
    "reviews",
    "year_end_narratives",
    "letter_templates",
    "letter_template_versions",
    "audit_log",
    "import_keys",
    "export_column_sets",
];

/// A directory with the migrations of the previous release (0001–0012) of `backend`.
fn previous_release(backend: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src: PathBuf = [env!("CARGO_MANIFEST_DIR"), "migrations", backend]
        .iter()
        .collect();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0013" {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    dir
}

/// A ledger with some of everything, made through the store (agency 1).
async fn fill(s: &Store) {
    office(s).await;
    let li = stamp("li");
    s.add_user(
        &NewUser {
            name: "both".into(),
            display_name: None,
            role: Role::OfficeHead,
            password: common::PASSWORD.into(),
        },
        &stamp("admin"),
    )
    .await
    .unwrap();
    s.set_user_roles("both", &[Role::OfficeHead, Role::Leader], &stamp("admin"))
        .await
        .unwrap();
    for (id, n, date) in [
        ("2025-1", "M1", "2025-02-03"),
        ("2025-2", "M2", "2025-03-03"),
        ("2025-3", "M3", "2025-12-22"),
    ] {
        s.register_application(new_application(Some(id), n, date), &li)
            .await
            .unwrap();
    }
    let id = ApplicationId::from("2025-1");
    s.append_event(
        &id,
        EventInput::new(
            d("2025-02-20"),
            EventKind::Decided {
                decision: Decision::Granted,
            },
        ),
        &li,
    )
    .await
    .unwrap();
    let subject = ReviewSubject::Reply {
        application: id.clone(),
    };
    s.review_step(&subject, ReviewAction::Submit, None, &li)
        .await
        .unwrap();
    s.set_template("granted", "答复书", "{申请人}：……", &stamp("zhu"))
        .await
        .unwrap();
    s.save_column_set("简表", vec!["number".into()], &stamp("zhu"))
        .await
        .unwrap();
}

/// Rows per table of agency 1 (the new schema) or of the whole table (the old one).
async fn counts(url: &str, scoped: bool) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        let filter = match (scoped, t) {
            (true, "users" | "sessions" | "api_tokens") | (false, _) => String::new(),
            (true, _) => " WHERE agency_id = 1".to_string(),
        };
        let sql = format!("SELECT COUNT(*) FROM {t}{filter}");
        let n: i64 = if url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut c)
                .await
                .unwrap()
        } else {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut c)
                .await
                .unwrap()
        };
        out.push((t.to_string(), n));
    }
    out
}

/// What must survive the migration: the ledger, the year-end report, users and roles.
async fn snapshot(s: &Store) -> (serde_json::Value, serde_json::Value, Vec<(String, String)>) {
    let ledger = serde_json::to_value(s.ledger().await.unwrap()).unwrap();
    let ye = serde_json::to_value(s.year_end(YearEndOptions::year(2025)).await.unwrap()).unwrap();
    let users = s
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.name.clone(), u.roles_label()))
        .collect();
    (ledger, ye, users)
}

/// The old schema's columns of `table` (SQLite).
async fn sqlite_columns(c: &mut sqlx::SqliteConnection, table: &str) -> Vec<String> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA main.table_info({table})"
    )))
    .fetch_all(&mut *c)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>("name"))
    .collect()
}

/// Copies the source (new schema, agency 1) into a database of the old schema, the
/// office's name and settings back into `meta`.
async fn copy_into_sqlite(source: &Path, old: &mut sqlx::SqliteConnection) {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE '{}' AS src",
        source.display()
    )))
    .execute(&mut *old)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO main.meta (key, value) SELECT key, value FROM src.agency_settings \
         WHERE agency_id = 1 UNION ALL SELECT 'agency', name FROM src.agencies WHERE id = 1",
    )
    .execute(&mut *old)
    .await
    .unwrap();
    for t in TABLES {
        let cols = sqlite_columns(old, t).await.join(", ");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO main.{t} ({cols}) SELECT {cols} FROM src.{t}"
        )))
        .execute(&mut *old)
        .await
        .unwrap();
    }
    sqlx::query("DETACH DATABASE src")
        .execute(&mut *old)
        .await
        .unwrap();
}

/// Copies the source (SQLite, new schema) into a PostgreSQL database of the old schema:
/// each row as JSON (`json_populate_record` turns the text back into the column types).
async fn copy_into_postgres(source: &Path, old: &mut sqlx::PgConnection) {
    let mut src = sqlx::SqliteConnection::connect(&format!("sqlite://{}", source.display()))
        .await
        .unwrap();
    let meta: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM agency_settings WHERE agency_id = 1 \
         UNION ALL SELECT 'agency', name FROM agencies WHERE id = 1",
    )
    .fetch_all(&mut src)
    .await
    .unwrap();
    for (k, v) in meta {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
            .bind(k)
            .bind(v)
            .execute(&mut *old)
            .await
            .unwrap();
    }
    for t in TABLES {
        let cols: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position",
        )
        .bind(t)
        .fetch_all(&mut *old)
        .await
        .unwrap();
        let fields: Vec<String> = cols
            .iter()
            .map(|(c, ty)| match ty.as_str() {
                "jsonb" => format!("'{c}', json({c})"),
                "boolean" => {
                    format!("'{c}', CASE WHEN {c} THEN json('true') ELSE json('false') END")
                }
                _ => format!("'{c}', {c}"),
            })
            .collect();
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT json_object({}) FROM {t}",
            fields.join(", ")
        )))
        .fetch_all(&mut src)
        .await
        .unwrap();
        for row in rows {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {t} {} SELECT * FROM json_populate_record(NULL::{t}, $1::json)",
                if t == "audit_log" {
                    "OVERRIDING SYSTEM VALUE"
                } else {
                    ""
                }
            )))
            .bind(row)
            .execute(&mut *old)
            .await
            .unwrap();
        }
    }
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), \
         (SELECT MAX(id) FROM audit_log))",
    )
    .execute(&mut *old)
    .await
    .unwrap();
}

/// Checks the migrated database against the source it was copied from.
async fn check_migrated(
    source: &Store,
    source_url: &str,
    migrated_url: &str,
    old_counts: &[(String, i64)],
) {
    let migrated = Store::open(migrated_url).await.expect("the migration runs");
    assert_eq!(migrated.agency_id(), 1);
    let root = migrated.this_agency().await.unwrap();
    assert_eq!(root.name, "某市某局");
    assert_eq!(root.parent_id, None);
    // Every row is on agency 1, as many as before.
    assert_eq!(counts(migrated_url, true).await, old_counts);
    assert_eq!(counts(migrated_url, false).await, old_counts);
    assert_eq!(counts(source_url, true).await, old_counts);
    // The ledger, the year-end tables, the users and their roles are what they were.
    let before = snapshot(source).await;
    let after = snapshot(&migrated).await;
    assert_eq!(before.0, after.0, "the ledger");
    assert_eq!(before.1, after.1, "the year-end report");
    assert_eq!(before.2, after.2, "users and roles");
    assert!(
        after
            .2
            .iter()
            .any(|(n, r)| n == "both" && r.contains("分管领导"))
    );
    // Settings came along; the next number continues; append-only still holds.
    assert_eq!(
        migrated.office().await.unwrap(),
        source.office().await.unwrap()
    );
    assert!(migrated.template("granted").await.unwrap().is_some());
    let a = migrated
        .register_application(new_application(None, "M4", "2025-12-23"), &stamp("li"))
        .await
        .unwrap();
    assert!(a.id.0.starts_with("2025-"), "{}", a.id.0);
    assert_ne!(a.id.0, "2025-3");
    if migrated_url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(migrated_url).await.unwrap();
        assert!(
            sqlx::query("DELETE FROM events")
                .execute(&mut c)
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM reviews")
                .execute(&mut c)
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM audit_log")
                .execute(&mut c)
                .await
                .is_err()
        );
    } else {
        let mut c = sqlx::SqliteConnection::connect(migrated_url).await.unwrap();
        let broken: Vec<sqlx::sqlite::SqliteRow> = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut c)
            .await
            .unwrap();
        assert!(broken.is_empty(), "foreign keys hold after the rebuild");
        for t in ["events", "reviews", "audit_log"] {
            assert!(
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {t}")))
                    .execute(&mut c)
                    .await
                    .is_err(),
                "{t} stays append-only"
            );
        }
    }
    migrated.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_previous_release_migrates_in_place_sqlite() {
    let source = common::sqlite().await;
    fill(&source.store).await;
    let source_path = PathBuf::from(source.url.trim_start_matches("sqlite://"));
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("release-0012.db");
    let old_url = format!("sqlite://{}", old_path.display());
    {
        let opts = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&old_url)
            .unwrap()
            .create_if_missing(true);
        let mut old = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        let migrations = previous_release("sqlite");
        sqlx::migrate::Migrator::new(migrations.path())
            .await
            .unwrap()
            .run(&mut old)
            .await
            .unwrap();
        copy_into_sqlite(&source_path, &mut old).await;
        old.close().await.unwrap();
    }
    let old_counts = counts(&old_url, false).await;
    assert_eq!(old_counts[3], ("applications".to_string(), 3));
    check_migrated(&source.store, &source.url, &old_url, &old_counts).await;
    source.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_previous_release_migrates_in_place_postgres() {
    let Some((server, name, url)) = common::postgres_database().await else {
        return;
    };
    let source = common::sqlite().await;
    fill(&source.store).await;
    let source_path = PathBuf::from(source.url.trim_start_matches("sqlite://"));
    {
        let mut old = sqlx::PgConnection::connect(&url).await.unwrap();
        let migrations = previous_release("postgres");
        sqlx::migrate::Migrator::new(migrations.path())
            .await
            .unwrap()
            .run(&mut old)
            .await
            .unwrap();
        copy_into_postgres(&source_path, &mut old).await;
        old.close().await.unwrap();
    }
    let old_counts = counts(&url, false).await;
    assert_eq!(old_counts[3], ("applications".to_string(), 3));
    check_migrated(&source.store, &source.url, &url, &old_counts).await;
    source.finish().await;
    if let Ok(mut conn) = sqlx::PgConnection::connect(&server).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
    }
}

/// Two agencies: each store sees its own applications only, a crafted id of the other is
/// not found, numbering is per agency, roles are per agency.
async fn two_agencies_stay_apart(db: &TestDb) {
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
    // Only the root's administrator adds agencies; codes are unique.
    let e = root
        .add_agency(
            &NewAgency {
                parent_id: 1,
                code: "C".into(),
                name: "x".into(),
                kind: AgencyKind::County,
            },
            &stamp("li"),
        )
        .await;
    assert_eq!(e.unwrap_err().code(), "forbidden");
    let e = root
        .add_agency(
            &NewAgency {
                parent_id: 1,
                code: "B-001".into(),
                name: "x".into(),
                kind: AgencyKind::County,
            },
            &admin,
        )
        .await;
    assert_eq!(e.unwrap_err().code(), "duplicate");
    let sb = root.in_agency(b.id);
    root.grant_roles("zhao", b.id, &["clerk".into(), "admin".into()], &admin)
        .await
        .unwrap();
    // B's administrator manages B's users only: li (of A only) is unknown there.
    let e = sb.set_user_active("li", false, &stamp("zhao")).await;
    assert_eq!(e.unwrap_err().code(), "unknown_user");
    let e = sb
        .set_password("li", "another long password", &stamp("zhao"))
        .await;
    assert_eq!(e.unwrap_err().code(), "unknown_user");
    root.grant_roles("zhu", b.id, &["信息员".into(), "supervisor".into()], &admin)
        .await
        .unwrap();
    // The same numbers in both agencies, each its own.
    let a1 = root
        .register_application(new_application(None, "P1", "2025-03-03"), &stamp("li"))
        .await
        .unwrap();
    let b1 = sb
        .register_application(new_application(None, "Q1", "2025-04-04"), &stamp("zhao"))
        .await
        .unwrap();
    assert_eq!(a1.id, b1.id, "numbering is per agency");
    assert_eq!(
        root.applications().await.unwrap()[0].applicant.name,
        "申请人P1"
    );
    assert_eq!(
        sb.applications().await.unwrap()[0].applicant.name,
        "申请人Q1"
    );
    // li holds no role in B: cannot write there; the id of B's second application is not
    // found in A.
    let e = sb
        .register_application(new_application(None, "Q2", "2025-04-05"), &stamp("li"))
        .await;
    assert_eq!(e.unwrap_err().code(), "not_member");
    sb.register_application(
        new_application(Some("B-only"), "Q3", "2025-04-06"),
        &stamp("zhao"),
    )
    .await
    .unwrap();
    let crafted = ApplicationId::from("B-only");
    assert_eq!(
        root.application(&crafted).await.unwrap_err().code(),
        "unknown_application"
    );
    let e = root
        .append_event(
            &crafted,
            EventInput::new(
                d("2025-04-10"),
                EventKind::Decided {
                    decision: Decision::Granted,
                },
            ),
            &stamp("li"),
        )
        .await;
    assert_eq!(e.unwrap_err().code(), "unknown_application");
    // Roles per agency: zhu is 办公室主任 in A, 信息员 in B; users listed per agency.
    assert_eq!(
        root.member("zhu").await.unwrap().unwrap().role,
        Role::OfficeHead
    );
    assert_eq!(
        sb.member("zhu").await.unwrap().unwrap().roles(),
        vec![Role::Clerk]
    );
    assert_eq!(
        sb.member("zhao").await.unwrap().unwrap().roles(),
        vec![Role::Clerk, Role::Admin]
    );
    assert!(sb.member("li").await.unwrap().is_none());
    let names: Vec<String> = sb
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, vec!["zhao".to_string(), "zhu".to_string()]);
    // Settings and the audit log are per agency.
    assert_eq!(sb.agency().await.unwrap(), "某区某局");
    assert_eq!(root.agency().await.unwrap(), "某市某局");
    let audit_b = sb.audit(&Default::default()).await.unwrap();
    assert!(audit_b.iter().all(|e| e.actor == "zhao"), "{audit_b:?}");
    // The tree.
    let tree = root.subtree(1).await.unwrap();
    assert_eq!(tree.len(), 2);
    assert_eq!(tree[1].0.code, "B-001");
    assert_eq!(tree[1].1, 1);
    let supervised: Vec<String> = root
        .supervised("zhu")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.code)
        .collect();
    assert_eq!(supervised, ["B-001"]);
    assert!(root.supervised("li").await.unwrap().is_empty());
    let held = root.memberships("zhu").await.unwrap();
    assert_eq!(held.len(), 2);
    assert!(held[1].1.contains(&"supervisor".to_string()));
}

/// PostgreSQL's row-level security (migration 0013) as the second wall: a raw query of a
/// role that does not own the tables sees only the agency its transaction names, nothing
/// when none is named, and cannot write a row of another agency.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_shows_an_app_role_its_agency_only() {
    let Some(db) = common::postgres().await else {
        return;
    };
    let s = &db.store;
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
    s.register_application(new_application(None, "R1", "2025-03-03"), &stamp("li"))
        .await
        .unwrap();
    s.in_agency(b.id)
        .register_application(new_application(None, "R2", "2025-03-04"), &stamp("zhao"))
        .await
        .unwrap();
    let (mut c, role) = app_role(&db.url, "gongkai_app", "SELECT, INSERT").await;
    let names = |agencies: Option<String>| {
        let url = db.url.clone();
        let role = role.clone();
        async move {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            let mut t = c.begin().await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("SET LOCAL ROLE {role}")))
                .execute(&mut *t)
                .await
                .unwrap();
            if let Some(a) = agencies {
                sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
                    .bind(a)
                    .execute(&mut *t)
                    .await
                    .unwrap();
            }
            let names: Vec<String> =
                sqlx::query_scalar("SELECT applicant_name FROM applications ORDER BY agency_id")
                    .fetch_all(&mut *t)
                    .await
                    .unwrap();
            let wrote = sqlx::query(
                "INSERT INTO import_keys (agency_id, key, kind, target_id, source, imported_at, \
                 imported_by) VALUES (1, 'k', 'application', 'x', 's', now(), 'u')",
            )
            .execute(&mut *t)
            .await
            .is_ok();
            t.rollback().await.unwrap();
            (names, wrote)
        }
    };
    assert_eq!(
        names(Some(b.id.to_string())).await,
        (vec!["申请人R2".to_string()], false)
    );
    assert_eq!(
        names(Some("1".into())).await,
        (vec!["申请人R1".to_string()], true)
    );
    assert_eq!(names(None).await, (Vec::new(), false));
    // The store itself (the tables' owner) is unaffected and scoped by its own queries.
    assert_eq!(s.applications().await.unwrap().len(), 1);
    drop_role(&mut c, &role).await;
    db.finish().await;
}

fn check_upload(id: &str, owner: &str) -> CheckUpload {
    CheckUpload {
        id: id.into(),
        batch: format!("batch-{id}"),
        owner: owner.into(),
        client: "127.0.0.1".into(),
        name: "报告.pdf".into(),
        size: 10,
        sha256: "00".repeat(32),
        uploaded_at: chrono::Utc::now(),
        report: Ok("{}".into()),
        title: "某局2025年政府信息公开工作年度报告".into(),
        format: "2021".into(),
        errors: 1,
        warnings: 0,
    }
}

/// The report checker's uploads belong to the agency they were made in (migration 0021):
/// another agency's store does not find, list or correct them; the retention purge and the
/// usage quotas are platform-wide; on PostgreSQL an application role sees only the rows of
/// the agencies its transaction names.
async fn check_uploads_stay_in_their_agency(db: &TestDb) {
    let s = &db.store;
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
    let sb = s.in_agency(b.id);
    s.insert_check_uploads(&[check_upload("u-root", "visitor:aaaa")])
        .await
        .unwrap();
    sb.insert_check_uploads(&[check_upload("u-b", "user:zhao")])
        .await
        .unwrap();
    assert!(s.check_upload("u-b").await.unwrap().is_none());
    assert!(sb.check_upload("u-root").await.unwrap().is_none());
    assert_eq!(s.check_upload_version("u-b").await.unwrap(), None);
    assert_eq!(sb.check_upload_version("u-b").await.unwrap(), Some(0));
    assert!(
        s.check_uploads_of("user:zhao", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(sb.check_uploads_of("user:zhao", 10).await.unwrap().len(), 1);
    assert!(s.check_batch("batch-u-b", 10).await.unwrap().is_empty());
    assert!(
        s.check_batch_list("batch-u-b", 10)
            .await
            .unwrap()
            .is_empty()
    );
    let correction = CheckCorrection {
        seq: 0,
        cell: "t3.total.new".into(),
        old: None,
        new: Some("5".into()),
        who: "李（办理人员）".into(),
        at: chrono::Utc::now(),
        note: None,
    };
    let crafted = s
        .add_check_correction("u-b", correction.clone(), 0, 0, "user:li", "-")
        .await;
    assert!(
        matches!(crafted, Err(StoreError::NotFound { .. })),
        "{crafted:?}"
    );
    sb.add_check_correction("u-b", correction, 0, 0, "user:zhao", "-")
        .await
        .unwrap();
    let (_, kept) = sb.check_upload("u-b").await.unwrap().unwrap();
    assert_eq!(kept.len(), 1);
    // The images of a scan's cells (migration 0030) are kept with the upload, in its
    // agency; kept again, a cell's image replaces the old one.
    let cell = "s3.granted.total".to_string();
    sb.put_check_crops("u-b", &[(cell.clone(), b"old".to_vec())])
        .await
        .unwrap();
    sb.put_check_crops("u-b", &[(cell.clone(), b"\x89PNG".to_vec())])
        .await
        .unwrap();
    assert_eq!(
        sb.check_crops("u-b").await.unwrap(),
        vec![(cell, b"\x89PNG".to_vec())]
    );
    assert!(s.check_crops("u-b").await.unwrap().is_empty());
    s.put_check_crops(
        "u-root",
        &[("s2.penalties.decisions".into(), b"r".to_vec())],
    )
    .await
    .unwrap();
    assert_eq!(sb.check_upload_version("u-b").await.unwrap(), Some(1));
    // The upload's and the correction's audit rows are the agency's.
    let audit = sb
        .audit(&gongkai_store::AuditQuery {
            subject_kind: Some("check_upload".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    if db.url.starts_with("postgres") {
        let (mut c, role) = app_role(&db.url, "gongkai_check", "SELECT").await;
        let mut t = c.begin().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("SET LOCAL ROLE {role}")))
            .execute(&mut *t)
            .await
            .unwrap();
        sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
            .bind(b.id.to_string())
            .execute(&mut *t)
            .await
            .unwrap();
        let seen: Vec<String> = sqlx::query_scalar("SELECT id FROM check_uploads")
            .fetch_all(&mut *t)
            .await
            .unwrap();
        let corrections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM check_corrections")
            .fetch_one(&mut *t)
            .await
            .unwrap();
        let crops: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM check_crops")
            .fetch_one(&mut *t)
            .await
            .unwrap();
        t.rollback().await.unwrap();
        assert_eq!((seen, corrections, crops), (vec!["u-b".to_string()], 1, 1));
        drop_role(&mut c, &role).await;
    }
    // Platform-wide: the usage counts every agency's files, the purge deletes them all.
    let since = chrono::Utc::now() - chrono::Duration::days(1);
    assert_eq!(s.check_usage(None, since).await.unwrap().files, 2);
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    assert_eq!(
        s.purge_check_uploads(later, chrono::Utc::now())
            .await
            .unwrap(),
        2
    );
    assert!(sb.check_upload("u-b").await.unwrap().is_none());
    assert!(
        sb.check_crops("u-b").await.unwrap().is_empty(),
        "images purged"
    );
}
