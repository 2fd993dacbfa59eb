//! The network planner on the shipped example and on small hand-made models: plans meet every
//! demand within every rule, costs add up exactly, scenarios move the footprint, and bad
//! models are refused naming the field.

use std::collections::BTreeMap;

use planner::{
    compare_scenarios, solve_network, NetworkModel, NetworkOptions, NetworkPlan, PlannerError,
    ScenarioOutcome, ScenarioSelection, EXAMPLE_MODEL,
};
use rstest::rstest;
use vocab::CountryCode;

fn options() -> NetworkOptions {
    NetworkOptions {
        time_limit: Some(60.0),
        mip_gap: None,
    }
}

fn example() -> NetworkModel {
    NetworkModel::from_json(EXAMPLE_MODEL).expect("the example parses")
}

fn cn() -> CountryCode {
    CountryCode::parse("CN").expect("CN")
}

/// Every demand met exactly, no plant over capacity, the policy rules held and the cost items
/// adding up to the total.
#[track_caller]
fn check_plan(model: &NetworkModel, plan: &NetworkPlan) {
    let mut served: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for flow in &plan.flows {
        *served.entry((&flow.market, &flow.product)).or_default() += flow.units;
    }
    for market in model.markets() {
        for (k, &demand) in market.demand.iter().enumerate() {
            let product = model.products()[k].code.as_str();
            let got = served.get(&(market.code.as_str(), product)).copied();
            assert_eq!(
                got.unwrap_or(0),
                demand,
                "{} {product}: served {got:?} of {demand}",
                market.code
            );
        }
    }
    for plant in &plan.plants {
        assert!(plant.units <= plant.capacity, "{plant:?} over capacity");
        if plant.option.is_none() {
            assert_eq!(plant.units, 0, "{plant:?} closed but making units");
        }
    }
    let total: u64 = plan.countries.iter().map(|c| c.units).sum();
    assert_eq!(total, model.total_demand());
    if let Some(share) = model.policy().max_country_share {
        for country in &plan.countries {
            assert!(
                i128::from(country.units) * 100_000_000
                    <= i128::from(total) * i128::from(share.millionths()),
                "{country:?} above {share}%"
            );
        }
    }
    if let Some(min) = model.policy().min_countries {
        assert!(plan.countries.len() >= min as usize, "{:?}", plan.countries);
    }
    let c = &plan.costs;
    assert_eq!(
        c.total.cents(),
        c.fixed.cents() + c.production.cents() + c.freight.cents() + c.tariff.cents()
    );
    let by_flow: i64 = plan
        .flows
        .iter()
        .map(|f| f.production.cents() + f.freight.cents() + f.tariff.cents())
        .sum();
    let fixed: i64 = plan.plants.iter().map(|p| p.fixed_cost.cents()).sum();
    assert_eq!(by_flow + fixed, c.total.cents());
    // The solver's bound cannot exceed the exact cost of the plan it found.
    assert!(plan.bound_hkd <= c.total.cents() as f64 / 100.0 * (1.0 + 1e-9));
}

#[test]
fn the_example_base_plan_meets_every_demand_within_the_china_plus_n_rules() {
    // Arrange
    let model = example();

    // Act
    let plan = solve_network(&model, &options()).expect("a plan");

    // Assert
    assert!(plan.optimal, "{}", plan.status);
    check_plan(&model, &plan);
    assert!(plan.countries.len() >= 2);
}

#[test]
fn the_us_tariff_shock_moves_us_supply_out_of_the_mainland_and_changes_the_footprint() {
    // Arrange
    let model = example();
    let selection = ScenarioSelection::Named(vec!["us-tariff-shock".to_owned()]);
    let mut steps = Vec::new();

    // Act
    let comparison = compare_scenarios(&model, &selection, &options(), &mut |done, total| {
        steps.push((done, total))
    })
    .expect("solved");

    // Assert
    assert_eq!(steps, vec![(1, 2), (2, 2)]);
    let base = &comparison.base;
    let ScenarioOutcome::Solved { plan, delta } = &comparison.scenarios[0].outcome else {
        panic!("the shock has a plan: {:?}", comparison.scenarios[0]);
    };
    let shocked = model
        .with_scenario(model.scenario("us-tariff-shock").expect("scenario"))
        .expect("applies");
    check_plan(&shocked, plan);
    assert!(
        plan.units_from_country_to(cn(), "us") < base.units_from_country_to(cn(), "us"),
        "Mainland units into the US: base {}, shock {}",
        base.units_from_country_to(cn(), "us"),
        plan.units_from_country_to(cn(), "us")
    );
    assert!(
        delta.total.cents() > 0,
        "a shock cannot make the plan cheaper"
    );
    assert!(
        !delta.opened.is_empty() || !delta.resized.is_empty() || !delta.closed.is_empty(),
        "the footprint changes: {delta:?}"
    );
    assert_eq!(
        delta.total.cents(),
        plan.costs.total.cents() - base.costs.total.cents()
    );
}

