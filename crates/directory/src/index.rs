//! The tantivy index of the directory: its schema, how an entry becomes a document, and the
//! writes (rebuild, upsert, remove) that keep it in step with the database.
//!
//! One document per entry.
//! The `text` field (names three times, labels twice, descriptions once, in both languages)
//! uses the stemmed bilingual analyzer, `fuzzy` (English name and labels) the unstemmed one; `tags` holds the
//! filter terms (`k:provider`, `s:testing_certification`, `r:chongqing`, `c:ev`, `g:pilot`,
//! `v` for verified); the structured facts that facets and matching read (kind, bitmasks of
//! services, regions, sectors and stages, and verified, packed into one `u64`; ticket, funding
//! and id) are single-valued fast fields, so neither reads the document store;
//! certifications are a fast text column.
//! Only the two names are stored, for the hits shown.

use std::path::Path;
use std::sync::Mutex;

use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{stemmed_analyzer, unstemmed_analyzer, STEMMED, UNSTEMMED};
use crate::codes::mask;
use crate::{DirectoryError, Entry, EntryId, Kind, Profile};

/// How much memory and how many threads the index writer uses.
///
/// No `Default`: a server and a test want different budgets, so each says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexConfig {
    /// The writer's memory budget in bytes, shared by its threads; at least 15 MB per thread.
    pub memory_budget_bytes: usize,
    /// Indexing threads.
    pub threads: usize,
}

/// The search index of the directory.
///
/// Searching takes `&self` and runs concurrently; writes take the writer's lock, commit, and
/// reload the reader before returning, so a search after a write sees it.
pub struct DirectoryIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub tags: Field,
    pub text: Field,
    pub fuzzy: Field,
    pub certs: Field,
    pub funding: Field,
    pub ticket_min: Field,
    pub ticket_max: Field,
    pub name_en: Field,
    pub name_zh: Field,
    pub packed: Field,
}

/// Names of the fast fields, as the column readers look them up.
pub(crate) mod col {
    pub const ID: &str = "id";
    pub const PACKED: &str = "packed";
    pub const TICKET_MIN: &str = "ticket_min";
    pub const TICKET_MAX: &str = "ticket_max";
    pub const FUNDING: &str = "funding";
    pub const CERTS: &str = "certs";
}

/// The analyzer name of the certifications field: the whole text, lowercased.
const CERT_ANALYZER: &str = "madeby_cert";

/// How often [`DirectoryIndex::rebuild`] reports progress, in entries.
const PROGRESS_EVERY: u64 = 10_000;

/// How often [`DirectoryIndex::merge_segments`] retries while background merges finish.
const MERGE_ATTEMPTS: u32 = 100;

/// The least memory tantivy accepts per indexing thread.
const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

impl IndexConfig {
    /// 400 MB over 2 threads: for the server and for rebuilding a large directory.
    pub const SERVER: IndexConfig = IndexConfig {
        memory_budget_bytes: 400_000_000,
        threads: 2,
    };

    /// 50 MB on 1 thread: for tests and small demo indexes.
    pub const SMALL: IndexConfig = IndexConfig {
        memory_budget_bytes: 50_000_000,
        threads: 1,
    };
}

