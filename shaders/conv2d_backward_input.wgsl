// conv2d_backward_input: dx = ∂L/∂x of conv2d, one invocation per input value (a gather, so no
// atomics): dx[b, ic, iy, ix] = Σ dy[b, oc, oy, ox] · w[oc, icg, ky, kx] over the (oc, ky, kx)
// whose tap lands on (iy, ix), i.e. oy·sh + ky·dh − ph = iy. With `has_bias` it adds bias[ic]:
// that makes it `conv_transpose2d` forward too.
// Rust side: src/backend/gpu/params.rs `ConvParams` (same layout as conv2d_forward's Params).

struct Params {
    n: u32, cin: u32, h: u32, w: u32,
    cout: u32, oh: u32, ow: u32, groups: u32,
    kh: u32, kw: u32, sh: u32, sw: u32,
    ph: u32, pw: u32, dh: u32, dw: u32,
    has_bias: u32, _pad0: u32, _pad1: u32, _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    let total = p.n * p.cin * p.h * p.w;
    if (i >= total) { return; }
    let ix = i % p.w;
    let iy = (i / p.w) % p.h;
    let ic = (i / (p.w * p.h)) % p.cin;
    let b = i / (p.w * p.h * p.cin);
    let cin_g = p.cin / p.groups;
    let cout_g = p.cout / p.groups;
    let g = ic / cin_g;
    let icg = ic % cin_g;
    var sum = 0.0;
    if (p.has_bias != 0u) { sum = bias[ic]; }
    for (var ky = 0u; ky < p.kh; ky++) {
        let ty = i32(iy + p.ph) - i32(ky * p.dh);
        if (ty < 0 || (u32(ty) % p.sh) != 0u) { continue; }
        let oy = u32(ty) / p.sh;
        if (oy >= p.oh) { continue; }
        for (var kx = 0u; kx < p.kw; kx++) {
            let tx = i32(ix + p.pw) - i32(kx * p.dw);
            if (tx < 0 || (u32(tx) % p.sw) != 0u) { continue; }
            let ox = u32(tx) / p.sw;
            if (ox >= p.ow) { continue; }
            for (var ocg = 0u; ocg < cout_g; ocg++) {
                let oc = g * cout_g + ocg;
                sum += dy[((b * p.cout + oc) * p.oh + oy) * p.ow + ox]
                    * weight[((oc * cin_g + icg) * p.kh + ky) * p.kw + kx];
            }
        }
    }
    dx[i] = sum;
}
