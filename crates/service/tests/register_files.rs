//! The register's front-end use cases for files (issue 16 §4), on both backends: the
//! import preview (rows, every problem by row and column — the agency's lists, attachments
//! missing or too large — nothing written), a new item registered with its attachments in
//! one transaction or not at all, and the body replaced from a file as a new version.

use chrono::NaiveDate;
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet};
use gongkai_service::{ErrorKind, Service};
use gongkai_store::register::{MAX_ATTACHMENT_BYTES, NewAttachment};

#[macro_use]
mod common;
use common::{office, postgres, sqlite};

on_both_backends!(
    the_preview_names_rows_and_columns_and_writes_nothing,
    an_item_and_its_files_are_one_write,
    the_body_from_a_file_is_a_new_version,
);

fn on_day(svc: &Service) -> Service {
    svc.clone()
        .with_date("2025-10-20".parse::<NaiveDate>().unwrap())
}

fn draft(title: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        organ: String::new(),
        formed_on: "2025-10-09".parse().unwrap(),
        number: None,
        topic: "综合政务".into(),
        genre: "通知".into(),
        summary: "概述。".into(),
        body: "正文。".into(),
        disclosure: Disclosure::Proactive,
        validity: None,
        outlets: vec![Outlet::Website],
    }
}

fn file(name: &str, bytes: Vec<u8>) -> NewAttachment {
    NewAttachment {
        name: name.into(),
        media_type: "text/plain".into(),
        bytes,
    }
}

async fn the_preview_names_rows_and_columns_and_writes_nothing(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _, _) = office(svc).await;
    let sheet = "名称,生成日期,主题分类,体裁,内容概述,附件\n\
        关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt；大.bin\n\
        关于乙的通知,2025-10-10,没有这个分类,通知,乙。,丙.txt\n\
        关于丁的通知,2025-10-10,综合政务,通知,丁。,\n";
    let big = vec![0u8; MAX_ATTACHMENT_BYTES + 1];
    let find = move |n: &str| match n {
        "甲.txt" => Some(b"jia".to_vec()),
        "大.bin" => Some(big.clone()),
        _ => None,
    };
    let p = svc
        .preview_item_import(&li, "批量.csv", sheet.as_bytes(), &find)
        .await
        .unwrap();
    assert!(!p.ok());
    assert_eq!(p.rows.len(), 2, "甲 and 丁 read; 乙's topic is not listed");
    let at = |row: usize, col: Option<&str>| {
        p.refusals
            .iter()
            .any(|r| r.row == row && r.column.as_deref() == col)
    };
    assert!(at(2, Some("附件")), "{:?}", p.refusals);
    assert!(
        at(3, None),
        "the topic (the store's check): {:?}",
        p.refusals
    );
    assert!(at(3, Some("附件")), "丙.txt missing: {:?}", p.refusals);
    assert!(
        p.refusals.iter().any(|r| r.reason.contains("大.bin")),
        "{:?}",
        p.refusals
    );
    // A sheet without the columns: refused rows, not an error.
    let p = svc
        .preview_item_import(
            &li,
            "空.csv",
            "名称,生成日期\n甲,2025-10-09\n".as_bytes(),
            &find,
        )
        .await
        .unwrap();
    assert!(p.refusals.iter().any(|r| r.reason.contains("主题分类")));
    // Nothing was written.
    let l = svc.list_items(&li, &Default::default()).await.unwrap();
    assert_eq!(l.total, 0);
    // The good rows alone import.
    let good = "名称,生成日期,主题分类,体裁,内容概述,附件\n关于甲的通知,2025-10-09,综合政务,通知,甲。,甲.txt\n";
    let find = |n: &str| (n == "甲.txt").then(|| b"jia".to_vec());
    let p = svc
        .preview_item_import(&li, "好.csv", good.as_bytes(), &find)
        .await
        .unwrap();
    assert!(p.ok(), "{:?}", p.refusals);
    let done = svc
        .import_items(&li, "好.csv", good.as_bytes(), &find)
        .await
        .unwrap();
    assert_eq!(done.items.len(), 1);
}

async fn an_item_and_its_files_are_one_write(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _, _) = office(svc).await;
    // A file over the limit: nothing registered.
    let e = svc
        .register_item_with_files(
            &li,
            draft("关于甲的通知"),
            vec![
                file("a.txt", b"a".to_vec()),
                file("big.bin", vec![0; MAX_ATTACHMENT_BYTES + 1]),
            ],
        )
        .await
        .unwrap_err();
    assert_ne!(e.kind(), ErrorKind::Internal, "{e}");
    assert_eq!(
        svc.list_items(&li, &Default::default())
            .await
            .unwrap()
            .total,
        0
    );
    let item = svc
        .register_item_with_files(
            &li,
            draft("关于甲的通知"),
            vec![file("a.txt", b"a".to_vec()), file("b.txt", b"bb".to_vec())],
        )
        .await
        .unwrap();
    let v = svc.item(&li, item.id).await.unwrap();
    assert_eq!(v.record.attachments.len(), 2);
    assert_eq!(v.record.attachments[1].size, 2);
    assert!(!v.record.item.organ.is_empty(), "the agency as 发布机构");
    // Without files, as register_item.
    let plain = svc
        .register_item_with_files(&li, draft("关于乙的通知"), Vec::new())
        .await
        .unwrap();
    assert!(
        svc.item(&li, plain.id)
            .await
            .unwrap()
            .record
            .attachments
            .is_empty()
    );
}

async fn the_body_from_a_file_is_a_new_version(svc: &Service) {
    let svc = &on_day(svc);
    let (li, _, _) = office(svc).await;
    let item = svc.register_item(&li, draft("关于甲的通知")).await.unwrap();
    let html = "<html><body><p>第一段。</p><p>第二段。</p></body></html>";
    let after = svc
        .set_item_body_from_file(&li, item.id, "甲.html", html.as_bytes())
        .await
        .unwrap();
    assert_eq!(after.version, item.version + 1);
    let v = svc.item(&li, item.id).await.unwrap();
    assert_eq!(v.record.draft.body, "第一段。\n\n第二段。");
    assert_eq!(v.record.draft.title, "关于甲的通知", "the rest unchanged");
    let e = svc
        .set_item_body_from_file(&li, item.id, "坏.pdf", b"%PDF-1.4 nothing")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("坏.pdf"), "{e}");
}
