//! The `madeby` binary: parses the command line, sets up logging, opens the store and hands
//! each subcommand to the crate that does the work. No logic of its own lives here.

mod backup_cmd;
mod cli;
mod directory_cmd;
mod plan_cmd;
mod screen_cmd;
mod stats_cmd;
mod survey_cmd;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use store::{Actor, AuditContext, NewUser, Store};
use vocab::{DisplayName, EmailAddress, Role};

use crate::cli::{Cli, Config, Invocation};

/// mimalloc instead of glibc's malloc: a page render allocates and frees thousands of small
/// strings, and under load glibc's allocator took a fifth of the server's time (`perf` on
/// `GET /stats`). Measured side by side under wrk, mimalloc served the ranking page a quarter
/// faster and `/stats` and directory search a tenth faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli);
    let config = match Config::from_cli(cli) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cli.log_json {
        builder.json().init();
    } else {
        builder.with_ansi(std::io::stderr().is_terminal()).init();
    }
}

fn cli_context() -> AuditContext {
    AuditContext {
        actor: Actor::CommandLine,
        request_id: "cli".to_owned(),
    }
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect(&config.database)
        .await
        .context("Failed to open the database")?;
    store
        .migrate()
        .await
        .context("Failed to apply migrations")?;
    Ok(store)
}

async fn run(config: Config) -> anyhow::Result<()> {
    match &config.invocation {
        Invocation::Serve { addr } => serve(&config, *addr).await,
        Invocation::Migrate => {
            open_store(&config).await?;
            println!("Database {} is at the latest schema.", config.database);
            Ok(())
        }
        Invocation::UserAdd(request) => {
            let store = open_store(&config).await?;
            add_user(&store, request).await
        }
        Invocation::DataLoad { from } => {
            let store = open_store(&config).await?;
            load_reference(&store, from.as_deref()).await.map(|_| ())
        }
        Invocation::OriginCheck {
            product,
            rules,
            format,
        } => origin_check(product, rules.as_deref(), *format),
        Invocation::StatsContribution(request) => stats_cmd::contribution(request),
        Invocation::StatsRegistry(request) => stats_cmd::registry(request),
        Invocation::StatsSynth(request) => stats_cmd::synth_registry(request),
        Invocation::StatsSurvey(request) => survey_cmd::survey(request),
        Invocation::StatsSampleSizes(request) => survey_cmd::sample_sizes(request),
        Invocation::ReportIndustry { lang, out } => report_industry(*lang, out),
        Invocation::PlanSolve(request) => plan_cmd::solve(request),
        Invocation::PlanOrlib(request) => plan_cmd::orlib(request),
        Invocation::DirectorySynth(request) => {
            let store = match request.out {
                Some(_) => None,
                None => Some(open_store(&config).await?),
            };
            directory_cmd::synth(store.as_ref(), &cli_context(), request).await
        }
        Invocation::DirectorySearch { params, format } => {
            let store = open_store(&config).await?;
            directory_cmd::search(&store, params, *format).await
        }
        Invocation::Match {
            request,
            limit,
            format,
        } => {
            let store = open_store(&config).await?;
            directory_cmd::match_file(&store, request, *limit, *format).await
        }
        Invocation::Screen(request) => screen_cmd::screen(request),
        Invocation::ScreenTrain(request) => screen_cmd::train_model(request),
        Invocation::SitesRank {
            profile,
            candidates,
            format,
        } => sites_rank(profile, candidates, *format),
        Invocation::DataExport { dir } => {
            let store = open_store(&config).await?;
            export(&store, dir).await
        }
        Invocation::Backup { dir } => {
            let store = open_store(&config).await?;
            backup_cmd::backup(&store, dir).await
        }
        Invocation::Restore { dir } => {
            let store = open_store(&config).await?;
            backup_cmd::restore(&store, dir).await
        }
    }
}

async fn serve(config: &Config, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    if store.last_reference_load().await?.is_none() {
        eprintln!(
            "First start: loading the reference data into {}",
            config.database
        );
        load_reference(&store, None).await?;
    }
    if store.directory_count().await? == 0 {
        eprintln!("First start: loading the demonstration directory (labelled synthetic)");
        directory_cmd::synth(
            Some(&store),
            &cli_context(),
            &directory_cmd::DirectorySynthRequest {
                plan: directory::synth::Plan::DEMO,
                seed: 2026,
                out: None,
            },
        )
        .await?;
    }
    if store.count_users().await? == 0 {
        create_first_admin(&store).await?;
    }
    let state = web::AppState::new(store.clone(), web::WebConfig::local())?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("Failed to listen on {addr}"))?;
    let bound = listener.local_addr()?;
    println!(
        "madeby is serving on http://{bound}/  (database: {}; stop with Ctrl-C)",
        store.backend().code()
    );
    tracing::info!(%bound, backend = store.backend().code(), "serving");
    web::serve(listener, state, shutdown_signal())
        .await
        .context("Server failed")?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The first administrator gets a generated one-time password, printed once and never stored
/// in clear; there is no default password.
async fn create_first_admin(store: &Store) -> anyhow::Result<()> {
    let password = auth::NewPassword::generate();
    let hash = auth::hash_password(&password)?;
    let user = NewUser {
        email: EmailAddress::parse("admin@madeby.local")?,
        display_name: DisplayName::parse("Administrator")?,
        role: Role::Admin,
        org: None,
        password_hash: hash,
        must_change_password: true,
    };
    let ctx = AuditContext {
        actor: Actor::System,
        request_id: "first-start".to_owned(),
    };
    store
        .create_user(&ctx, &user)
        .await
        .context("Failed to create the first administrator")?;
    println!();
    println!("  First start: created the administrator account.");
    println!("    email:              admin@madeby.local");
    println!("    one-time password:  {}", password.expose());
    println!("  This password is shown once. Sign in and you will be asked to choose your own.");
    println!();
    Ok(())
}

