//! The JSON form of a report — the public interface of `gongkai read`:
//!
//! ```json
//! {"format": "2021", "meta": {...}, "sections": [...],
//!  "cells": {"s3.new_received.total": 2, ...},
//!  "provenance": {"s3.new_received.total": {"kind": "text", "line": 52, "column": 40}},
//!  "uncertain": [...], "blanks": [...], "label_variants": [...]}
//! ```
//!
//! `cells` maps every cell id of the format, in table order, to a number or null.

use std::str::FromStr;

use gongkai_format::FormatVersion;
use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    Blank, Deviation, GroupTotal, LabelVariant, Location, Meta, Report, Section, Uncertain, Value,
};

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(n) => s.serialize_i64(n),
            None => {
                // Exact decimal text → JSON number (shortest form that round-trips).
                let text = self.0.normalize().to_string();
                let n: serde_json::Number = text.parse().map_err(serde::ser::Error::custom)?;
                n.serialize(s)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .map(Value)
            .map_err(D::Error::custom)
    }
}

struct CellMap<'a, T>(&'a Report, &'a [Option<T>], bool);

impl<T: Serialize> Serialize for CellMap<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let skip_none = self.2;
        let mut map = s.serialize_map(None)?;
        for (def, v) in self.0.format.cells().iter().zip(self.1) {
            if skip_none && v.is_none() {
                continue;
            }
            map.serialize_entry(&def.id, v)?;
        }
        map.end()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(8))?;
        map.serialize_entry("format", &self.format)?;
        map.serialize_entry("meta", &self.meta)?;
        map.serialize_entry("sections", &self.sections)?;
        map.serialize_entry("cells", &CellMap(self, &self.cells, false))?;
        map.serialize_entry("provenance", &CellMap(self, &self.provenance, true))?;
        map.serialize_entry("uncertain", &self.uncertain)?;
        map.serialize_entry("blanks", &self.blanks)?;
        map.serialize_entry("label_variants", &self.label_variants)?;
        // Rare: written only when there are any, so the JSON of ordinary reports is as
        // before.
        if !self.group_totals.is_empty() {
            map.serialize_entry("group_totals", &self.group_totals)?;
        }
        if !self.deviations.is_empty() {
            map.serialize_entry("deviations", &self.deviations)?;
        }
        map.end()
    }
}

#[derive(Deserialize)]
struct RawReport {
    format: FormatVersion,
    #[serde(default)]
    meta: Meta,
    #[serde(default)]
    sections: Vec<Section>,
    cells: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    provenance: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    uncertain: Vec<Uncertain>,
    #[serde(default)]
    blanks: Vec<Blank>,
    #[serde(default)]
    label_variants: Vec<LabelVariant>,
    #[serde(default)]
    group_totals: Vec<GroupTotal>,
    #[serde(default)]
    deviations: Vec<Deviation>,
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawReport::deserialize(d)?;
        let mut report = Report::new(raw.format);
        for (id, v) in raw.cells {
            let idx = raw.format.cell(&id).ok_or_else(|| {
                D::Error::custom(format!(
                    "未知单元格 `{id}`（{} 格式中没有此单元格）",
                    raw.format
                ))
            })?;
            report.cells[idx.0 as usize] =
                match v {
                    serde_json::Value::Null => None,
                    other => Some(Value::deserialize(other).map_err(|e| {
                        D::Error::custom(format!("单元格 `{id}` 的值不是数字：{e}"))
                    })?),
                };
        }
        for (id, v) in raw.provenance {
            if let Some(idx) = raw.format.cell(&id) {
                let loc = Location::deserialize(v).map_err(D::Error::custom)?;
                report.provenance[idx.0 as usize] = Some(loc);
            }
        }
        report.meta = raw.meta;
        report.sections = raw.sections;
        report.uncertain = raw.uncertain;
        report.blanks = raw.blanks;
        report.label_variants = raw.label_variants;
        report.group_totals = raw.group_totals;
        report.deviations = raw.deviations;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_every_cell() {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.set("s3.new_received.total", Some(Value::int(2)));
        r.set(
            "s2.fees.amount_10k_yuan",
            Some(Value(Decimal::from_str("110.139").unwrap())),
        );
        r.meta.year = Some(2023);
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""s3.new_received.total":2"#), "{text}");
        assert!(
            text.contains(r#""s2.fees.amount_10k_yuan":110.139"#),
            "{text}"
        );
        assert!(text.contains(r#""s3.carried_over.total":null"#));
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert!(!text.contains("group_totals") && !text.contains("deviations"));
        r.group_totals.push(GroupTotal {
            cells: vec!["s3.other_other.total".into()],
            value: Value::int(3),
            label: "（六）其他处理".into(),
            loc: Location::None,
        });
        r.deviations.push(Deviation {
            section: 3,
            message: "合计行".into(),
            message_en: "aggregate row".into(),
            cells: vec!["s3.other_other.total".into()],
            raw: "（六）其他处理 3".into(),
            loc: Location::None,
        });
        let text = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn unknown_cell_is_an_error() {
        let err = serde_json::from_str::<Report>(r#"{"format":"2021","cells":{"s9.x":1}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("s9.x"), "{err}");
    }
}
