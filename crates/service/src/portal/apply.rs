//! 依申请公开平台 (issue 17 §3, arts 28–31): an application the public submits online
//! lands in the agency's ledger as an ordinary application, channel 网上提交, and the
//! applicant follows it with a 查询码 and the phone number given.
//!
//! * **Receipt (art. 31(3)).** Online, the receipt date is the day both sides confirm it.
//!   By default the submission confirms it at once (the form says so and the
//!   acknowledgement shows the date); an office that confirms each application by hand sets
//!   `online_receipt_by_clerk` and records the receipt itself (channel 网上提交 with the
//!   submission date), as for any application.
//! * **The 查询码.** 12 characters of Crockford's base32 (60 random bits), shown once; only
//!   its digest is kept. Status is answered only for the code *and* the phone together, and
//!   an unknown pair is `NotFound` whatever part was wrong, so the public pages never reveal
//!   whether an application exists.
//! * **What the applicant sees.** The steps in words (received, correction requested with
//!   what to correct and by when, corrected, extended, replied …) — never the office's notes
//!   or anyone else's data.

use chrono::NaiveDate;
use gongkai_ledger::{
    Applicant, ApplicantKind, Contact, Delivery, EventKind, IdDocument, Identity, InformationForm,
    InformationRequest, Vocabulary,
};
use gongkai_store::model::china_offset;
use gongkai_store::online::{OnlineAccess, PUBLIC_ACTOR};
use gongkai_store::{Agency, EventInput, NewApplication, Stamp};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::{Result, Service};

/// The form's fields (art. 29), as entered; the names are the vocabularies' (see
/// `gongkai_ledger::vocab`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OnlineForm {
    /// 申请人类型 (`natural_person`, `commercial`, …).
    pub kind: String,
    /// 姓名或名称.
    pub name: String,
    /// 证件类型 (empty: the usual one for the kind).
    pub id_document: String,
    /// 证件号码 (art. 29: 身份证明).
    pub id_number: String,
    /// 法定代表人或联系人 (organisations).
    pub representative: String,
    /// 联系电话 (required: it is also the second factor of the 查询码).
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    /// 所需政府信息的名称或特征性描述.
    pub description: String,
    /// 文号.
    pub document_number: String,
    /// 获取信息的形式 (`paper`, `electronic`, `inspection`).
    pub form: String,
    /// 获取方式 (`post`, `email`, `online`, `collect`, `fax`).
    pub delivery: String,
    /// 申请减免信息处理费, with the reason.
    pub fee_waiver: bool,
    pub fee_waiver_reason: String,
}

/// The acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnlineReceipt {
    /// The ledger's number (`2026-0012`).
    pub application_id: String,
    /// The 查询码, shown once (`XXXX-XXXX-XXXX`).
    pub code: String,
    pub submitted_on: NaiveDate,
    /// The receipt date (art. 31), unless the office confirms by hand.
    pub received_on: Option<NaiveDate>,
}

/// One step as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicStep {
    pub date: NaiveDate,
    pub text: String,
}

/// An application's status for its applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnlineStatus {
    pub application_id: String,
    /// The information asked for (the applicant's own words).
    pub description: String,
    pub received_on: Option<NaiveDate>,
    /// Where it stands, in words.
    pub state: String,
    pub steps: Vec<PublicStep>,
    /// An open request to correct: what, and by when.
    pub correction: Option<(String, NaiveDate)>,
    /// The reply letter can be downloaded here (sent by an electronic way).
    pub letter: bool,
}

/// Crockford's base32 (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new 查询码 from 60 random bits, `XXXX-XXXX-XXXX`.
fn new_code() -> Result<String> {
    // 32 random bytes from the OS (the store's session tokens), of which 60 bits are used.
    let token = gongkai_store::auth::new_token()?;
    let mut n = u64::from_str_radix(&token.0[..16], 16)
        .map_err(|e| ServiceError::BadRequest(format!("无法生成查询码：{e}")))?;
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(n & 31) as usize] as char);
        n >>= 5;
    }
    Ok(out)
}

