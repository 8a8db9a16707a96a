package dev.monoscope.operator.status;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text from workers and the API server as status, conditions and Events show it: at most {@value #MAX_LENGTH}
 * characters, and error texts as a category ({@code connection refused}, {@code timeout}, …) rather than an
 * FFmpeg message; the detail is in the worker's log.
 */
public final class StatusText {

    public static final int MAX_LENGTH = 256;
    /** What an error text that fits no category is shown as. */
    public static final String OTHER = "error";

    private record Category(String name, Pattern clues) {}

    // Checked in order: "403 Forbidden ... timed out" is forbidden, a TLS handshake timeout is tls. HTTP codes
    // count as whole numbers only (port 4035 is no 403).
    private static final List<Category> CATEGORIES = List.of(
            category("tls", "\\bssl\\b|\\btls\\b|certificate|handshake"),
            category("forbidden", "\\b40[13]\\b|forbidden|unauthorized|permission denied"),
            category(
                    "not found",
                    "\\b404\\b|not found|no such file|name or service not known|unknown host|name resolution"),
            category("connection refused", "connection refused|econnrefused|connection reset"),
            category("timeout", "timed out|timeout|etimedout"),
            category("invalid data", "invalid data|invalid argument|corrupt"),
            category("input ended", "input ended|end of file|\\beof\\b"));

    private static Category category(String name, String clues) {
        return new Category(name, Pattern.compile(clues));
    }

    private StatusText() {}

    /** The text cut to {@value #MAX_LENGTH} characters (the last one an ellipsis when cut); null stays null. */
    public static String bounded(String text) {
        if (text == null || text.length() <= MAX_LENGTH) {
            return text;
        }
        return text.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** The category of an error text, {@value #OTHER} when none fits; null stays null. */
    public static String category(String error) {
        if (error == null) {
            return null;
        }
        String text = error.toLowerCase(Locale.ROOT);
        return CATEGORIES.stream()
                .filter(c -> c.clues().matcher(text).find())
                .map(Category::name)
                .findFirst()
                .orElse(OTHER);
    }
}
