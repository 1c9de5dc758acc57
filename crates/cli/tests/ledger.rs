//! `gongkai ledger …` end to end, driving the binary: init → users → apply → correction →
//! extension → decision → three-level review → reply → year-end, then the computed table
//! 三 has the application in the right cell and the checker reports no errors. The scenario
//! runs on SQLite, and on PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` is set
//! (`scripts/postgres-test-server`).

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gongkai_report::{Report, Value};

const PASSWORD: &str = "correct horse battery";

struct Gongkai {
    db: String,
    dir: PathBuf,
    /// The users' passwords (the administrator's, and the initial ones `user add` shows):
    /// a command run as a user proves it with `--password-stdin`.
    passwords: RefCell<HashMap<String, String>>,
}

impl Gongkai {
    fn new(db: String, dir: &Path) -> Self {
        Gongkai {
            db,
            dir: dir.to_path_buf(),
            passwords: RefCell::new(HashMap::from([("admin".to_string(), PASSWORD.to_string())])),
        }
    }

    /// The command without credentials (`--user` only).
    fn bare(&self, user: Option<&str>) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        c.current_dir(&self.dir)
            .env_remove("GONGKAI_DB")
            .env_remove("GONGKAI_USER")
            .env_remove("GONGKAI_TOKEN")
            .arg("ledger")
            .args(["--db", &self.db]);
        if let Some(u) = user {
            c.args(["--user", u]);
        }
        c
    }

    fn run(&self, user: Option<&str>, args: &[&str], stdin: Option<&str>) -> Output {
        let password = user.and_then(|u| self.passwords.borrow().get(u).cloned());
        let mut c = self.bare(user);
        let stdin = match password {
            Some(p) => {
                c.arg("--password-stdin");
                Some(format!("{p}\n{}", stdin.unwrap_or("")))
            }
            None => stdin.map(str::to_string),
        };
        c.args(args);
        let o = Self::output(c, stdin.as_deref());
        // Keep the temporary password of a user just added.
        if args.first() == Some(&"user") && args.get(1) == Some(&"add") && o.status.success() {
            let out = String::from_utf8_lossy(&o.stdout);
            if let Some(pw) = out
                .lines()
                .filter(|l| l.contains("temporary password"))
                .find_map(|l| l.rsplit_once(": ").map(|(_, p)| p.trim()))
            {
                // A temporary password allows nothing but setting one's own: the user does
                // that first, as at the first sign-in on the web.
                let name = args[2];
                let mine = format!("{name}-Plum7-harbor-Quill");
                let mut c = self.bare(Some(name));
                c.args([
                    "--password-stdin",
                    "user",
                    "passwd",
                    name,
                    "--password-stdin",
                ]);
                let set = Self::output(c, Some(&format!("{pw}\n{mine}\n")));
                assert!(
                    set.status.success(),
                    "{name} sets a password: {}",
                    String::from_utf8_lossy(&set.stderr)
                );
                self.passwords.borrow_mut().insert(name.to_string(), mine);
            }
        }
        o
    }

    fn output(mut c: Command, stdin: Option<&str>) -> Output {
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("run gongkai");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write stdin");
        } else {
            drop(child.stdin.take());
        }
        child.wait_with_output().expect("gongkai output")
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, user: Option<&str>, args: &[&str]) -> String {
        self.ok_with_stdin(user, args, None)
    }

    fn ok_with_stdin(&self, user: Option<&str>, args: &[&str], stdin: Option<&str>) -> String {
        let o = self.run(user, args, stdin);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(
            o.status.success(),
            "gongkai ledger {args:?} failed ({:?})\nstdout:\n{out}\nstderr:\n{err}",
            o.status.code()
        );
        out
    }

    /// Runs and expects exit status 2; returns stderr.
    fn fails(&self, user: Option<&str>, args: &[&str]) -> String {
        let o = self.run(user, args, None);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(
            o.status.code(),
            Some(2),
            "gongkai ledger {args:?} should fail\nstdout:\n{}\nstderr:\n{err}",
            String::from_utf8_lossy(&o.stdout)
        );
        err
    }
}

fn sqlite(dir: &Path) -> Gongkai {
    Gongkai::new(format!("sqlite://{}", dir.join("ledger.db").display()), dir)
}

