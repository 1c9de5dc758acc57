//! Every rule of the registry against its fixture pair, with a snapshot of what it prints.
//!
//! For each rule `CODE`: `fixtures/CODE_fires.json` must yield at least one finding of
//! `CODE`, `fixtures/CODE_clean.json` none. The Chinese rendering of the firing findings is
//! snapshotted in `snapshots/CODE_zh.snap` (and in English for a few rules), so a change
//! to what a civil servant reads shows up in review.

use std::path::PathBuf;

use gongkai_check::{Finding, Lang, check, registry, render_text};
use gongkai_report::Report;

mod support;

/// Rules whose English rendering is snapshotted too.
const ENGLISH: [&str; 4] = ["STR001", "STR002", "TAB001", "TXT001"];

fn fixture_path(code: &str, kind: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{code}_{kind}.json"))
}

fn load(code: &str, kind: &str) -> Report {
    let path = fixture_path(code, kind);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{code}: fixture {} missing: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{code}: fixture {} is not a report: {e}", path.display()))
}

fn findings_of(report: &Report, code: &str) -> Vec<Finding> {
    check(report)
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

fn to_json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("report serialises");
    text.push('\n');
    text
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_clean_one() {
    for rule in registry() {
        let code = rule.code();
        let fires = findings_of(&load(code, "fires"), code);
        assert!(!fires.is_empty(), "{code}: no finding on {code}_fires.json");
        let clean = findings_of(&load(code, "clean"), code);
        assert!(
            clean.is_empty(),
            "{code}: findings on {code}_clean.json: {clean:#?}"
        );
    }
}

#[test]
fn rendered_findings() {
    for rule in registry() {
        let code = rule.code();
        let findings = findings_of(&load(code, "fires"), code);
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_description(format!(
            "{code} {}: {}",
            rule.name(),
            rule.summary(Lang::Zh)
        ));
        settings.bind(|| {
            let zh = render_text(&findings, support::SOURCE_NAME, None, Lang::Zh);
            insta::assert_snapshot!(format!("{code}_zh"), zh);
            if ENGLISH.contains(&code) {
                let en = render_text(&findings, support::SOURCE_NAME, None, Lang::En);
                insta::assert_snapshot!(format!("{code}_en"), en);
            }
        });
    }
}

#[test]
fn base_report_has_no_findings() {
    let findings = check(&support::base());
    assert!(findings.is_empty(), "{findings:#?}");
}

/// The checked-in fixtures are what `support` generates. With `GONGKAI_UPDATE_FIXTURES=1`
/// the files are rewritten instead.
#[test]
fn fixtures_match_their_generator() {
    let update = std::env::var_os("GONGKAI_UPDATE_FIXTURES").is_some();
    for rule in registry() {
        let code = rule.code();
        let (fires, clean) = support::fixture_pair(code)
            .unwrap_or_else(|| panic!("{code}: no fixture pair in tests/support/mod.rs"));
        for (kind, report) in [("fires", fires), ("clean", clean)] {
            let path = fixture_path(code, kind);
            let want = to_json(&report);
            if update {
                std::fs::create_dir_all(path.parent().expect("fixtures dir"))
                    .expect("create fixtures dir");
                std::fs::write(&path, &want).expect("write fixture");
                continue;
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "{code}: {} differs from tests/support/mod.rs; rerun with GONGKAI_UPDATE_FIXTURES=1",
                path.display()
            );
        }
    }
}
