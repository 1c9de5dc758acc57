//! The opening position (期初数) of an office that starts using gongkai in the middle of
//! its history: the figures of the last report published before (year `year`): 四、结转
//! 下年度继续办理 per applicant column, and 现行有效件数 of 规章 and 行政规范性文件. Read
//! from that report or typed in.
//!
//! The year-end uses them where the ledger has no history:
//!
//! * 二、上年结转 of year `year + 1`, when the ledger holds no application received before
//!   that year, is the opening 四 (per column). The ledger knows nothing of how those
//!   applications end, so they are counted again in 四 of that year (still being handled):
//!   the table stays balanced and the explanation says so. Importing them (with their
//!   receipt dates) replaces the opening figure by the ledger's.
//! * 现行有效 of any later year is the opening figure plus the documents the ledger has
//!   that were issued after `year` and are in force at the period end, minus those it has
//!   that were issued by the end of `year` (so counted in the opening figure) and repealed
//!   since.

use serde::{Deserialize, Serialize};

/// The opening balances: the figures of `year`'s published report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// The year of the report the figures come from (the year before the first year on
    /// gongkai).
    pub year: i32,
    /// 四、结转下年度继续办理, in `APPLICANT_COLUMNS` order; index 6 is 总计.
    pub carried_forward: [u64; 7],
    /// 现行有效件数: `[规章, 行政规范性文件]`.
    pub in_force: [u64; 2],
    /// Where the figures come from (a file's name, `手工录入`).
    #[serde(default)]
    pub source: String,
}

impl Opening {
    /// The figures check out: the columns add up to the total.
    pub fn check(&self) -> Result<(), String> {
        if !(2008..=9999).contains(&self.year) {
            return Err(format!("期初数的年度 {} 不在 2008 至 9999 之间", self.year));
        }
        let sum: u64 = self.carried_forward[..6].iter().sum();
        if sum != self.carried_forward[6] {
            return Err(format!(
                "结转下年度继续办理：各列之和 {sum} 与总计 {} 不一致",
                self.carried_forward[6]
            ));
        }
        Ok(())
    }
}
