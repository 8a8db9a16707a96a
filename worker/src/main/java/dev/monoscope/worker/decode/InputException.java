package dev.monoscope.worker.decode;

import dev.monoscope.worker.source.ErrorCategory;
import dev.monoscope.worker.source.SourceFetchException;

/**
 * The input cannot be opened or read: the signal is lost (and may come back). The message is for the worker's log;
 * {@link #reported()} is what the report, JSON Lines and webhooks carry: a category for what FFmpeg or the network
 * said (its raw text may hold anything an origin sent), the worker's own explanation otherwise.
 */
public class InputException extends Exception {

    private final String reported;

    /** A failure the worker explains itself (a limit, a refused address): reported as it is. */
    public InputException(String message) {
        super(message);
        this.reported = message;
    }

    /** A failure FFmpeg or the network reported: the category is reported, {@code detail} only logged. */
    public InputException(ErrorCategory category, String detail) {
        super(detail);
        this.reported = category.words();
    }

    /**
     * A request the worker made itself failed: what it refused on its own account (a limit, an address outside the
     * allow-list: {@link ErrorCategory#INVALID_DATA}) is reported as explained, anything else as its category.
     */
    public static InputException of(SourceFetchException e, String context) {
        String message = context + ": " + e.getMessage();
        return e.category() == ErrorCategory.INVALID_DATA
                ? new InputException(message)
                : new InputException(e.category(), message);
    }

    /** What may leave the worker. */
    public String reported() {
        return reported;
    }
}
