//! 错敏排查 of a register item, and the publication gate built on it
//! (`proactive-and-portal.md` §2.3: the engine runs when the draft is submitted and again
//! on exactly what is published; a reviewer may override a finding only with a written
//! reason). The engine is `gongkai_lint`, with its shipped data; each part of the item
//! (名称, 内容概述, 正文, every attachment's text) is linted on its own, dated by the item's
//! 生成日期, so a finding's place is the part, the line in it and the character offset.

use std::sync::OnceLock;

use chrono::NaiveDate;
use gongkai_lint::{Linter, OfficeLists, Options, Severity};
use serde::{Deserialize, Serialize};

/// Which part of an item a finding is in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemPart {
    /// 名称.
    Title,
    /// 内容概述.
    Summary,
    /// 正文.
    Body,
    /// An attachment's text (as extracted when it was attached): its number on the item
    /// (附件1, 附件2 …) and its file name.
    Attachment {
        #[serde(default)]
        seq: u32,
        name: String,
    },
}

impl ItemPart {
    /// `名称`, `内容概述`, `正文`, `附件2《…》`.
    pub fn label_zh(&self) -> String {
        match self {
            ItemPart::Title => "名称".into(),
            ItemPart::Summary => "内容概述".into(),
            ItemPart::Body => "正文".into(),
            ItemPart::Attachment { seq, name } => format!("附件{seq}《{name}》"),
        }
    }

    fn key(&self) -> String {
        match self {
            ItemPart::Title => "title".into(),
            ItemPart::Summary => "summary".into(),
            ItemPart::Body => "body".into(),
            ItemPart::Attachment { name, .. } => format!("attachment:{name}"),
        }
    }
}

/// The texts of an item that are checked.
#[derive(Debug, Clone, Default)]
pub struct ItemText<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    /// (number on the item, file name, text as extracted); an attachment without text
    /// is left out (the caller lists it as 未能提取文字).
    pub attachments: Vec<(u32, &'a str, &'a str)>,
}

/// One finding on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFinding {
    /// The rule's code (`PII001` …).
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The rule's message, Chinese.
    pub message: String,
    pub matched: String,
    pub before: String,
    pub after: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    pub part: ItemPart,
    /// 1-based line in the part (for an attachment: the paragraph, counting non-empty
    /// lines of its text).
    pub line: u32,
    /// 0-based character offset of the match in its line.
    pub offset: u32,
}

impl ItemFinding {
    /// Error severity: blocks publication unless overridden.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error.as_str()
    }

    /// What identifies the finding for an override: rule, part and matched text (the
    /// same leak found again at another offset after an edit is the same finding).
    pub fn fingerprint(&self) -> String {
        format!("{}|{}|{}", self.code, self.part.key(), self.matched)
    }

    /// Where, in words: `正文第 3 行第 12 字`, `附件2《名单.xlsx》第 4 段第 3 字`.
    pub fn place_zh(&self) -> String {
        let unit = match self.part {
            ItemPart::Attachment { .. } => "段",
            _ => "行",
        };
        format!(
            "{}第 {} {unit}第 {} 字",
            self.part.label_zh(),
            self.line,
            self.offset + 1
        )
    }

    /// Warning severity (shown, counted, never blocking).
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning.as_str()
    }

    /// The excerpt with the match between 【 and 】.
    pub fn excerpt_marked(&self) -> String {
        format!("{}【{}】{}", self.before, self.matched, self.after)
    }
}

/// A reviewer's override of a finding: its fingerprint, the written reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintOverride {
    pub fingerprint: String,
    pub reason: String,
}

fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::new(OfficeLists::default(), Options::default())
            .expect("the shipped rules and empty office lists always build")
    })
}

