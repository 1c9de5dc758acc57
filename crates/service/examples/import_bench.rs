//! The import of a large ledger sheet: makes an XLSX of `N` rows (default 100,000; the
//! first argument changes it) with rust_xlsxwriter, then reads it (calamine), plans it
//! (headers, dates, outcomes, the ledger's checks on every row: the preview) and writes it
//! into a fresh SQLite database in one transaction, printing rows/s of each step and the
//! process's peak resident memory (VmHWM) after each.
//!
//! ```console
//! $ cargo run --release -p gongkai-service --example import_bench [-- 100000]
//! ```

use std::time::Instant;

use chrono::{Days, NaiveDate};
use gongkai_ledger::import::ImportKind;
use gongkai_service::imports::read_sheet;
use gongkai_service::{Service, Via};
use gongkai_store::{NewUser, Role, Store};

fn peak_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or_else(
            || "?".into(),
            |kib| format!("{:.0} MiB", kib as f64 / 1024.0),
        )
}

fn sheet(n: usize) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in [
        "序号",
        "申请人",
        "收到日期",
        "申请内容",
        "延期",
        "答复日期",
        "办理结果",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let base = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let outcomes = [
        "予以公开",
        "部分公开",
        "信息不存在",
        "不予公开（国家秘密）",
        "办理中",
    ];
    for i in 0..n {
        let r = (i + 1) as u32;
        let received = base + Days::new((i % 700) as u64);
        let xd = |d: NaiveDate| {
            use chrono::Datelike;
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).unwrap()
        };
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("申请人{}", i % 5000))
            .unwrap();
        ws.write_datetime_with_format(r, 2, xd(received), &date)
            .unwrap();
        ws.write_string(r, 3, format!("某县{}年第{}号文件及其附件", 2020 + i % 5, i))
            .unwrap();
        let outcome = outcomes[i % outcomes.len()];
        if outcome != "办理中" {
            if i % 7 == 0 {
                ws.write_datetime_with_format(r, 4, xd(received + Days::new(10)), &date)
                    .unwrap();
            }
            ws.write_string(
                r,
                5,
                (received + Days::new(14)).format("%Y/%m/%d").to_string(),
            )
            .unwrap();
        }
        ws.write_string(r, 6, outcome).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let bytes = sheet(n);
    println!(
        "made the sheet: {n} rows, {:.1} MB, {:.1} s (peak {})",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        peak_mib()
    );

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url).await.unwrap();
    let admin = NewUser {
        name: "admin".into(),
        display_name: None,
        role: Role::Admin,
        password: "a long bench password".into(),
    };
    store
        .init("某县人民政府办公室", &admin, chrono::Utc::now())
        .await
        .unwrap();
    let svc = Service::new(store);
    let actor = svc.actor("admin", Via::Cli).await.unwrap();

    let rate = |secs: f64| n as f64 / secs;
    let t = Instant::now();
    let sheet = read_sheet("bench.xlsx", &bytes).unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "read (calamine):     {s:6.2} s  {:>9.0} rows/s  peak {}",
        rate(s),
        peak_mib()
    );
    drop(bytes);

    let t = Instant::now();
    let p = svc
        .import_preview(
            &actor,
            ImportKind::Applications,
            "bench.xlsx",
            &sheet,
            &Vec::new(),
        )
        .await
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "preview (plan):      {s:6.2} s  {:>9.0} rows/s  peak {}  ({} to create, {} refused)",
        rate(s),
        peak_mib(),
        p.to_create(),
        p.refused.len()
    );

    let t = Instant::now();
    let (_, out) = svc
        .import_sheet(
            &actor,
            ImportKind::Applications,
            "bench.xlsx",
            &sheet,
            &Vec::new(),
            "",
        )
        .await
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "import (preview + one transaction): {s:6.2} s  {:>9.0} rows/s  peak {}  ({} created)",
        rate(s),
        peak_mib(),
        out.created.len()
    );

    let t = Instant::now();
    let (_, again) = svc
        .import_sheet(
            &actor,
            ImportKind::Applications,
            "bench.xlsx",
            &sheet,
            &Vec::new(),
            "",
        )
        .await
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "import again (nothing new):         {s:6.2} s  {:>9.0} rows/s  peak {}  ({} created, {} existing)",
        rate(s),
        peak_mib(),
        again.created.len(),
        again.existing.len()
    );
}
