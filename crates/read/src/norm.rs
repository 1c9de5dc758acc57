//! Text normalisation for matching labels by meaning.
//!
//! Published reports mix full-width and half-width brackets and digits, space characters
//! apart (`结 果 维 持`) and wrap labels; PDF text layers written by some tools carry
//! Kangxi radicals (`⼀⼆⼋⼗`, U+2F00…) and CJK compatibility ideographs instead of the
//! unified ideographs. [`norm`] applies Unicode NFKC (the `unicode-normalization` crate),
//! which folds all of these, then drops all white space and unifies quotation marks and
//! brackets, so `（三）不予公开`, `(三) 不予公开` and `（三）不予公开` with a Kangxi `⼆`
//! compare equal. The original text is kept elsewhere for display.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// NFKC, removes white space and unifies quotes.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_into(s, &mut out);
    out
}

/// [`norm`], appending to `out`.
pub fn norm_into(s: &str, out: &mut String) {
    // Most text is plain ASCII and unified CJK, which NFKC leaves alone: a scan for that
    // is cheaper than the crate's quick check, which is cheaper than the decomposition.
    if s.chars().all(is_plain) || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        fold_str(s, out);
    } else {
        fold(s.nfkc(), out);
    }
}

/// NFKC folds width and compatibility forms of `s` for display-neutral comparisons that
/// must keep white space (e.g. splitting lines into words); no quote folding.
pub fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfkc().collect())
    }
}

/// Characters NFKC maps to themselves, known without a table: ASCII, the unified CJK
/// ideographs and the CJK punctuation and quotes reports print.
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(
            c,
            '、' | '。'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '《'
                | '》'
                | '〔'
                | '〕'
                | '【'
                | '】'
                | '—'
                | '〇'
        )
}

/// [`fold`] on a string: runs of characters that stay are copied whole, only the bytes
/// that may start white space, a quotation mark or a bracket are looked at one by one.
fn fold_str(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut run = 0; // start of the characters not yet copied
    let mut i = 0;
    while i < b.len() {
        if !MAY_BE_SPACE[usize::from(b[i])] || b[i] == 0xEF {
            // 0xEF starts U+F000–U+FFFF: full-width forms, which stay (no white space).
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        let folded = match c {
            '“' | '”' | '「' | '」' | '『' | '』' => Some('"'),
            '‘' | '’' => Some('\''),
            '【' | '〔' => Some('['),
            '】' | '〕' => Some(']'),
            c if c.is_whitespace() => None,
            c => {
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&s[run..i]);
        if let Some(f) = folded {
            out.push(f);
        }
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&s[run..]);
}

/// Bytes that may start a white-space character, a zero-width one, or a quotation mark or
/// bracket that [`fold`] unifies: ASCII white space and the UTF-8 lead bytes of
/// U+0080–U+00BF, U+1000–U+1FFF, U+2000–U+2FFF, U+3000–U+3FFF and U+F000–U+FFFF. Every
/// character starting with another byte is kept as it is by [`fold`] and by
/// [`crate::html::collapse`].
pub(crate) static MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = matches!(c, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF);
        c += 1;
    }
    t
};

fn fold(chars: impl Iterator<Item = char>, out: &mut String) {
    for ch in chars {
        let c = match ch {
            '“' | '”' | '「' | '」' | '『' | '』' => '"',
            '‘' | '’' => '\'',
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            c if c.is_whitespace() => continue,
            c => c,
        };
        out.push(c);
    }
}

/// The byte index of the last occurrence of `needle` in a short `hay`.
///
/// Labels are short; a plain window scan is cheaper here than setting up the two-way
/// searcher of `str::rfind` for each of the thirty-odd row words.
pub fn rfind_short(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len())
        .rev()
        .find(|&i| h[i] == n[0] && &h[i..i + n.len()] == n)
}

/// True for the markers that published reports print for an empty cell.
pub fn is_blank_marker(s: &str) -> bool {
    matches!(
        norm(s).as_str(),
        "" | "/" | "-" | "—" | "——" | "–" | "无" | "\\" | "_" | "－"
    )
}

