//! Every WGSL shader, compiled into the binary: one file in `shaders/` per op, named like the
//! op. `tests/shader_validation.rs` validates the same files with naga.

/// `(name, source)` of every shader; the name is the file's stem.
pub const SHADERS: &[(&str, &str)] = &[
    (
        "conv2d_forward",
        include_str!("../../../../shaders/conv2d_forward.wgsl"),
    ),
    (
        "conv2d_backward_input",
        include_str!("../../../../shaders/conv2d_backward_input.wgsl"),
    ),
    (
        "conv2d_backward_weight",
        include_str!("../../../../shaders/conv2d_backward_weight.wgsl"),
    ),
    (
        "conv2d_backward_bias",
        include_str!("../../../../shaders/conv2d_backward_bias.wgsl"),
    ),
    (
        "max_pool2d_forward",
        include_str!("../../../../shaders/max_pool2d_forward.wgsl"),
    ),
    (
        "max_pool2d_backward",
        include_str!("../../../../shaders/max_pool2d_backward.wgsl"),
    ),
    (
        "avg_pool2d_forward",
        include_str!("../../../../shaders/avg_pool2d_forward.wgsl"),
    ),
    (
        "avg_pool2d_backward",
        include_str!("../../../../shaders/avg_pool2d_backward.wgsl"),
    ),
    (
        "relu_forward",
        include_str!("../../../../shaders/relu_forward.wgsl"),
    ),
    (
        "relu_backward",
        include_str!("../../../../shaders/relu_backward.wgsl"),
    ),
    ("add", include_str!("../../../../shaders/add.wgsl")),
    (
        "concat_channels",
        include_str!("../../../../shaders/concat_channels.wgsl"),
    ),
    ("matmul", include_str!("../../../../shaders/matmul.wgsl")),
    (
        "softmax_cross_entropy",
        include_str!("../../../../shaders/softmax_cross_entropy.wgsl"),
    ),
    ("sgd", include_str!("../../../../shaders/sgd.wgsl")),
    ("adam", include_str!("../../../../shaders/adam.wgsl")),
];

/// The source of shader `name`.
pub fn source(name: &str) -> Option<&'static str> {
    SHADERS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_in_shaders_is_in_the_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shaders");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("shaders/")
            .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
            .filter(|name| name != "README")
            .collect();
        files.sort();
        let mut table: Vec<String> = super::SHADERS.iter().map(|(n, _)| n.to_string()).collect();
        table.sort();
        assert_eq!(files, table);
    }
}
