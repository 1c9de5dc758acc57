//! What every page shows around its content ([`Chrome`]), and small formatting helpers.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_format::FormatVersion;
use gongkai_report::{Location, Value};
use gongkai_store::model::china_offset;

use crate::Ctx;

/// The logged-in user as the top bar shows them.
#[derive(Debug, Clone)]
pub struct UserView {
    pub name: String,
    pub display: String,
    /// Every role held (`办公室主任、分管领导`).
    pub role_label: String,
    /// Holds the 管理员 role (the 管理 link).
    pub admin: bool,
    /// Shown the 管理 pages (文书模板, 审计日志; 机关设置 for the 管理员): 管理员 and 办公室主任.
    pub manage: bool,
    /// The name of the agency the user works in.
    pub agency: String,
    /// 管理员 working in the root agency: the platform administrator (the 机关 page).
    pub platform: bool,
    /// The agency switch (when the user holds ledger roles in more than one agency): each
    /// agency's code, name, and whether it is the current one.
    pub agencies: Vec<(String, String, bool)>,
    /// Holds `supervisor` on some node: the 监督 link.
    pub supervise: bool,
}

/// The page frame: CSRF token, user, the active navigation section, a status message.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub csrf: String,
    pub user: Option<UserView>,
    /// `check`, `ledger`, `reviews`, `appeals`, `proactive`, `year_end`, or empty.
    pub section: &'static str,
    pub flash: Option<String>,
    /// The page's language (`<html lang>`; the pages are made English after rendering,
    /// see [`crate::i18n`]).
    pub lang: crate::i18n::Lang,
    /// The language switch's link: to the other language, back to this page.
    pub switch_href: String,
}

impl Chrome {
    pub fn new(ctx: &Ctx, section: &'static str) -> Self {
        Chrome {
            csrf: ctx.csrf.clone(),
            user: ctx.user.as_ref().map(|u| UserView {
                name: u.name.clone(),
                display: u.display.clone(),
                role_label: if u.roles.is_empty() {
                    crate::i18n::label("监督").to_string()
                } else {
                    u.roles
                        .iter()
                        .map(|r| crate::i18n::label(r.label_zh()))
                        .collect::<Vec<_>>()
                        .join(if crate::i18n::current().is_en() {
                            ", "
                        } else {
                            "、"
                        })
                },
                admin: u.has(gongkai_store::Role::Admin),
                manage: u.has(gongkai_store::Role::Admin) || u.has(gongkai_store::Role::OfficeHead),
                agency: u.agency.name.clone(),
                platform: u.has(gongkai_store::Role::Admin)
                    && u.agency.id == gongkai_store::agencies::ROOT,
                agencies: if u.can_switch() {
                    u.agencies
                        .iter()
                        .map(|a| (a.code.clone(), a.name.clone(), a.id == u.agency.id))
                        .collect()
                } else {
                    Vec::new()
                },
                supervise: u.supervises,
            }),
            section,
            flash: None,
            lang: crate::i18n::current(),
            switch_href: crate::i18n::switch_href(),
        }
    }

    /// A frame without user or token (error pages).
    pub fn bare() -> Self {
        Chrome {
            csrf: String::new(),
            user: None,
            section: "",
            flash: None,
            lang: crate::i18n::current(),
            switch_href: crate::i18n::switch_href(),
        }
    }

    /// With the status message for `?msg=KEY` (fixed texts only: nothing from the URL is
    /// shown).
    pub fn flash(mut self, key: Option<&str>) -> Self {
        self.flash = key.and_then(flash_text).map(str::to_string);
        self
    }
}

