//! The password rules, once for every way a password is set (the first administrator at
//! `/setup` or `ledger init`, a new user, a reset, one's own change, the command line) and
//! for the check at sign-in that flags an old password which no longer passes.
//!
//! A password must have at least [`MIN_CHARS`] characters, must not be the user name,
//! the display name or the office's name (or a trivial variant of them), and must reach
//! score [`MIN_SCORE`] of the `zxcvbn` strength estimator (about 10¹⁰ guesses), which
//! knows the common passwords, names, words, keyboard rows, repeats, sequences and dates
//! and is given the user's own names as a dictionary. The reasons are in Chinese.

use zxcvbn::feedback::Warning;
use zxcvbn::matching::patterns::MatchPattern;
use zxcvbn::{Score, zxcvbn};

/// The shortest password accepted.
pub const MIN_CHARS: usize = 10;

/// The lowest `zxcvbn` score accepted (0–4; 3: about 10¹⁰ guesses).
pub const MIN_SCORE: Score = Score::Three;

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Weak {
    #[error("至少需要 {min} 个字符（现为 {len} 个）")]
    TooShort { min: usize, len: usize },
    #[error("不能使用用户名、姓名或机关名称（或其简单变形）作密码")]
    LikeName,
    #[error("{reason}，容易被猜中；请改用更长、无规律的密码（例如几个不相关的词加数字）")]
    Guessable { reason: &'static str },
}

/// What a password must not be derived from: the login name, the display name, the
/// office's name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs<'a> {
    pub name: &'a str,
    pub display_name: Option<&'a str>,
    pub office: Option<&'a str>,
}

impl<'a> Inputs<'a> {
    fn list(&self) -> Vec<&'a str> {
        [Some(self.name), self.display_name, self.office]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// The letters and digits of `s`, lower case (`Li.Ming-2024` → `liming2024`).
fn bare(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checks `password` against the rules.
pub fn check(password: &str, inputs: &Inputs<'_>) -> Result<(), Weak> {
    let len = password.chars().count();
    if len < MIN_CHARS {
        return Err(Weak::TooShort {
            min: MIN_CHARS,
            len,
        });
    }
    let words = inputs.list();
    let pw = bare(password);
    let letters: String = pw.chars().filter(|c| !c.is_ascii_digit()).collect();
    for w in &words {
        let w = bare(w);
        if w.is_empty() {
            continue;
        }
        let reversed: String = w.chars().rev().collect();
        // The name itself, reversed, repeated, or with digits and punctuation around it:
        // nothing but the name is left of the letters.
        let rest = letters.replace(&w, "").replace(&reversed, "");
        if pw == w || pw == reversed || rest.is_empty() {
            return Err(Weak::LikeName);
        }
    }
    let entropy = zxcvbn(password, &words);
    if entropy.score() >= MIN_SCORE {
        return Ok(());
    }
    // The dictionary type is not exported by the crate; its Debug name is stable.
    let from_inputs = entropy.sequence().iter().any(|m| {
        matches!(&m.pattern, MatchPattern::Dictionary(d)
            if format!("{:?}", d.dictionary_name) == "UserInputs")
    });
    if from_inputs {
        return Err(Weak::LikeName);
    }
    let warning = entropy.feedback().and_then(|f| f.warning());
    Err(Weak::Guessable {
        reason: warning.map_or("密码强度不足", reason_zh),
    })
}

/// Whether `password` passes the rules (for the check at sign-in).
pub fn passes(password: &str, inputs: &Inputs<'_>) -> bool {
    check(password, inputs).is_ok()
}

/// zxcvbn's (English) warning as a short Chinese reason.
fn reason_zh(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => "整行连续的键盘按键",
        Warning::ShortKeyboardPatternsAreEasyToGuess => "简短的键盘按键组合",
        Warning::RepeatsLikeAaaAreEasyToGuess => "重复的字符（如 aaa）",
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => "重复的片段（如 abcabc）",
        Warning::ThisIsATop10Password | Warning::ThisIsATop100Password => "最常见的密码之一",
        Warning::ThisIsACommonPassword => "常见密码",
        Warning::ThisIsSimilarToACommonlyUsedPassword => "与常见密码相似",
        Warning::SequencesLikeAbcAreEasyToGuess => "连续的字符序列（如 abc、123）",
        Warning::RecentYearsAreEasyToGuess => "近年的年份",
        Warning::AWordByItselfIsEasyToGuess => "单个常用词",
        Warning::DatesAreOftenEasyToGuess => "日期",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
        | Warning::CommonNamesAndSurnamesAreEasyToGuess => "常见的姓名",
    }
}

/// A random temporary password that passes the rules (16 letters and digits without the
/// look-alikes 0/O, 1/l/I).
pub fn temporary(inputs: &Inputs<'_>) -> Result<String, crate::StoreError> {
    loop {
        let p = crate::auth::random_password()?;
        if passes(&p, inputs) {
            return Ok(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LI: Inputs<'static> = Inputs {
        name: "liming",
        display_name: Some("李明"),
        office: Some("某市某局"),
    };

    #[test]
    fn short_common_and_derived_passwords_are_refused() {
        assert_eq!(
            check("abc123", &LI),
            Err(Weak::TooShort { min: 10, len: 6 })
        );
        assert!(matches!(
            check("password123", &LI),
            Err(Weak::Guessable { .. })
        ));
        assert!(matches!(
            check("qwertyuiop", &LI),
            Err(Weak::Guessable { .. })
        ));
        assert_eq!(check("liming2024!", &LI), Err(Weak::LikeName));
        assert_eq!(check("gnimil-0000", &LI), Err(Weak::LikeName));
        assert_eq!(check("Li.Ming.liming", &LI), Err(Weak::LikeName));
        let e = check("password123", &LI).unwrap_err().to_string();
        assert!(e.contains("常见密码"), "{e}");
    }

    #[test]
    fn long_unpredictable_passwords_pass() {
        check("Plum7-harbor-Quill", &LI).unwrap();
        check("liming-Plum7-harbor-Quill", &LI).unwrap();
        check("青山-Kx7-ferry-moss", &LI).unwrap();
        let t = temporary(&LI).unwrap();
        assert_eq!(t.len(), 16);
        check(&t, &LI).unwrap();
    }
}
