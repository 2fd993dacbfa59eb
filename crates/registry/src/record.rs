//! One enterprise of the registry, its columns and statuses, and the parsing of one CSV line
//! into an enterprise, shared by the careful import and the fast tabulation.
//!
//! The parsing functions here are the single definition of what a valid row is: the fast path
//! in `fast` only accepts rows its cheap byte checks prove valid and otherwise falls back to
//! them, so both paths accept and reject exactly the same rows with the same messages.

use std::borrow::Cow;
use std::fmt;

use vocab::{Currency, ManufacturingSector, Money, PlaceCode, VocabError};

use crate::RegistryError;

/// One enterprise, one row of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    /// The registry's identifier for the enterprise, non-empty, unique within a file.
    pub id: String,
    /// The enterprise's name, non-empty.
    pub name: String,
    /// The province (or municipality) code, e.g. `cn-gd`.
    pub province: PlaceCode,
    /// The city code, e.g. `cn-gd-shenzhen`.
    pub city: PlaceCode,
    /// The GB/T 4754-2017 manufacturing division.
    pub sector: ManufacturingSector,
    /// Whether the enterprise is in operation; the study counts only [`Status::Operating`].
    pub status: Status,
    /// The year the enterprise was established, 1900 to 2100.
    pub year_established: u16,
    /// Registered capital in CNY, when the file has the column and the cell is not empty.
    pub registered_capital: Option<Money>,
    /// Number of employees, when the file has the column and the cell is not empty.
    pub employees: Option<u32>,
}

/// The registration status of an enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// In operation; the only status the study counts.
    Operating,
    /// Operation suspended.
    Suspended,
    /// Registration cancelled.
    Cancelled,
    /// Business licence revoked.
    Revoked,
}

/// A column of the registry CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`.
    Id,
    /// `name`, the only column expected to be quoted.
    Name,
    /// `province`.
    Province,
    /// `city`.
    City,
    /// `sector`.
    Sector,
    /// `status`.
    Status,
    /// `year_established`.
    YearEstablished,
    /// `registered_capital_cny` (optional column).
    RegisteredCapitalCny,
    /// `employees` (optional column).
    Employees,
}

/// The columns of a registry file: the seven required ones, then optionally
/// `registered_capital_cny`, then optionally `employees`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    has_capital: bool,
    has_employees: bool,
}

/// What was wrong with one line: the field (if one) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) field: Option<Field>,
    pub(crate) reason: String,
}

/// A field's position in its line: the raw span (with quotes, if any) and whether it is quoted.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RawField {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) quoted: bool,
}

/// The most fields a valid row has; a line with more is still split so it can be counted.
pub(crate) const MAX_FIELDS: usize = 9;

const REQUIRED: [Field; 7] = [
    Field::Id,
    Field::Name,
    Field::Province,
    Field::City,
    Field::Sector,
    Field::Status,
    Field::YearEstablished,
];

const FIELDS_7: &[Field] = &REQUIRED;
const FIELDS_8_CAPITAL: &[Field] = &[
    Field::Id,
    Field::Name,
    Field::Province,
    Field::City,
    Field::Sector,
    Field::Status,
    Field::YearEstablished,
    Field::RegisteredCapitalCny,
];
const FIELDS_8_EMPLOYEES: &[Field] = &[
    Field::Id,
    Field::Name,
    Field::Province,
    Field::City,
    Field::Sector,
    Field::Status,
    Field::YearEstablished,
    Field::Employees,
];
const FIELDS_9: &[Field] = &[
    Field::Id,
    Field::Name,
    Field::Province,
    Field::City,
    Field::Sector,
    Field::Status,
    Field::YearEstablished,
    Field::RegisteredCapitalCny,
    Field::Employees,
];

impl Status {
    /// All statuses, in the order of [`Status::index`].
    pub const ALL: [Status; 4] = [
        Status::Operating,
        Status::Suspended,
        Status::Cancelled,
        Status::Revoked,
    ];

    /// The code used in the CSV, e.g. `"operating"`.
    pub fn code(self) -> &'static str {
        match self {
            Status::Operating => "operating",
            Status::Suspended => "suspended",
            Status::Cancelled => "cancelled",
            Status::Revoked => "revoked",
        }
    }

    /// The status for a code, ignoring surrounding whitespace; codes are lowercase.
    pub fn from_code(text: &str) -> Option<Status> {
        let code = text.trim();
        Status::ALL.into_iter().find(|status| status.code() == code)
    }

    /// The position of the status in [`Status::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Field {
    /// The column name in the CSV header, e.g. `"year_established"`.
    pub fn column(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Province => "province",
            Field::City => "city",
            Field::Sector => "sector",
            Field::Status => "status",
            Field::YearEstablished => "year_established",
            Field::RegisteredCapitalCny => "registered_capital_cny",
            Field::Employees => "employees",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.column())
    }
}

impl Header {
    /// The header with all nine columns, as [`crate::write_synthetic`] writes it.
    pub fn full() -> Header {
        Header {
            has_capital: true,
            has_employees: true,
        }
    }

