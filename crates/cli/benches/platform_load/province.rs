//! The generated province: the agencies' tree, one clerk per agency, the supervisors, and
//! each agency's ledger (the ledger tests' deterministic generator, `crates/ledger/tests/
//! support`), bulk-loaded through `Store::bulk_load`.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use gongkai_ledger::Application;
use gongkai_store::{
    AgencyId, AgencyKind, BulkCounts, BulkLoad, BulkMethod, NewAccount, NewAgency, NewUser, Role,
    Stamp, Store,
};
use rayon::prelude::*;

use crate::support;

pub const PASSWORD: &str = "load-test-password-1";

/// One agency of the province and what the generator put in it.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: AgencyId,
    pub code: String,
    pub kind: AgencyKind,
    /// How many applications it got.
    pub applications: usize,
    /// Ids of its generated applications (the clerks open them).
    pub sample_ids: Vec<String>,
}

pub struct Province {
    pub nodes: Vec<Node>,
    /// (user, node code) of the supervisors.
    pub supervisors: Vec<(String, String)>,
    pub loaded: BulkCounts,
    pub generate_time: Duration,
    pub load_time: Duration,
    pub setup_time: Duration,
}

/// The shape: 1 province, 1 % cities, 6 % counties, 60 % townships, the rest departments
/// of the province, the cities and the counties (round robin).
fn shape(n: usize) -> Vec<(AgencyKind, usize)> {
    let n = n.max(4);
    let cities = (n / 100).max(1);
    let counties = (n * 6 / 100).max(1);
    let townships = n * 60 / 100;
    let departments = n - 1 - cities - counties - townships;
    let mut out = vec![(AgencyKind::Province, usize::MAX)];
    out.extend(std::iter::repeat_n((AgencyKind::City, 0), cities));
    for i in 0..counties {
        out.push((AgencyKind::County, 1 + i % cities));
    }
    let first_county = 1 + cities;
    for i in 0..townships {
        out.push((AgencyKind::Township, first_county + i % counties));
    }
    let governments = 1 + cities + counties;
    for i in 0..departments {
        out.push((AgencyKind::Department, i % governments));
    }
    out
}

/// Relative weight of an agency's caseload.
fn weight(kind: AgencyKind) -> usize {
    match kind {
        AgencyKind::Province => 40,
        AgencyKind::City => 12,
        AgencyKind::County => 6,
        AgencyKind::Township => 1,
        AgencyKind::Department => 3,
    }
}

fn kind_name(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::Province => "省人民政府",
        AgencyKind::City => "市人民政府",
        AgencyKind::County => "县人民政府",
        AgencyKind::Township => "镇人民政府",
        AgencyKind::Department => "局",
    }
}

/// The generated ledger of one agency: applications received since 1 January of last
/// year, events up to today; 2 % of the older ones left at their receipt (overdue).
fn ledger_of(n: usize, seed: u64, today: NaiveDate) -> gongkai_ledger::Ledger {
    let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap();
    let g = support::generate(n.max(1), from, today, today, seed);
    let mut data = gongkai_ledger::LedgerData {
        agency: String::new(),
        applications: g.ledger.applications().to_vec(),
        appeals: g.ledger.appeals().to_vec(),
        proactive: g.ledger.proactive().to_vec(),
        opening: None,
    };
    if n == 0 {
        data.applications.clear();
        data.appeals.clear();
    }
    let mut rng = support::Rng::new(seed ^ 0x5eed);
    let old = today - chrono::Days::new(60);
    for app in &mut data.applications {
        if app.received_on().is_some_and(|r| r < old) && rng.percent(2) {
            app.events.truncate(1);
        }
    }
    gongkai_ledger::Ledger::from(data)
}

