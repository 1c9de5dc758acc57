//! E-mail to online applicants (issue 17 §3): the office's mail server (管理员, audited;
//! the password never shown back) and the sender of the outbox's notices.
//!
//! The store writes a notice in the transaction of its event (the receipt, 告知补正, an
//! extension, the reply) when the application was submitted online, its applicant gave an
//! e-mail address and the office has a mail server (`gongkai_store::mail`); without one
//! nothing is written and the applicant follows the application on the status page only.
//! [`Service::deliver_mail`] sends the notices that are due, outside any transaction,
//! with [lettre](https://lettre.rs) over SMTP (none, STARTTLS or implicit TLS: rustls with
//! the system's certificates); a failure is recorded on the notice and tried again after
//! 1, 2, 4 … minutes (at most [`MAX_RETRY_MINUTES`]), until [`MAX_ATTEMPTS`] attempts.
//!
//! The messages are in Chinese and never carry the 查询码 (only its digest is kept): they
//! say where to follow the application with it.

use chrono::{DateTime, Duration, Utc};
use gongkai_ledger::{Application, Delivery, EventKind};
use gongkai_store::{MailNotice, MailSecurity, MailSettings, NoticeKind, Role, StoreError};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// Attempts before a notice is given up (shown to the office, which may send it again).
pub const MAX_ATTEMPTS: i32 = 10;
/// The longest wait between two attempts.
pub const MAX_RETRY_MINUTES: i64 = 360;
/// How long a sender holds a notice it is sending.
const CLAIM_MINUTES: i64 = 5;
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT_SECS: u64 = 30;

/// The mail page's form, as entered. An empty password keeps the one saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailInput {
    pub host: String,
    pub port: String,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    pub password: String,
    pub from_address: String,
    pub from_name: String,
}

/// The mail page: the settings without the password, and the latest notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailView {
    pub configured: bool,
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub username: String,
    /// A password is saved (never shown).
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    pub notices: Vec<MailNotice>,
}

/// What one round of sending did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MailRun {
    pub sent: usize,
    /// Failed this time (to be tried again, or given up).
    pub failed: usize,
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            user: actor.name().to_string(),
            role: actor.role(),
            action: "设置邮件服务器",
        }
        .into())
    }
}

/// A plausible address: one `@`, something on both sides, a dot in the domain, no spaces.
fn is_address(s: &str) -> bool {
    s.parse::<lettre::Address>().is_ok() && s.split('@').nth(1).is_some_and(|d| d.contains('.'))
}

impl MailInput {
    /// The settings, or the first problem naming its field; `old` gives the password
    /// when none was typed.
    fn to_settings(&self, old: Option<&MailSettings>) -> Result<MailSettings> {
        crate::limits::text("mail_host", &self.host)?;
        crate::limits::text("mail_user", &self.username)?;
        crate::limits::text("mail_password", &self.password)?;
        crate::limits::text("mail_from", &self.from_address)?;
        crate::limits::text("mail_from_name", &self.from_name)?;
        let host = self.host.trim();
        if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            return Err(ServiceError::invalid(
                "邮件服务器",
                "请填写 SMTP 服务器的主机名或 IP 地址（如 smtp.example.gov.cn）",
            ));
        }
        let security = MailSecurity::parse(&self.security).ok_or_else(|| {
            ServiceError::invalid("加密方式", "请选择加密方式：不加密、STARTTLS 或 SSL/TLS")
        })?;
        let port = match self.port.trim() {
            "" => match security {
                MailSecurity::None => 25,
                MailSecurity::StartTls => 587,
                MailSecurity::Tls => 465,
            },
            p => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                ServiceError::invalid("端口", format!("“{p}”不是有效的端口号（1–65535）"))
            })?,
        };
        let from_address = self.from_address.trim();
        if !is_address(from_address) {
            return Err(ServiceError::invalid(
                "发件人地址",
                format!("“{from_address}”不是有效的电子邮箱地址"),
            ));
        }
        let password = if self.password.is_empty() {
            old.map(|o| o.password.clone()).unwrap_or_default()
        } else {
            self.password.clone()
        };
        Ok(MailSettings {
            host: host.to_string(),
            port,
            security,
            username: self.username.trim().to_string(),
            password,
            from_address: from_address.to_string(),
            from_name: self.from_name.trim().to_string(),
        })
    }
}

