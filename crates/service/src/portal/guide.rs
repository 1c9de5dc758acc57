//! 政府信息公开指南 (art. 12): generated from what the office keeps — its topics and genres
//! (the register's settings), its disclosure office's name, address, hours, telephone,
//! fax, e-mail and post code and its remedy organs (the office settings, edited on
//! `/admin/settings`) — so it changes when they change (art. 12: “及时更新”; art. 53(二)
//! makes a stale guide a breach). The statutory paragraphs restate the Regulations'
//! articles; nothing here is typed per agency except the settings.

use chrono::NaiveDate;
use gongkai_store::Agency;
use serde::Serialize;

use crate::{Result, Service};

/// The guide of one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub agency: String,
    /// The date it is generated for (today): the guide is always the current one.
    pub as_of: NaiveDate,
    pub sections: Vec<GuideSection>,
    /// 政府信息公开工作机构: (label, value) rows, only those the office filled in.
    pub office: Vec<(&'static str, String)>,
    /// Settings the office has not filled in yet (their labels), shown to visitors as
    /// “暂未公布” and to the office as a reminder.
    pub missing: Vec<&'static str>,
}

/// A numbered section: heading and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

fn section(heading: &str, paragraphs: Vec<String>) -> GuideSection {
    GuideSection {
        heading: heading.to_string(),
        paragraphs,
    }
}

impl Service {
    /// The agency's 政府信息公开指南 as of today.
    pub async fn portal_guide(&self, agency: &Agency) -> Result<Guide> {
        let store = self.public_store(agency);
        let office = store.office().await?;
        let register = store.register_settings().await?;
        let name = agency.name.clone();
        let office_name = if office.office_name.trim().is_empty() {
            format!("{name}政府信息公开工作机构")
        } else {
            office.office_name.trim().to_string()
        };

        let mut sections = Vec::new();
        let mut intro = vec![format!(
            "为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》\
             （以下简称《条例》），编制本指南。需要获得{name}政府信息服务的公民、法人或者其他组织，\
             建议阅读本指南。"
        )];
        if !office.guide_note.trim().is_empty() {
            intro.extend(paragraphs(&office.guide_note));
        }
        sections.push(section("一、总则", intro));

        let topics = register.topics.entries().join("、");
        let genres = register.genres.entries().join("、");
        sections.push(section(
            "二、主动公开",
            vec![
                format!(
                    "（一）公开范围。{name}依照《条例》第十九条、第二十条等规定主动公开政府信息，\
                     按主题分类（{topics}）和体裁（{genres}）编排，\
                     在本专栏“法定主动公开内容”和“政府信息公开目录”中列出，可按分类、体裁、机构和年度查阅。"
                ),
                "（二）公开方式。主动公开的政府信息通过政府网站政府信息公开专栏公开，并视情况通过\
                 政务新媒体、政府公报、公开栏、新闻发布会以及报刊、广播、电视等途径公开（《条例》第二十三条）。"
                    .to_string(),
                "（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内\
                 予以公开；法律、法规对公开期限另有规定的，从其规定（《条例》第二十六条）。"
                    .to_string(),
            ],
        ));

        sections.push(section(
            "三、依申请公开",
            vec![
                format!(
                    "（一）受理机构。公民、法人或者其他组织可以向{office_name}申请获取相关政府信息\
                     （《条例》第二十七条）。本机关政府信息公开工作机构的联系方式见本指南第五部分。"
                ),
                "（二）申请方式。申请应当采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，\
                 申请人可以口头提出，由受理申请的政府信息公开工作机构代为填写政府信息公开申请\
                 （《条例》第二十九条）。"
                    .to_string(),
                "（三）申请内容。政府信息公开申请应当包括：申请人的姓名或者名称、身份证明、联系方式；\
                 申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；\
                 申请公开的政府信息的形式要求，包括获取信息的方式、途径（《条例》第二十九条）。\
                 申请内容不明确的，本机关自收到申请之日起7个工作日内一次性告知申请人作出补正\
                 （《条例》第三十条）。"
                    .to_string(),
                "（四）答复期限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个\
                 工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，\
                 延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在前款规定的期限内\
                 （《条例》第三十三条）。"
                    .to_string(),
                "（五）收费。行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、\
                 频次明显超过合理范围的，行政机关可以收取信息处理费（《条例》第四十二条，\
                 《政府信息公开信息处理费管理办法》国办函〔2020〕109号）。"
                    .to_string(),
            ],
        ));

        let organ = if office.reconsideration_organ.trim().is_empty() {
            "本级人民政府".to_string()
        } else {
            office.reconsideration_organ.trim().to_string()
        };
        let court = if office.court.trim().is_empty() {
            "人民法院".to_string()
        } else {
            office.court.trim().to_string()
        };
        sections.push(section(
            "四、监督和救济",
            vec![format!(
                "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，\
                 可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，\
                 也可以依法向{organ}申请行政复议或者向{court}提起行政诉讼（《条例》第五十一条）。"
            )],
        ));

        let mut rows = vec![("机构名称", office_name.clone())];
        let mut missing = Vec::new();
        for (label, value) in [
            ("办公地址", &office.address),
            ("邮政编码", &office.postcode),
            ("办公时间", &office.hours),
            ("联系电话", &office.phone),
            ("传真", &office.fax),
            ("电子邮箱", &office.email),
        ] {
            if value.trim().is_empty() {
                missing.push(label);
            } else {
                rows.push((label, value.trim().to_string()));
            }
        }
        if !office.contact.trim().is_empty() {
            rows.push(("其他联系方式", office.contact.trim().to_string()));
        }
        sections.push(section(
            "五、政府信息公开工作机构",
            vec![format!(
                "{office_name}负责本机关政府信息公开的日常工作，具体职能包括：办理本机关的政府信息公开事宜；\
                 维护和更新本机关公开的政府信息；组织编制本机关的政府信息公开指南、政府信息公开目录\
                 和政府信息公开工作年度报告；组织开展对拟公开政府信息的审查（《条例》第四条）。"
            )],
        ));
        Ok(Guide {
            agency: name,
            as_of: self.current_date(),
            sections,
            office: rows,
            missing,
        })
    }
}

/// A text's paragraphs (blank lines or line breaks between them), trimmed.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
