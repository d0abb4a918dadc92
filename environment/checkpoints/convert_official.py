#!/usr/bin/env python3
"""Converts a checkpoint of the official PFGM code (Newbeeer/Poisson_flow) or of score-SDE
(yang-song/score_sde_pytorch) into an .npz the kit imports.

Run it once on a machine with Python, numpy and torch (any torch that can read the file), then copy
the .npz over and import it:

    python3 convert_official.py checkpoint_<step>.pth cifar10_ddpmpp.npz \\
        --config Poisson_flow/configs/poisson/cifar10_ddpmpp.py
    pfgm import --official cifar10_ddpmpp.npz --preset cifar10_ddpmpp --workdir runs/official-ddpmpp

    python3 convert_official.py checkpoint_26.pth vp_ddpmpp.npz \\
        --config score_sde_pytorch/configs/vp/cifar10_ddpmpp_continuous.py
    pfgm import --official vp_ddpmpp.npz --preset cifar10_vp_ddpmpp --workdir runs/official-vp

Both codes save the same layout (the PFGM code's run_lib.py and models/ are score-SDE's, with one
more output channel for PFGM's v_z): the input is what run_lib.py saves (utils.save_checkpoint), a
dict with
  model      the network's state_dict, written through torch.nn.DataParallel (keys "module.all_modules.4.Conv_0.weight")
  ema        the ExponentialMovingAverage state: decay, num_updates and shadow_params, a list of
             tensors in the order of [p for p in model.parameters() if p.requires_grad]
  optimizer  Adam's state (not converted: importing starts Adam afresh)
  step       the training step

The .npz holds named arrays (float32 weights; numpy.load reads it):
  model/NAME        every entry of the state_dict, "module." removed, e.g. model/all_modules.4.Conv_0.weight
                    (buffers included: model/sigmas is the discrete noise table NCSN++ registers, unused by
                    PFGM and by the continuous-time SDEs)
  ema/NAME          the EMA weights, named after the trainable parameters they shadow
  step              int64, the checkpoint's step
  ema_num_updates   int64, the EMA's update count (absent when the checkpoint has none)
  ema_decay         float64
  format            int64, 1: the version of this layout
  config/KEY        with --config: the settings the kit checks against its preset (model.nf as
                    config/nf, data.image_size as config/image_size, training.sde as config/sde: 'poisson'
                    for PFGM, 'vpsde', 'subvpsde' or 'vesde' for score-SDE, ...): int64 and float64 arrays,
                    bool arrays, and strings as uint8 arrays of their UTF-8 bytes
                    (bytes(npz["config/embedding_type"]).decode())

Which state_dict entries are not trainable (so have no EMA entry): the buffer "sigmas", and the
Gaussian Fourier projection's fixed weights (a 1-D "W" of NCSN++'s first module, requires_grad=False).
The script checks that the EMA list matches the remaining parameters one by one in shape.

--config takes an official config file (configs/poisson/*.py of PFGM, configs/vp|subvp|ve/*.py of
score-SDE; ml_collections style). Its imports
("from configs.default_cifar10_configs import ...") need the official code on the path: given with
--official-code, or found as the folder that holds configs/. Without ml_collections installed a
minimal stand-in for its ConfigDict is used.
"""
import argparse
import importlib.util
import os
import pickle
import sys
import types
import zipfile

import numpy as np

FORMAT = 1
BUFFERS = {"sigmas"}
# model.* and data.* settings recorded under config/ (the official names; data.num_channels and
# data.channels both exist in the configs, the network reads num_channels).
MODEL_KEYS = ["name", "nf", "ch_mult", "num_res_blocks", "attn_resolutions", "dropout", "resamp_with_conv",
              "conditional", "fir", "fir_kernel", "skip_rescale", "resblock_type", "progressive",
              "progressive_input", "progressive_combine", "attention_type", "init_scale", "fourier_scale",
              "embedding_type", "nonlinearity", "normalization", "scale_by_sigma", "ema_rate", "conv_size",
              "sigma_end", "sigma_min", "sigma_max", "beta_min", "beta_max", "num_scales"]
DATA_KEYS = ["dataset", "image_size", "num_channels", "channels", "centered"]
TRAINING_KEYS = ["sde", "continuous", "reduce_mean", "likelihood_weighting", "gamma", "M", "tau", "restrict_M",
                 "batch_size", "small_batch_size"]
SAMPLING_KEYS = ["ode_solver", "N", "z_max", "z_min", "upper_norm", "z_exp"]


class ConversionError(Exception):
    pass


