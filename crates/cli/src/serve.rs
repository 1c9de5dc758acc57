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
            ..Config::default()
        };
        gongkai_server::serve(listener, AppState::new(store.clone(), config))
            .await
            .context("服务异常退出 / the server stopped")?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
