//! `gongkai serve`: the web interface (gongkai-server) over the ledger's database.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gongkai_server::{AppState, Config};
use gongkai_store::Store;

/// Arguments of `gongkai serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 数据库地址：sqlite://文件名（默认，首次运行时创建）或 postgres://用户@主机/库 /
    /// database URL
    #[arg(long, default_value = "sqlite://gongkai.db")]
    db: String,
    /// 监听地址 / address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Cookie 加 Secure 标记（经 HTTPS 反向代理提供服务时使用）/ mark cookies Secure
    #[arg(long)]
    secure_cookies: bool,
    /// 登录有效期（小时）/ how long a login lasts, in hours
    #[arg(long, default_value_t = 12)]
    session_hours: i64,
    /// 日历目录：每个 *.toml 文件是一年的国务院办公厅节假日安排通知（补充或替换内置的2023–2026年），启动时读取；默认用机关设置中的日历目录。没有通知的年份按《全国年节及纪念日放假办法》的法定节假日推算并提示
    /// / calendar files (one State Council notice per year), read at start; default: the
    /// directory in the office settings
    #[arg(long, env = "GONGKAI_CALENDAR_DIR", value_name = "DIR")]
    calendar_dir: Option<std::path::PathBuf>,
    #[command(flatten)]
    check: CheckArgs,
}

/// 报告检查的限额 / the report checker's limits (defaults: `gongkai_server::check::Limits`).
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 报告检查：每位访客（或用户）最多保留的文件数 / files one visitor keeps
    #[arg(long, default_value_t = 200, value_name = "N")]
    check_visitor_files: u64,
    /// 报告检查：每位访客最多保留的文件大小合计（MB）/ MB one visitor keeps
    #[arg(long, default_value_t = 256, value_name = "MB")]
    check_visitor_mb: u64,
    /// 报告检查：全站最多保留的文件数 / files the server keeps
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    check_total_files: u64,
    /// 报告检查：全站最多保留的文件大小合计（MB）/ MB the server keeps
    #[arg(long, default_value_t = 8192, value_name = "MB")]
    check_total_mb: u64,
    /// 报告检查：上传的报告与手工更正保留天数，过期删除 / days uploads are kept
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    check_retention_days: i64,
    /// 报告检查：内存中缓存的报告（MB，其余在数据库中）/ MB of reports cached in memory
    #[arg(long, default_value_t = 64, value_name = "MB")]
    check_cache_mb: usize,
    /// 报告检查：同时接收的上传数据（MB，超出的上传排队，60 秒后答复“服务器正忙”）/ MB of
    /// request bodies in flight
    #[arg(long, default_value_t = 160, value_name = "MB")]
    check_inflight_mb: usize,
    /// 报告检查：同时读取的文件数（默认为 CPU 核数减一，至少 1、至多 4）/ files read at once
    /// (default: CPU cores − 1, 1 to 4)
    #[arg(long, value_name = "N")]
    check_parse_concurrency: Option<usize>,
    /// 未登录调用 POST /api/v1/check 时每个地址每分钟的次数 / anonymous API checks per
    /// address and minute
    #[arg(long, default_value_t = 12, value_name = "N")]
    check_api_per_minute: u32,
}

impl CheckArgs {
    fn limits(&self) -> gongkai_server::check::Limits {
        const MB: u64 = 1024 * 1024;
        let default = gongkai_server::check::Limits::default();
        gongkai_server::check::Limits {
            visitor_files: self.check_visitor_files,
            visitor_bytes: self.check_visitor_mb.saturating_mul(MB),
            total_files: self.check_total_files,
            total_bytes: self.check_total_mb.saturating_mul(MB),
            retention: chrono::Duration::days(self.check_retention_days.max(1)),
            cache_bytes: self.check_cache_mb.saturating_mul(MB as usize),
            intake_bytes: self.check_inflight_mb.max(1).saturating_mul(MB as usize),
            parse_concurrency: self
                .check_parse_concurrency
                .unwrap_or(default.parse_concurrency)
                .max(1),
            api_per_minute: self.check_api_per_minute.max(1),
            api_burst: self.check_api_per_minute.clamp(1, 6),
            ..default
        }
    }
}

/// Runs the server until Ctrl-C. The CSRF secret comes from `GONGKAI_SECRET` when set
/// (several processes behind one address must share it), otherwise a random one per run.
pub fn cmd_serve(args: &ServeArgs) -> Result<ExitCode> {
    // The server logs through `tracing` (internal errors, with their cause); print it on
    // stderr. `try_init`: a second server in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("无法打开数据库 / cannot open the database {}", args.db))?;
        let (store, source) = gongkai_service::open_calendar(store, args.calendar_dir.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(dir) = &source.dir {
            let years: Vec<String> = source.years.iter().map(i32::to_string).collect();
            eprintln!(
                "日历目录 / calendar directory {}：{}",
                dir.display(),
                if years.is_empty() {
                    "没有日历文件 / no files".to_string()
                } else {
                    format!("已读取 / loaded {}", years.join(", "))
                }
            );
        }
        if !store.is_initialised().await.unwrap_or(false) {
            eprintln!(
                "提示：这是新的数据库（还没有用户）。在浏览器中打开 /setup 填写机关名称、设置管理员，\n\
                 或运行 gongkai ledger init；报告检查无需设置即可使用。"
            );
        }
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("无法监听 / cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        eprintln!("gongkai serve: http://{addr}/ （Ctrl-C 停止 / to stop）");
        let config = Config {
            secure_cookies: args.secure_cookies,
            session_hours: args.session_hours.max(1),
            secret: std::env::var("GONGKAI_SECRET").ok(),
            check: args.check.limits(),
            ..Config::default()
        };
        gongkai_server::serve(listener, AppState::new(store.clone(), config))
            .await
            .context("服务异常退出 / the server stopped")?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
