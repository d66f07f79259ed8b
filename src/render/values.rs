//! Small helpers to build Tera values without going through serde.

use tera::{Map, Value};

/// A map value from `(key, value)` pairs, in order.
pub fn map<I>(entries: I) -> Value
where
    I: IntoIterator<Item = (&'static str, Value)>,
{
    let mut m = Map::new();
    for (k, v) in entries {
        m.insert(k.into(), v);
    }
    Value::from(m)
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
