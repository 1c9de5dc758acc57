//! Issue 17 §1 in the browser: a citizen on the public 专栏 finds an item by a Chinese
//! query, opens it and downloads its attachment, switches to large text and high
//! contrast, files an online application (the page's proof-of-work) and follows it by its
//! 查询码; every page type is checked with axe-core (npm `axe-core`, installed by
//! `scripts/install-browser`): no serious or critical violation. The axe report is
//! printed in the test output.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_service::{Service, Via};
use gongkai_store::register::NewAttachment;
use gongkai_store::{ReviewAction, ReviewSubject};
use thirtyfour::prelude::*;

use crate::common::store;
use crate::e2e::{browser_session_over, click, downloads_of, fill, wait_for, wait_text};

/// axe-core's script: `GONGKAI_AXE_JS`, else where `scripts/install-browser` puts it.
pub(crate) fn axe_script() -> Option<String> {
    let path = std::env::var_os("GONGKAI_AXE_JS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| {
                PathBuf::from(h).join(".cache/gongkai/npm/node_modules/axe-core/axe.min.js")
            })
        })?;
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "axe-core missing under CI ({}): {e}",
                path.display()
            );
            eprintln!(
                "SKIPPED the axe-core checks: {} ({e}); run scripts/install-browser",
                path.display()
            );
            None
        }
    }
}

