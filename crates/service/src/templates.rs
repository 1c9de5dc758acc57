//! Reply letter templates (文书模板) edited in the browser or from the command line: one
//! template per decision (key = the decision's row key, e.g. `granted`), saved in versions
//! with who, when and a note; the history, an old version, restoring one (as a new
//! version), restoring the built-in text; and a preview of the letter of a real
//! application with a draft text, composed by [`crate::letters::compose`] as every letter
//! is.
//!
//! # Who may
//!
//! The 办公室主任 and the 管理员 (`Role::can_configure`, the same right as the office's
//! settings): a template is the office's standard wording of a legal act, so it is set by
//! whoever answers for the office's letters, not by every clerk. Every use case here checks
//! it — reading the templates too, since the preview shows an applicant's letter; the
//! store checks it again for every write, which it audits (`template.set`,
//! `template.restore`, `template.default`) in the write's transaction.
//!
//! # What a template may say ([`validate`])
//!
//! * Only the placeholders of [`Placeholder::ALL`] (the list the letter is composed with),
//!   in half-width braces; a brace without its partner, an unknown name or full-width
//!   braces are refused, naming the placeholder and the line.
//! * Required: `{申请人}` (whom the letter answers) and `{救济}` (the remedy: reconsideration
//!   and suit with their time limits, 《政府信息公开条例》第五十一条, 行政复议法第二十条,
//!   行政诉讼法第四十六条); for a refusal (不予公开, 部分公开) also `{理由}`, since a refusal
//!   states its reason (条例第三十六条第（三）项, 第三十七条).
//! * At most [`MAX_TITLE_CHARS`] characters of title, [`MAX_BODY_CHARS`] of body and
//!   [`MAX_NOTE_CHARS`] of note.
//!
//! # Review
//!
//! A reply's review binds the template in force for its decision (the digest of
//! `gongkai_store::reviewing::reply_content`): after a template change, a reply approved
//! with the old text shows 需重新审核 and cannot be recorded as sent until approved again.

use std::fmt;

use chrono::NaiveDate;
use gongkai_ledger::{ApplicationId, Decision, EventKind};
use gongkai_store::{LetterTemplate, StoreError, TemplateChange, TemplateOrigin, TemplateVersion};
use serde::Serialize;

use crate::actor::Actor;
use crate::letters::{DEFAULT_TITLE, Letter, Placeholder, default_body, refuses};
use crate::{Result, Service, ServiceError};

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest body, in characters (a letter is a page or two; the default texts are
/// under 500).
pub const MAX_BODY_CHARS: usize = 20_000;
/// The longest note of a version, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// How many applications the preview offers.
pub const PREVIEW_CHOICES: usize = 20;

/// What is wrong with a template's text, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateProblem {
    /// `模板标题` or `模板正文`.
    pub field: &'static str,
    /// The line of the body (1-based), when the problem is on one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}第 {l} 行：{}", self.field, self.message),
            None => write!(f, "{}：{}", self.field, self.message),
        }
    }
}

/// The placeholders a template for `decision` must use.
pub fn required(decision: Decision) -> Vec<Placeholder> {
    let mut r = vec![Placeholder::Applicant, Placeholder::Remedy];
    if refuses(decision) {
        r.push(Placeholder::Reason);
    }
    r
}

fn known_list() -> String {
    Placeholder::ALL
        .iter()
        .map(|p| p.braced())
        .collect::<Vec<_>>()
        .join("、")
}

/// The brace problems of one line: unpaired braces, unknown names, full-width braces.
fn line_problems(text: &str, mut push: impl FnMut(String)) {
    if text.contains(['｛', '｝']) {
        push("占位符须用半角花括号“{ }”，不能用全角的“｛ ｝”".to_string());
    }
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            push("右花括号“}”前面没有与之配对的“{”".to_string());
            rest = &rest[i + 1..];
            continue;
        }
        let after = &rest[i + 1..];
        match after.find(['{', '}']) {
            Some(j) if after[j..].starts_with('}') => {
                let name = &after[..j];
                if Placeholder::from_name(name).is_none() {
                    push(format!(
                        "未知的占位符“{{{name}}}”（可用的占位符：{}）",
                        known_list()
                    ));
                }
                rest = &after[j + 1..];
            }
            _ => {
                let shown: String = after.chars().take(8).collect();
                push(format!("左花括号“{{”没有配对的“}}”（“{{{shown}”）"));
                rest = after;
            }
        }
    }
}

