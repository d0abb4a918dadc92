#!/usr/bin/env python3
"""Writes lib/src/main/resources/pfgm/nn/kit_ops.pt: PyTorch functions DJL 0.33 has no call for.

    /usr/bin/python3 environment/torchscript/make_kit_ops.py     (Debian's python3-torch 1.13 made the committed file)

DJL's PyTorch engine exposes layer_norm but not group_norm, and no SiLU. Spelled out in the ops it
has (layer_norm on (b, groups, -1) plus a per-channel multiply and add; x * sigmoid(x)) they cost
three to four kernels forward and more backward where PyTorch runs one fused kernel each way; in a
DDPM++ training step that was about a tenth of the time. This TorchScript module holds the two
functions; pfgm.nn.TorchOps loads it once and calls it with autograd on. It has no parameters or
buffers, so one module serves every device. The eps of GroupNorm is the official networks' 1e-6.
The groups count arrives as the length of a marker tensor (TorchScript methods called through DJL
take tensors only; a length needs no device synchronization, unlike a tensor's value).
"""
import os
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "src", "main", "resources",
                   "pfgm", "nn", "kit_ops.pt")


class KitOps(torch.nn.Module):
    def forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, groups: torch.Tensor) -> torch.Tensor:
        """torch.nn.GroupNorm(groups.size(0), C, eps=1e-6) with the given affine weight and bias."""
        return torch.group_norm(x, groups.size(0), weight, bias, 1e-6)

    @torch.jit.export
    def silu(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten.silu(x)


def main():
    module = torch.jit.script(KitOps())
    x = torch.randn(2, 8, 3, 3, dtype=torch.float64)
    w, b = torch.randn(8, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
    expected = torch.nn.functional.group_norm(x, 2, w, b, 1e-6)
    assert torch.allclose(module(x, w, b, torch.empty(2)), expected)
    assert torch.allclose(module.silu(x), x * torch.sigmoid(x))
    module.save(OUT)
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
