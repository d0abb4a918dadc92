package pfgm.cli;

import ai.djl.Device;
import pfgm.util.Devices;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The --device option shared by the commands that compute. */
final class DeviceOption {
    /** Null when not given (auto): {@link TrainingDevicesOption} refuses it beside --devices only when given. */
    @Option(names = "--device", description = "auto (a GPU when PyTorch sees one), cpu, gpu or gpu:N (default: auto).")
    String name;

    /** The command this option is part of: the note about auto's choice goes to its error stream. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Device resolved;

    /**
     * The device, resolved once per command. With auto the user did not name one, so the command
     * says on stderr which it chose: a run on the CPU of a machine whose GPU PyTorch cannot see (the
     * CPU native build, a driver problem) should not look like a slow GPU run.
     */
    Device resolve() {
        if (resolved == null) {
            resolved = Devices.resolve(name == null ? "auto" : name);
            if (name == null || name.equalsIgnoreCase("auto")) {
                command.commandLine().getErr().println("pfgm: --device auto chose " + Devices.describe(resolved)
                        + (resolved.isGpu() ? "" : " (PyTorch sees no GPU)"));
            }
        }
        return resolved;
    }
}