/// The whole scenario on one database.
fn scenario(g: &Gongkai) {
    let out = g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(out.contains("已初始化台账：某市某局"), "{out}");
    assert!(!out.contains("初始密码"), "{out}");
    for (name, role) in [
        ("li", "clerk"),
        ("zhu", "office_head"),
        ("wang", "分管领导"),
    ] {
        let out = g.ok(Some("admin"), &["user", "add", name, "--role", role]);
        assert!(out.contains("临时密码"), "{out}");
    }
    let out = g.ok(None, &["user", "list"]);
    assert!(out.contains("zhu") && out.contains("办公室主任"), "{out}");
    // Unlocking a sign-in lock is the administrator's (nothing locked here).
    let out = g.ok(Some("admin"), &["user", "unlock", "li"]);
    assert!(out.contains("没有登录锁定"), "{out}");
    let err = g.fails(Some("li"), &["user", "unlock", "zhu"]);
    assert!(err.contains("forbidden"), "{err}");

    // A company applies online; the clerk asks for a correction, gets it, extends, decides.
    let out = g.ok(
        Some("li"),
        &[
            "apply",
            "--applicant-type",
            "commercial",
            "--name",
            "某建设有限公司",
            "--id-number",
            "91110000600000000X",
            "--phone",
            "010-12345678",
            "--channel",
            "online",
            "--received",
            "2025-03-03",
            "--request",
            "某道路改造工程的立项批复及环评文件",
        ],
    );
    assert!(out.contains("已登记申请 2025-0001"), "{out}");
    assert!(out.contains("答复期限"), "{out}");
    let id = "2025-0001";
    g.ok(
        Some("li"),
        &[
            "event",
            id,
            "correction-requested",
            "--date",
            "2025-03-05",
            "--items",
            "请明确所需文件的名称或文号",
            "--due",
            "2025-03-14",
        ],
    );
    let out = g.ok(
        Some("li"),
        &["event", id, "corrected", "--date", "2025-03-10"],
    );
    assert!(out.contains("第 3 项 收到补正后的申请"), "{out}");
    let out = g.ok(
        Some("li"),
        &[
            "event",
            id,
            "extension",
            "--date",
            "2025-04-03",
            "--days",
            "20",
            "--approved-by",
            "zhu",
            "--note",
            "需要调档查阅",
        ],
    );
    assert!(out.contains("延长答复期限"), "{out}");
    g.ok(
        Some("li"),
        &[
            "event",
            id,
            "decision",
            "partially_granted",
            "--date",
            "2025-04-20",
        ],
    );

    // Three-level review of the reply: submit, the office head reviews, the leader approves.
    // Out of turn and wrong roles are refused.
    g.ok(Some("li"), &["review", "submit", "reply", id]);
    let err = g.fails(Some("wang"), &["review", "approve", "reply", id]);
    assert!(err.contains("无权"), "{err}");
    let err = g.fails(
        Some("zhu"),
        &["review", "send-back", "reply", id, "--reason", " "],
    );
    assert!(err.contains("退回时必须说明理由"), "{err}");
    let out = g.ok(Some("zhu"), &["review", "approve", "reply", id]);
    assert!(out.contains("待分管领导批准"), "{out}");
    let out = g.ok(
        Some("wang"),
        &["review", "approve", "reply", id, "--note", "同意"],
    );
    assert!(out.contains("已批准"), "{out}");

    let out = g.ok(
        Some("li"),
        &["event", id, "reply-sent", "--date", "2025-04-21"],
    );
    assert!(out.contains("已办结"), "{out}");

    // A second application, still open at the year's end.
    let out = g.ok(
        Some("li"),
        &[
            "apply",
            "--applicant-type",
            "natural-person",
            "--name",
            "张三",
            "--channel",
            "in-person",
            "--received",
            "2025-12-29",
            "--request",
            "本村土地征收补偿方案",
        ],
    );
    assert!(out.contains("2025-0002"), "{out}");

    // Bad input: a clear Chinese error, exit status 2, nothing saved.
    let err = g.fails(
        Some("li"),
        &[
            "event",
            "2025-0002",
            "decision",
            "granted",
            "--date",
            "2099-01-01",
        ],
    );
    assert!(err.contains("晚于今天"), "{err}");
    assert!(err.contains("[future_date]"), "{err}");
    let err = g.fails(
        Some("li"),
        &[
            "event",
            "2025-0099",
            "decision",
            "granted",
            "--date",
            "2025-05-01",
        ],
    );
    assert!(err.contains("找不到申请 2025-0099"), "{err}");
    let err = g.fails(
        Some("li"),
        &["event", "2025-0002", "reply-sent", "--date", "2025-12-30"],
    );
    assert!(err.contains("尚未作出答复结论"), "{err}");
    let err = g.fails(
        Some("li"),
        &[
            "event",
            "2025-0002",
            "decision",
            "granted",
            "--date",
            "2025-12-01",
        ],
    );
    assert!(err.contains("早于收到申请的日期"), "{err}");
    let err = g.fails(None, &["event", "2025-0002", "decision", "granted"]);
    assert!(err.contains("--user"), "{err}");
    let err = g.fails(Some("li"), &["event", "2025-0002", "decision", "approved"]);
    assert!(err.contains("答复结论“approved”无效"), "{err}");

    // show: the timeline, state and the deadline with its explanation.
    let out = g.ok(None, &["show", id]);
    for want in [
        "某建设有限公司",
        "已办结",
        "部分公开",
        "答复期限",
        "#3",
        "收到补正后的申请",
        "延长答复期限：延长 20 个工作日，批准人 zhu",
        "登记：li",
        "备注：需要调档查阅",
        "已批准",
        "wang（分管领导）批准",
    ] {
        assert!(out.contains(want), "show lacks {want:?}:\n{out}");
    }
    let out = g.ok(None, &["show", "2025-0002"]);
    assert!(out.contains("#1 ") && !out.contains("#2 "), "{out}");
    let json = g.ok(None, &["show", id, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("show --json");
    assert_eq!(v["state"]["stage"], "closed");
    assert_eq!(v["application"]["events"].as_array().map(Vec::len), Some(6));

    // list: open ones only, by deadline, overdue marked (2025-0002 is long past its
    // deadline on the real date).
    let out = g.ok(None, &["list", "--open"]);
    assert!(out.contains("2025-0002"), "{out}");
    assert!(!out.contains("2025-0001"), "{out}");
    assert!(out.contains("已超期"), "{out}");
    let out = g.ok(None, &["list"]);
    let first = out.find("2025-0002").expect("open one listed");
    let second = out.find("2025-0001").expect("closed one listed");
    assert!(first < second, "open before closed:\n{out}");
    let out = g.ok(None, &["list", "--due-within", "3"]);
    assert!(out.contains("2025-0002"), "overdue counts as due: {out}");

    // Appeals and proactive figures.
    g.ok(
        Some("li"),
        &[
            "appeal",
            "add",
            "--id",
            "复-2025-1",
            "--kind",
            "reconsideration",
            "--filed",
            "2025-05-10",
            "--application",
            id,
        ],
    );
    g.ok(
        Some("li"),
        &[
            "appeal",
            "conclude",
            "复-2025-1",
            "--result",
            "upheld",
            "--date",
            "2025-07-01",
        ],
    );
    g.ok(
        Some("li"),
        &[
            "proactive",
            "set",
            "lic-2025",
            "decisions",
            "--area",
            "licensing",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--count",
            "120",
        ],
    );
    let out = g.ok(None, &["appeal", "list"]);
    assert!(out.contains("结果维持"), "{out}");

    // The narrative: the ledger's drafts with fill-in markers until the office writes
    // sections 一, 五 and 六 (from a file or standard input), each save a version.
    let out = g.ok(None, &["narrative", "show", "2025"]);
    assert!(out.contains("一、总体情况（草稿）"), "{out}");
    assert!(out.contains("【请填写。】"), "{out}");
    let s1 = g.dir.join("s1.txt");
    std::fs::write(
        &s1,
        "本局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。\r\n",
    )
    .unwrap();
    let s1_arg = s1.display().to_string();
    let out = g.ok(
        Some("li"),
        &[
            "narrative",
            "set",
            "2025",
            "--section",
            "一",
            "--file",
            &s1_arg,
            "--signed-on",
            "2026-01-20",
            "--note",
            "初稿",
        ],
    );
    assert!(out.contains("第 1 版"), "{out}");
    g.ok_with_stdin(
        Some("li"),
        &["narrative", "set", "2025", "--section", "5", "--file", "-"],
        Some("一是主动公开的深度还需拓展；二是政策解读形式较为单一。"),
    );
    let err = g.fails(
        Some("wang"),
        &[
            "narrative",
            "set",
            "2025",
            "--section",
            "六",
            "--file",
            &s1_arg,
        ],
    );
    assert!(err.contains("无权"), "{err}");
    let s6 = g.dir.join("s6.txt");
    std::fs::write(&s6, "本年度未收取信息处理费。").unwrap();
    let s6_arg = s6.display().to_string();
    g.ok(
        Some("zhu"),
        &[
            "narrative",
            "set",
            "2025",
            "--section",
            "第六部分",
            "--file",
            &s6_arg,
        ],
    );
    let out = g.ok(None, &["narrative", "show", "2025"]);
    for want in [
        "一、总体情况（已撰写）",
        "二、主动公开政府信息情况（草稿）",
        "第 3 版",
        "初稿",
        "2026年1月20日",
    ] {
        assert!(out.contains(want), "narrative show lacks {want:?}:\n{out}");
    }
    let five = g.ok(None, &["narrative", "show", "2025", "--section", "五"]);
    assert_eq!(
        five.trim(),
        "一是主动公开的深度还需拓展；二是政策解读形式较为单一。"
    );

    // Year end: the report, checked; the JSON for `gongkai render`.
    let report_path = g.dir.join("report.json");
    let report_arg = report_path.display().to_string();
    let out = g.ok(
        None,
        &[
            "year-end",
            "2025",
            "--as-of",
            "2025-12-31",
            "-o",
            &report_arg,
        ],
    );
    assert!(out.contains("检查结果：错误 0 个"), "{out}");
    assert!(out.contains("本年新收 2"), "{out}");
    assert!(out.contains("结转下年度：2025-0002"), "{out}");
    let report: Report =
        serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report.json"))
            .expect("a Report");
    assert_eq!(
        report.get("s3.partially_granted.commercial"),
        Some(Value::int(1))
    );
    assert_eq!(
        report.get("s3.partially_granted.total"),
        Some(Value::int(1))
    );
    assert_eq!(report.get("s3.results_total.total"), Some(Value::int(1)));
    assert_eq!(
        report.get("s3.carried_forward.natural_person"),
        Some(Value::int(1))
    );
    assert_eq!(report.get("s3.new_received.total"), Some(Value::int(2)));
    assert_eq!(report.get("s4.reconsideration.upheld"), Some(Value::int(1)));
    let errors: Vec<_> = gongkai_check::check(&report)
        .into_iter()
        .filter(|f| f.severity == gongkai_check::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let json = g.ok(
        None,
        &["year-end", "2025", "--as-of", "2025-12-31", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("year-end --json");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["carried_forward"][0], "2025-0002");

    // The annual report goes through the same review.
    g.ok(Some("li"), &["review", "submit", "report", "2025"]);
    let out = g.ok(None, &["review", "list"]);
    assert!(out.contains("2025 年度报告：待办公室主任审核"), "{out}");
    g.ok(Some("zhu"), &["review", "approve", "report", "2025"]);
    g.ok(Some("wang"), &["review", "approve", "report", "2025"]);
    // Approved is final: a 信息员 cannot reopen it (nor submit it again); the leader reopens
    // it with a reason.
    let err = g.fails(
        Some("li"),
        &["review", "reopen", "2025", "--reason", "数据有误"],
    );
    assert!(err.contains("无权") && err.contains("[forbidden]"), "{err}");
    let err = g.fails(Some("li"), &["review", "submit", "report", "2025"]);
    assert!(err.contains("review_out_of_turn"), "{err}");
    let err = g.fails(Some("wang"), &["review", "reopen", "2025", "--reason", " "]);
    assert!(err.contains("missing_reason"), "{err}");
    let out = g.ok(
        Some("wang"),
        &["review", "reopen", "2025", "--reason", "许可决定数有误"],
    );
    assert!(
        out.contains("已撤销批准") && out.contains("许可决定数有误"),
        "{out}"
    );

    // 更正: the open application's applicant type, old → new with the reason.
    let out = g.ok(
        Some("li"),
        &[
            "correct",
            "2025-0002",
            "--applicant-type",
            "research",
            "--reason",
            "登记时类型录错",
        ],
    );
    assert!(out.contains("申请人类型：自然人 → 科研机构"), "{out}");
    let err = g.fails(Some("li"), &["correct", "2025-0002", "--reason", "无"]);
    assert!(err.contains("nothing_to_amend"), "{err}");
    let out = g.ok(None, &["show", "2025-0002"]);
    assert!(
        out.contains("更正登记信息：申请人类型：自然人 → 科研机构；理由：登记时类型录错"),
        "{out}"
    );

    // The audit log: who did what, when.
    let out = g.ok(None, &["audit", id]);
    for want in [
        "li",
        "登记申请",
        "登记事项",
        "#4 2025-04-03 延长答复期限",
        "zhu",
        "审核通过",
        "wang",
        "批准",
    ] {
        assert!(out.contains(want), "audit lacks {want:?}:\n{out}");
    }
    let out = g.ok(None, &["audit", "--limit", "500"]);
    assert!(
        out.contains("初始化台账") && out.contains("添加用户"),
        "{out}"
    );

    // English where it is cheap.
    let out = g.ok(None, &["--lang", "en", "list", "--open"]);
    assert!(out.contains("OVERDUE"), "{out}");
}

#[test]
fn ledger_end_to_end_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    scenario(&sqlite(dir.path()));
}

#[test]
fn ledger_end_to_end_on_postgres() {
    let Some(db) = common::postgres_database("gongkai_cli_test") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    scenario(&Gongkai::new(db.url.clone(), dir.path()));
}

/// Without `--db` the ledger is `gongkai.db` in the current directory, created on first use.
#[test]
fn default_database_is_created_in_the_current_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir.path())
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_USER")
        .args(["ledger", "init", "--agency", "某县某镇"])
        .output()
        .expect("run gongkai");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("初始密码"),
        "a password is generated and shown once: {out}"
    );
    assert!(dir.path().join("gongkai.db").is_file());
    // A second init is refused, and says so in Chinese.
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir.path())
        .env_remove("GONGKAI_DB")
        .args(["ledger", "init", "--agency", "某县某镇"])
        .output()
        .expect("run gongkai");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已经初始化"));
}

