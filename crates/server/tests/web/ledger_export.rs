//! Issue 20 §2: the ledger's download buttons keep the list's filters; the XLSX and CSV
//! read back with the filter's rows; the column sets page saves, uses and deletes a set;
//! the year's three tables as XLSX; every download audited.

use axum::http::{StatusCode, header};
use chrono::Datelike;
use gongkai_store::AuditQuery;
use gongkai_write::xlsx::inspect;

use crate::common::{Client, app, today};

async fn register(c: &mut Client, name: &str) {
    let token = c.csrf("/ledger/new").await;
    let day = today();
    let fields = [
        ("csrf", token.as_str()),
        ("kind", "natural_person"),
        ("name", name),
        ("phone", "13800000000"),
        ("description", "某项目的环评批复"),
        ("received_on", day.as_str()),
        ("channel", "in_person"),
        ("form", "paper"),
        ("delivery", "post"),
    ];
    let r = c.post_form("/ledger/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

/// The `href` of the link with `id`-less text `label` on `page`, unescaped.
fn href_before(page: &str, label: &str) -> String {
    let end = page
        .find(label)
        .unwrap_or_else(|| panic!("{label}: {page}"));
    let start = page[..end].rfind("href=\"").unwrap() + "href=\"".len();
    let stop = start + page[start..].find('"').unwrap();
    page[start..stop]
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

fn csv_text(body: &[u8]) -> String {
    let text = String::from_utf8(body.to_vec()).unwrap();
    text.strip_prefix('\u{feff}').expect("BOM").to_string()
}

#[tokio::test]
async fn the_download_buttons_keep_the_filters() {
    let (app, store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    register(&mut clerk, "张三").await;
    register(&mut clerk, "@李四").await;

    let page = clerk.get("/ledger?q=%E5%BC%A0%E4%B8%89&status=all").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    let xlsx = href_before(&page, ">导出 XLSX<");
    assert_eq!(xlsx, "/ledger/export/xlsx?status=all&q=%E5%BC%A0%E4%B8%89");
    let r = clerk.get(&xlsx).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.header(header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(r.header(header::CONTENT_DISPOSITION).contains("attachment"));
    let sheet = &inspect::read(&r.body).unwrap()[0];
    let rows = sheet.rows();
    assert_eq!(rows.len(), 2, "the header and 张三 only: {rows:?}");
    assert_eq!(sheet.text("A1"), "编号");
    assert_eq!(sheet.text("B2"), "张三");
    assert_eq!(sheet.formulas, 0);

    // Without the search: both, the CSV guarding the name that starts with @.
    let r = clerk.get("/ledger/export/csv?status=all").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    let text = csv_text(&r.body);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains(",'@李四,"), "{text}");
    assert!(
        text.starts_with("编号,申请人,申请人类型,申请内容,"),
        "{text}"
    );

    // Overdue only: none yet; the header alone.
    let r = clerk.get("/ledger/export/csv?status=all&overdue=1").await;
    assert_eq!(csv_text(&r.body).lines().count(), 1);

    // Bad input: the list's own Chinese messages; an unknown format is a 404.
    let r = clerk.get("/ledger/export/csv?year=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("年份"), "{}", r.text());
    let r = clerk.get("/ledger/export/pdf").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = clerk
        .get("/ledger/export/csv?columns=%E8%BA%AB%E9%AB%98")
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "an unknown set: {}",
        r.text()
    );

    // A visitor is sent to the login.
    let mut visitor = Client::new(&app);
    let r = visitor.get("/ledger/export/xlsx").await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert!(r.location().starts_with("/login"), "{}", r.location());

    let audit = store
        .audit(&AuditQuery {
            action: Some("download".into()),
            subject_kind: Some("ledger".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(audit.iter().all(|a| a.channel.as_deref() == Some("web")));
    assert!(audit.iter().any(|a| a.detail["filter"]["search"] == "张三"));
}

#[tokio::test]
async fn column_sets_are_saved_and_used_from_the_page() {
    let (app, _store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    register(&mut clerk, "张三").await;
    let page = clerk.get("/ledger/columns").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("标准") && text.contains("全部"), "{text}");
    let token = crate::common::csrf_of(&text);

    let r = clerk
        .post_form(
            "/ledger/columns",
            &[
                ("csrf", &token),
                ("name", "季度报送"),
                ("columns", "编号，申请人\n答复日期"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/ledger/columns?msg=saved");
    let text = clerk.get("/ledger/columns?msg=saved").await.text();
    assert!(text.contains("已保存导出列模板"), "{text}");
    assert!(
        text.contains("<td data-label=\"模板\">季度报送</td>"),
        "{text}"
    );
    assert!(text.contains("编号、申请人、答复日期"), "{text}");
    let url = href_before(&text[text.find("季度报送").unwrap()..], ">CSV<");
    let r = clerk.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text());
    let csv = csv_text(&r.body);
    assert_eq!(csv.lines().next(), Some("编号,申请人,答复日期"));

    // An unknown column: the form again, with the message and what was typed.
    let r = clerk
        .post_form(
            "/ledger/columns",
            &[("csrf", &token), ("name", "坏的"), ("columns", "编号,身高")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("没有“身高”这一列"), "{}", r.text());
    assert!(r.text().contains("编号,身高"));
    // Without the CSRF token: refused.
    let r = clerk
        .post_form("/ledger/columns", &[("name", "x"), ("columns", "编号")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The leader reads, exports, but does not save.
    let mut leader = Client::new(&app);
    leader.login("leader").await;
    let text = leader.get("/ledger/columns").await.text();
    assert!(
        !text.contains("id=\"save-columns\""),
        "no form for the leader"
    );
    let token_l = crate::common::csrf_of(&text);
    let r = leader
        .post_form(
            "/ledger/columns",
            &[("csrf", &token_l), ("name", "领导"), ("columns", "编号")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = leader
        .get("/ledger/export/csv?status=all&columns=%E5%AD%A3%E5%BA%A6%E6%8A%A5%E9%80%81")
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let r = clerk
        .post_form(
            "/ledger/columns/delete",
            &[("csrf", &token), ("name", "季度报送")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let text = clerk.get("/ledger/columns?msg=deleted").await.text();
    assert!(text.contains("已删除导出列模板"), "{text}");
    assert!(
        !text.contains("<td data-label=\"模板\">季度报送</td>"),
        "{text}"
    );
}

#[tokio::test]
async fn the_year_tables_download_from_the_year_end_page() {
    let (app, store) = app().await;
    let mut head = Client::new(&app);
    head.login("head").await;
    register(&mut head, "张三").await;
    let year = chrono::Utc::now().year();
    let page = head.get(&format!("/year-end?year={year}")).await.text();
    let url = format!("/year-end/{year}/statistics.xlsx");
    assert!(page.contains(&url), "the button on the year-end page");
    let r = head.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let sheets = inspect::read(&r.body).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["二、主动公开", "三、依申请公开", "四、复议诉讼", "单元格"]
    );
    // 一、本年新收: 1 from 自然人, 1 in all.
    assert_eq!(sheets[1].text("A6"), "一、本年新收政府信息公开申请数量");
    assert_eq!(sheets[1].get("D6"), Some(&inspect::Value::Number(1.0)));
    assert_eq!(sheets[1].get("J6"), Some(&inspect::Value::Number(1.0)));
    assert!(sheets[1].merged.contains(&"D3:J3".to_string()));
    let r = head.get("/year-end/1900/statistics.xlsx").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let audit = store
        .audit(&AuditQuery {
            action: Some("download".into()),
            subject_kind: Some("annual_report".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].detail["format"], "xlsx");
}

#[tokio::test]
async fn the_api_exports_with_the_list_parameters() {
    let (app, store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    register(&mut clerk, "张三").await;
    register(&mut clerk, "李四").await;
    let mut api = Client::new(&app);
    crate::common::bearer(&mut api, "leader").await;
    let r = api
        .get("/api/v1/applications/export/csv?status=all&q=%E6%9D%8E&columns=%E7%BC%96%E5%8F%B7,%E7%94%B3%E8%AF%B7%E4%BA%BA&limit=1&offset=5")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let csv = csv_text(&r.body);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "编号,申请人");
    assert_eq!(lines.len(), 2, "李四 only, paging ignored: {csv}");
    assert!(lines[1].ends_with(",李四"), "{csv}");
    let r = api.get("/api/v1/applications/export/xlsx?status=all").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(inspect::read(&r.body).unwrap()[0].rows().len(), 3);
    let r = api.get("/api/v1/applications/export/ods").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("xlsx"),
        "{}",
        r.text()
    );
    let sets = api.get("/api/v1/column-sets").await.json();
    assert_eq!(sets[0]["name"], "标准");
    assert_eq!(sets[0]["columns"][0], "number");
    let year = chrono::Utc::now().year();
    let r = api
        .get(&format!("/api/v1/reports/{year}/statistics.xlsx"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(inspect::read(&r.body).unwrap().len(), 4);
    let audit = store
        .audit(&AuditQuery {
            action: Some("download".into()),
            actor: Some("leader".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(audit.iter().all(|a| a.channel.as_deref() == Some("api")));
    let doc = crate::common::Client::new(&app)
        .get("/api/v1/openapi.json")
        .await
        .text();
    assert!(
        doc.contains("/api/v1/applications/export/{format}"),
        "documented"
    );
}

#[tokio::test]
async fn the_catalogue_downloads_as_csv_and_xlsx() {
    let (app, store) = app().await;
    let mut clerk = Client::new(&app);
    clerk.login("clerk").await;
    let r = clerk.get("/register/catalogue.csv").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        csv_text(&r.body).lines().next().unwrap(),
        "索引号,名称,内容概述,生成日期,发布机构,文号,主题分类,体裁,发布日期,发布渠道"
    );
    let r = clerk.get("/register/catalogue.xlsx?year=2025").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(inspect::read(&r.body).unwrap()[0].name, "政府信息公开目录");
    let r = clerk.get("/register/catalogue.csv?year=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let mut api = Client::new(&app);
    crate::common::bearer(&mut api, "leader").await;
    let r = api.get("/api/v1/register/catalogue?format=xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = api.get("/api/v1/register/catalogue?year=1900").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let doc = api.get("/api/v1/openapi.json").await.json();
    assert!(doc["paths"].get("/api/v1/register/catalogue").is_some());
    let audit = store
        .audit(&AuditQuery {
            action: Some("download".into()),
            subject_kind: Some("register".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "{audit:?}");
}
