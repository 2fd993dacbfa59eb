//! CSV rows to records, with the file, line and field of every failure, and the checks that
//! span files (a cited document exists, a referenced place exists, no key appears twice).

use std::collections::HashSet;
use std::fmt::Display;

use vocab::{
    BilingualText, Coordinates, CountryCode, Currency, IndustryComponent, ManufacturingSector,
    Money, NewIndustriesSubgroup, Percent, Place, PlaceCode, PlaceLevel, Programme, ProjectStage,
    Provenance, Scale, Year,
};

use crate::records::{
    Document, NamedPlace, OverlapItem, Pledge, ProducerServicesFigure, RegistryCount,
    RegistryDimension, ValueAddedFigure,
};
use crate::{Dataset, RefDataError, ReferenceData};

/// The registry counts are for the study's 2024 sample; the year is part of the file's name.
const REGISTRY_YEAR: i16 = 2024;

pub(crate) fn parse_all(
    mut read: impl FnMut(Dataset) -> Result<String, RefDataError>,
) -> Result<ReferenceData, RefDataError> {
    let documents = parse_documents(&read(Dataset::Documents)?)?;
    let document_codes: HashSet<String> = documents.iter().map(|d| d.code.clone()).collect();
    let sources = SourceCheck { document_codes };

    let places = parse_places(&read(Dataset::Places)?, &sources)?;
    let value_added = parse_value_added(&read(Dataset::ValueAdded)?, &sources)?;
    let producer_services = parse_producer_services(&read(Dataset::ProducerServices)?, &sources)?;
    let overlap = parse_overlap(&read(Dataset::ProducerServicesOverlap)?, &sources)?;
    let registry = parse_registry(&read(Dataset::MainlandManufacturers)?, &sources, &places)?;
    let pledges = parse_pledges(&read(Dataset::Pledges)?, &sources, &places)?;
    Ok(ReferenceData {
        documents,
        places,
        value_added,
        producer_services,
        overlap,
        registry,
        pledges,
    })
}

/// One data row of a CSV file, with what is needed to say where a bad value is.
struct Row<'h> {
    file: &'static str,
    line: u64,
    headers: &'h csv::StringRecord,
    record: csv::StringRecord,
}

impl Row<'_> {
    fn text(&self, field: &str) -> &str {
        let idx = self.headers.iter().position(|h| h.trim() == field);
        idx.and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn error(&self, field: &str, reason: impl Display) -> RefDataError {
        RefDataError::Field {
            file: self.file.to_owned(),
            line: self.line,
            field: field.to_owned(),
            reason: reason.to_string(),
        }
    }

    fn required(&self, field: &str) -> Result<&str, RefDataError> {
        let text = self.text(field);
        if text.is_empty() {
            return Err(self.error(field, "is empty but required"));
        }
        Ok(text)
    }

    fn parse<T, E: Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, RefDataError> {
        let text = self.required(field)?;
        parse(text).map_err(|e| self.error(field, e))
    }

    fn optional<T, E: Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, RefDataError> {
        let text = self.text(field);
        if text.is_empty() {
            return Ok(None);
        }
        parse(text).map(Some).map_err(|e| self.error(field, e))
    }
}

/// Reads every data row, after checking that the header names every required column.
fn rows<'h>(
    dataset: Dataset,
    text: &str,
    headers: &'h mut csv::StringRecord,
    required: &[&str],
) -> Result<Vec<Row<'h>>, RefDataError> {
    let file = dataset.file_name();
    let malformed = |line: u64, reason: String| RefDataError::Malformed {
        file: file.to_owned(),
        line,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    *headers = reader
        .headers()
        .map_err(|e| malformed(1, e.to_string()))?
        .clone();
    for column in required {
        if !headers.iter().any(|h| h.trim() == *column) {
            return Err(malformed(1, format!("missing column `{column}`")));
        }
    }
    let mut out = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            malformed(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        out.push(Row {
            file,
            line,
            headers: &*headers,
            record,
        });
    }
    Ok(out)
}