async fn load_reference(store: &Store, from: Option<&Path>) -> anyhow::Result<i64> {
    let (data, origin) = match from {
        Some(dir) => (
            refdata::ReferenceData::from_dir(dir)
                .context("Reference data not loaded; the database is unchanged")?,
            dir.display().to_string(),
        ),
        None => (
            refdata::ReferenceData::embedded().context("The embedded reference data is invalid")?,
            "embedded".to_owned(),
        ),
    };
    let rows = store
        .load_reference(&cli_context(), &data, &origin)
        .await
        .context("Failed to store the reference data")?;
    eprintln!(
        "Loaded {rows} reference rows from {origin} ({} datasets).",
        refdata::Dataset::ALL.len()
    );
    Ok(rows)
}

async fn add_user(store: &Store, request: &cli::UserAddRequest) -> anyhow::Result<()> {
    let (password, generated) = match &request.password {
        Some(p) => (auth::NewPassword::parse(p.clone())?, false),
        None => (auth::NewPassword::generate(), true),
    };
    let hash = auth::hash_password(&password)?;
    let user = NewUser {
        email: request.email.clone(),
        display_name: request.name.clone(),
        role: request.role,
        org: None,
        password_hash: hash,
        must_change_password: generated,
    };
    let id = match &request.org {
        Some((name, kind)) => {
            store
                .create_user_joining(&cli_context(), &user, name, *kind)
                .await?
                .0
        }
        None => store.create_user(&cli_context(), &user).await?,
    };
    println!(
        "Created user {} ({}) with id {id}.",
        request.email.as_str(),
        request.role.code()
    );
    if generated {
        println!("One-time password (shown once): {}", password.expose());
    }
    Ok(())
}

/// Runs the origin check on files; needs no database. Errors name the file and the line.
fn origin_check(
    product: &Path,
    rules: Option<&Path>,
    format: cli::OutputFormat,
) -> anyhow::Result<()> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("Failed to read {}", path.display()))
    };
    let rules = match rules {
        Some(path) => origin::RuleBook::parse(&read(path)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        None => origin::default_rules(),
    };
    let product = origin::Product::parse(&rules, &read(product)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", product.display()))?;
    let report = origin::check(&rules, &product)?;
    match format {
        cli::OutputFormat::Text => print!("{report}"),
        cli::OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}

/// Ranks candidate locations for a profile; needs no database.
fn sites_rank(
    profile: &Path,
    candidates: &[String],
    format: cli::SitesFormat,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(profile)
        .with_context(|| format!("Failed to read {}", profile.display()))?;
    let profile_value = siting::Profile::from_toml(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", profile.display()))?;
    let data = siting::LocationData::shipped();
    let candidates = if candidates.is_empty() {
        data.all_candidates()
    } else {
        let codes: Vec<&str> = candidates.iter().map(String::as_str).collect();
        data.candidates(&codes).context("--candidates")?
    };
    let ranking = siting::rank(
        &data,
        &profile_value,
        &candidates,
        &siting::Weights::cost_first(),
    )?;
    match format {
        cli::SitesFormat::Json => println!("{}", serde_json::to_string_pretty(&ranking)?),
        cli::SitesFormat::Table => {
            // Yearly items in HK$ million (one decimal) and net present cost in HK$ million;
            // the exact cents are in --format json.
            let millions = plan_cmd::millions;
            println!(
                "{:>3}  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11} {:>8} {:>6} {:>6}",
                "#",
                "location",
                "labour",
                "occupancy",
                "utilities",
                "freight",
                "tariffs",
                "tax",
                "incentive",
                "NPC",
                "per HK$",
                "score",
                "TOPSIS"
            );
            for row in &ranking.rows {
                let y = &row.costing.yearly;
                println!(
                    "{:>3}  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11} {:>8.3} {:>6.3} {:>6}",
                    row.weighted_sum_rank,
                    row.code,
                    millions(y.labour),
                    millions(y.occupancy),
                    millions(y.utilities),
                    millions(y.freight),
                    millions(y.tariffs),
                    millions(y.profits_tax),
                    millions(y.incentives),
                    millions(row.costing.net_present_cost),
                    row.costing.cost_per_hkd_output,
                    row.weighted_sum,
                    row.topsis_rank
                );
            }
            println!("Amounts in HK$ million: yearly cost items, and NPC = net present cost over the horizon.");
            println!("Indicator values are indicative (no source document gives them); weights: cost 3, others 1.");
        }
    }
    Ok(())
}

/// Writes the industry report from the built-in reference data; needs no database.
fn report_industry(lang: web::i18n::Lang, out: &Path) -> anyhow::Result<()> {
    let data =
        refdata::ReferenceData::embedded().context("The embedded reference data is invalid")?;
    let html = web::report::industry_report(lang, &data)?;
    std::fs::write(out, html).with_context(|| format!("Failed to write {}", out.display()))?;
    println!(
        "Wrote the industry report ({}) to {}",
        lang.code(),
        out.display()
    );
    Ok(())
}

async fn export(store: &Store, dir: &Path) -> anyhow::Result<()> {
    let tables = Store::exported_tables();
    let bar = ProgressBar::new(tables.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .expect("valid progress template"),
    );
    let mut total = 0;
    for table in tables {
        bar.set_message(table.to_string());
        let exported = store
            .export_table(table, dir)
            .await
            .with_context(|| format!("Failed to export {table}"))?;
        total += exported.rows;
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "Exported {} tables ({total} rows) to {}",
        tables.len(),
        dir.display()
    );
    Ok(())
}
