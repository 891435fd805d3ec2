"""Training throughput: minigpt vs transformers' GPT2LMHeadModel with the identical configuration.

    python benchmarks/train_speed.py                 # CPU: the course's reference model and GPT-2-small shapes
    python benchmarks/train_speed.py --quick         # a smoke run of a few seconds
    python benchmarks/train_speed.py --device cuda [--compile]   # bf16 autocast, fused AdamW, context 1024

One training step = forward + loss + backward + gradient clipping + AdamW, exactly the loop of
minigpt.train (same optimizer settings for both models). The two models and a large matrix product
run in one process, taking turns repetition by repetition, so that a busy moment of the machine slows
all of them alike; the reported rates are medians. Peak memory is measured separately, with each
model alone in a fresh process.

Model FLOPs per token:  6 N            (N = parameters without the position table; the tied
                                        embedding counts once: it is the unembedding's matmul)
                      + 12 L T d       (attention scores and weighted sum, forward + backward,
                                        counted as if not causal, as in PaLM and nanoGPT)
"% of matmul" divides the model's FLOP rate by the rate of one large matrix product measured in the
same run: the issue's target is on 6N alone.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

SHAPES = {
    # the course's reference model (minigpt/presets.py)
    "reference": dict(vocab_size=3072, context_length=128, n_layer=4, n_head=4, d_model=128),
    # GPT-2 small (124M), with a shorter context on the CPU
    "gpt2-small": dict(vocab_size=50257, context_length=256, n_layer=12, n_head=12, d_model=768),
    "gpt2-small-1024": dict(vocab_size=50257, context_length=1024, n_layer=12, n_head=12, d_model=768),
    "tiny": dict(vocab_size=256, context_length=32, n_layer=2, n_head=2, d_model=64),  # --quick
}

# (shape, batch, warm-up steps, timed repetitions, steps per repetition) for each device.
PLANS = {
    "cpu": [("reference", 32, 2, 7, 3), ("gpt2-small", 2, 1, 5, 1)],
    "cuda": [("reference", 32, 10, 10, 10), ("gpt2-small-1024", 16, 10, 10, 5)],
    "quick": [("tiny", 4, 1, 2, 1)],
}

# Dense bf16 tensor-core peaks from NVIDIA's datasheets, in FLOP/s; matched against the device name.
GPU_PEAK_BF16 = [
    ("H100 PCIe", 756e12),
    ("H100", 989e12),  # SXM (the name says "H100 80GB HBM3")
    ("H200", 989e12),
    ("GH200", 989e12),
    ("A100", 312e12),
    ("L40S", 362e12),
    ("L4", 121e12),
    ("A10G", 70e12),
    ("RTX 4090", 165e12),
    ("T4", 65e12),  # fp16; the T4 has no bf16
]


def gpu_peak(name: str):
    for key, flops in GPU_PEAK_BF16:
        if key in name:
            return flops
    return None


def flops_per_token(shape: dict, n_params: int) -> tuple[float, float]:
    n = n_params - shape["context_length"] * shape["d_model"]  # the position table is a lookup, no FLOPs
    attention = 12 * shape["n_layer"] * shape["context_length"] * shape["d_model"]
    return 6 * n, 6 * n + attention


# ---------------------------------------------------------------- inside one worker process

def build(impl: str, shape: dict, device):
    """The model and a function (x, y) -> loss. Dropout is 0 on both sides."""
    import torch

    if impl == "minigpt":
        from minigpt import GPT, GPTConfig

        model = GPT(GPTConfig(**shape, dropout=0.0))
        loss_of = lambda m, x, y: m(x, y)[1]  # noqa: E731
    else:
        from transformers import GPT2Config, GPT2LMHeadModel

        cfg = GPT2Config(
            vocab_size=shape["vocab_size"], n_positions=shape["context_length"], n_layer=shape["n_layer"],
            n_head=shape["n_head"], n_embd=shape["d_model"], resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
            bos_token_id=None, eos_token_id=None,
        )
        model = GPT2LMHeadModel(cfg)  # attention through scaled_dot_product_attention ("sdpa"), its default
        # transformers shifts the labels inside (position t predicts token t + 1), so it gets the inputs.
        loss_of = lambda m, x, y: m(input_ids=x, labels=x).loss  # noqa: E731
    model.to(device).train()
    n_params = sum(p.numel() for p in model.parameters())
    torch.manual_seed(0)
    return model, loss_of, n_params


def make_trainer(impl: str, shape: dict, batch: int, device, compile_model: bool):
    """(step function, number of parameters, whether AdamW is fused) for one model."""
    import torch

    from minigpt.device import autocast
    from minigpt.train import TrainConfig, make_optimizer

    model, loss_of, n_params = build(impl, shape, device)
    optimizer = make_optimizer(model, TrainConfig(), device)  # the same AdamW for both models
    fused = any(g.get("fused") for g in optimizer.param_groups)
    forward = torch.compile(model) if compile_model else model
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, shape["vocab_size"], (batch, shape["context_length"]), generator=gen).to(device)
    y = torch.randint(0, shape["vocab_size"], (batch, shape["context_length"]), generator=gen).to(device)

    def step():
        with autocast(device):
            loss = loss_of(forward, x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    return step, n_params, fused


def speed_worker(spec: dict) -> dict:
    """Every model of one shape, and the matmul, in one process, taking turns.

    Timing them in turns (A, B, matmul, B, A, matmul, ...) means that anything else slowing the
    machine down for a while slows all of them, and the ratios stay fair.
    """
    import torch

    torch.manual_seed(0)
    device = torch.device(spec["device"])
    cuda = device.type == "cuda"
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    shape, batch = SHAPES[spec["shape"]], spec["batch"]
    trainers = {impl: make_trainer(impl, shape, batch, device, spec["compile"]) for impl in spec["impls"]}
    n = spec["matmul_n"]
    a, b = (torch.randn(n, n, device=device, dtype=getattr(torch, spec["matmul_dtype"])) for _ in range(2))
    runs = {impl: (lambda step=step: [step() for _ in range(spec["steps_per_rep"])])
            for impl, (step, _, _) in trainers.items()}
    runs["matmul"] = lambda: [a @ b for _ in range(spec["matmul_per_rep"])]
    times = {name: [] for name in runs}
    order = list(runs)
    for name in order:
        common.timed_reps(runs[name], spec["warmup"], 0, sync)
    for rep in range(spec["reps"]):
        for name in (order if rep % 2 == 0 else order[::-1]):
            times[name] += common.timed_reps(runs[name], 0, 1, sync)
    return {
        "times": times,
        "tokens_per_rep": batch * shape["context_length"] * spec["steps_per_rep"],
        "matmul_flops_per_rep": 2 * n**3 * spec["matmul_per_rep"],
        "n_params": {impl: t[1] for impl, t in trainers.items()},
        "fused_adamw": all(t[2] for t in trainers.values()),
    }


def memory_worker(spec: dict) -> dict:
    """One model alone in a fresh process: a warm-up step and a step, then the process's peak memory."""
    import torch

    device = torch.device(spec["device"])
    cuda = device.type == "cuda"
    common.import_library(spec["impl"])  # so that "+" counts the model and its training, not the imports
    rss_before = common.peak_rss_mb()
    step, _, _ = make_trainer(spec["impl"], SHAPES[spec["shape"]], spec["batch"], device, spec["compile"])
    step()
    step()
    if cuda:
        torch.cuda.synchronize()
        mb = torch.cuda.max_memory_allocated() / 2**20
        return {"peak_mb": mb, "delta_mb": mb}
    return {"peak_mb": common.peak_rss_mb(), "delta_mb": common.peak_rss_mb() - rss_before}


