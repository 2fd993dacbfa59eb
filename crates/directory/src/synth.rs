//! Synthetic directory entries for demonstrations and scale tests, deterministic from a seed.
//!
//! Entries are generated one at a time (an iterator), so a million never sit in memory unless
//! the caller collects them.
//! Every entry is labelled [`Provenance::Synthetic`], with bilingual names and descriptions
//! (Chinese in Traditional characters, e.g. "重慶精密檢測實驗室").
//! The data has the correlations a real directory would: testing laboratories carry
//! ISO/IEC 17025 (and CNAS or HOKLAS), EV makers IATF 16949; an entry's name carries its main
//! region; Hong Kong entries often serve Chongqing too (the Hong Kong–Chongqing pathway); about
//! half of EV pilot projects seek HK$50m–200m, the rest less or more.
//!
//! [`generate`] numbers entries 1, 2, 3 … in the order providers, enterprises, investors,
//! sites, projects; the single-kind generators ([`providers`] …) number from 1 and produce the
//! same profiles as the same kind's part of [`generate`] with the same seed.
//! The stream is stable for a given seed and version of this crate (it uses rand 0.8's
//! `StdRng`).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use vocab::{BilingualText, Money, Provenance};

use crate::{
    Details, Entry, EntryId, Kind, Language, Profile, Region, Sector, Service, SizeBand, Stage,
    Ticket,
};

/// How many entries of each kind to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Producer-service providers.
    pub providers: u64,
    /// Enterprises.
    pub enterprises: u64,
    /// Investors.
    pub investors: u64,
    /// Industrial sites and parks.
    pub sites: u64,
    /// Pilot projects.
    pub projects: u64,
}

/// A stream of synthetic entries.
pub struct Entries {
    seed: u64,
    parts: std::vec::IntoIter<(Kind, u64)>,
    current: Option<(Kind, u64, StdRng)>,
    next_id: u64,
}

impl Plan {
    /// The demonstration directory: 2,000 providers, 5,000 enterprises, 400 investors,
    /// 300 sites and 800 pilot projects (8,500 entries).
    pub const DEMO: Plan = Plan {
        providers: 2_000,
        enterprises: 5_000,
        investors: 400,
        sites: 300,
        projects: 800,
    };

    /// The demo's proportions scaled to about `total` entries (exactly `total`, the rounding
    /// going to enterprises).
    pub fn scaled(total: u64) -> Plan {
        let demo = Plan::DEMO;
        let part = |n: u64| n * total / demo.total();
        let (providers, investors, sites, projects) = (
            part(demo.providers),
            part(demo.investors),
            part(demo.sites),
            part(demo.projects),
        );
        Plan {
            providers,
            enterprises: total - providers - investors - sites - projects,
            investors,
            sites,
            projects,
        }
    }

    /// The same proportions as the demo with the given numbers of providers and enterprises
    /// (investors, sites and projects scaled from their sum).
    pub fn with_providers_and_enterprises(providers: u64, enterprises: u64) -> Plan {
        let demo = Plan::DEMO;
        let base = providers + enterprises;
        let demo_base = demo.providers + demo.enterprises;
        Plan {
            providers,
            enterprises,
            investors: demo.investors * base / demo_base,
            sites: demo.sites * base / demo_base,
            projects: demo.projects * base / demo_base,
        }
    }

    /// All entries of the plan.
    pub fn total(&self) -> u64 {
        self.providers + self.enterprises + self.investors + self.sites + self.projects
    }
}

/// The demonstration directory ([`Plan::DEMO`]).
pub fn demo(seed: u64) -> Entries {
    generate(&Plan::DEMO, seed)
}

/// Every entry of a plan, numbered from 1.
pub fn generate(plan: &Plan, seed: u64) -> Entries {
    Entries::new(
        seed,
        vec![
            (Kind::Provider, plan.providers),
            (Kind::Enterprise, plan.enterprises),
            (Kind::Investor, plan.investors),
            (Kind::Site, plan.sites),
            (Kind::Project, plan.projects),
        ],
    )
}

/// `n` producer-service providers, numbered from 1.
pub fn providers(n: u64, seed: u64) -> Entries {
    Entries::new(seed, vec![(Kind::Provider, n)])
}

