//! The content-stream interpreter: graphics and text state, glyphs, paths, within budgets.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};

use super::*;
use crate::ReadError;
use crate::pdf::font::Font;
use crate::pdf::page::{Char, Line, Page, Rect};

pub(super) struct Budget {
    pub(super) operations: usize,
    pub(super) chars: usize,
    pub(super) content_bytes: usize,
}

pub(super) type Matrix = [f32; 6];

pub(super) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (PDF's row-vector convention: `a × b`).
pub(super) fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

pub(super) fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

pub(super) fn matrix_of(ops: &[Object]) -> Option<Matrix> {
    if ops.len() < 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(&ops[ops.len() - 6..]) {
        *slot = num(o)?;
    }
    Some(m)
}

#[derive(Clone)]
pub(super) struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

pub(super) struct Subpath {
    points: Vec<(f32, f32)>,
    closed: bool,
    curved: bool,
}

pub(super) struct Interp<'o, 'a, 'b> {
    objs: &'o Objects<'a>,
    budget: &'b mut Budget,
    fonts: &'b mut HashMap<ObjectId, Rc<Font>>,
    page: Page,
    gs: State,
    stack: Vec<State>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<Subpath>,
    path_points: usize,
    forms: Vec<ObjectId>,
    fallback: Rc<Font>,
}

pub(super) fn interpret_page(
    objs: &Objects<'_>,
    p: &PageRef<'_>,
    number: u32,
    budget: &mut Budget,
    fonts: &mut HashMap<ObjectId, Rc<Font>>,
) -> Result<Page, ReadError> {
    let [x0, y0, x1, y1] = p
        .inh
        .crop
        .or(p.inh.media)
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    // Device space → page space with the origin at the top left, after /Rotate.
    let (base, width, height) = match p.inh.rotate {
        90 => ([0.0, 1.0, 1.0, 0.0, -y0, -x0], y1 - y0, x1 - x0),
        180 => ([-1.0, 0.0, 0.0, 1.0, x1, -y0], x1 - x0, y1 - y0),
        270 => ([0.0, -1.0, -1.0, 0.0, y1, x1], y1 - y0, x1 - x0),
        _ => ([1.0, 0.0, 0.0, -1.0, -x0, y1], x1 - x0, y1 - y0),
    };
    let mut it = Interp {
        objs,
        budget,
        fonts,
        page: Page {
            number,
            width,
            height,
            ..Page::default()
        },
        gs: State {
            ctm: base,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        },
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        path: Vec::new(),
        path_points: 0,
        forms: Vec::new(),
        fallback: Rc::new(Font::fallback()),
    };
    let mut data = Vec::new();
    let contents = p.dict.get(b"Contents").ok();
    let parts: Vec<&Object> = match contents.map(|c| objs.resolve(c)) {
        Some(Object::Array(a)) => a.iter().collect(),
        Some(o) => vec![o],
        None => Vec::new(),
    };
    for part in parts {
        if let Some(d) = objs.stream_data(Some(part)) {
            if d.len() > it.budget.content_bytes {
                return Err(ReadError::PdfTooComplex {
                    what: "解压后的页面内容 / decompressed page content",
                });
            }
            it.budget.content_bytes -= d.len();
            data.extend_from_slice(&d);
            data.push(b'\n');
        }
    }
    it.run(&data, p.inh.resources, 0)?;
    Ok(it.page)
}

