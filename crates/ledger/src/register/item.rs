//! An item of the register: the catalogue fields of art. 12 (索引号, 名称, 内容概述, 生成日期)
//! and those seen in practice (发布机构, 文号, 主题分类, 体裁, 公开属性, 有效性), the body, and
//! the channels it is published on. `proactive-and-portal.md` §4 lists the fields and their
//! sources.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::date_zh;
use crate::proactive::DocumentKind;
use crate::register::settings::RegisterSettings;

/// 内容概述 at most this many characters (local rules say 100–500; the longest is kept).
pub const SUMMARY_MAX_CHARS: usize = 500;
/// 名称 at most this many characters.
pub const TITLE_MAX_CHARS: usize = 200;

/// Input the register refuses, naming the field (Chinese `Display`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegisterError {
    #[error("“{field}”不能为空")]
    EmptyField { field: &'static str },
    #[error("“{field}”最多 {max} 个字，现为 {len} 个字")]
    TooLong {
        field: &'static str,
        max: usize,
        len: usize,
    },
    #[error("“{field}”的值“{value}”不在本机关的{field}列表中")]
    NotInList { field: &'static str, value: String },
    #[error("“{field}”{} 晚于今天（{}）", date_zh(*.date), date_zh(*.today))]
    FutureDate {
        field: &'static str,
        date: NaiveDate,
        today: NaiveDate,
    },
    #[error("“{field}”{} 早于生成日期 {}", date_zh(*.date), date_zh(*.formed_on))]
    BeforeFormed {
        field: &'static str,
        date: NaiveDate,
        formed_on: NaiveDate,
    },
    #[error("“{}”须写明发布的账号或栏目名称", .outlet.label_zh())]
    NoAccount { outlet: Outlet },
    #[error("有效性为“{}”时须填写{}", .status.label_zh(), .field)]
    ValidityDate {
        status: ValidityStatus,
        field: &'static str,
    },
}

impl RegisterError {
    /// A stable English code for the API (`empty_field`, `not_in_list`, …).
    pub fn code(&self) -> &'static str {
        match self {
            RegisterError::EmptyField { .. } => "empty_field",
            RegisterError::TooLong { .. } => "too_long",
            RegisterError::NotInList { .. } => "not_in_list",
            RegisterError::FutureDate { .. } => "future_date",
            RegisterError::BeforeFormed { .. } => "before_formed",
            RegisterError::NoAccount { .. } => "no_account",
            RegisterError::ValidityDate { .. } => "validity_date",
        }
    }
}

/// 公开属性 (disclosure attribute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disclosure {
    /// 主动公开: published on the channels; the art. 26 clock runs.
    Proactive,
    /// 依申请公开: given to applicants who ask (not published, no clock).
    OnRequest,
    /// 不予公开, with the article relied on; reviewed periodically (art. 18).
    Withheld { basis: WithholdBasis },
}

impl Disclosure {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Disclosure::Proactive => "主动公开",
            Disclosure::OnRequest => "依申请公开",
            Disclosure::Withheld { .. } => "不予公开",
        }
    }
}

/// The ground for withholding (arts 14–16 of the Regulations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithholdBasis {
    /// 第十四条：依法确定为国家秘密.
    StateSecret,
    /// 第十四条：法律、行政法规禁止公开.
    ProhibitedByLaw,
    /// 第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定.
    Security,
    /// 第十五条：涉及商业秘密、个人隐私，公开会对第三方合法权益造成损害.
    ThirdParty,
    /// 第十六条第一款：内部事务信息.
    Internal,
    /// 第十六条第二款：过程性信息.
    Process,
    /// 第十六条第二款：行政执法案卷信息.
    EnforcementFile,
}

