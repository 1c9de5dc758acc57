//! Behaviour of the engine as a whole: dates decide severity, suppression, selection,
//! documents with tables.

use std::path::Path;

use chrono::NaiveDate;
use gongkai_lint::{
    Finding, LintError, Linter, OfficeLists, Options, Severity, count, text_document,
};
use gongkai_report::{Block, Document, GridCell, Location, Table};

fn linter(lists: OfficeLists) -> Linter {
    Linter::new(
        lists,
        Options {
            today: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Options::default()
        },
    )
    .unwrap()
}

fn codes(f: &[Finding]) -> Vec<(&str, Severity)> {
    f.iter().map(|f| (f.code, f.severity)).collect()
}

#[test]
fn old_name_severity_follows_the_document_date() {
    let l = linter(OfficeLists::default());
    let body = "请配合县国土资源局做好工作。";
    // Dated after the change and the grace period: error.
    let after = l.lint_text(&format!("{body}\n2023年5月6日"), "a");
    assert_eq!(codes(&after), vec![("ORG001", Severity::Error)]);
    // Undated: warning.
    let undated = l.lint_text(body, "b");
    assert_eq!(codes(&undated), vec![("ORG001", Severity::Warning)]);
    // Dated before the change (a historical page): nothing.
    let before = l.lint_text(&format!("{body}\n2017年5月6日"), "c");
    assert!(before.is_empty(), "{before:?}");
    // Within the grace period: warning.
    let grace = l.lint_text(&format!("{body}\n2019年6月1日"), "d");
    assert_eq!(codes(&grace), vec![("ORG001", Severity::Warning)]);
}

#[test]
fn secondary_rows_are_never_errors() {
    let l = linter(OfficeLists::default());
    let f = l.lint_text("县安监局开展检查。\n2024年5月6日", "a");
    assert_eq!(codes(&f), vec![("ORG001", Severity::Warning)]);
}

#[test]
fn findings_carry_excerpt_place_and_suggestion() {
    let l = linter(OfficeLists::default());
    let f = l.lint_text("标题\n联系电话：13812345678，欢迎来电。", "page.txt");
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(f.matched, "13812345678");
    assert_eq!(f.before, "联系电话：");
    assert_eq!(f.after, "，欢迎来电。");
    assert_eq!(f.suggestion.as_deref(), Some("138****5678"));
    assert_eq!(f.place.file, "page.txt");
    assert_eq!(f.place.paragraph, 2);
    assert_eq!(f.place.loc, Location::Text { line: 2, column: 6 });
    assert_eq!(f.excerpt_marked(), "联系电话：【13812345678】，欢迎来电。");
}

#[test]
fn inline_marker_and_allow_list_suppress_with_who_and_why() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists");
    let l = linter(OfficeLists::load_dir(&dir).unwrap());
    let f = l.lint_text(
        "值班电话13912345678。\n联系人电话13812345678。gongkai-lint: allow PII003\n另一人13712345678。",
        "a",
    );
    assert_eq!(f.len(), 3);
    let s0 = f[0].suppressed.as_ref().unwrap();
    assert_eq!(
        (s0.source, s0.who.as_str()),
        ("allow-list", "县政府办公室 王某")
    );
    assert_eq!(s0.why, "单位对外公开的值班手机");
    assert_eq!(f[1].suppressed.as_ref().unwrap().source, "inline");
    assert!(f[2].suppressed.is_none());
    assert_eq!(count(&f, Severity::Error), 1);
}

#[test]
fn allow_list_entries_need_who_and_why() {
    let dir = std::env::temp_dir().join(format!("gongkai-lint-allow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("allow.toml"),
        "[[allow]]\ntext = \"x\"\nwho = \"\"\nwhy = \"y\"\n",
    )
    .unwrap();
    let e = OfficeLists::load_dir(&dir).unwrap_err();
    assert!(e.to_string().contains("allow.toml"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_rule_selection_is_an_error() {
    let e = Linter::new(
        OfficeLists::default(),
        Options {
            select: vec!["XYZ".into()],
            ..Options::default()
        },
    )
    .err()
    .unwrap();
    assert!(matches!(e, LintError::UnknownRule(_)));
    let only_pii = Linter::new(
        OfficeLists::default(),
        Options {
            select: vec!["pii".into()],
            ..Options::default()
        },
    )
    .unwrap();
    let f = only_pii.lint_text("县国土资源局 13812345678", "a");
    assert_eq!(codes(&f), vec![("PII003", Severity::Error)]);
}

#[test]
fn table_cells_are_linted_with_their_place() {
    let l = linter(OfficeLists::default());
    let mut doc: Document = text_document("公示名单如下。");
    doc.blocks.push(Block::Table(Table {
        rows: vec![vec![
            GridCell::new(
                "张三",
                Location::Table {
                    table: 1,
                    row: 2,
                    column: 1,
                },
            ),
            GridCell::new(
                "11010519491231002X",
                Location::Table {
                    table: 1,
                    row: 2,
                    column: 2,
                },
            ),
        ]],
    }));
    let f = l.lint_document(&doc, "list.html");
    assert_eq!(codes(&f), vec![("PII001", Severity::Error)]);
    assert_eq!(
        f[0].place.loc,
        Location::Table {
            table: 1,
            row: 2,
            column: 2
        }
    );
    assert_eq!(f[0].suggestion.as_deref(), Some("110105********002X"));
}

#[test]
fn rules_metadata_is_public() {
    let r = gongkai_lint::rules();
    assert!(r.len() >= 17);
    let pii = gongkai_lint::rule("pii001").unwrap();
    assert_eq!(pii.meta.name, "id-number-exposed");
    assert!(pii.meta.explanation.contains("GB 11643"));
}
