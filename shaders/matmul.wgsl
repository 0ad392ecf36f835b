// matmul: C[m × n] = A[m × k] · B[k × n] (+ bias[n]) (+ C), the linear layer's forward and both
// gradients. A and B are read through row and column strides, so transposes cost nothing:
// A(i, l) = a[i·a_rs + l·a_cs], B(l, j) = b[l·b_rs + j·b_cs]. 16 × 16 tiles of A and B are staged
// in workgroup memory (2 KiB), one invocation per element of C.
// Rust side: src/backend/gpu/params.rs `MatmulParams`.

struct Params {
    m: u32, n: u32, k: u32, has_bias: u32,
    a_rs: u32, a_cs: u32, b_rs: u32, b_cs: u32,
    accumulate: u32, _pad0: u32, _pad1: u32, _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

const TILE: u32 = 16u;
var<workgroup> tile_a: array<array<f32, 16>, 16>;
var<workgroup> tile_b: array<array<f32, 16>, 16>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row = wid.y * TILE + lid.y;
    let col = wid.x * TILE + lid.x;
    var sum = 0.0;
    let tiles = (p.k + TILE - 1u) / TILE;
    for (var t = 0u; t < tiles; t++) {
        let ka = t * TILE + lid.x;
        var av = 0.0;
        if (row < p.m && ka < p.k) { av = a[row * p.a_rs + ka * p.a_cs]; }
        tile_a[lid.y][lid.x] = av;
        let kb = t * TILE + lid.y;
        var bv = 0.0;
        if (kb < p.k && col < p.n) { bv = b[kb * p.b_rs + col * p.b_cs]; }
        tile_b[lid.y][lid.x] = bv;
        workgroupBarrier();
        for (var l = 0u; l < TILE; l++) {
            sum += tile_a[lid.y][l] * tile_b[l][lid.x];
        }
        workgroupBarrier();
    }
    if (row < p.m && col < p.n) {
        let at = row * p.n + col;
        if (p.has_bias != 0u) { sum += bias[col]; }
        if (p.accumulate != 0u) { sum += c[at]; }
        c[at] = sum;
    }
}