/// `ledger list` with its filters and paging; the value names of the one vocabulary in
/// kebab-case (`post-with-signature`, `litigation-direct`, `normative-document`) and the
/// older spellings (`post`, `litigation`, `normative`).
#[test]
fn list_filters_and_value_names() {
    let dir = tempfile::tempdir().unwrap();
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    g.ok(
        Some("admin"),
        &[
            "user",
            "add",
            "li",
            "--role",
            "clerk",
            "--display-name",
            "李明",
        ],
    );
    let apply = |name: &str, channel: &str, received: &str, request: &str| {
        g.ok(
            Some("li"),
            &[
                "apply",
                "--applicant-type",
                "natural-person",
                "--name",
                name,
                "--id-number",
                "410702199001011234",
                "--channel",
                channel,
                "--received",
                received,
                "--request",
                request,
            ],
        )
    };
    apply(
        "王五",
        "post-with-signature",
        "2025-06-02",
        "道路改造工程的招标文件",
    );
    apply("赵六", "post", "2025-06-03", "某小区规划许可");
    apply("钱七", "ordinary-mail", "2026-11-02", "道路养护合同");
    apply("孙八", "mail", "2026-11-03", "某项目环评");
    let show = g.ok(None, &["show", "2025-0001"]);
    assert!(
        show.contains("邮寄（签收）") || show.contains("签收"),
        "{show}"
    );
    let show = g.ok(None, &["show", "2026-0001"]);
    assert!(show.contains("平常信函"), "{show}");
    assert!(
        show.contains("登记：李明"),
        "the name, not the login: {show}"
    );
    // A bad name: the field and the names in kebab-case.
    let err = g.fails(
        Some("li"),
        &[
            "apply",
            "--applicant-type",
            "natural-person",
            "--name",
            "x",
            "--channel",
            "pigeon",
            "--received",
            "2025-06-02",
            "--request",
            "y",
        ],
    );
    assert!(err.contains("提交渠道“pigeon”无效"), "{err}");
    assert!(err.contains("post-with-signature"), "{err}");
    g.ok(
        Some("li"),
        &[
            "event",
            "2025-0001",
            "decision",
            "granted",
            "--date",
            "2025-06-20",
        ],
    );
    // A reply is sent only once approved (三级审查).
    for (name, role) in [("zhu", "office_head"), ("wang", "分管领导")] {
        g.ok(Some("admin"), &["user", "add", name, "--role", role]);
    }
    g.ok(Some("li"), &["review", "submit", "reply", "2025-0001"]);
    g.ok(Some("zhu"), &["review", "approve", "reply", "2025-0001"]);
    g.ok(Some("wang"), &["review", "approve", "reply", "2025-0001"]);
    g.ok(
        Some("li"),
        &[
            "event",
            "2025-0001",
            "reply-sent",
            "--date",
            "2025-06-23",
            "--method",
            "in-person",
        ],
    );

    let lines = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.starts_with("202"))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let out = g.ok(None, &["list", "--status", "closed"]);
    assert_eq!(lines(&out), ["2025-0001"], "{out}");
    assert!(out.contains("2025-06-23"), "the reply date: {out}");
    assert!(out.contains("410702********1234"), "masked: {out}");
    assert!(!out.contains("410702199001011234"));
    let out = g.ok(None, &["list", "--search", "道路"]);
    assert_eq!(lines(&out), ["2026-0001", "2025-0001"], "{out}");
    let out = g.ok(None, &["list", "--search", "道路 养护"]);
    assert_eq!(lines(&out), ["2026-0001"], "{out}");
    let out = g.ok(None, &["list", "--year", "2025"]);
    assert_eq!(lines(&out), ["2025-0002", "2025-0001"], "{out}");
    // Both open ones received before November are past their 20 working days.
    let out = g.ok(None, &["list", "--overdue", "--year", "2025"]);
    assert_eq!(lines(&out), ["2025-0002"], "{out}");
    let out = g.ok(None, &["list", "--status", "open", "--limit", "2"]);
    assert_eq!(lines(&out), ["2025-0002", "2026-0001"], "{out}");
    assert!(out.contains("共 3 件，此为第 1–2 件"), "{out}");
    let out = g.ok(None, &["list", "--limit", "2", "--offset", "2"]);
    assert_eq!(lines(&out), ["2026-0002", "2025-0001"], "{out}");
    let out = g.ok(
        None,
        &["--lang", "en", "list", "--status", "all", "--limit", "1"],
    );
    assert!(out.contains("1–1 of 4"), "{out}");
    let json = g.ok(None, &["list", "--status", "closed", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["id_number"], "410702********1234");
    assert_eq!(v[0]["closed_on"], "2025-06-23");
    let err = g.fails(None, &["list", "--status", "done"]);
    assert!(err.contains("状态“done”无效"), "{err}");

    // Appeals and documents: the kebab-case names and the older spellings.
    for (id, kind) in [("案-1", "litigation-direct"), ("案-2", "litigation")] {
        g.ok(
            Some("li"),
            &[
                "appeal",
                "add",
                "--id",
                id,
                "--kind",
                kind,
                "--filed",
                "2025-07-01",
            ],
        );
    }
    let out = g.ok(None, &["appeal", "list"]);
    assert_eq!(out.matches("直接起诉").count(), 2, "{out}");
    for (id, kind) in [("文-1", "normative-document"), ("文-2", "normative")] {
        g.ok(
            Some("li"),
            &[
                "proactive",
                "set",
                id,
                "document",
                "--kind",
                kind,
                "--title",
                "某办法",
                "--issued",
                "2025-02-01",
            ],
        );
    }
    let out = g.ok(None, &["proactive", "list"]);
    assert_eq!(out.matches("行政规范性文件").count(), 2, "{out}");
}

