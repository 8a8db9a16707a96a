package dev.monoscope.worker.source;

import java.io.IOException;

/** A request to a source failed: {@link #category()} is what may be reported, the message is for the log. */
public final class SourceFetchException extends IOException {

    private final ErrorCategory category;

    public SourceFetchException(ErrorCategory category, String message) {
        super(message);
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }
}
