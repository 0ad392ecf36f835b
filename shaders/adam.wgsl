// adam: torch.optim.Adam's update, element-wise (bias corrections precomputed on the CPU):
//   g ← grad + weight_decay·param
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//   param ← param − step_size · m / (√v / bias2_sqrt + eps),  step_size = lr / (1 − β1ᵗ)
// Rust side: src/backend/gpu/params.rs `AdamParams`.

struct Params {
    count: u32, _pad0: u32, _pad1: u32, _pad2: u32,
    step_size: f32, beta1: f32, beta2: f32, eps: f32,
    weight_decay: f32, bias2_sqrt: f32, _pad3: f32, _pad4: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.count) { return; }
    let d = grad[i] + p.weight_decay * param[i];
    let mi = p.beta1 * m[i] + (1.0 - p.beta1) * d;
    let vi = p.beta2 * v[i] + (1.0 - p.beta2) * d * d;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] - p.step_size * mi / (sqrt(vi) / p.bias2_sqrt + p.eps);
}
