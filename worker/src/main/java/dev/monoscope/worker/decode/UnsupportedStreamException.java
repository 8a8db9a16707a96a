package dev.monoscope.worker.decode;

/** The input opened but cannot be monitored as asked (no decoder for its codec, no such programme or track). */
public class UnsupportedStreamException extends InputException {

    public UnsupportedStreamException(String message) {
        super(message);
    }
}
