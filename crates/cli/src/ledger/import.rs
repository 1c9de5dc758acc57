//! `gongkai ledger import` and `gongkai ledger opening`: an office's existing records
//! brought in from a sheet, and the opening balances (期初数) from last year's report or
//! typed. Thin: reads the file, calls `gongkai_service::imports`, prints the preview.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use gongkai_ledger::Opening;
use gongkai_ledger::import::{Field, ImportKind};
use gongkai_service::imports::{self, Preview};

use super::Session;

#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// 要导入的表格（.xlsx、.xls、.ods 或 .csv；CSV 可为 UTF-8 或 GBK）/ the sheet to import
    file: std::path::PathBuf,
    /// 表格内容：applications（依申请公开台账，默认）或 documents（规章和行政规范性文件）
    /// / what the sheet holds
    #[arg(long, default_value = "applications", value_parser = parse_kind)]
    kind: ImportKind,
    /// 列对应：字段=列标题（可重复），如 --map 收到日期=来件日期；字段用中文名或英文名，列标题
    /// 留空表示不导入该字段。对应关系在导入后保存，下次自动沿用 / map a field to a column by
    /// its header (repeatable); saved after the import and reused
    #[arg(long = "map", value_name = "字段=列标题")]
    maps: Vec<String>,
    /// 只预览（将新建什么、哪些已在台账中、哪些行不能导入及原因），不写入 / preview only
    #[arg(long)]
    dry_run: bool,
    /// 以 JSON 输出预览和结果 / print the preview (and the outcome) as JSON
    #[arg(long)]
    json: bool,
}

fn parse_kind(s: &str) -> Result<ImportKind, String> {
    ImportKind::parse(s).ok_or_else(|| {
        format!("导入内容“{s}”无效，可用：applications（依申请公开台账）、documents（规章和行政规范性文件）")
    })
}

#[derive(Debug, Args)]
pub(super) struct OpeningArgs {
    /// 从上一年度已发布的年度报告读取（读取器能读的任何格式：HTML、DOCX、PDF、TXT …）
    /// / read last year's published report
    #[arg(long, value_name = "FILE", conflicts_with_all = ["carried", "clear"])]
    from: Option<std::path::PathBuf>,
    /// 期初数所属的报告年度（默认取报告中的年度）/ the report year of the figures
    #[arg(long)]
    year: Option<i32>,
    /// 手工录入“四、结转下年度继续办理”：自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计
    /// / type 四 per column (seven numbers, the last the total)
    #[arg(long, value_delimiter = ',', requires_all = ["year", "regulations", "normative"])]
    carried: Option<Vec<u64>>,
    /// 手工录入现行有效规章件数 / rules in force
    #[arg(long)]
    regulations: Option<u64>,
    /// 手工录入现行有效行政规范性文件件数 / normative documents in force
    #[arg(long)]
    normative: Option<u64>,
    /// 清除期初数 / clear the opening balances
    #[arg(long)]
    clear: bool,
    #[arg(long)]
    json: bool,
}

fn field_list(p: &Preview) -> String {
    Field::of(p.kind)
        .iter()
        .map(|f| match p.columns.fields.get(f) {
            Some(c) => format!("{}←“{}”", f.label(), p.columns.headers[*c]),
            None => format!("{}←（无）", f.label()),
        })
        .collect::<Vec<_>>()
        .join("，")
}

fn print_preview(p: &Preview, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "{}：{}（标题在第 {} 行）",
        p.kind.label_zh(),
        p.source,
        p.columns.header_row + 1
    )?;
    writeln!(out, "列对应：{}", field_list(p))?;
    writeln!(
        out,
        "将新建 {} 项；已在台账中 {} 行；不能导入 {} 行；空行 {} 行",
        p.to_create(),
        p.existing.len(),
        p.refused.len(),
        p.blank_rows
    )?;
    for a in &p.applications {
        writeln!(
            out,
            "  新建 第 {} 行：{} {} {}（{}）",
            a.row,
            a.received(),
            a.applicant.name,
            a.request.description,
            a.status_zh()
        )?;
    }
    for d in &p.documents {
        writeln!(
            out,
            "  新建 第 {} 行：{} {} {}{}",
            d.row,
            d.record.kind.label_zh(),
            d.record.title,
            d.record.issued_on,
            d.record
                .repealed_on
                .map(|r| format!("（{r} 废止）"))
                .unwrap_or_default()
        )?;
    }
    for (row, id) in &p.existing {
        writeln!(out, "  已有 第 {row} 行：即台账中的 {id}，不重复导入")?;
    }
    for r in &p.refused {
        writeln!(out, "  不能导入 {r}")?;
    }
    Ok(())
}

