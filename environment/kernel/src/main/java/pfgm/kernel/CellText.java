package pfgm.kernel;

/** A cell's code, numbered as the notebook shows it ([3]), to say where in it something is. */
record CellText(int number, String code) {
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
        return "cell [" + number + "], line " + line;
    }
}
