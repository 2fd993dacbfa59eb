//! `madeby stats`: reads the input files, calls the `stats` and `registry` engines and prints
//! their results as a table, JSON or CSV. The figures are the engines'; this module only opens
//! files, names things in English and lays out the output.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use stats::{Contribution, ContributionFinding, Figure, Target, TraceTerm};
use vocab::{IndustryComponent, Money, Scale};
use web::i18n::{Catalogs, Lang};

use crate::cli::{BadRows, ContributionRequest, RegistryRequest, StatsFormat, SynthRequest};

/// `stats contribution`: every figure of one year, from the shipped tables or a folder.
pub fn contribution(request: &ContributionRequest) -> anyhow::Result<()> {
    let (table, concordance) = match &request.data {
        Some(dir) => read_tables(dir)?,
        None => stats::study_2023(),
    };
    let years = table.years();
    if !years.contains(&request.year) {
        let available: Vec<String> = years.iter().map(ToString::to_string).collect();
        bail!(
            "no value-added data for {}; years available: {}",
            request.year,
            available.join(", ")
        );
    }
    let result = stats::contribution(&table, &concordance, request.year)
        .context("Failed to compute the contribution")?;
    let catalogs = catalogs()?;
    let rows = figure_rows(&result, &catalogs);
    let notes = notes(&result, &catalogs);
    match request.format {
        StatsFormat::Table => emit(&contribution_table(&result, &rows, &notes))?,
        StatsFormat::Json => emit(&json_text(&contribution_json(&result, &rows, &notes))?)?,
        StatsFormat::Csv => {
            write_csv(&contribution_csv(&rows))?;
            for note in &notes {
                eprintln!("note: {note}");
            }
        }
    }
    Ok(())
}

/// `stats registry`: count tables of a registry CSV.
pub fn registry(request: &RegistryRequest) -> anyhow::Result<()> {
    let path = &request.file;
    let file = File::open(path).with_context(|| format!("Failed to open {}", path.display()))?;
    let (tables, n_rejected) = match &request.bad_rows {
        BadRows::Fail => {
            let tables = registry::tabulate_csv(file, &request.dims)
                .with_context(|| path.display().to_string())?;
            (tables, None)
        }
        BadRows::Skip { rejected } => {
            let import = registry::read_registry(file, registry::BadRowPolicy::SkipBadRows)
                .with_context(|| path.display().to_string())?;
            let tables = registry::tabulate(&import.enterprises, &request.dims);
            write_rejected(rejected, &import)?;
            (tables, Some(import.rejected.len()))
        }
    };
    let names = PlaceAndSectorNames::load()?;
    match request.format {
        StatsFormat::Table => emit(&registry_table(request, &tables, &names))?,
        StatsFormat::Json => emit(&json_text(&registry_json(
            request, &tables, &names, n_rejected,
        ))?)?,
        StatsFormat::Csv => write_csv(&registry_csv(request, &tables, &names))?,
    }
    Ok(())
}

