//! Matching a request (free text plus structured needs, or a whole profile) to ranked
//! candidates, each with a 0–100 score and the structured [`Reason`]s behind it.
//!
//! # How candidates are found and scored
//!
//! 1. Retrieval by the index: the entries of the wanted kinds that have the request's primary
//!    criterion (any wanted sector, else any wanted service, else any wanted region), widened
//!    to every entry of the wanted kinds when fewer than `limit` have it; and, when the request
//!    has text, the best [`CANDIDATES`] by the text query (as in a search).
//! 2. Exact scoring of every retrieved entry in a collector, from fast fields only (kind,
//!    bitmasks, ticket, funding, verified; certifications only when asked for), keeping the
//!    best `limit`; reasons and names are produced for those alone.
//!    Each criterion the request states earns its weight in whole per-mille:
//!
//! | criterion | weight | earned when |
//! |---|---|---|
//! | sectors | 30 | the candidate has any wanted sector |
//! | services | 25 | in proportion to the wanted services it has |
//! | regions | 15 | it has any wanted region |
//! | ticket | 15 | a project's funding sought lies in the requester's ticket, or an investor's ticket contains the requester's funding sought |
//! | stages | 10 | it has any wanted stage |
//! | certifications | 10 | in proportion to the wanted certifications it holds (ignoring ASCII case) |
//! | text | 10 | in proportion to its text score against the best candidate's |
//! | verified | 5 | always counted; earned when the candidate is verified |
//!
//! The score is `earned * 100 / possible`, rounded down, over the criteria stated only, so a
//! candidate meeting every stated criterion and verified scores 100.
//! Ties go to the higher exact earned total (finer than the rounded score), then to the lower id.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{ColumnValues, StrColumn};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, SegmentReader, Term};
use vocab::{BilingualText, Money};

use crate::codes::mask;
use crate::index::{col, packed, tag, Fields};
use crate::search::{stored_name, tag_filter, text_query, Matching, TextQuery};
use crate::{
    DirectoryError, DirectoryIndex, Entry, EntryId, Kind, Region, Sector, Service, Stage, Ticket,
};

/// How many candidates each retrieval query returns for rescoring.
pub const CANDIDATES: usize = 300;

/// The most matches one call returns.
pub const MAX_MATCHES: usize = 200;

/// What is sought: candidate kinds and the needs they are judged against.
///
/// Every list may be empty (that criterion is then not judged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRequest {
    /// Free text, matched as in a search.
    pub text: String,
    /// The kinds of candidate wanted (empty: any).
    pub kinds: Vec<Kind>,
    /// Services wanted: offered by providers and sites, or needed by enterprises and projects.
    pub services: Vec<Service>,
    /// Sectors wanted.
    pub sectors: Vec<Sector>,
    /// Regions wanted.
    pub regions: Vec<Region>,
    /// Stages wanted (a project's stage, or stages an investor funds).
    pub stages: Vec<Stage>,
    /// Certifications wanted, as written (compared ignoring ASCII case).
    pub certifications: Vec<String>,
    /// The requester invests this ticket: projects whose funding sought fits it.
    pub ticket: Option<Ticket>,
    /// The requester seeks this funding (HKD): investors whose ticket contains it.
    pub funding_sought: Option<Money>,
    /// An entry never to return (the requester's own).
    pub exclude: Option<EntryId>,
}

/// A candidate with its score and reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The candidate's id.
    pub id: EntryId,
    /// Its kind.
    pub kind: Kind,
    /// Its name in both languages.
    pub name: BilingualText,
    /// 0 to 100.
    pub score: u8,
    /// Why it matches, in the order of the criteria table.
    pub reasons: Vec<Reason>,
}

/// Why a candidate matches; data only, the web layer words it in either language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It is in a wanted sector.
    InSector(Sector),
    /// It offers a wanted service (providers, sites).
    OffersService(Service),
    /// It needs the service the requester offers (enterprises, projects).
    NeedsService(Service),
    /// It serves (or is in) a wanted region.
    ServesRegion(Region),
    /// The funding sought lies within the ticket.
    TicketFits {
        /// The funding sought.
        sought: Money,
        /// The least ticket.
        min: Money,
        /// The largest ticket.
        max: Money,
    },
    /// It is at (or funds) a wanted stage.
    StageFits(Stage),
    /// It holds a wanted certification, as the candidate writes it.
    Certified(String),
    /// Its text matches the request's text.
    TextMatch,
    /// The platform has verified it.
    Verified,
}

