//! Recall: errors of every kind planted into the real text of the five seed reports
//! (`shared/seeds`) are all found, with the expected severity; the masked forms planted
//! beside them are not.

use std::path::PathBuf;

use chrono::NaiveDate;
use gongkai_lint::{Linter, OfficeLists, Options, Severity, text_document};

fn seeds() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    assert_eq!(v.len(), 5);
    v
}

fn linter() -> Linter {
    Linter::new(
        OfficeLists::default(),
        Options {
            today: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Options::default()
        },
    )
    .unwrap()
}

/// (sentence planted, code expected, text the finding must cover, severity in a text
/// dated after every change).
const PLANTS: &[(&str, &str, &str, Severity)] = &[
    (
        "申请人张三（身份证号11010519491231002X）已领取答复。",
        "PII001",
        "11010519491231002X",
        Severity::Error,
    ),
    (
        "申请人李四（身份证号440524188001010014）已领取答复。",
        "PII001",
        "440524188001010014",
        Severity::Error,
    ),
    (
        "申请人王五（身份证号110105194912310021）已领取答复。",
        "PII002",
        "110105194912310021",
        Severity::Info,
    ),
    (
        "联系人电话13812345678。",
        "PII003",
        "13812345678",
        Severity::Error,
    ),
    (
        "联系人电话139-1234-5678。",
        "PII003",
        "139-1234-5678",
        Severity::Error,
    ),
    (
        "补贴已打入账号6222021234567890128。",
        "PII004",
        "6222021234567890128",
        Severity::Error,
    ),
    (
        "请联系县国土资源局办理。",
        "ORG001",
        "国土资源局",
        Severity::Error,
    ),
    ("材料已转县卫计委。", "ORG001", "卫计委", Severity::Error),
    (
        "依据国务院令第492号第十三条答复。",
        "LAW001",
        "国务院令第492号",
        Severity::Error,
    ),
    (
        "依据《中华人民共和国合同法》处理。",
        "LAW002",
        "《中华人民共和国合同法》",
        Severity::Error,
    ),
    (
        "申请人须说明生产、生活、科研等特殊需要。",
        "LAW003",
        "生产、生活、科研等特殊需要",
        Severity::Error,
    ),
    (
        "依照中华人民共合国法律办理。",
        "TYPO001",
        "中华人民共合国",
        Severity::Error,
    ),
    (
        "按国办发[2017]47号要求办理。",
        "TYPO002",
        "[2017]47号",
        Severity::Warning,
    ),
    (
        "截止日期为2023年2月30日。",
        "DATE001",
        "2023年2月30日",
        Severity::Error,
    ),
    (
        "会议定于2024年5月6日（星期日）召开。",
        "DATE002",
        "2024年5月6日（星期日）",
        Severity::Error,
    ),
    ("主动公开率达120%。", "DATE003", "120%", Severity::Warning),
    (
        "文件于2023年五月6日印发。",
        "DATE004",
        "2023年五月6日",
        Severity::Warning,
    ),
];

/// Allowed forms planted as well; they must not add findings.
const MASKED: &str =
    "申请人赵六（身份证号110105********002X，电话138****5678，账号622202*********0128）。";

/// The seed with `plant` appended to its longest narrative line.
fn planted(text: &str, plant: &str) -> String {
    let longest = text
        .lines()
        .filter(|l| !l.contains('\t'))
        .max_by_key(|l| l.chars().count())
        .unwrap();
    text.replacen(longest, &format!("{longest}{plant}{MASKED}"), 1)
}

#[test]
fn every_planted_error_is_found_in_every_seed() {
    let l = linter();
    for (name, text) in seeds() {
        // Seeds signed with a date alone on a line are dated (2024); the others undated,
        // where outdated names and citations can only be warnings.
        let dated = l.document_date(&text_document(&text)).is_some();
        let baseline = l.lint_text(&text, &name).len();
        for (plant, code, matched, severity) in PLANTS {
            let found = l.lint_text(&planted(&text, plant), &name);
            let hit = found
                .iter()
                .find(|f| f.code == *code && f.matched == *matched)
                .unwrap_or_else(|| panic!("{name}: {code} not found in “{plant}”: {found:#?}"));
            let dated_rule = code.starts_with("ORG") || code.starts_with("LAW");
            let expected = if dated_rule && !dated {
                Severity::Warning
            } else {
                *severity
            };
            assert_eq!(hit.severity, expected, "{name}: {plant}");
            assert_eq!(
                found.len(),
                baseline + 1,
                "{name}: extra findings for “{plant}”: {found:#?}"
            );
        }
    }
}

#[test]
fn old_names_in_undated_and_historical_text() {
    let l = linter();
    for (name, text) in seeds() {
        // The narrative alone, without any date line: undated → warning.
        let body: String = text
            .lines()
            .filter(|l| !l.contains('\t') && !l.contains('年') && l.chars().count() > 30)
            .take(3)
            .collect::<Vec<_>>()
            .join("\n");
        let undated = format!("{body}\n请联系县国土资源局办理。");
        assert_eq!(l.document_date(&text_document(&undated)), None, "{name}");
        let f = l.lint_text(&undated, &name);
        let org: Vec<_> = f.iter().filter(|f| f.code == "ORG001").collect();
        assert_eq!(org.len(), 1, "{name}");
        assert_eq!(org[0].severity, Severity::Warning);
        // The same text signed in 2017: a historical page, nothing to report.
        let old = format!("{undated}\n2017年12月20日");
        assert!(
            l.lint_text(&old, &name).iter().all(|f| f.code != "ORG001"),
            "{name}"
        );
    }
}
