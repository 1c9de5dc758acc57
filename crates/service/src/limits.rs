//! Length limits on every text the ledger accepts, in one table, applied by every use case
//! that takes text — so the web forms, the JSON API and the command line refuse the same
//! input with the same Chinese message naming the field (“申请人姓名/名称不能超过 200 个字”)
//! before anything is stored or copied into the audit log.
//!
//! A use case checks a whole input ([`check`]: every string in it, found by its field name
//! in the serialised value) or single texts ([`text`], [`opt`]). A field not in the table
//! gets [`DEFAULT_MAX`] characters under its own name. Lengths are counted in characters
//! (a Chinese character is one), not bytes.

use serde::Serialize;
use serde_json::Value;

use crate::{Result, ServiceError};

/// One field's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The field's name in the input (`description`), or `parent.name` where the name alone
    /// is ambiguous (`applicant.name`).
    pub key: &'static str,
    /// The field's Chinese name in messages.
    pub label: &'static str,
    /// At most this many characters.
    pub max: usize,
}

const fn l(key: &'static str, label: &'static str, max: usize) -> Limit {
    Limit { key, label, max }
}

/// Characters allowed in a text field that the table does not name.
pub const DEFAULT_MAX: usize = 2000;

/// The limits, field by field.
pub const LIMITS: &[Limit] = &[
    // applications
    l("applicant.name", "申请人姓名/名称", 200),
    l("representative", "联系人/代理人", 200),
    l("identity.number", "证件号码", 64),
    l("phone", "联系电话", 64),
    l("email", "电子邮箱", 254),
    l("address", "地址", 500),
    l("postcode", "邮政编码", 16),
    l("description", "所需信息的内容描述", 5000),
    l("document_number", "文号", 200),
    l("applicant_name", "申请人姓名/名称", 200),
    // events
    l("note", "备注", 2000),
    l("reason", "理由", 2000),
    l("items", "补正事项", 2000),
    l("party", "第三方", 500),
    l("approved_by", "批准人", 100),
    // appeals and proactive records
    l("id", "编号", 64),
    l("body", "复议机关/法院", 200),
    l("case_number", "案号", 200),
    l("title", "标题", 500),
    l("number", "文号", 200),
    // the annual report
    l("sections", "年度报告正文（每节）", 20_000),
    l("signed_by", "落款机关", 200),
    // office and users
    l("agency", "机关名称", 200),
    l("contact", "联系方式", 500),
    l("reconsideration_organ", "复议机关", 200),
    l("court", "人民法院", 200),
    l("calendar_dir", "日历目录", 1024),
    l("name", "用户名", 64),
    l("display_name", "显示名", 100),
    l("password", "密码", 1024),
    l("action", "操作", 100),
    // the office's mail server (online applications' notices)
    l("mail_host", "邮件服务器", 253),
    l("mail_user", "邮箱用户名", 254),
    l("mail_password", "邮箱密码", 1024),
    l("mail_from", "发件人地址", 254),
    l("mail_from_name", "发件人名称", 100),
    l("mail_test_to", "测试收件地址", 254),
];

/// The limit of field `key` (`parent.key` first, then `key`), or the default under the
/// key's own name.
pub fn limit(parent: Option<&str>, key: &str) -> (&'static str, usize) {
    let full = parent.map(|p| format!("{p}.{key}"));
    let hit = full
        .as_deref()
        .and_then(|f| LIMITS.iter().find(|x| x.key == f))
        .or_else(|| LIMITS.iter().find(|x| x.key == key));
    match hit {
        Some(x) => (x.label, x.max),
        None => ("文本", DEFAULT_MAX),
    }
}

/// Refuses `value` when it is longer than field `key`'s limit.
pub fn text(key: &str, value: &str) -> Result<()> {
    let (label, max) = limit(None, key);
    within(label, max, value)
}

/// [`text`] for an optional value.
pub fn opt(key: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |v| text(key, v))
}

fn within(field: &'static str, max: usize, value: &str) -> Result<()> {
    // Bytes bound characters from above: most texts are decided without counting.
    if value.len() <= max {
        return Ok(());
    }
    let len = value.chars().count();
    if len <= max {
        Ok(())
    } else {
        Err(ServiceError::TooLong { field, max, len })
    }
}

/// Refuses an input with a string longer than its field's limit: every string of the
/// serialised value, wherever it sits (nested records, lists, maps).
pub fn check<T: Serialize + ?Sized>(input: &T) -> Result<()> {
    let value = serde_json::to_value(input)
        .map_err(|e| ServiceError::BadRequest(format!("无法读取输入：{e}")))?;
    walk(None, None, &value)
}

fn walk(parent: Option<&str>, key: Option<&str>, v: &Value) -> Result<()> {
    match v {
        Value::String(s) => {
            let (label, max) = match key {
                Some(k) => limit(parent, k),
                None => limit(None, parent.unwrap_or("")),
            };
            within(label, max, s)
        }
        Value::Array(items) => items.iter().try_for_each(|i| walk(parent, key, i)),
        Value::Object(map) => {
            // Map entries keyed by number (a report's sections) take their parent's limit.
            for (k, item) in map {
                if k.chars().all(|c| c.is_ascii_digit()) {
                    walk(None, key, item)?;
                } else {
                    walk(key, Some(k), item)?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_in_chinese() {
        #[derive(Serialize)]
        struct Applicant {
            name: String,
        }
        #[derive(Serialize)]
        struct New {
            applicant: Applicant,
            note: Option<String>,
        }
        let ok = New {
            applicant: Applicant {
                name: "张".repeat(200),
            },
            note: None,
        };
        check(&ok).unwrap();
        let long = New {
            applicant: Applicant {
                name: "张".repeat(201),
            },
            note: None,
        };
        let e = check(&long).unwrap_err();
        assert_eq!(
            e.to_string(),
            "申请人姓名/名称不能超过 200 个字（现有 201 个）"
        );
        assert_eq!(e.code(), "too_long");
        assert_eq!(e.kind(), crate::ErrorKind::Invalid);
    }

    #[test]
    fn lists_maps_and_single_texts() {
        let v = serde_json::json!({ "sections": { "1": "a".repeat(20_001) } });
        assert!(
            check(&v)
                .unwrap_err()
                .to_string()
                .starts_with("年度报告正文")
        );
        let v = serde_json::json!({ "events": [{ "note": "x".repeat(2001) }] });
        assert!(check(&v).unwrap_err().to_string().starts_with("备注"));
        assert!(text("reason", &"理".repeat(2000)).is_ok());
        assert!(text("reason", &"理".repeat(2001)).is_err());
        assert!(opt("court", None).is_ok());
        // A field the table does not name: the default, under a generic name.
        let v = serde_json::json!({ "whatever": "x".repeat(DEFAULT_MAX + 1) });
        assert!(check(&v).unwrap_err().to_string().starts_with("文本"));
    }

    #[test]
    fn every_key_once() {
        let mut keys: Vec<_> = LIMITS.iter().map(|l| l.key).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
