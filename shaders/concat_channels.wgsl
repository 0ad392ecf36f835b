// concat_channels: copies a block of channels between NCHW tensors that share batch, height and
// width: dst[b, dst_c0 + c, :] = src[b, src_c0 + c, :] for c < channels. torch.cat(parts, dim=1)
// is one dispatch per part (into the output); its backward, one per part (out of the gradient).
// Rust side: src/backend/gpu/params.rs `ChannelCopyParams`.

struct Params {
    n: u32, plane: u32, channels: u32, src_c: u32,
    src_c0: u32, dst_c: u32, dst_c0: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.n * p.channels * p.plane) { return; }
    let j = i % p.plane;
    let c = (i / p.plane) % p.channels;
    let b = i / (p.plane * p.channels);
    dst[(b * p.dst_c + p.dst_c0 + c) * p.plane + j] = src[(b * p.src_c + p.src_c0 + c) * p.plane + j];
}
