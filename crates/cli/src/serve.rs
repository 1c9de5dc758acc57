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
    /// 只经 HTTPS 提供服务：Cookie 一律加 Secure 标记并发送 HSTS 头（不加此项时，来自
    /// --trusted-proxy 且带 X-Forwarded-Proto: https 的请求同样处理）/ the server is reached
    /// over HTTPS only: Secure cookies and HSTS on every answer
    #[arg(long)]
    secure_cookies: bool,
    /// 可信的反向代理地址（可多次给出）：只有来自这些地址的 X-Forwarded-Proto、
    /// X-Forwarded-For 才被采信（判断 HTTPS、取得客户端地址）/ a reverse proxy whose
    /// forwarded headers are believed (repeatable)
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// 登录的最长有效期（小时，不论是否在用）/ a login's absolute lifetime, in hours
    #[arg(long, default_value_t = 12)]
    session_hours: i64,
    /// 闲置超时（分钟）：这段时间内没有任何操作即须重新登录（勾选“记住我”的除外）/ idle
    /// timeout, in minutes (not for 记住我 logins)
    #[arg(long, default_value_t = 30)]
    session_idle_minutes: i64,
    /// 勾选“记住我”时登录的有效期（天）/ lifetime of a 记住我 login, in days
    #[arg(long, default_value_t = 30)]
    remember_days: i64,
    /// 日历目录：每个 *.toml 文件是一年的国务院办公厅节假日安排通知（补充或替换内置的2023–2026年），启动时读取；默认用机关设置中的日历目录。没有通知的年份按《全国年节及纪念日放假办法》的法定节假日推算并提示
    /// / calendar files (one State Council notice per year), read at start; default: the
    /// directory in the office settings
    #[arg(long, env = "GONGKAI_CALENDAR_DIR", value_name = "DIR")]
    calendar_dir: Option<std::path::PathBuf>,
    /// 只提供公开专栏（政府信息公开指南、制度、法定主动公开内容、年报、目录）及其检索接口：不含工作台、
    /// 登录、其他接口和报告检查，供面向互联网的进程使用；工作台进程留在内网，连同一数据库 /
    /// serve only the public 专栏 and its search API (GET /api/v1/portal/search), for the
    /// internet-facing process; the workbench stays inside, on the same database
    #[arg(long)]
    public: bool,
    /// 检索索引目录（本进程专用；默认 gongkai-search-index/<端口>）。索引是数据库的缓存：
    /// 没有或版本不同时自动重建，之后按数据库的变更表持续更新 / this process's search index
    /// directory (default: gongkai-search-index/<port>); rebuilt when missing
    #[arg(
        long = "search-index",
        env = "GONGKAI_SEARCH_INDEX",
        value_name = "DIR"
    )]
    search_index: Option<std::path::PathBuf>,
    /// 检索索引追赶数据库变更的间隔（毫秒）/ how often the index catches up, in ms
    #[arg(long, default_value_t = 500, value_name = "MS")]
    search_interval_ms: u64,
    /// 公开专栏的对外地址（如 https://gk.example.gov.cn），写入给网上申请人的邮件通知，
    /// 指向“申请查询”页面 / the 专栏's public address, linked from the e-mail notices
    #[arg(long, env = "GONGKAI_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// 发送网上申请邮件通知的间隔（秒；机关在“管理 → 邮件通知”设置了邮件服务器时发送，
    /// 失败的按 1、2、4……分钟重试；0：本进程不发送，由其他进程发送）/ how often the e-mail
    /// notices are sent, in seconds (0: not by this process)
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    mail_interval_secs: u64,
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
    /// 报告检查：读取文件时同时占用的内存（MB；一个文件读取时约占其大小的 10 倍）/ MB that
    /// reading may take at once (a file takes about ten times its size while read)
    #[arg(long, default_value_t = 160, value_name = "MB")]
    check_parse_mb: usize,
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
            parse_bytes: self.check_parse_mb.max(1).saturating_mul(MB as usize),
            api_per_minute: self.check_api_per_minute.max(1),
            api_burst: self.check_api_per_minute.clamp(1, 6),
            ..default
        }
    }
}

