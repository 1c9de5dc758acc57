//! One vocabulary per domain enum: the wire name (the serde name, `snake_case`), the
//! Chinese label and the list of members, shared by the command line (`value_parser`),
//! the HTML forms (`<select>` options) and the JSON API (serde). Parsing accepts the wire
//! name (with `-` for `_`) or the Chinese label; anything else is an error naming the
//! field and the accepted names, never a silent default.
//!
//! Written as a small trait and a macro rather than with `strum`: the serde names are the
//! source of truth (a test checks every member against `serde_json`), and the Chinese
//! labels and field names are data `strum` does not carry.

use std::fmt;

use crate::appeals::{AppealKind, AppealResult};
use crate::application::{ApplicantKind, Channel, Delivery, IdDocument, InformationForm};
use crate::decision::Decision;
use crate::event::{ConsultationKind, EventType, ReplyMethod};
use crate::proactive::{DecisionArea, DocumentKind};
use crate::register::secrecy::{SecrecyAnswer, SecrecyConclusion};
use crate::register::{ItemStage, Outlet, ReassessOutcome, ValidityStatus, WithholdBasis};

/// A domain enum with one vocabulary.
pub trait Vocabulary: Sized + Copy + PartialEq + 'static {
    /// The field's Chinese name, for messages, e.g. `申请人类型`.
    const FIELD_ZH: &'static str;
    /// Every member, in display order.
    const ALL: &'static [Self];
    /// The wire name (= the serde name), e.g. `natural_person`.
    fn name(self) -> &'static str;
    /// The Chinese label, e.g. `自然人`.
    fn label(self) -> &'static str;

    /// The member named `text` (wire name, `-` for `_`, or Chinese label).
    fn parse(text: &str) -> Result<Self, UnknownValue> {
        let t = text.trim();
        let wire = t.replace('-', "_");
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.name() == wire || v.label() == t)
            .ok_or_else(|| UnknownValue {
                field: Self::FIELD_ZH,
                value: t.to_string(),
                expected: Self::ALL.iter().map(|v| v.name()).collect(),
            })
    }

    /// `(name, label)` pairs, for `<select>` options.
    fn options() -> Vec<(&'static str, &'static str)> {
        Self::ALL.iter().map(|v| (v.name(), v.label())).collect()
    }

    /// Spellings of older releases of the command line (`post` for
    /// `post_with_signature`, `normative` for `normative_document` …): accepted by
    /// [`Vocabulary::parse_cli`] only, so scripts written for them keep working; the web
    /// and the API take the one name.
    const OLD_CLI_NAMES: &'static [(&'static str, Self)] = &[];

    /// The command-line name: the wire name with `-` for `_` (`post-with-signature`).
    fn cli_name(self) -> String {
        self.name().replace('_', "-")
    }

    /// A command-line value: the name (with `-` or `_`), the Chinese label, or an older
    /// spelling ([`Vocabulary::OLD_CLI_NAMES`]).
    fn parse_cli(text: &str) -> Result<Self, UnknownValue> {
        let t = text.trim();
        let wire = t.replace('_', "-");
        if let Some((_, v)) = Self::OLD_CLI_NAMES
            .iter()
            .find(|(old, _)| old.replace('_', "-") == wire)
        {
            return Ok(*v);
        }
        Self::parse(t)
    }
}

/// A value that is not in a field's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}“{value}”无效，可用：{}", expected.join("、"))]
pub struct UnknownValue {
    pub field: &'static str,
    pub value: String,
    pub expected: Vec<&'static str>,
}

/// Implements [`Vocabulary`] and `FromStr` for a unit enum.
macro_rules! vocabulary {
    ($ty:ident, $field:literal, $label:path, [$($v:ident = $name:literal),+ $(,)?]
     $(, old = [$($old:literal => $ov:ident),+ $(,)?])?) => {
        impl Vocabulary for $ty {
            const FIELD_ZH: &'static str = $field;
            const ALL: &'static [Self] = &[$($ty::$v),+];
            $(const OLD_CLI_NAMES: &'static [(&'static str, Self)] = &[$(($old, $ty::$ov)),+];)?
            fn name(self) -> &'static str {
                match self { $($ty::$v => $name),+ }
            }
            fn label(self) -> &'static str {
                $label(self)
            }
        }
        impl std::str::FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                <$ty as Vocabulary>::parse(s)
            }
        }
    };
}

/// `Display` as the wire name (`Decision` displays its Chinese label instead).
macro_rules! display_name {
    ($($ty:ident),+) => {
        $(impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        })+
    };
}

