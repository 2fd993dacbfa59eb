//! Bad rows under both policies, the rejected-rows CSV, quoted names and the fast path's line
//! numbers.

use registry::{
    read_registry, tabulate, tabulate_csv, write_rejected, BadRowPolicy, Dimension, Field,
    RegistryError,
};

const HEADER: &str = "id,name,province,city,sector,status,year_established\n";

fn file(rows: &[&str]) -> String {
    let mut text = HEADER.to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

#[track_caller]
fn check_rejected(row: &str, field: Option<Field>, message: &str) {
    // Arrange
    let text = file(&["a1,Alpha,cn-gd,cn-gd-shenzhen,C39,operating,2001", row]);

    // Act
    let careful = read_registry(text.as_bytes(), BadRowPolicy::RejectFile);
    let fast = tabulate_csv(text.as_bytes(), &[Dimension::Province]);

    // Assert
    for result in [careful.map(|_| ()), fast.map(|_| ())] {
        match result {
            Err(RegistryError::Row {
                line,
                field: found,
                reason,
            }) => {
                assert_eq!(line, 3);
                assert_eq!(found, field);
                let err = RegistryError::Row {
                    line,
                    field: found,
                    reason,
                };
                assert_eq!(err.to_string(), message);
            }
            other => panic!("expected a row error, got {other:?}"),
        }
    }
}

#[test]
fn an_unknown_sector_is_reported_with_line_and_field() {
    check_rejected(
        "a2,Beta,cn-gd,cn-gd-dongguan,C99,operating,2001",
        Some(Field::Sector),
        "line 3: field `sector`: \"C99\" is not a manufacturing division (C13 to C43)",
    );
}

#[test]
fn an_unknown_status_is_reported_with_line_and_field() {
    check_rejected(
        "a2,Beta,cn-gd,cn-gd-dongguan,C39,closed,2001",
        Some(Field::Status),
        "line 3: field `status`: \"closed\" is not a status (operating, suspended, cancelled or revoked)",
    );
}

#[test]
fn a_bad_place_code_is_reported_with_line_and_field() {
    check_rejected(
        "a2,Beta,cn gd,cn-gd-dongguan,C39,operating,2001",
        Some(Field::Province),
        "line 3: field `province`: \"cn gd\" is not a place code: unexpected character ' ' (allowed: a-z, 0-9, '-', '.')",
    );
}

#[test]
fn a_year_out_of_range_is_reported_with_line_and_field() {
    check_rejected(
        "a2,Beta,cn-gd,cn-gd-dongguan,C39,operating,1899",
        Some(Field::YearEstablished),
        "line 3: field `year_established`: \"1899\" is not a year from 1900 to 2100",
    );
}

#[test]
fn a_row_with_a_missing_field_is_reported_with_its_line() {
    check_rejected(
        "a2,Beta,cn-gd,cn-gd-dongguan,C39,operating",
        None,
        "line 3: expected 7 fields, found 6",
    );
}

#[test]
fn an_unterminated_quote_is_reported_with_its_line() {
    check_rejected(
        "a2,\"Beta, Ltd.,cn-gd,cn-gd-dongguan,C39,operating,2001",
        None,
        "line 3: unterminated quoted field (a record must fit on one line)",
    );
}

#[test]
fn the_fast_path_counts_lines_across_blocks_to_report_a_late_bad_row() {
    // Arrange: a bad row after more than one block of good ones.
    let good = "a,Alpha,cn-gd,cn-gd-shenzhen,C39,operating,2001";
    let mut rows = vec![good; 60_000];
    rows.push("");
    rows.push("z,Zeta,cn-gd,cn-gd-shenzhen,C39,dormant,2001");
    let text = file(&rows);

    // Act
    let result = tabulate_csv(text.as_bytes(), &[Dimension::Sector]);

    // Assert
    match result {
        Err(RegistryError::Row { line, field, .. }) => {
            assert_eq!(line, 60_003);
            assert_eq!(field, Some(Field::Status));
        }
        other => panic!("expected a row error, got {other:?}"),
    }
}

#[test]
fn skipping_bad_rows_keeps_the_good_ones_and_lists_the_bad_ones() {
    // Arrange
    let text = file(&[
        "a1,Alpha,cn-gd,cn-gd-shenzhen,C39,operating,2001",
        "a2,Beta,cn-gd,cn-gd-dongguan,C99,operating,2001",
        "a3,\"Gamma, \"\"Holdings\"\"\",cn-js,cn-js-suzhou,C18,operating,1999",
        "a1,Alpha again,cn-gd,cn-gd-shenzhen,C39,operating,2001",
        "a5,Epsilon,cn-fj,cn-fj-quanzhou,C29,operating",
    ]);

    // Act
    let import = read_registry(text.as_bytes(), BadRowPolicy::SkipBadRows).expect("skips");

    // Assert
    let ids: Vec<&str> = import.enterprises.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a3"]);
    assert_eq!(import.enterprises[1].name, "Gamma, \"Holdings\"");
    let rejected: Vec<(u64, Option<Field>)> = import
        .rejected
        .iter()
        .map(|row| (row.line, row.field))
        .collect();
    assert_eq!(
        rejected,
        [(3, Some(Field::Sector)), (5, Some(Field::Id)), (6, None)]
    );
    assert_eq!(
        import.rejected[0].raw,
        "a2,Beta,cn-gd,cn-gd-dongguan,C99,operating,2001"
    );
    assert_eq!(import.rejected[1].reason, "\"a1\" repeats the id on line 2");
}

#[test]
fn the_rejected_rows_csv_round_trips() {
    // Arrange
    let text = file(&[
        "a1,Alpha,cn-gd,cn-gd-shenzhen,C39,operating,2001",
        "a2,\"Beta, Ltd.\",cn-gd,cn-gd-dongguan,C99,operating,2001",
        "a3,Gamma,cn-js,cn-js-suzhou,C18,operating",
    ]);
    let import = read_registry(text.as_bytes(), BadRowPolicy::SkipBadRows).expect("skips");

    // Act
    let mut out = Vec::new();
    write_rejected(&import.header, &import.rejected, &mut out).expect("writes");

    // Assert
    let mut reader = csv::ReaderBuilder::new().from_reader(out.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "id",
            "name",
            "province",
            "city",
            "sector",
            "status",
            "year_established",
            "line",
            "reason"
        ]
    );
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|record| {
            record
                .expect("a record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    assert_eq!(
        records,
        [
            vec![
                "a2",
                "Beta, Ltd.",
                "cn-gd",
                "cn-gd-dongguan",
                "C99",
                "operating",
                "2001",
                "3",
                "field `sector`: \"C99\" is not a manufacturing division (C13 to C43)",
            ],
            vec![
                "a3",
                "Gamma",
                "cn-js",
                "cn-js-suzhou",
                "C18",
                "operating",
                "",
                "4",
                "expected 7 fields, found 6",
            ],
        ]
    );
    // The original columns of a field-level rejection read back as the original row.
    let original: String = {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&records[0][..7]).expect("writes");
        String::from_utf8(writer.into_inner().expect("flushes")).expect("UTF-8")
    };
    assert_eq!(original.trim_end(), import.rejected[0].raw);
}

