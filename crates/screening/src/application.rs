//! Applications for funding: the raw [`ApplicationInput`] (what a form, JSON body or CSV row
//! gave) and the domain [`Application`] it is parsed into once, at the boundary.
//!
//! Values the screening can do without are optional (a missing one makes a rule `Unknown`
//! and the application incomplete); values that are present must be well-formed, or parsing
//! fails naming the field.

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use vocab::{CountryCode, Currency, Money};

use crate::code::{CostCategory, DocumentKind, SchemeId, Sector};
use crate::error::{Location, ScreeningError};

/// An application as given: every value is text, and an empty text means "not given".
/// It is also the form's and the API's shape (a missing key is an empty value), and what is
/// stored for a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplicationInput {
    /// The application's reference, unique in a batch, e.g. `"APP-2025-0001"`.
    pub reference: String,
    /// The applicant organisation's name.
    pub organisation_name: String,
    /// `yes`/`no` (or `true`/`false`): whether the applicant is registered in Hong Kong.
    pub registered_in_hk: String,
    /// The Hong Kong business registration number: 8 digits, optionally `-` and 3 more.
    pub business_registration_number: String,
    /// The number of employees, a whole number.
    pub employees: String,
    /// The applicant's sector code, e.g. `electronics`.
    pub sector: String,
    /// Full years in operation, a whole number.
    pub years_in_operation: String,
    /// The project's title.
    pub project_title: String,
    /// The project's description.
    pub project_description: String,
    /// Where the project is carried out: an ISO 3166-1 alpha-2 code, e.g. `HK`.
    pub project_location: String,
    /// The project's start date, `YYYY-MM-DD`.
    pub start_date: String,
    /// The project's end date, `YYYY-MM-DD`.
    pub end_date: String,
    /// The currency of every amount, e.g. `HKD`; empty means HKD.
    pub currency: String,
    /// The budget, one line per cost.
    pub budget_lines: Vec<BudgetLineInput>,
    /// The project's total cost.
    pub total: String,
    /// The amount of funding requested.
    pub amount_requested: String,
    /// What the company puts in itself.
    pub company_contribution: String,
    /// The kinds of document provided, e.g. `business_registration`.
    pub documents: Vec<String>,
    /// Funding received earlier, from this scheme or others.
    pub earlier_funding: Vec<EarlierFundingInput>,
    /// The date the application was submitted, `YYYY-MM-DD`; empty means the screening date.
    pub submitted_on: String,
    /// The project's milestones, in order.
    pub milestones: Vec<MilestoneInput>,
}

/// One project milestone as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MilestoneInput {
    /// What is delivered, e.g. `"Line commissioned"`.
    pub title: String,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: String,
}

/// One budget line as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetLineInput {
    /// The cost category code, e.g. `equipment`.
    pub category: String,
    /// What the cost is for (may be empty).
    pub description: String,
    /// The amount, e.g. `1,200,000.00`.
    pub amount: String,
}

/// One earlier-funding declaration as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EarlierFundingInput {
    /// The scheme that funded it, e.g. `technology-voucher`.
    pub scheme: String,
    /// The amount received.
    pub amount: String,
}

/// A parsed application: the applicant, the project, the documents and earlier funding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    reference: String,
    applicant: Applicant,
    project: Project,
    documents: Vec<DocumentKind>,
    earlier_funding: Vec<EarlierFunding>,
    submitted_on: Option<Date>,
}

/// Who applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicant {
    name: String,
    registered_in_hk: Option<bool>,
    business_registration_number: Option<BusinessRegistrationNumber>,
    employees: Option<u32>,
    sector: Option<Sector>,
    years_in_operation: Option<u32>,
}

/// What the money is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    title: String,
    description: Option<String>,
    location: Option<CountryCode>,
    start: Option<Date>,
    end: Option<Date>,
    currency: Currency,
    budget_lines: Vec<BudgetLine>,
    total: Option<Money>,
    amount_requested: Money,
    company_contribution: Option<Money>,
    milestones: Vec<Milestone>,
}

/// A dated project milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    title: String,
    due: Date,
}

impl Milestone {
    /// What is delivered.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// When it is due.
    pub fn due(&self) -> Date {
        self.due
    }
}

/// One cost of the project's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    category: CostCategory,
    description: String,
    amount: Money,
}

/// Funding received earlier for this or another project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierFunding {
    scheme: SchemeId,
    amount: Money,
}

