//! Tests of the web interface: the router driven without a socket (`check`, `pages`,
//! `api`), and end-to-end in a real headless Chromium (`e2e`, skipped without
//! chromedriver unless `CI=true`).

mod admin_audit;
mod admin_templates;
mod admin_users;
mod api;
mod bind;
mod check;
mod check_limits;
#[cfg(feature = "ocr")]
mod check_scans;
mod clerk;
mod common;
mod e2e;
mod e2e_portal;
mod e2e_portal_journey;
mod e2e_register;
mod e2e_register_files;
mod i18n;
mod ledger_export;
mod ledger_opening;
mod letters;
mod pages;
mod platform;
mod portal;
mod portal_apply;
mod portal_apply_files;
mod portal_public_api;
mod portal_search;
mod processes;
mod register;
mod register_files;
mod security;
mod supervise;
mod supervise_lint;
mod year_end;
