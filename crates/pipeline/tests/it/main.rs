//! The dashboard's sums: exact, partitioned four ways that agree, HKD only, shares exact.

use pipeline::{dashboard, year_of_announcement, ItemSource, PipelineItem};
use proptest::prelude::*;
use vocab::{
    BilingualText, Currency, ManufacturingSector, Money, Percent, Programme, ProjectStage,
    Provenance, Year,
};

fn item(
    key: &str,
    stage: ProjectStage,
    pledged: Option<i64>,
    realised: Option<i64>,
) -> PipelineItem {
    PipelineItem {
        key: key.to_owned(),
        title: BilingualText::new(key, "項目").unwrap(),
        organisation: None,
        stage,
        sector: None,
        programme: None,
        year: None,
        pledged: pledged.map(Money::hkd),
        realised: realised.map(Money::hkd),
        jobs_pledged: None,
        jobs_realised: None,
        output_pledged: None,
        output_realised: None,
        source: ItemSource::Reference {
            provenance: Provenance::Indicative,
        },
        private: false,
    }
}

#[test]
fn sums_pledged_and_realised_and_gives_the_realised_share() {
    let mut a = item("a", ProjectStage::Operating, Some(100_000), Some(25_000));
    a.jobs_pledged = Some(100);
    a.jobs_realised = Some(33);
    a.sector = Some(ManufacturingSector::parse("C39").unwrap());
    a.programme = Some(Programme::StrategicEnterprises);
    a.year = Some(Year::new(2023).unwrap());
    let mut b = item("b", ProjectStage::Pledged, Some(300_000), None);
    b.jobs_pledged = Some(200);
    b.programme = Some(Programme::StrategicEnterprises);
    b.year = Some(Year::new(2024).unwrap());
    let d = dashboard(&[a, b]).unwrap();
    assert_eq!(d.total.items, 2);
    assert_eq!(d.total.pledged, Money::hkd(400_000));
    assert_eq!(d.total.realised, Money::hkd(25_000));
    assert_eq!(d.total.jobs_pledged, 300);
    assert_eq!(
        d.total.realised_share().unwrap(),
        Some(Percent::parse("6.2").unwrap())
    );
    assert_eq!(
        d.total.jobs_share().unwrap(),
        Some(Percent::parse("11.0").unwrap())
    );
    // One programme holds both; sectors split into C39 and unknown, unknown last.
    assert_eq!(d.by_programme.len(), 1);
    assert_eq!(d.by_programme[0].totals, d.total);
    assert_eq!(d.by_sector.len(), 2);
    assert!(d.by_sector[0].key.is_some());
    assert_eq!(d.by_sector[1].key, None);
    assert_eq!(d.by_sector[1].totals.pledged, Money::hkd(300_000));
    let years: Vec<_> = d.by_year.iter().map(|g| g.key.map(Year::get)).collect();
    assert_eq!(years, [Some(2023), Some(2024)]);
    d.check_views_add_up().unwrap();
}

#[test]
fn counts_but_does_not_sum_amounts_in_another_currency() {
    let mut usd = item("usd", ProjectStage::Pledged, None, None);
    usd.pledged = Some(Money::from_cents(500, Currency::Usd));
    let d = dashboard(&[usd, item("hkd", ProjectStage::Lead, Some(700), None)]).unwrap();
    assert_eq!(d.total.items, 2);
    assert_eq!(d.total.other_currency, 1);
    assert_eq!(d.total.pledged, Money::hkd(700));
}

#[test]
fn says_no_share_when_nothing_is_pledged_and_rounds_half_to_even() {
    let d = dashboard(&[item("a", ProjectStage::Lead, None, None)]).unwrap();
    assert_eq!(d.total.realised_share().unwrap(), None);
    // 1 of 8 is 12.5% exactly; 1 of 16 is 6.25% → 6.2 (half to even).
    let d = dashboard(&[item("b", ProjectStage::Landed, Some(1600), Some(100))]).unwrap();
    assert_eq!(
        d.total.realised_share().unwrap(),
        Some(Percent::parse("6.2").unwrap())
    );
}

#[test]
fn reports_an_overflow_instead_of_wrapping() {
    let big = item("x", ProjectStage::Pledged, Some(i64::MAX / 2 + 1), None);
    assert!(dashboard(&[big.clone(), big]).is_err());
}

#[test]
fn reads_the_year_of_an_announcement() {
    assert_eq!(year_of_announcement("2023-10").map(Year::get), Some(2023));
    assert_eq!(year_of_announcement("2023").map(Year::get), Some(2023));
    assert_eq!(year_of_announcement("soon"), None);
}

proptest! {
    #[test]
    fn every_view_adds_up_to_the_total(
        rows in proptest::collection::vec((0usize..5, 0usize..3, 0u8..4, 0i64..1_000_000_000, proptest::option::of(0u32..5000)), 0..60)
    ) {
        let sectors = ["C36", "C39", "C27"];
        let items: Vec<_> = rows.iter().enumerate().map(|(n, (stage, sector, year, cents, jobs))| {
            let mut i = item(&n.to_string(), ProjectStage::ALL[*stage], Some(*cents), None);
            i.sector = (*sector < 2).then(|| ManufacturingSector::parse(sectors[*sector]).unwrap());
            i.year = (*year > 0).then(|| Year::new(2020 + i16::from(*year)).unwrap());
            i.programme = Programme::ALL.get(n % 7).copied();
            i.jobs_pledged = *jobs;
            i
        }).collect();
        let d = dashboard(&items).unwrap();
        prop_assert_eq!(d.total.items as usize, items.len());
        let expected: i64 = rows.iter().map(|r| r.3).sum();
        prop_assert_eq!(d.total.pledged.cents(), expected);
        prop_assert!(d.check_views_add_up().is_ok());
    }
}
