//! Substring matching in the index, as the register's lists match words (a SQL `LIKE
//! '%word%'`, case-insensitive for ASCII letters): the 专栏's lists filter by words of the
//! 名称, 索引号, 文号 and 内容概述 and by words of the 发布机构 with exactly the register's
//! meaning, which jieba's words cannot give (a word of the text is not always a word of
//! the segmentation: 卫生健 is in 卫生健康委员会).
//!
//! Each character is one token at its own position ([`CharTokenizer`]), ASCII capitals
//! folded to small letters; a word of two or more characters is the phrase of its
//! characters (consecutive positions: exactly where it occurs), a word of one character
//! the term of that character. Written here because tantivy's `NgramTokenizer` gives every
//! gram position 0, so a phrase of grams cannot be asked for.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Token, Tokenizer};

use crate::tokenizer::VecTokenStream;

/// The name the character tokenizer is registered under.
pub const CHARS: &str = "gongkai_chars";

/// A character as the lists compare it: ASCII capitals as small letters (SQLite's `LIKE`
/// and the register's PostgreSQL query do the same), anything else as it is.
fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

/// One token per character.
#[derive(Clone, Copy, Default)]
pub struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = text
            .char_indices()
            .enumerate()
            .map(|(position, (at, c))| Token {
                offset_from: at,
                offset_to: at + c.len_utf8(),
                position,
                text: fold(c).to_string(),
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

/// Documents whose `field` holds `word` as a substring (`None` for an empty word).
pub fn contains(field: Field, word: &str) -> Option<Box<dyn Query>> {
    let terms: Vec<Term> = word
        .chars()
        .map(|c| Term::from_field_text(field, &fold(c).to_string()))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.into_iter().next().expect("one"),
            IndexRecordOption::Basic,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Documents whose `field` holds every white-space separated word of `words`.
pub fn contains_all(field: Field, words: &str) -> Option<Box<dyn Query>> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .split_whitespace()
        .filter_map(|w| contains(field, w))
        .map(|q| (Occur::Must, q))
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut t = CharTokenizer;
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    }

    #[test]
    fn each_character_is_a_token_at_its_position_ascii_folded() {
        assert_eq!(
            tokens("卫健A 1"),
            vec![
                ("卫".into(), 0),
                ("健".into(), 1),
                ("a".into(), 2),
                (" ".into(), 3),
                ("1".into(), 4)
            ]
        );
        // Only ASCII letters are folded (as SQLite's LIKE).
        assert_eq!(tokens("Ａ")[0].0, "Ａ");
    }
}
