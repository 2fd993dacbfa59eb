//! A macro for the crate's closed vocabularies: machine codes plus the bilingual words the index
//! matches, and the error an unknown code gives.

use std::fmt;

/// A code that is none of a vocabulary's codes.
///
/// Displays as `"testng" is not a service (expected one of finance, insurance, ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// Which vocabulary, e.g. "service".
    pub what: &'static str,
    /// The text as given.
    pub text: String,
    /// The accepted codes, comma-separated.
    pub expected: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a {} (expected one of {})",
            self.text, self.what, self.expected
        )
    }
}

impl std::error::Error for UnknownCode {}

/// Defines a `Copy` enum whose variants each have a stable machine code, an English and a
/// Traditional Chinese label, and extra search words.
///
/// The generated type has `ALL`, `code()`, `parse()`, `label_en()`, `label_zh()`,
/// `search_words()`, `bit()` (its position, for the index's bitmask columns), `FromStr`, a
/// `Display` that writes the code, and serde as the code string.
/// `parse` trims surrounding whitespace and ignores ASCII case, as `vocab`'s code enums do.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $en:literal, $zh:literal, $words:literal; )+
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

            /// The English label the index matches (the web catalogs own the display names).
            pub const fn label_en(self) -> &'static str {
                match self {
                    $( Self::$variant => $en, )+
                }
            }

            /// The Traditional Chinese label the index matches.
            pub const fn label_zh(self) -> &'static str {
                match self {
                    $( Self::$variant => $zh, )+
                }
            }

            /// Extra search words (synonyms in either language) indexed with the labels.
            pub const fn search_words(self) -> &'static str {
                match self {
                    $( Self::$variant => $words, )+
                }
            }

            /// The position in [`Self::ALL`], used as the bit in the index's bitmask columns.
            pub fn bit(self) -> u32 {
                Self::ALL.iter().position(|value| *value == self).unwrap_or(0) as u32
            }

            /// The value at position `bit` of [`Self::ALL`].
            pub fn from_bit(bit: u32) -> Option<Self> {
                Self::ALL.get(bit as usize).copied()
            }

            /// Parses a machine code, ignoring surrounding whitespace and ASCII case.
            pub fn parse(text: &str) -> Result<Self, $crate::codes::UnknownCode> {
                let trimmed = text.trim();
                for value in Self::ALL {
                    if value.code().eq_ignore_ascii_case(trimmed) {
                        return Ok(value);
                    }
                }
                Err($crate::codes::UnknownCode {
                    what: $what,
                    text: text.to_owned(),
                    expected: Self::ALL.map(Self::code).join(", "),
                })
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl ::std::fmt::Display for $name {
            /// Writes the machine code.
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

/// A set of values of one vocabulary as a bitmask over their [`bit`](crate::Service::bit)s.
pub(crate) fn mask<T: Copy>(values: &[T], bit: impl Fn(T) -> u32) -> u64 {
    values
        .iter()
        .fold(0, |acc, value| acc | (1u64 << bit(*value)))
}