/// `n` enterprises, numbered from 1.
pub fn enterprises(n: u64, seed: u64) -> Entries {
    Entries::new(seed, vec![(Kind::Enterprise, n)])
}

/// `n` investors, numbered from 1.
pub fn investors(n: u64, seed: u64) -> Entries {
    Entries::new(seed, vec![(Kind::Investor, n)])
}

/// `n` industrial sites and parks, numbered from 1.
pub fn sites(n: u64, seed: u64) -> Entries {
    Entries::new(seed, vec![(Kind::Site, n)])
}

/// `n` pilot projects, numbered from 1.
pub fn projects(n: u64, seed: u64) -> Entries {
    Entries::new(seed, vec![(Kind::Project, n)])
}

impl Entries {
    fn new(seed: u64, parts: Vec<(Kind, u64)>) -> Self {
        Entries {
            seed,
            parts: parts.into_iter(),
            current: None,
            next_id: 1,
        }
    }
}

impl Iterator for Entries {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some((kind, remaining, rng)) = &mut self.current {
                if *remaining > 0 {
                    *remaining -= 1;
                    let id = EntryId::new(self.next_id);
                    self.next_id += 1;
                    return Some(Entry::new(id, profile(*kind, rng)));
                }
            }
            let (kind, n) = self.parts.next()?;
            // Each kind has its own stream, so a kind's entries do not depend on the others'.
            let stream_seed =
                self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (u64::from(kind.bit()) + 1);
            self.current = Some((kind, n, StdRng::seed_from_u64(stream_seed)));
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let current = self.current.as_ref().map_or(0, |(_, n, _)| *n);
        let rest: u64 = self.parts.as_slice().iter().map(|(_, n)| n).sum();
        let n = usize::try_from(current + rest).unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

fn profile(kind: Kind, rng: &mut StdRng) -> Profile {
    match kind {
        Kind::Provider => provider(rng),
        Kind::Enterprise => enterprise(rng),
        Kind::Investor => investor(rng),
        Kind::Site => site(rng),
        Kind::Project => project(rng),
    }
}

/// Weights of regions as an entry's main region.
const REGION_WEIGHTS: [(Region, u32); 19] = [
    (Region::Hk, 30),
    (Region::Shenzhen, 12),
    (Region::Chongqing, 10),
    (Region::Guangzhou, 8),
    (Region::Dongguan, 6),
    (Region::Foshan, 4),
    (Region::Huizhou, 3),
    (Region::Zhuhai, 3),
    (Region::Zhongshan, 2),
    (Region::Jiangmen, 2),
    (Region::Zhaoqing, 1),
    (Region::Macao, 2),
    (Region::OtherMainland, 5),
    (Region::Vietnam, 3),
    (Region::Thailand, 2),
    (Region::Malaysia, 2),
    (Region::Indonesia, 2),
    (Region::Singapore, 2),
    (Region::Philippines, 1),
];

const SECTOR_WEIGHTS: [(Sector, u32); 15] = [
    (Sector::Ev, 9),
    (Sector::EvBatteries, 6),
    (Sector::Semiconductors, 5),
    (Sector::Microelectronics, 5),
    (Sector::Biomedical, 6),
    (Sector::NewMaterials, 5),
    (Sector::Food, 8),
    (Sector::Textiles, 7),
    (Sector::Electronics, 12),
    (Sector::Robotics, 5),
    (Sector::Ai, 5),
    (Sector::SmartManufacturing, 6),
    (Sector::PrecisionEngineering, 9),
    (Sector::GreenTech, 5),
    (Sector::LogisticsTech, 4),
];

const HK_PLACES: [(&str, &str); 7] = [
    ("Hong Kong", "香港"),
    ("Kowloon", "九龍"),
    ("Tsuen Wan", "荃灣"),
    ("Tai Po", "大埔"),
    ("Sha Tin", "沙田"),
    ("Kwun Tong", "觀塘"),
    ("Yuen Long", "元朗"),
];

const ADJECTIVES: [(&str, &str); 16] = [
    ("Precision", "精密"),
    ("Pearl River", "珠江"),
    ("Harbour", "海港"),
    ("Summit", "高峰"),
    ("Golden Bay", "金灣"),
    ("Greater Bay", "大灣區"),
    ("Jade", "翡翠"),
    ("Dragon Gate", "龍門"),
    ("Evergreen", "長青"),
    ("Silver Lotus", "銀蓮"),
    ("Orient", "東方"),
    ("Crest", "冠峰"),
    ("Lion Rock", "獅子山"),
    ("Bauhinia", "紫荊"),
    ("Victoria", "維港"),
    ("New Horizon", "新視野"),
];

fn provider_noun(service: Service) -> &'static [(&'static str, &'static str)] {
    match service {
        Service::Finance => &[("Capital Advisory", "資本顧問"), ("Finance", "融資服務")],
        Service::Insurance => &[("Insurance Brokers", "保險經紀")],
        Service::PolicyConsulting => &[("Policy Consultants", "政策顧問")],
        Service::Law => &[("Legal", "律師事務所")],
        Service::Accounting => &[("Accounting", "會計師事務所")],
        Service::BrandPromotion => &[("Brand Studio", "品牌策劃")],
        Service::Ip => &[("IP Services", "知識產權服務")],
        Service::Logistics => &[("Logistics", "物流")],
        Service::TestingCertification => &[
            ("Testing Lab", "檢測實驗室"),
            ("Testing and Certification Centre", "檢測認證中心"),
        ],
        Service::Rnd => &[("R&D Centre", "研發中心")],
        Service::Design => &[("Design Studio", "設計工作室")],
        Service::PilotPlant => &[("Pilot Plant", "中試基地")],
        Service::SmartManufacturingSupport => &[("Smart Factory Solutions", "智能工廠方案")],
        Service::HrTraining => &[("Training Academy", "培訓學院")],
        Service::Ecommerce => &[("E-commerce", "電商服務")],
    }
}

