//! The register's body files, attachments and batch import on the web, on SQLite and
//! PostgreSQL: a clerk registers an item through the multipart form with its body read from
//! an HTML file and two attachments (one transaction), downloads an attachment, adds
//! another on the item page; a body file that cannot be read and an attachment over the
//! limit are refused in Chinese; another agency's user cannot download; the import page
//! previews a sheet (each refused row named by row and column, nothing written), then
//! imports a good one with its attachments all at once from the files kept by the preview.

use axum::Router;
use axum::http::{StatusCode, header};
use gongkai_store::Store;

use crate::common::{Client, Part, Resp, app_over, fresh_postgres_url, store_at};

async fn multipart(c: &mut Client, uri: &str, parts: &[Part<'_>]) -> Resp {
    c.multipart(uri, parts).await
}

/// 导入 with the files kept by a preview.
async fn import_kept(c: &mut Client, csrf: &str, token: &str) -> Resp {
    multipart(
        c,
        "/register/import",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("upload", None, token.as_bytes()),
            ("action", None, b"import"),
        ],
    )
    .await
}

fn days_ago(n: i64) -> String {
    (gongkai_service::Service::today() - chrono::Duration::days(n)).to_string()
}

fn item_fields<'a>(csrf: &'a str, formed: &'a str) -> Vec<Part<'a>> {
    vec![
        ("csrf", None, csrf.as_bytes()),
        ("title", None, "关于开展政务公开培训的通知".as_bytes()),
        ("formed_on", None, formed.as_bytes()),
        ("topic", None, "综合政务".as_bytes()),
        ("genre", None, "通知".as_bytes()),
        ("summary", None, "部署年度培训。".as_bytes()),
        ("body", None, b""),
        ("disclosure", None, b"proactive"),
        ("out_website", None, b"on"),
    ]
}

