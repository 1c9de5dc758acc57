//! The subcommands' arguments. Domain enums are parsed by their `FromStr` (one vocabulary
//! with the web and the API: the serde name, `-` for `_`, or the Chinese label); no mirror
//! enums here.

use chrono::NaiveDate;
use clap::builder::TypedValueParser;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_ledger::{
    AppealKind, AppealResult, ApplicantKind, ChannelKind, Decision, DecisionArea, Delivery,
    DocumentKind, InformationForm, ReplyMethod, Vocabulary,
};
use gongkai_service::{ListFilter, ListStatus};
use gongkai_store::Role;
use rust_decimal::Decimal;

/// The value parser of a domain enum: its names from the one vocabulary in kebab-case
/// (`post-with-signature`), the same words as the API's serde names; `_`, the Chinese
/// label and the older spellings of the command line are accepted too.
#[derive(Clone)]
pub(super) struct VocabParser<T>(std::marker::PhantomData<T>);

pub(super) fn vocab<T: Vocabulary + Send + Sync>() -> VocabParser<T> {
    VocabParser(std::marker::PhantomData)
}

impl<T: Vocabulary + Send + Sync> TypedValueParser for VocabParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::parse_cli(&text).map_err(|e| {
            let names: Vec<String> = T::ALL.iter().map(|v| v.cli_name()).collect();
            let flag = arg.map(|a| format!("{a} ")).unwrap_or_default();
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "{flag}{}“{}”无效，可用：{} / invalid value\n",
                    e.field,
                    e.value,
                    names.join("、")
                ),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        // clap keeps `&'static str` names; the few kebab-case names are built once per
        // help or completion and kept.
        Some(Box::new(T::ALL.iter().map(|v| {
            let name: &'static str = Box::leak(v.cli_name().into_boxed_str());
            clap::builder::PossibleValue::new(name).help(v.label())
        })))
    }
}

pub(super) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    gongkai_ledger::parse_date(s)
        .ok_or_else(|| format!("日期“{s}”无效，应为 YYYY-MM-DD / invalid date"))
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.replace('-', "_").parse()
}

