package pfgm.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A PyTorch profiler trace (Chrome trace events, as DJL's {@code JniUtils.stopProfile} and
 * torch.autograd.profiler write them) summed up per step: how many operators were called from
 * outside any other (the native calls a step makes, the autograd engine's included), how many in
 * all, and each operator's self time (its time minus that of the operators it called).
 */
public record TraceSummary(double spanMillis, long topLevelCalls, long allCalls, double topLevelMillis,
        Map<String, double[]> selfMillisAndCalls) {

    private record Event(String name, double start, double duration, String thread) {}

    /** Reads {@code trace}; per-step numbers divide by {@code steps}. */
    public static TraceSummary read(Path trace, int steps) throws IOException {
        JsonElement root;
        try (Reader in = Files.newBufferedReader(trace)) {
            root = JsonParser.parseReader(in);
        }
        JsonArray array = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, List<Event>> byThread = new HashMap<>();
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur") || !"X".equals(o.get("ph").getAsString())) {
                continue;
            }
            Event event = new Event(o.get("name").getAsString(), o.get("ts").getAsDouble(), o.get("dur").getAsDouble(),
                    String.valueOf(o.get("tid")));
            byThread.computeIfAbsent(event.thread(), t -> new ArrayList<>()).add(event);
        }
        Map<String, double[]> self = new HashMap<>();
        long top = 0;
        long all = 0;
        double topMicros = 0;
        double span = 0;
        for (List<Event> events : byThread.values()) {
            events.sort(Comparator.comparingDouble(Event::start).thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
            List<Event> stack = new ArrayList<>();
            Map<Event, Double> children = new HashMap<>();
            double first = Double.MAX_VALUE;
            double last = 0;
            for (Event e : events) {
                while (!stack.isEmpty() && stack.get(stack.size() - 1).start() + stack.get(stack.size() - 1).duration() <= e.start()) {
                    stack.remove(stack.size() - 1);
                }
                if (stack.isEmpty()) {
                    top++;
                    topMicros += e.duration();
                } else {
                    children.merge(stack.get(stack.size() - 1), e.duration(), Double::sum);
                }
                stack.add(e);
                first = Math.min(first, e.start());
                last = Math.max(last, e.start() + e.duration());
            }
            for (Event e : events) {
                double[] entry = self.computeIfAbsent(e.name(), n -> new double[2]);
                entry[0] += (e.duration() - children.getOrDefault(e, 0.0)) / 1000 / steps;
                entry[1] += 1.0 / steps;
            }
            all += events.size();
            span = Math.max(span, last - first);
        }
        return new TraceSummary(span / 1000 / steps, top / steps, all / steps, topMicros / 1000 / steps, self);
    }

    /** The {@code rows} operators with the most self time, per step. */
    public Table table(int rows) {
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(selfMillisAndCalls.entrySet());
        sorted.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed());
        sorted = sorted.subList(0, Math.min(rows, sorted.size()));
        return Table.create(String.format(Locale.ROOT, "per step: %.1f ms traced, %d top-level operator calls (%.1f ms), "
                        + "%d operator calls in all", spanMillis, topLevelCalls, topLevelMillis, allCalls),
                StringColumn.create("operator", sorted.stream().map(Map.Entry::getKey).toList()),
                DoubleColumn.create("self ms", sorted.stream().mapToDouble(e -> TrainBenchmark.round(e.getValue()[0])).toArray()),
                DoubleColumn.create("calls", sorted.stream().mapToDouble(e -> Math.round(e.getValue()[1])).toArray()));
    }
}