/// `stats synth-registry`: writes the synthetic registry, with a progress bar on a terminal.
pub fn synth_registry(request: &SynthRequest) -> anyhow::Result<()> {
    let path = &request.out;
    let file =
        File::create(path).with_context(|| format!("Failed to create {}", path.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        // One line per row, plus the header.
        let bar = ProgressBar::new(request.rows + 1);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {human_pos}/{human_len} rows ({per_sec}, {elapsed}, eta {eta})",
            )
            .expect("valid progress template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let mut writer = BufWriter::with_capacity(
        1 << 20,
        LineCounter {
            inner: file,
            bar: bar.clone(),
            bytes: 0,
        },
    );
    registry::write_synthetic(&mut writer, request.rows, request.seed)
        .and_then(|()| writer.flush())
        .with_context(|| format!("Failed to write {}", path.display()))?;
    let bytes = writer.get_ref().bytes;
    bar.finish_and_clear();
    println!(
        "Wrote {} synthetic rows ({:.1} MB, seed {}) to {} in {:.1} s.",
        thousands(request.rows),
        bytes as f64 / 1e6,
        request.seed,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    let fit = if request.rows == registry::PUBLISHED_TOTAL {
        "are exactly the study's published ones"
    } else {
        "are the study's published ones scaled in proportion"
    };
    println!(
        "The data is synthetic: the enterprises are made up; only their province, city and sector counts {fit}."
    );
    Ok(())
}

/// Counts the lines going through to the file, for the progress bar.
struct LineCounter {
    inner: File,
    bar: ProgressBar,
    bytes: u64,
}

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n_written = self.inner.write(buf)?;
        let written = &buf[..n_written];
        self.bytes += n_written as u64;
        self.bar
            .inc(written.iter().filter(|b| **b == b'\n').count() as u64);
        Ok(n_written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn read_tables(dir: &Path) -> anyhow::Result<(stats::ValueAddedTable, stats::Concordance)> {
    let open = |name: &str| {
        let path = dir.join(name);
        File::open(&path).with_context(|| format!("Failed to open {}", path.display()))
    };
    let context = || format!("Failed to read the tables in {}", dir.display());
    let table = stats::ValueAddedTable::from_csv(
        open(stats::table::LINES_FILE)?,
        open(stats::table::VALUES_FILE)?,
        open(stats::table::GDP_FILE)?,
    )
    .with_context(context)?;
    let concordance =
        stats::Concordance::from_csv(open(stats::concordance::CONCORDANCE_FILE)?, &table)
            .with_context(context)?;
    Ok((table, concordance))
}

fn write_rejected(path: &Path, import: &registry::Import) -> anyhow::Result<()> {
    let context = || format!("Failed to write the rejected rows to {}", path.display());
    let mut out = BufWriter::new(File::create(path).with_context(context)?);
    registry::write_rejected(&import.header, &import.rejected, &mut out).with_context(context)?;
    out.flush().with_context(context)?;
    let n_rejected = import.rejected.len();
    let rows = if n_rejected == 1 { "row" } else { "rows" };
    eprintln!(
        "Skipped {n_rejected} bad {rows}; written with their line and reason to {}",
        path.display()
    );
    Ok(())
}

fn catalogs() -> anyhow::Result<Catalogs> {
    Catalogs::load().context("The compiled-in name catalogs are invalid")
}

pub(crate) fn write_csv(records: &[Vec<String>]) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for record in records {
        out.write_record(record)?;
    }
    let bytes = out.into_inner().context("Failed to lay out the CSV")?;
    emit(&String::from_utf8_lossy(&bytes))
}

pub(crate) fn json_text(value: &Value) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Writes the output to standard output; a reader that stops early (`| head`) is not an error.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(err).context("Failed to write to standard output")
        }
        _ => Ok(()),
    }
}