/// What is wrong with `title` and `body` as the template of `decision` (empty: nothing).
pub fn validate(decision: Decision, title: &str, body: &str) -> Vec<TemplateProblem> {
    let mut out = Vec::new();
    if title.chars().count() > MAX_TITLE_CHARS {
        out.push(TemplateProblem {
            field: "模板标题",
            line: None,
            message: format!("超过 {MAX_TITLE_CHARS} 个字"),
        });
    }
    line_problems(title, |message| {
        out.push(TemplateProblem {
            field: "模板标题",
            line: None,
            message,
        })
    });
    if body.trim().is_empty() {
        out.push(TemplateProblem {
            field: "模板正文",
            line: None,
            message: "不能为空".into(),
        });
        return out;
    }
    if body.chars().count() > MAX_BODY_CHARS {
        out.push(TemplateProblem {
            field: "模板正文",
            line: None,
            message: format!("超过 {MAX_BODY_CHARS} 个字"),
        });
        return out;
    }
    for (n, line) in body.split('\n').enumerate() {
        line_problems(line, |message| {
            out.push(TemplateProblem {
                field: "模板正文",
                line: Some(n + 1),
                message,
            })
        });
    }
    for p in required(decision) {
        if !body.contains(&p.braced()) {
            out.push(TemplateProblem {
                field: "模板正文",
                line: None,
                message: format!("缺少必需的占位符“{}”（{}）", p.braced(), p.description()),
            });
        }
    }
    out
}

/// The body as saved: line ends `\n`, no trailing blank space.
pub fn normalise_body(body: &str) -> String {
    body.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_string()
}

/// The title as saved: trimmed, the default title when empty.
pub fn normalise_title(title: &str) -> String {
    let t = title.trim();
    if t.is_empty() {
        DEFAULT_TITLE.to_string()
    } else {
        t.to_string()
    }
}

/// The problems as one error naming the field and the lines.
fn refused(problems: &[TemplateProblem]) -> ServiceError {
    let field = problems.first().map_or("模板正文", |p| p.field);
    let message = problems
        .iter()
        .map(|p| match p.line {
            Some(l) if p.field == field => format!("第 {l} 行：{}", p.message),
            _ if p.field == field => p.message.clone(),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("；");
    ServiceError::invalid(field, message)
}

fn check_note(note: Option<&str>) -> Result<Option<String>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(ServiceError::invalid(
            "修改说明",
            format!("超过 {MAX_NOTE_CHARS} 个字"),
        ));
    }
    Ok(note.map(str::to_string))
}

/// A template in the list: its decision and whether the office's text is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateSummary {
    pub key: &'static str,
    pub decision: Decision,
    /// The office's text, when one is in force (else the built-in text).
    pub custom: Option<LetterTemplate>,
}

/// A template with its text in force, the built-in text and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateView {
    pub key: &'static str,
    pub decision: Decision,
    /// The title and body in force.
    pub title: String,
    pub body: String,
    /// Whether the office's text is in force (else the built-in one).
    pub custom: bool,
    pub updated: Option<(chrono::DateTime<chrono::Utc>, String)>,
    pub default_title: &'static str,
    pub default_body: String,
    /// Every saved version, newest first.
    pub versions: Vec<TemplateVersion>,
    pub required: Vec<Placeholder>,
}

/// An application the preview can use: one with a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewChoice {
    pub id: ApplicationId,
    pub applicant: String,
    pub decision: Decision,
    pub decided_on: NaiveDate,
}

