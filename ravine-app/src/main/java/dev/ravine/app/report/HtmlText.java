package dev.ravine.app.report;

/**
 * Escaping for text taken from a run (titles, evidence, layer names, config values) before it goes into the report's
 * HTML: a finding or a config name must never become markup or script.
 */
public final class HtmlText {
    private HtmlText() {}

    /** Text content or a quoted attribute value. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON placed inside {@code <script type="application/json">}: the only way out of such an element is a closing
     * tag or a comment opener, so every {@code <} (and the line separators some parsers reject) becomes a JSON escape.
     */
    public static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