impl Service {
    /// The mail page (管理员).
    pub async fn mail_view(&self, actor: &Actor) -> Result<MailView> {
        self.refused(actor, "mail.read", "mail", require_admin(actor))
            .await?;
        let store = self.store_for(actor);
        let s = store.mail_settings().await?;
        let notices = store.mail_notices(50).await?;
        Ok(match s {
            Some(s) => MailView {
                configured: true,
                host: s.host,
                port: s.port,
                security: s.security,
                username: s.username,
                password_set: !s.password.is_empty(),
                from_address: s.from_address,
                from_name: s.from_name,
                notices,
            },
            None => MailView {
                configured: false,
                host: String::new(),
                port: 587,
                security: MailSecurity::StartTls,
                username: String::new(),
                password_set: false,
                from_address: String::new(),
                from_name: String::new(),
                notices,
            },
        })
    }

    /// Saves the office's mail server (管理员), audited without the password; `None`
    /// removes it (no more notices are written; those pending are given up when due).
    pub async fn set_mail(&self, actor: &Actor, input: Option<&MailInput>) -> Result<()> {
        self.refused(actor, "mail.set", "mail", require_admin(actor))
            .await?;
        let store = self.store_for(actor);
        let settings = match input {
            Some(i) => Some(i.to_settings(store.mail_settings().await?.as_ref())?),
            None => None,
        };
        let r = store
            .set_mail_settings(settings.as_ref(), &actor.stamp())
            .await;
        self.refused(actor, "mail.set", "mail", r.map_err(Into::into))
            .await?;
        tracing::info!(
            user = actor.name(),
            configured = settings.is_some(),
            "mail server settings saved"
        );
        Ok(())
    }

    /// Sends a test message to `to` with the saved server, at once (管理员), so the office
    /// sees whether its settings work before an applicant depends on them. What the server
    /// answered comes back in words (a failure is an answer, not an error of this call);
    /// audited (`mail.test`: the address and the outcome).
    pub async fn test_mail(&self, actor: &Actor, to: &str) -> Result<MailTest> {
        self.refused(actor, "mail.test", "mail", require_admin(actor))
            .await?;
        crate::limits::text("mail_test_to", to)?;
        let to = to.trim();
        if !is_address(to) {
            return Err(ServiceError::invalid(
                "测试收件地址",
                format!("“{to}”不是有效的电子邮箱地址"),
            ));
        }
        let store = self.store_for(actor);
        let settings = store.mail_settings().await?.ok_or_else(|| {
            ServiceError::invalid("邮件服务器", "尚未设置邮件服务器：请先填写并保存")
        })?;
        let agency = store.this_agency().await?;
        let outcome = send_test(&settings, &agency.name, to).await;
        let test = match outcome {
            Ok(()) => MailTest {
                sent: true,
                message: format!(
                    "测试邮件已由 {}:{} 发往 {to}，请到该邮箱查收",
                    settings.host, settings.port
                ),
            },
            Err(e) => MailTest {
                sent: false,
                message: format!("测试邮件未能发出：{e}"),
            },
        };
        store
            .record_audit(
                &actor.stamp(),
                "mail.test",
                "mail",
                &settings.host,
                serde_json::json!({ "to": to, "sent": test.sent, "message": test.message }),
            )
            .await?;
        tracing::info!(user = actor.name(), to, sent = test.sent, "test mail");
        Ok(test)
    }

    /// Puts a notice given up back in the queue (管理员).
    pub async fn retry_mail(&self, actor: &Actor, id: i64) -> Result<()> {
        self.refused(actor, "mail.retry", "mail", require_admin(actor))
            .await?;
        let r = self.store_for(actor).retry_mail(id, &actor.stamp()).await;
        self.refused(actor, "mail.retry", "mail", r.map_err(Into::into))
            .await
    }

    /// The notices of one application (its page in the ledger).
    pub async fn mail_notices_of(&self, actor: &Actor, id: &str) -> Result<Vec<MailNotice>> {
        Ok(self.store_for(actor).mail_notices_of(id).await?)
    }

