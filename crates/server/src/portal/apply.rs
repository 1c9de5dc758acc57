//! 依申请公开 on the 专栏 (issue 17 §3): the online application form
//! (`/portal/{code}/apply`) and the status page (`/portal/{code}/track`).
//!
//! Against bots, each form carries a signed challenge: the browser solves a small
//! proof-of-work (SHA-256 with [`POW_BITS`] leading zero bits, `assets/portal-apply.js`,
//! about a second), or — the accessible alternative, and the way without script — the
//! visitor answers a simple arithmetic question written out in Chinese. The server accepts
//! either; the challenge expires after [`CHALLENGE_HOURS`]. Submissions and status lookups
//! are rate-limited per client address in the database's shared buckets (every process
//! counts together).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::portal::apply::{OnlineForm, OnlineReceipt, OnlineStatus};
use gongkai_service::{ErrorKind, ServiceError};
use gongkai_store::{Agency, RateLimit};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{PortalChrome, agency};
use crate::error::PageError;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/portal/{code}/apply",
            get(form_page)
                .post(submit)
                .layer(DefaultBodyLimit::max(super::apply_upload::BODY_LIMIT)),
        )
        .route("/portal/{code}/track", get(track_page).post(track))
        .route("/portal/{code}/track/correct", axum::routing::post(correct))
        .route("/portal/{code}/track/letter", axum::routing::post(letter))
}

/// Leading zero bits the proof-of-work needs (about 16,000 hashes on average).
pub const POW_BITS: u32 = 14;
/// How long a form's challenge stays valid.
pub const CHALLENGE_HOURS: i64 = 2;
/// Online applications per client address: one a minute, three at once.
const APPLY_LIMIT: RateLimit = RateLimit {
    per_minute: 1,
    burst: 3,
};
/// Status lookups per client address.
const TRACK_LIMIT: RateLimit = RateLimit {
    per_minute: 10,
    burst: 5,
};

/// A signed challenge: `{unix seconds}.{16 hex salt}`.
pub struct Challenge {
    pub text: String,
    pub sig: String,
    /// The arithmetic question (the accessible alternative).
    pub question: String,
}

const DIGITS_ZH: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The two addends of a challenge's question, from its salt.
fn addends(text: &str) -> (u32, u32) {
    let salt = text.split_once('.').map_or("", |(_, s)| s);
    let n = u64::from_str_radix(salt.get(..8).unwrap_or("0"), 16).unwrap_or(0);
    ((n % 9) as u32 + 1, ((n / 9) % 9) as u32 + 1)
}

fn new_challenge(st: &AppState) -> Result<Challenge, PageError> {
    let token = gongkai_store::auth::new_token().map_err(|e| PageError::Internal(e.to_string()))?;
    let text = format!("{}.{}", chrono::Utc::now().timestamp(), &token.0[..16]);
    let sig = st.secret().mac("gongkai-portal-challenge", &[&text]);
    let (a, b) = addends(&text);
    Ok(Challenge {
        question: format!(
            "{}加{}等于几？（请填写阿拉伯数字）",
            DIGITS_ZH[a as usize], DIGITS_ZH[b as usize]
        ),
        text,
        sig,
    })
}