/// Weights of the criteria (see the module documentation).
mod weight {
    pub const SECTORS: u32 = 30;
    pub const SERVICES: u32 = 25;
    pub const REGIONS: u32 = 15;
    pub const TICKET: u32 = 15;
    pub const STAGES: u32 = 10;
    pub const CERTIFICATIONS: u32 = 10;
    pub const TEXT: u32 = 10;
    pub const VERIFIED: u32 = 5;
}

impl MatchRequest {
    /// A request with no criteria, for the given kinds.
    pub fn for_kinds(kinds: &[Kind]) -> Self {
        MatchRequest {
            text: String::new(),
            kinds: kinds.to_vec(),
            services: Vec::new(),
            sectors: Vec::new(),
            regions: Vec::new(),
            stages: Vec::new(),
            certifications: Vec::new(),
            ticket: None,
            funding_sought: None,
            exclude: None,
        }
    }

    /// What an investor looks for: pilot projects and enterprises in its sector focus,
    /// regions and stages, projects whose funding sought fits its ticket.
    /// `None` when the entry is not an investor.
    pub fn for_investor(entry: &Entry) -> Option<Self> {
        (entry.profile().kind() == Kind::Investor).then(|| MatchRequest::for_profile(entry))
    }

    /// What an entry looks for, by its kind:
    ///
    /// - investor: projects and enterprises (sectors, regions, stages, ticket);
    /// - enterprise: providers and sites (the services it needs, sectors, regions);
    /// - project: investors (funding sought, stage), providers and sites (services needed),
    ///   in its sector and region;
    /// - provider: enterprises and projects needing its services, in its sectors and regions;
    /// - site: enterprises and projects in its sectors and region.
    pub fn for_profile(entry: &Entry) -> Self {
        let profile = entry.profile();
        let kinds: &[Kind] = match profile.kind() {
            Kind::Investor => &[Kind::Project, Kind::Enterprise],
            Kind::Enterprise => &[Kind::Provider, Kind::Site],
            Kind::Project => &[Kind::Investor, Kind::Provider, Kind::Site],
            Kind::Provider | Kind::Site => &[Kind::Enterprise, Kind::Project],
        };
        let mut request = MatchRequest::for_kinds(kinds);
        request.sectors = profile.sectors().to_vec();
        request.regions = profile.regions().to_vec();
        request.stages = profile.stages().to_vec();
        request.ticket = profile.ticket();
        request.funding_sought = profile.funding_sought();
        if profile.kind() != Kind::Site && profile.kind() != Kind::Investor {
            request.services = profile.services().to_vec();
        }
        request.exclude = Some(entry.id());
        request
    }
}