pub(super) async fn import(cx: &Session, a: ImportArgs, out: &mut impl Write) -> Result<ExitCode> {
    let bytes = std::fs::read(&a.file)
        .with_context(|| format!("{}: 无法读取 / cannot read", a.file.display()))?;
    let source = a.file.file_name().map_or_else(
        || a.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sheet = imports::read_sheet(&source, &bytes)?;
    let overrides = a
        .maps
        .iter()
        .map(|m| imports::parse_override(a.kind, m))
        .collect::<Result<Vec<_>, _>>()?;
    let actor = cx.actor().await?;
    if a.dry_run {
        let p = cx
            .service
            .import_preview(&actor, a.kind, &source, &sheet, &overrides)
            .await?;
        if a.json {
            serde_json::to_writer_pretty(&mut *out, &p)?;
            writeln!(out)?;
        } else {
            print_preview(&p, out)?;
            writeln!(out, "（预览，未写入 / dry run: nothing written）")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let sha = gongkai_store::auth::sha256_hex(&bytes);
    let (p, outcome) = cx
        .service
        .import_sheet(&actor, a.kind, &source, &sheet, &overrides, &sha)
        .await?;
    if a.json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "preview": p, "outcome": outcome }),
        )?;
        writeln!(out)?;
    } else {
        print_preview(&p, out)?;
        writeln!(
            out,
            "已导入 {} 项（{}），跳过已有 {} 行，不能导入 {} 行；列对应已保存",
            outcome.created.len(),
            match (outcome.created.first(), outcome.created.last()) {
                (Some(f), Some(l)) if f != l => format!("{} … {}", f.1, l.1),
                (Some(f), _) => f.1.clone(),
                _ => "无".into(),
            },
            outcome.existing.len(),
            p.refused.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_opening(o: &Opening, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "期初数（{} 年度报告，来源：{}）",
        o.year,
        if o.source.is_empty() {
            "手工录入"
        } else {
            &o.source
        }
    )?;
    writeln!(
        out,
        "  四、结转下年度继续办理：{}（总计 {}）",
        gongkai_format::APPLICANT_COLUMNS
            .iter()
            .zip(o.carried_forward)
            .take(6)
            .map(|(c, n)| format!("{} {n}", c.short))
            .collect::<Vec<_>>()
            .join("，"),
        o.carried_forward[6]
    )?;
    writeln!(
        out,
        "  现行有效：规章 {} 件，行政规范性文件 {} 件",
        o.in_force[0], o.in_force[1]
    )?;
    writeln!(
        out,
        "  {} 年度报告在台账没有 {} 年以前收到的申请时，以此作为二、上年结转；以后各年的现行有效件数以此为基础",
        o.year + 1,
        o.year + 1
    )?;
    Ok(())
}

pub(super) async fn opening(
    cx: &Session,
    a: OpeningArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let new = if a.clear {
        None
    } else if let Some(path) = &a.from {
        let bytes = std::fs::read(path)
            .with_context(|| format!("{}: 无法读取 / cannot read", path.display()))?;
        let report = gongkai_read::read_report(&bytes).with_context(|| {
            format!("{}: 无法读取报告 / cannot read the report", path.display())
        })?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Some(imports::opening_from_report(&report, a.year, &name)?)
    } else if let Some(c) = &a.carried {
        let (Some(year), Some(regs), Some(norms)) = (a.year, a.regulations, a.normative) else {
            bail!("手工录入期初数须同时给出 --year、--carried、--regulations 和 --normative");
        };
        let carried: [u64; 7] = c.as_slice().try_into().map_err(|_| {
            anyhow::anyhow!(
                "--carried 须为 7 个数（自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计），现有 {} 个",
                c.len()
            )
        })?;
        Some(Opening {
            year,
            carried_forward: carried,
            in_force: [regs, norms],
            source: "手工录入".into(),
        })
    } else {
        match cx.service.opening().await? {
            Some(o) if a.json => serde_json::to_writer_pretty(&mut *out, &o)?,
            Some(o) => print_opening(&o, out)?,
            None => writeln!(out, "尚未设置期初数 / no opening balances")?,
        }
        return Ok(ExitCode::SUCCESS);
    };
    let actor = cx.actor().await?;
    cx.service.set_opening(&actor, new.as_ref()).await?;
    match &new {
        Some(o) if a.json => serde_json::to_writer_pretty(&mut *out, o)?,
        Some(o) => {
            writeln!(out, "已保存期初数 / saved")?;
            print_opening(o, out)?;
        }
        None => writeln!(out, "已清除期初数 / cleared")?,
    }
    Ok(ExitCode::SUCCESS)
}
