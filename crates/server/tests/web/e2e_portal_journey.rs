//! Issue 17's acceptance journey in a real headless Chromium, every step through the
//! pages: a citizen finds an item on the 专栏 by a Chinese query and downloads its
//! attachment, then files an online application (the page's proof-of-work); the clerk,
//! signed in on the workbench of the same server, finds it in the ledger and requests a
//! correction (告知补正); the citizen, with the 查询码 and phone on the status page, reads
//! the request and submits the correction online; the clerk decides, reads the draft
//! reply letter, submits it to 三审 (the office head reviews, the leader approves) and
//! records its electronic delivery (网上平台); the citizen downloads the letter with the
//! 查询码 and the test reads the DOCX: the applicant's request and the office's name are
//! in it. axe-core runs on the public page states the journey adds (status with a
//! correction request and its form, status after the correction, status with the
//! letter): no serious or critical violation.

use std::path::Path;
use std::time::{Duration, Instant};

use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_service::{Service, Via};
use gongkai_store::register::NewAttachment;
use thirtyfour::prelude::*;

use crate::common::store;
use crate::e2e::{
    browser_session_over, click, downloads_of, fill, login_as, set_value, text, wait_for,
    wait_text, wait_url,
};
use crate::e2e_portal::{axe, axe_script};

const TEST: &str = "portal-journey";
const REQUEST: &str = "本镇2025年城乡居民医疗保险参保补助资金的拨付明细";
const CORRECTION: &str = "所需信息为2025年1月至6月的拨付明细，按村（社区）列出";
const PHONE: &str = "13612345678";

/// The attachment: a small real PDF.
fn guide_pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// One published item with an attachment (the office's work before the journey).
async fn seed(svc: &Service) -> i64 {
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let item = svc
        .register_item(
            &clerk,
            ItemDraft {
                title: "关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知".into(),
                organ: String::new(),
                formed_on: Service::today() - chrono::Duration::days(6),
                number: Some("测医保发〔2025〕12号".into()),
                topic: "卫生、体育".into(),
                genre: "通知".into(),
                summary: "部署城乡居民医保参保缴费。".into(),
                body:
                    "各乡镇人民政府，各有关单位：\n\n现就城乡居民基本医疗保险参保缴费工作通知如下。"
                        .into(),
                disclosure: Disclosure::Proactive,
                validity: None,
                outlets: vec![Outlet::Website],
            },
        )
        .await
        .unwrap();
    svc.attach_to_item(
        &clerk,
        item.id,
        NewAttachment {
            name: "参保缴费指南.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: guide_pdf(),
        },
    )
    .await
    .unwrap();
    crate::common::review_and_publish(svc, item.id).await;
    item.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_applies_online_corrects_and_downloads_the_clerks_reply() {
    let store = store().await;
    let svc = Service::new(store.clone());
    let item = seed(&svc).await;
    let office = svc.portal_agency("local-1").await.unwrap().name;
    let _ = std::fs::remove_dir_all(downloads_of(TEST));
    let Some((driver, base, _process, server)) = browser_session_over(TEST, store).await else {
        return;
    };
    let axe_js = axe_script();
    let result = journey(&driver, &base, item, &office, axe_js.as_deref()).await;
    let _ = driver.quit().await;
    server.abort();
    let _ = std::fs::remove_dir_all(downloads_of(TEST));
    let serious = result.unwrap();
    assert!(
        serious.is_empty(),
        "axe-core: serious or critical violations: {serious:#?}"
    );
}

/// Waits for a finished download whose name ends with `ext` and returns its bytes.
async fn downloaded(dir: &Path, ext: &str) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let done = std::fs::read_dir(dir).ok().and_then(|d| {
            d.flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(ext))
        });
        if let Some(f) = done
            && let Ok(bytes) = std::fs::read(&f)
            && !bytes.is_empty()
        {
            return bytes;
        }
        assert!(
            Instant::now() < deadline,
            "no *{ext} downloaded in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of a DOCX's body (`word/document.xml` without its tags).
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX (zip)");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("word/document.xml"),
        &mut xml,
    )
    .unwrap();
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The citizen's status page for the 查询码 (no session: the cookies are dropped first).
async fn track(driver: &WebDriver, portal: &str, code: &str, state: &str) -> WebDriverResult<()> {
    driver.delete_all_cookies().await?;
    driver.goto(format!("{portal}/track")).await?;
    fill(driver, "#t-code", code).await;
    fill(driver, "#t-phone", "136-1234-5678").await;
    click(driver, "form.filters button[type=submit]").await;
    wait_text(driver, "#state", state).await;
    Ok(())
}

/// Clicks a submit button guarded by `data-confirm`, answering the dialog with yes.
async fn click_confirmed(driver: &WebDriver, css: &str) -> WebDriverResult<()> {
    driver
        .execute("window.confirm = function () { return true; };", Vec::new())
        .await?;
    click(driver, css).await;
    Ok(())
}

