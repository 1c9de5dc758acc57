//! 保密审查: the secrecy review every item passes at 初审, before it may be published
//! (保守国家秘密法 2024 art. 35, 实施条例 arts 5 and 42 “先审查、后公开”, “逐项”; Regulations
//! art. 17: what cannot be settled goes to the 保密行政管理部门 or the competent authority).
//! `proactive-and-portal.md` §2.3: a checklist with the reviewer's answers and a mandatory
//! conclusion; publication is impossible until it is 非涉密可公开.
//!
//! The checklist's five questions are local practice (the “政治关、法律关、保密关” of
//! 国办发〔2018〕123号 and the 47号 guideline's 国家秘密 / 个人隐私 / 商业秘密): DERIVED.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest note (reason, referral, determination) kept, in characters.
pub const NOTE_MAX_CHARS: usize = 1000;

/// A question of the checklist: does the item (title, summary, body, attachments) contain …
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyQuestion {
    /// 国家秘密 (保密法 arts 13–14).
    StateSecret,
    /// 工作秘密 (internal work matters not for publication).
    WorkSecret,
    /// 商业秘密 (Regulations art. 15).
    TradeSecret,
    /// 个人隐私 (Regulations art. 15; PIPL).
    Privacy,
    /// 危及国家安全、公共安全、经济安全和社会稳定 (“三安全一稳定”, Regulations art. 14).
    Security,
}

impl SecrecyQuestion {
    /// The five questions in checklist order.
    pub const ALL: [SecrecyQuestion; 5] = [
        SecrecyQuestion::StateSecret,
        SecrecyQuestion::WorkSecret,
        SecrecyQuestion::TradeSecret,
        SecrecyQuestion::Privacy,
        SecrecyQuestion::Security,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            SecrecyQuestion::StateSecret => "国家秘密",
            SecrecyQuestion::WorkSecret => "工作秘密",
            SecrecyQuestion::TradeSecret => "商业秘密",
            SecrecyQuestion::Privacy => "个人隐私",
            SecrecyQuestion::Security => "三安全一稳定",
        }
    }

    /// The question as asked on the form.
    pub fn question_zh(self) -> &'static str {
        match self {
            SecrecyQuestion::StateSecret => "是否涉及国家秘密",
            SecrecyQuestion::WorkSecret => "是否涉及工作秘密",
            SecrecyQuestion::TradeSecret => "是否涉及商业秘密",
            SecrecyQuestion::Privacy => "是否涉及个人隐私",
            SecrecyQuestion::Security => "公开后是否可能危及国家安全、公共安全、经济安全和社会稳定",
        }
    }
}

/// The reviewer's answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyAnswer {
    /// 否.
    No,
    /// 是.
    Yes,
    /// 不能确定 (art. 17: reported to the authority that decides).
    Unsure,
}

impl SecrecyAnswer {
    pub fn label_zh(self) -> &'static str {
        match self {
            SecrecyAnswer::No => "否",
            SecrecyAnswer::Yes => "是",
            SecrecyAnswer::Unsure => "不能确定",
        }
    }
}

/// The reviewer's conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyConclusion {
    /// 非涉密可公开.
    Publishable,
    /// 涉密不得公开.
    Secret,
    /// 需报保密行政管理部门确定 (art. 17; publication waits for the determination).
    Referred,
}

impl SecrecyConclusion {
    pub fn label_zh(self) -> &'static str {
        match self {
            SecrecyConclusion::Publishable => "非涉密可公开",
            SecrecyConclusion::Secret => "涉密不得公开",
            SecrecyConclusion::Referred => "需报保密行政管理部门确定",
        }
    }
}

/// The checklist: one answer per question (all five required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecrecyChecklist {
    pub state_secret: SecrecyAnswer,
    pub work_secret: SecrecyAnswer,
    pub trade_secret: SecrecyAnswer,
    pub privacy: SecrecyAnswer,
    pub security: SecrecyAnswer,
}

impl SecrecyChecklist {
    /// All five answered 否.
    pub fn all_no() -> SecrecyChecklist {
        SecrecyChecklist {
            state_secret: SecrecyAnswer::No,
            work_secret: SecrecyAnswer::No,
            trade_secret: SecrecyAnswer::No,
            privacy: SecrecyAnswer::No,
            security: SecrecyAnswer::No,
        }
    }

