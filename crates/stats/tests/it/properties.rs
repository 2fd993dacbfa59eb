//! Properties of the exact arithmetic: weights round-trip, weighted cents are within half a cent,
//! displayed shares agree with the published-share test, and sample sizes include the true one.

use proptest::prelude::*;
use stats::{sample_sizes_consistent, Share, Weight};

proptest! {
    #[test]
    fn a_weight_prints_as_text_that_parses_back_to_it(millionths in 0_u32..=1_000_000) {
        let weight = Weight::from_millionths(millionths).expect("in range");
        let parsed = Weight::parse(&weight.to_string()).expect("parses");
        prop_assert_eq!(parsed, weight);
    }

    #[test]
    fn a_weighted_value_is_within_half_a_cent_of_the_exact_product(
        cents in -1_000_000_000_000_000_i64..1_000_000_000_000_000,
        millionths in 0_u32..=1_000_000,
    ) {
        let weight = Weight::from_millionths(millionths).expect("in range");
        let rounded = i128::from(weight.apply(cents).expect("fits"));
        let exact = i128::from(cents) * i128::from(millionths);
        prop_assert!((rounded * 1_000_000 - exact).abs() <= 500_000);
    }

    #[test]
    fn a_share_rounds_to_the_percentage_it_displays(
        numerator in 0_i64..1_000_000_000_000,
        denominator in 1_i64..1_000_000_000_000,
        decimals in 0_u8..=6,
    ) {
        let share = Share::new(numerator, denominator).expect("positive denominator");
        let text = share.percent_text(decimals);
        let published = vocab::Percent::parse(&text).expect("a percentage");
        prop_assert_eq!(published.decimals(), decimals);
        prop_assert!(share.rounds_to(published));
        prop_assert_eq!(share.to_percent(decimals).expect("fits"), published);
    }

    #[test]
    fn the_true_sample_size_is_always_found(n in 1_u32..500, counts in proptest::collection::vec(0_u32..500, 1..4)) {
        let texts: Vec<String> = counts
            .iter()
            .map(|count| {
                let share = Share::new(i64::from(count % (n + 1)), i64::from(n)).expect("n above 0");
                share.percent_text(1)
            })
            .collect();
        let percentages: Vec<(&str, u8)> = texts.iter().map(|t| (t.as_str(), 1)).collect();
        let sizes = sample_sizes_consistent(&percentages, n..=n).expect("valid");
        prop_assert_eq!(sizes, vec![n]);
    }
}
