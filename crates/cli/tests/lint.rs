//! `gongkai lint` end to end: exit status, formats, directories, stdin, --since, --rules,
//! --lists, unreadable files.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn gongkai(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A small website mirror: a clean page, a page with a leak, a dated page with an old
/// name, an old page, and an unreadable file.
fn mirror() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let w = |p: &str, s: &[u8]| {
        let path = d.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, s).unwrap();
    };
    w(
        "site/clean.html",
        "<html><body><h1>通知</h1><p>发布时间：2024-03-01</p><p>请各单位按要求报送材料。</p></body></html>".as_bytes(),
    );
    w(
        "site/a/leak.html",
        "<html><body><p>发布时间：2024-03-01</p><p>联系人：王五，电话13812345678。</p></body></html>".as_bytes(),
    );
    w(
        "site/a/name.txt",
        "请配合县国土资源局做好工作。\n2023年5月6日\n".as_bytes(),
    );
    w(
        "site/old.txt",
        "请配合县国土资源局做好工作。\n2017年5月6日\n".as_bytes(),
    );
    d
}

#[test]
fn errors_found_exit_1_with_summary_by_rule() {
    let d = mirror();
    let o = gongkai(&["lint", "site"], d.path());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("error[PII003]"), "{out}");
    assert!(out.contains("【13812345678】"), "{out}");
    assert!(out.contains("建议：138****5678"), "{out}");
    assert!(out.contains("error[ORG001]"), "{out}");
    // The 2017 page is historical: its old name is not reported.
    assert!(!out.contains("old.txt"), "{out}");
    assert!(out.contains("共 4 个文件"), "{out}");
    assert!(out.contains("PII003   mobile-number-exposed"), "{out}");
}

#[test]
fn clean_files_exit_0() {
    let d = mirror();
    let o = gongkai(&["lint", "site/clean.html", "site/old.txt"], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn an_unreadable_file_never_stops_the_run() {
    let d = mirror();
    std::fs::write(
        d.path().join("site/broken.docx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    let o = gongkai(&["lint", "site"], d.path());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.docx"), "{err}");
    // The other files were still linted.
    assert!(stdout(&o).contains("error[PII003]"));
    let o = gongkai(&["lint", "missing.txt", "site/clean.html"], d.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn since_and_rules_narrow_the_run() {
    let d = mirror();
    let o = gongkai(&["lint", "site", "--since", "2024-01-01"], d.path());
    let out = stdout(&o);
    assert!(!out.contains("ORG001]"), "{out}");
    assert!(out.contains("早于 --since 跳过 2"), "{out}");
    let o = gongkai(&["lint", "site", "--rules", "ORG"], d.path());
    let out = stdout(&o);
    assert!(out.contains("ORG001") && !out.contains("PII003"), "{out}");
    let o = gongkai(&["lint", "site", "--rules", "NOPE1"], d.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("未知的规则代码"));
}

#[test]
fn json_csv_and_xlsx() {
    let d = mirror();
    let o = gongkai(&["lint", "site", "--format", "json"], d.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 4);
    assert_eq!(v["summary"]["errors"], 2);
    let files = v["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["status"] == "linted"
        && f["findings"][0]["code"] == "PII003"
        && f["findings"][0]["suggestion"] == "138****5678"));

    // A paragraph starting with `=`: the excerpt cell must not become a formula.
    std::fs::write(d.path().join("site/formula.txt"), "=电话13712345678\n").unwrap();
    let o = gongkai(
        &["lint", "site", "--format", "csv", "-o", "out.csv"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let csv = std::fs::read_to_string(d.path().join("out.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("文件,段落,位置,规则"), "{csv}");
    assert!(csv.contains("'=电话【13712345678】"), "{csv}");

    let o = gongkai(
        &["lint", "site", "--format", "xlsx", "-o", "out.xlsx"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let x = std::fs::read(d.path().join("out.xlsx")).unwrap();
    assert!(x.starts_with(b"PK\x03\x04"));
    let o = gongkai(&["lint", "site", "--format", "xlsx"], d.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn stdin_lists_and_suppression() {
    let d = mirror();
    std::fs::create_dir_all(d.path().join("lists")).unwrap();
    std::fs::write(
        d.path().join("lists/allow.toml"),
        "[[allow]]\ntext = \"13812345678\"\nrules = [\"PII003\"]\nwho = \"办公室 王某\"\nwhy = \"值班手机\"\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("lists/sensitive.csv"),
        "word,category,severity,suggestion\n报送材料,测试,error,提交材料\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["lint", "-", "--lists", "lists"])
        .current_dir(d.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("值班电话13812345678，请报送材料。".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("error[LIST001] <stdin>"), "{out}");
    assert!(!out.contains("PII003"), "{out}");
    assert!(out.contains("已放行 1"), "{out}");
}