/// A code as typed, in its canonical form (upper case, no separators, O→0, I/L→1).
pub fn normalise_code(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The digits of a phone number (others dropped): `0591-8765 4321` → `059187654321`.
fn phone_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn code_hash(agency: &Agency, code: &str) -> String {
    gongkai_store::auth::sha256_hex(
        format!("gongkai-online-code:{}:{}", agency.id, normalise_code(code)).as_bytes(),
    )
}

fn phone_hash(agency: &Agency, phone: &str) -> String {
    gongkai_store::auth::sha256_hex(
        format!("gongkai-online-phone:{}:{}", agency.id, phone_digits(phone)).as_bytes(),
    )
}

fn given(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn pick<T: Vocabulary>(field: &'static str, text: &str) -> Result<T> {
    T::parse(text.trim()).map_err(|e| ServiceError::invalid(field, e.to_string()))
}

impl OnlineForm {
    /// The application, or the first problem naming its field.
    fn to_new(&self, today: NaiveDate, by_clerk: bool) -> Result<NewApplication> {
        crate::limits::check(self)?;
        let kind: ApplicantKind = pick("申请人类型", &self.kind)?;
        let name = given(&self.name)
            .ok_or_else(|| ServiceError::invalid("姓名或名称", "请填写申请人的姓名或名称"))?;
        let id_number = given(&self.id_number).ok_or_else(|| {
            ServiceError::invalid("证件号码", "请填写身份证明的号码（《条例》第二十九条）")
        })?;
        let document = match given(&self.id_document) {
            None => IdDocument::default_for(kind),
            Some(d) => pick("证件类型", &d)?,
        };
        let digits = phone_digits(&self.phone);
        if !(7..=20).contains(&digits.len()) {
            return Err(ServiceError::invalid(
                "联系电话",
                "请填写能联系到您的电话号码（7 至 20 位数字）；查询办理进度时也要用它",
            ));
        }
        let email = given(&self.email);
        if let Some(e) = &email
            && !(e.contains('@') && e.contains('.'))
        {
            return Err(ServiceError::invalid(
                "电子邮箱",
                format!("“{e}”不是有效的电子邮箱地址"),
            ));
        }
        let description = given(&self.description).ok_or_else(|| {
            ServiceError::invalid(
                "所需信息",
                "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述",
            )
        })?;
        let form: InformationForm = match given(&self.form) {
            None => InformationForm::Electronic,
            Some(f) => pick("获取信息的形式", &f)?,
        };
        let delivery: Delivery = match given(&self.delivery) {
            None => Delivery::Online,
            Some(d) => pick("获取方式", &d)?,
        };
        if delivery == Delivery::Email && email.is_none() {
            return Err(ServiceError::invalid(
                "电子邮箱",
                "选择电子邮件获取时请填写电子邮箱",
            ));
        }
        let address = given(&self.address);
        if delivery == Delivery::Post && address.is_none() {
            return Err(ServiceError::invalid(
                "通信地址",
                "选择邮寄时请填写通信地址",
            ));
        }
        let note = if self.fee_waiver {
            let why = given(&self.fee_waiver_reason).ok_or_else(|| {
                ServiceError::invalid("减免理由", "申请减免信息处理费时请说明理由")
            })?;
            Some(format!("网上申请；申请减免信息处理费：{why}"))
        } else {
            Some("网上申请".to_string())
        };
        let channel = gongkai_ledger::Channel::Online {
            submitted_on: today,
        };
        Ok(NewApplication {
            id: None,
            applicant: Applicant {
                kind,
                name,
                identity: Some(Identity {
                    document,
                    number: id_number,
                }),
                contact: Contact {
                    phone: given(&self.phone),
                    email,
                    address,
                    postcode: given(&self.postcode),
                },
                representative: given(&self.representative),
            },
            request: InformationRequest {
                description,
                document_number: given(&self.document_number),
                form,
                delivery,
                fee_units: 1,
            },
            received: (!by_clerk).then_some(EventInput {
                date: today,
                kind: EventKind::Received { channel },
                note,
            }),
        })
    }
}

impl Service {
    /// Takes an application submitted online into the agency's ledger (module docs).
    /// `client` is the submitter's address, for the audit.
    pub async fn apply_online(
        &self,
        agency: &Agency,
        form: &OnlineForm,
        client: &str,
    ) -> Result<OnlineReceipt> {
        self.apply_online_with(agency, form, &[], client).await
    }

    /// [`Service::apply_online`] with the identity documents uploaded on the form (at most
    /// two, checked by [`super::id_files::check`]), kept with the application.
    pub async fn apply_online_with(
        &self,
        agency: &Agency,
        form: &OnlineForm,
        files: &[super::id_files::IdFile],
        client: &str,
    ) -> Result<OnlineReceipt> {
        let store = self.public_store(agency);
        let office = store.office().await?;
        let today = self.current_date();
        let new = form.to_new(today, office.online_receipt_by_clerk)?;
        let files = super::id_files::check(files)?;
        let code = new_code()?;
        let access = OnlineAccess {
            code_hash: code_hash(agency, &code),
            phone_hash: phone_hash(agency, &form.phone),
            client: client.to_string(),
        };
        let app = store
            .register_online_with(new, &access, &files, &self.public_stamp())
            .await?;
        tracing::info!(agency = %agency.code, application = %app.id.0, "online application");
        Ok(OnlineReceipt {
            application_id: app.id.0.clone(),
            code,
            submitted_on: today,
            received_on: app.events.iter().find_map(|e| match e.kind {
                EventKind::Received { .. } => Some(e.date),
                _ => None,
            }),
        })
    }

    /// The stamp of the public's writes: now, or the service's fixed date (tests).
    fn public_stamp(&self) -> Stamp {
        let mut stamp = Stamp::now(PUBLIC_ACTOR);
        if self.fixed_date.is_some() {
            stamp.at = self
                .current_date()
                .and_hms_opt(10, 0, 0)
                .and_then(|t| t.and_local_timezone(china_offset()).single())
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or(stamp.at);
        }
        stamp
    }

    /// The applicant's correction (补正) submitted online: recorded as the application's
    /// `Corrected` event with the text (the reply clock restarts, art. 30); refused unless
    /// a correction was asked for and is still open.
    pub async fn correct_online(
        &self,
        agency: &Agency,
        code: &str,
        phone: &str,
        text: &str,
    ) -> Result<OnlineStatus> {
        let status = self.online_status(agency, code, phone).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ServiceError::invalid("补正内容", "请填写补正的内容"));
        }
        crate::limits::text("description", text)?;
        if status.correction.is_none() {
            return Err(ServiceError::invalid(
                "补正内容",
                "本申请目前没有需要补正的事项",
            ));
        }
        let app = self
            .public_store(agency)
            .correct_online(
                &code_hash(agency, code),
                &phone_hash(agency, phone),
                text,
                &self.public_stamp(),
            )
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "申请（查询码与电话不匹配）",
                id: String::new(),
            })?;
        tracing::info!(agency = %agency.code, application = %app.id.0, "online correction");
        Ok(status_of(&app))
    }

    /// The reply letter for the applicant: only once the reply was sent, by an electronic
    /// way (网上获取 or 电子邮件), and approved as it stands — never a draft.
    pub async fn online_letter(
        &self,
        agency: &Agency,
        code: &str,
        phone: &str,
    ) -> Result<crate::letters::Letter> {
        let status = self.online_status(agency, code, phone).await?;
        let none = || ServiceError::NotFound {
            what: "答复书",
            id: status.application_id.clone(),
        };
        if !status.letter {
            return Err(none());
        }
        let id = gongkai_ledger::ApplicationId(status.application_id.clone());
        let letter = self.in_agency(agency.id).letter_here(&id, None).await?;
        if letter.draft {
            return Err(none());
        }
        Ok(letter)
    }

    /// The status for the holder of the 查询码 and phone (`NotFound` for any other pair).
    pub async fn online_status(
        &self,
        agency: &Agency,
        code: &str,
        phone: &str,
    ) -> Result<OnlineStatus> {
        crate::limits::text("code", code)?;
        crate::limits::text("phone", phone)?;
        let not_found = || ServiceError::NotFound {
            what: "申请（查询码与电话不匹配）",
            id: String::new(),
        };
        if normalise_code(code).len() != 12 || phone_digits(phone).is_empty() {
            return Err(not_found());
        }
        let app = self
            .public_store(agency)
            .online_application(&code_hash(agency, code), &phone_hash(agency, phone))
            .await?
            .ok_or_else(not_found)?;
        Ok(status_of(&app))
    }
}

