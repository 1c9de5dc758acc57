//! The simulated people: clerks of different agencies and the supervisors, each on its own
//! connection, alternating between the two server processes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::http::Client;
use crate::province::{PASSWORD, Province};

/// What the people saw.
#[derive(Default)]
pub struct Outcome {
    /// Latencies by kind of request.
    pub latencies: BTreeMap<&'static str, Vec<Duration>>,
    /// Failures by kind (unexpected status or connection error), with one example.
    pub failures: BTreeMap<&'static str, (usize, String)>,
    /// `(agency id, application id)` of every acknowledged registration.
    pub registered: Vec<(i64, String)>,
    /// Events acknowledged (decisions and replies).
    pub events_acked: u64,
    pub seconds: f64,
    pub supervise_routes: bool,
}

/// Which kinds are page loads, which writes.
const PAGES: [&str; 4] = ["list", "application", "supervise page", "supervise api"];
const WRITES: [&str; 6] = [
    "register",
    "decision",
    "submit reply",
    "review reply",
    "approve reply",
    "reply",
];

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        for (k, v) in other.latencies {
            self.latencies.entry(k).or_default().extend(v);
        }
        for (k, (n, ex)) in other.failures {
            let e = self.failures.entry(k).or_insert((0, ex));
            e.0 += n;
        }
        self.registered.extend(other.registered);
        self.events_acked += other.events_acked;
        self.supervise_routes |= other.supervise_routes;
    }

    fn took(&mut self, kind: &'static str, d: Duration) {
        self.latencies.entry(kind).or_default().push(d);
    }

    fn failed(&mut self, kind: &'static str, what: String) {
        let e = self.failures.entry(kind).or_insert((0, what));
        e.0 += 1;
    }

    pub fn print(&self) {
        println!(
            "load of {:.0} s on two processes{}:",
            self.seconds,
            if self.supervise_routes {
                ""
            } else {
                " (no /supervise routes in this build: the supervisors read the root's year-end page as its administrator)"
            }
        );
        let line = |name: &str, all: &mut Vec<Duration>| {
            all.sort();
            println!(
                "  {name:<16} {:>6} ok  p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms  ({:.1}/s)",
                all.len(),
                ms(pct(all, 0.5)),
                ms(pct(all, 0.99)),
                ms(all.last().copied().unwrap_or_default()),
                all.len() as f64 / self.seconds.max(1e-9)
            );
        };
        let mut pages = Vec::new();
        let mut writes = Vec::new();
        for (k, v) in &self.latencies {
            let mut v = v.clone();
            if PAGES.contains(k) {
                pages.extend(v.iter().copied());
            }
            if WRITES.contains(k) {
                writes.extend(v.iter().copied());
            }
            line(k, &mut v);
        }
        line("ALL PAGE LOADS", &mut pages);
        line("ALL WRITES", &mut writes);
        for (k, (n, ex)) in &self.failures {
            println!("  FAILED {k}: {n} (e.g. {ex})");
        }
    }
}

fn status_of(r: &std::io::Result<crate::http::Resp>) -> String {
    match r {
        Ok(r) => format!(
            "HTTP {} {}",
            r.status,
            r.text().chars().take(160).collect::<String>()
        ),
        Err(e) => format!("connection: {e}"),
    }
}

async fn login(c: &mut Client, name: &str) -> Result<(), String> {
    let page = c.get("/login").await.map_err(|e| e.to_string())?;
    let csrf = page.csrf().ok_or("no CSRF token on /login")?;
    let r = c
        .post_form(
            "/login",
            &[("csrf", &csrf), ("name", name), ("password", PASSWORD)],
        )
        .await;
    match &r {
        Ok(resp) if resp.status == 303 => Ok(()),
        _ => Err(status_of(&r)),
    }
}

/// Path segment of an id (ids are ASCII: `2026-0001`).
fn seg(id: &str) -> String {
    crate::http::form_encode(&[("", id)])[1..].to_string()
}

/// The indices of the agencies where the `clerks` simulated clerks work: every n-th.
pub fn clerk_nodes(agencies: usize, clerks: usize) -> Vec<usize> {
    let step = (agencies / clerks.max(1)).max(1);
    (0..agencies).step_by(step).take(clerks).collect()
}

/// Signs in on one process, the session shared with the other; the CSRF token of the
/// session (from the ledger list).
async fn sign_in(clients: &mut [Client], name: &str, k: usize) -> Result<String, String> {
    login(&mut clients[k % 2], name).await?;
    let jar = clients[k % 2].cookies_clone();
    clients[(k + 1) % 2].set_cookies(jar);
    let r = clients[k % 2].get("/ledger").await;
    match &r {
        Ok(p) if p.status == 200 => p.csrf().ok_or_else(|| "no CSRF token on /ledger".into()),
        _ => Err(status_of(&r)),
    }
}