    /// Sends the notices due at `now`, in every agency: each claimed first (two senders
    /// never send one twice), composed from the application as it stands, sent, and
    /// marked sent or failed (tried again later, or given up after [`MAX_ATTEMPTS`]).
    /// `portal_url` (e.g. `https://gk.example.gov.cn`) lets the message link the status
    /// page. Errors of one notice are recorded on it, not returned.
    pub async fn deliver_mail(
        &self,
        now: DateTime<Utc>,
        portal_url: Option<&str>,
    ) -> Result<MailRun> {
        let mut run = MailRun::default();
        for n in self.store.due_mail(now, 100).await? {
            let until = now + Duration::minutes(CLAIM_MINUTES);
            if !self.store.claim_mail(n.id, now, until).await? {
                continue;
            }
            let attempts = n.attempts + 1;
            match self.send_notice(&n, portal_url).await {
                Ok(subject) => {
                    self.store
                        .mail_sent(n.id, Utc::now().max(now), &subject)
                        .await?;
                    tracing::info!(notice = n.id, application = %n.application_id, kind = n.kind.as_str(), "notice e-mailed");
                    run.sent += 1;
                }
                Err(e) => {
                    let retry = (attempts < MAX_ATTEMPTS).then(|| {
                        let minutes = 1i64 << (attempts - 1).clamp(0, 20);
                        now + Duration::minutes(minutes.min(MAX_RETRY_MINUTES))
                    });
                    tracing::warn!(notice = n.id, application = %n.application_id, attempts, error = %e, given_up = retry.is_none(), "notice not sent");
                    self.store.mail_failed(n.id, now, &e, retry).await?;
                    run.failed += 1;
                }
            }
        }
        Ok(run)
    }

    /// Composes and sends one notice; the subject, or the error in words.
    async fn send_notice(
        &self,
        n: &MailNotice,
        portal_url: Option<&str>,
    ) -> std::result::Result<String, String> {
        let store = self.store.in_agency(n.agency);
        let settings = store
            .mail_settings()
            .await
            .map_err(|e| e.to_string())?
            .ok_or("本机关已取消邮件服务器设置，不再发送")?;
        let agency = store.this_agency().await.map_err(|e| e.to_string())?;
        let app = store
            .application(&gongkai_ledger::ApplicationId(n.application_id.clone()))
            .await
            .map_err(|e| e.to_string())?;
        let track = portal_url.map(|u| {
            format!(
                "{}/portal/{}/track",
                u.trim_end_matches('/'),
                percent(&agency.code)
            )
        });
        let ledger_settings = store.settings().await.map_err(|e| e.to_string())?;
        let (subject, body) = compose(
            n,
            &app,
            &agency.name,
            track.as_deref(),
            store.calendar(),
            ledger_settings,
        )?;
        let from = Mailbox::new(
            Some(settings.from_name.clone()).filter(|s| !s.is_empty()),
            settings
                .from_address
                .parse()
                .map_err(|e| format!("发件人地址无效：{e}"))?,
        );
        let to: lettre::Address = n
            .recipient
            .parse()
            .map_err(|e| format!("收件人地址无效：{e}"))?;
        let message = Message::builder()
            .from(from)
            .to(Mailbox::new(Some(app.applicant.name.clone()), to))
            .subject(subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("邮件无法生成：{e}"))?;
        transport(&settings)?
            .send(message)
            .await
            .map_err(|e| format!("邮件服务器 {}:{}：{e}", settings.host, settings.port))?;
        Ok(subject)
    }
}

/// What a test message came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailTest {
    pub sent: bool,
    /// In Chinese: where it went, or what the server answered.
    pub message: String,
}

/// Sends the test message; the error in words.
async fn send_test(s: &MailSettings, agency: &str, to: &str) -> std::result::Result<(), String> {
    let from = Mailbox::new(
        Some(s.from_name.clone()).filter(|n| !n.is_empty()),
        s.from_address
            .parse()
            .map_err(|e| format!("发件人地址无效：{e}"))?,
    );
    let to: lettre::Address = to.parse().map_err(|e| format!("收件人地址无效：{e}"))?;
    let message = Message::builder()
        .from(from)
        .to(Mailbox::new(None, to))
        .subject(format!("{agency}政府信息公开邮件通知测试"))
        .header(ContentType::TEXT_PLAIN)
        .body(format!(
            "这是一封测试邮件：{agency}的政府信息公开系统可以通过邮件服务器 {}:{} 发送邮件。\n网上申请的受理、补正、延期和答复通知将由此发出。\n\n（本邮件由系统自动发送，请勿直接回复。）\n",
            s.host, s.port
        ))
        .map_err(|e| format!("邮件无法生成：{e}"))?;
    transport(s)?
        .send(message)
        .await
        .map_err(|e| format!("邮件服务器 {}:{}：{e}", s.host, s.port))?;
    Ok(())
}

