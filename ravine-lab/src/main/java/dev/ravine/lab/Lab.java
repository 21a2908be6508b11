package dev.ravine.lab;

/**
 * One experiment that reproduces a claim of the notes: what it claims (in its own words, naming the note's file, since
 * the notes are not shipped), how it is measured, the rule that decides the verdict (stated before any run, never
 * tuned until it agrees), and {@link #run}, which measures and returns the figures, the verdict and the charts.
 * Registered in {@link LabCatalog}; {@code ravine lab run NAME} runs one and writes its page.
 */
public interface Lab {
    /** The name {@code ravine lab run} takes: lower case words joined by hyphens, e.g. {@code optimizer-paths}. */
    String name();

    /** The lab's number in the list (1, 2, ...): the order of {@code ravine lab list} and the index page. */
    int number();

    /** A title for the page, e.g. "Optimizer trajectories on 2-D error surfaces". */
    String title();

    /** The note file the claim comes from, e.g. {@code 002_7b17531979328832.txt}; several joined by ", ". */
    String note();

    /** The claim in the lab's own words: a reader who has not seen the note must understand it. */
    String claim();

    /** How the lab measures it: the setup, the sweep, the seeds. */
    String method();

    /** The rule that decides HELD or DID_NOT_HOLD from the figures, stated up front. */
    String decisionRule();

    /**
     * Whether the claim follows mathematically on the lab's setup (momentum's steady-state speed-up on a quadratic, say),
     * so that its quick run must hold: the tests assert that it did. False for claims about what usually happens
     * (saddles outnumber minima), whose verdict is measured, reported and never asserted.
     */
    default boolean certainOnThisSetup() {
        return false;
    }

    /** Runs the experiment at the given size and seeds and returns what it measured. */
    LabResult run(LabSettings settings);
}
