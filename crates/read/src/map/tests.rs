//! Unit tests of the mapper.

use gongkai_format::{FormatVersion, OutcomeGroup};

use super::labels::*;
use super::meta::*;
use crate::norm::norm;

#[test]
fn headings() {
    assert_eq!(heading_number("一、总体情况"), Some(1));
    assert_eq!(
        heading_number("三、收到和处理政府信息公开申请情况"),
        Some(3)
    );
    assert_eq!(
        heading_number("五、政府信息公开工作存在的主要问题及改进情况"),
        Some(5)
    );
    assert_eq!(heading_number("六、其他需要报告的事项"), Some(6));
    assert_eq!(heading_number("一、本年新收政府信息公开申请数量"), None);
    assert_eq!(heading_number("（一）主动公开"), None);
}

#[test]
fn titles_after_converter_words() {
    assert_eq!(
        agency_and_year("正文 2023年政府信息公开工作年度报告"),
        (None, Some(2023))
    );
    assert_eq!(
        agency_and_year("正文：某县水利局2023年政府信息公开工作年度报告"),
        (Some("某县水利局".into()), Some(2023))
    );
}

#[test]
fn titles() {
    let (a, y) = agency_and_year("红旗区洪门镇 2023 年政府信息公开工作年度报告");
    assert_eq!((a.as_deref(), y), (Some("红旗区洪门镇"), Some(2023)));
    let (a, y) = agency_and_year("百泉镇政府信息公开工作2023年度报告");
    assert_eq!((a.as_deref(), y), (Some("百泉镇"), Some(2023)));
    let (a, y) = agency_and_year("2022年北京市统计局政府信息公开工作年度报告");
    assert_eq!((a.as_deref(), y), (Some("北京市统计局"), Some(2022)));
}

#[test]
fn dates() {
    assert_eq!(
        trailing_date("2024 年 1 月 10 日").map(|d| d.1),
        Some("2024-01-10".into())
    );
    assert_eq!(
        trailing_date("二〇二四年一月十七日").map(|d| d.1),
        Some("2024-01-17".into())
    );
    assert_eq!(
        trailing_date("百泉镇人民政府 2024年1月17日"),
        Some(("百泉镇人民政府".into(), "2024-01-17".into()))
    );
    assert_eq!(trailing_date("2024年13月1日"), None);
}

#[test]
fn s3_rows_by_words() {
    let f = FormatVersion::Revised2021;
    let key = |l: &str, g| find_s3_row(f, &norm(l), g).map(|r| f.s3_rows()[r].key);
    assert_eq!(
        key("(三)不予公开1.属于国家秘密", OutcomeGroup::Denied),
        Some("denied_state_secret")
    );
    assert_eq!(key("3.其他", OutcomeGroup::Other), Some("other_other"));
    assert_eq!(key("3.其他", OutcomeGroup::Denied), None);
    assert_eq!(
        key("2.申请人逾期未按收费通知要求缴", OutcomeGroup::Other),
        Some("other_unpaid_fee")
    );
    assert_eq!(key("(七)总计", OutcomeGroup::Other), Some("results_total"));
    assert_eq!(
        key("三、本年度办理结果(一)予以公开", OutcomeGroup::None),
        Some("granted")
    );
}
