//! The streaming fast path: tabulates a registry CSV without building an [`Enterprise`] per
//! row, on all cores.
//!
//! The calling thread reads the input in large blocks cut at line boundaries and hands them to
//! one worker per core; buffers are recycled, so memory stays at a few blocks whatever the
//! file size.
//! A worker splits lines and fields by hand and proves each field valid with cheap byte checks
//! (`C39`, `operating`, four digits); anything the cheap checks cannot prove is handed to the
//! careful parser in `record`, so the two paths accept exactly the same rows.
//! The `province,city` span of a line is interned as raw bytes into a small integer, validated
//! once per distinct span, and counts go into a flat vector indexed by that id and the sector.
//! Workers report line counts per block, so the first bad row is reported with its line number
//! without a separate counting pass.
//!
//! [`Enterprise`]: crate::Enterprise

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};

use rustc_hash::FxHashMap;
use vocab::PlaceCode;

use crate::record::{
    field_text, parse_place, parse_record, split_line, Field, Header, Problem, RawField, Status,
    FIRST_YEAR, LAST_YEAR, MAX_FIELDS,
};
use crate::tables::{build_tables, Cells, Dimension, Tables, FIRST_DIVISION, N_SECTORS};
use crate::RegistryError;

/// Bytes per block handed to a worker.
const BLOCK_SIZE: usize = 1 << 20;

/// Tabulates a registry CSV by the given dimensions, counting only operating enterprises.
///
/// It accepts and rejects exactly the rows [`crate::read_registry`] does, except that it does
/// not check that ids are unique; the first bad row is an error naming its line.
/// Reading is streamed in blocks of about a megabyte, counted on
/// [`std::thread::available_parallelism`] threads.
pub fn tabulate_csv(reader: impl Read, dims: &[Dimension]) -> Result<Tables, RegistryError> {
    let mut reader = reader;
    let n_workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max_buffers = 2 * n_workers + 2;

    // The header: fill the first buffer until it holds a line break.
    let mut first = vec![0u8; BLOCK_SIZE];
    let mut len = 0;
    let header_end = loop {
        if let Some(pos) = memchr::memchr(b'\n', &first[..len]) {
            break pos;
        }
        if len == first.len() {
            first.resize(first.len() * 2, 0);
        }
        let n_read = read_retrying(&mut reader, &mut first[len..])?;
        if n_read == 0 {
            break len;
        }
        len += n_read;
    };
    if len == 0 {
        return Err(RegistryError::Header {
            reason: "the file is empty".to_owned(),
        });
    }
    let header = Header::parse(&first[..header_end])?;
    let data_start = (header_end + 1).min(len);

    let first_error_seq = AtomicU64::new(u64::MAX);
    let (block_tx, block_rx) = mpsc::sync_channel::<Block>(n_workers * 2);
    let block_rx = Mutex::new(block_rx);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();

    let (read_result, outcomes) = std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(n_workers);
        for _ in 0..n_workers {
            let free_tx = free_tx.clone();
            let block_rx = &block_rx;
            let first_error_seq = &first_error_seq;
            handles.push(scope.spawn(move || {
                let mut worker = Worker::new(header);
                loop {
                    let block = {
                        let Ok(receiver) = block_rx.lock() else { break };
                        match receiver.recv() {
                            Ok(block) => block,
                            Err(_) => break,
                        }
                    };
                    if block.seq < first_error_seq.load(Ordering::Relaxed) {
                        match worker.count_block(&block.buf[block.start..block.end]) {
                            Ok(n_lines) => worker.lines_per_block.push((block.seq, n_lines)),
                            Err((line_idx, problem)) => {
                                first_error_seq.fetch_min(block.seq, Ordering::Relaxed);
                                worker.errors.push((block.seq, line_idx, problem));
                            }
                        }
                    }
                    // The reader may be gone after an error; a lost buffer is fine then.
                    let _ = free_tx.send(block.buf);
                }
                worker
            }));
        }
        drop(free_tx);
        let feed = Feed {
            block_tx: &block_tx,
            free_rx: &free_rx,
            max_buffers,
            first_error_seq: &first_error_seq,
        };
        let read_result = feed.run(&mut reader, first, data_start, len);
        drop(block_tx);
        let outcomes: Vec<std::thread::Result<Worker>> =
            handles.into_iter().map(|handle| handle.join()).collect();
        (read_result, outcomes)
    });

    let mut workers = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(worker) => workers.push(worker),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    // A bad row comes before any read error that followed it, so report it first.
    if let Some((seq, line_idx, problem)) = workers
        .iter_mut()
        .flat_map(|worker| worker.errors.drain(..))
        .min_by_key(|(seq, line_idx, _)| (*seq, *line_idx))
    {
        let lines_before: u64 = workers
            .iter()
            .flat_map(|worker| worker.lines_per_block.iter())
            .filter(|(block_seq, _)| *block_seq < seq)
            .map(|(_, n_lines)| n_lines)
            .sum();
        return Err(RegistryError::Row {
            line: 2 + lines_before + line_idx,
            field: problem.field,
            reason: problem.reason,
        });
    }
    read_result?;

    let mut cells = Cells::default();
    let mut by_status = [0u64; 4];
    let mut total_rows = 0;
    for worker in workers {
        total_rows += worker.n_rows;
        for (total, count) in by_status.iter_mut().zip(worker.by_status) {
            *total += count;
        }
        for (pair_id, pair) in worker.pairs.into_iter().enumerate() {
            let counts = &worker.counts[pair_id * N_SECTORS..(pair_id + 1) * N_SECTORS];
            if counts.iter().all(|&count| count == 0) {
                continue;
            }
            let cell = cells.entry(pair).or_insert([0; N_SECTORS]);
            for (total, count) in cell.iter_mut().zip(counts) {
                *total += count;
            }
        }
    }
    Ok(build_tables(&cells, total_rows, by_status, dims))
}