/// The best `limit` candidates for a request (at most [`MAX_MATCHES`]), best first.
pub fn match_request(
    index: &DirectoryIndex,
    request: &MatchRequest,
    limit: usize,
) -> Result<Vec<Match>, DirectoryError> {
    if limit > MAX_MATCHES {
        return Err(DirectoryError::invalid(
            "limit",
            format!("{limit} is more than {MAX_MATCHES}"),
        ));
    }
    if limit == 0 {
        return Ok(Vec::new());
    }
    let fields = &index.fields;
    let searcher = index.reader.searcher();

    let mut base: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !request.kinds.is_empty() {
        base.push((
            Occur::Must,
            tag_filter(fields, request.kinds.iter().map(|k| tag::kind(*k))),
        ));
    }
    if let Some(id) = request.exclude {
        base.push((
            Occur::MustNot,
            Box::new(TermQuery::new(index.id_term(id), IndexRecordOption::Basic)),
        ));
    }
    let with =
        |clauses: &[(Occur, Box<dyn Query>)], extra: Option<Box<dyn Query>>| -> BooleanQuery {
            let mut all: Vec<(Occur, Box<dyn Query>)> =
                clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            all.extend(extra.map(|q| (Occur::Must, q)));
            if !all.iter().any(|(o, _)| *o == Occur::Must) {
                all.push((Occur::Must, Box::new(AllQuery)));
            }
            BooleanQuery::new(all)
        };

    // Text candidates and their BM25 scores.
    let mut text_scores: FxHashMap<DocAddress, f32> = FxHashMap::default();
    if let TextQuery::Words { query, .. } =
        text_query(&searcher, fields, &request.text, Matching::AllWords)
    {
        let top = TopDocs::with_limit(CANDIDATES).order_by_score();
        text_scores.extend(
            searcher
                .search(&with(&base, Some(query)), &top)?
                .into_iter()
                .map(|(s, a)| (a, s)),
        );
    }
    let best_text = text_scores.values().copied().fold(0.0f32, f32::max);
    let collector = MatchCollector {
        request,
        wanted: Wanted::of(request),
        text_scores: &text_scores,
        best_text,
        limit,
    };

    // Structured candidates: the wanted kinds having the request's primary criterion, scored
    // exactly from fast fields; widened to every entry of the wanted kinds when too few.
    // Kinds go best-first by the most they can earn (only projects can fit an investor's
    // ticket, only investors and projects have stages), and a kind that cannot beat the
    // `limit`-th candidate found so far is not scanned at all.
    let mut kinds: Vec<Kind> = if request.kinds.is_empty() {
        Kind::ALL.to_vec()
    } else {
        request.kinds.clone()
    };
    kinds.sort_by_key(|kind| std::cmp::Reverse(most_for_kind(request, *kind)));
    let primary = primary_criterion(fields, request);
    let mut best: Vec<Scored> = Vec::new();
    for kind in kinds {
        if best.len() >= limit && most_for_kind(request, kind) < best[limit - 1].earned {
            continue;
        }
        let kind_clause: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(fields.tags, &tag::kind(kind)),
            IndexRecordOption::Basic,
        ));
        let mut found = match &primary {
            Some(primary) => {
                let query = BooleanQuery::new(vec![
                    (Occur::Must, kind_clause.box_clone()),
                    (Occur::Must, primary.box_clone()),
                ]);
                searcher.search(&query, &collector)?
            }
            None => Vec::new(),
        };
        if found.len() < limit {
            found = searcher.search(kind_clause.as_ref(), &collector)?;
        }
        best.extend(found);
        best.sort_by(Scored::order);
        best.truncate(limit);
    }
    // Text candidates outside the structured set.
    let needs_certs = !request.certifications.is_empty();
    let mut segments: FxHashMap<u32, SegmentFacts> = FxHashMap::default();
    if !text_scores.is_empty() {
        let mut seen: FxHashSet<DocAddress> = best.iter().map(|c| c.address).collect();
        for address in text_scores.keys() {
            if seen.insert(*address) {
                let facts = facts_of(&mut segments, &searcher, address.segment_ord)?;
                let candidate = facts.candidate(address.doc_id, true, needs_certs);
                best.push(collector.judge(&candidate, facts.id(address.doc_id), *address));
            }
        }
        best.sort_by(Scored::order);
        best.truncate(limit);
    }

    let possible = possible(request);
    best.into_iter()
        .map(|scored| {
            let facts = facts_of(&mut segments, &searcher, scored.address.segment_ord)?;
            let candidate = facts.candidate(scored.address.doc_id, true, true);
            let mut reasons = Vec::new();
            let text_permille = collector.text_permille(scored.address);
            let earned = evaluate(
                request,
                &collector.wanted,
                &candidate,
                text_permille,
                Some(&mut reasons),
            );
            Ok(Match {
                id: scored.id,
                kind: candidate.kind,
                name: stored_name(&searcher, fields, scored.address)?,
                score: (earned * 100 / (possible * 1000)).min(100) as u8,
                reasons,
            })
        })
        .collect()
}

/// The columns of a segment (with certifications), opened once per call.
fn facts_of<'a>(
    segments: &'a mut FxHashMap<u32, SegmentFacts>,
    searcher: &tantivy::Searcher,
    segment_ord: u32,
) -> Result<&'a SegmentFacts, DirectoryError> {
    if let std::collections::hash_map::Entry::Vacant(slot) = segments.entry(segment_ord) {
        slot.insert(SegmentFacts::open(
            searcher.segment_reader(segment_ord),
            true,
        )?);
    }
    Ok(&segments[&segment_ord])
}