async fn files_and_import(app: Router, store: Store) {
    crate::platform::two_agencies(&store).await;
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let csrf = c.csrf("/register/new").await;
    let formed = days_ago(3);
    let html = "<html><body><p>各科室：</p><p>定于下周开展培训。</p></body></html>";

    // A body file that cannot be read: the form again, the file named, nothing saved.
    let mut parts = item_fields(&csrf, &formed);
    parts.push(("body_file", Some("坏.pdf"), b"%PDF-1.4 not really"));
    let r = multipart(&mut c, "/register/new", &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("坏.pdf"), "{}", r.text());
    assert!(
        store
            .list_items(&Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // The body from HTML and two attachments, with the item.
    let mut parts = item_fields(&csrf, &formed);
    parts.push(("body_file", Some("通知.html"), html.as_bytes()));
    parts.push(("attachments", Some("日程.txt"), "周一报到".as_bytes()));
    parts.push(("attachments", Some("名单.csv"), "姓名\n李四\n".as_bytes()));
    parts.push(("attachments", Some(""), b""));
    let r = multipart(&mut c, "/register/new", &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/register/1?msg=register_saved");
    let page = c.get("/register/1").await.text();
    assert!(page.contains("定于下周开展培训。"), "{page}");
    assert!(
        page.contains("href=\"/register/1/attachments/1\""),
        "{page}"
    );
    assert!(
        page.contains("名单.csv") && page.contains("id=\"attach-form\""),
        "{page}"
    );
    let d = c.get("/register/1/attachments/2").await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body, "姓名\n李四\n".as_bytes());
    assert!(
        d.header(header::CONTENT_DISPOSITION)
            .contains("filename*=UTF-8''%E5%90%8D%E5%8D%95.csv"),
        "{}",
        d.header(header::CONTENT_DISPOSITION)
    );
    assert_eq!(
        c.get("/register/1/attachments/9").await.status,
        StatusCode::NOT_FOUND
    );

    // More on the item page; without the token nothing is read.
    let r = multipart(
        &mut c,
        "/register/1/attachments",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("attachments", Some("补充.txt"), b"more"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/register/1?msg=register_attached");
    let r = multipart(
        &mut c,
        "/register/1/attachments",
        &[
            ("csrf", None, b"forged"),
            ("attachments", Some("x.txt"), b"x"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let r = multipart(
        &mut c,
        "/register/1/attachments",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("attachments", Some("大.bin"), &big),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("大.bin"), "{}", r.text());
    let r = multipart(
        &mut c,
        "/register/1/attachments",
        &[("csrf", None, csrf.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请选择要上传的附件文件"));
    let rec = store.item_record(1).await.unwrap();
    assert_eq!(rec.attachments.len(), 3);

    // The edit form: the body replaced from a file (a new version), still URL-encoded too.
    let mut parts = item_fields(&csrf, &formed);
    parts.push((
        "body_file",
        Some("新.html"),
        "<html><body><p>改为下月开展培训。</p></body></html>".as_bytes(),
    ));
    let r = multipart(&mut c, "/register/1/edit", &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let rec = store.item_record(1).await.unwrap();
    assert_eq!(rec.draft.body, "改为下月开展培训。");
    assert_eq!(rec.item.version, 2);

    // Another agency's user: not found.
    let mut bc = Client::new(&app);
    bc.login("bclerk").await;
    assert_eq!(
        bc.get("/register/1/attachments/1").await.status,
        StatusCode::NOT_FOUND
    );

    // The import page, linked from the list.
    assert!(
        c.get("/register")
            .await
            .text()
            .contains("href=\"/register/import\"")
    );
    assert_eq!(c.get("/register/import").await.status, StatusCode::OK);
    let header_row = "名称,生成日期,主题分类,体裁,内容概述,附件\n";
    let bad = format!(
        "{header_row}关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt\n关于乙的通知,昨天,综合政务,通知,乙。,\n"
    );
    let r = multipart(
        &mut c,
        "/register/import",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("action", None, b"preview"),
            ("sheet", Some("批量.csv"), bad.as_bytes()),
            ("attachments", Some("甲.txt"), "甲的附件".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("第 3 行") && page.contains("“昨天”不是日期"),
        "{page}"
    );
    assert!(!page.contains("id=\"import-confirm\""));
    // Imported directly, the bad sheet writes nothing.
    let r = multipart(
        &mut c,
        "/register/import",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("action", None, b"import"),
            ("sheet", Some("批量.csv"), bad.as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("未写入任何事项"), "{}", r.text());
    assert_eq!(
        store.list_items(&Default::default()).await.unwrap().total,
        1
    );

    let good = format!(
        "{header_row}关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt\n关于乙的通知,2025-10-10,综合政务,通知,乙。,\n"
    );
    let r = multipart(
        &mut c,
        "/register/import",
        &[
            ("csrf", None, csrf.as_bytes()),
            ("action", None, b"preview"),
            ("sheet", Some("批量.csv"), good.as_bytes()),
            ("attachments", Some("甲.txt"), "甲的附件".as_bytes()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("将登记 2 项") && page.contains("关于乙的通知"),
        "{page}"
    );
    let token = page
        .split("name=\"upload\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the kept files' token")
        .to_string();
    assert_eq!(
        store.list_items(&Default::default()).await.unwrap().total,
        1
    );
    // Another user cannot use the kept files.
    let bcsrf = bc.csrf("/register").await;
    let r = import_kept(&mut bc, &bcsrf, &token).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = import_kept(&mut c, &csrf, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已导入 2 项"), "{}", r.text());
    let items = store.list_items(&Default::default()).await.unwrap();
    assert_eq!(items.total, 3);
    let jia = items
        .items
        .iter()
        .find(|i| i.title == "关于甲的通知")
        .unwrap();
    let rec = store.item_record(jia.id).await.unwrap();
    assert_eq!(rec.attachments.len(), 1);
    assert_eq!(rec.attachments[0].name, "甲.txt");
    // The kept files are gone after the import.
    let r = import_kept(&mut c, &csrf, &token).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        store.list_items(&Default::default()).await.unwrap().total,
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_files_and_import_on_both_backends() {
    let store = store_at("sqlite::memory:").await;
    files_and_import(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url("register_files").await {
        let store = store_at(&url).await;
        files_and_import(app_over(store.clone()), store).await;
    }
}
