//! 文书模板 in the browser (`/admin/templates`): who may open it, the editor's preview
//! (with and without script), validation naming the placeholder and the line, a saved text
//! in the application's letter (HTML and DOCX), the history, an old version, restoring it
//! and the built-in text, and an approved reply that must be reviewed again.

use std::io::Read;

use axum::http::StatusCode;
use chrono::Duration;
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, Contact, Decision, EventKind, InformationRequest,
};
use gongkai_service::{EventDraft, Service, Via};
use gongkai_store::{EventInput, NewApplication, ReviewAction, ReviewSubject, Store};

use crate::common::{Client, app};

/// An application received 20 days ago, granted 3 days ago; its id.
async fn granted(store: &Store) -> String {
    let svc = Service::new(store.clone());
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let today = Service::today();
    let new = NewApplication {
        id: None,
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: "张<三>".into(),
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
            date: today - Duration::days(20),
            kind: EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
            note: None,
        }),
    };
    let id = svc.register(&clerk, new).await.unwrap().application.id;
    svc.append_event(
        &clerk,
        &id,
        EventDraft::complete(
            today - Duration::days(3),
            EventKind::Decided {
                decision: Decision::Granted,
            },
            None,
        ),
    )
    .await
    .unwrap();
    id.0
}

const BODY: &str = "{申请人}：\n\n{您}的申请（编号 {编号}）收悉。经审查，本机关决定予以公开，特此告知。\n\n依据：{依据}。\n\n{救济}";

