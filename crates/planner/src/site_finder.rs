//! A network model prefilled from the site finder: each chosen candidate location becomes a
//! plant costed with the site finder's own model and data, serving its five markets.
//!
//! The unit is HK$1,000 of the profile's output (so the product's value, the base of the
//! tariffs, is HK$1,000). Each plant can run one production line as profiled: capacity the
//! profile's yearly output; fixed cost a year its labour, occupancy and utilities less the
//! yearly share of any capital grant; production cost a unit its profits tax on that unit.
//! Freight and tariffs are the location's rates (a share of the value shipped); a country's
//! tariff into a market is its first chosen location's. Demand is the profile's output split
//! by its market shares. Every number is the site finder's, so indicative like them.

use serde_json::{json, Value};
use siting::{LocationData, Market, Profile};

use crate::{NetworkModel, PlannerError};

/// Builds a model for `profile` over the site finder `candidates` (location codes), with
/// "China+N" rules of at least `min_countries` countries when given, and two scenarios: a US
/// tariff up 25 points on Mainland-origin goods and US demand up 30%.
///
/// # Errors
/// [`PlannerError::InvalidModel`] for an unknown location or a profile the site finder cannot
/// cost, with the location named.
pub fn model_from_site_finder(
    data: &LocationData,
    profile: &Profile,
    candidates: &[&str],
    min_countries: Option<u32>,
) -> Result<NetworkModel, PlannerError> {
    let invalid = |path: String, message: String| PlannerError::InvalidModel { path, message };
    if candidates.is_empty() {
        return Err(invalid(
            "candidates".to_owned(),
            "choose at least one location".to_owned(),
        ));
    }
    let output_thousands = i128::from(profile.output_per_year().cents()) / 100_000;
    if output_thousands <= 0 {
        return Err(invalid(
            "profile.output_per_year".to_owned(),
            "below HK$1,000: nothing to plan".to_owned(),
        ));
    }
    let mut plants = Vec::new();
    let mut lanes = Vec::new();
    let mut tariffs: Vec<Value> = Vec::new();
    let mut tariff_countries: Vec<&str> = Vec::new();
    for (k, code) in candidates.iter().enumerate() {
        let location = data.get(code).ok_or_else(|| {
            invalid(
                format!("candidates[{k}]"),
                format!("no location `{code}` in the site finder's data"),
            )
        })?;
        let costing = siting::cost(profile, location)
            .map_err(|e| invalid(format!("candidates[{k}]"), format!("{code}: {e}")))?;
        let yearly = &costing.yearly;
        let fixed = i128::from(yearly.labour.cents())
            + i128::from(yearly.occupancy.cents())
            + i128::from(yearly.utilities.cents())
            - i128::from(yearly.incentives.cents());
        let tax_per_unit =
            div_round_half_even(i128::from(yearly.profits_tax.cents()), output_thousands);
        plants.push(json!({
            "code": code,
            "name": location.name_en,
            "country": location.country,
            "location": code,
            "lat": location.lat,
            "lon": location.lon,
            "options": [{
                "code": "line",
                "capacity": output_thousands as u64,
                "fixed_cost": cents_text(fixed.max(0)),
            }],
            "production_cost": { "output": cents_text(tax_per_unit) },
        }));
        let first_of_country = !tariff_countries.contains(&location.country.as_str());
        for market in Market::ALL {
            let m = market as usize;
            // A unit is worth HK$1,000 = 100,000 cents; rates are millionths of a point.
            let freight = div_round_half_even(
                100_000 * i128::from(location.indicators.freight[m]),
                100_000_000,
            );
            lanes
                .push(json!({ "from": code, "to": market.code(), "freight": cents_text(freight) }));
            if first_of_country && location.indicators.tariff[m] != 0 {
                tariffs.push(json!({
                    "origin": location.country,
                    "market": market.code(),
                    "rate": millionths_text(location.indicators.tariff[m]),
                }));
            }
        }
        if first_of_country {
            tariff_countries.push(location.country.as_str());
        }
    }
    let markets: Vec<Value> = Market::ALL
        .into_iter()
        .map(|market| {
            let units = div_round_half_even(
                output_thousands * i128::from(profile.market_share_millionths(market)),
                1_000_000,
            );
            json!({ "code": market.code(), "demand": { "output": units as u64 } })
        })
        .collect();
    let model = json!({
        "name": format!("{} (from the site finder)", profile.name()),
        "source": "indicative: the site finder's location data and profile",
        "products": [{ "code": "output", "name": "HK$1,000 of output", "unit_value": "1000" }],
        "plants": plants,
        "markets": markets,
        "lanes": lanes,
        "tariffs": tariffs,
        "policy": { "min_countries": min_countries },
        "scenarios": [
            {
                "name": "us-tariff-shock",
                "description": "Tariff on Mainland-origin goods into the US up 25 percentage points",
                "changes": [{ "kind": "tariff", "origin": "CN", "market": "us", "add_points": "25" }],
            },
            {
                "name": "us-demand-surge",
                "description": "US demand up 30%",
                "changes": [{ "kind": "demand", "market": "us", "percent": "30" }],
            },
        ],
    });
    NetworkModel::from_json(&model.to_string())
}

fn div_round_half_even(numerator: i128, denominator: i128) -> i128 {
    crate::network::round_half_even_div(numerator, denominator)
}

/// Cents as an exact HK$ amount: `12345` is `"123.45"`.
fn cents_text(cents: i128) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// Millionths of a percentage point as the shortest exact percentage: `25_000_000` is `"25"`.
fn millionths_text(millionths: i64) -> String {
    let whole = millionths / 1_000_000;
    let fraction = (millionths % 1_000_000).abs();
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}
