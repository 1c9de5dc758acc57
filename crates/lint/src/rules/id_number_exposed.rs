use crate::pii::{IdShape, id_shape, labelled_not_personal, mask};
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    IdNumberExposed,
    r#"## id-number-exposed (PII001)

### 检查什么

文中出现完整的 18 位公民身份号码：出生日期真实（不晚于今天）、前两位是省级行政区划代码、
第 18 位校验码按 GB 11643-1999 计算正确（ISO 7064 MOD 11-2：前 17 位依次乘以权数
7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2，和除以 11 的余数对应 1 0 X 9 8 7 6 5 4 3 2）。
已经遮蔽的号码（如 `410702********1234`）不报。紧挨在“索引号”“文号”“编号”“信用代码”等
标签之后的号码不报（不是个人信息）。

### 为什么

公民身份号码是个人信息，公开前须去标识化。政府网站检查把公开文件中未遮蔽的身份证号作为
“泄露个人隐私”通报。

### 法律依据

- 《中华人民共和国政府信息公开条例》第十五条：涉及个人隐私等公开会对第三方合法权益造成
  损害的政府信息，行政机关不得公开。
- 《中华人民共和国个人信息保护法》第二十五条：个人信息处理者不得公开其处理的个人信息，
  取得个人单独同意的除外。
- 《中华人民共和国居民身份证法》第十九条：国家机关工作人员泄露在履行职责中知悉的公民
  个人信息的，依法处罚。
- GB 11643-1999《公民身份号码》：号码结构和校验码算法。

### 示例

```text
error[PII001]: 出现完整的公民身份号码，公开前应遮蔽出生日期
  张三，身份证号【11010519491231002X】
  建议：110105********002X
```
"#
);

impl Rule for IdNumberExposed {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "PII001",
            "id-number-exposed",
            Severity::Error,
            Category::PersonalInformation,
            "出现完整的公民身份号码（校验码正确）",
            "A full citizen ID number (valid check digit) is published",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for t in cx.tokens(18) {
            if id_shape(t, &cx.data.pii.province_codes, cx.today) == IdShape::Valid
                && !labelled_not_personal(cx.text, t.start)
            {
                out.push(Hit {
                    start: t.start,
                    end: t.end,
                    severity: Severity::Error,
                    message_zh: "出现完整的公民身份号码，公开前应遮蔽出生日期".into(),
                    message_en: "A full citizen ID number; mask the birth date before publishing"
                        .into(),
                    suggestion: Some(mask(&t.digits, 6, 4)),
                });
            }
        }
    }
}
