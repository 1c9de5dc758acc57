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
}

impl From<&AuthUser> for UserOut {
    fn from(u: &AuthUser) -> Self {
        UserOut {
            name: u.name.clone(),
            display_name: u.display.clone(),
            role: u.role.as_str().to_string(),
            role_label: u.role.label_zh().to_string(),
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
    let user = AuthUser::from(user);
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