/// One review step on application `id`'s reply, as `kind`.
async fn review(
    out: &mut Outcome,
    c: &mut Client,
    csrf: &str,
    id: &str,
    action: &str,
    kind: &'static str,
) -> bool {
    let t = Instant::now();
    let r = c
        .post_form(
            &format!("/ledger/a/{id}/review"),
            &[("csrf", csrf), ("action", action), ("note", "")],
        )
        .await;
    match &r {
        Ok(p) if p.status == 303 => {
            out.took(kind, t.elapsed());
            true
        }
        _ => {
            out.failed(kind, status_of(&r));
            false
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn clerk(
    name: String,
    agency: i64,
    reviewers: [String; 2],
    ids: Vec<String>,
    addrs: Vec<String>,
    deadline: Instant,
    think: Duration,
    k: usize,
) -> Outcome {
    let mut out = Outcome::default();
    let mut clients: Vec<Client> = addrs.iter().map(|a| Client::new(a)).collect();
    // Logged in on one process; the session cookie is valid on the other (one database).
    let t = Instant::now();
    if let Err(e) = login(&mut clients[k % 2], &name).await {
        out.failed("login", e);
        return out;
    }
    out.took("login", t.elapsed());
    let jar = clients[k % 2].cookies_clone();
    clients[(k + 1) % 2].set_cookies(jar);
    // The office head and the leader of the agency, each with their own sessions.
    let mut heads: Vec<Client> = addrs.iter().map(|a| Client::new(a)).collect();
    let mut leaders: Vec<Client> = addrs.iter().map(|a| Client::new(a)).collect();
    let head_csrf = sign_in(&mut heads, &reviewers[0], k + 1).await;
    let leader_csrf = sign_in(&mut leaders, &reviewers[1], k).await;
    let (head_csrf, leader_csrf) = match (head_csrf, leader_csrf) {
        (Ok(h), Ok(l)) => (h, l),
        (Err(e), _) | (_, Err(e)) => {
            out.failed("login", e);
            return out;
        }
    };
    let today = chrono::Utc::now().date_naive().to_string();
    let mut i = k;
    while Instant::now() < deadline {
        let c = &mut clients[i % 2];
        i += 1;
        let t = Instant::now();
        let r = c.get("/ledger").await;
        let csrf = match &r {
            Ok(p) if p.status == 200 => {
                out.took("list", t.elapsed());
                p.csrf().unwrap_or_default()
            }
            _ => {
                out.failed("list", status_of(&r));
                continue;
            }
        };
        if !ids.is_empty() {
            let id = &ids[i % ids.len()];
            let t = Instant::now();
            let r = c.get(&format!("/ledger/a/{}", seg(id))).await;
            match &r {
                Ok(p) if p.status == 200 => out.took("application", t.elapsed()),
                _ => out.failed("application", status_of(&r)),
            }
        }
        let t = Instant::now();
        let applicant = format!("负载测试申请人{k}-{i}");
        let r = c
            .post_form(
                "/ledger/new",
                &[
                    ("csrf", &csrf),
                    ("kind", "natural_person"),
                    ("name", &applicant),
                    ("phone", "13800000000"),
                    ("description", "某道路改造工程的立项批复"),
                    ("form", "electronic"),
                    ("delivery", "email"),
                    ("fee_units", "1"),
                    ("received_on", &today),
                    ("channel", "in_person"),
                ],
            )
            .await;
        let id = match &r {
            Ok(p) if p.status == 303 => {
                out.took("register", t.elapsed());
                let loc = p.location().unwrap_or_default();
                let id = loc
                    .strip_prefix("/ledger/a/")
                    .and_then(|s| s.split('?').next())
                    .unwrap_or("")
                    .to_string();
                out.registered.push((agency, id.clone()));
                id
            }
            _ => {
                out.failed("register", status_of(&r));
                continue;
            }
        };
        // The decision; the reply letter submitted by the clerk, reviewed by the office
        // head, approved by the leader (on the other process); then the reply sent.
        let mut ok = post_event(
            &mut out,
            &mut clients[i % 2],
            &csrf,
            &id,
            &today,
            "decision",
            &[("type", "decided"), ("decision", "granted")],
        )
        .await;
        ok = ok
            && review(
                &mut out,
                &mut clients[i % 2],
                &csrf,
                &id,
                "submit",
                "submit reply",
            )
            .await;
        ok = ok
            && review(
                &mut out,
                &mut heads[(i + 1) % 2],
                &head_csrf,
                &id,
                "approve",
                "review reply",
            )
            .await;
        ok = ok
            && review(
                &mut out,
                &mut leaders[i % 2],
                &leader_csrf,
                &id,
                "approve",
                "approve reply",
            )
            .await;
        if ok {
            post_event(
                &mut out,
                &mut clients[(i + 1) % 2],
                &csrf,
                &id,
                &today,
                "reply",
                &[("type", "reply_sent"), ("method", "email")],
            )
            .await;
        }
        tokio::time::sleep(think).await;
    }
    out
}

/// Records an event on application `id`; true if acknowledged.
async fn post_event(
    out: &mut Outcome,
    c: &mut Client,
    csrf: &str,
    id: &str,
    date: &str,
    kind: &'static str,
    pairs: &[(&str, &str)],
) -> bool {
    let mut form = vec![("csrf", csrf), ("date", date)];
    form.extend_from_slice(pairs);
    let t = Instant::now();
    let r = c.post_form(&format!("/ledger/a/{id}/events"), &form).await;
    match &r {
        Ok(p) if p.status == 303 => {
            out.took(kind, t.elapsed());
            out.events_acked += 1;
            true
        }
        _ => {
            out.failed(kind, status_of(&r));
            false
        }
    }
}

async fn supervisor(
    name: String,
    node: String,
    addrs: Vec<String>,
    deadline: Instant,
    think: Duration,
    k: usize,
) -> Outcome {
    let mut out = Outcome::default();
    let mut clients: Vec<Client> = addrs.iter().map(|a| Client::new(a)).collect();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    // Without the supervisor's routes: the root's administrator reads its year-end page.
    let probe = clients[0].get("/supervise").await;
    let routes = !matches!(&probe, Ok(r) if r.status == 404);
    out.supervise_routes = routes;
    let user = if routes { name } else { "admin".to_string() };
    let t = Instant::now();
    if let Err(e) = login(&mut clients[k % 2], &user).await {
        out.failed("login", e);
        return out;
    }
    out.took("login", t.elapsed());
    let jar = clients[k % 2].cookies_clone();
    clients[(k + 1) % 2].set_cookies(jar);
    let mut i = k;
    while Instant::now() < deadline {
        let c = &mut clients[i % 2];
        i += 1;
        let reads: Vec<(&'static str, String)> = if routes {
            vec![
                (
                    "supervise page",
                    format!("/supervise?node={node}&year={year}"),
                ),
                (
                    "supervise api",
                    format!("/api/v1/supervise?node={node}&year={year}"),
                ),
            ]
        } else {
            vec![("year-end page", format!("/year-end?year={year}"))]
        };
        for (kind, path) in reads {
            let t = Instant::now();
            let r = c.get(&path).await;
            match &r {
                Ok(p) if p.status == 200 => out.took(kind, t.elapsed()),
                _ => out.failed(kind, status_of(&r)),
            }
        }
        tokio::time::sleep(think).await;
    }
    out
}

/// One supervisor's read of a node's roll-up through the API, timed.
pub async fn timed_rollup(
    addr: &str,
    name: &str,
    node: &str,
    year: i32,
) -> Result<(Duration, usize), String> {
    let mut c = Client::new(addr);
    login(&mut c, name).await?;
    let t = Instant::now();
    let r = c
        .get(&format!("/api/v1/supervise?node={node}&year={year}"))
        .await;
    match &r {
        Ok(p) if p.status == 200 => Ok((t.elapsed(), p.body.len())),
        _ => Err(status_of(&r)),
    }
}

pub async fn run(
    p: &Province,
    addrs: &[String],
    clerks: usize,
    length: Duration,
    think: Duration,
) -> Outcome {
    let start = Instant::now();
    let deadline = start + length;
    let mut tasks = Vec::new();
    // Clerks spread over the tree (every n-th agency).
    for (k, i) in clerk_nodes(p.nodes.len(), clerks).into_iter().enumerate() {
        let node = &p.nodes[i];
        tasks.push(tokio::spawn(clerk(
            format!("clerk{i}"),
            node.id,
            [format!("head{i}"), format!("leader{i}")],
            node.sample_ids.clone(),
            addrs.to_vec(),
            deadline,
            think,
            k,
        )));
    }
    for (k, (name, node)) in p.supervisors.iter().enumerate() {
        tasks.push(tokio::spawn(supervisor(
            name.clone(),
            node.clone(),
            addrs.to_vec(),
            deadline,
            think,
            k,
        )));
    }
    let mut out = Outcome::default();
    for t in tasks {
        out.merge(t.await.expect("task"));
    }
    out.seconds = start.elapsed().as_secs_f64();
    out
}
