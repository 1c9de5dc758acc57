//! Reply letters (政府信息公开申请答复告知书), assembled once for every front end: a default
//! text per decision, which the office may replace per decision through the store's letter
//! templates (key = the decision's row key, e.g. `granted`); placeholders in braces are
//! filled from the application:
//!
//! | placeholder | value |
//! |---|---|
//! | `{机关}` | the office's name |
//! | `{申请人}` | the applicant's name |
//! | `{您}` | `您` for a natural person, `贵单位` for a 法人或其他组织 |
//! | `{编号}` | the application id |
//! | `{收到日期}` | the legal receipt date |
//! | `{所需信息}` | the information asked for |
//! | `{结论}` | the decision in words |
//! | `{依据}` | the article the decision rests on |
//! | `{理由}` | the reason the office recorded with the decision (its note) |
//! | `{获取方式}` | how the applicant wants to obtain it |
//! | `{复议机关}`, `{法院}` | from the office's settings |
//! | `{救济}` | the remedy paragraph (below) |
//! | `{日期}` | the letter's date |
//!
//! This table is [`Placeholder::ALL`], the one list: [`compose`] fills exactly these (one
//! pass over the text, so a value that contains braces is never filled again) and the
//! template editor (`crate::templates`) refuses any other name in braces.
//!
//! The letter is dated with the date of the decision and carries the time the decision was
//! recorded as its creation time: downloading it again, on any day, gives the same letter.
//!
//! The remedy paragraph follows the 行政复议法 as revised in 2023 (in force 2024-01-01):
//! a refusal to disclose (不予公开, also the withheld part of a 部分公开) must first go to
//! reconsideration (art. 23(1)(4)); then the applicant may sue within 15 days of the
//! reconsideration decision (行政诉讼法 art. 45). Otherwise reconsideration within 60 days
//! (art. 20) or suit within six months (行政诉讼法 art. 46). The organ that hears the
//! reconsideration is the office's setting; empty, the letter names the same-level
//! government (the organ for a department since 2024, arts 24–28).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_ledger::{
    ApplicantKind, Application, ApplicationId, ApplicationState, Decision, Event, EventKind,
    OfficeSettings,
};
use gongkai_store::LetterTemplate;
use serde::Serialize;

use crate::actor::Actor;
use crate::{Result, Service, ServiceError};

/// The full citation of the Regulations in a letter.
pub const REGULATIONS: &str = "《中华人民共和国政府信息公开条例》";

/// The reconsideration organ named when the office has not set one.
pub const DEFAULT_ORGAN: &str = "本机关的同级人民政府";

/// The court named when the office has not set one.
pub const DEFAULT_COURT: &str = "人民法院";

/// The title when the template has none.
pub const DEFAULT_TITLE: &str = "政府信息公开申请答复告知书";

/// A reply letter ready to render (DOCX, PDF, HTML). Fields may be added (e.g. a draft
/// mark): construct it through [`compose`] or with `..` from an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The office (also the document's author).
    pub agency: String,
    pub title: String,
    /// `编号：2025-0001`.
    pub number: String,
    /// The first paragraph is the salutation (`张三：`).
    pub paragraphs: Vec<String>,
    /// The letter's date: the date of the decision.
    pub date: NaiveDate,
    /// The same in words, `2025年3月3日`.
    pub date_zh: String,
    /// When the decision was recorded: the document's creation time.
    pub created_at: DateTime<Utc>,
    pub decision: Decision,
    /// Download file stem, `答复告知书-2025-0001` (`…-草稿` for a draft).
    pub file_stem: String,
    /// The reply is not approved as it stands (三级审查): every format carries the visible
    /// mark 未经审核（草稿）.
    pub draft: bool,
}

/// `2025年3月3日`.
pub(crate) fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Whether the decision refuses disclosure in whole or in part (reconsideration first).
pub fn refuses(decision: Decision) -> bool {
    decision == Decision::PartiallyGranted || decision.group_zh() == "（三）不予公开"
}