/// Lays out rows of cells in columns separated by two spaces; `right[i]` right-aligns column i.
pub(crate) fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_columns)
        .map(|idx| {
            rows.iter()
                .filter_map(|row| row.get(idx))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (idx, cell) in row.iter().enumerate() {
            if idx > 0 {
                line.push_str("  ");
            }
            let pad = widths[idx] - cell.chars().count();
            if right.get(idx).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// 30971 as "30,971".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn billions(money: Money) -> String {
    money.format_scaled(Scale::Billion)
}

// ---- Contribution ----------------------------------------------------------------------

/// One printed figure of a contribution, in display order.
struct FigureRow<'a> {
    /// `component`, `subgroup`, `memo`, `total` or `producer_services`.
    kind: &'static str,
    /// The component code, or `all_industry` for the total.
    component: &'static str,
    subgroup: Option<&'static str>,
    name: String,
    /// Whether the row is part of the one above (a sub-group or an of-which figure).
    nested: bool,
    figure: &'a Figure,
}

fn figure_rows<'a>(result: &'a Contribution, catalogs: &Catalogs) -> Vec<FigureRow<'a>> {
    let component_name = |c: IndustryComponent| {
        catalogs
            .get(Lang::En, &format!("component.{}", c.code()))
            .to_owned()
    };
    let memos_of = |component: IndustryComponent| {
        result
            .memo_items
            .iter()
            .filter(move |memo| memo.target.component() == Some(component))
            .map(move |memo| FigureRow {
                kind: "memo",
                component: component.code(),
                subgroup: memo.target.subgroup().map(|s| s.code()),
                name: format!(
                    "of which: {}",
                    match memo.target.subgroup() {
                        Some(s) => catalogs
                            .get(Lang::En, &format!("subgroup.{}", s.code()))
                            .to_owned(),
                        None => memo.line.to_string(),
                    }
                ),
                nested: true,
                figure: &memo.figure,
            })
    };
    let mut rows = Vec::new();
    for component in &result.components {
        let code = component.component;
        rows.push(FigureRow {
            kind: "component",
            component: code.code(),
            subgroup: None,
            name: component_name(code),
            nested: false,
            figure: &component.figure,
        });
        if code == IndustryComponent::NewIndustries {
            for subgroup in &result.subgroups {
                rows.push(FigureRow {
                    kind: "subgroup",
                    component: code.code(),
                    subgroup: Some(subgroup.subgroup.code()),
                    name: catalogs
                        .get(Lang::En, &format!("subgroup.{}", subgroup.subgroup.code()))
                        .to_owned(),
                    nested: true,
                    figure: &subgroup.figure,
                });
            }
        }
        rows.extend(memos_of(code));
    }
    rows.push(FigureRow {
        kind: "total",
        component: "all_industry",
        subgroup: None,
        name: catalogs.get(Lang::En, "reference.all_industry").to_owned(),
        nested: false,
        figure: &result.industry_total,
    });
    rows.push(FigureRow {
        kind: "producer_services",
        component: IndustryComponent::ProducerServices.code(),
        subgroup: None,
        name: component_name(IndustryComponent::ProducerServices),
        nested: false,
        figure: &result.producer_services,
    });
    rows.extend(memos_of(IndustryComponent::ProducerServices));
    rows
}

fn target_name(target: Target, catalogs: &Catalogs) -> String {
    match (target.component(), target.subgroup()) {
        (_, Some(subgroup)) => catalogs
            .get(Lang::En, &format!("subgroup.{}", subgroup.code()))
            .to_owned(),
        (Some(component), None) => catalogs
            .get(Lang::En, &format!("component.{}", component.code()))
            .to_owned(),
        (None, None) => "outside industry".to_owned(),
    }
}

/// The findings, as sentences.
fn notes(result: &Contribution, catalogs: &Catalogs) -> Vec<String> {
    result
        .findings
        .iter()
        .map(|finding| match finding {
            ContributionFinding::NoGdp { year } => {
                format!("the table has no GDP for {year}, so no share of GDP is shown")
            }
            ContributionFinding::MissingValue {
                line,
                concordance_line,
                target,
            } => format!(
                "{line} has no value for {} (concordance.csv line {concordance_line}), so {} has no value",
                result.year,
                target_name(*target, catalogs)
            ),
        })
        .collect()
}

/// Where a figure's values come from: the distinct sources of its trace terms.
fn sources(figure: &Figure) -> String {
    let mut seen: Vec<String> = Vec::new();
    for term in &figure.trace {
        let source = term.value_source.to_string();
        if !seen.contains(&source) {
            seen.push(source);
        }
    }
    seen.join("; ")
}

fn value_text(figure: &Figure) -> Option<String> {
    figure.value.map(billions)
}

fn share_text(figure: &Figure) -> Option<String> {
    figure.share_percent_text(1)
}

