//! Readers for OR-Library capacitated facility ("warehouse") location instances.
//!
//! Two layouts carry the same numbers (whitespace-separated; line breaks carry no meaning):
//!
//! - [`parse`] reads the layout of the project's copies in `../shared/data/orlib/`:
//!   `m n`, then `m` pairs `capacity fixed_cost`, then the `n` demands, then `m` rows of `n`
//!   allocation costs (row `i`, column `j`: the cost of serving all of customer `j`'s demand
//!   from facility `i`).
//! - [`parse_original`] reads OR-Library's own layout: `m n`, then `m` pairs
//!   `capacity fixed_cost`, then for each customer its demand followed by its `m` allocation
//!   costs. In the files `capa`, `capb` and `capc` every capacity is the literal word
//!   `capacity`, a placeholder for the variant's value: read those with
//!   [`parse_original_with_capacity`].
//!
//! Errors name the 1-based line of the offending value.

use crate::{Customer, Facility, Instance, PlannerError};

/// Reads an instance in the layout of `../shared/data/orlib/cap*.txt` (demands first, then one
/// row of allocation costs per facility).
///
/// # Errors
/// [`PlannerError::Parse`] naming the line of a missing, malformed, negative or surplus value.
pub fn parse(text: &str) -> Result<Instance, PlannerError> {
    let mut tokens = Tokens::new(text);
    let (m, n) = tokens.sizes()?;
    let facilities = tokens.facilities(m, Placeholder::Reject)?;
    let mut demands = Vec::with_capacity(tokens.at_most(n));
    for j in 0..n {
        demands.push(tokens.amount(&format!("the demand of customer {}", j + 1))?);
    }
    let mut customers: Vec<Customer> = demands
        .into_iter()
        .map(|demand| Customer {
            demand,
            costs: Vec::new(),
        })
        .collect();
    for i in 0..m {
        for (j, customer) in customers.iter_mut().enumerate() {
            let what = format!(
                "the cost of serving customer {} from facility {}",
                j + 1,
                i + 1
            );
            customer.costs.push(tokens.amount(&what)?);
        }
    }
    tokens.finish()?;
    Instance::new(facilities, customers)
}

/// Reads an instance in OR-Library's own layout (per customer: its demand, then its allocation
/// costs to every facility). A `capacity` placeholder is an error: see
/// [`parse_original_with_capacity`].
///
/// # Errors
/// [`PlannerError::Parse`] naming the line of a missing, malformed, negative or surplus value.
pub fn parse_original(text: &str) -> Result<Instance, PlannerError> {
    parse_original_inner(text, Placeholder::Reject)
}

/// Reads an instance in OR-Library's own layout, putting `capacity` wherever a facility's
/// capacity is the literal word `capacity` (as in `capa`, `capb` and `capc`, whose variants use
/// 8000 … 14000, 5000 … 8000 and 5000 … 7250).
///
/// # Errors
/// As [`parse_original`].
pub fn parse_original_with_capacity(text: &str, capacity: f64) -> Result<Instance, PlannerError> {
    parse_original_inner(text, Placeholder::Replace(capacity))
}

fn parse_original_inner(text: &str, placeholder: Placeholder) -> Result<Instance, PlannerError> {
    let mut tokens = Tokens::new(text);
    let (m, n) = tokens.sizes()?;
    let facilities = tokens.facilities(m, placeholder)?;
    let mut customers = Vec::with_capacity(tokens.at_most(n));
    for j in 0..n {
        let demand = tokens.amount(&format!("the demand of customer {}", j + 1))?;
        let mut costs = Vec::with_capacity(tokens.at_most(m));
        for i in 0..m {
            let what = format!(
                "the cost of serving customer {} from facility {}",
                j + 1,
                i + 1
            );
            costs.push(tokens.amount(&what)?);
        }
        customers.push(Customer { demand, costs });
    }
    tokens.finish()?;
    Instance::new(facilities, customers)
}

#[derive(Clone, Copy)]
enum Placeholder {
    Reject,
    Replace(f64),
}

/// Whitespace-separated tokens with their 1-based line numbers.
struct Tokens<'a> {
    tokens: Box<dyn Iterator<Item = (usize, &'a str)> + 'a>,
    last_line: usize,
    /// No more tokens than this are left (each takes a byte and a separator).
    most_left: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        let last_line = text.lines().count().max(1);
        let tokens = text
            .lines()
            .enumerate()
            .flat_map(|(i, line)| line.split_whitespace().map(move |t| (i + 1, t)));
        Self {
            tokens: Box::new(tokens),
            last_line,
            most_left: text.len().div_ceil(2),
        }
    }

    /// Room to reserve for `count` values read from here: never more than the text can hold,
    /// so that a count like `201101111011` is an error at the end of the text, not an
    /// allocation of terabytes (issue 9).
    fn at_most(&self, count: usize) -> usize {
        count.min(self.most_left)
    }

    fn next(&mut self, what: &str) -> Result<(usize, &'a str), PlannerError> {
        match self.tokens.next() {
            Some(token) => Ok(token),
            None => Err(PlannerError::Parse {
                line: self.last_line,
                message: format!("the text ends where {what} was expected"),
            }),
        }
    }

    fn count(&mut self, what: &str) -> Result<usize, PlannerError> {
        let (line, token) = self.next(what)?;
        match token.parse::<usize>() {
            Ok(k) if k > 0 => Ok(k),
            _ => Err(PlannerError::Parse {
                line,
                message: format!("expected {what} (a positive whole number), found `{token}`"),
            }),
        }
    }

    fn sizes(&mut self) -> Result<(usize, usize), PlannerError> {
        let m = self.count("the number of facilities")?;
        let n = self.count("the number of customers")?;
        Ok((m, n))
    }

    fn amount(&mut self, what: &str) -> Result<f64, PlannerError> {
        let (line, token) = self.next(what)?;
        number(line, token, what)
    }

    fn facilities(
        &mut self,
        m: usize,
        placeholder: Placeholder,
    ) -> Result<Vec<Facility>, PlannerError> {
        let mut facilities = Vec::with_capacity(self.at_most(m));
        for i in 1..=m {
            let what = format!("the capacity of facility {i}");
            let (line, token) = self.next(&what)?;
            let capacity = if token.eq_ignore_ascii_case("capacity") {
                match placeholder {
                    Placeholder::Replace(capacity) => capacity,
                    Placeholder::Reject => {
                        return Err(PlannerError::Parse {
                            line,
                            message: format!(
                                "{what} is the placeholder `capacity`: read this file with a \
                                 capacity value (capa: 8000-14000, capb: 5000-8000, capc: 5000-7250)"
                            ),
                        })
                    }
                }
            } else {
                number(line, token, &what)?
            };
            let fixed_cost = self.amount(&format!("the fixed cost of facility {i}"))?;
            facilities.push(Facility {
                capacity,
                fixed_cost,
            });
        }
        Ok(facilities)
    }

    fn finish(&mut self) -> Result<(), PlannerError> {
        match self.tokens.next() {
            None => Ok(()),
            Some((line, token)) => Err(PlannerError::Parse {
                line,
                message: format!("unexpected value `{token}` after the last allocation cost"),
            }),
        }
    }
}

fn number(line: usize, token: &str, what: &str) -> Result<f64, PlannerError> {
    match token.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        Ok(_) => Err(PlannerError::Parse {
            line,
            message: format!("{what} must be a finite non-negative number, found `{token}`"),
        }),
        Err(_) => Err(PlannerError::Parse {
            line,
            message: format!("expected {what} (a number), found `{token}`"),
        }),
    }
}
