//! The Chinese analyzer: compatibility folding (NFKC: full-width digits and Latin letters,
//! ㈠-style enclosed forms), lower case, then jieba's search-mode segmentation, with every
//! token's offsets mapped back onto the original text (so that tantivy's snippets
//! highlight the text as stored, full-width forms and all).
//!
//! The same analyzer is registered for every text field under [`TOKENIZER`]; queries are
//! cut with [`query_groups`] (default-mode words, each with its search-mode pieces).

use std::sync::LazyLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// The name the analyzer is registered under.
pub const TOKENIZER: &str = "gongkai_zh";

/// Words of government texts that jieba's dictionary cuts too finely; added with a
/// frequency high enough to be kept whole (search mode still yields their parts).
const GOVERNMENT_WORDS: &[&str] = &[
    "政府信息公开",
    "信息公开",
    "主动公开",
    "依申请公开",
    "不予公开",
    "政务公开",
    "行政规范性文件",
    "规范性文件",
    "行政复议",
    "行政诉讼",
    "保密审查",
    "公开属性",
    "索引号",
    "文号",
    "生成日期",
    "发布机构",
    "主题分类",
    "年度报告",
    "工作年度报告",
    "实施方案",
    "实施意见",
    "实施细则",
    "管理办法",
    "暂行办法",
    "工作方案",
    "专项行动",
    "营商环境",
    "乡村振兴",
    "城乡居民",
    "最低生活保障",
    "低保",
    "医疗保障",
    "养老保险",
    "公共资源交易",
    "国有土地上房屋征收",
    "房屋征收",
    "土地征收",
    "安全生产",
    "生态环境",
    "行政处罚",
    "行政许可",
    "政务服务",
    "一网通办",
    "放管服",
    "双随机",
];

/// Query words that carry no meaning of their own (they are in nearly every title).
const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "是", "对", "之", "等", "把", "被", "将", "于",
    "关于", "有关", "一",
];

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for w in GOVERNMENT_WORDS {
        let freq = jieba.suggest_freq(w).max(50_000);
        jieba.add_word(w, Some(freq), None);
    }
    jieba
});

/// Loads the dictionary now (it takes a few hundred milliseconds), rather than at the
/// first document or query.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// `text` folded for matching: NFKC per character, lower case. Each byte of the result
/// knows the original character it came from (`spans[i]` = that character's byte range).
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub text: String,
    spans: Vec<(usize, usize)>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut spans = Vec::with_capacity(original.len());
        let mut buf = [0u8; 4];
        for (at, c) in original.char_indices() {
            let end = at + c.len_utf8();
            if c.is_ascii() {
                let l = c.to_ascii_lowercase();
                text.push(l);
                spans.push((at, end));
                continue;
            }
            for n in std::iter::once(c).nfkc() {
                for l in n.to_lowercase() {
                    let s = l.encode_utf8(&mut buf);
                    text.push_str(s);
                    spans.extend(std::iter::repeat_n((at, end), s.len()));
                }
            }
        }
        Folded { text, spans }
    }

    /// The original byte range of the folded range `[from, to)`.
    pub fn original(&self, from: usize, to: usize) -> (usize, usize) {
        if from >= to || to > self.spans.len() {
            return (0, 0);
        }
        (self.spans[from].0, self.spans[to - 1].1)
    }
}

/// `text` folded (NFKC, lower case) without white space: the exact-match key of
/// 发布机构, 体裁 and the like.
pub fn fold_compact(text: &str) -> String {
    let f = Folded::new(text.trim());
    f.text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Only letters and digits make a token (punctuation and spaces do not).
fn meaningful(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// The folded tokens of `text` in search mode, with their original byte ranges.
fn tokens(text: &str) -> Vec<Token> {
    let folded = Folded::new(text);
    let mut out = Vec::new();
    for t in JIEBA.tokenize(&folded.text, TokenizeMode::Search, true) {
        if !meaningful(t.word) {
            continue;
        }
        let (from, to) = folded.original(t.byte_start, t.byte_end);
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position: t.start,
            text: t.word.to_string(),
            position_length: t.end.saturating_sub(t.start).max(1),
        });
    }
    // Search mode gives a word's parts before the word (北京, 大学, 北京大学): in the
    // order of the text instead, as tantivy's snippets require (a fragment starting at a
    // part would otherwise get the word before its start).
    out.sort_by_key(|t| (t.offset_from, t.offset_to));
    out
}

/// The tantivy tokenizer (cheap to clone).
#[derive(Clone, Copy, Default)]
pub struct ChineseTokenizer;

/// The token stream of a tokenizer that cuts the whole text at once (this one and
/// [`crate::substring::CharTokenizer`]).
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    pub fn new(tokens: Vec<Token>) -> VecTokenStream {
        VecTokenStream { tokens, next: 0 }
    }
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokens(text))
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The analyzed terms of `text` (as indexed), in order, with repeats.
pub fn terms(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.text).collect()
}

/// A query word and the terms any of which matches it: the word itself (folded) first,
/// then its search-mode pieces (so 北京大学 also matches a text cut as 北京 / 大学).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryGroup {
    pub word: String,
    pub terms: Vec<String>,
}

/// The query cut into words (default mode, stop words and punctuation dropped), each
/// with the terms that match it; repeated words once.
pub fn query_groups(query: &str) -> Vec<QueryGroup> {
    let folded = Folded::new(query);
    let mut groups: Vec<QueryGroup> = Vec::new();
    for t in JIEBA.tokenize(&folded.text, TokenizeMode::Default, true) {
        let word = t.word.trim();
        if !meaningful(word) || STOP_WORDS.contains(&word) {
            continue;
        }
        if groups.iter().any(|g| g.word == word) {
            continue;
        }
        let mut terms = vec![word.to_string()];
        for p in JIEBA.tokenize(word, TokenizeMode::Search, true) {
            if meaningful(p.word) && !terms.iter().any(|x| x == p.word) {
                terms.push(p.word.to_string());
            }
        }
        groups.push(QueryGroup {
            word: word.to_string(),
            terms,
        });
    }
    groups
}
