//! `gongkai portal`: the public portal's search index from the command line — rebuild it
//! from the database, or search it as the public does.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_search::SearchIndex;
use gongkai_service::Service;
use gongkai_service::portal::search::{PortalQuery, PortalResults, PortalSearch, SortOrder};
use gongkai_store::Store;

/// Arguments of `gongkai portal`.
#[derive(Debug, Args)]
pub struct PortalArgs {
    /// 数据库地址 / database URL
    #[arg(
        long,
        global = true,
        env = "GONGKAI_DB",
        default_value = "sqlite://gongkai.db"
    )]
    db: String,
    /// 检索索引目录（每个进程一个目录；gongkai serve 正在使用的目录不能同时由本命令写入）/
    /// the search index directory (one per process)
    #[arg(
        long = "search-index",
        global = true,
        env = "GONGKAI_SEARCH_INDEX",
        default_value = "gongkai-search-index/cli",
        value_name = "DIR"
    )]
    index: PathBuf,
    #[command(subcommand)]
    command: PortalCommand,
}

#[derive(Debug, Subcommand)]
enum PortalCommand {
    /// 从数据库重建检索索引（已发布、未撤稿的主动公开信息）/ rebuild the index from the
    /// database
    Reindex,
    /// 全文检索（先按数据库的变更追上索引）/ search (the index first catches up with the
    /// database)
    Search(SearchArgs),
    /// 立即发送到期的网上申请邮件通知（gongkai serve 本身也会定时发送）/ send the e-mail
    /// notices that are due now (gongkai serve sends them too)
    SendMail {
        /// 公开专栏的对外地址，写入邮件 / the 专栏's public address, for the messages
        #[arg(long, env = "GONGKAI_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
    },
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// 检索词（可含文号，如 国办发(2023)12号）/ the words (a 文号 in any bracket form)
    query: String,
    /// 只查某机关的专栏（机关代码）/ one agency's column (its code)
    #[arg(long)]
    agency: Option<String>,
    /// 某机关及其下级机关（机关代码）/ an agency and those under it
    #[arg(long)]
    within: Option<String>,
    /// 主题分类 / topic
    #[arg(long)]
    topic: Option<String>,
    /// 体裁 / genre
    #[arg(long)]
    genre: Option<String>,
    /// 发布机构 / issuing organ
    #[arg(long)]
    organ: Option<String>,
    /// 年度（生成日期）/ year formed
    #[arg(long)]
    year: Option<i32>,
    /// 文号 / document number
    #[arg(long)]
    number: Option<String>,
    /// 排序 / order
    #[arg(long, value_enum, default_value_t = OrderArg::Relevance)]
    order: OrderArg,
    #[arg(long, default_value_t = 1)]
    page: usize,
    #[arg(long, default_value_t = 10)]
    per_page: usize,
    /// 输出 JSON / print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OrderArg {
    Relevance,
    Newest,
    Oldest,
}

pub fn run(args: PortalArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("无法打开数据库 / cannot open the database {}", args.db))?;
        if let PortalCommand::SendMail { public_url } = &args.command {
            let run = Service::new(store.clone())
                .deliver_mail(chrono::Utc::now(), public_url.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            writeln!(
                out,
                "邮件通知：已发送 {} 封，失败 {} 封（失败的稍后重试，见“管理 → 邮件通知”）/ sent {}, failed {}",
                run.sent, run.failed, run.sent, run.failed
            )?;
            store.close().await;
            return Ok(if run.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        let index = SearchIndex::open(&args.index).map_err(|e| anyhow::anyhow!("{e}"))?;
        let search = PortalSearch::new(Service::new(store.clone()), Arc::new(index));
        let code = match args.command {
            PortalCommand::Reindex => {
                let started = std::time::Instant::now();
                let step = search.rebuild().await.map_err(|e| anyhow::anyhow!("{e}"))?;
                writeln!(
                    out,
                    "已重建检索索引 {}：{} 条信息，用时 {:.1} 秒 / rebuilt: {} items",
                    args.index.display(),
                    step.indexed,
                    started.elapsed().as_secs_f64(),
                    step.indexed
                )?;
                ExitCode::SUCCESS
            }
            PortalCommand::Search(s) => {
                match search.step().await {
                    Ok(_) => {}
                    // A server holds the directory: search what it has indexed.
                    Err(e) if e.to_string().contains("另一进程") => {
                        eprintln!("注意：{e}；按索引现有内容检索 / searching the index as it is")
                    }
                    Err(e) => return Err(anyhow::anyhow!("{e}")),
                }
                let query = PortalQuery {
                    q: s.query.clone(),
                    agency: s.agency,
                    within: s.within,
                    topic: s.topic,
                    genre: s.genre,
                    organ: s.organ,
                    year: s.year,
                    number: s.number,
                    order: match s.order {
                        OrderArg::Relevance => SortOrder::Relevance,
                        OrderArg::Newest => SortOrder::Newest,
                        OrderArg::Oldest => SortOrder::Oldest,
                    },
                    page: Some(s.page),
                    per_page: Some(s.per_page),
                };
                let results = search
                    .search(&query)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                if s.json {
                    serde_json::to_writer_pretty(&mut *out, &results)?;
                    writeln!(out)?;
                } else {
                    print_results(&results, out)?;
                }
                ExitCode::SUCCESS
            }
            // Sent above, before the index is opened.
            PortalCommand::SendMail { .. } => ExitCode::SUCCESS,
        };
        store.close().await;
        Ok(code)
    })
}

/// `<mark>` → 【】 and the entities back, for a terminal.
fn plain(html: &str) -> String {
    html.replace("<mark>", "【")
        .replace("</mark>", "】")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn print_results(r: &PortalResults, out: &mut dyn Write) -> Result<()> {
    if let Some(note) = &r.note {
        writeln!(out, "{note}")?;
    }
    let pages = r.total.div_ceil(r.per_page.max(1));
    writeln!(
        out,
        "共 {} 条，第 {}/{} 页 / {} results",
        r.total,
        r.page,
        pages.max(1),
        r.total
    )?;
    for (n, h) in r.hits.iter().enumerate() {
        let hit = &h.hit;
        writeln!(out)?;
        writeln!(
            out,
            "{}. {}",
            (r.page - 1) * r.per_page + n + 1,
            plain(&hit.title_html)
        )?;
        let mut meta = vec![format!("索引号 {}", hit.index_number), hit.organ.clone()];
        if let Some(num) = &hit.number {
            meta.push(num.clone());
        }
        meta.push(format!("生成日期 {}", hit.formed_on));
        if let Some(p) = &hit.published_on {
            meta.push(format!("发布 {p}"));
        }
        meta.push(format!(
            "{}（{}）第 {} 号",
            h.agency_name, h.agency_code, hit.item
        ));
        writeln!(out, "   {}", meta.join(" · "))?;
        let snippet = plain(&hit.snippet_html);
        if !snippet.trim().is_empty() {
            writeln!(out, "   {}", snippet.trim())?;
        }
    }
    Ok(())
}