/// A Hong Kong business registration number: the 8-digit BR number, optionally with the
/// 3-digit branch suffix (`12345678-000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct BusinessRegistrationNumber(String);

impl BusinessRegistrationNumber {
    /// Parses `12345678` or `12345678-000`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let (main, branch) = match trimmed.split_once('-') {
            Some((main, branch)) => (main, Some(branch)),
            None => (trimmed, None),
        };
        let digits =
            |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(main, 8) || !branch.is_none_or(|branch| digits(branch, 3)) {
            return Err(format!(
                "{text:?} is not a business registration number (8 digits, optionally -000)"
            ));
        }
        Ok(BusinessRegistrationNumber(trimmed.to_owned()))
    }

    /// The number as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ApplicationInput {
    /// The names of the single-valued text fields, in form order.
    pub const TEXT_FIELDS: [&'static str; 16] = [
        "organisation_name",
        "registered_in_hk",
        "business_registration_number",
        "employees",
        "sector",
        "years_in_operation",
        "project_title",
        "project_description",
        "project_location",
        "start_date",
        "end_date",
        "currency",
        "total",
        "amount_requested",
        "company_contribution",
        "submitted_on",
    ];

    /// The fields about the applicant rather than the project (the first six text fields).
    pub const APPLICANT_FIELDS: [&'static str; 6] = [
        "organisation_name",
        "registered_in_hk",
        "business_registration_number",
        "employees",
        "sector",
        "years_in_operation",
    ];

    /// A text field by its name (one of [`ApplicationInput::TEXT_FIELDS`]).
    pub fn text_field(&self, name: &str) -> Option<&str> {
        Some(match name {
            "organisation_name" => &self.organisation_name,
            "registered_in_hk" => &self.registered_in_hk,
            "business_registration_number" => &self.business_registration_number,
            "employees" => &self.employees,
            "sector" => &self.sector,
            "years_in_operation" => &self.years_in_operation,
            "project_title" => &self.project_title,
            "project_description" => &self.project_description,
            "project_location" => &self.project_location,
            "start_date" => &self.start_date,
            "end_date" => &self.end_date,
            "currency" => &self.currency,
            "total" => &self.total,
            "amount_requested" => &self.amount_requested,
            "company_contribution" => &self.company_contribution,
            "submitted_on" => &self.submitted_on,
            _ => return None,
        })
    }

    /// A text field by its name, to change it.
    pub fn text_field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "organisation_name" => &mut self.organisation_name,
            "registered_in_hk" => &mut self.registered_in_hk,
            "business_registration_number" => &mut self.business_registration_number,
            "employees" => &mut self.employees,
            "sector" => &mut self.sector,
            "years_in_operation" => &mut self.years_in_operation,
            "project_title" => &mut self.project_title,
            "project_description" => &mut self.project_description,
            "project_location" => &mut self.project_location,
            "start_date" => &mut self.start_date,
            "end_date" => &mut self.end_date,
            "currency" => &mut self.currency,
            "total" => &mut self.total,
            "amount_requested" => &mut self.amount_requested,
            "company_contribution" => &mut self.company_contribution,
            "submitted_on" => &mut self.submitted_on,
            _ => return None,
        })
    }
}

impl TryFrom<ApplicationInput> for Application {
    type Error = ScreeningError;

    /// Parses every field; the first bad one is named in the error.
    fn try_from(input: ApplicationInput) -> Result<Self, Self::Error> {
        Application::parse(&input)
    }
}

