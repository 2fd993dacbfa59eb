//! Synthetic applications and decisions, labelled as such, for training the shipped model,
//! tests and the benchmark.
//!
//! Every reference starts with [`SYNTHETIC_PREFIX`].
//! Decisions follow a hidden logistic model of the features (amount against cap, concentration
//! of the budget, years in operation, missing documents, sector, words that signal a
//! trading or marketing project rather than production) plus Gaussian noise, so a fitted model
//! ranks them well but never perfectly.

use time::{Date, Duration, Month};
use vocab::Money;

use crate::application::{Application, ApplicationInput, BudgetLineInput, EarlierFundingInput};
use crate::model::{Decision, PastDecision};
use crate::text::SplitMix;

/// The prefix of every synthetic reference.
pub const SYNTHETIC_PREFIX: &str = "SYN-";

const SECTORS: [(&str, f64); 8] = [
    ("electronics", -0.2),
    ("biotech", -0.3),
    ("food", 0.2),
    ("textiles", 0.4),
    ("precision-engineering", -0.2),
    ("logistics", 0.5),
    ("software", 0.0),
    ("chemicals", 0.3),
];

/// Funding caps of the three example schemes, in whole dollars, with their scheme ids and the
/// largest share of the total their matching ratios fund.
const CAPS: [(i64, &str, f64); 3] = [
    (600_000, "technology-voucher", 0.75),
    (10_000_000, "rd-cash-rebate", 0.4),
    (15_000_000, "smart-production-line", 1.0 / 3.0),
];

const CATEGORIES: [&str; 7] = [
    "equipment",
    "software",
    "installation",
    "training",
    "consultancy",
    "research-staff",
    "marketing",
];

const DOCUMENTS: [&str; 5] = [
    "business_registration",
    "audited_accounts",
    "project_plan",
    "quotations",
    "tax_return",
];

const ADJECTIVES: [&str; 12] = [
    "automated",
    "smart",
    "digital",
    "precision",
    "modular",
    "integrated",
    "flexible",
    "connected",
    "high-speed",
    "low-carbon",
    "intelligent",
    "adaptive",
];
const TECHNOLOGIES: [&str; 12] = [
    "vision",
    "moulding",
    "assembly",
    "packaging",
    "inspection",
    "dispensing",
    "welding",
    "coating",
    "printing",
    "sorting",
    "testing",
    "fermentation",
];
const OBJECTS: [&str; 10] = [
    "line", "cell", "platform", "system", "workshop", "station", "module", "plant", "lab",
    "pipeline",
];
const PRODUCTS: [&str; 12] = [
    "medical devices",
    "wearables",
    "printed circuit boards",
    "garments",
    "sauces",
    "batteries",
    "lenses",
    "toys",
    "watch parts",
    "supplements",
    "cosmetics",
    "connectors",
];
const NEUTRAL: [&str; 40] = [
    "upgrade",
    "production",
    "process",
    "factory",
    "output",
    "quality",
    "staff",
    "capacity",
    "line",
    "machines",
    "install",
    "improve",
    "reduce",
    "waste",
    "cost",
    "time",
    "orders",
    "customers",
    "data",
    "control",
    "plan",
    "phase",
    "team",
    "new",
    "existing",
    "materials",
    "supply",
    "batch",
    "yield",
    "defects",
    "schedule",
    "maintenance",
    "floor",
    "site",
    "workers",
    "training",
    "throughput",
    "standard",
    "local",
    "market",
];
const RISKY: [&str; 12] = [
    "trading",
    "marketing",
    "promotion",
    "general",
    "overseas",
    "expansion",
    "working",
    "capital",
    "showroom",
    "branding",
    "travel",
    "sales",
];
const QUALITY: [&str; 12] = [
    "automation",
    "robotic",
    "sensor",
    "prototype",
    "patent",
    "university",
    "validated",
    "pilot",
    "iot",
    "energy",
    "efficiency",
    "traceability",
];

/// `n` synthetic past decisions from a seed; the same seed gives the same decisions.
pub fn synthetic_history(n: usize, seed: u64) -> Vec<PastDecision> {
    let mut rng = SplitMix::new(seed ^ 0x4849_5354);
    (0..n)
        .map(|idx| {
            let (input, cap, latent) = synthetic_input(&mut rng, seed, idx);
            let rejected = rng.unit() < sigmoid(latent);
            PastDecision {
                application: parse(&input),
                funding_cap: Money::hkd(cap * 100),
                decision: if rejected {
                    Decision::Rejected
                } else {
                    Decision::Approved
                },
            }
        })
        .collect()
}

/// `n` synthetic applications from a seed, without decisions (for the benchmark and demos).
pub fn synthetic_applications(n: usize, seed: u64) -> Vec<Application> {
    let mut rng = SplitMix::new(seed ^ 0x4150_5053);
    (0..n)
        .map(|idx| parse(&synthetic_input(&mut rng, seed, idx).0))
        .collect()
}

