package dev.monoscope.eval;

/** A defect interval on the media clock (seconds): a labelled truth, or what a tool reported. */
record Truth(String type, double start, double end) {

    boolean overlaps(Truth o) {
        return type.equals(o.type) && start <= o.end && o.start <= end;
    }

    double overlap(Truth o) {
        return Math.min(end, o.end) - Math.max(start, o.start);
    }
}