pub async fn build(
    store: &Store,
    agencies: usize,
    applications: usize,
    method: BulkMethod,
    supervisors: usize,
    clerks: usize,
) -> Province {
    let t = Instant::now();
    let admin = Stamp::now("admin");
    store
        .init(
            "某省人民政府",
            &NewUser {
                name: "admin".into(),
                display_name: None,
                role: Role::Admin,
                password: PASSWORD.into(),
            },
            Utc::now(),
        )
        .await
        .expect("init");
    let hash = gongkai_store::auth::hash_password(PASSWORD).expect("hash");
    let plan = shape(agencies);
    let total_weight: usize = plan.iter().map(|(k, _)| weight(*k)).sum();
    let mut nodes: Vec<Node> = Vec::with_capacity(plan.len());
    for (i, (kind, parent)) in plan.iter().enumerate() {
        let code = format!("P{i:05}");
        let id = if i == 0 {
            1
        } else {
            store
                .add_agency(
                    &NewAgency {
                        parent_id: nodes[*parent].id,
                        code: code.clone(),
                        name: format!("某{}{i}", kind_name(*kind)),
                        kind: *kind,
                    },
                    &admin,
                )
                .await
                .expect("add agency")
                .id
        };
        let code = if i == 0 {
            store.this_agency().await.expect("root").code
        } else {
            code
        };
        nodes.push(Node {
            id,
            code,
            kind: *kind,
            applications: applications * weight(*kind) / total_weight,
            sample_ids: Vec::new(),
        });
    }
    // One clerk per agency (the password hashed once); where a simulated clerk works, also
    // an office head and a leader, who review and approve the clerk's reply letters
    // (三级审查: the reply is recorded as sent only once its letter is approved).
    let reviewed = crate::drive::clerk_nodes(nodes.len(), clerks);
    for (i, node) in nodes.iter().enumerate() {
        let mut people = vec![(format!("clerk{i}"), Role::Clerk, "clerk")];
        if reviewed.contains(&i) {
            people.push((format!("head{i}"), Role::OfficeHead, "office_head"));
            people.push((format!("leader{i}"), Role::Leader, "leader"));
        }
        for (name, role, key) in people {
            store
                .create_user(
                    &NewAccount {
                        name: name.clone(),
                        display_name: None,
                        roles: vec![role],
                        password_hash: hash.clone(),
                        must_change_password: false,
                    },
                    &admin,
                )
                .await
                .expect("clerk");
            if node.id != 1 {
                store
                    .grant_roles(&name, node.id, &[key.into()], &admin)
                    .await
                    .expect("grant");
                store
                    .grant_roles(&name, 1, &[], &admin)
                    .await
                    .expect("leave root");
            }
        }
    }
    // Supervisors: the province, then the first cities.
    let mut sups = Vec::new();
    let tops: Vec<&Node> = nodes
        .iter()
        .filter(|n| matches!(n.kind, AgencyKind::Province | AgencyKind::City))
        .chain(nodes.iter().filter(|n| n.kind == AgencyKind::County))
        .take(supervisors)
        .collect();
    for (k, node) in tops.iter().enumerate() {
        let name = format!("supervisor{k}");
        store
            .create_user(
                &NewAccount {
                    name: name.clone(),
                    display_name: None,
                    roles: vec![Role::Leader],
                    password_hash: hash.clone(),
                    must_change_password: false,
                },
                &admin,
            )
            .await
            .expect("supervisor");
        store
            .grant_roles(&name, node.id, &["supervisor".into()], &admin)
            .await
            .expect("grant supervisor");
        if node.id != 1 {
            store
                .grant_roles(&name, 1, &[], &admin)
                .await
                .expect("leave root");
        }
        sups.push((name, node.code.clone()));
    }
    let setup_time = t.elapsed();

    // The ledgers, a wave of agencies at a time: generated in parallel, then loaded by a
    // few concurrent transactions.
    let today = Utc::now().date_naive();
    let mut loaded = BulkCounts::default();
    let mut generate_time = Duration::ZERO;
    let mut load_time = Duration::ZERO;
    let wave = 8;
    let mut done = 0usize;
    for chunk in (0..nodes.len()).collect::<Vec<_>>().chunks(wave) {
        let t = Instant::now();
        let ledgers: Vec<(usize, gongkai_ledger::Ledger)> = chunk
            .par_iter()
            .map(|&i| (i, ledger_of(nodes[i].applications, 1_000 + i as u64, today)))
            .collect();
        generate_time += t.elapsed();
        let t = Instant::now();
        let mut tasks = Vec::new();
        for (i, ledger) in ledgers {
            let s = store.in_agency(nodes[i].id);
            let admin = admin.clone();
            let ids: Vec<String> = sample(ledger.applications());
            nodes[i].sample_ids = ids;
            nodes[i].applications = ledger.applications().len();
            tasks.push(tokio::spawn(async move {
                let batch = BulkLoad {
                    applications: ledger.applications(),
                    appeals: ledger.appeals(),
                    proactive: ledger.proactive(),
                };
                s.bulk_load(&batch, method, &admin)
                    .await
                    .expect("bulk load")
            }));
        }
        for task in tasks {
            let c = task.await.expect("load task");
            loaded.applications += c.applications;
            loaded.events += c.events;
            loaded.appeals += c.appeals;
            loaded.proactive += c.proactive;
        }
        load_time += t.elapsed();
        done += chunk.len();
        if done % 100 < wave {
            eprintln!(
                "  {done}/{} agencies, {} applications, {} events loaded ({:.0} s)",
                nodes.len(),
                loaded.applications,
                loaded.events,
                load_time.as_secs_f64()
            );
        }
    }
    Province {
        nodes,
        supervisors: sups,
        loaded,
        generate_time,
        load_time,
        setup_time,
    }
}

/// Up to 50 ids the clerks open.
fn sample(apps: &[Application]) -> Vec<String> {
    let step = (apps.len() / 50).max(1);
    apps.iter().step_by(step).map(|a| a.id.0.clone()).collect()
}