/// The office settings (`init` options, `settings`) and the calendar of `--calendar-dir`:
/// 2027 has no notice, so a deadline from December 2026 is counted with 元旦 2027 (never
/// Monday to Friday only) and warned; a file for 2027 overrides that; a bad file stops the
/// command with the file and the line.
#[test]
fn office_settings_and_the_calendar_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &[
            "init",
            "--agency",
            "某县统计局",
            "--password-stdin",
            "--reconsideration-organ",
            "某县人民政府",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    let out = g.ok(None, &["settings"]);
    assert!(
        out.contains("行政复议机关 / reconsideration organ: 某县人民政府"),
        "{out}"
    );
    assert!(out.contains("（未设置，答复书写“人民法院”）"), "{out}");
    let out = g.ok(Some("admin"), &["settings", "--court", "某县人民法院"]);
    assert!(out.contains("管辖法院 / court: 某县人民法院"), "{out}");
    assert!(out.contains("某县人民政府"), "{out}");
    g.ok(Some("admin"), &["user", "add", "li", "--role", "clerk"]);
    let err = g.fails(Some("li"), &["settings", "--court", "别的法院"]);
    assert!(err.contains("修改机关设置"), "{err}");
    // Received Friday 2026-12-04: the 20th working day is Monday 4 January 2027, 元旦 being
    // a holiday by law; the deadline says it was computed without the year's notice.
    let apply = [
        "apply",
        "--applicant-type",
        "natural-person",
        "--name",
        "张三",
        "--channel",
        "in-person",
        "--received",
        "2026-12-04",
        "--request",
        "某文件",
    ];
    let out = g.ok(Some("li"), &apply);
    assert!(out.contains("已登记申请 2026-0001"), "{out}");
    assert!(out.contains("2027年1月4日"), "{out}");
    let id = "2026-0001";
    let out = g.ok(None, &["show", id]);
    assert!(out.contains("元旦"), "{out}");
    assert!(out.contains("日历中没有2027年的节假日安排"), "{out}");
    // A notice file for 2027 (hypothetical dates: 1–4 January off) overrides the fallback.
    let cal = dir.path().join("calendar");
    std::fs::create_dir(&cal).unwrap();
    std::fs::write(
        cal.join("2027.toml"),
        "year = 2027\n[notice]\ntitle = \"国务院办公厅关于2027年部分节假日安排的通知\"\nstatus = \"unconfirmed\"\n[[holidays]]\nname = \"元旦\"\nfrom = \"2027-01-01\"\nto = \"2027-01-04\"\n",
    )
    .unwrap();
    let cal_arg = cal.display().to_string();
    let out = g.ok(None, &["--calendar-dir", &cal_arg, "show", id]);
    assert!(out.contains("2027年1月5日"), "{out}");
    assert!(!out.contains("日历中没有2027年"), "{out}");
    // The same from the settings.
    g.ok(
        Some("admin"),
        &["settings", "--default-calendar-dir", &cal_arg],
    );
    let out = g.ok(None, &["show", id]);
    assert!(out.contains("2027年1月5日"), "{out}");
    // A bad file: the file and the line, in Chinese.
    std::fs::write(
        cal.join("2028.toml"),
        "year = 2028\n[notice]\ntitle = \"t\"\nstatus = \"confirmed\"\n[[holidays]]\nname = \"春节\"\nfrom = \"2028-02-30\"\nto = \"2028-03-01\"\n",
    )
    .unwrap();
    let err = g.fails(None, &["--calendar-dir", &cal_arg, "show", id]);
    assert!(err.contains("2028.toml 第 7 行"), "{err}");
    assert!(err.contains("不是日期"), "{err}");
}