display_name!(
    ApplicantKind,
    IdDocument,
    InformationForm,
    Delivery,
    ReplyMethod,
    ConsultationKind,
    ChannelKind,
    EventType,
    AppealKind,
    AppealResult,
    DocumentKind,
    DecisionArea,
    Outlet,
    WithholdBasis,
    ValidityStatus,
    ItemStage,
    ReassessOutcome,
    SecrecyAnswer,
    SecrecyConclusion
);

vocabulary!(
    ApplicantKind,
    "申请人类型",
    ApplicantKind::label_zh,
    [
        NaturalPerson = "natural_person",
        Commercial = "commercial",
        Research = "research",
        SocialWelfare = "social_welfare",
        LegalService = "legal_service",
        OtherOrganisation = "other_organisation",
    ],
    old = ["other-org" => OtherOrganisation, "other" => OtherOrganisation]
);

vocabulary!(
    IdDocument,
    "身份证明",
    IdDocument::label_zh,
    [
        ResidentIdCard = "resident_id_card",
        Passport = "passport",
        OtherPersonal = "other_personal",
        UnifiedSocialCreditCode = "unified_social_credit_code",
        OtherOrganisational = "other_organisational",
    ]
);

vocabulary!(
    InformationForm,
    "载体形式",
    InformationForm::label_zh,
    [
        Paper = "paper",
        Electronic = "electronic",
        Inspection = "inspection",
    ]
);

vocabulary!(
    Delivery,
    "获取方式",
    Delivery::label_zh,
    [
        Collect = "collect",
        Post = "post",
        Email = "email",
        Online = "online",
        Fax = "fax",
    ]
);

vocabulary!(
    ReplyMethod,
    "送达方式",
    ReplyMethod::label_zh,
    [
        InPerson = "in_person",
        Post = "post",
        Email = "email",
        Online = "online",
        Fax = "fax",
    ]
);

vocabulary!(
    ConsultationKind,
    "征求意见对象类型",
    ConsultationKind::label_zh,
    [ThirdParty = "third_party", CoProducer = "co_producer",]
);

vocabulary!(
    ChannelKind,
    "提交渠道",
    ChannelKind::label_zh,
    [
        InPerson = "in_person",
        Oral = "oral",
        PostWithSignature = "post_with_signature",
        OrdinaryMail = "ordinary_mail",
        Online = "online",
        Fax = "fax",
    ],
    old = [
        "post" => PostWithSignature,
        "post-signature" => PostWithSignature,
        "mail" => OrdinaryMail,
    ]
);

vocabulary!(
    EventType,
    "事项类型",
    EventType::label_zh,
    [
        Received = "received",
        CorrectionRequested = "correction_requested",
        Corrected = "corrected",
        NotCorrected = "not_corrected",
        ConsultationSent = "consultation_sent",
        ConsultationAnswered = "consultation_answered",
        Extended = "extended",
        FeeNoticeSent = "fee_notice_sent",
        FeePaid = "fee_paid",
        FeeNotPaid = "fee_not_paid",
        DelayedReplyNotice = "delayed_reply_notice",
        Decided = "decided",
        ReplySent = "reply_sent",
        Withdrawn = "withdrawn",
        Amended = "amended",
    ]
);

vocabulary!(
    Decision,
    "答复结论",
    Decision::label_zh,
    [
        Granted = "granted",
        PartiallyGranted = "partially_granted",
        DeniedStateSecret = "denied_state_secret",
        DeniedProhibitedByLaw = "denied_prohibited_by_law",
        DeniedThreeSecurity = "denied_three_security",
        DeniedThirdParty = "denied_third_party",
        DeniedInternalAffairs = "denied_internal_affairs",
        DeniedProcessInfo = "denied_process_info",
        DeniedEnforcementFile = "denied_enforcement_file",
        DeniedQueryMatter = "denied_query_matter",
        UnableNotHeld = "unable_not_held",
        UnableNeedsCreation = "unable_needs_creation",
        UnableUnclearAfterCorrection = "unable_unclear_after_correction",
        RejectedPetition = "rejected_petition",
        RejectedDuplicate = "rejected_duplicate",
        RejectedPublication = "rejected_publication",
        RejectedMassRepeated = "rejected_mass_repeated",
        RejectedConfirmation = "rejected_confirmation",
        OtherNoCorrection = "other_no_correction",
        OtherUnpaidFee = "other_unpaid_fee",
        OtherOther = "other_other",
    ]
);

