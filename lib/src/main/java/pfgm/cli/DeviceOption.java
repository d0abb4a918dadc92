package pfgm.cli;

import ai.djl.Device;
import pfgm.util.Devices;
import picocli.CommandLine.Option;

/** The --device option shared by the commands that compute. */
final class DeviceOption {
    /** Null when not given (auto): {@link TrainingDevicesOption} refuses it beside --devices only when given. */
    @Option(names = "--device", description = "auto (a GPU when PyTorch sees one), cpu, gpu or gpu:N (default: auto).")
    String name;

    Device resolve() {
        return Devices.resolve(name == null ? "auto" : name);
    }
}
