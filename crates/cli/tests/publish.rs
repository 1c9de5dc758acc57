//! `gongkai publish …` end to end, driving the binary on SQLite (and on PostgreSQL when
//! `GONGKAI_TEST_POSTGRES_URL` is set): a clerk registers items, replaces a body from an
//! HTML file, attaches files; 初审 with the 保密审查 answers as options, a planted ID
//! number flagged and overridden with a reason, a batch approval with one item refused
//! (exit status 1, the others approved), a send-back, the leader's approval, publication,
//! the catalogue as CSV and XLSX, the withheld list, the import of a CSV with attachments
//! from a folder (dry run naming file, row and column; all or nothing) — each command as
//! an authenticated user; and `gongkai ledger publish …` still answering as an alias.

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "correct horse battery";
/// A valid 身份证号 (the 错敏 engine's PII001 flags it).
const ID: &str = "11010519491231002X";

struct G {
    db: String,
    dir: PathBuf,
    passwords: RefCell<HashMap<String, String>>,
}

impl G {
    fn new(db: String, dir: &Path) -> G {
        G {
            db,
            dir: dir.to_path_buf(),
            passwords: RefCell::new(HashMap::from([("admin".into(), PASSWORD.into())])),
        }
    }

    /// `gongkai GROUP --db … [--user U --password-stdin] ARGS…` with `stdin` after the
    /// password.
    fn run(&self, group: &str, user: Option<&str>, args: &[&str], stdin: &str) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        c.current_dir(&self.dir)
            .env_remove("GONGKAI_DB")
            .env_remove("GONGKAI_USER")
            .env_remove("GONGKAI_TOKEN")
            .args([group, "--db", &self.db]);
        let mut input = String::new();
        if let Some(u) = user {
            c.args(["--user", u]);
            if let Some(p) = self.passwords.borrow().get(u) {
                c.arg("--password-stdin");
                input = format!("{p}\n");
            }
        }
        input.push_str(stdin);
        c.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("run gongkai");
        let mut si = child.stdin.take().expect("stdin");
        si.write_all(input.as_bytes()).expect("stdin");
        drop(si);
        child.wait_with_output().expect("output")
    }

    fn ok(&self, user: &str, args: &[&str]) -> String {
        let o = self.run("publish", Some(user), args, "");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            o.status.success(),
            "publish {args:?} as {user} failed\nstdout:\n{out}\nstderr:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        out
    }

    /// Runs and expects exit status `code`; returns stdout and stderr.
    fn exits(&self, code: i32, user: &str, args: &[&str]) -> (String, String) {
        let o = self.run("publish", Some(user), args, "");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(
            o.status.code(),
            Some(code),
            "publish {args:?} as {user}\nstdout:\n{out}\nstderr:\n{err}"
        );
        (out, err)
    }

    /// Adds a user and sets their own password (a temporary one allows nothing else).
    fn user(&self, name: &str, role: &str) {
        let o = self.run(
            "ledger",
            Some("admin"),
            &["user", "add", name, "--role", role],
            "",
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout);
        let temp = out
            .lines()
            .filter(|l| l.contains("temporary password"))
            .find_map(|l| l.rsplit_once(": ").map(|(_, p)| p.trim().to_string()))
            .expect("the temporary password is shown");
        let mine = format!("{name}-Plum7-harbor-Quill");
        self.passwords
            .borrow_mut()
            .insert(name.into(), temp.clone());
        let o = self.run(
            "ledger",
            Some(name),
            &["user", "passwd", name, "--password-stdin"],
            &format!("{mine}\n"),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        self.passwords.borrow_mut().insert(name.into(), mine);
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.dir.join(name), bytes).expect("write");
    }
}

fn item(g: &G, user: &str, title: &str, genre: &str, body: &str) -> i64 {
    let formed = (chrono::Utc::now().date_naive() - chrono::Duration::days(2)).to_string();
    let out = g.ok(
        user,
        &[
            "add",
            "--title",
            title,
            "--formed",
            &formed,
            "--topic",
            "综合政务",
            "--genre",
            genre,
            "--summary",
            "概述。",
            "--body",
            body,
            "--outlet",
            "website",
        ],
    );
    out.trim_start_matches("已登记事项 ")
        .split('，')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("an item number in {out}"))
}

const NO: [&str; 12] = [
    "--state-secret",
    "否",
    "--work-secret",
    "否",
    "--trade-secret",
    "否",
    "--privacy",
    "否",
    "--security",
    "否",
    "--conclusion",
    "非涉密可公开",
];

fn submit(g: &G, id: i64) -> String {
    let id = id.to_string();
    let mut args = vec!["review", "submit", id.as_str()];
    args.extend(NO);
    g.ok("li", &args)
}

