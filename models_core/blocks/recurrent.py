"""
Recurrent layers read a sequence (T, F) one step at a time, carrying a hidden state h of `hidden`
values: rnn (h = tanh(W x + U h + b)), lstm (with a cell and input, forget and output gates) and
gru (update and reset gates). Stacked `layers` deep, optionally also read backwards (bidirectional).
`output` "sequence" gives every step's state (T, D·hidden); "last" gives the final state (D·hidden,),
where D = 2 when bidirectional (the forward pass's last step and the backward pass's first).
"""

import torch.nn as nn

from .base import BlockType, Param, text
from .modules import Recurrent

GATES = {"rnn": 1, "lstm": 4, "gru": 3}  # weight blocks per layer: one per gate (and candidate)
MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def infer_shape(params, input_shapes):
    (t, _), = input_shapes
    width = params["hidden"] * (2 if params["bidirectional"] else 1)
    return [t, width] if params["output"] == "sequence" else [width]


def counter(kind):
    def count_params(params, input_shapes):
        h, dirs, g = params["hidden"], 2 if params["bidirectional"] else 1, GATES[kind]
        total, fan_in = 0, input_shapes[0][1]
        for _ in range(params["layers"]):
            total += dirs * g * (h * fan_in + h * h + 2 * h)  # W_ih, W_hh, b_ih, b_hh per direction
            fan_in = dirs * h
        return total
    return count_params


def build(kind, params, input_shapes):
    rnn = MODULES[kind](input_shapes[0][1], params["hidden"], num_layers=params["layers"], batch_first=True,
                        bidirectional=params["bidirectional"])
    return Recurrent(rnn, last=params["output"] == "last")


def _block(kind, en, zh):
    return BlockType(
        type=kind, group="recurrent", help=text(en, zh), inputs=1, accepts=("sequence",),
        params=(
            Param("hidden", "int", 16, min=1, max_from="max_width",
                  help=text("Size of the hidden state carried from step to step.", "从一步传到下一步的隐藏状态的大小。")),
            Param("layers", "int", 1, min=1, max=4,
                  help=text("How many recurrent layers are stacked.", "堆叠多少层循环层。")),
            Param("output", "choice", "last", choices=("last", "sequence"),
                  help=text("last: the final state (a vector); sequence: the state at every step.",
                            "last：最后的状态（一个向量）；sequence：每一步的状态。")),
            Param("bidirectional", "bool", False,
                  help=text("Also read the sequence backwards and join both states.", "同时反向读取序列，并把两个方向的状态拼接起来。")),
        ),
        infer_shape=infer_shape, count_params=counter(kind),
        build=lambda params, shapes: build(kind, params, shapes),
    )


RNN = _block("rnn", "A simple recurrent layer: reads a sequence step by step, keeping a memory h = tanh(Wx + Uh + b).",
             "简单循环层：逐步读取序列，并保留记忆 h = tanh(Wx + Uh + b)。")
LSTM = _block("lstm", "Long short-term memory: a recurrent layer whose gates decide what to keep, forget and output.",
              "长短期记忆：由门决定保留、遗忘和输出什么的循环层。")
GRU = _block("gru", "Gated recurrent unit: a lighter LSTM with an update and a reset gate.",
             "门控循环单元：只有更新门和重置门的轻量 LSTM。")
