package pfgm.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A doc comment as a tooltip shows it: plain text, inline tags read out, HTML dropped. */
final class JavadocText {
    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@\\w+");
    private static final Pattern PARAGRAPH = Pattern.compile("(?i)<p\\s*/?>|</p>|\\n\\s*\\n");
    private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
    /** Javadoc's rule: the first sentence ends at a period followed by white space. */
    private static final Pattern SENTENCE_END = Pattern.compile("\\.(\\s|$)");

    private JavadocText() {}

    /** The first sentence of the main description, or "" when there is none. */
    static String firstSentence(String javadoc) {
        String description = mainDescription(javadoc);
        String first = PARAGRAPH.split(description, 2)[0];
        String plain = plain(first);
        Matcher end = SENTENCE_END.matcher(plain);
        return end.find() ? plain.substring(0, end.start() + 1) : plain;
    }

    /** The main description and the block tags (@param, @return, ...), each paragraph and tag on its own line. */
    static String whole(String javadoc) {
        StringBuilder text = new StringBuilder();
        for (String paragraph : PARAGRAPH.split(mainDescription(javadoc))) {
            String plain = plain(paragraph);
            if (!plain.isEmpty()) {
                text.append(plain).append('\n');
            }
        }
        Matcher tag = BLOCK_TAG.matcher(javadoc);
        if (tag.find()) {
            for (String block : javadoc.substring(tag.start()).strip().split("(?m)\\n(?=\\s*@\\w)")) {
                text.append(plain(block)).append('\n');
            }
        }
        return text.toString().strip();
    }

    private static String mainDescription(String javadoc) {
        Matcher tag = BLOCK_TAG.matcher(javadoc);
        return tag.find() ? javadoc.substring(0, tag.start()) : javadoc;
    }

    /** Inline tags read out ({@code x} is x, {@link A#b label} is label), HTML dropped, white space collapsed. */
    private static String plain(String text) {
        String read = HTML_TAG.matcher(readInlineTags(text)).replaceAll("");
        read = read.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        return read.replaceAll("\\s+", " ").strip();
    }

    private static String readInlineTags(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{@", i);
            if (open < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, open);
            int close = matchingBrace(text, open);
            if (close < 0) {
                out.append(text, open, text.length());
                break;
            }
            out.append(readTag(text.substring(open + 2, close)));
            i = close + 1;
        }
        return out.toString();
    }

    /** The closing brace of the tag opened at {@code open}; {@code Map<K, {V}>} in code has braces of its own. */
    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String readTag(String tag) {
        String[] parts = tag.strip().split("\\s+", 2);
        String name = parts[0];
        String body = parts.length > 1 ? parts[1].strip() : "";
        switch (name) {
            case "link", "linkplain", "see": {
                String[] target = body.split("\\s+", 2);
                if (target.length > 1) {
                    return target[1]; // the label
                }
                return target[0].startsWith("#") ? target[0].substring(1) : target[0].replace('#', '.');
            }
            case "inheritDoc":
                return "";
            default: // code, literal, value, and tags a tooltip has no better reading of
                return body;
        }
    }
}