#[test]
fn every_example_scenario_gets_a_plan_or_a_reason() {
    // Arrange
    let model = example();

    // Act
    let comparison = compare_scenarios(&model, &ScenarioSelection::All, &options(), &mut |_, _| {})
        .expect("solved");

    // Assert
    assert_eq!(comparison.scenarios.len(), model.scenarios().len());
    for result in &comparison.scenarios {
        let scenario = model.scenario(&result.name).expect("named");
        match &result.outcome {
            ScenarioOutcome::Solved { plan, .. } => {
                check_plan(&model.with_scenario(scenario).expect("applies"), plan)
            }
            ScenarioOutcome::Failed { error, .. } => panic!("{}: {error}", result.name),
        }
    }
    let closed = comparison
        .scenarios
        .iter()
        .find(|s| s.name == "us-border-closed")
        .expect("scenario");
    let ScenarioOutcome::Solved { plan, .. } = &closed.outcome else {
        panic!("no plan");
    };
    assert_eq!(plan.units_from_country_to(cn(), "us"), 0);
}

/// A two-plant, two-market model to vary by hand.
fn small(policy: &str, extra_lanes: &str) -> String {
    format!(
        r#"{{
  "name": "small", "source": "synthetic",
  "products": [{{"code": "p", "unit_value": "100"}}],
  "plants": [
    {{"code": "a", "country": "CN", "options": [{{"code": "one", "capacity": 100, "fixed_cost": "1000"}}],
      "production_cost": {{"p": "10"}}}},
    {{"code": "b", "country": "VN", "options": [{{"code": "one", "capacity": 100, "fixed_cost": "1500"}}],
      "production_cost": {{"p": "12"}}}},
    {{"code": "c", "country": "HK", "options": [{{"code": "one", "capacity": 100, "fixed_cost": "2000"}}],
      "production_cost": {{"p": "20"}}}}
  ],
  "markets": [
    {{"code": "m1", "demand": {{"p": 50}}}},
    {{"code": "m2", "demand": {{"p": 50}}}}
  ],
  "lanes": [
    {{"from": "a", "to": "m1", "freight": "1"}},
    {{"from": "a", "to": "m2", "freight": "1"}}{extra_lanes}
  ],
  "policy": {policy}
}}"#
    )
}

#[test]
fn a_market_no_plant_reaches_is_named() {
    // Arrange: only plant a has lanes, and it is lost.
    let text = small("{}", "").replace(
        r#""production_cost": {"p": "10"}}"#,
        r#""production_cost": {"p": "10"}, "status": "forced_closed"}"#,
    );
    let model = NetworkModel::from_json(&text).expect("valid");

    // Act
    let result = solve_network(&model, &options());

    // Assert
    let Err(PlannerError::NetworkInfeasible { findings }) = result else {
        panic!("expected infeasible, got {result:?}");
    };
    assert_eq!(
        findings,
        vec![
            "market `m1`: 50 units a year of `p` cannot be served: no plant that may open has a lane to it",
            "market `m2`: 50 units a year of `p` cannot be served: no plant that may open has a lane to it",
            "total demand of 100 units a year exceeds the 0 units the plants that may open and ship can make at their largest size",
        ]
    );
}

#[test]
fn share_caps_that_cannot_add_up_to_the_demand_are_explained() {
    // Arrange: at most 40% from one country, but only plant a (CN) reaches the markets.
    let model =
        NetworkModel::from_json(&small(r#"{"max_country_share": "40"}"#, "")).expect("valid");

    // Act
    let result = solve_network(&model, &options());

    // Assert
    let Err(PlannerError::NetworkInfeasible { findings }) = result else {
        panic!("expected infeasible, got {result:?}");
    };
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("at most 40% of units from one country (40 units)")),
        "{findings:?}"
    );
}

