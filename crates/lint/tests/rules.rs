//! Every rule has a fixture that fires (`fixtures/CODE.fires.txt`) and one that does not
//! (`fixtures/CODE.clean.txt`); the findings on the first are snapshotted.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gongkai_lint::{Lang, Linter, OfficeLists, Options, render_text, rules};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn linter(code: &str) -> Linter {
    let lists = OfficeLists::load_dir(&fixtures().join("lists")).unwrap();
    Linter::new(
        lists,
        Options {
            select: vec![code.to_string()],
            today: NaiveDate::from_ymd_opt(2026, 12, 1),
            grace_days: None,
        },
    )
    .unwrap()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_clean_one() {
    for info in rules() {
        let code = info.meta.code;
        let l = linter(code);
        let name = format!("{code}.fires.txt");
        let fires = std::fs::read_to_string(fixtures().join(&name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = l.lint_text(&fires, &name);
        assert!(!found.is_empty(), "{code} did not fire");
        assert!(found.iter().all(|f| f.code == code));
        insta::assert_snapshot!(format!("{code}_fires"), render_text(&found, Lang::Zh));

        let name = format!("{code}.clean.txt");
        let clean = std::fs::read_to_string(fixtures().join(&name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = l.lint_text(&clean, &name);
        assert!(
            found.is_empty(),
            "{code} fired on its clean fixture:\n{}",
            render_text(&found, Lang::Zh)
        );
    }
}

#[test]
fn english_messages_exist_for_every_fixture_finding() {
    for info in rules() {
        let fires =
            std::fs::read_to_string(fixtures().join(format!("{}.fires.txt", info.meta.code)))
                .unwrap();
        for f in linter(info.meta.code).lint_text(&fires, "x") {
            let en = f.message(Lang::En);
            assert_ne!(en, f.message(Lang::Zh));
            assert!(
                en.chars().filter(char::is_ascii_alphabetic).count() >= 5,
                "{}: {en}",
                f.code
            );
        }
    }
}