    /// The answer to `q`.
    pub fn answer(&self, q: SecrecyQuestion) -> SecrecyAnswer {
        match q {
            SecrecyQuestion::StateSecret => self.state_secret,
            SecrecyQuestion::WorkSecret => self.work_secret,
            SecrecyQuestion::TradeSecret => self.trade_secret,
            SecrecyQuestion::Privacy => self.privacy,
            SecrecyQuestion::Security => self.security,
        }
    }

    /// Builds a checklist from (question, answer) pairs, e.g. parsed from a form; a
    /// question left unanswered is an error naming it.
    pub fn from_answers(
        answers: impl IntoIterator<Item = (SecrecyQuestion, SecrecyAnswer)>,
    ) -> Result<SecrecyChecklist, SecrecyError> {
        let mut got: [Option<SecrecyAnswer>; 5] = [None; 5];
        for (q, a) in answers {
            let i = SecrecyQuestion::ALL
                .iter()
                .position(|x| *x == q)
                .unwrap_or(0);
            got[i] = Some(a);
        }
        let get = |q: SecrecyQuestion| {
            let i = SecrecyQuestion::ALL
                .iter()
                .position(|x| *x == q)
                .unwrap_or(0);
            got[i].ok_or(SecrecyError::Unanswered { question: q })
        };
        Ok(SecrecyChecklist {
            state_secret: get(SecrecyQuestion::StateSecret)?,
            work_secret: get(SecrecyQuestion::WorkSecret)?,
            trade_secret: get(SecrecyQuestion::TradeSecret)?,
            privacy: get(SecrecyQuestion::Privacy)?,
            security: get(SecrecyQuestion::Security)?,
        })
    }

    /// The questions answered `a`.
    pub fn answered(&self, a: SecrecyAnswer) -> Vec<SecrecyQuestion> {
        SecrecyQuestion::ALL
            .into_iter()
            .filter(|q| self.answer(*q) == a)
            .collect()
    }
}

/// A secrecy review as the 初审 reviewer records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecrecyReview {
    pub checklist: SecrecyChecklist,
    pub conclusion: SecrecyConclusion,
    /// Required when a 商业秘密 or 个人隐私 answer is 是 and the item is still published
    /// (the right holder's consent or the public interest, art. 15), and for a referral
    /// (to whom it goes, what is asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The answer of the authority an item was referred to (art. 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecrecyDetermination {
    /// The authority (保密行政管理部门 or the competent department).
    pub authority: String,
    /// Its reply's 文号 or other reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The date of its reply.
    pub decided_on: NaiveDate,
    /// [`SecrecyConclusion::Publishable`] or [`SecrecyConclusion::Secret`].
    pub result: SecrecyConclusion,
}

/// A checklist and conclusion that do not fit together (Chinese `Display`, naming the
/// question).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SecrecyError {
    #[error("保密审查：“{}”未作答", .question.question_zh())]
    Unanswered { question: SecrecyQuestion },
    #[error("保密审查：“{}”为“不能确定”，结论应为“需报保密行政管理部门确定”（条例第十七条）", .question.label_zh())]
    UnsureNotReferred { question: SecrecyQuestion },
    #[error("保密审查：涉及国家秘密，结论应为“涉密不得公开”")]
    StateSecretPublished,
    #[error("保密审查：涉及{}，不能得出“非涉密可公开”的结论", .question.label_zh())]
    NotPublishable { question: SecrecyQuestion },
    #[error("保密审查：涉及{}仍予公开的，须在说明中写明权利人同意或公共利益的理由（条例第十五条）", .question.label_zh())]
    ConsentNotStated { question: SecrecyQuestion },
    #[error("保密审查：报送确定的，须在说明中写明报送的机关和事项")]
    ReferralNotStated,
    #[error("保密审查：没有需要报送确定的事项时，结论不能是“需报保密行政管理部门确定”")]
    NothingToRefer,
    #[error("保密审查：说明最多 {max} 个字，现为 {len} 个字")]
    NoteTooLong { max: usize, len: usize },
    #[error("保密审查：确定意见须写明作出确定的机关")]
    NoAuthority,
    #[error("保密审查：确定意见只能是“非涉密可公开”或“涉密不得公开”")]
    DeterminationUndecided,
    #[error("保密审查：确定日期晚于今天")]
    FutureDetermination,
}

fn clean_note(note: Option<String>) -> Result<Option<String>, SecrecyError> {
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if let Some(n) = &note {
        let len = n.chars().count();
        if len > NOTE_MAX_CHARS {
            return Err(SecrecyError::NoteTooLong {
                max: NOTE_MAX_CHARS,
                len,
            });
        }
    }
    Ok(note)
}

