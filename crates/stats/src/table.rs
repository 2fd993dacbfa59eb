//! The value-added table: statistical lines, their values by year, and GDP by year, read from
//! three CSV inputs.
//!
//! - `lines.csv`: `code,name_en,name_zh,parent,source`.
//!   `parent` is empty or the code of a line whose value includes this one's.
//! - `values.csv`: `line,year,value_hkd_bn,source`, at most one value per line and year.
//! - `gdp.csv`: `year,value_hkd_bn,source`, with an optional `note` column.
//!
//! Values are HK$ billion written as exact decimals (`473.5`) and kept as integer cents.
//! Every row's `source` is a [`Provenance`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;

use serde::Serialize;
use vocab::{BilingualText, Currency, Money, Provenance, Scale, Year};

use crate::csv_rows::CsvTable;
use crate::StatsError;

/// The file role of the statistical lines, as named in errors.
pub const LINES_FILE: &str = "lines.csv";
/// The file role of the values, as named in errors.
pub const VALUES_FILE: &str = "values.csv";
/// The file role of GDP, as named in errors.
pub const GDP_FILE: &str = "gdp.csv";

/// The code of a statistical line, e.g. `hsic.J` or `study.manufacturing`: ASCII letters,
/// digits, `.`, `_` and `-`, 1 to 64 characters, case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LineCode(String);

/// A line of the value-added statistics: a code, its names, and the line it is part of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatisticalLine {
    code: LineCode,
    name: BilingualText,
    parent: Option<LineCode>,
    source: Provenance,
}

/// One value of one statistical line in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineValue {
    value: Money,
    source: Provenance,
    csv_line: u64,
}

/// GDP in one year, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GdpFigure {
    year: Year,
    value: Money,
    source: Provenance,
    note: Option<String>,
}

/// Statistical lines with their values by year, and GDP by year, all in HK$.
///
/// Built by [`ValueAddedTable::from_csv`], which guarantees: line codes are unique, every
/// parent exists and the parent chain has no cycle, every value belongs to a known line, there
/// is at most one value per line and year and one GDP per year, and GDP is above zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAddedTable {
    lines: Vec<StatisticalLine>,
    index: HashMap<LineCode, usize>,
    values: BTreeMap<(usize, Year), LineValue>,
    gdp: BTreeMap<Year, GdpFigure>,
}

impl LineCode {
    /// Parses a line code; see [`LineCode`] for what is allowed.
    pub fn parse(text: &str) -> Result<LineCode, StatsError> {
        let invalid = |reason: &str| StatsError::InvalidValue {
            what: "statistical line code".to_owned(),
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("empty"));
        }
        if trimmed.len() > 64 {
            return Err(invalid("longer than 64 characters"));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if !trimmed.chars().all(allowed) {
            return Err(invalid(
                "only ASCII letters, digits, `.`, `_` and `-` are allowed",
            ));
        }
        Ok(LineCode(trimmed.to_owned()))
    }
}

impl AsRef<str> for LineCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LineCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StatisticalLine {
    /// The line's code.
    pub fn code(&self) -> &LineCode {
        &self.code
    }

    /// The line's names in English and Traditional Chinese.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }

    /// The line whose value includes this one's, if any.
    pub fn parent(&self) -> Option<&LineCode> {
        self.parent.as_ref()
    }

    /// Where the line's definition comes from.
    pub fn source(&self) -> &Provenance {
        &self.source
    }
}

impl LineValue {
    /// The value, in HK$.
    pub fn value(&self) -> Money {
        self.value
    }

    /// Where the value comes from.
    pub fn source(&self) -> &Provenance {
        &self.source
    }

    /// The 1-based line of `values.csv` it was read from.
    pub fn csv_line(&self) -> u64 {
        self.csv_line
    }
}

impl GdpFigure {
    /// The year.
    pub fn year(&self) -> Year {
        self.year
    }

    /// GDP, in HK$, above zero.
    pub fn value(&self) -> Money {
        self.value
    }

    /// Where the figure comes from.
    pub fn source(&self) -> &Provenance {
        &self.source
    }

    /// The `note` column, if given: how an indicative figure was chosen, for instance.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

impl ValueAddedTable {
    /// Reads the three CSV inputs (see the module docs for their columns).
    ///
    /// Errors name the file, the 1-based line and the field; the first error found is returned.
    pub fn from_csv(
        lines: impl Read,
        values: impl Read,
        gdp: impl Read,
    ) -> Result<ValueAddedTable, StatsError> {
        let (lines, index) = read_lines(lines)?;
        let values = read_values(values, &index)?;
        let gdp = read_gdp(gdp)?;
        Ok(ValueAddedTable {
            lines,
            index,
            values,
            gdp,
        })
    }

    /// Every statistical line, in file order.
    pub fn lines(&self) -> &[StatisticalLine] {
        &self.lines
    }

    /// The statistical line with this code.
    pub fn line(&self, code: &LineCode) -> Option<&StatisticalLine> {
        self.index.get(code).map(|idx| &self.lines[*idx])
    }

    /// The value of a line in a year, if the table has one.
    pub fn value(&self, code: &LineCode, year: Year) -> Option<&LineValue> {
        let idx = self.index.get(code)?;
        self.values.get(&(*idx, year))
    }

