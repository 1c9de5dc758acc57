//! Reply letters and the office's settings through the service, on both backends (SQLite
//! in a temporary directory; PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` names a server),
//! and the calendar a front end starts with (`open_calendar`).

use chrono::{Duration, NaiveDate};
use gongkai_ledger::{
    Applicant, ApplicantKind, ApplicationId, Calendar, Channel, Contact, Decision, EventKind,
    InformationRequest, OfficeSettings, Settings,
};
use gongkai_service::letters::{self, DEFAULT_COURT, DEFAULT_ORGAN, MISSING_WITHHELD, REGULATIONS};
use gongkai_service::{Actor, ErrorKind, EventDraft, Service, Via, open_calendar};
use gongkai_store::{AuditQuery, EventInput, NewApplication, NewUser, Role, Store};

#[macro_use]
mod common;
use common::{postgres, sqlite};

on_both_backends!(
    a_letter_is_dated_with_its_decision_and_quotes_the_reason,
    the_remedy_names_the_offices_organs,
    organisations_are_addressed_as_such,
);

const PASSWORD: &str = "correct horse battery";

/// The office with `admin`, `li` (信息员) and `zhu` (办公室主任).
async fn office(svc: &Service) -> (Actor, Actor) {
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    svc.store()
        .init("某市某局", &admin, chrono::Utc::now())
        .await
        .unwrap();
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (name, role) in [("li", Role::Clerk), ("zhu", Role::OfficeHead)] {
        let u = NewUser {
            name: name.into(),
            display_name: None,
            role,
            password: PASSWORD.into(),
        };
        svc.add_user(&admin, &u).await.unwrap();
    }
    (
        svc.actor("li", Via::Cli).await.unwrap(),
        svc.actor("zhu", Via::Web).await.unwrap(),
    )
}

fn today() -> NaiveDate {
    Service::today()
}

