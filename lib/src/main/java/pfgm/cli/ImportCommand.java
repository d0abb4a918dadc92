package pfgm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import pfgm.official.OfficialCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Make a work directory from a checkpoint of the official PFGM code or of score-SDE, so that pfgm "
            + "sample, pfgm eval and Run.reopen use it like a trained run.",
            "Convert the official checkpoint_*.pth first, on a machine with Python and torch: "
            + "python3 environment/checkpoints/convert_official.py checkpoint_<step>.pth ckpt.npz --config <official config>.",
            "--preset names the method and network the checkpoint holds (cifar10_ddpmpp, cifar10_ddpmpp_deep, cifar10_ncsnpp, "
                + "celeba64_ddpmpp, bedroom_ddpmpp; score-SDE's cifar10_vp_ddpmpp, cifar10_subvp_ddpmpp, cifar10_ve_ncsnpp and "
                + "their _deep variants); its data and sampling settings come with the run, --set changes them (kept in "
                + "run.properties).",
            "Writes run.properties, preset.txt, checkpoint.npz (model and EMA weights, the official step) and imported.txt."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--official", required = true,
            description = ".npz written by convert_official.py from an official PFGM or score-SDE checkpoint (DDPM++ or NCSN++).")
    Path official;

    @Mixin
    PresetOptions preset;

    @Option(names = "--workdir", required = true, description = "New work directory for the run (must not hold a checkpoint yet).")
    Path workdir;

    @Override
    public Integer call() throws Exception {
        System.out.println(OfficialCheckpoint.importRun(official, preset.runSettings(), workdir));
        return 0;
    }
}
