use crate::engine::PatRef;
use crate::rules::{Cx, Hit, Rule, date_zh, dated_severity, historical, info};
use crate::{Category, RuleInfo, Severity, text};

explained!(
    OutdatedInstitutionName,
    r#"## outdated-institution-name (ORG001)

### 检查什么

已经更名或撤销的机构名称，如“国土资源部”“环境保护局”“卫计委”“银保监会”。名称、现名称、
改革和生效日期在数据表 `data/institutions.toml` 中，每条注明出处；最长匹配优先
（“国家食品药品监督管理总局”先于“食品药品监督管理局”）。

- 文档日期（“发布时间：”后的日期，或落款日期）**早于**生效日期：历史文本，不报。
- 文档没有日期，或在生效后的宽限期（默认 183 天）内：警告。
- 文档日期在宽限期之后：错误（数据表中只有 CONFIRMED 的条目报错误，其余最多警告）。

以下情形不报：名称前有“原”“前”“旧”；后面紧跟“（现…）”；在书名号《》内（引用文件标题）；
同一句中写有早于改革的年份（叙述历史）；同一句讲的就是改革本身（更名、组建、撤销、划入……）。
加挂牌子的名称（如国家海洋局）不收入数据表。

### 为什么

机构改革后仍用旧名称，属于“发布的政府信息不准确”或“未及时更新”；检查把机构名称错误
列为严重表述错误。

### 法律依据

- 《中华人民共和国政府信息公开条例》第五十三条第（二）项：不依法及时更新公开的政府信息。
- 2018 年国务院机构改革方案（2018-03-17 批准）、2018 年地方机构改革（2019 年 3 月底前
  基本完成）、2023 年党和国家机构改革方案（2023-03-10 批准）；各条出处见数据表。

### 示例

```text
error[ORG001]: “国土资源局”已于2019年3月31日起改为“××自然资源局”（2018年地方机构改革）
  市【国土资源局】负责
```
"#
);

impl Rule for OutdatedInstitutionName {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "ORG001",
            "outdated-institution-name",
            Severity::Error,
            Category::InstitutionName,
            "使用了已更名或撤销的机构名称",
            "An institution name that has been changed or abolished",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for h in cx.builtin {
            let PatRef::Institution(i) = h.what else {
                continue;
            };
            let inst = &cx.data.institutions[i];
            let after = &cx.text[h.end..];
            let before = &cx.text[..h.start];
            if inst.not_after.iter().any(|w| after.starts_with(w.as_str()))
                || inst.not_before.iter().any(|w| before.ends_with(w.as_str()))
                || text::inside_book_title(cx.text, h.start, h.end)
                || historical(cx, h.start, h.end, inst.effective)
            {
                continue;
            }
            let Some(severity) = dated_severity(cx, inst.effective, inst.max_severity()) else {
                continue;
            };
            let old = &cx.text[h.start..h.end];
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity,
                message_zh: format!(
                    "“{old}”已于{}起改为“{}”（{}）",
                    date_zh(inst.effective),
                    inst.new,
                    inst.reform
                ),
                message_en: format!(
                    "“{old}” was replaced by “{}” from {} ({})",
                    inst.new, inst.effective, inst.reform
                ),
                suggestion: Some(inst.new.clone()),
            });
        }
    }
}