/// Registers an application received 20 days ago.
async fn registered(svc: &Service, li: &Actor, kind: ApplicantKind) -> ApplicationId {
    let received = today() - Duration::days(20);
    let new = NewApplication {
        id: None,
        applicant: Applicant {
            kind,
            name: "张三".into(),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: "某项目的环评批复".into(),
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
    };
    svc.register(li, new).await.unwrap().application.id
}

/// Registers an application received 20 days ago and decides it 3 days ago.
async fn decided(
    svc: &Service,
    li: &Actor,
    kind: ApplicantKind,
    decision: Decision,
    note: Option<&str>,
) -> (ApplicationId, NaiveDate) {
    let id = registered(svc, li, kind).await;
    let on = today() - Duration::days(3);
    svc.append_event(
        li,
        &id,
        EventDraft::complete(on, EventKind::Decided { decision }, note.map(Into::into)),
    )
    .await
    .unwrap();
    (id, on)
}

async fn a_letter_is_dated_with_its_decision_and_quotes_the_reason(svc: &Service) {
    let (li, _) = office(svc).await;
    let reason = "该信息包含第三方商业秘密，第三方不同意公开";
    let (id, on) = decided(
        svc,
        &li,
        ApplicantKind::NaturalPerson,
        Decision::DeniedThirdParty,
        Some(reason),
    )
    .await;
    let letter = svc.letter(&li, &id).await.unwrap();
    // Dated with the decision, never today; created when the decision was recorded.
    assert_eq!(letter.date, on);
    assert_ne!(letter.date, today());
    assert_eq!(letter.date_zh, gongkai_ledger::calendar::date_zh(on));
    let app = svc.store().application(&id).await.unwrap();
    let event = app
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Decided { .. }))
        .unwrap();
    assert_eq!(letter.created_at, event.recorded_at);
    let text = letter.paragraphs.join("\n");
    assert!(text.contains(reason), "{text}");
    assert!(
        text.contains(&format!("{REGULATIONS}第十五条、第三十二条")),
        "{text}"
    );
    assert!(!text.contains("《政府信息公开条例》"), "{text}");
    // 不予公开: reconsideration first, with the default organs.
    assert!(
        text.contains(&format!("向{DEFAULT_ORGAN}申请行政复议")),
        "{text}"
    );
    assert!(
        text.contains("十五日内依法向人民法院提起行政诉讼"),
        "{text}"
    );
    assert!(text.contains("应当先申请行政复议"), "{text}");
    assert!(text.contains("收到您提出的"), "{text}");
    assert!(!text.contains('{'), "{text}");
    // Stable: the same letter again; composed on another day, the same letter.
    assert_eq!(svc.letter(&li, &id).await.unwrap(), letter);
    let cal = Calendar::builtin();
    let later = app.state_at(today() + Duration::days(40), cal, Settings::default());
    let again = letters::compose(
        &app,
        &later,
        event,
        "某市某局",
        &OfficeSettings::default(),
        None,
    )
    .unwrap();
    // Not yet approved: the service marks its letter a draft; otherwise the same letter.
    assert!(letter.draft && letter.file_stem.ends_with("-草稿"));
    let mut as_draft = again.clone();
    as_draft.draft = true;
    as_draft.file_stem.push_str("-草稿");
    assert_eq!(as_draft, letter);
    assert!(!again.draft);
    // 部分公开 says what is withheld (the reason recorded), or shows the gap.
    let withheld = "第3页所列个人身份信息，属于个人隐私（第十五条）";
    let (id, _) = decided(
        svc,
        &li,
        ApplicantKind::NaturalPerson,
        Decision::PartiallyGranted,
        Some(withheld),
    )
    .await;
    let text = svc.letter(&li, &id).await.unwrap().paragraphs.join("\n");
    assert!(
        text.contains(&format!("对下列不应当公开的部分不予提供：{withheld}")),
        "{text}"
    );
    assert!(text.contains("第三十七条"), "{text}");
    assert!(text.contains("应当先申请行政复议"), "{text}");
    let (id, _) = decided(
        svc,
        &li,
        ApplicantKind::NaturalPerson,
        Decision::PartiallyGranted,
        None,
    )
    .await;
    let text = svc.letter(&li, &id).await.unwrap().paragraphs.join("\n");
    assert!(text.contains(MISSING_WITHHELD), "{text}");
    // Granted: reconsideration or suit within six months; no reason, no empty paragraph.
    let (id, _) = decided(
        svc,
        &li,
        ApplicantKind::NaturalPerson,
        Decision::Granted,
        None,
    )
    .await;
    let letter = svc.letter(&li, &id).await.unwrap();
    let text = letter.paragraphs.join("\n");
    assert!(
        text.contains("六个月内依法向人民法院提起行政诉讼"),
        "{text}"
    );
    assert!(!text.contains("应当先申请行政复议"), "{text}");
    assert!(letter.paragraphs.iter().all(|p| !p.trim().is_empty()));
    // No decision yet: refused with a reason.
    let id = registered(svc, &li, ApplicantKind::NaturalPerson).await;
    let err = svc.letter(&li, &id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
    assert!(err.to_string().contains("尚未作出答复结论"));
    let err = svc
        .letter(&li, &ApplicationId::from("2099-9999"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

async fn the_remedy_names_the_offices_organs(svc: &Service) {
    let (li, zhu) = office(svc).await;
    assert_eq!(svc.office().await.unwrap(), OfficeSettings::default());
    let office = OfficeSettings {
        reconsideration_organ: "  某市人民政府 ".into(),
        court: "某市某区人民法院".into(),
        calendar_dir: None,
        ..Default::default()
    };
    // A clerk may not change the settings.
    let err = svc.set_office(&li, &office).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    svc.set_office(&zhu, &office).await.unwrap();
    let saved = svc.office().await.unwrap();
    assert_eq!(saved.reconsideration_organ, "某市人民政府");
    // Audited.
    let audit = svc.store().audit(&AuditQuery::default()).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "office.set" && a.actor == "zhu")
    );
    // A calendar directory that does not exist is refused, nothing saved.
    let bad = OfficeSettings {
        calendar_dir: Some("/nonexistent/gongkai-calendar".into()),
        ..saved.clone()
    };
    let err = svc.set_office(&zhu, &bad).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("日历目录"), "{err}");
    assert_eq!(svc.office().await.unwrap(), saved);
    for (decision, direct) in [
        (Decision::Granted, true),
        (Decision::DeniedStateSecret, false),
    ] {
        let (id, _) = decided(svc, &li, ApplicantKind::NaturalPerson, decision, None).await;
        let text = svc.letter(&li, &id).await.unwrap().paragraphs.join("\n");
        assert!(text.contains("向某市人民政府申请行政复议"), "{text}");
        assert!(text.contains("向某市某区人民法院提起行政诉讼"), "{text}");
        assert!(!text.contains(DEFAULT_ORGAN) && !text.contains(&format!("向{DEFAULT_COURT}")));
        assert_eq!(text.contains("六个月内"), direct, "{text}");
    }
}