async fn journey(
    driver: &WebDriver,
    base: &str,
    item: i64,
    office: &str,
    axe_js: Option<&str>,
) -> WebDriverResult<Vec<String>> {
    let mut serious = Vec::new();
    let portal = format!("{base}/portal/local-1");
    let downloads = downloads_of(TEST);

    // 1. The citizen searches in Chinese, opens the item, downloads its attachment.
    driver.goto(&portal).await?;
    fill(driver, "#site-q", "医保参保缴费").await;
    click(driver, "form.site-search button[type=submit]").await;
    wait_text(driver, "ol.hits", "城乡居民基本医疗保险参保缴费").await;
    click(driver, &format!("ol.hits a[href$='/items/{item}']")).await;
    wait_text(driver, "h1", "参保缴费工作的通知").await;
    wait_text(driver, "table.meta", "测医保发〔2025〕12号").await;
    click(driver, "ul.files a").await;
    assert_eq!(downloaded(&downloads, ".pdf").await, guide_pdf());

    // 2. An online application, delivered online (网上获取).
    driver.goto(format!("{portal}/apply")).await?;
    wait_for(driver, "form[data-pow-done=true]").await;
    fill(driver, "#a-name", "赵六").await;
    fill(driver, "#a-idno", "110101198805060023").await;
    fill(driver, "#a-phone", PHONE).await;
    fill(driver, "#a-desc", REQUEST).await;
    click(driver, "#a-form option[value='electronic']").await;
    click(driver, "#a-del option[value='online']").await;
    click(driver, "form.apply button[type=submit]").await;
    let code = wait_text(driver, "#query-code", "-").await;
    track(driver, &portal, &code, "已收到").await?;

    // 3. The clerk finds it in the ledger and requests a correction.
    login_as(driver, base, "clerk").await?;
    driver.goto(format!("{base}/ledger")).await?;
    fill(driver, "#q", "赵六").await;
    click(driver, "form.filters button[type=submit]").await;
    wait_url(driver, "q=").await;
    wait_text(driver, "table.list", REQUEST).await;
    click(driver, "table.list a[href^='/ledger/a/']").await;
    wait_text(driver, "#stage", "办理中").await;
    wait_text(driver, "ol.timeline", "网上").await;
    let app_url = driver.current_url().await?.to_string();
    let app_url = app_url.split(['?', '#']).next().unwrap().to_string();
    click(driver, "#form-correction_requested summary").await;
    fill(
        driver,
        "#cr-items",
        "请写明所需拨付明细的时间范围（月份）和列示方式",
    )
    .await;
    let due = Service::today() + chrono::Duration::days(15);
    set_value(driver, "#cr-due", &due.to_string()).await;
    click(driver, "#form-correction_requested button[type=submit]").await;
    wait_text(driver, "#stage", "补正中").await;

    // 4. The citizen sees the request on the status page and corrects online.
    track(driver, &portal, &code, "待补正").await?;
    wait_text(driver, "main", "请写明所需拨付明细的时间范围").await;
    wait_text(driver, "main", &due.to_string()).await;
    wait_for(driver, "#t-text").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "status with a correction request and its form").await);
    }
    fill(driver, "#t-text", CORRECTION).await;
    click(driver, "form[action$='/track/correct'] button[type=submit]").await;
    wait_text(driver, "p.notice[role=status]", "已提交补正").await;
    wait_text(driver, "#state", "已收到补正").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "status after the correction").await);
    }
    assert!(
        driver.find(By::Css("form.letter")).await.is_err(),
        "no letter before the reply"
    );

    // 5. The clerk: the correction is in the log; decide, read the draft, 三审, send.
    login_as(driver, base, "clerk").await?;
    driver.goto(&app_url).await?;
    wait_text(driver, "#stage", "办理中").await;
    wait_text(driver, "ol.timeline", CORRECTION).await;
    click(driver, "#form-decided summary").await;
    click(driver, "#de-decision option[value='granted']").await;
    click(driver, "#form-decided button[type=submit]").await;
    wait_text(driver, "#decision", "予以公开").await;
    driver.goto(format!("{app_url}/letter/html")).await?;
    let draft = text(driver, "article").await;
    assert!(draft.contains("未经审核（草稿）"), "{draft}");
    assert!(draft.contains(REQUEST), "{draft}");
    driver.goto(&app_url).await?;
    click(driver, "#review button[value=submit]").await;
    wait_text(driver, "[data-review-status]", "待办公室主任审核").await;
    for (who, after) in [("head", "待分管领导批准"), ("leader", "已批准")] {
        login_as(driver, base, who).await?;
        driver.goto(&app_url).await?;
        click(driver, "#review button[value=approve]").await;
        wait_text(driver, "[data-review-status]", after).await;
    }
    login_as(driver, base, "clerk").await?;
    driver.goto(&app_url).await?;
    click(driver, "#form-reply_sent summary").await;
    click(driver, "#rs-method option[value='online']").await;
    click_confirmed(driver, "#form-reply_sent button[type=submit]").await?;
    wait_text(driver, "#stage", "已办结").await;

    // 6. The citizen downloads the letter with the 查询码.
    track(driver, &portal, &code, "已答复").await?;
    wait_for(driver, "form.letter").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "status with the reply letter").await);
    }
    click(driver, "form.letter button[value=docx]").await;
    let bytes = downloaded(&downloads, ".docx").await;
    assert!(bytes.starts_with(b"PK"), "not a DOCX");
    let letter = docx_text(&bytes);
    assert!(
        letter.contains(REQUEST),
        "the request in the letter: {letter}"
    );
    assert!(
        letter.contains(office),
        "the office in the letter: {letter}"
    );
    assert!(
        !letter.contains("未经审核"),
        "the approved letter: {letter}"
    );
    Ok(serious)
}
