package dev.ravine.app.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shortens what a message quotes from its input: a value of a million characters quoted whole buries the message
 * (and the terminal). Applied to every configuration problem, so no message site has to remember it.
 */
public final class QuotedValues {
    /** Longer quoted values are cut to their start, with their length said. */
    static final int LONGEST = 200;
    private static final int KEPT = 60;
    private static final Pattern LONG_QUOTE = Pattern.compile("'([^'\\n]{" + (LONGEST + 1) + ",})'");

    private QuotedValues() {}

    /** {@code message} with every quoted value longer than {@value #LONGEST} characters cut. */
    public static String inMessage(String message) {
        if (message == null || message.length() <= LONGEST) return message;
        Matcher m = LONG_QUOTE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement("'" + shorten(m.group(1)) + "'"));
        m.appendTail(out);
        return out.toString();
    }

    /** A value to quote: itself when short, else its start and its length. */
    public static String shorten(String value) {
        if (value.length() <= LONGEST) return value;
        return value.substring(0, KEPT) + "... (" + value.length() + " characters in all)";
    }
}
