//! The information processing fee (信息处理费) of 《政府信息公开信息处理费管理办法》
//! (国办函〔2020〕109号, `shared/spec/regulations.md` §3).
//!
//! Two methods, one per application, never both (art. 3), both progressive over a free
//! threshold (超额累进):
//!
//! * 按件 (per application, art. 4): counted per applicant per natural month, cumulatively;
//!   applications 1–10 free, 11–30 at 100 元/件, then bands of 10, each 100 元/件 dearer
//!   (31–40 at 200, 41–50 at 300 …; the band reading is DERIVED from the text). A multi-item
//!   application may be split into reasonable minimum units (一事一申请), so an application
//!   counts as one or more units.
//! * 按量 (per volume, art. 5): pages 1–30 free, 31–100 at 10 元/页, 101–200 at 20 元/页,
//!   from 201 at 40 元/页 (CONFIRMED; 2,219 pages = 83,460 元, the Xi'an case).
//!
//! The applicant pays within 20 working days counted from the day after receiving the
//! notice (收到收费通知次日起20个工作日内); late payment is deemed abandonment → table 三
//! row （六）2. Whether the window pauses the reply clock is a setting
//! ([`crate::Settings::fee_window_pauses_clock`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Working days the applicant has to pay, from the day after receiving the notice.
pub const PAYMENT_DAYS: u32 = 20;

/// The method and the quantity a fee is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeBasis {
    /// 按件: this application counts as `units` units (1 unless split under 一事一申请);
    /// the same applicant already had `earlier_units` units in the same natural month.
    PerApplication { units: u32, earlier_units: u32 },
    /// 按量: pages (or page equivalents) to provide.
    PerVolume { pages: u32 },
}

/// One band of a progressive fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBand {
    /// First unit or page of the band (1-based, within the month for 按件).
    pub from: u32,
    /// Last unit or page of the band charged here.
    pub to: u32,
    /// Rate per unit or page, in 元.
    pub rate: Decimal,
    /// `(to − from + 1) × rate`.
    pub subtotal: Decimal,
}

/// A computed fee with its bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    pub basis: FeeBasis,
    pub bands: Vec<FeeBand>,
    /// In 元.
    pub total: Decimal,
}

/// The per-application rate of the `k`-th unit of an applicant in a month (1-based).
pub fn per_application_rate(k: u32) -> Decimal {
    match k {
        0..=10 => Decimal::ZERO,
        11..=30 => Decimal::from(100),
        _ => Decimal::from(100 + 100 * ((k - 31) / 10 + 1)),
    }
}

/// The per-volume rate of page `p` (1-based).
pub fn per_volume_rate(p: u32) -> Decimal {
    match p {
        0..=30 => Decimal::ZERO,
        31..=100 => Decimal::from(10),
        101..=200 => Decimal::from(20),
        _ => Decimal::from(40),
    }
}

/// The fee for `basis`.
pub fn quote(basis: FeeBasis) -> FeeQuote {
    let (first, last, rate): (u32, u32, fn(u32) -> Decimal) = match basis {
        FeeBasis::PerApplication {
            units,
            earlier_units,
        } => (
            earlier_units + 1,
            earlier_units + units,
            per_application_rate,
        ),
        FeeBasis::PerVolume { pages } => (1, pages, per_volume_rate),
    };
    let mut bands: Vec<FeeBand> = Vec::new();
    // Walk band boundaries rather than every unit: at most a few dozen iterations.
    let mut k = first;
    while k <= last {
        let r = rate(k);
        let end = band_end(basis, k).min(last);
        let n = Decimal::from(end - k + 1);
        bands.push(FeeBand {
            from: k,
            to: end,
            rate: r,
            subtotal: n * r,
        });
        k = end + 1;
    }
    let total = bands.iter().map(|b| b.subtotal).sum();
    FeeQuote {
        basis,
        bands,
        total,
    }
}

/// Last unit of the band containing `k`.
fn band_end(basis: FeeBasis, k: u32) -> u32 {
    match basis {
        FeeBasis::PerApplication { .. } => match k {
            0..=10 => 10,
            11..=30 => 30,
            _ => 30 + ((k - 31) / 10 + 1) * 10,
        },
        FeeBasis::PerVolume { .. } => match k {
            0..=30 => 30,
            31..=100 => 100,
            101..=200 => 200,
            _ => u32::MAX,
        },
    }
}

impl FeeQuote {
    /// The computation in Chinese, e.g. `按量收费：第31–100页 70页×10元=700元；…；合计83460元`.
    pub fn explain_zh(&self) -> String {
        let (head, unit) = match self.basis {
            FeeBasis::PerApplication {
                units,
                earlier_units,
            } => (
                format!(
                    "按件收费：申请人本自然月此前已申请{earlier_units}件，本申请计{units}件（第{}–{}件）",
                    earlier_units + 1,
                    earlier_units + units
                ),
                "件",
            ),
            FeeBasis::PerVolume { pages } => (format!("按量收费：共{pages}页"), "页"),
        };
        let parts: Vec<String> = self
            .bands
            .iter()
            .map(|b| {
                if b.rate.is_zero() {
                    format!("第{}–{}{unit}免费", b.from, b.to)
                } else {
                    format!(
                        "第{}–{}{unit} {}{unit}×{}元={}元",
                        b.from,
                        b.to,
                        b.to - b.from + 1,
                        b.rate,
                        b.subtotal
                    )
                }
            })
            .collect();
        if parts.is_empty() {
            return format!("{head}；合计0元");
        }
        format!("{head}；{}；合计{}元", parts.join("；"), self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// regulations.md §3.5: 2,219 pages = 83,460 元 (the Xi'an case).
    #[test]
    fn per_volume_worked_example() {
        let q = quote(FeeBasis::PerVolume { pages: 2219 });
        assert_eq!(q.total, Decimal::from(83_460));
        assert_eq!(q.bands.len(), 4);
        assert_eq!(q.bands[3].subtotal, Decimal::from(80_760));
        assert!(
            q.explain_zh().ends_with("合计83460元"),
            "{}",
            q.explain_zh()
        );
        assert_eq!(
            quote(FeeBasis::PerVolume { pages: 30 }).total,
            Decimal::ZERO
        );
        assert_eq!(
            quote(FeeBasis::PerVolume { pages: 31 }).total,
            Decimal::from(10)
        );
        assert_eq!(quote(FeeBasis::PerVolume { pages: 0 }).total, Decimal::ZERO);
    }

    /// regulations.md §3.5: 35 applications in one month = 3,000 元 in total.
    #[test]
    fn per_application_worked_example() {
        let total: Decimal = (0..35)
            .map(|earlier| {
                quote(FeeBasis::PerApplication {
                    units: 1,
                    earlier_units: earlier,
                })
                .total
            })
            .sum();
        assert_eq!(total, Decimal::from(3000));
        // The same as one application split into 35 units.
        let q = quote(FeeBasis::PerApplication {
            units: 35,
            earlier_units: 0,
        });
        assert_eq!(q.total, Decimal::from(3000));
        assert_eq!(q.bands.len(), 3);
        assert_eq!(per_application_rate(41), Decimal::from(300));
        assert_eq!(per_application_rate(50), Decimal::from(300));
        assert_eq!(per_application_rate(51), Decimal::from(400));
        let q = quote(FeeBasis::PerApplication {
            units: 2,
            earlier_units: 39,
        });
        assert_eq!(q.total, Decimal::from(500));
    }
}
