package dev.monoscope.worker.decode;

/** The input cannot be opened or read: the signal is lost (and may come back). */
public class InputException extends Exception {

    public InputException(String message) {
        super(message);
    }
}
