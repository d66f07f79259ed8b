//! Reading the other generator's files: front matter in TOML (`+++`) or
//! YAML (`---`), as one TOML table, and the body after it.

use std::path::Path;

use toml::{Table, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// A content file of the old site, split.
pub(super) struct Split {
    pub front: Table,
    pub body: String,
}

/// Splits `text` into front matter and body; the front matter is TOML
/// between `+++` lines or YAML between `---` lines (Hugo's JSON front
/// matter is refused). A file with no front matter is all body.
pub(super) fn split(text: &str) -> Result<Split, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (fence, yaml) = match text.lines().next().map(str::trim_end) {
        Some("+++") => ("+++", false),
        Some("---") => ("---", true),
        Some(line) if line.starts_with('{') => {
            return Err(
                "JSON front matter is not read: write it as TOML between `+++` lines".into(),
            );
        }
        _ => {
            return Ok(Split {
                front: Table::new(),
                body: text.to_string(),
            });
        }
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let rest = &text[after_open..];
    let mut offset = 0;
    let close = rest.split_inclusive('\n').find_map(|line| {
        let at = offset;
        offset += line.len();
        (line.trim_end() == fence).then_some((at, offset))
    });
    let Some((close, body_start)) = close else {
        return Err(format!(
            "the front matter is not closed: no `{fence}` line after the first"
        ));
    };
    let front_text = &rest[..close];
    let front = match yaml {
        false => front_text
            .parse::<Table>()
            .map_err(|e| format!("invalid TOML front matter: {}", e.message()))?,
        true => yaml_table(front_text)?,
    };
    Ok(Split {
        front,
        body: rest[body_start..].to_string(),
    })
}

/// A YAML document (front matter or a configuration file) as a TOML table.
pub(super) fn yaml_table(text: &str) -> Result<Table, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    match docs.into_iter().next().map(yaml_value) {
        Some(Some(Value::Table(table))) => Ok(table),
        None | Some(None) => Ok(Table::new()),
        Some(Some(_)) => Err("the YAML is not a mapping of keys to values".into()),
    }
}

/// A YAML value as TOML; nulls (which TOML has not) are left out.
fn yaml_value(yaml: Yaml) -> Option<Value> {
    Some(match yaml {
        Yaml::Real(text) => text
            .parse::<f64>()
            .map_or(Value::String(text), Value::Float),
        Yaml::Integer(i) => Value::Integer(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Boolean(b),
        Yaml::Array(items) => Value::Array(items.into_iter().filter_map(yaml_value).collect()),
        Yaml::Hash(hash) => Value::Table(
            hash.into_iter()
                .filter_map(|(k, v)| Some((yaml_key(k)?, yaml_value(v)?)))
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => return None,
    })
}

fn yaml_key(key: Yaml) -> Option<String> {
    Some(match key {
        Yaml::String(s) | Yaml::Real(s) => s,
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    })
}

/// A date written as a string (`"2019-03-10"`, Hugo's and YAML's way)
/// as a TOML date; other values as they are.
pub(super) fn as_date(value: Value) -> Value {
    match value {
        Value::String(s) => match s.trim().parse::<toml::value::Datetime>() {
            Ok(date) => Value::Datetime(date),
            Err(_) => Value::String(s),
        },
        other => other,
    }
}

/// The text of `path`, or why it cannot be read.
pub(super) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_front_matter_are_one_table() {
        let toml = split("+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(toml.front["title"].as_str(), Some("A"));
        assert_eq!(toml.body, "Body\n");
        let yaml =
            split("---\ntitle: 'B'\ntags: [a, b]\ndraft: true\nweight: 2\n---\n\nText").unwrap();
        assert_eq!(yaml.front["title"].as_str(), Some("B"));
        assert_eq!(yaml.front["tags"].as_array().map(Vec::len), Some(2));
        assert_eq!(yaml.front["draft"].as_bool(), Some(true));
        assert_eq!(yaml.front["weight"].as_integer(), Some(2));
        assert_eq!(yaml.body, "\nText");
        assert!(split("\u{feff}+++\n+++\n").unwrap().front.is_empty());
        assert!(split("+++\ntitle = 1\n").is_err());
        assert_eq!(split("no front").unwrap().body, "no front");
    }

    #[test]
    fn dates_in_strings_become_dates() {
        assert!(as_date(Value::String("2019-03-10".into())).is_datetime());
        assert!(as_date(Value::String("2019-03-10T10:00:00-07:00".into())).is_datetime());
        assert!(as_date(Value::String("soon".into())).is_str());
    }
}
