//! Retrains the shipped risk model from the synthetic history and prints it as JSON:
//! `cargo run -p screening --release --example train_shipped_model > crates/screening/models/risk-model.json`.

fn main() {
    let trained = match screening::train_shipped_model() {
        Ok(trained) => trained,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    eprintln!(
        "held-out AUC {:.4} on {} decisions ({} rejected), {} Newton iterations",
        trained.held_out.auc, trained.held_out.n, trained.held_out.n_rejected, trained.iterations
    );
    match serde_json::to_string_pretty(&trained) {
        Ok(json) => println!("{json}"),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
