//! `gongkai render` and `gongkai template`: write a report in the national format, and the
//! fill-in data file to write it from.
//!
//! `render` takes the JSON that `gongkai read` prints, a TOML/JSON data file, or any report
//! the readers can read (judged from the content); it checks the report first and refuses
//! when the checks find errors, unless `--force`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use gongkai_check::{Lang, Severity};
use gongkai_format::FormatVersion;
use gongkai_report::Report;
use gongkai_write::data::{self, DataKind};
use gongkai_write::{DocxFonts, Options, OutputFormat};

use super::{Input, load};

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// 输入：`gongkai read` 输出的 JSON、TOML/JSON 数据文件，或任何可读取的报告；`-` 表示标准输入
    /// / input: `gongkai read` JSON, a TOML/JSON data file, or a report; `-` reads stdin
    file: String,
    /// 输出格式 / output format
    #[arg(long, value_enum)]
    to: ToFormat,
    /// 输出文件；`-` 表示标准输出 / output file; `-` writes to stdout
    #[arg(short, long)]
    output: String,
    /// 检查发现错误时仍然生成 / render even when the checks find errors
    #[arg(long)]
    force: bool,
    /// 覆盖已存在的输出文件 / overwrite an existing output file
    #[arg(long)]
    overwrite: bool,
    /// 空白单元格印作 / what a blank cell prints
    #[arg(long, default_value = gongkai_write::DEFAULT_BLANK)]
    blank: String,
    /// PDF：Noto CJK 字体所在目录 / PDF: directory of the Noto CJK fonts
    #[arg(long, default_value = gongkai_write::DEFAULT_FONT_DIR)]
    font_dir: PathBuf,
    /// DOCX：正文字体 / DOCX body font
    #[arg(long, default_value = "仿宋_GB2312")]
    body_font: String,
    /// DOCX：标题（各部分）字体 / DOCX heading font
    #[arg(long, default_value = "黑体")]
    heading_font: String,
    /// DOCX：大标题字体 / DOCX title font
    #[arg(long, default_value = "方正小标宋简体")]
    title_font: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ToFormat {
    Md,
    Html,
    Docx,
    Pdf,
}