    /// Parses a header line (without its line break); a UTF-8 byte order mark is ignored.
    pub fn parse(line: &[u8]) -> Result<Header, RegistryError> {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let expected =
            "expected the columns id,name,province,city,sector,status,year_established, \
                        then optionally registered_capital_cny, then optionally employees";
        let mut fields = [RawField::default(); MAX_FIELDS];
        let n_fields = match split_line(line, &mut fields) {
            Ok(n_fields) => n_fields,
            Err(problem) => {
                return Err(RegistryError::Header {
                    reason: problem.reason,
                })
            }
        };
        let mut names = Vec::with_capacity(n_fields);
        for raw in &fields[..n_fields.min(MAX_FIELDS)] {
            match field_text(line, *raw) {
                Ok(text) => names.push(text.trim().to_owned()),
                Err(_) => {
                    return Err(RegistryError::Header {
                        reason: "not valid UTF-8".to_owned(),
                    })
                }
            }
        }
        let found = || {
            let shown = String::from_utf8_lossy(line);
            format!("{expected}, found {shown:?}")
        };
        if n_fields > MAX_FIELDS {
            return Err(RegistryError::Header { reason: found() });
        }
        let header = [
            Header::full(),
            Header {
                has_capital: true,
                has_employees: false,
            },
            Header {
                has_capital: false,
                has_employees: true,
            },
            Header {
                has_capital: false,
                has_employees: false,
            },
        ]
        .into_iter()
        .find(|header| {
            header.fields().len() == names.len()
                && header
                    .fields()
                    .iter()
                    .zip(&names)
                    .all(|(field, name)| field.column() == name)
        });
        match header {
            Some(header) => Ok(header),
            None => Err(RegistryError::Header { reason: found() }),
        }
    }

    /// The columns in file order.
    pub fn fields(&self) -> &'static [Field] {
        match (self.has_capital, self.has_employees) {
            (true, true) => FIELDS_9,
            (true, false) => FIELDS_8_CAPITAL,
            (false, true) => FIELDS_8_EMPLOYEES,
            (false, false) => FIELDS_7,
        }
    }

    /// Whether the file has the `registered_capital_cny` column.
    pub fn has_capital(&self) -> bool {
        self.has_capital
    }

    /// Whether the file has the `employees` column.
    pub fn has_employees(&self) -> bool {
        self.has_employees
    }
}

/// Splits one line (without its line break) into fields.
///
/// A field that starts with `"` is quoted: it ends at the next `"` not doubled, which must be
/// followed by `,` or the end of the line.
/// Returns the number of fields; only the first [`MAX_FIELDS`] are stored in `out`.
pub(crate) fn split_line(line: &[u8], out: &mut [RawField; MAX_FIELDS]) -> Result<usize, Problem> {
    let mut n_fields = 0;
    let mut pos = 0;
    loop {
        let start = pos;
        let (end, quoted) = if line.get(pos) == Some(&b'"') {
            let mut search = pos + 1;
            let close = loop {
                match memchr::memchr(b'"', &line[search..]) {
                    Some(offset) => {
                        let quote = search + offset;
                        if line.get(quote + 1) == Some(&b'"') {
                            search = quote + 2;
                        } else {
                            break quote;
                        }
                    }
                    None => {
                        return Err(Problem {
                            field: None,
                            reason: "unterminated quoted field (a record must fit on one line)"
                                .to_owned(),
                        })
                    }
                }
            };
            match line.get(close + 1) {
                None | Some(b',') => (close + 1, true),
                Some(_) => {
                    return Err(Problem {
                        field: None,
                        reason: "unexpected character after a closing quote".to_owned(),
                    })
                }
            }
        } else {
            match line[pos..].iter().position(|&byte| byte == b',') {
                Some(offset) => (pos + offset, false),
                None => (line.len(), false),
            }
        };
        if n_fields < MAX_FIELDS {
            out[n_fields] = RawField { start, end, quoted };
        }
        n_fields += 1;
        if end >= line.len() {
            return Ok(n_fields);
        }
        pos = end + 1;
    }
}

/// The content of a field: without its quotes and with doubled quotes undone.
pub(crate) fn field_bytes(line: &[u8], raw: RawField) -> Cow<'_, [u8]> {
    if !raw.quoted {
        return Cow::Borrowed(&line[raw.start..raw.end]);
    }
    let inner = &line[raw.start + 1..raw.end - 1];
    if memchr::memchr(b'"', inner).is_none() {
        return Cow::Borrowed(inner);
    }
    let mut unescaped = Vec::with_capacity(inner.len());
    let mut pending_quote = false;
    for &byte in inner {
        if byte == b'"' && !pending_quote {
            pending_quote = true;
            unescaped.push(byte);
        } else if byte == b'"' {
            pending_quote = false;
        } else {
            pending_quote = false;
            unescaped.push(byte);
        }
    }
    Cow::Owned(unescaped)
}

/// The content of a field as text, or an error when it is not UTF-8.
pub(crate) fn field_text(line: &[u8], raw: RawField) -> Result<Cow<'_, str>, Problem> {
    match field_bytes(line, raw) {
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(_) => Err(Problem {
                field: None,
                reason: "not valid UTF-8".to_owned(),
            }),
        },
        Cow::Owned(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Owned(text)),
            Err(_) => Err(Problem {
                field: None,
                reason: "not valid UTF-8".to_owned(),
            }),
        },
    }
}