/// The agency's code in a URL path.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The SMTP transport for the office's settings.
fn transport(s: &MailSettings) -> std::result::Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let tls =
        |host: &str| TlsParameters::new(host.to_string()).map_err(|e| format!("TLS 设置无效：{e}"));
    let tls = match s.security {
        MailSecurity::None => Tls::None,
        MailSecurity::StartTls => Tls::Required(tls(&s.host)?),
        MailSecurity::Tls => Tls::Wrapper(tls(&s.host)?),
    };
    let hello = s
        .from_address
        .rsplit_once('@')
        .map_or_else(|| "localhost".to_string(), |(_, d)| d.to_string());
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
        .port(s.port)
        .tls(tls)
        .hello_name(ClientId::Domain(hello))
        .timeout(Some(std::time::Duration::from_secs(SMTP_TIMEOUT_SECS)));
    if !s.username.is_empty() {
        b = b.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    Ok(b.build())
}

/// The subject and the body of a notice.
fn compose(
    n: &MailNotice,
    app: &Application,
    agency: &str,
    track: Option<&str>,
    calendar: &gongkai_ledger::Calendar,
    settings: gongkai_ledger::Settings,
) -> std::result::Result<(String, String), String> {
    let event = app
        .events
        .iter()
        .find(|e| i64::from(e.seq) == n.event_seq)
        .ok_or_else(|| format!("申请 {} 没有第 {} 条办理记录", app.id.0, n.event_seq))?;
    let id = &app.id.0;
    let date = crate::letters::date_zh(event.date);
    let where_to = match track {
        Some(url) => format!("“申请查询”页面（{url}）"),
        None => "“申请查询”页面".to_string(),
    };
    let follow = format!(
        "请凭提交申请时页面给出的查询码和您填写的联系电话，在{agency}政府信息公开专栏的{where_to}查看办理进度。为保护您的信息，本邮件不含查询码。"
    );
    let (subject, text) = match (&event.kind, n.kind) {
        (EventKind::Received { .. }, NoticeKind::Received) => (
            format!("{agency}已收到您的政府信息公开申请（{id}）"),
            format!(
                "您通过网上提交的政府信息公开申请已于{date}收到（《中华人民共和国政府信息公开条例》第三十一条），登记号 {id}。\n所需信息：{}\n\n{follow}",
                app.request.description
            ),
        ),
        (EventKind::CorrectionRequested { items, due }, NoticeKind::Correction) => (
            format!("请补正您的政府信息公开申请（{id}）"),
            format!(
                "您的政府信息公开申请（登记号 {id}）内容不够明确，{agency}于{date}告知补正（《中华人民共和国政府信息公开条例》第三十条）。\n\n需要补正的事项：{items}\n补正期限：{}\n\n您可以在申请查询页面在线提交补正；无正当理由逾期不补正的，视为放弃申请。\n\n{follow}",
                crate::letters::date_zh(*due)
            ),
        ),
        (EventKind::Extended { days, .. }, NoticeKind::Extended) => {
            let deadline = app
                .state_at(event.date, calendar, settings)
                .deadline()
                .map(|d| format!("，延长后的答复期限为{}", crate::letters::date_zh(d)))
                .unwrap_or_default();
            (
                format!("您的政府信息公开申请（{id}）答复期限延长"),
                format!(
                    "您的政府信息公开申请（登记号 {id}）需要延长答复期限：经政府信息公开工作机构负责人同意，答复期限延长 {days} 个工作日{deadline}（《中华人民共和国政府信息公开条例》第三十三条）。\n\n{follow}"
                ),
            )
        }
        (EventKind::ReplySent { .. }, NoticeKind::Replied) => {
            let how = if matches!(app.request.delivery, Delivery::Online | Delivery::Email) {
                "答复书已可下载：请凭查询码和联系电话在申请查询页面下载答复书。".to_string()
            } else {
                format!(
                    "答复书已按您选择的方式（{}）送达。",
                    app.request.delivery.label_zh()
                )
            };
            (
                format!("{agency}已答复您的政府信息公开申请（{id}）"),
                format!(
                    "{agency}已于{date}对您的政府信息公开申请（登记号 {id}）作出答复。{how}\n\n{follow}"
                ),
            )
        }
        _ => {
            return Err(format!(
                "申请 {id} 第 {} 条办理记录与通知类型不符",
                n.event_seq
            ));
        }
    };
    let body = format!(
        "{}：\n\n{text}\n\n{agency}\n（本邮件由系统自动发送，请勿直接回复。）\n",
        app.applicant.name
    );
    Ok((subject, body))
}
