//! The synthetic registry reproduces the study's published counts exactly, and the fast and
//! careful tabulations agree on it.

use registry::{
    read_registry, tabulate, tabulate_csv, write_synthetic, BadRowPolicy, Dimension, Key, Status,
    PUBLISHED_TOTAL,
};
use rstest::rstest;

use crate::{counts, place, sector};

fn synthetic(rows: u64, seed: u64) -> Vec<u8> {
    let mut csv = Vec::new();
    write_synthetic(&mut csv, rows, seed).expect("writing to memory succeeds");
    csv
}

#[track_caller]
fn check_published(dimension: Dimension, published: &[(&str, u64)]) {
    // Arrange
    let csv = synthetic(PUBLISHED_TOTAL, 1);

    // Act
    let tables = tabulate_csv(csv.as_slice(), &[dimension]).expect("the synthetic file is valid");

    // Assert
    assert_eq!(tables.total_operating(), 68_314);
    assert_eq!(tables.total_rows(), 68_314);
    let top: Vec<(String, u64)> = counts(&tables, dimension)
        .into_iter()
        .take(published.len())
        .collect();
    let expected: Vec<(String, u64)> = published
        .iter()
        .map(|(key, count)| ((*key).to_owned(), *count))
        .collect();
    assert_eq!(top, expected);
}

#[test]
fn the_default_synthetic_registry_has_the_published_province_counts() {
    check_published(
        Dimension::Province,
        &[
            ("cn-gd", 30_971),
            ("cn-js", 9_557),
            ("cn-fj", 6_913),
            ("cn-zj", 5_300),
        ],
    );
}

#[test]
fn the_default_synthetic_registry_has_the_published_city_counts() {
    check_published(
        Dimension::City,
        &[
            ("cn-gd-shenzhen", 6_862),
            ("cn-gd-dongguan", 5_906),
            ("cn-gd-huizhou", 4_628),
            ("cn-js-suzhou", 3_567),
            ("cn-fj-quanzhou", 3_002),
            ("cn-sh-shanghai", 2_638),
        ],
    );
}

#[test]
fn the_default_synthetic_registry_has_the_published_sector_counts() {
    check_published(
        Dimension::Sector,
        &[
            ("C39", 9_177),
            ("C18", 5_630),
            ("C29", 4_879),
            ("C33", 4_710),
        ],
    );
}

#[test]
fn electronics_share_of_the_default_synthetic_registry_displays_as_published() {
    // Arrange
    let csv = synthetic(PUBLISHED_TOTAL, 1);

    // Act
    let tables = tabulate_csv(csv.as_slice(), &[Dimension::Sector]).expect("valid");

    // Assert
    let table = tables.table(Dimension::Sector).expect("requested");
    let c39 = table
        .get(&Key::Sector(sector("C39")))
        .expect("C39 is counted");
    assert_eq!(c39.share().to_string(), "13.4");
    assert_eq!(c39.share().tenths_of_percent(), 134);
    assert_eq!(c39.rank(), 1);
}

#[test]
fn the_synthetic_registry_is_deterministic_and_labelled_synthetic() {
    // Arrange, Act
    let first = synthetic(1_000, 7);
    let again = synthetic(1_000, 7);
    let other = synthetic(1_000, 8);

    // Assert
    assert_eq!(first, again);
    assert_ne!(first, other);
    let text = String::from_utf8(first).expect("ASCII");
    let second_line = text.lines().nth(1).expect("a row");
    assert!(second_line.starts_with("SYN-000001,Synthetic Enterprise 000001,"));
}

#[rstest]
#[case(1)]
#[case(999)]
#[case(123_457)]
fn other_sizes_scale_the_published_counts_and_still_add_up(#[case] rows: u64) {
    // Arrange
    let csv = synthetic(rows, 3);

    // Act
    let tables = tabulate_csv(csv.as_slice(), &[Dimension::Province, Dimension::Sector])
        .expect("the synthetic file is valid");

    // Assert
    assert_eq!(tables.total_operating(), rows);
    for dimension in [Dimension::Province, Dimension::Sector] {
        let sum: u64 = counts(&tables, dimension).iter().map(|(_, n)| n).sum();
        assert_eq!(sum, rows);
    }
    if rows == 123_457 {
        // 30,971 / 68,314 of 123,457 is 55,970.6; largest remainders may add one.
        let gd = tables
            .table(Dimension::Province)
            .and_then(|table| table.get(&Key::Province(place("cn-gd"))))
            .expect("Guangdong is counted")
            .count();
        assert!((55_970..=55_971).contains(&gd), "Guangdong has {gd}");
    }
}

#[rstest]
#[case(1)]
#[case(2)]
#[case(42)]
fn the_fast_csv_path_and_the_in_memory_path_agree(#[case] seed: u64) {
    // Arrange
    let csv = synthetic(20_000, seed);

    // Act
    let fast = tabulate_csv(csv.as_slice(), &Dimension::ALL).expect("valid");
    let import = read_registry(csv.as_slice(), BadRowPolicy::RejectFile).expect("valid");
    let careful = tabulate(&import.enterprises, &Dimension::ALL);

    // Assert
    assert_eq!(fast, careful);
    assert_eq!(fast.count_by_status(Status::Operating), 20_000);
    assert_eq!(import.enterprises.len(), 20_000);
}

#[test]
fn the_fast_path_agrees_across_many_blocks() {
    // Arrange: several megabytes, so the reader cuts many blocks and both workers count.
    let csv = synthetic(200_000, 9);

    // Act
    let fast = tabulate_csv(csv.as_slice(), &Dimension::ALL).expect("valid");
    let import = read_registry(csv.as_slice(), BadRowPolicy::RejectFile).expect("valid");

    // Assert
    assert_eq!(fast, tabulate(&import.enterprises, &Dimension::ALL));
}
