//! The top-level fields of an entity as the plan file writes them, read without building a JSON value:
//! a small `serde::Serializer` that keeps text, lists of text and "something else" per field key.
//! The integrity checks read these instead of `serde_json::to_value` of every entity (~60,000 in the
//! largest plan). Anything nested (a map, a struct inside a field) is refused, and the caller reads
//! that entity through JSON instead.

use serde::ser::{self, Impossible, Serialize, SerializeSeq, SerializeStruct, Serializer};
use std::fmt;

/// One field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Val {
    /// Text.
    Str(String),
    /// A list; `None` items were not text.
    List(Vec<Option<String>>),
    /// Absent or null.
    Null,
    /// A number, a flag, an enum: nothing the integrity checks parse.
    Other,
}

/// The fields of `entity`, in the order the plan file writes them, or `None` when a field is nested.
pub(super) fn fields<T: Serialize>(entity: &T) -> Option<Vec<(&'static str, Val)>> {
    let mut out = Fields(Vec::with_capacity(12));
    entity.serialize(&mut out).ok()?;
    Some(out.0)
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

struct Fields(Vec<(&'static str, Val)>);

impl SerializeStruct for &mut Fields {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<V: ?Sized + Serialize>(&mut self, key: &'static str, value: &V) -> Result<(), Unsupported> {
        let v = value.serialize(Value)?;
        self.0.push((key, v));
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Unsupported> {
        self.0.push((key, Val::Null));
        Ok(())
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

/// Refuses everything but a struct at the top.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Unsupported> { Err(Unsupported) })*
    };
}

impl<'f> Serializer for &'f mut Fields {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = &'f mut Fields;
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
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Ok(self)
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
}

/// One field's value.
struct Value;

/// A list of text.
struct List(Vec<Option<String>>);

impl SerializeSeq for List {
    type Ok = Val;
    type Error = Unsupported;
    fn serialize_element<V: ?Sized + Serialize>(&mut self, value: &V) -> Result<(), Unsupported> {
        self.0.push(match value.serialize(Value)? {
            Val::Str(s) => Some(s),
            _ => None,
        });
        Ok(())
    }
    fn end(self) -> Result<Val, Unsupported> {
        Ok(Val::List(self.0))
    }
}

/// Values that are "something else" to the integrity checks.
macro_rules! other {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Val, Unsupported> { Ok(Val::Other) })*
    };
}

impl Serializer for Value {
    type Ok = Val;
    type Error = Unsupported;
    type SerializeSeq = List;
    type SerializeTuple = Impossible<Val, Unsupported>;
    type SerializeTupleStruct = Impossible<Val, Unsupported>;
    type SerializeTupleVariant = Impossible<Val, Unsupported>;
    type SerializeMap = Impossible<Val, Unsupported>;
    type SerializeStruct = Impossible<Val, Unsupported>;
    type SerializeStructVariant = Impossible<Val, Unsupported>;

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
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Val, Unsupported> {
        Ok(Val::Str(variant.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Val, Unsupported> {
        Ok(Val::Str(v.to_string()))
    }
    fn serialize_none(self) -> Result<Val, Unsupported> {
        Ok(Val::Null)
    }
    fn serialize_unit(self) -> Result<Val, Unsupported> {
        Ok(Val::Null)
    }
    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<Val, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(self, _: &'static str, value: &V) -> Result<Val, Unsupported> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &V) -> Result<Val, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, Unsupported> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
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
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
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
}
