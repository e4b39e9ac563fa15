//! Ordered JSON values for transcript lines. Claude Code writes its keys in a fixed order
//! (`JSON.stringify` of its objects), and the corpus should look the same, so lines are
//! built as `Obj` (keys in insertion order) and serialized compactly by serde_json;
//! `serde_json::Value` would sort the keys.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;
use std::sync::Arc;

/// A JSON value whose objects keep their key order.
#[derive(Clone, Debug)]
pub enum V {
    Null,
    Bool(bool),
    U(u64),
    F(f64),
    S(Cow<'static, str>),
    /// Shared text (file contents re-read many times).
    Shared(Arc<str>),
    A(Vec<V>),
    O(Obj),
}

/// A JSON object with keys in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Obj(pub Vec<(Cow<'static, str>, V)>);

impl Obj {
    pub fn new() -> Obj {
        Obj(Vec::with_capacity(16))
    }

    /// Appends `k: v` (builder style).
    pub fn with(mut self, k: impl Into<Cow<'static, str>>, v: impl Into<V>) -> Obj {
        self.0.push((k.into(), v.into()));
        self
    }

    /// Appends `k: v`.
    pub fn push(&mut self, k: impl Into<Cow<'static, str>>, v: impl Into<V>) {
        self.0.push((k.into(), v.into()));
    }

    /// Replaces the value of `k`, or appends it.
    pub fn set(&mut self, k: &'static str, v: impl Into<V>) {
        match self.0.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v.into(),
            None => self.0.push((Cow::Borrowed(k), v.into())),
        }
    }

    pub fn get(&self, k: &str) -> Option<&V> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, k: &str) -> Option<&mut V> {
        self.0.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v)
    }

    /// The compact one-line JSON text.
    pub fn line(&self) -> String {
        serde_json::to_string(self).expect("an Obj always serializes")
    }
}

impl V {
    pub fn str(&self) -> Option<&str> {
        match self {
            V::S(s) => Some(s),
            V::Shared(s) => Some(s),
            _ => None,
        }
    }

    pub fn obj_mut(&mut self) -> Option<&mut Obj> {
        match self {
            V::O(o) => Some(o),
            _ => None,
        }
    }
}

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

impl Serialize for V {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            V::Null => s.serialize_unit(),
            V::Bool(b) => s.serialize_bool(*b),
            V::U(n) => s.serialize_u64(*n),
            V::F(f) => s.serialize_f64(*f),
            V::S(t) => s.serialize_str(t),
            V::Shared(t) => s.serialize_str(t),
            V::A(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            V::O(o) => o.serialize(s),
        }
    }
}

impl From<&'static str> for V {
    fn from(s: &'static str) -> V {
        V::S(Cow::Borrowed(s))
    }
}
impl From<String> for V {
    fn from(s: String) -> V {
        V::S(Cow::Owned(s))
    }
}
impl From<Arc<str>> for V {
    fn from(s: Arc<str>) -> V {
        V::Shared(s)
    }
}
impl From<u64> for V {
    fn from(n: u64) -> V {
        V::U(n)
    }
}
impl From<u32> for V {
    fn from(n: u32) -> V {
        V::U(u64::from(n))
    }
}
impl From<usize> for V {
    fn from(n: usize) -> V {
        V::U(n as u64)
    }
}
impl From<f64> for V {
    fn from(f: f64) -> V {
        V::F(f)
    }
}
impl From<bool> for V {
    fn from(b: bool) -> V {
        V::Bool(b)
    }
}
impl From<Obj> for V {
    fn from(o: Obj) -> V {
        V::O(o)
    }
}
impl From<Vec<V>> for V {
    fn from(a: Vec<V>) -> V {
        V::A(a)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(o: Option<T>) -> V {
        o.map_or(V::Null, Into::into)
    }
}