/// A preview: the letter (when an application was chosen and the text has no problem
/// that prevents composing it) and the problems of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub letter: Option<Letter>,
    pub problems: Vec<TemplateProblem>,
    /// The application's decision, when it is not the template's (the letter then speaks
    /// of the application's decision).
    pub other_decision: Option<Decision>,
}

/// The decision of template `key`.
pub fn decision_of(key: &str) -> Result<Decision> {
    Decision::from_row_key(key.trim()).ok_or_else(|| ServiceError::NotFound {
        what: "答复书模板",
        id: key.trim().to_string(),
    })
}

impl Service {
    /// Refuses an actor who may not edit templates (only the office head and the admin).
    fn may_edit_templates(&self, actor: &Actor, action: &'static str) -> Result<()> {
        if actor.roles().iter().any(|r| r.can_configure()) {
            Ok(())
        } else {
            Err(StoreError::Forbidden {
                user: actor.name().to_string(),
                role: actor.role(),
                action,
            }
            .into())
        }
    }

    /// Every decision's template, in the order of table 三.
    pub async fn letter_templates(&self, actor: &Actor) -> Result<Vec<TemplateSummary>> {
        self.may_edit_templates(actor, "查看答复书模板")?;
        let stored = self.store_for(actor).templates().await?;
        Ok(Decision::ALL
            .into_iter()
            .map(|d| TemplateSummary {
                key: d.row_key(),
                decision: d,
                custom: stored.iter().find(|t| t.key == d.row_key()).cloned(),
            })
            .collect())
    }

    /// Template `key` with its history.
    pub async fn letter_template(&self, actor: &Actor, key: &str) -> Result<TemplateView> {
        self.may_edit_templates(actor, "查看答复书模板")?;
        let decision = decision_of(key)?;
        let key = decision.row_key();
        let stored = self.store_for(actor).template(key).await?;
        let mut versions = self.store_for(actor).template_versions(key).await?;
        versions.reverse();
        let default = default_body(decision);
        Ok(TemplateView {
            key,
            decision,
            title: stored
                .as_ref()
                .map_or(DEFAULT_TITLE.to_string(), |t| t.title.clone()),
            body: stored.as_ref().map_or(default.clone(), |t| t.body.clone()),
            custom: stored.is_some(),
            updated: stored.map(|t| (t.updated_at, t.updated_by)),
            default_title: DEFAULT_TITLE,
            default_body: default,
            versions,
            required: required(decision),
        })
    }

    /// Version `version` of template `key`.
    pub async fn letter_template_version(
        &self,
        actor: &Actor,
        key: &str,
        version: u32,
    ) -> Result<TemplateVersion> {
        self.may_edit_templates(actor, "查看答复书模板")?;
        let key = decision_of(key)?.row_key();
        self.store_for(actor)
            .template_versions(key)
            .await?
            .into_iter()
            .find(|v| v.version == version)
            .ok_or_else(|| ServiceError::NotFound {
                what: "模板版本",
                id: format!("{key} 第 {version} 版"),
            })
    }

    /// Saves template `key` as a new version after checking its placeholders; `None` when
    /// the text in force is the same (nothing written). The built-in text saved while no
    /// office text is in force changes nothing either.
    pub async fn save_letter_template(
        &self,
        actor: &Actor,
        key: &str,
        title: &str,
        body: &str,
        note: Option<&str>,
    ) -> Result<Option<TemplateVersion>> {
        self.may_edit_templates(actor, "修改答复书模板")?;
        let decision = decision_of(key)?;
        let (title, body) = (normalise_title(title), normalise_body(body));
        let problems = validate(decision, &title, &body);
        if !problems.is_empty() {
            return Err(refused(&problems));
        }
        let note = check_note(note)?;
        let key = decision.row_key();
        if self.store_for(actor).template(key).await?.is_none()
            && title == DEFAULT_TITLE
            && body == default_body(decision)
        {
            return Ok(None);
        }
        let change = TemplateChange {
            title,
            body,
            origin: TemplateOrigin::Edit,
            restored_from: None,
            note,
        };
        let saved = self
            .store
            .change_template(key, change, &actor.stamp())
            .await?;
        tracing::info!(
            key,
            user = actor.name(),
            saved = saved.is_some(),
            "letter template saved"
        );
        Ok(saved)
    }

