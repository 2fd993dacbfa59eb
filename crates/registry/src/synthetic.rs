//! A synthetic registry whose province, city and sector counts are exactly the study's
//! published figures, for tests, demonstrations and benchmarks.
//!
//! Everything it writes is labelled synthetic: ids start with `SYN-` and names read
//! `Synthetic Enterprise 000123`.
//! Only the published figures (68,314 enterprises; Guangdong, Jiangsu, Fujian, Zhejiang; the six
//! named cities; sectors C39, C18, C29, C33) are facts.
//! How the rest is spread over other provinces, cities and sectors, and every year, capital and
//! headcount, is invented, chosen only so that the published top entries stay on top.
//!
//! Each row's place and sector are drawn without replacement from two urns holding the exact
//! counts, which is a uniformly random shuffle of both columns done one row at a time: the
//! marginals are exact, the combinations are pseudo-random, and memory does not grow with the
//! number of rows.

use std::io::{self, Write};

/// The number of operating enterprises the study counted in 2024.
pub const PUBLISHED_TOTAL: u64 = 68_314;

/// Cities with their province and count at the published total.
///
/// The six published cities carry their published counts; every other city is invented and
/// below Shanghai's 2,638.
/// Province totals follow: Guangdong 30,971, Jiangsu 9,557, Fujian 6,913, Zhejiang 5,300
/// (published), the others invented and below 5,300.
const CITIES: &[(&str, &str, u64)] = &[
    // Guangdong: 30,971.
    ("cn-gd", "cn-gd-shenzhen", 6_862),
    ("cn-gd", "cn-gd-dongguan", 5_906),
    ("cn-gd", "cn-gd-huizhou", 4_628),
    ("cn-gd", "cn-gd-foshan", 2_450),
    ("cn-gd", "cn-gd-guangzhou", 2_300),
    ("cn-gd", "cn-gd-zhongshan", 2_150),
    ("cn-gd", "cn-gd-jiangmen", 1_700),
    ("cn-gd", "cn-gd-zhuhai", 1_450),
    ("cn-gd", "cn-gd-shantou", 1_100),
    ("cn-gd", "cn-gd-zhaoqing", 900),
    ("cn-gd", "cn-gd-qingyuan", 600),
    ("cn-gd", "cn-gd-heyuan", 500),
    ("cn-gd", "cn-gd-meizhou", 425),
    // Jiangsu: 9,557.
    ("cn-js", "cn-js-suzhou", 3_567),
    ("cn-js", "cn-js-wuxi", 1_900),
    ("cn-js", "cn-js-changzhou", 1_300),
    ("cn-js", "cn-js-nanjing", 1_100),
    ("cn-js", "cn-js-nantong", 950),
    ("cn-js", "cn-js-yangzhou", 740),
    // Fujian: 6,913.
    ("cn-fj", "cn-fj-quanzhou", 3_002),
    ("cn-fj", "cn-fj-xiamen", 1_800),
    ("cn-fj", "cn-fj-fuzhou", 1_100),
    ("cn-fj", "cn-fj-zhangzhou", 650),
    ("cn-fj", "cn-fj-putian", 361),
    // Zhejiang: 5,300.
    ("cn-zj", "cn-zj-ningbo", 1_700),
    ("cn-zj", "cn-zj-hangzhou", 1_300),
    ("cn-zj", "cn-zj-jiaxing", 900),
    ("cn-zj", "cn-zj-shaoxing", 600),
    ("cn-zj", "cn-zj-wenzhou", 500),
    ("cn-zj", "cn-zj-huzhou", 300),
    // Other provinces: 15,573 in all.
    ("cn-sh", "cn-sh-shanghai", 2_638),
    ("cn-sd", "cn-sd-qingdao", 1_000),
    ("cn-sd", "cn-sd-yantai", 600),
    ("cn-sd", "cn-sd-weihai", 550),
    ("cn-ln", "cn-ln-dalian", 800),
    ("cn-ln", "cn-ln-shenyang", 400),
    ("cn-tj", "cn-tj-tianjin", 1_150),
    ("cn-bj", "cn-bj-beijing", 1_050),
    ("cn-hb", "cn-hb-wuhan", 900),
    ("cn-hn", "cn-hn-changsha", 500),
    ("cn-hn", "cn-hn-zhuzhou", 350),
    ("cn-ah", "cn-ah-hefei", 500),
    ("cn-ah", "cn-ah-wuhu", 300),
    ("cn-jx", "cn-jx-ganzhou", 450),
    ("cn-jx", "cn-jx-nanchang", 350),
    ("cn-gx", "cn-gx-wuzhou", 400),
    ("cn-gx", "cn-gx-nanning", 350),
    ("cn-sc", "cn-sc-chengdu", 700),
    ("cn-cq", "cn-cq-chongqing", 650),
    ("cn-ha", "cn-ha-zhengzhou", 600),
    ("cn-he", "cn-he-langfang", 300),
    ("cn-he", "cn-he-shijiazhuang", 250),
    ("cn-hi", "cn-hi-haikou", 400),
    ("cn-sn", "cn-sn-xian", 385),
];

