// max_pool2d_forward: y = max over each window, argmax = the flat index iy·w + ix of the first
// maximum in row-major window order (padding is −∞; the first NaN wins), as PyTorch returns it.
// One invocation per output value. Rust side: src/backend/gpu/params.rs `PoolParams`.

struct Params {
    nc: u32, h: u32, w: u32, oh: u32,
    ow: u32, kh: u32, kw: u32, sh: u32,
    sw: u32, ph: u32, pw: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;

fn is_nan(v: f32) -> bool {
    return v != v;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.nc * p.oh * p.ow) { return; }
    let ox = i % p.ow;
    let oy = (i / p.ow) % p.oh;
    let plane = i / (p.ow * p.oh);
    var best = 0.0;
    var best_at = 0u;
    var found = false;
    for (var ky = 0u; ky < p.kh; ky++) {
        let iy = i32(oy * p.sh + ky) - i32(p.ph);
        if (iy < 0 || iy >= i32(p.h)) { continue; }
        for (var kx = 0u; kx < p.kw; kx++) {
            let ix = i32(ox * p.sw + kx) - i32(p.pw);
            if (ix < 0 || ix >= i32(p.w)) { continue; }
            let at = u32(iy) * p.w + u32(ix);
            let v = x[plane * p.h * p.w + at];
            if (!found || (!is_nan(best) && (v > best || is_nan(v)))) {
                best = v;
                best_at = at;
                found = true;
            }
        }
    }
    y[i] = best;
    argmax[i] = best_at;
}
