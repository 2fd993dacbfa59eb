//! The capacitated facility location instance: facilities with a capacity and a fixed opening
//! cost, customers with a demand and the cost of serving all of it from each facility.

use crate::PlannerError;

/// A candidate facility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facility {
    /// The most demand the facility can serve once open.
    pub capacity: f64,
    /// The fixed cost of opening it.
    pub fixed_cost: f64,
}

/// A customer and what it costs to serve it.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The customer's demand.
    pub demand: f64,
    /// `costs[i]`: the cost of serving ALL of this customer's demand from facility `i` (serving a
    /// fraction `x` of it costs `x * costs[i]`), as in OR-Library.
    pub costs: Vec<f64>,
}

/// A validated instance: at least one facility and one customer, every number finite and
/// non-negative, and every customer with one allocation cost per facility.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    facilities: Vec<Facility>,
    customers: Vec<Customer>,
}

impl Instance {
    /// Builds an instance, checking its invariants.
    ///
    /// # Errors
    /// [`PlannerError::InvalidInstance`] naming the first facility or customer (1-based) at fault.
    pub fn new(facilities: Vec<Facility>, customers: Vec<Customer>) -> Result<Self, PlannerError> {
        let invalid = |message: String| Err(PlannerError::InvalidInstance(message));
        if facilities.is_empty() {
            return invalid("no facilities".to_owned());
        }
        if customers.is_empty() {
            return invalid("no customers".to_owned());
        }
        for (i, f) in facilities.iter().enumerate() {
            if !is_amount(f.capacity) {
                return invalid(format!(
                    "facility {}: capacity {} is not a non-negative number",
                    i + 1,
                    f.capacity
                ));
            }
            if !is_amount(f.fixed_cost) {
                return invalid(format!(
                    "facility {}: fixed cost {} is not a non-negative number",
                    i + 1,
                    f.fixed_cost
                ));
            }
        }
        for (j, c) in customers.iter().enumerate() {
            if !is_amount(c.demand) {
                return invalid(format!(
                    "customer {}: demand {} is not a non-negative number",
                    j + 1,
                    c.demand
                ));
            }
            if c.costs.len() != facilities.len() {
                return invalid(format!(
                    "customer {}: {} allocation costs for {} facilities",
                    j + 1,
                    c.costs.len(),
                    facilities.len()
                ));
            }
            if let Some((i, cost)) = c.costs.iter().enumerate().find(|(_, c)| !is_amount(**c)) {
                return invalid(format!(
                    "customer {}: cost {} from facility {} is not a non-negative number",
                    j + 1,
                    cost,
                    i + 1
                ));
            }
        }
        Ok(Self {
            facilities,
            customers,
        })
    }

    /// The candidate facilities, in file order.
    pub fn facilities(&self) -> &[Facility] {
        &self.facilities
    }

    /// The customers, in file order.
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }

    /// The sum of all customers' demand.
    pub fn total_demand(&self) -> f64 {
        self.customers.iter().map(|c| c.demand).sum()
    }

    /// The sum of all facilities' capacity.
    pub fn total_capacity(&self) -> f64 {
        self.facilities.iter().map(|f| f.capacity).sum()
    }
}

fn is_amount(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}
