package dev.monoscope.eval;

/**
 * A defect interval on the media clock (seconds): a labelled truth, or what a tool reported. {@code value}: what a
 * report measured, where the eval scores it (the A/V offset in ms), else NaN.
 */
record Truth(String type, double start, double end, double value) {

    Truth(String type, double start, double end) {
        this(type, start, end, Double.NaN);
    }

    boolean overlaps(Truth o) {
        return type.equals(o.type) && start <= o.end && o.start <= end;
    }

    double overlap(Truth o) {
        return Math.min(end, o.end) - Math.max(start, o.start);
    }
}
