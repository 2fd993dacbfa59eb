//! After screening: prefilling a new application, attachment checks, and changes to an
//! approved project measured against the scheme's tolerance.

use screening::{
    assess_change, prefill, Attachment, AttachmentType, ChangeInput, ChangeMove, FilledFrom,
    KnownApplicant, MilestoneInput, MAX_ATTACHMENT_BYTES,
};

use crate::{good_input, line, scheme};

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec()
}

#[test]
fn prefill_takes_the_profile_first_then_the_newest_earlier_application() {
    let mut older = good_input("technology-voucher");
    older.reference = "TVP-OLD".into();
    older.employees = "30".into();
    let mut newer = good_input("smart-production-line");
    newer.reference = "SPL-NEW".into();
    newer.employees = "45".into();
    newer.business_registration_number = String::new();
    let profile = KnownApplicant {
        organisation_name: "Wah Hing Precision (profile)".into(),
        sector: String::new(),
    };
    let filled = prefill(Some(&profile), &[newer, older]);
    assert_eq!(
        filled.input.organisation_name,
        "Wah Hing Precision (profile)"
    );
    assert_eq!(filled.input.employees, "45", "the newest application wins");
    assert_eq!(filled.input.business_registration_number, "12345678");
    assert_eq!(
        filled.input.project_title, "",
        "project fields are never copied"
    );
    assert!(filled.input.budget_lines.is_empty());
    let fields: Vec<_> = filled.filled.iter().map(|f| f.field).collect();
    assert_eq!(
        fields,
        [
            "organisation_name",
            "registered_in_hk",
            "business_registration_number",
            "employees",
            "sector",
            "years_in_operation"
        ]
    );
    assert_eq!(filled.filled[0].from, FilledFrom::Profile);
    assert_eq!(
        filled.filled[2].from,
        FilledFrom::EarlierApplication {
            reference: "TVP-OLD".into()
        }
    );
    assert!(prefill(None, &[]).filled.is_empty());
}

#[test]
fn an_attachment_is_typed_by_its_content_and_its_name_must_agree() {
    let ok = Attachment::check("quotations", "C:\\scans\\quote.PDF", pdf()).expect("a PDF");
    assert_eq!(ok.content_type, AttachmentType::Pdf);
    assert_eq!(ok.file_name, "quote.PDF", "the folder part is dropped");
    assert_eq!(ok.sha256.len(), 64);

    let renamed_exe = Attachment::check("quotations", "quote.pdf", b"MZ\x90\x00\x03".to_vec())
        .expect_err("not a PDF");
    assert_eq!(
        renamed_exe.location().map(|l| l.to_string()).as_deref(),
        Some("field `file`")
    );
    assert!(
        renamed_exe
            .to_string()
            .contains("accepted are PDF, PNG and JPEG"),
        "{renamed_exe}"
    );

    let png_named_pdf = Attachment::check(
        "quotations",
        "quote.pdf",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
    )
    .expect_err("name and content disagree");
    assert!(png_named_pdf
        .to_string()
        .contains("does not match its content, which is image/png"));

    let too_big = Attachment::check("quotations", "big.pdf", {
        let mut bytes = pdf();
        bytes.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        bytes
    })
    .expect_err("too large");
    assert!(
        too_big
            .to_string()
            .contains("the most accepted is 10485760 bytes"),
        "{too_big}"
    );
    assert!(Attachment::check("quotations", "x.pdf", Vec::new()).is_err());
    assert!(Attachment::check("not a kind!", "x.pdf", pdf()).is_err());
    assert!(Attachment::check("quotations", "../", pdf()).is_err());
}

#[test]
fn a_budget_change_keeps_the_total_and_is_measured_against_the_tolerance() {
    let scheme = scheme("smart-production-line"); // tolerance 15%
    let approved = good_input("smart-production-line"); // equipment 2.0m, software 0.6m, installation 0.4m
    let within = ChangeInput::Budget {
        budget_lines: vec![
            line("equipment", "1,940,000"),
            line("software", "660,000"),
            line("installation", "400,000"),
        ],
    };
    let (changed, assessment) = assess_change(&scheme, &approved, &within).expect("allowed");
    assert_eq!(changed.budget_lines[1].amount, "660,000");
    assert!(assessment.within_tolerance);
    let ChangeMove::Budget { change, within, .. } = &assessment.moves[1] else {
        panic!("a budget move")
    };
    assert_eq!(change.map(|p| p.to_string()).as_deref(), Some("10.00"));
    assert!(within);

    let beyond = ChangeInput::Budget {
        budget_lines: vec![
            line("equipment", "1,900,000"),
            line("software", "700,000"),
            line("installation", "400,000"),
        ],
    };
    let (_, assessment) = assess_change(&scheme, &approved, &beyond).expect("allowed");
    assert!(!assessment.within_tolerance, "software grows by 16.67%");

    let new_total = ChangeInput::Budget {
        budget_lines: vec![
            line("equipment", "2,100,000"),
            line("software", "1,000,000"),
        ],
    };
    let err = assess_change(&scheme, &approved, &new_total).expect_err("total changes");
    assert!(err.to_string().contains("keeps the total"), "{err}");

    let ineligible = ChangeInput::Budget {
        budget_lines: vec![
            line("equipment", "2,000,000"),
            line("rent", "600,000"),
            line("installation", "400,000"),
        ],
    };
    let err = assess_change(&scheme, &approved, &ineligible).expect_err("rent is not paid for");
    assert!(
        err.to_string().contains("budget_lines[2].category"),
        "{err}"
    );
}

#[test]
fn a_milestone_change_is_within_tolerance_up_to_the_schemes_days() {
    let scheme = scheme("smart-production-line"); // 60 days
    let mut approved = good_input("smart-production-line");
    approved.milestones = vec![MilestoneInput {
        title: "Line commissioned".into(),
        due_on: "2026-03-01".into(),
    }];
    let move_to = |date: &str| ChangeInput::Milestone {
        number: 1,
        due_on: date.into(),
        title: String::new(),
    };
    let (changed, routine) = assess_change(&scheme, &approved, &move_to("2026-04-30")).unwrap();
    assert_eq!(changed.milestones[0].due_on, "2026-04-30");
    assert!(routine.within_tolerance, "60 days later");
    let (_, late) = assess_change(&scheme, &approved, &move_to("2026-05-01")).unwrap();
    assert!(!late.within_tolerance, "61 days later");
    assert!(
        assess_change(&scheme, &approved, &move_to("2026-03-01")).is_err(),
        "no change"
    );
    let missing = ChangeInput::Milestone {
        number: 2,
        due_on: "2026-04-01".into(),
        title: String::new(),
    };
    assert!(assess_change(&scheme, &approved, &missing)
        .unwrap_err()
        .to_string()
        .contains("milestone 2 does not exist"));
}
