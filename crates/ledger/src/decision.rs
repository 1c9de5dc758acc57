//! The outcome of an application: one closed set whose members are the 21 outcome rows of
//! table 三 of the 2021 format (（一）予以公开 … （六）3.其他).
//!
//! The table counts every handled application in exactly one outcome row (部分公开 “只计
//! 这一情形，不计其他情形”), so an application has exactly one [`Decision`]. The serde
//! name of each member is the row key of `gongkai_format` (`denied_state_secret`), so a
//! decision stored as text is also the cell id segment: `s3.<decision>.<column>`.
//!
//! The article each outcome rests on comes from `shared/spec/regulations.md` §2.5. That
//! mapping is DERIVED (the format does not state it); [`Decision::basis_status`] says how
//! firm it is.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::FactStatus;

/// How an application was handled, one member per outcome row of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// （一）予以公开
    Granted,
    /// （二）部分公开（区分处理的，只计这一情形，不计其他情形）
    PartiallyGranted,
    /// （三）不予公开 1.属于国家秘密
    DeniedStateSecret,
    /// （三）不予公开 2.其他法律行政法规禁止公开
    DeniedProhibitedByLaw,
    /// （三）不予公开 3.危及“三安全一稳定”
    DeniedThreeSecurity,
    /// （三）不予公开 4.保护第三方合法权益
    DeniedThirdParty,
    /// （三）不予公开 5.属于三类内部事务信息
    DeniedInternalAffairs,
    /// （三）不予公开 6.属于四类过程性信息
    DeniedProcessInfo,
    /// （三）不予公开 7.属于行政执法案卷
    DeniedEnforcementFile,
    /// （三）不予公开 8.属于行政查询事项
    DeniedQueryMatter,
    /// （四）无法提供 1.本机关不掌握相关政府信息
    UnableNotHeld,
    /// （四）无法提供 2.没有现成信息需要另行制作
    UnableNeedsCreation,
    /// （四）无法提供 3.补正后申请内容仍不明确
    UnableUnclearAfterCorrection,
    /// （五）不予处理 1.信访举报投诉类申请
    RejectedPetition,
    /// （五）不予处理 2.重复申请
    RejectedDuplicate,
    /// （五）不予处理 3.要求提供公开出版物
    RejectedPublication,
    /// （五）不予处理 4.无正当理由大量反复申请
    RejectedMassRepeated,
    /// （五）不予处理 5.要求行政机关确认或重新出具已获取信息
    RejectedConfirmation,
    /// （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    OtherNoCorrection,
    /// （六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    OtherUnpaidFee,
    /// （六）其他处理 3.其他
    OtherOther,
}

use Decision as D;

impl Decision {
    /// Every member, in the printed order of table 三.
    pub const ALL: [Decision; 21] = [
        D::Granted,
        D::PartiallyGranted,
        D::DeniedStateSecret,
        D::DeniedProhibitedByLaw,
        D::DeniedThreeSecurity,
        D::DeniedThirdParty,
        D::DeniedInternalAffairs,
        D::DeniedProcessInfo,
        D::DeniedEnforcementFile,
        D::DeniedQueryMatter,
        D::UnableNotHeld,
        D::UnableNeedsCreation,
        D::UnableUnclearAfterCorrection,
        D::RejectedPetition,
        D::RejectedDuplicate,
        D::RejectedPublication,
        D::RejectedMassRepeated,
        D::RejectedConfirmation,
        D::OtherNoCorrection,
        D::OtherUnpaidFee,
        D::OtherOther,
    ];

