// sgd: torch.optim.SGD's update, element-wise:
//   g ← grad + weight_decay·param
//   buf ← g on the first step, else momentum·buf + (1 − dampening)·g   (when momentum ≠ 0)
//   g ← g + momentum·buf if nesterov, else buf
//   param ← param − lr·g
// Rust side: src/backend/gpu/params.rs `SgdParams`.

struct Params {
    count: u32, nesterov: u32, first: u32, _pad: u32,
    lr: f32, momentum: f32, dampening: f32, weight_decay: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.count) { return; }
    var d = grad[i] + p.weight_decay * param[i];
    if (p.momentum != 0.0) {
        var b = d;
        if (p.first == 0u) { b = p.momentum * buf[i] + (1.0 - p.dampening) * d; }
        buf[i] = b;
        if (p.nesterov != 0u) { d = d + p.momentum * b; } else { d = b; }
    }
    param[i] = param[i] - p.lr * d;
}
