//! The bilingual analyzer: Latin words lowercased and stemmed, Chinese split into overlapping
//! character bigrams.
//!
//! Chinese has no spaces between words, so a tokenizer must either know the words (a
//! dictionary, as jieba does) or index character n-grams.
//! jieba's dictionary is Simplified Chinese and misses Traditional terms such as 檢測 and 重慶,
//! so this analyzer indexes overlapping bigrams, as Lucene's CJKAnalyzer does: 重慶檢測 becomes
//! 重慶, 慶檢, 檢測, and a run of one CJK character is kept as a unigram.
//! A two-character query word is then one exact term, and longer words match by their bigrams.
//! Latin letters and digits form words, lowercased and (in the stemmed analyzer) reduced by the
//! English Snowball stemmer, so "testing" and "tests" both become "test".

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name under which the stemmed analyzer is registered on the index.
pub(crate) const STEMMED: &str = "madeby_bilingual";
/// The name under which the unstemmed analyzer (for typo-tolerant matching) is registered.
pub(crate) const UNSTEMMED: &str = "madeby_bilingual_raw";

/// The longest token kept, in bytes; longer ones are dropped (they are never real words).
const MAX_TOKEN_BYTES: usize = 40;

/// Splits text into Latin words and CJK bigrams (unigrams for lone CJK characters).
///
/// This is the tokenizer only; [`stemmed_analyzer`] and [`unstemmed_analyzer`] add lowercasing
/// and stemming.
#[derive(Debug, Clone, Default)]
pub struct BilingualTokenizer {
    token: Token,
}

/// The token stream of [`BilingualTokenizer`].
pub struct BilingualTokenStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to read.
    cursor: usize,
    /// The previous CJK character of the current run (offset, char), if any.
    previous_cjk: Option<(usize, char)>,
    /// How many CJK characters the current run has had.
    run_len: usize,
    position: usize,
    token: &'a mut Token,
}

/// Whether a character is written without spaces between words: Han ideographs (with the
/// extensions and compatibility block), kana and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{AC00}'..='\u{D7AF}')
}

/// The analyzer used for names, labels and descriptions, and for query words: bilingual
/// tokens, lowercased, English-stemmed.
///
/// The Snowball stemmer only rewrites Latin suffixes, so CJK bigrams pass through unchanged.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(BilingualTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for the typo-tolerant field: bilingual tokens, lowercased, not stemmed (edit
/// distances are measured against the words as written).
pub fn unstemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(BilingualTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// The stemmed tokens of a text, in order: what the index stores and a query looks up.
///
/// ```
/// assert_eq!(directory::analyze("Testing labs 重慶檢測"), ["test", "lab", "重慶", "慶檢", "檢測"]);
/// ```
pub fn analyze(text: &str) -> Vec<String> {
    tokens_of(&mut stemmed_analyzer(), text)
}

/// The unstemmed, lowercased tokens of a text (CJK as bigrams).
///
/// The PostgreSQL benchmark peer puts these into its `tsvector`, since PostgreSQL has no
/// Chinese tokenizer of its own.
pub fn analyze_unstemmed(text: &str) -> Vec<String> {
    tokens_of(&mut unstemmed_analyzer(), text)
}

pub(crate) fn tokens_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

/// A query word as the tokenizer sees it, before lowercasing and stemming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryWord {
    /// A run of Latin letters and digits.
    Latin(String),
    /// The bigrams (or the unigram) of one run of CJK characters.
    Cjk(Vec<String>),
}

/// Splits query text into words: each Latin word alone, each CJK run with its bigrams.
pub(crate) fn query_words(text: &str) -> Vec<QueryWord> {
    let mut tokenizer = BilingualTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut words: Vec<QueryWord> = Vec::new();
    let mut last_cjk_end: Option<usize> = None;
    while stream.advance() {
        let token = stream.token();
        let first = token.text.chars().next().unwrap_or(' ');
        if is_cjk(first) {
            // Bigrams of one run overlap: the next starts before the previous ends.
            let continues = last_cjk_end.is_some_and(|end| token.offset_from < end);
            match words.last_mut() {
                Some(QueryWord::Cjk(grams)) if continues => grams.push(token.text.clone()),
                _ => words.push(QueryWord::Cjk(vec![token.text.clone()])),
            }
            last_cjk_end = Some(token.offset_to);
        } else {
            words.push(QueryWord::Latin(token.text.clone()));
            last_cjk_end = None;
        }
    }
    words
}

impl Tokenizer for BilingualTokenizer {
    type TokenStream<'a> = BilingualTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BilingualTokenStream<'a> {
        self.token.reset();
        BilingualTokenStream {
            text,
            cursor: 0,
            previous_cjk: None,
            run_len: 0,
            position: 0,
            token: &mut self.token,
        }
    }
}

impl BilingualTokenStream<'_> {
    fn emit(&mut self, from: usize, to: usize) {
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
    }

    /// Ends the current CJK run; returns the unigram to emit when the run had one character.
    fn end_run(&mut self) -> Option<(usize, usize)> {
        let previous = self.previous_cjk.take();
        let single = self.run_len == 1;
        self.run_len = 0;
        match previous {
            Some((offset, c)) if single => Some((offset, offset + c.len_utf8())),
            _ => None,
        }
    }
}

impl TokenStream for BilingualTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some(c) = self.text[self.cursor..].chars().next() else {
                if let Some((from, to)) = self.end_run() {
                    self.emit(from, to);
                    return true;
                }
                return false;
            };
            let offset = self.cursor;
            if is_cjk(c) {
                self.cursor += c.len_utf8();
                self.run_len += 1;
                if let Some((previous_offset, _)) = self.previous_cjk.replace((offset, c)) {
                    self.emit(previous_offset, self.cursor);
                    return true;
                }
                continue;
            }
            if let Some((from, to)) = self.end_run() {
                self.emit(from, to);
                return true;
            }
            self.cursor += c.len_utf8();
            if c.is_alphanumeric() {
                let rest = &self.text[self.cursor..];
                let len = rest
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric() || is_cjk(*c))
                    .map_or(rest.len(), |(idx, _)| idx);
                self.cursor += len;
                self.emit(offset, self.cursor);
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
