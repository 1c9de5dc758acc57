//! Settings for the rules that the sources leave open (UNCONFIRMED in
//! `shared/spec/regulations.md`). Every CONFIRMED rule is code, not a setting.

use serde::{Deserialize, Serialize};

/// The ledger's configurable rules. `Settings::default()` is the conservative reading
/// described on each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Whether the day an application is received counts as day 1 of the 20 working days
    /// (and of the 7 working days for a correction request).
    ///
    /// UNCONFIRMED (regulations.md §4.4, §6 item 6). Default `false`: the day of receipt is
    /// not counted, counting starts the next day — the general rule of Chinese procedure law
    /// (民事诉讼法第八十五条: 期间开始的时和日，不计算在期间内), which the Administrative
    /// Reconsideration Law borrows and which practice applies. `true` gives a deadline one
    /// working day earlier.
    pub count_receipt_day: bool,
    /// Whether the 20-working-day payment window of a fee notice pauses the reply clock.
    ///
    /// UNCONFIRMED (regulations.md §3.3: no readable text either way). Default `false`: the
    /// clock keeps running, so the office never relies on a pause the law may not give.
    pub fee_window_pauses_clock: bool,
    /// Which reconsideration and litigation cases section 四 of year N counts.
    pub appeal_counting: AppealCounting,
    /// Who gives the last approval of a 予以公开 reply (三级审查). Default: all three levels
    /// for every reply.
    pub granted_reply_approval: GrantedReplyApproval,
    /// Who may reopen an approved annual report (with a written reason). Default: the
    /// 分管领导 only.
    pub annual_report_reopen: ReopenBy,
}

/// Who gives the last approval of a reply whose decision is 予以公开.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantedReplyApproval {
    /// 信息员 → 办公室主任 → 分管领导, like every other reply (the default).
    #[default]
    AllLevels,
    /// The 办公室主任's approval is final for a 予以公开 reply (some offices do so).
    OfficeHead,
}

/// Who may reopen an approved annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReopenBy {
    /// The 分管领导 only (the default).
    #[default]
    Leader,
    /// The 办公室主任 (and the 分管领导).
    OfficeHead,
}

/// Which appeal cases a year's section 四 counts. UNCONFIRMED: the format prints the
/// columns (结果维持, 结果纠正, 其他结果, 尚未审结, 总计) but no counting rule was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealCounting {
    /// Cases filed in year N, each with its result as of the report's cut-off date (尚未审结
    /// when none). The default: each case is counted in one year only.
    #[default]
    FiledInYear,
    /// Cases filed in year N, plus cases filed earlier that were concluded in year N or are
    /// still pending at its end (a case can then appear in two years).
    ActiveInYear,
}

/// The office's own particulars for its reply letters and its calendar — facts about the
/// office, not readings of the law, so they are kept apart from [`Settings`] (stored as
/// JSON beside it; every field defaults to empty, so an older database loads unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficeSettings {
    /// The 行政复议机关 named in the remedy paragraph, e.g. `某某县人民政府`. Since
    /// 2024-01-01 (行政复议法 as revised in 2023, arts 24–28) a department of a local
    /// government at county level or above is reconsidered by that same-level government
    /// only; vertically led organs (税务, 海关, 国家安全 …) by the next-higher department.
    /// Empty: the letter says `本级人民政府` (right for a 工作部门) and the settings page
    /// asks for the name.
    pub reconsideration_organ: String,
    /// The 人民法院 named in the remedy paragraph, e.g. `某某县人民法院`. Empty: `人民法院`.
    pub court: String,
    /// The office's address (for letters and the settings page).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// How to reach the office (telephone, e-mail), for letters and the settings page.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub contact: String,
    /// The 政府信息公开工作机构's name for the 指南 (art. 12; empty: “{机关}政府信息公开工作机构”).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub office_name: String,
    /// 办公时间, for the 指南 (art. 12).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hours: String,
    /// 联系电话, for the 指南 (art. 12).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// 传真, for the 指南 (art. 12).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fax: String,
    /// 电子邮箱 (the 指南's “互联网联系方式”, art. 12).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// 邮政编码, for the 指南.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// More paragraphs for the 指南's 总则 (e.g. how the 专栏 is arranged), one per line.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub guide_note: String,
    /// The 主题分类 whose published items make the 专栏's 政府信息公开制度 column (empty:
    /// [`DEFAULT_RULES_TOPIC`]). What that column must hold is UNCONFIRMED (the 61号 text
    /// was not read, `proactive-and-portal.md` §3.1), hence a setting.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rules_topic: String,
    /// Applications submitted online are received (art. 31(3): “以双方确认之日为收到申请
    /// 之日”) when a clerk confirms each one, instead of at submission (the default).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub online_receipt_by_clerk: bool,
    /// A directory of calendar files (one State Council notice per `*.toml`), read by
    /// `gongkai serve` and `gongkai ledger` at start unless `--calendar-dir` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_dir: Option<String>,
}

/// The 主题分类 of the 政府信息公开制度 column unless the office names another
/// ([`OfficeSettings::rules_topic`]): the path gov.cn itself uses for disclosure matters.
pub const DEFAULT_RULES_TOPIC: &str = "综合政务\\政务公开";

impl OfficeSettings {
    /// The 主题分类 of the 政府信息公开制度 column.
    pub fn rules_topic(&self) -> &str {
        match self.rules_topic.trim() {
            "" => DEFAULT_RULES_TOPIC,
            t => t,
        }
    }

    /// The fields trimmed, empty texts as empty, an empty directory as none.
    pub fn normalised(mut self) -> Self {
        self.reconsideration_organ = self.reconsideration_organ.trim().to_string();
        self.court = self.court.trim().to_string();
        self.address = self.address.trim().to_string();
        self.contact = self.contact.trim().to_string();
        for f in [
            &mut self.office_name,
            &mut self.hours,
            &mut self.phone,
            &mut self.fax,
            &mut self.email,
            &mut self.postcode,
            &mut self.guide_note,
            &mut self.rules_topic,
        ] {
            *f = f.trim().to_string();
        }
        self.calendar_dir = self
            .calendar_dir
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty());
        self
    }
}