/// Lints every part of `text`, dated `formed_on` (old names and citations are judged
/// against it), in part order (名称, 内容概述, 正文, attachments); info-level hints are
/// left out (they are not problems of the text).
pub fn lint_item(text: &ItemText<'_>, formed_on: Option<NaiveDate>) -> Vec<ItemFinding> {
    let mut parts: Vec<(ItemPart, &str)> = vec![
        (ItemPart::Title, text.title),
        (ItemPart::Summary, text.summary),
        (ItemPart::Body, text.body),
    ];
    for (seq, name, t) in &text.attachments {
        parts.push((
            ItemPart::Attachment {
                seq: *seq,
                name: (*name).to_string(),
            },
            t,
        ));
    }
    let l = linter();
    let mut out = Vec::new();
    for (part, t) in parts {
        if t.trim().is_empty() {
            continue;
        }
        let doc = gongkai_lint::text_document(t);
        for f in l.lint_document_dated(&doc, &part.label_zh(), formed_on) {
            if f.severity == Severity::Info || f.suppressed.is_some() {
                continue;
            }
            out.push(ItemFinding {
                code: f.code.to_string(),
                severity: f.severity.as_str().to_string(),
                message: f.message_zh.clone(),
                matched: f.matched.clone(),
                before: f.before.clone(),
                after: f.after.clone(),
                suggestion: f.suggestion.clone(),
                line: match part {
                    ItemPart::Attachment { .. } => f.place.paragraph,
                    _ => f.place.loc.line().unwrap_or(f.place.paragraph),
                },
                part: part.clone(),
                offset: f.place.offset,
            });
        }
    }
    out
}

/// The error-severity findings no override covers: what blocks publication.
pub fn blocking<'a>(
    findings: &'a [ItemFinding],
    overrides: &[LintOverride],
) -> Vec<&'a ItemFinding> {
    findings
        .iter()
        .filter(|f| f.is_error())
        .filter(|f| {
            let fp = f.fingerprint();
            !overrides.iter().any(|o| o.fingerprint == fp)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A valid ID (GB 11643 check digit, from the content-checks spec).
    const ID: &str = "11010519491231002X";

    fn item<'a>(body: &'a str) -> ItemText<'a> {
        ItemText {
            title: "关于某某补贴发放情况的公示",
            summary: "公示本年度补贴发放情况。",
            body,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn a_planted_id_number_is_found_in_its_place_and_blocks() {
        let body = format!("各有关单位：\n申请人张三（身份证号{ID}）已领取补贴。\n");
        let f = lint_item(&item(&body), "2025-03-03".parse().ok());
        let pii: Vec<_> = f.iter().filter(|f| f.code == "PII001").collect();
        assert_eq!(pii.len(), 1, "{f:?}");
        let p = pii[0];
        assert_eq!(p.part, ItemPart::Body);
        assert_eq!(p.line, 2);
        assert_eq!(p.matched, ID);
        assert_eq!(p.place_zh(), "正文第 2 行第 11 字");
        assert!(p.excerpt_marked().contains(&format!("【{ID}】")));
        assert_eq!(blocking(&f, &[]).len(), 1);
        // Overridden with a reason: no longer blocks.
        let o = LintOverride {
            fingerprint: p.fingerprint(),
            reason: "经本人同意公开".into(),
        };
        assert!(blocking(&f, &[o]).is_empty());
        // Masked, it is not found.
        let fixed = body.replace(ID, "110105********002X");
        assert!(
            lint_item(&item(&fixed), None)
                .iter()
                .all(|f| f.code != "PII001")
        );
    }

    #[test]
    fn attachments_and_summary_are_checked_too() {
        let mut t = item("正文无误。");
        t.summary = "联系电话13812345678。";
        t.attachments = vec![(
            2,
            "名单.xlsx",
            "序号 姓名 身份证号\n\n1 李四 11010519491231002X",
        )];
        let f = lint_item(&t, None);
        assert!(f.iter().any(|f| f.part == ItemPart::Summary));
        let a = f
            .iter()
            .find(|f| matches!(&f.part, ItemPart::Attachment { name, .. } if name == "名单.xlsx"))
            .expect("the attachment's ID number");
        // The second paragraph (blank lines do not count).
        assert_eq!(a.line, 2);
        assert_eq!(a.part.label_zh(), "附件2《名单.xlsx》");
        assert_eq!(a.place_zh(), "附件2《名单.xlsx》第 2 段第 6 字");
    }

    #[test]
    fn a_clean_item_has_no_finding() {
        assert!(lint_item(&item("经研究，决定发放补贴。"), None).is_empty());
    }
}
