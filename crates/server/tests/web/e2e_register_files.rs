//! Issue 16 §4 in the browser: the register's body file and attachments on the item form,
//! the attachments' downloads and uploads on the item page, and the batch import page
//! (preview, then import), in a real headless Chromium.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::common::today;
use crate::e2e::{browser_session, click, fill, login_as, set_value, wait_for, wait_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_uploads_a_body_file_and_attachments_and_imports_a_sheet() {
    let Some((driver, base, _process, server)) = browser_session("register-files").await else {
        return;
    };
    let dir = tempfile_dir();
    let result = journey(&driver, &base, &dir).await;
    let _ = driver.quit().await;
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("gongkai-e2e-register-files-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn journey(driver: &WebDriver, base: &str, dir: &std::path::Path) -> WebDriverResult<()> {
    let body = dir.join("通知.html");
    std::fs::write(
        &body,
        "<html><body><p>各科室：</p><p>定于下周开展政务公开培训。</p></body></html>",
    )
    .unwrap();
    let a1 = dir.join("日程.txt");
    let a2 = dir.join("名单.csv");
    std::fs::write(&a1, "周一 09:00 报到").unwrap();
    std::fs::write(&a2, "姓名\n李四\n").unwrap();

    login_as(driver, base, "clerk").await?;
    driver.goto(format!("{base}/register/new")).await?;
    fill(driver, "#title", "关于开展政务公开培训的通知").await;
    set_value(driver, "#formed_on", &today().to_string()).await;
    fill(driver, "#topic", "综合政务").await;
    set_value(driver, "#genre", "通知").await;
    fill(driver, "#summary", "部署培训。").await;
    wait_for(driver, "#body_file")
        .await
        .send_keys(body.display().to_string())
        .await?;
    wait_for(driver, "#attachments")
        .await
        .send_keys(format!("{}\n{}", a1.display(), a2.display()))
        .await?;
    click(driver, "form[action='/register/new'] button[type=submit]").await;
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
    wait_text(driver, "main", "定于下周开展政务公开培训。").await;
    wait_text(driver, "#attachments", "日程.txt").await;
    wait_text(driver, "#attachments", "名单.csv").await;
    let href = wait_for(driver, "#attachments a")
        .await
        .attr("href")
        .await?
        .unwrap_or_default();
    assert_eq!(href, format!("/register/{id}/attachments/1"));

    // One more on the item page.
    let a3 = dir.join("补充说明.txt");
    std::fs::write(&a3, "补充").unwrap();
    wait_for(driver, "#attach-files")
        .await
        .send_keys(a3.display().to_string())
        .await?;
    click(driver, "#attach-submit").await;
    wait_text(driver, "#attachments", "补充说明.txt").await;
    wait_text(driver, ".flash", "已添加附件").await;

    // The import page from the list: a refused row, then a good sheet imported.
    driver.goto(format!("{base}/register")).await?;
    click(driver, "#to-import").await;
    let bad = dir.join("批量-有误.csv");
    std::fs::write(
        &bad,
        "名称,生成日期,主题分类,体裁,内容概述,附件\n关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt\n关于乙的通知,昨天,综合政务,通知,乙。,\n",
    )
    .unwrap();
    let jia = dir.join("甲.txt");
    std::fs::write(&jia, "甲的附件").unwrap();
    wait_for(driver, "#i-sheet")
        .await
        .send_keys(bad.display().to_string())
        .await?;
    wait_for(driver, "#i-attachments")
        .await
        .send_keys(jia.display().to_string())
        .await?;
    click(driver, "#i-preview").await;
    wait_text(driver, "#refused", "“昨天”不是日期").await;
    assert!(driver.find(By::Css("#import-confirm")).await.is_err());
    let good = dir.join("批量.csv");
    std::fs::write(
        &good,
        "名称,生成日期,主题分类,体裁,内容概述,附件\n关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt\n关于乙的通知,2025-10-10,综合政务,通知,乙。,\n",
    )
    .unwrap();
    wait_for(driver, "#i-sheet")
        .await
        .send_keys(good.display().to_string())
        .await?;
    wait_for(driver, "#i-attachments")
        .await
        .send_keys(jia.display().to_string())
        .await?;
    click(driver, "#i-preview").await;
    wait_text(driver, "#preview", "关于乙的通知").await;
    click(driver, "#i-import").await;
    wait_text(driver, "#import-done", "已导入 2 项").await;
    wait_text(driver, "#imported", "关于甲的通知").await;
    Ok(())
}
