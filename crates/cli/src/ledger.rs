//! `gongkai ledger …`: the disclosure ledger (依申请公开台账) from the command line, on the
//! store of `--db` (SQLite file `gongkai.db` in the current directory by default, created on
//! first use; or `postgres://…`).
//!
//! Writes name the acting user with `--user` (or `GONGKAI_USER`); the store checks that the
//! user exists, is active and has the role the change needs, and records every change in
//! the audit log. The command line trusts the name: whoever can open the database file (or
//! has the PostgreSQL credentials) can change it anyway; passwords protect the web service.
//! Dates are `YYYY-MM-DD`; "today" is the date in Beijing.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_check::{Lang, Severity};
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::{
    AppealCase, AppealConclusion, AppealKind, AppealResult, Applicant, ApplicantKind, Application,
    ApplicationId, ApplicationState, CaseRole, Channel, ConsultationKind, Contact, Decision,
    DecisionArea, DecisionCount, Delivery, DocumentKind, DocumentRecord, Event, EventKind,
    FeeBasis, FeeIncome, IdDocument, Identity, InformationForm, InformationRequest, ProactiveData,
    ReplyMethod, YearEndOptions, fees,
};
use gongkai_store::model::china_offset;
use gongkai_store::{
    AuditQuery, EventInput, NewApplication, NewUser, Review, ReviewAction, ReviewSubject, Role,
    Stamp, Store, StoreError,
};
use rust_decimal::Decimal;

