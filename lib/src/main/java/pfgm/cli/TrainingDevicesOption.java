package pfgm.cli;

import ai.djl.Device;
import java.util.List;
import pfgm.util.Devices;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --device or --devices, for the commands that train: one device, or a replica of the network on each of several. */
final class TrainingDevicesOption {
    @Mixin
    DeviceOption device;

    @Option(names = "--devices", paramLabel = "LIST", description = "Train data-parallel, a replica of the network on "
            + "each device: all (every GPU) or a list such as gpu:0,gpu:1 (cpu,cpu: two replicas on the CPU, for tests). "
            + "Each step's batch is split between them; the results are one device's up to float rounding "
            + "(docs/scale-out.md). Without it: --device when given, else $" + Devices.VARIABLE + " when set, else auto.")
    String names;

    /** --devices, else --device alone when given, else {@code PFGM_DEVICES}, else auto: what is said here beats the environment. */
    List<Device> resolve() {
        if (names == null) {
            return device.name != null ? List.of(device.resolve()) : Devices.forTraining(device.resolve());
        }
        if (device.name != null) {
            throw new IllegalArgumentException("--device " + device.name + " and --devices " + names + " both say where to "
                    + "train: give one (--devices puts a replica on each device it lists, the first holding the run)");
        }
        return Devices.list(names);
    }
}
