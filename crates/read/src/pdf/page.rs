//! What the layout code sees of a PDF page: glyphs with their boxes, ruling lines and
//! rectangles, in points with the origin at the top left of the page (y grows down), as
//! `pdftotext -bbox` and pdfplumber report them.
//!
//! This is the seam between the PDF library and the rest of the reader: only
//! [`super::extract`] knows the library; [`super::layout`] and [`super::table`] work on
//! these types alone, and their unit tests build pages by hand.

/// One glyph as printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Char {
    /// The Unicode character (a glyph that maps to several characters gives several
    /// `Char`s sharing its box).
    pub ch: char,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    /// The font size in points after all scaling (the height of an em).
    pub size: f32,
}

impl Char {
    /// The horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    /// The vertical centre.
    pub fn cy(&self) -> f32 {
        (self.top + self.bottom) / 2.0
    }
}

/// A straight stroked line (or a hairline rectangle), axis-aligned or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
}

/// A filled rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub top: f32,
    pub x1: f32,
    pub bottom: f32,
}

/// One page: its size, glyphs (in content-stream order), lines and rectangles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub chars: Vec<Char>,
    pub lines: Vec<Line>,
    pub rects: Vec<Rect>,
    /// Images drawn on the page (image XObjects and inline images).
    pub images: u32,
}