impl From<ToFormat> for OutputFormat {
    fn from(f: ToFormat) -> OutputFormat {
        match f {
            ToFormat::Md => OutputFormat::Markdown,
            ToFormat::Html => OutputFormat::Html,
            ToFormat::Docx => OutputFormat::Docx,
            ToFormat::Pdf => OutputFormat::Pdf,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// 报告年度（默认上一年）/ report year (default: last year)
    #[arg(long)]
    year: Option<i32>,
    /// 机关名称 / agency name
    #[arg(long, default_value = "某某机关")]
    agency: String,
    /// 格式版本 / format edition
    #[arg(long, value_enum, default_value_t = Edition::V2021)]
    edition: Edition,
    /// 输出文件（默认标准输出）/ output file (default: stdout)
    #[arg(short, long)]
    output: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Edition {
    #[value(name = "2021")]
    V2021,
    #[value(name = "2019")]
    V2019,
}

/// Reads the input: a data file (TOML/JSON, judged from the extension, then the content)
/// or a report for the readers. The flag is true for a report the readers read.
pub(crate) fn parse(input: &Input) -> Result<(Report, bool)> {
    let ext = Path::new(&input.name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let text = std::str::from_utf8(&input.bytes).ok();
    let kind = match (ext.as_deref(), text) {
        (Some("toml"), _) => Some(DataKind::Toml),
        (Some("json"), _) => Some(DataKind::Json),
        (_, Some(t)) => data::sniff(t),
        (_, None) => None,
    };
    let name = &input.name;
    let read = kind.is_none();
    let report = match kind {
        Some(kind) => {
            let text = text.with_context(|| {
                format!("{name}: 数据文件不是 UTF-8 编码 / the data file is not UTF-8")
            })?;
            match kind {
                DataKind::Toml => data::from_toml(text),
                DataKind::Json => data::from_json(text),
            }
            .with_context(|| format!("{name}: 无法读取数据文件 / cannot read the data file"))?
        }
        None => gongkai_read::read_report(&input.bytes)
            .with_context(|| format!("{name}: 无法读取报告 / cannot read the report"))?,
    };
    Ok((report, read))
}

pub(crate) fn cmd_render(args: &RenderArgs, lang: Lang) -> Result<ExitCode> {
    let format: OutputFormat = args.to.into();
    if !format.is_available() {
        bail!("{}", gongkai_write::WriteError::PdfDisabled);
    }
    let output = args.output.as_str();
    if output != "-" && !args.overwrite && Path::new(output).exists() {
        bail!(
            "{output}: 文件已存在，加 --overwrite 覆盖 / the output file exists (use --overwrite)"
        );
    }
    let input = load(&args.file)?;
    let (report, read) = parse(&input)?;
    let findings = gongkai_check::check(&report);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    // Source excerpts only for a text report (the decoded text has the lines).
    let source = match gongkai_read::sniff(&input.bytes) {
        gongkai_read::InputKind::Text if read => gongkai_read::decode::decode(&input.bytes).ok(),
        _ => None,
    };
    let mut err = io::stderr().lock();
    if !findings.is_empty() {
        let text = gongkai_check::render_text(&findings, &input.name, source.as_deref(), lang);
        write!(err, "{text}")?;
    }
    if errors > 0 && !args.force {
        let line = match lang {
            Lang::Zh => format!(
                "{}：检查发现错误 {errors} 个，未生成报告；改正后重试，或加 --force 强制生成\n",
                input.name
            ),
            Lang::En => format!(
                "{}: {errors} errors found, nothing written; fix them or use --force\n",
                input.name
            ),
        };
        write!(err, "{line}")?;
        return Ok(ExitCode::from(1));
    }
    let opts = Options {
        blank: args.blank.clone(),
        docx_fonts: DocxFonts {
            body: args.body_font.clone(),
            heading: args.heading_font.clone(),
            title: args.title_font.clone(),
            ..DocxFonts::default()
        },
        font_dir: args.font_dir.clone(),
    };
    let bytes = gongkai_write::render(&report, format, &opts)
        .with_context(|| format!("{}: 无法生成报告 / cannot render", input.name))?;
    if output == "-" {
        io::stdout().lock().write_all(&bytes)?;
    } else {
        std::fs::write(output, &bytes)
            .with_context(|| format!("{output}: 无法写入 / cannot write"))?;
        let line = match lang {
            Lang::Zh => format!(
                "已生成 {output}（{}，{} 字节）\n",
                format.as_str(),
                bytes.len()
            ),
            Lang::En => format!(
                "wrote {output} ({}, {} bytes)\n",
                format.as_str(),
                bytes.len()
            ),
        };
        write!(err, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The current year, from the system clock (UTC).
fn this_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 → civil year (Howard Hinnant's days_from_civil, inverted).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

pub(crate) fn cmd_template(args: &TemplateArgs, out: &mut impl Write) -> Result<ExitCode> {
    let year = args.year.unwrap_or_else(|| this_year() - 1);
    if !(1990..=2200).contains(&year) {
        bail!("年度 {year} 不合理 / implausible year");
    }
    let edition = match args.edition {
        Edition::V2021 => FormatVersion::Revised2021,
        Edition::V2019 => FormatVersion::Trial2019,
    };
    let text = data::template(edition, year, args.agency.trim());
    match args.output.as_deref() {
        None | Some("-") => out.write_all(text.as_bytes())?,
        Some(path) => {
            if Path::new(path).exists() {
                bail!("{path}: 文件已存在，未覆盖 / the file exists, not overwritten");
            }
            std::fs::write(path, text)
                .with_context(|| format!("{path}: 无法写入 / cannot write"))?;
            eprintln!("已生成 {path}：填写后运行 gongkai render {path} --to docx -o 报告.docx");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_from_the_clock_is_plausible() {
        let y = this_year();
        assert!((2024..2200).contains(&y), "{y}");
    }

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: name.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn input_kind_from_extension_then_content() {
        let toml = data::template(FormatVersion::Revised2021, 2024, "某某局");
        let (r, read) = parse(&input("data.toml", &toml)).unwrap();
        assert_eq!(r.meta.year, Some(2024));
        assert!(!read);
        // Without an extension, the content decides.
        let (r, _) = parse(&input("-", &toml)).unwrap();
        assert_eq!(r.meta.agency.as_deref(), Some("某某局"));
        let json = serde_json::to_string(&r).unwrap();
        let (back, _) = parse(&input("<stdin>", &json)).unwrap();
        assert_eq!(back.cells, r.cells);
        // A broken data file names the file and the problem.
        let e = parse(&input("bad.toml", "[cells\n")).unwrap_err();
        assert!(format!("{e:#}").contains("bad.toml"), "{e:#}");
    }

    #[test]
    fn the_template_fails_the_checker_only_on_its_fill_in_instructions() {
        let mut buf = Vec::new();
        let args = TemplateArgs {
            year: Some(2024),
            agency: "某某县人民政府办公室".into(),
            edition: Edition::V2021,
            output: None,
        };
        cmd_template(&args, &mut buf).unwrap();
        let (r, _) = parse(&input("t.toml", std::str::from_utf8(&buf).unwrap())).unwrap();
        let errors: Vec<_> = gongkai_check::check(&r)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        // The figures are consistent; the instructions left in the six sections are
        // placeholders (TXT005) until the office writes the text.
        assert!(!errors.is_empty());
        let other: Vec<_> = errors
            .iter()
            .filter(|f| f.code != "TXT005")
            .map(|f| f.message(Lang::Zh).to_string())
            .collect();
        assert!(other.is_empty(), "{other:?}");
    }
}
