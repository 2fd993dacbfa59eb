//! Searching the directory: bilingual full text with typo tolerance, filters by kind, service,
//! region and sector, and facet counts over the matching set.
//!
//! # How a query is built
//!
//! The text is split into words: each Latin word, and each run of CJK characters (as bigrams).
//! Every word must match (AND); when that finds nothing and there are several words, the search
//! is retried with any word matching (OR) and [`SearchResults::relaxed`] says so.
//! A Latin word matches its stem in the one text field, scored by BM25; the field holds the
//! name three times and the labels (kind, sectors, regions, stages, certifications and offered
//! services, in both languages) twice, so a word in the name counts most, then the labels,
//! then the description.
//! A word of 4 characters or more that the index does not know as written also matches, at a
//! constant 0.5 (below any exact match), any word of the English name and labels within
//! Levenshtein distance 1 (2 from 8 characters; a transposition counts as 1), so "tesing" finds
//! testing laboratories; a known word is not widened, which keeps common words fast.
//! A CJK run needs its non-overlapping bigrams (重慶檢測 needs 重慶 and 檢測; most Chinese words
//! have two characters), and the relaxed retry takes any bigram of it.
//! Verified entries get a small constant boost (0.3).
//!
//! Filters: within one facet any listed value matches (services = [law, ip] means "offers law
//! or ip"), across facets all must (AND).
//! Facet counts are over the whole matching set, filters included, read from single-valued
//! bitmask fast fields, so counting costs a few nanoseconds per matching entry.
//! With empty text, the filters alone select (browse by facet), verified entries first.

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};
use vocab::BilingualText;

use crate::analysis::{query_words, stemmed_analyzer, tokens_of, QueryWord};
use crate::index::{col, packed, tag, Fields};
use crate::{DirectoryError, DirectoryIndex, EntryId, Kind, Region, Sector, Service};

/// A search: free text (possibly empty) and filters, with paging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words in English and/or Chinese; empty to browse by the filters alone.
    pub text: String,
    /// Only these kinds (empty: any).
    pub kinds: Vec<Kind>,
    /// Only entries with any of these services (empty: any).
    pub services: Vec<Service>,
    /// Only entries with any of these regions (empty: any).
    pub regions: Vec<Region>,
    /// Only entries with any of these sectors (empty: any).
    pub sectors: Vec<Sector>,
    /// How many hits to return, at most [`MAX_LIMIT`]; 0 for facets only.
    pub limit: usize,
    /// How many hits to skip (paging).
    pub offset: usize,
}

/// The most hits one search returns.
pub const MAX_LIMIT: usize = 1_000;

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// How many entries match.
    pub total: u64,
    /// The hits of the requested page, best first.
    pub hits: Vec<Hit>,
    /// Counts by facet over all matching entries.
    pub facets: Facets,
    /// Whether no entry matched every word, so entries matching any word were returned.
    pub relaxed: bool,
}

/// One entry found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The entry's id.
    pub id: EntryId,
    /// The relevance score (BM25 plus boosts); only its order means anything.
    pub score: f32,
    /// The kind.
    pub kind: Kind,
    /// The name in both languages.
    pub name: BilingualText,
    /// Whether the entry is verified.
    pub verified: bool,
}

/// Facet counts: each value present in the matching set with how many entries have it,
/// most first (ties in declaration order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// By kind.
    pub kinds: Vec<(Kind, u64)>,
    /// By service.
    pub services: Vec<(Service, u64)>,
    /// By region.
    pub regions: Vec<(Region, u64)>,
    /// By sector.
    pub sectors: Vec<(Sector, u64)>,
}

/// Boosts of the text fields and of the other signals.
pub(crate) mod boost {
    pub const FUZZY: f32 = 0.5;
    pub const VERIFIED: f32 = 0.3;
}

impl SearchQuery {
    /// A text search with no filters, returning the first `limit` hits.
    pub fn text(text: &str, limit: usize) -> Self {
        SearchQuery {
            text: text.to_owned(),
            kinds: Vec::new(),
            services: Vec::new(),
            regions: Vec::new(),
            sectors: Vec::new(),
            limit,
            offset: 0,
        }
    }
}

