//! `gongkai publish …`: the publication register (主动公开登记) on the command line — add,
//! list, show, edit, the body from a file, attachments, publish on a channel, correct,
//! withdraw, the art. 26 due list, the art. 18 withheld items and their re-assessment,
//! 三审 and 保密审查 (`review …`), the batch import from CSV/XLSX, and the standard
//! catalogue. `gongkai ledger publish …` is the same group under its older name (hidden).
//!
//! The options of `gongkai ledger` apply (`--db`, `--user`, `--password-stdin`,
//! `--token-stdin`, `--agency`, `--calendar-dir`): every subcommand authenticates the acting
//! user as the ledger's writes do (`crate::ledger` auth) and calls one use case of
//! `gongkai_service::register`; the service checks roles and content and audits.
//!
//! * [`items`] — the item commands and the lists; [`review`] — 三审, 保密审查, 错敏 overrides;
//!   [`import`] — the batch import and its dry run; [`catalogue`] — the catalogue export.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use gongkai_check::Lang;
use gongkai_ledger::Vocabulary;

use crate::ledger::{Connection, Session};

mod catalogue;
mod import;
mod items;
mod review;

pub(crate) use items::PublishCommand;

/// `gongkai publish …`.
#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    #[command(flatten)]
    conn: Connection,
    #[command(subcommand)]
    command: Box<PublishCommand>,
}

/// Runs `gongkai publish …`.
pub(crate) fn run(args: PublishArgs, lang: Lang) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时 / cannot start the runtime")?;
    rt.block_on(async {
        let cx = crate::ledger::open(args.conn, lang).await?;
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let code = dispatch(&cx, *args.command, &mut out).await;
        cx.store().close().await;
        code.map_err(crate::ledger::error_message)
    })
}

/// One subcommand (also `gongkai ledger publish …`).
pub(crate) async fn dispatch(
    cx: &Session,
    c: PublishCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match c {
        PublishCommand::Review(r) => review::review(cx, r, out).await,
        PublishCommand::Import(a) => import::import(cx, a, out).await,
        PublishCommand::Catalogue(a) => catalogue::catalogue(cx, a, out).await,
        other => items::items(cx, other, out).await,
    }
}

pub(super) fn pick<T: Vocabulary>(s: &str) -> Result<T> {
    Ok(T::parse_cli(s)?)
}

pub(super) fn date(s: &str) -> Result<chrono::NaiveDate> {
    gongkai_ledger::parse_date(s).with_context(|| format!("日期“{s}”无效（应为 2025-03-03）"))
}

/// A service error about the file or thing `what` (its Chinese message and stable code,
/// prefixed with `what`).
pub(super) fn about(what: String) -> impl FnOnce(gongkai_service::ServiceError) -> anyhow::Error {
    move |e| anyhow::anyhow!("{what}：{e} [{}]", e.code())
}

/// Reads a file named on the command line; a Chinese error naming it.
pub(super) fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("无法读取文件 {}", path.display()))
}

/// The file name of `path` (what the service records).
pub(super) fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
