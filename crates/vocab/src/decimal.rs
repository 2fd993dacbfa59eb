//! Exact decimal text to integers and back, shared by money, rates and percentages.
//!
//! No floats anywhere: a decimal is read as an integer mantissa and a count of decimals.

/// An unsigned decimal as written: `mantissa / 10^decimals`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal {
    pub(crate) mantissa: i128,
    pub(crate) decimals: u32,
}

/// More decimals than this cannot be scaled within an `i128`.
const MAX_DECIMALS: u32 = 30;

/// Splits a leading minus sign off already-trimmed text.
pub(crate) fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

/// Parses digits with an optional decimal point and optional thousands separators
/// (`"6,900,000,000.5"`), returning the reason in words when the text is not such a number.
pub(crate) fn parse_unsigned(text: &str) -> Result<Decimal, String> {
    if text.is_empty() {
        return Err("no digits".to_owned());
    }
    if let Some(c) = text
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != ',' && *c != '.')
    {
        return Err(format!("unexpected character {c:?}"));
    }
    if text.matches('.').count() > 1 {
        return Err("more than one decimal point".to_owned());
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None => (text, None),
    };
    if int_part.is_empty() {
        return Err("no digits before the decimal point".to_owned());
    }
    if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first_ok = groups
            .next()
            .is_some_and(|group| (1..=3).contains(&group.len()));
        if !first_ok || groups.any(|group| group.len() != 3) {
            return Err("misplaced thousands separator".to_owned());
        }
    }
    let frac_part = frac_part.unwrap_or("");
    if text.ends_with('.') {
        return Err("no digits after the decimal point".to_owned());
    }
    if frac_part.contains(',') {
        return Err("thousands separator after the decimal point".to_owned());
    }
    let decimals = u32::try_from(frac_part.len()).unwrap_or(u32::MAX);
    if decimals > MAX_DECIMALS {
        return Err(format!("more than {MAX_DECIMALS} decimal places"));
    }
    let mut mantissa: i128 = 0;
    for digit in int_part.bytes().chain(frac_part.bytes()) {
        if digit == b',' {
            continue;
        }
        mantissa = match mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(i128::from(digit - b'0')))
        {
            Some(m) => m,
            None => return Err("too many digits".to_owned()),
        };
    }
    Ok(Decimal { mantissa, decimals })
}

/// `10^exp` for small exponents.
pub(crate) fn pow10(exp: u32) -> i128 {
    10_i128.pow(exp)
}

/// Writes `magnitude / 10^decimals` in plain decimal, optionally trimming trailing zeros
/// (and the point when nothing is left after it).
pub(crate) fn format_fixed(magnitude: u128, decimals: u32, trim: bool) -> String {
    let digits = magnitude.to_string();
    let decimals = decimals as usize;
    if decimals == 0 {
        return digits;
    }
    let padded = if digits.len() <= decimals {
        format!("{}{digits}", "0".repeat(decimals + 1 - digits.len()))
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - decimals);
    let frac_part = if trim {
        frac_part.trim_end_matches('0')
    } else {
        frac_part
    };
    if frac_part.is_empty() {
        int_part.to_owned()
    } else {
        format!("{int_part}.{frac_part}")
    }
}

/// Writes an unsigned integer with commas between groups of three digits.
pub(crate) fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut res = String::with_capacity(digits.len() + digits.len() / 3);
    for (idx, c) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            res.push(',');
        }
        res.push(c);
    }
    res
}
