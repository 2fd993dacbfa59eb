//! Exact decimals: parsing `"0.35"` into an integer at a fixed scale, rounding integer
//! quotients half to even, and writing fixed-point integers back as decimals.

/// Parses a non-negative decimal such as `"0.35"`, `"12"` or `"0.000307"` into its value times
/// `10^scale`, exactly; more than `scale` decimals is an error, as is a sign or an exponent.
pub(crate) fn parse_fixed(text: &str, scale: u32) -> Result<i64, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty".to_owned());
    }
    if trimmed.starts_with('-') {
        return Err(format!("{trimmed:?} must not be negative"));
    }
    let (whole, fraction) = match trimmed.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (trimmed, ""),
    };
    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(format!("{trimmed:?} is not a plain decimal number"));
    }
    if fraction.len() > scale as usize {
        return Err(format!("{trimmed:?} has more than {scale} decimal places"));
    }
    let too_large = || format!("{trimmed:?} is too large");
    let mut value: i128 = 0;
    for digit in whole.bytes().chain(fraction.bytes()) {
        value = value * 10 + i128::from(digit - b'0');
        if value > i128::from(i64::MAX) {
            return Err(too_large());
        }
    }
    let padding = scale - fraction.len() as u32;
    let value = value
        .checked_mul(10_i128.pow(padding))
        .filter(|value| *value <= i128::from(i64::MAX));
    match value {
        Some(value) => Ok(value as i64),
        None => Err(too_large()),
    }
}

/// `numerator / denominator` rounded to the nearest integer, ties to even; `denominator > 0`.
pub(crate) fn div_round_half_even(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    match (2 * remainder).cmp(&denominator) {
        std::cmp::Ordering::Less => quotient,
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal if quotient % 2 == 0 => quotient,
        std::cmp::Ordering::Equal => quotient + 1,
    }
}

/// Writes `value / 10^scale` as a decimal with trailing zeros trimmed: `1_050_000` at scale 6
/// is `"1.05"`.
pub(crate) fn format_fixed(value: i128, scale: u32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    let unit = 10_u128.pow(scale);
    let whole = magnitude / unit;
    let fraction = magnitude % unit;
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:0width$}", width = scale as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}
