//! The reply letter through the web: dated with its decision, the same bytes on every
//! download, the office as the DOCX author, the remedy organs from the settings, and the
//! first-run page that records them.

use std::io::Read;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, EventKind, InformationRequest,
    OfficeSettings,
};
use gongkai_service::{EventDraft, Service, Via};
use gongkai_store::{EventInput, NewApplication, Store};

use crate::common::{Client, app, csrf_of};

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    a.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// An organisation's application received 20 days ago, partly granted 5 days ago.
async fn decided(store: &Store) -> (String, NaiveDate, chrono::DateTime<chrono::Utc>) {
    let svc = Service::new(store.clone());
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let today = Service::today();
    let new = NewApplication {
        id: None,
        applicant: Applicant {
            kind: ApplicantKind::OtherOrganisation,
            name: "某律师事务所".into(),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: "某地块的征收补偿方案".into(),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
        received: Some(EventInput {
            date: today - Duration::days(20),
            kind: EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
            note: None,
        }),
    };
    let id = svc.register(&clerk, new).await.unwrap().application.id;
    let on = today - Duration::days(5);
    svc.append_event(
        &clerk,
        &id,
        EventDraft::complete(
            on,
            EventKind::Decided {
                decision: Decision::PartiallyGranted,
            },
            Some("补偿名册中的个人身份证号码和银行账号，属于个人隐私（第十五条）".into()),
        ),
    )
    .await
    .unwrap();
    let app = store.application(&id).await.unwrap();
    let at = app.events.last().unwrap().recorded_at;
    (id.0, on, at)
}

#[tokio::test]
async fn the_letter_is_the_decisions_and_the_same_on_every_download() {
    let (app, store) = app().await;
    let (id, on, at) = decided(&store).await;
    let head = Service::new(store.clone())
        .actor("head", Via::Web)
        .await
        .unwrap();
    Service::new(store.clone())
        .set_office(
            &head,
            &OfficeSettings {
                reconsideration_organ: "测试市人民政府".into(),
                court: "测试市某区人民法院".into(),
                calendar_dir: None,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let url = format!("/ledger/a/{id}/letter");
    let first = c.get(&format!("{url}/docx")).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = c.get(&format!("{url}/docx")).await;
    // The same bytes: nothing in the file depends on the time of the download.
    assert_eq!(first.body, second.body);
    let core = zip_part(&first.body, "docProps/core.xml");
    assert!(
        core.contains("<dc:creator>测试市某局</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains("<cp:lastModifiedBy>测试市某局</cp:lastModifiedBy>"),
        "{core}"
    );
    let created = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    assert!(
        core.contains(&format!(">{created}</dcterms:created>")),
        "{core}"
    );
    let body = zip_part(&first.body, "word/document.xml");
    let date = gongkai_ledger::calendar::date_zh(on);
    assert!(body.contains(&date), "dated with the decision");
    assert!(!body.contains(&gongkai_ledger::calendar::date_zh(Service::today())));
    // The HTML page says the same.
    let html = c.get(&format!("{url}/html")).await.text();
    assert!(html.contains(&date));
    assert!(html.contains("贵单位"));
    assert!(html.contains("个人身份证号码和银行账号"), "withheld part");
    assert!(html.contains("《中华人民共和国政府信息公开条例》第三十七条"));
    assert!(html.contains("向测试市人民政府申请行政复议"));
    assert!(html.contains("向测试市某区人民法院提起行政诉讼"));
    assert!(html.contains("应当先申请行政复议"));
    assert_eq!(c.get(&format!("{url}/html")).await.text(), html);
    // Logged out: no letter.
    let mut anon = Client::new(&app);
    let r = anon.get(&format!("{url}/html")).await;
    assert_ne!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_first_run_page_records_the_remedy_organs() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let state = gongkai_server::AppState::new(
        store.clone(),
        gongkai_server::Config {
            secret: Some("test secret".into()),
            ..Default::default()
        },
    );
    let app = gongkai_server::app(state);
    let mut c = Client::new(&app);
    let page = c.get("/setup").await.text();
    assert!(page.contains("行政复议机关"), "{page}");
    assert!(page.contains("本级人民政府"));
    let token = csrf_of(&page);
    let code = store
        .issue_setup_code(chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let r = c
        .post_form(
            "/setup",
            &[
                ("csrf", &token),
                ("code", &code),
                ("agency", "某县统计局"),
                ("name", "admin"),
                ("password", "a long enough password"),
                ("password2", "a long enough password"),
                ("organ", " 某县人民政府 "),
                ("court", "某县人民法院"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let office = store.office().await.unwrap();
    assert_eq!(office.reconsideration_organ, "某县人民政府");
    assert_eq!(office.court, "某县人民法院");
}
