//! Who runs a write. The command line is not a back door: naming a user (`--user`) is not
//! enough, every write proves it is that user with
//!
//! * the user's password: `--password-stdin` (the first line of standard input; a command
//!   that reads standard input itself, such as `user add --password-stdin`, reads the lines
//!   after it), or typed at a prompt when standard input is a terminal; or
//! * a personal API token created on the web page “访问令牌” (`/account/tokens`):
//!   `--token-stdin` or the environment variable `GONGKAI_TOKEN` (`--user` may then be left
//!   out; if given it must be the token's owner).
//!
//! A user who must change the password (a temporary one from an administrator, or one that
//! fails today's rules) can do nothing but set a new one (`gongkai ledger user passwd
//! NAME` for their own name), as the web service sends them to “修改密码”.
//!
//! The audit row of the change records the channel (`cli`), how the user was
//! authenticated and the operating-system user who ran the command (`$USER`), through
//! [`gongkai_service::Actor::origin`]. Reads (list, show, year-end, audit …) need no
//! credentials: whoever can run them can read the database file (or holds the PostgreSQL
//! credentials) anyway. Neither can `ledger init` on a database without users (there is no
//! one to authenticate yet; whoever can write the file owns it).

use std::io::{self, BufRead, IsTerminal};

use anyhow::{Context, Result, bail};
use gongkai_service::{Actor, Service, Via};

/// How the command authenticates (the options of `gongkai ledger`).
#[derive(Debug, Clone, Default)]
pub(super) struct Credentials {
    pub password_stdin: bool,
    pub token_stdin: bool,
    /// `GONGKAI_TOKEN`.
    pub token_env: Option<String>,
}

/// The operating-system user running the command (`$USER`, `$LOGNAME`, `%USERNAME%`).
pub(super) fn os_user() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

fn stdin_line(what: &str) -> Result<String> {
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .with_context(|| format!("无法从标准输入读取{what} / cannot read standard input"))?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        bail!("标准输入的第一行是空的：应为{what} / the first line of standard input is empty");
    }
    Ok(line)
}

/// The authenticated actor of a write.
pub(super) async fn authenticate(
    service: &Service,
    user: Option<&str>,
    creds: &Credentials,
) -> Result<Actor> {
    let user = user.map(str::trim).filter(|u| !u.is_empty());
    let token = if creds.token_stdin {
        Some(stdin_line("访问令牌")?)
    } else {
        creds
            .token_env
            .clone()
            .filter(|t| !t.trim().is_empty() && !creds.password_stdin)
    };
    let actor = if let Some(token) = token {
        service.authenticate_token(&token, user, Via::Cli).await?
    } else {
        let Some(name) = user else {
            bail!(
                "请用 --user 指明操作人（或设置环境变量 GONGKAI_USER），并验证身份；或用 --token-stdin / \
                 环境变量 GONGKAI_TOKEN 提供访问令牌 / name the acting user with --user, or give a token"
            );
        };
        let password = if creds.password_stdin {
            stdin_line("密码")?
        } else if io::stdin().is_terminal() {
            rpassword::prompt_password(format!("用户“{name}”的密码 / password: "))
                .context("无法读取密码 / cannot read the password")?
        } else {
            bail!(
                "写操作须验证身份：请用 --password-stdin 从标准输入提供用户“{name}”的密码（或在终端中运行以输入密码），\
                 或用 --token-stdin / 环境变量 GONGKAI_TOKEN 提供在网页“访问令牌”中创建的令牌 \
                 / a write needs the user's password (--password-stdin, or a terminal) or a personal token"
            );
        };
        service
            .authenticate_password(name, &password, Via::Cli)
            .await?
    };
    Ok(actor.with_os_user(os_user().unwrap_or_default()))
}

/// Refuses an actor who must set a new password first.
pub(super) fn refuse_if_password_change_due(actor: &Actor) -> Result<()> {
    if actor.password_change_due() {
        let name = actor.name();
        bail!(
            "用户“{name}”须先修改密码（管理员设置的临时密码，或不符合现行规则的旧密码）：\
             请先运行 gongkai ledger --user {name} user passwd {name}（或在网页“修改密码”中修改）\
             / {name} must set a new password first (gongkai ledger user passwd {name})"
        );
    }
    Ok(())
}
