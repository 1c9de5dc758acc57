//! The e-mail notices' sender that `gongkai serve` runs beside the pages (issue 17 §3):
//! every few seconds it sends the notices that are due (`Service::deliver_mail`: claimed
//! first, so several processes on one database never send one twice; failures recorded
//! on the notice, retried with a growing wait, visible on 管理 → 邮件通知 and the
//! application's page).

use std::time::Duration;

use gongkai_service::Service;

/// Sends the due notices every `every` until the process ends; `portal_url` lets the
/// messages link the 专栏's status page.
pub async fn send_mail(service: Service, every: Duration, portal_url: Option<String>) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(100)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match service
            .deliver_mail(chrono::Utc::now(), portal_url.as_deref())
            .await
        {
            Ok(run) if run.sent + run.failed > 0 => {
                tracing::info!(sent = run.sent, failed = run.failed, "e-mail notices");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "邮件通知未能发送，稍后重试"),
        }
    }
}
