package pfgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pfgm.cli.PfgmCommandTest.expectError;
import static pfgm.cli.PfgmCommandTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.PfgmProcess;

/** pfgm train and pfgm bench train on several devices: --devices, PFGM_DEVICES, and their bad input. */
class TrainDevicesTest {
    static final String[] TOY = {"--preset", "toy2d", "--set", "snapshotEvery=0"};

    @TempDir
    Path dir;

    static String[] args(String... more) {
        String[] all = java.util.Arrays.copyOf(TOY, TOY.length + more.length);
        System.arraycopy(more, 0, all, TOY.length, more.length);
        return all;
    }

    /** Two replicas train a run; one device resumes it (the device count is no setting of the run). */
    @Test
    void trainOnTwoReplicasThenResumeOnOne() {
        String workdir = dir.resolve("toy").toString();
        PfgmCommandTest.Run two = run(prepend("train", args("--workdir", workdir, "--steps", "3", "--devices", "cpu,cpu")));
        assertEquals(0, two.exitCode(), two.err());
        assertTrue(two.out().contains("a replica on each of [cpu(), cpu()]"), two.out());
        PfgmCommandTest.Run one = run(prepend("train", args("--workdir", workdir, "--steps", "5", "--device", "cpu")));
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().contains("step 3 of 5") && !one.out().contains("replica"), one.out());
    }

    @Test
    void benchTrainTimesReplicas() {
        PfgmCommandTest.Run bench = run(prepend("bench", prepend("train", args("--steps", "2", "--devices", "cpu,cpu"))));
        assertEquals(0, bench.exitCode(), bench.err());
        assertTrue(bench.out().contains("2 replicas"), bench.out());
    }

    @Test
    void badDeviceListsEndWithOneClearMessage() {
        String workdir = dir.resolve("bad").toString();
        expectError(run(prepend("train", args("--workdir", workdir, "--device", "cpu", "--devices", "cpu,cpu"))),
                "--device cpu and --devices cpu,cpu both say where to train");
        expectError(run(prepend("train", args("--workdir", workdir, "--devices", "cpu,tpu"))), "unknown device 'tpu'");
        expectError(run(prepend("train", args("--workdir", workdir, "--set", "smallBatchSize=2", "--devices", "cpu,cpu,cpu"))),
                "has 2 rows: each replica needs at least one");
    }

    /** PFGM_DEVICES is what pfgm train uses when neither --device nor --devices is given; --device beats it. */
    @Test
    void theEnvironmentVariableSetsTheDevicesUnlessTheCommandLineDoes() throws Exception {
        String workdir = dir.resolve("env").toString();
        String fromEnvironment = train(dir.resolve("env.log"), "--workdir", workdir, "--steps", "2");
        assertTrue(fromEnvironment.contains("a replica on each of [cpu(), cpu()]"), fromEnvironment);
        String given = train(dir.resolve("given.log"), "--workdir", workdir, "--steps", "3", "--device", "cpu");
        assertTrue(given.contains("step 2 of 3") && !given.contains("replica"), given);
    }

    /** pfgm train in a process of its own with PFGM_DEVICES=cpu,cpu; its output. */
    private static String train(Path log, String... more) throws Exception {
        Process process = PfgmProcess.start(log, Map.of("PFGM_DEVICES", "cpu,cpu"), prepend("train", args(more)));
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "pfgm train did not end");
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