/// A run of whole lines, `buf[start..end]`, the `seq`-th of the file.
struct Block {
    seq: u64,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

/// One counting thread's state: its own interner and counts, merged at the end.
struct Worker {
    header: Header,
    /// Raw `province,city` bytes to a pair id.
    pair_ids: FxHashMap<Box<[u8]>, u32>,
    /// The parsed codes of each pair id.
    pairs: Vec<(PlaceCode, PlaceCode)>,
    /// Operating counts at `pair_id * N_SECTORS + division - 13`.
    counts: Vec<u64>,
    by_status: [u64; 4],
    n_rows: u64,
    lines_per_block: Vec<(u64, u64)>,
    errors: Vec<(u64, u64, Problem)>,
}

/// The reading side of the pipeline: where blocks go and where spent buffers come back.
struct Feed<'a> {
    block_tx: &'a mpsc::SyncSender<Block>,
    free_rx: &'a mpsc::Receiver<Vec<u8>>,
    max_buffers: usize,
    first_error_seq: &'a AtomicU64,
}

impl Feed<'_> {
    /// Reads the rest of the input into blocks cut after their last line break and sends them;
    /// `first[start..len]` has been read already.
    fn run(
        &self,
        reader: &mut impl Read,
        first: Vec<u8>,
        start: usize,
        len: usize,
    ) -> Result<(), RegistryError> {
        let Feed {
            block_tx,
            free_rx,
            max_buffers,
            first_error_seq,
        } = *self;
        let mut n_buffers = 1;
        let mut buf = first;
        let mut start = start;
        let mut len = len;
        let mut seq = 0u64;
        loop {
            // Fill the buffer, growing it only when one line does not fit.
            let mut eof = false;
            while len < buf.len() {
                let n_read = read_retrying(reader, &mut buf[len..])?;
                if n_read == 0 {
                    eof = true;
                    break;
                }
                len += n_read;
            }
            if eof {
                if start < len {
                    let block = Block {
                        seq,
                        buf,
                        start,
                        end: len,
                    };
                    // Workers gone means they panicked; the join reports it.
                    let _ = block_tx.send(block);
                }
                return Ok(());
            }
            let Some(last_break) = memchr::memrchr(b'\n', &buf[start..len]) else {
                buf.resize(buf.len() * 2, 0);
                continue;
            };
            let end = start + last_break + 1;
            if first_error_seq.load(Ordering::Relaxed) != u64::MAX {
                return Ok(());
            }
            let mut next = match free_rx.try_recv() {
                Ok(next) => next,
                Err(_) if n_buffers < max_buffers => {
                    n_buffers += 1;
                    vec![0u8; BLOCK_SIZE]
                }
                Err(_) => match free_rx.recv() {
                    Ok(next) => next,
                    Err(_) => return Ok(()),
                },
            };
            let tail = len - end;
            if next.len() < tail.max(BLOCK_SIZE) {
                next.resize(tail.max(BLOCK_SIZE) * 2, 0);
            }
            next[..tail].copy_from_slice(&buf[end..len]);
            if block_tx
                .send(Block {
                    seq,
                    buf,
                    start,
                    end,
                })
                .is_err()
            {
                return Ok(());
            }
            seq += 1;
            buf = next;
            start = 0;
            len = tail;
        }
    }
}