impl SecrecyReview {
    /// The review checked: the conclusion must follow from the answers.
    ///
    /// * 国家秘密 是 → 涉密不得公开 (whatever else is answered).
    /// * any 不能确定 → 需报保密行政管理部门确定, with a note saying what is referred
    ///   (unless a 是 on 国家秘密 already settles it).
    /// * 工作秘密 or 三安全一稳定 是 → not 非涉密可公开.
    /// * 商业秘密 or 个人隐私 是 and still 非涉密可公开 → a note with the ground (art. 15:
    ///   consent of the right holder, or public interest).
    /// * 需报… without any 不能确定 is refused (nothing to refer).
    pub fn validated(mut self) -> Result<SecrecyReview, SecrecyError> {
        use SecrecyAnswer::*;
        use SecrecyConclusion::*;
        self.note = clean_note(self.note)?;
        let c = &self.checklist;
        if c.state_secret == Yes {
            return if self.conclusion == Secret {
                Ok(self)
            } else {
                Err(SecrecyError::StateSecretPublished)
            };
        }
        if let Some(q) = c.answered(Unsure).first() {
            if self.conclusion != Referred {
                return Err(SecrecyError::UnsureNotReferred { question: *q });
            }
            if self.note.is_none() {
                return Err(SecrecyError::ReferralNotStated);
            }
            return Ok(self);
        }
        match self.conclusion {
            Referred => Err(SecrecyError::NothingToRefer),
            Secret => Ok(self),
            Publishable => {
                for q in [SecrecyQuestion::WorkSecret, SecrecyQuestion::Security] {
                    if c.answer(q) == Yes {
                        return Err(SecrecyError::NotPublishable { question: q });
                    }
                }
                for q in [SecrecyQuestion::TradeSecret, SecrecyQuestion::Privacy] {
                    if c.answer(q) == Yes && self.note.is_none() {
                        return Err(SecrecyError::ConsentNotStated { question: q });
                    }
                }
                Ok(self)
            }
        }
    }
}

impl SecrecyDetermination {
    /// The determination checked: an authority named, a definite result, not in the future.
    pub fn validated(mut self, today: NaiveDate) -> Result<SecrecyDetermination, SecrecyError> {
        self.authority = self.authority.trim().to_string();
        if self.authority.is_empty() {
            return Err(SecrecyError::NoAuthority);
        }
        self.reference = clean_note(self.reference)?;
        if self.result == SecrecyConclusion::Referred {
            return Err(SecrecyError::DeterminationUndecided);
        }
        if self.decided_on > today {
            return Err(SecrecyError::FutureDetermination);
        }
        Ok(self)
    }
}

/// Where an item's secrecy review stands, for the content now under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyStatus {
    /// No review of the current content (none yet, or the content changed since).
    Missing,
    /// 非涉密可公开 (by the reviewer, or by the authority's determination).
    Publishable,
    /// 涉密不得公开: never published.
    Secret,
    /// Referred (art. 17), the authority's determination not yet recorded.
    AwaitingDetermination,
}

