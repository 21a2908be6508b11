package dev.ravine.data;

import dev.ravine.io.InvalidUtf8;
import dev.ravine.io.IoProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a numeric CSV file with a header row into a {@link Dataset}: one column (named by the caller) is the label
 * or target, every other column is a feature, so samples have shape {@code [numFeatures]}.
 *
 * <p>{@link #read} decides the task from the label values: when every one is a non-negative integer written without
 * a decimal point the set is a classification set with {@code numClasses = max + 1}, otherwise a regression set with
 * target shape {@code [1]}. Whole-number regression targets (prices, counts) would be taken for classes, so
 * {@link #readRegression} forces regression.
 *
 * <p>The parser is the small subset of RFC 4180 that numeric data needs: comma separators, fields optionally in
 * double quotes with {@code ""} for a quote inside, no line breaks inside fields. Blank lines are skipped. NaN and
 * Infinity are read as such so that {@link DataChecks#requireFinite} can report them; an empty field is an error.
 */
public final class CsvReader {
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:nan|inf|infinity)");
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\+?\\d{1,9}");

    private CsvReader() {}

    /** Reads {@code file}, taking {@code labelColumn} as class labels if they are all non-negative integers. */
    public static Dataset read(Path file, String labelColumn) {
        return new Parse(file, labelColumn).run(false);
    }

    /** Reads {@code file} as a regression set whose target (shape [1]) is {@code targetColumn}, whatever its values. */
    public static Dataset readRegression(Path file, String targetColumn) {
        return new Parse(file, targetColumn).run(true);
    }

    /** Parses text that matched {@link #NUMBER}; Java's own parser spells the special values only as NaN and Infinity. */
    static float toFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("nan")) return Float.NaN;
        if (unsigned.startsWith("inf")) return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        return Float.parseFloat(text);
    }

    /** The state of reading one file: where we are, for messages, and what has been read so far. */
    private static final class Parse {
        private final Path file;
        private final String labelColumn;
        private List<String> columns;
        private int labelIndex;
        private int lineNumber;
        private float[] features = new float[1024];
        private int featureCount;
        private final List<String> labelTexts = new ArrayList<>();

        Parse(Path file, String labelColumn) {
            this.file = file;
            this.labelColumn = labelColumn;
        }

        Dataset run(boolean forceRegression) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                readHeader(in);
                String line;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (!line.isBlank()) readRow(line);
                }
            } catch (NoSuchFileException e) {
                throw new DataFormatException("CSV file " + file + " does not exist; check the path");
            } catch (CharacterCodingException e) {
                throw notUtf8();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CSV file " + file + ": " + IoProblem.describe(e), e);
            }
            if (labelTexts.isEmpty()) {
                throw new DataFormatException("CSV file " + file + " has a header but no data rows; add rows below the header");
            }
            return build(forceRegression);
        }

        /** The decoder stops somewhere in the buffer ahead of the line read last; the file is scanned again to say where. */
        private DataFormatException notUtf8() {
            String where;
            try {
                InvalidUtf8 bad = InvalidUtf8.locate(file);
                where = bad == null ? "" : " at " + bad.describe();
            } catch (IOException e) {
                where = "";
            }
            return new DataFormatException("CSV file " + file + " is not UTF-8 text" + where + "; save it as UTF-8 (in a "
                    + "spreadsheet: CSV UTF-8), or convert it, e.g. iconv -f latin1 -t utf-8");
        }

        private void readHeader(BufferedReader in) throws IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
                if (line == null) {
                    throw new DataFormatException("CSV file " + file + " is empty; it needs a header row naming the "
                            + "columns, then one row of numbers per sample");
                }
            } while (line.isBlank());
            // Editors on Windows often start UTF-8 files with a byte order mark, which would stick to the first name.
            if (line.charAt(0) == '\uFEFF') line = line.substring(1);
            columns = fields(line).stream().map(String::trim).toList();
            requireDistinctNames();
            labelIndex = columns.indexOf(labelColumn);
            if (labelIndex < 0 && columns.size() == 1) requireCommas(columns.getFirst());
            if (labelIndex < 0) {
                throw new DataFormatException("CSV file " + file + " has no column '" + labelColumn + "'; its columns are: "
                        + String.join(", ", columns) + "; pass one of these as the label column");
            }
            if (columns.size() < 2) {
                throw new DataFormatException("CSV file " + file + " has only the label column '" + labelColumn
                        + "'; it needs at least one feature column besides it");
            }
        }

        /**
         * A header read as one column that holds semicolons or tabs is a file separated by them (spreadsheets in
         * locales with a decimal comma save CSV with ';'): said so, instead of "no column named ...".
         */
        private void requireCommas(String header) {
            String separator = header.contains(";") ? "';'" : header.contains("\t") ? "tabs" : null;
            if (separator == null) return;
            throw new DataFormatException("CSV file " + file + " line " + lineNumber + " looks separated by " + separator
                    + ", not commas: its header reads as the single column '" + header.replace("\t", "\\t") + "'; save it comma-separated"
                    + " with decimal points (in a spreadsheet: CSV UTF-8, with '.' as the decimal separator)");
        }

        private void requireDistinctNames() {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.indexOf(columns.get(i)) != i) {
                    throw new DataFormatException("CSV file " + file + " line " + lineNumber + ": column name '"
                            + columns.get(i) + "' appears twice in the header; rename one of them");
                }
            }
        }

        private void readRow(String line) {
            List<String> values = fields(line);
            if (values.size() != columns.size()) {
                throw new DataFormatException("CSV file " + file + " line " + lineNumber + " has " + values.size()
                        + " fields but the header has " + columns.size() + " columns; check for a missing value or an "
                        + "unquoted comma");
            }
            for (int c = 0; c < values.size(); c++) {
                String text = values.get(c).trim();
                requireNumber(text, c);
                if (c == labelIndex) labelTexts.add(text);
                else appendFeature(toFloat(text));
            }
        }

        private void requireNumber(String text, int column) {
            if (text.isEmpty()) {
                throw new DataFormatException(where(column) + ": the value is empty; fill in or drop rows with missing "
                        + "values");
            }
            if (!NUMBER.matcher(text).matches()) {
                throw new DataFormatException(where(column) + ": '" + text + "' is not a number; all columns must be "
                        + "numeric (encode categories as numbers first)");
            }
        }

        private String where(int column) {
            return "CSV file " + file + " line " + lineNumber + ", column '" + columns.get(column) + "'";
        }

        private void appendFeature(float value) {
            if (featureCount == features.length) features = Arrays.copyOf(features, features.length * 2);
            features[featureCount++] = value;
        }

        /**
         * Splits a line at the commas outside double quotes; in a quoted field {@code ""} stands for one quote, and
         * spaces around the quotes are dropped.
         */
        private List<String> fields(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int i = 0;
            while (true) {
                int start = skipSpaces(line, i);
                if (start < line.length() && line.charAt(start) == '"') {
                    i = readQuoted(line, start + 1, field);
                } else {
                    while (i < line.length() && line.charAt(i) != ',') field.append(line.charAt(i++));
                }
                out.add(field.toString());
                field.setLength(0);
                if (i >= line.length()) return out;
                i++; // the comma
            }
        }

        private static int skipSpaces(String line, int i) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            return i;
        }

        /** Reads a quoted field's content starting after its opening quote; returns the index after the closing one. */
        private int readQuoted(String line, int i, StringBuilder field) {
            while (i < line.length()) {
                char ch = line.charAt(i);
                if (ch != '"') {
                    field.append(ch);
                    i++;
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                } else {
                    int after = skipSpaces(line, i + 1);
                    if (after < line.length() && line.charAt(after) != ',') {
                        throw new DataFormatException("CSV file " + file + " line " + lineNumber + ": text after the "
                                + "closing quote of field " + field + "; quote the whole field or escape quotes as \"\"");
                    }
                    return after;
                }
            }
            throw new DataFormatException("CSV file " + file + " line " + lineNumber + ": a quoted field is not closed; "
                    + "add the closing quote (fields cannot span lines)");
        }

        private Dataset build(boolean forceRegression) {
            int n = labelTexts.size();
            float[] x = Arrays.copyOf(features, featureCount);
            int[] sampleShape = {columns.size() - 1};
            if (!forceRegression && allNonNegativeIntegers()) {
                int[] labels = new int[n];
                int max = 0;
                for (int i = 0; i < n; i++) {
                    labels[i] = Integer.parseInt(labelTexts.get(i));
                    max = Math.max(max, labels[i]);
                }
                return Dataset.classification(x, sampleShape, labels, max + 1);
            }
            float[] targets = new float[n];
            for (int i = 0; i < n; i++) targets[i] = toFloat(labelTexts.get(i));
            return Dataset.regression(x, sampleShape, targets, new int[] {1});
        }

        private boolean allNonNegativeIntegers() {
            for (String text : labelTexts) {
                if (!NON_NEGATIVE_INTEGER.matcher(text).matches()) return false;
            }
            return true;
        }
    }
}
