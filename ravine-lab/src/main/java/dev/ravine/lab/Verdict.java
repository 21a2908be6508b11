package dev.ravine.lab;

import java.util.List;

/**
 * Whether a lab's claim held on the measured figures: the outcome, the keys of the figures that decided it, and the
 * decision in words with those figures in it (e.g. "momentum sped SGD up 9.6x, within 20% of 1/(1-0.9) = 10").
 */
public record Verdict(Outcome outcome, List<String> decidingFigures, String because) {
    public enum Outcome { HELD, DID_NOT_HOLD }

    public Verdict {
        if (decidingFigures.isEmpty()) throw new IllegalArgumentException("a verdict names the figures that decide it");
        decidingFigures = List.copyOf(decidingFigures);
    }

    /** HELD when {@code held}, else DID_NOT_HOLD, with the deciding figures and the reason. */
    public static Verdict of(boolean held, String because, String... decidingFigures) {
        return new Verdict(held ? Outcome.HELD : Outcome.DID_NOT_HOLD, List.of(decidingFigures), because);
    }

    public boolean held() {
        return outcome == Outcome.HELD;
    }

    /** "held" or "did not hold", as the page and the terminal write it. */
    public String word() {
        return held() ? "held" : "did not hold";
    }
}