#[test]
fn a_binding_rule_the_prechecks_miss_is_found_by_the_elastic_model() {
    // Arrange: m1 only from a (CN); 40% caps each country at 40 of 100 units, so m1's 50
    // cannot be met, though every country together could make enough.
    let lanes = r#",
    {"from": "b", "to": "m2", "freight": "1"},
    {"from": "c", "to": "m2", "freight": "1"}"#;
    let model =
        NetworkModel::from_json(&small(r#"{"max_country_share": "40"}"#, lanes)).expect("valid");

    // Act
    let result = solve_network(&model, &options());

    // Assert
    let Err(PlannerError::NetworkInfeasible { findings }) = result else {
        panic!("expected infeasible, got {result:?}");
    };
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].contains("market `m1`: 10 of its 50 units")
            || findings[0].contains("at most 40% of units from one country binds: CN"),
        "{findings:?}"
    );
}

#[test]
fn single_sourcing_serves_each_market_from_one_plant() {
    // Arrange: two plants of 100 reach both markets of 50 each.
    let lanes = r#",
    {"from": "b", "to": "m1", "freight": "0"},
    {"from": "b", "to": "m2", "freight": "0"}"#;
    let model = NetworkModel::from_json(&small(
        r#"{"single_sourcing": true, "min_countries": 2}"#,
        lanes,
    ))
    .expect("valid");

    // Act
    let plan = solve_network(&model, &options()).expect("a plan");

    // Assert
    check_plan(&model, &plan);
    assert_eq!(plan.flows.len(), 2, "{:?}", plan.flows);
    assert_eq!(plan.open_plants(), vec!["a", "b"]);
    // a (10 + 1) serves one market, b (12 + 0) the other: both are open anyway, so each
    // market goes where it is cheaper per unit... a is cheaper for both, but at most one
    // market per plant is not a rule: the plan is the cheapest single-sourced one.
    assert!(plan.optimal);
}

#[test]
fn the_cost_of_a_plan_is_exact_in_cents() {
    // Arrange: one plant serves both markets; tariff 2.5% on a HK$100 product into m2.
    let text = small("{}", "").replace(
        r#""policy": {}"#,
        r#""tariffs": [{"origin": "CN", "market": "m2", "rate": "2.5"}], "policy": {}"#,
    );
    let model = NetworkModel::from_json(&text).expect("valid");

    // Act
    let plan = solve_network(&model, &options()).expect("a plan");

    // Assert: fixed 1000; production 100 x 10; freight 100 x 1; tariff 50 x 2.50.
    assert_eq!(plan.open_plants(), vec!["a"]);
    assert_eq!(plan.costs.fixed.cents(), 100_000);
    assert_eq!(plan.costs.production.cents(), 100_000);
    assert_eq!(plan.costs.freight.cents(), 10_000);
    assert_eq!(plan.costs.tariff.cents(), 12_500);
    assert_eq!(plan.costs.total.cents(), 222_500);
}

#[rstest]
#[case::negative_demand(
    r#"{"code": "m1", "demand": {"p": 50}}"#,
    r#"{"code": "m1", "demand": {"p": -5}}"#,
    "markets[0].demand.p: -5 is negative"
)]
#[case::unknown_plant_in_lane(
    r#""from": "a", "to": "m2""#,
    r#""from": "z", "to": "m2""#,
    "lanes[1].from: no plant `z`"
)]
#[case::unknown_product(
    r#"{"p": "12"}"#,
    r#"{"p": "12", "q": "1"}"#,
    "plants[1].production_cost.q: no product `q`"
)]
#[case::zero_capacity(
    r#""capacity": 100, "fixed_cost": "1500""#,
    r#""capacity": 0, "fixed_cost": "1500""#,
    "plants[1].options[0].capacity: 0 is not a positive number of units"
)]
#[case::bad_money(
    r#""unit_value": "100""#,
    r#""unit_value": "1.005""#,
    "products[0].unit_value:"
)]
#[case::bad_country(r#""country": "VN""#, r#""country": "XX""#, "plants[1].country:")]
#[case::share_above_100(
    r#""policy": {}"#,
    r#""policy": {"max_country_share": "120"}"#,
    "policy.max_country_share: 120% is not a share"
)]
#[case::duplicate_lane(
    r#"{"from": "a", "to": "m2", "freight": "1"}"#,
    r#"{"from": "a", "to": "m1", "freight": "1"}"#,
    "lanes[1]: the lane a -> m1 appears twice"
)]
#[case::scenario_names_nothing(
    r#""policy": {}"#,
    r#""policy": {}, "scenarios": [{"name": "s", "changes": [{"kind": "demand", "market": "mars", "percent": "10"}]}]"#,
    "scenarios[s].changes[0].market: no market `mars`"
)]
fn a_bad_model_is_refused_naming_the_field(
    #[case] from: &str,
    #[case] to: &str,
    #[case] expected: &str,
) {
    // Arrange
    let text = small("{}", "");
    assert!(text.contains(from), "the case does not apply: {from}");
    let text = text.replacen(from, to, 1);

    // Act
    let result = NetworkModel::from_json(&text);

    // Assert
    let message = result.expect_err("refused").to_string();
    assert!(
        message.starts_with(expected),
        "`{message}` does not start with `{expected}`"
    );
}