fn sector_noun(sector: Sector) -> (&'static str, &'static str) {
    match sector {
        Sector::Ev => ("EV", "新能源汽車"),
        Sector::EvBatteries => ("Battery", "電池"),
        Sector::Semiconductors => ("Semiconductor", "半導體"),
        Sector::Microelectronics => ("Microelectronics", "微電子"),
        Sector::Biomedical => ("Biotech", "生物科技"),
        Sector::NewMaterials => ("Advanced Materials", "新材料"),
        Sector::Food => ("Foods", "食品"),
        Sector::Textiles => ("Textiles", "紡織"),
        Sector::Electronics => ("Electronics", "電子"),
        Sector::Robotics => ("Robotics", "機械人"),
        Sector::Ai => ("AI", "人工智能"),
        Sector::SmartManufacturing => ("Smart Manufacturing", "智能製造"),
        Sector::PrecisionEngineering => ("Engineering", "工程"),
        Sector::GreenTech => ("Green Tech", "綠色科技"),
        Sector::LogisticsTech => ("Logistics Tech", "物流科技"),
    }
}

fn weighted<T: Copy>(rng: &mut StdRng, weights: &[(T, u32)]) -> T {
    weights
        .choose_weighted(rng, |(_, weight)| *weight)
        .map(|(value, _)| *value)
        .unwrap_or(weights[0].0)
}

fn pick<T: Copy>(rng: &mut StdRng, values: &[T]) -> T {
    *values.choose(rng).unwrap_or(&values[0])
}

/// `first`, then `extra` more distinct values drawn from `weights`.
fn with_more<T: Copy + PartialEq>(
    rng: &mut StdRng,
    first: T,
    extra: usize,
    weights: &[(T, u32)],
) -> Vec<T> {
    let mut values = vec![first];
    let mut tries = 0;
    while values.len() < extra + 1 && tries < 50 {
        let value = weighted(rng, weights);
        if !values.contains(&value) {
            values.push(value);
        }
        tries += 1;
    }
    values
}

fn add<T: PartialEq>(values: &mut Vec<T>, value: T) {
    if !values.contains(&value) {
        values.push(value);
    }
}

fn place(rng: &mut StdRng, region: Region) -> (&'static str, &'static str) {
    if region == Region::Hk {
        pick(rng, &HK_PLACES)
    } else {
        (region.label_en(), region.label_zh())
    }
}