# ---------------------------------------------------------------- the parent process

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--quick", action="store_true", help="a tiny model and a few steps: checks that it runs")
    ap.add_argument("--compile", action="store_true", help="torch.compile both models (CUDA mostly)")
    ap.add_argument("--only", choices=sorted(SHAPES), action="append", help="run only these shapes")
    ap.add_argument("--batch", type=int, default=None, help="override the batch size of every shape")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    ap.add_argument("--peak-tflops", type=float, default=None, help="the GPU's dense bf16 peak, if not in the table")
    ap.add_argument("--keep-memory", action=argparse.BooleanOptionalAction, default=True,
                    help="glibc keeps freed memory, as minigpt.train sets it on the CPU (default); "
                         "--no-keep-memory measures glibc's default; both models alike")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        spec = json.loads(args.worker)
        common.set_memory_policy(spec)
        common.report(memory_worker(spec) if spec["kind"] == "memory" else speed_worker(spec))
        return

    common.check_device(args.device)
    cuda = args.device.startswith("cuda")
    plan = PLANS["quick" if args.quick else "cuda" if cuda else "cpu"]
    if args.only:
        plan = [p for p in plan if p[0] in args.only] or [(s, 4, 1, 3, 1) for s in args.only]
    script = str(Path(__file__).resolve())
    impls = ["minigpt", "transformers"] if common.transformers_version() else ["minigpt"]
    mm_dtype = "bfloat16" if cuda else "float32"
    mm_n = 256 if args.quick else (8192 if cuda else 2048)

    print(f"# Training throughput on {common.machine_line(args.device)}")
    if args.quick:
        args.no_memory = True  # each memory process imports torch (and transformers) again: seconds each
    print(f"transformers {common.transformers_version() or '(not installed: minigpt only)'}; "
          f"{'bf16 autocast' if cuda else 'float32'}{', torch.compile' if args.compile else ''}")
    if not cuda:
        print(common.memory_policy_line(args.keep_memory))
    print(f"at the start: {common.load_average()}")
    peak = None
    if cuda:
        import torch

        name = torch.cuda.get_device_name()
        peak = args.peak_tflops * 1e12 if args.peak_tflops else gpu_peak(name)
        print(f"{name}: datasheet dense bf16 peak "
              + (f"{peak / 1e12:,.0f} TFLOP/s" if peak else "unknown (pass --peak-tflops for MFU)"))
    print()

    rows, notes, fused = [], [], True
    for shape_name, batch, warmup, reps, per_rep in plan:
        shape, batch = SHAPES[shape_name], args.batch or batch
        common_spec = {"shape": shape_name, "batch": batch, "device": args.device, "compile": args.compile,
                       "keep_memory": args.keep_memory and not cuda}
        spec = {**common_spec, "kind": "speed", "impls": impls, "warmup": warmup, "reps": reps,
                "steps_per_rep": per_rep, "matmul_n": mm_n, "matmul_dtype": mm_dtype,
                "matmul_per_rep": 2 if args.quick else (20 if cuda else 10)}
        res = common.run_worker(script, spec)
        memory = {} if args.no_memory else {
            impl: common.run_worker(script, {**common_spec, "kind": "memory", "impl": impl})
            for impl in impls}
        fused = fused and res["fused_adamw"]
        mm = res["matmul_flops_per_rep"] / common.median(res["times"]["matmul"])
        speed = {impl: res["tokens_per_rep"] / common.median(res["times"][impl]) for impl in impls}
        for impl in impls:
            f6n, fall = flops_per_token(shape, res["n_params"][impl])
            rate6n, rate_all = speed[impl] * f6n, speed[impl] * fall
            ratio = speed["minigpt"] / speed["transformers"] if "transformers" in speed else None
            row = [shape_name, impl, f"{res['n_params'][impl] / 1e6:.1f}M", f"{batch}x{shape['context_length']}",
                   f"{speed[impl]:,.0f}", "" if ratio is None else f"{ratio if impl == 'minigpt' else 1:.2f}x",
                   f"{rate6n / 1e9:,.1f}", f"{mm / 1e9:,.1f}", f"{rate6n / mm:.0%}", f"{rate_all / mm:.0%}"]
            if cuda:
                row.append(f"{rate_all / peak:.1%}" if peak else "n/a")
            m = memory.get(impl)
            row.append("-" if m is None else f"{m['peak_mb']:,.0f}" + ("" if cuda else f" (+{m['delta_mb']:,.0f})"))
            rows.append(row)
        if "transformers" in speed:
            notes.append(f"minigpt / transformers at {shape_name}: {speed['minigpt'] / speed['transformers']:.2f}x")
    headers = ["shape", "model", "params", "batch", "tokens/s", "vs transformers", "GFLOP/s (6N)",
               f"matmul GFLOP/s ({mm_dtype} {mm_n})", "6N / matmul", "6N+attn / matmul"]
    if cuda:
        headers.append("MFU (6N+attn / bf16 peak)")
    headers.append("peak GPU MB" if cuda else "peak RSS MB (+model)")
    print(common.table(headers, rows))
    print()
    print("\n".join(notes))
    print(f"at the end: {common.load_average()}")
    if not args.no_memory:
        memory_note = "Peak memory: each model alone in a fresh process (+ = growth after imports)."
    else:
        memory_note = "Peak memory: not measured (--quick or --no-memory)."
    print(f"\nstep = forward + loss + backward + clip_grad_norm + AdamW ({'fused' if fused else 'foreach'}; "
          f"minigpt.train.make_optimizer for both models). The models and the matmul take turns in one process; "
          f"tokens/s and matmul GFLOP/s are medians. FLOPs/token = 6N + 12*L*T*d. {memory_note}")

if __name__ == "__main__":
    main()