impl Application {
    /// Parses raw input; the error names the first bad field (`employees`,
    /// `budget_lines[2].amount`).
    pub fn parse(input: &ApplicationInput) -> Result<Application, ScreeningError> {
        let reference = required_text(&input.reference, "reference")?;
        let name = required_text(&input.organisation_name, "organisation_name")?;
        let registered_in_hk = optional(&input.registered_in_hk, "registered_in_hk", parse_yes_no)?;
        let business_registration_number = optional(
            &input.business_registration_number,
            "business_registration_number",
            BusinessRegistrationNumber::parse,
        )?;
        let employees = optional(&input.employees, "employees", parse_count)?;
        let sector = optional(&input.sector, "sector", Sector::parse)?;
        let years_in_operation =
            optional(&input.years_in_operation, "years_in_operation", parse_count)?;
        let title = required_text(&input.project_title, "project_title")?;
        let description = non_empty(&input.project_description);
        let location = match non_empty(&input.project_location) {
            Some(text) => match CountryCode::parse(&text) {
                Ok(code) => Some(code),
                Err(problem) => {
                    return Err(ScreeningError::Vocab {
                        at: Location::field("project_location"),
                        problem,
                    })
                }
            },
            None => None,
        };
        let start = optional(&input.start_date, "start_date", parse_date)?;
        let end = optional(&input.end_date, "end_date", parse_date)?;
        let currency = match non_empty(&input.currency) {
            Some(text) => match Currency::parse(&text) {
                Ok(currency) => currency,
                Err(problem) => {
                    return Err(ScreeningError::Vocab {
                        at: Location::field("currency"),
                        problem,
                    })
                }
            },
            None => Currency::Hkd,
        };
        let mut budget_lines = Vec::with_capacity(input.budget_lines.len());
        for (idx, line) in input.budget_lines.iter().enumerate() {
            let field = |name: &str| format!("budget_lines[{}].{name}", idx + 1);
            let category = match CostCategory::parse(&line.category) {
                Ok(category) => category,
                Err(reason) => {
                    return Err(ScreeningError::Invalid {
                        at: Location::field(&field("category")),
                        reason: format!("{:?} is not a code: {reason}", line.category),
                    })
                }
            };
            let amount = parse_money(&line.amount, &field("amount"), currency)?;
            budget_lines.push(BudgetLine {
                category,
                description: line.description.trim().to_owned(),
                amount,
            });
        }
        let total = match non_empty(&input.total) {
            Some(text) => Some(parse_money(&text, "total", currency)?),
            None => None,
        };
        let amount_requested = parse_money(&input.amount_requested, "amount_requested", currency)?;
        if amount_requested.cents() == 0 {
            return Err(ScreeningError::Invalid {
                at: Location::field("amount_requested"),
                reason: "must be more than zero".to_owned(),
            });
        }
        let company_contribution = match non_empty(&input.company_contribution) {
            Some(text) => Some(parse_money(&text, "company_contribution", currency)?),
            None => None,
        };
        let mut documents: Vec<DocumentKind> = Vec::with_capacity(input.documents.len());
        for (idx, text) in input.documents.iter().enumerate() {
            match DocumentKind::parse(text) {
                Ok(kind) if !documents.contains(&kind) => documents.push(kind),
                Ok(_) => {}
                Err(reason) => {
                    return Err(ScreeningError::Invalid {
                        at: Location::field(&format!("documents[{}]", idx + 1)),
                        reason: format!("{text:?} is not a code: {reason}"),
                    })
                }
            }
        }
        let mut earlier_funding = Vec::with_capacity(input.earlier_funding.len());
        for (idx, funding) in input.earlier_funding.iter().enumerate() {
            let field = |name: &str| format!("earlier_funding[{}].{name}", idx + 1);
            let scheme = match SchemeId::parse(&funding.scheme) {
                Ok(scheme) => scheme,
                Err(reason) => {
                    return Err(ScreeningError::Invalid {
                        at: Location::field(&field("scheme")),
                        reason: format!("{:?} is not a code: {reason}", funding.scheme),
                    })
                }
            };
            let amount = parse_money(&funding.amount, &field("amount"), currency)?;
            earlier_funding.push(EarlierFunding { scheme, amount });
        }
        let submitted_on = optional(&input.submitted_on, "submitted_on", parse_date)?;
        let mut milestones = Vec::with_capacity(input.milestones.len());
        for (idx, milestone) in input.milestones.iter().enumerate() {
            let field = |name: &str| format!("milestones[{}].{name}", idx + 1);
            let title = required_text(&milestone.title, &field("title"))?;
            let Some(due) = optional(&milestone.due_on, &field("due_on"), parse_date)? else {
                return Err(ScreeningError::Invalid {
                    at: Location::field(&field("due_on")),
                    reason: "must not be empty".to_owned(),
                });
            };
            milestones.push(Milestone { title, due });
        }
        Ok(Application {
            reference,
            applicant: Applicant {
                name,
                registered_in_hk,
                business_registration_number,
                employees,
                sector,
                years_in_operation,
            },
            project: Project {
                title,
                description,
                location,
                start,
                end,
                currency,
                budget_lines,
                total,
                amount_requested,
                company_contribution,
                milestones,
            },
            documents,
            earlier_funding,
            submitted_on,
        })
    }

    /// The application's reference.
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// Who applies.
    pub fn applicant(&self) -> &Applicant {
        &self.applicant
    }

