//! Count tables by province, city, sector and their pairs, with exact shares and ranks, and the
//! in-memory tabulation of imported rows.

use std::collections::HashMap;
use std::fmt;

use vocab::{ManufacturingSector, PlaceCode};

use crate::record::{Enterprise, Status};

/// What a table counts operating enterprises by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// By province.
    Province,
    /// By city.
    City,
    /// By sector (GB/T 4754 division).
    Sector,
    /// By province and sector.
    ProvinceSector,
    /// By province and city.
    ProvinceCity,
    /// By city and sector.
    CitySector,
}

/// The key of one row of a table; its variant matches the table's [`Dimension`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A province.
    Province(PlaceCode),
    /// A city.
    City(PlaceCode),
    /// A sector.
    Sector(ManufacturingSector),
    /// A province and a sector.
    ProvinceSector(PlaceCode, ManufacturingSector),
    /// A province and a city.
    ProvinceCity(PlaceCode, PlaceCode),
    /// A city and a sector.
    CitySector(PlaceCode, ManufacturingSector),
}

/// A count as a share of the operating total, kept as an exact ratio.
///
/// It displays as a percentage with one decimal, rounded half up with integer arithmetic:
/// 9,177 of 68,314 displays as `13.4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    count: u64,
    total: u64,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    key: Key,
    count: u64,
    share: Share,
    rank: u64,
}

/// Operating enterprises counted by one [`Dimension`], sorted by count (largest first), then
/// by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    dimension: Dimension,
    rows: Vec<TableRow>,
}

/// The result of a tabulation: one [`Table`] per requested dimension, plus totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    total_rows: u64,
    by_status: [u64; 4],
    tables: Vec<Table>,
}

/// Operating counts by (province, city) and sector index (division minus 13).
pub(crate) type Cells = HashMap<(PlaceCode, PlaceCode), [u64; N_SECTORS]>;

pub(crate) const N_SECTORS: usize = 31;
pub(crate) const FIRST_DIVISION: u8 = 13;

impl Dimension {
    /// All dimensions.
    pub const ALL: [Dimension; 6] = [
        Dimension::Province,
        Dimension::City,
        Dimension::Sector,
        Dimension::ProvinceSector,
        Dimension::ProvinceCity,
        Dimension::CitySector,
    ];

