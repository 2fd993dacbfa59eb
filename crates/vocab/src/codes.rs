//! A macro for closed sets of machine codes (`code()`, `parse`, `ALL`, serde as the code).
//!
//! Every enum in this crate that stands for a fixed vocabulary is written with
//! [`code_enum!`], so all of them parse, print and serialize the same way.

/// Defines a `Copy` enum whose variants each have a stable machine code.
///
/// The generated type has `ALL`, `code()`, `parse()`, `FromStr`, a `Display` that writes the
/// code (never a user-facing label), and serde as the code string.
/// `parse` trims surrounding whitespace and ignores ASCII case.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The stable machine code, as stored and sent over the wire.
            pub const fn code(self) -> &'static str {
                match self {
                    $( Self::$variant => $code, )+
                }
            }

            /// Parses a machine code, ignoring surrounding whitespace and ASCII case.
            pub fn parse(text: &str) -> Result<Self, $crate::VocabError> {
                let trimmed = text.trim();
                for value in Self::ALL {
                    if value.code().eq_ignore_ascii_case(trimmed) {
                        return Ok(value);
                    }
                }
                Err($crate::VocabError::UnknownCode {
                    what: $what,
                    text: text.to_owned(),
                    expected: Self::ALL.map(Self::code).join(", "),
                })
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::VocabError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl ::std::fmt::Display for $name {
            /// Writes the machine code; display labels live in the translation catalogs.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&text).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use code_enum;
