//! The command line in two stages: what the user typed (clap structs), then a checked
//! [`Config`] in domain types, built before any work starts.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use store::DatabaseUrl;
use vocab::{BilingualText, DisplayName, EmailAddress, OrgKind, Percent, Role, Year};

/// madeby: the platform for Hong Kong's new industrialisation.
///
/// One binary serves the bilingual web application and the JSON API, and runs the
/// administrative commands below. With no options it keeps its data in an embedded SQLite
/// database under ./madeby-data/.
#[derive(Debug, Parser)]
#[command(name = "madeby", version, propagate_version = true)]
pub struct Cli {
    /// Folder for the embedded SQLite database (ignored when --database is given).
    #[arg(
        long,
        global = true,
        env = "MADEBY_DATA",
        default_value = "madeby-data"
    )]
    pub data_dir: PathBuf,

    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database: Option<String>,

    /// Write logs as JSON lines (for log collectors).
    #[arg(long, global = true)]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web application and API (creates and loads the database on first start).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Reference data: reload it, or export every table as CSV.
    #[command(subcommand)]
    Data(DataCommand),
    /// Back up the whole database (every table, secrets included) into a new folder: a JSON-lines
    /// file per table and manifest.json with row counts and SHA-256 checksums.
    Backup {
        /// Folder to write (created; it must not hold files).
        dir: PathBuf,
    },
    /// Restore a backup folder into an empty database, all or nothing; a backup of either
    /// backend restores into either.
    Restore {
        /// The backup folder (holding manifest.json).
        dir: PathBuf,
    },
    /// Brand Hong Kong origin check.
    #[command(subcommand)]
    Origin(OriginCommand),
    /// Statistics: industry's contribution to GDP, the Mainland registry of Hong
    /// Kong-invested manufacturers, and survey tabulation.
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Thematic reports: self-contained, printable HTML with charts and CSV of every table.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Location benchmark: cost and rank candidate production sites for a project.
    #[command(subcommand)]
    Sites(SitesCommand),
    /// China+N network planning on the HiGHS MIP solver.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// The directory of enterprises, investors, providers, sites and pilot projects.
    #[command(subcommand)]
    Directory(DirectoryCommand),
    /// Match a request (JSON, as for POST /api/v1/match) to ranked candidates with reasons.
    Match {
        /// The request file.
        #[arg(long)]
        request: PathBuf,
        /// Candidates to show (1 to 200).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Funding schemes: screen a batch of applications (a CSV row each), or train the risk
    /// model (`madeby screen train HISTORY.csv`).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Screen {
        #[command(subcommand)]
        train: Option<ScreenCommand>,
        /// The applications (CSV; columns in docs/scheme-format.md).
        #[arg(required = true)]
        file: Option<PathBuf>,
        /// A shipped scheme (smart-production-line, rd-cash-rebate, technology-voucher) or a
        /// scheme file (.toml).
        #[arg(long, required = true)]
        scheme: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

/// `madeby screen train`.
#[derive(Debug, Subcommand)]
pub enum ScreenCommand {
    /// Train the risk model on past decisions and report its AUC on held-out ones.
    Train {
        /// The history (CSV: the application columns plus funding_cap and decision).
        history: PathBuf,
        /// Write the trained model here (JSON).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Directory commands.
#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Generate a synthetic directory (labelled synthetic), into the database or a file.
    Synth {
        /// Producer-service providers.
        #[arg(long, default_value_t = 2_000)]
        providers: u64,
        /// Enterprises.
        #[arg(long, default_value_t = 5_000)]
        enterprises: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Write JSON lines here instead of loading the database (for scale work: 1,000,000
        /// entries and more).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Search the directory in English or Chinese.
    Search {
        /// The words, e.g. "testing Chongqing" or "檢測 重慶".
        query: String,
        /// Kinds, comma-separated (enterprise, investor, provider, site, project).
        #[arg(long)]
        kind: Option<String>,
        /// Service codes, comma-separated.
        #[arg(long)]
        service: Option<String>,
        /// Region codes, comma-separated.
        #[arg(long)]
        region: Option<String>,
        /// Sector codes, comma-separated.
        #[arg(long)]
        sector: Option<String>,
        /// Hits to show (1 to 100).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

/// Planner commands.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Solve a production network model (JSON; see docs/network-model.md) and, with
    /// --scenario or --all-scenarios, its scenarios side by side with the base.
    Solve {
        /// The model file; `example` for the shipped Hong Kong electronics maker.
        model: PathBuf,
        /// A scenario of the model to solve beside the base (repeatable).
        #[arg(long)]
        scenario: Vec<String>,
        /// Solve every scenario of the model beside the base.
        #[arg(long, conflicts_with = "scenario")]
        all_scenarios: bool,
        /// Stop after this many seconds per solve (the best plan so far is shown, marked).
        #[arg(long)]
        time_limit: Option<f64>,
        /// Relative gap at which to stop (e.g. 0.001); default: a proven optimum.
        #[arg(long)]
        gap: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: PlanSolveFormat,
    },
    /// Solve an OR-Library capacitated facility location instance and print the objective,
    /// whether it is proven optimal, the gap and the time.
    Orlib {
        /// The instance file.
        file: PathBuf,
        /// Each customer served by exactly one facility.
        #[arg(long)]
        single_source: bool,
        /// The file is in OR-Library's original layout (per customer: demand, then costs).
        #[arg(long)]
        original: bool,
        /// Stop after this many seconds (the best solution so far is reported, not proven).
        #[arg(long)]
        time_limit: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: PlanFormat,
    },
}

/// How to print an OR-Library solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// One line of text.
    Text,
    /// JSON with objective, optimal, gap, bound, seconds, open facilities and status.
    Json,
}

/// How to print a network plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanSolveFormat {
    /// Plants, flows, costs and the scenario comparison as tables.
    Table,
    /// The whole comparison as JSON (exact cents).
    Json,
}

/// A checked `madeby plan solve`.
#[derive(Debug)]
pub struct PlanSolveRequest {
    /// The model file, or `None` for the shipped example.
    pub model: Option<PathBuf>,
    /// Which scenarios beside the base.
    pub scenarios: planner::ScenarioSelection,
    /// Solver limits.
    pub options: planner::NetworkOptions,
    /// Output format.
    pub format: PlanSolveFormat,
}

/// A checked `madeby plan orlib`.
#[derive(Debug)]
pub struct PlanOrlibRequest {
    /// The instance file.
    pub file: PathBuf,
    /// OR-Library's own layout.
    pub original: bool,
    /// Single sourcing and the time limit.
    pub options: planner::SolveOptions,
    /// Output format.
    pub format: PlanFormat,
}

/// Location benchmark commands.
#[derive(Debug, Subcommand)]
pub enum SitesCommand {
    /// Cost a project profile at each candidate and rank them by weighted sum and TOPSIS.
    Rank {
        /// Project profile (TOML); the shipped ones are in crates/siting/profiles/.
        #[arg(long)]
        profile: PathBuf,
        /// Location codes to compare, comma-separated (default: all).
        #[arg(long, value_delimiter = ',')]
        candidates: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: SitesFormat,
    },
}

/// How to print a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SitesFormat {
    /// An aligned table.
    Table,
    /// JSON (the whole ranking, with costs, sensitivity and tornado data).
    Json,
}

/// Report commands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Industry's contribution, producer services and the Mainland registry, in one HTML file.
    Industry {
        /// Language: en or zh-HK.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Where to write the HTML file.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Statistics commands; none of them needs the database.
#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Value added and share of GDP per component and sub-group of industry, the total and
    /// producer services, with the trace of every figure.
    Contribution {
        /// The year, e.g. 2023.
        #[arg(long)]
        year: String,
        /// A folder holding lines.csv, values.csv, gdp.csv and concordance.csv to use instead
        /// of the study's shipped tables.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
    },
    /// Count operating enterprises in a registry CSV by province, city, sector and their pairs.
    Registry {
        /// The registry CSV (id,name,province,city,sector,status,year_established[,...]).
        file: PathBuf,
        /// Tables to print: province, city, sector, province_sector, province_city or
        /// city_sector; repeat the option or give a comma-separated list [default: province,
        /// city, sector].
        #[arg(long, value_delimiter = ',')]
        by: Vec<String>,
        /// Print only the first N rows of each table.
        #[arg(long)]
        top: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
        /// Count the good rows and write the bad ones to --rejected, instead of failing at the
        /// first bad row.
        #[arg(long, requires = "rejected")]
        skip_bad_rows: bool,
        /// Where --skip-bad-rows writes the rejected rows (CSV with their line and reason).
        #[arg(long, requires = "skip_bad_rows")]
        rejected: Option<PathBuf>,
    },
    /// Write a synthetic registry CSV whose province, city and sector counts are the study's.
    SynthRegistry {
        /// Number of rows; at the default the counts are exactly the published ones, at other
        /// sizes they are scaled in proportion.
        #[arg(long, default_value_t = registry::PUBLISHED_TOTAL)]
        rows: u64,
        /// Seed of the random order; the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The file to write (replaced if it exists).
        #[arg(long)]
        out: PathBuf,
    },
    /// Tabulate survey responses: count, percentage and 95% Wilson interval of every option,
    /// optionally by a segment column.
    #[command(after_long_help = crate::survey_cmd::SPEC_HELP)]
    Survey {
        /// The responses CSV: a row per respondent, a column per question (options of a
        /// multiple-choice answer separated by `;`), and any segment columns.
        file: PathBuf,
        /// The survey specification (TOML; the format is described below).
        #[arg(long)]
        spec: PathBuf,
        /// Tabulate only this question (a column named in the specification) [default: every
        /// question].
        #[arg(long)]
        question: Option<String>,
        /// Also cross-tabulate each question by this column of the responses, e.g.
        /// revenue_band.
        #[arg(long)]
        by: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
    },
    /// Print every sample size up to --max that is consistent with all the published
    /// percentages, each rounded half up to the decimals it is written with.
    SampleSizes {
        /// The published percentages, e.g. 67.3 63.6 36.4.
        #[arg(required = true, num_args = 1..)]
        percentages: Vec<String>,
        /// The largest sample size to try.
        #[arg(long, default_value_t = 500)]
        max: u32,
    },
}

/// How to print statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// An aligned text table.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
}

/// Origin commands.
#[derive(Debug, Subcommand)]
pub enum OriginCommand {
    /// Check a product file (TOML: bill of materials and process steps) against the origin rule
    /// of its class, showing every term of the computation and the cheapest change to qualify.
    Check {
        /// The product file.
        file: PathBuf,
        /// A rule book (TOML) to use instead of the built-in one.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Readable text (a table for batches; `table` is the same).
    #[value(alias = "table")]
    Text,
    /// JSON.
    Json,
}

/// User commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; prints a one-time password unless --password-stdin is given.
    Add(UserAddArgs),
}

/// Arguments of `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Sign-in email.
    #[arg(long)]
    pub email: String,
    /// Name shown on pages.
    #[arg(long)]
    pub name: String,
    /// Role: enterprise, investor, provider, officer, analyst or admin.
    #[arg(long)]
    pub role: String,
    /// Organisation (English name); created if it does not exist. Required except for admins.
    #[arg(long)]
    pub org: Option<String>,
    /// Chinese name of a new organisation (defaults to the English name).
    #[arg(long)]
    pub org_zh: Option<String>,
    /// Kind of a new organisation: enterprise, investor, service_provider, site_operator, government or research.
    #[arg(long, default_value = "enterprise")]
    pub org_kind: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Data commands.
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Reload the reference data (all or nothing): the built-in copy, or a folder of CSV files.
    Load {
        /// Folder holding the same CSV files as the repository's data/ folder.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Write every table as CSV into a folder (secrets redacted).
    Export {
        /// Folder to write into (created if missing).
        dir: PathBuf,
    },
}

/// A checked `stats contribution` request.
#[derive(Debug)]
pub struct ContributionRequest {
    pub year: Year,
    /// `None`: the study's shipped tables.
    pub data: Option<PathBuf>,
    pub format: StatsFormat,
}

/// A checked `stats registry` request.
#[derive(Debug)]
pub struct RegistryRequest {
    pub file: PathBuf,
    /// Each dimension once, in the order given.
    pub dims: Vec<registry::Dimension>,
    pub top: Option<usize>,
    pub format: StatsFormat,
    pub bad_rows: BadRows,
}

/// What `stats registry` does with a bad row.
#[derive(Debug)]
pub enum BadRows {
    /// Fail the command, naming the line.
    Fail,
    /// Count the good rows and write the bad ones to this file.
    Skip { rejected: PathBuf },
}

/// A checked `stats synth-registry` request.
#[derive(Debug)]
pub struct SynthRequest {
    pub rows: u64,
    pub seed: u64,
    pub out: PathBuf,
}

/// A checked `stats survey` request.
#[derive(Debug)]
pub struct SurveyRequest {
    pub file: PathBuf,
    pub spec: PathBuf,
    /// `None`: every question of the specification.
    pub question: Option<String>,
    pub by: Option<String>,
    pub format: StatsFormat,
}

/// A checked `stats sample-sizes` request.
#[derive(Debug)]
pub struct SampleSizesRequest {
    /// Each percentage as written (without a `%` sign) and the decimals it is written with.
    pub percentages: Vec<(String, u8)>,
    pub max: u32,
}

/// A checked `user add` request.
#[derive(Debug)]
pub struct UserAddRequest {
    pub email: EmailAddress,
    pub name: DisplayName,
    pub role: Role,
    pub org: Option<(BilingualText, OrgKind)>,
    pub password: Option<String>,
}

/// What to run, checked.
#[derive(Debug)]
pub enum Invocation {
    Serve {
        addr: SocketAddr,
    },
    Migrate,
    UserAdd(UserAddRequest),
    DataLoad {
        from: Option<PathBuf>,
    },
    DataExport {
        dir: PathBuf,
    },
    Backup {
        dir: PathBuf,
    },
    Restore {
        dir: PathBuf,
    },
    OriginCheck {
        product: PathBuf,
        rules: Option<PathBuf>,
        format: OutputFormat,
    },
    StatsContribution(ContributionRequest),
    StatsRegistry(RegistryRequest),
    StatsSynth(SynthRequest),
    StatsSurvey(SurveyRequest),
    StatsSampleSizes(SampleSizesRequest),
    ReportIndustry {
        lang: web::i18n::Lang,
        out: PathBuf,
    },
    SitesRank {
        profile: PathBuf,
        candidates: Vec<String>,
        format: SitesFormat,
    },
    PlanSolve(PlanSolveRequest),
    PlanOrlib(PlanOrlibRequest),
    DirectorySynth(crate::directory_cmd::DirectorySynthRequest),
    DirectorySearch {
        params: web::api::directory::SearchParams,
        format: OutputFormat,
    },
    Match {
        request: PathBuf,
        limit: usize,
        format: OutputFormat,
    },
    Screen(crate::screen_cmd::ScreenRequest),
    ScreenTrain(crate::screen_cmd::TrainRequest),
}

/// The checked configuration of one run.
#[derive(Debug)]
pub struct Config {
    pub database: DatabaseUrl,
    pub invocation: Invocation,
}

impl Config {
    pub fn from_cli(cli: Cli) -> anyhow::Result<Config> {
        let database = match &cli.database {
            Some(url) => DatabaseUrl::parse(url).context("--database")?,
            None => DatabaseUrl::sqlite_in(&cli.data_dir),
        };
        let invocation = match cli.command {
            Command::Serve { addr } => Invocation::Serve {
                addr: addr.parse().with_context(|| {
                    format!("--addr: \"{addr}\" is not an address like 127.0.0.1:8080")
                })?,
            },
            Command::Migrate => Invocation::Migrate,
            Command::User(UserCommand::Add(args)) => Invocation::UserAdd(user_add(args)?),
            Command::Data(DataCommand::Load { from }) => {
                if let Some(dir) = &from {
                    if !dir.is_dir() {
                        bail!("--from: {} is not a folder", dir.display());
                    }
                }
                Invocation::DataLoad { from }
            }
            Command::Data(DataCommand::Export { dir }) => Invocation::DataExport { dir },
            Command::Backup { dir } => {
                let holds_files = std::fs::read_dir(&dir).map(|mut d| d.next().is_some());
                if dir.exists() && !matches!(holds_files, Ok(false)) {
                    bail!(
                        "{}: already exists and is not an empty folder; back up into a new folder",
                        dir.display()
                    );
                }
                Invocation::Backup { dir }
            }
            Command::Restore { dir } => {
                if !dir.join(store::BACKUP_MANIFEST).is_file() {
                    bail!(
                        "{}: no {} there; give a folder written by madeby backup",
                        dir.display(),
                        store::BACKUP_MANIFEST
                    );
                }
                Invocation::Restore { dir }
            }
            Command::Origin(OriginCommand::Check {
                file,
                rules,
                format,
            }) => Invocation::OriginCheck {
                product: file,
                rules,
                format,
            },
            Command::Stats(command) => stats(command)?,
            Command::Plan(command) => plan(command)?,
            Command::Directory(DirectoryCommand::Synth {
                providers,
                enterprises,
                seed,
                out,
            }) => Invocation::DirectorySynth(crate::directory_cmd::DirectorySynthRequest {
                plan: directory::synth::Plan::with_providers_and_enterprises(
                    providers,
                    enterprises,
                ),
                seed,
                out,
            }),
            Command::Directory(DirectoryCommand::Search {
                query,
                kind,
                service,
                region,
                sector,
                limit,
                format,
            }) => Invocation::DirectorySearch {
                params: web::api::directory::SearchParams {
                    q: Some(query),
                    kind,
                    service,
                    region,
                    sector,
                    limit: Some(limit),
                    offset: None,
                },
                format,
            },
            Command::Match {
                request,
                limit,
                format,
            } => {
                if !(1..=directory::MAX_MATCHES).contains(&limit) {
                    bail!(
                        "--limit: {limit} is not from 1 to {}",
                        directory::MAX_MATCHES
                    );
                }
                if !request.is_file() {
                    bail!("--request: {}: no such file", request.display());
                }
                Invocation::Match {
                    request,
                    limit,
                    format,
                }
            }
            Command::Screen {
                train: Some(ScreenCommand::Train { history, out }),
                ..
            } => Invocation::ScreenTrain(crate::screen_cmd::TrainRequest { history, out }),
            Command::Screen {
                train: None,
                file,
                scheme,
                format,
            } => Invocation::Screen(crate::screen_cmd::ScreenRequest {
                file: file.context("FILE: give the applications CSV")?,
                scheme: scheme.context("--scheme: name the scheme")?,
                format,
            }),
            Command::Sites(SitesCommand::Rank {
                profile,
                candidates,
                format,
            }) => Invocation::SitesRank {
                profile,
                candidates,
                format,
            },
            Command::Report(ReportCommand::Industry { lang, out }) => Invocation::ReportIndustry {
                lang: web::i18n::Lang::parse(&lang).with_context(|| {
                    format!("--lang: \"{lang}\" is not a language; use en or zh-HK")
                })?,
                out,
            },
        };
        Ok(Config {
            database,
            invocation,
        })
    }
}

fn time_limit(limit: Option<f64>) -> anyhow::Result<Option<f64>> {
    if let Some(limit) = limit {
        if !(limit.is_finite() && limit > 0.0) {
            bail!("--time-limit: {limit} is not a positive number of seconds");
        }
    }
    Ok(limit)
}

fn plan(command: PlanCommand) -> anyhow::Result<Invocation> {
    Ok(match command {
        PlanCommand::Solve {
            model,
            scenario,
            all_scenarios,
            time_limit: limit,
            gap,
            format,
        } => {
            if let Some(gap) = gap {
                if !(gap.is_finite() && (0.0..1.0).contains(&gap)) {
                    bail!("--gap: {gap} is not a relative gap in 0..1");
                }
            }
            let model = (model.as_os_str() != "example").then_some(model);
            if let Some(path) = &model {
                if !path.is_file() {
                    bail!("{}: no such file", path.display());
                }
            }
            let scenarios = if all_scenarios {
                planner::ScenarioSelection::All
            } else if scenario.is_empty() {
                planner::ScenarioSelection::None
            } else {
                planner::ScenarioSelection::Named(scenario)
            };
            Invocation::PlanSolve(PlanSolveRequest {
                model,
                scenarios,
                options: planner::NetworkOptions {
                    time_limit: time_limit(limit)?,
                    mip_gap: gap,
                },
                format,
            })
        }
        PlanCommand::Orlib {
            file,
            single_source,
            original,
            time_limit: limit,
            format,
        } => Invocation::PlanOrlib(PlanOrlibRequest {
            file,
            original,
            options: planner::SolveOptions {
                single_source,
                time_limit: time_limit(limit)?,
                mip_gap: None,
            },
            format,
        }),
    })
}

fn stats(command: StatsCommand) -> anyhow::Result<Invocation> {
    Ok(match command {
        StatsCommand::Contribution { year, data, format } => {
            if let Some(dir) = &data {
                if !dir.is_dir() {
                    bail!("--data: {} is not a folder", dir.display());
                }
            }
            Invocation::StatsContribution(ContributionRequest {
                year: Year::parse(&year).context("--year")?,
                data,
                format,
            })
        }
        StatsCommand::Registry {
            file,
            by,
            top,
            format,
            skip_bad_rows,
            rejected,
        } => {
            let bad_rows = match (skip_bad_rows, rejected) {
                (true, Some(rejected)) => BadRows::Skip { rejected },
                (true, None) => bail!("--skip-bad-rows needs --rejected FILE for the bad rows"),
                (false, Some(_)) => bail!("--rejected is only used with --skip-bad-rows"),
                (false, None) => BadRows::Fail,
            };
            Invocation::StatsRegistry(RegistryRequest {
                file,
                dims: dimensions(&by)?,
                top,
                format,
                bad_rows,
            })
        }
        StatsCommand::SynthRegistry { rows, seed, out } => {
            Invocation::StatsSynth(SynthRequest { rows, seed, out })
        }
        StatsCommand::Survey {
            file,
            spec,
            question,
            by,
            format,
        } => {
            let name = |flag: &str, value: Option<String>| match value {
                Some(text) if text.trim().is_empty() => bail!("{flag}: must name a column"),
                other => Ok(other),
            };
            Invocation::StatsSurvey(SurveyRequest {
                file,
                spec,
                question: name("--question", question)?,
                by: name("--by", by)?,
                format,
            })
        }
        StatsCommand::SampleSizes { percentages, max } => {
            if max == 0 {
                bail!("--max: must be at least 1");
            }
            let percentages = percentages
                .iter()
                .map(|text| published_percentage(text))
                .collect::<anyhow::Result<_>>()?;
            Invocation::StatsSampleSizes(SampleSizesRequest { percentages, max })
        }
    })
}

/// A published percentage as written (`67.3` or `67.3%`) and its number of decimals.
fn published_percentage(text: &str) -> anyhow::Result<(String, u8)> {
    let number = text.trim().trim_end_matches('%').trim_end();
    let percent = match Percent::parse(number) {
        Ok(percent) => percent,
        Err(err) => bail!("percentage {text:?}: {err}"),
    };
    if !(0..=100_000_000).contains(&percent.millionths()) {
        bail!("percentage {text:?}: is not between 0 and 100");
    }
    Ok((number.to_owned(), percent.decimals()))
}

/// Parses `--by` values; pairs are written `province_sector` (or `province+sector`), since a
/// comma separates tables.
fn dimensions(by: &[String]) -> anyhow::Result<Vec<registry::Dimension>> {
    use registry::Dimension;
    if by.is_empty() {
        return Ok(vec![
            Dimension::Province,
            Dimension::City,
            Dimension::Sector,
        ]);
    }
    let mut dims = Vec::new();
    for text in by {
        let wanted = text.trim().to_ascii_lowercase().replace(['+', '-'], "_");
        let Some(dim) = Dimension::ALL.into_iter().find(|d| d.code() == wanted) else {
            bail!(
                "--by: unknown table {text:?}; use province, city, sector, province_sector, \
                 province_city or city_sector"
            );
        };
        if !dims.contains(&dim) {
            dims.push(dim);
        }
    }
    Ok(dims)
}

fn user_add(args: UserAddArgs) -> anyhow::Result<UserAddRequest> {
    let email = EmailAddress::parse(&args.email).context("--email")?;
    let name = DisplayName::parse(&args.name).context("--name")?;
    let role = Role::parse(&args.role).context("--role")?;
    let org = match args.org {
        Some(en) => {
            let zh = args.org_zh.unwrap_or_else(|| en.clone());
            let kind = OrgKind::parse(&args.org_kind).context("--org-kind")?;
            Some((BilingualText::new(en, zh).context("--org")?, kind))
        }
        None if role != Role::Admin => bail!(
            "--org: a user with role {} must belong to an organisation",
            role.code()
        ),
        None => None,
    };
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("Failed to read the password from standard input")?;
        Some(line.trim_end_matches(['\n', '\r']).to_owned())
    } else {
        None
    };
    Ok(UserAddRequest {
        email,
        name,
        role,
        org,
        password,
    })
}
