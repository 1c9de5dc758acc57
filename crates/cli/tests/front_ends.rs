//! One scenario through the three front ends — the command line (the `gongkai` binary),
//! the HTML forms and the JSON API (the router, no socket) — each on its own SQLite
//! database with the same users: register an application that came by ordinary mail,
//! request a correction, receive it, extend, decide, review the reply (three levels), send
//! it, add a reconsideration case (its id made by the service) and a proactive record.
//! The three databases must end in the same state: the applications and their events
//! (apart from the moment of recording), the derived states, the appeals, the reviews,
//! the audit rows (apart from times and log-ins) and the official year-end report.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use axum::http::{Method, StatusCode};
use chrono::{Datelike, Duration, NaiveDate};
use gongkai_server::{AppState, Config};
use gongkai_service::Service;
use gongkai_store::{AuditQuery, NewUser, Role, Stamp, Store};
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "../../server/tests/web/common.rs"]
mod common;

use common::{Client, USERS, password};

/// A file database with the users of `common::USERS`.
async fn database(dir: &Path, name: &str) -> String {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = Store::open(&url).await.unwrap();
    let admin = NewUser {
        name: "admin".into(),
        display_name: Some("系统管理员".into()),
        role: Role::Admin,
        password: password("admin"),
    };
    store
        .init("测试市某局", &admin, chrono::Utc::now())
        .await
        .unwrap();
    for (name, role) in &USERS[1..] {
        let u = NewUser {
            name: (*name).into(),
            display_name: None,
            role: *role,
            password: password(name),
        };
        store.add_user(&u, &Stamp::now("admin")).await.unwrap();
    }
    store.close().await;
    url
}

/// The scenario's dates: receipt, correction received (both this year, not after today).
fn dates() -> (NaiveDate, NaiveDate, NaiveDate) {
    let today = Service::today();
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let received = (today - Duration::days(20)).max(jan1);
    let corrected = (received + Duration::days(3)).min(today);
    (received, corrected, received + Duration::days(15))
}

fn cli(db: &str, args: &[&str]) {
    cli_as(db, "clerk", args);
}

