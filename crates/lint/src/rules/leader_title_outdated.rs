use chrono::NaiveDate;

use crate::engine::PatRef;
use crate::lists::Leader;
use crate::rules::{Cx, Hit, Rule, date_zh, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    LeaderTitleOutdated,
    r#"## leader-title-outdated (LIST002)

### 检查什么

领导姓名前的职务与本单位领导名单（`leaders.toml`：`name` 姓名、`title` 职务、`from` 任职
日期、`to` 离任日期，一人每个职务一条）不符：

- 文档日期（没有日期时用今天）时此人已不再担任该职务：错误，建议现任职务；
- 名单中此人从未担任该职务：警告（可能是同名的人，或名单未更新）。

只检查紧挨在姓名前面、且在名单中出现过的职务（如“市长张三”），不猜测其他写法。
文档日期早于离任日期的历史文本不报。

本软件不附带领导名单（content-checks.md §2e）。

### 为什么

领导姓名、职务和排序是错敏排查服务的必查项；职务写错属于“严重表述错误”。

### 法律依据

- 政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）“严重表述错误”；全国政府网站普查
  “严重错别字”（领导人姓名）（content-checks.md §1.1，SECONDARY）。

### 示例

```text
error[LIST002]: 张三已于2024年1月31日不再担任“市长”
  【市长张三】出席
  建议：副书记张三
```
"#
);

fn holds(l: &Leader, on: Option<NaiveDate>) -> bool {
    match on {
        Some(d) => l.from <= d && l.to.is_none_or(|t| d <= t),
        None => l.to.is_none(),
    }
}

impl Rule for LeaderTitleOutdated {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LIST002",
            "leader-title-outdated",
            Severity::Error,
            Category::OfficeList,
            "领导姓名前的职务已不是其现任职务",
            "A leader named with a title they no longer hold",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        let on = cx.doc_date.or(cx.today);
        for h in cx.office {
            let PatRef::Leader(i) = h.what else {
                continue;
            };
            let (name, posts) = &cx.leader_names[i];
            let before = &cx.text[..h.start];
            let Some(title) = cx
                .leader_titles
                .iter()
                .find(|t| before.ends_with(t.as_str()))
            else {
                continue;
            };
            let posts: Vec<&Leader> = posts.iter().map(|&p| &cx.lists.leaders[p]).collect();
            let with_title: Vec<&&Leader> = posts.iter().filter(|l| &l.title == title).collect();
            if with_title.iter().any(|l| holds(l, on)) {
                continue;
            }
            let current: Vec<&str> = posts
                .iter()
                .filter(|l| holds(l, on))
                .map(|l| l.title.as_str())
                .collect();
            let suggestion = (!current.is_empty()).then(|| format!("{}{name}", current.join("、")));
            let start = h.start - title.len();
            let (severity, zh, en) = match with_title.iter().filter_map(|l| l.to).max() {
                Some(to) if on.is_none_or(|d| d > to) => (
                    Severity::Error,
                    format!("{name}已于{}不再担任“{title}”", date_zh(to)),
                    format!("{name} left the post “{title}” on {to}"),
                ),
                _ if with_title.is_empty() => (
                    Severity::Warning,
                    format!("领导名单中{name}没有担任过“{title}”"),
                    format!("The leaders list has no post “{title}” for {name}"),
                ),
                _ => (
                    Severity::Warning,
                    format!("{name}在文档日期尚未担任“{title}”"),
                    format!("{name} did not yet hold “{title}” at the document's date"),
                ),
            };
            out.push(Hit {
                start,
                end: h.end,
                severity,
                message_zh: zh,
                message_en: en,
                suggestion,
            });
        }
    }
}
