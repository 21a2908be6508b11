package dev.ravine.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The app's one number formatter: each form as the terminal, the report and the config files show it. */
class TextFormatTest {
    @Test
    void eachFormReadsAsDocumented() {
        assertEquals("1,234,567", TextFormat.count(1_234_567));
        assertEquals("0.1235", TextFormat.loss(0.123456));
        assertEquals("1.235e+05", TextFormat.loss(123_456.7));
        assertEquals("nan", TextFormat.loss(Double.NaN));
        assertEquals("0.3333", TextFormat.scale(1 / 3.0));
        assertEquals("1", TextFormat.scale(1.0));
        assertEquals("97.25%", TextFormat.percent(0.9725));
        assertEquals("-", TextFormat.percent(Double.NaN));
        assertEquals("0.12346", TextFormat.fixed(0.123456, 5));
        assertEquals("NaN", TextFormat.fixed(Double.NaN, 2));
        assertEquals("0.5000", TextFormat.ratio(0.5));
        assertEquals("-", TextFormat.ratio(Double.NaN));
        assertEquals("0.3000", TextFormat.significant(0.3, 4));
        assertEquals("1.235e-05", TextFormat.significant(1.23456e-5, 4));
        assertEquals("0.1", TextFormat.plain(0.1));
        assertEquals("10", TextFormat.plain(10.0));
        assertEquals("0.0001", TextFormat.plain(1e-4));
        assertEquals("1.0e-5", TextFormat.exact(1e-5));
        assertEquals("0.001", TextFormat.exact(0.001));
        assertEquals("12.3 s", TextFormat.duration(12.34));
        assertEquals("1:02:03", TextFormat.duration(3723));
    }

    @Test
    void exactAndPlainReadBackAsTheSameDouble() {
        for (double v : new double[] {0.1, 1e-8, 3e-4, 123456789.125, 1.0 / 3, 2.5e20, -7.0}) {
            assertEquals(v, Double.parseDouble(TextFormat.exact(v)), "exact " + v);
            assertEquals(v, Double.parseDouble(TextFormat.plain(v)), "plain " + v);
        }
    }

    @Test
    void theFiguresDoNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("0.12346", TextFormat.fixed(0.123456, 5));
            assertEquals("0.3000", TextFormat.significant(0.3, 4));
            assertEquals("1,234", TextFormat.count(1234));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
