package pfgm.bench;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import pfgm.run.RunSettings;
import pfgm.sampling.Solver;
import pfgm.train.Trainer.StepTimes;
import pfgm.util.Threads;

/**
 * The kit's side of {@link ThreadsBenchmark}, in a process of its own so that its threads and
 * OpenMP wait policy are the ones the parent put in its environment: the network part of a
 * training step and a field evaluation when sampling, printed as one JSON line.
 *
 * <p>Arguments: steps, preset, then {@code key=value} settings.
 */
public final class StepProbe {
    private StepProbe() {}

    public static void main(String[] args) throws Exception {
        Threads.useDefault();
        int steps = Integer.parseInt(args[0]);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        RunSettings settings = new RunSettings(args[1], overrides);
        Device cpu = Device.cpu(); // cpu: this probe times CPU threads against PyTorch eager on the CPU
        TrainBenchmark.Result train = new TrainBenchmark(settings, steps, cpu, true).measure();
        int batch = train.preset().train().smallBatchSize();
        SamplingBenchmark.Result sample = new SamplingBenchmark(settings,
                settings.resolve().sampling().withSolver(Solver.EULER, 20), batch, 3, cpu).run();
        JsonObject out = new JsonObject();
        out.addProperty("threads", Threads.current());
        out.addProperty("wait", Threads.waitPolicy());
        out.addProperty("batch", batch);
        out.addProperty("train_ms", train.median(StepTimes::network));
        out.addProperty("sample_ms", sample.perNfeMillis());
        out.addProperty("forward_ms", sample.forwardMillis());
        System.out.println(out);
    }
}