/// The value of a Chinese numeral 〇 … 九十九 (as used in dates), or an ASCII number.
pub fn cn_number(s: &str) -> Option<u32> {
    let s = norm(s);
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or(if c == '零' { Some(0) } else { None })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)? as u32),
        [t, '十'] => Some(digit(*t)? as u32 * 10),
        [t, '十', d] => Some(digit(*t)? as u32 * 10 + digit(*d)? as u32),
        digits => digits.iter().try_fold(0u32, |acc, c| {
            Some(acc.checked_mul(10)? + digit(*c)? as u32)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_space() {
        assert_eq!(norm("（三） 不予公开"), "(三)不予公开");
        assert_eq!(norm("结 果 维 持"), "结果维持");
        assert_eq!(norm("危及“三安全一稳定”"), "危及\"三安全一稳定\"");
        assert_eq!(norm("１２"), "12");
    }

    #[test]
    fn folds_kangxi_radicals_and_compatibility_ideographs() {
        // ⼀ U+2F00, ⼆ U+2F06, ⼋ U+2F0B, ⼗ U+2F17: Kangxi radicals for 一二八十.
        assert_eq!(norm("\u{2F00}、总体情况"), "一、总体情况");
        assert_eq!(norm("（\u{2F06}）部分公开"), "(二)部分公开");
        assert_eq!(norm("第\u{2F17}\u{2F0B}条"), "第十八条");
        // U+F9B2 and U+F900 are compatibility ideographs of 零 and 豈; ㈠ is a
        // parenthesised 一.
        assert_eq!(norm("\u{F9B2}"), "零");
        assert_eq!(norm("\u{F900}"), "\u{8C48}");
        assert_eq!(norm("㈠"), "(一)");
        assert_eq!(norm("ＡＢＣ　１２３"), "ABC123");
        assert_eq!(nfkc("⼀ 二"), "一 二");
        assert!(matches!(nfkc("一 二"), std::borrow::Cow::Borrowed(_)));
    }

    /// Strings of the characters the byte-level scans of [`fold_str`] and
    /// [`crate::html::collapse`] treat specially (white space, zero-width characters,
    /// quotation marks, brackets, CJK punctuation, combining marks) and plain ones.
    fn tricky_strings() -> Vec<String> {
        const ALPHABET: &[char] = &[
            'a', 'x', '1', ' ', '\n', '\r', '\t', '\x0B', '\x0C', '\u{85}', '\u{a0}', '\u{1680}',
            '\u{2000}', '\u{200a}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2028}', '\u{2029}',
            '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}', '中', '文', '。', '、', '“', '”', '‘',
            '’', '【', '】', '〔', '〕', '「', '」', '『', '』', '—', '–', 'é', '\u{301}',
            '\u{ff10}', '\u{ff08}', '\u{1000}', '\u{2f00}', '\u{f900}', '\u{fffd}', '𠀀',
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        (0..20_000)
            .map(|_| {
                let len = next(24);
                (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect()
            })
            .collect()
    }

    /// `collapse` as it was written before the byte-level scan, character by character.
    fn collapse_by_chars(raw: &str) -> String {
        let mut out = String::new();
        let mut pending: Option<bool> = None;
        for c in raw.chars() {
            if matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}') {
                continue;
            }
            if c.is_whitespace() {
                let nl = matches!(c, '\n' | '\r');
                pending = Some(pending.unwrap_or(false) || nl);
                continue;
            }
            if let Some(nl) = pending.take()
                && let Some(prev) = out.chars().next_back()
                && !(nl && crate::html::is_wide(prev) && crate::html::is_wide(c))
            {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn byte_level_scans_equal_the_character_loops() {
        for s in tricky_strings() {
            let mut by_chars = String::new();
            fold(s.chars(), &mut by_chars);
            let mut by_runs = String::new();
            fold_str(&s, &mut by_runs);
            assert_eq!(by_runs, by_chars, "fold {s:?}");
            assert_eq!(
                crate::html::collapse(&s),
                collapse_by_chars(&s),
                "collapse {s:?}"
            );
        }
    }

    #[test]
    fn short_rfind() {
        assert_eq!(rfind_short("不予公开不予公开", "不予公开"), Some(12));
        assert_eq!(rfind_short("予以", "予以公开"), None);
        assert_eq!(rfind_short("abc", ""), None);
    }

    #[test]
    fn blank_markers() {
        for m in ["", " ", "/", "／", "-", "—", "无", "——"] {
            assert!(is_blank_marker(m), "{m:?}");
        }
        assert!(!is_blank_marker("0"));
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number("二〇二四"), Some(2024));
        assert_eq!(cn_number("十二"), Some(12));
        assert_eq!(cn_number("三十一"), Some(31));
        assert_eq!(cn_number("2024"), Some(2024));
        assert_eq!(cn_number("年"), None);
    }
}
