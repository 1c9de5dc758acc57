use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{Cx, Hit, Rule, citation_hits, date_zh, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    SupersededRegulationsCited,
    r#"## superseded-regulations-cited (LAW001)

### 检查什么

2019 年 5 月 15 日以后的文本把 2007 年《政府信息公开条例》（国务院令第 492 号）当作现行
依据引用。同一段出现“711号”“修订”“废止”时不报（那是在介绍修订沿革）。如果同一段还引用
了条文号（“第二十四条”），建议中给出 2019 年条例中的对应条文（对照表在
`data/laws.toml`，第十三、十八至二十一、二十三至二十七条已核对原文，其余据英文译本，
对应关系为推导）。

日期规则同 ORG001：文档早于 2019-05-15 不报；没有日期或在宽限期内为警告；之后为错误。

### 为什么

依据失效的条文作出的答复，期限、条件、收费都可能是错的（例如 15 个工作日的答复期限
已改为 20 个工作日）。

### 法律依据

- 《中华人民共和国政府信息公开条例》（2019 年 4 月 3 日国务院令第 711 号修订，
  2019 年 5 月 15 日起施行）。

### 示例

```text
error[LAW001]: 引用了2019年5月15日起已被修订的2007年《政府信息公开条例》
  根据《中华人民共和国政府信息公开条例》（【国务院令第492号】）第二十四条
  建议：《中华人民共和国政府信息公开条例》（2019年4月3日修订，国务院令第711号）；原第二十四条现为第三十三条
```
"#
);

static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"第([一二三四五六七八九十]{1,4})条").expect("valid regex"));

/// `二十四` → 24 (articles up to 99).
fn article_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1)
    };
    match s.split_once('十') {
        None if s.chars().count() == 1 => s.chars().next().and_then(digit),
        None => None,
        Some((t, o)) => {
            let tens = if t.is_empty() {
                1
            } else {
                digit(t.chars().next()?)?
            };
            let ones = if o.is_empty() {
                0
            } else {
                digit(o.chars().next()?)?
            };
            Some(tens * 10 + ones)
        }
    }
}

fn article_zh(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (t, o) = ((n / 10) as usize, (n % 10) as usize);
    match t {
        0 => D[o].to_string(),
        1 => format!("十{}", D[o]),
        _ => format!("{}十{}", D[t], D[o]),
    }
}

impl Rule for SupersededRegulationsCited {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LAW001",
            "superseded-regulations-cited",
            Severity::Error,
            Category::LegalCitation,
            "引用了已修订的 2007 年《政府信息公开条例》",
            "Cites the 2007 Regulations on Government Information Disclosure as in force",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for (h, c, severity) in citation_hits(cx, "LAW001") {
            let mut suggestion = c.current.clone();
            if let Some(a) = ARTICLE.captures(&cx.text[h.end..])
                && let Some(old) = a.get(1).and_then(|m| article_number(m.as_str()))
                && let Some(new) = cx.data.articles_2007_to_2019.get(&old)
            {
                suggestion.push_str(&format!(
                    "；原第{}条现为第{}条",
                    article_zh(old),
                    article_zh(*new)
                ));
            }
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity,
                message_zh: format!(
                    "引用了{}起已被修订的2007年《政府信息公开条例》",
                    date_zh(c.effective)
                ),
                message_en: format!(
                    "Cites the 2007 Regulations, replaced by the 2019 revision from {}",
                    c.effective
                ),
                suggestion: Some(suggestion),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_numbers_both_ways() {
        for (s, n) in [
            ("二十四", 24),
            ("十三", 13),
            ("五", 5),
            ("三十", 30),
            ("十", 10),
        ] {
            assert_eq!(article_number(s), Some(n), "{s}");
            assert_eq!(article_zh(n), s);
        }
    }
}