    /// Brings version `version` of template `key` back, as a new version (its text is
    /// checked again: the rules may have changed since).
    pub async fn restore_letter_template(
        &self,
        actor: &Actor,
        key: &str,
        version: u32,
        note: Option<&str>,
    ) -> Result<Option<TemplateVersion>> {
        self.may_edit_templates(actor, "修改答复书模板")?;
        let old = self.letter_template_version(actor, key, version).await?;
        let decision = decision_of(key)?;
        let note = check_note(note)?;
        if old.origin == TemplateOrigin::Default {
            return self
                .restore_default_letter_template(actor, key, note.as_deref())
                .await;
        }
        let problems = validate(decision, &old.title, &old.body);
        if !problems.is_empty() {
            return Err(refused(&problems));
        }
        let change = TemplateChange {
            title: old.title,
            body: old.body,
            origin: TemplateOrigin::Restore,
            restored_from: Some(version),
            note,
        };
        let saved = self
            .store
            .change_template(decision.row_key(), change, &actor.stamp())
            .await?;
        tracing::info!(
            key,
            version,
            user = actor.name(),
            "letter template restored"
        );
        Ok(saved)
    }

    /// Restores the built-in text of template `key` (the office's text is no longer in
    /// force; the history keeps it). `None` when the built-in text is already in force.
    pub async fn restore_default_letter_template(
        &self,
        actor: &Actor,
        key: &str,
        note: Option<&str>,
    ) -> Result<Option<TemplateVersion>> {
        self.may_edit_templates(actor, "修改答复书模板")?;
        let decision = decision_of(key)?;
        let note = check_note(note)?;
        let change = TemplateChange {
            title: DEFAULT_TITLE.to_string(),
            body: default_body(decision),
            origin: TemplateOrigin::Default,
            restored_from: None,
            note,
        };
        let saved = self
            .store
            .change_template(decision.row_key(), change, &actor.stamp())
            .await?;
        tracing::info!(
            key,
            user = actor.name(),
            "letter template set to the built-in text"
        );
        Ok(saved)
    }