    /// Position in [`Decision::ALL`] (0..21).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The row key of table 三 in `gongkai_format`, e.g. `denied_state_secret`.
    pub fn row_key(self) -> &'static str {
        match self {
            D::Granted => "granted",
            D::PartiallyGranted => "partially_granted",
            D::DeniedStateSecret => "denied_state_secret",
            D::DeniedProhibitedByLaw => "denied_prohibited_by_law",
            D::DeniedThreeSecurity => "denied_three_security",
            D::DeniedThirdParty => "denied_third_party",
            D::DeniedInternalAffairs => "denied_internal_affairs",
            D::DeniedProcessInfo => "denied_process_info",
            D::DeniedEnforcementFile => "denied_enforcement_file",
            D::DeniedQueryMatter => "denied_query_matter",
            D::UnableNotHeld => "unable_not_held",
            D::UnableNeedsCreation => "unable_needs_creation",
            D::UnableUnclearAfterCorrection => "unable_unclear_after_correction",
            D::RejectedPetition => "rejected_petition",
            D::RejectedDuplicate => "rejected_duplicate",
            D::RejectedPublication => "rejected_publication",
            D::RejectedMassRepeated => "rejected_mass_repeated",
            D::RejectedConfirmation => "rejected_confirmation",
            D::OtherNoCorrection => "other_no_correction",
            D::OtherUnpaidFee => "other_unpaid_fee",
            D::OtherOther => "other_other",
        }
    }

    /// The member for a row key.
    pub fn from_row_key(key: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.row_key() == key)
    }

    /// A short Chinese name, e.g. `不予公开（属于国家秘密）`.
    pub fn label_zh(self) -> &'static str {
        match self {
            D::Granted => "予以公开",
            D::PartiallyGranted => "部分公开",
            D::DeniedStateSecret => "不予公开（属于国家秘密）",
            D::DeniedProhibitedByLaw => "不予公开（其他法律行政法规禁止公开）",
            D::DeniedThreeSecurity => "不予公开（危及“三安全一稳定”）",
            D::DeniedThirdParty => "不予公开（保护第三方合法权益）",
            D::DeniedInternalAffairs => "不予公开（属于三类内部事务信息）",
            D::DeniedProcessInfo => "不予公开（属于四类过程性信息）",
            D::DeniedEnforcementFile => "不予公开（属于行政执法案卷）",
            D::DeniedQueryMatter => "不予公开（属于行政查询事项）",
            D::UnableNotHeld => "无法提供（本机关不掌握相关政府信息）",
            D::UnableNeedsCreation => "无法提供（没有现成信息需要另行制作）",
            D::UnableUnclearAfterCorrection => "无法提供（补正后申请内容仍不明确）",
            D::RejectedPetition => "不予处理（信访举报投诉类申请）",
            D::RejectedDuplicate => "不予处理（重复申请）",
            D::RejectedPublication => "不予处理（要求提供公开出版物）",
            D::RejectedMassRepeated => "不予处理（无正当理由大量反复申请）",
            D::RejectedConfirmation => "不予处理（要求行政机关确认或重新出具已获取信息）",
            D::OtherNoCorrection => "其他处理（逾期不补正，不再处理）",
            D::OtherUnpaidFee => "其他处理（逾期未缴纳信息处理费，不再处理）",
            D::OtherOther => "其他处理（其他）",
        }
    }

    /// The article(s) of the Regulations (or the fee measures) the outcome rests on, as
    /// cited in a reply letter.
    pub fn article(self) -> &'static str {
        match self {
            D::Granted => "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
            D::PartiallyGranted => "《中华人民共和国政府信息公开条例》第三十七条",
            D::DeniedStateSecret | D::DeniedProhibitedByLaw | D::DeniedThreeSecurity => {
                "《中华人民共和国政府信息公开条例》第十四条"
            }
            D::DeniedThirdParty => "《中华人民共和国政府信息公开条例》第十五条、第三十二条",
            D::DeniedInternalAffairs => "《中华人民共和国政府信息公开条例》第十六条第一款",
            D::DeniedProcessInfo | D::DeniedEnforcementFile => {
                "《中华人民共和国政府信息公开条例》第十六条第二款"
            }
            D::DeniedQueryMatter => "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
            D::UnableNotHeld => {
                "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项"
            }
            D::UnableNeedsCreation => "《中华人民共和国政府信息公开条例》第三十八条",
            D::UnableUnclearAfterCorrection => "《中华人民共和国政府信息公开条例》第三十条",
            D::RejectedPetition => "《中华人民共和国政府信息公开条例》第三十九条第一款",
            D::RejectedDuplicate => "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
            D::RejectedPublication => "《中华人民共和国政府信息公开条例》第三十九条第二款",
            D::RejectedMassRepeated => "《中华人民共和国政府信息公开条例》第三十五条",
            D::RejectedConfirmation => "（未找到直接依据的条款）",
            D::OtherNoCorrection => "《中华人民共和国政府信息公开条例》第三十条",
            D::OtherUnpaidFee => "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            D::OtherOther => "（兜底项，无特定条款）",
        }
    }

    /// How firm the mapping to [`Decision::article`] is (regulations.md §2.5).
    pub fn basis_status(self) -> FactStatus {
        match self {
            // Art. 36(1) replies counted as 予以公开, （三）8, （四）1 with art. 36(5),
            // （五）5 and the residual row: no source states the mapping.
            D::Granted
            | D::DeniedQueryMatter
            | D::UnableNotHeld
            | D::RejectedConfirmation
            | D::OtherOther => FactStatus::Unconfirmed,
            _ => FactStatus::Confirmed,
        }
    }

    /// The group heading of the row, e.g. `（三）不予公开`.
    pub fn group_zh(self) -> &'static str {
        match self.index() {
            0 => "（一）予以公开",
            1 => "（二）部分公开",
            2..=9 => "（三）不予公开",
            10..=12 => "（四）无法提供",
            13..=17 => "（五）不予处理",
            _ => "（六）其他处理",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;

    use super::*;

    /// One member per outcome row of the 2021 format, in printed order, and nothing else.
    #[test]
    fn members_map_one_to_one_onto_the_outcome_rows() {
        let rows: Vec<&str> = FormatVersion::Revised2021
            .s3_rows()
            .iter()
            .filter(|r| r.is_outcome)
            .map(|r| r.key)
            .collect();
        assert_eq!(rows.len(), 21);
        let keys: Vec<&str> = Decision::ALL.iter().map(|d| d.row_key()).collect();
        assert_eq!(keys, rows);
        for (i, d) in Decision::ALL.iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(Decision::from_row_key(d.row_key()), Some(*d));
            let json = serde_json::to_string(d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.row_key()));
            assert!(!d.article().is_empty());
        }
        let groups: Vec<&str> = FormatVersion::Revised2021
            .s3_rows()
            .iter()
            .filter(|r| r.is_outcome)
            .map(|r| r.group.label())
            .collect();
        let ours: Vec<&str> = Decision::ALL.iter().map(|d| d.group_zh()).collect();
        assert_eq!(ours, groups);
    }
}
