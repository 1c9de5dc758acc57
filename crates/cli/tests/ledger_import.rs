//! `gongkai ledger import` and `gongkai ledger opening` driving the binary on SQLite (and
//! on PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` is set): the office sheet of the
//! service's tests (`crates/service/tests/fixtures/import-ledger.xlsx`) previewed,
//! imported, imported again (nothing new), refused without credentials; the opening
//! balances typed, and read back from a report the ledger wrote and rendered as HTML.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "correct horse battery";
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../service/tests/fixtures/import-ledger.xlsx"
);

fn run(dir: &Path, db: &str, args: &[&str], password: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.current_dir(dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_USER")
        .env_remove("GONGKAI_TOKEN");
    let ledger = args.first() == Some(&"ledger");
    if ledger {
        c.args(["ledger", "--db", db]);
        if password {
            c.args(["--user", "admin", "--password-stdin"]);
        }
        c.args(&args[1..]);
    } else {
        c.args(args);
    }
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("run gongkai");
    let mut stdin = child.stdin.take().expect("stdin");
    if password {
        writeln!(stdin, "{PASSWORD}").expect("password");
    }
    drop(stdin);
    child.wait_with_output().expect("output")
}

fn ok(dir: &Path, db: &str, args: &[&str], password: bool) -> String {
    let o = run(dir, db, args, password);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{args:?} failed\nstdout:\n{out}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn scenario(dir: &Path, db: &str) {
    let o = run(
        dir,
        db,
        &[
            "ledger",
            "init",
            "--agency",
            "某县人民政府办公室",
            "--password-stdin",
        ],
        true,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let preview = ok(dir, db, &["ledger", "import", FIXTURE, "--dry-run"], true);
    assert!(preview.contains("将新建 7 项"), "{preview}");
    assert!(preview.contains("不能导入 6 行"), "{preview}");
    assert!(preview.contains("第 10 行“收到日期”列"), "{preview}");
    assert!(preview.contains("未写入"), "{preview}");

    // A write: no credentials, no import.
    let o = run(dir, db, &["ledger", "import", FIXTURE], false);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("验证身份"));

    let done = ok(dir, db, &["ledger", "import", FIXTURE], true);
    assert!(
        done.contains("已导入 7 项（2025-0001 … 2025-0007）"),
        "{done}"
    );
    let again = ok(dir, db, &["ledger", "import", FIXTURE, "--json"], true);
    let v: serde_json::Value = serde_json::from_str(&again).expect("json");
    assert_eq!(v["outcome"]["created"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["outcome"]["existing"].as_array().map(Vec::len), Some(7));
    let list = ok(dir, db, &["ledger", "list", "--status", "all"], false);
    assert!(list.contains("某某律师事务所"), "{list}");
    let audit = ok(dir, db, &["ledger", "audit", "--limit", "200"], false);
    assert!(
        audit.contains("import.run") && audit.contains("application.import"),
        "{audit}"
    );

    // An unknown field in --map is refused, naming the fields.
    let o = run(
        dir,
        db,
        &["ledger", "import", FIXTURE, "--map", "来信日期=收到"],
        true,
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有字段“来信日期”"));

    // Opening balances: typed, then read from a report (the ledger's 2025 report as HTML).
    let typed = ok(
        dir,
        db,
        &[
            "ledger",
            "opening",
            "--year",
            "2024",
            "--carried",
            "1,1,0,0,0,0,2",
            "--regulations",
            "2",
            "--normative",
            "9",
        ],
        true,
    );
    assert!(
        typed.contains("已保存期初数") && typed.contains("行政规范性文件 9 件"),
        "{typed}"
    );
    // The drafts' placeholders make the checker exit 1; the report is written anyway.
    let ye = run(
        dir,
        db,
        &["ledger", "year-end", "2025", "-o", "2025.json"],
        false,
    );
    let ye = String::from_utf8_lossy(&ye.stdout).into_owned();
    // 二 from the typed opening (no application received before 2025 in the ledger).
    assert!(ye.contains("上年结转 2"), "{ye}");
    ok(
        dir,
        db,
        &[
            "render",
            "2025.json",
            "--to",
            "html",
            "-o",
            "2025.html",
            "--force",
        ],
        false,
    );
    let read = ok(dir, db, &["ledger", "opening", "--from", "2025.html"], true);
    assert!(
        read.contains("2025 年度报告") && read.contains("来源：2025.html"),
        "{read}"
    );
    // 2025's 四: the application still being handled (某某律师事务所, 法律服务机构) and the
    // two carried over from the opening balances, of which the ledger knows no outcome.
    assert!(
        read.contains("法律服务机构 1") && read.contains("总计 3"),
        "{read}"
    );
    let shown = ok(dir, db, &["ledger", "opening"], false);
    assert!(shown.contains("2025 年度报告"), "{shown}");
    assert!(ok(dir, db, &["ledger", "opening", "--clear"], true).contains("已清除"));
}

#[test]
fn import_and_opening_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("ledger.db").display());
    scenario(dir.path(), &db);
}

#[test]
fn import_and_opening_on_postgres() {
    let Some(db) = common::postgres_database("gongkai_cli_import") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    scenario(dir.path(), &db.url);
}
