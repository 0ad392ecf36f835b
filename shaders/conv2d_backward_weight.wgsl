// conv2d_backward_weight: dw = ∂L/∂weight of conv2d. One workgroup per weight value; its 64
// invocations split the sum over (batch, oy, ox) and reduce it in workgroup memory:
// dw[oc, icg, ky, kx] = Σ dy[b, oc, oy, ox] · x[b, ic, oy·sh + ky·dh − ph, ox·sw + kx·dw − pw].
// Rust side: src/backend/gpu/params.rs `ConvParams` (same layout as conv2d_forward's Params).

struct Params {
    n: u32, cin: u32, h: u32, w: u32,
    cout: u32, oh: u32, ow: u32, groups: u32,
    kh: u32, kw: u32, sh: u32, sw: u32,
    ph: u32, pw: u32, dh: u32, dw: u32,
    has_bias: u32, _pad0: u32, _pad1: u32, _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dw: array<f32>;

var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let wi = wid.x + wid.y * nwg.x;
    let cin_g = p.cin / p.groups;
    let total = p.cout * cin_g * p.kh * p.kw;
    // Uniform across the workgroup, so the barriers below stay in uniform control flow.
    let in_range = wi < total;
    let kx = wi % p.kw;
    let ky = (wi / p.kw) % p.kh;
    let icg = (wi / (p.kw * p.kh)) % cin_g;
    let oc = wi / (p.kw * p.kh * cin_g);
    let g = oc / (p.cout / p.groups);
    let ic = g * cin_g + icg;
    var sum = 0.0;
    let positions = p.n * p.oh * p.ow;
    if (in_range) {
        for (var j = lid; j < positions; j += 64u) {
            let ox = j % p.ow;
            let oy = (j / p.ow) % p.oh;
            let b = j / (p.ow * p.oh);
            let iy = i32(oy * p.sh + ky * p.dh) - i32(p.ph);
            let ix = i32(ox * p.sw + kx * p.dw) - i32(p.pw);
            if (iy < 0 || iy >= i32(p.h) || ix < 0 || ix >= i32(p.w)) { continue; }
            sum += dy[((b * p.cout + oc) * p.oh + oy) * p.ow + ox]
                * x[((b * p.cin + ic) * p.h + u32(iy)) * p.w + u32(ix)];
        }
    }
    partial[lid] = sum;
    workgroupBarrier();
    for (var stride = 32u; stride > 0u; stride >>= 1u) {
        if (lid < stride) { partial[lid] += partial[lid + stride]; }
        workgroupBarrier();
    }
    if (lid == 0u && in_range) { dw[wi] = partial[0]; }
}
