package pfgm.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.resource.ResourceInformation;
import pfgm.cli.Pfgm;
import pfgm.util.Threads;

/**
 * One Spark task: draws shard k of K as {@code pfgm eval ... --shard k/K --shard-out DIR} does,
 * in the executor's JVM, on the GPU Spark's resource scheduling gave the task, or on the CPU when
 * it gave none (local mode has no GPU resources).
 */
final class ShardTask implements VoidFunction<Integer> {
    private static final long serialVersionUID = 1L;
    private final List<String> evalArgs;
    private final int count;
    private final String shardDir;

    ShardTask(List<String> evalArgs, int count, String shardDir) {
        this.evalArgs = new ArrayList<>(evalArgs);
        this.count = count;
        this.shardDir = shardDir;
    }

    @Override
    public void call(Integer index) {
        // Before the first task of this JVM loads PyTorch: as many threads as Spark gives a task
        // (spark.task.cpus; several tasks share an executor's cores), and no downloads.
        if (System.getProperty(Threads.PROPERTY) == null) {
            System.setProperty(Threads.PROPERTY, Integer.toString(TaskContext.get().cpus()));
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        List<String> args = new ArrayList<>(List.of("eval"));
        args.addAll(evalArgs);
        String device = device(TaskContext.get().resourcesJMap());
        args.addAll(List.of("--shard", index + "/" + count, "--shard-out", shardDir, "--device", device));
        System.out.println("pfgm-spark: shard " + index + "/" + count + " on " + device); // in the executor's log
        var cli = Pfgm.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        if (cli.execute(args.toArray(String[]::new)) != 0) {
            throw new ShardFailed("shard " + index + "/" + count + ": " + err.toString().strip().replaceFirst("^pfgm: error: ", ""));
        }
    }

    /** The task's GPU ("gpu:N", N the address Spark's discovery script gave) or "cpu" when it has none. */
    static String device(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? "cpu" : "gpu:" + gpu.addresses()[0];
    }

    /** A shard's command failed: its one-line message, carried to the driver. */
    static final class ShardFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShardFailed(String message) {
            super(message);
        }
    }
}
