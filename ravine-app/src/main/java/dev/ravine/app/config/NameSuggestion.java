package dev.ravine.app.config;

import java.util.Collection;
import java.util.Locale;

/** The valid name closest to a misspelled one, by Levenshtein edit distance, when it is close enough to be a typo. */
public final class NameSuggestion {
    private NameSuggestion() {}

    /** The closest of {@code valid} to {@code given}, or null when none is within a typo's distance. */
    public static String closest(String given, Collection<String> valid) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int d = distance(g, v.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = v;
                bestDistance = d;
            }
        }
        // A typo changes a few characters; beyond a third of the word it is another word.
        int allowed = Math.max(2, g.length() / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }

    /** " did you mean 'epochs'?" or the empty string. */
    public static String hint(String given, Collection<String> valid) {
        String c = closest(given, valid);
        return c == null ? "" : " did you mean '" + c + "'?";
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1 (two-row dynamic programme). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
