//! Reading CSV input row by row, with the file, line and field of every failure.
//!
//! Shared by the value-added table, the concordance and the survey responses, so that all of
//! them report bad input the same way.

use std::fmt::Display;
use std::io::Read;

use crate::StatsError;

/// One data row of a CSV file, with what is needed to say where a bad value is.
pub(crate) struct Row<'h> {
    pub(crate) file: &'static str,
    pub(crate) line: u64,
    headers: &'h csv::StringRecord,
    record: csv::StringRecord,
}

/// The header and data rows of one CSV input.
pub(crate) struct CsvTable {
    file: &'static str,
    headers: csv::StringRecord,
    records: Vec<(u64, csv::StringRecord)>,
}

impl CsvTable {
    /// Reads every row, after checking that the header names every required column.
    pub(crate) fn read(
        file: &'static str,
        reader: impl Read,
        required: &[&str],
    ) -> Result<CsvTable, StatsError> {
        let malformed = |line: u64, reason: String| StatsError::Malformed {
            file: file.to_owned(),
            line,
            reason,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = match reader.headers() {
            Ok(headers) => headers.clone(),
            Err(error) => return Err(malformed(1, error.to_string())),
        };
        for column in required {
            if !headers.iter().any(|h| h == *column) {
                return Err(malformed(1, format!("missing column `{column}`")));
            }
        }
        let mut records = Vec::new();
        for result in reader.records() {
            let record = match result {
                Ok(record) => record,
                Err(error) => {
                    let line = error.position().map_or(0, csv::Position::line);
                    return Err(malformed(line, error.to_string()));
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            records.push((line, record));
        }
        Ok(CsvTable {
            file,
            headers,
            records,
        })
    }

    /// The column names, as given.
    pub(crate) fn headers(&self) -> impl Iterator<Item = &str> {
        self.headers.iter()
    }

    /// The data rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(|(line, record)| Row {
            file: self.file,
            line: *line,
            headers: &self.headers,
            record: record.clone(),
        })
    }
}

impl Row<'_> {
    /// The trimmed text of a column, empty if the column is absent.
    pub(crate) fn text(&self, field: &str) -> &str {
        let idx = self.headers.iter().position(|h| h == field);
        idx.and_then(|i| self.record.get(i)).unwrap_or("")
    }

    /// An error about one field of this row.
    pub(crate) fn error(&self, field: &str, reason: impl Display) -> StatsError {
        StatsError::Field {
            file: self.file.to_owned(),
            line: self.line,
            field: field.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// An error about a rule this row breaks for its statistical line.
    pub(crate) fn rule(&self, statistical_line: &str, reason: impl Display) -> StatsError {
        StatsError::Rule {
            file: self.file.to_owned(),
            line: self.line,
            statistical_line: statistical_line.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// The text of a column that must not be empty.
    pub(crate) fn required(&self, field: &str) -> Result<&str, StatsError> {
        let text = self.text(field);
        if text.is_empty() {
            return Err(self.error(field, "is empty but required"));
        }
        Ok(text)
    }

    /// Parses a column that must not be empty.
    pub(crate) fn parse<T, E: Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, StatsError> {
        let text = self.required(field)?;
        parse(text).map_err(|e| self.error(field, e))
    }

    /// Parses a column that may be empty.
    pub(crate) fn optional<T, E: Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, StatsError> {
        let text = self.text(field);
        if text.is_empty() {
            return Ok(None);
        }
        parse(text).map(Some).map_err(|e| self.error(field, e))
    }
}