impl WithholdBasis {
    pub fn label_zh(self) -> &'static str {
        match self {
            WithholdBasis::StateSecret => "国家秘密（第十四条）",
            WithholdBasis::ProhibitedByLaw => "法律、行政法规禁止公开（第十四条）",
            WithholdBasis::Security => "危及“三安全一稳定”（第十四条）",
            WithholdBasis::ThirdParty => "商业秘密、个人隐私（第十五条）",
            WithholdBasis::Internal => "内部事务信息（第十六条第一款）",
            WithholdBasis::Process => "过程性信息（第十六条第二款）",
            WithholdBasis::EnforcementFile => "行政执法案卷信息（第十六条第二款）",
        }
    }

    /// The article relied on, for letters and lists.
    pub fn article(self) -> &'static str {
        match self {
            WithholdBasis::StateSecret
            | WithholdBasis::ProhibitedByLaw
            | WithholdBasis::Security => "第十四条",
            WithholdBasis::ThirdParty => "第十五条",
            WithholdBasis::Internal | WithholdBasis::Process | WithholdBasis::EnforcementFile => {
                "第十六条"
            }
        }
    }
}

/// A publication channel (发布渠道).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outlet {
    /// 政府网站.
    Website,
    /// 政务新媒体 (an account: WeChat, Weibo, app …; the account is named).
    NewMedia,
    /// 政府公报.
    Gazette,
    /// 公开栏 (noticeboards, 政务服务中心 screens …).
    NoticeBoard,
    /// 新闻发布会.
    PressConference,
    /// 报刊广播电视.
    Media,
    /// 其他 (named).
    Other,
}

impl Outlet {
    pub fn label_zh(self) -> &'static str {
        match self {
            Outlet::Website => "政府网站",
            Outlet::NewMedia => "政务新媒体",
            Outlet::Gazette => "政府公报",
            Outlet::NoticeBoard => "公开栏",
            Outlet::PressConference => "新闻发布会",
            Outlet::Media => "报刊广播电视",
            Outlet::Other => "其他",
        }
    }

    /// Whether the channel needs its account or name (新媒体账号, 其他方式).
    pub fn needs_account(self) -> bool {
        matches!(self, Outlet::NewMedia | Outlet::Other)
    }
}

/// The item published on one channel on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub outlet: Outlet,
    /// The 新媒体 account or the other channel's name; empty for the others.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    pub published_on: NaiveDate,
    /// Where it can be read, if online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Publication {
    /// Checks the publication of an item formed on `formed_on`.
    pub fn validate(&self, formed_on: NaiveDate, today: NaiveDate) -> Result<(), RegisterError> {
        if self.outlet.needs_account() && self.account.trim().is_empty() {
            return Err(RegisterError::NoAccount {
                outlet: self.outlet,
            });
        }
        if self.published_on > today {
            return Err(RegisterError::FutureDate {
                field: "发布日期",
                date: self.published_on,
                today,
            });
        }
        if self.published_on < formed_on {
            return Err(RegisterError::BeforeFormed {
                field: "发布日期",
                date: self.published_on,
                formed_on,
            });
        }
        Ok(())
    }
}

/// 有效性 of a 规章 or 行政规范性文件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidityStatus {
    /// 有效.
    Effective,
    /// 失效 (its term ran out).
    Expired,
    /// 废止 (repealed by a decision).
    Repealed,
}

impl ValidityStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            ValidityStatus::Effective => "有效",
            ValidityStatus::Expired => "失效",
            ValidityStatus::Repealed => "废止",
        }
    }
}

/// A 规章 or 行政规范性文件 with its validity: these items feed section 二 of the annual
/// report (本年制发 by 生成日期, 本年废止 by `ended_on` when repealed, 现行有效 at year end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    pub kind: DocumentKind,
    pub status: ValidityStatus,
    /// 施行日期, if different from 生成日期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<NaiveDate>,
    /// 失效 or 废止 date (required unless effective).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<NaiveDate>,
}

impl Validity {
    /// In force on `date`: formed on or before it, in effect by it (施行日期, if set) and not
    /// yet ended.
    pub fn in_force_on(&self, formed_on: NaiveDate, date: NaiveDate) -> bool {
        formed_on <= date
            && self.effective_on.is_none_or(|e| e <= date)
            && self.ended_on.is_none_or(|e| e > date)
    }

    /// Repealed (废止) in `year`. An expired (失效) document leaves the in-force count
    /// but is not counted as repealed.
    pub fn repealed_in(&self, year: i32) -> bool {
        self.status == ValidityStatus::Repealed && self.ended_on.is_some_and(|e| e.year() == year)
    }

