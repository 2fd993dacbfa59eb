//! Integration tests of the siting engine, at its public boundary: costing, the multi-criteria
//! methods, sensitivity, bad input and the shipped data.

mod costing;
mod errors;
mod mcda;
mod shipped;
mod three_locations;

/// The names file of a tiny two-location dataset, hand-costed in `costing.rs`.
pub const TINY_NAMES: &str = "\
code,name_en,name_zh,country,lat,lon,kind
alpha,Alpha,甲,HK,22.3,114.2,test
beta,Beta,乙,VN,21.0,106.0,test
";

/// The indicators of the tiny dataset: alpha is a Hong Kong-like site paid in HK$, beta a
/// Vietnam-like site paid in VND at HK$0.0003 per dong.
pub const TINY_INDICATORS: &str = "\
location,indicator,value,unit,year,source,note
alpha,fx_hkd,1,HKD per HKD,2024,indicative,test
alpha,wage_operator,10000,HKD/month,2024,indicative,test
alpha,wage_technician,20000,HKD/month,2024,indicative,test
alpha,wage_engineer,30000,HKD/month,2024,indicative,test
alpha,rent,100,HKD/m2/month,2024,indicative,test
alpha,electricity,1.5,HKD/kWh,2024,indicative,test
alpha,profits_tax,16.5,%,2024,indicative,test
alpha,grant_match,0.5,HKD per HKD,2024,indicative,test
alpha,grant_cap,800000,HKD,2024,indicative,test
alpha,freight_hk,1,%,2024,indicative,test
alpha,freight_mainland,2,%,2024,indicative,test
alpha,freight_us,0,%,2024,indicative,test
alpha,freight_eu,0,%,2024,indicative,test
alpha,freight_sea,0,%,2024,indicative,test
alpha,tariff_hk,0,%,2024,indicative,test
alpha,tariff_mainland,0,%,2024,indicative,test
alpha,tariff_us,0,%,2024,indicative,test
alpha,tariff_eu,0,%,2024,indicative,test
alpha,tariff_sea,0,%,2024,indicative,test
alpha,skilled_labour,3,score,2024,indicative,test
alpha,geopolitical_exposure,3,score,2024,indicative,test
alpha,approval_months,6,months,2024,indicative,test
alpha,ip_protection,5,score,2024,indicative,test
beta,fx_hkd,0.0003,HKD per VND,2024,indicative,test
beta,wage_operator,10000000,VND/month,2024,indicative,test
beta,wage_technician,15000000,VND/month,2024,indicative,test
beta,wage_engineer,30000000,VND/month,2024,indicative,test
beta,rent,30,HKD/m2/month,2024,indicative,test
beta,electricity,0.6,HKD/kWh,2024,indicative,test
beta,profits_tax,20,%,2024,indicative,test
beta,grant_match,0,HKD per HKD,2024,indicative,test
beta,grant_cap,0,HKD,2024,indicative,test
beta,freight_hk,2,%,2024,indicative,test
beta,freight_mainland,2.5,%,2024,indicative,test
beta,freight_us,0,%,2024,indicative,test
beta,freight_eu,0,%,2024,indicative,test
beta,freight_sea,0,%,2024,indicative,test
beta,tariff_hk,0,%,2024,indicative,test
beta,tariff_mainland,5,%,2024,indicative,test
beta,tariff_us,0,%,2024,indicative,test
beta,tariff_eu,0,%,2024,indicative,test
beta,tariff_sea,0,%,2024,indicative,test
beta,skilled_labour,3,score,2024,indicative,test
beta,geopolitical_exposure,2,score,2024,indicative,test
beta,approval_months,9,months,2024,indicative,test
beta,ip_protection,2,score,2024,indicative,test
";

/// The tiny profile: 13 staff, 1,000 m², 100,000 kWh, HK$3m capex, HK$10m output split
/// evenly between Hong Kong and the Mainland, 10% margin, 2 years at 10%.
pub const TINY_PROFILE: &str = r#"
name = "Tiny line"
sector = "C39"
floor_area_m2 = 1000
power_kwh_per_year = 100000
capex = "3000000"
output_per_year = "10000000"
profit_margin = "0.1"
horizon_years = 2
discount_rate = "0.1"

[headcount]
operator = 10
technician = 2
engineer = 1

[markets]
hk = "0.5"
mainland = "0.5"
"#;

/// The tiny dataset, read through the public CSV import.
pub fn tiny_data() -> siting::LocationData {
    match siting::LocationData::from_csv(TINY_NAMES.as_bytes(), TINY_INDICATORS.as_bytes()) {
        Ok(data) => data,
        Err(error) => panic!("the tiny dataset should load: {error}"),
    }
}

/// The tiny profile, parsed.
pub fn tiny_profile() -> siting::Profile {
    match siting::Profile::from_toml(TINY_PROFILE) {
        Ok(profile) => profile,
        Err(error) => panic!("the tiny profile should parse: {error}"),
    }
}