    /// The applications the preview offers: those with a decision, the template's
    /// decision first, then the most recently decided.
    pub async fn preview_choices(&self, actor: &Actor, key: &str) -> Result<Vec<PreviewChoice>> {
        self.may_edit_templates(actor, "预览答复书模板")?;
        let decision = decision_of(key)?;
        let mut out: Vec<PreviewChoice> = self
            .store
            .applications()
            .await?
            .into_iter()
            .filter_map(|app| {
                let decided = app
                    .events
                    .iter()
                    .filter(|e| matches!(e.kind, EventKind::Decided { .. }))
                    .max_by_key(|e| (e.date, e.seq))?;
                let EventKind::Decided { decision } = decided.kind else {
                    return None;
                };
                Some(PreviewChoice {
                    decided_on: decided.date,
                    decision,
                    applicant: app.applicant.name.clone(),
                    id: app.id,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            (b.decision == decision, b.decided_on, &b.id.0).cmp(&(
                a.decision == decision,
                a.decided_on,
                &a.id.0,
            ))
        });
        out.truncate(PREVIEW_CHOICES);
        Ok(out)
    }

    /// The letter of `application` as it would read with `title` and `body` as template
    /// `key` (nothing saved), and the text's problems. Composed by the code that composes
    /// every letter; marked a draft.
    pub async fn preview_letter_template(
        &self,
        actor: &Actor,
        key: &str,
        title: &str,
        body: &str,
        application: Option<&ApplicationId>,
    ) -> Result<Preview> {
        self.may_edit_templates(actor, "预览答复书模板")?;
        let decision = decision_of(key)?;
        let (title, body) = (normalise_title(title), normalise_body(body));
        let problems = validate(decision, &title, &body);
        let Some(id) = application else {
            return Ok(Preview {
                letter: None,
                problems,
                other_decision: None,
            });
        };
        // Too long to compose: the problem is shown instead.
        let composable = body.chars().count() <= MAX_BODY_CHARS && !body.trim().is_empty();
        let letter = if composable {
            let draft = LetterTemplate {
                key: decision.row_key().to_string(),
                title,
                body,
                updated_at: chrono::Utc::now(),
                updated_by: actor.name().to_string(),
            };
            Some(self.letter_with(actor, id, Some(draft)).await?)
        } else {
            None
        };
        let other_decision = letter
            .as_ref()
            .map(|l| l.decision)
            .filter(|d| *d != decision);
        Ok(Preview {
            letter,
            problems,
            other_decision,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(d: Decision, body: &str) -> Vec<String> {
        validate(d, "", body)
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn the_default_texts_are_valid() {
        for d in Decision::ALL {
            assert_eq!(
                validate(d, DEFAULT_TITLE, &default_body(d)),
                vec![],
                "{d:?}"
            );
        }
    }

    #[test]
    fn problems_name_the_placeholder_and_the_line() {
        let ok = "{申请人}：\n\n{救济}";
        assert!(messages(Decision::Granted, ok).is_empty());
        let m = messages(Decision::Granted, "{申请人}：\n{姓名}您好\n{救济}");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("模板正文第 2 行：未知的占位符“{姓名}”"),
            "{m:?}"
        );
        let m = messages(Decision::Granted, "{申请人}：\n\n\n依据{依据。\n{救济}");
        assert!(
            m[0].starts_with("模板正文第 4 行：左花括号“{”没有配对的“}”"),
            "{m:?}"
        );
        let m = messages(Decision::Granted, "{申请人}：}\n{救济}");
        assert_eq!(m, ["模板正文第 1 行：右花括号“}”前面没有与之配对的“{”"]);
        let m = messages(Decision::Granted, "｛申请人｝：\n{救济}");
        assert!(m.iter().any(|m| m.contains("全角")), "{m:?}");
        assert!(
            m.iter().any(|m| m.contains("缺少必需的占位符“{申请人}”")),
            "{m:?}"
        );
        let m = messages(Decision::Granted, "{申请人}：予以公开。");
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("缺少必需的占位符“{救济}”"), "{m:?}");
        // A refusal states its reason.
        let m = messages(Decision::DeniedStateSecret, ok);
        assert!(m[0].contains("“{理由}”"), "{m:?}");
        assert!(messages(Decision::DeniedStateSecret, "{申请人}：{理由}\n{救济}").is_empty());
        // Title and length.
        let t = validate(Decision::Granted, "{标题}", ok);
        assert_eq!(
            t[0].to_string(),
            format!(
                "模板标题：未知的占位符“{{标题}}”（可用的占位符：{}）",
                known_list()
            )
        );
        let long = format!("{ok}{}", "字".repeat(MAX_BODY_CHARS));
        assert!(messages(Decision::Granted, &long)[0].contains("超过 20000 个字"));
        assert!(messages(Decision::Granted, " \n ")[0].contains("不能为空"));
    }

    #[test]
    fn one_error_names_the_field_and_every_line() {
        let p = validate(Decision::Granted, "", "{申请人}\n{甲}\n{乙}\n{救济}");
        let e = refused(&p).to_string();
        assert!(
            e.starts_with("模板正文：第 2 行：未知的占位符“{甲}”"),
            "{e}"
        );
        assert!(e.contains("；第 3 行：未知的占位符“{乙}”"), "{e}");
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(normalise_body("a\r\nb\rc  \n\n"), "a\nb\nc");
        assert_eq!(normalise_title("  "), DEFAULT_TITLE);
    }
}
