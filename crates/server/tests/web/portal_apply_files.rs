//! The online form's identity documents and the office's mail settings (issue 17 §3) as a
//! visitor and as staff, SQLite and PostgreSQL: the form posted as multipart with files —
//! solved by the proof-of-work or by the arithmetic question — refused naming the field
//! and the file (wrong type by content, too large, empty) with the values kept; the files
//! on the case page for staff only, downloaded as attachments and audited, never public;
//! the mail page (管理员) keeps the password hidden and lists the notices.

use axum::Router;
use axum::http::{StatusCode, header};
use gongkai_store::{AuditQuery, Store};

use crate::common::{Client, Part, Resp, app_over, fresh_postgres_url, store_at};
use crate::portal_apply::{hidden, solve};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 the front of an ID card";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

/// A multipart post of text `fields` and `files` (field name, file name, bytes).
async fn post_multipart(
    c: &mut Client,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Resp {
    let mut parts: Vec<Part> = fields
        .iter()
        .map(|(k, v)| (*k, None, v.as_bytes()))
        .collect();
    parts.extend(
        files
            .iter()
            .map(|(field, name, bytes)| (*field, Some(*name), *bytes)),
    );
    c.multipart(uri, &parts).await
}

/// The answer to the page's arithmetic question (“三加五等于几？”).
fn answer(page: &str) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let q = page.split("等于几").next().unwrap();
    let mut chars = q.chars().rev();
    let b = chars.next().unwrap();
    assert_eq!(chars.next(), Some('加'), "{q}");
    let a = chars.next().unwrap();
    let n = |c: char| DIGITS.iter().position(|d| *d == c).unwrap();
    (n(a) + n(b)).to_string()
}

