package pfgm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import pfgm.experiment.Ablation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = {"Train and score a grid of settings over a preset, one row per cell.",
            "Cells that differ only in sampling settings share a training run. Runs live in --runs under names made of "
                + "their training settings, so a stopped grid (even kill -9) resumes, and grids that share cells reuse runs.",
            "Each finished cell is appended to --results at once, with what is needed to redo it (code, run, seeds, sampler, "
                + "features, machine); cells already there are skipped. A row or run that other code made is reused with a "
                + "notice; --refresh makes it again.",
            "With seed axes (--vary train.seed=1,2,3, --vary sample.seed=0,1) it also prints each cell's mean, standard "
                + "deviation, count and 95%% interval over the seeds.",
            "Example: pfgm ablate --preset mnist_small --vary method=pfgm,vp --vary sampler=euler-10,euler-50,rk45 "
                + "--metrics fid,is --n 2000"})
final class AblateCommand implements Callable<Integer> {
    /** The base preset, and --set: settings of every cell, e.g. --set train.steps=400. */
    @Mixin
    PresetOptions preset;

    @Option(names = "--vary", required = true, description = "An axis: key=value1,value2,... with any preset key (method, "
            + "network.kind, network.nf, train.steps, train.seed, pfgmpp.D, ...), sampler=euler-10,heun-18,rk45 or "
            + "sample.seed=0,1,2 (repeatable; the first axis varies slowest).")
    List<String> axes = new ArrayList<>();

    @Option(names = "--metrics", defaultValue = "fid", description = "Image metrics: fid, is, kid, pr, comma-separated "
            + "(default: ${DEFAULT-VALUE}); 2-D toy presets get their own: mean log-density, share near the modes, MMD test.")
    String metrics;

    @Option(names = "--n", defaultValue = "1000", description = "Samples per cell (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the samples and of the metrics' random draws "
            + "(default: ${DEFAULT-VALUE}); training uses each preset's own seed.")
    long seed;

    @Option(names = "--refresh", description = "Recompute rows that other code made and retrain runs whose steps other code "
            + "trained (their old checkpoints are moved to replaced/ in the run's directory).")
    boolean refresh;

    @Option(names = "--runs", description = "Where training runs live (default: $PFGM_RUNS, else results/runs).")
    Path runs;

    @Option(names = "--results", description = "The results CSV (default: results/ablations/PRESET_KEYS.csv).")
    Path results;

    @Mixin
    FeatureOptions featureOptions;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Ablation ablation = Ablation.of(preset.preset).metrics(metrics).samples(n).seed(seed)
                .batchSize(featureOptions.batchSize()).features(featureOptions.features).device(device.resolve()).refresh(refresh);
        if (runs != null) {
            ablation.runsIn(runs);
        }
        axes.forEach(ablation::vary);
        preset.settings.overrides().forEach(ablation::set);
        if (results != null) {
            ablation.resultsIn(results);
        }
        Table table;
        try (ProgressBar grid = Progress.count("grid", 1)) {
            table = ablation.run(new Ablation.Listener() {
                private ProgressBar cell;

                @Override
                public void onCell(int index, int total, Map<String, String> settings, boolean done) {
                    grid.maxHint(total);
                    grid.stepTo(index);
                    grid.setExtraMessage(" " + settings + (done ? " (scored earlier)" : ""));
                    closeCell();
                }

                @Override
                public void onTrainingStep(long step, long steps) {
                    if (cell == null) {
                        cell = Progress.count("train", steps);
                    }
                    cell.stepTo(step);
                }

                @Override
                public void onProgress(String what, double fraction) {
                    if (cell == null || !cell.getTaskName().equals(what)) {
                        closeCell();
                        cell = Progress.fraction(what);
                    }
                    Progress.to(cell).accept(fraction);
                }

                @Override
                public void onRow(Table results) {
                    closeCell();
                    grid.step();
                }

                @Override
                public void onNotice(String message) {
                    System.err.println("pfgm: note: " + message);
                }

                private void closeCell() {
                    if (cell != null) {
                        cell.close();
                        cell = null;
                    }
                }
            });
        }
        System.out.println(table.print());
        if (axes.stream().anyMatch(a -> a.startsWith("train.seed=") || a.startsWith(pfgm.experiment.Grid.SEED + "="))) {
            System.out.println(ablation.spread(table).print());
        }
        ablation.misses(table).forEach(miss -> System.out.println("outside the bar (ToyMetrics.judge): " + miss));
        System.out.println("results in " + ablation.results());
        return 0;
    }
}