struct SourceCheck {
    document_codes: HashSet<String>,
}

impl SourceCheck {
    fn parse(&self, row: &Row<'_>) -> Result<Provenance, RefDataError> {
        let source = row.parse("source", Provenance::parse)?;
        if let Some(document) = source.document() {
            if !self.document_codes.contains(document) {
                return Err(row.error(
                    "source",
                    format!("cites document \"{document}\", which is not in documents.csv"),
                ));
            }
        }
        Ok(source)
    }
}

fn check_unique(
    seen: &mut HashSet<String>,
    row: &Row<'_>,
    field: &str,
    key: String,
) -> Result<(), RefDataError> {
    if !seen.insert(key.clone()) {
        return Err(row.error(field, format!("\"{key}\" appears twice")));
    }
    Ok(())
}

fn parse_slug(text: &str) -> Result<String, String> {
    PlaceCode::parse(text)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| e.to_string())
}

fn parse_documents(text: &str) -> Result<Vec<Document>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in rows(
        Dataset::Documents,
        text,
        &mut headers,
        &["code", "title", "publisher", "date", "seed_file"],
    )? {
        let code = row.parse("code", parse_slug)?;
        check_unique(&mut seen, &row, "code", code.clone())?;
        let optional = |field: &str| Some(row.text(field).to_owned()).filter(|s| !s.is_empty());
        out.push(Document {
            code,
            title: row.required("title")?.to_owned(),
            publisher: row.required("publisher")?.to_owned(),
            date: optional("date"),
            seed_file: optional("seed_file"),
        });
    }
    Ok(out)
}