/// The fixed status messages that a redirect may ask for (`?msg=KEY`).
const FLASH: &[(&str, &str)] = &[
    ("corrected", "已保存更正，并已重新检查。"),
    ("registered", "已登记申请。"),
    ("amended", "已更正登记信息（原值保留在办理记录中）。"),
    ("reopened", "已撤销批准，年度报告重新打开。"),
    ("event", "已登记。"),
    ("review", "审核步骤已记录。"),
    ("appeal", "已保存复议诉讼案件。"),
    ("proactive", "已保存主动公开记录。"),
    ("register_saved", "已保存主动公开登记。"),
    ("register_attached", "已添加附件。"),
    ("register_imported", "已导入事项（均为草稿，待提交审核）。"),
    ("register_settings", "已保存主动公开登记设置。"),
    ("mail_saved", "已保存邮件服务器设置。"),
    ("mail_removed", "已取消邮件服务器设置，不再发送邮件通知。"),
    ("mail_retry", "已重新排队发送该邮件。"),
    (
        "voided",
        "已作废该记录（保留在审计日志中，年度报告不再计入）。",
    ),
    ("logged_out", "已退出登录。"),
    ("token_revoked", "已撤销访问令牌。"),
    ("agency_switched", "已切换机关：以下是该机关的台账。"),
    ("agency_saved", "已保存机关。"),
    ("roles_saved", "已保存该用户在机关的角色。"),
    (
        "initialised",
        "台账已创建。请用刚才设置的管理员账号登录，再在“管理 → 用户”（/admin/users）中为信息员、办公室主任和分管领导建立账号。",
    ),
    ("template", "已保存答复书模板。"),
    ("narrative", "已保存年度报告正文和落款。"),
    ("password_changed", "密码已修改，请用新密码重新登录。"),
    (
        "password_required",
        "请先修改密码：管理员设置的临时密码或不符合现行规则的密码须修改后才能继续使用。",
    ),
    ("user_saved", "已保存用户。"),
    ("settings", "已保存机关设置。"),
    (
        "opening_saved",
        "已保存期初数：首个年度报告在台账没有记录处使用它们，并在说明中注明。",
    ),
    ("opening_cleared", "已清除期初数。"),
];

fn flash_text(key: &str) -> Option<&'static str> {
    FLASH.iter().find(|(k, _)| *k == key).map(|(_, text)| *text)
}

/// Every fixed status message (the English catalogue must have each).
pub fn flash_texts() -> impl Iterator<Item = &'static str> {
    FLASH.iter().map(|(_, text)| *text)
}

/// `2026-11-23 17:05`, Beijing time.
pub fn datetime(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `2026年11月23日`.
pub fn date_zh(d: NaiveDate) -> String {
    gongkai_ledger::calendar::date_zh(d)
}

/// Today in Beijing.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&china_offset()).date_naive()
}

/// A cell value as text, `空白` when blank.
pub fn value(v: Option<Value>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "空白".to_string(),
    }
}

/// `2021 年格式（国办公开办函〔2021〕30号）`.
pub fn format_label(f: FormatVersion) -> &'static str {
    match f {
        FormatVersion::Revised2021 => "2021 年格式（国办公开办函〔2021〕30号）",
        FormatVersion::Trial2019 => "2019 年试行格式（国办公开办函〔2019〕60号）",
    }
}

/// Where in the source a finding is, in words (empty when unknown).
pub fn location(loc: Option<Location>) -> String {
    match loc {
        Some(Location::Text { line, column }) => format!("第 {line} 行第 {column} 列"),
        Some(Location::Table { table, row, column }) => {
            format!("第 {table} 个表格第 {row} 行第 {column} 列")
        }
        Some(Location::Pdf { page, .. }) => format!("第 {page} 页"),
        Some(Location::None) | None => String::new(),
    }
}

/// `12.5 KB`.
pub fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} 字节")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_messages_are_fixed_texts() {
        assert!(flash_text("corrected").is_some());
        assert!(flash_text("<script>").is_none());
    }

    #[test]
    fn formats() {
        assert_eq!(value(None), "空白");
        assert_eq!(value(Some(Value::int(3))), "3");
        assert_eq!(size(2048), "2.0 KB");
        assert_eq!(
            location(Some(Location::Text { line: 3, column: 4 })),
            "第 3 行第 4 列"
        );
    }
}