/// Runs axe-core on the page; returns the serious and critical violations, each as
/// `impact id: help (targets)`, and prints a one-line report of all of them.
pub(crate) async fn axe(driver: &WebDriver, axe_js: &str, page: &str) -> Vec<String> {
    driver
        .execute(axe_js, Vec::new())
        .await
        .expect("inject axe-core");
    let ret = driver
        .execute(
            "return axe.run(document, { resultTypes: ['violations'] }).then(function (r) {\
               return r.violations.map(function (v) {\
                 return { id: v.id, impact: v.impact || '', help: v.help,\
                   targets: v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 5) };\
               });\
             });",
            Vec::new(),
        )
        .await
        .expect("axe.run");
    let list: Vec<serde_json::Value> = serde_json::from_value(ret.json().clone()).unwrap();
    let all: Vec<String> = list
        .iter()
        .map(|v| {
            format!(
                "{} {}: {} ({})",
                v["impact"].as_str().unwrap_or(""),
                v["id"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                v["targets"]
                    .as_array()
                    .map(|t| t
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            )
        })
        .collect();
    println!(
        "axe-core {page}: {} violation(s){}",
        all.len(),
        if all.is_empty() {
            String::new()
        } else {
            format!(": {}", all.join("; "))
        }
    );
    all.into_iter()
        .filter(|v| v.starts_with("serious") || v.starts_with("critical"))
        .collect()
}

async fn seed(svc: &Service) -> (i64, i64) {
    let clerk = svc.actor("clerk", Via::Web).await.unwrap();
    let mut ids = Vec::new();
    for (title, topic, file) in [
        (
            "关于进一步做好城乡居民基本医疗保险参保缴费工作的通知",
            "卫生、体育",
            true,
        ),
        (
            "关于做好秋冬季森林防火工作的通知",
            "农业、林业、水利",
            false,
        ),
        ("政府信息公开保密审查制度", "综合政务\\政务公开", false),
    ] {
        let item = svc
            .register_item(
                &clerk,
                ItemDraft {
                    title: title.into(),
                    organ: String::new(),
                    formed_on: Service::today() - chrono::Duration::days(3),
                    number: Some("测政办发〔2026〕8号".into()),
                    topic: topic.into(),
                    genre: "通知".into(),
                    summary: "做好有关工作。".into(),
                    body: "各乡镇人民政府，各有关单位：\n\n现就有关事项通知如下。".into(),
                    disclosure: Disclosure::Proactive,
                    validity: None,
                    outlets: vec![Outlet::Website],
                },
            )
            .await
            .unwrap();
        if file {
            svc.attach_to_item(
                &clerk,
                item.id,
                NewAttachment {
                    name: "参保缴费指南.pdf".into(),
                    media_type: "application/pdf".into(),
                    bytes: b"%PDF-1.4 guide".to_vec(),
                },
            )
            .await
            .unwrap();
        }
        crate::common::review_and_publish(svc, item.id).await;
        ids.push(item.id);
    }
    // One withdrawn, one annual report approved.
    let head = svc.actor("head", Via::Web).await.unwrap();
    svc.withdraw_item(&head, ids[1], "内容需要更新")
        .await
        .unwrap();
    let text = gongkai_store::NarrativeText {
        sections: [
            (
                1,
                "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。",
            ),
            (
                5,
                "一是主动公开的深度还需拓展；二是政策解读形式较为单一。下一步将加强业务培训。",
            ),
            (6, "本年度未收取信息处理费。"),
        ]
        .into_iter()
        .map(|(n, t)| (n, t.to_string()))
        .collect(),
        ..Default::default()
    };
    svc.save_narrative(&clerk, 2025, text, None).await.unwrap();
    let subject = ReviewSubject::AnnualReport { year: 2025 };
    for (who, action) in [
        ("clerk", ReviewAction::Submit),
        ("head", ReviewAction::Review),
        ("leader", ReviewAction::Approve),
    ] {
        let a = svc.actor(who, Via::Web).await.unwrap();
        svc.review_step(&a, &subject, action, None).await.unwrap();
    }
    (ids[0], ids[1])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_finds_an_item_and_downloads_its_attachment_on_accessible_pages() {
    let store = store().await;
    let svc = Service::new(store.clone());
    let (found, withdrawn) = seed(&svc).await;
    let test = "portal";
    let _ = std::fs::remove_dir_all(downloads_of(test));
    let Some((driver, base, _process, server)) = browser_session_over(test, store).await else {
        return;
    };
    let axe_js = axe_script();
    let result = journey(&driver, &base, found, withdrawn, axe_js.as_deref()).await;
    let _ = driver.quit().await;
    server.abort();
    let _ = std::fs::remove_dir_all(downloads_of(test));
    let serious = result.unwrap();
    assert!(
        serious.is_empty(),
        "axe-core: serious or critical violations: {serious:#?}"
    );
}

/// The journey; the serious and critical axe violations found on the way.
async fn journey(
    driver: &WebDriver,
    base: &str,
    found: i64,
    withdrawn: i64,
    axe_js: Option<&str>,
) -> WebDriverResult<Vec<String>> {
    let mut serious = Vec::new();
    let portal = format!("{base}/portal/local-1");
    driver.goto(&portal).await?;
    wait_text(driver, "h1", "政府信息公开").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "home").await);
    }

    // A Chinese query in the site's search box (full-text, the process's index).
    fill(driver, "#site-q", "医疗保险参保").await;
    click(driver, "form.site-search button[type=submit]").await;
    wait_text(driver, "ol.hits", "城乡居民基本医疗保险").await;
    wait_for(driver, "ol.hits mark").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "search").await);
    }
    // The same through the list's keyword filter.
    click(driver, "nav a[href$='/items']").await;
    wait_for(driver, "form.filters").await;
    fill(driver, "#f-q", "医疗保险").await;
    click(driver, "form.filters button[type=submit]").await;
    wait_text(driver, "p.count", "共 1 条").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "items").await);
    }
    click(driver, &format!("a[href$='/items/{found}']")).await;
    wait_text(driver, "table.meta", "索引号").await;
    wait_text(driver, "h1", "城乡居民基本医疗保险").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "item").await);
    }

    // The attachment is downloaded.
    click(driver, "ul.files a").await;
    let file = downloads_of("portal").join("参保缴费指南.pdf");
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::fs::read(&file).ok().as_deref() != Some(&b"%PDF-1.4 guide"[..]) {
        assert!(
            Instant::now() < deadline,
            "no download at {}",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // 适老化: larger text and high contrast, kept across pages.
    let size = |d: &WebDriver| {
        let d = d.clone();
        async move {
            d.execute(
                "return parseFloat(getComputedStyle(document.documentElement).fontSize);",
                Vec::new(),
            )
            .await
            .unwrap()
            .json()
            .as_f64()
            .unwrap()
        }
    };
    let before = size(driver).await;
    click(driver, "[data-a11y=larger]").await;
    click(driver, "[data-a11y=contrast]").await;
    assert!(size(driver).await > before * 1.3, "larger text");
    driver.goto(format!("{portal}/guide")).await?;
    wait_text(driver, "h1", "政府信息公开指南").await;
    let pressed = wait_for(driver, "[data-a11y=contrast]")
        .await
        .attr("aria-pressed")
        .await?;
    assert_eq!(pressed.as_deref(), Some("true"), "remembered");
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "guide (large text, high contrast)").await);
    }
    click(driver, "[data-a11y=larger]").await;
    click(driver, "[data-a11y=contrast]").await;

    for (path, what, want) in [
        ("/rules", "rules", "政府信息公开保密审查制度"),
        ("/reports", "reports", "2025年政府信息公开工作年度报告"),
        ("/reports/2025", "report", "本年度未收取信息处理费"),
        ("/catalogue", "catalogue", "索引号"),
        (&format!("/items/{withdrawn}"), "withdrawn item", "撤稿"),
    ] {
        driver.goto(format!("{portal}{path}")).await?;
        wait_text(driver, "body", want).await;
        if let Some(js) = axe_js {
            serious.extend(axe(driver, js, what).await);
        }
    }
    // An online application: the page solves its proof-of-work, the citizen fills the form.
    driver.goto(format!("{portal}/apply")).await?;
    wait_for(driver, "form[data-pow-done=true]").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "apply").await);
    }
    fill(driver, "#a-name", "王五").await;
    fill(driver, "#a-idno", "110101199003070011").await;
    fill(driver, "#a-phone", "13712345678").await;
    fill(driver, "#a-email", "wangwu@example.com").await;
    fill(driver, "#a-desc", "本镇2025年农村低保资金发放名单").await;
    click(driver, "form.apply button[type=submit]").await;
    let code = wait_text(driver, "#query-code", "-").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "applied").await);
    }
    driver.goto(format!("{portal}/track")).await?;
    fill(driver, "#t-code", &code).await;
    fill(driver, "#t-phone", "137 1234 5678").await;
    click(driver, "form.filters button[type=submit]").await;
    wait_text(driver, "#state", "已收到").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "track").await);
    }

    driver.goto(format!("{base}/portal")).await?;
    wait_for(driver, "main").await;
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "index").await);
    }
    // Phone width: the pages reflow (no horizontal scrolling of the page).
    driver.set_window_rect(0, 0, 375, 800).await?;
    driver.goto(format!("{portal}/items/{found}")).await?;
    wait_for(driver, "table.meta").await;
    let overflow = driver
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            Vec::new(),
        )
        .await?
        .json()
        .as_f64()
        .unwrap_or(0.0);
    assert!(
        overflow <= 1.0,
        "horizontal overflow of {overflow}px at 375px"
    );
    if let Some(js) = axe_js {
        serious.extend(axe(driver, js, "item (phone width)").await);
    }
    Ok(serious)
}