fn languages(regions: &[Region]) -> Vec<Language> {
    let mut languages = Vec::new();
    for region in regions {
        let spoken: &[Language] = match region {
            Region::Hk => &[Language::En, Language::Yue],
            Region::Macao
            | Region::Guangzhou
            | Region::Foshan
            | Region::Dongguan
            | Region::Zhongshan
            | Region::Jiangmen
            | Region::Zhaoqing
            | Region::Zhuhai
            | Region::Huizhou
            | Region::Shenzhen => &[Language::Yue, Language::Cmn],
            Region::Chongqing | Region::OtherMainland => &[Language::Cmn],
            Region::Vietnam => &[Language::Vi, Language::En],
            Region::Thailand => &[Language::Th, Language::En],
            Region::Malaysia => &[Language::Ms, Language::En],
            Region::Indonesia => &[Language::Id, Language::En],
            Region::Singapore | Region::Philippines => &[Language::En],
        };
        for language in spoken {
            add(&mut languages, *language);
        }
    }
    languages
}

fn size(rng: &mut StdRng) -> SizeBand {
    weighted(
        rng,
        &[
            (SizeBand::Micro, 25),
            (SizeBand::Small, 40),
            (SizeBand::Medium, 25),
            (SizeBand::Large, 10),
        ],
    )
}

