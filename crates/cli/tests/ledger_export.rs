//! `gongkai ledger export` and `gongkai ledger columns`, driving the binary on SQLite: the
//! ledger as CSV and XLSX with the list's filters and a saved column set, the year's tables,
//! credentials required (the export is audited).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use gongkai_write::xlsx::inspect;

const PASSWORD: &str = "correct horse battery";

fn run(dir: &Path, user_pw: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.current_dir(dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_USER")
        .env_remove("GONGKAI_TOKEN")
        .args(["ledger", "--db", "sqlite://ledger.db"]);
    let mut stdin = String::new();
    if let Some((user, pw)) = user_pw {
        c.args(["--user", user, "--password-stdin"]);
        stdin = format!("{pw}\n");
    }
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(dir: &Path, user_pw: Option<(&str, &str)>, args: &[&str]) -> String {
    let o = run(dir, user_pw, args);
    assert!(
        o.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn export_and_column_sets_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .env_remove("GONGKAI_DB")
        .args([
            "ledger",
            "--db",
            "sqlite://ledger.db",
            "init",
            "--agency",
            "某市某局",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("{PASSWORD}\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(o.status.success());
    let admin = Some(("admin", PASSWORD));
    for (name, received) in [
        ("王五", "2025-06-02"),
        ("=赵六", "2025-06-03"),
        ("钱七", "2026-11-02"),
    ] {
        ok(
            dir,
            admin,
            &[
                "apply",
                "--applicant-type",
                "natural-person",
                "--name",
                name,
                "--id-number",
                "410702199001011234",
                "--channel",
                "in-person",
                "--received",
                received,
                "--request",
                "道路改造工程的招标文件",
            ],
        );
    }
    // CSV by the extension, the list's year filter, chosen columns.
    let out = ok(
        dir,
        admin,
        &[
            "export",
            "--status",
            "all",
            "--year",
            "2025",
            "--columns",
            "编号,申请人,收到日期,证件号码",
            "-o",
            "台账.csv",
        ],
    );
    assert!(out.contains("申请 2 件"), "{out}");
    let csv = std::fs::read_to_string(dir.join("台账.csv")).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "编号,申请人,收到日期,证件号码");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines.iter().any(|l| l.contains(",'=赵六,2025-06-03,")),
        "{csv}"
    );
    // The administrator does not see identity numbers in full.
    assert!(lines[1].ends_with("410702********1234"), "{csv}");

    // A saved set, used for an XLSX.
    let out = ok(
        dir,
        admin,
        &["columns", "save", "季度报送", "编号,申请人", "办理阶段"],
    );
    assert!(
        out.contains("已保存列模板“季度报送”：编号、申请人、办理阶段"),
        "{out}"
    );
    let out = ok(dir, None, &["columns", "list"]);
    assert!(
        out.contains("标准（内置）") && out.contains("季度报送（admin"),
        "{out}"
    );
    assert!(
        out.contains("received") && out.contains("收到日期"),
        "{out}"
    );
    ok(
        dir,
        admin,
        &[
            "export",
            "--format",
            "xlsx",
            "--columns",
            "季度报送",
            "--search",
            "钱七",
            "-o",
            "out.bin",
        ],
    );
    let sheets = inspect::read(&std::fs::read(dir.join("out.bin")).unwrap()).unwrap();
    let rows = sheets[0].rows();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(sheets[0].text("C1"), "办理阶段");
    assert_eq!(sheets[0].text("B2"), "钱七");
    ok(dir, admin, &["columns", "delete", "季度报送"]);
    let o = run(
        dir,
        admin,
        &["export", "--columns", "季度报送", "-o", "x.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到导出列模板“季度报送”"));

    // The year's tables.
    let out = ok(
        dir,
        admin,
        &["export", "--statistics", "2025", "-o", "统计表.xlsx"],
    );
    assert!(out.contains("统计表"), "{out}");
    let sheets = inspect::read(&std::fs::read(dir.join("统计表.xlsx")).unwrap()).unwrap();
    assert_eq!(sheets.len(), 4);
    assert_eq!(
        sheets[1].get("J6"),
        Some(&inspect::Value::Number(2.0)),
        "本年新收 2025: 2"
    );

    // Without credentials: refused; a format that does not exist: refused by the parser.
    let o = run(dir, None, &["export", "-o", "x.xlsx"]);
    assert!(!o.status.success());
    assert!(!dir.join("x.xlsx").exists());
    let o = run(dir, admin, &["export", "--format", "pdf", "-o", "x.pdf"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("xlsx、csv"));
    // Audited.
    let out = ok(dir, None, &["audit", "--limit", "200", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let downloads = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "download")
        .count();
    assert_eq!(downloads, 3, "two ledger exports and the tables");
}