    fn validate(&self, formed_on: NaiveDate, today: NaiveDate) -> Result<(), RegisterError> {
        match (self.status, self.ended_on) {
            (ValidityStatus::Effective, Some(_)) => Err(RegisterError::ValidityDate {
                status: self.status,
                field: "有效状态不应有失效或废止日期",
            }),
            (ValidityStatus::Expired | ValidityStatus::Repealed, None) => {
                Err(RegisterError::ValidityDate {
                    status: self.status,
                    field: "失效或废止日期",
                })
            }
            (_, Some(end)) if end < formed_on => Err(RegisterError::BeforeFormed {
                field: "失效或废止日期",
                date: end,
                formed_on,
            }),
            (_, Some(end)) if end > today => Err(RegisterError::FutureDate {
                field: "失效或废止日期",
                date: end,
                today,
            }),
            _ => Ok(()),
        }
    }
}

/// Where an item is in its life (derived by the store from its review and publications).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStage {
    /// 草稿.
    Draft,
    /// 审核中 (at one of the review levels).
    InReview,
    /// 已审核，待发布.
    Approved,
    /// 已发布 (on at least one channel).
    Published,
    /// 已撤稿.
    Withdrawn,
}

impl ItemStage {
    pub fn label_zh(self) -> &'static str {
        match self {
            ItemStage::Draft => "草稿",
            ItemStage::InReview => "审核中",
            ItemStage::Approved => "待发布",
            ItemStage::Published => "已发布",
            ItemStage::Withdrawn => "已撤稿",
        }
    }
}

/// What the office enters for an item (new or changed); the 索引号, the review and the
/// publications are kept beside it by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    /// 名称.
    pub title: String,
    /// 发布机构 (full name; the agency's name by default).
    pub organ: String,
    /// 生成日期: for a 公文 its 签发日期, otherwise the day it was complete.
    pub formed_on: NaiveDate,
    /// 文号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 主题分类 (from the agency's list, `\` for a sub-topic).
    pub topic: String,
    /// 体裁.
    pub genre: String,
    /// 内容概述.
    pub summary: String,
    /// 正文 (plain text; paragraphs separated by blank lines).
    #[serde(default)]
    pub body: String,
    pub disclosure: Disclosure,
    /// Set for a 规章 or 行政规范性文件.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// The channels it is to be published on.
    #[serde(default)]
    pub outlets: Vec<Outlet>,
}

fn trimmed(s: &str) -> String {
    s.trim().to_string()
}

impl ItemDraft {
    /// The draft cleaned (trimmed texts, topic and genre as listed, an empty 文号 as none)
    /// and checked against the agency's lists; the first problem found, naming its field.
    pub fn validated(
        mut self,
        settings: &RegisterSettings,
        today: NaiveDate,
    ) -> Result<ItemDraft, RegisterError> {
        self.title = trimmed(&self.title);
        self.organ = trimmed(&self.organ);
        self.summary = trimmed(&self.summary);
        self.number = self
            .number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        for (field, value) in [
            ("名称", &self.title),
            ("发布机构", &self.organ),
            ("内容概述", &self.summary),
        ] {
            if value.is_empty() {
                return Err(RegisterError::EmptyField { field });
            }
        }
        for (field, value, max) in [
            ("名称", &self.title, TITLE_MAX_CHARS),
            ("内容概述", &self.summary, SUMMARY_MAX_CHARS),
        ] {
            let len = value.chars().count();
            if len > max {
                return Err(RegisterError::TooLong { field, max, len });
            }
        }
        self.topic =
            settings
                .topics
                .accept(&self.topic)
                .ok_or_else(|| RegisterError::NotInList {
                    field: "主题分类",
                    value: trimmed(&self.topic),
                })?;
        self.genre =
            settings
                .genres
                .accept(&self.genre)
                .ok_or_else(|| RegisterError::NotInList {
                    field: "体裁",
                    value: trimmed(&self.genre),
                })?;
        if self.formed_on > today {
            return Err(RegisterError::FutureDate {
                field: "生成日期",
                date: self.formed_on,
                today,
            });
        }
        if let Some(v) = &self.validity {
            v.validate(self.formed_on, today)?;
        }
        let mut seen = Vec::new();
        self.outlets.retain(|o| {
            let new = !seen.contains(o);
            seen.push(*o);
            new
        });
        Ok(self)
    }