fn docx_text(bytes: &[u8]) -> String {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    a.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[tokio::test]
async fn only_the_admin_and_the_office_head_open_the_templates() {
    let (app, _) = app().await;
    let mut anon = Client::new(&app);
    let r = anon.get("/admin/templates").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    for name in ["clerk", "leader"] {
        let mut c = Client::new(&app);
        c.login(name).await;
        let r = c.get("/admin/templates").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
        assert!(r.text().contains("修改") || r.text().contains("查看答复书模板"));
        assert_eq!(
            c.get("/admin/templates/granted").await.status,
            StatusCode::FORBIDDEN
        );
        let token = c.csrf("/ledger").await;
        let r = c
            .post_form(
                "/admin/templates/granted",
                &[("csrf", &token), ("body", BODY), ("action", "save")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
    }
    for name in ["admin", "head"] {
        let mut c = Client::new(&app);
        c.login(name).await;
        let r = c.get("/admin/templates").await;
        assert_eq!(r.status, StatusCode::OK, "{name}");
        let page = r.text();
        assert_eq!(page.matches("<tr data-key=").count(), Decision::ALL.len());
        assert!(page.contains("href=\"/admin/templates/granted\""));
        assert!(page.contains("href=\"/admin/audit\""), "the admin links");
    }
    let mut c = Client::new(&app);
    c.login("admin").await;
    assert_eq!(
        c.get("/admin/templates/nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/admin/templates/granted/v/7").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_saved_template_reaches_the_letter_and_keeps_its_history() {
    let (app, store) = app().await;
    let id = granted(&store).await;
    let mut c = Client::new(&app);
    c.login("admin").await;

    // The editor: the text in force (built-in), the application to preview, its letter.
    let page = c.get("/admin/templates/granted").await.text();
    assert!(page.contains("默认文本"));
    assert!(
        page.contains(&format!("<option value=\"{id}\" selected>")),
        "{page}"
    );
    assert!(page.contains("<article data-letter>"));
    assert!(page.contains("张&lt;三&gt;："), "escaped");
    assert!(page.contains("<code>{救济}</code>"));
    assert!(page.contains("/assets/admin-templates.js"));
    let token = crate::common::csrf_of(&page);

    // The live preview: a fragment of the draft, nothing saved.
    let draft = BODY.replace("特此告知", "特此告知（草稿<b>）");
    let r = c
        .post_form(
            "/admin/templates/granted/preview",
            &[
                ("csrf", &token),
                ("title", ""),
                ("body", &draft),
                ("application", &id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header(axum::http::header::CONTENT_TYPE)
            .starts_with("text/html")
    );
    let fragment = r.text();
    assert!(!fragment.contains("<html"), "a fragment");
    assert!(fragment.contains("特此告知（草稿&lt;b&gt;）"), "{fragment}");
    assert!(fragment.contains("未经审核（草稿）"));
    assert!(store.template("granted").await.unwrap().is_none());
    // Problems are listed with their line; a wrong token is refused.
    let r = c
        .post_form(
            "/admin/templates/granted/preview",
            &[
                ("csrf", &token),
                ("body", "{申请人}：\n{姓名}"),
                ("application", &id),
            ],
        )
        .await;
    let fragment = r.text();
    assert!(fragment.contains("data-problems"), "{fragment}");
    assert!(
        fragment.contains("模板正文第 2 行：未知的占位符“{姓名}”"),
        "{fragment}"
    );
    assert!(fragment.contains("缺少必需的占位符“{救济}”"), "{fragment}");
    let r = c
        .post_form(
            "/admin/templates/granted/preview",
            &[("csrf", "x"), ("body", BODY)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Without script: 预览 shows the page again with the draft and its preview.
    let r = c
        .post_form(
            "/admin/templates/granted",
            &[
                ("csrf", &token),
                ("title", "公开告知书"),
                ("body", &draft),
                ("application", &id),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(page.contains("特此告知（草稿&lt;b&gt;）"));
    assert!(page.contains("<h1>公开告知书</h1>"), "the preview's title");
    assert!(store.template("granted").await.unwrap().is_none());

    // A refused save: 422, the placeholder and the line named, the draft kept, nothing saved.
    let bad = "{申请人}：\n\n{姓名}您好。\n\n{救济}";
    let r = c
        .post_form(
            "/admin/templates/granted",
            &[
                ("csrf", &token),
                ("body", bad),
                ("application", &id),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(
        page.contains("模板正文：第 3 行：未知的占位符“{姓名}”"),
        "{page}"
    );
    assert!(
        page.contains("\n\n{姓名}您好。\n\n{救济}</textarea>"),
        "the draft kept"
    );
    assert!(store.template("granted").await.unwrap().is_none());
    // Without the token: refused.
    let r = c
        .post_form(
            "/admin/templates/granted",
            &[("body", BODY), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Saved: a new version, and the application's letter (HTML, DOCX) uses it.
    let r = c
        .post_form(
            "/admin/templates/granted",
            &[
                ("csrf", &token),
                ("title", "公开告知书"),
                ("body", &BODY.replace('\n', "\r\n")),
                ("note", "第一次修改"),
                ("application", &id),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/admin/templates/granted?msg=saved");
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("已保存答复书模板"));
    assert!(page.contains("本机关文本"));
    let letter = c.get(&format!("/ledger/a/{id}/letter/html")).await.text();
    assert!(
        letter.contains("经审查，本机关决定予以公开，特此告知。"),
        "{letter}"
    );
    assert!(letter.contains("<h1>公开告知书</h1>"));
    assert!(!letter.contains("属于公开范围"));
    let docx = c.get(&format!("/ledger/a/{id}/letter/docx")).await;
    assert!(docx_text(&docx.body).contains("特此告知"));
    let list = c.get("/admin/templates").await.text();
    assert!(list.contains("本机关文本"));

    // The same text again: nothing new.
    let r = c
        .post_form(
            "/admin/templates/granted",
            &[
                ("csrf", &token),
                ("title", "公开告知书"),
                ("body", BODY),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/templates/granted?msg=unchanged");

    // The history, an old version; the built-in text restored, then version 1 again.
    let history = c.get("/admin/templates/granted/history").await.text();
    assert!(history.contains("第 1 版"));
    assert!(history.contains("第一次修改"));
    assert!(history.contains(">admin<"));
    let r = c
        .post_form("/admin/templates/granted/default", &[("csrf", &token)])
        .await;
    assert_eq!(r.location(), "/admin/templates/granted?msg=default");
    let letter = c.get(&format!("/ledger/a/{id}/letter/html")).await.text();
    assert!(letter.contains("属于公开范围"), "{letter}");
    let v1 = c.get("/admin/templates/granted/v/1").await.text();
    assert!(v1.contains("特此告知"));
    assert!(v1.contains("id=\"restore-version\""));
    let r = c
        .post_form(
            "/admin/templates/granted/v/1/restore",
            &[("csrf", &token), ("note", "改回第一版")],
        )
        .await;
    assert_eq!(r.location(), "/admin/templates/granted?msg=restored");
    let letter = c.get(&format!("/ledger/a/{id}/letter/html")).await.text();
    assert!(letter.contains("特此告知"), "{letter}");
    let history = c.get("/admin/templates/granted/history").await.text();
    assert!(history.contains("恢复旧版本（第 1 版）"), "{history}");
    assert!(history.contains("恢复默认文本"));
    assert!(history.contains("改回第一版"));
    let v3 = c.get("/admin/templates/granted/v/3").await.text();
    assert!(
        !v3.contains("id=\"restore-version\""),
        "the current version"
    );
}

#[tokio::test]
async fn a_template_change_shows_on_an_approved_reply() {
    let (app, store) = app().await;
    let id = granted(&store).await;
    let svc = Service::new(store.clone());
    let s = ReviewSubject::Reply {
        application: gongkai_ledger::ApplicationId(id.clone()),
    };
    let actor = |n: &'static str| {
        let svc = svc.clone();
        async move { svc.actor(n, Via::Web).await.unwrap() }
    };
    svc.review_step(&actor("clerk").await, &s, ReviewAction::Submit, None)
        .await
        .unwrap();
    svc.approve(&actor("head").await, &s, None).await.unwrap();
    svc.approve(&actor("leader").await, &s, None).await.unwrap();
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let page = clerk.get(&format!("/ledger/a/{id}")).await.text();
    assert!(page.contains("已批准"));

    let mut head = Client::new(&app);
    head.login("head").await;
    let token = head.csrf("/admin/templates/granted").await;
    let r = head
        .post_form(
            "/admin/templates/granted",
            &[("csrf", &token), ("body", BODY), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = clerk.get(&format!("/ledger/a/{id}")).await.text();
    assert!(page.contains("需重新审核"), "{page}");
    let letter = clerk
        .get(&format!("/ledger/a/{id}/letter/html"))
        .await
        .text();
    assert!(letter.contains("未经审核（草稿）"));
}
