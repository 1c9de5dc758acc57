//! Words for people: an event as a timeline line (Chinese, or English for `--lang en`),
//! and an identity number masked for lists. One place for every front end — the command
//! line's `ledger show`, the application page and the JSON API say the same thing.

use crate::calendar::date_zh;
use crate::event::{Event, EventKind, EventType};
use crate::{Channel, ConsultationKind, Vocabulary};

/// The language of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// An event type's name: `延长答复期限` / `Extension`.
pub fn event_label(t: EventType, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => t.label_zh(),
        Lang::En => match t {
            EventType::Received => "Received",
            EventType::Amended => "Registration corrected",
            EventType::CorrectionRequested => "Correction requested",
            EventType::Corrected => "Corrected application received",
            EventType::NotCorrected => "Not corrected in time",
            EventType::ConsultationSent => "Consultation sent",
            EventType::ConsultationAnswered => "Consultation answered",
            EventType::Extended => "Extension",
            EventType::FeeNoticeSent => "Fee notice sent",
            EventType::FeePaid => "Fee paid",
            EventType::FeeNotPaid => "Fee not paid in time",
            EventType::DelayedReplyNotice => "Delayed reply fixed by notice",
            EventType::Decided => "Decision",
            EventType::ReplySent => "Reply sent",
            EventType::Withdrawn => "Withdrawn",
        },
    }
}

fn date_en(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What an event says beyond its type (empty when nothing): `延长 20 个工作日，批准人 李主任，
/// 2025年3月10日告知申请人` / `20 working days, approved by 李主任, applicant told 2025-03-10`.
pub fn event_detail(kind: &EventKind, lang: Lang) -> String {
    match lang {
        Lang::Zh => detail_zh(kind),
        Lang::En => detail_en(kind),
    }
}

/// The type and the details in one line: `延长答复期限：延长 20 个工作日，…`.
pub fn event_summary(kind: &EventKind, lang: Lang) -> String {
    let label = event_label(kind.event_type(), lang);
    let detail = event_detail(kind, lang);
    match (detail.is_empty(), lang) {
        (true, _) => label.to_string(),
        (false, Lang::Zh) => format!("{label}：{detail}"),
        (false, Lang::En) => format!("{label}: {detail}"),
    }
}

/// [`event_summary`] of an event.
pub fn describe(e: &Event, lang: Lang) -> String {
    event_summary(&e.kind, lang)
}

fn consents_zh(consents: Option<bool>) -> &'static str {
    match consents {
        Some(true) => "同意公开",
        Some(false) => "不同意公开",
        None => "未表态",
    }
}

fn detail_zh(kind: &EventKind) -> String {
    match kind {
        EventKind::Received { channel } => {
            let when = match channel {
                Channel::OrdinaryMail { arrived_on } => format!("，{}到达", date_zh(*arrived_on)),
                Channel::Online { submitted_on } => format!("，{}提交", date_zh(*submitted_on)),
                Channel::Fax { sent_on } => format!("，{}发送", date_zh(*sent_on)),
                _ => String::new(),
            };
            format!(
                "{}{when}；{}",
                channel.label_zh(),
                channel.receipt_rule_zh()
            )
        }
        EventKind::CorrectionRequested { items, due } => {
            format!("补正事项：{items}；补正期限 {}", date_zh(*due))
        }
        EventKind::Corrected | EventKind::NotCorrected | EventKind::FeeNotPaid => String::new(),
        EventKind::ConsultationSent {
            consultation,
            party,
        } => format!(
            "{}：{party}（{}）",
            consultation.label_zh(),
            consultation.article_zh()
        ),
        EventKind::ConsultationAnswered {
            consultation_seq,
            consents,
        } => format!(
            "第 {consultation_seq} 项征求意见的答复：{}",
            consents_zh(*consents)
        ),
        EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on,
        } => format!(
            "延长 {days} 个工作日，批准人 {approved_by}，{}告知申请人",
            date_zh(*applicant_notified_on)
        ),
        EventKind::FeeNoticeSent {
            amount,
            received_by_applicant_on,
            ..
        } => format!(
            "信息处理费 {amount} 元{}",
            received_by_applicant_on
                .map(|d| format!("，申请人{}收到", date_zh(d)))
                .unwrap_or_default()
        ),
        EventKind::FeePaid { amount } => format!("缴纳 {amount} 元"),
        EventKind::DelayedReplyNotice { deadline, reason } => {
            format!("确定答复期限为 {}；理由：{reason}", date_zh(*deadline))
        }
        EventKind::Decided { decision } => {
            format!("{}（{}）", decision.label_zh(), decision.article())
        }
        EventKind::ReplySent { method } => format!("送达方式：{}", method.label_zh()),
        EventKind::Withdrawn { reason } => reason.clone().unwrap_or_default(),
        EventKind::Amended { changes, reason } => {
            let mut parts: Vec<String> = changes.iter().map(|c| c.describe_zh()).collect();
            parts.push(format!("理由：{reason}"));
            parts.join("；")
        }
    }
}

