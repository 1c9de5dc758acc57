//! Report checking: upload, findings on the cells, corrections with history, downloads,
//! CSRF and escaping.

use axum::http::{StatusCode, header};

use crate::common::{Client, app, cell_html, csrf_of, seed};

/// Seed 000 with （七）总计 of 自然人 changed from 2 to 3 (the README's example).
fn broken_seed() -> Vec<u8> {
    let text = String::from_utf8(seed("000_a3a3bcf84a832127.txt")).unwrap();
    let fixed = text.replacen("(七) 总计\t2\t", "(七) 总计\t3\t", 1);
    assert_ne!(text, fixed, "seed 000 changed: update the test");
    fixed.into_bytes()
}

#[tokio::test]
async fn the_upload_page_sets_a_visitor_cookie_and_a_csrf_token() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let r = c.get("/check").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(c.cookies.contains_key("gk_vid"));
    let page = r.text();
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains(&format!("name=\"csrf\" value=\"{}\"", csrf_of(&page))));
    assert!(
        r.header(header::CONTENT_SECURITY_POLICY)
            .contains("default-src 'none'")
    );
    assert_eq!(r.header(header::X_FRAME_OPTIONS), "DENY");
    // Every rule is listed.
    for rule in gongkai_check::registry() {
        assert!(page.contains(rule.code()));
    }
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.get("/check").await;
    let r = c
        .upload(
            "/check",
            "forged",
            &[("a.txt", &seed("000_a3a3bcf84a832127.txt"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("CSRF"));
    // A token from another browser does not work either.
    let mut other = Client::new(&app);
    let token = other.csrf("/check").await;
    let r = c.upload("/check", &token, &[("a.txt", b"x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_finding_is_marked_on_the_cells_it_concerns() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let r = c
        .upload("/check", &token, &[("报告.txt", &broken_seed())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&r.location()).await.text();
    // The total that does not add up: red, with the code.
    let total = cell_html(&page, "s3.results_total.natural_person");
    assert!(total.contains("m-error"), "{total}");
    assert!(total.contains(">TAB002<"), "{total}");
    // A part of the sum: outlined.
    let part = cell_html(&page, "s3.unable_not_held.natural_person");
    assert!(part.contains("TAB002"), "{part}");
    // A cell no finding concerns: plain.
    let plain = cell_html(&page, "s3.denied_state_secret.commercial");
    assert!(!plain.contains("m-"), "{plain}");
    // The list links to the cells.
    assert!(page.contains("href=\"#c-s3.results_total.natural_person\""));
    assert!(page.contains("（七）总计（3）不等于各办理结果之和（2）"));
}

#[tokio::test]
async fn a_seed_warning_is_on_its_cell() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let r = c
        .upload(
            "/check",
            &token,
            &[("002.txt", &seed("002_726e471a72bc1b83.txt"))],
        )
        .await;
    let page = c.get(&r.location()).await.text();
    let cell = cell_html(&page, "s2.normative_documents.issued");
    assert!(
        cell.contains("m-warning") && cell.contains(">TXT002<"),
        "{cell}"
    );
}

#[tokio::test]
async fn a_correction_is_kept_with_its_history_and_the_check_runs_again() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let r = c
        .upload("/check", &token, &[("报告.txt", &broken_seed())])
        .await;
    let url = r.location();
    let page = c.get(&url).await.text();
    assert!(page.contains("TAB002"));
    // Without the token: refused, nothing changed.
    let r = c
        .post_form(
            &format!("{url}/cells"),
            &[("cell", "s3.results_total.natural_person"), ("value", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A value that is not a number: refused with the reason.
    let token = csrf_of(&page);
    let r = c
        .post_form(
            &format!("{url}/cells"),
            &[
                ("csrf", &token),
                ("cell", "s3.results_total.natural_person"),
                ("value", "二"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c
        .post_form(
            &format!("{url}/cells"),
            &[
                ("csrf", &token),
                ("cell", "s3.results_total.natural_person"),
                ("value", "2"),
                ("note", "原文为 2，读取有误"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("已保存更正"));
    assert!(!page.contains(">TAB002<"), "the check ran again");
    assert!(page.contains("更正记录"));
    assert!(page.contains("3 → 2"));
    assert!(page.contains("访客"));
    assert!(page.contains("原文为 2，读取有误"));
    // The downloads carry the corrected value and the history.
    let json = c.get(&format!("{url}/report.json")).await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    let v = json.json();
    assert_eq!(v["report"]["cells"]["s3.results_total.natural_person"], 2);
    assert_eq!(v["corrections"][0]["old"], 3);
    assert_eq!(v["cells_as_read"]["s3.results_total.natural_person"], 3);
    let csv = c.get(&format!("{url}/cells.csv")).await;
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"));
    let text = csv.text();
    assert!(text.contains("单元格编号,部分,名称,值,读取值,已更正"));
    assert!(text.contains("s3.results_total.natural_person,3,"));
    assert_eq!(text.lines().count(), 201);
    let findings = c.get(&format!("{url}/findings.csv")).await.text();
    assert!(findings.contains("序号,代码,级别,说明"));
    // Another browser sees the report but may not correct it.
    let mut other = Client::new(&app);
    let page = other.get(&url).await.text();
    assert!(page.contains("只有上传该报告的浏览器"));
    let token = csrf_of(&page);
    let r = other
        .post_form(
            &format!("{url}/cells"),
            &[
                ("csrf", &token),
                ("cell", "s3.results_total.natural_person"),
                ("value", "9"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn several_files_make_a_batch_and_unreadable_files_say_why() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let r = c
        .upload(
            "/check",
            &token,
            &[
                ("a.txt", &seed("000_a3a3bcf84a832127.txt")),
                ("b.txt", &seed("004_ba49bbb087adff7b.txt")),
                ("c.pdf", b"%PDF-1.4 nothing"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/check/batch/"));
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("3 个文件"));
    assert!(page.contains("a.txt") && page.contains("b.txt") && page.contains("c.pdf"));
    assert!(page.contains("无法读取"));
    let csv = c.get(&format!("{}/summary.csv", r.location())).await.text();
    assert_eq!(csv.lines().count(), 4);
    // The batch dashboard of `gongkai batch --html`, over this upload.
    let dash = c.get(&format!("{}/dashboard", r.location())).await;
    assert_eq!(dash.status, StatusCode::OK);
    let dash = dash.text();
    assert!(dash.contains("上传报告的汇总"), "{dash}");
    assert!(dash.contains("<svg"), "charts");
    assert!(dash.contains("c.pdf"), "the unreadable file is listed");
    assert!(!dash.contains("<script"));
    // The home page lists this visitor's uploads, not anyone else's.
    assert!(c.get("/check").await.text().contains("b.txt"));
    assert!(
        !Client::new(&app)
            .get("/check")
            .await
            .text()
            .contains("b.txt")
    );
}

#[tokio::test]
async fn names_and_contents_are_escaped() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let token = c.csrf("/check").await;
    let text = String::from_utf8(seed("000_a3a3bcf84a832127.txt"))
        .unwrap()
        .replacen("2023 年", "2023 年<script>alert(1)</script>", 1);
    let r = c
        .upload(
            "/check",
            &token,
            &[("<img src=x onerror=alert(1)>.txt", text.as_bytes())],
        )
        .await;
    let page = c.get(&r.location()).await.text();
    assert!(!page.contains("<script>alert"), "script echoed");
    assert!(!page.contains("<img src=x"), "markup echoed");
    // askama escapes `<` as `&#60;`; hand-written markup as `&lt;`.
    assert!(
        page.contains("&#60;img src=x onerror=alert(1)&#62;.txt")
            || page.contains("&lt;img src=x onerror=alert(1)&gt;.txt"),
        "the file name is shown, escaped"
    );
}

#[tokio::test]
async fn unknown_reports_are_not_found() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    assert_eq!(
        c.get("/check/r/0123456789abcdef0123456789abcdef")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/check/r/..%2f..%2fetc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/assets/nothing.js").await.status,
        StatusCode::NOT_FOUND
    );
    let css = c.get("/assets/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header(header::CONTENT_TYPE).starts_with("text/css"));
}