/// The remedy paragraph for `decision` with the office's organs (`{您}` left to fill).
pub fn remedy(decision: Decision, office: &OfficeSettings) -> String {
    let organ = non_empty(&office.reconsideration_organ).unwrap_or(DEFAULT_ORGAN);
    let court = non_empty(&office.court).unwrap_or(DEFAULT_COURT);
    if refuses(decision) {
        format!(
            "如对本答复不服，可以自收到本告知书之日起六十日内依法向{organ}申请行政复议；\
             对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court}提起行政诉讼。\
             依照《中华人民共和国行政复议法》第二十三条的规定，对不予公开的答复应当先申请行政复议。"
        )
    } else {
        format!(
            "如对本答复不服，可以自收到本告知书之日起六十日内依法向{organ}申请行政复议，\
             或者自收到本告知书之日起六个月内依法向{court}提起行政诉讼。"
        )
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The default body of the letter for `decision` (one paragraph per line).
pub fn default_body(decision: Decision) -> String {
    use Decision as D;
    let finding = match decision {
        D::Granted => {
            "经审查，{您}申请获取的政府信息属于公开范围，本机关决定予以公开，现按{您}要求的方式（{获取方式}）提供。"
        }
        D::PartiallyGranted => {
            "经审查，{您}申请获取的政府信息中含有依法不应当公开的内容，但能够作区分处理。本机关对可以公开的部分予以提供；对下列不应当公开的部分不予提供：{理由}"
        }
        D::DeniedStateSecret => "经审查，{您}申请获取的政府信息属于国家秘密，依法不予公开。",
        D::DeniedProhibitedByLaw => {
            "经审查，{您}申请获取的政府信息属于法律、行政法规禁止公开的政府信息，依法不予公开。"
        }
        D::DeniedThreeSecurity => {
            "经审查，{您}申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。"
        }
        D::DeniedThirdParty => {
            "经审查，{您}申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关已征求第三方意见，依法不予公开。"
        }
        D::DeniedInternalAffairs => {
            "经审查，{您}申请获取的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，依法可以不予公开。"
        }
        D::DeniedProcessInfo => {
            "经审查，{您}申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，依法可以不予公开。"
        }
        D::DeniedEnforcementFile => {
            "经审查，{您}申请获取的信息属于行政执法案卷信息，依法可以不予公开。"
        }
        D::DeniedQueryMatter => {
            "经审查，{您}申请获取的信息属于行政查询事项，请按照有关规定通过相应的查询渠道办理。"
        }
        D::UnableNotHeld => {
            "经检索查找，本机关未制作、获取{您}申请的政府信息，该政府信息本机关不掌握。"
        }
        D::UnableNeedsCreation => {
            "经审查，本机关没有{您}申请获取的现成信息，需要对现有政府信息进行加工、分析才能形成，本机关不予提供。"
        }
        D::UnableUnclearAfterCorrection => {
            "本机关已告知{您}补正申请，{您}补正后的申请内容仍不明确，本机关无法确定{您}所需要的政府信息，无法提供。"
        }
        D::RejectedPetition => {
            "{您}以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，请通过相应渠道提出。"
        }
        D::RejectedDuplicate => {
            "{您}提出的申请与此前已获答复的申请内容相同，属于重复申请，本机关不予重复处理。"
        }
        D::RejectedPublication => {
            "{您}要求提供的信息属于政府公报、报刊、书籍等公开出版物，请通过公开渠道获取，本机关不予处理。"
        }
        D::RejectedMassRepeated => {
            "{您}的申请数量、频次明显超过合理范围，本机关已要求说明理由而理由不合理，本机关不予处理。"
        }
        D::RejectedConfirmation => {
            "{您}要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请处理的范围，本机关不予处理。"
        }
        D::OtherNoCorrection => {
            "本机关已一次性告知{您}补正申请，{您}无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        D::OtherUnpaidFee => {
            "本机关已向{您}发出收费通知，{您}逾期未按通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        D::OtherOther => "本机关对{您}的申请作如下处理：{结论}。",
    };
    // 部分公开 puts the reason into the finding; every other decision gives it its own
    // paragraph (dropped when no reason was recorded).
    let reason = if decision == D::PartiallyGranted {
        ""
    } else {
        "\n\n{理由}"
    };
    format!(
        "{{申请人}}：\n\n本机关于{{收到日期}}收到{{您}}提出的政府信息公开申请（编号 {{编号}}），申请获取“{{所需信息}}”。\n\n{finding}{reason}\n\n依据：{{依据}}。\n\n{{救济}}"
    )
}

/// What the letter says when 部分公开 was decided without a recorded reason: a visible gap,
/// never a silent omission.
pub const MISSING_WITHHELD: &str =
    "【请在答复结论的备注中写明不予公开的内容及其理由（所依据的条款）】";

/// Assembles the letter of `app` from its last decision (`decided`, the event that made
/// it), the office's name and settings and the office's template for the decision.
pub fn compose(
    app: &Application,
    state: &ApplicationState,
    decided: &Event,
    agency: &str,
    office: &OfficeSettings,
    template: Option<&LetterTemplate>,
) -> Option<Letter> {
    let EventKind::Decided { decision } = decided.kind else {
        return None;
    };
    let body = template.map_or_else(|| default_body(decision), |t| t.body.clone());
    let title = template
        .map(|t| t.title.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| DEFAULT_TITLE.to_string());
    let agency = non_empty(agency).unwrap_or("（机关名称）").to_string();
    let you = if app.applicant.kind == ApplicantKind::NaturalPerson {
        "您"
    } else {
        "贵单位"
    };
    let reason = decided
        .note
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            let mut r = r.to_string();
            if !r.ends_with(['。', '！', '；', '.']) {
                r.push('。');
            }
            r
        });
    let reason = match (reason, decision) {
        (Some(r), _) => r,
        (None, Decision::PartiallyGranted) => MISSING_WITHHELD.to_string(),
        (None, _) => String::new(),
    };
    let date = decided.date;
    let article = decision
        .article()
        .replace("《政府信息公开条例》", REGULATIONS);
    let remedy = remedy(decision, office);
    let received = state.received_on.map(date_zh).unwrap_or_default();
    let letter_date = date_zh(date);
    let value = |p: Placeholder| {
        use Placeholder as P;
        let v: &str = match p {
            P::Agency => &agency,
            P::Applicant => &app.applicant.name,
            P::You => you,
            P::Number => &app.id.0,
            P::Received => &received,
            P::Request => &app.request.description,
            P::Conclusion => decision.label_zh(),
            P::Basis => &article,
            P::Reason => &reason,
            P::Delivery => app.request.delivery.label_zh(),
            P::Organ => non_empty(&office.reconsideration_organ).unwrap_or(DEFAULT_ORGAN),
            P::Court => non_empty(&office.court).unwrap_or(DEFAULT_COURT),
            P::Remedy => &remedy,
            P::Date => &letter_date,
        };
        v.to_string()
    };
    let fill = |text: &str| fill_placeholders(text, value);
    let paragraphs = body
        .split('\n')
        .map(|p| fill(p.trim()))
        .filter(|p| !p.is_empty())
        .collect();
    Some(Letter {
        title: fill(&title),
        number: format!("编号：{}", app.id.0),
        paragraphs,
        date,
        date_zh: date_zh(date),
        created_at: decided.recorded_at,
        decision,
        file_stem: format!("答复告知书-{}", app.id.0),
        agency,
        draft: false,
    })
}

/// A placeholder of a letter template (`{申请人}` …): the one list of what a template may
/// use (the table at the top of this module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Placeholder {
    Agency,
    Applicant,
    You,
    Number,
    Received,
    Request,
    Conclusion,
    Basis,
    Reason,
    Delivery,
    Organ,
    Court,
    Remedy,
    Date,
}