/// The clause that selects structured candidates: the wanted sectors, else services, else
/// regions (the heaviest criterion first, so the best candidates are in the set).
fn primary_criterion(fields: &Fields, request: &MatchRequest) -> Option<Box<dyn Query>> {
    let tags: Vec<String> = if !request.sectors.is_empty() {
        request.sectors.iter().map(|s| tag::sector(*s)).collect()
    } else if !request.services.is_empty() {
        request.services.iter().map(|s| tag::service(*s)).collect()
    } else if !request.regions.is_empty() {
        request.regions.iter().map(|r| tag::region(*r)).collect()
    } else {
        return None;
    };
    // A union of posting lists, iterated without scores: no bitset to build per query.
    let clauses: Vec<(Occur, Box<dyn Query>)> = tags
        .iter()
        .map(|t| {
            let query: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(fields.tags, t),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, query)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The most a candidate of `kind` can earn: [`possible`] less the criteria its kind cannot
/// meet (a ticket, stages), in weight × per-mille.
fn most_for_kind(request: &MatchRequest, kind: Kind) -> u64 {
    let mut most = possible(request);
    let fits_money = (request.ticket.is_some() && kind == Kind::Project)
        || (request.funding_sought.is_some() && kind == Kind::Investor);
    if (request.ticket.is_some() || request.funding_sought.is_some()) && !fits_money {
        most -= u64::from(weight::TICKET);
    }
    if !request.stages.is_empty() && !matches!(kind, Kind::Investor | Kind::Project) {
        most -= u64::from(weight::STAGES);
    }
    most * 1000
}

/// The highest possible earned total: the weights of the criteria the request states.
fn possible(request: &MatchRequest) -> u64 {
    let mut possible = u64::from(weight::VERIFIED);
    for (stated, weight) in [
        (!request.sectors.is_empty(), weight::SECTORS),
        (!request.services.is_empty(), weight::SERVICES),
        (!request.regions.is_empty(), weight::REGIONS),
        (
            request.ticket.is_some() || request.funding_sought.is_some(),
            weight::TICKET,
        ),
        (!request.stages.is_empty(), weight::STAGES),
        (!request.certifications.is_empty(), weight::CERTIFICATIONS),
        (!request.text.trim().is_empty(), weight::TEXT),
    ] {
        if stated {
            possible += u64::from(weight);
        }
    }
    possible
}

/// A candidate's exact earned total (weight × per-mille) and where it is.
#[derive(Debug, Clone, Copy)]
struct Scored {
    earned: u64,
    id: EntryId,
    address: DocAddress,
}

impl Scored {
    /// Best first: more earned, then the lower id.
    fn order(a: &Scored, b: &Scored) -> std::cmp::Ordering {
        b.earned.cmp(&a.earned).then(a.id.cmp(&b.id))
    }
}

/// Scores every entry the query selects from fast fields and keeps the best `limit`.
struct MatchCollector<'a> {
    request: &'a MatchRequest,
    wanted: Wanted,
    text_scores: &'a FxHashMap<DocAddress, f32>,
    best_text: f32,
    limit: usize,
}

struct MatchSegmentCollector {
    request: MatchRequest,
    wanted: Wanted,
    text_scores: FxHashMap<DocId, u32>,
    segment_ord: u32,
    facts: SegmentFacts,
    needs_certs: bool,
    limit: usize,
    best: Vec<Scored>,
    /// How many candidates the buffer holds before it is cut back to `limit`.
    capacity: usize,
    /// The worst candidate kept once the buffer has been cut back.
    floor: Option<Scored>,
}

impl MatchCollector<'_> {
    fn text_permille(&self, address: DocAddress) -> u32 {
        text_permille(self.text_scores.get(&address).copied(), self.best_text)
    }

    fn judge(&self, candidate: &Candidate, id: EntryId, address: DocAddress) -> Scored {
        Scored {
            earned: evaluate(
                self.request,
                &self.wanted,
                candidate,
                self.text_permille(address),
                None,
            ),
            id,
            address,
        }
    }
}

fn text_permille(score: Option<f32>, best: f32) -> u32 {
    match score {
        Some(score) if best > 0.0 => ((score / best) * 1000.0).round().clamp(0.0, 1000.0) as u32,
        _ => 0,
    }
}

