package dev.ravine.data;

import static dev.ravine.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("people.csv"), content);
    }

    @Test
    void integerLabelsMakeAClassificationSet() throws IOException {
        Path file = csv("age,class,height\n30,1,1.80\n41,0,1.65\n\n25,2,1.7e0\n");
        Dataset d = CsvReader.read(file, "class");
        assertTrue(d.isClassification());
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {2}, d.sampleShape());
        assertArrayEquals(new int[] {1, 0, 2}, d.labels());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new float[] {30, 1.80f, 41, 1.65f, 25, 1.7f}, d.features());
    }

    @Test
    void fractionalOrNegativeTargetsMakeARegressionSet() throws IOException {
        Dataset d = CsvReader.read(csv("x,y\n1,0.5\n2,-3\n"), "y");
        assertFalse(d.isClassification());
        assertArrayEquals(new int[] {1}, d.targetShape());
        assertArrayEquals(new float[] {0.5f, -3f}, d.targets());
        assertArrayEquals(new float[] {1, 2}, d.features());
    }

    @Test
    void readRegressionKeepsWholeNumberTargetsAsFloats() throws IOException {
        Dataset d = CsvReader.readRegression(csv("rooms,price\n3,250000\n2,180000\n"), "price");
        assertFalse(d.isClassification());
        assertArrayEquals(new float[] {250000f, 180000f}, d.targets());
    }

    @Test
    void quotedFieldsByteOrderMarkAndSpacesAreHandled() throws IOException {
        Path file = csv("\uFEFF\"a\",\"the \"\"label\"\"\", b\n \"1.5\" ,0, 2\n");
        Dataset d = CsvReader.read(file, "the \"label\"");
        assertArrayEquals(new float[] {1.5f, 2f}, d.features());
        assertArrayEquals(new int[] {0}, d.labels());
    }

    @Test
    void nanAndInfinityAreReadForDataChecksToReport() throws IOException {
        Dataset d = CsvReader.read(csv("a,b,y\nNaN,-inf,1\n"), "y");
        assertTrue(Float.isNaN(d.features()[0]));
        assertEquals(Float.NEGATIVE_INFINITY, d.features()[1]);
    }

    @Test
    void aSemicolonOrTabSeparatedFileIsNamedAsSuch() throws IOException {
        DataFormatException semicolons = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a;b;y\n1,5;2;0\n"), "y"));
        assertTrue(semicolons.getMessage().contains("looks separated by ';'") && semicolons.getMessage().contains("line 1"),
                semicolons.getMessage());
        DataFormatException tabs = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a\tb\ty\n1\t2\t0\n"), "y"));
        assertTrue(tabs.getMessage().contains("looks separated by tabs"), tabs.getMessage());
        DataFormatException named = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,b,z\n1,2,0\n"), "y"));
        assertTrue(named.getMessage().contains("has no column 'y'"), named.getMessage());
    }

    @Test
    void nonNumericValueNamesFileLineAndColumn() throws IOException {
        Path file = csv("id,age,y\n1,20,0\n2,abc,1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "people.csv", "line 3, column 'age': 'abc' is not a number");
    }

    @Test
    void javaOnlyNumberSpellingsAreNotNumbers() throws IOException {
        Path file = csv("a,y\n1f,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "line 2, column 'a': '1f' is not a number");
    }

    @Test
    void emptyValueIsReported() throws IOException {
        Path file = csv("a,b,y\n1,,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "line 2, column 'b'", "empty", "missing values");
    }

    @Test
    void wrongFieldCountGivesBothCounts() throws IOException {
        Path file = csv("a,b,y\n1,2,0\n1,2,3,4\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "people.csv", "line 3 has 4 fields", "header has 3 columns");
    }

    @Test
    void unknownLabelColumnListsTheColumns() throws IOException {
        Path file = csv("sepal,petal,species\n1,2,0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "label"));
        assertContains(e, "no column 'label'", "sepal, petal, species");
    }

    @Test
    void emptyFileAndHeaderOnlyAreReported() throws IOException {
        Path empty = csv("\n  \n");
        assertContains(assertThrows(DataFormatException.class, () -> CsvReader.read(empty, "y")), "people.csv", "is empty");
        Path headerOnly = csv("a,y\n");
        assertContains(assertThrows(DataFormatException.class, () -> CsvReader.read(headerOnly, "y")), "no data rows");
    }

    @Test
    void unclosedQuoteAndMissingFileAreReported() throws IOException {
        Path file = csv("a,y\n\"1,0\n");
        assertContains(assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y")), "line 2", "not closed");
        Path missing = dir.resolve("nope.csv");
        assertContains(assertThrows(DataFormatException.class, () -> CsvReader.read(missing, "y")), "nope.csv",
                "does not exist");
    }

    @Test
    void duplicateColumnNamesAreReported() throws IOException {
        Path file = csv("a,a,y\n1,2,0\n");
        assertContains(assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y")), "'a' appears twice");
    }

    @Test
    void nonUtf8TextIsNamedWithFileAndLine() throws IOException {
        StringBuilder rows = new StringBuilder("a,y\n");
        for (int i = 0; i < 3000; i++) rows.append(i).append(",0\n"); // past the reader's first buffer
        byte[] head = rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "7,1 caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + latin1.length);
        System.arraycopy(latin1, 0, all, head.length, latin1.length);
        Path file = Files.write(dir.resolve("latin1.csv"), all);
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "latin1.csv", "is not UTF-8 text at line 3002 (byte 0xE9", "save it as UTF-8");
    }

    @Test
    void unreadableFileSaysWhyOnce() throws IOException {
        Path file = csv("a,y\n1,0\n");
        org.junit.jupiter.api.Assumptions.assumeTrue(file.toFile().setReadable(false) && !Files.isReadable(file),
                "running as a user who can read any file");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> CsvReader.read(file, "y"));
        assertContains(e, "cannot read CSV file " + file + ": permission denied");
    }
}