impl Placeholder {
    /// Every placeholder, in the order the editor lists them.
    pub const ALL: [Placeholder; 14] = [
        Placeholder::Applicant,
        Placeholder::You,
        Placeholder::Agency,
        Placeholder::Number,
        Placeholder::Received,
        Placeholder::Request,
        Placeholder::Conclusion,
        Placeholder::Basis,
        Placeholder::Reason,
        Placeholder::Delivery,
        Placeholder::Organ,
        Placeholder::Court,
        Placeholder::Remedy,
        Placeholder::Date,
    ];

    /// The name between the braces, e.g. `申请人`.
    pub fn name(self) -> &'static str {
        use Placeholder as P;
        match self {
            P::Agency => "机关",
            P::Applicant => "申请人",
            P::You => "您",
            P::Number => "编号",
            P::Received => "收到日期",
            P::Request => "所需信息",
            P::Conclusion => "结论",
            P::Basis => "依据",
            P::Reason => "理由",
            P::Delivery => "获取方式",
            P::Organ => "复议机关",
            P::Court => "法院",
            P::Remedy => "救济",
            P::Date => "日期",
        }
    }

    /// What it is filled with, in words (the editor's list).
    pub fn description(self) -> &'static str {
        use Placeholder as P;
        match self {
            P::Agency => "本机关名称",
            P::Applicant => "申请人姓名或名称",
            P::You => "自然人为“您”，法人或其他组织为“贵单位”",
            P::Number => "申请编号",
            P::Received => "收到申请的日期（法定起算日）",
            P::Request => "申请获取的信息",
            P::Conclusion => "答复结论",
            P::Basis => "答复所依据的条款",
            P::Reason => "作出结论时记录的理由（备注）",
            P::Delivery => "申请人要求的获取方式",
            P::Organ => "行政复议机关（机关设置）",
            P::Court => "管辖法院（机关设置）",
            P::Remedy => "救济途径告知（复议、诉讼及期限，按结论自动选择）",
            P::Date => "答复日期（作出结论的日期）",
        }
    }

    /// `{申请人}`.
    pub fn braced(self) -> String {
        format!("{{{}}}", self.name())
    }

    /// The placeholder named `name` (without braces).
    pub fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// `text` with every `{name}` of a known placeholder replaced by `value(placeholder)`, in
