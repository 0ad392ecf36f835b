"""Merges target/bench/{native,wasm,pytorch,page}.json into tables with ratios to PyTorch.

For time figures (µs) the ratio is PyTorch / ours (so > 1 means faster than PyTorch); for rates
(images/s, GFLOP/s) it is ours / PyTorch. Writes all.json beside the inputs.
"""

import json
import os
import sys

folder = sys.argv[1]


def load(name):
    path = os.path.join(folder, f"{name}.json")
    return json.load(open(path)) if os.path.exists(path) else []


columns = {"native simd": [], "native reference": [], "native webgpu": [], "wasm simd": [], "wasm reference": [], "pytorch": []}
for r in load("native"):
    columns.setdefault(f"native {r['backend']}", []).append(r)
for r in load("wasm"):
    columns.setdefault(f"wasm {r['backend']}", []).append(r)
columns["pytorch"] = [r for r in load("pytorch") if r["backend"] == "pytorch"]
cuda = [r for r in load("pytorch") if r["backend"] == "pytorch cuda"]
if cuda:
    columns["pytorch cuda"] = cuda
torch_all = next((r for r in load("pytorch") if r["backend"] == "pytorch all cores"), None)

workloads = []
for rows in columns.values():
    for r in rows:
        if (r["workload"], r["unit"]) not in workloads:
            workloads.append((r["workload"], r["unit"]))


def value(col, workload):
    return next((r["value"] for r in columns[col] if r["workload"] == workload), None)


def ratio(ours, torch, unit):
    if ours is None or torch is None or ours == 0 or torch == 0:
        return ""
    if unit == "count":
        return ""
    return f"{(torch / ours if unit in ('µs', 'ms') else ours / torch):.2f}x"


head = f"{'workload':<40} {'unit':<9}" + "".join(f"{c:>17}" for c in columns) + f"{'wasm/PyTorch':>14}{'native/PyTorch':>16}"
if cuda:
    head += f"{'webgpu/CUDA':>13}"
print("\n" + head + "\n" + "-" * len(head))
merged = []
for workload, unit in workloads:
    vals = {c: value(c, workload) for c in columns}
    cells = "".join(f"{'' if v is None else f'{v:.2f}':>17}" for v in vals.values())
    print(f"{workload:<40} {unit:<9}{cells}{ratio(vals['wasm simd'], vals['pytorch'], unit):>14}"
          f"{ratio(vals['native simd'], vals['pytorch'], unit):>16}"
          + (f"{ratio(vals['native webgpu'], vals['pytorch cuda'], unit):>13}" if cuda else ""))
    merged.append({"workload": workload, "unit": unit, **vals})
if cuda:
    print(f"\n'pytorch cuda' ran on {cuda[0].get('device', 'a CUDA device')}; 'native webgpu' on the adapter that"
          " `convscope bench` names on stderr (webgpu/CUDA > 1 means faster than PyTorch on the GPU).")
peak = value("wasm simd", "f32x4 multiply-add peak")
if peak:
    print(f"\nwasm big-conv figures as a share of the measured wasm peak ({peak:.1f} GFLOP/s):")
    for workload, unit in workloads:
        v = value("wasm simd", workload)
        if workload.startswith("conv ") and v:
            print(f"  {workload:<44} {100 * v / peak:5.1f} %")

# In the page (scripts/bench_page.mjs: the release build, headless Chromium, the Train page).
page = load("page")
if page:
    torch1 = value("pytorch", "train Net, batch 64")
    print("\nIn-page training (release build, headless Chromium, Train page, the Net, batch 64, WASM SIMD)")
    print(f"{'threads':<9}{'images/s':>10}{'epoch, s':>10}{'frames/s':>10}{'long tasks':>12}{'vs PyTorch 1 thread':>22}{'vs PyTorch all cores':>22}"
          f"   workers busy; CPU ms/step: workers, main thread")
    for r in page:
        busy = r.get("worker_busy")
        where = (", ".join(f"{100 * b:.0f} %" for b in busy) + f"; {r['worker_ms_per_step']:.2f}, {r['main_ms_per_step']:.2f}") if busy else "(not traced)"
        vs1 = f"{r['value'] / torch1:.2f}x" if torch1 else "(no torch)"
        vsn = f"{r['value'] / torch_all['value']:.2f}x ({torch_all['threads']})" if torch_all else "(no torch)"
        print(f"{r['threads']:<9}{r['value']:>10.0f}{r.get('epoch_s', float('nan')):>10.1f}{r['fps']:>10.1f}{100 * r['long_share']:>11.0f}%{vs1:>22}{vsn:>22}   {where}")
        merged.append({"workload": f"page train Net, batch 64, {r['threads']} threads", "unit": "images/s",
                       "page": r["value"], "epoch_s": r.get("epoch_s"), "fps": r["fps"], "long_share": r["long_share"],
                       "pytorch": torch1, "pytorch_all_cores": torch_all and torch_all["value"]})
    if torch1:
        line = f"PyTorch's epoch (60,000 images at its step rate): {60000 / torch1:.1f} s on 1 thread"
        if torch_all:
            line += f", {60000 / torch_all['value']:.1f} s on {torch_all['threads']} threads"
        print(line)
json.dump(merged, open(os.path.join(folder, "all.json"), "w"), indent=2)
