//! The `gongkai` binary end to end: read, check (exit status, messages), rules, stdin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Seed file names, sorted (`seeds/000_….txt`, relative to `shared()`).
fn seeds() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(shared().join("seeds"))
        .unwrap()
        .map(|e| format!("seeds/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".txt"))
        .collect();
    v.sort();
    assert_eq!(v.len(), 5);
    v
}

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(shared())
        .output()
        .unwrap()
}

fn gongkai_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(shared())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn read_json_has_every_cell_of_the_format() {
    let seeds = seeds();
    let o = gongkai(&["read", &seeds[0]]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "2021");
    assert_eq!(v["meta"]["agency"], "红旗区洪门镇");
    assert_eq!(v["meta"]["year"], 2023);
    let cells = v["cells"].as_object().unwrap();
    assert_eq!(cells.len(), 200);
    assert_eq!(cells["s3.new_received.total"], 2);
    assert_eq!(cells["s4.litigation_direct.total"], 2);
    assert_eq!(v["sections"].as_array().unwrap().len(), 6);
    assert_eq!(v["provenance"]["s3.new_received.total"]["line"], 51);
    assert!(v["uncertain"].as_array().unwrap().is_empty());
}

#[test]
fn read_json_of_several_files_and_null_for_uncertain() {
    let seeds = seeds();
    let args: Vec<&str> = std::iter::once("read")
        .chain(seeds.iter().map(|s| s.as_str()))
        .collect();
    let o = gongkai(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(
        items[1]["report"]["cells"]["s2.fees.amount_10k_yuan"],
        110.139
    );
    let r4 = &items[4]["report"];
    assert!(r4["cells"]["s4.reconsideration.upheld"].is_null());
    assert_eq!(r4["uncertain"].as_array().unwrap().len(), 15);
}

#[test]
fn read_table() {
    let seeds = seeds();
    let o = gongkai(&["read", "--format", "table", &seeds[4]]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("机关:     原州区头营镇") || out.contains("原州区头营镇"));
    assert!(out.contains("“?”= 无法确定的单元格（15 个）"), "{out}");
}

#[test]
fn check_seeds_exit_zero_and_report_warnings() {
    for seed in seeds() {
        let o = gongkai(&["check", &seed]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{seed}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
    let o = gongkai(&["check", &seeds()[3]]);
    assert!(stdout(&o).contains("DAT002"), "{}", stdout(&o));
}

#[test]
fn check_finds_a_broken_sum_and_exits_one() {
    let seed = std::fs::read_to_string(shared().join(&seeds()[0])).unwrap();
    let from = "(七) 总计\t2\t0\t0\t0\t0\t0\t2";
    assert!(seed.contains(from));
    let broken = seed.replace(from, "(七) 总计\t3\t0\t0\t0\t0\t0\t3");
    let p = tmp("broken.txt", broken.as_bytes());
    let o = gongkai(&["check", path_str(&p)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("error[TAB001]"), "{out}");
    assert!(out.contains("error[TAB002]"), "{out}");
    assert!(out.contains(&format!("{}:", path_str(&p))), "{out}");

    let o = gongkai(&["check", "--format", "json", path_str(&p)]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["errors"].as_u64().unwrap() >= 2);
    let f = v["findings"].as_array().unwrap();
    assert!(f.iter().any(|f| f["code"] == "TAB002"));

    let o = gongkai(&["--lang", "en", "check", path_str(&p)]);
    assert!(stdout(&o).contains("errors"), "{}", stdout(&o));
}

#[test]
fn unreadable_files_exit_two_and_are_named() {
    let empty = tmp("empty.txt", b"");
    let binary = tmp(
        "binary.dat",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00",
    );
    let prose = tmp("prose.txt", "今天天气很好。\n".as_bytes());
    for (p, words) in [
        (empty.clone(), "文件为空"),
        (binary.clone(), "不是文本文件"),
        (prose.clone(), "不是政府信息公开工作年度报告"),
    ] {
        let o = gongkai(&["check", path_str(&p)]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(err.contains(path_str(&p)), "{err}");
        assert!(err.contains(words), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let o = gongkai(&["read", "no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.txt"));
    // One bad file among good ones: the others are still checked.
    let o = gongkai(&["check", &seeds()[0], path_str(&empty)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("共 2 个文件"));
}

#[test]
fn gbk_input_reads_like_utf8() {
    let seed = std::fs::read_to_string(shared().join(&seeds()[1])).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&seed);
    let p = tmp("gbk.txt", &gbk);
    let a = gongkai(&["read", path_str(&p)]);
    let b = gongkai(&["read", &seeds()[1]]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn stdin_is_dash() {
    let bytes = std::fs::read(shared().join(&seeds()[2])).unwrap();
    let o = gongkai_stdin(&["check", "-"], &bytes);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("<stdin>"), "{}", stdout(&o));
    let o = gongkai_stdin(&["read", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("<stdin>"));
}

#[test]
fn rules_list_and_explain() {
    let o = gongkai(&["rules"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for code in [
        "TAB001", "TAB002", "TAB003", "TAB004", "DAT001", "DAT002", "VAL003", "TXT002",
    ] {
        assert!(out.contains(code), "{code} missing from\n{out}");
    }
    // One catalogue ordered by code: the report checks, the batch and year-over-year
    // rules, the content checks of `gongkai lint` and the register's year-end checks.
    let report_rules = gongkai_check::registry().len()
        + gongkai_batch::rules().len()
        + gongkai_ledger::register::report::rules().count();
    let lint_rules = gongkai_lint::rules();
    assert_eq!(out.lines().count(), report_rules + lint_rules.len());
    for rule in &lint_rules {
        let line = out
            .lines()
            .find(|l| l.starts_with(rule.meta.code))
            .unwrap_or_else(|| panic!("{} missing from\n{out}", rule.meta.code));
        assert!(line.contains(rule.meta.summary_zh), "{line}");
    }
    assert!(out.contains("PII001  error"), "{out}");
    assert!(out.contains("PII002  info"), "{out}");
    let o = gongkai(&["rules", "pii001"]);
    assert!(o.status.success());
    let pii = stdout(&o);
    assert!(pii.starts_with("# PII001 "), "{pii}");
    assert!(pii.contains("GB 11643"), "{pii}");
    let codes: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "ordered by code, none twice");
    for code in ["YOY001", "BAT001", "DUP002", "TXT003", "STR003", "TXT005"] {
        assert!(codes.contains(&code), "{code} missing from\n{out}");
    }
    for code in ["tab001", "YOY001", "dup001", "pii004", "reg001"] {
        let o = gongkai(&["rules", code]);
        assert!(o.status.success(), "{code}");
        let out = stdout(&o);
        assert!(
            out.starts_with(&format!("# {}", code.to_ascii_uppercase())),
            "{out}"
        );
        for heading in gongkai_report::rule::EXPLANATION_HEADINGS {
            assert!(out.contains(heading), "{code}: {heading} missing in\n{out}");
        }
    }
    let o = gongkai(&["rules", "XYZ999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("XYZ999"));
}

/// A data file with the tables' numbers, as `gongkai render` takes it: 本年新收 is 3 in
/// the text and 4 in the table, and the columns do not add up.
const DATA_TOML: &str = r#"
[meta]
agency = "某县统计局"
year = 2023
date = "2024-01-20"

[[sections]]
number = 1
text = "2023年，某县统计局认真贯彻落实条例。本年度共收到政府信息公开申请3件。"
[[sections]]
number = 2
[[sections]]
number = 3
[[sections]]
number = 4
[[sections]]
number = 5
text = "一是公开内容不够全面；二是政策解读形式单一。"
[[sections]]
number = 6
text = "本年度未收取信息处理费。"

[cells]
"s3.new_received.natural_person" = 3
"s3.new_received.total" = 4
"s3.granted.natural_person" = 3
"s3.granted.total" = 3
"s3.results_total.natural_person" = 3
"s3.results_total.total" = 3
"#;

/// `gongkai check` takes what `gongkai render` takes: a data file and the JSON of
/// `gongkai read`, besides a report.
#[test]
fn check_accepts_data_files_and_read_json() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("数据.toml");
    std::fs::write(&toml, DATA_TOML).unwrap();
    let o = gongkai(&["check", toml.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("error[TAB003]"), "{out}");
    assert!(out.contains("error[TXT001]"), "{out}");
    assert!(out.contains("数据.toml"), "{out}");

    // The JSON of `gongkai read` gives the findings of the report it was read from.
    let seed = &seeds()[3];
    let read = gongkai(&["read", seed]);
    assert!(read.status.success());
    let json = dir.path().join("read.json");
    std::fs::write(&json, &read.stdout).unwrap();
    let codes = |o: &Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let direct = gongkai(&["check", "--format", "json", seed]);
    let via_json = gongkai(&["check", "--format", "json", json.to_str().unwrap()]);
    assert_eq!(via_json.status.code(), direct.status.code());
    assert_eq!(codes(&via_json), codes(&direct));

    // Not a data file and not a report: a clear error naming the file.
    let bad = dir.path().join("坏.json");
    std::fs::write(&bad, "{ \"cells\": { \"s9.nothing\": 1 } }").unwrap();
    let o = gongkai(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("坏.json"), "{}", stderr(&o));
}

/// The checker's findings on each seed, as a person reads them in the terminal.
#[test]
fn seed_findings_snapshots() {
    for seed in seeds() {
        let o = gongkai(&["check", &seed]);
        let name = seed
            .trim_start_matches("seeds/")
            .split('_')
            .next()
            .unwrap()
            .to_string();
        insta::assert_snapshot!(format!("check_seed_{name}"), stdout(&o));
    }
}

#[test]
fn render_refuses_a_report_with_errors_unless_forced() {
    let seed = std::fs::read_to_string(shared().join(&seeds()[0])).unwrap();
    let broken = seed.replace(
        "(七) 总计\t2\t0\t0\t0\t0\t0\t2",
        "(七) 总计\t3\t0\t0\t0\t0\t0\t3",
    );
    let p = tmp("render-broken.txt", broken.as_bytes());
    let out = p.with_extension("md");
    let _ = std::fs::remove_file(&out);
    let o = gongkai(&["render", path_str(&p), "--to", "md", "-o", path_str(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        format!("{}{}", stdout(&o), stderr(&o)).contains("TAB002"),
        "the findings are listed"
    );
    assert!(!out.exists(), "nothing written");

    let o = gongkai(&[
        "render",
        path_str(&p),
        "--to",
        "md",
        "-o",
        path_str(&out),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("| （七）总计 |") || md.contains("（七）总计"),
        "{md}"
    );
}

#[test]
fn render_every_format_and_read_it_back() {
    let seed = &seeds()[1];
    let want = stdout(&gongkai(&["read", seed]));
    let want: serde_json::Value = serde_json::from_str(&want).unwrap();
    let formats: &[&str] = if cfg!(feature = "pdf") {
        &["md", "html", "docx", "pdf"]
    } else {
        &["md", "html", "docx"]
    };
    for to in formats {
        let out = tmp(&format!("seed1.{to}"), b"");
        let o = gongkai(&[
            "render",
            seed,
            "--to",
            to,
            "-o",
            path_str(&out),
            "--overwrite",
        ]);
        assert_eq!(o.status.code(), Some(0), "{to}: {}", stderr(&o));
        let back = stdout(&gongkai(&["read", path_str(&out)]));
        let back: serde_json::Value =
            serde_json::from_str(&back).unwrap_or_else(|e| panic!("{to}: {e}: {back}"));
        assert_eq!(back["cells"], want["cells"], "{to}: cells read back");
    }
}

#[test]
fn template_renders_once_filled() {
    let o = gongkai(&[
        "template",
        "--year",
        "2025",
        "--agency",
        "某某县人民政府办公室",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let toml = stdout(&o);
    assert!(toml.contains('#'), "explained in comments");
    assert!(toml.contains("某某县人民政府办公室"));
    // Unfilled, its fill-in instructions are placeholders (TXT005): refused.
    let p = tmp("template.toml", toml.as_bytes());
    let out = tmp("template.html", b"");
    let render = |p: &PathBuf| {
        gongkai(&[
            "render",
            path_str(p),
            "--to",
            "html",
            "-o",
            path_str(&out),
            "--overwrite",
        ])
    };
    let o = render(&p);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("TXT005"), "{}", stderr(&o));
    // Filled: every instruction line replaced by the office's text.
    let filled: String = toml
        .lines()
        .map(|l| {
            let hint = l.starts_with('（') && l.ends_with('）');
            if hint && (l.starts_with("（请") || l.contains("填写")) {
                "本机关按照条例要求做好相关工作。\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let p = tmp("template-filled.toml", filled.as_bytes());
    let o = render(&p);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("某某县人民政府办公室"),
        "the agency in the title"
    );
    assert!(html.contains("2025"), "the year in the title");
    // Accessible tables: named by their section heading, header cells with scope.
    assert!(html.contains("aria-labelledby=\"s3\""), "{html}");
    assert!(html.contains("scope=\"col\""), "{html}");
}

#[test]
fn batch_writes_csv_with_a_row_per_report() {
    let dir = std::env::temp_dir().join(format!("gongkai-cli-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for s in seeds() {
        std::fs::copy(shared().join(&s), dir.join(s.trim_start_matches("seeds/"))).unwrap();
    }
    std::fs::write(dir.join("broken.pdf"), b"%PDF-1.4 garbage").unwrap();
    let out = dir.join("out");
    let o = gongkai(&["batch", path_str(&dir), "-o", path_str(&out)]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a file could not be read: {}",
        stderr(&o)
    );
    let bytes = std::fs::read(out.join("reports.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8(bytes).unwrap();
    for s in seeds() {
        assert!(text.contains(s.trim_start_matches("seeds/")), "{s}: {text}");
    }
    assert!(text.contains("broken.pdf"));
}
