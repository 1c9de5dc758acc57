//! `gongkai portal search|reindex` on a SQLite file: an item published through the
//! service is found (text and JSON), `reindex` counts it, and a second process cannot
//! write an index directory a running `gongkai serve` holds.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyReview};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, Publication};
use gongkai_service::{Service, Via};
use gongkai_store::{NewUser, Role, Store};

const PASSWORD: &str = "correct horse battery";

fn gongkai(dir: &Path, db: &str, index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_SEARCH_INDEX")
        .arg("portal")
        .args(["--db", db])
        .arg("--search-index")
        .arg(index)
        .args(args)
        .output()
        .unwrap()
}

async fn published_item(url: &str) {
    let store = Store::open(url).await.unwrap();
    let svc = Service::new(store.clone());
    store
        .init(
            "某市某局",
            &NewUser {
                name: "admin".into(),
                display_name: None,
                role: Role::Admin,
                password: PASSWORD.into(),
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (name, role) in [
        ("li", Role::Clerk),
        ("zhu", Role::OfficeHead),
        ("wang", Role::Leader),
    ] {
        svc.add_user(
            &admin,
            &NewUser {
                name: name.into(),
                display_name: None,
                role,
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    }
    let li = svc.actor("li", Via::Cli).await.unwrap();
    let today = Service::today();
    let item = svc
        .register_item(
            &li,
            ItemDraft {
                title: "关于印发《某市生活垃圾分类管理办法》的通知".into(),
                organ: String::new(),
                formed_on: today - chrono::Duration::days(3),
                number: Some("某政办发〔2025〕31号".into()),
                topic: "城乡建设、环境保护".into(),
                genre: "通知".into(),
                summary: "生活垃圾分为四类。".into(),
                body: "本市生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。".into(),
                disclosure: Disclosure::Proactive,
                validity: None,
                outlets: vec![Outlet::Website],
            },
        )
        .await
        .unwrap();
    let review = SecrecyReview {
        checklist: SecrecyChecklist::all_no(),
        conclusion: SecrecyConclusion::Publishable,
        note: None,
    };
    svc.submit_item(&li, item.id, review, None).await.unwrap();
    for who in ["zhu", "wang"] {
        let a = svc.actor(who, Via::Cli).await.unwrap();
        svc.approve_item(&a, item.id, None).await.unwrap();
    }
    svc.publish_item(
        &li,
        item.id,
        Publication {
            outlet: Outlet::Website,
            account: String::new(),
            published_on: today,
            url: None,
        },
    )
    .await
    .unwrap();
    store.close().await;
}

#[test]
fn search_reindex_and_one_writer_per_directory() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ledger.db").display());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(published_item(&db));
    let index = dir.path().join("index");

    let o = gongkai(dir.path(), &db, &index, &["search", "垃圾分类"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("共 1 条"), "{out}");
    assert!(
        out.contains("【垃圾分类】") || out.contains("【垃圾】"),
        "{out}"
    );

    let o = gongkai(
        dir.path(),
        &db,
        &index,
        &["search", "某政办发(2025)31号", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"], 1, "{v}");
    assert!(
        v["note"].as_str().unwrap().contains("某政办发〔2025〕31号"),
        "{v}"
    );

    let o = gongkai(dir.path(), &db, &index, &["reindex"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("1 条"), "{out}");

    // A server holds the directory: a second writer is refused, naming why.
    let mut serve = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir.path())
        .env_remove("GONGKAI_SEARCH_INDEX")
        .args([
            "serve",
            "--db",
            &db,
            "--addr",
            "127.0.0.1:0",
            "--search-index",
        ])
        .arg(&index)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it holds the index (it names the directory once the writer is locked).
    let mut err = serve.stderr.take().unwrap();
    let mut seen = String::new();
    let started = std::time::Instant::now();
    while !seen.contains("检索索引 / search index") && started.elapsed().as_secs() < 60 {
        let mut buf = [0u8; 1024];
        let n = std::io::Read::read(&mut err, &mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("检索索引"), "{seen}");
    let o = gongkai(dir.path(), &db, &index, &["reindex"]);
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("另一进程"), "{e}");
}