fn detail_en(kind: &EventKind) -> String {
    match kind {
        EventKind::Received { channel } => {
            let when = match channel {
                Channel::OrdinaryMail { arrived_on } => {
                    format!(", arrived {}", date_en(*arrived_on))
                }
                Channel::Online { submitted_on } => {
                    format!(", submitted {}", date_en(*submitted_on))
                }
                Channel::Fax { sent_on } => format!(", sent {}", date_en(*sent_on)),
                _ => String::new(),
            };
            format!("{}{when}", channel.kind().name().replace('_', "-"))
        }
        EventKind::CorrectionRequested { items, due } => {
            format!("{items}; due {}", date_en(*due))
        }
        EventKind::Corrected | EventKind::NotCorrected | EventKind::FeeNotPaid => String::new(),
        EventKind::ConsultationSent {
            consultation,
            party,
        } => format!(
            "{} {party}",
            match consultation {
                ConsultationKind::ThirdParty => "third party",
                ConsultationKind::CoProducer => "co-producing organ",
            }
        ),
        EventKind::ConsultationAnswered {
            consultation_seq,
            consents,
        } => format!(
            "to #{consultation_seq}: {}",
            match consents {
                Some(true) => "consents",
                Some(false) => "objects",
                None => "no position",
            }
        ),
        EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on,
        } => format!(
            "{days} working days, approved by {approved_by}, applicant told {}",
            date_en(*applicant_notified_on)
        ),
        EventKind::FeeNoticeSent {
            amount,
            received_by_applicant_on,
            ..
        } => format!(
            "{amount} yuan{}",
            received_by_applicant_on
                .map(|d| format!(", received by the applicant {}", date_en(d)))
                .unwrap_or_default()
        ),
        EventKind::FeePaid { amount } => format!("{amount} yuan"),
        EventKind::DelayedReplyNotice { deadline, reason } => {
            format!("deadline {}; {reason}", date_en(*deadline))
        }
        EventKind::Decided { decision } => decision.row_key().replace('_', "-"),
        EventKind::ReplySent { method } => method.name().replace('_', "-"),
        EventKind::Withdrawn { reason } => reason.clone().unwrap_or_default(),
        EventKind::Amended { changes, reason } => {
            let fields: Vec<String> = changes.iter().map(|c| c.describe_zh()).collect();
            format!("{} (reason: {reason})", fields.join("; "))
        }
    }
}

/// An identity number for a list: `410702199001011234` → `410702********1234` (the first
/// six and the last four of a resident ID card or a credit code, the first and last two of
/// shorter numbers, nothing of very short ones). The full number is shown only on the
/// application's page to those who handle it.
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        15.. => (6, 4),
        8..=14 => (2, 2),
        4..=7 => (1, 1),
        _ => (0, 0),
    };
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn id_numbers_are_masked() {
        assert_eq!(mask_id_number("410702199001011234"), "410702********1234");
        assert_eq!(mask_id_number("91410700MA44XXXX0X"), "914107********XX0X");
        assert_eq!(mask_id_number("E12345678"), "E1*****78");
        assert_eq!(mask_id_number("12345"), "1***5");
        assert_eq!(mask_id_number("123"), "***");
        assert_eq!(mask_id_number(""), "");
    }

    #[test]
    fn events_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        let k = EventKind::Extended {
            days: 20,
            approved_by: "李主任".into(),
            applicant_notified_on: d,
        };
        assert_eq!(
            event_summary(&k, Lang::Zh),
            "延长答复期限：延长 20 个工作日，批准人 李主任，2025年3月10日告知申请人"
        );
        assert_eq!(
            event_summary(&k, Lang::En),
            "Extension: 20 working days, approved by 李主任, applicant told 2025-03-10"
        );
        assert_eq!(
            event_summary(&EventKind::Corrected, Lang::Zh),
            "收到补正后的申请"
        );
        for t in <EventType as Vocabulary>::ALL {
            assert!(!event_label(*t, Lang::En).is_empty());
        }
    }
}
