// softmax_cross_entropy: log_softmax over each row of logits [n × k], the mean negative
// log-likelihood of the targets (nn.CrossEntropyLoss), its gradient
// dlogits = (softmax − one_hot(target)) / n, and how many rows have their maximum at the target.
// One workgroup of 64 invocations (rows strided over them, then a reduction):
// stats[0] = mean loss, stats[1] = correct count.
// Rust side: src/backend/gpu/params.rs `RowsParams`.

struct Params {
    n: u32, k: u32, _pad0: u32, _pad1: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> log_probs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;

var<workgroup> loss_part: array<f32, 64>;
var<workgroup> correct_part: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
    var loss = 0.0;
    var correct = 0.0;
    for (var r = lid; r < p.n; r += 64u) {
        let base = r * p.k;
        var mx = logits[base];
        var arg = 0u;
        for (var j = 1u; j < p.k; j++) {
            if (logits[base + j] > mx) { mx = logits[base + j]; arg = j; }
        }
        var total = 0.0;
        for (var j = 0u; j < p.k; j++) { total += exp(logits[base + j] - mx); }
        let log_total = log(total);
        let t = targets[r];
        for (var j = 0u; j < p.k; j++) {
            let lp = logits[base + j] - mx - log_total;
            log_probs[base + j] = lp;
            var g = exp(lp);
            if (j == t) { g -= 1.0; loss -= lp; }
            dlogits[base + j] = g / f32(p.n);
        }
        if (arg == t) { correct += 1.0; }
    }
    loss_part[lid] = loss;
    correct_part[lid] = correct;
    workgroupBarrier();
    for (var stride = 32u; stride > 0u; stride >>= 1u) {
        if (lid < stride) {
            loss_part[lid] += loss_part[lid + stride];
            correct_part[lid] += correct_part[lid + stride];
        }
        workgroupBarrier();
    }
    if (lid == 0u) {
        stats[0] = loss_part[0] / f32(p.n);
        stats[1] = correct_part[0];
    }
}
