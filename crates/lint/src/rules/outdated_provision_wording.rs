use crate::rules::{Cx, Hit, Rule, citation_hits, date_zh, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    OutdatedProvisionWording,
    r#"## outdated-provision-wording (LAW003)

### 检查什么

照抄旧条文的措辞：2007 年《政府信息公开条例》的“生产、生活、科研等特殊需要”、
“检索、复制、邮寄等成本费用”、“15个工作日内予以答复”、部门年报“每年3月31日前公布”；
2017 年《行政复议法》的“向××人民政府或者上一级主管部门申请行政复议”、
“自知道该具体行政行为之日起”、“具体行政行为”。数据在 `data/laws.toml`。

有些措辞在别的程序中仍可能合法（如其他事项的 15 个工作日期限、行政诉讼中的
“具体行政行为”），这些条目只报警告，并且要求同一段落出现“政府信息”或“行政复议”。
日期规则同 ORG001。

### 为什么

答复书的救济途径、期限和收费写错，会让申请人错过期限或走错机关，也是复议和诉讼中
撤销答复的常见理由。

### 法律依据

- 《中华人民共和国政府信息公开条例》（2019 年修订）第二十七条、第三十三条、第四十二条、
  第四十九条。
- 《中华人民共和国行政复议法》（2023 年修订，2024 年 1 月 1 日起施行）第二十条、
  第二十四条、第二十七条。

### 示例

```text
error[LAW003]: 这是2019年5月15日以前的条文措辞
  申请人应说明【生产、生活、科研等特殊需要】
  建议：2019年条例已取消“三需要”条件（第二十七条：可以向行政机关申请获取相关政府信息）
```
"#
);

impl Rule for OutdatedProvisionWording {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LAW003",
            "outdated-provision-wording",
            Severity::Error,
            Category::LegalCitation,
            "沿用了已修改的旧条文措辞",
            "Wording of a provision that has since been amended",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for (h, c, severity) in citation_hits(cx, "LAW003") {
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity,
                message_zh: format!("这是{}以前的条文措辞", date_zh(c.effective)),
                message_en: format!("Wording of a provision amended from {}", c.effective),
                suggestion: Some(c.current.clone()),
            });
        }
    }
}