    /// GDP in a year, if the table has it.
    pub fn gdp(&self, year: Year) -> Option<&GdpFigure> {
        self.gdp.get(&year)
    }

    /// Every year that has a line value or GDP, in order.
    pub fn years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.values.keys().map(|(_, year)| *year).collect();
        years.extend(self.gdp.keys().copied());
        years.sort();
        years.dedup();
        years
    }

    /// The lines whose values include this line's: its parent, the parent's parent, and so on.
    pub fn ancestors(&self, code: &LineCode) -> Vec<&LineCode> {
        let mut ancestors = Vec::new();
        let mut current = self.line(code).and_then(StatisticalLine::parent);
        while let Some(parent) = current {
            ancestors.push(parent);
            current = self.line(parent).and_then(StatisticalLine::parent);
        }
        ancestors
    }
}

type LineIndex = HashMap<LineCode, usize>;

fn read_lines(reader: impl Read) -> Result<(Vec<StatisticalLine>, LineIndex), StatsError> {
    let table = CsvTable::read(
        LINES_FILE,
        reader,
        &["code", "name_en", "name_zh", "parent", "source"],
    )?;
    let mut lines = Vec::new();
    let mut index: LineIndex = HashMap::new();
    let mut csv_lines = Vec::new();
    for row in table.rows() {
        let code = row.parse("code", LineCode::parse)?;
        if index.contains_key(&code) {
            return Err(row.rule(code.as_ref(), "appears twice"));
        }
        let name = BilingualText::new(row.text("name_en"), row.text("name_zh"))
            .map_err(|e| row.error("name_en", e))?;
        let parent = row.optional("parent", LineCode::parse)?;
        let source = row.parse("source", Provenance::parse)?;
        index.insert(code.clone(), lines.len());
        csv_lines.push(row.line);
        lines.push(StatisticalLine {
            code,
            name,
            parent,
            source,
        });
    }
    let rule = |idx: usize, reason: String| StatsError::Rule {
        file: LINES_FILE.to_owned(),
        line: csv_lines[idx],
        statistical_line: lines[idx].code.to_string(),
        reason,
    };
    for (idx, line) in lines.iter().enumerate() {
        let Some(parent) = &line.parent else { continue };
        if !index.contains_key(parent) {
            return Err(rule(idx, format!("parent `{parent}` is not a known line")));
        }
        // Walk up the chain; more steps than there are lines means a cycle.
        let mut current = Some(parent);
        let mut steps = 0;
        while let Some(code) = current {
            if code == &line.code || steps > lines.len() {
                return Err(rule(
                    idx,
                    "its parent chain loops back to itself".to_owned(),
                ));
            }
            steps += 1;
            current = index.get(code).and_then(|i| lines[*i].parent.as_ref());
        }
    }
    Ok((lines, index))
}

fn read_values(
    reader: impl Read,
    index: &LineIndex,
) -> Result<BTreeMap<(usize, Year), LineValue>, StatsError> {
    let table = CsvTable::read(
        VALUES_FILE,
        reader,
        &["line", "year", "value_hkd_bn", "source"],
    )?;
    let mut values = BTreeMap::new();
    for row in table.rows() {
        let code = row.parse("line", LineCode::parse)?;
        let Some(idx) = index.get(&code) else {
            return Err(row.rule(code.as_ref(), "is not a line of lines.csv"));
        };
        let year = row.parse("year", Year::parse)?;
        let value = row.parse("value_hkd_bn", parse_hkd_bn)?;
        let source = row.parse("source", Provenance::parse)?;
        if values.contains_key(&(*idx, year)) {
            return Err(row.rule(code.as_ref(), format!("has a second value for {year}")));
        }
        values.insert(
            (*idx, year),
            LineValue {
                value,
                source,
                csv_line: row.line,
            },
        );
    }
    Ok(values)
}

fn read_gdp(reader: impl Read) -> Result<BTreeMap<Year, GdpFigure>, StatsError> {
    let table = CsvTable::read(GDP_FILE, reader, &["year", "value_hkd_bn", "source"])?;
    let mut gdp = BTreeMap::new();
    for row in table.rows() {
        let year = row.parse("year", Year::parse)?;
        let value = row.parse("value_hkd_bn", parse_hkd_bn)?;
        if value.cents() <= 0 {
            return Err(row.error("value_hkd_bn", "GDP must be above zero"));
        }
        let source = row.parse("source", Provenance::parse)?;
        let note = Some(row.text("note").to_owned()).filter(|note| !note.is_empty());
        if gdp.contains_key(&year) {
            return Err(row.error("year", format!("a second GDP figure for {year}")));
        }
        gdp.insert(
            year,
            GdpFigure {
                year,
                value,
                source,
                note,
            },
        );
    }
    Ok(gdp)
}

/// Parses exact decimal HK$ billion, e.g. `"473.5"`, into cents.
pub(crate) fn parse_hkd_bn(text: &str) -> Result<Money, vocab::VocabError> {
    Money::parse_scaled(text, Scale::Billion, Currency::Hkd)
}