impl DirectoryIndex {
    /// A new, empty index in memory.
    pub fn create_in_ram(config: &IndexConfig) -> Result<Self, DirectoryError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        DirectoryIndex::from_index(index, fields, config)
    }

    /// Opens the index in `dir`, or creates an empty one there.
    ///
    /// An index written with another schema is an [`DirectoryError::Index`] error; delete the
    /// directory and [`rebuild`](Self::rebuild) from the database.
    pub fn open_or_create(dir: &Path, config: &IndexConfig) -> Result<Self, DirectoryError> {
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema)?;
        DirectoryIndex::from_index(index, fields, config)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        config: &IndexConfig,
    ) -> Result<Self, DirectoryError> {
        if config.threads == 0
            || config.memory_budget_bytes / config.threads < MIN_MEMORY_PER_THREAD
        {
            return Err(DirectoryError::invalid(
                "memory_budget_bytes",
                format!(
                    "{} bytes over {} threads is less than {MIN_MEMORY_PER_THREAD} bytes per thread",
                    config.memory_budget_bytes, config.threads
                ),
            ));
        }
        index.tokenizers().register(STEMMED, stemmed_analyzer());
        index.tokenizers().register(UNSTEMMED, unstemmed_analyzer());
        index.tokenizers().register(
            CERT_ANALYZER,
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let writer = index.writer_with_num_threads(config.threads, config.memory_budget_bytes)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(DirectoryIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    /// Replaces the whole index with `entries` (e.g. every row of the database), committing
    /// once at the end; returns how many entries were indexed.
    ///
    /// `progress` is called with the count so far every 10,000 entries and once at the end.
    /// Entries are streamed: only the writer's buffer is held in memory.
    pub fn rebuild(
        &self,
        entries: impl IntoIterator<Item = Entry>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, DirectoryError> {
        let mut writer = self.writer()?;
        writer.delete_all_documents()?;
        let mut n_entries = 0u64;
        for entry in entries {
            writer.add_document(self.document(&entry))?;
            n_entries += 1;
            if n_entries.is_multiple_of(PROGRESS_EVERY) {
                progress(n_entries);
            }
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        progress(n_entries);
        Ok(n_entries)
    }

    /// Adds an entry, or replaces the one with its id, and commits.
    pub fn upsert(&self, entry: &Entry) -> Result<(), DirectoryError> {
        self.upsert_batch(std::slice::from_ref(entry))
    }

    /// Adds or replaces several entries with one commit (much faster than one at a time).
    pub fn upsert_batch(&self, entries: &[Entry]) -> Result<(), DirectoryError> {
        let mut writer = self.writer()?;
        for entry in entries {
            writer.delete_term(self.id_term(entry.id()));
            writer.add_document(self.document(entry))?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes an entry (nothing happens when the id is not indexed) and commits.
    pub fn remove(&self, id: EntryId) -> Result<(), DirectoryError> {
        self.remove_batch(&[id])
    }

    /// Removes several entries with one commit.
    pub fn remove_batch(&self, ids: &[EntryId]) -> Result<(), DirectoryError> {
        let mut writer = self.writer()?;
        for id in ids {
            writer.delete_term(self.id_term(*id));
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Merges all segments into one and waits for it: searches get faster after a large
    /// rebuild (the bench calls it; a server can call it at a quiet moment).
    pub fn merge_segments(&self) -> Result<(), DirectoryError> {
        let mut writer = self.writer()?;
        // A background merge may hold some of the segments; it finishes soon, so try again.
        let mut attempt = 0;
        loop {
            let segment_ids = self.index.searchable_segment_ids()?;
            if segment_ids.len() <= 1 {
                break;
            }
            match writer.merge(&segment_ids).wait() {
                Ok(_) => break,
                Err(tantivy::TantivyError::InvalidArgument(_)) if attempt < MERGE_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(err) => return Err(err.into()),
            }
        }
        writer.garbage_collect_files().wait()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// How many entries the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many segments the index has (fewer is faster to search).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, DirectoryError> {
        self.writer
            .lock()
            .map_err(|_| DirectoryError::WriterPoisoned)
    }

    pub(crate) fn id_term(&self, id: EntryId) -> Term {
        Term::from_field_u64(self.fields.id, id.get())
    }

    fn document(&self, entry: &Entry) -> TantivyDocument {
        document(&self.fields, entry)
    }
}

/// Builds the schema; the field handles are looked up by name.
fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    let fast_u64 = || NumericOptions::default().set_fast();
    let id = builder.add_u64_field(col::ID, NumericOptions::default().set_indexed().set_fast());
    let tags = builder.add_text_field("tags", STRING);
    let text_field = builder.add_text_field("text", text(STEMMED, IndexRecordOption::WithFreqs));
    let fuzzy = builder.add_text_field("fuzzy", text(UNSTEMMED, IndexRecordOption::Basic));
    let certs = builder.add_text_field(
        col::CERTS,
        text(CERT_ANALYZER, IndexRecordOption::Basic).set_fast("raw"),
    );
    let packed = builder.add_u64_field(col::PACKED, fast_u64());
    let ticket_min = builder.add_i64_field(col::TICKET_MIN, FAST);
    let ticket_max = builder.add_i64_field(col::TICKET_MAX, FAST);
    let funding = builder.add_i64_field(col::FUNDING, FAST);
    let name_en = builder.add_text_field("name_en", STORED);
    let name_zh = builder.add_text_field("name_zh", STORED);
    let schema = builder.build();
    let fields = Fields {
        id,
        tags,
        text: text_field,
        fuzzy,
        certs,
        funding,
        ticket_min,
        ticket_max,
        name_en,
        name_zh,
        packed,
    };
    (schema, fields)
}

/// The structured facts of an entry packed into one `u64` fast field, so facets and matching
/// read one column per entry: sectors in bits 0–14, services 15–29, regions 30–48, stages
/// 49–53, the kind 54–56 and verified in bit 57.
pub(crate) mod packed {
    /// The unpacked facts (bitmasks over each vocabulary's `bit()`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Facts {
        pub kind: u64,
        pub services: u64,
        pub regions: u64,
        pub sectors: u64,
        pub stages: u64,
        pub verified: bool,
    }

    const SERVICES: u32 = 15;
    const REGIONS: u32 = 30;
    const STAGES: u32 = 49;
    const KIND: u32 = 54;
    const VERIFIED: u32 = 57;

    const fn bits(n: u32) -> u64 {
        (1u64 << n) - 1
    }

    pub fn pack(facts: &Facts) -> u64 {
        (facts.sectors & bits(15))
            | ((facts.services & bits(15)) << SERVICES)
            | ((facts.regions & bits(19)) << REGIONS)
            | ((facts.stages & bits(5)) << STAGES)
            | ((facts.kind & bits(3)) << KIND)
            | (u64::from(facts.verified) << VERIFIED)
    }

    pub fn unpack(packed: u64) -> Facts {
        Facts {
            sectors: packed & bits(15),
            services: (packed >> SERVICES) & bits(15),
            regions: (packed >> REGIONS) & bits(19),
            stages: (packed >> STAGES) & bits(5),
            kind: (packed >> KIND) & bits(3),
            verified: (packed >> VERIFIED) & 1 == 1,
        }
    }
}

/// The tag terms of an entry: what filters match on.
pub(crate) mod tag {
    use crate::{Kind, Region, Sector, Service, Stage};

    pub fn kind(kind: Kind) -> String {
        format!("k:{}", kind.code())
    }
    pub fn service(service: Service) -> String {
        format!("s:{}", service.code())
    }
    pub fn region(region: Region) -> String {
        format!("r:{}", region.code())
    }
    pub fn sector(sector: Sector) -> String {
        format!("c:{}", sector.code())
    }
    pub fn stage(stage: Stage) -> String {
        format!("g:{}", stage.code())
    }
    pub const VERIFIED: &str = "v";
}

/// The document of an entry.
fn document(fields: &Fields, entry: &Entry) -> TantivyDocument {
    let profile = entry.profile();
    let kind = profile.kind();
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, entry.id().get());

    doc.add_text(fields.tags, tag::kind(kind));
    for service in profile.services() {
        doc.add_text(fields.tags, tag::service(*service));
    }
    for region in profile.regions() {
        doc.add_text(fields.tags, tag::region(*region));
    }
    for sector in profile.sectors() {
        doc.add_text(fields.tags, tag::sector(*sector));
    }
    for stage in profile.stages() {
        doc.add_text(fields.tags, tag::stage(*stage));
    }
    if profile.verified() {
        doc.add_text(fields.tags, tag::VERIFIED);
    }

    // One text field, with the name three times and the labels twice: BM25 then ranks a
    // word in the name above one in the labels above one in the description, and each query
    // word is one posting list, so intersections stay fast at a million entries.
    let (labels_en, labels_zh) = labels(profile);
    for _ in 0..3 {
        doc.add_text(fields.text, profile.name().en());
        doc.add_text(fields.text, profile.name().zh());
    }
    for _ in 0..2 {
        doc.add_text(fields.text, &labels_en);
        doc.add_text(fields.text, &labels_zh);
    }
    doc.add_text(fields.text, profile.description().en());
    doc.add_text(fields.text, profile.description().zh());
    doc.add_text(fields.fuzzy, profile.name().en());
    doc.add_text(fields.fuzzy, &labels_en);
    for certification in profile.certifications() {
        doc.add_text(fields.certs, certification);
    }

    doc.add_u64(
        fields.packed,
        packed::pack(&packed::Facts {
            kind: u64::from(kind.bit()),
            services: mask(profile.services(), crate::Service::bit),
            regions: mask(profile.regions(), crate::Region::bit),
            sectors: mask(profile.sectors(), crate::Sector::bit),
            stages: mask(profile.stages(), crate::Stage::bit),
            verified: profile.verified(),
        }),
    );
    let (ticket_min, ticket_max) = profile.ticket().map_or((0, 0), |ticket| {
        (ticket.min().cents(), ticket.max().cents())
    });
    doc.add_i64(fields.ticket_min, ticket_min);
    doc.add_i64(fields.ticket_max, ticket_max);
    doc.add_i64(
        fields.funding,
        profile.funding_sought().map_or(0, |m| m.cents()),
    );
    doc.add_text(fields.name_en, profile.name().en());
    doc.add_text(fields.name_zh, profile.name().zh());
    doc
}

/// The label words of an entry in English and Chinese: its kind, sectors, regions, stages,
/// certifications, and the services it offers (not those it needs: a search for "testing" is
/// for testing laboratories, not for their customers).
fn labels(profile: &Profile) -> (String, String) {
    let mut en = String::with_capacity(256);
    let mut zh = String::with_capacity(128);
    let mut push = |label_en: &str, label_zh: &str, words: &str| {
        en.push_str(label_en);
        en.push(' ');
        zh.push_str(label_zh);
        zh.push(' ');
        // Synonyms go to both: the analyzer treats Latin and CJK alike.
        en.push_str(words);
        en.push(' ');
    };
    let kind: Kind = profile.kind();
    push(kind.label_en(), kind.label_zh(), kind.search_words());
    for sector in profile.sectors() {
        push(sector.label_en(), sector.label_zh(), sector.search_words());
    }
    for region in profile.regions() {
        push(region.label_en(), region.label_zh(), region.search_words());
    }
    if kind.offers_services() {
        for service in profile.services() {
            push(
                service.label_en(),
                service.label_zh(),
                service.search_words(),
            );
        }
    }
    for stage in profile.stages() {
        push(stage.label_en(), stage.label_zh(), stage.search_words());
    }
    for certification in profile.certifications() {
        en.push_str(certification);
        en.push(' ');
    }
    (en, zh)
}