fn scenario(g: &G) {
    let o = g.run(
        "ledger",
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (name, role) in [("li", "clerk"), ("zhu", "office_head"), ("wang", "leader")] {
        g.user(name, role);
    }

    // Register, the body from a file, attachments.
    let a = item(g, "li", "关于开展培训的通知", "通知", "草稿。");
    g.write(
        "body.html",
        "<html><body><p>各科室：</p><p>定于下周开展培训。</p></body></html>".as_bytes(),
    );
    let out = g.ok("li", &["body", &a.to_string(), "body.html"]);
    assert!(
        out.contains("已从 body.html 读取正文") && out.contains("第 2 版"),
        "{out}"
    );
    g.write("日程.txt", "周一 09:00 报到".as_bytes());
    g.write("名单.csv", "姓名\n李四\n".as_bytes());
    let out = g.ok("li", &["attach", &a.to_string(), "日程.txt", "名单.csv"]);
    assert!(
        out.contains("已添加附件 1：日程.txt") && out.contains("已添加附件 2：名单.csv"),
        "{out}"
    );
    let (_, err) = g.exits(2, "li", &["attach", &a.to_string(), "没有.pdf"]);
    assert!(err.contains("没有.pdf"), "{err}");
    let out = g.ok("li", &["show", &a.to_string()]);
    assert!(out.contains("附件 2：名单.csv"), "{out}");
    let json = g.ok("li", &["show", &a.to_string(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["draft"]["body"], "各科室：\n\n定于下周开展培训。");

    // 初审: the answers must fit the conclusion; then submitted.
    let id_a = a.to_string();
    let mut bad = vec!["review", "submit", id_a.as_str()];
    bad.extend(NO);
    bad[10] = "不能确定"; // 个人隐私 unsure, yet 非涉密可公开
    let (_, err) = g.exits(2, "li", &bad);
    assert!(err.contains("个人隐私"), "{err}");
    let mut wrong = vec!["review", "submit", id_a.as_str()];
    wrong.extend(NO);
    wrong[6] = "也许";
    let (_, err) = g.exits(2, "li", &wrong);
    assert!(err.contains("工作秘密") && err.contains("也许"), "{err}");
    let out = submit(g, a);
    assert!(out.contains("已提交初审"), "{out}");

    // A planted ID number: flagged, blocks, overridden by the office head with a reason.
    let b = item(
        g,
        "li",
        "关于补贴发放情况的公示",
        "公告",
        &format!("各有关单位：\n申请人张三（身份证号{ID}）已领取补贴。"),
    );
    submit(g, b);
    let out = g.ok("zhu", &["review", "show", &b.to_string()]);
    assert!(
        out.contains("错敏 1：[PII001] 错误") && out.contains(ID),
        "{out}"
    );
    let (_, err) = g.exits(
        2,
        "li",
        &[
            "review",
            "override",
            &b.to_string(),
            "--finding",
            "1",
            "--reason",
            "已取得本人同意",
        ],
    );
    assert!(!err.is_empty());
    let out = g.ok(
        "zhu",
        &[
            "review",
            "override",
            &b.to_string(),
            "--finding",
            "1",
            "--reason",
            "已取得本人书面同意",
        ],
    );
    assert!(
        out.contains("已放行：PII001|") && out.contains("（已放行）"),
        "{out}"
    );

    // The office head's queue, a batch with one refused item (a draft never submitted).
    let c = item(g, "li", "关于某项工作的通知", "通知", "正文。");
    let d = item(g, "li", "关于另一项工作的通知", "通知", "正文。");
    submit(g, d);
    let out = g.ok("zhu", &["review", "queue"]);
    assert!(
        out.contains("关于开展培训的通知") && out.contains("待审核 3 件"),
        "{out}"
    );
    let json = g.ok("zhu", &["review", "queue", "--json"]);
    let q: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(q.as_array().unwrap().len(), 3);
    let (out, _) = g.exits(
        1,
        "zhu",
        &[
            "review",
            "approve",
            &a.to_string(),
            &b.to_string(),
            &c.to_string(),
        ],
    );
    assert!(out.contains("通过 2 件，未通过 1 件"), "{out}");
    assert!(out.contains(&format!("事项 {c}：未通过")), "{out}");
    // Sent back with a reason (a reason is required).
    let (_, err) = g.exits(
        2,
        "zhu",
        &["review", "return", &d.to_string(), "--reason", " "],
    );
    assert!(err.contains("理由") || err.contains("reason"), "{err}");
    let out = g.ok(
        "zhu",
        &["review", "return", &d.to_string(), "--reason", "请补充依据"],
    );
    assert!(
        out.contains("已退回") && out.contains("请补充依据"),
        "{out}"
    );

    // The leader approves; the item is published and in the catalogue.
    let json = g.ok("wang", &["review", "approve", &a.to_string(), "--json"]);
    let o: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(o[0]["status"], "approved", "{json}");
    let out = g.ok("li", &["publish", &a.to_string(), "--outlet", "website"]);
    assert!(out.contains("已登记发布"), "{out}");
    let out = g.ok("li", &["catalogue", "-o", "目录.csv"]);
    assert!(out.contains("已导出政府信息公开目录 1 项"), "{out}");
    let csv = std::fs::read_to_string(g.dir.join("目录.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}索引号,名称,内容概述") && csv.contains("关于开展培训的通知"),
        "{csv}"
    );
    let year = chrono::Utc::now().date_naive().format("%Y").to_string();
    g.ok(
        "li",
        &[
            "catalogue",
            "--year",
            &year,
            "--format",
            "xlsx",
            "-o",
            "目录.xlsx",
        ],
    );
    assert!(
        std::fs::read(g.dir.join("目录.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
    let (_, err) = g.exits(2, "li", &["catalogue", "--year", "1999", "-o", "x.csv"]);
    assert!(err.contains("1999"), "{err}");

    // Import: a refused row names the file, the row and the column; nothing written.
    std::fs::create_dir(g.dir.join("附件")).unwrap();
    std::fs::write(g.dir.join("附件").join("甲.txt"), "甲的附件").unwrap();
    let header = "名称,生成日期,主题分类,体裁,内容概述,公开属性,不予公开依据,附件\n";
    g.write(
        "批量.csv",
        format!(
            "{header}关于甲的通知,2025-10-09,综合政务,通知,甲。,,,甲.txt\n\
             关于乙的通知,昨天,综合政务,通知,乙。,,,\n\
             关于丙的请示,2025-10-10,综合政务,通知,丙。,不予公开,internal,丙.txt\n"
        )
        .as_bytes(),
    );
    let (out, _) = g.exits(
        1,
        "li",
        &["import", "批量.csv", "--attachments", "附件", "--dry-run"],
    );
    assert!(out.contains("批量.csv 第 3 行“生成日期”列"), "{out}");
    let (_, err) = g.exits(2, "li", &["import", "批量.csv", "--attachments", "附件"]);
    assert!(
        err.contains("批量.csv") && err.contains("第 3 行“生成日期”"),
        "{err}"
    );
    let listed = g.ok("li", &["list", "--json"]);
    let l: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(l["total"], 4, "nothing imported");
    // Fixed, the attachment missing from the folder is named.
    g.write(
        "批量.csv",
        format!(
            "{header}关于甲的通知,2025-10-09,综合政务,通知,甲。,,,甲.txt\n\
             关于丙的请示,2025-10-10,综合政务,通知,丙。,不予公开,internal,丙.txt\n"
        )
        .as_bytes(),
    );
    let (out, _) = g.exits(
        1,
        "li",
        &["import", "批量.csv", "--attachments", "附件", "--dry-run"],
    );
    assert!(out.contains("第 3 行“附件”列：找不到附件“丙.txt”"), "{out}");
    std::fs::write(g.dir.join("附件").join("丙.txt"), "丙的附件").unwrap();
    let out = g.ok(
        "li",
        &["import", "批量.csv", "--attachments", "附件", "--dry-run"],
    );
    assert!(out.contains("将登记 2 项（试运行，未写入）"), "{out}");
    let out = g.ok("li", &["import", "批量.csv", "--attachments", "附件"]);
    assert!(out.contains("已导入 2 项"), "{out}");
    let out = g.ok("li", &["withheld"]);
    assert!(
        out.contains("关于丙的请示") && out.contains("不予公开 1 件"),
        "{out}"
    );
    let json = g.ok("li", &["withheld", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let out = g.ok("li", &["list", "--search", "甲"]);
    assert!(
        out.contains("关于甲的通知") && out.contains("共 1 件"),
        "{out}"
    );

    // Nothing without credentials.
    let o = g.run("publish", None, &["list"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--user"));
    let o = g.run("publish", Some("nobody"), &["import", "批量.csv"], "");
    assert!(!o.status.success());

    // The older spelling still answers.
    let o = g.run(
        "ledger",
        Some("li"),
        &["publish", "list", "--search", "培训"],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("关于开展培训的通知"));
}

#[test]
fn publish_commands_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("register.db").display());
    scenario(&G::new(db, dir.path()));
}

#[test]
fn publish_help_is_chinese_and_the_alias_is_hidden() {
    let help = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(args)
            .output()
            .expect("run");
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let h = help(&["publish", "--help"]);
    for w in [
        "登记新事项",
        "批量导入",
        "三审与保密审查",
        "公开目录",
        "--password-stdin",
    ] {
        assert!(h.contains(w), "{w} missing in\n{h}");
    }
    let h = help(&["publish", "review", "submit", "--help"]);
    assert!(
        h.contains("--state-secret") && h.contains("不能确定"),
        "{h}"
    );
    assert!(!help(&["ledger", "--help"]).contains("主动公开登记"));
    assert!(help(&["--help"]).contains("主动公开登记"));
}

#[test]
fn publish_commands_on_postgres() {
    let Some(db) = common::postgres_database("gongkai_cli_publish") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    scenario(&G::new(db.url.clone(), dir.path()));
}