def load_checkpoint(path):
    import torch

    if not os.path.isfile(path):
        raise ConversionError(f"{path}: no such file")
    with open(path, "rb") as f:
        head = f.read(2)
    if not zipfile.is_zipfile(path) and head[:1] != b"\x80":  # torch.save: a zip archive, or a pickle before torch 1.6
        raise ConversionError(f"{path} is not a PyTorch checkpoint (neither a torch.save zip archive nor a pickle)")
    try:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except TypeError:  # a torch without weights_only
            state = torch.load(path, map_location="cpu")
        except pickle.UnpicklingError:
            # Older torch's restricted loader refuses plain floats (the EMA's decay); the official
            # code itself loads its checkpoints with full unpickling.
            print(f"convert_official: note: torch's weights-only loader cannot read {path}; loading it with full "
                  f"unpickling, as the official code does (only for files you trust, such as the authors' "
                  f"published checkpoints)", file=sys.stderr)
            state = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as e:  # torch raises many kinds for a file it cannot read
        raise ConversionError(f"{path} is not a PyTorch checkpoint torch.load can read ({type(e).__name__}: {e})")
    if not isinstance(state, dict) or "model" not in state:
        keys = sorted(state.keys()) if isinstance(state, dict) else type(state).__name__
        raise ConversionError(f"{path} is not a checkpoint of the official PFGM or score-SDE code: expected a dict "
                              f"with 'model', 'ema' and "
                              f"'step' entries (what run_lib.py saves as checkpoint_*.pth), found {keys}")
    return state


def official_name(key):
    return key[len("module."):] if key.startswith("module.") else key


def is_frozen(name, tensor):
    """The Gaussian Fourier projection's W: a fixed 1-D parameter (the NIN layers' W are 2-D and trainable)."""
    return name.split(".")[-1] == "W" and tensor.dim() == 1


def model_arrays(state, path):
    import torch

    model = state["model"]
    if not isinstance(model, dict) or not model:
        raise ConversionError(f"{path}: the 'model' entry is not a state_dict (found {type(model).__name__})")
    arrays = {}
    trainable = []
    for key, tensor in model.items():
        if not torch.is_tensor(tensor):
            raise ConversionError(f"{path}: model entry {key} is not a tensor ({type(tensor).__name__})")
        name = official_name(key)
        if not name.startswith("all_modules.") and name not in BUFFERS:
            raise ConversionError(f"{path}: model entry {key} is not a parameter of the official NCSN++/DDPM++ "
                                  f"network (models/ncsnpp.py keeps every layer in all_modules)")
        arrays[name] = tensor.detach().cpu().float().numpy()
        if name not in BUFFERS and not is_frozen(name, tensor):
            trainable.append((name, tensor))
    return arrays, trainable


def ema_arrays(state, trainable, path):
    ema = state.get("ema")
    if ema is None:
        raise ConversionError(f"{path} has no 'ema' entry; the kit samples with EMA weights, as the paper does")
    if not isinstance(ema, dict) or "shadow_params" not in ema:
        raise ConversionError(f"{path}: the 'ema' entry is not an ExponentialMovingAverage state "
                              f"(expected decay, num_updates, shadow_params)")
    shadow = list(ema["shadow_params"])
    if len(shadow) != len(trainable):
        raise ConversionError(f"{path}: the EMA holds {len(shadow)} tensors but the model has {len(trainable)} "
                              f"trainable parameters; the checkpoint does not come from the official code")
    arrays = {}
    for (name, tensor), s in zip(trainable, shadow):
        if tuple(s.shape) != tuple(tensor.shape):
            raise ConversionError(f"{path}: EMA tensor for {name} has shape {tuple(s.shape)}, the parameter "
                                  f"{tuple(tensor.shape)}: the EMA list is not in the order of model.parameters()")
        arrays[name] = s.detach().cpu().float().numpy()
    return arrays, ema.get("num_updates"), ema.get("decay")


def install_ml_collections_stand_in():
    """A minimal ConfigDict (attribute access, nesting) when ml_collections is not installed."""
    try:
        import ml_collections  # noqa: F401
        return
    except ImportError:
        pass

    class ConfigDict(dict):
        def __getattr__(self, key):
            try:
                return self[key]
            except KeyError:
                raise AttributeError(key)

        def __setattr__(self, key, value):
            self[key] = value

    module = types.ModuleType("ml_collections")
    module.ConfigDict = ConfigDict
    sys.modules["ml_collections"] = module