    /// Whether the art. 26 clock runs for this item (主动公开).
    pub fn has_clock(&self) -> bool {
        self.disclosure == Disclosure::Proactive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn draft() -> ItemDraft {
        ItemDraft {
            title: " 关于印发某某办法的通知 ".into(),
            organ: "某某县人民政府办公室".into(),
            formed_on: d("2025-03-03"),
            number: Some(" ".into()),
            topic: "综合政务/政务公开".into(),
            genre: "通知".into(),
            summary: "印发办法。".into(),
            body: String::new(),
            disclosure: Disclosure::Proactive,
            validity: None,
            outlets: vec![Outlet::Website, Outlet::NewMedia, Outlet::Website],
        }
    }

    #[test]
    fn a_draft_is_cleaned_and_checked() {
        let s = RegisterSettings::default();
        let v = draft().validated(&s, d("2025-03-10")).unwrap();
        assert_eq!(v.title, "关于印发某某办法的通知");
        assert_eq!(v.number, None);
        assert_eq!(v.topic, "综合政务\\政务公开");
        assert_eq!(v.outlets, vec![Outlet::Website, Outlet::NewMedia]);
        assert!(v.has_clock());
    }

    #[test]
    fn bad_fields_are_named() {
        let s = RegisterSettings::default();
        let today = d("2025-03-10");
        let mut x = draft();
        x.summary = " ".into();
        assert_eq!(
            x.validated(&s, today).unwrap_err().to_string(),
            "“内容概述”不能为空"
        );
        let mut x = draft();
        x.genre = "说明".into();
        assert!(
            x.validated(&s, today)
                .unwrap_err()
                .to_string()
                .contains("体裁")
        );
        let mut x = draft();
        x.formed_on = d("2025-03-11");
        assert!(
            x.validated(&s, today)
                .unwrap_err()
                .to_string()
                .contains("生成日期")
        );
        let mut x = draft();
        x.title = "长".repeat(201);
        assert!(matches!(
            x.validated(&s, today),
            Err(RegisterError::TooLong { len: 201, .. })
        ));
    }

    #[test]
    fn validity_needs_its_end_date_and_counts_in_force() {
        let s = RegisterSettings::default();
        let today = d("2025-12-31");
        let mut x = draft();
        x.validity = Some(Validity {
            kind: DocumentKind::NormativeDocument,
            status: ValidityStatus::Repealed,
            effective_on: None,
            ended_on: None,
        });
        assert!(x.clone().validated(&s, today).is_err());
        let v = Validity {
            kind: DocumentKind::NormativeDocument,
            status: ValidityStatus::Repealed,
            effective_on: None,
            ended_on: Some(d("2025-09-01")),
        };
        x.validity = Some(v.clone());
        assert!(x.validated(&s, today).is_ok());
        assert!(v.in_force_on(d("2025-03-03"), d("2025-08-31")));
        assert!(!v.in_force_on(d("2025-03-03"), d("2025-09-01")));
        assert!(v.repealed_in(2025));
        let expired = Validity {
            status: ValidityStatus::Expired,
            ..v
        };
        assert!(!expired.repealed_in(2025));
        // Issued in December, in effect from February: not in force at the year's end.
        let later = Validity {
            status: ValidityStatus::Effective,
            effective_on: Some(d("2026-02-01")),
            ended_on: None,
            ..v
        };
        assert!(!later.in_force_on(d("2025-12-20"), d("2025-12-31")));
        assert!(later.in_force_on(d("2025-12-20"), d("2026-02-01")));
    }

    #[test]
    fn a_publication_names_its_account_and_follows_formation() {
        let p = Publication {
            outlet: Outlet::NewMedia,
            account: " ".into(),
            published_on: d("2025-03-04"),
            url: None,
        };
        assert!(p.validate(d("2025-03-03"), d("2025-03-10")).is_err());
        let p = Publication {
            account: "某某发布".into(),
            ..p
        };
        assert!(p.validate(d("2025-03-03"), d("2025-03-10")).is_ok());
        assert!(p.validate(d("2025-03-05"), d("2025-03-10")).is_err());
        assert!(p.validate(d("2025-03-01"), d("2025-03-03")).is_err());
    }
}
