//! The uniform `Params` structs of the WGSL shaders, mirrored in Rust.
//!
//! Each struct here is `#[repr(C)]`, `Pod`, and laid out field for field like the `struct Params`
//! of the shader(s) named in its doc comment, padded to a multiple of 16 bytes as uniform
//! buffers require; each shader's comment points back here. A size test keeps them in step.

use bytemuck::{Pod, Zeroable};

/// `Params` of shaders/conv2d_forward.wgsl, conv2d_backward_input.wgsl and
/// conv2d_backward_weight.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct ConvParams {
    pub n: u32,
    pub cin: u32,
    pub h: u32,
    pub w: u32,
    pub cout: u32,
    pub oh: u32,
    pub ow: u32,
    pub groups: u32,
    pub kh: u32,
    pub kw: u32,
    pub sh: u32,
    pub sw: u32,
    pub ph: u32,
    pub pw: u32,
    pub dh: u32,
    pub dw: u32,
    pub has_bias: u32,
    pub _pad: [u32; 3],
}

/// `Params` of shaders/conv2d_backward_bias.wgsl (also the linear layer's bias gradient, with
/// `plane = 1`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct PlaneParams {
    pub n: u32,
    pub c: u32,
    pub plane: u32,
    pub _pad: u32,
}

/// `Params` of shaders/max_pool2d_*.wgsl and avg_pool2d_*.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct PoolParams {
    /// Batch × channels (planes).
    pub nc: u32,
    pub h: u32,
    pub w: u32,
    pub oh: u32,
    pub ow: u32,
    pub kh: u32,
    pub kw: u32,
    pub sh: u32,
    pub sw: u32,
    pub ph: u32,
    pub pw: u32,
    pub _pad: u32,
}

/// `Params` of shaders/relu_*.wgsl and add.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct CountParams {
    pub count: u32,
    pub _pad: [u32; 3],
}

/// `Params` of shaders/concat_channels.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct ChannelCopyParams {
    pub n: u32,
    pub plane: u32,
    pub channels: u32,
    pub src_c: u32,
    pub src_c0: u32,
    pub dst_c: u32,
    pub dst_c0: u32,
    pub _pad: u32,
}

/// `Params` of shaders/matmul.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct MatmulParams {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub has_bias: u32,
    pub a_rs: u32,
    pub a_cs: u32,
    pub b_rs: u32,
    pub b_cs: u32,
    pub accumulate: u32,
    pub _pad: [u32; 3],
}

/// `Params` of shaders/softmax_cross_entropy.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct RowsParams {
    pub n: u32,
    pub k: u32,
    pub _pad: [u32; 2],
}

/// `Params` of shaders/sgd.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct SgdParams {
    pub count: u32,
    pub nesterov: u32,
    pub first: u32,
    pub _pad: u32,
    pub lr: f32,
    pub momentum: f32,
    pub dampening: f32,
    pub weight_decay: f32,
}

/// `Params` of shaders/adam.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, Pod, Zeroable)]
pub struct AdamParams {
    pub count: u32,
    pub _pad0: [u32; 3],
    pub step_size: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    pub weight_decay: f32,
    pub bias2_sqrt: f32,
    pub _pad1: [f32; 2],
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn sizes_match_the_wgsl_structs() {
        // Field counts × 4 bytes, as declared in the shaders; all multiples of 16.
        assert_eq!(size_of::<ConvParams>(), 20 * 4);
        assert_eq!(size_of::<PlaneParams>(), 4 * 4);
        assert_eq!(size_of::<PoolParams>(), 12 * 4);
        assert_eq!(size_of::<CountParams>(), 4 * 4);
        assert_eq!(size_of::<ChannelCopyParams>(), 8 * 4);
        assert_eq!(size_of::<MatmulParams>(), 12 * 4);
        assert_eq!(size_of::<RowsParams>(), 4 * 4);
        assert_eq!(size_of::<SgdParams>(), 8 * 4);
        assert_eq!(size_of::<AdamParams>(), 12 * 4);
    }
}
