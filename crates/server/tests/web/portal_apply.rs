//! Online applications on the 专栏 (issue 17 §3) as a visitor, SQLite and PostgreSQL: the
//! form's challenge (proof-of-work or the arithmetic question), refusals naming the field
//! with the values kept, the acknowledgement with its 查询码, the status by code and phone,
//! and the application in the office's ledger.

use axum::Router;
use axum::http::StatusCode;
use gongkai_store::Store;
use sha2::{Digest, Sha256};

use crate::common::{Client, app_over, fresh_postgres_url, store_at};

/// The value of hidden input `name` in `page`.
pub(crate) fn hidden(page: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&key)
        .unwrap_or_else(|| panic!("{name} in {page}"))
        + key.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// A nonce solving `challenge` (the browser's work, done here).
pub(crate) fn solve(challenge: &str) -> String {
    let bits = gongkai_server::portal::apply::POW_BITS;
    (0u64..)
        .find(|n| {
            let d = Sha256::digest(format!("{challenge}:{n}").as_bytes());
            let zeros = d
                .iter()
                .position(|b| *b != 0)
                .map_or(256, |i| i as u32 * 8 + d[i].leading_zeros());
            zeros >= bits
        })
        .unwrap()
        .to_string()
}

async fn an_application_online(app: Router, store: Store) {
    let mut c = Client::new(&app);
    let page = c.get("/portal/local-1/apply").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("证件号码") && page.contains("等于几"),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");
    let challenge = hidden(&page, "challenge");
    let sig = hidden(&page, "sig");
    let nonce = solve(&challenge);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("challenge", &challenge),
        ("sig", &sig),
        ("kind", "natural_person"),
        ("name", "李四"),
        ("id_number", ""),
        ("phone", "13912345678"),
        ("email", "lisi@example.com"),
        ("description", "本县2025年道路维修项目的招标公告"),
        ("form", "electronic"),
        ("delivery", "email"),
    ];
    // Neither the work nor the answer: refused, the values kept.
    let r = c.post_form("/portal/local-1/apply", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("人机验证") && r.text().contains("本县2025年道路维修项目"),
        "{}",
        r.text()
    );
    // A wrong answer.
    fields.push(("answer", "99"));
    let r = c.post_form("/portal/local-1/apply", &fields).await;
    assert!(r.text().contains("算术题答案不对"), "{}", r.text());
    fields.pop();
    // A forged challenge.
    let last = if challenge.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &challenge[..challenge.len() - 1]);
    let mut bad = fields.clone();
    bad[1] = ("challenge", &forged);
    bad.push(("nonce", "1"));
    let r = c.post_form("/portal/local-1/apply", &bad).await;
    assert!(r.text().contains("页面已失效"), "{}", r.text());
    // Solved, but the ID number is missing: refused naming the field.
    fields.push(("nonce", &nonce));
    let r = c.post_form("/portal/local-1/apply", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("证件号码"), "{}", r.text());
    // Complete.
    fields[5] = ("id_number", "110101199003070011");
    let r = c.post_form("/portal/local-1/apply", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let done = r.text();
    let code = done
        .split("id=\"query-code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 14, "{code}");
    assert!(done.contains("收到日期"));

    // The status by code and phone; anything else says nothing.
    let track = c.get("/portal/local-1/track").await.text();
    let csrf = hidden(&track, "csrf");
    let r = c
        .post_form(
            "/portal/local-1/track",
            &[("csrf", &csrf), ("code", &code), ("phone", "139-1234-5678")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("已收到，正在办理"), "{}", r.text());
    assert!(
        !r.text().contains("李四") && !r.text().contains("110101199003070011"),
        "no personal data"
    );
    let r = c
        .post_form(
            "/portal/local-1/track",
            &[("csrf", &csrf), ("code", &code), ("phone", "13900000000")],
        )
        .await;
    assert!(
        r.text().contains("没有找到") && !r.text().contains("正在办理"),
        "{}",
        r.text()
    );
    let r = c
        .post_form(
            "/portal/local-1/track",
            &[("code", &code), ("phone", "13912345678")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");

    // In the office's ledger.
    let svc = gongkai_service::Service::new(store.clone());
    let apps = svc.applications(Default::default()).await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].application.applicant.name, "李四");
    let id = apps[0].application.id.clone();

    // The clerk asks for a correction; the applicant answers it on the status page.
    use gongkai_ledger::EventKind;
    use gongkai_service::Via;
    use gongkai_service::applications::EventDraft;
    let today = gongkai_service::Service::today();
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    svc.append_event(
        &clerk,
        &id,
        EventDraft::complete(
            today,
            EventKind::CorrectionRequested {
                items: "请写明道路名称".into(),
                due: today + chrono::Duration::days(10),
            },
            None,
        ),
    )
    .await
    .unwrap();
    let pair = [
        ("csrf", csrf.as_str()),
        ("code", code.as_str()),
        ("phone", "13912345678"),
    ];
    let r = c.post_form("/portal/local-1/track", &pair).await;
    assert!(
        r.text().contains("请写明道路名称") && r.text().contains("/track/correct"),
        "{}",
        r.text()
    );
    let mut with_text = pair.to_vec();
    with_text.push(("text", "  "));
    let r = c
        .post_form("/portal/local-1/track/correct", &with_text)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("请填写补正的内容") && r.text().contains("待补正"),
        "{}",
        r.text()
    );
    with_text[3] = ("text", "解放大道、中山路");
    let r = c
        .post_form("/portal/local-1/track/correct", &with_text)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("已提交补正") && r.text().contains("已收到补正"),
        "{}",
        r.text()
    );
    // No letter yet.
    let mut fmt = pair.to_vec();
    fmt.push(("format", "docx"));
    let r = c.post_form("/portal/local-1/track/letter", &fmt).await;
    assert!(r.text().contains("没有找到"), "{}", r.text());

    // Replied by e-mail after 三审: the applicant downloads the letter.
    svc.append_event(
        &clerk,
        &id,
        EventDraft::complete(
            today,
            EventKind::Decided {
                decision: gongkai_ledger::Decision::Granted,
            },
            None,
        ),
    )
    .await
    .unwrap();
    let subject = gongkai_store::ReviewSubject::Reply {
        application: id.clone(),
    };
    svc.review_step(&clerk, &subject, gongkai_store::ReviewAction::Submit, None)
        .await
        .unwrap();
    for who in ["head", "leader"] {
        let a = svc.actor(who, Via::Web).await.unwrap();
        svc.approve(&a, &subject, None).await.unwrap();
    }
    svc.append_event(
        &clerk,
        &id,
        EventDraft::complete(
            today,
            EventKind::ReplySent {
                method: gongkai_ledger::ReplyMethod::Email,
            },
            None,
        ),
    )
    .await
    .unwrap();
    let r = c.post_form("/portal/local-1/track", &pair).await;
    assert!(
        r.text().contains("已答复") && r.text().contains("下载 DOCX"),
        "{}",
        r.text()
    );
    let r = c.post_form("/portal/local-1/track/letter", &fmt).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"), "a DOCX");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_online_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    an_application_online(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("portal-apply").await {
        let store = store_at(&url).await;
        an_application_online(app_over(store.clone()), store).await;
    }
}
