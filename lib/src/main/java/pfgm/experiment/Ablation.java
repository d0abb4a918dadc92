package pfgm.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pfgm.config.Preset;
import pfgm.config.Presets;
import pfgm.eval.Evaluation;
import pfgm.io.AtomicFiles;
import pfgm.notebook.ProgressLine;
import pfgm.ode.Solution;
import pfgm.plot.Snapshots;
import pfgm.run.Provenance;
import pfgm.run.Run;
import pfgm.run.RunSettings;
import pfgm.run.Runs;
import pfgm.train.Trainer;
import pfgm.util.CodeVersion;
import pfgm.util.Devices;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A grid of settings over a base preset, trained and scored cell by cell:
 *
 * <pre>{@code
 * Table t = Ablation.of("mnist_small").vary("method", "pfgm", "vp").vary("sampler", "euler-10", "euler-50", "rk45")
 *         .metrics("fid,is").samples(2000).run();
 * }</pre>
 *
 * <p>Cells that differ only in settings sampling reads (the sampler, PFGM's z_max, ...) share one
 * training run. Runs live in work directories named from their training settings ({@link Runs})
 * under {@link #runsIn}, so a grid stopped at any moment (kill -9 included) resumes where it was,
 * and a grid (or notebook) that shares cells with an earlier one reuses its runs. Each finished cell is appended to
 * the results CSV at once, with its {@link Provenance}; cells already there are not computed again.
 * A row or a run that other code made is reused with a notice, or made again with {@link #refresh}.
 *
 * <p>Training seeds ({@code train.seed}) and sampling seeds (the pseudo-key {@code sample.seed}) are axes
 * like any other; {@link Spread} summarizes a table over them.
 */
public final class Ablation {
    /** Hooks for progress bars and live tables. */
    public interface Listener {
        /** Cell {@code index} (0-based) of {@code total} starts; {@code done} when an earlier run already scored it. */
        default void onCell(int index, int total, Map<String, String> cell, boolean done) {}

        default void onTrainingStep(long step, long steps) {}

        /** Fraction of the cell's sampling (then scoring) done, with what is being done. */
        default void onProgress(String what, double fraction) {}

        default void onRow(Table results) {}

        /** Something the user should know: a row or a run that other code made is reused. */
        default void onNotice(String message) {}

        /**
         * A listener that tells {@code status} one line about where the grid is, e.g. "cell 3 of 15
         * {method=vp, sampler=euler-20}: training 120 of 300": for a notebook's updateDisplay.
         */
        static Listener lines(java.util.function.Consumer<String> status) {
            return new Listener() {
                private String cell = "";
                private ProgressLine training;
                private ProgressLine work;
                private String working = "";

                @Override
                public void onCell(int index, int total, Map<String, String> settings, boolean done) {
                    cell = "cell " + (index + 1) + " of " + total + " " + settings;
                    training = null;
                    work = null;
                    status.accept(cell + (done ? ": scored earlier" : ""));
                }

                @Override
                public void onTrainingStep(long step, long steps) {
                    if (training == null) {
                        training = ProgressLine.of(cell + ": training", steps, step - 1, "steps", status);
                    }
                    training.to(step);
                }

                @Override
                public void onProgress(String what, double fraction) {
                    if (work == null || !what.equals(working)) {
                        work = ProgressLine.of(cell + ": " + what, 1000, 0, "permille", status);
                        working = what;
                    }
                    work.to(Math.round(fraction * 1000));
                }

                /** Printed, so that it stays in the cell's output while the status line moves on. */
                @Override
                public void onNotice(String message) {
                    System.out.println(message);
                }
            };
        }
    }

    /** Wall times of a row besides its provenance's: training (all of the run's steps so far) and sampling. */
    static final List<String> TIMES = List.of("train_seconds", "sample_seconds");
    private final String preset;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Grid grid = new Grid();
    private String metrics = "fid";
    private int samples = 1000;
    private int batchSize = 500;
    private long seed;
    private String features;
    private Path runs = Runs.root();
    private Path results;
    private Device device = Devices.resolve("auto");
    private boolean refresh;

    private Ablation(String preset) {
        Presets.named(preset); // unknown presets fail here, not after the first cell
        this.preset = preset;
    }

    public static Ablation of(String preset) {
        return new Ablation(preset);
    }

    /** A setting of every cell, e.g. {@code set("train.steps", "400")}. */
    public Ablation set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** An axis of the grid: a preset key, or {@code sampler} or {@code sample.seed}, and its values. */
    public Ablation vary(String key, String... values) {
        grid.vary(key, List.of(values));
        return this;
    }

    /** An axis as the CLI writes it: "key=v1,v2,...". */
    public Ablation vary(String assignment) {
        grid.vary(assignment);
        return this;
    }

    /** Image metrics: fid, is, kid, pr (toy presets are scored by their own metrics). */
    public Ablation metrics(String list) {
        Evaluation.Metric.parse(list);
        metrics = list;
        return this;
    }

    public Ablation samples(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + n);
        }
        samples = n;
        return this;
    }

    public Ablation batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + size);
        }
        batchSize = size;
        return this;
    }

    /** The sampling seed of cells whose grid has no {@code sample.seed} axis (default 0). */
    public Ablation seed(long value) {
        seed = value;
        return this;
    }

    /**
     * Recompute rows that other code made and retrain runs whose steps other code trained (their
     * checkpoints are set aside, not deleted); by default they are reused, with a notice.
     */
    public Ablation refresh(boolean value) {
        refresh = value;
        return this;
    }

    /** The feature network (pfgm.eval.FeatureNetworks names); default: the data set's usual one. */
    public Ablation features(String spec) {
        features = spec;
        return this;
    }

    /** Where the training runs live (default {@link Runs#root()}: $PFGM_RUNS, else results/runs). */
    public Ablation runsIn(Path dir) {
        runs = dir;
        return this;
    }

    /** The results CSV (default results/ablations/PRESET_KEYS.csv). */
    public Ablation resultsIn(Path csv) {
        results = csv;
        return this;
    }

    /**
     * Where the cells are trained and scored (default auto). Training goes to the devices
     * {@code PFGM_DEVICES} lists instead when it is set, a replica on each ({@link Devices#forTraining}).
     */
    public Ablation device(Device value) {
        device = value;
        return this;
    }

    public Path results() {
        return results != null ? results
                : Path.of("results", "ablations", preset + (grid.keys().isEmpty() ? "" : "_" + String.join("_", grid.keys()))
                        .replaceAll("[^A-Za-z0-9._=-]", "_") + ".csv");
    }

    public Table run() throws IOException {
        return run(new Listener() {});
    }

    /** Trains and scores every cell not yet in the results; returns this grid's rows, in cell order. */
    public Table run(Listener listener) throws IOException {
        Preset base = Grid.apply(Presets.named(preset), settings);
        List<Map<String, String>> cells = grid.cells();
        cells.forEach(cell -> Grid.apply(base, cell)); // a bad value in any cell fails now, not after hours
        CodeVersion code = CodeVersion.current();
        try (Scorer scorer = base.isToy() ? new ToyScorer() : new ImageScorer(Evaluation.Metric.parse(metrics), features, batchSize, device)) {
            Table table = load(scorer.columns());
            Run open = null;
            try {
                for (int i = 0; i < cells.size(); i++) {
                    Map<String, String> cell = cells.get(i);
                    String id = cellId(cell);
                    int existing = rowOf(table, id);
                    if (existing >= 0) {
                        String madeBy = table.stringColumn("code").get(existing);
                        boolean otherCode = !madeBy.equals(code.id());
                        if (!(otherCode && refresh)) {
                            listener.onCell(i, cells.size(), cell, true);
                            if (otherCode) {
                                listener.onNotice("cell " + cell + " was scored by code " + madeBy + "; this is " + code.id()
                                        + ": its row is reused (refresh recomputes it)");
                            }
                            continue;
                        }
                        table = table.dropRows(existing);
                    }
                    listener.onCell(i, cells.size(), cell, false);
                    Map<String, String> overrides = new LinkedHashMap<>(settings);
                    overrides.putAll(cell);
                    overrides.keySet().removeAll(Grid.PSEUDO_KEYS);
                    RunSettings runSettings = new RunSettings(preset, overrides);
                    Path workdir = Runs.directory(runs, runSettings);
                    if (open == null || !open.workdir().equals(workdir)) {
                        if (open != null) {
                            open.close();
                        }
                        open = open(runSettings, workdir, code, listener);
                    }
                    Map<String, Object> row = score(open, Grid.apply(base, cell), sampleSeed(cell), scorer, listener);
                    append(table, id, cell, row);
                    Files.createDirectories(results().toAbsolutePath().getParent());
                    Table written = table;
                    AtomicFiles.write(results(), out -> written.write().csv(out));
                    listener.onRow(table);
                }
            } finally {
                if (open != null) {
                    open.close();
                }
            }
            Table ofThisGrid = table.emptyCopy();
            for (Map<String, String> cell : cells) {
                ofThisGrid.addRow(rowOf(table, cellId(cell)), table);
            }
            return ofThisGrid;
        }
    }

    /** The run of a cell; one that other code trained is reused with a notice, or trained anew when refreshing. */
    private Run open(RunSettings runSettings, Path workdir, CodeVersion code, Listener listener) throws IOException {
        Run run = Run.open(runSettings, workdir, Devices.forTraining(device));
        if (run.trainer().history().trainedByOtherCode(code)) {
            String history = run.trainer().history().history();
            if (refresh) {
                run.close();
                Path aside = run.directory().setAside();
                listener.onNotice("run " + workdir.getFileName() + " was trained by " + history + "; training it anew (the old "
                        + "checkpoint is in " + aside + ")");
                run = Run.open(runSettings, workdir, Devices.forTraining(device));
            } else {
                listener.onNotice("run " + workdir.getFileName() + " was trained by " + history + "; this is " + code.id()
                        + ": the run is reused (refresh trains it anew)");
            }
        }
        Snapshots.attach(run);
        long steps = run.preset().train().steps();
        run.trainer().addListener(new Trainer.Listener() {
            @Override
            public void onStep(long step, double loss) {
                listener.onTrainingStep(step, steps);
            }
        });
        return run;
    }

    private long sampleSeed(Map<String, String> cell) {
        String value = cell.get(Grid.SEED);
        try {
            return value == null ? seed : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Grid.SEED + " must be a whole number, got '" + value + "'");
        }
    }

    private static int rowOf(Table table, String id) {
        StringColumn ids = table.stringColumn("cell");
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Trains the run to its steps (resuming), samples it with the cell's settings and scores the samples. */
    private Map<String, Object> score(Run run, Preset cellSettings, long sampleSeed, Scorer scorer, Listener listener)
            throws IOException {
        Trainer trainer = run.trainer();
        trainer.train();
        Table log = trainer.metrics().table();
        double trainSeconds = log.rowCount() == 0 ? 0 : log.doubleColumn("seconds").get(log.rowCount() - 1);
        long began = System.nanoTime();
        Solution solution = run.sample(samples, cellSettings, sampleSeed, batchSize,
                f -> listener.onProgress("sampling " + cellSettings.sampling().label(), f));
        double sampleSeconds = (System.nanoTime() - began) / 1e9;
        NDArray y = solution.y();
        double[] scores = scorer.score(run, y, sampleSeed, f -> listener.onProgress("scoring", f));
        y.close();
        Map<String, Object> row = new LinkedHashMap<>();
        List<String> names = scorer.columns();
        for (int k = 0; k < scores.length; k++) {
            row.put(names.get(k), scores[k]);
        }
        row.putAll(Provenance.here(device).run(run).sampling(cellSettings, sampleSeed, samples, batchSize, solution.nfe())
                .features(scorer.features(run)).seconds((System.nanoTime() - began) / 1e9).columns());
        row.put("train_seconds", trainSeconds);
        row.put("sample_seconds", sampleSeconds);
        return row;
    }

    /**
     * This grid's rows summarized over its seed axes (train.seed, sample.seed): per combination of
     * the other axes the mean, standard deviation, count and 95% interval of every score and of the NFE.
     */
    public Table spread(Table rows) {
        List<String> by = grid.keys().stream().filter(k -> !k.equals(Grid.SEED) && !k.equals("train.seed")).toList();
        List<String> metrics = new ArrayList<>();
        rows.columns().stream().filter(c -> c instanceof DoubleColumn).map(c -> c.name())
                .filter(n -> !Provenance.NUMBERS.contains(n) && !TIMES.contains(n)).forEach(metrics::add);
        metrics.add("nfe");
        return Spread.of(rows, by, metrics);
    }

    /**
     * For a 2-D toy grid, the rows whose samples miss ToyMetrics' two-sided bar against fresh
     * data, each named by its cell and what missed (empty when all pass, and for image grids).
     */
    public List<String> misses(Table rows) {
        return rows.containsColumn("data_within_2sd") ? ToyScorer.misses(rows, grid.keys()) : List.of();
    }

    /** Everything that makes a cell's numbers: preset, settings, cell, samples, seed, metrics, features. */
    private String cellId(Map<String, String> cell) {
        return Runs.hash(preset + "|" + new TreeMap<>(settings) + "|" + new TreeMap<>(cell) + "|" + samples + "|" + seed
                + "|" + metrics + "|" + features);
    }

    /** The results so far (an existing CSV with this grid's columns), or an empty table with them. */
    private Table load(List<String> scoreColumns) throws IOException {
        Table table = Table.create(results().getFileName().toString());
        table.addColumns(StringColumn.create("cell"));
        grid.keys().forEach(k -> table.addColumns(StringColumn.create(k)));
        scoreColumns.forEach(c -> table.addColumns(DoubleColumn.create(c)));
        // The provenance's sampler is the grid's own column when the grid varies it.
        Provenance.COLUMNS.stream().filter(c -> !table.containsColumn(c)).forEach(c -> table.addColumns(
                Provenance.NUMBERS.contains(c) ? DoubleColumn.create(c) : StringColumn.create(c)));
        TIMES.forEach(c -> table.addColumns(DoubleColumn.create(c)));
        if (!Files.exists(results())) {
            return table;
        }
        ColumnType[] types = table.columns().stream().map(c -> c.type()).toArray(ColumnType[]::new);
        String move = ": a results file of another grid, or of a kit from before rows carried their provenance; give "
                + "another results file, or move it away to compute its cells again";
        Table saved;
        try {
            saved = Table.read().csv(CsvReadOptions.builder(results().toFile()).columnTypes(types).build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(results() + " does not have this grid's columns (" + String.join(",",
                    table.columnNames()) + ")" + move, e);
        }
        if (!saved.columnNames().equals(table.columnNames())) {
            throw new IllegalArgumentException(results() + " has columns " + saved.columnNames() + move);
        }
        return saved.setName(table.name());
    }

    private static void append(Table table, String id, Map<String, String> cell, Map<String, Object> values) {
        table.stringColumn("cell").append(id);
        cell.forEach((k, v) -> table.stringColumn(k).append(v));
        values.forEach((k, v) -> {
            if (cell.containsKey(k)) {
                return; // the grid's own column, already set from the cell
            }
            if (table.column(k) instanceof DoubleColumn numbers) {
                numbers.append(v instanceof Number n ? n.doubleValue() : Double.NaN);
            } else {
                table.stringColumn(k).append(String.valueOf(v));
            }
        });
    }
}