def import_official_code(root, marker=os.path.join("models", "ncsnpp.py")):
    """Puts official model code (PFGM's or score-SDE's, whose models/ are the same) on the path: the
    ml_collections stand-in, and op.upfirdn2d without the CUDA extension it compiles at import (on the
    CPU its native path runs instead)."""
    import torch.utils.cpp_extension

    root = os.path.abspath(root)
    if not os.path.isfile(os.path.join(root, marker)):
        raise ConversionError(f"{root} does not hold the official code ({marker})")
    sys.path.insert(0, root)
    install_ml_collections_stand_in()
    op = types.ModuleType("op")
    op.__path__ = []
    upfirdn2d = types.ModuleType("op.upfirdn2d")
    upfirdn2d.__file__ = os.path.join(root, "op", "upfirdn2d.py")
    load = torch.utils.cpp_extension.load
    torch.utils.cpp_extension.load = lambda *a, **k: None
    try:
        with open(upfirdn2d.__file__) as f:
            exec(compile(f.read(), upfirdn2d.__file__, "exec"), upfirdn2d.__dict__)
    finally:
        torch.utils.cpp_extension.load = load
    op.upfirdn2d = upfirdn2d.upfirdn2d
    sys.modules["op"] = op
    sys.modules["op.upfirdn2d"] = upfirdn2d


def load_config(config_path, official_code=None):
    if not os.path.isfile(config_path):
        raise ConversionError(f"config {config_path}: no such file")
    root = official_code
    if root is None:
        parts = os.path.abspath(config_path).split(os.sep)
        if "configs" in parts:
            root = os.sep.join(parts[:len(parts) - 1 - parts[::-1].index("configs")])
    if root is not None and root not in sys.path:
        sys.path.insert(0, os.path.abspath(root))
    install_ml_collections_stand_in()
    spec = importlib.util.spec_from_file_location("pfgm_official_config", config_path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        config = module.get_config()
    except Exception as e:
        raise ConversionError(f"config {config_path} could not be loaded ({type(e).__name__}: {e}); give the "
                              f"official code's folder with --official-code")
    return config


def encode(value):
    if isinstance(value, bool):
        return np.array(value, dtype=np.bool_)
    if isinstance(value, int):
        return np.array(value, dtype=np.int64)
    if isinstance(value, float):
        return np.array(value, dtype=np.float64)
    if isinstance(value, str):
        return np.frombuffer(value.encode("utf-8"), dtype=np.uint8).copy()
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return np.array(value, dtype=np.int64).reshape(len(value))
    return None


def config_arrays(config):
    arrays = {}
    for section, keys in (("model", MODEL_KEYS), ("data", DATA_KEYS), ("training", TRAINING_KEYS),
                          ("sampling", SAMPLING_KEYS)):
        values = getattr(config, section, None)
        if values is None:
            continue
        for key in keys:
            if key in values:
                encoded = encode(values[key])
                if encoded is not None:
                    arrays[key if section != "sampling" else "sampling_" + key] = encoded
    return arrays


def convert(checkpoint, out, config=None, official_code=None):
    """Reads an official checkpoint and writes the kit's .npz; returns a one-line summary."""
    state = load_checkpoint(checkpoint)
    model, trainable = model_arrays(state, checkpoint)
    ema, num_updates, decay = ema_arrays(state, trainable, checkpoint)
    step = state.get("step", 0)
    step = int(step.item() if hasattr(step, "item") else step)
    arrays = {"format": np.array(FORMAT, dtype=np.int64), "step": np.array(step, dtype=np.int64)}
    if num_updates is not None:
        arrays["ema_num_updates"] = np.array(int(num_updates), dtype=np.int64)
    if decay is not None:
        arrays["ema_decay"] = np.array(float(decay), dtype=np.float64)
    arrays.update({"model/" + k: v for k, v in model.items()})
    arrays.update({"ema/" + k: v for k, v in ema.items()})
    if config is not None:
        arrays.update({"config/" + k: v for k, v in config_arrays(load_config(config, official_code)).items()})
    directory = os.path.dirname(os.path.abspath(out))
    os.makedirs(directory, exist_ok=True)
    temporary = out + ".part.npz"
    np.savez(temporary, **arrays)
    os.replace(temporary, out)
    count = sum(v.size for v in ema.values())
    return (f"wrote {out}: step {step}, {len(model)} model entries, {len(ema)} EMA tensors "
            f"({count:,} trainable weights){', config from ' + config if config else ''}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Convert a checkpoint (.pth) of the official PFGM or score-SDE code "
                                                 "into the .npz that 'pfgm import --official' reads.")
    parser.add_argument("checkpoint", help="checkpoint_*.pth or checkpoint.pth of the official code")
    parser.add_argument("out", help="output .npz")
    parser.add_argument("--config", help="the official config file the checkpoint was trained with "
                                         "(configs/poisson/cifar10_ddpmpp.py, configs/vp/cifar10_ddpmpp_continuous.py, ...): its settings are recorded so "
                                         "that the import can check them against the kit's preset")
    parser.add_argument("--official-code", help="folder of the official code (for the config's imports; default: "
                                                "the folder that holds the config's configs/)")
    args = parser.parse_args(argv)
    try:
        print(convert(args.checkpoint, args.out, args.config, args.official_code))
    except ConversionError as e:
        print(f"convert_official: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
