//! Issue 16 in the browser: the publication register's review before publication
//! (三审, 保密审查, 错敏排查) through the pages, in a real headless Chromium, and the
//! year-end draft that counts the published item.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::common::today;
use crate::e2e::{browser_session, click, fill, login_as, set_value, wait_for, wait_text};

/// Issue 16 §2 in the browser: a clerk drafts a register item with a planted 身份证号 in the
/// body, sees it flagged on the review page (with its place), fixes it, fills the 保密审查 at
/// 初审; the office head (复审) and the leader (审核) approve; the clerk publishes it; the
/// year-end draft's 主动公开 paragraph counts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_drafts_an_item_fixes_a_planted_id_number_and_it_passes_three_reviews() {
    let Some((driver, base, _process, server)) = browser_session("register-review").await else {
        return;
    };
    let result = register_review_journey(&driver, &base).await;
    let _ = driver.quit().await;
    server.abort();
    result.unwrap();
}

async fn register_review_journey(driver: &WebDriver, base: &str) -> WebDriverResult<()> {
    const ID: &str = "11010519491231002X";
    login_as(driver, base, "clerk").await?;
    driver.goto(format!("{base}/register/new")).await?;
    fill(driver, "#title", "关于年度补贴发放情况的公示").await;
    set_value(driver, "#formed_on", &today().to_string()).await;
    fill(driver, "#topic", "综合政务").await;
    set_value(driver, "#genre", "公告").await;
    fill(driver, "#summary", "公示本年度补贴发放情况。").await;
    let body = format!("各有关单位：\n申请人张三（身份证号{ID}）已领取补贴。");
    fill(driver, "#body", &body).await;
    click(driver, "form[action='/register/new'] button[type=submit]").await;
    // The item's page; its id from the address.
    let deadline = Instant::now() + Duration::from_secs(15);
    let id = loop {
        let url = driver.current_url().await?.to_string();
        if let Some(rest) = url.split("/register/").nth(1)
            && let Ok(id) = rest
                .split(['?', '#', '/'])
                .next()
                .unwrap_or("")
                .parse::<i64>()
        {
            break id;
        }
        assert!(Instant::now() < deadline, "not on an item page: {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let review = format!("{base}/register/{id}/review");

    // Flagged, with its place; publication is blocked.
    driver.goto(&review).await?;
    wait_text(driver, "tr.finding[data-code=PII001]", ID).await;
    wait_text(driver, "tr.finding[data-code=PII001]", "正文第 2 行").await;
    wait_text(driver, "#obstacles", "PII001").await;

    // The clerk masks the number.
    driver.goto(format!("{base}/register/{id}/edit")).await?;
    fill(driver, "#body", &body.replace(ID, "110105********002X")).await;
    click(
        driver,
        &format!("form[action='/register/{id}/edit'] button[type=submit]"),
    )
    .await;
    wait_for(driver, "main").await;
    driver.goto(&review).await?;
    wait_for(driver, "#no-findings").await;

    // 初审 with the 保密审查.
    for q in [
        "state_secret",
        "work_secret",
        "trade_secret",
        "privacy",
        "security",
    ] {
        click(driver, &format!("#{q}-no")).await;
    }
    click(driver, "#conclusion-publishable").await;
    click(driver, "#submit-review").await;
    wait_text(driver, "[data-review-status]", "待办公室主任审核").await;
    wait_text(driver, "#secrecy-status", "非涉密可公开").await;

    // 复审 and 审核.
    for (who, after) in [("head", "待分管领导批准"), ("leader", "已批准")] {
        login_as(driver, base, who).await?;
        driver.goto(&review).await?;
        click(driver, "#approve").await;
        wait_text(driver, "[data-review-status]", after).await;
    }
    wait_for(driver, "#publishable").await;

    // The clerk publishes it on the website.
    login_as(driver, base, "clerk").await?;
    driver.goto(format!("{base}/register/{id}")).await?;
    click(
        driver,
        &format!("form[action='/register/{id}/publish'] button[type=submit]"),
    )
    .await;
    wait_text(driver, "main", "已发布").await;

    // The year-end draft counts it: section 一's 主动公开 paragraph, from the register.
    driver
        .goto(format!("{base}/year-end?year={}", &today()[..4]))
        .await?;
    wait_text(
        driver,
        "main",
        "本年度主动公开政府信息1条，其中通过政府网站发布1条",
    )
    .await;
    wait_text(
        driver,
        "main",
        "本年度首次公开的1条信息中，1条在生成之日起20个工作日内公开",
    )
    .await;
    Ok(())
}