/// Sectors with their count at the published total: C39, C18, C29 and C33 as published, the
/// other 27 divisions invented and below 4,710.
const SECTORS: &[(&str, u64)] = &[
    ("C39", 9_177),
    ("C18", 5_630),
    ("C29", 4_879),
    ("C33", 4_710),
    ("C38", 4_600),
    ("C24", 4_100),
    ("C34", 3_900),
    ("C19", 3_300),
    ("C35", 3_000),
    ("C26", 2_700),
    ("C17", 2_600),
    ("C21", 2_600),
    ("C23", 2_300),
    ("C40", 2_000),
    ("C22", 1_900),
    ("C30", 1_700),
    ("C14", 1_500),
    ("C41", 1_458),
    ("C36", 1_100),
    ("C13", 900),
    ("C27", 800),
    ("C20", 800),
    ("C32", 700),
    ("C15", 500),
    ("C42", 350),
    ("C37", 300),
    ("C28", 250),
    ("C43", 250),
    ("C31", 200),
    ("C25", 100),
    ("C16", 10),
];

/// Rows buffered before each write.
const OUT_BUFFER: usize = 1 << 20;

/// Writes a synthetic registry CSV of `rows` operating enterprises, with all nine columns.
///
/// At `rows` = [`PUBLISHED_TOTAL`] (68,314) the province, city and sector counts are exactly
/// the published ones.
/// At other sizes each city's and sector's count is scaled in proportion by largest-remainder
/// apportionment, so the counts still add up to `rows` exactly.
/// The same `seed` gives the same file.
/// Every seventh name is quoted and holds a comma (`"Synthetic Enterprise 000007, Ltd."`).
/// Output is streamed through a 1 MiB buffer without allocating per row.
pub fn write_synthetic(writer: impl Write, rows: u64, seed: u64) -> io::Result<()> {
    let mut writer = writer;
    let mut rng = Xoshiro256::seeded(seed);
    let mut city_urn = apportion(CITIES.iter().map(|(_, _, count)| *count), rows);
    let mut sector_urn = apportion(SECTORS.iter().map(|(_, count)| *count), rows);
    let width = digits(rows).max(6);
    let mut out = Vec::with_capacity(OUT_BUFFER + 256);
    out.extend_from_slice(
        b"id,name,province,city,sector,status,year_established,registered_capital_cny,employees\n",
    );
    let mut remaining = rows;
    for number in 1..=rows {
        let city_idx = draw(&mut city_urn, remaining, &mut rng);
        let sector_idx = draw(&mut sector_urn, remaining, &mut rng);
        remaining -= 1;
        let (province, city, _) = CITIES[city_idx];
        let quoted = number % 7 == 0;
        out.extend_from_slice(b"SYN-");
        push_padded(&mut out, number, width);
        out.extend_from_slice(if quoted {
            b",\"Synthetic Enterprise "
        } else {
            b",Synthetic Enterprise "
        });
        push_padded(&mut out, number, width);
        if quoted {
            out.extend_from_slice(b", Ltd.\"");
        }
        out.push(b',');
        out.extend_from_slice(province.as_bytes());
        out.push(b',');
        out.extend_from_slice(city.as_bytes());
        out.push(b',');
        out.extend_from_slice(SECTORS[sector_idx].0.as_bytes());
        out.extend_from_slice(b",operating,");
        push_padded(&mut out, 1978 + rng.below(47), 4);
        out.push(b',');
        push_padded(&mut out, (1 + rng.below(500)) * 100_000, 1);
        out.push(b',');
        push_padded(&mut out, 5 + rng.below(2_996), 1);
        out.push(b'\n');
        if out.len() >= OUT_BUFFER {
            writer.write_all(&out)?;
            out.clear();
        }
    }
    writer.write_all(&out)?;
    writer.flush()
}

/// Splits `rows` in proportion to `weights` by largest remainders (ties to the earlier entry).
fn apportion(weights: impl Iterator<Item = u64>, rows: u64) -> Vec<u64> {
    let weights: Vec<u64> = weights.collect();
    let total: u64 = weights.iter().sum();
    let mut shares: Vec<(u64, u128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(idx, &weight)| {
            let exact = u128::from(rows) * u128::from(weight);
            let floor = exact / u128::from(total);
            (floor as u64, exact % u128::from(total), idx)
        })
        .collect();
    let assigned: u64 = shares.iter().map(|(floor, _, _)| floor).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    for &idx in order.iter().take((rows - assigned) as usize) {
        shares[idx].0 += 1;
    }
    shares.into_iter().map(|(count, _, _)| count).collect()
}

/// Draws one item from an urn holding `remaining` items in all, and removes it.
fn draw(urn: &mut [u64], remaining: u64, rng: &mut Xoshiro256) -> usize {
    let mut pick = rng.below(remaining);
    for (idx, count) in urn.iter_mut().enumerate() {
        if pick < *count {
            *count -= 1;
            return idx;
        }
        pick -= *count;
    }
    unreachable!("the urn holds fewer than {remaining} items")
}

fn digits(mut number: u64) -> usize {
    let mut n_digits = 1;
    while number >= 10 {
        number /= 10;
        n_digits += 1;
    }
    n_digits
}

/// Appends `number` in decimal, left-padded with zeros to `width` digits.
fn push_padded(out: &mut Vec<u8>, number: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut pos = buf.len();
    let mut rest = number;
    loop {
        pos -= 1;
        buf[pos] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let start = pos.min(buf.len() - width.min(buf.len()));
    out.extend_from_slice(&buf[start..]);
}

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: small, fast and the same on
/// every platform, which is all a synthetic file needs.
struct Xoshiro256 {
    state: [u64; 4],
}

impl Xoshiro256 {
    fn seeded(seed: u64) -> Xoshiro256 {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Xoshiro256 {
            state: [next(), next(), next(), next()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A number in `0..bound` (bound > 0), by multiply-shift; the bias is below 2^-40 for the
    /// bounds used here.
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}
