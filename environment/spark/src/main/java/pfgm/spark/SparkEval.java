package pfgm.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import pfgm.cli.Pfgm;
import pfgm.shard.BatchRange;
import pfgm.util.Threads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code pfgm eval} of a run over a Spark cluster: the draw's batches split into shards (seed
 * ranges of whole batches), one Spark task each ({@code pfgm eval --shard k/K}), then the merge on
 * the driver ({@code pfgm eval --merge}), which appends the row one process would. Both halves
 * are the {@code pfgm} command itself, so the row cannot drift from it.
 */
@Command(name = "pfgm-spark", mixinStandardHelpOptions = true,
        description = {"pfgm eval of a trained run, sharded over Spark: one task per shard (a GPU each when the cluster "
            + "schedules GPUs, else the CPU), the merge on the driver, the same results row as pfgm eval.",
            "Takes the options of pfgm eval for a run (--workdir, --n, --batch-size, --metrics, the sampler, --seed, "
            + "--features, --data, --reference-stats, --results), except --device, --shard, --shard-out, --merge and --samples.",
            "On a cluster, the run, the data directory (PFGM_DATA), the feature network and --shard-dir must be at the same "
            + "path on every machine (a shared file system). See docs/scale-out.md."})
public final class SparkEval implements Callable<Integer> {
    /** Options the job sets itself for each task or for the merge. */
    private static final List<String> REFUSED = List.of("--device", "--shard", "--shard-out", "--merge", "--samples");

    @Option(names = "--shards", description = "Number of shards, i.e. tasks (default: Spark's default parallelism, at most one "
            + "per batch). More shards than GPUs balance the load; each shard is at least one --batch-size batch.")
    Integer shards;

    @Option(names = "--shard-dir", description = "Where the tasks write their shards and the driver reads them; shards of "
            + "the same draw already there are kept (default: shards/<time> beside --results).")
    Path shardDir;

    @Option(names = "--master", description = "Spark master URL when spark-submit did not set one (default: local[*], "
            + "all cores of this machine, no GPU scheduling: tasks use the CPU).")
    String master;

    @Unmatched
    List<String> evalArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(new CommandLine(new SparkEval()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (IllegalArgumentException | CommandLine.ParameterException e) {
            err.println("pfgm-spark: error: " + e.getMessage());
            return 1;
        }
    }

    private int run() {
        for (String option : REFUSED) {
            if (evalArgs.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="))) {
                throw new IllegalArgumentException("the Spark job sets " + option + " itself (each task's device, shard and "
                        + "folder; the merge); drop it");
            }
        }
        // The pfgm eval options parsed as pfgm eval parses them: a mistake ends here, before Spark starts.
        List<String> asEval = new ArrayList<>(List.of("eval"));
        asEval.addAll(evalArgs);
        CommandLine.ParseResult parsed = Pfgm.commandLine().parseArgs(asEval.toArray(String[]::new)).subcommand();
        CommandSpec eval = parsed.commandSpec();
        if (!parsed.hasMatchedOption("--workdir")) {
            throw new IllegalArgumentException("give --workdir RUN, the trained run to evaluate");
        }
        int n = eval.findOption("--n").getValue();
        int batchSize = eval.findOption("--batch-size").getValue();
        Path results = eval.findOption("--results").getValue();
        Path dir = shardDir != null ? shardDir : results.toAbsolutePath().getParent().resolve("shards")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        int batches = BatchRange.batchCount(n, batchSize);
        if (shards != null) {
            BatchRange.shard(n, batchSize, 1, shards); // refuses more shards than batches, with the fix
        }

        SparkConf conf = new SparkConf().setAppName("pfgm eval " + eval.findOption("--workdir").getValue());
        if (!conf.contains("spark.master")) {
            conf.setMaster(master != null ? master : "local[*]");
        } else if (master != null) {
            throw new IllegalArgumentException("spark-submit set the master (" + conf.get("spark.master") + "); drop --master");
        }
        // Before anything loads the PyTorch engine on the driver. In local mode the driver's JVM runs
        // the tasks, several at once, so it gets a task's threads (spark.task.cpus, as ShardTask);
        // a cluster's driver only merges, on every core.
        if (System.getProperty(Threads.PROPERTY) == null) {
            System.setProperty(Threads.PROPERTY, conf.get("spark.master").startsWith("local")
                    ? conf.get("spark.task.cpus", "1") : Integer.toString(Threads.defaultCount()));
        }
        if (conf.get("spark.master").startsWith("local")) {
            // One machine: the driver on loopback, whatever the host name resolves to.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        // An executor's working directory is its own: the tasks get the driver's data directory (the same path on a
        // shared file system) unless the cluster sets one, and the run's absolute path.
        try {
            conf.setIfMissing("spark.executorEnv.PFGM_DATA", pfgm.data.Datasets.dataDirectory().toAbsolutePath().toString());
        } catch (IllegalArgumentException noDataDirectory) {
            // then only --reference-stats serves the merge, and the executors need PFGM_DATA for the classifier only
        }
        // Idle OpenMP threads sleep rather than spin in the executors too (pfgm.util.Threads says why).
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        int count;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            count = shards != null ? shards : Math.min(batches, sc.defaultParallelism());
            System.out.println("pfgm-spark: " + n + " samples in " + batches + " batches of " + batchSize + ", " + count
                    + " shards on " + conf.get("spark.master") + ", shards in " + dir);
            List<Integer> indices = IntStream.rangeClosed(1, count).boxed().toList();
            sc.parallelize(indices, count).foreach(new ShardTask(absoluteWorkdir(evalArgs), count, dir.toAbsolutePath().toString()));
        } catch (Exception e) { // Spark's Scala code throws its checked SparkException undeclared
            if (e instanceof IllegalArgumentException known) {
                throw known;
            }
            throw new IllegalArgumentException(taskMessage(e), e);
        }
        List<String> merge = new ArrayList<>(List.of("eval"));
        merge.addAll(evalArgs);
        merge.addAll(List.of("--merge", dir.toString()));
        CommandLine cli = Pfgm.commandLine();
        cli.setErr(spec.commandLine().getErr());
        return cli.execute(merge.toArray(String[]::new));
    }

    /** The options with --workdir's path made absolute: an executor's working directory is not the driver's. */
    static List<String> absoluteWorkdir(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).equals("--workdir") && i + 1 < out.size()) {
                out.set(i + 1, Path.of(out.get(i + 1)).toAbsolutePath().toString());
            } else if (out.get(i).startsWith("--workdir=")) {
                out.set(i, "--workdir=" + Path.of(out.get(i).substring("--workdir=".length())).toAbsolutePath());
            }
        }
        return out;
    }

    /** A failed task's one-line message, however Spark wrapped it. */
    static String taskMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShardTask.ShardFailed) {
                return t.getMessage();
            }
        }
        String text = String.valueOf(e.getMessage());
        int at = text.indexOf(ShardTask.ShardFailed.class.getName() + ": ");
        return at < 0 ? text.lines().findFirst().orElse(text)
                : text.substring(at + ShardTask.ShardFailed.class.getName().length() + 2).lines().findFirst().orElse("");
    }
}