fn parse(input: &ApplicationInput) -> Application {
    Application::parse(input).expect("synthetic input is well-formed (tested)")
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One application's raw input, its scheme's cap in dollars and the hidden log-odds of its
/// rejection.
fn synthetic_input(rng: &mut SplitMix, seed: u64, idx: usize) -> (ApplicationInput, i64, f64) {
    let (cap, scheme, max_share) = *rng.pick(&CAPS);
    let (sector, sector_effect) = *rng.pick(&SECTORS);
    // Totals spread log-uniformly from half the cap to four times the cap.
    let total = ((cap as f64) * (0.5 * 8.0_f64.powf(rng.unit()))).round() as i64;
    let share = max_share * (0.6 + 0.4 * rng.unit());
    let requested = ((total as f64 * share).round() as i64).clamp(1, cap);
    let contribution = total - requested;

    let n_lines = rng.range(1, 6) as usize;
    let mut categories: Vec<&str> = Vec::with_capacity(n_lines);
    while categories.len() < n_lines {
        let category = *rng.pick(&CATEGORIES);
        if !categories.contains(&category) {
            categories.push(category);
        }
    }
    let weights: Vec<f64> = (0..n_lines).map(|_| 0.2 + rng.unit()).collect();
    let weight_sum: f64 = weights.iter().sum();
    let mut amounts: Vec<i64> = weights
        .iter()
        .map(|weight| (total as f64 * weight / weight_sum).floor() as i64)
        .collect();
    let assigned: i64 = amounts.iter().sum();
    amounts[0] += total - assigned;
    let largest_share = *amounts.iter().max().unwrap_or(&0) as f64 / total as f64;

    let employees = (3.0_f64.ln() + rng.unit() * (400.0_f64 / 3.0).ln())
        .exp()
        .round() as u32;
    let employees_known = rng.unit() > 0.03;
    let years = rng.range(0, 30) as u32;
    let years_known = rng.unit() > 0.03;
    let documents: Vec<String> = DOCUMENTS
        .iter()
        .filter(|_| rng.unit() < 0.85)
        .map(|doc| (*doc).to_owned())
        .collect();
    let missing_documents = DOCUMENTS.len() - documents.len();
    let earlier_funding = if rng.unit() < 0.2 {
        let (_, other, _) = *rng.pick(&CAPS);
        vec![EarlierFundingInput {
            scheme: other.to_owned(),
            amount: format!("{}", rng.range(50_000, 500_000)),
        }]
    } else {
        Vec::new()
    };

    let n_risky = rng.range(0, 3) as usize;
    let n_quality = rng.range(0, 3) as usize;
    let n_neutral = rng.range(10, 22) as usize;
    let mut words: Vec<&str> = Vec::with_capacity(n_risky + n_quality + n_neutral);
    words.extend((0..n_neutral).map(|_| *rng.pick(&NEUTRAL)));
    words.extend((0..n_risky).map(|_| *rng.pick(&RISKY)));
    words.extend((0..n_quality).map(|_| *rng.pick(&QUALITY)));
    for i in (1..words.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        words.swap(i, j);
    }
    let adjective = *rng.pick(&ADJECTIVES);
    let title = format!(
        "{} {} {} for {}",
        capitalise(adjective),
        rng.pick(&TECHNOLOGIES),
        rng.pick(&OBJECTS),
        rng.pick(&PRODUCTS)
    );
    let description = words.join(" ");

    let base = Date::from_calendar_date(2025, Month::January, 15).unwrap_or(Date::MIN);
    let submitted = base + Duration::days(rng.range(0, 300) as i64);
    let start = submitted + Duration::days(rng.range(30, 120) as i64);
    let end = start + Duration::days(rng.range(90, 900) as i64);

    let latent = -1.2 + 4.0 * (requested as f64 / cap as f64 - 0.5) + 4.0 * (largest_share - 0.5)
        - 0.1 * (f64::from(years) - 10.0)
        + 1.2 * missing_documents as f64
        + 1.2 * n_risky as f64
        - 1.2 * n_quality as f64
        + 2.0 * sector_effect
        + if employees < 10 { 0.6 } else { 0.0 }
        + 0.5 * rng.normal();

    let first_syllable = *rng.pick(&["kow", "lam", "tin", "wah", "shun", "fung", "po", "yat"]);
    let input = ApplicationInput {
        reference: format!("{SYNTHETIC_PREFIX}{seed}-{idx:06}"),
        organisation_name: format!(
            "{}{} {}",
            capitalise(first_syllable),
            rng.pick(&["loon", "hing", "tak", "sang", "kee", "mei", "lok", "fat"]),
            rng.pick(&[
                "Industries Ltd",
                "Technology Ltd",
                "Manufacturing Co",
                "Holdings Ltd"
            ])
        ),
        registered_in_hk: if rng.unit() < 0.97 { "yes" } else { "no" }.to_owned(),
        business_registration_number: format!("{:08}", rng.range(10_000_000, 99_999_999)),
        employees: if employees_known {
            employees.to_string()
        } else {
            String::new()
        },
        sector: sector.to_owned(),
        years_in_operation: if years_known {
            years.to_string()
        } else {
            String::new()
        },
        project_title: title,
        project_description: description,
        project_location: if rng.unit() < 0.95 { "HK" } else { "CN" }.to_owned(),
        start_date: start.to_string(),
        end_date: end.to_string(),
        currency: "HKD".to_owned(),
        budget_lines: categories
            .iter()
            .zip(&amounts)
            .map(|(category, amount)| BudgetLineInput {
                category: (*category).to_owned(),
                description: format!("{category} for {scheme}"),
                amount: amount.to_string(),
            })
            .collect(),
        total: total.to_string(),
        amount_requested: requested.to_string(),
        company_contribution: contribution.to_string(),
        documents,
        earlier_funding,
        submitted_on: submitted.to_string(),
        milestones: Vec::new(),
    };
    (input, cap, latent)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