vocabulary!(
    AppealKind,
    "案件类型",
    AppealKind::label_zh,
    [
        Reconsideration = "reconsideration",
        LitigationDirect = "litigation_direct",
        LitigationAfterReconsideration = "litigation_after_reconsideration",
    ],
    old = ["litigation" => LitigationDirect]
);

vocabulary!(
    AppealResult,
    "案件结果",
    AppealResult::label_zh,
    [Upheld = "upheld", Corrected = "corrected", Other = "other",]
);

vocabulary!(
    DocumentKind,
    "文件类型",
    DocumentKind::label_zh,
    [
        Regulation = "regulation",
        NormativeDocument = "normative_document",
    ],
    old = ["normative" => NormativeDocument]
);

vocabulary!(
    DecisionArea,
    "决定类别",
    DecisionArea::label_zh,
    [
        Licensing = "licensing",
        Penalty = "penalty",
        Coercion = "coercion",
    ]
);

vocabulary!(
    Outlet,
    "发布渠道",
    Outlet::label_zh,
    [
        Website = "website",
        NewMedia = "new_media",
        Gazette = "gazette",
        NoticeBoard = "notice_board",
        PressConference = "press_conference",
        Media = "media",
        Other = "other",
    ]
);

vocabulary!(
    WithholdBasis,
    "不予公开依据",
    WithholdBasis::label_zh,
    [
        StateSecret = "state_secret",
        ProhibitedByLaw = "prohibited_by_law",
        Security = "security",
        ThirdParty = "third_party",
        Internal = "internal",
        Process = "process",
        EnforcementFile = "enforcement_file",
    ]
);

vocabulary!(
    ValidityStatus,
    "有效性",
    ValidityStatus::label_zh,
    [
        Effective = "effective",
        Expired = "expired",
        Repealed = "repealed",
    ]
);

vocabulary!(
    SecrecyAnswer,
    "保密审查答复",
    SecrecyAnswer::label_zh,
    [No = "no", Yes = "yes", Unsure = "unsure"]
);

vocabulary!(
    SecrecyConclusion,
    "保密审查结论",
    SecrecyConclusion::label_zh,
    [
        Publishable = "publishable",
        Secret = "secret",
        Referred = "referred",
    ]
);

vocabulary!(
    ItemStage,
    "状态",
    ItemStage::label_zh,
    [
        Draft = "draft",
        InReview = "in_review",
        Approved = "approved",
        Published = "published",
        Withdrawn = "withdrawn",
    ]
);

vocabulary!(
    ReassessOutcome,
    "评估结论",
    ReassessOutcome::label_zh,
    [Keep = "keep", Release = "release", OnRequest = "on_request",]
);

/// A date as every front end accepts it: `2025-03-03`, `2025/3/3` or `2025年3月3日`.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(t, f).ok())
}

/// The channel of art. 31 without its dates (the `kind` tag of [`Channel`]'s serde form,
/// with 口头提出 as its own member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    InPerson,
    Oral,
    PostWithSignature,
    OrdinaryMail,
    Online,
    Fax,
}

impl ChannelKind {
    pub fn label_zh(self) -> &'static str {
        self.with_dates(None, chrono::NaiveDate::MIN).label_zh()
    }

    /// The channel with its earlier date (arrival, submission, sending; default the
    /// receipt date).
    pub fn with_dates(
        self,
        earlier: Option<chrono::NaiveDate>,
        received: chrono::NaiveDate,
    ) -> Channel {
        let earlier = earlier.unwrap_or(received);
        match self {
            ChannelKind::InPerson => Channel::InPerson { oral: false },
            ChannelKind::Oral => Channel::InPerson { oral: true },
            ChannelKind::PostWithSignature => Channel::PostWithSignature,
            ChannelKind::OrdinaryMail => Channel::OrdinaryMail {
                arrived_on: earlier,
            },
            ChannelKind::Online => Channel::Online {
                submitted_on: earlier,
            },
            ChannelKind::Fax => Channel::Fax { sent_on: earlier },
        }
    }
}

