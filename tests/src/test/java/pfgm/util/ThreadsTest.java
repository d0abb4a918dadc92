package pfgm.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pfgm.PfgmProcess;

/** The thread default (physical cores) and omp-wait's choice of OpenMP's wait policy. */
class ThreadsTest {
    @TempDir
    Path dir;

    @Test
    void cpuListsParseAsLinuxWritesThem() {
        assertEquals(Set.of(0, 1, 2, 3, 8, 10, 11), Threads.parseList("0-3,8,10-11\n"));
        assertEquals(Set.of(5), Threads.parseList("5"));
    }

    /** Four hardware threads on two cores (siblings 0,2 and 1,3, as Intel numbers them): two cores, one if allowed only 0 and 2. */
    @Test
    void hardwareThreadsOfOneCoreCountOnce() throws IOException {
        String[] siblings = {"0,2", "1,3", "0,2", "1,3"};
        for (int cpu = 0; cpu < siblings.length; cpu++) {
            Path topology = Files.createDirectories(dir.resolve("cpu" + cpu).resolve("topology"));
            Files.writeString(topology.resolve("core_cpus_list"), siblings[cpu] + "\n");
        }
        assertEquals(2, Threads.physicalCores(dir, Set.of(0, 1, 2, 3)));
        assertEquals(1, Threads.physicalCores(dir, Set.of(0, 2)));
        assertEquals(2, Threads.physicalCores(dir, Set.of(2, 3)));
    }

    /** On this machine, against /proc/cpuinfo's (physical id, core id) pairs where Linux lists them. */
    @Test
    void thisMachinesCoresMatchCpuinfo() throws IOException {
        int cores = Threads.physicalCores();
        assertTrue(cores >= 1 && cores <= Runtime.getRuntime().availableProcessors(), "cores " + cores);
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains("core id")) {
            Set<String> pairs = new HashSet<>();
            String physical = "0";
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("physical id")) {
                    physical = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("core id")) {
                    pairs.add(physical + "/" + line.substring(line.indexOf(':') + 1).strip());
                }
            }
            assertEquals(Math.min(pairs.size(), Runtime.getRuntime().availableProcessors()), cores);
        }
    }

    @Test
    void aPolicyTheCallerSetIsKept() throws Exception {
        assertEquals("ACTIVE", policyChosen("ACTIVE"));
    }

    /** Every core kept busy by this JVM while omp-wait looks: idle OpenMP threads must sleep. */
    @Test
    void busyCoresMakeIdleThreadsSleep() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new java.util.ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            });
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        try {
            assertEquals("PASSIVE", policyChosen(null));
        } finally {
            stop.set(true);
        }
    }

    /** OMP_WAIT_POLICY as omp-wait leaves it for its command ("" when unset), given the caller's value. */
    private static String policyChosen(String callers) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(PfgmProcess.ROOT.resolve("environment/bin/omp-wait").toString(),
                "sh", "-c", "printf '%s' \"$OMP_WAIT_POLICY\"");
        builder.environment().remove("OMP_WAIT_POLICY");
        if (callers != null) {
            builder.environment().put("OMP_WAIT_POLICY", callers);
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out;
    }
}
