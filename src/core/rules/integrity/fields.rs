//! The top-level fields of an entity as the plan file writes them, read without building a JSON value:
//! a small `serde::Serializer` that keeps text, lists of text and "something else" per field key.
//! The integrity checks read these instead of `serde_json::to_value` of every entity (~60,000 in the
//! largest plan). Anything nested (a map, a struct inside a field) is refused, and the caller reads
//! that entity through JSON instead. One `Reader` is reused for every entity: its text goes into one
//! buffer, so reading an entity allocates nothing once the buffer has grown.

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};
use std::cell::Cell;
use std::fmt;

/// One field's value, borrowed from a `Reader`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Val<'r> {
    /// Text.
    Str(&'r str),
    /// A list; `None` items were not text.
    List(Vec<Option<&'r str>>),
    /// Absent or null.
    Null,
    /// A number, a flag, an enum: nothing the integrity checks parse.
    Other,
}

/// A field's value as stored: text as a range of the reader's buffer.
#[derive(Clone, Debug)]
enum Slot {
    Str(u32, u32),
    /// Items `items[start..end]`.
    List(u32, u32),
    Null,
    Other,
}

/// The fields of one entity at a time, in the order the plan file writes them.
#[derive(Default)]
pub(super) struct Reader {
    text: String,
    items: Vec<Option<(u32, u32)>>,
    fields: Vec<(&'static str, Slot)>,
    /// Where the last lookup found its key: fields are usually asked for in the order they are written.
    cursor: Cell<usize>,
}

impl Reader {
    /// Reads `entity`'s fields; `false` (and nothing read) when a field is nested.
    pub(super) fn read<T: Serialize>(&mut self, entity: &T) -> bool {
        self.clear();
        let ok = entity.serialize(&mut *self).is_ok();
        if !ok {
            self.clear();
        }
        ok
    }

    /// Reads the fields of an entity's JSON object whose keys are in `keys`.
    pub(super) fn read_json(&mut self, obj: &serde_json::Map<String, serde_json::Value>, keys: impl Iterator<Item = &'static str>) {
        use serde_json::Value;
        self.clear();
        for key in keys {
            let Some(v) = obj.get(key) else { continue };
            let slot = match v {
                Value::String(t) => self.push_str(t),
                Value::Array(items) => {
                    let start = self.items.len() as u32;
                    for i in items {
                        let item = i.as_str().map(|t| match self.push_str(t) {
                            Slot::Str(a, b) => (a, b),
                            _ => (0, 0),
                        });
                        self.items.push(item);
                    }
                    Slot::List(start, self.items.len() as u32)
                }
                Value::Null => Slot::Null,
                _ => Slot::Other,
            };
            self.fields.push((key, slot));
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.items.clear();
        self.fields.clear();
        self.cursor.set(0);
    }

    fn push_str(&mut self, t: &str) -> Slot {
        let start = self.text.len() as u32;
        self.text.push_str(t);
        Slot::Str(start, self.text.len() as u32)
    }

    fn str(&self, (a, b): (u32, u32)) -> &str {
        &self.text[a as usize..b as usize]
    }

    /// The value of field `key`, if the entity has it.
    pub(super) fn get(&self, key: &str) -> Option<Val<'_>> {
        let n = self.fields.len();
        let from = self.cursor.get().min(n);
        let at = (from..n).chain(0..from).find(|&i| self.fields[i].0 == key)?;
        self.cursor.set(at + 1);
        Some(match &self.fields[at].1 {
            Slot::Str(a, b) => Val::Str(self.str((*a, *b))),
            Slot::List(a, b) => Val::List(
                self.items[*a as usize..*b as usize]
                    .iter()
                    .map(|i| i.map(|r| self.str(r)))
                    .collect(),
            ),
            Slot::Null => Val::Null,
            Slot::Other => Val::Other,
        })
    }

    /// Every field key read, in order.
    #[cfg(test)]
    pub(super) fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|(k, _)| *k)
    }
}

#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a nested value")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

impl SerializeStruct for &mut Reader {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<V: ?Sized + Serialize>(&mut self, key: &'static str, value: &V) -> Result<(), Unsupported> {
        let v = value.serialize(Value {
            text: &mut self.text,
            items: &mut self.items,
        })?;
        self.fields.push((key, v));
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Unsupported> {
        self.fields.push((key, Slot::Null));
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

/// Refuses the nested shapes neither serializer reads: tuples, maps and struct variants.
macro_rules! refuse_compound {
    () => {
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
            Err(Unsupported)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unsupported> {
            Err(Unsupported)
        }
    };
}

/// Refuses everything but a struct at the top.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Unsupported> { Err(Unsupported) })*
    };
}

impl<'f> Serializer for &'f mut Reader {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = &'f mut Reader;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );
    fn serialize_some<V: ?Sized + Serialize>(self, _: &V) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(self, _: &'static str, _: &V) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &V) -> Result<(), Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    refuse_compound!();
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Ok(self)
    }
}

/// One field's value, written into the reader's buffers.
struct Value<'r> {
    text: &'r mut String,
    items: &'r mut Vec<Option<(u32, u32)>>,
}

impl Value<'_> {
    fn str(self, v: &str) -> Slot {
        let start = self.text.len() as u32;
        self.text.push_str(v);
        Slot::Str(start, self.text.len() as u32)
    }
}

/// A list of text.
struct List<'r> {
    text: &'r mut String,
    items: &'r mut Vec<Option<(u32, u32)>>,
    start: u32,
}

impl SerializeSeq for List<'_> {
    type Ok = Slot;
    type Error = Unsupported;
    fn serialize_element<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), Unsupported> {
        let mut nested = Vec::new();
        let item = match value.serialize(Value {
            text: self.text,
            items: &mut nested,
        })? {
            Slot::Str(a, b) => Some((a, b)),
            _ => None,
        };
        self.items.push(item);
        Ok(())
    }
    fn end(self) -> Result<Slot, Unsupported> {
        Ok(Slot::List(self.start, self.items.len() as u32))
    }
}

/// Values that are "something else" to the integrity checks.
macro_rules! other {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Slot, Unsupported> { Ok(Slot::Other) })*
    };
}

impl<'r> Serializer for Value<'r> {
    type Ok = Slot;
    type Error = Unsupported;
    type SerializeSeq = List<'r>;
    type SerializeTuple = Impossible<Slot, Unsupported>;
    type SerializeTupleStruct = Impossible<Slot, Unsupported>;
    type SerializeTupleVariant = Impossible<Slot, Unsupported>;
    type SerializeMap = Impossible<Slot, Unsupported>;
    type SerializeStruct = Impossible<Slot, Unsupported>;
    type SerializeStructVariant = Impossible<Slot, Unsupported>;

    other!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );
    /// An enum written as its name, as in the file.
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Slot, Unsupported> {
        Ok(self.str(variant))
    }
    fn serialize_str(self, v: &str) -> Result<Slot, Unsupported> {
        Ok(self.str(v))
    }
    fn serialize_none(self) -> Result<Slot, Unsupported> {
        Ok(Slot::Null)
    }
    fn serialize_unit(self) -> Result<Slot, Unsupported> {
        Ok(Slot::Null)
    }
    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<Slot, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(self, _: &'static str, value: &V) -> Result<Slot, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<Slot, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<List<'r>, Unsupported> {
        let start = self.items.len() as u32;
        Ok(List {
            text: self.text,
            items: self.items,
            start,
        })
    }
    refuse_compound!();
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
}