    /// What the money is for.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The kinds of document provided, without repeats.
    pub fn documents(&self) -> &[DocumentKind] {
        &self.documents
    }

    /// Earlier funding declared.
    pub fn earlier_funding(&self) -> &[EarlierFunding] {
        &self.earlier_funding
    }

    /// The submission date, when given.
    pub fn submitted_on(&self) -> Option<Date> {
        self.submitted_on
    }
}

impl Applicant {
    /// The organisation's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is registered in Hong Kong, when declared.
    pub fn registered_in_hk(&self) -> Option<bool> {
        self.registered_in_hk
    }

    /// The business registration number, when given.
    pub fn business_registration_number(&self) -> Option<&BusinessRegistrationNumber> {
        self.business_registration_number.as_ref()
    }

    /// The number of employees, when given.
    pub fn employees(&self) -> Option<u32> {
        self.employees
    }

    /// The sector, when given.
    pub fn sector(&self) -> Option<&Sector> {
        self.sector.as_ref()
    }

    /// Full years in operation, when given.
    pub fn years_in_operation(&self) -> Option<u32> {
        self.years_in_operation
    }
}

impl Project {
    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The description, when given.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Where the project is carried out, when given.
    pub fn location(&self) -> Option<&CountryCode> {
        self.location.as_ref()
    }

    /// The start date, when given.
    pub fn start(&self) -> Option<Date> {
        self.start
    }

    /// The end date, when given.
    pub fn end(&self) -> Option<Date> {
        self.end
    }

    /// The currency of every amount.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The budget lines, in the order given.
    pub fn budget_lines(&self) -> &[BudgetLine] {
        &self.budget_lines
    }

    /// The declared total cost, when given.
    pub fn total(&self) -> Option<Money> {
        self.total
    }

    /// The funding requested (more than zero).
    pub fn amount_requested(&self) -> Money {
        self.amount_requested
    }

    /// The milestones, in the order given.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    /// The company's own contribution, when given.
    pub fn company_contribution(&self) -> Option<Money> {
        self.company_contribution
    }
}

impl BudgetLine {
    /// The cost category.
    pub fn category(&self) -> &CostCategory {
        &self.category
    }

    /// What the cost is for (may be empty).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The amount (not negative).
    pub fn amount(&self) -> Money {
        self.amount
    }
}

impl EarlierFunding {
    /// The scheme that funded it.
    pub fn scheme(&self) -> &SchemeId {
        &self.scheme
    }

    /// The amount received.
    pub fn amount(&self) -> Money {
        self.amount
    }
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || format!("{text:?} is not a date such as 2025-01-31");
    let trimmed = text.trim();
    let mut parts = trimmed.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return Err(bad());
    }
    let (Ok(year), Ok(month), Ok(day)) =
        (year.parse::<i32>(), month.parse::<u8>(), day.parse::<u8>())
    else {
        return Err(bad());
    };
    let Ok(month) = Month::try_from(month) else {
        return Err(bad());
    };
    match Date::from_calendar_date(year, month, day) {
        Ok(date) => Ok(date),
        Err(_) => Err(format!("{text:?} is not a day of the calendar")),
    }
}

fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(format!("{text:?} is not yes or no")),
    }
}

fn parse_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(count) => Ok(count),
        Err(_) => Err(format!(
            "{text:?} is not a whole number from 0 to {}",
            u32::MAX
        )),
    }
}

fn parse_money(text: &str, field: &str, currency: Currency) -> Result<Money, ScreeningError> {
    let money = match Money::parse_amount(text, currency) {
        Ok(money) => money,
        Err(problem) => {
            return Err(ScreeningError::Vocab {
                at: Location::field(field),
                problem,
            })
        }
    };
    if money.is_negative() {
        return Err(ScreeningError::Invalid {
            at: Location::field(field),
            reason: format!("{text:?} must not be negative"),
        });
    }
    Ok(money)
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn required_text(text: &str, field: &str) -> Result<String, ScreeningError> {
    match non_empty(text) {
        Some(text) => Ok(text),
        None => Err(ScreeningError::Invalid {
            at: Location::field(field),
            reason: "must not be empty".to_owned(),
        }),
    }
}

fn optional<T>(
    text: &str,
    field: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ScreeningError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse(text) {
        Ok(value) => Ok(Some(value)),
        Err(reason) => Err(ScreeningError::Invalid {
            at: Location::field(field),
            reason,
        }),
    }
}