/// The applicant's view of an application.
fn status_of(app: &gongkai_ledger::Application) -> OnlineStatus {
    let mut steps = Vec::new();
    let mut correction = None;
    let mut state = "已提交，待工作人员确认收到".to_string();
    let mut received_on = None;
    for e in &app.events {
        let text = match &e.kind {
            EventKind::Received { .. } => {
                received_on = Some(e.date);
                state = "已收到，正在办理".into();
                "已收到申请（《条例》第三十一条）".to_string()
            }
            EventKind::CorrectionRequested { items, due } => {
                correction = Some((items.clone(), *due));
                state = "待补正".into();
                format!("请补正申请：{items}（补正期限：{due}）")
            }
            EventKind::Corrected => {
                correction = None;
                state = "已收到补正，正在办理".into();
                "已收到补正后的申请".to_string()
            }
            EventKind::NotCorrected => {
                correction = None;
                state = "逾期未补正，视为放弃申请".into();
                "逾期未补正，视为放弃申请（《条例》第三十条）".to_string()
            }
            EventKind::ConsultationSent { .. } => {
                "征求第三方或其他机关意见（所需时间不计入答复期限）".to_string()
            }
            EventKind::ConsultationAnswered { .. } => "已收到征求意见的答复".to_string(),
            EventKind::Extended { .. } => "经批准延长答复期限（《条例》第三十三条）".to_string(),
            EventKind::FeeNoticeSent { .. } => "已发出收费通知".to_string(),
            EventKind::FeePaid { .. } => "已缴纳信息处理费".to_string(),
            EventKind::FeeNotPaid => "逾期未缴纳信息处理费".to_string(),
            EventKind::DelayedReplyNotice { deadline, .. } => {
                format!("已告知延迟答复，答复期限：{deadline}（《条例》第三十五条）")
            }
            EventKind::Decided { .. } => continue,
            EventKind::ReplySent { .. } => {
                state = "已答复".into();
                "已作出答复并送达".to_string()
            }
            EventKind::Withdrawn { .. } => {
                state = "已撤回申请".into();
                "申请已撤回".to_string()
            }
            EventKind::Amended { .. } => continue,
        };
        steps.push(PublicStep { date: e.date, text });
    }
    let sent = app
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::ReplySent { .. }));
    OnlineStatus {
        letter: sent && matches!(app.request.delivery, Delivery::Online | Delivery::Email),
        application_id: app.id.0.clone(),
        description: app.request.description.clone(),
        received_on,
        state,
        steps,
        correction,
    }
}
