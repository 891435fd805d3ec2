import json
import subprocess
import sys

import pytest
import torch

from minigpt import CheckpointError, GPT, GPTConfig, TrainConfig, get_device, load, load_pretrained, save, train
from minigpt.train import lr_at


def test_save_load_round_trip(tmp_path, char_model, char_tok):
    save(char_model, char_tok, tmp_path / "ck", info={"note": "test"})
    assert sorted(p.name for p in (tmp_path / "ck").iterdir()) == ["config.json", "model.safetensors", "tokenizer.json"]
    model, tok = load(tmp_path / "ck")
    idx = torch.tensor([char_tok.encode("the cat")])
    torch.testing.assert_close(model(idx)[0], char_model(idx)[0], atol=0, rtol=0)
    assert model.unembed.weight is model.embed.weight and model.info == {"note": "test"}
    assert tok.chars == char_tok.chars


def test_checkpoint_errors_name_the_file(tmp_path, char_model, char_tok):
    ck = save(char_model, char_tok, tmp_path / "ck")
    with pytest.raises(CheckpointError, match="does not exist"):
        load(tmp_path / "missing")
    weights = ck / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="model.safetensors is truncated"):
        load(ck)
    weights.unlink()
    with pytest.raises(CheckpointError, match="model.safetensors is missing"):
        load(ck)
    # a config that does not match the weights
    ck2 = save(char_model, char_tok, tmp_path / "ck2")
    meta = json.loads((ck2 / "config.json").read_text())
    meta["config"]["d_model"] = 64
    (ck2 / "config.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="the config expects"):
        load(ck2)
    (ck2 / "config.json").write_text("{")
    with pytest.raises(CheckpointError, match="config.json is corrupted"):
        load(ck2)
    ck3 = save(char_model, char_tok, tmp_path / "ck3")
    (ck3 / "tokenizer.json").unlink()
    with pytest.raises(CheckpointError, match="tokenizer.json is missing"):
        load(ck3)
    with pytest.raises(CheckpointError, match="no shipped checkpoint named"):
        load_pretrained("gpt-5")


def test_training_lowers_loss_and_is_deterministic(char_tok):
    from conftest import TEXT

    data = torch.tensor(char_tok.encode(TEXT))
    cfg = GPTConfig(vocab_size=char_tok.vocab_size, context_length=16, n_layer=1, n_head=2, d_model=32)
    tcfg = TrainConfig(steps=60, batch_size=8, lr=1e-2, warmup_steps=5, eval_interval=30, eval_batches=2,
                       device="cpu")
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = GPT(cfg)
        runs.append(train(model, data, data, tcfg, progress=False))
    a, b = runs
    assert a["train"] == b["train"] and a["valid"] == b["valid"]
    assert a["valid_step"] == [29, 59]
    assert a["train"][-1] < 0.5 * a["train"][0]


def test_lr_schedule():
    cfg = TrainConfig(steps=100, lr=1.0, min_lr=0.1, warmup_steps=10)
    assert lr_at(0, cfg) == pytest.approx(0.1) and lr_at(9, cfg) == pytest.approx(1.0)
    assert lr_at(99, cfg) == pytest.approx(0.1, abs=1e-3)
    assert lr_at(55, cfg) == pytest.approx(0.55, abs=0.01)


def test_device_choice():
    assert get_device("cpu").type == "cpu"
    assert get_device("auto").type in ("cuda", "mps", "cpu")
    with pytest.raises(ValueError, match="is not one of"):
        get_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA GPU"):
            get_device("cuda")


_REUSE_PROBE = """
import resource, sys, torch
from minigpt.device import keep_freed_memory

def faults_of_second_allocation():
    # A 64 MB tensor, freed, then one of the same size: how many pages had to be faulted in again?
    torch.empty(2**24).fill_(1.0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    torch.empty(2**24).fill_(1.0)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

default = faults_of_second_allocation()
kept = keep_freed_memory()
faults_of_second_allocation()  # the heap grows to hold it once
print(default, kept, faults_of_second_allocation())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_keep_freed_memory_stops_page_faults_for_reused_sizes():
    # Process-wide, so it runs in a fresh interpreter.
    out = subprocess.run([sys.executable, "-c", _REUSE_PROBE], capture_output=True, text=True, check=True).stdout
    default, kept, after = out.split()
    assert kept == "True"
    # 64 MB is 16,384 pages of 4 kB (32 huge pages): by default glibc gives the block back and faults it in again
    assert int(default) >= 32
    assert int(after) <= int(default) // 10  # reused from the heap
