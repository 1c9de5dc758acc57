//! `gongkai ledger …`: the disclosure ledger (依申请公开台账) from the command line, on the
//! store of `--db` (SQLite file `gongkai.db` in the current directory by default, created on
//! first use; or `postgres://…`).
//!
//! A thin front end: each command parses its arguments (the domain enums parse from their
//! one vocabulary, `gongkai_ledger::vocab`), calls one use case of `gongkai_service` and
//! prints the result. Defaults (fee amounts, earlier units), the list's ordering, the
//! official (frozen) year-end report and review rights are the service's.
//!
//! Writes name the acting user with `--user` (or `GONGKAI_USER`) and prove it with the
//! user's password or a personal API token ([`auth`]); the store checks that the role may
//! make the change, and every change is recorded in the audit log with the channel and the
//! operating-system user. Reads need no credentials. Dates are `YYYY-MM-DD` (also `YYYY/M/D`, `YYYY年M月D日`);
//! "today" is the date in Beijing.
//!
//! * `args` — the subcommands' arguments; `print` — presentation helpers.
//! * `applications` — apply, event, show, list; `records` — appeals, proactive, users;
//!   `reports` — year-end, review, audit; `narrative` — the annual report's text;
//!   `templates` — the reply letter templates; `export` — the ledger and the year's
//!   tables as spreadsheets, the export's column sets; `import` — imports and the opening
//!   balances.

use std::io::{self, BufRead};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use gongkai_check::Lang;
use gongkai_service::{Actor, Service, ServiceError};
use gongkai_store::{Store, StoreError};

mod applications;
mod args;
mod auth;
mod corrections;
mod export;
mod import;
mod narrative;
mod office;
mod platform;
mod print;
mod records;
mod reports;
mod templates;

use args::{
    AppealCommand, ApplyArgs, EventCommand, ListArgs, ProactiveCommand, ReviewCommand, UserCommand,
    parse_date,
};
use office::OfficeArgs;

#[derive(Debug, Args)]
pub(crate) struct LedgerArgs {
    #[command(flatten)]
    conn: Connection,
    #[command(subcommand)]
    command: LedgerCommand,
}

