package dev.ravine.app.compare;

import java.util.ArrayList;
import java.util.List;

/** Rows of text cells printed as left-aligned columns two spaces apart, the first row as the heading. */
public final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable row(List<String> cells) {
        rows.add(cells.stream().map(c -> c == null ? "-" : c).toList());
        return this;
    }

    /** The table, each line starting with {@code indent}, trailing spaces trimmed. */
    public String render(String indent) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) line.append(" ".repeat(width[i] - r.get(i).length() + 2));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