#[derive(Debug, Subcommand)]
pub(super) enum UserCommand {
    /// 添加用户（管理员）/ add a user (admin)
    Add {
        name: String,
        /// clerk 信息员 | office_head 办公室主任 | leader 分管领导 | admin 管理员；
        /// 一人多角色用逗号分隔或重复，第一个为主要角色 / several roles: comma-separated
        /// or repeated, the first is the primary one
        #[arg(long, value_parser = parse_role, value_delimiter = ',', required = true)]
        role: Vec<Role>,
        /// 姓名 / display name
        #[arg(long)]
        display_name: Option<String>,
        /// 从标准输入读取密码（否则随机生成并显示一次）/ read the password from stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// 列出用户 / list users
    List,
    /// 修改密码（本人或管理员；须符合密码规则：至少 10 个字符，不能是常见密码或由用户名、姓名、
    /// 机关名称变形而来）。管理员为他人设置的随机密码须在首次登录时修改 / set a password
    /// (the password rules apply; a generated one set for someone else is temporary)
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// 设置用户角色（管理员），如 --role office_head,leader / set a user's roles (admin)
    Roles {
        name: String,
        #[arg(long, value_parser = parse_role, value_delimiter = ',', required = true)]
        role: Vec<Role>,
    },
    /// 停用用户（管理员）/ disable a user
    Disable { name: String },
    /// 启用用户（管理员）/ enable a user
    Enable { name: String },
    /// 解除登录锁定（管理员）：连续登录失败被锁定的账户 / unlock a user locked out by failed logins
    Unlock { name: String },
}

#[derive(Debug, Args)]
pub(super) struct ApplyArgs {
    /// 申请编号（默认按收到年份自动编号，如 2025-0001）/ id (default: next YYYY-NNNN)
    #[arg(long)]
    pub id: Option<String>,
    /// 申请人类型：natural-person 自然人 | commercial 商业企业 | research 科研机构 |
    /// social-welfare 社会公益组织 | legal-service 法律服务机构 | other-organisation 其他组织
    #[arg(long, value_parser = vocab::<ApplicantKind>())]
    pub applicant_type: ApplicantKind,
    /// 申请人姓名或名称 / applicant's name
    #[arg(long)]
    pub name: String,
    /// 身份证件号码或统一社会信用代码 / identity number
    #[arg(long)]
    pub id_number: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// 提交渠道：in-person 当面 | oral 口头 | post-with-signature 邮寄（签收）|
    /// ordinary-mail 平常信函 | online 互联网 | fax 传真
    #[arg(long, default_value = "in-person", value_parser = vocab::<ChannelKind>())]
    pub channel: ChannelKind,
    /// 平常信函到达、网上提交或传真发出的日期（默认同收到日期）/ arrival, submission or sending date
    #[arg(long, value_parser = parse_date)]
    pub arrived: Option<NaiveDate>,
    /// 收到申请的日期（条例第三十一条）/ legal receipt date
    #[arg(long, value_parser = parse_date)]
    pub received: NaiveDate,
    /// 所需政府信息的名称、文号或特征性描述 / the information asked for
    #[arg(long)]
    pub request: String,
    /// 文号 / document number
    #[arg(long)]
    pub document_number: Option<String>,
    /// 载体形式：paper 纸质 | electronic 电子数据 | inspection 查阅、抄录
    #[arg(long, default_value = "paper", value_parser = vocab::<InformationForm>())]
    pub form: InformationForm,
    /// 获取方式：collect 自行领取 | post 邮寄 | email 电子邮件 | online 网上获取 | fax 传真
    #[arg(long, default_value = "post", value_parser = vocab::<Delivery>())]
    pub delivery: Delivery,
    /// 按件收费时本申请计几件（一事一申请）/ fee units
    #[arg(long, default_value_t = 1)]
    pub units: u32,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub(super) struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// 最多列出几件（分页；总数另行显示）/ at most this many rows
    #[arg(long)]
    pub limit: Option<usize>,
    /// 跳过前几件（分页）/ skip this many rows
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long)]
    pub json: bool,
}

/// The list's filters, shared by `list` and `export`.
#[derive(Debug, Args)]
pub(super) struct FilterArgs {
    /// 只列未办结的（同 --status open；默认也列已办结的，排在后面）/ open applications only
    #[arg(long, conflicts_with = "status")]
    pub open: bool,
    /// open 在办 | closed 已办结（按办结日期由近及远）| all 全部（默认）/ which applications
    #[arg(long, value_parser = parse_status)]
    pub status: Option<ListStatus>,
    /// 查找：申请人、编号或所需信息中的字词（以空格分隔的字词须都出现）/ search words
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// 收到申请的年份 / received in this year
    #[arg(long)]
    pub year: Option<i32>,
    /// 只列已逾期的在办申请 / overdue open applications only
    #[arg(long)]
    pub overdue: bool,
    /// 只列答复期限在 N 个自然日内（含已超期）的 / due within N calendar days
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<u32>,
}

impl FilterArgs {
    /// The service's filter (every row: paging is the caller's).
    pub fn filter(&self) -> ListFilter {
        ListFilter {
            status: match (self.open, self.status) {
                (true, _) => ListStatus::Open,
                (false, Some(s)) => s,
                (false, None) => ListStatus::All,
            },
            search: self.search.clone().filter(|s| !s.trim().is_empty()),
            year: self.year,
            overdue: self.overdue,
            due_within: self.due_within,
            offset: 0,
            limit: None,
        }
    }
}

