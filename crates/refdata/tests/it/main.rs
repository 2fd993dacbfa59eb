//! Reading the reference files: the shipped data parses and reproduces the study, and a bad
//! row is refused with its file, line, field and reason.

use std::path::{Path, PathBuf};

use refdata::{Dataset, RefDataError, ReferenceData};
use rstest::rstest;
use vocab::Scale;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// A copy of `data/` with one file's text replaced.
fn copy_with(file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for dataset in Dataset::ALL {
        let text = std::fs::read_to_string(data_dir().join(dataset.file_name())).unwrap();
        std::fs::write(dir.path().join(dataset.file_name()), text).unwrap();
    }
    let path = dir.path().join(file);
    let edited = edit(std::fs::read_to_string(&path).unwrap());
    std::fs::write(path, edited).unwrap();
    dir
}

#[test]
fn the_files_on_disk_and_the_embedded_copy_agree() {
    let embedded = ReferenceData::embedded().unwrap();
    let on_disk = ReferenceData::from_dir(&data_dir()).unwrap();
    assert_eq!(embedded.value_added, on_disk.value_added);
    assert_eq!(embedded.pledges, on_disk.pledges);
}

#[rstest]
#[case(None, "127.1", Some("4.4"))]
#[case(Some("manufacturing"), "28.2", Some("1.0"))]
#[case(Some("publishing_packaging"), "5.3", Some("0.2"))]
#[case(Some("subcontract_processing"), "53.4", Some("1.8"))]
#[case(Some("new_industries"), "40.2", Some("1.4"))]
fn value_added_is_as_published(
    #[case] component: Option<&str>,
    #[case] bn: &str,
    #[case] share: Option<&str>,
) {
    let data = ReferenceData::embedded().unwrap();
    let figure = data
        .value_added
        .iter()
        .find(|f| f.component.map(|c| c.code()) == component && f.subgroup.is_none())
        .unwrap();
    assert_eq!(figure.value.format_scaled(Scale::Billion), bn);
    assert_eq!(figure.gdp_share.map(|p| p.to_string()).as_deref(), share);
    assert_eq!(figure.source.document(), Some("made-by-hk-study"));
}

#[test]
fn every_number_has_a_source() {
    let data = ReferenceData::embedded().unwrap();
    let published = |p: &vocab::Provenance| p.kind() == "published";
    assert!(data.value_added.iter().all(|f| published(&f.source)));
    assert!(data.registry.iter().all(|r| published(&r.source)));
    assert!(data.places.iter().all(|p| p.source.kind() == "indicative"));
    assert_eq!(
        data.registry.iter().map(|r| r.enterprises).max(),
        Some(68_314)
    );
}

#[rstest]
#[case::bad_amount(
    "industry_value_added.csv",
    "2023,manufacturing,,28.2,1.0",
    "2023,manufacturing,,28.2.1,1.0",
    3,
    "value_hkd_bn"
)]
#[case::bad_source(
    "producer_services.csv",
    "2000,230,,published: made-by-hk-study",
    "2000,230,,rumour",
    2,
    "source"
)]
#[case::unknown_document(
    "producer_services.csv",
    "2000,230,,published: made-by-hk-study",
    "2000,230,,published: nowhere",
    2,
    "source"
)]
#[case::unknown_place(
    "pledges.csv",
    "hk-science-park,pledged",
    "hk-nowhere,pledged",
    6,
    "place"
)]
#[case::bad_sector(
    "mainland_manufacturers_2024.csv",
    "sector,C39,9177",
    "sector,C99,9177",
    13,
    "key"
)]
#[case::negative_count(
    "mainland_manufacturers_2024.csv",
    "city,cn-gd-dongguan,5906",
    "city,cn-gd-dongguan,-5906",
    8,
    "enterprises"
)]
#[case::duplicate("places.csv", "cn-gd,region", "cn,region", 4, "code")]
fn a_bad_row_is_refused_with_file_line_field_and_reason(
    #[case] file: &str,
    #[case] good: &str,
    #[case] bad: &str,
    #[case] line: u64,
    #[case] field: &str,
) {
    // Arrange
    let dir = copy_with(file, |text| {
        assert!(
            text.contains(good),
            "fixture text {good:?} not found in {file}"
        );
        text.replacen(good, bad, 1)
    });
    // Act
    let err = ReferenceData::from_dir(dir.path()).unwrap_err();
    // Assert
    let RefDataError::Field {
        file: got_file,
        line: got_line,
        field: got_field,
        reason,
    } = &err
    else {
        panic!("expected a field error, got {err}");
    };
    assert_eq!(
        (got_file.as_str(), *got_line, got_field.as_str()),
        (file, line, field),
        "{err}"
    );
    assert!(!reason.is_empty());
    assert!(
        err.to_string()
            .starts_with(&format!("{file}: line {line}: field `{field}`: ")),
        "{err}"
    );
}

#[test]
fn a_missing_column_is_refused_at_line_one() {
    let dir = copy_with("pledges.csv", |text| text.replacen(",jobs,", ",staff,", 1));
    let err = ReferenceData::from_dir(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pledges.csv: line 1: missing column `jobs`"
    );
}
