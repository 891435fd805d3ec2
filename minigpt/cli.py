"""Command line: `python -m minigpt train ...` and `python -m minigpt generate --checkpoint DIR "prompt"`."""

import argparse
import sys
from pathlib import Path

from .checkpoint import PRETRAINED_DIR, CheckpointError, load, load_pretrained, save
from .generate import generate
from .presets import PRESETS, build_from_preset


def _load_any(checkpoint: str, device: str):
    """A folder path, or the name of a checkpoint shipped with the package."""
    if Path(checkpoint).is_dir():
        return load(checkpoint, device)
    return load_pretrained(checkpoint, device)


def cmd_train(args):
    out = Path(args.out) if args.out else PRETRAINED_DIR / args.preset
    model, tokenizer, info = build_from_preset(args.preset, steps=args.steps, device=args.device,
                                               progress=not args.quiet)
    save(model, tokenizer, out, info)
    print(f"saved {out}: {info['parameters']:,} parameters, train loss {info['final_train_loss']:.3f}, "
          f"valid loss {info['final_valid_loss']:.3f}, {info['train_seconds']:.0f} s on {info['device']}")


def cmd_generate(args):
    model, tokenizer = _load_any(args.checkpoint, args.device)
    text = generate(model, tokenizer, args.prompt, max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                    top_k=args.top_k, top_p=args.top_p, seed=args.seed, stop=args.stop)
    print(args.prompt + text)


def build_parser():
    parser = argparse.ArgumentParser(prog="minigpt", description="Train and run the course's tiny GPT.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a model from a preset and save a checkpoint")
    t.add_argument("--preset", required=True, choices=sorted(PRESETS))
    t.add_argument("--out", help="checkpoint folder (default: the package's shipped checkpoint of that name)")
    t.add_argument("--steps", type=int, help="override the number of training steps")
    t.add_argument("--device", default="auto", help="auto, cuda, mps or cpu")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(func=cmd_train)
    g = sub.add_parser("generate", help="continue a prompt")
    g.add_argument("prompt")
    g.add_argument("--checkpoint", required=True, help="a checkpoint folder, or a shipped name such as world-ru")
    g.add_argument("--max-new-tokens", type=int, default=60)
    g.add_argument("--temperature", type=float, default=0.8)
    g.add_argument("--top-k", type=int)
    g.add_argument("--top-p", type=float)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--stop", action="append", help="stop at this string (may be repeated)")
    g.add_argument("--device", default="cpu")
    g.set_defaults(func=cmd_generate)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (CheckpointError, ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0