fn parse_status(s: &str) -> Result<ListStatus, String> {
    s.parse()
        .map_err(|e: gongkai_service::ServiceError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub(super) enum EventCommand {
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
        /// 按件收费：本申请计几件（默认为登记的件数）/ per application: units
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
        #[arg(value_parser = vocab::<Decision>(), hide_possible_values = true)]
        decision: Decision,
    },
    /// 送达答复 / reply sent
    ReplySent {
        /// in-person 当面送达 | post 邮寄 | email 电子邮件 | online 网上平台 | fax 传真
        #[arg(long, default_value = "post", value_parser = vocab::<ReplyMethod>())]
        method: ReplyMethod,
    },
    /// 申请人撤回申请 / withdrawn
    Withdrawn {
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum AppealCommand {
    /// 登记案件 / add a case
    Add {
        /// 案件编号（默认按立案年份编号，如 案-2025-001）/ case id (default: next 案-YYYY-NNN)
        #[arg(long)]
        id: Option<String>,
        /// reconsideration 行政复议 | litigation-direct 行政诉讼（直接起诉）|
        /// litigation-after-reconsideration 行政诉讼（复议后起诉）
        #[arg(long, value_parser = vocab::<AppealKind>())]
        kind: AppealKind,
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
    /// 更正案件登记（新记录取代原记录，原记录保留、不再统计），须说明理由 / correct a case
    Correct(super::corrections::AppealCorrectArgs),
    /// 作废案件（如重复登记），须说明理由 / void a case (e.g. entered twice)
    Void(super::corrections::ReasonArgs),
    /// 登记结果 / record the result
    Conclude {
        id: String,
        /// upheld 结果维持 | corrected 结果纠正 | other 其他结果
        #[arg(long, value_parser = vocab::<AppealResult>())]
        result: AppealResult,
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
    },
    /// 列出案件 / list cases
    List,
}

#[derive(Debug, Subcommand)]
pub(super) enum ProactiveCommand {
    /// 添加或替换一条记录 / add or replace a record
    Set {
        /// 记录编号 / record id
        id: String,
        #[command(subcommand)]
        data: ProactiveArgs,
    },
    /// 更正一条记录（新记录取代原记录，原记录保留、不再统计），须说明理由 / correct a record
    Correct(super::corrections::ProactiveCorrectArgs),
    /// 作废一条记录（如重复录入），须说明理由 / void a record (e.g. entered twice)
    Void(super::corrections::ReasonArgs),
    /// 列出记录（现行记录；被更正或作废的标出）/ list records
    List,
}

#[derive(Debug, Subcommand)]
pub(super) enum ProactiveArgs {
    /// 规章或行政规范性文件 / a rule or normative document
    Document {
        /// regulation 规章 | normative-document 行政规范性文件
        #[arg(long, value_parser = vocab::<DocumentKind>())]
        kind: DocumentKind,
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
        /// licensing 行政许可 | penalty 行政处罚 | coercion 行政强制
        #[arg(long, value_parser = vocab::<DecisionArea>())]
        area: DecisionArea,
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

/// What a review is about (command-line only: a word before the id).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum SubjectKind {
    /// 答复（申请编号）/ a reply (application id)
    Reply,
    /// 年度报告（年份）/ the annual report (year)
    Report,
}

#[derive(Debug, Args)]
pub(super) struct SubjectArgs {
    #[arg(value_enum)]
    pub kind: SubjectKind,
    /// 申请编号或年份 / application id or year
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub(super) enum ReviewCommand {
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
    /// 撤销批准、重新打开已批准的年度报告（分管领导，或设置允许时办公室主任），须说明理由 /
    /// reopen an approved annual report (the leader, or the office head if allowed), with a reason
    Reopen {
        /// 年度 / year
        year: i32,
        /// 理由（必填）/ why (required)
        #[arg(long)]
        reason: String,
    },
    /// 查看审核记录（含批准时的答复内容）/ show a review
    Show {
        #[command(flatten)]
        subject: SubjectArgs,
    },
    /// 列出审核 / list reviews
    List,
}
