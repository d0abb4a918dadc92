package pfgm.cli;

import ai.djl.Device;
import pfgm.util.Devices;
import picocli.CommandLine.Option;

/** The --device option shared by the commands that compute. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto",
            description = "auto (a GPU when PyTorch sees one), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String name;

    Device resolve() {
        return Devices.resolve(name);
    }
}
