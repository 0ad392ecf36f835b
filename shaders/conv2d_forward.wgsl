// conv2d_forward: y = conv2d(x, weight) + bias, one invocation per output value.
// Rust side: src/backend/gpu/params.rs `ConvParams` (mirror of `Params` below); dispatched by
// src/backend/gpu/ops.rs `conv2d_forward`. Shapes (NCHW): x [n, cin, h, w],
// weight [cout, cin / groups, kh, kw], bias [cout], y [n, cout, oh, ow].

struct Params {
    n: u32, cin: u32, h: u32, w: u32,
    cout: u32, oh: u32, ow: u32, groups: u32,
    kh: u32, kw: u32, sh: u32, sw: u32,
    ph: u32, pw: u32, dh: u32, dw: u32,
    has_bias: u32, _pad0: u32, _pad1: u32, _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    let total = p.n * p.cout * p.oh * p.ow;
    if (i >= total) { return; }
    let ox = i % p.ow;
    let oy = (i / p.ow) % p.oh;
    let oc = (i / (p.ow * p.oh)) % p.cout;
    let b = i / (p.ow * p.oh * p.cout);
    let cin_g = p.cin / p.groups;
    let g = oc / (p.cout / p.groups);
    var sum = 0.0;
    if (p.has_bias != 0u) { sum = bias[oc]; }
    for (var icg = 0u; icg < cin_g; icg++) {
        let ic = g * cin_g + icg;
        for (var ky = 0u; ky < p.kh; ky++) {
            // iy = oy·sh + ky·dh − ph, skipped when it falls in the padding.
            let iy = i32(oy * p.sh + ky * p.dh) - i32(p.ph);
            if (iy < 0 || iy >= i32(p.h)) { continue; }
            for (var kx = 0u; kx < p.kw; kx++) {
                let ix = i32(ox * p.sw + kx * p.dw) - i32(p.pw);
                if (ix < 0 || ix >= i32(p.w)) { continue; }
                let xv = x[((b * p.cin + ic) * p.h + u32(iy)) * p.w + u32(ix)];
                let wv = weight[((oc * cin_g + icg) * p.kh + ky) * p.kw + kx];
                sum += xv * wv;
            }
        }
    }
    y[i] = sum;
}
