//! Inline Markdown: emphasis, links (their text kept), images, code spans, HTML tags
//! (`<br>` a soft break), character references and backslash escapes → plain text pieces.

/// How far inline constructs (links, code spans, tags) are looked for, in characters.
const INLINE_REACH: usize = 1000;

/// A piece of rendered inline text; `<br>` starts a new piece. `start` is the character
/// offset in the source where the piece begins.
#[derive(Debug, PartialEq)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) text: String,
}

/// Renders inline Markdown to plain text pieces.
pub(super) fn inline(s: &str) -> Vec<Piece> {
    // Most cells and lines of a report are plain text: nothing to render.
    if !s.contains(['\\', '`', '*', '~', '_', '[', '<', '&']) {
        return vec![Piece {
            start: 0,
            text: s.to_string(),
        }];
    }
    let cs: Vec<char> = s.chars().collect();
    let mut out = vec![Piece {
        start: 0,
        text: String::with_capacity(s.len()),
    }];
    render(&cs, 0, cs.len(), 0, &mut out);
    out
}

fn push(out: &mut [Piece], c: char) {
    if let Some(p) = out.last_mut() {
        p.text.push(c);
    }
}

fn render(cs: &[char], from: usize, to: usize, depth: u8, out: &mut Vec<Piece>) {
    let run = |i: usize, c: char| cs[i..to].iter().take_while(|&&x| x == c).count();
    let mut i = from;
    while i < to {
        let c = cs[i];
        match c {
            '\\' if i + 1 < to && cs[i + 1].is_ascii_punctuation() => {
                push(out, cs[i + 1]);
                i += 2;
            }
            '`' => {
                let n = run(i, '`');
                let close = (i + n..to.min(i + n + INLINE_REACH))
                    .find(|&j| run(j, '`') == n && (j == 0 || cs[j - 1] != '`'));
                match close {
                    Some(j) => {
                        for &x in &cs[i + n..j] {
                            push(out, x);
                        }
                        i = j + n;
                    }
                    None => {
                        for _ in 0..n {
                            push(out, '`');
                        }
                        i += n;
                    }
                }
            }
            '*' => i += run(i, '*'),
            '~' => {
                let n = run(i, '~');
                if n == 1 {
                    push(out, '~');
                }
                i += n;
            }
            '_' => {
                let n = run(i, '_');
                let before = i.checked_sub(1).map(|k| cs[k]);
                let after = cs.get(i + n).copied().filter(|_| i + n < to);
                let inner = before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && after.is_some_and(|a| a.is_ascii_alphanumeric());
                if inner {
                    for _ in 0..n {
                        push(out, '_');
                    }
                }
                i += n;
            }
            '!' if cs.get(i + 1) == Some(&'[') && i + 1 < to => match link_at(cs, i + 1, to) {
                Some((_, after)) => i = after,
                None => {
                    push(out, '!');
                    i += 1;
                }
            },
            '[' => match link_at(cs, i, to) {
                Some((close, after)) if depth < 4 => {
                    render(cs, i + 1, close, depth + 1, out);
                    i = after;
                }
                _ => {
                    push(out, '[');
                    i += 1;
                }
            },
            '<' => match tag_at(cs, i, to) {
                Some((Tag::Break, end)) => {
                    out.push(Piece {
                        start: end,
                        text: String::new(),
                    });
                    i = end;
                }
                Some((Tag::Autolink(a, b), end)) => {
                    for &x in &cs[a..b] {
                        push(out, x);
                    }
                    i = end;
                }
                Some((Tag::Other, end)) => i = end,
                None => {
                    push(out, '<');
                    i += 1;
                }
            },
            '&' => match entity_at(cs, i, to) {
                Some((ch, end)) => {
                    push(out, ch);
                    i = end;
                }
                None => {
                    push(out, '&');
                    i += 1;
                }
            },
            _ => {
                push(out, c);
                i += 1;
            }
        }
    }
}

/// `[text](url)`, `[text][ref]` or `[text][]` at `i`: the index of the closing `]` and
/// of the character after the construct.
fn link_at(cs: &[char], i: usize, to: usize) -> Option<(usize, usize)> {
    let limit = to.min(i + INLINE_REACH);
    let mut depth = 0usize;
    let mut j = i;
    let close = loop {
        j += 1;
        if j >= limit {
            return None;
        }
        match cs[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' if depth == 0 => break j,
            ']' => depth -= 1,
            _ => {}
        }
    };
    let (open, shut) = match cs.get(close + 1) {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut k = close + 1;
    loop {
        k += 1;
        if k >= limit {
            return None;
        }
        match cs[k] {
            '\\' => k += 1,
            c if c == open && open == '(' => depth += 1,
            c if c == shut && depth == 0 => return Some((close, k + 1)),
            c if c == shut => depth -= 1,
            _ => {}
        }
    }
}

enum Tag {
    Break,
    Autolink(usize, usize),
    Other,
}

/// An HTML tag, comment or autolink at `i`, and the index after it.
fn tag_at(cs: &[char], i: usize, to: usize) -> Option<(Tag, usize)> {
    let limit = to.min(i + INLINE_REACH);
    let starts = |s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| cs.get(i + k).is_some_and(|x| x.eq_ignore_ascii_case(&c)))
    };
    if starts("<!--") {
        let end = (i + 4..limit.saturating_sub(2))
            .find(|&j| cs[j] == '-' && cs[j + 1] == '-' && cs[j + 2] == '>')?;
        return Some((Tag::Other, end + 3));
    }
    let next = *cs.get(i + 1)?;
    if !(next.is_ascii_alphabetic() || next == '/') {
        return None;
    }
    let close = (i + 1..limit).find(|&j| cs[j] == '>' || cs[j] == '<')?;
    if cs[close] != '>' {
        return None;
    }
    let inner: String = cs[i + 1..close].iter().collect();
    if inner.contains("://") || inner.starts_with("mailto:") {
        return Some((Tag::Autolink(i + 1, close), close + 1));
    }
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    if name.is_empty() {
        return None;
    }
    let tag = if name.eq_ignore_ascii_case("br") {
        Tag::Break
    } else {
        Tag::Other
    };
    Some((tag, close + 1))
}

/// A character reference at `i`: the character and the index after it.
fn entity_at(cs: &[char], i: usize, to: usize) -> Option<(char, usize)> {
    let limit = to.min(i + 12);
    let semi = (i + 1..limit).find(|&j| cs[j] == ';')?;
    let name: String = cs[i + 1..semi].iter().collect();
    let ch = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        match name.as_str() {
            "nbsp" => '\u{a0}',
            "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "middot" => '·',
            "times" => '×',
            "yen" => '¥',
            _ => return None,
        }
    };
    Some((ch, semi + 1))
}