impl DirectoryIndex {
    /// Runs a search.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, DirectoryError> {
        if query.limit > MAX_LIMIT {
            return Err(DirectoryError::invalid(
                "limit",
                format!("{} is more than {MAX_LIMIT}", query.limit),
            ));
        }
        let searcher = self.reader.searcher();
        let filters = filter_clauses(&self.fields, query);
        let strict = self.search_with(&searcher, query, &filters, Matching::AllWords)?;
        if let Some((results, n_words)) = strict {
            if results.total > 0 || n_words < 2 {
                return Ok(results);
            }
            if let Some((mut relaxed, _)) =
                self.search_with(&searcher, query, &filters, Matching::AnyWord)?
            {
                relaxed.relaxed = true;
                return Ok(relaxed);
            }
            return Ok(results);
        }
        Ok(SearchResults {
            total: 0,
            hits: Vec::new(),
            facets: Facets::default(),
            relaxed: false,
        })
    }

    /// Searches with one way of combining words; `None` when the text has words yet none can
    /// be looked up (only over-long tokens).
    fn search_with(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        filters: &[(Occur, Box<dyn Query>)],
        matching: Matching,
    ) -> Result<Option<(SearchResults, usize)>, DirectoryError> {
        let text = text_query(searcher, &self.fields, &query.text, matching);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
        let n_words = match text {
            TextQuery::Empty => 0,
            TextQuery::Words { query, n_words } => {
                clauses.push((Occur::Must, query));
                n_words
            }
            TextQuery::Unsearchable => return Ok(None),
        };
        if clauses.is_empty() {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
            ));
        }
        clauses.push((Occur::Should, verified_boost(&self.fields)));
        let full = BooleanQuery::new(clauses);
        let (top, counts) = if query.limit == 0 {
            (Vec::new(), searcher.search(&full, &FacetCollector)?)
        } else {
            let top_docs = TopDocs::with_limit(query.limit)
                .and_offset(query.offset)
                .order_by_score();
            searcher.search(&full, &(top_docs, FacetCollector))?
        };
        let mut segments: Vec<Option<crate::matching::SegmentFacts>> = Vec::new();
        segments.resize_with(searcher.segment_readers().len(), || None);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let slot = &mut segments[address.segment_ord as usize];
            if slot.is_none() {
                *slot = Some(crate::matching::SegmentFacts::open(
                    searcher.segment_reader(address.segment_ord),
                    false,
                )?);
            }
            let facts = slot.as_ref().expect("opened above");
            hits.push(Hit {
                id: facts.id(address.doc_id),
                score,
                kind: facts.kind(address.doc_id),
                name: stored_name(searcher, &self.fields, address)?,
                verified: facts.verified(address.doc_id),
            });
        }
        let total = counts.kinds.iter().sum();
        Ok(Some((
            SearchResults {
                total,
                hits,
                facets: counts.facets(),
                relaxed: false,
            },
            n_words,
        )))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matching {
    AllWords,
    AnyWord,
}

pub(crate) enum TextQuery {
    /// No words at all.
    Empty,
    /// Words that did not survive analysis (only over-long tokens).
    Unsearchable,
    /// The query over the words.
    Words {
        query: Box<dyn Query>,
        n_words: usize,
    },
}

/// Builds the text part of a search (see the module documentation).
pub(crate) fn text_query(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
    matching: Matching,
) -> TextQuery {
    let words = query_words(text);
    if words.is_empty() {
        return TextQuery::Empty;
    }
    let mut stemmer = stemmed_analyzer();
    let mut groups: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
    for word in &words {
        match word {
            QueryWord::Latin(raw) => {
                let Some(stem) = tokens_of(&mut stemmer, raw).into_iter().next() else {
                    continue;
                };
                let exact = term(fields.text, &stem);
                let lower = raw.to_lowercase();
                let distance = match lower.chars().count() {
                    0..=3 => 0,
                    4..=7 => 1,
                    _ => 2,
                };
                // Typo tolerance only for words the index does not know as written: a known
                // word needs no correction, and skipping the automaton keeps common words fast.
                let known = searcher
                    .doc_freq(&Term::from_field_text(fields.fuzzy, &lower))
                    .is_ok_and(|n| n > 0)
                    || searcher
                        .doc_freq(&Term::from_field_text(fields.text, &stem))
                        .is_ok_and(|n| n > 0);
                if distance > 0 && !known && lower.chars().any(char::is_alphabetic) {
                    let fuzzy = FuzzyTermQuery::new(
                        Term::from_field_text(fields.fuzzy, &lower),
                        distance,
                        true,
                    );
                    let fuzzy: Box<dyn Query> =
                        Box::new(BoostQuery::new(Box::new(fuzzy), boost::FUZZY));
                    groups.push(Box::new(BooleanQuery::new(vec![
                        (Occur::Should, exact),
                        (Occur::Should, fuzzy),
                    ])));
                } else {
                    groups.push(exact);
                }
            }
            QueryWord::Cjk(grams) => {
                // A run needs its non-overlapping bigrams (重慶檢測: 重慶 and 檢測), most
                // Chinese words being two characters: an intersection of few posting lists,
                // fast at a million entries, and 重慶 … 檢測 need not be adjacent.
                // The relaxed retry takes any bigram.
                match matching {
                    Matching::AllWords => {
                        let last = grams.len() - 1;
                        let clauses: Vec<(Occur, Box<dyn Query>)> = grams
                            .iter()
                            .enumerate()
                            .filter(|(idx, _)| idx % 2 == 0 || *idx == last)
                            .map(|(_, gram)| (Occur::Must, term(fields.text, gram)))
                            .collect();
                        groups.push(Box::new(BooleanQuery::new(clauses)));
                    }
                    Matching::AnyWord => {
                        groups.extend(grams.iter().map(|gram| term(fields.text, gram)))
                    }
                }
            }
        }
    }
    if groups.is_empty() {
        return TextQuery::Unsearchable;
    }
    let n_words = words
        .iter()
        .map(|word| match word {
            QueryWord::Latin(_) => 1,
            QueryWord::Cjk(grams) => grams.len(),
        })
        .sum();
    let occur = match matching {
        Matching::AllWords => Occur::Must,
        Matching::AnyWord => Occur::Should,
    };
    let query = BooleanQuery::new(groups.into_iter().map(|group| (occur, group)).collect());
    TextQuery::Words {
        query: Box::new(query),
        n_words,
    }
}

