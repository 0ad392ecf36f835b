// avg_pool2d_backward: dx[plane, iy, ix] = Σ dy[o] / (kh·kw) over the windows containing
// (iy, ix); a gather, one invocation per input value.
// Rust side: src/backend/gpu/params.rs `PoolParams`.

struct Params {
    nc: u32, h: u32, w: u32, oh: u32,
    ow: u32, kh: u32, kw: u32, sh: u32,
    sw: u32, ph: u32, pw: u32, _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.nc * p.h * p.w) { return; }
    let ix = i % p.w;
    let iy = (i / p.w) % p.h;
    let plane = i / (p.h * p.w);
    var sum = 0.0;
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
            sum += dy[(plane * p.oh + oy) * p.ow + ox];
        }
    }
    dx[i] = sum / f32(p.kh * p.kw);
}