/// one pass: other braces stay as they are, and a value is never filled again.
pub fn fill_placeholders(text: &str, value: impl Fn(Placeholder) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find(['{', '}'])
            .filter(|&i| after[i..].starts_with('}'))
            .and_then(|close| Placeholder::from_name(&after[..close]).map(|p| (p, close)))
        {
            Some((p, close)) => {
                out.push_str(&value(p));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The event that made the current decision: the last `Decided` event.
fn last_decision(app: &Application) -> Option<&Event> {
    app.events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Decided { .. }))
        .max_by_key(|e| (e.date, e.seq))
}

impl Service {
    /// The reply letter of application `id`, from its current decision. Refused (409)
    /// while no decision is recorded.
    pub async fn letter(&self, actor: &Actor, id: &ApplicationId) -> Result<Letter> {
        self.letter_with(actor, id, None).await
    }

    /// The letter of application `id` with the office's template for its decision, or
    /// with `draft_template` instead (the template editor's preview, always marked a draft:
    /// unsaved text is approved by no one).
    pub(crate) async fn letter_with(
        &self,
        actor: &Actor,
        id: &ApplicationId,
        draft_template: Option<LetterTemplate>,
    ) -> Result<Letter> {
        tracing::debug!(id = %id, user = actor.name(), "letter asked for");
        self.for_actor(actor).letter_here(id, draft_template).await
    }

    /// The letter in the service's own agency (what [`Service::letter_with`] and the
    /// applicant's download on the 专栏 share).
    pub(crate) async fn letter_here(
        &self,
        id: &ApplicationId,
        draft_template: Option<LetterTemplate>,
    ) -> Result<Letter> {
        let store = &self.store;
        let app = store.application(id).await?;
        let settings = store.settings().await?;
        let state = app.state_at(Service::today(), store.calendar(), settings);
        let no_decision = || ServiceError::BadRequest("尚未作出答复结论，不能生成答复书".into());
        let decided = last_decision(&app).ok_or_else(no_decision)?;
        let EventKind::Decided { decision } = decided.kind else {
            return Err(no_decision());
        };
        let preview = draft_template.is_some();
        let template = match draft_template {
            Some(t) => Some(t),
            None => store.template(decision.row_key()).await?,
        };
        let agency = store.agency().await.unwrap_or_default();
        let office = store.office().await?;
        // Until the reply is approved as it stands, every download is marked 未经审核（草稿）.
        let draft = preview || {
            let review = self
                .review(&gongkai_store::ReviewSubject::Reply {
                    application: app.id.clone(),
                })
                .await?;
            review.status != gongkai_store::ReviewStatus::Approved
        };
        tracing::debug!(id = %id, draft, preview, "letter composed");
        let mut letter = compose(&app, &state, decided, &agency, &office, template.as_ref())
            .ok_or_else(no_decision)?;
        if draft {
            letter.draft = true;
            letter.file_stem.push_str("-草稿");
        }
        Ok(letter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_unknown_braces_stay() {
        let v = |p: Placeholder| match p {
            Placeholder::Applicant => "{机关}张三".to_string(),
            Placeholder::Agency => "某局".to_string(),
            _ => String::new(),
        };
        assert_eq!(
            fill_placeholders("{申请人}：{机关}{未知}{{机关}", v),
            "{机关}张三：某局{未知}{某局"
        );
        assert_eq!(fill_placeholders("无占位符{", v), "无占位符{");
        for p in Placeholder::ALL {
            assert_eq!(Placeholder::from_name(p.name()), Some(p));
        }
    }

    #[test]
    fn every_placeholder_of_the_default_texts_is_known() {
        for d in Decision::ALL {
            let body = default_body(d);
            let filled = fill_placeholders(&body, |p| format!("<{}>", p.name()));
            assert!(!filled.contains('{'), "{d:?}: {filled}");
        }
    }
}
