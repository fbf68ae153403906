"""GraphModel: a validated spec's DAG as one nn.Module."""

import torch.nn as nn

from .blocks import REGISTRY


class GraphModel(nn.Module):
    def __init__(self, v):
        """v: a ValidatedSpec (shapes already checked, so building cannot fail on them)."""
        super().__init__()
        params = {n["id"]: n["params"] for n in v.spec["network"]["nodes"]}
        types = {n: v.nodes[n]["type"] for n in v.order}
        self.input_id, self.output_id = v.input_id, v.output_id
        self.ids = [n for n in v.order if n != v.input_id]  # every node but the input, sources first
        self.sources = [list(v.sources[n]) for n in self.ids]
        self.blocks = nn.ModuleList()  # a list, not a ModuleDict: node ids may hold any character
        self.needs_eval_mode = False  # true when a block behaves differently in eval() (dropout, batch norm)
        for n in self.ids:
            self.needs_eval_mode |= REGISTRY[types[n]].uses_train_mode
            shapes = [v.nodes[s]["shape"] for s in v.sources[n]]
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

    def forward(self, x, keep=False):
        """x: (B, F) features -> (B, out) raw outputs (logits or values).
        keep=True also returns {node id: (B, width)} with every node's output (for the neuron heatmaps)."""
        outs = {self.input_id: x}
        for nid, module, srcs in self._plan:
            outs[nid] = module(*[outs[s] for s in srcs])
        y = outs[self.output_id]
        return (y, outs) if keep else y