/// Runs the server until Ctrl-C. The CSRF secret comes from `GONGKAI_SECRET` when set,
/// otherwise from the database (made once): a restart keeps the forms in progress, and
/// several processes on one database agree. On a database without users it prints a
/// one-time setup code (console and log) that `/setup` asks for.
pub fn cmd_serve(args: &ServeArgs) -> Result<ExitCode> {
    // The server logs through `tracing` (internal errors, with their cause); print it on
    // stderr. `try_init`: a second server in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    // Before the runtime's threads: freed upload buffers go back to the system.
    gongkai_server::memory::return_large_blocks_to_the_system();
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
        // Every process on one database must count deadlines with the same calendar.
        match store.note_calendar(chrono::Utc::now()).await {
            Ok(Some(before)) => {
                let years: Vec<String> = before.iter().map(i32::to_string).collect();
                eprintln!(
                    "注意：本进程的节假日日历与此前在本数据库上启动的进程所用的（{}年）不同。\n\
                     同一数据库上的所有 gongkai serve 进程须使用相同的日历目录（--calendar-dir），\n\
                     否则各进程计算的期限不一致；如已更新日历文件，请逐一重启其他进程。\n\
                     / this calendar differs from the one the previous process started with",
                    years.join("、")
                );
                tracing::warn!(
                    previous_years = ?before,
                    "the calendar differs from the one noted by the previous process on this database"
                );
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot note the calendar in use"),
        }
        // A public process has no /setup: the workbench's process prints the code.
        if !args.public
            && let Some(code) = store
            .issue_setup_code(chrono::Utc::now())
            .await
            .context("无法生成设置码 / cannot issue the setup code")?
        {
            eprintln!(
                "提示：这是新的数据库（还没有用户）。在浏览器中打开 /setup，填写下面的一次性设置码、\n\
                 机关名称并设置管理员，或运行 gongkai ledger init；报告检查无需设置即可使用。\n\
                 一次性设置码 / one-time setup code: {code}"
            );
            tracing::warn!(
                setup_code = %code,
                "new database without users: open /setup with this one-time setup code"
            );
        }
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("无法监听 / cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        eprintln!("gongkai serve: http://{addr}/ （Ctrl-C 停止 / to stop）");
        let config = Config {
            secure_cookies: args.secure_cookies,
            trusted_proxies: args.trusted_proxies.clone(),
            session: gongkai_store::SessionPolicy {
                idle: chrono::Duration::minutes(args.session_idle_minutes.max(1)),
                absolute: chrono::Duration::hours(args.session_hours.max(1)),
                remember: chrono::Duration::days(args.remember_days.max(1)),
            },
            secret: std::env::var("GONGKAI_SECRET").ok().filter(|s| !s.is_empty()),
            check: args.check.limits(),
            ..Config::default()
        };
        let uploads = std::sync::Arc::new(gongkai_server::uploads::StoredUploads::new(
            store.clone(),
            config.check.cache_bytes,
        ));
        let state = AppState::open(
            gongkai_service::Service::new(store.clone()),
            config,
            uploads,
        )
        .await
        .context("无法读取 CSRF 密钥 / cannot read the CSRF secret")?;
        let index_dir = args.search_index.clone().unwrap_or_else(|| {
            std::path::PathBuf::from("gongkai-search-index").join(addr.port().to_string())
        });
        let index = gongkai_search::SearchIndex::open(&index_dir)
            .and_then(|i| i.lock_for_writing().map(|()| i))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        eprintln!("检索索引 / search index: {}", index_dir.display());
        let search = gongkai_service::portal::search::PortalSearch::new(
            gongkai_service::Service::new(store.clone()),
            std::sync::Arc::new(index),
        );
        state.portal().set(search.clone());
        tokio::spawn(gongkai_server::portal::follow(
            search,
            std::time::Duration::from_millis(args.search_interval_ms),
        ));
        if args.mail_interval_secs > 0 {
            tokio::spawn(gongkai_server::portal::mail_sender::send_mail(
                gongkai_service::Service::new(store.clone()),
                std::time::Duration::from_secs(args.mail_interval_secs),
                args.public_url.clone(),
            ));
        }
        if args.public {
            eprintln!("只提供公开专栏 / public 专栏 only: http://{addr}/portal");
            gongkai_server::serve_public(listener, state).await
        } else {
            gongkai_server::serve(listener, state).await
        }
        .context("服务异常退出 / the server stopped")?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