#[derive(Debug, Args)]
pub(crate) struct LedgerArgs {
    /// 数据库地址：sqlite://文件 或 postgres://… / database URL
    #[arg(
        long,
        global = true,
        env = "GONGKAI_DB",
        default_value = "sqlite://gongkai.db"
    )]
    db: String,
    /// 操作人（用户名）/ the acting user
    #[arg(long, short = 'u', global = true, env = "GONGKAI_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: LedgerCommand,
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
    },
    /// 用户管理 / users
    #[command(subcommand)]
    User(UserCommand),
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
    /// 查看一件申请：事项、状态、答复期限及其计算 / show an application
    Show {
        id: String,
        /// 状态的日期（默认今天）/ the date of the state (default today)
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// 列出申请（按答复期限排序，超期标出）/ list applications by deadline
    List {
        /// 只列未办结的 / open applications only
        #[arg(long)]
        open: bool,
        /// 只列答复期限在 N 个自然日内（含已超期）的 / due within N calendar days
        #[arg(long, value_name = "DAYS")]
        due_within: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// 行政复议、行政诉讼案件 / reconsideration and litigation cases
    #[command(subcommand)]
    Appeal(AppealCommand),
    /// 主动公开数据（第二部分）/ proactive-disclosure records (section 二)
    #[command(subcommand)]
    Proactive(ProactiveCommand),
    /// 计算年度报告（第二、三、四部分）并检查 / compute the year-end report and check it
    ///
    /// 退出码 / exit status: 0 无错误 no errors, 1 检查发现错误 the checks found errors.
    YearEnd {
        year: i32,
        /// 统计截止日期（默认今天与年末中较早者）/ compute as of this date
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// 报告 JSON 输出文件（可用 gongkai render 生成文档）/ write the report JSON here
        #[arg(short, long)]
        output: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 三级审核：信息员提交 → 办公室主任审核 → 分管领导批准 / the three-level review
    #[command(subcommand)]
    Review(ReviewCommand),
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

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// 添加用户（管理员）/ add a user (admin)
    Add {
        name: String,
        /// clerk 信息员 | office_head 办公室主任 | leader 分管领导 | admin 管理员
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// 姓名 / display name
        #[arg(long)]
        display_name: Option<String>,
        /// 从标准输入读取密码（否则随机生成并显示一次）/ read the password from stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// 列出用户 / list users
    List,
    /// 修改密码（本人或管理员）/ set a password
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// 停用用户（管理员）/ disable a user
    Disable { name: String },
    /// 启用用户（管理员）/ enable a user
    Enable { name: String },
}

#[derive(Debug, Args)]
struct ApplyArgs {
    /// 申请编号（默认按收到年份自动编号，如 2025-0001）/ id (default: next YYYY-NNNN)
    #[arg(long)]
    id: Option<String>,
    /// 申请人类型：natural-person 自然人 | commercial 商业企业 | research 科研机构 |
    /// social-welfare 社会公益组织 | legal-service 法律服务机构 | other-org 其他
    #[arg(long, value_parser = parse_applicant_kind)]
    applicant_type: ApplicantKind,
    /// 申请人姓名或名称 / applicant's name
    #[arg(long)]
    name: String,
    /// 身份证件号码或统一社会信用代码 / identity number
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// 提交渠道 / channel
    #[arg(long, value_enum, default_value_t = ChannelArg::InPerson)]
    channel: ChannelArg,
    /// 平常信函到达、网上提交或传真发出的日期（默认同收到日期）/ arrival, submission or sending date
    #[arg(long, value_parser = parse_date)]
    arrived: Option<NaiveDate>,
    /// 收到申请的日期（条例第三十一条）/ legal receipt date
    #[arg(long, value_parser = parse_date)]
    received: NaiveDate,
    /// 所需政府信息的名称、文号或特征性描述 / the information asked for
    #[arg(long)]
    request: String,
    /// 文号 / document number
    #[arg(long)]
    document_number: Option<String>,
    #[arg(long, value_enum, default_value_t = FormArg::Paper)]
    form: FormArg,
    #[arg(long, value_enum, default_value_t = DeliveryArg::Post)]
    delivery: DeliveryArg,
    /// 按件收费时本申请计几件（一事一申请）/ fee units
    #[arg(long, default_value_t = 1)]
    units: u32,
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ChannelArg {
    /// 当面提交
    InPerson,
    /// 口头提出、代为填写
    Oral,
    /// 邮寄（需签收）
    Post,
    /// 平常信函
    Mail,
    /// 互联网渠道
    Online,
    /// 传真
    Fax,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormArg {
    Paper,
    Electronic,
    Inspection,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DeliveryArg {
    Collect,
    Post,
    Email,
    Online,
    Fax,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MethodArg {
    InPerson,
    Post,
    Email,
    Online,
    Fax,
}

#[derive(Debug, Subcommand)]
enum EventCommand {
    /// 告知补正（条例第三十条）/ correction requested
    CorrectionRequested {
        /// 需要补正的事项 / what to correct
        #[arg(long)]
        items: String,
        /// 补正期限 / deadline for the correction
        #[arg(long, value_parser = parse_date)]
        due: NaiveDate,
    },
    /// 收到补正后的申请 / corrected application received
    Corrected,
    /// 逾期未补正（视为放弃）/ not corrected in time
    NotCorrected,
    /// 征求第三方或共同制作机关意见（条例第三十二、三十四条）/ consultation sent
    Consultation {
        /// 征求意见对象 / consulted party
        #[arg(long)]
        party: String,
        /// 征求共同制作机关意见（默认第三方）/ a co-producing organ (default: third party)
        #[arg(long)]
        co_producer: bool,
    },
    /// 收到征求意见的答复 / consultation answered
    ConsultationAnswered {
        /// 征求意见事项的序号 / seq of the consultation event
        #[arg(long)]
        consultation: u32,
        /// 是否同意公开 / whether the party consents
        #[arg(long)]
        consents: Option<bool>,
    },
    /// 延长答复期限（条例第三十三条）/ extension
    Extension {
        /// 延长的工作日数（不超过20）/ working days
        #[arg(long)]
        days: u32,
        /// 批准人 / approved by
        #[arg(long)]
        approved_by: String,
        /// 告知申请人的日期（默认同事项日期）/ applicant told on
        #[arg(long, value_parser = parse_date)]
        notified: Option<NaiveDate>,
    },
    /// 发出收费通知 / fee notice sent
    FeeNotice {
        /// 按量收费：页数 / per volume: pages
        #[arg(long, conflicts_with = "units")]
        pages: Option<u32>,
        /// 按件收费：本申请计几件 / per application: units
        #[arg(long)]
        units: Option<u32>,
        /// 按件收费：申请人本月此前的件数（默认按台账计算）/ earlier units this month
        #[arg(long)]
        earlier: Option<u32>,
        /// 金额（元，默认按收费办法计算）/ amount in yuan
        #[arg(long)]
        amount: Option<Decimal>,
        /// 申请人收到通知的日期 / when the applicant received the notice
        #[arg(long, value_parser = parse_date)]
        applicant_received: Option<NaiveDate>,
    },
    /// 缴纳信息处理费 / fee paid
    FeePaid {
        /// 金额（元，默认为通知金额）/ amount in yuan (default: the notice's)
        #[arg(long)]
        amount: Option<Decimal>,
    },
    /// 逾期未缴费（视为放弃）/ fee not paid in time
    FeeNotPaid,
    /// 确定延迟答复期限（条例第三十五条）/ delayed reply fixed by notice
    DelayNotice {
        #[arg(long, value_parser = parse_date)]
        deadline: NaiveDate,
        #[arg(long)]
        reason: String,
    },
    /// 作出答复结论：表三的行，如 granted、partially_granted、unable_not_held / decision
    Decision {
        /// 行代码或中文名称 / the row key of table 三 or its Chinese name
        #[arg(value_parser = parse_decision)]
        decision: Decision,
    },
    /// 送达答复 / reply sent
    ReplySent {
        #[arg(long, value_enum, default_value_t = MethodArg::Post)]
        method: MethodArg,
    },
    /// 申请人撤回申请 / withdrawn
    Withdrawn {
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AppealCommand {
    /// 登记案件 / add a case
    Add {
        /// 案件编号 / case id
        #[arg(long)]
        id: String,
        #[arg(long, value_enum)]
        kind: AppealKindArg,
        /// 申请复议或起诉的日期 / filed on
        #[arg(long, value_parser = parse_date)]
        filed: NaiveDate,
        /// 相关申请编号 / the application concerned
        #[arg(long)]
        application: Option<String>,
        /// 复议机关或法院 / reconsideration organ or court
        #[arg(long)]
        body: Option<String>,
        /// 案号 / case number
        #[arg(long)]
        case_number: Option<String>,
        /// 本机关仅作为复议机关共同被告（不计入）/ only co-defendant as reconsideration organ
        #[arg(long)]
        as_reconsideration_organ: bool,
    },
    /// 登记结果 / record the result
    Conclude {
        id: String,
        #[arg(long, value_enum)]
        result: AppealResultArg,
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
    },
    /// 列出案件 / list cases
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AppealKindArg {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼（未经复议直接起诉）
    Litigation,
    /// 行政诉讼（复议后起诉）
    LitigationAfterReconsideration,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AppealResultArg {
    /// 结果维持
    Upheld,
    /// 结果纠正
    Corrected,
    /// 其他结果
    Other,
}

#[derive(Debug, Subcommand)]
enum ProactiveCommand {
    /// 添加或替换一条记录 / add or replace a record
    Set {
        /// 记录编号 / record id
        id: String,
        #[command(subcommand)]
        data: ProactiveData0,
    },
    /// 列出记录 / list records
    List,
}

#[derive(Debug, Subcommand)]
enum ProactiveData0 {
    /// 规章或行政规范性文件 / a rule or normative document
    Document {
        #[arg(long, value_enum)]
        kind: DocumentKindArg,
        #[arg(long)]
        title: String,
        #[arg(long)]
        number: Option<String>,
        #[arg(long, value_parser = parse_date)]
        issued: NaiveDate,
        #[arg(long, value_parser = parse_date)]
        repealed: Option<NaiveDate>,
    },
    /// 一段期间内的行政许可、处罚、强制决定数 / decisions in a period
    Decisions {
        #[arg(long, value_enum)]
        area: AreaArg,
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date)]
        to: NaiveDate,
        #[arg(long)]
        count: u64,
    },
    /// 一段期间内的行政事业性收费（元）/ administrative fees in a period (yuan)
    Fees {
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_date)]
        to: NaiveDate,
        #[arg(long)]
        yuan: Decimal,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DocumentKindArg {
    /// 规章
    Regulation,
    /// 行政规范性文件
    Normative,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AreaArg {
    Licensing,
    Penalty,
    Coercion,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SubjectKind {
    /// 答复（申请编号）/ a reply (application id)
    Reply,
    /// 年度报告（年份）/ the annual report (year)
    Report,
}

#[derive(Debug, Args)]
struct SubjectArgs {
    #[arg(value_enum)]
    kind: SubjectKind,
    /// 申请编号或年份 / application id or year
    id: String,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// 提交审核（信息员）/ submit for review
    Submit {
        #[command(flatten)]
        subject: SubjectArgs,
        #[arg(long)]
        note: Option<String>,
    },
    /// 审核通过（办公室主任）或批准（分管领导）/ approve at the level that is due
    Approve {
        #[command(flatten)]
        subject: SubjectArgs,
        #[arg(long)]
        note: Option<String>,
    },
    /// 退回，须说明理由 / send back with a reason
    SendBack {
        #[command(flatten)]
        subject: SubjectArgs,
        #[arg(long)]
        reason: String,
    },
    /// 查看审核记录 / show a review
    Show {
        #[command(flatten)]
        subject: SubjectArgs,
    },
    /// 列出审核 / list reviews
    List,
}

// ---- argument parsers ------------------------------------------------------------------------

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y年%m月%d日"))
        .map_err(|_| format!("日期“{s}”无效，应为 YYYY-MM-DD / invalid date"))
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.replace('-', "_").parse()
}

fn parse_applicant_kind(s: &str) -> Result<ApplicantKind, String> {
    let k = match s.trim() {
        "natural-person" | "natural_person" | "自然人" => ApplicantKind::NaturalPerson,
        "commercial" | "商业企业" => ApplicantKind::Commercial,
        "research" | "科研机构" => ApplicantKind::Research,
        "social-welfare" | "social_welfare" | "社会公益组织" => ApplicantKind::SocialWelfare,
        "legal-service" | "legal_service" | "法律服务机构" => ApplicantKind::LegalService,
        "other-org" | "other_org" | "other" | "其他" | "其他组织" => {
            ApplicantKind::OtherOrganisation
        }
        _ => {
            return Err(format!(
                "未知的申请人类型“{s}”：natural-person、commercial、research、social-welfare、legal-service、other-org"
            ));
        }
    };
    Ok(k)
}

fn parse_decision(s: &str) -> Result<Decision, String> {
    let t = s.trim();
    Decision::from_row_key(&t.replace('-', "_"))
        .or_else(|| Decision::ALL.into_iter().find(|d| d.label_zh() == t))
        .ok_or_else(|| {
            let keys: Vec<&str> = Decision::ALL.iter().map(|d| d.row_key()).collect();
            format!("未知的答复结论“{s}”，可用：{}", keys.join("、"))
        })
}

// ---- running --------------------------------------------------------------------------------

/// Runs `gongkai ledger …`.
pub(crate) fn run(args: LedgerArgs, lang: Lang) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")?;
    rt.block_on(run_async(args, lang))
}

struct Ctx {
    store: Store,
    user: Option<String>,
    lang: Lang,
}

impl Ctx {
    /// The acting user's stamp, now.
    fn stamp(&self) -> Result<Stamp> {
        match &self.user {
            Some(u) if !u.trim().is_empty() => Ok(Stamp::now(u.trim())),
            _ => bail!(
                "请用 --user 指明操作人（或设置环境变量 GONGKAI_USER）/ name the acting user with --user"
            ),
        }
    }

    fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&china_offset()).date_naive()
    }

    fn en(&self) -> bool {
        matches!(self.lang, Lang::En)
    }
}

async fn run_async(args: LedgerArgs, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(&args.db)
        .await
        .with_context(|| format!("无法打开数据库 / cannot open the database {}", args.db))?;
    let cx = Ctx {
        store,
        user: args.user,
        lang,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let code = match args.command {
        LedgerCommand::Init {
            agency,
            admin,
            password_stdin,
        } => cmd_init(&cx, &agency, &admin, password_stdin, &mut out).await,
        LedgerCommand::User(c) => cmd_user(&cx, c, &mut out).await,
        LedgerCommand::Apply(a) => cmd_apply(&cx, a, &mut out).await,
        LedgerCommand::Event {
            id,
            date,
            note,
            kind,
        } => cmd_event(&cx, &id, date, note, kind, &mut out).await,
        LedgerCommand::Show { id, as_of, json } => cmd_show(&cx, &id, as_of, json, &mut out).await,
        LedgerCommand::List {
            open,
            due_within,
            json,
        } => cmd_list(&cx, open, due_within, json, &mut out).await,
        LedgerCommand::Appeal(c) => cmd_appeal(&cx, c, &mut out).await,
        LedgerCommand::Proactive(c) => cmd_proactive(&cx, c, &mut out).await,
        LedgerCommand::YearEnd {
            year,
            as_of,
            output,
            json,
        } => cmd_year_end(&cx, year, as_of, output.as_deref(), json, &mut out).await,
        LedgerCommand::Review(c) => cmd_review(&cx, c, &mut out).await,
        LedgerCommand::Audit { id, limit, json } => {
            cmd_audit(&cx, id.as_deref(), limit, json, &mut out).await
        }
    };
    cx.store.close().await;
    code.map_err(store_error)
}

/// Store errors carry their Chinese message; the stable code goes in brackets.
fn store_error(e: anyhow::Error) -> anyhow::Error {
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

async fn cmd_init(
    cx: &Ctx,
    agency: &str,
    admin: &str,
    password_stdin: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let (password, generated) = read_password(password_stdin)?;
    let user = cx
        .store
        .init(
            agency,
            &NewUser {
                name: admin.into(),
                display_name: None,
                role: Role::Admin,
                password: password.clone(),
            },
            Utc::now(),
        )
        .await?;
    if cx.en() {
        writeln!(
            out,
            "Ledger created for {agency}; admin user: {}",
            user.name
        )?;
    } else {
        writeln!(out, "已初始化台账：{agency}；管理员：{}", user.name)?;
    }
    if generated {
        writeln!(
            out,
            "管理员初始密码（只显示这一次）/ initial password (shown once): {password}"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn cmd_user(cx: &Ctx, c: UserCommand, out: &mut impl Write) -> Result<ExitCode> {
    match c {
        UserCommand::Add {
            name,
            role,
            display_name,
            password_stdin,
        } => {
            let stamp = cx.stamp()?;
            let (password, generated) = read_password(password_stdin)?;
            let u = cx
                .store
                .add_user(
                    &NewUser {
                        name,
                        display_name,
                        role,
                        password: password.clone(),
                    },
                    &stamp,
                )
                .await?;
            writeln!(
                out,
                "已添加用户 / added: {}（{}）",
                u.name,
                u.role.label_zh()
            )?;
            if generated {
                writeln!(
                    out,
                    "初始密码（只显示这一次）/ initial password: {password}"
                )?;
            }
        }
        UserCommand::List => {
            for u in cx.store.users().await? {
                writeln!(
                    out,
                    "{:<12} {:<6} {:<10} {}",
                    u.name,
                    u.role.label_zh(),
                    u.display_name.as_deref().unwrap_or("-"),
                    if u.active { "" } else { "（已停用）" }
                )?;
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let stamp = cx.stamp()?;
            let (password, generated) = read_password(password_stdin)?;
            cx.store.set_password(&name, &password, &stamp).await?;
            writeln!(out, "已修改密码 / password set: {name}")?;
            if generated {
                writeln!(out, "新密码（只显示这一次）/ new password: {password}")?;
            }
        }
        UserCommand::Disable { name } => {
            cx.store.set_user_active(&name, false, &cx.stamp()?).await?;
            writeln!(out, "已停用 / disabled: {name}")?;
        }
        UserCommand::Enable { name } => {
            cx.store.set_user_active(&name, true, &cx.stamp()?).await?;
            writeln!(out, "已启用 / enabled: {name}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn cmd_apply(cx: &Ctx, a: ApplyArgs, out: &mut impl Write) -> Result<ExitCode> {
    let stamp = cx.stamp()?;
    let arrived = a.arrived.unwrap_or(a.received);
    let channel = match a.channel {
        ChannelArg::InPerson => Channel::InPerson { oral: false },
        ChannelArg::Oral => Channel::InPerson { oral: true },
        ChannelArg::Post => Channel::PostWithSignature,
        ChannelArg::Mail => Channel::OrdinaryMail {
            arrived_on: arrived,
        },
        ChannelArg::Online => Channel::Online {
            submitted_on: arrived,
        },
        ChannelArg::Fax => Channel::Fax { sent_on: arrived },
    };
    let identity = a.id_number.map(|number| Identity {
        document: if a.applicant_type == ApplicantKind::NaturalPerson {
            IdDocument::ResidentIdCard
        } else {
            IdDocument::UnifiedSocialCreditCode
        },
        number,
    });
    let new = NewApplication {
        id: a.id.map(ApplicationId),
        applicant: Applicant {
            kind: a.applicant_type,
            name: a.name,
            identity,
            contact: Contact {
                phone: a.phone,
                email: a.email,
                address: a.address,
                postcode: None,
            },
            representative: None,
        },
        request: InformationRequest {
            description: a.request,
            document_number: a.document_number,
            form: match a.form {
                FormArg::Paper => InformationForm::Paper,
                FormArg::Electronic => InformationForm::Electronic,
                FormArg::Inspection => InformationForm::Inspection,
            },
            delivery: match a.delivery {
                DeliveryArg::Collect => Delivery::Collect,
                DeliveryArg::Post => Delivery::Post,
                DeliveryArg::Email => Delivery::Email,
                DeliveryArg::Online => Delivery::Online,
                DeliveryArg::Fax => Delivery::Fax,
            },
            fee_units: a.units.max(1),
        },
        received: Some(EventInput {
            date: a.received,
            kind: EventKind::Received { channel },
            note: a.note,
        }),
    };
    let app = cx.store.register_application(new, &stamp).await?;
    let st = state(cx, &app, cx.today()).await?;
    if cx.en() {
        writeln!(out, "Registered application {}", app.id)?;
    } else {
        writeln!(out, "已登记申请 {}（{}）", app.id, app.applicant.name)?;
    }
    write_deadline_line(cx, &st, out)?;
    write_notices(&st, out)?;
    Ok(ExitCode::SUCCESS)
}

async fn state(cx: &Ctx, app: &Application, date: NaiveDate) -> Result<ApplicationState> {
    let settings = cx.store.settings().await?;
    Ok(app.state_at(date, cx.store.calendar(), settings))
}

fn write_deadline_line(cx: &Ctx, st: &ApplicationState, out: &mut impl Write) -> Result<()> {
    match st.deadline() {
        Some(d) if st.is_open() => {
            let label = if cx.en() {
                "Reply deadline"
            } else {
                "答复期限"
            };
            writeln!(out, "{label}：{}", date_zh(d))?;
        }
        _ => {}
    }
    Ok(())
}

fn write_notices(st: &ApplicationState, out: &mut impl Write) -> Result<()> {
    for n in &st.notices {
        writeln!(out, "提醒：{n}")?;
    }
    Ok(())
}

async fn cmd_event(
    cx: &Ctx,
    id: &str,
    date: Option<NaiveDate>,
    note: Option<String>,
    kind: EventCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let stamp = cx.stamp()?;
    let id = ApplicationId(id.trim().to_string());
    let date = date.unwrap_or_else(|| cx.today());
    let kind = match kind {
        EventCommand::CorrectionRequested { items, due } => {
            EventKind::CorrectionRequested { items, due }
        }
        EventCommand::Corrected => EventKind::Corrected,
        EventCommand::NotCorrected => EventKind::NotCorrected,
        EventCommand::Consultation { party, co_producer } => EventKind::ConsultationSent {
            consultation: if co_producer {
                ConsultationKind::CoProducer
            } else {
                ConsultationKind::ThirdParty
            },
            party,
        },
        EventCommand::ConsultationAnswered {
            consultation,
            consents,
        } => EventKind::ConsultationAnswered {
            consultation_seq: consultation,
            consents,
        },
        EventCommand::Extension {
            days,
            approved_by,
            notified,
        } => EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on: notified.unwrap_or(date),
        },
        EventCommand::FeeNotice {
            pages,
            units,
            earlier,
            amount,
            applicant_received,
        } => {
            let basis = match (pages, units) {
                (Some(pages), _) => FeeBasis::PerVolume { pages },
                (None, units) => {
                    let units = match units {
                        Some(u) => u,
                        None => cx.store.application(&id).await?.request.fee_units.max(1),
                    };
                    let earlier_units = match earlier {
                        Some(e) => e,
                        None => cx.store.earlier_units_in_month(&id).await?,
                    };
                    FeeBasis::PerApplication {
                        units,
                        earlier_units,
                    }
                }
            };
            EventKind::FeeNoticeSent {
                basis,
                amount: amount.unwrap_or_else(|| fees::quote(basis).total),
                received_by_applicant_on: applicant_received,
            }
        }
        EventCommand::FeePaid { amount } => {
            let amount = match amount {
                Some(a) => a,
                None => {
                    let app = cx.store.application(&id).await?;
                    state(cx, &app, date)
                        .await?
                        .fee
                        .map(|f| f.amount)
                        .unwrap_or(Decimal::ZERO)
                }
            };
            EventKind::FeePaid { amount }
        }
        EventCommand::FeeNotPaid => EventKind::FeeNotPaid,
        EventCommand::DelayNotice { deadline, reason } => {
            EventKind::DelayedReplyNotice { deadline, reason }
        }
        EventCommand::Decision { decision } => EventKind::Decided { decision },
        EventCommand::ReplySent { method } => EventKind::ReplySent {
            method: match method {
                MethodArg::InPerson => ReplyMethod::InPerson,
                MethodArg::Post => ReplyMethod::Post,
                MethodArg::Email => ReplyMethod::Email,
                MethodArg::Online => ReplyMethod::Online,
                MethodArg::Fax => ReplyMethod::Fax,
            },
        },
        EventCommand::Withdrawn { reason } => EventKind::Withdrawn { reason },
    };
    let before = {
        let app = cx.store.application(&id).await?;
        state(cx, &app, cx.today()).await?.notices
    };
    let e = cx
        .store
        .append_event(&id, EventInput { date, kind, note }, &stamp)
        .await?;
    let app = cx.store.application(&id).await?;
    let st = state(cx, &app, cx.today()).await?;
    if cx.en() {
        writeln!(out, "Recorded event #{} of {id}", e.seq)?;
    } else {
        writeln!(
            out,
            "已登记：申请 {id} 第 {} 项 {}（{}）",
            e.seq,
            e.kind.event_type().label_zh(),
            date_zh(e.date)
        )?;
    }
    writeln!(
        out,
        "{}：{}",
        if cx.en() { "Stage" } else { "状态" },
        stage_text(&st)
    )?;
    write_deadline_line(cx, &st, out)?;
    for n in st.notices.iter().filter(|n| !before.contains(n)) {
        writeln!(out, "提醒：{n}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stage_text(st: &ApplicationState) -> String {
    match (st.closure, st.decision) {
        (Some(c), Some(d)) => format!("{}（{c}，{}）", st.stage.label_zh(), d.label_zh()),
        (None, Some(d)) => format!("{}（{}）", st.stage.label_zh(), d.label_zh()),
        _ => st.stage.label_zh().to_string(),
    }
}

fn time_cn(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// One line about an event's content, e.g. `延长答复期限 20 个工作日（zhu 批准，2025年4月2日告知申请人）`.
fn describe(e: &Event) -> String {
    let label = e.kind.event_type().label_zh();
    match &e.kind {
        EventKind::Received { channel } => format!("{label}（{}）", channel.label_zh()),
        EventKind::CorrectionRequested { items, due } => {
            format!("{label}：{items}；补正期限 {}", date_zh(*due))
        }
        EventKind::ConsultationSent {
            consultation,
            party,
        } => {
            let party: String = party.chars().take(40).collect();
            format!(
                "{}（{}）：{party}",
                consultation.label_zh(),
                consultation.article_zh()
            )
        }
        EventKind::ConsultationAnswered {
            consultation_seq,
            consents,
        } => {
            let answer = match consents {
                Some(true) => "，同意公开",
                Some(false) => "，不同意公开",
                None => "",
            };
            format!("{label}（第 {consultation_seq} 项）{answer}")
        }
        EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on,
        } => format!(
            "{label} {days} 个工作日（{approved_by} 批准，{} 告知申请人）",
            date_zh(*applicant_notified_on)
        ),
        EventKind::FeeNoticeSent { amount, .. } => format!("{label}：{amount} 元"),
        EventKind::FeePaid { amount } => format!("{label}：{amount} 元"),
        EventKind::DelayedReplyNotice { deadline, reason } => {
            format!("{label}：{}（{reason}）", date_zh(*deadline))
        }
        EventKind::Decided { decision } => {
            format!("{label}：{}（{}）", decision.label_zh(), decision.article())
        }
        EventKind::Withdrawn { reason: Some(r) } => format!("{label}：{r}"),
        _ => label.to_string(),
    }
}

async fn cmd_show(
    cx: &Ctx,
    id: &str,
    as_of: Option<NaiveDate>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let id = ApplicationId(id.trim().to_string());
    let app = cx.store.application(&id).await?;
    let date = as_of.unwrap_or_else(|| cx.today());
    let st = state(cx, &app, date).await?;
    let review = cx
        .store
        .review(&ReviewSubject::Reply {
            application: id.clone(),
        })
        .await?;
    if json {
        let v = serde_json::json!({ "application": app, "state": st, "review": review });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let en = cx.en();
    let a = &app.applicant;
    writeln!(
        out,
        "{} {}",
        if en { "Application" } else { "申请" },
        app.id
    )?;
    writeln!(
        out,
        "{}：{}（{}）",
        if en { "Applicant" } else { "申请人" },
        a.name,
        a.kind.label_zh()
    )?;
    if let Some(i) = &a.identity {
        writeln!(
            out,
            "{}：{}",
            if en { "Identity" } else { "证件" },
            i.number
        )?;
    }
    let contact: Vec<&str> = [&a.contact.phone, &a.contact.email, &a.contact.address]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !contact.is_empty() {
        writeln!(
            out,
            "{}：{}",
            if en { "Contact" } else { "联系方式" },
            contact.join("；")
        )?;
    }
    writeln!(
        out,
        "{}：{}",
        if en { "Request" } else { "所需信息" },
        app.request.description
    )?;
    if let Some(c) = &st.channel {
        writeln!(
            out,
            "{}：{}（{}）",
            if en { "Channel" } else { "渠道" },
            c.label_zh(),
            c.receipt_rule_zh()
        )?;
    }
    writeln!(
        out,
        "{}（{} {}）：{}",
        if en { "Stage" } else { "状态" },
        if en { "as of" } else { "截至" },
        date_zh(date),
        stage_text(&st)
    )?;
    if st.is_overdue() {
        writeln!(
            out,
            "⚠ {}",
            if en {
                "OVERDUE"
            } else {
                "已超过答复期限"
            }
        )?;
    }
    if let Some(clock) = &st.clock {
        write!(out, "{}", clock.explain_zh())?;
    } else if let Some(c) = &st.correction
        && c.corrected_on.is_none()
        && !c.lapsed
    {
        writeln!(
            out,
            "答复期限：补正期间不计算（补正期限 {}，收到补正后重新计算）",
            date_zh(c.due)
        )?;
    }
    write_notices(&st, out)?;
    for bad in &st.invalid_events {
        writeln!(out, "无效事项：第 {} 项：{}", bad.seq, bad.message)?;
    }
    writeln!(out, "{}：", if en { "Events" } else { "办理事项" })?;
    for e in &app.events {
        writeln!(
            out,
            "  #{:<2} {}  {}",
            e.seq,
            e.date.format("%Y-%m-%d"),
            describe(e)
        )?;
        let by = e.recorded_by.as_deref().unwrap_or("-");
        let mut meta = format!("登记：{by} {}", time_cn(e.recorded_at));
        if let Some(n) = &e.note {
            meta.push_str(&format!("；备注：{n}"));
        }
        writeln!(out, "       {meta}")?;
    }
    write_review(cx, &review, out)?;
    Ok(ExitCode::SUCCESS)
}

fn write_review(cx: &Ctx, r: &Review, out: &mut impl Write) -> Result<()> {
    let status = if cx.en() {
        r.status.label_en()
    } else {
        r.status.label_zh()
    };
    writeln!(out, "{}：{status}", if cx.en() { "Review" } else { "审核" })?;
    for s in &r.steps {
        let note = s
            .note
            .as_deref()
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {}（{}）{}{note}",
            time_cn(s.at),
            s.actor,
            s.actor_role.label_zh(),
            s.action.label_zh()
        )?;
    }
    Ok(())
}

async fn cmd_list(
    cx: &Ctx,
    open_only: bool,
    due_within: Option<u32>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let today = cx.today();
    let settings = cx.store.settings().await?;
    let limit = due_within.map(|n| today + chrono::Duration::days(i64::from(n)));
    let mut rows: Vec<(Application, ApplicationState)> = Vec::new();
    for app in cx.store.applications().await? {
        let st = app.state_at(today, cx.store.calendar(), settings);
        if open_only && !st.is_open() {
            continue;
        }
        if let Some(limit) = limit
            && !(st.is_open() && st.deadline().is_some_and(|d| d <= limit))
        {
            continue;
        }
        rows.push((app, st));
    }
    // Open ones by deadline (none last), then closed ones; ties by id.
    rows.sort_by(|(a, x), (b, y)| {
        let key = |s: &ApplicationState| (!s.is_open(), s.deadline().is_none(), s.deadline());
        key(x).cmp(&key(y)).then_with(|| a.id.cmp(&b.id))
    });
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(a, s)| {
                serde_json::json!({
                    "id": a.id,
                    "applicant": a.applicant.name,
                    "received_on": s.received_on,
                    "stage": s.stage,
                    "decision": s.decision,
                    "deadline": s.deadline(),
                    "overdue": s.is_overdue(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "{}",
            if cx.en() {
                "No applications."
            } else {
                "没有符合条件的申请。"
            }
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{}",
        if cx.en() {
            "id          received    deadline    stage / applicant"
        } else {
            "编号        收到日期    答复期限    状态 / 申请人"
        }
    )?;
    for (a, s) in &rows {
        let received = s
            .received_on
            .map_or("-".to_string(), |d| d.format("%Y-%m-%d").to_string());
        let deadline = match s.deadline() {
            Some(d) if s.is_open() => d.format("%Y-%m-%d").to_string(),
            _ => "-".into(),
        };
        let mark = if s.is_overdue() {
            let days = s.deadline().map_or(0, |d| (today - d).num_days());
            if cx.en() {
                format!("  ⚠ OVERDUE by {days} days")
            } else {
                format!("  ⚠ 已超期 {days} 天")
            }
        } else if s.is_open()
            && let Some(d) = s.deadline()
        {
            let days = (d - today).num_days();
            if cx.en() {
                format!("  ({days} days left)")
            } else {
                format!("  （还有 {days} 天）")
            }
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<11} {received}  {deadline:<10}  {} / {}{mark}",
            a.id.0,
            stage_text(s),
            a.applicant.name
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn cmd_appeal(cx: &Ctx, c: AppealCommand, out: &mut impl Write) -> Result<ExitCode> {
    match c {
        AppealCommand::Add {
            id,
            kind,
            filed,
            application,
            body,
            case_number,
            as_reconsideration_organ,
        } => {
            let stamp = cx.stamp()?;
            let case = AppealCase {
                id,
                kind: match kind {
                    AppealKindArg::Reconsideration => AppealKind::Reconsideration,
                    AppealKindArg::Litigation => AppealKind::LitigationDirect,
                    AppealKindArg::LitigationAfterReconsideration => {
                        AppealKind::LitigationAfterReconsideration
                    }
                },
                filed_on: filed,
                application: application.map(ApplicationId),
                role: if as_reconsideration_organ {
                    CaseRole::ReconsiderationOrgan
                } else {
                    CaseRole::OriginalActor
                },
                body,
                case_number,
                conclusion: None,
                recorded_at: stamp.at,
                recorded_by: Some(stamp.user.clone()),
            };
            let c = cx.store.add_appeal(case, &stamp).await?;
            writeln!(out, "已登记案件 {}（{}）", c.id, c.kind.label_zh())?;
        }
        AppealCommand::Conclude { id, result, date } => {
            let stamp = cx.stamp()?;
            let mut case = cx
                .store
                .appeal(&id)
                .await?
                .ok_or_else(|| anyhow!("找不到案件 {id} / no such case"))?;
            case.conclusion = Some(AppealConclusion {
                result: match result {
                    AppealResultArg::Upheld => AppealResult::Upheld,
                    AppealResultArg::Corrected => AppealResult::Corrected,
                    AppealResultArg::Other => AppealResult::Other,
                },
                decided_on: date,
            });
            let c = cx.store.update_appeal(case, &stamp).await?;
            writeln!(out, "已登记案件 {} 的结果（{}）", c.id, date_zh(date))?;
        }
        AppealCommand::List => {
            let today = cx.today();
            for c in cx.store.appeals().await? {
                let status = match c.status_at(today) {
                    gongkai_ledger::AppealStatus::Upheld => "结果维持",
                    gongkai_ledger::AppealStatus::Corrected => "结果纠正",
                    gongkai_ledger::AppealStatus::Other => "其他结果",
                    gongkai_ledger::AppealStatus::Pending => "尚未审结",
                };
                writeln!(
                    out,
                    "{:<12} {}  {}  {status}{}",
                    c.id,
                    c.filed_on.format("%Y-%m-%d"),
                    c.kind.label_zh(),
                    c.application
                        .as_ref()
                        .map(|a| format!("  申请 {a}"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn cmd_proactive(cx: &Ctx, c: ProactiveCommand, out: &mut impl Write) -> Result<ExitCode> {
    match c {
        ProactiveCommand::Set { id, data } => {
            let stamp = cx.stamp()?;
            let data = match data {
                ProactiveData0::Document {
                    kind,
                    title,
                    number,
                    issued,
                    repealed,
                } => ProactiveData::Document(DocumentRecord {
                    kind: match kind {
                        DocumentKindArg::Regulation => DocumentKind::Regulation,
                        DocumentKindArg::Normative => DocumentKind::NormativeDocument,
                    },
                    title,
                    number,
                    issued_on: issued,
                    repealed_on: repealed,
                }),
                ProactiveData0::Decisions {
                    area,
                    from,
                    to,
                    count,
                } => ProactiveData::Decisions(DecisionCount {
                    area: match area {
                        AreaArg::Licensing => DecisionArea::Licensing,
                        AreaArg::Penalty => DecisionArea::Penalty,
                        AreaArg::Coercion => DecisionArea::Coercion,
                    },
                    from,
                    to,
                    count,
                }),
                ProactiveData0::Fees { from, to, yuan } => ProactiveData::Fees(FeeIncome {
                    from,
                    to,
                    amount_yuan: yuan,
                }),
            };
            let (r, new) = cx.store.set_proactive(&id, data, &stamp).await?;
            writeln!(
                out,
                "{} {}",
                if new {
                    "已添加记录"
                } else {
                    "已更新记录"
                },
                r.id
            )?;
        }
        ProactiveCommand::List => {
            for r in cx.store.proactive_records().await? {
                let text = match &r.data {
                    ProactiveData::Document(d) => format!(
                        "{}《{}》{} 制发{}",
                        match d.kind {
                            DocumentKind::Regulation => "规章",
                            DocumentKind::NormativeDocument => "行政规范性文件",
                        },
                        d.title,
                        date_zh(d.issued_on),
                        d.repealed_on
                            .map(|x| format!("，{} 废止", date_zh(x)))
                            .unwrap_or_default()
                    ),
                    ProactiveData::Decisions(c) => format!(
                        "{} {} 至 {}：{} 件",
                        match c.area {
                            DecisionArea::Licensing => "行政许可",
                            DecisionArea::Penalty => "行政处罚",
                            DecisionArea::Coercion => "行政强制",
                        },
                        date_zh(c.from),
                        date_zh(c.to),
                        c.count
                    ),
                    ProactiveData::Fees(f) => format!(
                        "行政事业性收费 {} 至 {}：{} 元",
                        date_zh(f.from),
                        date_zh(f.to),
                        f.amount_yuan
                    ),
                };
                writeln!(out, "{:<14} {text}", r.id)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn cmd_year_end(
    cx: &Ctx,
    year: i32,
    as_of: Option<NaiveDate>,
    output: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let Some(last) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        bail!("年份 {year} 无效 / invalid year");
    };
    let as_of = as_of.unwrap_or_else(|| cx.today().min(last));
    let options = YearEndOptions {
        year,
        as_of,
        known_by: None,
        report_date: None,
    };
    let ye = cx.store.year_end(options).await?;
    let findings = gongkai_check::check(&ye.report);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if let Some(path) = output {
        let text = serde_json::to_string_pretty(&ye.report)?;
        if path == "-" {
            writeln!(out, "{text}")?;
        } else {
            std::fs::write(path, format!("{text}\n"))
                .with_context(|| format!("{path}: 无法写入 / cannot write"))?;
        }
    }
    if json {
        let v = serde_json::json!({
            "year": year,
            "period_end": ye.period_end,
            "figures": ye.figures,
            "carried_over": ye.carried_over,
            "carried_forward": ye.carried_forward,
            "warnings": ye.warnings,
            "errors": errors,
            "findings": gongkai_check::render_json(&findings),
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
    } else if output != Some("-") {
        let f = &ye.figures;
        let title = ye.report.meta.title.clone().unwrap_or_default();
        writeln!(out, "{title}")?;
        if cx.en() {
            writeln!(out, "Period: {year}-01-01 to {}", ye.period_end)?;
            writeln!(
                out,
                "Table 3: new {}, carried over {}, results {}, carried forward {}",
                f.new_received[6], f.carried_over[6], f.results_total[6], f.carried_forward[6]
            )?;
        } else {
            writeln!(out, "统计期间：{year}年1月1日至{}", date_zh(ye.period_end))?;
            writeln!(
                out,
                "第三部分：本年新收 {}，上年结转 {}，办理结果 {}，结转下年度继续办理 {}",
                f.new_received[6], f.carried_over[6], f.results_total[6], f.carried_forward[6]
            )?;
            for (d, row) in Decision::ALL.iter().zip(&f.outcomes) {
                if row[6] > 0 {
                    writeln!(out, "  {} {}：{}", d.group_zh(), d.label_zh(), row[6])?;
                }
            }
            let appeals: u64 = f.appeals.iter().map(|g| g[4]).sum();
            writeln!(
                out,
                "第四部分：行政复议 {}，行政诉讼 {}",
                f.appeals[0][4],
                appeals - f.appeals[0][4]
            )?;
        }
        if !ye.carried_forward.is_empty() {
            let ids: Vec<&str> = ye.carried_forward.iter().map(|i| i.0.as_str()).collect();
            writeln!(out, "结转下年度：{}", ids.join("、"))?;
        }
        for w in &ye.warnings {
            writeln!(out, "注意：{w}")?;
        }
        let name = output.unwrap_or("年度报告");
        write!(
            out,
            "{}",
            gongkai_check::render_text(&findings, name, None, cx.lang)
        )?;
        match cx.lang {
            Lang::Zh => writeln!(out, "检查结果：错误 {errors} 个，警告 {warnings} 个")?,
            Lang::En => writeln!(out, "Checks: {errors} errors, {warnings} warnings")?,
        }
        if let Some(path) = output {
            writeln!(
                out,
                "报告已写入 {path}（可用 gongkai render {path} --to docx -o 报告.docx 生成文档）"
            )?;
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn subject(s: &SubjectArgs) -> Result<ReviewSubject> {
    Ok(match s.kind {
        SubjectKind::Reply => ReviewSubject::Reply {
            application: ApplicationId(s.id.trim().to_string()),
        },
        SubjectKind::Report => ReviewSubject::AnnualReport {
            year: s
                .id
                .trim()
                .parse()
                .map_err(|_| anyhow!("年份“{}”无效 / invalid year", s.id))?,
        },
    })
}

async fn cmd_review(cx: &Ctx, c: ReviewCommand, out: &mut impl Write) -> Result<ExitCode> {
    let review = match c {
        ReviewCommand::Submit { subject: s, note } => {
            let stamp = cx.stamp()?;
            cx.store
                .review_step(&subject(&s)?, ReviewAction::Submit, note, &stamp)
                .await?
        }
        ReviewCommand::Approve { subject: s, note } => {
            let stamp = cx.stamp()?;
            cx.store.review_approve(&subject(&s)?, note, &stamp).await?
        }
        ReviewCommand::SendBack { subject: s, reason } => {
            let stamp = cx.stamp()?;
            cx.store
                .review_step(&subject(&s)?, ReviewAction::SendBack, Some(reason), &stamp)
                .await?
        }
        ReviewCommand::Show { subject: s } => cx.store.review(&subject(&s)?).await?,
        ReviewCommand::List => {
            let reviews = cx.store.reviews().await?;
            if reviews.is_empty() {
                writeln!(
                    out,
                    "{}",
                    if cx.en() {
                        "No reviews."
                    } else {
                        "没有审核记录。"
                    }
                )?;
            }
            for r in reviews {
                let last = r.steps.last().map(|s| time_cn(s.at)).unwrap_or_default();
                writeln!(
                    out,
                    "{}：{}（{last}）",
                    r.subject,
                    if cx.en() {
                        r.status.label_en()
                    } else {
                        r.status.label_zh()
                    }
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    writeln!(out, "{}", review.subject)?;
    write_review(cx, &review, out)?;
    Ok(ExitCode::SUCCESS)
}

async fn cmd_audit(
    cx: &Ctx,
    id: Option<&str>,
    limit: u32,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let q = AuditQuery {
        subject_kind: id.map(|_| "application".to_string()),
        subject_id: id.map(|i| i.trim().to_string()),
        limit: Some(limit),
    };
    let rows = cx.store.audit(&q).await?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Oldest first reads like a history.
    let labels: HashMap<&str, &str> = [
        ("ledger.init", "初始化台账"),
        ("user.add", "添加用户"),
        ("user.password", "修改密码"),
        ("user.enable", "启用用户"),
        ("user.disable", "停用用户"),
        ("session.login", "登录"),
        ("session.logout", "退出登录"),
        ("settings.set", "修改设置"),
        ("application.register", "登记申请"),
        ("event.append", "登记事项"),
        ("appeal.add", "登记复议诉讼案件"),
        ("appeal.update", "修改复议诉讼案件"),
        ("proactive.add", "添加主动公开记录"),
        ("proactive.update", "修改主动公开记录"),
        ("review.submit", "提交审核"),
        ("review.review", "审核通过"),
        ("review.approve", "批准"),
        ("review.send_back", "退回"),
        ("template.set", "修改答复模板"),
    ]
    .into_iter()
    .collect();
    for r in rows.iter().rev() {
        let what = labels.get(r.action.as_str()).copied().unwrap_or(&r.action);
        let detail = match r.action.as_str() {
            "event.append" => serde_json::from_value::<Event>(r.detail.clone())
                .map(|e| format!("#{} {} {}", e.seq, e.date.format("%Y-%m-%d"), describe(&e)))
                .unwrap_or_default(),
            a if a.starts_with("review.") => r
                .detail
                .get("note")
                .and_then(|n| n.as_str())
                .map(str::to_string)
                .unwrap_or_default(),
            _ => {
                let s = r.detail.to_string();
                if s.chars().count() > 100 {
                    format!("{}…", s.chars().take(100).collect::<String>())
                } else {
                    s
                }
            }
        };
        writeln!(
            out,
            "{}  {:<8} {}  {}/{}  {detail}",
            time_cn(r.at),
            r.actor,
            what,
            r.subject_kind,
            r.subject_id
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