fn join_en<T: Copy>(values: &[T], label: impl Fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| label(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join_zh<T: Copy>(values: &[T], label: impl Fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| label(*v))
        .collect::<Vec<_>>()
        .join("、")
}

fn text(en: String, zh: String) -> BilingualText {
    BilingualText::new(en, zh).expect("generated texts are never empty")
}

/// Tenths of a million HKD as money.
fn millions_tenths(tenths: u64) -> Money {
    Money::hkd(i64::try_from(tenths).unwrap_or(i64::MAX / 1000) * 10_000_000)
}

/// Tenths of a million as "50", "12.5".
fn format_millions(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Tenths of a million as 萬 (ten thousands): 50m is 5000萬.
fn format_wan(tenths: u64) -> String {
    format!("{}", tenths * 10)
}

/// The three code lists of a generated profile.
struct Lists {
    sectors: Vec<Sector>,
    services: Vec<Service>,
    regions: Vec<Region>,
}

fn build(
    name: BilingualText,
    description: BilingualText,
    Lists {
        sectors,
        services,
        regions,
    }: Lists,
    certifications: Vec<&str>,
    details: Details,
    verified: bool,
    size: Option<SizeBand>,
) -> Profile {
    let languages = languages(&regions);
    Profile::from_parts(
        name,
        description,
        sectors,
        services,
        regions,
        languages,
        size,
        certifications.into_iter().map(str::to_owned).collect(),
        details,
        verified,
        Provenance::Synthetic,
    )
}

fn provider(rng: &mut StdRng) -> Profile {
    let service_weights: Vec<(Service, u32)> = Service::ALL
        .iter()
        .map(|s| {
            (
                *s,
                if *s == Service::TestingCertification {
                    56
                } else {
                    16
                },
            )
        })
        .collect();
    let primary = weighted(rng, &service_weights);
    let n_extra = rng.gen_range(0..=2);
    let services = with_more(rng, primary, n_extra, &service_weights);
    let home = weighted(rng, &REGION_WEIGHTS);
    let n_extra = rng.gen_range(0..=3);
    let mut regions = with_more(rng, home, n_extra, &REGION_WEIGHTS);
    if rng.gen_bool(0.5) {
        add(&mut regions, Region::Hk);
    }
    if home == Region::Hk && rng.gen_bool(0.15) {
        add(&mut regions, Region::Chongqing);
    }
    let first_sector = weighted(rng, &SECTOR_WEIGHTS);
    let n_extra = rng.gen_range(0..=2);
    let sectors = with_more(rng, first_sector, n_extra, &SECTOR_WEIGHTS);

    let mut certifications = Vec::new();
    if services.contains(&Service::TestingCertification) {
        if rng.gen_bool(0.9) {
            certifications.push("ISO/IEC 17025");
        }
        if regions
            .iter()
            .any(|r| !matches!(r, Region::Hk | Region::Macao) && !is_southeast_asia(*r))
            && rng.gen_bool(0.5)
        {
            certifications.push("CNAS");
        }
        if regions.contains(&Region::Hk) && rng.gen_bool(0.5) {
            certifications.push("HOKLAS");
        }
    }
    if rng.gen_bool(0.4) {
        certifications.push("ISO 9001");
    }
    if services.contains(&Service::Logistics) && rng.gen_bool(0.3) {
        certifications.push("ISO 28000");
    }

    let (place_en, place_zh) = place(rng, home);
    let (adj_en, adj_zh) = pick(rng, &ADJECTIVES);
    let (noun_en, noun_zh) = pick(rng, provider_noun(primary));
    let name = text(
        format!("{place_en} {adj_en} {noun_en}"),
        format!("{place_zh}{adj_zh}{noun_zh}"),
    );
    let description = text(
        format!(
            "{place_en} {adj_en} {noun_en} offers {} to {} manufacturers, serving {}.",
            join_en(&services, Service::label_en),
            join_en(&sectors, Sector::label_en),
            join_en(&regions, Region::label_en),
        ),
        format!(
            "{place_zh}{adj_zh}{noun_zh}為{}的{}廠商提供{}服務。",
            join_zh(&regions, Region::label_zh),
            join_zh(&sectors, Sector::label_zh),
            join_zh(&services, Service::label_zh),
        ),
    );
    let verified = rng.gen_bool(0.55);
    let size = size(rng);
    build(
        name,
        description,
        Lists {
            sectors,
            services,
            regions,
        },
        certifications,
        Details::Provider,
        verified,
        Some(size),
    )
}

fn is_southeast_asia(region: Region) -> bool {
    matches!(
        region,
        Region::Vietnam
            | Region::Thailand
            | Region::Malaysia
            | Region::Indonesia
            | Region::Singapore
            | Region::Philippines
    )
}

fn enterprise(rng: &mut StdRng) -> Profile {
    let primary = weighted(rng, &SECTOR_WEIGHTS);
    let n_extra = rng.gen_range(0..=1);
    let sectors = with_more(rng, primary, n_extra, &SECTOR_WEIGHTS);
    let home = weighted(rng, &REGION_WEIGHTS);
    let n_extra = rng.gen_range(0..=2);
    let mut regions = with_more(rng, home, n_extra, &REGION_WEIGHTS);
    if home == Region::Hk && rng.gen_bool(0.2) {
        add(&mut regions, Region::Chongqing);
    }
    let service_weights: Vec<(Service, u32)> = Service::ALL.iter().map(|s| (*s, 1)).collect();
    let first_service = pick(rng, &Service::ALL);
    let n_extra = rng.gen_range(0..=2);
    let services = with_more(rng, first_service, n_extra, &service_weights);

    let mut certifications = Vec::new();
    if rng.gen_bool(0.7) {
        certifications.push("ISO 9001");
    }
    if sectors
        .iter()
        .any(|s| matches!(s, Sector::Ev | Sector::EvBatteries))
        && rng.gen_bool(0.6)
    {
        certifications.push("IATF 16949");
    }
    if sectors.contains(&Sector::Biomedical) && rng.gen_bool(0.6) {
        certifications.push("ISO 13485");
    }
    if sectors.contains(&Sector::Food) && rng.gen_bool(0.6) {
        certifications.push("ISO 22000");
    }
    if rng.gen_bool(0.3) {
        certifications.push("ISO 14001");
    }

    let (place_en, place_zh) = place(rng, home);
    let (adj_en, adj_zh) = pick(rng, &ADJECTIVES);
    let (noun_en, noun_zh) = sector_noun(primary);
    let (suffix_en, suffix_zh) = pick(
        rng,
        &[
            ("Technology Co.", "科技有限公司"),
            ("Industries", "實業"),
            ("Manufacturing", "製造廠"),
            ("Holdings", "控股"),
        ],
    );
    let size = size(rng);
    let name = text(
        format!("{place_en} {adj_en} {noun_en} {suffix_en}"),
        format!("{place_zh}{adj_zh}{noun_zh}{suffix_zh}"),
    );
    let description = text(
        format!(
            "A {} {} manufacturer based in {}, selling to {}.",
            size.label_en(),
            join_en(&sectors, Sector::label_en),
            home.label_en(),
            join_en(&regions, Region::label_en),
        ),
        format!(
            "位於{}的{}{}製造企業，市場包括{}。",
            home.label_zh(),
            size.label_zh(),
            join_zh(&sectors, Sector::label_zh),
            join_zh(&regions, Region::label_zh),
        ),
    );
    let verified = rng.gen_bool(0.4);
    build(
        name,
        description,
        Lists {
            sectors,
            services,
            regions,
        },
        certifications,
        Details::Enterprise,
        verified,
        Some(size),
    )
}

/// Investor ticket buckets, in tenths of a million HKD.
const TICKETS: [((u64, u64), u32); 6] = [
    ((10, 100), 15),
    ((50, 300), 20),
    ((200, 800), 20),
    ((500, 2000), 20),
    ((1000, 5000), 15),
    ((3000, 15000), 10),
];

fn investor(rng: &mut StdRng) -> Profile {
    let focus_weights: Vec<(Sector, u32)> = SECTOR_WEIGHTS
        .iter()
        .map(|(s, w)| {
            (
                *s,
                if matches!(s, Sector::Ev | Sector::EvBatteries) {
                    w * 3
                } else {
                    *w
                },
            )
        })
        .collect();
    let first = weighted(rng, &focus_weights);
    let n_extra = rng.gen_range(0..=2);
    let sectors = with_more(rng, first, n_extra, &focus_weights);
    let home = weighted(
        rng,
        &[
            (Region::Hk, 60),
            (Region::Shenzhen, 15),
            (Region::Chongqing, 10),
            (Region::Singapore, 15),
        ],
    );
    let n_extra = rng.gen_range(0..=3);
    let mut regions = with_more(rng, home, n_extra, &REGION_WEIGHTS);
    if rng.gen_bool(0.3) {
        add(&mut regions, Region::Chongqing);
    }
    let first_stage = rng.gen_range(0..Stage::ALL.len());
    let last_stage = (first_stage + rng.gen_range(0..=2)).min(Stage::ALL.len() - 1);
    let stages: Vec<Stage> = Stage::ALL[first_stage..=last_stage].to_vec();
    let (min, max) = weighted(rng, &TICKETS);
    let ticket = Ticket::new(millions_tenths(min), millions_tenths(max))
        .expect("ticket buckets are ordered");

    let (adj_en, adj_zh) = pick(rng, &ADJECTIVES);
    let (noun_en, noun_zh) = pick(
        rng,
        &[
            ("Capital", "資本"),
            ("Ventures", "創投"),
            ("Partners", "投資夥伴"),
            ("Investment", "投資"),
            ("Growth Fund", "成長基金"),
        ],
    );
    let (place_en, place_zh) = place(rng, home);
    let name = text(
        format!("{adj_en} {noun_en} {place_en}"),
        format!("{adj_zh}{noun_zh}（{place_zh}）"),
    );
    let description = text(
        format!(
            "Invests HK${}m to HK${}m per deal in {} at the {} stage, across {}.",
            format_millions(min),
            format_millions(max),
            join_en(&sectors, Sector::label_en),
            join_en(&stages, Stage::label_en),
            join_en(&regions, Region::label_en),
        ),
        format!(
            "投資{}的{}項目（{}階段），每宗投資{}萬至{}萬港元。",
            join_zh(&regions, Region::label_zh),
            join_zh(&sectors, Sector::label_zh),
            join_zh(&stages, Stage::label_zh),
            format_wan(min),
            format_wan(max),
        ),
    );
    let verified = rng.gen_bool(0.7);
    build(
        name,
        description,
        Lists {
            sectors,
            services: Vec::new(),
            regions,
        },
        Vec::new(),
        Details::Investor { stages, ticket },
        verified,
        None,
    )
}

fn site(rng: &mut StdRng) -> Profile {
    let home = weighted(rng, &REGION_WEIGHTS);
    let regions = vec![home];
    let first = weighted(rng, &SECTOR_WEIGHTS);
    let n_extra = rng.gen_range(0..=2);
    let sectors = with_more(rng, first, n_extra, &SECTOR_WEIGHTS);
    let facilities = [
        (Service::PilotPlant, 3),
        (Service::Logistics, 3),
        (Service::SmartManufacturingSupport, 2),
        (Service::Rnd, 2),
        (Service::HrTraining, 1),
    ];
    let first_service = weighted(rng, &facilities);
    let n_extra = rng.gen_range(0..=2);
    let services = with_more(rng, first_service, n_extra, &facilities);
    let (place_en, place_zh) = place(rng, home);
    let (noun_en, noun_zh) = sector_noun(first);
    let (park_en, park_zh) = pick(
        rng,
        &[
            ("Industrial Park", "產業園"),
            ("Innovation Park", "創新園"),
            ("Industrial Estate", "工業邨"),
            ("Technology Park", "科技園"),
        ],
    );
    let name = text(
        format!("{place_en} {noun_en} {park_en}"),
        format!("{place_zh}{noun_zh}{park_zh}"),
    );
    let description = text(
        format!(
            "An industrial site in {} for {} manufacturers, with {}.",
            home.label_en(),
            join_en(&sectors, Sector::label_en),
            join_en(&services, Service::label_en),
        ),
        format!(
            "位於{}的工業用地，適合{}廠商，設有{}。",
            home.label_zh(),
            join_zh(&sectors, Sector::label_zh),
            join_zh(&services, Service::label_zh),
        ),
    );
    let certifications = if rng.gen_bool(0.3) {
        vec!["ISO 14001"]
    } else {
        Vec::new()
    };
    let verified = rng.gen_bool(0.8);
    build(
        name,
        description,
        Lists {
            sectors,
            services,
            regions,
        },
        certifications,
        Details::Site,
        verified,
        None,
    )
}

fn project(rng: &mut StdRng) -> Profile {
    let sector = weighted(
        rng,
        &SECTOR_WEIGHTS.map(|(s, w)| {
            (
                s,
                if s == Sector::Ev {
                    45
                } else if s == Sector::EvBatteries {
                    10
                } else {
                    w
                },
            )
        }),
    );
    let home = weighted(
        rng,
        &[
            (Region::Hk, 35),
            (Region::Chongqing, 15),
            (Region::Shenzhen, 10),
            (Region::Guangzhou, 8),
            (Region::Dongguan, 6),
            (Region::Foshan, 5),
            (Region::Huizhou, 4),
            (Region::OtherMainland, 7),
            (Region::Vietnam, 4),
            (Region::Malaysia, 3),
            (Region::Thailand, 3),
        ],
    );
    let stage = weighted(
        rng,
        &[
            (Stage::Idea, 10),
            (Stage::Prototype, 25),
            (Stage::Pilot, 35),
            (Stage::ScaleUp, 25),
            (Stage::Operating, 5),
        ],
    );
    // Funding sought in tenths of a million: below, inside or above HK$50m–200m.
    let band = if sector == Sector::Ev {
        weighted(rng, &[(0u8, 20), (1, 60), (2, 20)])
    } else {
        weighted(rng, &[(0u8, 40), (1, 30), (2, 30)])
    };
    let tenths = match band {
        0 => rng.gen_range(50..500),
        1 => rng.gen_range(500..=2000),
        _ => rng.gen_range(2001..=10000),
    };
    let service_weights: Vec<(Service, u32)> = Service::ALL.iter().map(|s| (*s, 1)).collect();
    let first_service = pick(
        rng,
        &[
            Service::TestingCertification,
            Service::Finance,
            Service::PilotPlant,
            Service::PolicyConsulting,
        ],
    );
    let n_extra = rng.gen_range(0..=1);
    let services = with_more(rng, first_service, n_extra, &service_weights);
    let (place_en, place_zh) = place(rng, home);
    let (noun_en, noun_zh) = sector_noun(sector);
    let (kind_en, kind_zh) = pick(
        rng,
        &[
            ("Pilot Line", "中試線"),
            ("Demonstration Plant", "示範廠"),
            ("Pilot Project", "試點項目"),
        ],
    );
    let name = text(
        format!("{place_en} {noun_en} {kind_en}"),
        format!("{place_zh}{noun_zh}{kind_zh}"),
    );
    let description = text(
        format!(
            "A {} {} project in {}, seeking HK${}m.",
            sector.label_en(),
            stage.label_en(),
            home.label_en(),
            format_millions(tenths),
        ),
        format!(
            "位於{}的{}項目（{}階段），尋求{}萬港元資金。",
            home.label_zh(),
            sector.label_zh(),
            stage.label_zh(),
            format_wan(tenths),
        ),
    );
    let verified = rng.gen_bool(0.5);
    let details = Details::Project {
        stage,
        funding_sought: millions_tenths(tenths),
    };
    build(
        name,
        description,
        Lists {
            sectors: vec![sector],
            services,
            regions: vec![home],
        },
        Vec::new(),
        details,
        verified,
        None,
    )
}