/// The database, the acting user and how they authenticate: the options of `gongkai
/// ledger` and `gongkai publish`.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// 数据库地址：sqlite://文件 或 postgres://… / database URL
    #[arg(
        long,
        global = true,
        env = "GONGKAI_DB",
        default_value = "sqlite://gongkai.db"
    )]
    pub(crate) db: String,
    /// 操作人（用户名）/ the acting user
    #[arg(long, short = 'u', global = true, env = "GONGKAI_USER")]
    pub(crate) user: Option<String>,
    /// 从标准输入第一行读取操作人的密码（写操作须验证身份；须写在子命令之前）/ read the acting
    /// user's password from the first line of standard input (before the subcommand)
    #[arg(long)]
    pub(crate) password_stdin: bool,
    /// 从标准输入第一行读取访问令牌（在网页“访问令牌”中创建；须写在子命令之前；也可用环境
    /// 变量 GONGKAI_TOKEN）/ read a personal API token from the first line of standard input
    /// (or set GONGKAI_TOKEN)
    #[arg(long, conflicts_with = "password_stdin")]
    pub(crate) token_stdin: bool,
    /// 在哪个机关办理（机关代码；须写在子命令之前；默认为操作人有角色的第一个机关，未指明操作人时
    /// 为根机关）/ the agency to work in (its code, before the subcommand; default: the acting
    /// user's first agency, or the root agency)
    #[arg(long, env = "GONGKAI_AGENCY", value_name = "CODE")]
    pub(crate) agency: Option<String>,
    /// 日历目录：每个 *.toml 文件是一年的国务院办公厅节假日安排通知（补充或替换内置的2023–2026年）；默认用机关设置中的日历目录。没有通知的年份按《全国年节及纪念日放假办法》的法定节假日推算并提示
    /// / calendar files (one State Council notice per year); default: the directory in the
    /// office settings
    #[arg(long, global = true, env = "GONGKAI_CALENDAR_DIR", value_name = "DIR")]
    pub(crate) calendar_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// 创建数据库并设置机关名称和管理员 / create the database and the admin user
    Init {
        /// 机关名称（用于年度报告标题）/ the office's name
        #[arg(long)]
        agency: String,
        /// 管理员用户名 / the admin's user name
        #[arg(long, default_value = "admin")]
        admin: String,
        /// 从标准输入读取密码（否则随机生成并显示一次）/ read the password from stdin
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        office: OfficeArgs,
    },
    /// 查看或修改机关设置：答复书中的行政复议机关、管辖法院，默认日历目录 / show or change the
    /// office settings
    ///
    /// 不带选项时显示当前设置。自2024年1月1日起（2023年修订的《中华人民共和国行政复议法》），县级以上地方人民政府工作部门的行政复议机关为本级人民政府；未设置时答复书写“本机关的同级人民政府”“人民法院”。
    ///
    /// Without options: print the settings.
    Settings {
        #[command(flatten)]
        office: OfficeArgs,
        #[arg(long)]
        json: bool,
    },
    /// 用户管理 / users
    #[command(subcommand)]
    User(UserCommand),
    /// 平台：机关树与各机关的用户角色（根机关的管理员）/ the platform: agencies and roles
    #[command(subcommand)]
    Platform(platform::PlatformCommand),
    /// 登记申请（同时登记收到）/ register an application with its receipt
    Apply(ApplyArgs),
    /// 登记办理事项 / record an event of an application
    Event {
        /// 申请编号 / application id
        id: String,
        /// 事项日期（默认今天）/ the event's date (default today)
        #[arg(long, global = true, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 备注 / note
        #[arg(long, global = true)]
        note: Option<String>,
        #[command(subcommand)]
        kind: EventCommand,
    },
    /// 更正登记信息（更正）：申请人及类型、提交渠道和收到日期、所需信息、联系方式、载体形式和
    /// 获取方式；须说明理由 / correct what was registered, with a reason
    ///
    /// 台账只追加、不改写：更正作为一项事项记入办理过程，显示“原值 → 新值”、更正人和理由。
    /// 办理状态、答复期限和年度报告（如表三的申请人类型列）按更正后的值计算；已提交或已批准的
    /// 答复因内容改变而“需重新审核”。
    /// The log is append-only: a correction is an event showing old → new, who and why; the
    /// state, the deadlines and the year-end tables follow the corrected values, and a reply
    /// submitted or approved needs review again.
    Correct(corrections::CorrectArgs),
    /// 查看一件申请：事项、状态、答复期限及其计算 / show an application
    Show {
        id: String,
        /// 状态的日期（默认今天）/ the date of the state (default today)
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// 列出申请：未办结的按答复期限排序（与网页、接口同一顺序），超期标出；可查找、筛选、分页
    /// / list applications (search, filters, paging)
    ///
    /// 例：gongkai ledger list --status closed --search 张三 --year 2025 --limit 20
    List(ListArgs),
    /// 行政复议、行政诉讼案件 / reconsideration and litigation cases
    #[command(subcommand)]
    Appeal(AppealCommand),
    /// 主动公开数据（第二部分）/ proactive-disclosure records (section 二)
    #[command(subcommand)]
    Proactive(ProactiveCommand),
    /// 年度报告（第二、三、四部分）并检查；提交审核后为冻结的正式数据 / the year-end report
    ///
    /// 年度报告提交审核后（“年度关账”），输出提交时冻结的数据（与网页、接口一致）；
    /// 未提交或被退回时按台账实时计算。
    /// Once the annual report is submitted for review, the figures frozen at the
    /// submission (as on the web and the API); live before.
    ///
    /// 退出码 / exit status: 0 无错误 no errors, 1 检查发现错误 the checks found errors.
    YearEnd {
        year: i32,
        /// 统计截止日期（未冻结时；默认今天与年末中较早者）/ compute as of this date (live only)
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// 报告 JSON 输出文件（可用 gongkai render 生成文档）/ write the report JSON here
        #[arg(short, long)]
        output: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 年度报告正文与落款：查看、撰写（每次保存为新版本）/ the annual report's narrative
    ///
    /// 台账为六个部分生成草稿，【】内为需由本机关补充的内容；第一、五、六部分须由本机关撰写，
    /// 留有占位内容（TXT005）时年度报告不能提交审核。
    /// The ledger drafts the six sections; the office writes 一, 五 and 六 (and may rewrite
    /// the others); placeholders left (TXT005) block the submission.
    #[command(subcommand)]
    Narrative(narrative::NarrativeCommand),
    /// 三级审核：信息员提交 → 办公室主任审核 → 分管领导批准 / the three-level review
    ///
    /// 批准绑定所批准的内容（答复结论、理由、答复书正文及所引用的登记信息，存 SHA-256 摘要）：
    /// 之后再作结论、更正或修改模板，答复即“需重新审核”；未经批准不能登记送达答复。
    /// 已批准的年度报告只能由分管领导（或设置允许时办公室主任）说明理由后“撤销批准、重新打开”。
    /// An approval binds the content approved (decision, reason, letter; SHA-256 digest): any
    /// later change puts the reply back to review; a reply is recorded as sent only once
    /// approved; an approved annual report is reopened only by the leader (or the office
    /// head where allowed), with a reason.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// 答复书模板（文书模板）：查看、修改（检查占位符，每次保存为新版本）、历史、恢复 / letter templates
    ///
    /// 与网页“管理 · 文书模板”同一用例：只有办公室主任和管理员可以修改，每次修改记入审计日志。
    /// The same use cases as the /admin/templates pages: office head or admin, audited.
    #[command(subcommand)]
    Template(templates::TemplateCommand),
    /// 审核规则设置（办公室主任或管理员修改）；不带参数时显示 / the review settings
    ReviewSettings(corrections::ReviewSettingsArgs),
    /// 导出台账（XLSX 或 CSV，每件申请一行，与 list 相同的筛选条件，按列模板），或用
    /// --statistics 导出年度统计表（全国统一格式的三张表）；导出记入审计日志 / export the
    /// ledger (XLSX or CSV, the list's filters, a column set) or the year's three tables
    ///
    /// 例：gongkai ledger export --format xlsx --status all --year 2025 --columns 标准 -o 台账.xlsx
    Export(export::ExportArgs),
    /// 主动公开登记（旧写法，同 gongkai publish …）/ the publication register (an alias of
    /// `gongkai publish …`)
    #[command(subcommand, hide = true)]
    Publish(Box<crate::publish::PublishCommand>),
    /// 导出列模板：列出、保存、删除 / the export's column sets
    #[command(subcommand)]
    Columns(export::ColumnsCommand),
    /// 导入已有记录：依申请公开台账（申请及其收到、补正、延期、办理结果、答复）或规章和行政规范性文件
    /// / import an existing ledger sheet or a list of documents (XLSX, CSV)
    ///
    /// 先识别标题行和列（申请人、申请日期/收到日期、申请内容、答复日期、答复类型/办理结果、延期、补正 …，
    /// 也可用 --map 指定），列出将新建的申请、已在台账中的行和不能导入的行（注明行、列和原因），
    /// 然后在一个事务中写入并记入审计日志。同一表格重复导入不会重复新建（以收到日期、申请人和申请内容识别）。
    /// Recognises the headers (or --map), previews what will be created, what is already in
    /// the ledger and every refused row with its reason, then writes in one transaction,
    /// audited. Importing the same sheet twice creates nothing twice.
    Import(import::ImportArgs),
    /// 期初数：上一年度报告的“四、结转下年度继续办理”和现行有效件数（从报告读取或手工录入）；不带选项时显示
    /// / the opening balances from last year's report (or typed); without options: show
    ///
    /// 首个年度台账中没有上年收到的申请时，年度报告的“二、上年结转”取期初数并在说明中注明；
    /// 现行有效件数以期初数为基础加减台账中的文件。
    /// The first year-end uses them where the ledger has no history, and says so.
    Opening(import::OpeningArgs),
    /// 审计日志（谁、何时、做了什么）/ the audit log
    Audit {
        /// 只看这件申请 / one application only
        id: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

/// Runs `gongkai ledger …`.
pub(crate) fn run(args: LedgerArgs, lang: Lang) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")?;
    rt.block_on(run_async(args, lang))
}

/// One run of the command: the service, the named user, how they authenticate and the
/// language.
pub(crate) struct Session {
    pub(crate) service: Service,
    user: Option<String>,
    credentials: auth::Credentials,
    lang: Lang,
}

impl Session {
    pub(crate) fn store(&self) -> &Store {
        self.service.store()
    }

    /// The acting user of a write, authenticated by password or token ([`auth`]); refused
    /// while the user must change the password first (as the web service holds them back).
    pub(crate) async fn actor(&self) -> Result<Actor> {
        let actor =
            auth::authenticate(&self.service, self.user.as_deref(), &self.credentials).await?;
        auth::refuse_if_password_change_due(&actor)?;
        Ok(actor)
    }

    /// The acting user of `user passwd NAME`: one who must change the password may still
    /// set their own.
    async fn actor_setting_password_of(&self, name: &str) -> Result<Actor> {
        let actor =
            auth::authenticate(&self.service, self.user.as_deref(), &self.credentials).await?;
        if actor.name() != name.trim() {
            auth::refuse_if_password_change_due(&actor)?;
        }
        Ok(actor)
    }

    fn en(&self) -> bool {
        matches!(self.lang, Lang::En)
    }
}

/// Opens the store of `conn` in the agency named (or the acting user's first) and makes
/// the session of one run.
pub(crate) async fn open(conn: Connection, lang: Lang) -> Result<Session> {
    let store = Store::open(&conn.db)
        .await
        .with_context(|| format!("无法打开数据库 / cannot open the database {}", conn.db))?;
    let (store, _) = gongkai_service::open_calendar(store, conn.calendar_dir.as_deref())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let service = Service::new(store);
    let agency = match (conn.agency.as_deref(), conn.user.as_deref()) {
        (Some(code), _) => service.agency_by_code(code).await?.id,
        (None, Some(user)) => service
            .my_agencies_of(user.trim())
            .await?
            .first()
            .map_or(gongkai_store::agencies::ROOT, |a| a.id),
        (None, None) => gongkai_store::agencies::ROOT,
    };
    Ok(Session {
        service: service.in_agency(agency),
        user: conn.user,
        credentials: auth::Credentials {
            password_stdin: conn.password_stdin,
            token_stdin: conn.token_stdin,
            token_env: std::env::var("GONGKAI_TOKEN").ok(),
        },
        lang,
    })
}

async fn run_async(args: LedgerArgs, lang: Lang) -> Result<ExitCode> {
    let cx = open(args.conn, lang).await?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let code = match args.command {
        LedgerCommand::Init {
            agency,
            admin,
            password_stdin,
            office,
        } => {
            let office = office.apply(Default::default());
            records::init(&cx, &agency, &admin, &office, password_stdin, &mut out).await
        }
        LedgerCommand::Settings { office, json } => {
            office::settings(&cx, office, json, &mut out).await
        }
        LedgerCommand::User(c) => records::user(&cx, c, &mut out).await,
        LedgerCommand::Platform(c) => platform::platform(&cx, c, &mut out).await,
        LedgerCommand::Apply(a) => applications::apply(&cx, a, &mut out).await,
        LedgerCommand::Event {
            id,
            date,
            note,
            kind,
        } => applications::event(&cx, &id, date, note, kind, &mut out).await,
        LedgerCommand::Correct(a) => corrections::correct(&cx, a, &mut out).await,
        LedgerCommand::Show { id, as_of, json } => {
            applications::show(&cx, &id, as_of, json, &mut out).await
        }
        LedgerCommand::List(a) => applications::list(&cx, a, &mut out).await,
        LedgerCommand::Appeal(c) => records::appeal(&cx, c, &mut out).await,
        LedgerCommand::Proactive(c) => records::proactive(&cx, c, &mut out).await,
        LedgerCommand::YearEnd {
            year,
            as_of,
            output,
            json,
        } => reports::year_end(&cx, year, as_of, output.as_deref(), json, &mut out).await,
        LedgerCommand::Narrative(c) => narrative::narrative(&cx, c, &mut out).await,
        LedgerCommand::Review(c) => reports::review(&cx, c, &mut out).await,
        LedgerCommand::Template(c) => templates::template(&cx, c, &mut out).await,
        LedgerCommand::ReviewSettings(a) => corrections::review_settings(&cx, a, &mut out).await,
        LedgerCommand::Export(a) => export::export(&cx, a, &mut out).await,
        LedgerCommand::Publish(c) => crate::publish::dispatch(&cx, *c, &mut out).await,
        LedgerCommand::Columns(c) => export::columns(&cx, c, &mut out).await,
        LedgerCommand::Import(a) => import::import(&cx, a, &mut out).await,
        LedgerCommand::Opening(a) => import::opening(&cx, a, &mut out).await,
        LedgerCommand::Audit { id, limit, json } => {
            reports::audit(&cx, id.as_deref(), limit, json, &mut out).await
        }
    };
    cx.store().close().await;
    code.map_err(error_message)
}

/// Errors carry their Chinese message; the stable code goes in brackets.
pub(crate) fn error_message(e: anyhow::Error) -> anyhow::Error {
    if let Some(se) = e.downcast_ref::<ServiceError>() {
        return anyhow!("{se} [{}]", se.code());
    }
    match e.downcast_ref::<StoreError>() {
        Some(se) => anyhow!("{se} [{}]", se.code()),
        None => e,
    }
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .context("无法从标准输入读取密码 / cannot read the password")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
    } else {
        Ok((gongkai_store::auth::random_password()?, true))
    }
}
