//! 主题分类 (topic) and 体裁 (genre) lists. Both are configurable per agency: the national
//! topic list is UNCONFIRMED (`proactive-and-portal.md` §4; gov.cn shows paths such as
//! `综合政务\政务公开`), so the default below is the topic list of the State Council's
//! policy library (国务院政策文件库 主题分类, first level), and the default genres are the
//! 15 kinds of official document of the 《党政机关公文处理工作条例》 (2012) art. 8 with
//! `其他` for everything that is not a 公文 (data, lists, plans, news).

use serde::{Deserialize, Serialize};

/// The default 主题分类 (first level; an agency may add `\`-separated sub-topics).
pub const DEFAULT_TOPICS: &[&str] = &[
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
];

/// The default 体裁: the 15 公文 kinds (党政机关公文处理工作条例 art. 8), and 其他.
pub const DEFAULT_GENRES: &[&str] = &[
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "其他",
];

/// A configurable list of names (主题分类 or 体裁). A topic may be a path with `\`
/// (`综合政务\政务公开`); it is accepted when its first level is in the list or the whole
/// path is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Taxonomy(pub Vec<String>);

impl Taxonomy {
    pub fn default_topics() -> Self {
        Taxonomy(DEFAULT_TOPICS.iter().map(|s| s.to_string()).collect())
    }

    pub fn default_genres() -> Self {
        Taxonomy(DEFAULT_GENRES.iter().map(|s| s.to_string()).collect())
    }

    /// The entries, in display order.
    pub fn entries(&self) -> &[String] {
        &self.0
    }

    /// The entry `value` as stored (trimmed; `/` and full-width `＼` read as `\`), or
    /// `None` if it is not in the list.
    pub fn accept(&self, value: &str) -> Option<String> {
        let v: String = value
            .trim()
            .chars()
            .map(|c| if c == '/' || c == '＼' { '\\' } else { c })
            .collect();
        let v = v
            .split('\\')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\\");
        let first = v.split('\\').next().unwrap_or_default();
        self.0
            .iter()
            .any(|e| e == &v || e == first)
            .then_some(v)
            .filter(|v| !v.is_empty())
    }

    /// The list cleaned for saving: trimmed, empty and duplicate entries dropped.
    pub fn normalised(self) -> Self {
        let mut out: Vec<String> = Vec::new();
        for e in self.0 {
            let e = e.trim().to_string();
            if !e.is_empty() && !out.contains(&e) {
                out.push(e);
            }
        }
        Taxonomy(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_accept_paths_under_a_listed_first_level() {
        let t = Taxonomy::default_topics();
        assert_eq!(
            t.accept(" 综合政务 / 政务公开 ").as_deref(),
            Some("综合政务\\政务公开")
        );
        assert_eq!(t.accept("其他").as_deref(), Some("其他"));
        assert_eq!(t.accept("政务公开"), None);
        assert_eq!(t.accept("  "), None);
    }

    #[test]
    fn genres_are_the_fifteen_document_kinds_and_other() {
        let g = Taxonomy::default_genres();
        assert_eq!(g.entries().len(), 16);
        assert_eq!(g.accept("通知").as_deref(), Some("通知"));
        assert_eq!(g.accept("说明"), None);
    }

    #[test]
    fn normalised_drops_blanks_and_duplicates() {
        let t = Taxonomy(vec![" 通知".into(), "".into(), "通知".into(), "函".into()]).normalised();
        assert_eq!(t.0, vec!["通知".to_string(), "函".to_string()]);
    }
}