fn parse_places(text: &str, sources: &SourceCheck) -> Result<Vec<NamedPlace>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out: Vec<NamedPlace> = Vec::new();
    let required = [
        "code", "level", "country", "parent", "name_en", "name_zh", "lat", "lon", "source",
    ];
    for row in rows(Dataset::Places, text, &mut headers, &required)? {
        let code = row.parse("code", PlaceCode::parse)?;
        check_unique(&mut seen, &row, "code", code.as_str().to_owned())?;
        let parent = row.optional("parent", PlaceCode::parse)?;
        if let Some(parent) = &parent {
            if !out.iter().any(|p| p.place.code() == parent) {
                return Err(row.error(
                    "parent",
                    format!("\"{parent}\" is not a place listed above this line"),
                ));
            }
        }
        let lat = row.optional("lat", |t| {
            t.parse::<f64>().map_err(|e| format!("\"{t}\": {e}"))
        })?;
        let lon = row.optional("lon", |t| {
            t.parse::<f64>().map_err(|e| format!("\"{t}\": {e}"))
        })?;
        let coordinates = match (lat, lon) {
            (Some(lat), Some(lon)) => {
                Some(Coordinates::parse(lat, lon).map_err(|e| row.error("lat", e))?)
            }
            (None, None) => None,
            _ => return Err(row.error("lon", "lat and lon must both be given or both be empty")),
        };
        let place = Place::new(
            code,
            row.parse("level", PlaceLevel::parse)?,
            row.parse("country", CountryCode::parse)?,
            parent,
            coordinates,
        )
        .map_err(|e| row.error("level", e))?;
        let name = BilingualText::new(
            row.text("name_en").to_owned(),
            row.text("name_zh").to_owned(),
        )
        .map_err(|e| row.error("name_en", e))?;
        out.push(NamedPlace {
            place,
            name,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}

fn billions(text: &str) -> Result<Money, vocab::VocabError> {
    Money::parse_scaled(text, Scale::Billion, Currency::Hkd)
}

fn parse_value_added(
    text: &str,
    sources: &SourceCheck,
) -> Result<Vec<ValueAddedFigure>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let required = [
        "year",
        "component",
        "subgroup",
        "value_hkd_bn",
        "gdp_share_pct",
        "source",
    ];
    for row in rows(Dataset::ValueAdded, text, &mut headers, &required)? {
        let year = row.parse("year", Year::parse)?;
        let component = match row.required("component")? {
            "total" => None,
            code => Some(IndustryComponent::parse(code).map_err(|e| row.error("component", e))?),
        };
        if component == Some(IndustryComponent::ProducerServices) {
            return Err(row.error(
                "component",
                "producer services belong in producer_services.csv, not in industry",
            ));
        }
        let subgroup = row.optional("subgroup", NewIndustriesSubgroup::parse)?;
        if subgroup.is_some() && component != Some(IndustryComponent::NewIndustries) {
            return Err(row.error("subgroup", "only New Industries has sub-groups"));
        }
        let key = format!(
            "{}/{}/{}",
            year.get(),
            row.text("component"),
            row.text("subgroup")
        );
        check_unique(&mut seen, &row, "component", key)?;
        out.push(ValueAddedFigure {
            year,
            component,
            subgroup,
            value: row.parse("value_hkd_bn", billions)?,
            gdp_share: row.optional("gdp_share_pct", Percent::parse)?,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}

fn parse_producer_services(
    text: &str,
    sources: &SourceCheck,
) -> Result<Vec<ProducerServicesFigure>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in rows(
        Dataset::ProducerServices,
        text,
        &mut headers,
        &["year", "value_hkd_bn", "gdp_share_pct", "source"],
    )? {
        let year = row.parse("year", Year::parse)?;
        check_unique(&mut seen, &row, "year", year.get().to_string())?;
        out.push(ProducerServicesFigure {
            year,
            value: row.parse("value_hkd_bn", billions)?,
            gdp_share: row.optional("gdp_share_pct", Percent::parse)?,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}

fn parse_overlap(text: &str, sources: &SourceCheck) -> Result<Vec<OverlapItem>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let required = ["year", "item", "allocation_pct", "gdp_share_pct", "source"];
    for row in rows(
        Dataset::ProducerServicesOverlap,
        text,
        &mut headers,
        &required,
    )? {
        let year = row.parse("year", Year::parse)?;
        let item = row.parse("item", |t| {
            parse_slug(&t.replace('_', "-")).map(|_| t.to_owned())
        })?;
        check_unique(&mut seen, &row, "item", format!("{}/{item}", year.get()))?;
        let allocation = row.parse("allocation_pct", Percent::parse)?;
        if allocation.millionths() <= 0 || allocation.millionths() > 100_000_000 {
            return Err(row.error("allocation_pct", format!("{allocation} is not in (0, 100]")));
        }
        out.push(OverlapItem {
            year,
            item,
            allocation,
            gdp_share: row.parse("gdp_share_pct", Percent::parse)?,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}

fn find_place<'p>(
    places: &'p [NamedPlace],
    row: &Row<'_>,
    field: &str,
) -> Result<&'p NamedPlace, RefDataError> {
    let code = row.parse(field, PlaceCode::parse)?;
    places
        .iter()
        .find(|p| p.place.code() == &code)
        .ok_or_else(|| {
            row.error(
                field,
                format!("unknown place \"{code}\" (not in places.csv)"),
            )
        })
}

fn parse_registry(
    text: &str,
    sources: &SourceCheck,
    places: &[NamedPlace],
) -> Result<Vec<RegistryCount>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let year = Year::parse(&REGISTRY_YEAR.to_string()).expect("registry year is valid");
    for row in rows(
        Dataset::MainlandManufacturers,
        text,
        &mut headers,
        &["dimension", "key", "enterprises", "share_pct", "source"],
    )? {
        let dimension = match row.required("dimension")? {
            "total" => {
                if !row.text("key").is_empty() {
                    return Err(row.error("key", "must be empty for the total"));
                }
                RegistryDimension::Total
            }
            level @ ("province" | "city") => {
                let place = find_place(places, &row, "key")?;
                let expected = if level == "province" {
                    PlaceLevel::Region
                } else {
                    PlaceLevel::City
                };
                if place.place.level() != expected {
                    return Err(row.error(
                        "key",
                        format!(
                            "\"{}\" is a {}, not a {level}",
                            place.place.code(),
                            place.place.level().code()
                        ),
                    ));
                }
                let code = place.place.code().clone();
                if level == "province" {
                    RegistryDimension::Province(code)
                } else {
                    RegistryDimension::City(code)
                }
            }
            "sector" => RegistryDimension::Sector(row.parse("key", ManufacturingSector::parse)?),
            other => {
                return Err(row.error(
                    "dimension",
                    format!("\"{other}\" is not one of total, province, city, sector"),
                ))
            }
        };
        check_unique(
            &mut seen,
            &row,
            "key",
            format!("{}/{}", dimension.code(), dimension.key()),
        )?;
        out.push(RegistryCount {
            year,
            dimension,
            enterprises: row.parse("enterprises", |t| {
                t.parse::<u32>()
                    .map_err(|e| format!("\"{t}\" is not a whole number of enterprises: {e}"))
            })?,
            share: row.optional("share_pct", Percent::parse)?,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}

fn parse_announced(text: &str) -> Result<String, String> {
    let valid = match text.split_once('-') {
        None => text.len() == 4 && text.parse::<u16>().is_ok(),
        Some((year, month)) => {
            year.len() == 4
                && year.parse::<u16>().is_ok()
                && month.len() == 2
                && month.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        }
    };
    if !valid {
        return Err(format!(
            "\"{text}\" is not a year (2023) or a year and month (2023-10)"
        ));
    }
    Ok(text.to_owned())
}

fn parse_pledges(
    text: &str,
    sources: &SourceCheck,
    places: &[NamedPlace],
) -> Result<Vec<Pledge>, RefDataError> {
    let mut headers = csv::StringRecord::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let required = [
        "code",
        "title_en",
        "title_zh",
        "organisation_en",
        "organisation_zh",
        "place",
        "stage",
        "pledged_hkd_bn",
        "jobs",
        "period_years",
        "announced",
        "source",
    ];
    for row in rows(Dataset::Pledges, text, &mut headers, &required)? {
        let code = row.parse("code", parse_slug)?;
        check_unique(&mut seen, &row, "code", code.clone())?;
        let title = BilingualText::new(
            row.text("title_en").to_owned(),
            row.text("title_zh").to_owned(),
        )
        .map_err(|e| row.error("title_en", e))?;
        let organisation = BilingualText::new(
            row.text("organisation_en").to_owned(),
            row.text("organisation_zh").to_owned(),
        )
        .map_err(|e| row.error("organisation_en", e))?;
        let pledged = row.optional("pledged_hkd_bn", billions)?;
        if pledged.is_some_and(|m| m.cents() <= 0) {
            return Err(row.error("pledged_hkd_bn", "must be positive"));
        }
        out.push(Pledge {
            code,
            title,
            organisation,
            place: find_place(places, &row, "place")?.place.code().clone(),
            stage: row.parse("stage", ProjectStage::parse)?,
            pledged,
            jobs: row.optional("jobs", |t| {
                t.parse::<u32>().map_err(|e| format!("\"{t}\": {e}"))
            })?,
            period_years: row.optional("period_years", |t| match t.parse::<u8>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "\"{t}\" is not a whole number of years from 1 to 255"
                )),
            })?,
            announced: row.parse("announced", parse_announced)?,
            // Optional columns: older files without them still load.
            sector: row.optional("sector", |t| {
                ManufacturingSector::parse(t).map_err(|e| e.to_string())
            })?,
            programme: row.optional("programme", |t| {
                Programme::parse(t).map_err(|e| e.to_string())
            })?,
            source: sources.parse(&row)?,
        });
    }
    Ok(out)
}
