//! The careful import: every row parsed into an [`Enterprise`], bad rows rejected by policy,
//! and the rejected rows written back out as CSV for correction.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};

use crate::record::{parse_record, Enterprise, Field, Header, Problem, RawField, MAX_FIELDS};
use crate::RegistryError;

/// What to do with a row that is not a valid enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRowPolicy {
    /// Fail the whole import at the first bad row.
    RejectFile,
    /// Keep the good rows and report the bad ones in [`Import::rejected`].
    SkipBadRows,
}

/// The result of [`read_registry`]: the file's columns, its valid enterprises and its
/// rejected rows (always empty under [`BadRowPolicy::RejectFile`]).
#[derive(Debug, Clone)]
pub struct Import {
    /// The columns the file has.
    pub header: Header,
    /// The valid rows, in file order.
    pub enterprises: Vec<Enterprise>,
    /// The rows that were skipped, in file order.
    pub rejected: Vec<RejectedRow>,
}

/// A row that was not imported, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The 1-based line number (the header is line 1).
    pub line: u64,
    /// The original line, without its line break (invalid UTF-8 replaced by U+FFFD).
    pub raw: String,
    /// The column at fault, or `None` when the record as a whole is malformed.
    pub field: Option<Field>,
    /// What was wrong, quoting the value.
    pub reason: String,
}

/// Reads a registry CSV, validating every row.
///
/// The header must be on line 1; blank lines are skipped; each record fits on one line
/// (only `name` is expected to be quoted, to hold commas or quotes).
/// An `id` may appear only once; a repeat is a bad row.
/// The result is all or nothing: either an error, or every row accounted for as imported or
/// (under [`BadRowPolicy::SkipBadRows`]) rejected.
pub fn read_registry(reader: impl Read, policy: BadRowPolicy) -> Result<Import, RegistryError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut buf = Vec::new();
    if reader.read_until(b'\n', &mut buf)? == 0 {
        return Err(RegistryError::Header {
            reason: "the file is empty".to_owned(),
        });
    }
    let header = Header::parse(trim_line_break(&buf))?;
    let mut import = Import {
        header,
        enterprises: Vec::new(),
        rejected: Vec::new(),
    };
    let mut first_line_of_id: HashMap<String, u64> = HashMap::new();
    let mut line_number = 1u64;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_number += 1;
        let line = trim_line_break(&buf);
        if line.is_empty() {
            continue;
        }
        let parsed = parse_record(header, line).and_then(|enterprise| {
            match first_line_of_id.get(&enterprise.id) {
                Some(first) => Err(Problem {
                    field: Some(Field::Id),
                    reason: format!("{:?} repeats the id on line {first}", enterprise.id),
                }),
                None => {
                    first_line_of_id.insert(enterprise.id.clone(), line_number);
                    Ok(enterprise)
                }
            }
        });
        match parsed {
            Ok(enterprise) => import.enterprises.push(enterprise),
            Err(problem) => match policy {
                BadRowPolicy::RejectFile => {
                    return Err(RegistryError::Row {
                        line: line_number,
                        field: problem.field,
                        reason: problem.reason,
                    })
                }
                BadRowPolicy::SkipBadRows => import.rejected.push(RejectedRow {
                    line: line_number,
                    raw: String::from_utf8_lossy(line).into_owned(),
                    field: problem.field,
                    reason: problem.reason,
                }),
            },
        }
    }
    Ok(import)
}

/// Writes rejected rows as CSV: the file's columns, then `line` and `reason`.
///
/// Each row's original cells are written back as they were (unquoted and re-quoted only where
/// needed).
/// A row with fewer cells than the header is padded with empty cells; one with more has its
/// surplus cells joined, comma-separated, into the last column, so `line` and `reason` always
/// stay in their columns.
/// The reason is the full message, e.g. ``field `sector`: "C99" is not a manufacturing
/// division (C13 to C43)``.
pub fn write_rejected(
    header: &Header,
    rows: &[RejectedRow],
    writer: impl Write,
) -> Result<(), RegistryError> {
    let mut out = csv::WriterBuilder::new().from_writer(writer);
    let columns = header.fields();
    let mut record: Vec<String> = columns.iter().map(|f| f.column().to_owned()).collect();
    record.push("line".to_owned());
    record.push("reason".to_owned());
    out.write_record(&record).map_err(csv_error)?;
    for row in rows {
        record.clear();
        record.extend(original_cells(&row.raw));
        if record.len() > columns.len() {
            let surplus = record.split_off(columns.len() - 1);
            record.push(surplus.join(","));
        }
        record.resize(columns.len(), String::new());
        record.push(row.line.to_string());
        record.push(match row.field {
            Some(field) => format!("field `{field}`: {}", row.reason),
            None => row.reason.clone(),
        });
        out.write_record(&record).map_err(csv_error)?;
    }
    out.flush()?;
    Ok(())
}

/// The cells of a raw line; a line that does not split (an unterminated quote) is one cell.
fn original_cells(raw: &str) -> Vec<String> {
    let line = raw.as_bytes();
    let mut fields = [RawField::default(); MAX_FIELDS];
    let n_fields = match crate::record::split_line(line, &mut fields) {
        Ok(n_fields) => n_fields,
        Err(_) => return vec![raw.to_owned()],
    };
    if n_fields > MAX_FIELDS {
        // Too many cells to keep positions for; split them again without a limit.
        return split_all(raw);
    }
    fields[..n_fields]
        .iter()
        .map(|field| {
            String::from_utf8_lossy(&crate::record::field_bytes(line, *field)).into_owned()
        })
        .collect()
}

/// Splits a line with more than [`MAX_FIELDS`] cells, using the csv crate's reader.
fn split_all(raw: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(raw.as_bytes());
    match reader.records().next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        _ => vec![raw.to_owned()],
    }
}

fn trim_line_break(buf: &[u8]) -> &[u8] {
    let line = buf.strip_suffix(b"\n").unwrap_or(buf);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn csv_error(err: csv::Error) -> RegistryError {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => RegistryError::Io(io),
        other => RegistryError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}
