package pfgm.kernel;

import java.nio.file.Path;

/**
 * Code the kernel runs, named as the notebook shows it ("cell [3]") or by the file it came from
 * (a file {@code %load} runs), to say where in it something is.
 */
record CellText(String name, String code) {
    static CellText cell(int number, String code) {
        return new CellText("cell [" + number + "]", code);
    }

    static CellText file(Path file, String code) {
        return new CellText(file.toString(), code);
    }

    /** The same source with other code (its magic lines blanked, say): locations keep their name. */
    CellText withCode(String newCode) {
        return new CellText(name, newCode);
    }

    /** The 1-based line that holds the character at {@code offset}. */
    int lineAt(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 0-based column of {@code offset} in its line. */
    int columnAt(int offset) {
        return offset - (code.lastIndexOf('\n', offset - 1) + 1);
    }

    String line(int number) {
        return code.lines().skip(number - 1L).findFirst().orElse("");
    }

    String where(int line) {
        return name + ", line " + line;
    }
}
