//! The parser's tree: a small arena that html5ever's tree builder fills directly.
//!
//! Why not `scraper::Html`: its tree keeps every element's attributes as interned names
//! and tendrils (sorted, and two lazily filled caches per element) in an `ego_tree`; the
//! reader needs only the tag name, five attributes and the text. Here an element keeps
//! its name (the tree builder asks for it), `id`, `class`, `rowspan`, `colspan` and
//! whether `hidden` or a hiding `style` is set; everything else is dropped as the element
//! is created. The tree operations (append, insert before, detach, move children) follow
//! `scraper`'s sink one for one, text merging included, so the tree is the same.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, expanded_name, local_name, ns};

use super::dom::style_hides;

const NONE: u32 = u32::MAX;

/// What a node is; elements and text point into [`Arena::elems`] and [`Arena::texts`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    /// A `<template>`'s contents.
    Fragment,
    Element(u32),
    Text(u32),
    /// A comment, doctype or processing instruction: never read.
    Other,
}

pub(super) struct ANode {
    pub(super) kind: Kind,
    parent: u32,
    first: u32,
    last: u32,
    prev: u32,
    pub(super) next: u32,
}

/// What the reader keeps of an element.
pub(super) struct Elem {
    pub(super) name: QualName,
    pub(super) id: Option<StrTendril>,
    pub(super) class: Option<StrTendril>,
    pub(super) rowspan: Option<StrTendril>,
    pub(super) colspan: Option<StrTendril>,
    /// A `hidden` attribute, or a `style` that hides the element.
    pub(super) hidden: bool,
    /// Which of the kept attributes (and `style`, `hidden`) the element has, for
    /// `add_attrs_if_missing`.
    seen: u8,
}

impl Elem {
    /// The element's local name (`td`, `o:p` …).
    pub(super) fn name(&self) -> &str {
        &self.name.local
    }

    /// Sets an attribute the reader reads, unless the element has it already.
    fn set(&mut self, a: Attribute) {
        let bit = match &*a.name.local {
            "id" => 1,
            "class" => 2,
            "rowspan" => 4,
            "colspan" => 8,
            "hidden" => 16,
            "style" => 32,
            _ => return,
        };
        if self.seen & bit != 0 {
            return;
        }
        self.seen |= bit;
        match bit {
            1 => self.id = Some(a.value),
            2 => self.class = Some(a.value),
            4 => self.rowspan = Some(a.value),
            8 => self.colspan = Some(a.value),
            16 => self.hidden = true,
            _ => self.hidden |= style_hides(&a.value),
        }
    }
}

/// The parsed page: node 0 is the document.
pub(super) struct Arena {
    pub(super) nodes: Vec<ANode>,
    pub(super) elems: Vec<Elem>,
    pub(super) texts: Vec<StrTendril>,
    /// Answers `elem_name` for a node that is not an element (the tree builder never
    /// asks, but a wrong handle must not panic).
    none: QualName,
}

impl Arena {
    /// An empty arena with room for about `nodes` nodes.
    fn with_capacity(nodes: usize) -> Arena {
        let mut all = Vec::with_capacity(nodes.max(1));
        all.push(ANode::new(Kind::Document));
        Arena {
            nodes: all,
            elems: Vec::with_capacity(nodes / 2),
            texts: Vec::with_capacity(nodes / 2),
            none: QualName::new(None, ns!(), local_name!("")),
        }
    }

    /// Parses a page with html5ever's own tokenizer (the reader uses
    /// [`super::tokens::parse`]; this is its reference in the tests).
    #[cfg(test)]
    pub(super) fn parse(html: &str) -> Arena {
        use html5ever::tendril::TendrilSink;
        html5ever::parse_document(Sink::for_page(html.len()), Default::default()).one(html)
    }

