"""Generation throughput: greedy decoding of 256 new tokens with the same weights, three ways.

    python benchmarks/generate_speed.py            # CPU: reference widths (context 512) and GPT-2-small (124M)
    python benchmarks/generate_speed.py --quick    # a smoke run of a few seconds
    python benchmarks/generate_speed.py --device cuda

* minigpt + KV cache:  minigpt.generate_ids(..., temperature=0)  (each step feeds one new token)
* minigpt, no cache:   the same with use_cache=False             (each step re-reads the whole window)
* transformers:        GPT2LMHeadModel.generate(do_sample=False)   (with its own key/value cache)

The weights are made once, by a randomly initialised GPT2LMHeadModel, and minigpt's copy is converted
with minigpt.gpt2.import_gpt2; the table says whether the three produced the same tokens. The three
ways take turns in one process (fair under a busy machine); then each runs alone in a fresh process
for its peak memory (RSS; "+" is the growth after imports).
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

SHAPES = {
    # the reference model's widths, with a context long enough for prompt + 256 new tokens
    "reference-512": dict(vocab_size=3072, context_length=512, n_layer=4, n_head=4, d_model=128),
    "gpt2-small": dict(vocab_size=50257, context_length=1024, n_layer=12, n_head=12, d_model=768),
    "tiny": dict(vocab_size=256, context_length=64, n_layer=2, n_head=2, d_model=64),  # --quick
}
WAYS = ("minigpt + KV cache", "minigpt, no cache", "transformers generate")

# (shape, new tokens, {way: timed repetitions}); one short warm-up generation comes first in each process.
PLANS = {
    "cpu": [("reference-512", 256, {WAYS[0]: 5, WAYS[1]: 3, WAYS[2]: 5}),
            ("gpt2-small", 256, {WAYS[0]: 3, WAYS[1]: 1, WAYS[2]: 3})],
    "cuda": [("reference-512", 256, {WAYS[0]: 5, WAYS[1]: 3, WAYS[2]: 5}),
             ("gpt2-small", 256, {WAYS[0]: 5, WAYS[1]: 3, WAYS[2]: 5})],
    "quick": [("tiny", 32, {WAYS[0]: 2, WAYS[1]: 2, WAYS[2]: 2})],
}
PROMPT_LEN = 16


def hf_config(shape: dict):
    from transformers import GPT2Config

    return GPT2Config(vocab_size=shape["vocab_size"], n_positions=shape["context_length"], n_layer=shape["n_layer"],
                      n_head=shape["n_head"], n_embd=shape["d_model"], resid_pdrop=0.0, embd_pdrop=0.0,
                      attn_pdrop=0.0, bos_token_id=None, eos_token_id=None, pad_token_id=None)


def make_weights(shape: dict, folder: Path):
    """One random GPT-2, saved twice: in transformers' format and converted to minigpt's."""
    import torch
    from transformers import GPT2LMHeadModel

    from minigpt.gpt2 import import_gpt2

    torch.manual_seed(0)
    hf = GPT2LMHeadModel(hf_config(shape)).eval()
    hf.save_pretrained(folder / "hf")  # (HF_HUB_DISABLE_PROGRESS_BARS, set in main, keeps this quiet)
    ours = import_gpt2(hf)
    torch.save({"config": ours.config.to_dict(), "state": ours.state_dict()}, folder / "minigpt.pt")


# ---------------------------------------------------------------- inside one worker process

def load_minigpt(folder: Path, device):
    import torch

    from minigpt import GPT, GPTConfig

    saved = torch.load(folder / "minigpt.pt", mmap=True, weights_only=True)
    with torch.device("meta"):  # no random init: the weights come from the file, one copy in memory
        model = GPT(GPTConfig.from_dict(saved["config"]))
    model.load_state_dict(saved["state"], assign=True)
    if model.config.tie_embeddings:
        model.unembed.weight = model.embed.weight
    return model.to(device).eval()


def make_generator(way: str, folder: Path, prompt: list[int], device):
    """run(n) -> the n new token ids, greedy, for one of the three ways."""
    import torch

    if way == WAYS[2]:
        from transformers import GPT2LMHeadModel

        model = GPT2LMHeadModel.from_pretrained(folder / "hf").to(device).eval()
        ids = torch.tensor([prompt], device=device)

        def run(n):
            out = model.generate(ids, max_new_tokens=n, min_new_tokens=n, do_sample=False,
                                 attention_mask=torch.ones_like(ids))
            return out[0, len(prompt):].tolist()
    else:
        from minigpt import generate_ids

        model = load_minigpt(folder, device)
        use_cache = way == WAYS[0]

        def run(n):
            return generate_ids(model, prompt, n, temperature=0, use_cache=use_cache)
    return run


def speed_worker(spec: dict) -> dict:
    """The three ways in one process, taking turns, so that a busy moment of the machine slows them alike."""
    import torch

    device = torch.device(spec["device"])
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    folder, n_new = Path(spec["folder"]), spec["new_tokens"]
    # The weights are made here, not in the parent: a child process starts with its parent's peak
    # RSS (Linux keeps ru_maxrss across exec), so the parent must never hold a model.
    make_weights(SHAPES[spec["shape"]], folder)
    runs = {way: make_generator(way, folder, spec["prompt"], device) for way in WAYS}
    for run in runs.values():
        run(8)  # warm-up: the first calls allocate memory and pick kernels
    times, tokens = {way: [] for way in WAYS}, {}
    for rep in range(max(spec["reps"].values())):
        for way in (WAYS if rep % 2 == 0 else WAYS[::-1]):
            if rep < spec["reps"][way]:
                sync()
                t0 = time.perf_counter()
                tokens[way] = runs[way](n_new)
                sync()
                times[way].append(time.perf_counter() - t0)
    return {"times": times, "tokens": tokens, "threads": torch.get_num_threads()}


def memory_worker(spec: dict) -> dict:
    """One way alone in a fresh process: its peak memory while generating.

    Without a cache the largest step is the last one (the longest window), so that step alone,
    one token after the whole final window, has the same peak as the full run at a fraction of the time.
    """
    import torch

    device = torch.device(spec["device"])
    cuda = device.type == "cuda"
    common.import_library(spec["way"].split()[0])  # so that "+" counts the model, not the imports
    rss_before = common.peak_rss_mb()
    prompt, n_new = spec["prompt"], spec["new_tokens"]
    if spec["way"] == WAYS[1]:
        prompt, n_new = spec["final_window"], 1
    make_generator(spec["way"], Path(spec["folder"]), prompt, device)(n_new)
    if cuda:
        mb = torch.cuda.max_memory_allocated() / 2**20
        return {"peak_mb": mb, "delta_mb": mb}
    return {"peak_mb": common.peak_rss_mb(), "delta_mb": common.peak_rss_mb() - rss_before}


# ---------------------------------------------------------------- the parent process

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--quick", action="store_true", help="a tiny model and 32 tokens: checks that it runs")
    ap.add_argument("--only", choices=sorted(SHAPES), action="append", help="run only these shapes")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    ap.add_argument("--keep-memory", action="store_true",
                    help="glibc keeps freed memory in the process (minigpt.device.keep_freed_memory); all three ways")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        spec = json.loads(args.worker)
        common.set_memory_policy(spec)
        common.report(memory_worker(spec) if spec["kind"] == "memory" else speed_worker(spec))
        return
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if common.transformers_version() is None:
        sys.exit("this benchmark needs transformers (pip install transformers): it makes the shared weights")

    common.check_device(args.device)
    cuda = args.device.startswith("cuda")
    plan = PLANS["quick" if args.quick else "cuda" if cuda else "cpu"]
    if args.only:  # from this device's plan, else from any plan
        everywhere = {p[0]: p for pl in (PLANS["quick"], plan) for p in pl}
        plan = [everywhere[name] for name in dict.fromkeys(args.only) if name in everywhere]
    if args.quick:
        args.no_memory = True  # each memory process imports torch and transformers again: seconds each
    script = str(Path(__file__).resolve())
    print(f"# Generation throughput on {common.machine_line(args.device)}")
    print(f"transformers {common.transformers_version()}; greedy, prompt of {PROMPT_LEN} tokens, batch 1, "
          f"float32 weights")
    if not cuda:
        print(common.memory_policy_line(args.keep_memory))
    print(f"at the start: {common.load_average()}\n")

    rows, notes, threads = [], [], None
    for shape_name, n_new, reps in plan:
        shape = SHAPES[shape_name]
        prompt = [random.Random(1).randrange(shape["vocab_size"]) for _ in range(PROMPT_LEN)]
        with tempfile.TemporaryDirectory() as tmp:
            base = {"shape": shape_name, "new_tokens": n_new, "prompt": prompt, "device": args.device, "folder": tmp,
                    "keep_memory": args.keep_memory}
            res = common.run_worker(script, {**base, "kind": "speed", "reps": reps})
            final_window = prompt + res["tokens"][WAYS[0]][:-1]  # what the last no-cache step reads
            memory = {} if args.no_memory else {
                way: common.run_worker(script, {**base, "kind": "memory", "way": way, "final_window": final_window})
                for way in WAYS}
        threads = res["threads"]
        speed = {way: n_new / common.median(t) for way, t in res["times"].items()}
        same = len({tuple(t) for t in res["tokens"].values()}) == 1
        for way in WAYS:
            m = memory.get(way)
            rows.append([shape_name, way, n_new, len(res["times"][way]), f"{speed[way]:,.1f}",
                         f"{speed[way] / speed[WAYS[1]]:.2f}x", f"{speed[way] / speed[WAYS[2]]:.2f}x",
                         "yes" if same else "NO",
                         "-" if m is None else f"{m['peak_mb']:,.0f}" + ("" if cuda else f" (+{m['delta_mb']:,.0f})")])
        notes.append(f"{shape_name}: KV cache {speed[WAYS[0]] / speed[WAYS[1]]:.2f}x no-cache, "
                     f"{speed[WAYS[0]] / speed[WAYS[2]]:.2f}x transformers generate"
                     + ("" if same else "  (the generated tokens DIFFER)"))
    print(common.table(["shape", "way", "new tokens", "runs", "tokens/s", "vs no cache", "vs transformers",
                        "same tokens", "peak GPU MB" if cuda else "peak RSS MB (+model)"], rows))
    print()
    print("\n".join(notes))
    print(f"at the end: {common.load_average()}")
    memory_note = ("not measured (--quick or --no-memory)" if args.no_memory else
                   "each way alone in a fresh process (+ = growth after imports; no cache: its longest step)")
    print(f"\ntokens/s = new tokens / median seconds of a whole generation call (prompt included); the three ways "
          f"take turns in one process ({threads} torch threads). Peak memory: {memory_note}.")

if __name__ == "__main__":
    main()
