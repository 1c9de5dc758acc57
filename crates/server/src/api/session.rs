//! `/session`: log in with a name and password (throttled, see `gongkai_store::signin`),
//! log out, who am I.

use super::*;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// 用户名.
    pub name: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub name: String,
    pub display_name: String,
    /// `clerk`, `office_head`, `leader`, `admin`.
    pub role: String,
    /// 信息员、办公室主任、分管领导、管理员.
    pub role_label: String,
    /// Every role held in the agency (keys), the primary one first.
    pub roles: Vec<String>,
    /// The agency the session (or the token) works in.
    pub agency: AgencyOut,
    /// The agencies where the user holds a ledger role (a session switches between them:
    /// `PUT /session/agency`).
    pub agencies: Vec<AgencyOut>,
}

/// An agency of the platform.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyOut {
    /// 统一社会信用代码 or an internal code.
    pub code: String,
    pub name: String,
    /// `province`, `city`, `county`, `township`, `department`.
    pub kind: String,
}

impl From<&gongkai_store::Agency> for AgencyOut {
    fn from(a: &gongkai_store::Agency) -> Self {
        AgencyOut {
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
        }
    }
}

impl From<&AuthUser> for UserOut {
    fn from(u: &AuthUser) -> Self {
        UserOut {
            name: u.name.clone(),
            display_name: u.display.clone(),
            role: u.role.as_str().to_string(),
            role_label: u.role.label_zh().to_string(),
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            agency: AgencyOut::from(&u.agency),
            agencies: u.agencies.iter().map(AgencyOut::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// Bearer token: `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserOut,
}

/// 登录，取得 Bearer 令牌
#[utoipa::path(post, path = "/session", tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 201, description = "已登录", body = SessionOut),
        (status = 401, description = "用户名或密码错误", body = ErrorBody),
        (status = 429, description = "登录失败次数过多（已锁定）或尝试过于频繁", body = ErrorBody)
    ))]
pub(super) async fn login(
    State(st): State<AppState>,
    ctx: Ctx,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<(StatusCode, Json<SessionOut>), ApiError> {
    let ttl = st.config().session.absolute;
    let (token, session, user) = st
        .store()
        .sign_in(
            req.name.trim(),
            &req.password,
            &ctx.client,
            &st.config().throttle,
            ttl,
            Utc::now(),
        )
        .await?;
    // The new session works in the user's first agency (the switch changes it).
    let seat = st
        .service()
        .seat(user, gongkai_service::SeatChoice::Remembered(None))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "not_member",
                "该用户在任何机关都没有台账角色，无法使用台账",
            )
        })?;
    let user = AuthUser::seated(seat, "session");
    Ok((
        StatusCode::CREATED,
        Json(SessionOut {
            token: token.0,
            expires_at: session.expires_at,
            user: UserOut::from(&user),
        }),
    ))
}

/// 退出登录（结束当前会话）
#[utoipa::path(delete, path = "/session", tag = "session",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 204, description = "已退出"), (status = 401, body = ErrorBody)))]
pub(super) async fn logout(
    State(st): State<AppState>,
    _user: ApiUser,
    ctx: Ctx,
) -> Result<StatusCode, ApiError> {
    if let Some(t) = ctx.session.clone() {
        st.store().logout(&SessionToken(t), Utc::now()).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// 当前用户
#[utoipa::path(get, path = "/me", tag = "session",
    security(("bearer" = []), ("session_cookie" = [])),
    responses((status = 200, body = UserOut), (status = 401, body = ErrorBody)))]
pub(super) async fn me(ApiUser(user): ApiUser) -> Json<UserOut> {
    Json(UserOut::from(&user))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AgencyRequest {
    /// The code of the agency to work in (one where the user holds a ledger role).
    pub code: String,
}

/// 切换会话所在的机关（访问令牌只用于制作它的机关，不能切换）
#[utoipa::path(put, path = "/session/agency", tag = "session",
    request_body = AgencyRequest,
    security(("bearer" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "已切换；返回切换后的用户", body = UserOut),
        (status = 400, description = "访问令牌不能切换机关", body = ErrorBody),
        (status = 403, description = "用户在该机关没有台账角色", body = ErrorBody),
        (status = 404, description = "没有这个机关", body = ErrorBody)
    ))]
pub(super) async fn switch_agency(
    State(st): State<AppState>,
    user: ApiUser,
    ctx: Ctx,
    ApiJson(req): ApiJson<AgencyRequest>,
) -> Result<Json<UserOut>, ApiError> {
    let Some(token) = ctx.session.clone() else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "token_agency_fixed",
            "访问令牌只用于制作它的机关，不能切换；请在该机关另建访问令牌",
        ));
    };
    let token = SessionToken(token);
    let agency = st
        .service()
        .switch_agency(&user.actor(), &token, req.code.trim())
        .await?;
    // The user as the next request will see it: seated in the new agency.
    let found = st
        .store()
        .session_user(&token, st.config().session.idle, Utc::now())
        .await?;
    let seat = match found {
        Some((_, u)) => {
            st.service()
                .seat(u, gongkai_service::SeatChoice::Only(agency.id))
                .await?
        }
        None => None,
    };
    let seat = seat.ok_or_else(ApiError::unauthenticated)?;
    let mut out = AuthUser::seated(seat, "session");
    out.client.clone_from(&user.0.client);
    Ok(Json(UserOut::from(&out)))
}