fn contribution_table(result: &Contribution, rows: &[FigureRow], notes: &[String]) -> String {
    let mut out = format!(
        "Value added by component of industry, {} (HK$ billion; share of GDP in %)\n",
        result.year
    );
    match &result.gdp {
        Some(gdp) => out.push_str(&format!(
            "GDP {}: HK${} billion ({})\n\n",
            result.year,
            billions(gdp.value()),
            gdp.source()
        )),
        None => out.push_str(&format!("GDP {}: not in the table\n\n", result.year)),
    }
    let mut cells = vec![vec![
        "Component".to_owned(),
        "HK$ bn".to_owned(),
        "% of GDP".to_owned(),
        "Source".to_owned(),
    ]];
    for row in rows {
        let indent = if row.nested { "  " } else { "" };
        cells.push(vec![
            format!("{indent}{}", row.name),
            value_text(row.figure).unwrap_or_else(|| "n/a".to_owned()),
            share_text(row.figure).unwrap_or_else(|| "n/a".to_owned()),
            sources(row.figure),
        ]);
    }
    out.push_str(&aligned(&cells, &[false, true, true, false]));

    out.push_str("\nTrace (line value x concordance weight = contribution, HK$ bn):\n");
    for row in rows {
        out.push_str(&format!("  {}:\n", row.name));
        if !row.figure.missing_values.is_empty() {
            let lines: Vec<String> = row
                .figure
                .missing_values
                .iter()
                .map(ToString::to_string)
                .collect();
            out.push_str(&format!(
                "    (no value for {}: {})\n",
                result.year,
                lines.join(", ")
            ));
        } else if row.figure.trace.is_empty() {
            out.push_str("    (no concordance row)\n");
        }
        for term in &row.figure.trace {
            out.push_str(&format!(
                "    {} {} x {} = {}  (concordance.csv line {})\n",
                term.line,
                billions(term.line_value),
                term.weight,
                billions(term.contributed),
                term.concordance_line
            ));
        }
    }
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for note in notes {
            out.push_str(&format!("  - {note}\n"));
        }
    }
    out
}

fn trace_json(term: &TraceTerm) -> Value {
    json!({
        "line": term.line.to_string(),
        "line_name": term.line_name_en,
        "concordance_line": term.concordance_line,
        "weight": term.weight.to_string(),
        "line_value_hkd_bn": billions(term.line_value),
        "line_value_cents": term.line_value.cents(),
        "contributed_hkd_bn": billions(term.contributed),
        "contributed_cents": term.contributed.cents(),
        "source": term.value_source.to_string(),
    })
}

fn contribution_json(result: &Contribution, rows: &[FigureRow], notes: &[String]) -> Value {
    let figures: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "kind": row.kind,
                "component": row.component,
                "subgroup": row.subgroup,
                "name": row.name,
                "value_hkd_bn": value_text(row.figure),
                "value_cents": row.figure.value.map(Money::cents),
                "share_pct": share_text(row.figure),
                "source": sources(row.figure),
                "missing_values": row.figure.missing_values.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "trace": row.figure.trace.iter().map(trace_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "year": result.year.get(),
        "gdp": result.gdp.as_ref().map(|gdp| json!({
            "value_hkd_bn": billions(gdp.value()),
            "value_cents": gdp.value().cents(),
            "source": gdp.source().to_string(),
            "note": gdp.note(),
        })),
        "figures": figures,
        "notes": notes,
    })
}

fn contribution_csv(rows: &[FigureRow]) -> Vec<Vec<String>> {
    let mut records = vec![[
        "kind",
        "component",
        "subgroup",
        "name",
        "value_hkd_bn",
        "share_pct",
        "source",
    ]
    .map(str::to_owned)
    .to_vec()];
    for row in rows {
        records.push(vec![
            row.kind.to_owned(),
            row.component.to_owned(),
            row.subgroup.unwrap_or_default().to_owned(),
            row.name.clone(),
            value_text(row.figure).unwrap_or_default(),
            share_text(row.figure).unwrap_or_default(),
            sources(row.figure),
        ]);
    }
    records
}

// ---- Registry --------------------------------------------------------------------------

/// English names of places (from the reference data) and sectors (from the catalogs).
struct PlaceAndSectorNames {
    places: HashMap<String, String>,
    catalogs: Catalogs,
}

impl PlaceAndSectorNames {
    fn load() -> anyhow::Result<PlaceAndSectorNames> {
        let reference =
            refdata::ReferenceData::embedded().context("The embedded reference data is invalid")?;
        let places = reference
            .places
            .iter()
            .map(|named| (named.place.code().to_string(), named.name.en().to_owned()))
            .collect();
        Ok(PlaceAndSectorNames {
            places,
            catalogs: catalogs()?,
        })
    }