impl Channel {
    /// The channel without its dates.
    pub fn kind(&self) -> ChannelKind {
        match self {
            Channel::InPerson { oral: false } => ChannelKind::InPerson,
            Channel::InPerson { oral: true } => ChannelKind::Oral,
            Channel::PostWithSignature => ChannelKind::PostWithSignature,
            Channel::OrdinaryMail { .. } => ChannelKind::OrdinaryMail,
            Channel::Online { .. } => ChannelKind::Online,
            Channel::Fax { .. } => ChannelKind::Fax,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_names_match<T: Vocabulary + serde::Serialize + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::Value::from(v.name()),
                "{v:?}"
            );
            assert_eq!(T::parse(v.name()).unwrap(), *v);
            assert_eq!(T::parse(v.label()).unwrap(), *v);
            assert_eq!(T::parse(&v.name().replace('_', "-")).unwrap(), *v);
        }
        let labels: std::collections::HashSet<_> = T::ALL.iter().map(|v| v.label()).collect();
        assert_eq!(labels.len(), T::ALL.len(), "labels are distinct");
    }

    #[test]
    fn wire_names_are_the_serde_names() {
        serde_names_match::<ApplicantKind>();
        serde_names_match::<IdDocument>();
        serde_names_match::<InformationForm>();
        serde_names_match::<Delivery>();
        serde_names_match::<ReplyMethod>();
        serde_names_match::<ConsultationKind>();
        serde_names_match::<EventType>();
        serde_names_match::<Decision>();
        serde_names_match::<AppealKind>();
        serde_names_match::<AppealResult>();
        serde_names_match::<DocumentKind>();
        serde_names_match::<DecisionArea>();
        serde_names_match::<crate::register::Outlet>();
        serde_names_match::<crate::register::WithholdBasis>();
        serde_names_match::<crate::register::ValidityStatus>();
        serde_names_match::<crate::register::ItemStage>();
        serde_names_match::<crate::register::secrecy::SecrecyAnswer>();
        serde_names_match::<crate::register::secrecy::SecrecyConclusion>();
        serde_names_match::<crate::register::ReassessOutcome>();
        assert_eq!(Decision::ALL.len(), <Decision as Vocabulary>::ALL.len());
    }

    #[test]
    fn channel_kinds_are_the_serde_tags() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        for k in ChannelKind::ALL {
            let c = k.with_dates(None, d);
            assert_eq!(c.kind(), *k);
            let tag = serde_json::to_value(c).unwrap()["kind"].clone();
            let expected = if *k == ChannelKind::Oral {
                "in_person"
            } else {
                k.name()
            };
            assert_eq!(tag, serde_json::Value::from(expected));
        }
        assert_eq!(
            "平常信函".parse::<ChannelKind>().unwrap(),
            ChannelKind::OrdinaryMail
        );
    }

    #[test]
    fn older_command_line_spellings_are_accepted_there_only() {
        assert_eq!(
            ChannelKind::parse_cli("post-with-signature").unwrap(),
            ChannelKind::PostWithSignature
        );
        assert_eq!(
            ChannelKind::PostWithSignature.cli_name(),
            "post-with-signature"
        );
        assert_eq!(
            ChannelKind::parse_cli("post").unwrap(),
            ChannelKind::PostWithSignature
        );
        assert_eq!(
            ChannelKind::parse_cli("mail").unwrap(),
            ChannelKind::OrdinaryMail
        );
        assert_eq!(
            AppealKind::parse_cli("litigation").unwrap(),
            AppealKind::LitigationDirect
        );
        assert_eq!(
            DocumentKind::parse_cli("normative").unwrap(),
            DocumentKind::NormativeDocument
        );
        assert_eq!(
            ApplicantKind::parse_cli("other-org").unwrap(),
            ApplicantKind::OtherOrganisation
        );
        // The forms and the API take the one name only.
        assert!(ChannelKind::parse("post").is_err());
        assert!(DocumentKind::parse("normative").is_err());
        // No older spelling shadows a name of the same vocabulary.
        fn distinct<T: Vocabulary>() {
            for (old, _) in T::OLD_CLI_NAMES {
                assert!(T::parse(old).is_err(), "{old}");
            }
        }
        distinct::<ChannelKind>();
        distinct::<AppealKind>();
        distinct::<DocumentKind>();
        distinct::<ApplicantKind>();
    }

    #[test]
    fn dates_in_three_spellings() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3);
        assert_eq!(parse_date("2025-03-03"), d);
        assert_eq!(parse_date(" 2025/3/3 "), d);
        assert_eq!(parse_date("2025年3月3日"), d);
        assert_eq!(parse_date("2025-13-03"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn unknown_values_name_the_field() {
        let e = "post_signature".parse::<ChannelKind>().unwrap_err();
        assert_eq!(e.field, "提交渠道");
        assert!(
            e.to_string()
                .starts_with("提交渠道“post_signature”无效，可用：in_person")
        );
        assert!("".parse::<Delivery>().is_err());
    }
}
