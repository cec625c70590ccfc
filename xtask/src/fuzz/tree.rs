//! Addressing nodes of a `serde_json::Value`: paths, a uniform random pick
//! among the nodes a predicate accepts, and edits at a path.

use super::rng::Rng;
use serde_json::Value;

/// One step from a node to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array item.
    Index(usize),
}

/// Where a node is, from the document root.
pub type Path = Vec<Step>;

impl Step {
    /// The member name, if this step enters an object.
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::Key(key) => Some(key),
            Self::Index(_) => None,
        }
    }
}

/// The key of the `back`-th step from the end of `path` (`0` is the last).
pub fn key_at(path: &[Step], back: usize) -> Option<&str> {
    path.len().checked_sub(back + 1).and_then(|i| path[i].key())
}

/// A node chosen uniformly among those `accept` takes (reservoir sampling
/// over one walk, so a large document costs one pass and no list).
pub fn pick(root: &Value, rng: &mut Rng, accept: &dyn Fn(&[Step], &Value) -> bool) -> Option<Path> {
    let mut chosen = None;
    let mut seen = 0usize;
    let mut path = Vec::new();
    walk(root, &mut path, &mut |path, value| {
        if accept(path, value) {
            seen += 1;
            if rng.below(seen) == 0 {
                chosen = Some(path.to_vec());
            }
        }
    });
    chosen
}

/// Every node `accept` takes, in document order.
pub fn all(root: &Value, accept: &dyn Fn(&[Step], &Value) -> bool) -> Vec<Path> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    walk(root, &mut path, &mut |path, value| {
        if accept(path, value) {
            found.push(path.to_vec());
        }
    });
    found
}

/// Visits every node, parents before children.
fn walk(value: &Value, path: &mut Path, visit: &mut dyn FnMut(&[Step], &Value)) {
    visit(path, value);
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                walk(child, path, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(child, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The node at `path`.
pub fn get<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.as_object()?.get(key),
        Step::Index(i) => node.as_array()?.get(*i),
    })
}

/// The node at `path`, to change.
pub fn get_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.as_object_mut()?.get_mut(key),
        Step::Index(i) => node.as_array_mut()?.get_mut(*i),
    })
}

/// Removes the node at `path` (not the root) and returns it.
pub fn remove(root: &mut Value, path: &[Step]) -> Option<Value> {
    let (last, parent) = path.split_last()?;
    match (get_mut(root, parent)?, last) {
        (Value::Object(map), Step::Key(key)) => map.remove(key),
        (Value::Array(items), Step::Index(i)) if *i < items.len() => Some(items.remove(*i)),
        _ => None,
    }
}

/// Renames the member at `path` (whose last step is a key) to `new`,
/// replacing any member already named so.
pub fn rename(root: &mut Value, path: &[Step], new: &str) -> bool {
    let Some((Step::Key(old), parent)) = path.split_last() else {
        return false;
    };
    let Some(Value::Object(map)) = get_mut(root, parent) else {
        return false;
    };
    let Some(value) = map.remove(old) else {
        return false;
    };
    map.insert(new.to_owned(), value);
    true
}

/// Every string value equal to `old` under a member named `key`, set to `new`.
pub fn replace_strings(value: &mut Value, key: &str, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == key && child.as_str() == Some(old) {
                    *child = Value::String(new.to_owned());
                } else {
                    replace_strings(child, key, old, new);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                replace_strings(child, key, old, new);
            }
        }
        _ => {}
    }
}

/// The number of nodes under (and including) `value`.
pub fn size(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(size).sum(),
        Value::Array(items) => items.iter().map(size).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pick_get_remove_and_rename() {
        let mut doc = json!({"a": {"b": [1, "x", {"c": "y"}]}, "d": "z"});
        let strings = all(&doc, &|_, v| v.is_string());
        assert_eq!(strings.len(), 3);
        let mut rng = Rng::new(1);
        for _ in 0..20 {
            let path = pick(&doc, &mut rng, &|_, v| v.is_string()).unwrap();
            assert!(get(&doc, &path).unwrap().is_string());
        }
        assert_eq!(pick(&doc, &mut rng, &|_, v| v.is_null()), None);
        let c = vec![
            Step::Key("a".into()),
            Step::Key("b".into()),
            Step::Index(2),
            Step::Key("c".into()),
        ];
        assert_eq!(get(&doc, &c), Some(&json!("y")));
        assert!(rename(&mut doc, &c, "e"));
        assert_eq!(doc["a"]["b"][2], json!({"e": "y"}));
        assert_eq!(remove(&mut doc, &c[..3]), Some(json!({"e": "y"})));
        assert_eq!(doc, json!({"a": {"b": [1, "x"]}, "d": "z"}));
        replace_strings(&mut doc, "d", "z", "w");
        assert_eq!(doc["d"], json!("w"));
        assert_eq!(size(&doc), 6);
        assert_eq!(key_at(&c, 0), Some("c"));
        assert_eq!(key_at(&c, 1), None);
        assert_eq!(key_at(&c, 3), Some("a"));
        assert_eq!(key_at(&c, 4), None);
    }
}