#[test]
fn quoted_names_with_commas_parse_on_both_paths() {
    // Arrange
    let text = file(&[
        "q1,\"Kwun Tong Plastics, Ltd.\",cn-gd,cn-gd-dongguan,C29,operating,1988",
        "q2,\"Pearl \"\"River\"\" Electronics, Inc.\",cn-gd,cn-gd-shenzhen,C39,operating,1995",
    ]);

    // Act
    let import = read_registry(text.as_bytes(), BadRowPolicy::RejectFile).expect("valid");
    let fast = tabulate_csv(text.as_bytes(), &Dimension::ALL).expect("valid");

    // Assert
    assert_eq!(import.enterprises[0].name, "Kwun Tong Plastics, Ltd.");
    assert_eq!(
        import.enterprises[1].name,
        "Pearl \"River\" Electronics, Inc."
    );
    assert_eq!(fast, tabulate(&import.enterprises, &Dimension::ALL));
}

#[test]
fn optional_columns_are_parsed_and_may_be_empty() {
    // Arrange
    let text =
        "id,name,province,city,sector,status,year_established,registered_capital_cny,employees\r\n\
                o1,One,cn-gd,cn-gd-shenzhen,C39,operating,2001,1500000.50,120\r\n\
                o2,Two,cn-gd,cn-gd-shenzhen,39,operating,2001,,\r\n";

    // Act
    let import = read_registry(text.as_bytes(), BadRowPolicy::RejectFile).expect("valid");
    let fast = tabulate_csv(text.as_bytes(), &[Dimension::Sector]).expect("valid");

    // Assert
    let one = &import.enterprises[0];
    assert_eq!(one.registered_capital.map(|m| m.cents()), Some(150_000_050));
    assert_eq!(one.employees, Some(120));
    assert_eq!(import.enterprises[1].registered_capital, None);
    assert_eq!(import.enterprises[1].sector, crate::sector("C39"));
    assert_eq!(fast, tabulate(&import.enterprises, &[Dimension::Sector]));
}

#[test]
fn a_wrong_header_is_rejected() {
    // Arrange
    let text = "id,name,province,town,sector,status,year_established\n";

    // Act
    let careful = read_registry(text.as_bytes(), BadRowPolicy::SkipBadRows);
    let fast = tabulate_csv(text.as_bytes(), &[Dimension::City]);

    // Assert
    assert!(matches!(careful, Err(RegistryError::Header { .. })));
    assert!(matches!(fast, Err(RegistryError::Header { .. })));
}