/// Parses one non-blank line (without its line break) into an enterprise.
///
/// Fields are checked in column order and the first bad one is reported.
pub(crate) fn parse_record(header: Header, line: &[u8]) -> Result<Enterprise, Problem> {
    let mut fields = [RawField::default(); MAX_FIELDS];
    let n_fields = split_line(line, &mut fields)?;
    let columns = header.fields();
    if n_fields != columns.len() {
        return Err(Problem {
            field: None,
            reason: format!("expected {} fields, found {n_fields}", columns.len()),
        });
    }
    let mut texts: [Cow<'_, str>; MAX_FIELDS] = Default::default();
    for (idx, field) in columns.iter().enumerate() {
        texts[idx] = match field_text(line, fields[idx]) {
            Ok(text) => text,
            Err(problem) => {
                return Err(Problem {
                    field: Some(*field),
                    reason: problem.reason,
                })
            }
        };
    }
    let id = parse_nonblank(&texts[0], Field::Id)?;
    let name = parse_nonblank(&texts[1], Field::Name)?;
    let province = parse_place(&texts[2], Field::Province)?;
    let city = parse_place(&texts[3], Field::City)?;
    let sector = parse_sector(&texts[4])?;
    let status = parse_status(&texts[5])?;
    let year_established = parse_year(&texts[6])?;
    let mut registered_capital = None;
    let mut employees = None;
    for (idx, field) in columns.iter().enumerate().skip(REQUIRED.len()) {
        match field {
            Field::RegisteredCapitalCny => registered_capital = parse_capital(&texts[idx])?,
            Field::Employees => employees = parse_employees(&texts[idx])?,
            _ => {}
        }
    }
    Ok(Enterprise {
        id,
        name,
        province,
        city,
        sector,
        status,
        year_established,
        registered_capital,
        employees,
    })
}

pub(crate) fn parse_nonblank(text: &str, field: Field) -> Result<String, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Problem {
            field: Some(field),
            reason: "empty".to_owned(),
        });
    }
    Ok(trimmed.to_owned())
}

pub(crate) fn parse_place(text: &str, field: Field) -> Result<PlaceCode, Problem> {
    match PlaceCode::parse(text) {
        Ok(code) => Ok(code),
        Err(err) => Err(Problem {
            field: Some(field),
            reason: format!("{text:?} is not a place code: {}", vocab_reason(err)),
        }),
    }
}

pub(crate) fn parse_sector(text: &str) -> Result<ManufacturingSector, Problem> {
    match ManufacturingSector::parse(text) {
        Ok(sector) => Ok(sector),
        Err(err) => Err(Problem {
            field: Some(Field::Sector),
            reason: format!("{text:?} is {}", vocab_reason(err)),
        }),
    }
}

pub(crate) fn parse_status(text: &str) -> Result<Status, Problem> {
    match Status::from_code(text) {
        Some(status) => Ok(status),
        None => Err(Problem {
            field: Some(Field::Status),
            reason: format!(
                "{text:?} is not a status (operating, suspended, cancelled or revoked)"
            ),
        }),
    }
}

pub(crate) const FIRST_YEAR: u16 = 1900;
pub(crate) const LAST_YEAR: u16 = 2100;

pub(crate) fn parse_year(text: &str) -> Result<u16, Problem> {
    match text.trim().parse::<u16>() {
        Ok(year) if (FIRST_YEAR..=LAST_YEAR).contains(&year) => Ok(year),
        _ => Err(Problem {
            field: Some(Field::YearEstablished),
            reason: format!("{text:?} is not a year from {FIRST_YEAR} to {LAST_YEAR}"),
        }),
    }
}

pub(crate) fn parse_capital(text: &str) -> Result<Option<Money>, Problem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let invalid = |reason: String| Problem {
        field: Some(Field::RegisteredCapitalCny),
        reason,
    };
    match Money::parse_amount(text, Currency::Cny) {
        Ok(money) if money.is_negative() => Err(invalid(format!("{text:?} is negative"))),
        Ok(money) => Ok(Some(money)),
        Err(err) => Err(invalid(format!(
            "{text:?} is not an amount in CNY: {}",
            vocab_reason(err)
        ))),
    }
}

pub(crate) fn parse_employees(text: &str) -> Result<Option<u32>, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match trimmed.parse::<u32>() {
        Ok(employees) => Ok(Some(employees)),
        Err(_) => Err(Problem {
            field: Some(Field::Employees),
            reason: format!("{text:?} is not a whole number of employees"),
        }),
    }
}

/// The reason part of a vocabulary error, without the value it already quotes.
fn vocab_reason(err: VocabError) -> String {
    match err {
        VocabError::InvalidSector { reason, .. }
        | VocabError::InvalidPlaceCode { reason, .. }
        | VocabError::InvalidAmount { reason, .. } => reason,
        other => other.to_string(),
    }
}