fn cli_as(db: &str, user: &str, args: &[&str]) {
    // Every write proves who runs it: the user's password on standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_USER")
        .env_remove("GONGKAI_TOKEN")
        .args(["ledger", "--db", db, "--user", user, "--password-stdin"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", password(user)).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "gongkai ledger {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn through_cli(db: &str, id: &str) {
    let (r, c, due) = dates();
    let (r, c, due) = (r.to_string(), c.to_string(), due.to_string());
    let year_start = format!("{}-01-01", Service::today().year());
    cli(
        db,
        &[
            "apply",
            "--applicant-type",
            "natural-person",
            "--name",
            "张三",
            "--id-number",
            "110101199001011234",
            "--channel",
            "ordinary-mail",
            "--arrived",
            &r,
            "--received",
            &r,
            "--request",
            "某道路改造工程的环评批复",
            "--form",
            "electronic",
            "--delivery",
            "email",
        ],
    );
    let ev = |date: &str, args: &[&str]| {
        let mut all = vec!["event", id, "--date", date];
        all.extend_from_slice(args);
        cli(db, &all);
    };
    ev(
        &r,
        &["correction-requested", "--items", "写明文号", "--due", &due],
    );
    ev(&c, &["corrected"]);
    ev(&c, &["extension", "--days", "20", "--approved-by", "朱红"]);
    ev(&c, &["decision", "partially_granted"]);
    cli(db, &["review", "submit", "reply", id]);
    cli_as(db, "head", &["review", "approve", "reply", id]);
    cli_as(db, "leader", &["review", "approve", "reply", id]);
    ev(&c, &["reply-sent", "--method", "email"]);
    cli(
        db,
        &[
            "appeal",
            "add",
            "--kind",
            "reconsideration",
            "--filed",
            &c,
            "--application",
            id,
            "--body",
            "某市人民政府",
        ],
    );
    cli(
        db,
        &[
            "proactive",
            "set",
            "lic-1",
            "decisions",
            "--area",
            "licensing",
            "--from",
            &year_start,
            "--to",
            &c,
            "--count",
            "5",
        ],
    );
}

async fn app(db: &str) -> axum::Router {
    let store = Store::open(db).await.unwrap();
    let config = Config {
        secret: Some("test secret".into()),
        ..Config::default()
    };
    gongkai_server::app(AppState::new(store, config))
}

async fn through_forms(db: &str, id: &str) {
    let (r, c, due) = dates();
    let (r, c, due) = (r.to_string(), c.to_string(), due.to_string());
    let year_start = format!("{}-01-01", Service::today().year());
    let (r, c, due, year_start) = (r.as_str(), c.as_str(), due.as_str(), year_start.as_str());
    let mut b = Client::new(&app(db).await);
    b.login("clerk").await;
    let csrf = b.csrf("/ledger/new").await;
    let post = |fields: &[(&str, &str)]| {
        let mut v: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
        v.extend(fields.iter().map(|(k, x)| (k.to_string(), x.to_string())));
        v
    };
    let send = async |b: &mut Client, uri: &str, fields: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = b.post_form(uri, &f).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{uri}: {}", resp.text());
    };
    send(
        &mut b,
        "/ledger/new",
        post(&[
            ("kind", "natural_person"),
            ("name", "张三"),
            ("id_number", "110101199001011234"),
            ("channel", "ordinary_mail"),
            ("earlier_date", r),
            ("received_on", r),
            ("description", "某道路改造工程的环评批复"),
            ("form", "electronic"),
            ("delivery", "email"),
        ]),
    )
    .await;
    let events = format!(
        "/ledger/a/{}/events",
        gongkai_server::check::percent_encode(id)
    );
    let steps: [&[(&str, &str)]; 4] = [
        &[
            ("type", "correction_requested"),
            ("date", r),
            ("items", "写明文号"),
            ("due", due),
        ],
        &[("type", "corrected"), ("date", c)],
        &[
            ("type", "extended"),
            ("date", c),
            ("days", "20"),
            ("approved_by", "朱红"),
        ],
        &[
            ("type", "decided"),
            ("date", c),
            ("decision", "partially_granted"),
        ],
    ];
    for fields in steps {
        send(&mut b, &events, post(fields)).await;
    }
    let review = format!(
        "/ledger/a/{}/review",
        gongkai_server::check::percent_encode(id)
    );
    send(&mut b, &review, post(&[("action", "submit")])).await;
    for who in ["head", "leader"] {
        let mut u = Client::new(&app(db).await);
        u.login(who).await;
        let app_page = format!("/ledger/a/{}", gongkai_server::check::percent_encode(id));
        let token = u.csrf(&app_page).await;
        let resp = u
            .post_form(&review, &[("csrf", &token), ("action", "approve")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{who}: {}", resp.text());
    }
    send(
        &mut b,
        &events,
        post(&[("type", "reply_sent"), ("date", c), ("method", "email")]),
    )
    .await;
    send(
        &mut b,
        "/appeals",
        post(&[
            ("kind", "reconsideration"),
            ("filed_on", c),
            ("application", id),
            ("role", "original_actor"),
            ("body", "某市人民政府"),
        ]),
    )
    .await;
    send(
        &mut b,
        "/proactive",
        post(&[
            ("record", "decisions"),
            ("id", "lic-1"),
            ("area", "licensing"),
            ("from", year_start),
            ("to", c),
            ("count", "5"),
        ]),
    )
    .await;
}

async fn through_api(db: &str, id: &str) {
    let (r, c, due) = dates();
    let year_start = format!("{}-01-01", Service::today().year());
    let mut a = Client::new(&app(db).await);
    let login = json!({"name": "clerk", "password": password("clerk")});
    let resp = a
        .json(Method::POST, "/api/v1/session", Some(login), None)
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    a.bearer = Some(resp.json()["token"].as_str().unwrap().to_string());
    let mut call = async |method: Method, uri: &str, body: Value| {
        let resp = a.json(method, uri, Some(body), None).await;
        assert!(resp.status.is_success(), "{uri}: {}", resp.text());
    };
    call(
        Method::POST,
        "/api/v1/applications",
        json!({
            "applicant": {"kind": "natural_person", "name": "张三",
                "identity": {"document": "resident_id_card", "number": "110101199001011234"}},
            "request": {"description": "某道路改造工程的环评批复", "form": "electronic", "delivery": "email"},
            "received": {"date": r, "type": "received", "channel": {"kind": "ordinary_mail", "arrived_on": r}}
        }),
    )
    .await;
    let events = format!(
        "/api/v1/applications/{}/events",
        gongkai_server::check::percent_encode(id)
    );
    for body in [
        json!({"date": r, "type": "correction_requested", "items": "写明文号", "due": due}),
        json!({"date": c, "type": "corrected"}),
        json!({"date": c, "type": "extended", "days": 20, "approved_by": "朱红"}),
        json!({"date": c, "type": "decided", "decision": "partially_granted"}),
    ] {
        call(Method::POST, &events, body).await;
    }
    let review = format!(
        "/api/v1/reviews/reply/{}",
        gongkai_server::check::percent_encode(id)
    );
    call(Method::POST, &review, json!({"action": "submit"})).await;
    for (who, action) in [("head", "review"), ("leader", "approve")] {
        let mut u = Client::new(&app(db).await);
        let login = json!({"name": who, "password": password(who)});
        let resp = u
            .json(Method::POST, "/api/v1/session", Some(login), None)
            .await;
        u.bearer = Some(resp.json()["token"].as_str().unwrap().to_string());
        let resp = u
            .json(Method::POST, &review, Some(json!({"action": action})), None)
            .await;
        assert_eq!(resp.status, StatusCode::CREATED, "{who}: {}", resp.text());
    }
    call(
        Method::POST,
        &events,
        json!({"date": c, "type": "reply_sent", "method": "email"}),
    )
    .await;
    call(
        Method::POST,
        "/api/v1/appeals",
        json!({"kind": "reconsideration", "filed_on": c, "application": id, "body": "某市人民政府"}),
    )
    .await;
    call(
        Method::PUT,
        "/api/v1/proactive/lic-1",
        json!({"type": "decisions", "area": "licensing", "from": year_start, "to": c, "count": 5}),
    )
    .await;
}

/// What must be the same whichever front end recorded it.
async fn outcome(db: &str) -> Value {
    let svc = Service::new(Store::open(db).await.unwrap());
    let mut apps = serde_json::to_value(svc.store().applications().await.unwrap()).unwrap();
    for app in apps.as_array_mut().unwrap() {
        for e in app["events"].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("recorded_at");
        }
    }
    let id = apps[0]["id"].as_str().unwrap().to_string();
    let detail = svc
        .application(&gongkai_ledger::ApplicationId(id), None)
        .await
        .unwrap();
    let mut appeals = serde_json::to_value(svc.appeals().await.unwrap()).unwrap();
    for a in appeals.as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("recorded_at");
    }
    let proactive: Vec<Value> = svc
        .proactive_records()
        .await
        .unwrap()
        .into_iter()
        .map(|r| json!([r.id, r.data]))
        .collect();
    let reviews: Vec<Value> = svc
        .reviews()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let steps: Vec<Value> = r
                .steps
                .iter()
                .map(|s| json!([s.action, s.actor, s.note]))
                .collect();
            json!([r.subject, r.status, steps])
        })
        .collect();
    let audit: Vec<Value> = svc
        .store()
        .audit(&AuditQuery {
            limit: Some(1000),
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| !e.action.starts_with("session."))
        .map(|e| json!([e.action, e.subject_kind, e.subject_id, e.actor]))
        .collect();
    let official = svc
        .official_year_end(Service::today().year(), None)
        .await
        .unwrap();
    svc.store().close().await;
    json!({
        "applications": apps,
        "state": detail.state,
        "review": detail.review.status,
        "appeals": appeals,
        "proactive": proactive,
        "reviews": reviews,
        "audit": audit,
        "year_end": {
            "report": official.year_end.report,
            "figures": official.year_end.figures,
            "carried_forward": official.year_end.carried_forward,
        },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_scenario_through_cli_forms_and_api_gives_the_same_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let (cli_db, forms_db, api_db) = (
        database(dir.path(), "cli.db").await,
        database(dir.path(), "forms.db").await,
        database(dir.path(), "api.db").await,
    );
    let id = format!("{}-0001", dates().0.year());
    through_cli(&cli_db, &id);
    through_forms(&forms_db, &id).await;
    through_api(&api_db, &id).await;
    let by_cli = outcome(&cli_db).await;
    let by_forms = outcome(&forms_db).await;
    let by_api = outcome(&api_db).await;
    // The scenario did what it says.
    assert_eq!(by_cli["applications"].as_array().unwrap().len(), 1);
    assert_eq!(
        by_cli["applications"][0]["events"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(by_cli["state"]["decision"], "partially_granted");
    assert_eq!(
        by_cli["appeals"][0]["id"],
        format!("案-{}-001", dates().1.year())
    );
    assert_eq!(by_cli["review"], "approved");
    let audit = by_cli["audit"].as_array().unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a[0] == "event.append" && a[3] == "clerk")
    );
    let cells = &by_cli["year_end"]["report"]["cells"];
    assert_eq!(cells["s3.partially_granted.natural_person"], 1, "{cells}");
    // … and the same whichever front end.
    for (name, other) in [("forms", &by_forms), ("api", &by_api)] {
        for key in [
            "applications",
            "state",
            "review",
            "appeals",
            "proactive",
            "reviews",
            "audit",
            "year_end",
        ] {
            assert_eq!(by_cli[key], other[key], "{key}: cli vs {name}");
        }
    }
}
