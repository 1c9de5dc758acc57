//! The supervisor's view over a generated tree: a root with `C` cities of `K` counties
//! each (default 9 × 10: 100 agencies), `N` applications per agency (default 50, received
//! over the last 90 days, some replied), then times the province's view three ways — every
//! agency computed from its ledger (cold), every kept row reused (warm), and after one
//! write in one county (one agency computed again) — and `rebuild_figures`.
//!
//! ```console
//! $ GONGKAI_BENCH_DB=postgres://… cargo run -p gongkai-service --example supervision_bench [-- C K N]
//! ```
//! Without `GONGKAI_BENCH_DB` it uses a SQLite file in a temporary directory.

use std::time::Instant;

use chrono::Duration;
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, EventKind, InformationRequest,
    ReplyMethod,
};
use gongkai_service::{Actor, Service, Via};
use gongkai_store::{EventInput, NewAgency, NewApplication, NewUser, Role, Stamp, Store};

fn application(i: usize, received: chrono::NaiveDate) -> NewApplication {
    NewApplication {
        id: None,
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: format!("申请人{i}"),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: "某项目的批复".into(),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
        received: Some(EventInput::new(
            received,
            EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
        )),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (cities, counties, per) = (
        *args.first().unwrap_or(&9),
        *args.get(1).unwrap_or(&10),
        *args.get(2).unwrap_or(&50),
    );
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("GONGKAI_BENCH_DB")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("b.db").display()));
    let store = Store::open(&url).await.unwrap();
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: "correct horse battery".into(),
    };
    store
        .init("某省人民政府办公厅", &admin, chrono::Utc::now())
        .await
        .unwrap();
    let st = Stamp::now("admin");
    let mut ids = vec![1];
    for c in 0..cities {
        let city = store
            .add_agency(
                &NewAgency {
                    parent_id: 1,
                    code: format!("C{c}"),
                    name: format!("第{c}市人民政府办公室"),
                    kind: gongkai_store::AgencyKind::City,
                },
                &st,
            )
            .await
            .unwrap();
        ids.push(city.id);
        for k in 0..counties {
            let a = store
                .add_agency(
                    &NewAgency {
                        parent_id: city.id,
                        code: format!("C{c}K{k}"),
                        name: format!("第{c}市第{k}县人民政府办公室"),
                        kind: gongkai_store::AgencyKind::County,
                    },
                    &st,
                )
                .await
                .unwrap();
            ids.push(a.id);
        }
    }
    for id in &ids {
        store
            .grant_roles("admin", *id, &["clerk".into(), "admin".into()], &st)
            .await
            .unwrap();
    }
    store
        .grant_roles("admin", 1, &["admin".into(), "supervisor".into()], &st)
        .await
        .unwrap();
    let today = Service::today();
    let started = Instant::now();
    for (n, id) in ids.iter().enumerate() {
        let s = store.in_agency(*id);
        for i in 0..per {
            let received = today - Duration::days(((i * 7 + n) % 90) as i64 + 1);
            let app = s
                .register_application(application(i, received), &st)
                .await
                .unwrap();
            if i % 3 == 0 {
                let on = (received + Duration::days(5)).min(today);
                let decided = EventInput::new(
                    on,
                    EventKind::Decided {
                        decision: Decision::Granted,
                    },
                );
                let sent = EventInput::new(
                    on,
                    EventKind::ReplySent {
                        method: ReplyMethod::Email,
                    },
                );
                let _ = s.append_event(&app.id, decided, &st).await;
                let _ = s.append_event(&app.id, sent, &st).await;
            }
        }
    }
    let total = ids.len() * per;
    println!(
        "{} agencies, {total} applications loaded in {:.1} s ({})",
        ids.len(),
        started.elapsed().as_secs_f64(),
        if url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    let svc = Service::new(store.clone());
    let actor: Actor = svc.actor("admin", Via::Cli).await.unwrap();
    let year = chrono::Datelike::year(&today);
    for label in ["cold (every agency computed)", "warm (every row kept)"] {
        let t = Instant::now();
        let o = svc
            .supervision(&actor, None, Some(year), None)
            .await
            .unwrap();
        println!(
            "view of the root, {label}: {:.3} s (kept {}, computed {}, at risk {})",
            t.elapsed().as_secs_f64(),
            o.cache.kept,
            o.cache.computed,
            o.at_risk.len()
        );
    }
    store
        .in_agency(ids[ids.len() - 1])
        .register_application(application(0, today), &st)
        .await
        .unwrap();
    let t = Instant::now();
    let o = svc
        .supervision(&actor, None, Some(year), None)
        .await
        .unwrap();
    println!(
        "after one write in one county: {:.3} s (kept {}, computed {})",
        t.elapsed().as_secs_f64(),
        o.cache.kept,
        o.cache.computed
    );
    let r = svc.rebuild_figures(&actor, Some(year)).await.unwrap();
    println!(
        "rebuild_figures: {} agencies in {:.2} s",
        r.agencies, r.seconds
    );
}