async fn organisations_are_addressed_as_such(svc: &Service) {
    let (li, _) = office(svc).await;
    let (id, _) = decided(
        svc,
        &li,
        ApplicantKind::Commercial,
        Decision::UnableNotHeld,
        None,
    )
    .await;
    let text = svc.letter(&li, &id).await.unwrap().paragraphs.join("\n");
    assert!(text.contains("收到贵单位提出的"), "{text}");
    assert!(text.contains("贵单位申请的政府信息"), "{text}");
    assert!(!text.contains('您'), "{text}");
}

/// `serve` and `ledger` start with the calendar of `--calendar-dir`, else of the settings;
/// a bad file stops them with the file and the line.
#[tokio::test]
async fn the_calendar_comes_from_the_flag_or_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let cal_dir = dir.path().join("calendar");
    std::fs::create_dir(&cal_dir).unwrap();
    std::fs::write(
        cal_dir.join("2027.toml"),
        "year = 2027\n[notice]\ntitle = \"国务院办公厅关于2027年部分节假日安排的通知\"\nstatus = \"unconfirmed\"\n[[holidays]]\nname = \"元旦\"\nfrom = \"2027-01-01\"\nto = \"2027-01-03\"\n",
    )
    .unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // No flag, no settings (a new database): the embedded calendar, 2027 from the law.
    let store = Store::open(&url).await.unwrap();
    let (store, source) = open_calendar(store, None).await.unwrap();
    assert_eq!(source.dir, None);
    assert!(!store.calendar().covers(d("2027-01-01")));
    assert!(!store.calendar().is_working_day(d("2027-01-01")).value);
    // The flag.
    let (store, source) = open_calendar(store, Some(&cal_dir)).await.unwrap();
    assert_eq!(source.years, [2027]);
    assert!(!source.from_settings);
    assert!(store.calendar().covers(d("2027-01-01")));
    // The settings.
    let svc = Service::new(store.clone());
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: PASSWORD.into(),
    };
    let office = OfficeSettings {
        calendar_dir: Some(cal_dir.display().to_string()),
        ..Default::default()
    };
    store
        .init_office("某局", &admin, &office, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(svc.office().await.unwrap(), office);
    let (store, source) = open_calendar(Store::open(&url).await.unwrap(), None)
        .await
        .unwrap();
    assert!(source.from_settings);
    assert_eq!(source.years, [2027]);
    assert!(store.calendar().covers(d("2027-06-01")));
    store.close().await;
    // A bad file: the file and the line.
    std::fs::write(
        cal_dir.join("2028.toml"),
        "year = 2028\n[notice]\ntitle = \"t\"\nstatus = \"confirmed\"\n[[holidays]]\nname = \"春节\"\nfrom = \"2028-02-30\"\nto = \"2028-03-01\"\n",
    )
    .unwrap();
    let err = open_calendar(Store::open(&url).await.unwrap(), Some(&cal_dir))
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("2028.toml 第 7 行"), "{msg}");
    assert!(msg.contains("2028-02-30"), "{msg}");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    svc.store().close().await;
}