    /// The tree as text, one node a line (for comparing two parses in tests).
    #[cfg(test)]
    pub(super) fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let mut stack = vec![(0usize, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            let _ = write!(out, "{:width$}", "", width = depth);
            let _ = match self.nodes[i].kind {
                Kind::Document => writeln!(out, "#document"),
                Kind::Fragment => writeln!(out, "#fragment"),
                Kind::Other => writeln!(out, "#other"),
                Kind::Text(t) => writeln!(out, "{:?}", &*self.texts[t as usize]),
                Kind::Element(e) => {
                    let e = &self.elems[e as usize];
                    writeln!(
                        out,
                        "<{:?} {}> id={:?} class={:?} rowspan={:?} colspan={:?} hidden={}",
                        e.name.ns,
                        e.name(),
                        e.id.as_deref(),
                        e.class.as_deref(),
                        e.rowspan.as_deref(),
                        e.colspan.as_deref(),
                        e.hidden
                    )
                }
            };
            let mut children = Vec::new();
            let mut c = self.first_child(i);
            while let Some(k) = c {
                children.push(k);
                c = self.next_sibling(k);
            }
            stack.extend(children.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out
    }

    pub(super) fn first_child(&self, i: usize) -> Option<usize> {
        let f = self.nodes[i].first;
        (f != NONE).then_some(f as usize)
    }

    pub(super) fn next_sibling(&self, i: usize) -> Option<usize> {
        let n = self.nodes[i].next;
        (n != NONE).then_some(n as usize)
    }

    pub(super) fn parent(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent;
        (p != NONE).then_some(p as usize)
    }

    fn push(&mut self, kind: Kind) -> u32 {
        self.nodes.push(ANode::new(kind));
        (self.nodes.len() - 1) as u32
    }

    fn new_text(&mut self, text: StrTendril) -> u32 {
        self.texts.push(text);
        self.push(Kind::Text((self.texts.len() - 1) as u32))
    }

    /// The text of node `i` when it is a text node.
    fn text_mut(&mut self, i: u32) -> Option<&mut StrTendril> {
        match self.nodes.get(i as usize)?.kind {
            Kind::Text(t) => Some(&mut self.texts[t as usize]),
            _ => None,
        }
    }

    fn detach(&mut self, i: u32) {
        let n = &self.nodes[i as usize];
        let (parent, prev, next) = (n.parent, n.prev, n.next);
        if parent == NONE {
            return;
        }
        if prev != NONE {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last = prev;
        }
        let n = &mut self.nodes[i as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn append_child(&mut self, parent: u32, child: u32) {
        self.detach(child);
        let last = self.nodes[parent as usize].last;
        {
            let c = &mut self.nodes[child as usize];
            c.parent = parent;
            c.prev = last;
        }
        if last != NONE {
            self.nodes[last as usize].next = child;
        } else {
            self.nodes[parent as usize].first = child;
        }
        self.nodes[parent as usize].last = child;
    }

    fn insert_before(&mut self, sibling: u32, new: u32) {
        self.detach(new);
        let (parent, prev) = {
            let s = &self.nodes[sibling as usize];
            (s.parent, s.prev)
        };
        {
            let n = &mut self.nodes[new as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
        }
        self.nodes[sibling as usize].prev = new;
        if prev != NONE {
            self.nodes[prev as usize].next = new;
        } else {
            self.nodes[parent as usize].first = new;
        }
    }
}

impl ANode {
    fn new(kind: Kind) -> Self {
        ANode {
            kind,
            parent: NONE,
            first: NONE,
            last: NONE,
            prev: NONE,
            next: NONE,
        }
    }
}

/// The tree builder's sink: the arena being filled.
pub(super) struct Sink(RefCell<Arena>);

impl Sink {
    /// A sink for a page of `bytes` bytes: room for the nodes such a page has (one in
    /// about 32 bytes on real pages, thinned), so the arena does not regrow while it is
    /// filled.
    pub(super) fn for_page(bytes: usize) -> Sink {
        Sink(RefCell::new(Arena::with_capacity(
            (bytes / 32).min(1 << 16),
        )))
    }
}

impl TreeSink for Sink {
    type Handle = u32;
    type Output = Arena;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Arena {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> u32 {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a u32) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |a| match a.nodes[*target as usize].kind {
            Kind::Element(e) => &a.elems[e as usize].name,
            _ => &a.none,
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> u32 {
        let template = name.expanded() == expanded_name!(html "template");
        let mut a = self.0.borrow_mut();
        let mut e = Elem {
            name,
            id: None,
            class: None,
            rowspan: None,
            colspan: None,
            hidden: false,
            seen: 0,
        };
        for attr in attrs {
            e.set(attr);
        }
        a.elems.push(e);
        let kind = Kind::Element((a.elems.len() - 1) as u32);
        let id = a.push(kind);
        if template {
            let contents = a.push(Kind::Fragment);
            a.append_child(id, contents);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> u32 {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> u32 {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn append(&self, parent: &u32, child: NodeOrText<u32>) {
        let mut a = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => a.append_child(*parent, id),
            NodeOrText::AppendText(text) => {
                let last = a.nodes[*parent as usize].last;
                if let Some(t) = a.text_mut(last) {
                    t.push_tendril(&text);
                } else {
                    let t = a.new_text(text);
                    a.append_child(*parent, t);
                }
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &u32,
        prev_element: &u32,
        child: NodeOrText<u32>,
    ) {
        let has_parent = self.0.borrow().nodes[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let mut a = self.0.borrow_mut();
        let d = a.push(Kind::Other);
        a.append_child(0, d);
    }

    fn get_template_contents(&self, target: &u32) -> u32 {
        self.0.borrow().nodes[*target as usize].first
    }

    fn same_node(&self, x: &u32, y: &u32) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &u32, new_node: NodeOrText<u32>) {
        let mut a = self.0.borrow_mut();
        if let NodeOrText::AppendNode(id) = new_node {
            a.detach(id);
        }
        if a.nodes[*sibling as usize].parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => a.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                let prev = a.nodes[*sibling as usize].prev;
                if let Some(t) = a.text_mut(prev) {
                    t.push_tendril(&text);
                } else {
                    let t = a.new_text(text);
                    a.insert_before(*sibling, t);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &u32, attrs: Vec<Attribute>) {
        let mut a = self.0.borrow_mut();
        if let Kind::Element(e) = a.nodes[*target as usize].kind {
            for attr in attrs {
                a.elems[e as usize].set(attr);
            }
        }
    }

    fn remove_from_parent(&self, target: &u32) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &u32, new_parent: &u32) {
        let mut a = self.0.borrow_mut();
        let mut c = a.nodes[*node as usize].first;
        while c != NONE {
            let next = a.nodes[c as usize].next;
            a.append_child(*new_parent, c);
            c = next;
        }
    }
}
