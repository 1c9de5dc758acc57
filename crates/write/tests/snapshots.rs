//! The Markdown and HTML of one seed, as a reviewer sees them: any change to the layout,
//! the labels or the escaping shows up in the snapshot diff.

use std::path::PathBuf;

use gongkai_write::{Options, md};

fn seed() -> gongkai_report::Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_a3a3bcf84a832127.txt");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    gongkai_read::read_report(&bytes).unwrap()
}

#[test]
fn seed_000_markdown() {
    insta::assert_snapshot!(md::render(&seed(), &Options::default()));
}

#[test]
fn seed_000_html() {
    insta::assert_snapshot!(gongkai_write::html::render(&seed(), &Options::default()));
}
