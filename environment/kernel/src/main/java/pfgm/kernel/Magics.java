package pfgm.kernel;

import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kernel's line magics: lines starting with % at the top of a cell, run in order before the
 * cell's Java. Only the top of a cell counts: further down, a line may begin with Java's %
 * operator. Also what completion and inspection offer on those lines, and %lsmagic's listing.
 */
final class Magics {
    /** What the magic lines of a cell left: the cell with them blanked, and the last one's value. */
    record Ran(CellText java, Optional<Object> value) {}

    private final List<Magic> magics = new ArrayList<>();
    private final Map<String, Magic> byName = new LinkedHashMap<>();

    Magics(List<Magic> kernelMagics) {
        kernelMagics.forEach(this::register);
        register(new ListMagics());
        magics.sort((a, b) -> a.names().get(0).compareTo(b.names().get(0)));
    }

    private void register(Magic magic) {
        magics.add(magic);
        magic.names().forEach(name -> byName.put(name, magic));
    }

    /** Runs the cell's magic lines; the cell comes back with them blanked, so offsets and line numbers stay. */
    Ran run(CellText cell) throws CellError {
        String code = cell.code();
        Optional<Object> value = Optional.empty();
        for (int start : magicLineStarts(code)) {
            MagicLine line = MagicLine.parse(lineAt(code, start));
            Magic magic = byName.get(line.name());
            int lineNumber = cell.lineAt(start);
            if (magic == null) {
                throw new MagicException("unknown magic %" + line.name() + " (the kernel knows " + knownNames()
                        + "; %lsmagic lists them)").at(cell, lineNumber);
            }
            try {
                value = magic.run(line.arguments());
            } catch (MagicException e) {
                throw e.at(cell, lineNumber);
            }
        }
        return new Ran(cell.withCode(blank(code)), value);
    }

    /** Magic names for Tab after the % of a magic line, or empty when the cursor is not there. */
    Optional<ReplacementOptions> complete(String code, int cursor) {
        return magicLineAt(code, cursor).flatMap(start -> {
            String typed = code.substring(start, cursor);
            int percent = typed.indexOf('%');
            if (percent < 0) {
                return Optional.empty(); // before the %
            }
            String prefix = typed.substring(percent + 1);
            if (!typed.substring(0, percent).isBlank() || !prefix.chars().allMatch(Character::isLetterOrDigit)) {
                return Optional.empty(); // past the name: the arguments are not completed
            }
            List<String> names = byName.keySet().stream().filter(name -> name.startsWith(prefix)).sorted().map(name -> "%" + name).toList();
            return Optional.of(new ReplacementOptions(names, start + percent, cursor));
        });
    }

    /** What Shift-Tab on a magic line shows: the magic's usage and summary. */
    Optional<String> describe(String code, int cursor) {
        return magicLineAt(code, cursor)
                .map(start -> byName.get(MagicLine.parse(lineAt(code, start)).name()))
                .map(magic -> magic.usage() + "\n" + magic.summary());
    }

    /** The code with its magic lines replaced by spaces, without running them. */
    static String blank(String code) {
        StringBuilder blanked = new StringBuilder(code);
        for (int start : magicLineStarts(code)) {
            for (int i = start; i < start + lineAt(code, start).length(); i++) {
                blanked.setCharAt(i, ' ');
            }
        }
        return blanked.toString();
    }

    private String knownNames() {
        return byName.keySet().stream().sorted().map(name -> "%" + name).collect(Collectors.joining(", "));
    }

    /** The start of the magic line that holds {@code cursor}, if it is in one. */
    private static Optional<Integer> magicLineAt(String code, int cursor) {
        return magicLineStarts(code).stream()
                .filter(start -> start <= cursor && cursor <= start + lineAt(code, start).length())
                .findFirst();
    }

    /** Offsets of the magic lines: those starting with % before the first line of Java. */
    private static List<Integer> magicLineStarts(String code) {
        List<Integer> starts = new ArrayList<>();
        for (int start = 0; start < code.length(); ) {
            String line = lineAt(code, start);
            if (line.strip().startsWith("%")) {
                starts.add(start);
            } else if (!line.isBlank()) {
                break;
            }
            start += line.length() + 1;
        }
        return starts;
    }

    private static String lineAt(String code, int start) {
        int end = code.indexOf('\n', start);
        return code.substring(start, end < 0 ? code.length() : end);
    }

    /** "%name arguments": the name, and the rest of the line stripped. */
    private record MagicLine(String name, String arguments) {
        static MagicLine parse(String line) {
            String text = line.strip().substring(1).strip();
            int space = 0;
            while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
                space++;
            }
            return new MagicLine(text.substring(0, space), text.substring(space).strip());
        }
    }

    /** {@code %lsmagic}: the magics, one line each. */
    private final class ListMagics implements Magic {
        @Override
        public List<String> names() {
            return List.of("lsmagic");
        }

        @Override
        public String usage() {
            return "%lsmagic";
        }

        @Override
        public String summary() {
            return "lists the magics, one line each";
        }

        @Override
        public Optional<Object> run(String arguments) throws MagicException {
            if (!arguments.isEmpty()) {
                throw new MagicException("%lsmagic takes no arguments");
            }
            int width = magics.stream().mapToInt(magic -> magic.usage().length()).max().orElse(0);
            return Optional.of(magics.stream()
                    .map(magic -> String.format("%-" + width + "s  %s", magic.usage(), magic.summary()))
                    .collect(Collectors.joining("\n")));
        }
    }
}