fn query_code(page: &str) -> String {
    page.split("id=\"query-code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string()
}

async fn identity_documents(app: Router, store: Store) {
    let mut c = Client::new(&app);
    let page = c.get("/portal/local-1/apply").await.text();
    assert!(
        page.contains("enctype=\"multipart/form-data\"")
            && page.contains("name=\"id_files\"")
            && page.contains("每个不超过 5.0 MB，合计不超过 8.0 MB"),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");
    let challenge = hidden(&page, "challenge");
    let sig = hidden(&page, "sig");
    let nonce = solve(&challenge);
    let fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("challenge", &challenge),
        ("sig", &sig),
        ("nonce", &nonce),
        ("kind", "natural_person"),
        ("name", "王五"),
        ("id_number", "110101199003070011"),
        ("phone", "13912345678"),
        ("email", ""),
        ("description", "本县2025年农村公路养护资金的分配情况"),
        ("form", "electronic"),
        ("delivery", "online"),
    ];
    let uri = "/portal/local-1/apply";

    // Refusals name the field and the file, and keep what was typed.
    let mut big = b"%PDF-".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    for (files, words) in [
        (
            vec![("id_files", "scan.jpg", b"GIF89a not a jpeg".as_slice())],
            "“scan.jpg”不是 JPEG、PNG 或 PDF 文件",
        ),
        (
            vec![("id_files", "big.pdf", big.as_slice())],
            "超过每个文件 5.0 MB 的上限",
        ),
        (vec![("id_files", "empty.png", b"".as_slice())], "空文件"),
        (
            vec![
                ("id_files", "a.pdf", PDF),
                ("id_files", "b.pdf", PDF),
                ("id_files", "c.pdf", PDF),
            ],
            "最多上传 2 个",
        ),
    ] {
        let r = post_multipart(&mut c, uri, &fields, &files).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{words}");
        let text = r.text();
        assert!(
            text.contains("身份证明文件") && text.contains(words),
            "{words}: {text}"
        );
        assert!(text.contains("农村公路养护资金"), "values kept");
    }

    // With two files, by the proof-of-work.
    let r = post_multipart(
        &mut c,
        uri,
        &fields,
        &[
            ("id_files", "身份证.jpg", JPEG),
            ("id_files", "委托书.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let code = query_code(&r.text());
    // Without script: the arithmetic question, one file, an empty second input.
    let page = c.get(uri).await.text();
    let (csrf2, challenge2, sig2) = (
        hidden(&page, "csrf"),
        hidden(&page, "challenge"),
        hidden(&page, "sig"),
    );
    let sum = answer(&page);
    let mut by_answer = fields.clone();
    by_answer[0] = ("csrf", &csrf2);
    by_answer[1] = ("challenge", &challenge2);
    by_answer[2] = ("sig", &sig2);
    by_answer[3] = ("answer", &sum);
    let r = post_multipart(
        &mut c,
        uri,
        &by_answer,
        &[
            ("id_files", "scan.png", b"\x89PNG\r\n\x1a\n...."),
            ("id_files", "", b""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // Never on a public page: the status shows no file.
    let track = c.get("/portal/local-1/track").await.text();
    let r = c
        .post_form(
            "/portal/local-1/track",
            &[
                ("csrf", &hidden(&track, "csrf")),
                ("code", &code),
                ("phone", "13912345678"),
            ],
        )
        .await;
    assert!(r.text().contains("正在办理"), "{}", r.text());
    assert!(!r.text().contains("身份证.jpg") && !r.text().contains("id-file"));

    // The office: the case page lists them; the clerk downloads one, audited.
    let svc = gongkai_service::Service::new(store.clone());
    let apps = svc.applications(Default::default()).await.unwrap();
    assert_eq!(apps.len(), 2, "nothing registered by the refusals");
    let id = apps
        .iter()
        .find(|a| {
            a.application.request.description.contains("农村公路")
                && a.application.id.0.ends_with("0001")
        })
        .unwrap()
        .application
        .id
        .0
        .clone();
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let case = clerk.get(&format!("/ledger/a/{id}")).await.text();
    assert!(
        case.contains("网上申请") && case.contains("身份证.jpg") && case.contains("委托书.pdf"),
        "{case}"
    );
    let r = clerk.get(&format!("/ledger/a/{id}/id-file/1")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "image/jpeg");
    assert!(
        r.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    assert_eq!(r.body, JPEG);
    let audit = store
        .audit(&AuditQuery {
            action: Some("online_file.download".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    // The administrator does not handle cases; a visitor is sent to sign in.
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    let r = admin.get(&format!("/ledger/a/{id}/id-file/1")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = c.get(&format!("/ledger/a/{id}/id-file/1")).await;
    assert_ne!(r.status, StatusCode::OK);
    assert_ne!(r.body, JPEG);
}

async fn mail_settings_page(app: Router, store: Store) {
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    let page = admin.get("/admin/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("未设置"), "{}", page.text());
    let csrf = admin.csrf("/admin/mail").await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("host", "smtp.example.gov.cn"),
        ("port", ""),
        ("security", "starttls"),
        ("username", "gk@example.gov.cn"),
        ("password", "Pa55-不显示"),
        ("from_address", "not-an-address"),
        ("from_name", "测试市某局"),
    ];
    let r = admin.post_form("/admin/mail", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("发件人地址"), "{}", r.text());
    assert!(
        !r.text().contains("Pa55-不显示"),
        "the password is not shown back"
    );
    fields[7] = ("from_address", "gk@example.gov.cn");
    let r = admin.post_form("/admin/mail", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = admin.get("/admin/mail").await.text();
    assert!(
        page.contains("已设置")
            && page.contains("已保存，不显示")
            && page.contains("value=\"587\""),
        "{page}"
    );
    assert!(!page.contains("Pa55"), "never shown back");
    // A clerk may not see it.
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    assert_eq!(clerk.get("/admin/mail").await.status, StatusCode::FORBIDDEN);

    // A test message: a bad address is refused on the form; a server that cannot be
    // reached (a closed port on this machine) is said in words on the page.
    let csrf = admin.csrf("/admin/mail").await;
    let r = admin
        .post_form("/admin/mail/test", &[("csrf", &csrf), ("to", "nobody")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("测试收件地址"), "{}", r.text());
    let mut closed = fields.clone();
    closed[2] = ("host", "127.0.0.1");
    closed[3] = ("port", "9");
    closed[4] = ("security", "none");
    closed[6] = ("password", "");
    let r = admin.post_form("/admin/mail", &closed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = admin
        .post_form(
            "/admin/mail/test",
            &[("csrf", &csrf), ("to", "me@example.com")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("测试邮件未能发出") && r.text().contains("127.0.0.1:9"),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("Pa55"), "never shown back");
    let clerk_csrf = clerk.csrf("/ledger").await;
    let r = clerk
        .post_form(
            "/admin/mail/test",
            &[("csrf", &clerk_csrf), ("to", "me@example.com")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("管理员") || r.text().contains("无权"),
        "{}",
        r.text()
    );

    // An online application with an address: its notice is listed, pending.
    let mut v = Client::new(&app);
    let form = v.get("/portal/local-1/apply").await.text();
    let challenge = hidden(&form, "challenge");
    let nonce = solve(&challenge);
    let r = v
        .post_form(
            "/portal/local-1/apply",
            &[
                ("csrf", &hidden(&form, "csrf")),
                ("challenge", &challenge),
                ("sig", &hidden(&form, "sig")),
                ("nonce", &nonce),
                ("kind", "natural_person"),
                ("name", "赵六"),
                ("id_number", "110101199003070011"),
                ("phone", "13912345678"),
                ("email", "zhaoliu@example.com"),
                ("description", "本县2025年预算执行情况"),
                ("form", "electronic"),
                ("delivery", "online"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = admin.get("/admin/mail").await.text();
    assert!(
        page.contains("zhaoliu@example.com")
            && page.contains("收到申请")
            && page.contains("待发送"),
        "{page}"
    );
    let svc = gongkai_service::Service::new(store);
    let id = svc.applications(Default::default()).await.unwrap()[0]
        .application
        .id
        .0
        .clone();
    let case = clerk.get(&format!("/ledger/a/{id}")).await.text();
    assert!(
        case.contains("邮件通知") && case.contains("待发送"),
        "{case}"
    );
    // Removed.
    let csrf = admin.csrf("/admin/mail").await;
    let r = admin
        .post_form("/admin/mail", &[("csrf", &csrf), ("action", "remove")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/admin/mail").await.text().contains("未设置"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_documents_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    identity_documents(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("portal-files").await {
        let store = store_at(&url).await;
        identity_documents(app_over(store.clone()), store).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_settings_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    mail_settings_page(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("portal-mail").await {
        let store = store_at(&url).await;
        mail_settings_page(app_over(store.clone()), store).await;
    }
}
