import torch

from minigpt.neurons import direct_logits, find_neuron, hidden_activations, top_contexts, value_logits


def test_value_logits_read_the_down_columns(tiny_model):
    V = value_logits(tiny_model, 1)
    assert V.shape == (32, 128)
    col = tiny_model.blocks[1].ffn.down.weight[:, 5]
    torch.testing.assert_close(V[:, 5], tiny_model.unembed.weight @ (tiny_model.norm_final.weight * col))


def test_direct_logits_add_up_to_the_real_logits(tiny_model):
    names = ["embed"] + [f"blocks.{i}.{p}" for i in range(2) for p in ("attn_out", "ffn_out")]
    logits, cache = tiny_model.run_with_cache(torch.tensor([[1, 2, 3, 4]]))
    resid = cache["blocks.1.resid_post"][0, -1]
    total = sum(direct_logits(tiny_model, cache[n][0, -1], resid) for n in names)
    bias = direct_logits(tiny_model, torch.zeros_like(resid), resid)  # the norm's own bias
    bias = tiny_model.norm_final.bias @ tiny_model.unembed.weight.T
    torch.testing.assert_close(total + bias, logits[0, -1], atol=1e-4, rtol=1e-4)


def test_top_contexts_and_find_neuron(char_model, char_tok):
    ids = torch.tensor([char_tok.encode("the cat sleeps. the dog")])
    acts = hidden_activations(char_model, ids, 0)[:, :, 3]
    out = top_contexts(char_tok, ids, acts, k=3, width=4)
    assert len(out) == 3 and out[0][0] >= out[1][0] >= out[2][0]
    assert all(len(context) <= 4 for _, context, _ in out)
    score, name, layer, neuron = find_neuron(char_model, ids, {"s": [char_tok.encode("s")[0]]}, k=3, top=5)
    assert name == "s" and 0 <= layer < 2 and 0 <= neuron < 128 and 0 <= score <= 1