impl SecrecyStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            SecrecyStatus::Missing => "未作保密审查",
            SecrecyStatus::Publishable => "非涉密可公开",
            SecrecyStatus::Secret => "涉密不得公开",
            SecrecyStatus::AwaitingDetermination => "已报保密行政管理部门，待确定",
        }
    }

    /// The status after `review` and, for a referral, the `determination` recorded since.
    pub fn of(
        review: Option<&SecrecyReview>,
        determination: Option<&SecrecyDetermination>,
    ) -> SecrecyStatus {
        match review.map(|r| r.conclusion) {
            None => SecrecyStatus::Missing,
            Some(SecrecyConclusion::Publishable) => SecrecyStatus::Publishable,
            Some(SecrecyConclusion::Secret) => SecrecyStatus::Secret,
            Some(SecrecyConclusion::Referred) => match determination.map(|d| d.result) {
                Some(SecrecyConclusion::Publishable) => SecrecyStatus::Publishable,
                Some(SecrecyConclusion::Secret) => SecrecyStatus::Secret,
                _ => SecrecyStatus::AwaitingDetermination,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SecrecyAnswer::*;
    use SecrecyConclusion::*;

    fn review(c: SecrecyChecklist, conclusion: SecrecyConclusion, note: &str) -> SecrecyReview {
        SecrecyReview {
            checklist: c,
            conclusion,
            note: Some(note.to_string()),
        }
    }

    #[test]
    fn a_clean_item_is_publishable() {
        let r = review(SecrecyChecklist::all_no(), Publishable, "  ")
            .validated()
            .unwrap();
        assert_eq!(r.note, None);
        assert_eq!(
            SecrecyStatus::of(Some(&r), None),
            SecrecyStatus::Publishable
        );
        assert_eq!(SecrecyStatus::of(None, None), SecrecyStatus::Missing);
    }

    #[test]
    fn a_state_secret_is_never_published() {
        let c = SecrecyChecklist {
            state_secret: Yes,
            ..SecrecyChecklist::all_no()
        };
        assert_eq!(
            review(c, Publishable, "").validated().unwrap_err(),
            SecrecyError::StateSecretPublished
        );
        assert_eq!(
            review(c, Referred, "报市保密局").validated().unwrap_err(),
            SecrecyError::StateSecretPublished
        );
        let r = review(c, Secret, "").validated().unwrap();
        assert_eq!(SecrecyStatus::of(Some(&r), None), SecrecyStatus::Secret);
    }

    #[test]
    fn unsure_goes_to_the_authority_with_a_note_and_waits() {
        let c = SecrecyChecklist {
            security: Unsure,
            ..SecrecyChecklist::all_no()
        };
        let e = review(c, Publishable, "").validated().unwrap_err();
        assert_eq!(
            e,
            SecrecyError::UnsureNotReferred {
                question: SecrecyQuestion::Security
            }
        );
        assert!(e.to_string().contains("三安全一稳定"));
        assert_eq!(
            review(c, Referred, " ").validated().unwrap_err(),
            SecrecyError::ReferralNotStated
        );
        let r = review(c, Referred, "报县保密局确定").validated().unwrap();
        assert_eq!(
            SecrecyStatus::of(Some(&r), None),
            SecrecyStatus::AwaitingDetermination
        );
        let today: NaiveDate = "2025-03-10".parse().unwrap();
        let d = SecrecyDetermination {
            authority: " 某某县国家保密局 ".into(),
            reference: Some("某保函〔2025〕3号".into()),
            decided_on: "2025-03-08".parse().unwrap(),
            result: Publishable,
        }
        .validated(today)
        .unwrap();
        assert_eq!(d.authority, "某某县国家保密局");
        assert_eq!(
            SecrecyStatus::of(Some(&r), Some(&d)),
            SecrecyStatus::Publishable
        );
        let secret = SecrecyDetermination {
            result: Secret,
            ..d.clone()
        };
        assert_eq!(
            SecrecyStatus::of(Some(&r), Some(&secret)),
            SecrecyStatus::Secret
        );
        let undecided = SecrecyDetermination {
            result: Referred,
            ..d.clone()
        };
        assert_eq!(
            undecided.validated(today).unwrap_err(),
            SecrecyError::DeterminationUndecided
        );
        let nobody = SecrecyDetermination {
            authority: " ".into(),
            ..d
        };
        assert_eq!(
            nobody.validated(today).unwrap_err(),
            SecrecyError::NoAuthority
        );
    }

    #[test]
    fn privacy_needs_a_ground_work_secrets_are_not_published() {
        let c = SecrecyChecklist {
            privacy: Yes,
            ..SecrecyChecklist::all_no()
        };
        assert_eq!(
            review(c, Publishable, "").validated().unwrap_err(),
            SecrecyError::ConsentNotStated {
                question: SecrecyQuestion::Privacy
            }
        );
        review(c, Publishable, "权利人书面同意公开")
            .validated()
            .unwrap();
        let c = SecrecyChecklist {
            work_secret: Yes,
            ..SecrecyChecklist::all_no()
        };
        assert!(review(c, Publishable, "理由").validated().is_err());
        review(c, Secret, "").validated().unwrap();
        assert_eq!(
            review(SecrecyChecklist::all_no(), Referred, "报送")
                .validated()
                .unwrap_err(),
            SecrecyError::NothingToRefer
        );
    }

    #[test]
    fn every_question_is_answered() {
        let e = SecrecyChecklist::from_answers([
            (SecrecyQuestion::StateSecret, No),
            (SecrecyQuestion::WorkSecret, No),
            (SecrecyQuestion::TradeSecret, No),
            (SecrecyQuestion::Security, No),
        ])
        .unwrap_err();
        assert_eq!(e.to_string(), "保密审查：“是否涉及个人隐私”未作答");
        let all = SecrecyChecklist::from_answers(SecrecyQuestion::ALL.map(|q| (q, No))).unwrap();
        assert_eq!(all, SecrecyChecklist::all_no());
    }
}
