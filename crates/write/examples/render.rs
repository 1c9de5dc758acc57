//! Renders one report (any input the readers read, or a TOML/JSON data file) to every
//! available format in a directory: how the images in `docs/` are made.
//!
//! ```sh
//! cargo run -p gongkai-write --features pdf --example render -- ../shared/seeds/000_a3a3bcf84a832127.txt /tmp/out
//! pdftoppm -r 90 -png /tmp/out/report.pdf /tmp/out/page
//! ```

use std::path::PathBuf;

use gongkai_write::data::{self, DataKind};
use gongkai_write::{Options, OutputFormat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("用法 / usage: render INPUT OUTDIR");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&input)?;
    let text = std::str::from_utf8(&bytes).ok();
    let report = match text.and_then(data::sniff) {
        Some(DataKind::Toml) => data::from_toml(text.unwrap_or_default())?,
        Some(DataKind::Json) => data::from_json(text.unwrap_or_default())?,
        None => gongkai_read::read_report(&bytes)?,
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    for format in OutputFormat::ALL {
        if !format.is_available() {
            continue;
        }
        let out = dir.join(format!("report.{}", format.as_str()));
        std::fs::write(
            &out,
            gongkai_write::render(&report, format, &Options::default())?,
        )?;
        println!("{}", out.display());
    }
    Ok(())
}
