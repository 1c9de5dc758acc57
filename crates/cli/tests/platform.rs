//! `gongkai ledger platform` and `--agency`: the root's administrator adds an agency and
//! takes a role there; an application registered with `--agency B` is B's, listed in B and
//! not in the root agency; an unknown code is refused naming it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "correct horse battery staple";

fn run(dir: &Path, pre: &[&str], args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.current_dir(dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_USER")
        .env_remove("GONGKAI_TOKEN")
        .env_remove("GONGKAI_AGENCY")
        .arg("ledger")
        .args(["--db", &format!("sqlite://{}", dir.join("p.db").display())])
        .args(pre)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("run gongkai");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("stdin");
    }
    drop(input);
    child.wait_with_output().expect("output")
}

fn ok(dir: &Path, pre: &[&str], args: &[&str], stdin: Option<&str>) -> String {
    let o = run(dir, pre, args, stdin);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{pre:?} {args:?}\nstdout:\n{out}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

#[test]
fn agencies_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pw = format!("{PASSWORD}\n");
    ok(
        d,
        &[],
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&pw),
    );
    let admin = ["--user", "admin", "--password-stdin"];
    let out = ok(
        d,
        &admin,
        &[
            "platform",
            "agency",
            "add",
            "--parent",
            "local-1",
            "--code",
            "B",
            "--name",
            "某区某局",
            "--kind",
            "县区",
        ],
        Some(&pw),
    );
    assert!(out.contains("某区某局"), "{out}");
    let tree = ok(d, &admin, &["platform", "agency", "list"], Some(&pw));
    assert!(
        tree.contains("local-1  某市某局") && tree.contains("  B  某区某局  [县区]"),
        "{tree}"
    );
    ok(
        d,
        &admin,
        &[
            "platform",
            "grant",
            "admin",
            "--in",
            "B",
            "管理员",
            "信息员",
        ],
        Some(&pw),
    );
    let apply = [
        "apply",
        "--applicant-type",
        "natural-person",
        "--name",
        "乙某",
        "--channel",
        "online",
        "--received",
        "2025-03-03",
        "--request",
        "某道路改造工程的立项批复",
    ];
    let pre_b = ["--agency", "B", "--user", "admin", "--password-stdin"];
    ok(d, &pre_b, &apply, Some(&pw));
    let in_b = ok(d, &["--agency", "B"], &["list"], None);
    assert!(in_b.contains("乙某"), "{in_b}");
    let in_root = ok(d, &[], &["list"], None);
    assert!(!in_root.contains("乙某"), "{in_root}");
    let o = run(d, &["--agency", "NOPE"], &["list"], None);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("NOPE"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A clerk-less write in an agency where the user holds no role is refused.
    ok(
        d,
        &admin,
        &["platform", "grant", "admin", "--in", "B"],
        Some(&pw),
    );
    let o = run(d, &pre_b, &apply, Some(&pw));
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("在本机关没有角色"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The supervisor's figures: every agency's computed at once (the platform administrator).
    let out = ok(
        d,
        &admin,
        &["platform", "figures", "rebuild", "--year", "2025"],
        Some(&pw),
    );
    assert!(
        out.contains("已重新计算 2 个机关 2025 年度的监督数据"),
        "{out}"
    );
}
