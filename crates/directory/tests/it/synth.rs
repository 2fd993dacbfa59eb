//! The synthetic generator: deterministic, streaming, labelled, with realistic correlations.

use directory::{synth, Kind, Sector, Service};
use vocab::Provenance;

#[test]
fn the_same_seed_gives_the_same_entries() {
    let a: Vec<_> = synth::generate(&synth::Plan::scaled(300), 5).collect();
    let b: Vec<_> = synth::generate(&synth::Plan::scaled(300), 5).collect();
    let c: Vec<_> = synth::generate(&synth::Plan::scaled(300), 6).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_demo_plan_has_the_planned_kinds_numbered_from_one() {
    // Arrange / Act
    let entries: Vec<_> = synth::demo(1).collect();

    // Assert
    assert_eq!(entries.len() as u64, synth::Plan::DEMO.total());
    assert!(entries
        .iter()
        .enumerate()
        .all(|(idx, e)| e.id().get() == idx as u64 + 1));
    let count = |kind| {
        entries
            .iter()
            .filter(|e| e.profile().kind() == kind)
            .count() as u64
    };
    assert_eq!(count(Kind::Provider), 2_000);
    assert_eq!(count(Kind::Enterprise), 5_000);
    assert_eq!(count(Kind::Investor), 400);
    assert_eq!(count(Kind::Site), 300);
    assert_eq!(count(Kind::Project), 800);
    assert!(entries
        .iter()
        .all(|e| *e.profile().provenance() == Provenance::Synthetic));
}

#[test]
fn a_kind_alone_is_the_same_as_its_part_of_the_whole() {
    let alone: Vec<_> = synth::providers(100, 9).map(|e| e.into_profile()).collect();
    let whole: Vec<_> = synth::generate(&synth::Plan::scaled(10_000), 9)
        .take(100)
        .map(|e| e.into_profile())
        .collect();
    assert_eq!(alone, whole);
}

#[test]
fn the_stream_knows_its_length() {
    let stream = synth::generate(&synth::Plan::scaled(1_000_000), 1);
    assert_eq!(stream.size_hint(), (1_000_000, Some(1_000_000)));
}

#[test]
fn testing_labs_mostly_carry_iso_17025_and_ev_projects_often_seek_50_to_200_million() {
    // Arrange
    let entries: Vec<_> = synth::demo(3).collect();

    // Act
    let labs: Vec<_> = entries
        .iter()
        .map(|e| e.profile())
        .filter(|p| {
            p.kind() == Kind::Provider && p.services().contains(&Service::TestingCertification)
        })
        .collect();
    let accredited = labs
        .iter()
        .filter(|p| p.certifications().iter().any(|c| c == "ISO/IEC 17025"))
        .count();
    let ev_projects: Vec<_> = entries
        .iter()
        .map(|e| e.profile())
        .filter(|p| p.kind() == Kind::Project && p.sectors() == [Sector::Ev])
        .collect();
    let in_range = ev_projects
        .iter()
        .filter(|p| {
            (5_000_000_000..=20_000_000_000)
                .contains(&p.funding_sought().expect("a project").cents())
        })
        .count();

    // Assert
    assert!(
        accredited * 10 >= labs.len() * 8,
        "{accredited} of {}",
        labs.len()
    );
    assert!(
        in_range * 2 >= ev_projects.len(),
        "{in_range} of {}",
        ev_projects.len()
    );
    assert!(
        in_range < ev_projects.len(),
        "some EV projects are outside the range"
    );
    assert!(entries
        .iter()
        .any(|e| e.profile().name().zh().contains("重慶")));
}