    /// The English name of a key, pairs joined by " / "; a place the reference data does not
    /// name shows its code in a pair and nothing alone.
    fn name(&self, key: &registry::Key) -> String {
        if let registry::Key::Province(code) | registry::Key::City(code) = key {
            return self.places.get(code.as_str()).cloned().unwrap_or_default();
        }
        let place = |code: &vocab::PlaceCode| {
            self.places
                .get(code.as_str())
                .cloned()
                .unwrap_or_else(|| code.to_string())
        };
        let sector = |sector: vocab::ManufacturingSector| {
            self.catalogs
                .get(Lang::En, &format!("sector.{}", sector.code()))
                .to_owned()
        };
        let mut parts = Vec::new();
        parts.extend(key.province().map(place));
        parts.extend(key.city().map(place));
        parts.extend(key.sector().map(sector));
        parts.join(" / ")
    }
}

fn shown_rows<'a>(
    request: &RegistryRequest,
    table: &'a registry::Table,
) -> &'a [registry::TableRow] {
    match request.top {
        Some(n) => table.top(n),
        None => table.rows(),
    }
}

fn status_counts(tables: &registry::Tables) -> Vec<(registry::Status, u64)> {
    registry::Status::ALL
        .into_iter()
        .map(|status| (status, tables.count_by_status(status)))
        .collect()
}

fn registry_table(
    request: &RegistryRequest,
    tables: &registry::Tables,
    names: &PlaceAndSectorNames,
) -> String {
    let statuses: Vec<String> = status_counts(tables)
        .into_iter()
        .map(|(status, n)| format!("{} {}", thousands(n), status.code()))
        .collect();
    let mut out = format!(
        "{}: {} rows ({}); tables count the {} operating enterprises\n",
        request.file.display(),
        thousands(tables.total_rows()),
        statuses.join(", "),
        thousands(tables.total_operating())
    );
    for table in tables.tables() {
        let rows = shown_rows(request, table);
        let of = if rows.len() < table.rows().len() {
            format!(" (top {} of {})", rows.len(), table.rows().len())
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\nBy {}{of}\n",
            table.dimension().code().replace('_', " and ")
        ));
        let mut cells = vec![["Rank", "Key", "Name", "Count", "Share %"]
            .map(str::to_owned)
            .to_vec()];
        for row in rows {
            cells.push(vec![
                row.rank().to_string(),
                row.key().to_string(),
                names.name(row.key()),
                thousands(row.count()),
                row.share().to_string(),
            ]);
        }
        out.push_str(&aligned(&cells, &[true, false, false, true, true]));
    }
    out
}

fn registry_json(
    request: &RegistryRequest,
    tables: &registry::Tables,
    names: &PlaceAndSectorNames,
    n_rejected: Option<usize>,
) -> Value {
    let by_status: serde_json::Map<String, Value> = status_counts(tables)
        .into_iter()
        .map(|(status, n)| (status.code().to_owned(), json!(n)))
        .collect();
    let tables_json: Vec<Value> = tables
        .tables()
        .iter()
        .map(|table| {
            let rows: Vec<Value> = shown_rows(request, table)
                .iter()
                .map(|row| {
                    let key = row.key();
                    json!({
                        "rank": row.rank(),
                        "key": key.to_string(),
                        "province": key.province().map(ToString::to_string),
                        "city": key.city().map(ToString::to_string),
                        "sector": key.sector().map(|s| s.code()),
                        "name": names.name(key),
                        "count": row.count(),
                        "share_pct": row.share().to_string(),
                    })
                })
                .collect();
            json!({
                "dimension": table.dimension().code(),
                "distinct_keys": table.rows().len(),
                "rows": rows,
            })
        })
        .collect();
    json!({
        "file": request.file.display().to_string(),
        "rows": tables.total_rows(),
        "operating": tables.total_operating(),
        "by_status": by_status,
        "rejected": n_rejected,
        "tables": tables_json,
    })
}

fn registry_csv(
    request: &RegistryRequest,
    tables: &registry::Tables,
    names: &PlaceAndSectorNames,
) -> Vec<Vec<String>> {
    let mut records = vec![["dimension", "rank", "key", "name", "count", "share_pct"]
        .map(str::to_owned)
        .to_vec()];
    for table in tables.tables() {
        for row in shown_rows(request, table) {
            records.push(vec![
                table.dimension().code().to_owned(),
                row.rank().to_string(),
                row.key().to_string(),
                names.name(row.key()),
                row.count().to_string(),
                row.share().to_string(),
            ]);
        }
    }
    records
}
