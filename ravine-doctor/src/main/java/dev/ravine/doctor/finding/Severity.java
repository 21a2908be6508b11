package dev.ravine.doctor.finding;

/** How urgent a finding is: BLOCKING stops useful training (NaN, divergence) and is what repairs act on. */
public enum Severity {
    INFO, WARNING, BLOCKING
}
