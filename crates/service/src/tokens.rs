//! Authentication outside the web session: a password or a personal API token turns into
//! an [`Actor`] (the command line; the API takes tokens in its request context), and a
//! user's own tokens: create (shown once), list, revoke.

use chrono::{DateTime, Utc};
use gongkai_store::{ApiToken, StoreError};

use crate::{Actor, Result, Service, ServiceError, Via};

impl Service {
    /// The actor for `name` if `password` is theirs (`BadCredentials` otherwise: the
    /// message does not say which was wrong). The actor's
    /// [`password_change_due`](Actor::password_change_due) is set when the user was told to
    /// change the password or the password fails today's rules, as at the web sign-in.
    pub async fn authenticate_password(
        &self,
        name: &str,
        password: &str,
        via: Via,
    ) -> Result<Actor> {
        let user = self.store.authenticate(name.trim(), password).await?;
        // As at the web sign-in: a password that fails today's rules must be changed.
        let office = self.office_name().await;
        let weak = !gongkai_store::password::passes(
            password,
            &gongkai_store::password::Inputs {
                name: &user.name,
                display_name: user.display_name.as_deref(),
                office: office.as_deref(),
            },
        );
        let actor = self.member_actor(&user.name, via).await?;
        let due = actor.password_change_due() || weak;
        Ok(actor.with_auth("password").with_password_change_due(due))
    }

    /// The actor for a personal API token (`BadToken` when unknown, expired or revoked).
    /// When `name` is given it must be the token's owner. A token works in the agency it
    /// was made for: used through a service of another agency (`--agency`) it is refused,
    /// naming the agency (a token made before the platform works in the service's agency).
    pub async fn authenticate_token(
        &self,
        token: &str,
        name: Option<&str>,
        via: Via,
    ) -> Result<Actor> {
        let (token, user) = self
            .store
            .api_token_user(token.trim(), Utc::now())
            .await?
            .ok_or(StoreError::BadToken)?;
        if name.is_some_and(|n| n.trim() != user.name) {
            return Err(StoreError::BadToken.into());
        }
        if let Some(made_for) = token.agency_id
            && made_for != self.store.agency_id()
        {
            let code = self
                .store
                .agencies()
                .await?
                .into_iter()
                .find(|a| a.id == made_for)
                .map_or_else(|| made_for.to_string(), |a| a.code);
            return Err(ServiceError::invalid(
                "机关",
                format!("此访问令牌只能用于机关 {code}（命令行请加 --agency {code}）"),
            ));
        }
        Ok(self
            .member_actor(&user.name, via)
            .await?
            .with_auth(format!("token:{}", token.prefix)))
    }

    /// The actor for an authenticated user in the service's agency, with the roles held
    /// there (`NotMember` when it holds none).
    async fn member_actor(&self, name: &str, via: Via) -> Result<Actor> {
        match self.store.member(name).await? {
            Some(u) => Ok(Actor::new(&u, via).in_agency(self.store.agency_id())),
            None => Err(StoreError::NotMember { name: name.into() }.into()),
        }
    }

    /// A new personal API token of the actor (audited), for the actor's agency (where it
    /// must hold a ledger role): the token, to show once, and its record.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(String, ApiToken)> {
        Ok(self
            .store_for(actor)
            .create_api_token(&actor.stamp(), name, expires_at)
            .await?)
    }

    /// The actor's tokens, newest first.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        Ok(self.store_for(actor).api_tokens(actor.name()).await?)
    }

    /// Revokes one of the actor's tokens (audited).
    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<ApiToken> {
        Ok(self
            .store_for(actor)
            .revoke_api_token(&actor.stamp(), id)
            .await?)
    }
}