/// Leading zero bits of `bytes`.
fn zero_bits(bytes: &[u8]) -> u32 {
    let mut n = 0;
    for b in bytes {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

/// `Ok` when the challenge is ours, fresh, and solved (the work, or the question).
fn verify_challenge(
    st: &AppState,
    text: &str,
    sig: &str,
    nonce: &str,
    answer: &str,
) -> Result<(), String> {
    let expected = st.secret().mac("gongkai-portal-challenge", &[text]);
    let same = crate::security::same_secret(&expected, sig);
    if !same {
        return Err("人机验证：页面已失效，请重新打开申请页面后提交".into());
    }
    let issued: i64 = text
        .split_once('.')
        .and_then(|(t, _)| t.parse().ok())
        .unwrap_or(0);
    let age = chrono::Utc::now().timestamp() - issued;
    if !(-60..=CHALLENGE_HOURS * 3600).contains(&age) {
        return Err(format!(
            "人机验证：页面已打开超过 {CHALLENGE_HOURS} 小时，请重新打开申请页面后提交"
        ));
    }
    let nonce = nonce.trim();
    if !nonce.is_empty() && nonce.len() <= 32 {
        let digest = Sha256::digest(format!("{text}:{nonce}").as_bytes());
        if zero_bits(&digest) >= POW_BITS {
            return Ok(());
        }
    }
    let (a, b) = addends(text);
    match answer.trim().parse::<u32>() {
        Ok(n) if n == a + b => Ok(()),
        Ok(_) => Err("人机验证：算术题答案不对，请重新计算".into()),
        Err(_) => Err("人机验证：请回答算术题（填写阿拉伯数字）".into()),
    }
}

/// The shared bucket's verdict for `client` (`-`: no address, as in tests: not limited).
async fn rate(
    st: &AppState,
    bucket: &str,
    client: &str,
    limit: RateLimit,
) -> Result<(), PageError> {
    if client == "-" {
        return Ok(());
    }
    match st
        .store()
        .take_rate(bucket, client, limit, chrono::Utc::now())
        .await
    {
        Ok(None) => Ok(()),
        Ok(Some(wait)) => Err(PageError::Refused(
            StatusCode::TOO_MANY_REQUESTS,
            format!("提交过于频繁，请 {} 秒后再试", wait.num_seconds().max(1)),
        )),
        Err(e) => {
            tracing::warn!(error = %e, "rate limit unavailable; request allowed");
            Ok(())
        }
    }
}

/// The form as posted: the application's fields and the challenge.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    csrf: String,
    challenge: String,
    sig: String,
    nonce: String,
    answer: String,
    fee_waiver: String,
    #[serde(flatten)]
    fields: OnlineForm,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_apply.html")]
struct ApplyPage {
    chrome: PortalChrome,
    csrf: String,
    challenge: Challenge,
    f: OnlineForm,
    error: Option<String>,
    pow_bits: u32,
    /// The limits of the identity documents: files, each, together.
    file_limits: (usize, String, String),
    kinds: Vec<(&'static str, &'static str)>,
    documents: Vec<(&'static str, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
    deliveries: Vec<(&'static str, &'static str)>,
}

fn apply_page(
    chrome: PortalChrome,
    ctx: &Ctx,
    challenge: Challenge,
    f: OnlineForm,
    error: Option<String>,
) -> ApplyPage {
    ApplyPage {
        chrome,
        csrf: ctx.csrf.clone(),
        challenge,
        f,
        error,
        pow_bits: POW_BITS,
        file_limits: file_limits(),
        kinds: <gongkai_ledger::ApplicantKind as gongkai_ledger::Vocabulary>::options(),
        documents: <gongkai_ledger::IdDocument as gongkai_ledger::Vocabulary>::options(),
        forms: <gongkai_ledger::InformationForm as gongkai_ledger::Vocabulary>::options(),
        deliveries: <gongkai_ledger::Delivery as gongkai_ledger::Vocabulary>::options(),
    }
}

/// The identity documents' limits for the form: 2 files, `5.0 MB` each, `8.0 MB` together.
fn file_limits() -> (usize, String, String) {
    use gongkai_service::portal::id_files::{
        MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, size_text,
    };
    (
        MAX_FILES,
        size_text(MAX_FILE_BYTES),
        size_text(MAX_TOTAL_BYTES),
    )
}

async fn form_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let f = OnlineForm {
        kind: "natural_person".into(),
        form: "electronic".into(),
        delivery: "email".into(),
        ..Default::default()
    };
    let challenge = new_challenge(&st)?;
    Ok(apply_page(
        PortalChrome::new(&agency, "apply"),
        &ctx,
        challenge,
        f,
        None,
    )
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_applied.html")]
struct AppliedPage {
    chrome: PortalChrome,
    receipt: OnlineReceipt,
    received_on: String,
}

async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let posted = super::apply_upload::read(&st, req).await?;
    let mut form: ApplyForm = posted.form()?;
    ctx.check_csrf(&form.csrf)?;
    let agency = agency(&st, &code).await?;
    form.fields.fee_waiver = form.fee_waiver == "on";
    let again = |st: &AppState,
                 agency: &Agency,
                 f: OnlineForm,
                 why: String|
     -> Result<Response, PageError> {
        let page = apply_page(
            PortalChrome::new(agency, "apply"),
            &ctx,
            new_challenge(st)?,
            f,
            Some(why),
        );
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if let Err(why) = verify_challenge(&st, &form.challenge, &form.sig, &form.nonce, &form.answer) {
        return again(&st, &agency, form.fields, why);
    }
    if let Some(why) = posted.problem {
        return again(&st, &agency, form.fields, why);
    }
    rate(&st, "portal.apply", &ctx.client, APPLY_LIMIT).await?;
    match st
        .service()
        .apply_online_with(&agency, &form.fields, &posted.files, &ctx.client)
        .await
    {
        Ok(receipt) => Ok(AppliedPage {
            chrome: PortalChrome::new(&agency, "apply"),
            received_on: receipt
                .received_on
                .map(crate::view::date_zh)
                .unwrap_or_default(),
            receipt,
        }
        .into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid => again(&st, &agency, form.fields, e.to_string()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_track.html")]
struct TrackPage {
    chrome: PortalChrome,
    csrf: String,
    code: String,
    /// The phone as entered, for the forms of the status (correction, letter).
    phone: String,
    error: Option<String>,
    flash: Option<String>,
    status: Option<OnlineStatus>,
}

async fn track_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    Ok(TrackPage {
        chrome: PortalChrome::new(&agency, "track"),
        csrf: ctx.csrf.clone(),
        code: String::new(),
        phone: String::new(),
        error: None,
        flash: None,
        status: None,
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackForm {
    csrf: String,
    code: String,
    phone: String,
    /// The correction's text (`/track/correct`).
    text: String,
    /// `docx` or `pdf` (`/track/letter`).
    format: String,
}

const NOT_FOUND_ZH: &str = "没有找到与该查询码和联系电话相符的申请，请核对后重试";

async fn track(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<TrackForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let agency = agency(&st, &code).await?;
    rate(&st, "portal.track", &ctx.client, TRACK_LIMIT).await?;
    let found = st
        .service()
        .online_status(&agency, &form.code, &form.phone)
        .await;
    status_page(&ctx, &agency, &form, found, None)
}

/// The status page after a lookup, a correction or a refusal.
fn status_page(
    ctx: &Ctx,
    agency: &Agency,
    form: &TrackForm,
    found: Result<OnlineStatus, ServiceError>,
    note: Option<Result<String, String>>,
) -> Result<Response, PageError> {
    let (flash, problem) = match note {
        Some(Ok(f)) => (Some(f), None),
        Some(Err(p)) => (None, Some(p)),
        None => (None, None),
    };
    let (status, error) = match found {
        Ok(s) => (Some(s), problem),
        Err(ServiceError::NotFound { .. }) | Err(ServiceError::TooLong { .. }) => {
            (None, Some(NOT_FOUND_ZH.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    let known = status.is_some();
    let page = TrackPage {
        chrome: PortalChrome::new(agency, "track"),
        csrf: ctx.csrf.clone(),
        code: if known {
            form.code.trim().to_string()
        } else {
            String::new()
        },
        phone: if known {
            form.phone.trim().to_string()
        } else {
            String::new()
        },
        error,
        flash,
        status,
    };
    Ok(page.into_response())
}

/// The applicant's correction (补正) for an open request.
async fn correct(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<TrackForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let agency = agency(&st, &code).await?;
    rate(&st, "portal.track", &ctx.client, TRACK_LIMIT).await?;
    let service = st.service();
    match service
        .correct_online(&agency, &form.code, &form.phone, &form.text)
        .await
    {
        Ok(s) => status_page(
            &ctx,
            &agency,
            &form,
            Ok(s),
            Some(Ok("已提交补正，答复期限自收到补正之日起重新计算".into())),
        ),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            let found = service
                .online_status(&agency, &form.code, &form.phone)
                .await;
            let mut resp = status_page(&ctx, &agency, &form, found, Some(Err(e.to_string())))?;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
        Err(e) => status_page(&ctx, &agency, &form, Err(e), None),
    }
}

/// The approved reply letter, for an application replied to by an electronic way.
async fn letter(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<TrackForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let agency = agency(&st, &code).await?;
    rate(&st, "portal.track", &ctx.client, TRACK_LIMIT).await?;
    match st
        .service()
        .online_letter(&agency, &form.code, &form.phone)
        .await
    {
        Ok(letter) => crate::letters::download(letter, form.format.trim()).await,
        Err(e @ ServiceError::NotFound { .. }) => status_page(&ctx, &agency, &form, Err(e), None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_bits_count_from_the_first_byte() {
        assert_eq!(zero_bits(&[0, 0, 0x0f, 0xff]), 20);
        assert_eq!(zero_bits(&[0x80]), 0);
        assert_eq!(zero_bits(&[0, 1]), 15);
        assert_eq!(zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn the_question_is_made_from_the_salt() {
        let (a, b) = addends("1700000000.00000000abcdef01");
        assert_eq!((a, b), (1, 1));
        let (a, b) = addends("1700000000.ffffffffabcdef01");
        assert!((1..=9).contains(&a) && (1..=9).contains(&b));
    }
}