    /// A stable machine code, e.g. `"province_sector"`.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Province => "province",
            Dimension::City => "city",
            Dimension::Sector => "sector",
            Dimension::ProvinceSector => "province_sector",
            Dimension::ProvinceCity => "province_city",
            Dimension::CitySector => "city_sector",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Key {
    /// The province, if the key has one.
    pub fn province(&self) -> Option<&PlaceCode> {
        match self {
            Key::Province(province)
            | Key::ProvinceSector(province, _)
            | Key::ProvinceCity(province, _) => Some(province),
            _ => None,
        }
    }

    /// The city, if the key has one.
    pub fn city(&self) -> Option<&PlaceCode> {
        match self {
            Key::City(city) | Key::ProvinceCity(_, city) | Key::CitySector(city, _) => Some(city),
            _ => None,
        }
    }

    /// The sector, if the key has one.
    pub fn sector(&self) -> Option<ManufacturingSector> {
        match self {
            Key::Sector(sector) | Key::ProvinceSector(_, sector) | Key::CitySector(_, sector) => {
                Some(*sector)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Key {
    /// Writes the codes, pairs joined by `" / "`: `cn-gd / C39`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Province(code) | Key::City(code) => write!(f, "{code}"),
            Key::Sector(sector) => write!(f, "{sector}"),
            Key::ProvinceSector(place, sector) | Key::CitySector(place, sector) => {
                write!(f, "{place} / {sector}")
            }
            Key::ProvinceCity(province, city) => write!(f, "{province} / {city}"),
        }
    }
}

impl Share {
    /// The share `count / total`; a zero total gives a zero share.
    pub fn new(count: u64, total: u64) -> Share {
        Share { count, total }
    }

    /// The numerator.
    pub fn count(self) -> u64 {
        self.count
    }

    /// The denominator, the operating total.
    pub fn total(self) -> u64 {
        self.total
    }

    /// The share in tenths of a percent, rounded half up: 9,177 of 68,314 gives 134.
    pub fn tenths_of_percent(self) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let count = u128::from(self.count);
        let total = u128::from(self.total);
        let rounded = (count * 2000 + total) / (2 * total);
        // count <= total keeps this at most 1000; a larger ratio still fits in u64.
        u64::try_from(rounded).unwrap_or(u64::MAX)
    }
}

impl fmt::Display for Share {
    /// Writes the percentage with one decimal and no sign: `13.4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.tenths_of_percent();
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

impl TableRow {
    /// The key, e.g. `Key::Province(cn-gd)`.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The number of operating enterprises.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The count as a share of all operating enterprises.
    pub fn share(&self) -> Share {
        self.share
    }

    /// The rank by count, 1 for the largest; equal counts share a rank and the next rank skips
    /// (1, 2, 2, 4).
    pub fn rank(&self) -> u64 {
        self.rank
    }
}

impl Table {
    /// What the table counts by.
    pub fn dimension(&self) -> Dimension {
        self.dimension
    }

    /// All rows, largest count first, ties by key.
    pub fn rows(&self) -> &[TableRow] {
        &self.rows
    }

    /// The first `n` rows (fewer if the table is shorter).
    pub fn top(&self, n: usize) -> &[TableRow] {
        &self.rows[..n.min(self.rows.len())]
    }

    /// The row for a key, if any operating enterprise has it.
    pub fn get(&self, key: &Key) -> Option<&TableRow> {
        self.rows.iter().find(|row| &row.key == key)
    }
}

impl Tables {
    /// All data rows read, whatever their status.
    pub fn total_rows(&self) -> u64 {
        self.total_rows
    }

    /// Rows with status `operating`: the total the tables count and shares divide by.
    pub fn total_operating(&self) -> u64 {
        self.by_status[Status::Operating.index()]
    }

    /// Rows with a status.
    pub fn count_by_status(&self, status: Status) -> u64 {
        self.by_status[status.index()]
    }

    /// The table for a dimension, if it was requested.
    pub fn table(&self, dimension: Dimension) -> Option<&Table> {
        self.tables
            .iter()
            .find(|table| table.dimension == dimension)
    }

    /// The tables in the order requested (each dimension once).
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }
}

/// Tabulates already-imported rows by the given dimensions, counting only operating
/// enterprises.
pub fn tabulate(rows: &[Enterprise], dims: &[Dimension]) -> Tables {
    let mut by_status = [0u64; 4];
    let mut counts: HashMap<(&PlaceCode, &PlaceCode), [u64; N_SECTORS]> = HashMap::new();
    for row in rows {
        by_status[row.status.index()] += 1;
        if row.status == Status::Operating {
            let cell = counts
                .entry((&row.province, &row.city))
                .or_insert([0; N_SECTORS]);
            cell[usize::from(row.sector.division() - FIRST_DIVISION)] += 1;
        }
    }
    let cells: Cells = counts
        .into_iter()
        .map(|((province, city), counts)| ((province.clone(), city.clone()), counts))
        .collect();
    build_tables(&cells, rows.len() as u64, by_status, dims)
}

/// Projects the cells onto each dimension and sorts, ranks and shares the rows.
pub(crate) fn build_tables(
    cells: &Cells,
    total_rows: u64,
    by_status: [u64; 4],
    dims: &[Dimension],
) -> Tables {
    let total = by_status[Status::Operating.index()];
    let mut tables = Vec::new();
    for &dimension in dims {
        if tables
            .iter()
            .any(|table: &Table| table.dimension == dimension)
        {
            continue;
        }
        let mut counts: HashMap<Key, u64> = HashMap::new();
        for ((province, city), sectors) in cells {
            for (sector_idx, &count) in sectors.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let sector = sector_at(sector_idx);
                let key = match dimension {
                    Dimension::Province => Key::Province(province.clone()),
                    Dimension::City => Key::City(city.clone()),
                    Dimension::Sector => Key::Sector(sector),
                    Dimension::ProvinceSector => Key::ProvinceSector(province.clone(), sector),
                    Dimension::ProvinceCity => Key::ProvinceCity(province.clone(), city.clone()),
                    Dimension::CitySector => Key::CitySector(city.clone(), sector),
                };
                *counts.entry(key).or_insert(0) += count;
            }
        }
        let mut rows: Vec<TableRow> = counts
            .into_iter()
            .map(|(key, count)| TableRow {
                key,
                count,
                share: Share::new(count, total),
                rank: 0,
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        let mut previous: Option<(u64, u64)> = None;
        for (idx, row) in rows.iter_mut().enumerate() {
            row.rank = match previous {
                Some((count, rank)) if count == row.count => rank,
                _ => idx as u64 + 1,
            };
            previous = Some((row.count, row.rank));
        }
        tables.push(Table { dimension, rows });
    }
    Tables {
        total_rows,
        by_status,
        tables,
    }
}

pub(crate) fn sector_at(sector_idx: usize) -> ManufacturingSector {
    let division = FIRST_DIVISION + sector_idx as u8;
    match ManufacturingSector::from_division(division) {
        Some(sector) => sector,
        None => unreachable!("sector index {sector_idx} is outside the 31 divisions"),
    }
}