fn read_retrying(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl Worker {
    fn new(header: Header) -> Worker {
        Worker {
            header,
            pair_ids: FxHashMap::default(),
            pairs: Vec::new(),
            counts: Vec::new(),
            by_status: [0; 4],
            n_rows: 0,
            lines_per_block: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Counts the rows of a block; returns its number of lines, or the 0-based index of the
    /// first bad line within the block and what was wrong.
    fn count_block(&mut self, block: &[u8]) -> Result<u64, (u64, Problem)> {
        let valid_utf8_up_to = match std::str::from_utf8(block) {
            Ok(_) => block.len(),
            Err(err) => err.valid_up_to(),
        };
        let mut pos = 0;
        let mut line_idx = 0u64;
        while pos < block.len() {
            let end = memchr::memchr(b'\n', &block[pos..]).map_or(block.len(), |i| pos + i);
            let mut line = &block[pos..end];
            if let [rest @ .., b'\r'] = line {
                line = rest;
            }
            if !line.is_empty() {
                let counted = if end <= valid_utf8_up_to {
                    self.count_line(line)
                } else {
                    Err(())
                };
                if counted.is_err() {
                    if let Err(problem) = self.count_line_carefully(line) {
                        return Err((line_idx, problem));
                    }
                }
            }
            line_idx += 1;
            pos = end + 1;
        }
        Ok(line_idx)
    }

    /// Counts a line whose every field the cheap checks prove valid; `Err(())` sends the line
    /// to the careful parser.
    #[inline]
    fn count_line(&mut self, line: &[u8]) -> Result<(), ()> {
        let mut fields = [RawField::default(); MAX_FIELDS];
        let n_fields = split_line(line, &mut fields).map_err(|_| ())?;
        let columns = self.header.fields();
        if n_fields != columns.len() {
            return Err(());
        }
        let inner = |raw: RawField| -> &[u8] {
            if raw.quoted {
                &line[raw.start + 1..raw.end - 1]
            } else {
                &line[raw.start..raw.end]
            }
        };
        if !starts_nonblank(inner(fields[0])) || !starts_nonblank(inner(fields[1])) {
            return Err(());
        }
        let sector_idx = fast_sector(inner(fields[4])).ok_or(())?;
        let status = fast_status(inner(fields[5])).ok_or(())?;
        if !fast_year(inner(fields[6])) {
            return Err(());
        }
        for (idx, field) in columns.iter().enumerate().skip(7) {
            let ok = match field {
                Field::RegisteredCapitalCny => fast_capital(inner(fields[idx])),
                Field::Employees => fast_employees(inner(fields[idx])),
                _ => false,
            };
            if !ok {
                return Err(());
            }
        }
        let pair_span = &line[fields[2].start..fields[3].end];
        let pair_id = match self.pair_ids.get(pair_span) {
            Some(&pair_id) => pair_id,
            None => {
                let province = field_text(line, fields[2]).map_err(|_| ())?;
                let city = field_text(line, fields[3]).map_err(|_| ())?;
                let province = parse_place(&province, Field::Province).map_err(|_| ())?;
                let city = parse_place(&city, Field::City).map_err(|_| ())?;
                self.intern(pair_span, province, city)
            }
        };
        self.tally(pair_id, sector_idx, status);
        Ok(())
    }

    /// Parses a line with the careful parser and counts it if it is valid.
    #[cold]
    fn count_line_carefully(&mut self, line: &[u8]) -> Result<(), Problem> {
        let enterprise = parse_record(self.header, line)?;
        let mut key = Vec::with_capacity(64);
        key.extend_from_slice(enterprise.province.as_str().as_bytes());
        key.push(b',');
        key.extend_from_slice(enterprise.city.as_str().as_bytes());
        let pair_id = match self.pair_ids.get(key.as_slice()) {
            Some(&pair_id) => pair_id,
            None => self.intern(&key, enterprise.province, enterprise.city),
        };
        let sector_idx = usize::from(enterprise.sector.division() - FIRST_DIVISION);
        self.tally(pair_id, sector_idx, enterprise.status);
        Ok(())
    }

    #[cold]
    fn intern(&mut self, span: &[u8], province: PlaceCode, city: PlaceCode) -> u32 {
        let pair_id = self.pairs.len() as u32;
        self.pairs.push((province, city));
        self.counts.extend([0; N_SECTORS]);
        self.pair_ids.insert(span.into(), pair_id);
        pair_id
    }

    #[inline]
    fn tally(&mut self, pair_id: u32, sector_idx: usize, status: Status) {
        self.n_rows += 1;
        self.by_status[status.index()] += 1;
        if status == Status::Operating {
            self.counts[pair_id as usize * N_SECTORS + sector_idx] += 1;
        }
    }
}

/// Whether a field certainly has a non-whitespace character: its first byte is printable ASCII.
#[inline]
fn starts_nonblank(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(&byte) if byte > b' ' && byte < 0x7f)
}

/// `C13` to `C43` as a sector index; anything else goes to the careful parser.
#[inline]
fn fast_sector(bytes: &[u8]) -> Option<usize> {
    let &[b'C', tens, units] = bytes else {
        return None;
    };
    if !tens.is_ascii_digit() || !units.is_ascii_digit() {
        return None;
    }
    let division = (tens - b'0') * 10 + (units - b'0');
    if (FIRST_DIVISION..FIRST_DIVISION + N_SECTORS as u8).contains(&division) {
        Some(usize::from(division - FIRST_DIVISION))
    } else {
        None
    }
}

#[inline]
fn fast_status(bytes: &[u8]) -> Option<Status> {
    match bytes {
        b"operating" => Some(Status::Operating),
        b"suspended" => Some(Status::Suspended),
        b"cancelled" => Some(Status::Cancelled),
        b"revoked" => Some(Status::Revoked),
        _ => None,
    }
}

#[inline]
fn fast_year(bytes: &[u8]) -> bool {
    let &[a, b, c, d] = bytes else {
        return false;
    };
    if ![a, b, c, d].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let year = u16::from(a - b'0') * 1000
        + u16::from(b - b'0') * 100
        + u16::from(c - b'0') * 10
        + u16::from(d - b'0');
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// Empty, or 1 to 15 digits with an optional point and one or two decimals.
#[inline]
fn fast_capital(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return true;
    }
    let (int_part, frac_part) = match memchr::memchr(b'.', bytes) {
        Some(point) => (&bytes[..point], &bytes[point + 1..]),
        None => (bytes, &b"00"[..]),
    };
    (1..=15).contains(&int_part.len())
        && (1..=2).contains(&frac_part.len())
        && int_part.iter().all(u8::is_ascii_digit)
        && frac_part.iter().all(u8::is_ascii_digit)
}

/// Empty, or 1 to 9 digits.
#[inline]
fn fast_employees(bytes: &[u8]) -> bool {
    bytes.len() <= 9 && bytes.iter().all(u8::is_ascii_digit)
}
