//! How long the ledger's export takes: `cargo run --release -p gongkai-service --example
//! export_bench -- [N]` registers N applications (default 5,000; a third of them decided)
//! in an in-memory SQLite ledger, then exports them all as CSV and as XLSX
//! (the standard column set and all 26 columns) and prints rows/s and the file sizes.

use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, EventKind, IdDocument, Identity,
    InformationRequest,
};
use gongkai_service::exports::ExportFormat;
use gongkai_service::{ListFilter, Service, Via};
use gongkai_store::{EventInput, NewApplication, NewUser, Role, Stamp, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000);
    // In memory: the registrations (one transaction each) take no fsync; the export reads
    // as from a file.
    let store = Store::open("sqlite::memory:").await?;
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: "a long bench password".into(),
    };
    store.init("某市某局", &admin, Utc::now()).await?;
    let svc = Service::new(store.clone());
    let actor = svc.actor("admin", Via::Cli).await?;
    let start = NaiveDate::from_ymd_opt(2025, 1, 2).ok_or("date")?;
    let t = Instant::now();
    for i in 0..n {
        let received = start + Duration::days((i % 300) as i64);
        let app = store
            .register_application(
                NewApplication {
                    id: None,
                    applicant: Applicant {
                        kind: ApplicantKind::NaturalPerson,
                        name: format!("申请人{i}"),
                        identity: Some(Identity {
                            document: IdDocument::ResidentIdCard,
                            number: "410702199001011234".into(),
                        }),
                        contact: Contact::default(),
                        representative: None,
                    },
                    request: InformationRequest {
                        description: format!("第{i}号：某道路改造工程的立项批复及环评文件"),
                        document_number: None,
                        form: Default::default(),
                        delivery: Default::default(),
                        fee_units: 1,
                    },
                    received: Some(EventInput {
                        date: received,
                        kind: EventKind::Received {
                            channel: Channel::InPerson { oral: false },
                        },
                        note: None,
                    }),
                },
                &Stamp::now("admin"),
            )
            .await?;
        if i % 3 == 0 {
            let decided = EventInput {
                date: received + Duration::days(5),
                kind: EventKind::Decided {
                    decision: Decision::Granted,
                },
                note: None,
            };
            store
                .append_event(&app.id, decided, &Stamp::now("admin"))
                .await?;
        }
    }
    println!(
        "registered {n} applications in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    for (format, columns) in [
        (ExportFormat::Csv, "标准"),
        (ExportFormat::Xlsx, "标准"),
        (ExportFormat::Xlsx, "全部"),
    ] {
        let t = Instant::now();
        let e = svc
            .export_ledger(&actor, &ListFilter::all(), Some(columns), format)
            .await?;
        let s = t.elapsed().as_secs_f64();
        println!(
            "{} {columns}: {} rows in {:.2} s ({:.0} rows/s), {} KiB",
            format.as_str(),
            e.rows,
            s,
            e.rows as f64 / s,
            e.bytes.len() / 1024
        );
    }
    let t = Instant::now();
    let e = svc.statistics_xlsx(&actor, 2025).await?;
    println!(
        "statistics 2025: {:.2} s, {} KiB",
        t.elapsed().as_secs_f64(),
        e.bytes.len() / 1024
    );
    Ok(())
}
