// conv2d_backward_bias: db[c] = Σ dy[b, c, :, :], one workgroup per channel reducing in
// workgroup memory. Rust side: src/backend/gpu/params.rs `PlaneParams`.

struct Params {
    n: u32, c: u32, plane: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let c = wid.x;
    var sum = 0.0;
    for (var j = lid; j < p.n * p.plane; j += 64u) {
        let b = j / p.plane;
        sum += dy[(b * p.c + c) * p.plane + j % p.plane];
    }
    partial[lid] = sum;
    workgroupBarrier();
    for (var stride = 32u; stride > 0u; stride >>= 1u) {
        if (lid < stride) { partial[lid] += partial[lid + stride]; }
        workgroupBarrier();
    }
    if (lid == 0u) { db[c] = partial[0]; }
}
