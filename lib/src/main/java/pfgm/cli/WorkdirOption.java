package pfgm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --workdir: a run's work directory (checkpoint, metrics, settings, sample grids). */
final class WorkdirOption {
    @Option(names = "--workdir", required = true, description = "Work directory of the run.")
    Path workdir;
}
