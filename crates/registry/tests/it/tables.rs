//! Status filtering, shares and ranks of the tables.

use registry::{tabulate, tabulate_csv, Dimension, Key, Status};

use crate::{counts, province_key, sector};

const ROWS: &str = "id,name,province,city,sector,status,year_established\n\
    1,A,cn-gd,cn-gd-shenzhen,C39,operating,2001\n\
    2,B,cn-gd,cn-gd-shenzhen,C39,operating,2001\n\
    3,C,cn-js,cn-js-suzhou,C18,operating,2001\n\
    4,D,cn-fj,cn-fj-quanzhou,C18,operating,2001\n\
    5,E,cn-zj,cn-zj-ningbo,C29,operating,2001\n\
    6,F,cn-zj,cn-zj-ningbo,C29,suspended,2001\n\
    7,G,cn-sh,cn-sh-shanghai,C33,revoked,2001\n";

#[test]
fn non_operating_rows_are_excluded_from_tables_but_counted_by_status() {
    // Arrange, Act
    let tables = tabulate_csv(ROWS.as_bytes(), &[Dimension::Province]).expect("valid");

    // Assert
    assert_eq!(tables.total_rows(), 7);
    assert_eq!(tables.total_operating(), 5);
    assert_eq!(tables.count_by_status(Status::Suspended), 1);
    assert_eq!(tables.count_by_status(Status::Revoked), 1);
    assert_eq!(tables.count_by_status(Status::Cancelled), 0);
    let table = tables.table(Dimension::Province).expect("requested");
    assert_eq!(table.get(&province_key("cn-sh")), None);
    assert_eq!(
        counts(&tables, Dimension::Province),
        [
            ("cn-gd".to_owned(), 2),
            ("cn-fj".to_owned(), 1),
            ("cn-js".to_owned(), 1),
            ("cn-zj".to_owned(), 1)
        ]
    );
}

#[test]
fn tied_counts_share_a_rank_and_the_next_rank_skips() {
    // Arrange, Act
    let tables = tabulate_csv(ROWS.as_bytes(), &[Dimension::Province]).expect("valid");

    // Assert
    let table = tables.table(Dimension::Province).expect("requested");
    let ranks: Vec<u64> = table.rows().iter().map(|row| row.rank()).collect();
    assert_eq!(ranks, [1, 2, 2, 2]);
    let shares: Vec<String> = table
        .rows()
        .iter()
        .map(|row| row.share().to_string())
        .collect();
    assert_eq!(shares, ["40.0", "20.0", "20.0", "20.0"]);
    assert_eq!(table.top(2).len(), 2);
    assert_eq!(table.top(10).len(), 4);
}

#[test]
fn sector_ties_rank_together_after_a_shared_first_place() {
    // Arrange, Act
    let tables = tabulate_csv(
        ROWS.as_bytes(),
        &[Dimension::Sector, Dimension::ProvinceSector],
    )
    .expect("valid");

    // Assert
    let table = tables.table(Dimension::Sector).expect("requested");
    let ranked: Vec<(String, u64, u64)> = table
        .rows()
        .iter()
        .map(|row| (row.key().to_string(), row.count(), row.rank()))
        .collect();
    assert_eq!(
        ranked,
        [
            ("C18".to_owned(), 2, 1),
            ("C39".to_owned(), 2, 1),
            ("C29".to_owned(), 1, 3),
        ]
    );
    let pairs = tables.table(Dimension::ProvinceSector).expect("requested");
    let gd_c39 = Key::ProvinceSector(crate::place("cn-gd"), sector("C39"));
    assert_eq!(pairs.get(&gd_c39).map(|row| row.count()), Some(2));
}

#[test]
fn shares_round_half_up_to_one_decimal() {
    // Arrange: 1 of 8 is 12.5% exactly; 1 of 16 is 6.25%, which rounds up to 6.3.
    let eighth = registry::Share::new(1, 8);
    let sixteenth = registry::Share::new(1, 16);

    // Act, Assert
    assert_eq!(eighth.to_string(), "12.5");
    assert_eq!(sixteenth.to_string(), "6.3");
    assert_eq!(registry::Share::new(0, 0).to_string(), "0.0");
}

#[test]
fn the_in_memory_path_gives_an_empty_table_for_no_rows() {
    // Arrange, Act
    let tables = tabulate(&[], &[Dimension::City, Dimension::City]);

    // Assert
    assert_eq!(tables.tables().len(), 1);
    assert_eq!(tables.total_operating(), 0);
    assert!(tables
        .table(Dimension::City)
        .expect("requested")
        .rows()
        .is_empty());
}
