//! The PostgreSQL full-text-search peer of `crates/directory/examples/bench_directory.rs`: the
//! same entries and the same queries with the same filter, on PostgreSQL's `tsvector` and GIN.
//!
//! Reads the TSV that `bench_directory --tsv PATH` writes, starts a throwaway PostgreSQL with
//! `testkit::TestPostgres`, loads the entries with `COPY`, builds the indexes (GIN on the
//! `tsvector` and on the facet arrays, btree on the kind), then runs each query `--runs` times
//! and prints p50/p95 and the ratio to the tantivy numbers given with `--tantivy-p95-ms`.
//!
//! Fairness: PostgreSQL has no Chinese tokenizer, so the TSV carries the directory's own
//! tokens (CJK as overlapping bigrams, written as ASCII `x<hex>` words because the C locale's
//! parser drops CJK letters) and the `simple` configuration indexes them as they are.
//! That is the fairest PostgreSQL can do; it has no stemming and no typo tolerance here.
//! Each search does what tantivy's does: the top 20 by `ts_rank` with the total and the
//! service, region and sector facet counts over the matching set (one statement).
//!
//! ```text
//! cargo run --release -p directory --example bench_directory -- --tsv /tmp/directory_bench.tsv
//! cargo run --release -p store --example bench_directory_fts -- /tmp/directory_bench.tsv [--runs R]
//! ```

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection, Row};

/// One query of the TSV.
struct Query {
    text: String,
    tokens: Vec<String>,
    column: String,
    code: String,
}

const SEARCH: &str = r#"
WITH m AS MATERIALIZED (
    SELECT id, services, regions, sectors, ts_rank(doc, q) AS rank
    FROM directory_bench, to_tsquery('simple', $1) AS q
    WHERE doc @@ q AND {filter}
),
top AS (SELECT id FROM m ORDER BY rank DESC, id LIMIT 20),
facets AS (
    SELECT 'service' AS facet, s AS code, count(*) AS n FROM m, unnest(services) AS s GROUP BY s
    UNION ALL SELECT 'region', r, count(*) FROM m, unnest(regions) AS r GROUP BY r
    UNION ALL SELECT 'sector', c, count(*) FROM m, unnest(sectors) AS c GROUP BY c
)
SELECT (SELECT count(*) FROM m) AS total,
       (SELECT array_agg(id) FROM top) AS ids,
       (SELECT count(*) FROM facets) AS n_facets
"#;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: bench_directory_fts PATH.tsv [--runs R]".into());
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = flag("--runs").map_or(Ok(200), |v| v.parse())?;

    let postgres = testkit::TestPostgres::shared();
    let url = postgres.fresh_database();
    let mut conn = PgConnection::connect(&url).await?;
    sqlx::query(
        "CREATE UNLOGGED TABLE directory_bench (
            id bigint PRIMARY KEY,
            kind text NOT NULL,
            services text[] NOT NULL,
            regions text[] NOT NULL,
            sectors text[] NOT NULL,
            tokens text NOT NULL,
            doc tsvector GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED
        )",
    )
    .execute(&mut conn)
    .await?;

    // Load.
    let started = Instant::now();
    let mut queries = Vec::new();
    let mut copy = conn
        .copy_in_raw(
            "COPY directory_bench (id, kind, services, regions, sectors, tokens) FROM STDIN",
        )
        .await?;
    let mut buffer = String::with_capacity(1 << 20);
    let mut n_entries = 0u64;
    for line in BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        let cols: Vec<&str> = line.split('\t').collect();
        match cols.as_slice() {
            ["E", id, kind, services, regions, sectors, tokens] => {
                let array = |codes: &str| format!("{{{codes}}}");
                buffer.push_str(&format!(
                    "{id}\t{kind}\t{}\t{}\t{}\t{tokens}\n",
                    array(services),
                    array(regions),
                    array(sectors)
                ));
                n_entries += 1;
                if buffer.len() > 1 << 20 {
                    copy.send(buffer.as_bytes()).await?;
                    buffer.clear();
                }
            }
            ["Q", text, tokens, column, code] => queries.push(Query {
                text: text.to_string(),
                tokens: tokens
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                column: column.to_string(),
                code: code.to_string(),
            }),
            _ => {
                return Err(format!(
                    "unexpected line: {}",
                    line.chars().take(80).collect::<String>()
                )
                .into())
            }
        }
    }
    copy.send(buffer.as_bytes()).await?;
    copy.finish().await?;
    println!(
        "load: {n_entries} entries by COPY in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    for statement in [
        "CREATE INDEX ON directory_bench USING gin (doc)",
        "CREATE INDEX ON directory_bench USING gin (services)",
        "CREATE INDEX ON directory_bench USING gin (regions)",
        "CREATE INDEX ON directory_bench USING gin (sectors)",
        "CREATE INDEX ON directory_bench (kind)",
        "VACUUM ANALYZE directory_bench",
    ] {
        sqlx::query(statement).execute(&mut conn).await?;
    }
    println!(
        "indexes and ANALYZE: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    println!("\nsearch, {runs} runs each (text + one filter, top 20 + total + facets):");
    let mut all = Vec::new();
    for query in &queries {
        let filter = match query.column.as_str() {
            "kind" => "kind = $2".to_owned(),
            column => format!("{column} @> ARRAY[$2]::text[]"),
        };
        let sql = SEARCH.replace("{filter}", &filter);
        let tsquery = query.tokens.join(" & ");
        let mut times = Vec::with_capacity(runs);
        let mut total = 0i64;
        for _ in 0..runs {
            let started = Instant::now();
            let row = sqlx::query(&sql)
                .bind(&tsquery)
                .bind(&query.code)
                .fetch_one(&mut conn)
                .await?;
            times.push(started.elapsed());
            total = row.try_get("total")?;
        }
        all.extend_from_slice(&times);
        println!(
            "  {:<24} {:<32} total {:>7}  p50 {:>7.2} ms  p95 {:>7.2} ms",
            query.text,
            format!("{} = {}", query.column, query.code),
            total,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 95))
        );
    }
    let p95 = ms(percentile(&all, 95));
    println!(
        "  all queries: p50 {:.2} ms, p95 {p95:.2} ms",
        ms(percentile(&all, 50))
    );
    if let Some(tantivy) = flag("--tantivy-p95-ms") {
        let tantivy: f64 = tantivy.parse()?;
        println!("  ratio PostgreSQL / tantivy at p95: {:.1}x", p95 / tantivy);
    }
    Ok(())
}

fn percentile(times: &[Duration], pct: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let idx = ((sorted.len() * pct).div_ceil(100))
        .saturating_sub(1)
        .min(sorted.len().saturating_sub(1));
    sorted.get(idx).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