impl<'o, 'a, 'b> Interp<'o, 'a, 'b> {
    fn run(
        &mut self,
        data: &[u8],
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<(), ReadError> {
        for op in Content::decode_iter(data) {
            let Ok(op) = op else { break };
            if self.budget.operations == 0 {
                return Err(ReadError::PdfTooComplex {
                    what: "页面绘制指令 / content stream operations",
                });
            }
            self.budget.operations -= 1;
            self.op(&op.operator, &op.operands, resources, depth)?;
        }
        Ok(())
    }

    fn op(
        &mut self,
        operator: &str,
        o: &[Object],
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<(), ReadError> {
        let n = |i: usize| o.get(i).and_then(num);
        let last = |k: usize| -> Option<f32> { o.len().checked_sub(k).and_then(n) };
        match operator {
            "q" if self.stack.len() < MAX_SAVED_STATES => self.stack.push(self.gs.clone()),
            "Q" => {
                if let Some(s) = self.stack.pop() {
                    self.gs = s;
                }
            }
            "cm" => {
                if let Some(m) = matrix_of(o) {
                    self.gs.ctm = mul(&m, &self.gs.ctm);
                }
            }
            // Paths.
            "m" => {
                if let (Some(x), Some(y)) = (last(2), last(1)) {
                    let p = apply(&self.gs.ctm, x, y);
                    self.new_subpath(p);
                }
            }
            "l" => {
                if let (Some(x), Some(y)) = (last(2), last(1)) {
                    let p = apply(&self.gs.ctm, x, y);
                    self.line_to(p, false);
                }
            }
            "c" | "v" | "y" => {
                if let (Some(x), Some(y)) = (last(2), last(1)) {
                    let p = apply(&self.gs.ctm, x, y);
                    self.line_to(p, true);
                }
            }
            "h" => {
                if let Some(s) = self.path.last_mut() {
                    s.closed = true;
                }
            }
            "re" => {
                if let (Some(x), Some(y), Some(w), Some(h)) = (last(4), last(3), last(2), last(1)) {
                    let m = self.gs.ctm;
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
                    self.new_subpath(apply(&m, x, y));
                    for (px, py) in &pts[1..] {
                        self.line_to(apply(&m, *px, *py), false);
                    }
                    if let Some(s) = self.path.last_mut() {
                        s.closed = true;
                    }
                }
            }
            "S" | "s" => {
                if operator == "s"
                    && let Some(s) = self.path.last_mut()
                {
                    s.closed = true;
                }
                self.stroke();
                self.path.clear();
                self.path_points = 0;
            }
            "f" | "F" | "f*" => {
                self.fill();
                self.path.clear();
                self.path_points = 0;
            }
            "B" | "B*" | "b" | "b*" => {
                if operator.starts_with('b')
                    && let Some(s) = self.path.last_mut()
                {
                    s.closed = true;
                }
                self.fill();
                self.stroke();
                self.path.clear();
                self.path_points = 0;
            }
            "n" => {
                self.path.clear();
                self.path_points = 0;
            }
            // Text.
            "BT" => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            "Tc" => self.gs.char_spacing = n(0).unwrap_or(0.0),
            "Tw" => self.gs.word_spacing = n(0).unwrap_or(0.0),
            "Tz" => self.gs.scale = n(0).unwrap_or(100.0) / 100.0,
            "TL" => self.gs.leading = n(0).unwrap_or(0.0),
            "Ts" => self.gs.rise = n(0).unwrap_or(0.0),
            "Tf" => {
                self.gs.size = last(1).unwrap_or(0.0);
                let name = o.iter().rev().find_map(|x| match x {
                    Object::Name(n) => Some(n.as_slice()),
                    _ => None,
                });
                self.gs.font = name.map(|n| self.font(resources, n));
            }
            "Td" => {
                if let (Some(x), Some(y)) = (last(2), last(1)) {
                    self.next_line(x, y);
                }
            }
            "TD" => {
                if let (Some(x), Some(y)) = (last(2), last(1)) {
                    self.gs.leading = -y;
                    self.next_line(x, y);
                }
            }
            "Tm" => {
                if let Some(m) = matrix_of(o) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            "T*" => self.next_line(0.0, -self.gs.leading),
            "Tj" => {
                if let Some(Object::String(s, _)) = o.last() {
                    self.show(s)?;
                }
            }
            "'" => {
                self.next_line(0.0, -self.gs.leading);
                if let Some(Object::String(s, _)) = o.last() {
                    self.show(s)?;
                }
            }
            "\"" => {
                if o.len() >= 3 {
                    self.gs.word_spacing = n(0).unwrap_or(0.0);
                    self.gs.char_spacing = n(1).unwrap_or(0.0);
                }
                self.next_line(0.0, -self.gs.leading);
                if let Some(Object::String(s, _)) = o.last() {
                    self.show(s)?;
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = o.last() {
                    for item in items {
                        match item {
                            Object::String(s, _) => self.show(s)?,
                            x => {
                                if let Some(adj) = num(x) {
                                    let tx = -adj / 1000.0 * self.gs.size * self.gs.scale;
                                    self.advance(tx);
                                }
                            }
                        }
                    }
                }
            }
            // Images and forms.
            "BI" => self.page.images = self.page.images.saturating_add(1),
            "Do" => {
                if let Some(Object::Name(name)) = o.last() {
                    self.xobject(resources, name, depth)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Rc<Font> {
        let objs = self.objs;
        let Some(fonts) = resources.and_then(|r| objs.dict(r, b"Font")) else {
            return self.fallback.clone();
        };
        let Ok(entry) = fonts.get(name) else {
            return self.fallback.clone();
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(id) = id
            && let Some(f) = self.fonts.get(&id)
        {
            return f.clone();
        }
        let font = match objs.resolve(entry) {
            Object::Dictionary(d) => Rc::new(Font::load(objs, d)),
            _ => self.fallback.clone(),
        };
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        font
    }

    fn xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        depth: usize,
    ) -> Result<(), ReadError> {
        let objs = self.objs;
        let Some(xobjects) = resources.and_then(|r| objs.dict(r, b"XObject")) else {
            return Ok(());
        };
        let Ok(entry) = xobjects.get(name) else {
            return Ok(());
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Object::Stream(stream) = objs.resolve(entry) else {
            return Ok(());
        };
        match objs.name(&stream.dict, b"Subtype").as_deref() {
            Some("Image") => {
                self.page.images = self.page.images.saturating_add(1);
                Ok(())
            }
            Some("Form") => {
                if depth >= MAX_DEPTH || id.is_some_and(|id| self.forms.contains(&id)) {
                    return Ok(());
                }
                let Some(data) = objs.decoded(stream) else {
                    return Ok(());
                };
                if data.len() > self.budget.content_bytes {
                    return Err(ReadError::PdfTooComplex {
                        what: "解压后的页面内容 / decompressed page content",
                    });
                }
                self.budget.content_bytes -= data.len();
                let matrix = match objs.get(&stream.dict, b"Matrix") {
                    Some(Object::Array(m)) => {
                        let m: Vec<Object> = m.iter().map(|x| objs.resolve(x).clone()).collect();
                        matrix_of(&m).unwrap_or(IDENTITY)
                    }
                    _ => IDENTITY,
                };
                let form_resources = objs.dict(&stream.dict, b"Resources").or(resources);
                let saved = (self.gs.clone(), self.tm, self.tlm, self.stack.len());
                let saved_path = std::mem::take(&mut self.path);
                self.gs.ctm = mul(&matrix, &self.gs.ctm);
                if let Some(id) = id {
                    self.forms.push(id);
                }
                let result = self.run(&data, form_resources, depth + 1);
                if id.is_some() {
                    self.forms.pop();
                }
                self.gs = saved.0;
                self.tm = saved.1;
                self.tlm = saved.2;
                self.stack.truncate(saved.3);
                self.path = saved_path;
                result
            }
            _ => Ok(()),
        }
    }

    fn next_line(&mut self, x: f32, y: f32) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &self.tlm);
        self.tm = self.tlm;
    }

    fn advance(&mut self, tx: f32) {
        self.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &self.tm);
    }

    fn show(&mut self, bytes: &[u8]) -> Result<(), ReadError> {
        let font = self
            .gs
            .font
            .clone()
            .unwrap_or_else(|| self.fallback.clone());
        let size = self.gs.size;
        let th = self.gs.scale;
        let mut glyphs = Vec::new();
        font.decode(bytes, |g| glyphs.push(g));
        for g in glyphs {
            let trm = mul(
                &mul(&[size * th, 0.0, 0.0, size, 0.0, self.gs.rise], &self.tm),
                &self.gs.ctm,
            );
            let visible: Vec<char> = g
                .text
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            if !visible.is_empty() {
                let corners = [
                    apply(&trm, 0.0, -DESCENT),
                    apply(&trm, g.width, -DESCENT),
                    apply(&trm, 0.0, ASCENT),
                    apply(&trm, g.width, ASCENT),
                ];
                let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
                for (x, y) in corners {
                    x0 = x0.min(x);
                    x1 = x1.max(x);
                    y0 = y0.min(y);
                    y1 = y1.max(y);
                }
                let em = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                if x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite() {
                    let k = visible.len() as f32;
                    let w = (x1 - x0) / k;
                    for (i, ch) in visible.into_iter().enumerate() {
                        if self.budget.chars == 0 {
                            return Err(ReadError::PdfTooComplex {
                                what: "字符数 / glyphs",
                            });
                        }
                        self.budget.chars -= 1;
                        self.page.chars.push(Char {
                            ch,
                            x0: x0 + w * i as f32,
                            x1: x0 + w * (i as f32 + 1.0),
                            top: y0,
                            bottom: y1,
                            size: em,
                        });
                    }
                }
            }
            let mut tx = g.width * size + self.gs.char_spacing;
            if g.is_space {
                tx += self.gs.word_spacing;
            }
            self.advance(tx * th);
        }
        Ok(())
    }

    fn new_subpath(&mut self, p: (f32, f32)) {
        if self.path_points >= MAX_PATH_POINTS {
            return;
        }
        self.path_points += 1;
        self.path.push(Subpath {
            points: vec![p],
            closed: false,
            curved: false,
        });
    }

    fn line_to(&mut self, p: (f32, f32), curved: bool) {
        if self.path_points >= MAX_PATH_POINTS {
            return;
        }
        self.path_points += 1;
        match self.path.last_mut() {
            Some(s) => {
                s.points.push(p);
                s.curved |= curved;
            }
            None => self.path.push(Subpath {
                points: vec![p],
                closed: false,
                curved,
            }),
        }
    }

    fn shapes_full(&self) -> bool {
        self.page.lines.len() + self.page.rects.len() >= MAX_SHAPES_PER_PAGE
    }

    fn stroke(&mut self) {
        for s in &self.path {
            if s.curved {
                continue;
            }
            let n = s.points.len();
            let segments = if s.closed && n > 2 {
                n
            } else {
                n.saturating_sub(1)
            };
            for i in 0..segments {
                if self.page.lines.len() + self.page.rects.len() >= MAX_SHAPES_PER_PAGE {
                    return;
                }
                let (a, b) = (s.points[i], s.points[(i + 1) % n]);
                if [a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
                    self.page.lines.push(Line {
                        x0: a.0.min(b.0),
                        top: a.1.min(b.1),
                        x1: a.0.max(b.0),
                        bottom: a.1.max(b.1),
                    });
                }
            }
        }
    }

    fn fill(&mut self) {
        for i in 0..self.path.len() {
            if self.shapes_full() {
                return;
            }
            let s = &self.path[i];
            if s.curved {
                continue;
            }
            let mut pts: &[(f32, f32)] = &s.points;
            if pts.len() == 5 && close(pts[0], pts[4]) {
                pts = &pts[..4];
            }
            if pts.len() != 4 {
                continue;
            }
            let xs = [pts[0].0, pts[1].0, pts[2].0, pts[3].0];
            let ys = [pts[0].1, pts[1].1, pts[2].1, pts[3].1];
            let axis_aligned = (0..4).all(|k| {
                let (a, b) = (pts[k], pts[(k + 1) % 4]);
                (a.0 - b.0).abs() < 0.01 || (a.1 - b.1).abs() < 0.01
            });
            if !axis_aligned || !xs.iter().chain(&ys).all(|v| v.is_finite()) {
                continue;
            }
            let fold = |v: &[f32; 4], f: fn(f32, f32) -> f32, init: f32| {
                v.iter().fold(init, |a, b| f(a, *b))
            };
            self.page.rects.push(Rect {
                x0: fold(&xs, f32::min, f32::MAX),
                top: fold(&ys, f32::min, f32::MAX),
                x1: fold(&xs, f32::max, f32::MIN),
                bottom: fold(&ys, f32::max, f32::MIN),
            });
        }
    }
}

pub(super) fn close(a: (f32, f32), b: (f32, f32)) -> bool {
    (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01
}
