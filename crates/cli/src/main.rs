//! `gongkai`: read, check and explain 政府信息公开工作年度报告.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use gongkai_check::{Finding, Lang, RuleMeta, Severity};
use gongkai_report::Report;

mod batch;
mod ledger;
mod lint;
mod portal;
mod publish;
mod render;
mod serve;
mod table;

/// 政府信息公开工作年度报告：读取、检查、说明规则。
/// Read and check China's government information disclosure annual reports.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// 提示与消息的语言 / language of messages
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 读取报告，输出结构化数据（200 个单元格、六个部分、元数据）/ read reports into cells
    Read {
        /// 报告文件；`-` 表示标准输入 / report files; `-` reads stdin
        #[arg(required = true)]
        files: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReadFormat::Json)]
        format: ReadFormat,
    },
    /// 检查报告（勾稽关系、日期、结构、措辞）/ check reports
    ///
    /// 输入与 `gongkai render` 相同：任何可读取的报告、`gongkai read` 输出的 JSON，或
    /// TOML/JSON 数据文件 / the inputs of `gongkai render`: a report, `gongkai read` JSON, or
    /// a TOML/JSON data file.
    ///
    /// 退出码 / exit status: 0 无错误 no errors, 1 发现错误 errors found, 2 有文件无法读取 a file
    /// could not be read.
    Check {
        /// 报告文件、`gongkai read` 的 JSON 或数据文件；`-` 表示标准输入 / reports, `gongkai
        /// read` JSON or data files; `-` reads stdin
        #[arg(required = true)]
        files: Vec<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// 生成报告：md、html、docx 或 pdf（先检查，有错误时拒绝）/ render a report
    ///
    /// 退出码 / exit status: 0 已生成 written, 1 检查发现错误 the checks found errors, 2 无法读取或写入
    /// a file could not be read or written.
    Render(render::RenderArgs),
    /// 生成待填写的数据文件（TOML，含中文说明）/ write a fill-in data file
    Template(render::TemplateArgs),
    /// 批量读取、检查、逐年对比与汇总，输出 CSV/XLSX/JSON 和 HTML 汇总页 / batch: check,
    /// compare years, roll up
    ///
    /// 退出码 / exit status: 0 无错误 no errors, 1 发现错误 errors found, 2 有文件无法读取（其余
    /// 照常输出）a file could not be read (everything else is still written).
    Batch(batch::BatchArgs),
    /// 启动网页界面：报告检查与依申请公开台账 / serve the web interface
    Serve(serve::ServeArgs),
    /// 依申请公开台账：登记申请和办理事项、期限、审核、年度报告 / the disclosure ledger
    ///
    /// 命令行、网页和接口调用同一服务层：事项的默认值（收费金额、本月此前件数、缴费金额）、
    /// 列表顺序、审核权限和正式年度报告（年度报告提交审核后为冻结数据）三处一致。
    /// 选项取值只有一套：JSON 名称（如 post-with-signature、partially-granted，`-` 与 `_` 通用）
    /// 或中文名称（如 平常信函、部分公开）；未知取值报错并列出可用取值，从不改用默认值。
    ///
    /// The command line, the web pages and the API call one service layer: event defaults,
    /// the list's order, review rights and the official year-end report (frozen once the
    /// annual report is submitted) are the same in all three. Choices take the JSON name or
    /// the Chinese label; an unknown value is an error naming the field.
    ///
    /// 审核绑定所批准的内容（结论、理由、答复书，SHA-256 摘要）：之后任何改变使答复“需重新审核”，
    /// 未经批准不能登记送达，未批准的答复书标“未经审核（草稿）”；已批准的年度报告只能由分管领导
    /// （或设置允许的办公室主任）说明理由后撤销批准（review reopen）。更正（correct）不改写台账：
    /// 记录原值 → 新值、更正人和理由，期限和年度报告按更正后的值计算；主动公开记录和复议诉讼案件
    /// 以新记录更正或作废（proactive/appeal correct|void），不重复统计。
    ///
    /// An approval binds the content approved (decision, reason, letter; SHA-256 digest): any
    /// later change puts the reply back to review; a reply is sent only once approved; draft
    /// letters are marked. An approved annual report is reopened only by the leader (or the
    /// office head where allowed) with a reason. Corrections (`correct`) keep history: old →
    /// new, who and why; deadlines and the year-end follow the corrected values; proactive
    /// records and appeal cases are corrected or voided by superseding records, never
    /// counted twice.
    Ledger(ledger::LedgerArgs),
    /// 主动公开登记：登记、列表、查看、正文与附件、发布、更正、撤稿、三审与保密审查、批量导入、
    /// 公开目录 / the publication register
    ///
    /// 与 gongkai ledger 相同的选项（--db、--user、--password-stdin、--token-stdin、--agency，
    /// 须写在子命令之前）；每个子命令都须验证操作人身份，写操作记入审计日志。
    /// 例：gongkai publish --user li --password-stdin review submit 12 --state-secret 否
    /// --work-secret 否 --trade-secret 否 --privacy 否 --security 否 --conclusion 非涉密可公开
    /// The options of `gongkai ledger`; every subcommand authenticates the acting user.
    /// `gongkai ledger publish …` is an older alias.
    Publish(publish::PublishArgs),
    /// 错敏排查：个人信息、过时机构名称和法规、严重错别字、日期、本单位名单 / lint
    /// published text
    ///
    /// 退出码 / exit status: 0 无错误 no errors, 1 发现错误 errors found, 2 有文件无法读取 a file
    /// could not be read.
    Lint(lint::LintArgs),
    /// 政府信息公开专栏：全文检索与检索索引 / the public portal: search and its index
    ///
    /// 检索已发布、未撤稿的主动公开信息（名称、正文、内容概述、附件、文号、发布机构等）；
    /// 文号的各种括号写法（〔2023〕[2023](2023)（2023）【2023】）都能找到同一文件。
    /// 索引是数据库的缓存：`reindex` 从数据库重建，`search` 先追上数据库的变更再检索。
    /// / Searches the published 主动公开 items; any bracket form of a 文号 finds the same
    /// document. The index is a cache of the database: `reindex` rebuilds it, `search`
    /// first catches up with the database's changes.
    Portal(portal::PortalArgs),
    /// 列出检查规则，或说明一条规则 / list the rules, or explain one
    Rules {
        /// 规则代码，如 TAB001 / a rule code such as TAB001
        code: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReadFormat {
    Json,
    Table,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A broken pipe (`gongkai read … | head`) is not an error worth a message.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .map(|io| io.kind())
                    .or_else(|| {
                        c.downcast_ref::<serde_json::Error>()
                            .and_then(|j| j.io_error_kind())
                    })
                    == Some(io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("错误 / error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let lang: Lang = cli.lang.into();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Read { files, format } => cmd_read(&files, format, lang, &mut out),
        Command::Check { files, format } => cmd_check(&files, format, lang, &mut out),
        Command::Rules { code } => cmd_rules(code.as_deref(), lang, &mut out),
        Command::Serve(args) => serve::cmd_serve(&args),
        Command::Ledger(args) => ledger::run(args, lang),
        Command::Publish(args) => publish::run(args, lang),
        Command::Batch(args) => batch::cmd_batch(&args, lang, &mut out),
        Command::Render(args) => render::cmd_render(&args, lang),
        Command::Template(args) => render::cmd_template(&args, &mut out),
        Command::Lint(args) => lint::cmd_lint(&args, lang, &mut out),
        Command::Portal(args) => portal::run(args, &mut out),
    }
}

/// One input: its display name and bytes.
struct Input {
    name: String,
    bytes: Vec<u8>,
}

fn load(path: &str) -> Result<Input> {
    if path == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .take(gongkai_read::MAX_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .context("无法读取标准输入 / cannot read stdin")?;
        return Ok(Input {
            name: "<stdin>".to_string(),
            bytes,
        });
    }
    let meta =
        std::fs::metadata(path).with_context(|| format!("{path}: 无法打开 / cannot open"))?;
    if meta.is_dir() {
        anyhow::bail!("{path}: 是目录，不是文件 / is a directory");
    }
    if meta.len() > gongkai_read::MAX_INPUT_BYTES as u64 {
        anyhow::bail!(
            "{path}: 文件过大（{} 字节，上限 {} 字节）/ file too large",
            meta.len(),
            gongkai_read::MAX_INPUT_BYTES
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("{path}: 无法读取 / cannot read"))?;
    Ok(Input {
        name: path.to_string(),
        bytes,
    })
}

/// Loads and reads one file; the error names the file.
fn read_one(path: &str) -> Result<(Input, Report)> {
    let input = load(path)?;
    let report = gongkai_read::read_report(&input.bytes)
        .with_context(|| format!("{}: 无法读取报告 / cannot read the report", input.name))?;
    Ok((input, report))
}

fn report_error(e: &anyhow::Error) {
    eprintln!("错误 / error: {e:#}");
}

fn cmd_read(
    files: &[String],
    format: ReadFormat,
    lang: Lang,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut failed = false;
    let mut json_items = Vec::new();
    for path in files {
        match read_one(path) {
            Ok((input, report)) => match format {
                ReadFormat::Json if files.len() == 1 => {
                    serde_json::to_writer_pretty(&mut *out, &report)?;
                    writeln!(out)?;
                }
                ReadFormat::Json => json_items.push(serde_json::json!({
                    "file": input.name,
                    "report": report,
                })),
                ReadFormat::Table => {
                    write!(out, "{}", table::render(&input.name, &report, lang))?;
                }
            },
            Err(e) => {
                failed = true;
                report_error(&e);
                if files.len() > 1 {
                    json_items.push(serde_json::json!({ "file": path, "error": format!("{e:#}") }));
                }
            }
        }
    }
    if matches!(format, ReadFormat::Json) && files.len() > 1 {
        serde_json::to_writer_pretty(&mut *out, &json_items)?;
        writeln!(out)?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

fn cmd_check(
    files: &[String],
    format: CheckFormat,
    lang: Lang,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut unreadable = false;
    let mut any_errors = false;
    let mut json_items = Vec::new();
    let (mut total_errors, mut total_warnings) = (0, 0);
    for path in files {
        let parsed = load(path).and_then(|input| {
            let (report, read) = render::parse(&input)?;
            Ok((input, report, read))
        });
        let (input, report, read) = match parsed {
            Ok(r) => r,
            Err(e) => {
                unreadable = true;
                report_error(&e);
                json_items.push(serde_json::json!({ "file": path, "error": format!("{e:#}") }));
                continue;
            }
        };
        let findings = gongkai_check::check(&report);
        let (errors, warnings) = counts(&findings);
        total_errors += errors;
        total_warnings += warnings;
        any_errors |= errors > 0;
        match format {
            CheckFormat::Text => {
                // Source excerpts only for a text report (the decoded text has the lines; a
                // data file's lines are not the report's).
                let source = match gongkai_read::sniff(&input.bytes) {
                    gongkai_read::InputKind::Text if read => {
                        gongkai_read::decode::decode(&input.bytes).ok()
                    }
                    _ => None,
                };
                write!(
                    out,
                    "{}",
                    gongkai_check::render_text(&findings, &input.name, source.as_deref(), lang)
                )?;
                let line = match lang {
                    Lang::Zh => format!("{}：错误 {errors} 个，警告 {warnings} 个\n", input.name),
                    Lang::En => format!("{}: {errors} errors, {warnings} warnings\n", input.name),
                };
                write!(out, "{line}")?;
                if files.len() > 1 {
                    writeln!(out)?;
                }
            }
            CheckFormat::Json => json_items.push(serde_json::json!({
                "file": input.name,
                "agency": report.meta.agency,
                "year": report.meta.year,
                "format": report.format.as_str(),
                "errors": errors,
                "warnings": warnings,
                "findings": gongkai_check::render_json(&findings),
            })),
        }
    }
    match format {
        CheckFormat::Json => {
            if files.len() == 1 && json_items.len() == 1 && json_items[0].get("error").is_none() {
                serde_json::to_writer_pretty(&mut *out, &json_items[0])?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &json_items)?;
            }
            writeln!(out)?;
        }
        CheckFormat::Text if files.len() > 1 => {
            let line = match lang {
                Lang::Zh => format!(
                    "共 {} 个文件：错误 {total_errors} 个，警告 {total_warnings} 个\n",
                    files.len()
                ),
                Lang::En => format!(
                    "{} files: {total_errors} errors, {total_warnings} warnings\n",
                    files.len()
                ),
            };
            write!(out, "{line}")?;
        }
        CheckFormat::Text => {}
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every rule gongkai knows — the report checks, the batch and year-over-year rules, the
/// content checks and the publication register's year-end checks —
/// ordered by code: the one catalogue `gongkai rules` lists and explains.
fn catalogue() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = gongkai_check::metas()
        .chain(gongkai_batch::rules())
        .chain(gongkai_lint::metas())
        .chain(gongkai_ledger::register::report::rules())
        .collect();
    all.sort_by_key(|r| r.code);
    all
}

fn cmd_rules(code: Option<&str>, lang: Lang, out: &mut impl Write) -> Result<ExitCode> {
    let all = catalogue();
    let Some(code) = code else {
        write!(out, "{}", gongkai_check::render_meta_list(all, lang))?;
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(r) = all.iter().find(|r| r.code.eq_ignore_ascii_case(code)) {
        let summary = r.summary(lang);
        explain(
            out,
            r.code,
            r.name,
            r.severity.as_str(),
            summary,
            r.explanation,
        )?;
    } else {
        eprintln!(
            "错误 / error: 没有代码为 {code} 的规则；`gongkai rules` 列出全部规则 / no rule {code}"
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// `gongkai rules CODE`: the heading line, the summary and the long explanation.
fn explain(
    out: &mut impl Write,
    code: &str,
    name: &str,
    severity: &str,
    summary: &str,
    explanation: &str,
) -> Result<()> {
    writeln!(out, "# {code} {name} ({severity})\n\n{summary}\n")?;
    writeln!(out, "{}", explanation.trim())?;
    Ok(())
}