#[test]
fn malformed_json_names_its_line() {
    // Arrange
    let text = "{\n  \"name\": \"x\",\n  \"products\": [,]\n}";

    // Act
    let result = NetworkModel::from_json(text);

    // Assert
    match result {
        Err(PlannerError::Parse { line, .. }) => assert_eq!(line, 3),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn a_demand_surge_scales_demand_exactly_and_an_unknown_scenario_is_refused() {
    // Arrange
    let model = example();
    let surge = model.scenario("asean-demand-surge").expect("scenario");

    // Act
    let surged = model.with_scenario(surge).expect("applies");
    let unknown = compare_scenarios(
        &model,
        &ScenarioSelection::Named(vec!["no-such".to_owned()]),
        &options(),
        &mut |_, _| {},
    );

    // Assert
    let asean = |m: &NetworkModel| {
        m.markets()
            .iter()
            .find(|m| m.code == "asean")
            .expect("asean")
            .demand
            .clone()
    };
    assert_eq!(asean(&model), vec![100_000, 150_000]);
    assert_eq!(asean(&surged), vec![130_000, 195_000]);
    let message = unknown.expect_err("refused").to_string();
    assert!(message.contains("no scenario `no-such`"), "{message}");
}

/// OR-Library's capa1 (100 plants, 1,000 markets) as a network model: hard enough that a
/// short time limit stops the solver before it proves optimality.
fn capa1_as_network() -> NetworkModel {
    let instance = planner::orlib::parse(&crate::read("capa1.txt")).expect("capa1");
    let plants: Vec<String> = instance
        .facilities()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                r#"{{"code": "f{i}", "country": "{}", "options": [{{"code": "one", "capacity": {}, "fixed_cost": "{}"}}], "production_cost": {{"p": "0"}}}}"#,
                ["CN", "VN", "HK", "MY"][i % 4],
                f.capacity as u64,
                f.fixed_cost as u64
            )
        })
        .collect();
    let markets: Vec<String> = instance
        .customers()
        .iter()
        .enumerate()
        .map(|(j, c)| {
            format!(
                r#"{{"code": "c{j}", "demand": {{"p": {}}}}}"#,
                c.demand as u64
            )
        })
        .collect();
    let mut lanes = Vec::new();
    for (j, c) in instance.customers().iter().enumerate() {
        for (i, cost) in c.costs.iter().enumerate() {
            lanes.push(format!(
                r#"{{"from": "f{i}", "to": "c{j}", "freight": "{:.2}"}}"#,
                cost / c.demand.max(1.0)
            ));
        }
    }
    let text = format!(
        r#"{{"name": "capa1", "source": "synthetic", "products": [{{"code": "p", "unit_value": "1"}}],
          "plants": [{}], "markets": [{}], "lanes": [{}]}}"#,
        plants.join(","),
        markets.join(","),
        lanes.join(",")
    );
    NetworkModel::from_json(&text).expect("valid")
}

#[test]
fn a_solve_stopped_by_its_time_limit_returns_its_best_plan_marked_not_proven() {
    // Arrange
    let model = capa1_as_network();
    let options = NetworkOptions {
        time_limit: Some(3.0),
        mip_gap: None,
    };

    // Act
    let result = solve_network(&model, &options);

    // Assert: either the best plan so far, marked, or a clear "no plan in time".
    match result {
        Ok(plan) => {
            assert!(!plan.optimal, "capa1 is not proven in 3 s: {}", plan.status);
            assert_eq!(plan.status, "ReachedTimeLimit");
            assert!(plan.gap > 0.0, "{}", plan.gap);
            check_plan(&model, &plan);
        }
        Err(PlannerError::NoSolution { status, .. }) => assert_eq!(status, "ReachedTimeLimit"),
        Err(other) => panic!("unexpected {other:?}"),
    }
}
