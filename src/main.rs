//! The `convscope` binary: the web app on wasm32 (Trunk builds this), the CLI natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    convscope::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    convscope::cli::run(&args, &mut std::io::stdout())
}
