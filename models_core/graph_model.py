"""GraphModel: a validated spec's DAG as one nn.Module."""

import torch.nn as nn

from .blocks import REGISTRY, Tokens


def node_shape(info):
    """A node's shape as the blocks see it: token ids keep their vocabulary."""
    return Tokens(info["shape"], info["vocab"]) if "vocab" in info else list(info["shape"])


class GraphModel(nn.Module):
    def __init__(self, v):
        """v: a ValidatedSpec, or the GraphInfo of infer_graph (shapes already checked, so building
        cannot fail on them)."""
        super().__init__()
        params = {n["id"]: n["params"] for n in v.network["nodes"]}
        types = {n: v.nodes[n]["type"] for n in v.order}
        self.input_id, self.output_id = v.input_id, v.output_id
        self.ids = [n for n in v.order if n != v.input_id]  # every node but the input, sources first
        self.sources = [list(v.sources[n]) for n in self.ids]
        self.blocks = nn.ModuleList()  # a list, not a ModuleDict: node ids may hold any character
        self.needs_eval_mode = False  # true when a block behaves differently in eval() (dropout, batch norm)
        for n in self.ids:
            self.needs_eval_mode |= REGISTRY[types[n]].uses_train_mode
            shapes = [node_shape(v.nodes[s]) for s in v.sources[n]]
            module = REGISTRY[types[n]].build(params[n], shapes)
            assert module is not None, f"{n}: only the input block builds no module"
            self.blocks.append(module)
        # the parameterised nodes, input to output: what gradient and weight events report
        self.layer_ids = [n for n, m in zip(self.ids, self.blocks) if any(True for _ in m.parameters())]
        self.layers = {n: m for n, m in zip(self.ids, self.blocks) if n in self.layer_ids}
        # every parameter, layer by layer, and which layer it belongs to (for the gradient stats)
        self.layer_params = [p for n in self.layer_ids for p in self.layers[n].parameters()]
        self.param_layer = [i for i, n in enumerate(self.layer_ids) for _ in self.layers[n].parameters()]
        self.layer_numel = [sum(p.numel() for p in self.layers[n].parameters()) for n in self.layer_ids]
        self._plan = list(zip(self.ids, self.blocks, self.sources))
        # Rosenblatt perceptrons learn by their own rule; the trainer finds them here
        self.rosenblatt_ids = [n for n in self.ids if REGISTRY[types[n]].trained_by == "rosenblatt"]
        self.attention_ids = [n for n in self.ids if REGISTRY[types[n]].attention]

    def forward(self, x, keep=False):
        """x: (B, *input shape) floats, or (B, T) integer token ids -> (B, *output shape) raw outputs.
        keep=True also returns {node id: output} for every node (for the neuron heatmaps)."""
        outs = {self.input_id: x}
        for nid, module, srcs in self._plan:
            outs[nid] = module(*[outs[s] for s in srcs])
        y = outs[self.output_id]
        return (y, outs) if keep else y

    def capture_attention(self, on=True):
        """Switches every attention block to the explicit path that keeps its (B, heads, T, T)
        probabilities; after a forward, attention_weights() returns them by node id."""
        for n in self.attention_ids:
            self.blocks[self.ids.index(n)].capture = on

    def attention_weights(self):
        return {n: self.blocks[self.ids.index(n)].weights for n in self.attention_ids}