impl Collector for MatchCollector<'_> {
    type Fruit = Vec<Scored>;
    type Child = MatchSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<MatchSegmentCollector> {
        let needs_certs = !self.request.certifications.is_empty();
        let facts = SegmentFacts::open(segment, needs_certs)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let text_scores = self
            .text_scores
            .iter()
            .filter(|(address, _)| address.segment_ord == segment_ord)
            .map(|(address, score)| (address.doc_id, text_permille(Some(*score), self.best_text)))
            .collect();
        Ok(MatchSegmentCollector {
            request: self.request.clone(),
            wanted: self.wanted,
            text_scores,
            segment_ord,
            facts,
            needs_certs,
            limit: self.limit,
            best: Vec::with_capacity((self.limit * 4).max(256)),
            capacity: (self.limit * 4).max(256),
            floor: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        let mut all: Vec<Scored> = fruits.into_iter().flatten().collect();
        all.sort_by(Scored::order);
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for MatchSegmentCollector {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, _score: f32) {
        let facts = packed::unpack(self.facts.packed.get_val(doc));
        if self.wanted.kinds != 0 && !has(self.wanted.kinds, facts.kind as u32) {
            return;
        }
        let permille = if self.text_scores.is_empty() {
            0
        } else {
            self.text_scores.get(&doc).copied().unwrap_or(0)
        };
        // Skip the other columns when even full marks on them could not beat the worst kept.
        if let Some(floor) = self.floor {
            if upper_bound(&self.request, &self.wanted, &facts, permille) < floor.earned {
                return;
            }
        }
        let candidate = self
            .facts
            .candidate(doc, self.wanted.money, self.needs_certs);
        let earned = evaluate(&self.request, &self.wanted, &candidate, permille, None);
        let id = self.facts.id(doc);
        if Some(id) == self.request.exclude {
            return;
        }
        // Once the buffer has been cut back, anything not better than the worst kept loses.
        if let Some(floor) = self.floor {
            if Scored::order(
                &floor,
                &Scored {
                    earned,
                    id,
                    address: floor.address,
                },
            )
            .is_le()
            {
                return;
            }
        }
        self.best.push(Scored {
            earned,
            id,
            address: DocAddress::new(self.segment_ord, doc),
        });
        // Keep the buffer bounded: cut back to the best `limit` when it is full.
        if self.best.len() >= self.capacity {
            self.best.sort_by(Scored::order);
            self.best.truncate(self.limit);
            self.floor = self.best.last().copied();
        }
    }

    fn harvest(mut self) -> Vec<Scored> {
        self.best.sort_by(Scored::order);
        self.best.truncate(self.limit);
        self.best
    }
}

/// What rescoring knows of a candidate, read from fast fields.
struct Candidate {
    kind: Kind,
    services: u64,
    regions: u64,
    sectors: u64,
    stages: u64,
    verified: bool,
    ticket_min: i64,
    ticket_max: i64,
    funding: i64,
    certifications: Vec<String>,
}

/// The request's lists as bitmasks, computed once per call.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    kinds: u64,
    sectors: u64,
    services: u64,
    n_services: u32,
    regions: u64,
    stages: u64,
    money: bool,
    text: bool,
}

impl Wanted {
    fn of(request: &MatchRequest) -> Self {
        Wanted {
            kinds: mask(&request.kinds, Kind::bit),
            sectors: mask(&request.sectors, Sector::bit),
            services: mask(&request.services, Service::bit),
            n_services: request.services.len() as u32,
            regions: mask(&request.regions, Region::bit),
            stages: mask(&request.stages, Stage::bit),
            money: request.ticket.is_some() || request.funding_sought.is_some(),
            text: !request.text.trim().is_empty(),
        }
    }
}

/// The most a candidate can earn given its packed facts: the mask criteria exactly, the
/// ticket and certifications as if met.
fn upper_bound(
    request: &MatchRequest,
    wanted: &Wanted,
    facts: &packed::Facts,
    text_permille: u32,
) -> u64 {
    let full = |weight: u32| u64::from(weight) * 1000;
    let mut earned = 0;
    if wanted.sectors != 0 && wanted.sectors & facts.sectors != 0 {
        earned += full(weight::SECTORS);
    }
    if wanted.services != 0 {
        let hits = (wanted.services & facts.services).count_ones();
        earned += u64::from(weight::SERVICES) * u64::from(hits * 1000 / wanted.n_services);
    }
    if wanted.regions != 0 && wanted.regions & facts.regions != 0 {
        earned += full(weight::REGIONS);
    }
    if wanted.stages != 0 && wanted.stages & facts.stages != 0 {
        earned += full(weight::STAGES);
    }
    if wanted.money {
        earned += full(weight::TICKET);
    }
    if !request.certifications.is_empty() {
        earned += full(weight::CERTIFICATIONS);
    }
    if wanted.text {
        earned += u64::from(weight::TEXT) * u64::from(text_permille.min(1000));
    }
    if facts.verified {
        earned += full(weight::VERIFIED);
    }
    earned
}

/// A candidate's earned total (weight × per-mille, see the module documentation), and its
/// reasons when asked; integer arithmetic but for the text share, which arrives in per-mille.
/// Allocates nothing unless reasons are asked for.
fn evaluate(
    request: &MatchRequest,
    wanted: &Wanted,
    candidate: &Candidate,
    text_permille: u32,
    mut reasons: Option<&mut Vec<Reason>>,
) -> u64 {
    let mut earned: u64 = 0; // weight × per-mille
    let mut judge = |weight: u32, permille: u32| {
        earned += u64::from(weight) * u64::from(permille.min(1000));
    };
    if wanted.sectors != 0 {
        let hits = wanted.sectors & candidate.sectors;
        judge(weight::SECTORS, if hits == 0 { 0 } else { 1000 });
        if let Some(reasons) = reasons.as_deref_mut() {
            reasons.extend(
                request
                    .sectors
                    .iter()
                    .filter(|s| has(hits, s.bit()))
                    .map(|s| Reason::InSector(*s)),
            );
        }
    }
    if wanted.services != 0 {
        let hits = wanted.services & candidate.services;
        judge(
            weight::SERVICES,
            hits.count_ones() * 1000 / wanted.n_services,
        );
        if let Some(reasons) = reasons.as_deref_mut() {
            let offers = candidate.kind.offers_services();
            reasons.extend(
                request
                    .services
                    .iter()
                    .filter(|s| has(hits, s.bit()))
                    .map(|s| {
                        if offers {
                            Reason::OffersService(*s)
                        } else {
                            Reason::NeedsService(*s)
                        }
                    }),
            );
        }
    }
    if wanted.regions != 0 {
        let hits = wanted.regions & candidate.regions;
        judge(weight::REGIONS, if hits == 0 { 0 } else { 1000 });
        if let Some(reasons) = reasons.as_deref_mut() {
            reasons.extend(
                request
                    .regions
                    .iter()
                    .filter(|r| has(hits, r.bit()))
                    .map(|r| Reason::ServesRegion(*r)),
            );
        }
    }
    if wanted.money {
        let fits = ticket_fit(request, candidate);
        judge(weight::TICKET, if fits.is_some() { 1000 } else { 0 });
        if let (Some(reasons), Some(fits)) = (reasons.as_deref_mut(), fits) {
            reasons.push(fits);
        }
    }
    if wanted.stages != 0 {
        let hits = wanted.stages & candidate.stages;
        judge(weight::STAGES, if hits == 0 { 0 } else { 1000 });
        if let Some(reasons) = reasons.as_deref_mut() {
            reasons.extend(
                request
                    .stages
                    .iter()
                    .filter(|s| has(hits, s.bit()))
                    .map(|s| Reason::StageFits(*s)),
            );
        }
    }
    if !request.certifications.is_empty() {
        let mut n_held = 0;
        for wanted in &request.certifications {
            let wanted = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(held) = candidate
                .certifications
                .iter()
                .find(|c| c.eq_ignore_ascii_case(&wanted))
            {
                n_held += 1;
                if let Some(reasons) = reasons.as_deref_mut() {
                    reasons.push(Reason::Certified(held.clone()));
                }
            }
        }
        judge(
            weight::CERTIFICATIONS,
            (n_held * 1000 / request.certifications.len()) as u32,
        );
    }
    if wanted.text {
        judge(weight::TEXT, text_permille);
        if let (Some(reasons), true) = (reasons.as_deref_mut(), text_permille > 0) {
            reasons.push(Reason::TextMatch);
        }
    }
    judge(weight::VERIFIED, if candidate.verified { 1000 } else { 0 });
    if let (Some(reasons), true) = (reasons, candidate.verified) {
        reasons.push(Reason::Verified);
    }
    earned
}

fn ticket_fit(request: &MatchRequest, candidate: &Candidate) -> Option<Reason> {
    if let Some(ticket) = request.ticket {
        if candidate.funding > 0 && ticket.contains(Money::hkd(candidate.funding)) {
            return Some(Reason::TicketFits {
                sought: Money::hkd(candidate.funding),
                min: ticket.min(),
                max: ticket.max(),
            });
        }
    }
    if let Some(sought) = request.funding_sought {
        if candidate.ticket_max > 0
            && candidate.ticket_min <= sought.cents()
            && sought.cents() <= candidate.ticket_max
        {
            return Some(Reason::TicketFits {
                sought,
                min: Money::hkd(candidate.ticket_min),
                max: Money::hkd(candidate.ticket_max),
            });
        }
    }
    None
}

fn has(mask: u64, bit: u32) -> bool {
    mask & (1u64 << bit) != 0
}

/// The fast-field columns of one segment.
pub(crate) struct SegmentFacts {
    id: Arc<dyn ColumnValues<u64>>,
    packed: Arc<dyn ColumnValues<u64>>,
    ticket_min: Arc<dyn ColumnValues<i64>>,
    ticket_max: Arc<dyn ColumnValues<i64>>,
    funding: Arc<dyn ColumnValues<i64>>,
    certs: Option<StrColumn>,
}

impl SegmentFacts {
    /// The columns of a segment; the certifications column (a dictionary, slower to open)
    /// only when `with_certifications`.
    pub(crate) fn open(
        segment: &SegmentReader,
        with_certifications: bool,
    ) -> Result<Self, DirectoryError> {
        let fast = segment.fast_fields();
        Ok(SegmentFacts {
            id: fast.column_first_or_default(col::ID)?,
            packed: fast.column_first_or_default(col::PACKED)?,
            ticket_min: fast.column_first_or_default(col::TICKET_MIN)?,
            ticket_max: fast.column_first_or_default(col::TICKET_MAX)?,
            funding: fast.column_first_or_default(col::FUNDING)?,
            certs: if with_certifications {
                fast.str(col::CERTS)?
            } else {
                None
            },
        })
    }

    pub(crate) fn id(&self, doc: DocId) -> EntryId {
        EntryId::new(self.id.get_val(doc))
    }

    pub(crate) fn kind(&self, doc: DocId) -> Kind {
        Kind::from_bit(packed::unpack(self.packed.get_val(doc)).kind as u32)
            .unwrap_or(Kind::Enterprise)
    }

    pub(crate) fn verified(&self, doc: DocId) -> bool {
        packed::unpack(self.packed.get_val(doc)).verified
    }

    /// What scoring needs; the money columns only when `with_money`, the certifications only
    /// when `with_certifications` (and the column was opened).
    fn candidate(&self, doc: DocId, with_money: bool, with_certifications: bool) -> Candidate {
        let facts = packed::unpack(self.packed.get_val(doc));
        let mut certifications = Vec::new();
        if let (true, Some(certs)) = (with_certifications, &self.certs) {
            for ord in certs.term_ords(doc) {
                let mut text = String::new();
                if certs.ord_to_str(ord, &mut text).unwrap_or(false) {
                    certifications.push(text);
                }
            }
        }
        let money =
            |column: &Arc<dyn ColumnValues<i64>>| if with_money { column.get_val(doc) } else { 0 };
        Candidate {
            kind: Kind::from_bit(facts.kind as u32).unwrap_or(Kind::Enterprise),
            services: facts.services,
            regions: facts.regions,
            sectors: facts.sectors,
            stages: facts.stages,
            verified: facts.verified,
            ticket_min: money(&self.ticket_min),
            ticket_max: money(&self.ticket_max),
            funding: money(&self.funding),
            certifications,
        }
    }
}