/// `gongkai ledger template …`: the same use cases as the `/admin/templates` pages —
/// placeholders checked with the line, versions, history, restore, the built-in text, the
/// office head or the admin only.
#[test]
fn letter_templates_through_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    for (name, role) in [("li", "clerk"), ("zhu", "office_head")] {
        g.ok(Some("admin"), &["user", "add", name, "--role", role]);
    }
    let out = g.ok(None, &["template", "placeholders"]);
    assert!(out.contains("{救济}") && out.contains("{申请人}"), "{out}");
    let out = g.ok(Some("zhu"), &["template", "list"]);
    assert!(out.contains("granted") && out.contains("默认文本"), "{out}");
    let out = g.ok(Some("zhu"), &["template", "show", "granted"]);
    assert!(out.contains("{救济}"), "{out}");

    let set = [
        "template",
        "set",
        "granted",
        "--file",
        "-",
        "--note",
        "第一版",
    ];
    // A clerk may not; an unknown placeholder is refused with its line.
    let o = g.run(Some("li"), &set, Some("{申请人}：\n{救济}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("forbidden"));
    let o = g.run(Some("zhu"), &set, Some("{申请人}：\n\n{姓名}\n{救济}"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("第 3 行：未知的占位符“{姓名}”"), "{err}");
    let text = "{申请人}：\n\n经审查，予以公开（命令行）。\n\n{救济}\n";
    let out = g.ok_with_stdin(Some("zhu"), &set, Some(text));
    assert!(out.contains("已保存模板 granted 第 1 版"), "{out}");
    let out = g.ok_with_stdin(Some("zhu"), &set, Some(text));
    assert!(out.contains("没有变化"), "{out}");
    let out = g.ok(Some("admin"), &["template", "default", "granted"]);
    assert!(out.contains("第 2 版（恢复默认文本）"), "{out}");
    let out = g.ok(Some("admin"), &["template", "restore", "granted", "1"]);
    assert!(out.contains("第 3 版（恢复旧版本）"), "{out}");
    let out = g.ok(Some("zhu"), &["template", "history", "granted"]);
    assert!(
        out.contains("第 1 版") && out.contains("zhu 修改：第一版"),
        "{out}"
    );
    assert!(out.contains("admin 恢复旧版本（第 1 版）"), "{out}");
    let out = g.ok(
        Some("zhu"),
        &["template", "show", "granted", "--version", "1"],
    );
    assert!(out.contains("予以公开（命令行）"), "{out}");
    let out = g.ok(None, &["audit", "--limit", "5"]);
    assert!(out.contains("恢复答复模板旧版本"), "{out}");
}

/// A text over its field's limit is refused by the command line as by the web and the API
/// (one table in the service), and nothing is stored. The kernel takes at most 128 KiB in
/// one argument, so the name here is 40 000 characters (120 KB), not 10 MB.
#[test]
fn an_oversized_applicant_name_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    let name = "名".repeat(40_000);
    let err = g.fails(
        Some("admin"),
        &[
            "apply",
            "--applicant-type",
            "natural-person",
            "--name",
            &name,
            "--channel",
            "online",
            "--received",
            "2025-03-03",
            "--request",
            "某道路改造工程的立项批复",
        ],
    );
    assert!(
        err.contains("申请人姓名/名称不能超过 200 个字（现有 40000 个）"),
        "{}",
        &err[..err.len().min(300)]
    );
    let out = g.ok(None, &["list"]);
    assert!(!out.contains("名名"), "{out}");
    let audit = g.ok(None, &["audit"]);
    assert!(!audit.contains("名名"), "{audit}");
}

/// The command line is not a back door: a write names its user and proves it (password on
/// standard input, or a personal token on standard input or in `GONGKAI_TOKEN`); without
/// credentials, or with wrong ones, it is refused in Chinese and nothing changes. The audit
/// row records the channel, how the user proved it and the operating-system user. Reads
/// need no credentials.
/// One application, registered by the credential tests.
const APPLY: [&str; 9] = [
    "apply",
    "--applicant-type",
    "natural-person",
    "--name",
    "张三",
    "--request",
    "某项目的环评批复",
    "--received",
    "2025-03-03",
];

#[test]
fn cli_writes_need_a_password_or_a_token() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    g.ok(Some("admin"), &["user", "add", "li", "--role", "clerk"]);
    let apply = APPLY;
    let run = |mut c: Command, stdin: Option<&str>| -> Output {
        c.args(apply).env("USER", "zhangsan-os");
        Gongkai::output(c, stdin)
    };
    // No credentials: refused, nothing saved.
    let o = run(g.bare(Some("li")), None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("写操作须验证身份"), "{err}");
    // A wrong password: refused.
    let mut c = g.bare(Some("li"));
    c.arg("--password-stdin");
    let o = run(c, Some("not the password\n"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("用户名或密码错误"));
    // Someone else's password does not make you them.
    let mut c = g.bare(Some("li"));
    c.arg("--password-stdin");
    let o = run(c, Some(&format!("{PASSWORD}\n")));
    assert_eq!(o.status.code(), Some(2));
    assert!(!g.ok(None, &["list"]).contains("张三"));

    // The right password on standard input: accepted.
    let li = g.passwords.borrow()["li"].clone();
    let mut c = g.bare(Some("li"));
    c.arg("--password-stdin");
    let o = run(c, Some(&format!("{li}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A personal token (made on the web page; here through the store): in GONGKAI_TOKEN
    // with no --user, or on standard input.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (token, revoke_id) = rt.block_on(async {
        let store = gongkai_store::Store::open(&g.db).await.unwrap();
        let (secret, t) = store
            .create_api_token(&gongkai_store::Stamp::now("li"), "脚本", None)
            .await
            .unwrap();
        store.close().await;
        (secret, t.id)
    });
    let mut c = g.bare(None);
    c.env("GONGKAI_TOKEN", &token);
    let o = run(c, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut c = g.bare(Some("li"));
    c.arg("--token-stdin");
    let o = run(c, Some(&format!("{token}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The token is li's: naming another user with it is refused.
    let mut c = g.bare(Some("admin"));
    c.env("GONGKAI_TOKEN", &token);
    let o = run(c, None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("令牌无效"));

    // The audit rows: channel, how, and the operating-system user.
    let out = g.ok(None, &["audit", "--json", "--limit", "20"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let origins: Vec<&serde_json::Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "application.register")
        .collect();
    assert_eq!(origins.len(), 3, "{out}");
    for o in &origins {
        assert_eq!(o["channel"], "cli");
        assert_eq!(o["os_user"], "zhangsan-os");
    }
    let auths: Vec<&str> = origins
        .iter()
        .map(|o| o["detail"]["auth"].as_str().unwrap())
        .collect();
    assert!(auths.contains(&"password"), "{auths:?}");
    assert_eq!(
        auths.iter().filter(|a| a.starts_with("token:gkp_")).count(),
        2
    );

    // Revoked: refused.
    rt.block_on(async {
        let store = gongkai_store::Store::open(&g.db).await.unwrap();
        store
            .revoke_api_token(&gongkai_store::Stamp::now("li"), &revoke_id)
            .await
            .unwrap();
        store.close().await;
    });
    let mut c = g.bare(None);
    c.env("GONGKAI_TOKEN", &token);
    let o = run(c, None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_temporary_password_allows_nothing_but_a_new_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    // Added by the administrator with a generated password (without the harness, which
    // would change it at once).
    let mut c = g.bare(Some("admin"));
    c.args(["--password-stdin", "user", "add", "wang", "--role", "clerk"]);
    let o = Gongkai::output(c, Some(&format!("{PASSWORD}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let temporary = out
        .lines()
        .find(|l| l.contains("temporary password"))
        .and_then(|l| l.rsplit_once(": "))
        .map(|(_, p)| p.trim().to_string())
        .expect("a temporary password is shown");
    let as_wang = |password: &str, args: &[&str], more: &str| -> Output {
        let mut c = g.bare(Some("wang"));
        c.arg("--password-stdin").args(args);
        Gongkai::output(c, Some(&format!("{password}\n{more}")))
    };
    let apply = APPLY;
    // With the temporary password: every write refused, nothing saved.
    let o = as_wang(&temporary, &apply, "");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("须先修改密码"), "{err}");
    assert!(err.contains("user passwd wang"), "{err}");
    assert!(!g.ok(None, &["list"]).contains("张三"));
    // Setting one's own password is allowed, and lifts the hold.
    let mine = "wang-Plum7-harbor-Quill";
    let o = as_wang(
        &temporary,
        &["user", "passwd", "wang", "--password-stdin"],
        &format!("{mine}\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = as_wang(mine, &apply, "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(g.ok(None, &["list"]).contains("张三"));
    // An administrator's reset makes the new password temporary again.
    let mut c = g.bare(Some("admin"));
    c.args(["--password-stdin", "user", "passwd", "wang"]);
    let o = Gongkai::output(c, Some(&format!("{PASSWORD}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reset = String::from_utf8_lossy(&o.stdout)
        .lines()
        .find(|l| l.contains("new password"))
        .and_then(|l| l.rsplit_once(": "))
        .map(|(_, p)| p.trim().to_string())
        .expect("the new password is shown once");
    let o = as_wang(&reset, &apply, "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("须先修改密码"));
}

/// `ledger publish …` (the publication register): add with the body from a file, list,
/// publish on a channel (the 新媒体 account required), show, due, withdraw — as an
/// authenticated user.
#[test]
fn the_publication_register_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = sqlite(dir.path());
    g.ok_with_stdin(
        None,
        &["init", "--agency", "某市某局", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    let formed = (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).to_string();
    std::fs::write(
        dir.path().join("body.html"),
        "<html><body><p>各科室：</p><p>定于下周开展培训。</p></body></html>",
    )
    .unwrap();
    let out = g.ok(
        Some("admin"),
        &[
            "publish",
            "add",
            "--title",
            "关于开展培训的通知",
            "--formed",
            &formed,
            "--topic",
            "综合政务/政务公开",
            "--genre",
            "通知",
            "--summary",
            "部署培训。",
            "--body-file",
            "body.html",
            "--outlet",
            "website",
        ],
    );
    assert!(out.contains("已登记事项 1，索引号 local-1/"), "{out}");
    // 三审 and 保密审查 before publication (here through the service; `tests/publish.rs`
    // drives the `gongkai publish review …` commands).
    for (name, role) in [("li", "clerk"), ("zhu", "office_head"), ("wang", "leader")] {
        g.ok(Some("admin"), &["user", "add", name, "--role", role]);
    }
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use gongkai_ledger::register::secrecy::{
            SecrecyChecklist, SecrecyConclusion, SecrecyReview,
        };
        use gongkai_service::{Service, Via};
        let store = gongkai_store::Store::open(&url).await.unwrap();
        let svc = Service::new(store.clone());
        let actor = |n: &'static str| {
            let svc = svc.clone();
            async move { svc.actor(n, Via::Cli).await.unwrap() }
        };
        let review = SecrecyReview {
            checklist: SecrecyChecklist::all_no(),
            conclusion: SecrecyConclusion::Publishable,
            note: None,
        };
        svc.submit_item(&actor("li").await, 1, review, None)
            .await
            .unwrap();
        svc.approve_item(&actor("zhu").await, 1, None)
            .await
            .unwrap();
        svc.approve_item(&actor("wang").await, 1, None)
            .await
            .unwrap();
        store.close().await;
    });
    let out = g.ok(Some("admin"), &["publish", "list", "--search", "培训"]);
    assert!(
        out.contains("关于开展培训的通知") && out.contains("共 1 件"),
        "{out}"
    );
    let err = g.fails(
        Some("admin"),
        &["publish", "publish", "1", "--outlet", "new-media"],
    );
    assert!(err.contains("账号"), "{err}");
    let out = g.ok(
        Some("admin"),
        &[
            "publish",
            "publish",
            "1",
            "--outlet",
            "政务新媒体",
            "--account",
            "某市发布",
        ],
    );
    assert!(out.contains("已登记发布"), "{out}");
    let out = g.ok(Some("admin"), &["publish", "show", "1"]);
    assert!(
        out.contains("按时发布") && out.contains("某市发布"),
        "{out}"
    );
    let json = g.ok(Some("admin"), &["publish", "show", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["draft"]["body"], "各科室：\n\n定于下周开展培训。");
    let out = g.ok(Some("admin"), &["publish", "due"]);
    assert!(out.contains("按时发布率：100.0%"), "{out}");
    let err = g.fails(
        Some("admin"),
        &["publish", "withdraw", "1", "--reason", " "],
    );
    assert!(err.contains("理由"), "{err}");
    let out = g.ok(
        Some("admin"),
        &["publish", "withdraw", "1", "--reason", "误发"],
    );
    assert!(out.contains("已撤稿"), "{out}");
    // Without a password nothing is read or written.
    let o = g.run(Some("nobody"), &["publish", "list"], None);
    assert!(!o.status.success());
}