/// A BM25-scored term of the text field.
fn term(field: tantivy::schema::Field, token: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, token),
        IndexRecordOption::WithFreqs,
    ))
}

/// A filter: entries with any of the tags, adding nothing to the score.
pub(crate) fn tag_filter(
    fields: &Fields,
    tags: impl IntoIterator<Item = String>,
) -> Box<dyn Query> {
    let mut terms: Vec<Term> = tags
        .into_iter()
        .map(|t| Term::from_field_text(fields.tags, &t))
        .collect();
    // One term is a plain posting list, which intersections can skip through.
    let inner: Box<dyn Query> = if terms.len() == 1 {
        Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::Basic))
    } else {
        Box::new(TermSetQuery::new(terms))
    };
    Box::new(ConstScoreQuery::new(inner, 0.0))
}

pub(crate) fn verified_boost(fields: &Fields) -> Box<dyn Query> {
    let term = TermQuery::new(
        Term::from_field_text(fields.tags, tag::VERIFIED),
        IndexRecordOption::Basic,
    );
    Box::new(ConstScoreQuery::new(Box::new(term), boost::VERIFIED))
}

fn filter_clauses(fields: &Fields, query: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !query.kinds.is_empty() {
        clauses.push((
            Occur::Must,
            tag_filter(fields, query.kinds.iter().map(|k| tag::kind(*k))),
        ));
    }
    if !query.services.is_empty() {
        clauses.push((
            Occur::Must,
            tag_filter(fields, query.services.iter().map(|s| tag::service(*s))),
        ));
    }
    if !query.regions.is_empty() {
        clauses.push((
            Occur::Must,
            tag_filter(fields, query.regions.iter().map(|r| tag::region(*r))),
        ));
    }
    if !query.sectors.is_empty() {
        clauses.push((
            Occur::Must,
            tag_filter(fields, query.sectors.iter().map(|s| tag::sector(*s))),
        ));
    }
    clauses
}

pub(crate) fn stored_name(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<BilingualText, DirectoryError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    BilingualText::new(text(fields.name_en), text(fields.name_zh))
        .map_err(|e| DirectoryError::invalid("name", e))
}

/// Counts of the matching set by kind, service, region and sector bit.
pub(crate) struct Counts {
    kinds: [u64; 64],
    services: [u64; 64],
    regions: [u64; 64],
    sectors: [u64; 64],
}

/// Collects [`Counts`] from the bitmask fast fields.
struct FacetCollector;

struct FacetSegmentCollector {
    packed: std::sync::Arc<dyn ColumnValues<u64>>,
    counts: Counts,
}

impl Counts {
    fn new() -> Self {
        Counts {
            kinds: [0; 64],
            services: [0; 64],
            regions: [0; 64],
            sectors: [0; 64],
        }
    }

    fn add(&mut self, other: &Counts) {
        for (mine, theirs) in [
            (&mut self.kinds, &other.kinds),
            (&mut self.services, &other.services),
            (&mut self.regions, &other.regions),
            (&mut self.sectors, &other.sectors),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    fn facets(&self) -> Facets {
        Facets {
            kinds: ranked(&self.kinds, Kind::from_bit),
            services: ranked(&self.services, Service::from_bit),
            regions: ranked(&self.regions, Region::from_bit),
            sectors: ranked(&self.sectors, Sector::from_bit),
        }
    }
}

fn ranked<T>(counts: &[u64; 64], from_bit: impl Fn(u32) -> Option<T>) -> Vec<(T, u64)> {
    let mut values: Vec<(T, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(bit, n)| from_bit(bit as u32).map(|value| (value, *n)))
        .collect();
    // A stable sort keeps declaration order among equal counts.
    values.sort_by_key(|value| std::cmp::Reverse(value.1));
    values
}

fn count_bits(counts: &mut [u64; 64], mut mask: u64) {
    while mask != 0 {
        counts[mask.trailing_zeros() as usize] += 1;
        mask &= mask - 1;
    }
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        Ok(FacetSegmentCollector {
            packed: fast.column_first_or_default(col::PACKED)?,
            counts: Counts::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total = Counts::new();
        for fruit in &fruits {
            total.add(fruit);
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let facts = packed::unpack(self.packed.get_val(doc));
        self.counts.kinds[facts.kind as usize] += 1;
        count_bits(&mut self.counts.services, facts.services);
        count_bits(&mut self.counts.regions, facts.regions);
        count_bits(&mut self.counts.sectors, facts.sectors);
    }

    fn harvest(self) -> Counts {
        self.counts
    }
}
