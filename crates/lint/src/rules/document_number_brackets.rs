use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{Cx, Hit, Rule, info};
use crate::text::Marks;
use crate::{Category, RuleInfo, Severity};

explained!(
    DocumentNumberBrackets,
    r#"## document-number-brackets (TYPO002)

### 检查什么

发文字号中的年份没有用六角括号“〔〕”：`国办发[2017]47号`、`国办发（2017）47号`、
`国办发【2017】47号` 应为 `国办发〔2017〕47号`。只认“机关代字（以发、函、字、办、电、文结尾）
+ 括号 + 4 位年份 + 括号 + 序号 + 号”的完整形式，标出括号到“号”的部分。

### 为什么

发文字号是公文的法定要素，错误写法在检索、引用时对不上原文。有的地方目录规则要求用
“[]”，因此只报警告；GB/T 9704 对公文本身适用。

### 法律依据

- GB/T 9704-2012《党政机关公文格式》7.2.5：年份应标全称，用六角括号“〔〕”括入；
  发文顺序号不加“第”字，不编虚位（content-checks.md §2d，SECONDARY）。

### 示例

```text
warning[TYPO002]: 发文字号的年份应使用六角括号“〔〕”
  印发国办发【[2017]47号】
  建议：〔2017〕47号
```
"#
);

/// The bracketed year and the number of a document number; the issuing organ's code
/// (`国办发`) must come right before it.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[【（(]\s*((?:19|20)[0-9]{2})\s*[\]】）)]\s*第?0*([1-9][0-9]{0,4})号")
        .expect("valid regex")
});

/// Last characters of an organ's code: 国办**发**, 国办**函**, 豫政**办**, 京**字**.
const CODE_ENDS: [char; 6] = ['发', '函', '字', '办', '电', '文'];

impl Rule for DocumentNumberBrackets {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "TYPO002",
            "document-number-brackets",
            Severity::Warning,
            Category::Usage,
            "发文字号的年份未用六角括号“〔〕”",
            "The year of a document number is not in hexagonal brackets 〔〕",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        if !cx.marks.has(Marks::NUMBER_SIGN) {
            return;
        }
        for c in NUMBER.captures_iter(cx.text) {
            let (Some(whole), Some(year), Some(seq)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            if !cx.text[..whole.start()].ends_with(CODE_ENDS) {
                continue;
            }
            out.push(Hit {
                start: whole.start(),
                end: whole.end(),
                severity: Severity::Warning,
                message_zh: "发文字号的年份应使用六角括号“〔〕”".into(),
                message_en: "Put the year of a document number in hexagonal brackets 〔〕".into(),
                suggestion: Some(format!("〔{}〕{}号", year.as_str(), seq.as_str())),
            });
        }
    }
}
