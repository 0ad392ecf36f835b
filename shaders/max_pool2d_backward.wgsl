// max_pool2d_backward: dx[plane, at] = Σ dy over the outputs whose argmax is `at`. A gather over
// the windows that contain the input pixel, so no atomics are needed. One invocation per input
// value. Rust side: src/backend/gpu/params.rs `PoolParams` (same layout as the forward's).

struct Params {
    nc: u32, h: u32, w: u32, oh: u32,
    ow: u32, kh: u32, kw: u32, sh: u32,
    sw: u32, ph: u32, pw: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.nc * p.h * p.w) { return; }
    let at = i % (p.h * p.w);
    let ix = at % p.w;
    let iy = at / p.w;
    let plane = i / (p.h * p.w);
    var sum = 0.0;
    // Outputs oy whose window [oy·sh − ph, oy·sh − ph + kh) contains iy.
    for (var ky = 0u; ky < p.kh; ky++) {
        let ty = i32(iy + p.ph) - i32(ky);
        if (ty < 0 || (u32(ty) % p.sh) != 0u) { continue; }
        let oy = u32(ty) / p.sh;
        if (oy >= p.oh) { continue; }
        for (var kx = 0u; kx < p.kw; kx++) {
            let tx = i32(ix + p.pw) - i32(kx);
            if (tx < 0 || (u32(tx) % p.sw) != 0u) { continue; }
            let ox = u32(tx) / p.sw;
            if (ox >= p.ow) { continue; }
            let o = (plane * p.oh + oy) * p.ow + ox;
            if (argmax[o] == at) { sum += dy[o]; }
        }
    }
    dx[i] = sum;
}
