//! Small helpers to build Tera values.

use tera::{Map, Value};

/// A map value from `(key, value)` pairs, in order.
pub fn map<I>(entries: I) -> Value
where
    I: IntoIterator<Item = (&'static str, Value)>,
{
    let entries: Vec<(&'static str, Value)> = entries.into_iter().collect();
    fields(&entries, None)
}

/// The entries of `base` (a map value, as [`map`] makes them; none when it
/// is not a map) and then `more`, as one map.
pub fn map_with(base: &Value, more: &[(&'static str, Value)]) -> Value {
    fields(more, Some(base))
}

/// A map of `entries` after those of `base`, made by Tera's serializer:
/// it makes the map once, at its size, and takes each value as it is
/// (strings and nested maps are shared), where `Value::from(Map)` inserts
/// every entry into a new map again. Lists of pages make thousands of
/// these.
fn fields(entries: &[(&'static str, Value)], base: Option<&Value>) -> Value {
    struct Fields<'a> {
        base: Option<&'a Map>,
        entries: &'a [(&'static str, Value)],
    }
    impl serde::Serialize for Fields<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{Error, SerializeStruct};
            let before = self.base.map_or(0, Map::len);
            let mut out = s.serialize_struct("", before + self.entries.len())?;
            for (key, value) in self.base.into_iter().flatten() {
                let tera::value::Key::Str(key) = key else {
                    return Err(S::Error::custom("a key made at run time"));
                };
                out.serialize_field(key, value)?;
            }
            for (key, value) in self.entries {
                out.serialize_field(key, value)?;
            }
            out.end()
        }
    }
    let base_map = base.and_then(Value::as_map);
    let made = Value::try_from_serializable(&Fields {
        base: base_map,
        entries,
    });
    // Only a key made at run time fails (none of `map`'s): then the slow way.
    made.unwrap_or_else(|e| {
        debug_assert!(e.to_string().contains("made at run time"), "{e}");
        let mut m = base_map.cloned().unwrap_or_default();
        for (k, v) in entries {
            m.insert((*k).into(), v.clone());
        }
        Value::from(m)
    })
}

/// A map value keyed by owned strings.
pub fn map_owned<I>(entries: I) -> Value
where
    I: IntoIterator<Item = (String, Value)>,
{
    let mut m = Map::new();
    for (k, v) in entries {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

/// An array value.
pub fn list(items: Vec<Value>) -> Value {
    Value::from(items)
}

/// A string, or `none` when absent.
pub fn opt_str(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

/// HTML that is already safe (rendered Markdown).
pub fn html(s: &str) -> Value {
    Value::safe_string(s)
}

/// A TOML value as a Tera value; datetimes become their text.
pub fn from_toml(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => list(items.iter().map(from_toml).collect()),
        toml::Value::Table(t) => from_toml_table(t),
    }
}

pub fn from_toml_table(t: &toml::Table) -> Value {
    map_owned(t.iter().map(|(k, v)| (k.clone(), from_toml(v))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_extended_keeps_its_order_and_takes_later_values_in_place() {
        let base = map([("a", Value::from(1)), ("b", Value::from(2))]);
        let keys = |v: &Value| -> Vec<String> {
            v.as_map()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect()
        };
        let v = map_with(&base, &[("c", Value::from(3)), ("a", Value::from(9))]);
        assert_eq!(keys(&v), ["a", "b", "c"]);
        assert_eq!(v.get_from_path("a").unwrap().as_i64(), Some(9));
        // A base keyed at run time (owned keys) goes the slow way, alike.
        let owned = map_owned([("x".to_string(), Value::from(1))]);
        let v = map_with(&owned, &[("y", Value::from(2))]);
        assert_eq!(keys(&v), ["x", "y"]);
        // Not a map: only the new entries.
        assert_eq!(
            keys(&map_with(&Value::from(1), &[("y", Value::from(2))])),
            ["y"]
        );
    }

    #[test]
    fn toml_values_convert_with_dates_as_text() {
        let t: toml::Table =
            toml::from_str("a = 1\nb = [true, \"x\"]\nc = 2025-06-10\n[d]\ne = 1.5\n").unwrap();
        let v = from_toml_table(&t);
        assert_eq!(v.get_from_path("a").unwrap().as_i64(), Some(1));
        assert_eq!(v.get_from_path("c").unwrap().as_str(), Some("2025-06-10"));
        assert_eq!(v.get_from_path("d.e").unwrap().as_f64(), Some(1.5));
        assert_eq!(v.get_from_path("b").unwrap().len(), Some(2));
    }
}
